"""花名册 (roster) export: columns chosen from the field registry, streamed with openpyxl's
write-only mode so 100,000 rows stay within memory; written to a temp name and renamed."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from cadre_desk import APP_TITLE
from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.bulk import no_cycle_collection
from cadre_desk.domain.dates import age_at, format_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import BY_KEY, FIELDS, FieldSpec, display_value, form_party
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange.sheet_layout import (
    FOOTER,
    LINE_HEIGHT,
    lines_needed,
    pages_across,
    print_setup,
    rule_table,
    text_units,
    texts_height,
)
from cadre_desk.exchange.workbooks import FORMULA_PREFIXES
from cadre_desk.profiles.cadre_list import DERIVED, DERIVED_TITLES, ROSTER_COLUMNS, ROSTER_DEFAULT
from cadre_desk.security import audit
from cadre_desk.settings import settings

PRESETS_KEY = "export.roster_presets"
# 年龄 as the roster list shows it (from 出生年月, at today); imported back it is said as computed, not read.
# The list's 党派 (fields.PARTY_NAME) is left out of the roster on purpose, in its columns and its defaults:
# - the roster's 入党时间 already names the 民主党派, as the 任免表 writes it (fields.form_party: 2001.08；民建,
#   or 民建 for a member known by 政治面貌 alone), so a 党派 column would only repeat it;
# - 党派 is a header departments' rosters use for 政治面貌 (中共党员, 群众, 民建): a 党派 column of the
#   program's own, blank for every 中共党员, would read back as their 政治面貌 and, standing before the
#   政治面貌 column, take its place. Telling the two apart would take guessing from the values.
AGE = FieldSpec("age", DERIVED_TITLES["age"][0], "number", width=DERIVED_TITLES["age"][1])
COLUMN_SPECS: dict[str, FieldSpec] = {**BY_KEY, AGE.key: AGE}  # the columns a roster may have
EXPORT_COLUMNS = tuple(key for key in ROSTER_COLUMNS if key in COLUMN_SPECS) + tuple(
    spec.key for spec in FIELDS if spec.key not in ROSTER_COLUMNS)  # the list's order, then the other fields
DEFAULT_KEYS = tuple(key for key in ROSTER_DEFAULT if key in COLUMN_SPECS)  # what the list shows at first
SERIAL_HEADER = "序号"
TITLE_SIZE = 16
HEADER_FILL = "DDE6F0"


# ---- presets -----------------------------------------------------------------------------------


def presets() -> dict[str, list[str]]:
    stored = settings.get(PRESETS_KEY, {}) or {}
    return {name: [k for k in keys if k in COLUMN_SPECS] for name, keys in stored.items()}


def save_preset(name: str, keys: Sequence[str]) -> None:
    from cadre_desk.store.db import write_transaction

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写方案名称"})
    if not keys:
        raise ValidationError({"columns": "请至少选择一列"})
    stored = dict(settings.get(PRESETS_KEY, {}) or {})
    stored[name] = list(keys)
    with write_transaction():
        settings.put(PRESETS_KEY, stored)


def delete_preset(name: str) -> None:
    from cadre_desk.store.db import write_transaction

    stored = dict(settings.get(PRESETS_KEY, {}) or {})
    if stored.pop(name, None) is not None:
        with write_transaction():
            settings.put(PRESETS_KEY, stored)


def columns_from_labels(text: str) -> list[str]:
    """'姓名,性别,年龄' (labels or synonyms, spaces ignored) → column keys. Raises ValidationError."""
    from cadre_desk.domain.fields import header_index, normalize_header

    index = header_index()
    keys, unknown = [], []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        if not part.strip():
            continue
        spec = (index.get(normalize_header(part)) or COLUMN_SPECS.get(part.strip())
                or (AGE if normalize_header(part) == AGE.label else None))
        if spec is None:
            unknown.append(part.strip())
        elif spec.key not in keys:
            keys.append(spec.key)
    if unknown:
        raise ValidationError({"columns": "无法识别的列：" + "、".join(unknown)})
    return keys


# ---- data --------------------------------------------------------------------------------------


def _unit_labels() -> dict[int, str]:
    """Unit id → its 全称: unique, so the roster says which unit without the tree beside it and
    imports back."""
    from cadre_desk.units import units

    return units.full_names()


def iter_rows(ids: Sequence[int] | None, keys: Sequence[str]) -> Iterable[tuple]:
    """Raw column values per cadre the operator may export, in ``ids`` order (every cadre of their
    units, by unit order then id, when None); a cadre outside their units is refused. 入党时间 as the
    任免表 writes it (fields.form_party), which a superior compares the roster with: a 民主党派 member
    known by 政治面貌 alone is named there, as on the screen's 党派."""
    if "party" not in keys:
        for row in reads.cadre_rows(keys, ids, action=permissions.EXPORT):
            yield row[1:]
        return
    at, end = keys.index("party"), len(keys) + 1
    for row in reads.cadre_rows([*keys, "political"], ids, action=permissions.EXPORT):
        values = row[1:end]
        party = form_party({"party": values[at], "political": row[end]})
        if party and party != values[at]:
            values = (*values[:at], party, *values[at + 1:])
        yield values


