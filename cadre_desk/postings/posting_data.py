"""Frontline postings (五个一线墩苗锻炼): the plain data every part of the capability speaks.

States, channels and outcomes; the dataclasses the services return (a line, a post, a posting, a
batch result, a matching candidate); and the small readings of them every screen and document shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, to_date

PROPOSED, ON_POST, COMPLETED, RECALLED = "拟选派", "在岗", "期满", "提前召回"
STATES = (PROPOSED, ON_POST, COMPLETED, RECALLED)
ACTIVE_STATES = (PROPOSED, ON_POST)
FINISHED_STATES = (COMPLETED, RECALLED)
CHANNELS = ("个人自荐", "单位推荐", "组织选派")
HOST_TYPES = ("主管部门", "专班", "招商小分队", "驻村工作队", "社区网格")
OUTCOMES = ("提拔使用", "晋升职级", "返回原单位", "其他")

E_LINE, E_POST, E_POSTING = "一线战线", "锻炼岗位", "一线选派"


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
    appraisal_text: str
    outcome: str
    unit_id: int | None = None
    remarks: str = ""

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES


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
    cadre_id: int
    name: str
    unit_name: str
    categories: str  # names, joined with 、
    specialty: str
    weaknesses: str
    score: int
    reasons: tuple[str, ...]

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


def days_left(p: PostingInfo) -> int | None:
    """Days to the planned end of an active posting (negative when overdue)."""
    if not p.active or not p.planned_end:
        return None
    return (to_date(as_day(p.planned_end)) - clock.today()).days
