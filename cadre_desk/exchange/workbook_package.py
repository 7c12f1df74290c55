"""A spreadsheet file before any of it is parsed (cadre_desk.exchange.workbooks reads it): the limits a
file is held to, FileRefused, and the check of a zip package (.xlsx/.ods).

The package is held to limits on its number of parts and sheets, its total unpacked size, the
unpacking ratio of the whole and of each part, and the cells its sheets declare; entity declarations
are refused in every XML part. The hidden columns and rows of a sheet are read from its XML here (the
package check keeps them for a sheet it read whole), and where a parser stopped is told as the cell
holding a control character."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cadre_desk.domain.errors import CadreDeskError

MAX_ROWS = 200_000  # a roster never has more; a 1,000,000-row sheet is refused
MAX_COLUMNS = 300
MAX_SHEETS = 100  # sheets a workbook may declare (a county's roster: one per unit, a few dozen)
MAX_PARTS = 1_000  # members of the zip package (an ordinary workbook has 10–40)
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # total of a package's members once unzipped
MAX_RATIO = 100  # unzipped / zipped of the whole package once it unzips past RATIO_FLOOR
RATIO_FLOOR = 16 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # unzipped / zipped of one member past MEMBER_FLOOR (ordinary sheets: 5–20)
MEMBER_FLOOR = 256 * 1024
MAX_CELLS = 12_000_000  # cells read over all sheets: 200,000 rows × 60 columns
MAX_XLS_BYTES = 100 * 1024 * 1024
PROLOG_BYTES = 64 * 1024


class FileRefused(CadreDeskError):
    """The file cannot be read (malformed, too large, or hostile). The message says why, in Chinese."""


# ---- the package, before any parsing ---------------------------------------------------------------

_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*):?([A-Z]*)(\d*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, bytes]:
    """Refuse a DOCTYPE (entity declarations live there) in an XML part; return the (rows, cells)
    a worksheet's <dimension> declares ((0, 0) when it declares none) and the bytes read (the first
    PROLOG_BYTES: all of a small part)."""
    with zf.open(info) as fh:
        head = fh.read(PROLOG_BYTES)
    text = head.decode("utf-8", "replace")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise FileRefused("文件中含有 XML 实体声明（可能是恶意构造的文件），已拒绝导入。")
    match = _DIMENSION.search(text)
    if not match or not match.group(2):
        return 0, 0, head
    first_col, first_row, last_col, last_row = match.groups()
    rows = max(int(last_row or first_row) - int(first_row) + 1, 1)
    cols = max(_column_number(last_col or first_col) - _column_number(first_col) + 1, 1) if first_col else 1
    return rows, rows * cols, head


@dataclass
class Package:
    """What the zip package holds, read without parsing any sheet."""

    sheet_parts: dict[str, str]  # sheet name → its part in the zip (xlsx only)
    sheet_rows: dict[str, int]  # part → rows its <dimension> declares
    date1904: bool = False
    # part → (hidden columns, hidden rows) of a sheet whose whole XML the prolog check read: it is
    # not unpacked a second time for them (calamine does not say)
    hidden: dict[str, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)


def refuse_size(what: str) -> FileRefused:
    return FileRefused(f"{what}，疑似压缩炸弹或恶意构造的文件，已拒绝导入。")


def check_package(path: Path, max_rows: int = MAX_ROWS) -> Package:
    """Zip sanity before any parser sees the file: parts, sheets, sizes, ratios, entity
    declarations, declared cells. Raises FileRefused."""
    name = Path(path).name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(f"“{name}”不是有效的 Excel（.xlsx）文件，或文件已损坏。") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise refuse_size(f"文件由 {len(infos):,} 个部件组成（正常的工作簿不超过几十个）")
        total = packed = 0
        names = set()
        for info in infos:
            names.add(info.filename)
            total += info.file_size
            packed += info.compress_size
            if total > MAX_UNCOMPRESSED:
                raise refuse_size("文件解压后体积过大（超过 400 MB）")
            if info.file_size > MEMBER_FLOOR and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
                raise refuse_size(f"文件中的“{info.filename}”压缩比异常")
        if total > RATIO_FLOOR and total > MAX_RATIO * max(packed, 1):
            raise refuse_size(f"文件压缩比异常（{total // max(packed, 1)} 倍）")
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            raise FileRefused(f"“{name}”不是有效的 Excel（.xlsx）文件。")
        package = _sheets_of(zf, names)
        if len(package.sheet_parts) > MAX_SHEETS:
            raise refuse_size(f"工作簿有 {len(package.sheet_parts)} 张工作表（上限 {MAX_SHEETS} 张）")
        declared_cells = 0
        sheet_parts = set(package.sheet_parts.values())
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            rows, cells, head = _check_xml_prolog(zf, info)
            if len(head) == info.file_size and info.filename in sheet_parts:
                package.hidden[info.filename] = hidden_in(head)
            if rows:
                package.sheet_rows[info.filename] = rows
                if rows > max_rows + 50:
                    raise FileRefused(f"工作表有 {rows:,} 行，超过一次导入的上限 {max_rows:,} 行，请拆分后分批导入。")
                declared_cells += cells
        if declared_cells > MAX_CELLS:
            raise refuse_size(f"工作表声明了 {declared_cells:,} 个单元格（上限 {MAX_CELLS:,} 个）")
    return package


def _sheets_of(zf: zipfile.ZipFile, names: set[str]) -> Package:
    """Sheet names → parts, from xl/workbook.xml and its relationships (no sheet is parsed)."""
    if "xl/workbook.xml" not in names:
        return Package({}, {})
    workbook = zf.read("xl/workbook.xml")
    if len(workbook) > 4 * 1024 * 1024:
        raise refuse_size("工作簿目录（workbook.xml）体积异常")
    targets: dict[bytes, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", zf.read("xl/_rels/workbook.xml.rels")):
            attrs = dict(_ATTR.findall(tag))
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            if target:
                part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                targets[attrs.get(b"Id", b"")] = os.path.normpath(part).replace("\\", "/")
    parts: dict[str, str] = {}
    for tag in _SHEET_TAG.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        sheet_name = _unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        parts[sheet_name] = targets.get(rid, "")
    date1904 = bool(re.search(rb'date1904="(?:1|true)"', workbook))
    return Package(parts, {p: 0 for p in parts.values() if p}, date1904)


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


# ---- hidden columns and rows in sheet XML ---------------------------------------------------------

_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\shidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')


def hidden_columns(head: bytes) -> frozenset[int]:
    """The 0-based columns a sheet's <cols> (in the XML before its rows) hides, up to MAX_COLUMNS."""
    if b'hidden="' not in head:
        return frozenset()
    out: set[int] = set()
    for tag in _COL_TAG.findall(head):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
            low = int(attrs[b"min"])
            high = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else low
            out.update(range(low - 1, min(high, MAX_COLUMNS)))
    return frozenset(out)


