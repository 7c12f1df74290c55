"""Frontline postings (五个一线墩苗锻炼): lines, posts, postings, batch selection, 人岗相适 matching.

Rules kept here, whatever the caller: a cadre holds at most one active posting (拟选派 or 在岗);
a post never holds more active postings than its capacity; dates are consistent; a finished
posting (期满 / 提前召回) changes only through ``correct_posting`` with a reason. Every change
writes an audit row in its own transaction."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from peewee import JOIN, fn

from cadre_desk.access import permissions
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import DateError, format_date, parse_date, to_date
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.postings.posting_hooks import WITHDRAW_HOOKS
from cadre_desk.security import audit
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import Cadre, Unit
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting

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


# ---- helpers ------------------------------------------------------------------------------------

def _today() -> str:
    return clock.today_yyyymmdd()


def add_months(value: str, months: int) -> str:
    """YYYYMM[DD] plus whole months (the day clamped to the month's end), same precision."""
    year, month = int(value[:4]), int(value[4:6])
    index = year * 12 + month - 1 + months
    year, month = index // 12, index % 12 + 1
    if len(value) < 8:
        return f"{year:04d}{month:02d}"
    day = int(value[6:8])
    while day > 28:
        try:
            _dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    return f"{year:04d}{month:02d}{day:02d}"


def _full_date(value: str) -> str:
    """Compare partial dates at day precision: YYYYMM counts as its first day."""
    return value if len(value) == 8 else (value + "01" if value else "")


def _date(value, label: str, key: str, errors: dict[str, str], required: bool = False) -> str:
    try:
        text = parse_date(value)
    except DateError as exc:
        errors[key] = f"{label}：{exc}"
        return ""
    if required and not text:
        errors[key] = f"请填写{label}"
    return text


def _host(host_type: str, host_name: str) -> str:
    if host_type and host_name:
        return f"{host_type}·{host_name}"
    return host_name or host_type


def _category_names(value: str) -> str:
    table = codes.table("CATEGORY")
    return "、".join(table.name(c) for c in (value or "").split(",") if c)


def _active_count_by_post() -> dict[int, int]:
    query = (Posting.select(Posting.post, fn.COUNT(Posting.id))
             .where(Posting.state.in_(ACTIVE_STATES)).group_by(Posting.post).tuples())
    return dict(query)


def _active_count(post_id: int) -> int:
    return Posting.select().where(Posting.post == post_id, Posting.state.in_(ACTIVE_STATES)).count()


def _active_of(cadre_id: int, exclude: int | None = None) -> Posting | None:
    query = Posting.select().where(Posting.cadre == cadre_id, Posting.state.in_(ACTIVE_STATES))
    if exclude is not None:
        query = query.where(Posting.id != exclude)
    return query.first()


# ---- lines --------------------------------------------------------------------------------------

def _line_info(row: FrontlineLine, post_count: int = 0) -> LineInfo:
    return LineInfo(row.id, row.name, row.default_months, bool(row.retired), row.version, row.sort_order,
                    post_count)


def list_lines(include_retired: bool = True) -> list[LineInfo]:
    counts = dict(Post.select(Post.line, fn.COUNT(Post.id)).group_by(Post.line).tuples())
    query = FrontlineLine.select().order_by(FrontlineLine.retired, FrontlineLine.sort_order, FrontlineLine.id)
    if not include_retired:
        query = query.where(FrontlineLine.retired == 0)
    return [_line_info(row, counts.get(row.id, 0)) for row in query]


def get_line(line_id: int) -> LineInfo:
    row = FrontlineLine.get_or_none(FrontlineLine.id == line_id)
    if row is None:
        raise NotFoundError("该战线不存在或已被删除。")
    return _line_info(row, Post.select().where(Post.line == line_id).count())


def _check_line(name: str, months: int, exclude: int | None = None) -> str:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写战线名称"
    elif len(name) > 40:
        errors["name"] = "战线名称不能超过 40 个字"
    else:
        query = FrontlineLine.select().where(FrontlineLine.name == name)
        if exclude is not None:
            query = query.where(FrontlineLine.id != exclude)
        if query.exists():
            errors["name"] = f"已有名为“{name}”的战线"
    if not isinstance(months, int) or not 1 <= months <= 60:
        errors["default_months"] = "默认锻炼期限应为 1–60 个月"
    if errors:
        raise ValidationError(errors)
    return name


def add_line(name: str, default_months: int = 6) -> LineInfo:
    with write_transaction():
        permissions.require(permissions.EDIT)
        name = _check_line(name, default_months)
        order = (FrontlineLine.select(fn.MAX(FrontlineLine.sort_order)).scalar() or 0) + 1
        line_id = FrontlineLine.insert(name=name, default_months=default_months, sort_order=order).execute()
        audit.record(audit.CREATE, E_LINE, line_id, f"新增战线 {name}",
                     {"name": [None, name], "default_months": [None, default_months]})
    return get_line(line_id)


def update_line(line_id: int, version: int, name: str, default_months: int) -> LineInfo:
    """Rename a line and/or change its default posting length."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        old = get_line(line_id)
        name = _check_line(name, default_months, exclude=line_id)
        changed = (FrontlineLine.update(name=name, default_months=default_months, updated_at=clock.now_iso(),
                                        version=FrontlineLine.version + 1)
                   .where(FrontlineLine.id == line_id, FrontlineLine.version == version).execute())
        if not changed:
            raise ConflictError()
        changes = audit.diff({"name": old.name, "default_months": old.default_months},
                             {"name": name, "default_months": default_months})
        audit.record(audit.UPDATE, E_LINE, line_id, f"修改战线 {old.name}" +
                     (f" → {name}" if name != old.name else ""), changes)
    return get_line(line_id)


def rename_line(line_id: int, version: int, name: str) -> LineInfo:
    return update_line(line_id, version, name, get_line(line_id).default_months)


def retire_line(line_id: int, version: int, retired: bool = True) -> LineInfo:
    """Retire (or bring back) a line: it keeps its posts and history, takes no new posts or postings."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        old = get_line(line_id)
        changed = (FrontlineLine.update(retired=int(retired), updated_at=clock.now_iso(),
                                        version=FrontlineLine.version + 1)
                   .where(FrontlineLine.id == line_id, FrontlineLine.version == version).execute())
        if not changed:
            raise ConflictError()
        audit.record(audit.UPDATE, E_LINE, line_id, f"{'停用' if retired else '恢复启用'}战线 {old.name}",
                     {"retired": [old.retired, bool(retired)]})
    return get_line(line_id)


def delete_line(line_id: int) -> None:
    """Delete a line that was never used (no posts); a used line can only be retired."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        old = get_line(line_id)
        if Post.select().where(Post.line == line_id).exists():
            raise ValidationError(f"战线“{old.name}”下已有锻炼岗位，不能删除；如不再使用，请停用该战线。")
        FrontlineLine.delete().where(FrontlineLine.id == line_id).execute()
        audit.record(audit.DELETE, E_LINE, line_id, f"删除战线 {old.name}", {"name": [old.name, None]})


# ---- posts --------------------------------------------------------------------------------------

def _post_info(row: Post, line: FrontlineLine, filled: int) -> PostInfo:
    return PostInfo(
        id=row.id, line_id=line.id, line_name=line.name, name=row.name, host=_host(row.host_type, row.host_name),
        capacity=row.capacity, filled=filled, version=row.version, host_type=row.host_type,
        host_name=row.host_name, duties=row.duties, requirements=row.requirements,
        wanted_categories=row.wanted_categories, open_start=row.open_start, open_end=row.open_end,
        party_branch=row.party_branch, party_group=row.party_group, host_contact=row.host_contact,
        line_retired=bool(line.retired))


def list_posts(line_id: int | None = None) -> list[PostInfo]:
    counts = _active_count_by_post()
    query = (Post.select(Post, FrontlineLine).join(FrontlineLine)
             .order_by(FrontlineLine.sort_order, FrontlineLine.id, Post.id))
    if line_id is not None:
        query = query.where(Post.line == line_id)
    return [_post_info(row, row.line, counts.get(row.id, 0)) for row in query]


def get_post(post_id: int) -> PostInfo:
    row = Post.select(Post, FrontlineLine).join(FrontlineLine).where(Post.id == post_id).first()
    if row is None:
        raise NotFoundError("该锻炼岗位不存在或已被删除。")
    return _post_info(row, row.line, _active_count(post_id))


_POST_FIELDS = ("line_id", "name", "host_type", "host_name", "duties", "requirements", "wanted_categories",
                "capacity", "open_start", "open_end", "party_branch", "party_group", "host_contact")


def _validate_post(data: PostInput) -> tuple[dict, FrontlineLine]:
    errors: dict[str, str] = {}
    line = FrontlineLine.get_or_none(FrontlineLine.id == data.line_id) if data.line_id else None
    if line is None:
        errors["line_id"] = "请选择所属战线"
    name = (data.name or "").strip()
    if not name:
        errors["name"] = "请填写岗位名称"
    elif len(name) > 100:
        errors["name"] = "岗位名称不能超过 100 个字"
    if data.host_type and data.host_type not in HOST_TYPES:
        errors["host_type"] = f"承接单位类型应为：{'、'.join(HOST_TYPES)}"
    try:
        capacity = int(data.capacity)
    except (TypeError, ValueError):
        capacity = 0
    if capacity < 1 or capacity > 9999:
        errors["capacity"] = "岗位容量应为 1–9999 人"
    open_start = _date(data.open_start, "开放开始时间", "open_start", errors)
    open_end = _date(data.open_end, "开放结束时间", "open_end", errors)
    if open_start and open_end and _full_date(open_end) < _full_date(open_start):
        errors["open_end"] = "开放结束时间不能早于开始时间"
    table = codes.table("CATEGORY")
    wanted = [c.strip() for c in (data.wanted_categories or "").split(",") if c.strip()]
    bad = [c for c in wanted if not table.has_code(c)]
    if bad:
        errors["wanted_categories"] = f"未知的干部类别代码：{'、'.join(bad)}"
    if errors:
        raise ValidationError(errors)
    return {
        "line": line.id, "name": name, "host_type": data.host_type or "", "host_name": (data.host_name or "").strip(),
        "duties": (data.duties or "").strip(), "requirements": (data.requirements or "").strip(),
        "wanted_categories": ",".join(wanted), "capacity": capacity, "open_start": open_start,
        "open_end": open_end, "party_branch": (data.party_branch or "").strip(),
        "party_group": (data.party_group or "").strip(), "host_contact": (data.host_contact or "").strip(),
    }, line


def post_input(info: PostInfo) -> PostInput:
    return PostInput(**{k: getattr(info, k) for k in _POST_FIELDS}, id=info.id, version=info.version)


def save_post(data: PostInput) -> PostInfo:
    """Create (id None) or update a post. Capacity may not drop below the active postings."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        values, line = _validate_post(data)
        stamp = clock.now_iso()
        if data.id is None:
            if line.retired:
                raise ValidationError({"line_id": f"战线“{line.name}”已停用，不能新增岗位"})
            post_id = Post.insert(**values, created_at=stamp, updated_at=stamp).execute()
            audit.record(audit.CREATE, E_POST, post_id, f"新增锻炼岗位 {line.name}/{values['name']}",
                         {k: [None, v] for k, v in values.items() if v not in ("", None)})
        else:
            post_id = data.id
            old = get_post(post_id)
            if line.retired and line.id != old.line_id:
                raise ValidationError({"line_id": f"战线“{line.name}”已停用，不能把岗位移入"})
            if values["capacity"] < old.filled:
                raise ValidationError({"capacity": f"该岗位现有 {old.filled} 人在岗或拟选派，容量不能少于 {old.filled}"})
            changed = (Post.update(**values, updated_at=stamp, version=Post.version + 1)
                       .where(Post.id == post_id, Post.version == data.version).execute())
            if not changed:
                raise ConflictError()
            before = {k: getattr(old, k) for k in _POST_FIELDS}
            after = dict(values, line_id=values["line"])
            after.pop("line")
            audit.record(audit.UPDATE, E_POST, post_id, f"修改锻炼岗位 {line.name}/{values['name']}",
                         audit.diff(before, after))
    return get_post(post_id)


def delete_post(post_id: int) -> None:
    with write_transaction():
        permissions.require(permissions.EDIT)
        old = get_post(post_id)
        if Posting.select().where(Posting.post == post_id).exists():
            raise ValidationError(f"岗位“{old.name}”已有选派记录，不能删除。")
        Post.delete().where(Post.id == post_id).execute()
        audit.record(audit.DELETE, E_POST, post_id, f"删除锻炼岗位 {old.line_name}/{old.name}",
                     {"name": [old.name, None]})


# ---- postings: reading --------------------------------------------------------------------------

def _postings_query():
    guide = Cadre.alias("guide")
    return (Posting.select(Posting, Cadre.name, Cadre.unit, Unit.name, Post.name, Post.host_type, Post.host_name,
                           FrontlineLine.id, FrontlineLine.name, guide.name)
            .join(Cadre, on=(Posting.cadre == Cadre.id))
            .join(Unit, JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
            .switch(Posting).join(Post, on=(Posting.post == Post.id))
            .join(FrontlineLine, on=(Post.line == FrontlineLine.id))
            .switch(Posting).join(guide, JOIN.LEFT_OUTER, on=(Posting.guide_cadre == guide.id))
            .order_by(Posting.start.desc(), Posting.id.desc()))


def unit_labels() -> dict[int, str]:
    """unit id → its name, prefixed by the parent's name where the name alone is ambiguous
    (every county has a 县委办公室)."""
    rows = list(Unit.select(Unit.id, Unit.name, Unit.parent).tuples())
    names = {uid: name for uid, name, _parent in rows}
    seen: dict[str, int] = {}
    for _uid, name, _parent in rows:
        seen[name] = seen.get(name, 0) + 1
    return {uid: (names.get(parent, "") + name if seen[name] > 1 and parent else name)
            for uid, name, parent in rows}


def _posting_rows(query) -> list[PostingInfo]:
    out = []
    labels = unit_labels()
    # One string object per distinct name, date or state, not one per posting.
    share = {}.setdefault
    # The raw cursor: every column is a plain str/int already, and peewee's per-value conversion
    # would cost more than the query itself.
    for row in database.execute(query):
        # Posting columns first, in field order, then the joined names.
        data = dict(zip(_POSTING_COLUMNS, row[:len(_POSTING_COLUMNS)], strict=True))
        (cadre_name, unit_id, unit_name, post_name, host_type, host_name, line_id, line_name,
         guide_name) = row[len(_POSTING_COLUMNS):]
        host = _host(host_type, host_name)
        out.append(PostingInfo(
            id=data["id"], version=data["version"], cadre_id=data["cadre"], cadre_name=cadre_name,
            unit_name=labels.get(unit_id, unit_name or ""), post_id=data["post"], post_name=share(post_name, post_name),
            line_id=line_id, line_name=share(line_name, line_name), host=share(host, host),
            channel=share(data["channel"], data["channel"]), start=share(data["start"], data["start"]),
            planned_end=share(data["planned_end"], data["planned_end"]),
            actual_end=share(data["actual_end"], data["actual_end"]), state=share(data["state"], data["state"]),
            daily_manager=share(data["daily_manager"], data["daily_manager"]), guide_cadre_id=data["guide_cadre"],
            guide_name=guide_name or "",
            recall_reason=data["recall_reason"], appraisal_text=data["appraisal_text"], outcome=data["outcome"],
            unit_id=unit_id, remarks=data["remarks"]))
    return out


_POSTING_COLUMNS = tuple(Posting._meta.sorted_field_names)


def list_postings(*, state: str | None = None, line_id: int | None = None, post_id: int | None = None,
                  channel: str | None = None, unit_ids: set[int] | None = None,
                  ending_within_days: int | None = None, cadre_id: int | None = None,
                  cadre_ids: list[int] | None = None) -> list[PostingInfo]:
    """Postings, newest first. ``ending_within_days``: active postings whose planned end is at most
    that many days away (overdue ones included). ``cadre_ids``: only these cadres' postings (read in
    chunks, so that a sheet of thousands does not load every posting)."""
    if cadre_ids is not None:
        ids = list(dict.fromkeys(cadre_ids))
        out = []
        for i in range(0, len(ids), _CHUNK):
            out.extend(_list_postings(state=state, line_id=line_id, post_id=post_id, channel=channel,
                                      unit_ids=unit_ids, ending_within_days=ending_within_days, cadre_id=cadre_id,
                                      only=ids[i:i + _CHUNK]))
        out.sort(key=lambda p: (p.start, p.id), reverse=True)
        return out
    return _list_postings(state=state, line_id=line_id, post_id=post_id, channel=channel, unit_ids=unit_ids,
                          ending_within_days=ending_within_days, cadre_id=cadre_id)


_CHUNK = 500  # ids per IN (…): well under SQLite's bound on parameters


def appraisal_texts(cadre_ids: list[int]) -> dict[int, str]:
    """cadre id → the 鉴定 text of the cadre's latest posting that has one (latest by actual end,
    else planned end, else start), for the given cadres only."""
    ids = list(dict.fromkeys(cadre_ids))
    rows = []
    for i in range(0, len(ids), _CHUNK):
        rows.extend(Posting.select(Posting.cadre, Posting.appraisal_text, Posting.actual_end, Posting.planned_end,
                                   Posting.start, Posting.id)
                    .where(Posting.cadre.in_(ids[i:i + _CHUNK]), Posting.appraisal_text != "")
                    .order_by(Posting.start.desc(), Posting.id.desc()).tuples())
    # Newest first (list_postings' order), then a stable sort on the end: the latest wins below.
    rows.sort(key=lambda r: (r[4], r[5]), reverse=True)
    rows.sort(key=lambda r: r[2] or r[3] or r[4] or "")
    out: dict[int, str] = {}
    for cadre_id, text, *_rest in rows:
        if (text or "").strip():
            out[cadre_id] = text.strip()
    return out


def _list_postings(*, state, line_id, post_id, channel, unit_ids, ending_within_days, cadre_id,
                   only: list[int] | None = None) -> list[PostingInfo]:
    query = _postings_query()
    if state:
        query = query.where(Posting.state == state)
    if line_id is not None:
        query = query.where(Post.line == line_id)
    if post_id is not None:
        query = query.where(Posting.post == post_id)
    if channel:
        query = query.where(Posting.channel == channel)
    if unit_ids is not None:
        query = query.where(Cadre.unit.in_(list(unit_ids)))
    if cadre_id is not None:
        query = query.where(Posting.cadre == cadre_id)
    if only is not None:
        query = query.where(Posting.cadre.in_(only))
    if ending_within_days is not None:
        limit = (clock.today() + _dt.timedelta(days=ending_within_days)).strftime("%Y%m%d")
        query = query.where(Posting.state.in_(ACTIVE_STATES), Posting.planned_end != "",
                            Posting.planned_end <= limit)
    return _posting_rows(query)


def visible_postings(**filters) -> list[PostingInfo]:
    """``list_postings`` for the window and the exports: only postings of cadres the operator may read
    (their units; nothing for 系统管理员 and 安全审计员). Rules and totals use ``list_postings``."""
    permissions.require(permissions.READ)
    scope = permissions.readable_unit_ids()
    if scope is not None:
        given = filters.get("unit_ids")
        filters["unit_ids"] = scope if given is None else set(given) & scope
    return list_postings(**filters)


def filter_postings(rows: list[PostingInfo], *, state: str | None = None, line_id: int | None = None,
                    post_id: int | None = None, channel: str | None = None, unit_ids: set[int] | None = None,
                    ending_within_days: int | None = None, today: _dt.date | None = None) -> list[PostingInfo]:
    """The rows matching every given filter, order kept: the same rules as ``list_postings`` applied in
    memory, so that a page loads all rows once and filters without the database."""
    limit = ""
    if ending_within_days is not None:
        limit = ((today or clock.today()) + _dt.timedelta(days=ending_within_days)).strftime("%Y%m%d")
    out = []
    for row in rows:
        if state and row.state != state:
            continue
        if line_id is not None and row.line_id != line_id:
            continue
        if post_id is not None and row.post_id != post_id:
            continue
        if channel and row.channel != channel:
            continue
        if unit_ids is not None and row.unit_id not in unit_ids:
            continue
        if limit and not (row.state in ACTIVE_STATES and row.planned_end and _full_date(row.planned_end) <= limit):
            continue
        out.append(row)
    return out


def get_posting(posting_id: int) -> PostingInfo:
    rows = _posting_rows(_postings_query().where(Posting.id == posting_id))
    if not rows:
        raise NotFoundError("该选派记录不存在或已被删除。")
    return rows[0]


def postings_for_cadre(cadre_id: int) -> list[PostingInfo]:
    unit_id = Cadre.select(Cadre.unit).where(Cadre.id == cadre_id).scalar()
    permissions.require(permissions.READ, unit_id=unit_id, cadre_id=cadre_id)
    return list_postings(cadre_id=cadre_id)


def active_posting(cadre_id: int) -> PostingInfo | None:
    row = _active_of(cadre_id)
    return get_posting(row.id) if row is not None else None


# ---- postings: rules ----------------------------------------------------------------------------

def _cadre_label(cadre: Cadre) -> str:
    return cadre.name


def _refusal(cadre: Cadre, post: Post, line: FrontlineLine, start: str, planned_end: str,
             extra_on_post: int = 0) -> str | None:
    """Why ``cadre`` cannot be posted to ``post`` now, or None. ``extra_on_post``: places already
    taken by this batch."""
    if cadre.status and cadre.status != "1":
        return f"人员状态为“{codes.table('STATUS').name(cadre.status)}”，不能选派"
    active = _active_of(cadre.id)
    if active is not None:
        other = Post.get_by_id(active.post_id)
        return f"已有{active.state}的一线岗位（{other.name}），同一时间只能在一个岗位锻炼"
    if line.retired:
        return f"战线“{line.name}”已停用"
    if _active_count(post.id) + extra_on_post >= post.capacity:
        return f"岗位“{post.name}”已满（容量 {post.capacity} 人）"
    if post.open_end and _full_date(start) > _full_date(post.open_end):
        return f"选派开始时间晚于岗位开放结束时间 {format_date(post.open_end)}"
    if post.open_start and _full_date(start) < _full_date(post.open_start):
        return f"选派开始时间早于岗位开放开始时间 {format_date(post.open_start)}"
    return None


def _check_guide(guide_id: int | None, cadre_id: int, errors: dict[str, str]) -> None:
    if guide_id is None:
        return
    if guide_id == cadre_id:
        errors["guide_cadre_id"] = "“一对一”指导人不能是本人"
    elif not Cadre.select().where(Cadre.id == guide_id).exists():
        errors["guide_cadre_id"] = "所选“一对一”指导人不存在"


def _dates(start, planned_end, line: FrontlineLine, errors: dict[str, str]) -> tuple[str, str]:
    start = _date(start, "开始时间", "start", errors, required=True)
    planned = _date(planned_end, "计划结束时间", "planned_end", errors)
    if start and not planned and "planned_end" not in errors:
        planned = add_months(start, line.default_months)
    if start and planned and _full_date(planned) <= _full_date(start):
        errors["planned_end"] = "计划结束时间应晚于开始时间"
    return start, planned


def _insert_posting(cadre: Cadre, post: Post, line: FrontlineLine, channel: str, start: str, planned: str,
                    daily_manager: str, guide_id: int | None, remarks: str, batch: bool = False) -> int:
    stamp = clock.now_iso()
    posting_id = Posting.insert(
        cadre=cadre.id, post=post.id, channel=channel, start=start, planned_end=planned, state=PROPOSED,
        daily_manager=daily_manager, guide_cadre=guide_id, remarks=remarks, created_at=stamp,
        updated_at=stamp).execute()
    audit.record(audit.CREATE, E_POSTING, posting_id,
                 f"{'批量' if batch else ''}选派 {cadre.name} 到 {line.name}/{post.name}",
                 {"cadre": [None, cadre.name], "post": [None, post.name], "channel": [None, channel],
                  "start": [None, start], "planned_end": [None, planned], "state": [None, PROPOSED],
                  "daily_manager": [None, daily_manager or None], "guide_cadre_id": [None, guide_id]})
    return posting_id


def _load_post(post_id) -> tuple[Post, FrontlineLine]:
    post = Post.get_or_none(Post.id == post_id) if post_id else None
    if post is None:
        raise ValidationError({"post_id": "请选择锻炼岗位"})
    return post, FrontlineLine.get_by_id(post.line_id)


def create_posting(cadre_id: int, post_id: int, channel: str, start, planned_end=None, *, daily_manager: str = "",
                   guide_cadre_id: int | None = None, remarks: str = "") -> PostingInfo:
    """Post one cadre (state 拟选派). Planned end defaults to start + the line's months."""
    with write_transaction():
        cadre = Cadre.get_or_none(Cadre.id == cadre_id)
        if cadre is None:
            raise NotFoundError("该干部不存在或已被删除。")
        permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre_id)
        post, line = _load_post(post_id)
        errors: dict[str, str] = {}
        if channel not in CHANNELS:
            errors["channel"] = f"选派渠道应为：{'、'.join(CHANNELS)}"
        start, planned = _dates(start, planned_end, line, errors)
        _check_guide(guide_cadre_id, cadre_id, errors)
        if errors:
            raise ValidationError(errors)
        refusal = _refusal(cadre, post, line, start, planned)
        if refusal:
            raise ValidationError({"": f"{cadre.name}：{refusal}"})
        posting_id = _insert_posting(cadre, post, line, channel, start, planned, (daily_manager or "").strip(),
                                     guide_cadre_id, remarks)
    return get_posting(posting_id)


def post_cadres(cadre_ids: list[int], post_id: int, channel: str, start, planned_end=None, *,
                daily_manager: str = "", guide_cadre_id: int | None = None,
                all_or_nothing: bool = True) -> BatchResult:
    """Post many cadres to one post in one transaction, every rule checked per person.

    With ``all_or_nothing`` (the default) nobody is posted when anyone fails, and the result lists
    who failed and why; otherwise the ones that pass are posted and the rest reported."""
    result = BatchResult()
    with write_transaction():
        permissions.require(permissions.EDIT)
        post, line = _load_post(post_id)
        errors: dict[str, str] = {}
        if channel not in CHANNELS:
            errors["channel"] = f"选派渠道应为：{'、'.join(CHANNELS)}"
        start, planned = _dates(start, planned_end, line, errors)
        if guide_cadre_id is not None and not Cadre.select().where(Cadre.id == guide_cadre_id).exists():
            errors["guide_cadre_id"] = "所选“一对一”指导人不存在"
        if errors:
            raise ValidationError(errors)
        seen: set[int] = set()
        cadres = {c.id: c for c in Cadre.select().where(Cadre.id.in_(list(cadre_ids)))}
        accepted: list[Cadre] = []
        for cadre_id in cadre_ids:
            if cadre_id in seen:
                continue
            seen.add(cadre_id)
            cadre = cadres.get(cadre_id)
            if cadre is None:
                result.failures.append(BatchFailure(cadre_id, f"编号 {cadre_id}", "干部不存在或已被删除"))
                continue
            refusal = permissions.check(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre_id)
            if refusal is None and guide_cadre_id == cadre_id:
                refusal = "“一对一”指导人不能是本人"
            if refusal is None:
                refusal = _refusal(cadre, post, line, start, planned, extra_on_post=len(accepted))
            if refusal:
                result.failures.append(BatchFailure(cadre_id, cadre.name, refusal))
            else:
                accepted.append(cadre)
        if result.failures and all_or_nothing:
            result.rolled_back = True
            return result
        for cadre in accepted:
            result.posted.append(_insert_posting(cadre, post, line, channel, start, planned,
                                                 (daily_manager or "").strip(), guide_cadre_id, "", batch=True))
    return result


def _load_for_change(posting_id: int, version: int) -> Posting:
    row = Posting.get_or_none(Posting.id == posting_id)
    if row is None:
        raise NotFoundError("该选派记录不存在或已被删除。")
    cadre = Cadre.get_by_id(row.cadre_id)
    permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=row.cadre_id)
    if row.version != version:
        raise ConflictError()
    return row


