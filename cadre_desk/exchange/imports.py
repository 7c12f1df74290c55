"""Importing rosters (.xlsx/.xls), annual appraisal results, training lists and .lrmx files.

Two steps, so the window can show a preview: ``analyze`` reads the file, finds the header, maps
columns through the field registry and checks every row (problems, suggestions, duplicates);
``commit`` writes the chosen rows in ONE transaction (all or nothing) with a single audit row."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadre_desk.access import permissions
from cadre_desk.appraisal.sheets import FileRefused, SheetData, excel_serial_to_date, read_workbook
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import format_moment, normalize_digits
from cadre_desk.domain.errors import ValidationError, os_error_text
from cadre_desk.domain.fields import ASSESSMENTS, BY_KEY, FIELDS, TRAININGS, header_index, normalize_header
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.domain.validation import clean_records, validate_profile_values
from cadre_desk.profiles.cadres import AssessmentItem, CadreProfile, TrainingItem
from cadre_desk.security import audit

ROSTER, ASSESSMENT, TRAINING, LRMX = "roster", "assessment", "training", "lrmx"
KIND_LABELS = {ROSTER: "干部名册", ASSESSMENT: "年度考核结果", TRAINING: "培训记录", LRMX: "任免表（LRMX）"}
INSERT, UPDATE, SKIP = "insert", "update", "skip"
ACTION_LABELS = {INSERT: "新增", UPDATE: "更新已有", SKIP: "跳过"}

# Columns that are not profile fields: a year of 年度考核, or a training record's parts.
YEAR_PREFIX = "year:"
TRAINING_PREFIX = "train:"
TRAINING_TARGETS = {f"{TRAINING_PREFIX}{spec.key}": spec for spec in TRAININGS.fields if spec.form}
_TRAINING_INDEX = {normalize_header(h): key for key, spec in TRAINING_TARGETS.items() for h in spec.headers}
_YEAR = re.compile(r"((?:19|20)\d{2})(?:年度|年)?(?:考核结果|考核等次|考核情况|考核)?")
_NOTE_START = ("注", "说明", "填表", "备注：", "提示")
_HEADER_SCAN_ROWS = 30
MAPPINGS_KEY = "import.mappings"


def target_label(target: str | None) -> str:
    if not target:
        return "（不导入）"
    if target.startswith(YEAR_PREFIX):
        return f"{target[len(YEAR_PREFIX):]}年度{ASSESSMENTS.field('result').label}"
    if target in TRAINING_TARGETS:
        return TRAININGS.qualified_label(TRAINING_TARGETS[target])
    return BY_KEY[target].label


def all_targets() -> list[str]:
    """Every target a column may be mapped to (for the preview's combo boxes)."""
    years = [f"{YEAR_PREFIX}{y}" for y in range(clock.today().year, 2009, -1)]
    return [spec.key for spec in FIELDS] + years + list(TRAINING_TARGETS)


def resolve_header(text: object) -> str | None:
    """A header cell → the target it means, or None."""
    header = normalize_header(text)
    if not header:
        return None
    index = _header_index()
    for candidate in (header, re.sub(r"\([^()]*\)$", "", header)):
        if candidate in index:
            return index[candidate].key
        if candidate in _TRAINING_INDEX:
            return _TRAINING_INDEX[candidate]
        match = _YEAR.fullmatch(candidate)
        if match:
            return f"{YEAR_PREFIX}{match.group(1)}"
    return None


_INDEX_CACHE: dict[str, Any] = {}


def _header_index():
    if "index" not in _INDEX_CACHE:
        _INDEX_CACHE["index"] = header_index()
    return _INDEX_CACHE["index"]


# ---- plan ----------------------------------------------------------------------------------------


@dataclass
class ColumnMap:
    index: int  # 0-based column
    header: str  # as found (joined for two-row headers)
    target: str | None  # field key, "year:2018", "train:…", or None (not imported)
    auto: bool = True


@dataclass(slots=True)
class ImportRow:
    line: int  # the sheet's row number, or the file's position for LRMX
    source: str = ""
    cells: tuple = ()  # the sheet row (shared with the sheet data, not copied)
    mapping: tuple = ()  # ((column index, target), …), one tuple shared by every row
    values: dict[str, Any] = field(default_factory=dict)  # clean, non-empty registry values
    profile: CadreProfile | None = None  # LRMX: the whole profile (sub-records, photo)
    assessments: list[AssessmentItem] = field(default_factory=list)
    trainings: list[TrainingItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)  # field → suggested code-table name
    duplicate_id: int | None = None
    duplicate_reason: str = ""
    target_id: int | None = None  # existing cadre the row belongs to (appraisal/training rows)
    new_unit: str = ""  # unit to create at commit
    action: str = INSERT
    fixed_raw: dict[str, Any] | None = None  # LRMX rows have no cells
    insert_problems: list[str] = field(default_factory=list)  # why a duplicate cannot be a new profile

    @property
    def raw(self) -> dict[str, Any]:
        """target → raw cell value, for the mapped, non-empty cells (built on demand: 100k rows fit)."""
        if self.fixed_raw is not None:
            return self.fixed_raw
        cells = self.cells
        size = len(cells)
        return {target: cells[i] for i, target in self.mapping if i < size and cells[i] not in (None, "")}

    @property
    def name(self) -> str:
        return str(self.values.get("name") or self.raw.get("name") or "")

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportOptions:
    accept_suggestions: bool = False  # 汉 → 汉族 when the code table has one close name
    create_units: bool = False  # unknown unit names become new units under the root
    default_unit_id: int | None = None  # for rows without a unit (and LRMX files)
    duplicate_action: str = SKIP  # skip or update rows that match an existing cadre


@dataclass
class ImportPlan:
    path: str
    kind: str
    sheet: str = ""
    header_rows: tuple[int, ...] = ()
    columns: list[ColumnMap] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why (notes blocks, headers)
    data: SheetData | None = field(default=None, repr=False)
    files: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    def counts(self) -> dict[str, int]:
        chosen = [r for r in self.rows if r.action != SKIP]
        return {
            "total": len(self.rows),
            "ok": sum(1 for r in chosen if r.ok),
            "problems": sum(1 for r in self.rows if r.problems),
            "duplicates": sum(1 for r in self.rows if r.duplicate_id is not None),
            "skipped": sum(1 for r in self.rows if r.action == SKIP),
        }


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    skipped: int
    rejected: int
    ids: tuple[int, ...] = ()
    backup: Path | None = None  # the backup made just before the import wrote anything


# ---- header detection ------------------------------------------------------------------------------


def _cells(row: tuple, width: int) -> list[str]:
    return [("" if v is None else str(v)).strip() for v in row] + [""] * (width - len(row))


def _join_two_rows(top: tuple, bottom: tuple) -> list[str]:
    """Two header rows with merged group cells: 全日制教育 over 学历 | 学位 | … → 全日制教育学历 …"""
    width = max(len(top), len(bottom))
    upper, lower = _cells(top, width), _cells(bottom, width)
    out, group = [], ""
    for up, low in zip(upper, lower, strict=True):
        if up:
            group = up if low else ""
            out.append(up + low)
        elif low:
            out.append(group + low)
        else:
            out.append("")
            group = ""
    return out


def _score(headers: list[str]) -> int:
    targets = {resolve_header(h) for h in headers if h}
    targets.discard(None)
    return len(targets) + (2 if "name" in targets else 0)


def detect_header(rows: list[tuple]) -> tuple[int, int, list[str]]:
    """(first header row index, number of header rows (1 or 2), header texts)."""
    best = (0, -1, 1, [])
    for r in range(min(_HEADER_SCAN_ROWS, len(rows))):
        row = rows[r]
        if not any(v not in (None, "") for v in row):
            continue
        single = _cells(row, len(row))
        candidates = [(_score(single), 1, single)]
        if r + 1 < len(rows):
            joined = _join_two_rows(row, rows[r + 1])
            candidates.append((_score(joined), 2, joined))
        for score, count, headers in candidates:
            if score > best[0]:
                best = (score, r, count, headers)
    if best[0] < 3:  # at least 姓名 and one more column
        raise FileRefused("没有找到表头：表格前 30 行中没有“姓名”等可识别的列名。请检查文件，或确认第一张工作表就是名册。")
    return best[1], best[2], best[3]


def _map_columns(headers: list[str]) -> list[ColumnMap]:
    used: set[str] = set()
    columns = []
    for i, header in enumerate(headers):
        if not header:
            continue
        target = resolve_header(header)
        if target in used:
            target = None
        if target:
            used.add(target)
        columns.append(ColumnMap(i, header, target))
    return columns


def _detect_kind(columns: list[ColumnMap]) -> str:
    targets = {c.target for c in columns if c.target}
    if f"{TRAINING_PREFIX}name" in targets:
        return TRAINING
    profile_keys = targets - {"name", "id_number", "position", "unit", "remarks", "rank"}
    profile_keys = {t for t in profile_keys if not t.startswith(YEAR_PREFIX)}
    if any(t.startswith(YEAR_PREFIX) for t in targets) and not profile_keys:
        return ASSESSMENT
    return ROSTER


# ---- reading ---------------------------------------------------------------------------------------


def analyze(path: str | Path, options: ImportOptions | None = None, progress: Progress = NO_PROGRESS,
            mapping: dict[int, str | None] | None = None) -> ImportPlan:
    """Read an Excel file (or an .lrmx file / a folder of them) and check every row. Raises FileRefused."""
    path = Path(path)
    options = options or ImportOptions()
    if path.is_dir() or path.suffix.lower() == ".lrmx":
        return analyze_lrmx(path, options, progress)
    with _bulk_allocation():
        return _analyze_sheet(path, options, progress, mapping)


@contextlib.contextmanager
def _bulk_allocation():
    """No cyclic GC passes while hundreds of thousands of rows are built (none of them are cycles):
    a 100k-row import runs ~20 % faster. Re-enabled afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze_sheet(path: Path, options: ImportOptions, progress: Progress,
                   mapping: dict[int, str | None] | None) -> ImportPlan:
    progress.report(0, 0, f"正在读取 {path.name} …")
    sheets = read_workbook(path, progress)
    chosen = None
    for sheet in sheets:
        try:
            detect_header(sheet.rows)
        except FileRefused:
            continue
        chosen = sheet
        break
    if chosen is None:
        if not sheets or not any(s.rows for s in sheets):
            raise FileRefused(f"“{path.name}”中没有数据。")
        detect_header(sheets[0].rows)  # raises the message
    plan = ImportPlan(str(path), ROSTER, sheet=chosen.name, data=chosen)
    start, count, headers = detect_header(chosen.rows)
    plan.header_rows = tuple(range(start + 1, start + count + 1))
    plan.columns = _map_columns(headers)
    if mapping:
        set_mapping(plan, mapping, options, progress, recheck=False)
    plan.kind = _detect_kind(plan.columns)
    build_rows(plan, progress)
    evaluate(plan, options, progress)
    return plan


def set_mapping(plan: ImportPlan, mapping: dict[int, str | None], options: ImportOptions | None = None,
                progress: Progress = NO_PROGRESS, recheck: bool = True) -> None:
    """Override the automatic mapping: column index → target (None = not imported); re-checks rows."""
    for column in plan.columns:
        if column.index in mapping:
            column.target = mapping[column.index]
            column.auto = False
    seen: set[str] = set()
    for column in plan.columns:  # one column per target: the first wins
        if column.target in seen:
            column.target = None
        elif column.target:
            seen.add(column.target)
    if recheck:
        plan.kind = _detect_kind(plan.columns)
        build_rows(plan, progress)
        evaluate(plan, options or ImportOptions(), progress)


def _is_note(row: tuple, name_value: object) -> bool:
    values = [v for v in row if v not in (None, "")]
    if not values or name_value not in (None, ""):
        return False
    text = str(values[0]).strip()
    return len(values) <= 2 and (len(text) > 30 or text.startswith(_NOTE_START) or "\n" in text)


def build_rows(plan: ImportPlan, progress: Progress = NO_PROGRESS) -> None:
    """Raw rows from the sheet data below the header: notes blocks, blank and repeated headers skipped."""
    data = plan.data
    assert data is not None
    first_data = plan.header_rows[-1]  # 1-based last header row == 0-based first data row
    mapping = tuple((c.index, c.target) for c in plan.columns if c.target)
    header_texts = {normalize_header(c.header) for c in plan.columns}
    name_col = next((c.index for c in plan.columns if c.target == "name"), None)
    rows: list[ImportRow] = []
    notes = repeats = 0
    total = len(data.rows)
    for r in range(first_data, total):
        row = data.rows[r]
        if not row or all(v in (None, "") for v in row):
            continue
        name_value = row[name_col] if name_col is not None and name_col < len(row) else None
        if _is_note(row, name_value):
            notes += 1
            continue
        if name_value.__class__ is str and normalize_header(name_value) in header_texts:
            present = [normalize_header(v) for v in row if v not in (None, "")]
            if sum(1 for v in present if v in header_texts) >= max(2, len(present) // 2 + 1):
                repeats += 1
                continue
        rows.append(ImportRow(line=r + 1, source=data.name, cells=row, mapping=mapping))
        if r % 5000 == 0:
            progress.report(r, total, f"正在分析第 {r:,} 行…")
    plan.rows = rows
    plan.notes = []
    if notes:
        plan.notes.append(f"跳过 {notes} 处说明文字（填表须知等）")
    if repeats:
        plan.notes.append(f"跳过 {repeats} 行重复的表头")
    unmapped = [c.header for c in plan.columns if not c.target]
    if unmapped:
        plan.notes.append("未导入的列：" + "、".join(unmapped))


# ---- value normalization ---------------------------------------------------------------------------


def normalize_cell(kind: str, value: Any) -> Any:
    """A spreadsheet cell → the text the validators expect (dates, numbers, full-width digits)."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if kind == "date":
        if isinstance(value, _dt.date):
            return value.strftime("%Y%m%d") if value.day != 1 else value.strftime("%Y%m")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and 10000 <= value <= 80000:  # an Excel serial date
                day = excel_serial_to_date(value)
                return day.strftime("%Y%m%d") if day.day != 1 else day.strftime("%Y%m")
            return float(value) if not float(value).is_integer() else str(int(value))
        return normalize_digits(str(value)).strip()
    if isinstance(value, _dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if kind in ("id_number", "phone", "party"):
        text = normalize_digits(text)
    return text.strip() if kind != "longtext" else text.strip()


def clean_name(value: Any) -> str:
    """A name cell as the person is called: rosters pad two-character names to line them up
    (张  三, 张\u3000三), which is not part of the name. Names in Latin letters keep their spaces."""
    text = normalize_cell("text", value)
    if any(ch.isspace() for ch in text) and not re.search(r"[A-Za-z]", text):
        text = "".join(text.split())
    return text


class _Lookup:
    """Existing cadres and units, loaded once per analysis."""

    def __init__(self) -> None:
        from cadre_desk.store.models import Cadre
        from cadre_desk.units import units

        self.by_id_number: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, str], int] = {}
        self.by_name: dict[str, list[int]] = {}
        for cid, name, birth, number in Cadre.select(Cadre.id, Cadre.name, Cadre.birth, Cadre.id_number).tuples():
            if number:
                self.by_id_number[number] = cid
            if birth:
                self.by_name_birth[(name, birth[:6])] = cid
            self.by_name.setdefault(name, []).append(cid)
        self.units: dict[str, int | None] = {}
        paths = units.path_names()
        short: dict[str, list[int]] = {}
        for uid, full in paths.items():
            self.units["".join(full.split())] = uid
            leaf = "".join(full.split("/")[-1].split())
            short.setdefault(leaf, []).append(uid)
        for name, ids in short.items():
            self.units.setdefault(name, ids[0] if len(ids) == 1 else None)
        self.unit_paths = paths

    def unit(self, text: str) -> tuple[int | None, str]:
        """(unit id, '' ) or (None, problem)."""
        key = "".join(str(text).split()).replace("／", "/")
        if key in self.units:
            uid = self.units[key]
            return (uid, "") if uid is not None else (None, f"单位“{text}”有多个同名单位，请写出上级单位（如 市直机关/{text}）")
        return None, f"单位“{text}”在系统中不存在"


