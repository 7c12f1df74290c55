"""Peewee models of the foundation. Feature modules keep their own models beside this file."""

from __future__ import annotations

from peewee import (
    BlobField,
    CharField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from cadre_desk.domain import clock
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    FAMILY,
    FIELDS,
    RESUME,
    REWARDS,
    TRAININGS,
    FieldSpec,
    RecordSpec,
)
from cadre_desk.store.db import database


class FlagField(IntegerField):
    """A yes/no kept as 0/1 in an INTEGER column, the same on both engines (the frozen tables say
    INTEGER; a server refuses a boolean there)."""

    def db_value(self, value):
        return None if value is None else int(bool(value))

    def python_value(self, value):
        return None if value is None else bool(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class VersionedModel(BaseModel):
    """An editable row: ``version`` grows on every save, for optimistic locking."""

    version = IntegerField(default=1)
    created_at = CharField(max_length=19, default=clock.now_iso)
    updated_at = CharField(max_length=19, default=clock.now_iso)


class Setting(BaseModel):
    key = CharField(primary_key=True, max_length=100)
    value = TextField()  # JSON


class Unit(VersionedModel):
    name = CharField(max_length=100)  # 简称 (市委办): what the tree and the screens show
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = CharField(max_length=400, index=True)  # "/1/5/12/": ids from the root, for subtree queries
    sort_order = IntegerField(default=0)
    kind = CharField(max_length=20, default="")  # 市直 / 县区 / 乡镇街道 / 企事业 (cadre_desk.units.units.KINDS)
    full_name = CharField(max_length=200, unique=True)  # 全称 (中共兴平市委办公室): exports, statistics, import


class UnitStaffing(BaseModel):
    """核定职数 of one unit at one 职务层次/职级; 实配 is counted from the cadres in post."""

    unit = ForeignKeyField(Unit, backref="staffing", on_delete="CASCADE", index=True)
    rank = CharField(max_length=18)  # RANK code
    approved = IntegerField(default=0)

    class Meta:
        indexes = ((("unit", "rank"), True),)


def _column_for(spec: FieldSpec):
    if spec.kind == "unit":
        return ForeignKeyField(Unit, column_name="unit_id", backref="cadres", on_delete="RESTRICT",
                               index=True)
    if spec.kind in ("longtext",):
        return TextField(default="")
    return CharField(max_length=max(spec.max_length or 100, 8), default="",
                     index=spec.key in ("name", "birth", "status"))


class Cadre(VersionedModel):
    """A cadre profile; its columns come from the field registry. Indexes beyond the single-column ones
    are made by the migrations (cadre_status_unit_rank: 职数 counts cadres in post per unit and level)."""

    name_initials = CharField(max_length=40, default="", index=True)  # pinyin initials: 张三 → zs

    class Meta:
        table_name = "cadre"


for _spec in FIELDS:
    Cadre._meta.add_field(_spec.key, _column_for(_spec))


def id_number_is(number: str):
    """WHERE clause for a cadre by 身份证号 that uses the partial unique index (a bare
    ``Cadre.id_number == x`` scans the whole table: SQLite needs the index's own condition)."""
    from peewee import SQL

    return (Cadre.id_number == number) & (Cadre.id_number != SQL("''"))


class CadrePhoto(BaseModel):
    cadre = ForeignKeyField(Cadre, primary_key=True, on_delete="CASCADE")
    data = BlobField()
    mime = CharField(max_length=30, default="image/jpeg")


def _record_column(spec: FieldSpec):
    if spec.kind == "year":
        return IntegerField()
    if spec.kind == "number":
        return FloatField(null=True)
    if spec.kind in ("text", "longtext") and not spec.max_length:
        return TextField(default="")
    return CharField(max_length=spec.max_length or 8, default=spec.default or "")


def _record_columns(model: type[BaseModel], record: RecordSpec) -> type[BaseModel]:
    """A sub-record's table: the cadre, then one column per registry field."""
    for spec in record.fields:
        model._meta.add_field(spec.key, _record_column(spec))
    return model


class ResumeEntry(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="resume", on_delete="CASCADE", index=True)
    seq = IntegerField()


class FamilyMember(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="family", on_delete="CASCADE", index=True)
    seq = IntegerField()


class RewardPunishment(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="rewards", on_delete="CASCADE", index=True)
    seq = IntegerField()


class Training(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="trainings", on_delete="CASCADE", index=True)
    seq = IntegerField()


class AnnualAssessment(BaseModel):
    """One row per cadre and year (no ``seq``: ordered by the year)."""

    cadre = ForeignKeyField(Cadre, backref="assessments", on_delete="CASCADE", index=True)

    class Meta:
        indexes = ((("cadre", "year"), True),)


# The profile's sub-records, each with the table that holds its rows.
RECORD_MODELS: dict[str, type[BaseModel]] = {
    RESUME.key: _record_columns(ResumeEntry, RESUME),
    FAMILY.key: _record_columns(FamilyMember, FAMILY),
    REWARDS.key: _record_columns(RewardPunishment, REWARDS),
    TRAININGS.key: _record_columns(Training, TRAININGS),
    ASSESSMENTS.key: _record_columns(AnnualAssessment, ASSESSMENTS),
}


class AuditLog(BaseModel):
    """Append-only and hash-chained: ``hash`` covers this row and the previous row's hash."""

    at = CharField(max_length=26, index=True)
    user = CharField(max_length=60, index=True)
    action = CharField(max_length=20, index=True)  # 新增 修改 删除 查看 打印 导出 导入 登录 …
    entity = CharField(max_length=40, default="")
    entity_id = IntegerField(null=True)
    summary = TextField(default="")
    changes = TextField(default="")  # JSON: {field: [old, new]}
    reason = TextField(default="")
    prev_hash = CharField(max_length=64, default="")
    hash = CharField(max_length=64, default="")


class AuditSubject(BaseModel):
    """A record an audit row of many at once is about (包抓 given to 3,000 postings: one row, its entity_id
    none): one per record, so that the newest change of that record is found by an index
    (security.conflicts.last_change) however many the row was about. Not chained: an index, not evidence."""

    audit_id = IntegerField()
    entity = CharField(max_length=40)
    entity_id = IntegerField()

    class Meta:
        table_name = "audit_subject"
        indexes = ((("entity", "entity_id", "audit_id"), False),)


FOUNDATION_MODELS = [Setting, Unit, UnitStaffing, Cadre, CadrePhoto, ResumeEntry, FamilyMember, RewardPunishment, Training,
                     AnnualAssessment, AuditLog, AuditSubject]