def _apply(row: Posting, values: dict, summary: str, reason: str = "") -> PostingInfo:
    before = {k: _plain(getattr(row, k)) for k in values}
    changed = (Posting.update(**values, updated_at=clock.now_iso(), version=Posting.version + 1)
               .where(Posting.id == row.id, Posting.version == row.version).execute())
    if not changed:
        raise ConflictError()
    changes = audit.diff(before, {k: _plain(v) for k, v in values.items()})
    audit.record(audit.UPDATE, E_POSTING, row.id, summary, changes, reason=reason)
    return get_posting(row.id)


def _plain(value):
    return value.id if hasattr(value, "id") and not isinstance(value, (int, str)) else value


def _name_of(cadre_id: int) -> str:
    return Cadre.get_by_id(cadre_id).name


def start_posting(posting_id: int, version: int, arrival=None) -> PostingInfo:
    """到岗: 拟选派 → 在岗. ``arrival`` (default: the planned start) becomes the start date."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        if row.state != PROPOSED:
            raise ValidationError(f"只有“{PROPOSED}”的记录可以办理到岗，当前状态为“{row.state}”")
        errors: dict[str, str] = {}
        start = _date(arrival, "到岗时间", "start", errors) if arrival else row.start
        if start and start[:8] > _today()[:len(start)]:
            errors["start"] = "到岗时间不能晚于今天；尚未到岗的请保持“拟选派”"
        if errors:
            raise ValidationError(errors)
        if row.planned_end and _full_date(row.planned_end) <= _full_date(start):
            raise ValidationError({"start": "到岗时间应早于计划结束时间"})
        return _apply(row, {"state": ON_POST, "start": start}, f"{_name_of(row.cadre_id)} 到岗")


def finish_posting(posting_id: int, version: int, actual_end, appraisal_text: str, outcome: str) -> PostingInfo:
    """期满结束: 在岗 → 期满, with the end-of-posting 鉴定 and outcome."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        if row.state != ON_POST:
            raise ValidationError(f"只有“{ON_POST}”的记录可以期满结束，当前状态为“{row.state}”")
        errors: dict[str, str] = {}
        end = _date(actual_end, "实际结束时间", "actual_end", errors, required=True)
        if end and _full_date(end) < _full_date(row.start):
            errors["actual_end"] = "实际结束时间不能早于开始时间"
        elif end and end[:len(_today())] > _today()[:len(end)]:
            errors["actual_end"] = "实际结束时间不能晚于今天"
        if not (appraisal_text or "").strip():
            errors["appraisal_text"] = "请填写期满鉴定"
        if outcome not in OUTCOMES:
            errors["outcome"] = f"请选择锻炼结果：{'、'.join(OUTCOMES)}"
        if errors:
            raise ValidationError(errors)
        return _apply(row, {"state": COMPLETED, "actual_end": end, "appraisal_text": appraisal_text.strip(),
                            "outcome": outcome}, f"{_name_of(row.cadre_id)} 锻炼期满")


