"""关爱 and supervision: 谈心谈话 records, 关爱 items (体检, 休假, 心理健康 training …), and the restricted
提醒 / 函询 / 诫勉 records of 干部监督."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import Cadre, FlagField, VersionedModel

OCCASIONS = ("到岗谈话", "日常谈心", "期中谈话", "期满谈话", "关爱谈话", "其他")
CARE_KINDS = ("体检", "休假", "心理健康培训", "走访慰问", "其他")
SUPERVISION_KINDS = ("提醒", "函询", "诫勉")
SUPERVISION_SOURCES = ("巡视巡察", "信访举报", "12380举报", "审计", "日常监督", "其他")


class TalkRecord(VersionedModel):
    """谈心谈话: who talked with the cadre, when, about what, and what is to follow."""

    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    date = CharField(max_length=8)
    talker = CharField(max_length=40)
    occasion = CharField(max_length=10, default="日常谈心")
    topics = TextField(default="")
    follow_up = TextField(default="")
    follow_up_done = FlagField(default=False)
    posting_id = IntegerField(null=True)
    recorder = CharField(max_length=60, default="")

    class Meta:
        table_name = "talk_record"
        indexes = ((("cadre", "date"), False),)


class CareRecord(VersionedModel):
    """关爱: a 体检, a 休假, a 心理健康 training, a visit …"""

    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    kind = CharField(max_length=10)
    date = CharField(max_length=8)
    end_date = CharField(max_length=8, default="")  # 休假 and training: the last day
    content = TextField(default="")
    recorder = CharField(max_length=60, default="")

    class Meta:
        table_name = "care_record"
        indexes = ((("kind", "date"), False),)


class SupervisionRecord(VersionedModel):
    """提醒 / 函询 / 诫勉 with the source of the matter. Seen only with permissions.SUPERVISE."""

    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    kind = CharField(max_length=4)
    source = CharField(max_length=20)
    date = CharField(max_length=8)
    matter = TextField(default="")
    outcome = TextField(default="")
    handler = CharField(max_length=40, default="")
    recorder = CharField(max_length=60, default="")

    class Meta:
        table_name = "supervision_record"


CARE_MODELS = [TalkRecord, CareRecord, SupervisionRecord]
