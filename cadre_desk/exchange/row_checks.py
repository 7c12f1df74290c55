"""Checking each row of an import: its values through the field registry's validators, its unit
(given, derived from 现任职务, the default, or the clerk's correction), its 年度考核 (per-year
columns or free text), whether it is someone already there, and what the clerk may do with it."""

from __future__ import annotations

import dataclasses
from typing import Any

from cadre_desk.domain import clock, codes
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    BY_KEY,
    FAMILY,
    RECORDS,
    RESUME,
    TRAININGS,
    AssessmentItem,
)
from cadre_desk.domain.validation import (
    LEFT_OUT,
    FieldWarning,
    ProfileChecks,
    clean_one,
    clean_records,
    excerpt,
    field_warnings,
    record_warnings,
    validate_profile_values,
)
from cadre_desk.exchange import duplicates
from cadre_desk.exchange.assessment_text import ASSESSMENT_KEPT, read_assessments, read_year_cell
from cadre_desk.exchange.cells import (
    EDUCATION_DEGREE,
    CellRefused,
    age_disagreement,
    cell_name,
    cell_value,
    clean_name,
    code_suggestion,
    normalize_cell,
    read_party_cell,
    split_education,
    without_control_characters,
)
from cadre_desk.exchange.column_checks import ColumnCleaner, Prepared
from cadre_desk.exchange.continued_rows import continued_problem, joined_warning, no_name_problem
from cadre_desk.exchange.education_cells import EDUCATION_BOTH, read_both_cell
from cadre_desk.exchange.headers import ASSESSMENT_TEXT, TRAINING_TARGETS, YEAR_PREFIX, derived_column
from cadre_desk.exchange.lrmx_format import (
    says_none,
    settle_members,
    split_family,
    split_resume,
    split_rewards,
    spouse_in,
)
from cadre_desk.exchange.plan import (
    ASSESSMENT,
    INSERT,
    KEEP_BOTH,
    LRMX,
    NOTHING,
    RECORD_COLUMNS,
    ROSTER,
    SAME_ID_NUMBER,
    SKIP,
    UNIT_CHOSEN,
    UNIT_DEFAULT,
    UNIT_FROM_COLUMN,
    UNIT_FROM_POSITION,
    UPDATE,
    ImportOptions,
    ImportPlan,
    ImportRow,
)
from cadre_desk.exchange.unit_names import UnitNames, known_units

_SHORT: dict[str, str] = {}
RECORDS_BY_KEY = {record.key: record for record in RECORDS}
COLUMN_CHECKS = True  # a roster's cells cleaned column by column; False: row by row (tests compare the two)
UNREAD_WARNING = "年度考核结果“{}”{}无法逐年识别，已按原文保留（年度考核结果（原文））"
_FROM_ID_NUMBER = ("gender", "birth")  # what validation fills in from a 身份证号 when the row leaves it out
_FILLED_IN = (*_FROM_ID_NUMBER, "political")  # … and 政治面貌 from 入党时间 (validation._political_from_party)


class Context:
    """What every row is checked against, read once per check."""

    def __init__(self, options: ImportOptions) -> None:
        from cadre_desk.access import scope
        from cadre_desk.settings import settings

        self.options = options
        self.cadres = duplicates.CadreIndex()
        known, self.unit_paths = known_units()
        department = settings.department()
        self.units = UnitNames(known, department.place or _place_of(department.full_name))
        self.unit_labels = {unit.id: unit.name for unit in known}  # 全称: the file has no tree beside it
        self.scope = scope.current()
        self.file_duplicates = duplicates.FileDuplicates()
        self.appraisal_columns = True  # whether the sheet has 年度考核 columns (set per check)
        self.record_columns = False  # whether it has a column of 简历 lines or 奖惩情况 (set per check)
        self.checks = ProfileChecks(importing=True)  # each repeated code / date / empty cell cleaned once for all rows
        self.cell_memo: dict = {}
        self.cleaner = ColumnCleaner(options)  # a roster's cells cleaned column by column
        self.column_checks = COLUMN_CHECKS
        self.default_status = clean_one(BY_KEY["status"], "1")
        self.unit_column: int | None = None  # where the sheet has its 单位 and 现任职务 (set per check)
        self.position_column: int | None = None
        self.education_column: int | None = None  # a 学历学位 column of both educations (education_cells)
        self.record_memos: dict[str, dict] = {}  # a roster's 简历 / 奖惩情况: each repeated date cleaned once
        self.age_column = None  # a roster's 年龄 column (not imported: checked against 出生年月)
        self.today = None  # the one clock's day, read once per batch (what records dated after it say)

    def in_scope(self, unit_id: int | None) -> bool:
        """Whether the operator's units cover this unit (imports keep to them as every read does)."""
        return self.scope.covers_unit(unit_id)