def recall_posting(posting_id: int, version: int, actual_end, reason: str) -> PostingInfo:
    """提前召回 (from 拟选派 or 在岗); the reason is required."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        if row.state not in ACTIVE_STATES:
            raise ValidationError(f"该记录已“{row.state}”，不能召回")
        errors: dict[str, str] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["recall_reason"] = "提前召回必须填写召回原因"
        end = _date(actual_end, "召回时间", "actual_end", errors, required=True)
        if end and row.state == ON_POST and _full_date(end) < _full_date(row.start):
            errors["actual_end"] = "召回时间不能早于开始时间"
        elif end and end[:len(_today())] > _today()[:len(end)]:
            errors["actual_end"] = "召回时间不能晚于今天"
        if errors:
            raise ValidationError(errors)
        return _apply(row, {"state": RECALLED, "actual_end": end, "recall_reason": reason},
                      f"{_name_of(row.cadre_id)} 提前召回", reason=reason)


_EDITABLE = ("channel", "start", "planned_end", "daily_manager", "guide_cadre_id", "remarks")


def update_posting(posting_id: int, version: int, **values) -> PostingInfo:
    """Edit an active posting: channel, dates, daily manager, guide, remarks."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        if row.state in FINISHED_STATES:
            raise ValidationError("已结束的选派记录为只读，如需修改请使用“更正”并说明原因")
        return _apply(row, _validated_changes(row, values, _EDITABLE), f"修改 {_name_of(row.cadre_id)} 的选派信息")


