"""Reading spreadsheets safely: .xlsx/.xlsm/.xls/.ods through python-calamine (26× faster than
openpyxl's read-only mode), openpyxl read-only for what calamine cannot read. A hostile or
oversized file is refused with a Chinese message before any of it is parsed.

Before parsing, a zip package (.xlsx/.ods) is held to limits on its number of parts and sheets,
its total unpacked size, the unpacking ratio of the whole and of each part, and the cells its
sheets declare; entity declarations are refused in every XML part. While reading, the cells
read over all sheets are counted against MAX_CELLS and the rows of a sheet against MAX_ROWS. The
limits and the package check are in cadre_desk.exchange.workbook_package.

calamine holds a whole sheet in memory (~90 bytes a cell), so a large .xlsx sheet is handed to it
in slices of about SLICE_BYTES of sheet XML (whole rows, each a small workbook of its own with the
original shared strings and styles): a 200,000-row roster stays within the memory budget.

Hidden columns and rows: calamine (0.9) does not say which are hidden, so an .xlsx sheet's XML is
looked at for them — its <cols> before the rows, and hidden="1" on <row> tags in the XML already in
hand (a slice, or the whole of a sheet the package check read; a sheet read whole by calamine and
larger than that is unpacked once more for them); a sheet without hidden rows costs one search for
the word. .xls and .ods files do not say (their hidden columns read as any other)."""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from pathlib import Path

from cadre_desk.exchange.workbook_package import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_XLS_BYTES,
    PROLOG_BYTES,
    SHEET_DATA,
    FileRefused,
    Package,
    add_hidden_rows,
    check_package,
    hidden_columns,
    hidden_in,
    locate_bad_character,
    refuse_size,
)

# Sheet XML given to calamine at once (~30 MB of calamine's memory). A preview's rest is read while
# rows are checked, so one slice adds to the peak: 2 MB peaked 35 MB lower than 4 MB at 200,000 rows,
# in the same time.
SLICE_BYTES = 2 * 1024 * 1024


class _Unreadable(FileRefused):
    """calamine could not parse the file (openpyxl may still)."""


@dataclass
class SheetData:
    """The cells of one sheet as value tuples; row numbers are 1-based as the user sees them.
    An empty cell is None or "".

    A large sheet read with ``lazy`` holds its first slice of rows; ``read_more`` reads the next
    slice (the import preview shows the first rows while the rest is read and checked)."""

    name: str
    rows: list[tuple]
    first_row: int = 1
    declared_rows: int = 0  # the rows the sheet's <dimension> declares (0: not said)
    pending: Iterator[float] | None = field(default=None, repr=False)  # yields the share read so far
    share_read: float = 1.0  # of the sheet's XML, 0–1
    sheet_names: tuple[str, ...] = ()  # the workbook's visible sheets, in order (this one among them)
    hidden_columns: frozenset[int] = frozenset()  # 0-based columns the sheet hides
    hidden_rows: set[int] = field(default_factory=set, repr=False)  # 1-based rows hidden (grows with read_more)
    # the merged cells ((first row, column), (last row, column)), 0-based, of a sheet read whole (calamine)
    merged: tuple = ()

    @property
    def complete(self) -> bool:
        return self.pending is None

    def read_more(self) -> bool:
        """Read the next slice of a sheet read lazily; False once the whole sheet is in. Raises
        FileRefused (a damaged slice, the row or cell limit)."""
        if self.pending is None:
            return False
        try:
            self.share_read = next(self.pending)
        except StopIteration:
            self.pending, self.share_read = None, 1.0
            return False
        return True

    def read_all(self) -> None:
        while self.read_more():
            pass

    def expected_rows(self) -> int:
        """The sheet's rows, as far as they can be told before all are read."""
        if self.pending is None:
            return len(self.rows)
        if self.declared_rows:
            return max(self.declared_rows, len(self.rows))
        guess = int(len(self.rows) / self.share_read) if self.share_read > 0 else 0
        return max(guess, len(self.rows))


