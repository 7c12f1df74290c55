"""Cadre profiles: read, create, update (optimistic lock), delete; every change audited."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import check_date
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.domain.fields import FIELDS, LIST_FIELDS, display_value
from cadre_desk.domain.pinyin import initials
from cadre_desk.domain.validation import clean_code, resume_warnings, validate_profile_values
from cadre_desk.security import audit
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import (
    AnnualAssessment,
    Cadre,
    CadrePhoto,
    FamilyMember,
    ResumeEntry,
    RewardPunishment,
    Training,
    Unit,
    id_number_is,
)


@dataclass
class ResumeItem:
    start: str = ""
    end: str = ""
    text: str = ""


@dataclass
class FamilyItem:
    relation: str = ""  # GB4761 code
    name: str = ""
    birth: str = ""
    political: str = ""  # GB4762 code
    work: str = ""
    id_number: str = ""


@dataclass
class RewardItem:
    date: str = ""
    kind: str = "1"  # REWARD_KIND code
    content: str = ""
    issuer: str = ""


@dataclass
class TrainingItem:
    name: str = ""
    organizer: str = ""
    start: str = ""
    end: str = ""
    hours: float | None = None


@dataclass
class AssessmentItem:
    year: int = 0
    result: str = ""  # ASSESSMENT code
    remark: str = ""
    source: str = ""


@dataclass
class CadreProfile:
    """A whole profile as plain data: registry values plus the sub-records."""

    id: int | None = None
    version: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    resume: list[ResumeItem] = field(default_factory=list)
    family: list[FamilyItem] = field(default_factory=list)
    rewards: list[RewardItem] = field(default_factory=list)
    trainings: list[TrainingItem] = field(default_factory=list)
    assessments: list[AssessmentItem] = field(default_factory=list)
    photo: bytes | None = None

    @property
    def name(self) -> str:
        return self.values.get("name", "")


@dataclass(frozen=True)
class SaveResult:
    profile: CadreProfile
    warnings: dict[str, str]


_SUBRECORDS = (
    ("resume", ResumeEntry, ResumeItem, "简历"),
    ("family", FamilyMember, FamilyItem, "家庭成员"),
    ("rewards", RewardPunishment, RewardItem, "奖惩"),
    ("trainings", Training, TrainingItem, "培训"),
)


def new_profile(unit_id: int | None = None) -> CadreProfile:
    values = {spec.key: "" for spec in FIELDS}
    values["unit"] = unit_id
    values["status"] = "1"
    values["ethnicity"] = "01"
    values["health"] = "1"
    return CadreProfile(values=values)


def _values_of(row: Cadre) -> dict[str, Any]:
    values = {spec.key: getattr(row, spec.key if spec.kind != "unit" else "unit_id") for spec in FIELDS}
    return values


def get_profile(cadre_id: int, *, audit_view: bool = False) -> CadreProfile:
    row = Cadre.get_or_none(Cadre.id == cadre_id)
    if row is None:
        raise NotFoundError(f"编号为 {cadre_id} 的干部不存在或已被删除。")
    permissions.require(permissions.READ, unit_id=row.unit_id, cadre_id=cadre_id)
    profile = CadreProfile(id=row.id, version=row.version, values=_values_of(row))
    for attr, model, item_cls, _label in _SUBRECORDS:
        names = [f.name for f in dataclasses.fields(item_cls)]
        items = [item_cls(**{n: getattr(r, n) for n in names})
                 for r in model.select().where(model.cadre == cadre_id).order_by(model.seq)]
        setattr(profile, attr, items)
    profile.assessments = [
        AssessmentItem(r.year, r.result, r.remark, r.source)
        for r in AnnualAssessment.select().where(AnnualAssessment.cadre == cadre_id).order_by(
            AnnualAssessment.year.desc())
    ]
    photo = CadrePhoto.get_or_none(CadrePhoto.cadre == cadre_id)
    profile.photo = bytes(photo.data) if photo else None
    if audit_view:
        with write_transaction():
            audit.record(audit.VIEW, "干部", cadre_id, f"查看 {profile.name} 的完整档案")
    return profile


# ---- validation of the sub-records -------------------------------------------------------------


def _validate_subrecords(profile: CadreProfile, errors: dict[str, str]) -> tuple[dict, list[str]]:
    clean: dict[str, list] = {}
    warns: list[str] = []
    resume = []
    for i, item in enumerate(profile.resume):
        if not (item.start or item.end or item.text):
            continue
        key = f"resume[{i}]"
        start = check_date(item.start, f"简历第 {i + 1} 条起始时间", errors, key + ".start", required=True)
        end = check_date(item.end, f"简历第 {i + 1} 条截止时间", errors, key + ".end")
        text = " ".join((item.text or "").split())
        if not text:
            errors[key + ".text"] = f"请填写简历第 {i + 1} 条的内容"
        if start and end and end < start[: len(end)]:
            errors[key + ".end"] = f"简历第 {i + 1} 条截止时间早于起始时间"
        resume.append(ResumeItem(start[:6] if start else "", end[:6] if end else "", text))
    resume.sort(key=lambda r: r.start)
    clean["resume"] = resume
    if not any(k.startswith("resume") for k in errors):
        warns.extend(resume_warnings([(r.start, r.end) for r in resume]))

    family = []
    for i, item in enumerate(profile.family):
        if not (item.relation or item.name):
            continue
        key = f"family[{i}]"
        relation = political = ""
        try:
            relation = clean_code(_RELATION, item.relation)
        except ValueError as exc:
            errors[key + ".relation"] = f"家庭成员第 {i + 1} 行：{exc}"
        if not relation and key + ".relation" not in errors:
            errors[key + ".relation"] = f"请填写家庭成员第 {i + 1} 行的称谓"
        try:
            political = clean_code(_POLITICAL, item.political)
        except ValueError as exc:
            errors[key + ".political"] = f"家庭成员第 {i + 1} 行：{exc}"
        name = " ".join((item.name or "").split())
        if not name:
            errors[key + ".name"] = f"请填写家庭成员第 {i + 1} 行的姓名"
        elif len(name) > 18:
            errors[key + ".name"] = f"家庭成员第 {i + 1} 行姓名最多 18 个字"
        birth = check_date(item.birth, f"家庭成员第 {i + 1} 行出生日期", errors, key + ".birth")
        work = (item.work or "").strip()
        if len(work) > 124:
            errors[key + ".work"] = f"家庭成员第 {i + 1} 行工作单位及职务最多 124 个字"
        family.append(FamilyItem(relation, name, birth, political, work, (item.id_number or "").strip().upper()))
    clean["family"] = family

    rewards = []
    for i, item in enumerate(profile.rewards):
        if not (item.content or item.date):
            continue
        key = f"rewards[{i}]"
        date = check_date(item.date, f"奖惩第 {i + 1} 条时间", errors, key + ".date")
        content = (item.content or "").strip()
        if not content:
            errors[key + ".content"] = f"请填写奖惩第 {i + 1} 条的内容"
        kind = item.kind if item.kind in ("1", "2") else codes.table("REWARD_KIND").code(item.kind) or "1"
        rewards.append(RewardItem(date, kind, content, (item.issuer or "").strip()))
    clean["rewards"] = rewards

    trainings = []
    for i, item in enumerate(profile.trainings):
        if not (item.name or item.start):
            continue
        key = f"trainings[{i}]"
        start = check_date(item.start, f"培训第 {i + 1} 条开始时间", errors, key + ".start")
        end = check_date(item.end, f"培训第 {i + 1} 条结束时间", errors, key + ".end")
        name = (item.name or "").strip()
        if not name:
            errors[key + ".name"] = f"请填写培训第 {i + 1} 条的名称"
        if start and end and end < start[: len(end)]:
            errors[key + ".end"] = f"培训第 {i + 1} 条结束时间早于开始时间"
        hours = item.hours
        if hours in ("", None):
            hours = None
        else:
            try:
                hours = float(hours)
                if hours < 0 or hours > 10000:
                    raise ValueError
            except (TypeError, ValueError):
                errors[key + ".hours"] = f"培训第 {i + 1} 条学时应为 0–10000 的数字"
                hours = None
        trainings.append(TrainingItem(name, (item.organizer or "").strip(), start, end, hours))
    clean["trainings"] = trainings

    assessments: dict[int, AssessmentItem] = {}
    for i, item in enumerate(profile.assessments):
        if not (item.year or item.result):
            continue
        key = f"assessments[{i}]"
        try:
            year = int(item.year)
            if not 1950 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors[key + ".year"] = f"年度考核第 {i + 1} 行年度无效"
            continue
        try:
            result = clean_code(_ASSESSMENT, item.result)
        except ValueError as exc:
            errors[key + ".result"] = f"年度考核第 {i + 1} 行：{exc}"
            continue
        if not result:
            errors[key + ".result"] = f"请填写 {year} 年度考核结果"
            continue
        if year in assessments:
            errors[key + ".year"] = f"{year} 年度考核结果重复"
            continue
        assessments[year] = AssessmentItem(year, result, (item.remark or "").strip(), item.source or "手工录入")
    clean["assessments"] = sorted(assessments.values(), key=lambda a: -a.year)
    return clean, warns


class _CodeRef:
    def __init__(self, label: str, table: str):
        self.label, self.code_table = label, table


_RELATION = _CodeRef("称谓", "GB4761")
_POLITICAL = _CodeRef("政治面貌", "GB4762")
_ASSESSMENT = _CodeRef("考核结果", "ASSESSMENT")


def validate_profile(profile: CadreProfile) -> tuple[dict[str, Any], dict[str, list], dict[str, str]]:
    """All checks without saving: (clean values, clean sub-records, warnings) or ValidationError."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    try:
        values, warnings = validate_profile_values(profile.values)
    except ValidationError as exc:
        errors.update(exc.errors)
        warnings.update(exc.warnings)
        values = dict(profile.values)
    subrecords, resume_warns = _validate_subrecords(profile, errors)
    if resume_warns:
        warnings["resume"] = "；".join(resume_warns)
    unit_id = values.get("unit")
    if unit_id and "unit" not in errors and not Unit.select().where(Unit.id == unit_id).exists():
        errors["unit"] = "所选单位不存在，请重新选择"
    number = values.get("id_number")
    if number and "id_number" not in errors:
        query = Cadre.select(Cadre.id, Cadre.name).where(id_number_is(number))
        if profile.id is not None:
            query = query.where(Cadre.id != profile.id)
        other = query.first()
        if other is not None:
            errors["id_number"] = f"身份证号与已有干部“{other.name}”重复"
    if errors:
        raise ValidationError(errors, warnings)
    return values, subrecords, warnings


