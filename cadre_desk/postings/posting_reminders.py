"""What the 工作台 and `check` say about frontline postings: postings due, overdue or ended with their
期满鉴定 incomplete, posts not full, the counts of cadres on post by line and by host, and records that break
the rules (over capacity, two active postings, a finished one without its end date…)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from peewee import JOIN, fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.dates import as_day, format_date, from_date
from cadre_desk.postings.frontline_posts import active_count_by_post, list_posts
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    COMPLETED,
    FINISHED_STATES,
    ON_POST,
    OPINION_SIDES,
    RECALLED,
    STATES,
    host_label,
)
from cadre_desk.store.db import database
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting, PostingReview

SOON_DAYS = 30  # a posting ending within this many days is announced
REVIEW_DAYS = 183  # a 期满鉴定 still lacking an opinion is asked for during half a year (the host's comes late)


def due_postings(today: _dt.date) -> list[tuple]:
    """Postings on post (在岗) of the operator's cadres that end within SOON_DAYS days or are past their
    planned end, by planned end: (posting id, cadre id, cadre name, post name, planned end) — one query
    choosing them by their planned end in an index (migration 19: posting_state_planned_end), plain tuples
    (thousands at once); the names through the scoped read path (the roster index's, in the 工作台)."""
    current = access_scope.current()
    current.require(permissions.READ)
    soon = (today + _dt.timedelta(days=SOON_DAYS)).strftime("%Y%m%d")
    query = (Posting.select(Posting.id, Posting.cadre, Post.name, Posting.planned_end)
             .join(Post, on=(Posting.post == Post.id))
             .where(Posting.state == ON_POST, Posting.planned_end != "", Posting.planned_end <= soon)
             .order_by(Posting.planned_end, Posting.id))
    return reads.named_rows(query, Posting.cadre)


def _recently_completed(today: _dt.date):
    """期满 within REVIEW_DAYS (chosen in an index: migration 19, posting_state_actual_end)."""
    since = (today - _dt.timedelta(days=REVIEW_DAYS)).strftime("%Y%m%d")
    return (Posting.state == COMPLETED) & (Posting.actual_end >= since)


def _review_incomplete(today: _dt.date):
    """期满 within REVIEW_DAYS whose 期满鉴定 is missing or still lacks one of the three opinions."""
    complete = PostingReview.select(PostingReview.id).where(
        PostingReview.posting == Posting.id,
        *(fn.TRIM(getattr(PostingReview, f"{side}_opinion")) != "" for side, _who in OPINION_SIDES))
    return _recently_completed(today) & ~fn.EXISTS(complete)


def awaiting_appraisal_count(today: _dt.date | None = None) -> int:
    """到期未鉴定: postings of the operator's cadres past their planned end and still 在岗, or ended (期满)
    in the last half year with a 期满鉴定 missing or lacking an opinion — the postings the reminders
    name in red (one count)."""
    current = access_scope.current()
    current.require(permissions.READ)
    today = today or clock.today()
    overdue = (Posting.state == ON_POST) & (Posting.planned_end != "") & (Posting.planned_end < from_date(today))
    query = Posting.select().where(overdue | _review_incomplete(today))
    return current.restrict(query, cadre=Posting.cadre).count()


@dataclass(frozen=True)
class OnPostCount:
    line_name: str
    host: str  # 专班·市信访局
    count: int


def on_post_counts() -> list[OnPostCount]:
    """Cadres on post (在岗) of the operator's units by line and host, the lines in their order (every
    line that is not retired, with 0 where nobody is on post); one grouped query."""
    current = access_scope.current()
    current.require(permissions.READ)
    query = (Posting.select(FrontlineLine.id, Post.host_type, Post.host_name, fn.COUNT(Posting.id))
             .join(Post, on=(Posting.post == Post.id)).join(FrontlineLine, on=(Post.line == FrontlineLine.id))
             .where(Posting.state == ON_POST).group_by(FrontlineLine.id, Post.host_type, Post.host_name))
    rows = database.execute(current.restrict(query, cadre=Posting.cadre)).fetchall()
    lines = list(FrontlineLine.select(FrontlineLine.id, FrontlineLine.name, FrontlineLine.retired)
                 .order_by(FrontlineLine.retired, FrontlineLine.sort_order, FrontlineLine.id).tuples())
    names = {line_id: name for line_id, name, _retired in lines}
    out = [OnPostCount(names[line_id], host_label(host_type, host_name), n)
           for line_id, host_type, host_name, n in rows]
    seen = {line_id for line_id, *_rest in rows}
    out += [OnPostCount(name, "", 0) for line_id, name, retired in lines if not retired and line_id not in seen]
    order = {line_id: n for n, (line_id, *_rest) in enumerate(lines)}
    by_name = {name: order[line_id] for line_id, name in names.items()}
    out.sort(key=lambda c: (by_name[c.line_name], -c.count, c.host))
    return out


def reminders():
    """Postings of the operator's cadres due or overdue, 期满鉴定 still incomplete, and posts not full (for
    a clerk, those their units host)."""
    from cadre_desk.home.reminders import POST, POSTING, Reminder

    today = clock.today()
    day = from_date(today)
    endings: dict[str, tuple[str, str]] = {}  # thousands of postings end on a few hundred days
    out = []
    for posting_id, cadre_id, name, post_name, planned_end in due_postings(today):
        level, ending = endings.get(planned_end) or endings.setdefault(planned_end, _ending(planned_end, day))
        out.append(Reminder("一线锻炼", f"{name}在“{post_name}”的锻炼{ending}", cadre_id, level, planned_end,
                            POSTING, posting_id))
    out += _incomplete_reviews()
    ours = _hosted_in_scope()
    for post in list_posts():
        if post.line_retired or (post.open_end and as_day(post.open_end) < day):
            continue
        if ours is not None and not ours(post.host_name):
            continue
        if post.filled < post.capacity:
            out.append(Reminder("一线锻炼", f"岗位“{post.line_name}/{post.name}”未满员："
                                f"{post.filled}/{post.capacity}，尚缺 {post.capacity - post.filled} 人",
                                record=POST, record_id=post.id))
    return out


def _hosted_in_scope():
    """For an operator of some units, whether a post's 承接单位 (its host's name) is one of their units: a
    clerk is told of posts not full only where their own units host them (a post names its host in words,
    read as a unit by ``units.named_unit``); None for an operator of every unit, told of every post."""
    from cadre_desk.units import units

    covered = access_scope.current().units
    if covered is None:
        return None
    listed = units.list_units()
    index = units.name_index()
    return lambda host_name: units.named_unit(host_name, index, listed) in covered


def _ending(planned_end: str, today: str) -> tuple[str, str]:
    """The level of a due posting's reminder and the end of its text: overdue (still 在岗 after its planned
    end) or ending soon."""
    if as_day(planned_end) < today:
        return "warning", f"已于 {format_date(planned_end)} 到期，仍为在岗，请办理期满或延期"
    return "info", f"将于 {format_date(planned_end)} 期满，请准备期满鉴定"


def _incomplete_reviews():
    """期满 in the last half year whose 期满鉴定 still lacks an opinion (the host's often comes back late):
    due at the posting's end, a click opens the posting. One query: the postings with their 期满鉴定's
    three opinions (no review read as a whole), those lacking one kept as they are joined (a posting has
    one 期满鉴定 at most: the same as ``_review_incomplete``, each review read once)."""
    from cadre_desk.home.reminders import POSTING, Reminder

    opinions = [getattr(PostingReview, f"{side}_opinion") for side, _who in OPINION_SIDES]
    lacking = PostingReview.id.is_null()
    for opinion in opinions:
        lacking |= fn.TRIM(opinion) == ""
    query = (Posting.select(Posting.id, Posting.cadre, Post.name, Posting.actual_end, PostingReview.id, *opinions)
             .join(Post, on=(Posting.post == Post.id)).switch(Posting)
             .join(PostingReview, JOIN.LEFT_OUTER, on=(PostingReview.posting == Posting.id))
             .where(_recently_completed(clock.today()) & lacking).order_by(Posting.actual_end, Posting.id))
    out = []
    for posting_id, cadre_id, name, post_name, actual_end, review_id, *texts in reads.named_rows(query, Posting.cadre):
        missing = ([who for (_side, who), text in zip(OPINION_SIDES, texts, strict=True) if not text.strip()]
                   if review_id is not None else ["各方"])
        out.append(Reminder("一线锻炼", f"{name}（{post_name}）的期满鉴定尚缺{'、'.join(missing)}意见，"
                            "请收回后在“期满鉴定…”中补填", cadre_id, "info", actual_end, POSTING, posting_id))
    return out


def checks() -> list[str]:
    problems = []
    counts = active_count_by_post()
    for post in Post.select(Post.id, Post.name, Post.capacity):
        if counts.get(post.id, 0) > post.capacity:
            problems.append(f"岗位“{post.name}”在岗及拟选派 {counts[post.id]} 人，超过容量 {post.capacity} 人")
    multi = (Posting.select(Posting.cadre, fn.COUNT(Posting.id)).where(Posting.state.in_(ACTIVE_STATES))
             .group_by(Posting.cadre).having(fn.COUNT(Posting.id) > 1).tuples())
    for cadre_id, n in multi:
        name = Cadre.select(Cadre.name).where(Cadre.id == cadre_id).scalar()
        problems.append(f"干部“{name}”同时有 {n} 条在岗或拟选派的一线选派记录")
    for row in Posting.select().where(Posting.state.not_in(STATES)):
        problems.append(f"选派记录 {row.id} 的状态“{row.state}”无效")
    for row in Posting.select().where(Posting.state.in_(FINISHED_STATES), Posting.actual_end == ""):
        problems.append(f"选派记录 {row.id} 已结束但没有实际结束时间")
    for row in Posting.select().where(Posting.state == RECALLED, Posting.recall_reason == ""):
        problems.append(f"选派记录 {row.id} 提前召回但没有召回原因")
    for row in Posting.select().where(Posting.planned_end != ""):
        if as_day(row.planned_end) <= as_day(row.start):
            problems.append(f"选派记录 {row.id} 的计划结束时间不晚于开始时间")
    return problems