def column_letter(index: int) -> str:
    """0-based column index → A, B, …, Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---- rows ------------------------------------------------------------------------------------------


def _trim(row) -> tuple:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    if end > MAX_COLUMNS:
        end = MAX_COLUMNS
    return tuple(row[:end]) if end < len(row) else tuple(row)


_INTERN_LIMIT = 200_000  # distinct cell values kept once (then only looked up: the repeating ones came early)


class _Rows:
    """Collects a sheet's rows: trailing blanks trimmed, repeated values (units, genders, codes,
    dates) kept once so a 200,000-row file fits in memory, cells counted against MAX_CELLS."""

    def __init__(self, budget: list[int], max_rows: int, sheet: str, progress) -> None:
        self.rows: list[tuple] = []
        self.cache: dict[str, str] = {}
        self.budget, self.max_rows, self.sheet, self.progress = budget, max_rows, sheet, progress
        self.hidden_columns: frozenset[int] = frozenset()
        self.hidden_rows: set[int] = set()
        self.unique_columns: set[int] | None = None  # columns not kept once (add_many: told by the first rows)

    def sheet_data(self, **more) -> SheetData:
        return SheetData(self.sheet, self.rows, hidden_columns=self.hidden_columns, hidden_rows=self.hidden_rows,
                         **more)

    def add(self, row) -> None:
        cache = self.cache
        out = _trim(row)
        if out:
            self.budget[0] -= len(out)
            if self.budget[0] < 0:
                raise refuse_size(f"工作簿的单元格超过 {MAX_CELLS:,} 个")
            # map over the dict's own methods: no Python code runs per cell
            if len(cache) < _INTERN_LIMIT:
                out = tuple(map(cache.setdefault, out, out))
            else:  # the values that repeat came early; later ones are only looked up
                out = tuple(map(cache.get, out, out))
        rows = self.rows
        rows.append(out)
        n = len(rows)
        if n > self.max_rows + 50:
            raise FileRefused(f"工作表“{self.sheet}”超过一次导入的上限 {self.max_rows:,} 行，请拆分后分批导入。")
        if self.progress is not None and n % 5000 == 0:
            self.progress.report(n, 0, f"正在读取第 {n:,} 行…")

    def add_many(self, rows: Iterable[Sequence]) -> None:
        """Rows as ``add`` takes each, a few thousand at a time and column by column (no Python code
        per cell). A column whose values are nearly all different in the sheet's first rows taken so
        (姓名, 身份证号, 联系电话) is not looked up in the cache: nothing there repeats, and interning
        it took a fifth of a 100,000-row sheet's read (and filled the cache before the repeating values
        further down came)."""
        rows = iter(rows)
        while chunk := list(islice(rows, 4096)):
            width = max(map(len, chunk))
            if not width or width > MAX_COLUMNS:
                for row in chunk:
                    self.add(row)
                continue
            cache = self.cache
            if self.unique_columns is None and len(chunk) >= 500:  # told once, by the sheet's first rows
                self.unique_columns = {at for at, column in enumerate(zip_longest(*chunk))
                                       if len(set(column)) * 10 > len(column) * 9}
            unique = self.unique_columns or ()
            columns = []
            for at, column in enumerate(zip_longest(*chunk)):  # short rows padded with None: trimmed below
                if at in unique:
                    columns.append(column)  # nearly all different: nothing to share
                elif len(cache) < _INTERN_LIMIT:
                    columns.append(tuple(map(cache.setdefault, column, column)))
                else:  # the values that repeat came early; later ones are only looked up
                    columns.append(tuple(map(cache.get, column, column)))
            collected = self.rows
            start, cells = len(collected), 0
            for row in zip(*columns, strict=True):
                last = row[-1]
                if last is None or last == "":  # trailing blanks trimmed (as _trim)
                    end = len(row) - 1
                    while end and (row[end - 1] is None or row[end - 1] == ""):
                        end -= 1
                    row = row[:end]
                cells += len(row)
                collected.append(row)
            self.budget[0] -= cells
            if self.budget[0] < 0:
                raise refuse_size(f"工作簿的单元格超过 {MAX_CELLS:,} 个")
            n = len(collected)
            if n > self.max_rows + 50:
                raise FileRefused(f"工作表“{self.sheet}”超过一次导入的上限 {self.max_rows:,} 行，请拆分后分批导入。")
            if self.progress is not None:
                for done in range((start // 5000 + 1) * 5000, n + 1, 5000):
                    self.progress.report(done, 0, f"正在读取第 {done:,} 行…")

    def pad_to(self, index: int) -> None:
        while len(self.rows) < index:
            self.add(())


# ---- hidden columns and rows ---------------------------------------------------------------------

def _read_hidden(path: Path, part: str | None, collector: _Rows, package: Package | None) -> None:
    """The hidden columns and rows of a sheet read whole (its part of an .xlsx package): known from
    the package check when its XML was small enough to be read there, else unpacked again."""
    if not part:
        return
    known = package.hidden.get(part) if package is not None else None
    if known is None:
        try:
            with zipfile.ZipFile(path) as zf:
                xml = zf.read(part)
        except (KeyError, OSError, zipfile.BadZipFile):
            return  # the sheet was read; only its hidden columns and rows are not known
        known = hidden_in(xml)
    collector.hidden_columns = known[0]
    collector.hidden_rows.update(known[1])


# ---- calamine --------------------------------------------------------------------------------------


def _calamine_error(path: Path, exc: Exception) -> FileRefused:
    import python_calamine as pc

    if isinstance(exc, pc.PasswordError):
        return FileRefused(f"“{path.name}”设有打开密码，无法读取。请在 Excel 或 WPS 中打开它，取消密码"
                           "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存，再导入。")
    return _Unreadable(f"无法读取“{path.name}”：文件已损坏或不是 Excel / WPS 表格文件。"
                       "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。")


def _visible(meta) -> bool:
    import python_calamine as pc

    return meta.visible == pc.SheetVisibleEnum.Visible and meta.typ == pc.SheetTypeEnum.WorkSheet


def _add_sheet(collector: _Rows, sheet, sliced: bool = False) -> None:
    """calamine sheet → rows, each at its sheet row. ``iter_rows`` yields the leading blank rows
    but starts each row at the first used column; a slice (whose rows keep their numbers in the
    whole sheet) is taken with ``to_python``, which starts at the first used row."""
    start = sheet.start
    if start is None:
        return
    first_row, first_col = start
    pad = ("",) * first_col
    if sliced:
        collector.pad_to(first_row)
        rows = sheet.to_python(skip_empty_area=True)
    else:
        rows = sheet.iter_rows()
    collector.add_many((pad + tuple(row) for row in rows) if first_col else rows)


def _iter_calamine(path: Path, package: Package | None, progress, max_rows: int,
                   budget: list[int], lazy: bool = False, only: str | None = None) -> Iterator[SheetData]:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
        metas = list(workbook.sheets_metadata)
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise _calamine_error(path, exc) from None
    try:
        if len(metas) > MAX_SHEETS:
            raise refuse_size(f"工作簿有 {len(metas)} 张工作表（上限 {MAX_SHEETS} 张）")
        names = tuple(meta.name for meta in metas if _visible(meta))
        only = _sheet_named(only, names)
        for meta in metas:
            if not _visible(meta) or (only is not None and meta.name != only):
                continue
            collector = _Rows(budget, max_rows, meta.name, progress)
            merged = ()
            part = package.sheet_parts.get(meta.name) if package else None
            if part and _part_size(path, part) > SLICE_BYTES and _has_row_numbers(path, part):
                slices = _read_sliced(path, part, package, collector)
                declared = package.sheet_rows.get(part, 0)
                if lazy:
                    share = next(slices, None)
                    collector.progress = None  # the caller of read_more says how far it is
                    yield collector.sheet_data(declared_rows=declared, pending=None if share is None else slices,
                                               share_read=1.0 if share is None else share, sheet_names=names)
                    continue
                for _share in slices:
                    pass
            else:
                try:
                    sheet = workbook.get_sheet_by_name(meta.name)
                except (pc.CalamineError, ValueError) as exc:
                    raise _calamine_error(path, exc) from None
                if sheet.height * max(sheet.width, 1) > budget[0] + sheet.width:
                    raise refuse_size(f"工作表“{meta.name}”的单元格超过 {MAX_CELLS:,} 个")
                if sheet.height > max_rows + 50:
                    raise FileRefused(f"工作表“{meta.name}”有 {sheet.height:,} 行，超过一次导入的上限 "
                                      f"{max_rows:,} 行，请拆分后分批导入。")
                _add_sheet(collector, sheet)
                merged = tuple(sheet.merged_cell_ranges or ())
                del sheet
                _read_hidden(path, part, collector, package)
            yield collector.sheet_data(sheet_names=names, merged=merged)
    finally:
        workbook.close()


def _part_size(path: Path, part: str) -> int:
    with zipfile.ZipFile(path) as zf:
        return zf.getinfo(part).file_size


def _has_row_numbers(path: Path, part: str) -> bool:
    """Slicing places rows by their r="…" numbers: a writer that leaves them out is read whole."""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        head = fh.read(PROLOG_BYTES)
    match = re.search(rb"<(?:\w+:)?row\b[^>]*>", head)
    return bool(match and re.search(rb'\sr="\d+"', match.group(0)))


_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                  b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                  b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
                  b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                  b'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                  b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="'
                  b'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override '
                  b'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_REL = b'<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>'
_RELS_NS = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'


def _slice_workbook(head: bytes, body: bytes, extras: dict[str, bytes], date1904: bool) -> io.BytesIO:
    """A one-sheet workbook of some whole rows, with the original shared strings and styles."""
    buffer = io.BytesIO()
    rels = [_REL % (b"rId1", b"worksheet", b"worksheets/sheet1.xml")]
    if "styles" in extras:
        rels.append(_REL % (b"rId2", b"styles", b"styles.xml"))
    if "strings" in extras:
        rels.append(_REL % (b"rId3", b"sharedStrings", b"sharedStrings.xml"))
    workbook = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships">' + (b'<workbookPr date1904="1"/>' if date1904 else b"")
                + b'<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS_NS + _REL % (b"rId1", b"officeDocument", b"xl/workbook.xml")
                    + b"</Relationships>")
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS_NS + b"".join(rels) + b"</Relationships>")
        if "styles" in extras:
            zf.writestr("xl/styles.xml", extras["styles"])
        if "strings" in extras:
            zf.writestr("xl/sharedStrings.xml", extras["strings"])
        zf.writestr("xl/worksheets/sheet1.xml", head + body + _close_tags(head))
    buffer.seek(0)
    return buffer


def _close_tags(head: bytes) -> bytes:
    prefix = SHEET_DATA.search(head)
    tag = head[prefix.start() + 1:prefix.end()].split(b"sheetData")[0] if prefix else b""
    return b"</" + tag + b"sheetData></" + tag + b"worksheet>"


def _read_sliced(path: Path, part: str, package: Package, collector: _Rows) -> Iterator[float]:
    """Reads the sheet a slice at a time, yielding after each the share of its XML read so far."""
    with zipfile.ZipFile(path) as zf:
        total = max(zf.getinfo(part).file_size, 1)
        extras = {}
        names = set(zf.namelist())
        for key, member in (("styles", "xl/styles.xml"), ("strings", "xl/sharedStrings.xml")):
            if member in names:
                extras[key] = zf.read(member)
        with zf.open(part) as fh:
            buffer = b""
            head = None
            while head is None:
                chunk = fh.read(1024 * 1024)
                buffer += chunk
                match = SHEET_DATA.search(buffer)
                if match and match.group(1):  # <sheetData/>: no rows
                    return
                if match:
                    # the declared dimension would size calamine's whole range: left out of slices
                    head = _DIMENSION_TAG.sub(b"", buffer[:match.end()])
                    collector.hidden_columns = hidden_columns(head)
                    buffer = buffer[match.end():]
                elif not chunk:
                    return
            # each slice parses the shared strings again: larger slices when they are large (the
            # first one not: its rows are what a preview shows first)
            size, later_size = SLICE_BYTES, max(SLICE_BYTES, 2 * len(extras.get("strings", b"")))
            done = False
            consumed = len(head)
            while not done:
                chunk = fh.read(min(size, 4 * 1024 * 1024))
                done = not chunk
                buffer += chunk
                while len(buffer) >= size or (done and buffer):
                    cut = _row_end_before(buffer, size)
                    if cut <= 0:
                        if done:
                            buffer = b""  # </sheetData> and what follows it
                        break
                    body, buffer = buffer[:cut], buffer[cut:]
                    add_hidden_rows(body, collector.hidden_rows)
                    _read_slice(path, head, body, extras, package.date1904, collector)
                    consumed += cut
                    size = later_size
                    yield min(consumed / total, 1.0)


def _read_slice(path: Path, head: bytes, body: bytes, extras: dict[str, bytes], date1904: bool,
                collector: _Rows) -> None:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_filelike(_slice_workbook(head, body, extras, date1904))
    except pc.CalamineError as exc:
        raise _calamine_error(path, exc) from None
    try:
        _add_sheet(collector, workbook.get_sheet_by_index(0), sliced=True)
    except pc.CalamineError as exc:
        raise _calamine_error(path, exc) from None
    finally:
        workbook.close()


_DIMENSION_TAG = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")


def _row_end_before(buffer: bytes, limit: int) -> int:
    """The end of the last whole row within the first ``limit`` bytes (or of the first row, when
    one row is longer than that); 0 when the buffer holds no row end."""
    end = 0
    limit = min(limit, len(buffer))
    low = max(0, limit - 1024 * 1024)
    # the last "row>" before the limit, and the "<" before it: a row's end tag when they are "</row>"
    # or "</x:row>" (a search from the back: a pattern run over the whole window took a thirtieth of a
    # 100,000-row sheet's check)
    at = buffer.rfind(b"row>", low, limit)
    while at >= 0:
        start = buffer.rfind(b"<", low, at)
        if start >= 0 and _ROW_END.fullmatch(buffer, start, at + 4):
            end = at + 4
            break
        at = buffer.rfind(b"row>", low, at + 3)
    if not end:
        match = _ROW_END.search(buffer)
        end = match.end() if match else 0
    return end


# ---- openpyxl: what calamine cannot read --------------------------------------------------------


def _iter_openpyxl(path: Path, progress, max_rows: int, budget: list[int],
                   package: Package | None = None, only: str | None = None) -> Iterator[SheetData]:
    import openpyxl

    # opened as a stream: openpyxl judges a path by its extension, and an .xlsx renamed to .xls
    # (common with files passed around) is still an .xlsx by its content
    stream = open(path, "rb")  # noqa: SIM115 - closed below, after the read-only workbook
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - anything openpyxl rejects is a damaged file
        stream.close()
        raise _openpyxl_error(path, exc) from None
    try:
        names = tuple(ws.title for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible")
        only = _sheet_named(only, names)
        for ws in workbook.worksheets:
            if ws.title not in names or (only is not None and ws.title != only):
                continue
            collector = _Rows(budget, max_rows, ws.title, progress)
            try:
                for row in ws.iter_rows(values_only=True):
                    collector.add(row)
            except FileRefused:
                raise
            except Exception as exc:  # noqa: BLE001 - a parse error inside the sheet
                raise _openpyxl_error(path, exc, ws) from None
            if package is not None:
                _read_hidden(path, package.sheet_parts.get(ws.title), collector, package)
            yield collector.sheet_data(sheet_names=names)
    finally:
        workbook.close()
        stream.close()


def _openpyxl_error(path: Path, exc: Exception, ws=None) -> FileRefused:
    """openpyxl's English parser error → Chinese, naming the cell of an illegal character."""
    position = getattr(exc, "position", None)
    message = str(exc)
    if position and ("invalid token" in message or "not well-formed" in message):
        where = locate_bad_character(path, position, getattr(ws, "title", None))
        if where:
            return FileRefused(f"“{path.name}”中{where}含有 Excel 不允许的控制字符（不可见字符，多从其他系统复制而来），"
                               "请在 Excel 或 WPS 中删除该单元格里的不可见字符后再导入。")
    return FileRefused(f"无法读取“{path.name}”：文件已损坏或不是 Excel 文件。")