def _clean_code_suggestion(spec, text: str) -> str | None:
    tbl = codes.table(spec.code_table)
    if not text or tbl.has_code(text) or tbl.code(text) is not None:
        return None
    return tbl.suggest(text)


def evaluate(plan: ImportPlan, options: ImportOptions, progress: Progress = NO_PROGRESS) -> None:
    """Check every row: values, unit, suggestions, duplicates (in the database and within the file)."""
    lookup = _Lookup()
    seen_numbers: dict[str, int] = {}
    seen_name_birth: dict[tuple[str, str], int] = {}
    total = len(plan.rows)
    for n, row in enumerate(plan.rows):
        if n % 2000 == 0:
            progress.report(n, total, f"正在检查第 {n:,} / {total:,} 行…")
        row.problems, row.warnings, row.suggestions = [], [], {}
        row.duplicate_id, row.duplicate_reason, row.target_id, row.new_unit = None, "", None, ""
        row.assessments, row.insert_problems = [], []
        if plan.kind == LRMX:
            _evaluate_lrmx_row(row, lookup, options)
        elif plan.kind == ROSTER:
            _evaluate_roster_row(row, lookup, options)
        else:
            _evaluate_attached_row(plan.kind, row, lookup)
        if plan.kind in (ROSTER, LRMX) and not row.problems:
            number = row.values.get("id_number")
            key = (row.values.get("name", ""), str(row.values.get("birth") or "")[:6])
            if number and number in seen_numbers:
                row.problems.append(f"与第 {seen_numbers[number]} 行身份证号相同")
            elif key[1] and key in seen_name_birth and not number:
                row.problems.append(f"与第 {seen_name_birth[key]} 行姓名、出生年月相同")
            if number:
                seen_numbers.setdefault(number, row.line)
            if key[1]:
                seen_name_birth.setdefault(key, row.line)
        if plan.kind in (ROSTER, LRMX):
            row.action = options.duplicate_action if row.duplicate_id is not None else INSERT
        else:
            row.action = UPDATE


