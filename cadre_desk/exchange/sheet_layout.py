"""How a written sheet is laid out for the eye and for paper: how wide a text is in Excel's width units,
how tall a row of wrapped text must be, and the print setup (A4, title and header on every page,
fitted to the width, 第 X 页 共 Y 页). Shared by every .xlsx the program writes: the reports' rosters and
statistics and the import problem report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

FOOTER = "第 &P 页 共 &N 页"
LINE_HEIGHT = 16.0  # points per line of 11-point text (a Chinese face's line is taller than Calibri's 15)
PAGE_UNITS = 230  # width units (Excel's column width) printed side by side on one landscape A4 page at
# about 60 % scale: a wider table goes onto more pages across, so its words stay readable


class _CharUnits(dict):
    """A character's width units, looked up once per character: a 100,000-row export measures ~10 million."""

    def __missing__(self, ch: str) -> int:
        import unicodedata

        units = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
        return units


_CHAR_UNITS = _CharUnits()


def text_units(text: str) -> int:
    """How many of Excel's width units a text takes on one line: a Chinese character (and a Chinese
    quotation mark) two, a digit or Latin letter one."""
    return sum(map(_CHAR_UNITS.__getitem__, text))


@lru_cache(maxsize=1 << 16)  # a roster repeats its units' and posts' names row after row
def lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column ``width`` units wide."""
    usable = max(1.0, width - 1.5)  # the cell's padding
    return sum(max(1, int(-(-text_units(part) // usable))) for part in text.split("\n"))


def texts_height(texts: Iterable[tuple[str, float]]) -> float | None:
    """The row height (points) that wrapped ``(text, column width)`` pairs need, or None for one line."""
    lines = max((lines_needed(text, width) for text, width in texts), default=1)
    return lines * LINE_HEIGHT if lines > 1 else None


def pages_across(widths: Sequence[float] | None) -> int:
    """How many pages wide a table of these column widths prints (1 for up to PAGE_UNITS)."""
    return max(1, -(-int(sum(widths)) // PAGE_UNITS)) if widths else 1


def print_setup(ws, landscape: bool = True, widths: Sequence[float] | None = None, title: str = "",
                repeat: str | None = "1:2") -> None:
    """A4, the title and header rows (``repeat``; None: no rows repeated, for a sheet that is not one
    table) on every page, fitted to the page width, centred, 第 X 页 共 Y 页.
    A table wider than PAGE_UNITS goes onto more pages across, with its first two columns (序号 and 姓名)
    and its header row repeated on each, and ``title`` in bold at the top of every page as the page
    header: the title row itself is left out of the print (the writer bounds the print area through
    ``ws.print_columns``), as on the pages across its first words would show cut off above the repeated
    columns. Without ``widths`` the table is fitted to one page across."""
    across = pages_across(widths)
    if repeat:  # openpyxl takes None as "leave as it is", not "none"
        ws.print_title_rows = repeat
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = across
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER
    if across > 1:
        ws.print_title_cols = "A:B"
        ws.page_setup.pageOrder = "overThenDown"  # a row's pages one after the other, not 40 pages apart
    if across > 1 and title:
        from openpyxl.utils import get_column_letter

        ws.print_title_rows = "2:2"
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.font, ws.oddHeader.center.size = "-,Bold", 14
        ws.print_columns = get_column_letter(len(widths))  # the print area, from row 2


def rule_table(ws, ref: str) -> None:
    """Thin black lines round every cell of the table ``ref`` (header to last row): a roster printed for a
    superior is a ruled table, not words floating on the page. One conditional format over the range —
    not a border on each of a 100,000-row export's cells (its target is a bare write's time) nor the
    sheet's print gridlines, which would rule the empty cells under a statistics sheet's chart too."""
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles import Border, Side
    from openpyxl.styles.differential import DifferentialStyle

    side = Side(style="thin", color="000000")
    ruled = DifferentialStyle(border=Border(left=side, right=side, top=side, bottom=side))
    ws.conditional_formatting.add(ref, Rule(type="expression", formula=["TRUE"], dxf=ruled))