def _row_values(values: dict[str, Any]) -> dict[str, Any]:
    row = {}
    for spec in FIELDS:
        value = values.get(spec.key)
        if spec.kind == "unit":
            row["unit"] = value
        else:
            row[spec.key] = "" if value is None else value
    row["name_initials"] = initials(values.get("name", ""))
    return row


def _write_subrecords(cadre_id: int, subrecords: dict[str, list], before: CadreProfile | None = None) -> None:
    """Replace the sub-records that changed (all of them for a new profile)."""
    for attr, model, _item_cls, _label in _SUBRECORDS:
        if before is not None and getattr(before, attr) == subrecords[attr]:
            continue
        if before is not None:
            model.delete().where(model.cadre == cadre_id).execute()
        rows = [dict(dataclasses.asdict(item), cadre=cadre_id, seq=i) for i, item in enumerate(subrecords[attr])]
        if rows:
            model.insert_many(rows).execute()
    if before is not None and before.assessments == subrecords["assessments"]:
        return
    if before is not None:
        AnnualAssessment.delete().where(AnnualAssessment.cadre == cadre_id).execute()
    rows = [dict(dataclasses.asdict(a), cadre=cadre_id) for a in subrecords["assessments"]]
    if rows:
        AnnualAssessment.insert_many(rows).execute()


