"""Reading spreadsheets safely: .xlsx (openpyxl read-only) and .xls (xlrd), refusing hostile or
oversized files with a Chinese message before they exhaust memory.

openpyxl and xlrd are imported lazily: they cost start-up time and are only needed here."""

from __future__ import annotations

import datetime as _dt
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cadre_desk.domain.errors import CadreDeskError

MAX_ROWS = 200_000  # a roster never has more; a 1,000,000-row sheet is refused
MAX_COLUMNS = 300
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # total of an .xlsx's members once unzipped
MAX_MEMBER_RATIO = 200  # unzipped / zipped of one member (ordinary sheets: 5–20)
MAX_XLS_BYTES = 100 * 1024 * 1024
_PROLOG_BYTES = 64 * 1024


class FileRefused(CadreDeskError):
    """The file cannot be read (malformed, too large, or hostile). The message says why, in Chinese."""


@dataclass
class SheetData:
    """The cells of one sheet as value tuples; row numbers are 1-based as the user sees them."""

    name: str
    rows: list[tuple]
    first_row: int = 1


_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="[A-Z]*(\d*):?[A-Z]*(\d*)"')


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int | None:
    """Refuse a DOCTYPE (entity declarations live there) in any XML part of the package; return
    the row count a worksheet's <dimension> declares (read here: openpyxl would scan the sheet)."""
    with zf.open(info) as fh:
        head = fh.read(_PROLOG_BYTES)
    text = head.decode("utf-8", "replace")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise FileRefused("文件中含有 XML 实体声明（可能是恶意构造的文件），已拒绝导入。")
    match = _DIMENSION.search(text)
    if match and match.group(1):
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        return last - first + 1
    return None


def check_xlsx(path: Path, max_rows: int = MAX_ROWS) -> None:
    """Zip sanity before openpyxl sees the file: sizes, ratios, entity declarations."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileRefused(f"“{Path(path).name}”不是有效的 Excel（.xlsx）文件，或文件已损坏。") from None
    with zf:
        total = 0
        names = set()
        for info in zf.infolist():
            names.add(info.filename)
            total += info.file_size
            if total > MAX_UNCOMPRESSED:
                raise FileRefused("文件解压后体积过大（超过 400 MB），疑似压缩炸弹，已拒绝导入。")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
                raise FileRefused(f"文件中的“{info.filename}”压缩比异常（疑似压缩炸弹），已拒绝导入。")
        if "[Content_Types].xml" not in names:
            raise FileRefused(f"“{Path(path).name}”不是有效的 Excel（.xlsx）文件。")
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                declared = _check_xml_prolog(zf, info)
                if declared is not None and declared > max_rows + 50:
                    raise FileRefused(f"工作表有 {declared:,} 行，超过一次导入的上限 {max_rows:,} 行，"
                                      "请拆分后分批导入。")


def _trim(row: tuple) -> tuple:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end] if end < len(row) else row


class _Interner:
    """Repeated short strings (units, genders, codes) stored once: a 100k-row file fits in memory."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def row(self, row: tuple) -> tuple:
        cache = self.cache
        out = []
        for value in row:
            if value.__class__ is str and len(value) <= 24:
                value = cache.setdefault(value, value)
            out.append(value)
        return tuple(out)


def read_xlsx(path: Path, progress=None, max_rows: int = MAX_ROWS) -> list[SheetData]:
    check_xlsx(path, max_rows)
    import openpyxl

    # opened as a stream: openpyxl judges a path by its extension, and an .xlsx renamed to .xls
    # (common with files passed around) is still an .xlsx by its content
    stream = open(path, "rb")  # noqa: SIM115 - closed below, after the read-only workbook
    try:
        wb = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - anything openpyxl rejects is a damaged file
        stream.close()
        raise FileRefused(f"无法读取“{Path(path).name}”：文件已损坏或不是 Excel 文件。") from None
    sheets: list[SheetData] = []
    interner = _Interner()
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            declared = None
            rows: list[tuple] = []
            for n, row in enumerate(ws.iter_rows(values_only=True), 1):
                if n > max_rows + 50:
                    raise FileRefused(f"工作表“{ws.title}”超过一次导入的上限 {max_rows:,} 行，请拆分后分批导入。")
                if len(row) > MAX_COLUMNS:
                    row = row[:MAX_COLUMNS]
                rows.append(interner.row(_trim(row)))
                if progress is not None and n % 2000 == 0:
                    progress.report(n, declared or 0, f"正在读取第 {n:,} 行…")
            sheets.append(SheetData(ws.title, rows))
    finally:
        wb.close()
        stream.close()
    return sheets


def _password_protected(path: Path, exc: Exception) -> bool:
    """A password-protected .xlsx is an OLE file holding an EncryptedPackage stream (xlrd then says
    it finds no workbook); a protected .xls makes xlrd say "Workbook is encrypted"."""
    if "encrypted" in str(exc).lower():
        return True
    with open(path, "rb") as fh:
        return "EncryptedPackage".encode("utf-16-le") in fh.read()


def read_xls(path: Path, progress=None, max_rows: int = MAX_ROWS) -> list[SheetData]:
    if os.path.getsize(path) > MAX_XLS_BYTES:
        raise FileRefused("文件超过 100 MB，已拒绝导入。")
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=False)
    except Exception as exc:  # noqa: BLE001
        if _password_protected(path, exc):
            raise FileRefused(f"“{Path(path).name}”设有打开密码，无法读取。请在 Excel 或 WPS 中打开它，取消密码"
                              "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存，再导入。") from None
        raise FileRefused(f"无法读取“{Path(path).name}”：文件已损坏或不是 Excel 97-2003（.xls）文件。"
                          "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。") from None
    sheets = []
    interner = _Interner()
    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            if getattr(sh, "visibility", 0):
                continue
            if sh.nrows > max_rows + 50:
                raise FileRefused(f"工作表“{sh.name}”有 {sh.nrows:,} 行，超过一次导入的上限 {max_rows:,} 行。")
            rows = []
            for r in range(sh.nrows):
                values = []
                for c in range(min(sh.ncols, MAX_COLUMNS)):
                    cell = sh.cell(r, c)
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate_as_datetime(value, book.datemode)
                        except Exception:  # noqa: BLE001 - leave the number
                            pass
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = None
                    values.append(value)
                rows.append(interner.row(_trim(tuple(values))))
                if progress is not None and r % 2000 == 0:
                    progress.report(r, sh.nrows, f"正在读取第 {r:,} 行…")
            # xlrd gives merged header cells only in their top-left: fill across for header joining
            sheets.append(SheetData(sh.name, rows))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def read_workbook(path: Path | str, progress=None, max_rows: int = MAX_ROWS) -> list[SheetData]:
    """Every visible sheet of an .xlsx/.xlsm or .xls file. Raises FileRefused."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(f"找不到文件“{path}”。")
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK"):
        return read_xlsx(path, progress, max_rows)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return read_xls(path, progress, max_rows)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise FileRefused(f"“{path.name}”不是有效的 Excel 文件，或文件已损坏。")
    raise FileRefused(f"不支持的文件类型“{suffix}”，请选择 .xlsx、.xls 或 .lrmx 文件。")


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
