"""Frontline postings (选派): a cadre on a post, from 拟选派 to 期满 or 提前召回.

Rules kept here, whatever the caller: a cadre holds at most one active posting (拟选派 or 在岗);
a post never holds more active postings than its capacity; dates are consistent; a finished
posting (期满 / 提前召回) changes only through ``correct_posting`` with a reason. Every change
writes an audit row in its own transaction. Lines and posts: ``frontline_posts``; 人岗相适: ``post_matching``;
期满 and its 鉴定: ``posting_review``; reminders and checks: ``posting_reminders``."""

from __future__ import annotations

import datetime as _dt

from peewee import JOIN, Case, fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import add_months, as_day, check_date, format_date
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.domain.fields import POSTING
from cadre_desk.postings.frontline_posts import active_count
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    CHANNELS,
    COMPLETED,
    E_POSTING,
    FINISHED_STATES,
    ON_POST,
    PROPOSED,
    RECALLED,
    BatchFailure,
    BatchResult,
    PostingInfo,
    host_label,
)
from cadre_desk.postings.posting_hooks import WITHDRAW_HOOKS
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import Cadre, Unit
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting, PostingReview


def _active_of(cadre_id: int, exclude: int | None = None) -> Posting | None:
    query = Posting.select().where(Posting.cadre == cadre_id, Posting.state.in_(ACTIVE_STATES))
    if exclude is not None:
        query = query.where(Posting.id != exclude)
    return query.first()


# ---- postings: reading --------------------------------------------------------------------------