def count_rows(ids: Sequence[int] | None) -> int:
    return reads.count_cadres() if ids is None else len(ids)


# ---- the workbook ------------------------------------------------------------------------------


def px_to_width(px: int) -> float:
    """The registry's pixel width hint → Excel column width (characters)."""
    return max(6.0, round(px / 7.0 + 1, 1))


HEADER_PAD = 3.0  # the bold face and the filter's drop-down button beside a header's words


def header_width(text: str) -> float:
    """The column width a header's words need on one line."""
    return text_units(text) + HEADER_PAD


def fitted_widths(headers: Sequence[str], widths: Sequence[float]) -> list[float]:
    """The registry's width hints widened where a header would otherwise break (参加工 / 作时间)."""
    return [max(width, header_width(text)) for text, width in zip(headers, widths, strict=True)]


def setup_sheet(ws, title: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    """Title row, bold frozen header with filter, widths, A4 landscape, repeated header, fit to width.
    For a write-only sheet this must run before the first append."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    last = get_column_letter(max(1, len(headers)))
    shown = fitted_widths(headers, widths)
    for i, width in enumerate(shown, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}2"  # save_atomic extends it over the rows written
    plain_append = ws.append

    def append(row) -> None:
        height = wrapped_height(row, shown) if ws.rows_written >= 2 else None  # the title's height is its own
        if height:  # a row of wrapped text as tall as its lines: on paper nothing is cut off below the first
            ws.row_dimensions[ws.rows_written + 1].height = height
            row = top_aligned(ws, row)  # its other cells beside the wrapped text's first line, not its last
        plain_append(row)
        ws.rows_written += 1

    ws.rows_written = 0
    ws.append = append
    print_setup(ws, widths=shown, title=title)
    if len(headers) > 1:
        ws.merged_cells.add(f"A1:{last}1")
    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = Font(bold=True, size=TITLE_SIZE)
    # a table printed on several pages across: the title at its left, on the first page, not in the middle
    title_cell.alignment = Alignment(horizontal="left" if pages_across(shown) > 1 else "center",
                                     vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = title_height(title, shown)
    ws.append([title_cell])
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.append(header_cells)


def show_axes(chart) -> None:
    """A bar chart with its axes drawn: openpyxl (since 3.1) leaves out <c:delete val="0"/>, and Excel then
    draws neither the categories' names nor the scale. Every category is named (a spreadsheet program
    otherwise leaves out every other name when they are close)."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1


BAR_CM = 0.75  # centimetres of a horizontal bar chart per category: closer, a spreadsheet program drops every
# other category's name


def bar_height(categories: int, minimum: float) -> float:
    """The height (cm) of a horizontal bar chart that names each of its categories (title and scale: 3 cm)."""
    return max(minimum, BAR_CM * categories + 3)


def top_down(chart) -> None:
    """A horizontal bar chart in the table's order, the first category on top, with its scale still below
    the bars (reversing the categories alone moves the scale to the top)."""
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"


def value_labels(chart, percent: bool = False) -> None:
    """Each bar's count (or each slice's share) written on it, and nothing else: every flag is written,
    as a reader takes a missing one for "show" and writes 人数；大专；16 on a bar."""
    from openpyxl.chart.label import DataLabelList

    chart.dataLabels = DataLabelList(showVal=not percent, showPercent=percent, showCatName=False,
                                     showSerName=False, showLegendKey=False, showBubbleSize=False)


def wrapped_height(row: Sequence, widths: Sequence[float]) -> float | None:
    """The row height (points) the wrapped texts of ``row`` need, or None for one line."""
    from openpyxl.cell.cell import Cell

    return texts_height((value.value, width) for value, width in zip(row, widths, strict=False)
                        if isinstance(value, Cell) and value.alignment.wrap_text and value.value.__class__ is str)