def _place_of(department: str) -> str:
    """中共兴平市委组织部 → 兴平市 (the place the department's units are named after)."""
    import re

    match = re.search(r"([\u4e00-\u9fff]{2,3}?[市县区旗])委", department)
    return match.group(1) if match else ""


def check_rows(plan: ImportPlan, context: Context, progress, batch: int = 2000) -> None:
    """Check every row of the plan, a batch at a time."""
    total = len(plan.rows)
    for start in range(0, total, batch):
        progress.report(start, total, f"正在检查第 {start:,} / {total:,} 行…")
        check_batch(plan, plan.rows[start:start + batch], context)


def check_batch(plan: ImportPlan, rows: list[ImportRow], context: Context) -> None:
    """Check some rows of the plan, in file order after the rows checked before with ``context``
    (a row that repeats an earlier one is found across batches)."""
    context.appraisal_columns = any(c.target and (c.target.startswith(YEAR_PREFIX) or c.target == ASSESSMENT_TEXT)
                                    for c in plan.columns)
    context.record_columns = any(c.target in RECORD_COLUMNS for c in plan.columns)
    context.today = clock.today()
    prepared = [None] * len(rows)
    if plan.kind == ROSTER and rows:
        mapping = rows[0].mapping  # one tuple shared by the plan's rows
        context.unit_column = next((i for i, target in mapping if target == "unit"), None)
        context.position_column = next((i for i, target in mapping if target == "position"), None)
        context.education_column = next((i for i, target in mapping if target == EDUCATION_BOTH), None)
        context.age_column = next((c.index for c in plan.columns if not c.target and derived_column(c.header) == "年龄"),
                                  None)
        if context.column_checks:
            prepared = context.cleaner.clean(rows, mapping)
    for row, cells in zip(rows, prepared, strict=True):
        if plan.kind == LRMX and row.profile is None:  # a file that could not be read: its message stays
            continue
        reset_row(row)
        if plan.kind == LRMX:
            check_lrmx_row(row, context)
        elif plan.kind == ROSTER:
            check_roster_row(row, context, cells)
        else:
            check_attached_row(plan.kind, row, context)
        if context.age_column is not None and plan.kind == ROSTER and str(row.values.get("birth", "")).isdigit():
            typed = row.cells[context.age_column] if context.age_column < len(row.cells) else None
            said = age_disagreement(row.values["birth"], typed, context.today, cell_name(context.age_column, row.line))
            if said:
                row.warnings.append(said)
        if row.continued:
            row.problems.append(continued_problem(row))
        elif row.joined:
            row.warnings.append(joined_warning(row))
        if plan.kind in (ROSTER, LRMX) and not row.problems:
            context.file_duplicates.check(row)
        choose_action(row, context.options)
        if plan.kind == ROSTER:
            row.settle()
    if plan.kind in (ROSTER, LRMX):
        given_unit = any(c.target == "unit" for c in plan.columns)
        duplicates.compare([r for r in rows if r.duplicate_id is not None], context.unit_labels)
        for row in rows:
            if row.differences and not given_unit and row.unit_source not in (UNIT_FROM_POSITION, UNIT_CHOSEN):
                row.differences = tuple(d for d in row.differences if d.key != "unit")


def reset_row(row: ImportRow) -> None:
    """A row as before any check (the clerk's choices kept)."""
    row.problems, row.warnings, row.suggestions = [], [], {}
    row.duplicate_id, row.duplicate_kind, row.differences, row.target_id = None, "", (), None
    row.unit_id, row.new_unit, row.unit_source = None, "", ""
    row.assessments, row.insert_problems, row.records, row.kept_records = [], [], {}, ()


def choose_action(row: ImportRow, options: ImportOptions) -> None:
    """The clerk's choice when it still applies, else the default for the row."""
    allowed = row.allowed_actions()
    if row.chosen_action in allowed:
        row.action = row.chosen_action
    elif row.target_id is not None:
        row.action = UPDATE
    elif row.duplicate_id is None:
        row.action = INSERT
    else:
        row.action = options.duplicate_action if options.duplicate_action in allowed else SKIP
    if row.action == KEEP_BOTH and row.duplicate_kind == SAME_ID_NUMBER:
        row.action = SKIP