_CORRECTABLE = _EDITABLE + ("actual_end", "appraisal_text", "outcome", "recall_reason")


def correct_posting(posting_id: int, version: int, reason: str, **values) -> PostingInfo:
    """Correct a finished posting; the reason is required and goes into the audit row."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "更正已结束的选派记录必须填写更正原因"})
        changes = _validated_changes(row, values, _CORRECTABLE if row.state in FINISHED_STATES else _EDITABLE)
        if not changes:
            raise ValidationError("没有需要更正的内容")
        return _apply(row, changes, f"更正 {_name_of(row.cadre_id)} 的选派记录", reason=reason)


def _validated_changes(row: Posting, values: dict, allowed: tuple[str, ...]) -> dict:
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise ValidationError(f"不能修改的项目：{'、'.join(unknown)}")
    errors: dict[str, str] = {}
    out: dict = {}
    labels = {"start": "开始时间", "planned_end": "计划结束时间", "actual_end": "实际结束时间"}
    for key, value in values.items():
        if key in labels:
            value = _date(value, labels[key], key, errors, required=key == "start")
        elif key == "channel" and value not in CHANNELS:
            errors["channel"] = f"选派渠道应为：{'、'.join(CHANNELS)}"
        elif key == "outcome" and value not in OUTCOMES and row.state == COMPLETED:
            errors["outcome"] = f"锻炼结果应为：{'、'.join(OUTCOMES)}"
        elif key == "guide_cadre_id":
            _check_guide(value, row.cadre_id, errors)
        elif isinstance(value, str):
            value = value.strip()
        column = "guide_cadre" if key == "guide_cadre_id" else key
        if _plain(getattr(row, column)) != value:
            out[column] = value
    start = out.get("start", row.start)
    planned = out.get("planned_end", row.planned_end)
    actual = out.get("actual_end", row.actual_end)
    if start and planned and _full_date(planned) <= _full_date(start):
        errors["planned_end"] = "计划结束时间应晚于开始时间"
    if start and actual and row.state == COMPLETED and _full_date(actual) < _full_date(start):
        errors["actual_end"] = "实际结束时间不能早于开始时间"
    if row.state in FINISHED_STATES and "actual_end" in out and not actual:
        errors["actual_end"] = "已结束的记录必须有实际结束时间"
    elif "actual_end" in out and actual and actual[:8] > _today()[:len(actual)]:
        errors["actual_end"] = "实际结束时间不能晚于今天"
    if row.state == RECALLED and "recall_reason" in out and not out["recall_reason"]:
        errors["recall_reason"] = "召回原因不能为空"
    if "start" in out and start and "start" not in errors:
        post = Post.get_by_id(row.post_id)
        if post.open_end and _full_date(start) > _full_date(post.open_end):
            errors["start"] = f"开始时间晚于岗位开放结束时间 {format_date(post.open_end)}"
        elif post.open_start and _full_date(start) < _full_date(post.open_start):
            errors["start"] = f"开始时间早于岗位开放开始时间 {format_date(post.open_start)}"
        elif row.state == ON_POST and start[:8] > _today()[:len(start)]:
            errors["start"] = "已在岗的记录，开始时间不能晚于今天"
    if errors:
        raise ValidationError(errors)
    return out


# fn(posting_id) called inside the withdrawal's transaction, before the row goes: other capabilities
# (mentoring) clear their references to it, writing their own audit rows.


def delete_posting(posting_id: int, version: int, reason: str = "") -> None:
    """Withdraw a 拟选派 posting entered by mistake; others stay as history."""
    with write_transaction():
        row = _load_for_change(posting_id, version)
        if row.state != PROPOSED:
            raise ValidationError("只有“拟选派”的记录可以撤销；已到岗的请办理期满或提前召回")
        info = get_posting(posting_id)
        for hook in list(WITHDRAW_HOOKS):
            hook(posting_id)
        Posting.delete().where(Posting.id == posting_id).execute()
        audit.record(audit.DELETE, E_POSTING, posting_id, f"撤销 {info.cadre_name} 到 {info.post_name} 的拟选派",
                     {"cadre": [info.cadre_name, None], "post": [info.post_name, None]}, reason=reason)


# ---- matching (人岗相适) -------------------------------------------------------------------------

_SPLIT = re.compile(r"[、，,；;／/\s]+")

# A weakness phrase's key word → words of the posts that train it.
WEAKNESS_TRAINED_BY = {
    "基层": ("乡村振兴", "社区", "驻村", "网格", "基层"),
    "群众工作": ("信访", "社区", "网格", "群众", "驻村"),
    "复杂问题": ("信访", "维稳", "重大项目", "矛盾"),
    "经济": ("招商", "项目", "产业", "经济"),
    "应急": ("信访", "维稳", "应急", "网格"),
    "招商": ("招商",),
    "项目": ("项目",),
    "信访": ("信访",),
}


def _terms(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text or "") if t]


# Two-character words too common to show a real fit on their own.
_GENERIC = {"管理", "工作", "建设", "发展", "服务", "分析", "综合", "事务", "能力", "经验"}


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\w]", "", text or "")
    return {text[i:i + 2] for i in range(len(text) - 1)} - _GENERIC


def score_candidate(post: PostInfo, specialty: str, expertise: str, weaknesses: str,
                    categories: str, past_lines: set[int] | None = None) -> tuple[int, list[str]]:
    """A fit score and its reasons in words. Specialty fit counts most, then a trained weakness."""
    reasons: list[str] = []
    score = 0
    own = _terms(specialty) + _terms(expertise)
    own_text = "、".join(own)
    wanted = _terms(post.requirements)
    matched, partial = [], []
    for term in wanted:
        if any(term in o or o in term for o in own):
            matched.append(term)
        elif _bigrams(term) & _bigrams(own_text):
            partial.append(term)
    if matched:
        score += 30 * len(matched)
        reasons.append(f"专业特长契合岗位要求“{'、'.join(matched)}”（+{30 * len(matched)}）")
    if partial:
        score += 10 * len(partial)
        reasons.append(f"专业特长与“{'、'.join(partial)}”相近（+{10 * len(partial)}）")
    if wanted and not matched and not partial:
        reasons.append("专业特长与岗位要求无明显关联")
    post_text = " ".join((post.line_name, post.name, post.host, post.duties, post.requirements))
    trained = []
    for weakness in _terms(weaknesses):
        for key, words in WEAKNESS_TRAINED_BY.items():
            if key in weakness and any(w in post_text for w in words):
                trained.append(weakness)
                break
    if trained:
        score += 25
        reasons.append(f"岗位可补短板“{'、'.join(trained)}”（+25）")
    wanted_cats = [c for c in post.wanted_categories.split(",") if c]
    own_cats = [c for c in (categories or "").split(",") if c]
    hit = [c for c in wanted_cats if c in own_cats]
    if hit:
        score += 5 * len(hit)
        reasons.append(f"属于{_category_names(','.join(hit))}（+{5 * len(hit)}）")
    if past_lines and post.line_id in past_lines:
        score -= 10
        reasons.append(f"曾在“{post.line_name}”战线锻炼过（-10）")
    return score, reasons


def match_candidates(post_id: int, limit: int = 50) -> list[Candidate]:
    """Cadres fit for a post, best first: 在职, not on an active posting, in the wanted categories."""
    permissions.require(permissions.READ)
    post = get_post(post_id)
    busy = {r[0] for r in Posting.select(Posting.cadre).where(Posting.state.in_(ACTIVE_STATES)).tuples()}
    past: dict[int, set[int]] = {}
    for cadre_id, line_id in (Posting.select(Posting.cadre, Post.line).join(Post)
                              .where(Posting.state.in_(FINISHED_STATES)).tuples()):
        past.setdefault(cadre_id, set()).add(line_id)
    wanted_cats = [c for c in post.wanted_categories.split(",") if c]
    query = (Cadre.select(Cadre.id, Cadre.name, Cadre.unit, Cadre.categories, Cadre.specialty, Cadre.expertise,
                          Cadre.weaknesses).where(Cadre.status == "1"))
    if wanted_cats:
        cond = None
        for code in wanted_cats:
            part = (Cadre.categories == code) | Cadre.categories.startswith(code + ",") \
                | Cadre.categories.endswith("," + code) | Cadre.categories.contains("," + code + ",")
            cond = part if cond is None else cond | part
        query = query.where(cond)
    scope = permissions.readable_unit_ids()  # a user limited to some units picks among their cadres
    if scope is not None:
        query = query.where(Cadre.unit.in_(list(scope) or [0]))
    scored = []
    labels = unit_labels()
    for cadre_id, name, unit_id, cats, specialty, expertise, weaknesses in query.tuples().iterator():
        if cadre_id in busy:
            continue
        score, reasons = score_candidate(post, specialty, expertise, weaknesses, cats, past.get(cadre_id))
        shown = specialty or ""
        if expertise and expertise not in shown:
            shown = f"{shown}；熟悉{expertise}" if shown else expertise
        scored.append(Candidate(cadre_id, name, labels.get(unit_id, ""), _category_names(cats), shown,
                                weaknesses, score, tuple(reasons)))
    scored.sort(key=lambda c: (-c.score, c.cadre_id))
    return scored[:limit] if limit else scored


# ---- reminders, checks, delete hook -------------------------------------------------------------

def reminders():
    from cadre_desk.home.reminders import Reminder

    today = _today()
    soon = (clock.today() + _dt.timedelta(days=30)).strftime("%Y%m%d")
    out = []
    for p in list_postings(state=ON_POST):
        if not p.planned_end:
            continue
        end = _full_date(p.planned_end)
        if end < today:
            out.append(Reminder("一线锻炼", f"{p.cadre_name}在“{p.post_name}”的锻炼已于 {format_date(p.planned_end)}"
                                f" 到期，仍为在岗，请办理期满或延期", p.cadre_id, "warning"))
        elif end <= soon:
            out.append(Reminder("一线锻炼", f"{p.cadre_name}在“{p.post_name}”的锻炼将于 {format_date(p.planned_end)}"
                                f" 期满，请准备期满鉴定", p.cadre_id))
    for post in list_posts():
        if post.line_retired or (post.open_end and _full_date(post.open_end) < today):
            continue
        if post.filled < post.capacity:
            out.append(Reminder("一线锻炼", f"岗位“{post.line_name}/{post.name}”未满员："
                                f"{post.filled}/{post.capacity}，尚缺 {post.capacity - post.filled} 人"))
    return out


def checks() -> list[str]:
    problems = []
    counts = _active_count_by_post()
    for post in Post.select(Post.id, Post.name, Post.capacity):
        if counts.get(post.id, 0) > post.capacity:
            problems.append(f"岗位“{post.name}”在岗及拟选派 {counts[post.id]} 人，超过容量 {post.capacity} 人")
    multi = (Posting.select(Posting.cadre, fn.COUNT(Posting.id)).where(Posting.state.in_(ACTIVE_STATES))
             .group_by(Posting.cadre).having(fn.COUNT(Posting.id) > 1).tuples())
    for cadre_id, n in multi:
        problems.append(f"干部“{_name_of(cadre_id)}”同时有 {n} 条在岗或拟选派的一线选派记录")
    for row in Posting.select().where(Posting.state.not_in(STATES)):
        problems.append(f"选派记录 {row.id} 的状态“{row.state}”无效")
    for row in Posting.select().where(Posting.state.in_(FINISHED_STATES), Posting.actual_end == ""):
        problems.append(f"选派记录 {row.id} 已结束但没有实际结束时间")
    for row in Posting.select().where(Posting.state == RECALLED, Posting.recall_reason == ""):
        problems.append(f"选派记录 {row.id} 提前召回但没有召回原因")
    for row in Posting.select().where(Posting.planned_end != ""):
        if _full_date(row.planned_end) <= _full_date(row.start):
            problems.append(f"选派记录 {row.id} 的计划结束时间不晚于开始时间")
    return problems


def before_cadre_delete(cadre_id: int) -> None:
    """A cadre with posting history is kept (the history is the point); a guide reference is cleared."""
    n = Posting.select().where(Posting.cadre == cadre_id).count()
    if n:
        raise ValidationError(f"该干部有 {n} 条一线锻炼选派记录，不能删除；如已调出，请修改人员状态。")
    for row in Posting.select().where(Posting.guide_cadre == cadre_id):
        Posting.update(guide_cadre=None, version=Posting.version + 1, updated_at=clock.now_iso()) \
            .where(Posting.id == row.id).execute()
        audit.record(audit.UPDATE, E_POSTING, row.id, "删除干部时清除“一对一”指导人",
                     {"guide_cadre_id": [cadre_id, None]})


def days_left(p: PostingInfo) -> int | None:
    """Days to the planned end of an active posting (negative when overdue)."""
    if not p.active or not p.planned_end:
        return None
    return (to_date(_full_date(p.planned_end)) - clock.today()).days