def _find_duplicate(row: ImportRow, lookup: _Lookup) -> None:
    values = row.values
    number = values.get("id_number")
    if number and number in lookup.by_id_number:
        row.duplicate_id, row.duplicate_reason = lookup.by_id_number[number], "身份证号相同"
        return
    birth = values.get("birth")
    birth = birth[:6] if isinstance(birth, str) else ""
    name = values.get("name") or ""
    if birth and (name, birth) in lookup.by_name_birth:
        row.duplicate_id, row.duplicate_reason = lookup.by_name_birth[(name, birth)], "姓名和出生年月相同"


def _values_from_raw(row: ImportRow, options: ImportOptions, cells: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, raw in cells.items():
        spec = BY_KEY.get(key)
        if spec is None or spec.kind == "unit":
            continue
        if spec.kind == "id_number" and isinstance(raw, float) and raw > 1e15:
            row.problems.append("身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写")
            continue
        value = clean_name(raw) if key == "name" else normalize_cell(spec.kind, raw)
        if spec.kind == "code" and isinstance(value, str):
            hint = _clean_code_suggestion(spec, value)
            if hint:
                row.suggestions[key] = hint
                if options.accept_suggestions:
                    row.warnings.append(f"{spec.label}“{value}”按“{hint}”导入")
                    value = hint
        values[key] = value
    return values


_SHORT: dict[str, str] = {}


def _validate(row: ImportRow, values: dict[str, Any]) -> None:
    try:
        clean, warnings = validate_profile_values(values)
        compact = {}
        for key, value in clean.items():
            if value in ("", None):
                continue
            original = values.get(key)
            # keep the cell's own string when cleaning did not change it: one copy per value in memory
            if original is not value and original == value:
                value = original
            elif value.__class__ is str and len(value) <= 8:  # dates and codes: few distinct values
                value = _SHORT.setdefault(value, value)
            compact[key] = value
        row.values = compact
        row.warnings.extend(warnings.values())
    except ValidationError as exc:
        row.values = {k: v for k, v in values.items()}
        row.problems.extend(msg for key, msg in exc.errors.items() if key != "unit" or not row.problems)
        row.warnings.extend(exc.warnings.values())


def _resolve_unit(row: ImportRow, lookup: _Lookup, options: ImportOptions, text: Any) -> int | None:
    text = normalize_cell("text", text)
    if not text:
        if options.default_unit_id:
            return options.default_unit_id
        row.problems.append("请填写单位（或在导入选项中指定默认单位）")
        return None
    uid, problem = lookup.unit(text)
    if uid is not None:
        return uid
    if options.create_units and "多个同名" not in problem:
        row.new_unit = text
        row.warnings.append(f"将新建单位“{text}”")
        return None
    row.problems.append(problem + ("" if "多个同名" in problem else "；可在导入选项中选择自动新建单位"))
    return None


def _evaluate_roster_row(row: ImportRow, lookup: _Lookup, options: ImportOptions) -> None:
    cells = row.raw
    if not normalize_cell("text", cells.get("name")):
        row.problems.append("姓名为空（空岗位或空行），不导入")
        row.values = {}
        return
    values = _values_from_raw(row, options, cells)
    year_problems = _assessments_from_raw(row, cells) if any(k.startswith(YEAR_PREFIX) for k in cells) else []
    values.setdefault("status", "1")
    unit_id = _resolve_unit(row, lookup, options, cells.get("unit"))
    values["unit"] = unit_id if unit_id is not None else (1 if row.new_unit else None)
    _validate(row, values)
    if row.new_unit:
        row.values["unit"] = None
    row.problems.extend(year_problems)
    _find_duplicate(row, lookup)
    if row.duplicate_id is None and not row.values.get("birth") and not row.values.get("id_number"):
        same = lookup.by_name.get(row.values.get("name", ""), [])
        if len(same) == 1:
            row.duplicate_id, row.duplicate_reason = same[0], "同名（表中无出生年月和身份证号可比对）"
    if row.duplicate_id is not None:
        # an update only needs the columns present; required ones missing are kept from the profile
        row.insert_problems = [p for p in row.problems if p.startswith("请填写")]
        row.problems = [p for p in row.problems if not p.startswith("请填写")]


def _assessments_from_raw(row: ImportRow, cells: dict[str, Any] | None = None) -> list[str]:
    table = codes.table("ASSESSMENT")
    problems = []
    row.assessments = []
    for target, raw in (row.raw if cells is None else cells).items():
        if not target.startswith(YEAR_PREFIX):
            continue
        text = "".join(normalize_cell("text", raw).split())
        if not text or text in ("-", "—", "/", "无"):
            continue
        year = int(target[len(YEAR_PREFIX):])
        code = table.code(text) or (text if table.has_code(text) else None)
        if code is None:
            hint = table.suggest(text)
            problems.append(f"{year}年度考核结果“{text}”无效" + (f"，是否为“{hint}”？" if hint else
                            "（应为 优秀、称职、基本称职、不称职、合格、基本合格、不合格 等）"))
            continue
        row.assessments.append(AssessmentItem(year, code, "", "导入"))
    return problems


def _match_existing(row: ImportRow, lookup: _Lookup) -> None:
    name = clean_name(row.raw.get("name"))
    number = normalize_cell("id_number", row.raw.get("id_number")).upper()
    row.values = {"name": name}
    if number:
        if number in lookup.by_id_number:
            row.target_id = lookup.by_id_number[number]
            return
        row.problems.append(f"系统中没有身份证号为 {number} 的干部")
        return
    if not name:
        row.problems.append("姓名为空")
        return
    same = lookup.by_name.get(name, [])
    if not same:
        row.problems.append(f"系统中没有名为“{name}”的干部")
    elif len(same) > 1:
        row.problems.append(f"系统中有 {len(same)} 名“{name}”，请在表中加上身份证号以区分")
    else:
        row.target_id = same[0]


def _evaluate_attached_row(kind: str, row: ImportRow, lookup: _Lookup) -> None:
    _match_existing(row, lookup)
    if kind == ASSESSMENT:
        row.problems.extend(_assessments_from_raw(row))
        if not row.assessments and not row.problems:
            row.problems.append("没有任何年度的考核结果")
        return
    raw = row.raw
    item = TRAININGS.item(**{spec.key: normalize_cell(spec.kind, raw.get(target))
                             for target, spec in TRAINING_TARGETS.items()})
    errors: dict[str, str] = {}
    row.trainings, _warnings = clean_records(TRAININGS, [item], errors, where=lambda _i: "")
    row.problems.extend(errors.values())
    if not row.trainings:
        row.problems.append(f"请填写{TRAININGS.field('name').label}")


def _evaluate_lrmx_row(row: ImportRow, lookup: _Lookup, options: ImportOptions) -> None:
    from cadre_desk.profiles import cadres

    profile = row.profile
    if profile is None:
        return
    values = dict(profile.values)
    for key in ("gender", "ethnicity", "health", "ft_education", "ft_degree", "pt_education", "pt_degree"):
        spec = BY_KEY[key]
        value = values.get(key) or ""
        hint = _clean_code_suggestion(spec, value)
        if hint:
            row.suggestions[key] = hint
            if options.accept_suggestions:
                values[key] = hint
    if not values.get("unit"):
        values["unit"] = _unit_from_position(values.get("position") or "", lookup) or options.default_unit_id
    if not values.get("name"):
        row.problems.append("任免表中没有姓名（空白任免表）")
    if not values.get("unit"):
        row.problems.append("无法从现任职务判断单位，请在导入选项中指定默认单位")
    row.fixed_raw = {"name": values.get("name", "")}
    _validate(row, values)
    row.problems = list(dict.fromkeys(row.problems))
    check = dataclasses.replace(profile, values=row.values)
    errors: dict[str, str] = {}
    clean, warns = cadres.validate_subrecords(check, errors)
    row.problems.extend(errors.values())
    row.warnings.extend(warns.values())
    for key, rows in clean.items():
        setattr(profile, key, rows)
    if row.values.get("name"):
        _find_duplicate(row, lookup)


def _unit_from_position(position: str, lookup: _Lookup) -> int | None:
    """The unit whose name starts 现任职务 (东城区青山镇武装部长 → 东城区/青山镇), longest name first."""
    if not hasattr(lookup, "position_names"):
        names: dict[str, int | None] = {}
        for uid, full in lookup.unit_paths.items():
            parts = ["".join(p.split()) for p in full.split("/")]
            for k in range(len(parts)):
                key = "".join(parts[k:])
                names[key] = uid if names.get(key, uid) == uid else None
        lookup.position_names = sorted(((k, v) for k, v in names.items() if v is not None),
                                       key=lambda kv: -len(kv[0]))
    text = "".join(position.split())
    for name, uid in lookup.position_names:
        if text.startswith(name):
            return uid
    return None


def analyze_lrmx(path: Path | list, options: ImportOptions | None = None,
                 progress: Progress = NO_PROGRESS) -> ImportPlan:
    """One .lrmx file, several, or every .lrmx in a folder; an unreadable file among several is a
    row with its problem."""
    from cadre_desk.exchange import lrmx_format

    options = options or ImportOptions()
    if isinstance(path, (list, tuple)):
        files = [Path(p) for p in path]
        path = files[0].parent if len(files) > 1 else files[0]
    else:
        path = Path(path)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".lrmx") if path.is_dir() else [path]
    if not files:
        raise FileRefused(f"文件夹“{path}”中没有 .lrmx 文件。")
    plan = ImportPlan(str(path), LRMX, files=[str(f) for f in files])
    for n, file in enumerate(files, 1):
        progress.report(n, len(files), f"正在读取 {file.name} …")
        row = ImportRow(line=n, source=file.name)
        try:
            if file.stat().st_size > lrmx_format.MAX_LRMX_BYTES:
                raise lrmx_format.LrmxError(f"“{file.name}”超过 20 MB，不是正常的任免表文件，已拒绝导入。")
            row.profile = lrmx_format.parse(file.read_bytes(), file.name)
        except (lrmx_format.LrmxError, OSError) as exc:
            message = os_error_text(exc, file) if isinstance(exc, OSError) else str(exc)
            if len(files) == 1:
                raise FileRefused(message) from None
            row.problems.append(message)
        plan.rows.append(row)
    evaluate(plan, options, progress)
    for row in plan.rows:
        if row.profile is None and not row.problems:
            row.problems.append("无法读取")
    return plan