# ---- values ----------------------------------------------------------------------------------------

_REPEATING_CELLS = frozenset(("code", "codes", "date", "party"))


def _values_from_raw(row: ImportRow, context: Context, cells: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The row's values as validation takes them, and the labels of the cells refused outright (their
    problem already said: no 请填写 for them)."""
    values: dict[str, Any] = {}
    refused: list[str] = []
    options, memo = context.options, context.cell_memo
    for key, raw in cells.items():
        spec = BY_KEY.get(key)
        if spec is None or spec.kind == "unit":
            continue
        if spec.kind == "id_number" and isinstance(raw, float) and raw > 1e15:
            row.problems.append(in_cell(row, key, "身份证号被 Excel 存成了数字，末几位已丢失；"
                                                  "请把该列设为文本后重新填写"))
            continue
        try:
            if spec.kind in _REPEATING_CELLS and raw.__hash__:
                done = memo.get((key, raw))
                if done is None:
                    done = memo[(key, raw)] = cell_value(spec, raw)
            else:
                done = cell_value(spec, raw)
        except CellRefused as exc:
            row.problems.append(in_cell(row, key, str(exc)))
            refused.append(spec.label)
            continue
        value, hint, stripped, read_as = done
        if read_as:
            row.warnings.append(read_as)
        if stripped:
            where = next((cell_name(i, row.line) for i, target in row.mapping if target == key), "")
            row.warnings.append(f"{spec.label}（{where} 单元格）含有不可见的控制字符，已删除" if where
                                else f"{spec.label}含有不可见的控制字符，已删除")
        if hint:
            row.suggestions[key] = hint
            if options.accept_suggestions:
                row.warnings.append(f"{spec.label}“{value}”按“{hint}”导入")
                value = hint
        values[key] = value
    read_education_degree(row, values)
    if cells.get(EDUCATION_BOTH) not in (None, ""):
        read_both_cell(row, values, cells[EDUCATION_BOTH])
    read_party_cell(row, values)
    return values, refused


_OWN_KIND = ("全日制", "在职")  # the word a 学历 cell of each kind may start with, saying its own column's kind


def without_own_kind(text: Any, own: str) -> str | None:
    """A 学历 cell starting with its own column's kind (在职研究生 管理学硕士 under 在职教育): the rest when it is a
    学历 (with its 学位 or not), else None (nothing to take away: the cell is checked as it is)."""
    if text.__class__ is not str or not text.lstrip().startswith(own):
        return None
    rest = text.lstrip()[len(own):].lstrip("：: \u3000")
    if not rest:
        return None
    if codes.table("ZB64").code(rest) is not None or split_education(rest) is not None:
        return rest
    return None


def read_education_degree(row: ImportRow, values: dict[str, Any]) -> None:
    """A 学历 cell holding the 学位 too (cells.split_education): the 学位 goes to its own field when that
    is empty or says the same, and the clerk is told how the cell was read; a 学位 field saying
    another is a problem of the row."""
    degrees = codes.table("GB6864")
    for (education_key, degree_key), own in zip(EDUCATION_DEGREE, _OWN_KIND, strict=True):
        written = values.get(education_key)
        rest = without_own_kind(written, own)
        if rest is not None:  # 在职研究生 in the 在职 学历 column: the kind is the column's own
            values[education_key] = rest
        split = split_education(values.get(education_key))
        if split is None:
            if rest is not None:
                row.suggestions.pop(education_key, None)
                row.warnings.append(f"{BY_KEY[education_key].label}“{written.strip()}”按学历“{rest}”读入")
            continue
        education, degree = split
        label, shown = BY_KEY[education_key].label, " ".join(written.split())
        given = str(values.get(degree_key) or "").strip()
        values[education_key] = education
        row.suggestions.pop(education_key, None)
        if not degree:  # written with 无学位: the 学历 alone (a 学位 field's own value stays)
            row.warnings.append(f"{label}“{shown}”按学历“{education}”读入（无学位）")
            continue
        given_code = given if degrees.has_code(given) else degrees.code(given)
        if given and given_code and given_code.startswith(degrees.code(degree) or "-"):
            degree = degrees.name(given_code)  # 研究生（硕士） with 法学硕士 as its 学位: the 学位's own words
        elif given and given_code != degrees.code(degree):
            row.problems.append(f"{label}“{shown}”中的学位“{degree}”与{BY_KEY[degree_key].label}"
                                f"“{degrees.name(given)}”不一致，请核对")
            continue
        values[degree_key] = degree
        row.warnings.append(f"{label}“{shown}”按学历“{education}”、学位“{degree}”读入")


def _validate(row: ImportRow, values: dict[str, Any], checks: ProfileChecks | None = None) -> None:
    try:
        clean, warnings = checks.check(values) if checks is not None else validate_profile_values(values)
        compact = {}
        short = _SHORT
        # only the keys the row gave can hold a value, and those filled in from the 身份证号
        for key, original in values.items():
            value = clean.get(key)
            if value is None or value == "":
                continue
            # keep the cell's own string when cleaning did not change it: one copy per value in memory
            if value == original:
                value = original
            elif value.__class__ is str and len(value) <= 8:  # dates and codes: few distinct values
                value = short.setdefault(value, value)
            compact[key] = value
        for key in _FILLED_IN:
            if key not in compact and clean.get(key):
                compact[key] = short.setdefault(clean[key], clean[key])
        row.values = compact
        row.warnings.extend(field_warnings(warnings))
    except ValidationError as exc:
        # a row that updates a cadre may leave out fields a new one needs (性别, 出生年月): what it gives
        # is still stored clean (2002.9 as 200209), never as typed
        row.values = {key: _clean_or_raw(key, raw, exc.errors) for key, raw in values.items()}
        row.problems.extend(in_cell(row, key, msg) for key, msg in exc.errors.items()
                            if key != "unit" or not row.problems)
        row.warnings.extend(field_warnings(exc.warnings))


def in_cell(row: ImportRow, key: str, message: str) -> str:
    """A roster row's problem with a field, saying the cell as Excel names it (“…（G5 单元格）”): the
    clerk finds it whatever the column's header says. An .lrmx row has no cells: the message alone."""
    where = next((cell_name(i, row.line) for i, target in row.mapping if target == key), "")
    return f"{message}（{where} 单元格）" if where else message


