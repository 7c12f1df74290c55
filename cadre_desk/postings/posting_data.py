"""Frontline postings (五个一线墩苗锻炼): the plain data every part of the capability speaks.

States, channels and outcomes; the dataclasses the services return (a line, a post, a posting, a
batch result, a matching candidate); and the small readings of them every screen and document shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, format_date, to_date

PROPOSED, ON_POST, COMPLETED, RECALLED = "拟选派", "在岗", "期满", "提前召回"
STATES = (PROPOSED, ON_POST, COMPLETED, RECALLED)
ACTIVE_STATES = (PROPOSED, ON_POST)
FINISHED_STATES = (COMPLETED, RECALLED)
CHANNELS = ("个人自荐", "单位推荐", "组织选派")
HOST_TYPES = ("主管部门", "专班", "招商小分队", "驻村工作队", "社区网格")
OUTCOMES = ("提拔使用", "晋升职级", "返回原单位", "其他")
PROMOTED, RANK_RAISED, RETURNED, OTHER_OUTCOME = OUTCOMES
PROFILE_OUTCOMES = (PROMOTED, RANK_RAISED)  # outcomes whose result is written into the profile
REVIEW_GRADES = ("优秀", "称职", "基本称职", "不称职")  # 期满鉴定等次
# The three opinions of a 期满鉴定, in the order the form and the dossier print them.
OPINION_SIDES = (("home", "派出单位"), ("host", "锻炼单位"), ("org", "组织部"))

E_LINE, E_POST, E_POSTING, E_REVIEW = "一线战线", "锻炼岗位", "一线选派", "期满鉴定"


# ---- plain data ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineInfo:
    id: int
    name: str
    default_months: int
    retired: bool
    version: int
    sort_order: int = 0
    post_count: int = 0


@dataclass(frozen=True)
class PostInfo:
    id: int
    line_id: int
    line_name: str
    name: str
    host: str  # host type and name, as read: "专班·XX项目指挥部"
    capacity: int
    filled: int  # active postings (拟选派 + 在岗)
    version: int = 1
    host_type: str = ""
    host_name: str = ""
    duties: str = ""
    requirements: str = ""
    wanted_categories: str = ""  # CATEGORY codes, comma separated
    open_start: str = ""
    open_end: str = ""
    party_branch: str = ""
    party_group: str = ""
    host_contact: str = ""
    line_retired: bool = False

    @property
    def vacancies(self) -> int:
        return max(0, self.capacity - self.filled)


@dataclass
class PostInput:
    """A post as the edit dialog fills it; id None creates."""

    line_id: int | None = None
    name: str = ""
    host_type: str = ""
    host_name: str = ""
    duties: str = ""
    requirements: str = ""
    wanted_categories: str = ""
    capacity: int = 1
    open_start: str = ""
    open_end: str = ""
    party_branch: str = ""
    party_group: str = ""
    host_contact: str = ""
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)  # slots: the 一线锻炼 page holds every posting (tens of thousands)
class PostingInfo:
    id: int
    version: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    post_id: int
    post_name: str
    line_id: int
    line_name: str
    host: str
    channel: str
    start: str
    planned_end: str
    actual_end: str
    state: str
    daily_manager: str
    guide_cadre_id: int | None
    guide_name: str
    recall_reason: str
    outcome: str
    unit_id: int | None = None
    remarks: str = ""
    grade: str = ""  # 期满鉴定等次 (its opinions: posting_review.get_review)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES


@dataclass(frozen=True)
class Opinion:
    """One of the three opinions of a 期满鉴定, as forms and documents show it."""

    side: str  # home / host / org
    who: str  # 派出单位 / 锻炼单位 / 组织部
    text: str
    signer: str
    date: str  # YYYYMMDD, "" when not signed yet


@dataclass
class ReviewInfo:
    """The 期满鉴定 of a posting (version 0: none recorded yet). Also what a form hands the service:
    dates as typed (the service reads them)."""

    posting_id: int | None = None
    version: int = 0
    grade: str = ""
    home_opinion: str = ""
    home_signer: str = ""
    home_date: str = ""
    host_opinion: str = ""
    host_signer: str = ""
    host_date: str = ""
    org_opinion: str = ""
    org_signer: str = ""
    org_date: str = ""
    result_position: str = ""  # 新任职务 (提拔使用)
    result_rank: str = ""  # RANK code (提拔使用 / 晋升职级)
    result_date: str = ""  # 任职时间
    result_resume: str = ""  # the 简历 line written with it
    result_note: str = ""
    result_recorded_at: str = ""  # ISO time the result was written into the profile; "" not written

    def opinions(self) -> list[Opinion]:
        return [Opinion(side, who, getattr(self, f"{side}_opinion"), getattr(self, f"{side}_signer"),
                        getattr(self, f"{side}_date")) for side, who in OPINION_SIDES]

    @property
    def recorded(self) -> bool:
        """The outcome's result has been written into the cadre's profile."""
        return bool(self.result_recorded_at)

    @property
    def empty(self) -> bool:
        return not (self.grade or any(o.text for o in self.opinions()))


@dataclass
class BatchFailure:
    cadre_id: int
    name: str
    reason: str

    @property
    def kind(self) -> str:
        """A short heading to count failures by."""
        for words, kind in (("已满", "岗位已满"), ("一线岗位", "已在一线岗位"), ("人员状态", "人员状态不符"),
                            ("开放", "时间不在岗位开放期内"), ("停用", "战线已停用"), ("不存在", "干部不存在"),
                            ("指导人", "指导人安排不当")):
            if words in self.reason:
                return kind
        return "没有权限或其他原因"


@dataclass
class BatchResult:
    posted: list[int] = field(default_factory=list)  # posting ids created
    failures: list[BatchFailure] = field(default_factory=list)
    rolled_back: bool = False  # all_or_nothing and something failed: nothing was posted

    @property
    def posted_count(self) -> int:
        return len(self.posted)

    def summary(self, limit: int | None = None) -> str:
        """Who was posted and who not, and why; ``limit`` caps the listed failures."""
        lines = []
        if self.rolled_back:
            lines.append(f"有 {len(self.failures)} 人不符合选派条件，本次未选派任何人：")
        elif self.failures:
            lines.append(f"已选派 {len(self.posted)} 人；{len(self.failures)} 人未能选派：")
        else:
            lines.append(f"已选派 {len(self.posted)} 人。")
        if self.failures:
            counts: dict[str, int] = {}
            for f in self.failures:
                counts[f.kind] = counts.get(f.kind, 0) + 1
            lines.append("，".join(f"{kind} {n} 人" for kind, n in counts.items()) + "。")
        shown = self.failures if limit is None else self.failures[:limit]
        lines.extend(f"· {f.name}：{f.reason}" for f in shown)
        if len(shown) < len(self.failures):
            lines.append(f"……另有 {len(self.failures) - len(shown)} 人")
        return "\n".join(lines)


@dataclass(frozen=True)
class Candidate:
    """A cadre fit for a post, with what a clerk judges by beside the score, and the score's reasons."""

    cadre_id: int
    name: str
    unit_name: str
    categories: str  # names, joined with 、
    specialty: str
    weaknesses: str
    score: int
    reasons: tuple[str, ...]  # each with its points: "专业特长契合岗位要求“招商引资”（+30）"
    age: int | None = None
    gender: str = ""  # 男 / 女
    rank_name: str = ""  # 职务层次/职级
    position: str = ""  # 现任职务
    education: str = ""  # "大学·学士；在职研究生·硕士"
    experience: str = ""  # 一线经历: "本战线 6 个月（2022.03—2022.09）；乡村振兴 12 个月" or "无"

    @property
    def explanation(self) -> str:
        return "；".join(self.reasons)


