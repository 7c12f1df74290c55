"""What an import is about to do, as plain data: the plan (file, sheet, columns, rows), each row's
checked values, problems, unit, duplicate and chosen action, the options and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cadre_desk.domain.fields import FIELDS, AssessmentItem, TrainingItem
from cadre_desk.profiles.cadres import CadreProfile

ROSTER, ASSESSMENT, TRAINING, LRMX = "roster", "assessment", "training", "lrmx"
KIND_LABELS = {ROSTER: "干部名册", ASSESSMENT: "年度考核结果", TRAINING: "培训记录", LRMX: "任免表（LRMX）"}
INSERT, UPDATE, SKIP, KEEP_BOTH = "insert", "update", "skip", "keep_both"
ACTION_LABELS = {INSERT: "新增", UPDATE: "更新已有", SKIP: "跳过", KEEP_BOTH: "两人都保留"}

# How a row matched a cadre already in the database (or an earlier row of the file)
SAME_ID_NUMBER, SAME_NAME_BIRTH, SAME_NAME = "id_number", "name_birth", "name"
DUPLICATE_LABELS = {SAME_ID_NUMBER: "身份证号相同", SAME_NAME_BIRTH: "姓名和出生年月相同",
                    SAME_NAME: "同名（表中无出生年月和身份证号可比对）"}

# Where a row's unit came from
UNIT_FROM_COLUMN, UNIT_FROM_POSITION, UNIT_DEFAULT, UNIT_CHOSEN = "column", "position", "default", "chosen"
UNIT_SOURCE_LABELS = {UNIT_FROM_COLUMN: "表中单位", UNIT_FROM_POSITION: "从现任职务推断",
                      UNIT_DEFAULT: "默认单位", UNIT_CHOSEN: "手工指定"}


FIELD_KEYS = tuple(spec.key for spec in FIELDS)
# A roster row's years of 年度考核 that differ from the stored ones: a difference that is no field
ASSESSMENT_YEARS = "assessment_years"
PHOTO = "photo"  # an .lrmx's photo that is not the stored one (a difference)
# A roster's column of a sub-record written as the 任免表 writes it, one person's in one cell (简历 lines,
# 奖惩情况, 家庭成员 one a line or apart by ；): the column's target → the record's key
RECORD_COLUMNS = MappingProxyType({"record:resume": "resume", "record:rewards": "rewards", "record:family": "family"})
# What a checked row without problems, hints or sub-records holds: one shared empty value each, so
# 200,000 rows do not carry 200,000 empty lists apiece.
NOTHING: tuple = ()
NO_SUGGESTIONS = MappingProxyType({})


@dataclass
class ColumnMap:
    index: int  # 0-based column
    header: str  # as found (joined for two-row headers)
    target: str | None  # field key, "year:2018", "train:…", or None (not imported)
    auto: bool = True


@dataclass(frozen=True, slots=True)
class Difference:
    """One field where the file and the existing profile disagree (display texts)."""

    key: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class ImportRow:
    line: int  # the sheet's row number, or the file's position for LRMX
    source: str = ""
    cells: tuple = ()  # the sheet row (shared with the sheet data, not copied)
    mapping: tuple = ()  # ((column index, target), …), one tuple shared by every row
    _values: Any = None  # clean, non-empty registry values: a dict while checked, then packed (see values)
    profile: CadreProfile | None = None  # LRMX: the whole profile (sub-records, photo)
    # empty until checked: the shared NOTHING / NO_SUGGESTIONS (a check gives each row its own lists)
    assessments: list[AssessmentItem] = NOTHING
    trainings: list[TrainingItem] = NOTHING
    records: dict[str, list] = field(default_factory=lambda: NO_SUGGESTIONS)  # roster: 简历 / 奖惩 read from cells
    problems: list[str] = NOTHING
    warnings: list[str] = NOTHING
    suggestions: dict[str, str] = field(default_factory=lambda: NO_SUGGESTIONS)  # field → suggested name
    duplicate_id: int | None = None
    duplicate_kind: str = ""  # SAME_ID_NUMBER / SAME_NAME_BIRTH / SAME_NAME
    duplicate_version: int = 0  # the profile's version when it was compared
    differences: tuple[Difference, ...] = ()  # file vs. the existing profile, changed fields only
    target_id: int | None = None  # existing cadre the row belongs to (appraisal/training rows)
    unit_id: int | None = None  # the unit the row goes to (existing)
    new_unit: str = ""  # …or a unit to create at commit (name, or 上级/下级 path)
    unit_source: str = ""  # UNIT_FROM_COLUMN / UNIT_FROM_POSITION / UNIT_DEFAULT / UNIT_CHOSEN
    unit_choice: int | str | None = None  # the clerk's correction: a unit id or a new unit's name
    action: str = INSERT
    chosen_action: str = ""  # the clerk's choice for this row (kept when the rows are checked again)
    fixed_raw: dict[str, Any] | None = None  # LRMX rows have no cells
    insert_problems: list[str] = NOTHING  # why a duplicate cannot be a new profile
    not_read: list[str] = NOTHING  # LRMX: what the file holds that no field takes (said with each check)
    kept_records: tuple[str, ...] = ()  # records of the cadre matched read in part: an update keeps them whole
    continued: tuple[int, ...] = ()  # the rows below the person's own, its 姓名 merged over them (not read)
    continued_why: str = ""  # …and what in them is no continuation of the person's row (continued_rows)
    joined: tuple[int, ...] = ()  # the rows below the person's own whose text was joined to it
    joined_what: tuple[str, ...] = ()  # …the columns they went on with (简历、现任职务)
    not_joined: str = ""  # a row with no name right under a person's: its cell that is no continuation of it

    @property
    def raw(self) -> dict[str, Any]:
        """target → raw cell value, for the mapped, non-empty cells (built on demand: 100k rows fit)."""
        if self.fixed_raw is not None:
            return self.fixed_raw
        cells = self.cells
        size = len(cells)
        return {target: cells[i] for i, target in self.mapping if i < size and cells[i] not in (None, "")}

    @property
    def values(self) -> dict[str, Any]:
        """The clean, non-empty registry values by key. A checked row keeps them packed as one tuple
        in FIELD_KEYS order (a third of a dict's memory); each access unpacks a new dict."""
        packed = self._values
        if packed is None:
            return {}
        if packed.__class__ is tuple:
            return {k: v for k, v in zip(FIELD_KEYS, packed, strict=True) if v is not None}
        return packed

    @values.setter
    def values(self, values: dict[str, Any]) -> None:
        self._values = values

    def packed_values(self) -> tuple:
        """The values in FIELD_KEYS order, None where empty."""
        packed = self._values
        if packed.__class__ is tuple:
            return packed
        return tuple(map((packed or {}).get, FIELD_KEYS))

    def settle(self) -> None:
        """Once checked: values packed, empty lists and dicts replaced by shared empty ones."""
        if self._values.__class__ is dict:
            self._values = self.packed_values()
        if not self.problems:
            self.problems = NOTHING
        if not self.warnings:
            self.warnings = NOTHING
        if not self.suggestions:
            self.suggestions = NO_SUGGESTIONS
        if not self.assessments:
            self.assessments = NOTHING
        if not self.trainings:
            self.trainings = NOTHING
        if not self.records:
            self.records = NO_SUGGESTIONS
        if not self.insert_problems:
            self.insert_problems = NOTHING

    @property
    def name(self) -> str:
        return str(self.values.get("name") or self.raw.get("name") or "")

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def duplicate_reason(self) -> str:
        return DUPLICATE_LABELS.get(self.duplicate_kind, "")

    def unchanged(self, kind: str) -> bool:
        """A roster row or an .lrmx chosen to update a cadre who already has everything it gives
        (无变化): the import writes nothing for it."""
        return (kind in (ROSTER, LRMX) and self.action == UPDATE and self.duplicate_id is not None
                and not self.differences)

    def allowed_actions(self) -> tuple[str, ...]:
        """What the clerk may choose for this row."""
        if self.target_id is not None:  # an appraisal / training row always adds to its cadre
            return (UPDATE, SKIP)
        if self.duplicate_id is None:
            return (INSERT, SKIP)
        if self.duplicate_kind == SAME_ID_NUMBER:
            return (UPDATE, SKIP)
        return (UPDATE, SKIP, KEEP_BOTH)


@dataclass
class ImportOptions:
    accept_suggestions: bool = False  # 汉 → 汉族 when the code table has one close name
    create_units: bool = False  # unknown unit names become new units
    default_unit_id: int | None = None  # for rows whose unit is neither given nor derivable
    default_unit_name: str = ""  # …or a unit to create for them (with create_units)
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
    data: Any = field(default=None, repr=False)  # the sheet (workbooks.SheetData)
    files: list[str] = field(default_factory=list)
    checking: Any = field(default=None, repr=False)  # a preview's rows still to read and check
    sheet_notes: list[str] = field(default_factory=list)  # the workbook's other sheets, not read; merged cells read
    sheet_names: tuple[str, ...] = ()  # the workbook's visible sheets (``sheet`` among them)
    # the rows with no name whose only content is a post: joined to the person above or skipped as vacant
    # (continued_rows.PostRow), and the clerk's choices for them by sheet row (continued_rows.JOIN / VACANT)
    post_rows: list = field(default_factory=list)
    post_choices: dict[int, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every row is read and checked (a preview shows the first ones before; an
        import needs all of them)."""
        return self.checking is None

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
            "updated": sum(1 for r in chosen if r.ok and r.action == UPDATE and not r.unchanged(self.kind)),
            "unchanged": sum(1 for r in chosen if r.ok and r.unchanged(self.kind)),
            "derived_units": sum(1 for r in self.rows if r.unit_source == UNIT_FROM_POSITION),
        }


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    skipped: int
    rejected: int
    ids: tuple[int, ...] = ()
    backup: Path | None = None  # the backup made just before the import wrote anything
    unchanged: int = 0  # roster rows matching a cadre who has all they give (无变化): nothing written
