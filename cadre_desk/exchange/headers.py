"""Finding the header of a sheet (titles above it, two-row merged headers, spaces inside names)
and what each column means: a registry field, a year of 年度考核, or a part of a training record."""

from __future__ import annotations

import re
from typing import Any

from cadre_desk.domain import clock
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    BY_KEY,
    FIELDS,
    RECORDS,
    TRAININGS,
    header_index,
    normalize_header,
)
from cadre_desk.exchange import education_cells
from cadre_desk.exchange.education_cells import EDUCATION_BOTH
from cadre_desk.exchange.plan import ASSESSMENT, RECORD_COLUMNS, ROSTER, TRAINING, ColumnMap
from cadre_desk.exchange.workbook_package import FileRefused
from cadre_desk.profiles.cadre_list import DERIVED_TITLES

# Columns that are not profile fields: a year of 年度考核, or a training record's parts.
YEAR_PREFIX = "year:"
TRAINING_PREFIX = "train:"
TRAINING_TARGETS = {f"{TRAINING_PREFIX}{spec.key}": spec for spec in TRAININGS.fields if spec.form}
_TRAINING_INDEX = {normalize_header(h): key for key, spec in TRAINING_TARGETS.items() for h in spec.headers}
_YEAR = re.compile(r"((?:19|20)\d{2})(?:年度|年)?(?:考核结果|考核等次|考核情况|考核)?")
# A column of 年度考核 as free text ("2021年度优秀，2022年度称职"), read year by year.
ASSESSMENT_TEXT = "assess:text"
_ASSESSMENT_TEXT_HEADERS = {normalize_header(h) for h in (
    "年度考核结果", "年度考核", "年度考核情况", "近三年年度考核结果", "近三年年度考核情况", "近三年考核情况",
    "近三年考核结果", "考核情况", "历年考核情况")}
_HEADER_SCAN_ROWS = 30
RECORDS_BY_KEY = {record.key: record for record in RECORDS}
# A column of 简历 lines, of 奖惩情况 or of 家庭成员, one person's in one cell as the 任免表 writes them
# (plan.RECORD_COLUMNS)
RESUME_TEXT, REWARDS_TEXT, FAMILY_TEXT = RECORD_COLUMNS
_RECORD_HEADERS = {
    **{normalize_header(h): RESUME_TEXT for h in ("简历", "个人简历", "工作简历", "学习工作简历", "学习和工作简历")},
    **{normalize_header(h): REWARDS_TEXT for h in ("奖惩情况", "奖惩", "奖惩信息")},
    **{normalize_header(h): FAMILY_TEXT for h in ("家庭成员", "家庭主要成员", "主要家庭成员", "家庭主要成员及重要社会关系",
                                                  "家庭成员及主要社会关系", "家庭成员情况")}}


def derived_column(header: object) -> str | None:
    """The title of a column the program computes from another field (年龄 from 出生年月, as its own
    花名册 writes it), for a header naming one and no field; None for any other header. Such a column
    is not imported: it is said once as computed, not among the columns not imported."""
    text = normalize_header(header)
    if not text or resolve_header(text) is not None:  # 党派 is read as 政治面貌
        return None
    return next((title for title, _width in DERIVED_TITLES.values() if normalize_header(title) == text), None)


# A row counter (序号, as the program's own 花名册 and most departments' number their rows): no data,
# nothing lost by leaving it out.
_COUNTER_HEADERS = frozenset(normalize_header(h).lower() for h in ("序号", "编号", "顺序号", "No.", "No", "#"))


def counter_column(header: object) -> bool:
    """Whether the header names a column that numbers the rows (序号, 编号, No.) and no field: it is
    left out without a note."""
    text = normalize_header(header)
    return text.lower() in _COUNTER_HEADERS and resolve_header(text) is None


