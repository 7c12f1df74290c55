"""Frontline postings (五个一线墩苗锻炼): lines, posts on them, cadres posted to the posts."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import Cadre, VersionedModel


class FrontlineLine(VersionedModel):
    """A frontline line (重大项目建设, 招商引资 …); retired lines stay for history."""

    name = CharField(max_length=40, unique=True)
    default_months = IntegerField(default=6)
    retired = IntegerField(default=0)
    sort_order = IntegerField(default=0)

    class Meta:
        table_name = "frontline_line"


class Post(VersionedModel):
    """A training post (锻炼岗位) on a line, hosted by a department, 专班, 工作队 or 网格."""

    line = ForeignKeyField(FrontlineLine, backref="posts", on_delete="RESTRICT", index=True)
    name = CharField(max_length=100)
    host_type = CharField(max_length=20, default="")  # 主管部门 / 专班 / 招商小分队 / 驻村工作队 / 社区网格
    host_name = CharField(max_length=100, default="")
    duties = TextField(default="")
    requirements = TextField(default="")  # wanted specialties, "项目管理、规划建设"
    wanted_categories = CharField(max_length=60, default="")  # CATEGORY codes, comma separated
    capacity = IntegerField(default=1)
    open_start = CharField(max_length=8, default="")
    open_end = CharField(max_length=8, default="")
    party_branch = CharField(max_length=100, default="")  # 功能型党支部
    party_group = CharField(max_length=100, default="")  # 临时党小组
    host_contact = CharField(max_length=100, default="")

    class Meta:
        table_name = "post"


class Posting(VersionedModel):
    """A cadre on a post: 拟选派 → 在岗 → 期满 / 提前召回."""

    cadre = ForeignKeyField(Cadre, backref="postings", on_delete="RESTRICT", index=True)
    post = ForeignKeyField(Post, backref="postings", on_delete="RESTRICT", index=True)
    channel = CharField(max_length=10)  # 个人自荐 / 单位推荐 / 组织选派
    start = CharField(max_length=8)
    planned_end = CharField(max_length=8, default="")
    actual_end = CharField(max_length=8, default="")
    state = CharField(max_length=8, index=True)
    daily_manager = CharField(max_length=100, default="")  # host-side daily manager (双重管理)
    guide_cadre = ForeignKeyField(Cadre, null=True, backref="guided_postings", on_delete="SET NULL",
                                  column_name="guide_cadre_id")
    recall_reason = TextField(default="")
    outcome = CharField(max_length=10, default="")  # 提拔使用 / 晋升职级 / 返回原单位 / 其他
    remarks = TextField(default="")

    class Meta:
        table_name = "posting"


class PostingReview(VersionedModel):
    """期满鉴定 of a finished posting: 等次, the dated and signed opinions of the 派出单位 (home unit), the
    锻炼单位 (host) and the 组织部, and what the outcome led to in the profile (result_*)."""

    posting = ForeignKeyField(Posting, backref="reviews", on_delete="CASCADE", unique=True)
    grade = CharField(max_length=8, default="")  # 优秀 / 称职 / 基本称职 / 不称职
    home_opinion = TextField(default="")
    home_signer = CharField(max_length=40, default="")
    home_date = CharField(max_length=8, default="")
    host_opinion = TextField(default="")
    host_signer = CharField(max_length=40, default="")
    host_date = CharField(max_length=8, default="")
    org_opinion = TextField(default="")
    org_signer = CharField(max_length=40, default="")
    org_date = CharField(max_length=8, default="")
    result_position = TextField(default="")  # 新任职务 (提拔使用)
    result_rank = CharField(max_length=18, default="")  # RANK code (提拔使用 / 晋升职级)
    result_date = CharField(max_length=8, default="")  # 任职时间
    result_resume = TextField(default="")  # the 简历 line written into the profile
    result_note = TextField(default="")  # 结果说明 (其他, or anything the clerk adds)
    result_recorded_at = CharField(max_length=19, default="")  # when the result was written into the profile

    class Meta:
        table_name = "posting_review"


POSTING_MODELS = [FrontlineLine, Post, Posting, PostingReview]