# ---- mapping presets -----------------------------------------------------------------------------


def saved_mappings() -> dict[str, dict[str, str | None]]:
    from cadre_desk.settings import settings

    return dict(settings.get(MAPPINGS_KEY, {}) or {})


def save_mapping(name: str, plan: ImportPlan) -> None:
    from cadre_desk.settings import settings
    from cadre_desk.store.db import write_transaction

    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写方案名称"})
    mappings = saved_mappings()
    mappings[name] = {normalize_header(c.header): c.target for c in plan.columns}
    with write_transaction():
        settings.put(MAPPINGS_KEY, mappings)


def mapping_for(plan: ImportPlan, name: str) -> dict[int, str | None]:
    saved = saved_mappings().get(name, {})
    return {c.index: saved[normalize_header(c.header)] for c in plan.columns if normalize_header(c.header) in saved}


# ---- commit ----------------------------------------------------------------------------------------


def commit(plan: ImportPlan, options: ImportOptions | None = None, progress: Progress = NO_PROGRESS, *,
           skip_invalid: bool = True, dry_run: bool = False, backup: bool = True) -> ImportResult:
    """Write the chosen rows (action insert/update) in one transaction: all of them or nothing.

    Without ``skip_invalid`` a chosen row with problems refuses the whole import. With ``backup`` the
    database is first backed up (backups.backup_before_import), so a wrong import can be undone by
    restoring it; a caller importing several files in one transaction makes that backup itself."""
    from cadre_desk.store.db import write_transaction

    options = options or ImportOptions()
    permissions.require(permissions.EDIT)
    chosen = [r for r in plan.rows if r.action != SKIP]
    for row in chosen:
        if row.action == INSERT and row.insert_problems:
            row.problems = row.problems + row.insert_problems
            row.insert_problems = []
    invalid = [r for r in chosen if r.problems]
    skipped = len(plan.rows) - len(chosen)
    if invalid and not skip_invalid:
        first = invalid[0]
        raise ValidationError({"": f"有 {len(invalid)} 行存在问题，未导入任何数据（第 {first.line} 行："
                                   f"{first.problems[0]}）"})
    rows = [r for r in chosen if not r.problems]
    if dry_run:
        return ImportResult(sum(r.action == INSERT for r in rows), sum(r.action == UPDATE for r in rows),
                            skipped, len(invalid))
    made = None
    if backup and rows:
        from cadre_desk.security import backups

        progress.report(0, 0, "正在备份数据库…")
        made = backups.backup_before_import(f"导入{KIND_LABELS[plan.kind]}")
    with write_transaction():
        unit_ids = _create_units(rows)
        inserted_ids = _insert_rows(plan, [r for r in rows if r.action == INSERT], unit_ids, progress)
        updates = [r for r in rows if r.action == UPDATE]
        updated_ids = _update_rows(plan, updates, unit_ids, progress)
        summary = (f"导入{KIND_LABELS[plan.kind]}“{plan.file_name}”：新增 {len(inserted_ids)} 人，"
                   f"更新 {len(updated_ids)} 人，跳过 {skipped} 行，有问题未导入 {len(invalid)} 行")
        audit.record(audit.IMPORT, "干部", None, summary,
                     {"文件": [None, plan.file_name], "新增": [None, len(inserted_ids)],
                      "更新": [None, len(updated_ids)]}, reason=f"从文件导入：{plan.path}")
    return ImportResult(len(inserted_ids), len(updated_ids), skipped, len(invalid),
                        tuple(inserted_ids) + tuple(updated_ids), made)