def _clean_or_raw(key: str, raw: Any, errors: dict[str, str]) -> Any:
    """A value of a row refused for another field: cleaned as its field says (it was, before the
    refusal), or as given where it is itself refused."""
    spec = BY_KEY.get(key)
    if spec is None or key in errors or raw is None or raw == "":
        return raw
    try:
        return clean_one(spec, raw)
    except ValueError:
        return raw


# ---- units -----------------------------------------------------------------------------------------


def resolve_unit(row: ImportRow, context: Context, given: Any, position: Any) -> None:
    """Set the row's unit: the clerk's choice, the 单位 column, 现任职务, or the default."""
    options, units = context.options, context.units
    choice = row.unit_choice
    if choice is not None:
        row.unit_source = UNIT_CHOSEN
        if isinstance(choice, int):
            row.unit_id = choice
        else:
            _new_unit(row, context, str(choice))
    elif (text := normalize_cell("text", given)):
        row.unit_source = UNIT_FROM_COLUMN
        uid, problem = units.find(text)
        if uid is not None:
            row.unit_id = uid
        elif options.create_units and "多个同名" not in problem:
            _new_unit(row, context, text)
        else:
            row.problems.append(problem + ("" if "多个同名" in problem else "；可在导入选项中选择自动新建单位"))
            return
    elif (derived := units.derive(normalize_cell("text", position))) is not None:
        row.unit_source = UNIT_FROM_POSITION
        if derived.unit_id is not None:
            row.unit_id = derived.unit_id
        elif options.create_units:  # 南市镇 beside 马嵬街道办事处, not 兴平市南市镇
            _new_unit(row, context, context.units.named_as_siblings(derived.name))
        elif options.default_unit_id or options.default_unit_name:
            _default_unit(row, context)
            row.warnings.append(f"现任职务中的单位“{derived.name}”在系统中不存在，归入默认单位")
        else:
            row.new_unit = derived.name  # shown in the preview; a problem until created or corrected
            row.problems.append(f"从现任职务推断的单位“{derived.name}”在系统中不存在；可在导入选项中选择自动新建单位，"
                                "或在预览中为该行指定单位")
            return
    elif options.default_unit_id or options.default_unit_name:
        _default_unit(row, context)
    else:
        row.problems.append("请填写单位（或在导入选项中指定默认单位）")
        return
    if row.unit_id is not None and not context.in_scope(row.unit_id):
        row.problems.append(f"单位“{context.unit_labels.get(row.unit_id, row.unit_id)}”{_unit_cell(row, context)}"
                            "不在您负责的单位范围内")