def _subrecord_snapshot(profile: CadreProfile) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for attr, _model, _cls, label in _SUBRECORDS:
        snap[label] = [dataclasses.astuple(i) for i in getattr(profile, attr)]
    snap["年度考核"] = [dataclasses.astuple(a)[:2] for a in profile.assessments]
    return snap


def save_profile(profile: CadreProfile) -> SaveResult:
    """Create (id None) or update a profile. Raises ValidationError with every field's message, or
    ConflictError when the stored version moved on since ``profile`` was read."""
    with write_transaction():
        permissions.require(permissions.EDIT, unit_id=profile.values.get("unit"), cadre_id=profile.id)
        values, subrecords, warnings = validate_profile(profile)
        row = _row_values(values)
        stamp = clock.now_iso()
        before: CadreProfile | None = None
        if profile.id is None:
            cadre_id = Cadre.insert(**row, version=1, created_at=stamp, updated_at=stamp).execute()
            old_values: dict[str, Any] = {}
            old_snap: dict[str, Any] = {}
            action, summary = audit.CREATE, f"新增干部 {values['name']}"
        else:
            cadre_id = profile.id
            try:
                before = get_profile(cadre_id)
            except NotFoundError:
                raise ConflictError("该干部已被他人删除，无法保存。") from None
            changed = (Cadre.update(**row, version=Cadre.version + 1, updated_at=stamp)
                       .where(Cadre.id == cadre_id, Cadre.version == profile.version).execute())
            if not changed:
                raise ConflictError()
            old_values, old_snap = before.values, _subrecord_snapshot(before)
            action, summary = audit.UPDATE, f"修改干部 {values['name']}"
        _write_subrecords(cadre_id, subrecords, before)
        photo_changed = profile.photo is not None and (before is None or profile.photo != before.photo)
        if photo_changed:
            if profile.photo:
                CadrePhoto.insert(cadre=cadre_id, data=profile.photo).on_conflict(
                    conflict_target=[CadrePhoto.cadre], update={CadrePhoto.data: profile.photo}).execute()
            else:
                CadrePhoto.delete().where(CadrePhoto.cadre == cadre_id).execute()
        # What is stored now: the row read back, the sub-records as just written (same order as
        # get_profile reads them), without reading every table again.
        stored = Cadre.get_by_id(cadre_id)
        saved = CadreProfile(id=cadre_id, version=stored.version, values=_values_of(stored),
                             resume=list(subrecords["resume"]), family=list(subrecords["family"]),
                             rewards=list(subrecords["rewards"]), trainings=list(subrecords["trainings"]),
                             assessments=list(subrecords["assessments"]))
        if photo_changed:
            saved.photo = profile.photo or None
        else:
            saved.photo = before.photo if before is not None else None
        changes = audit.diff(old_values, saved.values)
        changes.update(audit.diff(old_snap, _subrecord_snapshot(saved)))
        if photo_changed:
            changes["照片"] = ["", "已更换" if profile.photo else "已删除"]
        audit.record(action, "干部", cadre_id, summary, changes)
    access_scope.changed()  # a name, 身份证号, unit or family record may change who must 回避
    return SaveResult(saved, warnings)