def _create_units(rows: list[ImportRow]) -> dict[str, int]:
    from cadre_desk.units import units

    created: dict[str, int] = {}
    for row in rows:
        name = row.new_unit
        if not name or name in created:
            continue
        parent_id = None
        parts = [p for p in name.replace("／", "/").split("/") if p.strip()]
        lookup_paths = {full: uid for uid, full in units.path_names().items()}
        path = ""
        for part in parts:
            path = f"{path}/{part}" if path else part
            if path in lookup_paths:
                parent_id = lookup_paths[path]
                continue
            parent_id = units.create_unit(part, parent_id).id
            lookup_paths[path] = parent_id
        created[name] = parent_id
    return created


def _insert_rows(plan: ImportPlan, rows: list[ImportRow], unit_ids: dict[str, int],
                 progress: Progress) -> list[int]:
    from cadre_desk.domain.pinyin import initials
    from cadre_desk.store.db import raw_connection
    from cadre_desk.store.models import AnnualAssessment, Cadre, CadrePhoto

    if not rows:
        return []
    conn = raw_connection()
    first_id = (Cadre.select(Cadre.id).order_by(Cadre.id.desc()).limit(1).scalar() or 0) + 1
    keys = [spec.key for spec in FIELDS]
    columns = ["id"] + [Cadre._meta.fields[k].column_name for k in keys] + [
        "name_initials", "version", "created_at", "updated_at"]
    sql = (f'INSERT INTO "{Cadre._meta.table_name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)})')
    stamp = clock.now_iso()
    ids: list[int] = []
    batch: list[tuple] = []
    total = len(rows)
    for n, row in enumerate(rows):
        values = row.values
        if row.new_unit:
            values["unit"] = unit_ids[row.new_unit]
        cadre_id = first_id + n
        ids.append(cadre_id)
        batch.append((cadre_id, *[("" if values.get(k) is None else values.get(k)) if k != "unit"
                                  else values.get("unit") for k in keys],
                      initials(values.get("name", "")), 1, stamp, stamp))
        if len(batch) >= 5000:
            conn.executemany(sql, batch)
            batch = []
            progress.report(n, total, f"正在写入第 {n:,} / {total:,} 人…")
    if batch:
        conn.executemany(sql, batch)
    assessments = [dict(cadre=cid, year=a.year, result=a.result, remark=a.remark, source=a.source or "导入")
                   for cid, row in zip(ids, rows, strict=True) for a in row.assessments]
    for start in range(0, len(assessments), 500):
        AnnualAssessment.insert_many(assessments[start:start + 500]).execute()
    # LRMX rows carry whole profiles: their sub-records go in with the profile's own writer
    from cadre_desk.profiles import cadres

    for cid, row in zip(ids, rows, strict=True):
        if row.profile is not None:
            subrecords = {"resume": row.profile.resume, "family": row.profile.family,
                          "rewards": row.profile.rewards, "trainings": row.profile.trainings,
                          "assessments": row.profile.assessments}
            cadres._write_subrecords(cid, subrecords)
            if row.profile.photo:
                CadrePhoto.insert(cadre=cid, data=row.profile.photo).execute()
    return ids