def _unit_cell(row: ImportRow, context: Context) -> str:
    """Where a row's unit was read, as Excel names the cell: （D5 单元格）, （从 E5 单元格的现任职务推断）."""
    if row.unit_source == UNIT_FROM_COLUMN and context.unit_column is not None:
        return f"（{cell_name(context.unit_column, row.line)} 单元格）"
    if row.unit_source == UNIT_FROM_POSITION and context.position_column is not None:
        return f"（从 {cell_name(context.position_column, row.line)} 单元格的现任职务推断）"
    return ""


def _default_unit(row: ImportRow, context: Context) -> None:
    options = context.options
    row.unit_source = UNIT_DEFAULT
    if options.default_unit_id:
        row.unit_id = options.default_unit_id
    else:
        _new_unit(row, context, options.default_unit_name)


def _new_unit(row: ImportRow, context: Context, name: str) -> None:
    """A unit to create at commit: under its written parent (上级/下级) or where its kind goes."""
    row.new_unit = name
    parts = [p for p in name.replace("／", "/").split("/") if p.strip()]
    if len(parts) > 1:
        parent, _ = context.units.find("/".join(parts[:-1]))
    else:
        parent = context.units.parent_for(name)
    if not context.in_scope(parent):
        row.problems.append(f"不能在您负责的单位范围以外新建单位“{name}”")
        return
    where = context.unit_paths.get(parent, "") if parent else ""
    row.warnings.append(f"将新建单位“{name}”" + (f"（上级：{where.split('/')[-1]}）" if where and len(parts) == 1 else ""))


def unit_text(row: ImportRow, unit_names: dict[int, str]) -> str:
    """The unit a row goes to, as the preview and the problem report show it (``unit_names``: id → 全称)."""
    if row.new_unit:
        return f"{row.new_unit}（新建）"
    if row.unit_id is not None:
        return unit_names.get(row.unit_id, "")
    return ""


# ---- roster, appraisal and training rows ---------------------------------------------------------


def check_roster_row(row: ImportRow, context: Context, prepared: Prepared | None = None) -> None:
    """One roster row; ``prepared``: its cells already cleaned column by column (column_checks)."""
    if prepared is not None and _check_prepared_row(row, context, prepared):
        return
    cells = row.raw
    if not normalize_cell("text", cells.get("name")):
        row.problems.append(no_name_problem(row))
        row.values = {}
        return
    values, refused = _values_from_raw(row, context, cells)
    year_problems, kept = assessments_from_raw(row, cells) if context.appraisal_columns else (NOTHING, "")
    if kept:
        values[ASSESSMENT_KEPT] = kept
    values.setdefault("status", "1")
    before = len(row.problems)
    given = normalize_cell("text", cells.get("unit"))
    resolve_unit(row, context, without_control_characters(given) or given, values.get("position"))
    unit_problems = row.problems[before:]
    values["unit"] = row.unit_id if row.unit_id is not None else (1 if row.new_unit or unit_problems else None)
    _validate(row, values, context.checks)
    if refused:
        said = {f"请填写{label}" for label in refused}
        row.problems = [problem for problem in row.problems
                        if problem not in said and problem.rsplit("（", 1)[0] not in said]
    _roster_row_end(row, context, year_problems, unit_problems)


