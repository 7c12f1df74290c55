"""Rows that are people already in the database (same 身份证号, or same name and birth month) or
earlier in the same file, and what the file would change about them, field by field.

The identity columns (身份证号, 姓名, 出生年月, 单位) of every cadre are read once per check: a
duplicate must be found whichever operator imports (the database refuses a second 身份证号 anyway),
but an operator sees the differences only for cadres of the units they may read; a match outside
them is named as such, nothing of that person shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cadre_desk.access import permissions, scope
from cadre_desk.domain import codes
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    BY_KEY,
    FAMILY,
    RECORDS,
    AssessmentItem,
    display_value,
    form_party,
)
from cadre_desk.domain.validation import FILLED_IN, LEFT_OUT, FieldWarning
from cadre_desk.exchange.plan import (
    ASSESSMENT_YEARS,
    INSERT,
    KEEP_BOTH,
    PHOTO,
    RECORD_COLUMNS,
    SAME_ID_NUMBER,
    SAME_NAME,
    SAME_NAME_BIRTH,
    Difference,
    ImportRow,
)

_CHUNK = 900


class CadreIndex:
    """Who is already there, by 身份证号, by name + birth month and by name."""

    def __init__(self) -> None:
        from cadre_desk.store.db import database
        from cadre_desk.store.models import Cadre

        self.by_id_number: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, str], int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.unit_of: dict[int, int] = {}
        query = Cadre.select(Cadre.id, Cadre.name, Cadre.birth, Cadre.id_number, Cadre.unit)
        cursor = database.execute(query)  # the driver's tuples: 100,000 cadres in a fraction of a second
        for cid, name, birth, number, unit_id in cursor:
            if number:
                self.by_id_number[number] = cid
            if birth:
                self.by_name_birth[(name, birth[:6])] = cid
            self.by_name.setdefault(name, []).append(cid)
            self.unit_of[cid] = unit_id
        self.scope = scope.current()

    def stored_gender(self, cadre_id: int) -> str:
        """The stored cadre's 性别 (code), read when a row that updates it gives none and needs one
        (a roster's 爱人 in its 家庭成员 with neither 性别 nor 身份证号): rare, one read each."""
        from cadre_desk.store.models import Cadre

        found = Cadre.select(Cadre.gender).where(Cadre.id == cadre_id).tuples().first()
        return (found[0] if found else "") or ""

    def visible(self, cadre_id: int) -> bool:
        """Whether the operator may see (and so update) this cadre: in their units."""
        return self.scope.covers_unit(self.unit_of.get(cadre_id))

    def find(self, values: dict[str, Any], by_name_only: bool = False) -> tuple[int | None, str]:
        """(the existing cadre, how it matched) for a row's clean values, or (None, "")."""
        number = values.get("id_number")
        if number and number in self.by_id_number:
            return self.by_id_number[number], SAME_ID_NUMBER
        birth = values.get("birth")
        birth = birth[:6] if isinstance(birth, str) else ""
        name = values.get("name") or ""
        if birth and (name, birth) in self.by_name_birth:
            return self.by_name_birth[(name, birth)], SAME_NAME_BIRTH
        if by_name_only and not birth and not number:
            same = self.by_name.get(name, [])
            if len(same) == 1:
                return same[0], SAME_NAME
        return None, ""


def mark_duplicate(row: ImportRow, index: CadreIndex, by_name_only: bool = False) -> None:
    cadre_id, kind = index.find(row.values, by_name_only)
    if cadre_id is None:
        return
    if not index.visible(cadre_id):
        row.problems.append(f"与您负责范围以外的一名干部{'身份证号相同' if kind == SAME_ID_NUMBER else '姓名、出生年月相同'}，"
                            "不能导入或更新；请与该干部所在单位的管理人员核实")
        return
    row.duplicate_id, row.duplicate_kind = cadre_id, kind
    avoided = index.scope.avoidance(permissions.EDIT, cadre_id)
    if avoided:  # 回避: one's own or a relative's file is not updated from a file either
        row.problems.append(avoided)


class FileDuplicates:
    """Rows of one file that are the same person as an earlier row."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.name_birth: dict[tuple[str, str], int] = {}

    def check(self, row: ImportRow) -> None:
        values = row.values
        number = values.get("id_number")
        key = (values.get("name", ""), str(values.get("birth") or "")[:6])
        if number and number in self.numbers:
            row.problems.append(f"与第 {self.numbers[number]} 行身份证号相同")
        elif key[1] and key in self.name_birth and not number:
            row.problems.append(f"与第 {self.name_birth[key]} 行姓名、出生年月相同")
        if number:
            self.numbers.setdefault(number, row.line)
        if key[1]:
            self.name_birth.setdefault(key, row.line)


def compare(rows: Iterable[ImportRow], unit_names: dict[int, str]) -> None:
    """Fill each duplicate row's differences: the fields the file gives that differ from the
    profile (read in batches of 900), and the version they were compared at."""
    from cadre_desk.store.models import Cadre

    rows = [r for r in rows if r.duplicate_id is not None]
    keys = [spec.key for spec in BY_KEY.values()]
    columns = [Cadre.unit if k == "unit" else getattr(Cadre, k) for k in keys]
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        stored = {r[0]: r[1:] for r in Cadre.select(Cadre.id, Cadre.version, *columns)
                  .where(Cadre.id.in_([r.duplicate_id for r in chunk])).tuples()}
        for row in chunk:
            found = stored.get(row.duplicate_id)
            if found is None:
                continue
            row.duplicate_version = found[0]
            old = dict(zip(keys, found[1:], strict=True))
            values = row.values
            # an LRMX file gives every element it has (its update keeps the profile's unit); a sheet, its
            # columns. What no element holds (人员状态, filled in as 在职 for a new profile) is not given.
            given = {k: v for k, v in values.items() if _in_lrmx(k)} if row.profile is not None else row.raw
            if row.profile is not None and old.get("political"):
                given.pop("political", None)  # an .lrmx has no 政治面貌: read from 入党时间, it fills an empty one
            if old.get("political") and not given.get("political") and row.warnings:
                # the stored 政治面貌 stays: the one filled in from 入党时间 is not said after all
                row.warnings = [w for w in row.warnings if not _filled_in(w, "political")]
            row.differences = tuple(differences(old, values, given, unit_names))
        _compare_assessments([r for r in chunk if _file_assessments(r) and r.duplicate_id in stored])
        _compare_records([r for r in chunk if (r.profile is not None or r.records) and r.duplicate_id in stored])
        _compare_photos([r for r in chunk if r.profile is not None and r.profile.photo and r.duplicate_id in stored])


def _in_lrmx(key: str) -> bool:
    """Whether an .lrmx holds the field: an element of its own, 年度考核结果, or 政治面貌 (read from 入党时间)."""
    from cadre_desk.exchange.assessment_text import ASSESSMENT_KEPT

    spec = BY_KEY.get(key)
    return spec is not None and (bool(spec.lrmx) or key in (ASSESSMENT_KEPT, "political"))


def _filled_in(warning: str, field: str) -> bool:
    return isinstance(warning, FieldWarning) and warning.about(field, FILLED_IN)


def left_out(row: ImportRow, key: str) -> bool:
    """Whether the row left out entries of a record it could not read (FieldWarning LEFT_OUT): an
    update keeps the stored ones whole, writing no part of them."""
    return any(isinstance(w, FieldWarning) and w.about(key, LEFT_OUT) for w in row.warnings)


def _left_out(row: ImportRow, key: str) -> bool:
    """left_out, and if so the stored records are kept by an update (not compared): the row's warnings
    say so while it is one (follow_action)."""
    if not left_out(row, key):
        return False
    row.kept_records = (*row.kept_records, key)
    follow_action(row)
    return True


def follow_action(row: ImportRow) -> None:
    """The warnings of entries left out as the row's action makes them true: an update keeps the stored
    records whole (已保留原有…，未更新); a new cadre (两人都保留) gets the entries read (未导入)."""
    if not row.kept_records:
        return
    kept = row.action not in (INSERT, KEEP_BOTH)
    row.warnings = [w.saying(kept) if isinstance(w, FieldWarning) and w.kind == LEFT_OUT and w.field in row.kept_records
                    else w for w in row.warnings]


def not_compared(row: ImportRow) -> str:
    """What the differences of a row leave out: the records it read in part, not compared with the stored
    ones and not updated ("" when none)."""
    labels = "、".join(_record_label(key) for key in row.kept_records)
    return f"{labels}未能全部识别，未与系统中的比对，更新时保留原有{labels}" if labels else ""


def _record_label(key: str) -> str:
    """家庭成员, as the profile's tab and its audit name it: the form's 家庭主要成员及重要社会关系 is too
    long; the others by their titles."""
    record = next(record for record in RECORDS if record.key == key)
    return record.label if key == FAMILY.key else record.title


def _given_records(row: ImportRow, key: str) -> list | None:
    """The records of ``key`` the row would write: a roster's cell read (None: an empty cell, the stored
    ones kept), an .lrmx's (which an update writes whatever they are)."""
    if row.profile is not None:
        return getattr(row.profile, key)
    return row.records.get(key)