def _postings_query():
    guide = Cadre.alias("guide")
    return (Posting.select(Posting, Cadre.name, Cadre.unit, Unit.name, Post.name, Post.host_type, Post.host_name,
                           FrontlineLine.id, FrontlineLine.name, guide.name, guide.unit, PostingReview.grade)
            .join(Cadre, on=(Posting.cadre == Cadre.id))
            .join(Unit, JOIN.LEFT_OUTER, on=(Cadre.unit == Unit.id))
            .switch(Posting).join(Post, on=(Posting.post == Post.id))
            .join(FrontlineLine, on=(Post.line == FrontlineLine.id))
            .switch(Posting).join(guide, JOIN.LEFT_OUTER, on=(Posting.guide_cadre == guide.id))
            .switch(Posting).join(PostingReview, JOIN.LEFT_OUTER, on=(PostingReview.posting == Posting.id))
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
    shown_name = access_scope.current().shown_name  # a 指导人 of another unit is not named
    # One string object per distinct name, date or state, not one per posting.
    share = {}.setdefault
    # The raw cursor: every column is a plain str/int already, and peewee's per-value conversion
    # would cost more than the query itself.
    for row in database.execute(query):
        # Posting columns first, in field order, then the joined names.
        data = dict(zip(_POSTING_COLUMNS, row[:len(_POSTING_COLUMNS)], strict=True))
        (cadre_name, unit_id, unit_name, post_name, host_type, host_name, line_id, line_name,
         guide_name, guide_unit, grade) = row[len(_POSTING_COLUMNS):]
        host = host_label(host_type, host_name)
        out.append(PostingInfo(
            id=data["id"], version=data["version"], cadre_id=data["cadre"], cadre_name=cadre_name,
            unit_name=labels.get(unit_id, unit_name or ""), post_id=data["post"], post_name=share(post_name, post_name),
            line_id=line_id, line_name=share(line_name, line_name), host=share(host, host),
            channel=share(data["channel"], data["channel"]), start=share(data["start"], data["start"]),
            planned_end=share(data["planned_end"], data["planned_end"]),
            actual_end=share(data["actual_end"], data["actual_end"]), state=share(data["state"], data["state"]),
            daily_manager=share(data["daily_manager"], data["daily_manager"]), guide_cadre_id=data["guide_cadre"],
            guide_name=shown_name(guide_name or "", guide_unit),
            recall_reason=data["recall_reason"], outcome=share(data["outcome"], data["outcome"]),
            unit_id=unit_id, remarks=data["remarks"], grade=share(grade or "", grade or "")))
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
    current = access_scope.current()
    current.require(permissions.READ)
    if current.units is not None:
        given = filters.get("unit_ids")
        filters["unit_ids"] = set(current.units) if given is None else set(given) & current.units
    return list_postings(**filters)


def on_post_start():
    """A posting's start at day precision in a query (a YYYYMM counts as its 1st, as ``as_day``)."""
    return Case(None, [(fn.LENGTH(Posting.start) == 6, Posting.start.concat("01"))], Posting.start)


def visible_on_post(*columns, where=None) -> list[tuple]:
    """Postings on post (在岗) of the operator's cadres as ``visible_postings(state=ON_POST)`` lists them
    (same scope, same order), read lean for the reminders: (posting id, cadre id, cadre name, post name,
    start, *the values of ``columns``), kept to rows matching ``where`` — one query, plain tuples (a
    capability adds its own figure per posting, such as its last talk, as a correlated subquery); the
    names through the scoped read path (the roster index's, in the 工作台's reminders)."""
    current = access_scope.current()
    current.require(permissions.READ)
    query = (Posting.select(Posting.id, Posting.cadre, Post.name, Posting.start, *columns)
             .join(Post, on=(Posting.post == Post.id))  # every post has its line (a foreign key): not joined
             .where(Posting.state == ON_POST).order_by(Posting.start.desc(), Posting.id.desc()))
    if where is not None:
        query = query.where(where)
    return reads.named_rows(query, Posting.cadre)


def count_on_post(where=None) -> int:
    """How many rows ``visible_on_post(where=where)`` lists, counted by the database (no names read)."""
    current = access_scope.current()
    current.require(permissions.READ)
    query = Posting.select(Posting.id).where(Posting.state == ON_POST)
    if where is not None:
        query = query.where(where)
    return current.restrict(query, cadre=Posting.cadre).count()


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
        if limit and not (row.state in ACTIVE_STATES and row.planned_end and as_day(row.planned_end) <= limit):
            continue
        out.append(row)
    return out


def get_posting(posting_id: int) -> PostingInfo:
    rows = _posting_rows(_postings_query().where(Posting.id == posting_id))
    if not rows:
        raise NotFoundError("该选派记录不存在或已被删除。")
    access_scope.current().require(permissions.READ, unit_id=rows[0].unit_id, cadre_id=rows[0].cadre_id)
    return rows[0]


def posting_places(posting_ids) -> dict[int, tuple[int, str]]:
    """posting id → (line id, "line·post"): where postings are, nothing of who is on them (so no
    scope check; one query per 500)."""
    ids = [i for i in dict.fromkeys(posting_ids) if i]
    out: dict[int, tuple[int, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        query = (Posting.select(Posting.id, FrontlineLine.id, FrontlineLine.name, Post.name).join(Post)
                 .join(FrontlineLine).where(Posting.id.in_(ids[i:i + _CHUNK])))
        out.update((pid, (line_id, f"{line}·{post}")) for pid, line_id, line, post in query.tuples())
    return out


def postings_for_cadre(cadre_id: int) -> list[PostingInfo]:
    unit_id = Cadre.select(Cadre.unit).where(Cadre.id == cadre_id).scalar()
    permissions.require(permissions.READ, unit_id=unit_id, cadre_id=cadre_id)
    return list_postings(cadre_id=cadre_id)


def active_posting(cadre_id: int) -> PostingInfo | None:
    row = _active_of(cadre_id)
    return get_posting(row.id) if row is not None else None


def active_postings(cadre_ids: list[int]) -> dict[int, PostingInfo]:
    """The 拟选派 or 在岗 posting of each of ``cadre_ids`` that has one (of those the operator may read):
    who cannot be posted again, told before a batch is filled in."""
    return {p.cadre_id: p for p in list_postings(cadre_ids=cadre_ids) if p.state in ACTIVE_STATES}


# ---- postings: rules ----------------------------------------------------------------------------

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
    if active_count(post.id) + extra_on_post >= post.capacity:
        return f"岗位“{post.name}”已满（容量 {post.capacity} 人）"
    if post.open_end and as_day(start) > as_day(post.open_end):
        return f"选派开始时间晚于岗位开放结束时间 {format_date(post.open_end)}"
    if post.open_start and as_day(start) < as_day(post.open_start):
        return f"选派开始时间早于岗位开放开始时间 {format_date(post.open_start)}"
    return None


def _check_guide(guide_id: int | None, cadre_id: int | None, errors: dict[str, str]) -> None:
    if guide_id is None:
        return
    if guide_id == cadre_id:
        errors["guide_cadre_id"] = "“一对一”指导人不能是本人"
        return
    unit_id = Cadre.select(Cadre.unit).where(Cadre.id == guide_id).scalar()
    if unit_id is None:
        errors["guide_cadre_id"] = "所选“一对一”指导人不存在"
    elif not access_scope.current().covers_unit(unit_id):
        errors["guide_cadre_id"] = "所选“一对一”指导人不在您负责的单位范围内"


def _dates(start, planned_end, line: FrontlineLine, errors: dict[str, str]) -> tuple[str, str]:
    start = check_date(start, POSTING.label_of("start"), errors, "start", required=True)
    planned = check_date(planned_end, POSTING.label_of("planned_end"), errors, "planned_end")
    if start and not planned and "planned_end" not in errors:
        planned = add_months(start, line.default_months)
    if start and planned and as_day(planned) <= as_day(start):
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


def _checked_plan(post_id, channel: str, start, planned_end, guide_cadre_id: int | None,
                  cadre_id: int | None) -> tuple[Post, FrontlineLine, str, str]:
    """The post, its line, the start and the planned end of a posting about to be made (for one cadre, or
    ``cadre_id`` None for many), the channel, dates and 指导人 checked: ValidationError with each problem."""
    post, line = _load_post(post_id)
    errors: dict[str, str] = {}
    if channel not in CHANNELS:
        errors["channel"] = f"选派渠道应为：{'、'.join(CHANNELS)}"
    start, planned = _dates(start, planned_end, line, errors)
    _check_guide(guide_cadre_id, cadre_id, errors)
    if errors:
        raise ValidationError(errors)
    return post, line, start, planned


def create_posting(cadre_id: int, post_id: int, channel: str, start, planned_end=None, *, daily_manager: str = "",
                   guide_cadre_id: int | None = None, remarks: str = "") -> PostingInfo:
    """Post one cadre (state 拟选派). Planned end defaults to start + the line's months."""
    with write_transaction():
        cadre = Cadre.get_or_none(Cadre.id == cadre_id)
        if cadre is None:
            raise NotFoundError("该干部不存在或已被删除。")
        permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre_id)
        post, line, start, planned = _checked_plan(post_id, channel, start, planned_end, guide_cadre_id, cadre_id)
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
        post, line, start, planned = _checked_plan(post_id, channel, start, planned_end, guide_cadre_id, None)
        seen: set[int] = set()
        cadres = {c.id: c for c in Cadre.select().where(Cadre.id.in_(list(cadre_ids)))}
        refused = access_scope.current().refusals(permissions.EDIT, cadres)  # units and 回避, in one go
        accepted: list[Cadre] = []
        for cadre_id in cadre_ids:
            if cadre_id in seen:
                continue
            seen.add(cadre_id)
            cadre = cadres.get(cadre_id)
            if cadre is None:
                result.failures.append(BatchFailure(cadre_id, f"编号 {cadre_id}", "干部不存在或已被删除"))
                continue
            refusal = refused.get(cadre_id)
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


def load_for_change(posting_id: int, version: int) -> Posting:
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
        row = load_for_change(posting_id, version)
        if row.state != PROPOSED:
            raise ValidationError(f"只有“{PROPOSED}”的记录可以办理到岗，当前状态为“{row.state}”")
        errors: dict[str, str] = {}
        start = check_date(arrival, "到岗时间", errors, "start") if arrival else row.start
        if start and start[:8] > clock.today_yyyymmdd()[:len(start)]:
            errors["start"] = "到岗时间不能晚于今天；尚未到岗的请保持“拟选派”"
        if errors:
            raise ValidationError(errors)
        if row.planned_end and as_day(row.planned_end) <= as_day(start):
            raise ValidationError({"start": "到岗时间应早于计划结束时间"})
        return _apply(row, {"state": ON_POST, "start": start}, f"{_name_of(row.cadre_id)} 到岗")


def recall_posting(posting_id: int, version: int, actual_end, reason: str) -> PostingInfo:
    """提前召回 (from 拟选派 or 在岗); the reason is required."""
    with write_transaction():
        row = load_for_change(posting_id, version)
        if row.state not in ACTIVE_STATES:
            raise ValidationError(f"该记录已“{row.state}”，不能召回")
        errors: dict[str, str] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["recall_reason"] = "提前召回必须填写召回原因"
        end = check_date(actual_end, "召回时间", errors, "actual_end", required=True)
        if end and row.state == ON_POST and as_day(end) < as_day(row.start):
            errors["actual_end"] = "召回时间不能早于开始时间"
        elif end and end[:len(clock.today_yyyymmdd())] > clock.today_yyyymmdd()[:len(end)]:
            errors["actual_end"] = "召回时间不能晚于今天"
        if errors:
            raise ValidationError(errors)
        return _apply(row, {"state": RECALLED, "actual_end": end, "recall_reason": reason},
                      f"{_name_of(row.cadre_id)} 提前召回", reason=reason)


_EDITABLE = ("channel", "start", "planned_end", "daily_manager", "guide_cadre_id", "remarks")


def update_posting(posting_id: int, version: int, **values) -> PostingInfo:
    """Edit an active posting: channel, dates, daily manager, guide, remarks."""
    with write_transaction():
        row = load_for_change(posting_id, version)
        if row.state in FINISHED_STATES:
            raise ValidationError("已结束的选派记录为只读，如需修改请使用“更正”并说明原因")
        return _apply(row, _validated_changes(row, values, _EDITABLE), f"修改 {_name_of(row.cadre_id)} 的选派信息")


_CORRECTABLE = _EDITABLE + ("actual_end", "recall_reason")  # the 期满鉴定 and outcome: posting_review


def correct_posting(posting_id: int, version: int, reason: str, **values) -> PostingInfo:
    """Correct a finished posting; the reason is required and goes into the audit row."""
    with write_transaction():
        row = load_for_change(posting_id, version)
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
    for key, value in values.items():
        if key in ("start", "planned_end", "actual_end"):
            value = check_date(value, POSTING.label_of(key), errors, key, required=key == "start")
        elif key == "channel" and value not in CHANNELS:
            errors["channel"] = f"选派渠道应为：{'、'.join(CHANNELS)}"
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
    if start and planned and as_day(planned) <= as_day(start):
        errors["planned_end"] = "计划结束时间应晚于开始时间"
    if start and actual and row.state == COMPLETED and as_day(actual) < as_day(start):
        errors["actual_end"] = "实际结束时间不能早于开始时间"
    if row.state in FINISHED_STATES and "actual_end" in out and not actual:
        errors["actual_end"] = "已结束的记录必须有实际结束时间"
    elif "actual_end" in out and actual and actual[:8] > clock.today_yyyymmdd()[:len(actual)]:
        errors["actual_end"] = "实际结束时间不能晚于今天"
    if row.state == RECALLED and "recall_reason" in out and not out["recall_reason"]:
        errors["recall_reason"] = "召回原因不能为空"
    if "start" in out and start and "start" not in errors:
        post = Post.get_by_id(row.post_id)
        if post.open_end and as_day(start) > as_day(post.open_end):
            errors["start"] = f"开始时间晚于岗位开放结束时间 {format_date(post.open_end)}"
        elif post.open_start and as_day(start) < as_day(post.open_start):
            errors["start"] = f"开始时间早于岗位开放开始时间 {format_date(post.open_start)}"
        elif row.state == ON_POST and start[:8] > clock.today_yyyymmdd()[:len(start)]:
            errors["start"] = "已在岗的记录，开始时间不能晚于今天"
    if errors:
        raise ValidationError(errors)
    return out


# fn(posting_id) called inside the withdrawal's transaction, before the row goes: other capabilities
# (mentoring) clear their references to it, writing their own audit rows.


def delete_posting(posting_id: int, version: int, reason: str = "", overwrite: bool = False) -> None:
    """Withdraw a 拟选派 posting entered by mistake; others stay as history. ``version``: as the clerk last
    saw it — another having changed it since, refused naming who and when unless ``overwrite``
    (conflicts.check_delete; the audit row says so)."""
    with write_transaction():
        row = Posting.get_or_none(Posting.id == posting_id)
        if row is None:
            raise NotFoundError("该选派记录不存在或已被删除。")
        permissions.require(permissions.EDIT, unit_id=Cadre.get_by_id(row.cadre_id).unit_id, cadre_id=row.cadre_id)
        if row.state != PROPOSED:
            raise ValidationError("只有“拟选派”的记录可以撤销；已到岗的请办理期满或提前召回")
        info = get_posting(posting_id)
        suffix = conflicts.check_delete(row.version != version, overwrite, E_POSTING, posting_id,
                                        f"{info.cadre_name}到“{info.post_name}”的拟选派")
        for hook in list(WITHDRAW_HOOKS):
            hook(posting_id)
        Posting.delete().where(Posting.id == posting_id).execute()
        audit.record(audit.DELETE, E_POSTING, posting_id, f"撤销 {info.cadre_name} 到 {info.post_name} 的拟选派{suffix}",
                     {"cadre": [info.cadre_name, None], "post": [info.post_name, None]}, reason=reason)


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
