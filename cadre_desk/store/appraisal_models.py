"""Models of performance records (实绩档案, 正负面清单) and appraisal (考核方案, 考核表, 评分)."""

from __future__ import annotations

from peewee import CharField, FloatField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import BaseModel, Cadre, FlagField, VersionedModel


class PerformanceRecord(VersionedModel):
    """One 周小结 / 月上报 / 季检查 / 年考核 entry of a cadre for a period."""

    cadre = ForeignKeyField(Cadre, backref="performance_records", on_delete="CASCADE", index=True)
    kind = CharField(max_length=10)  # 周小结 月上报 季检查 年考核
    period = CharField(max_length=10, index=True)  # 2026-W47 / 2026-11 / 2026-Q4 / 2026
    content = TextField(default="")
    reviewer_comment = TextField(default="")
    reviewer = CharField(max_length=40, default="")
    posting_id = IntegerField(null=True)  # a posting of the postings capability, when tied to one
    recorder = CharField(max_length=60, default="")

    class Meta:
        indexes = ((("cadre", "kind", "period"), True),)


class BehaviourItem(BaseModel):
    """The configurable 正面清单 / 负面清单 catalog."""

    polarity = CharField(max_length=2)  # 正面 / 负面
    name = CharField(max_length=60)
    sort_order = IntegerField(default=0)
    retired = FlagField(default=False)


class BehaviourEntry(VersionedModel):
    cadre = ForeignKeyField(Cadre, backref="behaviour_entries", on_delete="CASCADE", index=True)
    item = ForeignKeyField(BehaviourItem, backref="entries", on_delete="RESTRICT")
    date = CharField(max_length=8)
    source = CharField(max_length=10)  # 领导批示 大会点评 督查通报 群众评价 其他
    description = TextField(default="")
    recorder = CharField(max_length=60, default="")


class AppraisalScheme(VersionedModel):
    name = CharField(max_length=60, unique=True)
    kind = CharField(max_length=20, default="年度考核")  # 年度考核 / 期满考核 / 专项考核
    wording = CharField(max_length=10, default="公务员")  # 公务员: 称职… / 事业单位: 合格…
    excellent_min = FloatField(default=90)
    competent_min = FloatField(default=70)
    basic_min = FloatField(default=60)
    excellent_cap = FloatField(default=20)  # per cent of a sheet's members that may be 优秀
    scope_categories = CharField(max_length=100, default="")  # CATEGORY codes, comma separated
    scope_lines = CharField(max_length=200, default="")  # line ids of the postings capability
    scope_units = CharField(max_length=400, default="")  # unit ids (with their subtrees)
    description = TextField(default="")
    retired = FlagField(default=False)


class SchemeDimension(BaseModel):
    scheme = ForeignKeyField(AppraisalScheme, backref="dimensions", on_delete="CASCADE", index=True)
    seq = IntegerField()
    name = CharField(max_length=30)
    weight = FloatField()


class SchemeRater(BaseModel):
    scheme = ForeignKeyField(AppraisalScheme, backref="raters", on_delete="CASCADE", index=True)
    seq = IntegerField()
    name = CharField(max_length=30)
    weight = FloatField()


class AppraisalSheet(VersionedModel):
    title = CharField(max_length=100)
    period = CharField(max_length=20)  # 2025 / 2025-Q4 / 2025-11 or free text starting with the year
    year = IntegerField()
    scheme = ForeignKeyField(AppraisalScheme, backref="sheets", on_delete="RESTRICT")
    group_kind = CharField(max_length=10, default="选定")  # 单位 / 一线 / 岗位 / 选定
    group_ref = IntegerField(null=True)
    group_label = CharField(max_length=100, default="")
    annual = FlagField(default=False)  # grades flow into 年度考核结果 when finalized
    finalized = FlagField(default=False)
    finalized_at = CharField(max_length=19, default="")
    finalized_by = CharField(max_length=60, default="")


class SheetMember(BaseModel):
    sheet = ForeignKeyField(AppraisalSheet, backref="members", on_delete="CASCADE", index=True)
    cadre = ForeignKeyField(Cadre, backref="sheet_memberships", on_delete="CASCADE", index=True)
    seq = IntegerField(default=0)
    grade_override = CharField(max_length=10, default="")
    override_reason = TextField(default="")
    comment = TextField(default="")
    final_total = FloatField(null=True)
    final_grade = CharField(max_length=10, default="")

    class Meta:
        indexes = ((("sheet", "cadre"), True),)


class Score(BaseModel):
    member = ForeignKeyField(SheetMember, backref="scores", on_delete="CASCADE", index=True)
    rater = ForeignKeyField(SchemeRater, on_delete="RESTRICT")
    dimension = ForeignKeyField(SchemeDimension, on_delete="RESTRICT")
    value = FloatField()

    class Meta:
        indexes = ((("member", "rater", "dimension"), True),)


APPRAISAL_MODELS = [PerformanceRecord, BehaviourItem, BehaviourEntry, AppraisalScheme, SchemeDimension,
                    SchemeRater, AppraisalSheet, SheetMember, Score]