def _check_prepared_row(row: ImportRow, context: Context, prepared: Prepared) -> bool:
    """A row whose cells are all clean (column_checks): what is left are the rules of the row — its
    unit, 身份证号 against 出生年月 and 性别, required fields, dates after the birth, duplicates.
    False, the row as it was, when one of them has something to say: the row-by-row check says it."""
    values = prepared.values
    if "name" not in values:
        return False
    if (at := context.education_column) is not None and at < len(row.cells) and row.cells[at] not in (None, ""):
        return False  # a 学历学位 cell of both educations: read with the row's own 学历 cells
    for key, hinted in prepared.hints:
        if hinted.hint:
            row.suggestions[key] = hinted.hint
        row.warnings.append(hinted.warning)
    year_problems, kept = assessments_from_raw(row) if context.appraisal_columns else (NOTHING, "")
    if kept:
        values[ASSESSMENT_KEPT] = kept
    values.setdefault("status", context.default_status)
    cells, unit_at, position_at = row.cells, context.unit_column, context.position_column
    given = normalize_cell("text", cells[unit_at]) if unit_at is not None and unit_at < len(cells) else ""
    position = cells[position_at] if position_at is not None and position_at < len(cells) else None
    position = normalize_cell("longtext", position) if position not in (None, "") else None
    resolve_unit(row, context, without_control_characters(given) or given, position)
    unit_problems = list(row.problems)
    unit = row.unit_id if row.unit_id is not None else (1 if row.new_unit or unit_problems else None)
    if unit is None:
        reset_row(row)
        return False
    values["unit"] = unit
    number = values.get("id_number")
    filled_in = [key for key in _FILLED_IN if key not in values]
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    context.checks.check_across(values, errors, warnings, prepared.citizen)
    if errors:
        reset_row(row)
        return False
    if number is not None:
        values["id_number"] = number  # the cell's own string (the parser's copy is equal)
    for key in filled_in:
        if values.get(key):
            values[key] = _SHORT.setdefault(values[key], values[key])
    row.values = values
    row.warnings.extend(field_warnings(warnings))
    _roster_row_end(row, context, year_problems, unit_problems)
    return True


def _roster_row_end(row: ImportRow, context: Context, year_problems: list[str], unit_problems: list[str]) -> None:
    row.values["unit"] = row.unit_id
    if not row.values["unit"]:
        del row.values["unit"]
    row.problems.extend(year_problems)
    duplicates.mark_duplicate(row, context.cadres, by_name_only=True)
    if row.duplicate_id is not None:
        # an update only needs the columns present (required ones missing are kept from the
        # profile) and keeps the profile's unit when the file's cannot be placed
        moved = [p for p in row.problems if p.startswith("请填写") or p in unit_problems]
        row.insert_problems = moved
        row.problems = [p for p in row.problems if p not in moved]
        if unit_problems:
            row.unit_id, row.new_unit = None, ""
    if context.record_columns:  # after: a 简历 entry without its words is no field an update keeps
        records_from_raw(row, context.cadres, context.record_memos, context.today)


def records_from_raw(row: ImportRow, index: duplicates.CadreIndex | None = None, memos: dict | None = None,
                     today: Any = None) -> None:
    """简历, 奖惩情况 and 家庭成员 from a roster's cells, one person's in one cell as the 任免表 writes them:
    read by the .lrmx reader's parsers and checked as its records are, with the same problems and hints.
    An empty cell gives nothing (the profile's records are kept); 无 (无。, （无）…) gives none (an update
    clears them), as an .lrmx's 无 does. A 家庭成员's 爱人 / 配偶 is read by the row's 性别, or, when it
    gives none (nor a 身份证号), by that of the cadre it updates (``index``). ``memos`` (record key →
    memo) and ``today``: a check of many rows cleans a repeated date once and reads the clock once
    (validation.clean_records, record_warnings)."""
    records: dict[str, list] = {}
    errors: dict[str, str] = {}
    for key, text in _record_cells(row):
        if text in (None, ""):
            continue
        text = normalize_cell("longtext", text).strip()
        if not text:
            continue
        record = RECORDS_BY_KEY[key]
        notes: list[str] = []
        if key == RESUME.key:
            items = split_resume(text, notes)
        elif key == FAMILY.key:
            gender = row.values.get("gender") or ""
            if not gender and row.duplicate_id is not None and index is not None and spouse_in(text):
                gender = index.stored_gender(row.duplicate_id)
            items = split_family(text, gender, notes)
        else:
            items = split_rewards(text)
        if notes:
            row.warnings.extend(note if isinstance(note, FieldWarning) else FieldWarning(note, key) for note in notes)
        found: dict[str, str] = {}
        clean, warnings = clean_records(record, items, found, memo=None if memos is None else memos.setdefault(
            key, {})) if items else ([], [])  # (无: no rows to check, nothing to say)
        if key == RESUME.key and found:
            _quote_resume_lines(items, found)
        errors.update(found)
        if warnings:
            row.warnings.append(FieldWarning("；".join(warnings), key))
        if clean:  # (nothing is said of no records)
            row.warnings.extend(said_of_records({key: clean}, today))
        if clean or says_none(text) or any(getattr(note, "kind", "") == LEFT_OUT for note in notes):
            records[key] = clean  # (none read, some left out: an update says it keeps the stored ones)
    row.problems.extend(errors.values())
    row.records = records


