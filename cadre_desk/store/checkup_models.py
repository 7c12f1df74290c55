"""政治体检: the checklist items (configurable), a quarter's 提醒单 issued to a group (a round), and each
cadre's sheet in it with the check-back result (核查对单)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import BaseModel, Cadre, FlagField, VersionedModel

UNCHECKED, CLEAN, FIXED, FIXING = "", "无问题", "已整改", "整改中"
RESULTS = (CLEAN, FIXED, FIXING)  # a sheet's result once checked back; "" = 未核查


class CheckupItem(BaseModel):
    """One item of the checklist (对照检查项目): what a cadre checks himself against each quarter."""

    name = CharField(max_length=60, unique=True)
    description = TextField(default="")
    sort_order = IntegerField(default=0)
    retired = FlagField(default=False)

    class Meta:
        table_name = "checkup_item"


class CheckupRound(VersionedModel):
    """A quarter's 提醒单 issued to a group; the checklist as issued is kept with it (JSON)."""

    year = IntegerField()
    quarter = IntegerField()
    title = CharField(max_length=100)
    issued_on = CharField(max_length=8)
    due = CharField(max_length=8, default="")
    group_note = CharField(max_length=200, default="")  # 对象范围: 一线在岗干部 / 某单位 …
    items = TextField(default="[]")  # [[name, description], …] as printed on the sheets
    issuer = CharField(max_length=60, default="")

    class Meta:
        table_name = "checkup_round"
        indexes = ((("year", "quarter"), False),)


class CheckupSheet(VersionedModel):
    """One cadre's 提醒单 in a round and its 核查对单 result."""

    round = ForeignKeyField(CheckupRound, column_name="round_id", backref="sheets", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    result = CharField(max_length=10, default=UNCHECKED, index=True)
    checked_on = CharField(max_length=8, default="")
    checker = CharField(max_length=60, default="")
    findings = TextField(default="")  # 存在问题
    rectification = TextField(default="")  # 整改措施

    class Meta:
        table_name = "checkup_sheet"
        indexes = ((("round", "cadre"), True),)


CHECKUP_MODELS = [CheckupItem, CheckupRound, CheckupSheet]
