"""Mentoring (导师帮带 / 一对一): pairs of a mentor and a mentee, their meeting logs, and the closing
evaluation each way (kept on the pair: one per pair, read by the appraisal module)."""

from __future__ import annotations

from peewee import CharField, FloatField, ForeignKeyField, IntegerField, TextField

from cadre_desk.domain import clock
from cadre_desk.store.models import BaseModel, Cadre, VersionedModel

ACTIVE, COMPLETED, TERMINATED = "进行中", "已结业", "终止"
STATES = (ACTIVE, COMPLETED, TERMINATED)
FORMS = ("谈心谈话", "现场指导", "业务培训", "其他")


class MentorPair(VersionedModel):
    mentor = ForeignKeyField(Cadre, column_name="mentor_id", backref="+", on_delete="RESTRICT", index=True)
    mentee = ForeignKeyField(Cadre, column_name="mentee_id", backref="+", on_delete="RESTRICT", index=True)
    posting_id = IntegerField(null=True, index=True)  # the mentee's frontline posting, when postings exist
    focus = CharField(max_length=100, default="")  # 帮带方向
    goals = TextField(default="")  # 帮带目标
    start = CharField(max_length=8)
    planned_end = CharField(max_length=8, default="")
    actual_end = CharField(max_length=8, default="")
    state = CharField(max_length=8, default=ACTIVE, index=True)
    end_reason = TextField(default="")
    mentor_rating = FloatField(null=True)  # the mentor's 0–100 rating of the mentee's progress
    mentor_comment = TextField(default="")
    mentee_rating = FloatField(null=True)  # the mentee's 0–100 rating of the mentor
    mentee_comment = TextField(default="")

    class Meta:
        table_name = "mentor_pair"


class MeetingLog(BaseModel):
    pair = ForeignKeyField(MentorPair, column_name="pair_id", backref="logs", on_delete="CASCADE", index=True)
    date = CharField(max_length=8)
    form = CharField(max_length=10)
    content = TextField(default="")
    next_steps = TextField(default="")
    recorder = CharField(max_length=60, default="")
    created_at = CharField(max_length=19, default=clock.now_iso)

    class Meta:
        table_name = "meeting_log"


MENTORING_MODELS = [MentorPair, MeetingLog]