def top_aligned(ws, row: list) -> list:
    """``row`` with each value in a top-aligned cell (a wrapped cell is one already)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment

    out = []
    for value in row:
        if not isinstance(value, Cell):
            value = WriteOnlyCell(ws, value=value)
        if not value.alignment.wrap_text:
            value.alignment = Alignment(horizontal=value.alignment.horizontal, vertical="top")
        out.append(value)
    return out


def title_height(title: str, widths: Sequence[float]) -> float:
    """The title row's height: a title wider than the table wraps onto more lines rather than being cut
    off at the table's edges."""
    scale = TITLE_SIZE / 11
    lines = int(-(-text_units(title) * scale // max(1.0, sum(widths) - 2)))
    return max(1, lines) * TITLE_SIZE * 1.5


def safe_row(ws, values: list) -> list:
    """Text starting with = + - @ stays text (never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    for i, value in enumerate(values):
        if value and value.__class__ is str and value[0] in "=+-@" and value.startswith(FORMULA_PREFIXES):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            values[i] = cell
    return values


def save_atomic(wb, path: Path) -> Path:
    """Save ``wb`` to ``path`` through a temporary file (store.files.atomic_path)."""
    from cadre_desk.store.files import atomic_path

    path = Path(path)
    wb.properties.creator = settings.department().name or APP_TITLE  # not openpyxl's name, never the OS user
    for ws in wb.worksheets:
        if getattr(ws, "print_columns", None):  # a wide table's title row: in the page header, not printed
            ws.print_area = f"A2:{ws.print_columns}{max(2, getattr(ws, 'rows_written', 2))}"
        ref = ws.auto_filter.ref
        if ref and getattr(ws, "rows_written", 0) > 2:
            ws.auto_filter.ref = f"{ref.rsplit(':', 1)[0]}:{ref.rsplit(':', 1)[1].rstrip('0123456789')}{ws.rows_written}"
        if ref:  # a table: ruled from its header to its last row (a 合计 row below the filter too)
            from openpyxl.utils import get_column_letter, range_boundaries

            left, top, right, _bottom = range_boundaries(ws.auto_filter.ref)
            rows = getattr(ws, "rows_written", None) or ws.max_row
            rule_table(ws, f"{get_column_letter(left)}{top}:{get_column_letter(right)}{max(rows, top)}")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def roster_title(department: str | None = None, when: _dt.date | None = None) -> str:
    department = department or settings.department().name
    when = when or clock.today()
    return f"{department}干部花名册（{format_date(when)}）"


def export_roster(path: str | Path, keys: Sequence[str] | None = None, ids: Sequence[int] | None = None,
                  progress: Progress = NO_PROGRESS, *, title: str | None = None, reason: str = "",
                  serial: bool = True) -> int:
    """Write the roster of ``ids`` (None = every cadre) with the given columns. Returns the row count.

    Written with xlsxwriter in constant-memory mode (one row in memory; 0.78× the CPU time of a bare
    openpyxl write-only pass of the same cells at 20,000 × 30, where openpyxl with this formatting
    took 1.15×): the same title, header, widths, frozen header, filter and print setup as the other
    workbooks; every text is written as text, so = + - @ never start a formula."""
    import xlsxwriter

    from cadre_desk.store.files import atomic_path

    permissions.require(permissions.EXPORT)
    if ids is not None:
        ids = list(ids)
        access_scope.current().require_each(permissions.EXPORT, ids)  # refused before the file is begun
    keys = list(keys or DEFAULT_KEYS)
    unknown = [k for k in keys if k not in COLUMN_SPECS]
    if unknown:
        raise ValidationError({"columns": "未知的列：" + "、".join(unknown)})
    specs: list[FieldSpec] = [COLUMN_SPECS[k] for k in keys]
    stored = [DERIVED.get(k, k) for k in keys]  # 年龄 is read from 出生年月
    total = count_rows(ids)
    unit_labels = _unit_labels() if "unit" in keys else {}
    headers = ([SERIAL_HEADER] if serial else []) + [s.label for s in specs]
    widths = ([6.0] if serial else []) + [px_to_width(s.width) for s in specs]
    offset = 1 if serial else 0
    # (column, converter or None for text as stored)
    today = clock.today()
    columns = [(i + offset, None if spec.kind in ("text", "longtext", "id_number", "phone")
                else (lambda birth: age_at(birth, today)) if spec is AGE
                else cell_converter(spec, unit_labels)) for i, spec in enumerate(specs)]
    n = 0
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
        wb.set_properties({"author": settings.department().name or APP_TITLE})
        try:
            ws = wb.add_worksheet("花名册")
            shown = _roster_sheet(wb, ws, title or roster_title(), headers, widths)
            write = ws.write_string
            with no_cycle_collection():  # millions of short-lived values, no cycles
                for n, raw in enumerate(iter_rows(ids, stored), 1):
                    row = n + 1
                    if serial:
                        ws.write_number(row, 0, n)
                    lines = 1
                    for (column, convert), value in zip(columns, raw, strict=True):
                        if convert is not None:
                            value = convert(value)
                        if value:
                            if value.__class__ is not str:  # 年龄, 学时: a number
                                ws.write_number(row, column, value)
                                continue
                            if len(value) * 2 > shown[column] - 1.5:
                                lines = max(lines, lines_needed(value, shown[column]))
                            write(row, column, value)
                    if lines > 1:  # the wrapped text's lines all shown (the row is still the current one)
                        ws.set_row(row, lines * LINE_HEIGHT)
                    if n % 2000 == 0:
                        progress.report(n, total, f"正在导出第 {n:,} / {total:,} 人…")
            if n:
                ws.autofilter(1, 0, n + 1, len(headers) - 1)
            # ruled from the header to the last row, as sheet_layout.rule_table: one conditional format
            ws.conditional_format(1, 0, max(1, n + 1), len(headers) - 1,
                                  {"type": "formula", "criteria": "=TRUE", "format": wb.add_format({"border": 1})})
            if pages_across(shown) > 1:
                ws.print_area(1, 0, max(1, n + 1), len(headers) - 1)
            progress.report(n, total, "正在保存文件…")
        finally:
            wb.close()  # also after a cancel: the temporary file is then removed by atomic_path
    who = "全部干部" if ids is None else id_ranges(ids)
    audit_export("花名册", path, n, reason, {"列": [None, "、".join(s.label for s in specs)], "干部编号": [None, who]})
    return n


def _roster_sheet(wb, ws, title: str, headers: Sequence[str], widths: Sequence[float]) -> list[float]:
    """setup_sheet's layout for an xlsxwriter sheet: title, header, widths, frozen header, filter,
    A4 landscape fitted to width, title rows repeated, 第 X 页 共 Y 页. Returns the column widths."""
    last = max(1, len(headers)) - 1
    # a text wider than its column wraps inside it, top-aligned (a cell without a format of its own takes its
    # column's): on paper a long 现任职务 is read whole instead of cut off at the next column
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    shown = fitted_widths(headers, widths)
    for i, width in enumerate(shown):
        ws.set_column(i, i, width, wrap)
    title_format = wb.add_format({"bold": True, "font_size": TITLE_SIZE, "valign": "vcenter", "text_wrap": True,
                                  "align": "left" if pages_across(shown) > 1 else "center"})
    ws.set_row(0, title_height(title, shown))
    header_format = wb.add_format({"bold": True, "bg_color": f"#{HEADER_FILL}", "align": "center",
                                   "valign": "vcenter", "text_wrap": True})
    if last:
        ws.merge_range(0, 0, 0, last, title, title_format)
    else:
        ws.write_string(0, 0, title, title_format)
    for i, text in enumerate(headers):
        ws.write_string(1, i, text, header_format)
    ws.autofilter(1, 0, 1, last)
    ws.freeze_panes(2, 0)
    if pages_across(shown) > 1:  # as print_setup: the header row repeated, the title in the page header
        ws.repeat_rows(1, 1)     # (export_roster leaves the title row out of the print area)
        ws.print_across()
        ws.set_header(f'&C&"-,Bold"&14{title.replace("&", "&&")}')
    else:
        ws.repeat_rows(0, 1)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(pages_across(shown), 0)
    if pages_across(shown) > 1:
        ws.repeat_columns(0, 1)
    ws.center_horizontally()
    ws.set_footer(f"&C{FOOTER}")
    return shown


def id_ranges(ids: Sequence[int]) -> str:
    """Which cadres an export held, compactly for its audit row: 1-3,7,9-12."""
    parts: list[str] = []
    ordered = sorted(set(ids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def cell_converter(spec: FieldSpec, unit_labels: dict[int, str] | None = None):
    """raw value → cell value as every workbook writes it (names for codes and units, 1986.05 for
    dates, numbers as numbers); empty is None so no empty cell is written."""
    if spec.kind == "code":
        names = dict(codes.table(spec.code_table).items)
        return lambda v: names.get(v, v) if v else None
    if spec.kind in ("date", "party", "codes"):  # a month field's date as its month (1986.05)
        return lambda v: display_value(spec, v) if v else None
    if spec.kind == "unit":
        labels = unit_labels or {}
        return lambda v: labels.get(v)
    if spec.kind == "year":
        return lambda v: v or None
    if spec.kind == "number":
        return lambda v: None if v in ("", None) else v
    return lambda v: v if v != "" else None


def audit_export(what: str, path, count: int, reason: str, changes: dict | None = None) -> None:
    from cadre_desk.store.db import write_transaction

    with write_transaction():
        audit.record(audit.EXPORT, "干部", None, f"导出{what} {count} 条 → {Path(path).name}",
                     changes, reason=reason or f"导出{what}")