def _compare_records(rows: list[ImportRow]) -> None:
    """A roster's (or an .lrmx's) 简历 / 奖惩情况 / 家庭成员 that differ from the stored ones, as the 任免表
    writes them: one more difference each (an update replaces the record with the file's; 无 clears it)."""
    from cadre_desk.exchange.lrmx_format import family_text, resume_text, rewards_text
    from cadre_desk.store.models import RECORD_MODELS

    shown = {"resume": resume_text, "rewards": rewards_text, "family": family_text}
    for target, key in RECORD_COLUMNS.items():
        given = [r for r in rows if _given_records(r, key) is not None]
        if not given:
            continue
        record = next(record for record in RECORDS if record.key == key)
        label = _record_label(key)
        model = RECORD_MODELS[key]
        stored: dict[int, list] = {}
        query = (model.select(model.cadre, *(getattr(model, f.key) for f in record.fields))
                 .where(model.cadre.in_([r.duplicate_id for r in given])).order_by(model.cadre, model.seq).tuples())
        for cid, *values in query:
            stored.setdefault(cid, []).append(record.item(*values))
        for row in given:
            if stored.get(row.duplicate_id) and _left_out(row, key):
                continue  # partly read: the stored records stay whole, none of them lost to an update
            before, after = shown[key](stored.get(row.duplicate_id, [])), shown[key](_given_records(row, key))
            if before != after:  # none given: said as the file says it
                row.differences = (*row.differences, Difference(target, label, before, after or "无"))