def delete_cadre(cadre_id: int, version: int | None = None) -> None:
    with write_transaction():
        row = Cadre.get_or_none(Cadre.id == cadre_id)
        if row is None:
            raise NotFoundError("该干部不存在或已被删除。")
        permissions.require(permissions.EDIT, unit_id=row.unit_id, cadre_id=cadre_id)
        if version is not None and row.version != version:
            raise ConflictError()
        values = _values_of(row)
        for hook in DELETE_HOOKS:
            hook(cadre_id)
        Cadre.delete().where(Cadre.id == cadre_id).execute()
        audit.record(audit.DELETE, "干部", cadre_id, f"删除干部 {row.name}（{row.id_number}）",
                     {k: [v, None] for k, v in values.items() if v not in ("", None)})
    access_scope.changed()


# Feature modules append a function(cadre_id) that refuses (ValidationError) or cleans up a delete.
DELETE_HOOKS: list = []


def count() -> int:
    return Cadre.select().count()


# ---- the list ----------------------------------------------------------------------------------

LIST_KEYS: tuple[str, ...] = tuple(spec.key for spec in LIST_FIELDS)


def _list_columns():
    cols = [Cadre.id, Cadre.name_initials]
    for spec in LIST_FIELDS:
        cols.append(Cadre.unit if spec.kind == "unit" else getattr(Cadre, spec.key))
    return cols


# List columns with few distinct values (codes, dates): their strings are shared between rows, which
# takes ~40 % off the memory of a 100,000-row list.
_SHARED_KINDS = ("code", "codes", "date", "party", "unit")


def list_rows(ids: list[int] | None = None) -> list[tuple]:
    """Rows for the cadre list as plain tuples: (id, initials, *LIST_KEYS values)."""
    query = Cadre.select(*_list_columns()).order_by(Cadre.id)
    if ids is not None:
        query = query.where(Cadre.id.in_(ids))
    query = access_scope.current().restrict(query, unit=Cadre.unit)
    # The driver's own tuples: peewee's row conversion triples the time of a 100,000-row load.
    cursor = database.execute(query)
    shared = [i + 2 for i, spec in enumerate(LIST_FIELDS) if spec.kind in _SHARED_KINDS]
    pools: list[dict] = [{} for _ in shared]
    out: list[tuple] = []
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            return out
        columns = list(zip(*batch, strict=True))
        for pool, col in zip(pools, shared, strict=True):
            columns[col] = map(pool.setdefault, columns[col], columns[col])
        out.extend(zip(*columns, strict=True))


def display_profile_value(key: str, profile: CadreProfile, unit_names: dict[int, str] | None = None) -> str:
    from cadre_desk.domain.fields import BY_KEY

    return display_value(BY_KEY[key], profile.values.get(key), unit_names)