def _record_cells(row: ImportRow) -> list[tuple[str, Any]]:
    """(record key, cell) of the row's 简历 / 奖惩情况 / 家庭成员 columns, in RECORD_COLUMNS' order (as
    ``row.raw`` gives them, without building the whole row's dict)."""
    if row.fixed_raw is not None:
        return [(key, row.fixed_raw.get(target)) for target, key in RECORD_COLUMNS.items()]
    mapping = row.mapping
    at = _RECORD_CELLS_AT.get(id(mapping))
    if at is None or at[0] is not mapping:
        where: dict[str, list[int]] = {}
        for i, target in mapping:
            if target in RECORD_COLUMNS:
                where.setdefault(target, []).insert(0, i)  # the last column first, as row.raw keeps it
        at = _RECORD_CELLS_AT[id(mapping)] = (mapping, [(key, where[target]) for target, key
                                                        in RECORD_COLUMNS.items() if target in where])
        if len(_RECORD_CELLS_AT) > 64:  # mappings of plans long gone
            _RECORD_CELLS_AT.clear()
            _RECORD_CELLS_AT[id(mapping)] = at
    cells = row.cells
    size = len(cells)
    return [(key, cells[columns[0]] if len(columns) == 1 and columns[0] < size else
             next((cells[i] for i in columns if i < size and cells[i] not in (None, "")), None))
            for key, columns in at[1]]


_RECORD_CELLS_AT: dict[int, tuple] = {}


def said_of_records(records: dict[str, list], today: Any = None) -> list[FieldWarning]:
    """What an import says of the records it read (checked rows, by record key), never refusing them —
    a roster's cells and an .lrmx alike: what the profile form says of them (validation.record_warnings:
    a 简历 entry dated after today, a 奖惩情况 longer than the 任免表's box), and that it read them."""
    return [FieldWarning(f"{said}（已照常读入）", said.field) for said in record_warnings(records, today)]