def _update_rows(plan: ImportPlan, rows: list[ImportRow], unit_ids: dict[str, int],
                 progress: Progress) -> list[int]:
    from cadre_desk.profiles import cadres

    ids = []
    for n, row in enumerate(rows):
        cadre_id = row.target_id or row.duplicate_id
        if cadre_id is None:
            continue
        profile = cadres.get_profile(cadre_id)
        if plan.kind == ROSTER:
            for key in row.raw:
                if key in BY_KEY and key in row.values:
                    profile.values[key] = row.values[key]
            if row.new_unit:
                profile.values["unit"] = unit_ids[row.new_unit]
        if plan.kind in (ROSTER, ASSESSMENT) and row.assessments:
            by_year = {a.year: a for a in profile.assessments}
            for item in row.assessments:
                by_year[item.year] = item
            profile.assessments = sorted(by_year.values(), key=lambda a: -a.year)
        if plan.kind == TRAINING:
            existing = {(t.name, t.start) for t in profile.trainings}
            profile.trainings += [t for t in row.trainings if (t.name, t.start) not in existing]
        if plan.kind == LRMX and row.profile is not None:
            new = row.profile
            unit = profile.values.get("unit")
            profile.values.update({k: v for k, v in row.values.items() if k != "unit"})
            profile.values["unit"] = unit
            profile.resume, profile.family, profile.rewards = new.resume, new.family, new.rewards
            if new.assessments:
                profile.assessments = new.assessments
            if new.photo:
                profile.photo = new.photo
        try:
            cadres.save_profile(profile)
        except ValidationError as exc:
            raise ValidationError({"": f"第 {row.line} 行（{row.name}）更新失败：{exc}"}) from None
        ids.append(cadre_id)
        if n % 200 == 0:
            progress.report(n, len(rows), f"正在更新第 {n:,} / {len(rows):,} 人…")
    return ids