# ---- readings of the data -----------------------------------------------------------------------

def host_label(host_type: str, host_name: str) -> str:
    """A post's host as read: "专班·XX项目指挥部"."""
    if host_type and host_name:
        return f"{host_type}·{host_name}"
    return host_name or host_type


def category_names(value: str) -> str:
    """CATEGORY codes, comma separated → their names joined with 、."""
    table = codes.table("CATEGORY")
    return "、".join(table.name(c) for c in (value or "").split(",") if c)


def outcome_text(outcome: str, review: ReviewInfo | None) -> str:
    """The outcome and what it led to, in a line: "提拔使用：2025.04 任市发改委副主任（四级调研员）
    （已于 2025.04.02 记入干部档案）"; "返回原单位"; "" when no outcome is recorded."""
    if not outcome:
        return ""
    if review is None:
        return outcome
    rank = codes.table("RANK").name(review.result_rank) if review.result_rank else ""
    if review.result_position:
        what = f"任{review.result_position}" + (f"（{rank}）" if rank else "")
    else:
        what = f"晋升为{rank}" if rank else ""
    details = " ".join(x for x in (format_date(review.result_date), what) if x)
    text = f"{outcome}：{details}" if details else outcome
    if review.result_note:
        text += f"；{review.result_note}"
    if review.recorded:
        text += f"（已于 {format_date(review.result_recorded_at[:10].replace('-', ''))} 记入干部档案）"
    return text


def days_left(p: PostingInfo) -> int | None:
    """Days to the planned end of an active posting (negative when overdue)."""
    if not p.active or not p.planned_end:
        return None
    return (to_date(as_day(p.planned_end)) - clock.today()).days


def days_left_text(p: PostingInfo) -> str:
    """剩余天数 as the list and the 名册 show it: 45, 超期 3 天, or nothing when the posting is not on."""
    left = days_left(p)
    if left is None:
        return ""
    return f"超期 {-left} 天" if left < 0 else str(left)