# ---- entry point ---------------------------------------------------------------------------------


def _sheet_named(name: str | None, names: tuple[str, ...]) -> str | None:
    """The visible sheet a clerk named (spaces around the name forgiven); a hidden or missing one is
    refused with the names of the sheets there are."""
    if name is None or name in names:
        return name
    found = [n for n in names if n.strip() == name.strip()]
    if len(found) == 1:
        return found[0]
    raise FileRefused(f"工作簿中没有名为“{name}”的工作表。可选的工作表：{'、'.join(names) or '（无）'}")


def iter_workbook(path: Path | str, progress=None, max_rows: int = MAX_ROWS,
                  lazy: bool = False, sheet: str | None = None) -> Iterator[SheetData]:
    """The visible sheets of an .xlsx/.xlsm/.xls/.ods file, one at a time (a caller that finds its
    sheet stops reading there); each knows the names of all of them (``sheet_names``). With
    ``sheet`` only the visible sheet of that name is read (none other is parsed); a name the
    workbook has not is refused, naming the sheets it has. With ``lazy`` a large .xlsx sheet comes
    with its first slice of rows read and the rest read by ``SheetData.read_more``. Raises FileRefused."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(f"找不到文件“{path}”。")
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        magic = fh.read(8)
    budget = [MAX_CELLS]
    if magic.startswith(b"PK"):
        package = check_package(path, max_rows)
        given = 0
        try:
            for data in _iter_calamine(path, package, progress, max_rows, budget, lazy, sheet):
                given += 1
                yield data
        except _Unreadable:
            if given or not package.sheet_parts:
                raise
            # calamine could not read it: openpyxl's reading is slower but differently forgiving
            yield from _iter_openpyxl(path, progress, max_rows, [MAX_CELLS], package, sheet)
        return
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        if os.path.getsize(path) > MAX_XLS_BYTES:
            raise FileRefused("文件超过 100 MB，已拒绝导入。")
        yield from _iter_calamine(path, None, progress, max_rows, budget, only=sheet)
        return
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise FileRefused(f"“{path.name}”不是有效的 Excel 文件，或文件已损坏。")
    if suffix == ".lrm":  # the 任免表 editor's old format (version 2.0, GB2312 text), not XML
        raise FileRefused(f"“{path.name}”是旧版任免表文件（.lrm），不能直接导入：请在任免表软件中打开，"
                          "另存为 .lrmx 文件后再导入。")
    if suffix in (".csv", ".et"):  # a department's export, or a WPS table: one 另存为 away
        raise FileRefused(f"“{path.name}”是{'WPS 表格' if suffix == '.et' else '文本（CSV）'}文件，不能直接导入："
                          "请用 Excel 或 WPS 打开，另存为 Excel 工作簿（.xlsx）后再导入。")
    raise FileRefused(f"不支持的文件类型“{suffix}”，请选择 .xlsx、.xls、.ods 或 .lrmx 文件。")


def read_workbook(path: Path | str, progress=None, max_rows: int = MAX_ROWS) -> list[SheetData]:
    """Every visible sheet of a workbook. Raises FileRefused."""
    return list(iter_workbook(path, progress, max_rows))


def excel_serial_to_date(value: float) -> _dt.date:
    return (_dt.datetime(1899, 12, 30) + _dt.timedelta(days=float(value))).date()


FORMULA_PREFIXES = ("=", "+", "-", "@")


def text_cell(ws, value):
    """A write-only cell that Excel shows as typed: text starting with = + - @ is never a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value
