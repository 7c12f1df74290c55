"""What the home page and `check` say about frontline postings: postings due or overdue, posts not
full, and records that break the rules (over capacity, two active postings, a finished one without
its end date…)."""

from __future__ import annotations

import datetime as _dt

from peewee import fn

from cadre_desk.domain import clock
from cadre_desk.domain.dates import as_day, format_date
from cadre_desk.postings.frontline_posts import active_count_by_post, list_posts
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    COMPLETED,
    FINISHED_STATES,
    ON_POST,
    RECALLED,
    STATES,
)
from cadre_desk.postings.postings import visible_postings
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import Post, Posting


def reminders():
    """Postings of the operator's cadres due or overdue, and posts not full."""
    from cadre_desk.home.reminders import Reminder

    today = clock.today_yyyymmdd()
    soon = (clock.today() + _dt.timedelta(days=30)).strftime("%Y%m%d")
    out = []
    for p in visible_postings(state=ON_POST):
        if not p.planned_end:
            continue
        end = as_day(p.planned_end)
        if end < today:
            out.append(Reminder("一线锻炼", f"{p.cadre_name}在“{p.post_name}”的锻炼已于 {format_date(p.planned_end)}"
                                f" 到期，仍为在岗，请办理期满或延期", p.cadre_id, "warning"))
        elif end <= soon:
            out.append(Reminder("一线锻炼", f"{p.cadre_name}在“{p.post_name}”的锻炼将于 {format_date(p.planned_end)}"
                                f" 期满，请准备期满鉴定", p.cadre_id))
    out += _incomplete_reviews()
    for post in list_posts():
        if post.line_retired or (post.open_end and as_day(post.open_end) < today):
            continue
        if post.filled < post.capacity:
            out.append(Reminder("一线锻炼", f"岗位“{post.line_name}/{post.name}”未满员："
                                f"{post.filled}/{post.capacity}，尚缺 {post.capacity - post.filled} 人"))
    return out


def _incomplete_reviews():
    """期满 in the last half year whose 期满鉴定 still lacks an opinion (the host's often comes back late)."""
    from cadre_desk.home.reminders import Reminder
    from cadre_desk.postings import posting_review

    since = (clock.today() - _dt.timedelta(days=183)).strftime("%Y%m%d")
    recent = [p for p in visible_postings(state=COMPLETED) if p.actual_end and as_day(p.actual_end) >= since]
    reviews = posting_review.reviews_for([p.id for p in recent])
    out = []
    for p in recent:
        review = reviews.get(p.id)
        missing = [o.who for o in review.opinions() if not o.text] if review is not None else ["各方"]
        if missing:
            out.append(Reminder("一线锻炼", f"{p.cadre_name}（{p.post_name}）的期满鉴定尚缺{'、'.join(missing)}意见，"
                                "请收回后在“期满鉴定…”中补填", p.cadre_id))
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