# ---- problem report ---------------------------------------------------------------------------------


def save_problem_report(plan: ImportPlan, path: str | Path) -> Path:
    """The rows with problems, warnings or duplicates as an .xlsx the clerk can work through."""
    import openpyxl
    from openpyxl.styles import Font

    from cadre_desk.store.files import atomic_path

    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("导入问题")
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 70
    ws.column_dimensions["E"].width = 40
    ws.column_dimensions["F"].width = 30
    from openpyxl.cell import WriteOnlyCell

    from cadre_desk.appraisal.sheets import text_cell

    header = []
    for text in ("行号", "姓名", "处理", "问题", "提示", "重复"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append([f"导入问题报告：{plan.file_name}（{format_moment(clock.now())}）"])
    ws.append(header)
    for row in plan.rows:
        if not (row.problems or row.warnings or row.duplicate_id):
            continue
        hints = list(row.warnings) + [f"{BY_KEY[k].label}建议填写“{v}”" for k, v in row.suggestions.items()]
        line = f"{row.source} 第{row.line}个" if plan.kind == LRMX else row.line
        ws.append([text_cell(ws, v) for v in (line, row.name, "不导入" if row.problems else ACTION_LABELS[row.action],
                                      "；".join(row.problems), "；".join(hints), row.duplicate_reason)])
    for note in plan.notes:
        ws.append(["", "", "", text_cell(ws, note)])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