def target_label(target: str | None) -> str:
    if not target:
        return "（不导入）"
    if target.startswith(YEAR_PREFIX):
        return f"{target[len(YEAR_PREFIX):]}年度{ASSESSMENTS.field('result').label}"
    if target in TRAINING_TARGETS:
        return TRAININGS.qualified_label(TRAINING_TARGETS[target])
    if target == ASSESSMENT_TEXT:
        return f"{ASSESSMENTS.title}（文字）"
    if target == EDUCATION_BOTH:
        return "学历学位（全日制、在职）"
    if target in RECORD_COLUMNS:
        return RECORDS_BY_KEY[RECORD_COLUMNS[target]].title
    return BY_KEY[target].label


def all_targets() -> list[str]:
    """Every target a column may be mapped to (for the preview's combo boxes)."""
    years = [f"{YEAR_PREFIX}{y}" for y in range(clock.today().year, 2009, -1)]
    return ([spec.key for spec in FIELDS] + [EDUCATION_BOTH] + years + [ASSESSMENT_TEXT] + list(RECORD_COLUMNS)
            + list(TRAINING_TARGETS))


_BRACKETED = re.compile(r"(.*)\(([^()]*)\)")


def resolve_header(text: object) -> str | None:
    """A header cell → the target it means, or None."""
    header = normalize_header(text)
    if not header:
        return None
    index = _header_index()
    # 出生年月（年龄）: the name before the brackets; 学历（在职）: the brackets name which one, 在职学历
    bracketed = _BRACKETED.fullmatch(header)
    candidates = (header, bracketed.group(2) + bracketed.group(1), bracketed.group(1)) if bracketed else (header,)
    for candidate in candidates:
        if candidate in index:
            return index[candidate].key
        if candidate in _TRAINING_INDEX:
            return _TRAINING_INDEX[candidate]
        if candidate in _ASSESSMENT_TEXT_HEADERS:
            return ASSESSMENT_TEXT
        if candidate in education_cells.HEADERS:
            return EDUCATION_BOTH
        if candidate in _RECORD_HEADERS:
            return _RECORD_HEADERS[candidate]
        match = _YEAR.fullmatch(candidate)
        if match:
            return f"{YEAR_PREFIX}{match.group(1)}"
    return _HIGHEST.get(header)


# 文化程度 / 最高学历 / 最高学位 (the registry's fallback_headers): it has no field of the highest education (the
# 任免表 has 全日制 and 在职). A roster with no other column of it gives the one it has: read as the 全日制 one
# (most cadres' highest is their 全日制; the preview says so, for the clerk to map it to 在职 where it is
# that); beside a column naming the 全日制 one it is left out (map_columns).
_HIGHEST = {normalize_header(h): spec.key for spec in FIELDS for h in spec.fallback_headers}


def highest_notes(columns: list[ColumnMap]) -> list[str]:
    """The preview's word on a column read by a fallback header (最高学历 as the 全日制 one)."""
    notes = []
    for column in columns:
        if column.target and _HIGHEST.get(normalize_header(column.header)) == column.target:
            spec = BY_KEY[column.target]
            other = BY_KEY.get("pt" + column.target[2:]) if column.target.startswith("ft_") else None
            instead = f"如该列是在职的，请在“列对应”中改为{other.label}" if other else "如不是，请在“列对应”中改选"
            notes.append(f"“{column.header}”列按{spec.label}导入（表中没有{spec.label}列；{instead}）")
    return notes


_INDEX_CACHE: dict[str, Any] = {}


def _header_index():
    if "index" not in _INDEX_CACHE:
        _INDEX_CACHE["index"] = header_index()
    return _INDEX_CACHE["index"]


# ---- header detection ----------------------------------------------------------------------------


def _cells(row: tuple, width: int) -> list[str]:
    # a year typed into a header cell is the number 2021.0 the sheet reads: 2021, as it shows
    return [("" if v is None else str(int(v)) if v.__class__ is float and v.is_integer() else str(v)).strip()
            for v in row] + [""] * (width - len(row))


