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
from cadre_desk.domain.fields import FIELDS, FieldSpec
from cadre_desk.store.db import database


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
    name = CharField(max_length=100)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = CharField(max_length=400, index=True)  # "/1/5/12/": ids from the root, for subtree queries
    sort_order = IntegerField(default=0)
    short_name = CharField(max_length=50, default="")
    kind = CharField(max_length=20, default="")  # 党政机关 / 事业单位 / 乡镇街道 …


def _column_for(spec: FieldSpec):
    if spec.kind == "unit":
        return ForeignKeyField(Unit, column_name="unit_id", backref="cadres", on_delete="RESTRICT",
                               index=True)
    if spec.kind in ("longtext",):
        return TextField(default="")
    return CharField(max_length=max(spec.max_length or 100, 8), default="",
                     index=spec.key in ("name", "birth", "status"))


class Cadre(VersionedModel):
    """A cadre profile; its columns come from the field registry."""

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


class ResumeEntry(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="resume", on_delete="CASCADE", index=True)
    seq = IntegerField()
    start = CharField(max_length=8)
    end = CharField(max_length=8, default="")
    text = TextField()


class FamilyMember(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="family", on_delete="CASCADE", index=True)
    seq = IntegerField()
    relation = CharField(max_length=10)  # GB4761 code
    name = CharField(max_length=18)
    birth = CharField(max_length=8, default="")
    political = CharField(max_length=4, default="")  # GB4762 code
    work = CharField(max_length=124, default="")
    id_number = CharField(max_length=18, default="")


class RewardPunishment(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="rewards", on_delete="CASCADE", index=True)
    seq = IntegerField()
    date = CharField(max_length=8, default="")
    kind = CharField(max_length=2, default="1")  # REWARD_KIND
    content = TextField()
    issuer = CharField(max_length=100, default="")


class Training(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="trainings", on_delete="CASCADE", index=True)
    seq = IntegerField()
    name = CharField(max_length=200)
    organizer = CharField(max_length=100, default="")
    start = CharField(max_length=8, default="")
    end = CharField(max_length=8, default="")
    hours = FloatField(null=True)


class AnnualAssessment(BaseModel):
    cadre = ForeignKeyField(Cadre, backref="assessments", on_delete="CASCADE", index=True)
    year = IntegerField()
    result = CharField(max_length=2)  # ASSESSMENT code
    remark = CharField(max_length=200, default="")
    source = CharField(max_length=40, default="")  # 手工录入 / 考核鉴定 / 导入

    class Meta:
        indexes = ((("cadre", "year"), True),)


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


FOUNDATION_MODELS = [Setting, Unit, Cadre, CadrePhoto, ResumeEntry, FamilyMember, RewardPunishment, Training,
                     AnnualAssessment, AuditLog]