def add_hidden_rows(xml: bytes, into: set[int]) -> None:
    """The numbers of the rows some sheet XML hides, added to ``into`` (one search when there are none)."""
    # each hidden="…" found by a plain search and its tag looked at: a pattern tried at every tag
    # took a sixth of a 100,000-row sheet's read
    at = xml.find(b'hidden="')
    while at >= 0:
        tag = xml[xml.rfind(b"<", 0, at):at + 16]
        if _HIDDEN_ROW.match(tag):
            number = _ROW_NUMBER.search(tag)
            if number:
                into.add(int(number.group(1)))
        at = xml.find(b'hidden="', at + 8)


def hidden_in(xml: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """(hidden columns, hidden rows) of a sheet's whole XML."""
    rows_at = SHEET_DATA.search(xml)
    rows: set[int] = set()
    add_hidden_rows(xml, rows)
    return hidden_columns(xml[:rows_at.start()] if rows_at else xml), frozenset(rows)


SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")


# ---- where a parser stopped: the bad character -------------------------------------------------

_CELL_OPEN = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"')


def locate_bad_character(path: Path, position, sheet_title: str | None) -> str:
    """Where the parser stopped ((line, column) of a part) as “工作表“X”的 D5 单元格”, or ""."""
    line, column = position
    with zipfile.ZipFile(path) as zf:
        package = _sheets_of(zf, set(zf.namelist()))
        candidates = [(sheet_title, package.sheet_parts.get(sheet_title or ""))] if sheet_title else []
        candidates += list(package.sheet_parts.items())
        for title, part in candidates:
            if not part:
                continue
            data = zf.read(part)
            offset = _offset_of(data, line, column)
            if offset is None or not _bad_char_near(data, offset):
                continue
            cells = list(_CELL_OPEN.finditer(data, 0, offset))
            if cells:
                return f"工作表“{title}”的 {cells[-1].group(1).decode()} 单元格"
        if "xl/sharedStrings.xml" in zf.namelist():
            strings = zf.read("xl/sharedStrings.xml")
            offset = _offset_of(strings, line, column)
            if offset is not None and _bad_char_near(strings, offset):
                index = len(re.findall(rb"<(?:\w+:)?si\b", strings[:offset])) - 1
                for title, part in package.sheet_parts.items():
                    if not part:
                        continue
                    pattern = rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>%d<' % index
                    found = re.search(pattern, zf.read(part))
                    if found:
                        return f"工作表“{title}”的 {found.group(1).decode()} 单元格"
    return ""


def _offset_of(data: bytes, line: int, column: int) -> int | None:
    """The byte offset of expat's (line, column); its column counts characters, not bytes."""
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    end = data.find(b"\n", start)
    text = data[start:end if end >= 0 else len(data)].decode("utf-8", "replace")
    return start + len(text[:column].encode("utf-8"))


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")


def _bad_char_near(data: bytes, offset: int) -> bool:
    """A control character (raw, or written as &#1;) where the parser stopped."""
    window = data[max(0, offset - 16):offset + 16]
    if _CONTROL_BYTES.search(window):
        return True
    for ref in _CHAR_REF.findall(window):
        code = int(ref[1:], 16) if ref[:1] == b"x" else int(ref)
        if code < 32 and code not in (9, 10, 13):
            return True
    return False