def _join_two_rows(top: tuple, bottom: tuple) -> list[str]:
    """Two header rows with merged group cells: 全日制教育 over 学历 | 学位 | … → 全日制教育学历 …
    A group that only sorts the columns (基本情况 over 姓名 | 性别 | 出生年月, 政治面貌 over 入党时间)
    adds nothing to their meaning: the lower name is kept where the joined one means nothing."""
    width = max(len(top), len(bottom))
    upper, lower = _cells(top, width), _cells(bottom, width)
    out, group = [], ""
    for up, low in zip(upper, lower, strict=True):
        if up:
            group = up if low else ""
        elif not low:
            group = ""
        joined = (up or group) + low
        if low and joined != low and resolve_header(joined) is None and resolve_header(low) is not None:
            joined = low
        out.append(joined)
    return out


def _score(headers: list[str]) -> int:
    targets = {resolve_header(h) for h in headers if h}
    targets.discard(None)
    return len(targets) + (2 if "name" in targets else 0)


def detect_header(rows: list[tuple]) -> tuple[int, int, list[str]]:
    """(first header row index, number of header rows (1 to 3), header texts)."""
    best = (0, -1, 1, [])
    for r in range(min(_HEADER_SCAN_ROWS, len(rows))):
        row = rows[r]
        if not any(v not in (None, "") for v in row):
            continue
        single = _cells(row, len(row))
        candidates = [(_score(single), 1, single)]
        if r + 1 < len(rows):
            joined = _join_two_rows(row, rows[r + 1])
            # two rows only when the upper one adds meaning (全日制教育 over 学历 | 学位, headers merged
            # down both): a title right above a one-row header would be glued to the names it does not
            # resolve ("XX县科级干部花名册序号" among the columns not imported)
            if (score := _score(joined)) > _score(_cells(rows[r + 1], len(rows[r + 1]))):
                candidates.append((score, 2, joined))
                # three rows: 学历学位 over 全日制教育 | 在职教育, each over 学历 | 学位 — only when the third
                # names more columns (else it is the first row of people)
                if r + 2 < len(rows) and (deeper := _join_two_rows(tuple(joined), rows[r + 2])) \
                        and _score(deeper) > score:
                    candidates.append((_score(deeper), 3, deeper))
        for score, count, headers in candidates:
            if score > best[0]:
                best = (score, r, count, headers)
    if best[0] < 3:  # at least 姓名 and one more column
        raise FileRefused("没有找到表头：表格前 30 行中没有“姓名”等可识别的列名。请检查文件，或确认第一张工作表就是名册。")
    return best[1], best[2], best[3]


def map_columns(headers: list[str], hidden: frozenset[int] = frozenset()) -> list[ColumnMap]:
    """The columns with a header and what each is imported as; of columns meaning the same, the
    first visible one (a column the sheet hides — an old copy, a helper — only when none is visible)."""
    columns = [ColumnMap(i, header, resolve_header(header)) for i, header in enumerate(headers) if header]
    for before, column in zip(columns, columns[1:], strict=False):
        if before.target in _PART_TIME and normalize_header(column.header) in _PLAIN_SCHOOL:
            column.target = "pt_school"
    named = {c.target for c in columns if normalize_header(c.header) not in _HIGHEST}
    for column in columns:  # 最高学历 beside 全日制学历: not the 全日制 one
        if column.target in named and normalize_header(column.header) in _HIGHEST:
            column.target = None
    one_per_target(columns, hidden)
    return columns


# 全日制教育 | 毕业院校系及专业 | 在职教育 | 毕业院校系及专业, as the 任免表 lays them out: a 毕业院校 column
# whose name says neither 全日制 nor 在职 belongs to the education on its left.
_PART_TIME = frozenset(("pt_education", "pt_degree"))
_PLAIN_SCHOOL = frozenset(normalize_header(h) for h in ("毕业院校系及专业", "毕业院校", "毕业院校及专业"))