def _file_assessments(row: ImportRow) -> list:
    """The years of 年度考核 a row gives: a roster's cells read, an .lrmx's 年度考核结果 read."""
    return row.profile.assessments if row.profile is not None else row.assessments


def _compare_assessments(rows: list[ImportRow]) -> None:
    """A roster's (or an .lrmx's) years of 年度考核 that differ from the stored ones, as one more
    difference (the update writes the years the file gives: a row whose years are all stored as they
    are changes nothing). An .lrmx's 年度考核结果 that is what the program's own 任免表 writes for the
    stored profile (the last three years in words) is no change of the 原文 either."""
    from cadre_desk.exchange.assessment_text import ASSESSMENT_KEPT, official_text
    from cadre_desk.store.models import AnnualAssessment, Cadre

    if not rows:
        return
    stored: dict[int, dict[int, str]] = {}
    for cid, year, result in (AnnualAssessment.select(AnnualAssessment.cadre, AnnualAssessment.year,
                                                      AnnualAssessment.result)
                              .where(AnnualAssessment.cadre.in_([r.duplicate_id for r in rows])).tuples()):
        stored.setdefault(cid, {})[year] = result
    kept_texts = {}
    texted = [r for r in rows if r.profile is not None and any(d.key == ASSESSMENT_KEPT for d in r.differences)]
    if texted:
        kept_texts = dict(Cadre.select(Cadre.id, Cadre.assessment_text)
                          .where(Cadre.id.in_([r.duplicate_id for r in texted])).tuples())
    texted_ids = {id(r) for r in texted}
    table = codes.table(ASSESSMENTS.field("result").code_table)
    for row in rows:
        before = stored.get(row.duplicate_id, {})
        if id(row) in texted_ids:
            on_record = [AssessmentItem(year, result, "", "") for year, result in before.items()]
            written = official_text(kept_texts.get(row.duplicate_id) or "", on_record)
            if (row.values.get(ASSESSMENT_KEPT) or "").strip() == written.strip():
                row.differences = tuple(d for d in row.differences if d.key != ASSESSMENT_KEPT)
        changed = sorted((a for a in _file_assessments(row) if before.get(a.year) != a.result),
                         key=lambda a: a.year)
        if changed:
            row.differences = (*row.differences, Difference(
                ASSESSMENT_YEARS, "年度考核",
                "、".join(f"{a.year}年{table.name(before[a.year])}" for a in changed if a.year in before),
                "、".join(f"{a.year}年{table.name(a.result)}" for a in changed)))


def _compare_photos(rows: list[ImportRow]) -> None:
    """An .lrmx's photo that is not the stored one, as one more difference (an update replaces it)."""
    from cadre_desk.store.models import CadrePhoto

    stored = {cid: bytes(data) for cid, data in CadrePhoto.select(CadrePhoto.cadre, CadrePhoto.data)
              .where(CadrePhoto.cadre.in_([r.duplicate_id for r in rows])).tuples()}
    for row in rows:
        before = stored.get(row.duplicate_id)
        if before != row.profile.photo:
            row.differences = (*row.differences, Difference(PHOTO, "照片", "有" if before else "", "更换"))


def differences(old: dict[str, Any], new: dict[str, Any], given: dict[str, Any],
                unit_names: dict[int, str]) -> list[Difference]:
    """Fields the file gives (non-empty) whose clean value differs from the stored one; a month field
    (出生年月, 参加工作时间 …) differs when the month shown does."""
    out = []
    for key, value in new.items():
        spec = BY_KEY.get(key)
        if spec is None or value in (None, ""):
            continue
        if key not in given:
            continue  # filled in (gender from the 身份证号, a default unit), not given by the file
        before = old.get(key)
        if (before or "") == value:
            continue
        if key == "party" and not before and value == form_party(old):
            continue  # 民建 under 入党时间 where 政治面貌 says it: as the 任免表 and the roster write it
        shown_before, shown = display_value(spec, before, unit_names), display_value(spec, value, unit_names)
        if spec.month and shown_before == shown:
            continue  # the same month (a roster's 1986.05, the 19860512 stored): the stored day is kept
        out.append(Difference(key, spec.label, shown_before, shown))
    return out
