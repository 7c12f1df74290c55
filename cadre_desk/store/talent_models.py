"""专业干部信息库: talent pools by field (configurable) and the cadres in them, each with a level and a note."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import Cadre, FlagField, VersionedModel

LEVELS = ("领军", "骨干", "储备")


class TalentPool(VersionedModel):
    name = CharField(max_length=40, unique=True)
    description = CharField(max_length=200, default="")
    sort_order = IntegerField(default=0)
    retired = FlagField(default=False)

    class Meta:
        table_name = "talent_pool"


class PoolMember(VersionedModel):
    pool = ForeignKeyField(TalentPool, column_name="pool_id", backref="members", on_delete="RESTRICT")
    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    level = CharField(max_length=10, default="骨干")
    joined_on = CharField(max_length=8, default="")
    note = TextField(default="")

    class Meta:
        table_name = "pool_member"
        indexes = ((("pool", "cadre"), True),)


TALENT_MODELS = [TalentPool, PoolMember]