def one_per_target(columns: list[ColumnMap], hidden: frozenset[int] = frozenset()) -> None:
    """Of the columns with the same target, the first visible one keeps it (one the sheet hides only when
    none is visible); the others are not imported."""
    used: set[str] = set()
    for column in sorted(columns, key=lambda c: c.index in hidden):  # visible ones first, in order
        if column.target in used:
            column.target = None
        elif column.target:
            used.add(column.target)


# A department's workbook often has, beside the 花名册, a sheet of each cadre's 家庭成员 (干部姓名 | 称谓 |
# 姓名 | 出生年月 | 政治面貌 | 工作单位及职务) or 简历 lines (姓名 | 起止时间 | 工作单位及职务). Their 姓名 and
# 出生年月 would read as a roster of cadres: family members and résumé lines imported as people.
# A bare 关系 may be a roster's own column (组织关系 shortened): it says 家庭成员 only beside a column no
# roster has — a member's name (成员姓名), or a second 姓名 (干部姓名 | 关系 | 姓名).
_FAMILY_HEADERS = frozenset(normalize_header(h) for h in ("称谓", "与本人关系", "家庭关系", "成员关系"))
_RELATION = normalize_header("关系")
_FAMILY_ONLY = frozenset(normalize_header(h) for h in (
    "家庭成员", "成员姓名", "家庭成员姓名", "亲属姓名", "家属姓名", "成员出生年月", "成员工作单位及职务"))
_RESUME_HEADERS = frozenset(normalize_header(h) for h in ("起止时间", "起止年月", "起止日期", "起讫时间"))


# A 干部任免审批表 typed as the form (label beside value, one person a sheet): its 姓名 | 张伟 | 性别 | 男 row
# reads as a header and the rows below as people called 民族, 入党时间, 现任职务 …
_FORM_TITLES = frozenset(normalize_header(h) for h in ("干部任免审批表", "任免审批表", "干部任免表"))
_FORM_LABEL_ROWS = 3


def form_sheet(rows: list[tuple], start: int, count: int, texts: list[str]) -> bool:
    """Whether the sheet is a 任免审批表 laid out as the form, not a roster: the form's title above the
    header, or field labels (民族, 入党时间, 现任职务 …) where the people's names stand."""
    for row in rows[:start]:
        if any(value.__class__ is str and normalize_header(value) in _FORM_TITLES for value in row):
            return True
    name_at = next((i for i, text in enumerate(texts) if resolve_header(text) == "name"), None)
    if name_at is None:
        return False
    below = rows[start + count:start + count + 12]
    labels = sum(1 for row in below if name_at < len(row) and row[name_at].__class__ is str
                 and resolve_header(row[name_at]) is not None)
    return labels >= _FORM_LABEL_ROWS


def sub_record_sheet(texts: list[str]) -> tuple[str, str] | None:
    """(what the sheet lists, the header that says so) for a sheet of 家庭成员 or 简历 lines, whose
    rows are not cadres; None for any other sheet."""
    relation = None
    for text in texts:
        header = normalize_header(text)
        if header in _FAMILY_HEADERS:
            return "家庭成员", text
        if header in _RESUME_HEADERS:
            return "简历", text
        if header == _RELATION:
            relation = relation or text
    if relation is not None:
        headers = [normalize_header(text) for text in texts if text]
        names = sum(1 for header in headers if resolve_header(header) == "name")
        if names > 1 or any(header in _FAMILY_ONLY for header in headers):
            return "家庭成员", relation
    return None


def detect_kind(columns: list[ColumnMap]) -> str:
    targets = {c.target for c in columns if c.target}
    if f"{TRAINING_PREFIX}name" in targets:
        return TRAINING
    profile_keys = targets - {"name", "id_number", "position", "unit", "remarks", "rank"}
    profile_keys = {t for t in profile_keys if not t.startswith(YEAR_PREFIX) and t != ASSESSMENT_TEXT}
    if any(t.startswith(YEAR_PREFIX) or t == ASSESSMENT_TEXT for t in targets) and not profile_keys:
        return ASSESSMENT
    return ROSTER