def assessments_from_raw(row: ImportRow, cells: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """年度考核 from one column per year (优秀 / 称职 …) and from a column of free text: (problems,
    the free text as written, which the profile keeps in 年度考核结果（原文）)."""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    problems = []
    row.assessments = []
    cells = row.raw if cells is None else cells
    kept = ""
    text = cells.get(ASSESSMENT_TEXT)
    if text not in (None, ""):
        kept = normalize_cell("longtext", text).strip()
        items, unread = read_assessments(kept)
        row.assessments.extend(items)
        if unread:
            where = next((cell_name(i, row.line) for i, target in row.mapping if target == ASSESSMENT_TEXT), "")
            row.warnings.append(UNREAD_WARNING.format(unread, f"（{where} 单元格）" if where else ""))
    for target, raw in cells.items():
        if not target.startswith(YEAR_PREFIX):
            continue
        value = "".join(normalize_cell("text", raw).split())
        if not value or value in ("-", "—", "/", "无"):
            continue
        year = int(target[len(YEAR_PREFIX):])
        code, rest = read_year_cell(year, value)
        where = next((f"（{cell_name(i, row.line)} 单元格）" for i, t in row.mapping if t == target), "")
        if code is None:
            hint = table.suggest(value)
            problems.append(f"{year}年度考核结果“{value}”{where}无效" + (
                f"，是否为“{hint}”？" if hint else "（应为 优秀、称职、基本称职、不称职、合格、基本合格、不合格 等）"))
            continue
        if rest:  # 优秀（嘉奖）: the result read, the words beside it said
            row.warnings.append(f"{year}年度考核结果“{value}”{where}按“{table.name(code)}”读入，其中“{rest}”未导入"
                                "（如是奖惩，请录入奖惩情况）")
        row.assessments = [a for a in row.assessments if a.year != year]
        row.assessments.append(AssessmentItem(year, code, "", "导入"))
    return problems, kept


def _match_existing(row: ImportRow, context: Context) -> None:
    index = context.cadres
    name = clean_name(row.raw.get("name"))
    number = normalize_cell("id_number", row.raw.get("id_number")).upper()
    row.values = {"name": name}
    if number:
        if number in index.by_id_number:
            row.target_id = index.by_id_number[number]
        else:
            row.problems.append(f"系统中没有身份证号为 {number} 的干部")
    elif not name:
        row.problems.append("姓名为空")
    else:
        same = index.by_name.get(name, [])
        if not same:
            row.problems.append(f"系统中没有名为“{name}”的干部")
        elif len(same) > 1:
            row.problems.append(f"系统中有 {len(same)} 名“{name}”，请在表中加上身份证号以区分")
        else:
            row.target_id = same[0]
    if row.target_id is not None and not index.visible(row.target_id):
        row.problems.append(f"“{name}”不在您负责的单位范围内")
        row.target_id = None


def check_attached_row(kind: str, row: ImportRow, context: Context) -> None:
    _match_existing(row, context)
    if kind == ASSESSMENT:
        problems, kept = assessments_from_raw(row)  # text not read year by year: a warning, kept as written
        row.problems.extend(problems)
        if kept:
            row.values[ASSESSMENT_KEPT] = kept
        if not row.assessments and not kept and not row.problems:
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


# ---- LRMX ------------------------------------------------------------------------------------------


def check_lrmx_row(row: ImportRow, context: Context) -> None:
    from cadre_desk.profiles import cadres

    profile = row.profile
    if profile is None:
        return
    values = dict(profile.values)
    read_education_degree(row, values)
    read_party_cell(row, values)  # 2008.06（预备）, 2008.06（2009.06转正） typed into the editor's 入党时间 box
    for key in ("gender", "ethnicity", "health", "ft_education", "ft_degree", "pt_education", "pt_degree"):
        spec = BY_KEY[key]
        value = values.get(key) or ""
        hint = code_suggestion(spec, value)
        if hint:
            row.suggestions[key] = hint
            if context.options.accept_suggestions:
                values[key] = hint
    if not values.get("name"):
        row.problems.append("任免表中没有姓名（空白任免表）")
    resolve_unit(row, context, None, values.get("position"))
    values["unit"] = row.unit_id if row.unit_id is not None else (1 if row.new_unit else None)
    if row.problems and values["unit"] is None:
        values["unit"] = 1
    row.fixed_raw = {"name": values.get("name", ""), **({"unit": row.unit_id} if row.unit_source else {})}
    _validate(row, values, context.checks)
    row.values.pop("unit", None)
    if row.unit_id is not None:
        row.values["unit"] = row.unit_id
    row.problems = list(dict.fromkeys(row.problems))
    _settle_family(row)
    check = dataclasses.replace(profile, values=row.values)
    errors: dict[str, str] = {}
    clean, warns = cadres.validate_subrecords(check, errors)
    _quote_resume_lines(profile.resume, errors)
    row.problems.extend(errors.values())
    row.warnings.extend(field_warnings(warns))
    row.warnings.extend(said_of_records(clean))
    for key, records in clean.items():
        setattr(profile, key, records)
    row.warnings.extend(row.not_read)
    unread = read_assessments(profile.values.get(ASSESSMENT_KEPT) or "")[1]
    if unread:
        row.warnings.append(UNREAD_WARNING.format(unread, ""))
    if profile.photo:
        _check_photo(row, profile)
    if row.values.get("name"):
        duplicates.mark_duplicate(row, context.cadres)


def _settle_family(row: ImportRow) -> None:
    """An .lrmx's members of a 称谓 the reader could not code (lrmx_format.settle_members): 爱人 by the
    row's 性别 as checked (from its 身份证号 when the file has no 性别 element: a file without either is
    refused, 请填写性别, so no stored 性别 is asked); the others left out, said with each check
    (``not_read``) as the profile keeps only the members read."""
    profile = row.profile
    profile.family, notes = settle_members(profile.family, row.values.get("gender") or "")
    if notes:
        row.not_read = [*row.not_read, *notes]


def _quote_resume_lines(resume: list, errors: dict[str, str]) -> None:
    """A 简历 line that does not start with its period (only the first can: the others continue the
    line before) is named by its words, for the clerk to find it in the file."""
    for i, item in enumerate(resume):
        key = f"{RESUME.key}[{i}].start"
        if key in errors and not item.start:
            errors[key] = f"简历第 {i + 1} 行“{excerpt(item.text)}”没有起止时间：每行应以起止时间开头，如“1986.09--1990.07  …”"


def _check_photo(row: ImportRow, profile) -> None:
    """A photo is stored only once it decodes as an image, scaled to the profile's size."""
    from cadre_desk.profiles.photos import PhotoError, normalize_photo

    try:
        profile.photo = normalize_photo(profile.photo)
    except PhotoError as exc:
        profile.photo = None
        row.warnings.append(f"{exc}，照片未导入（其余信息照常导入）")
