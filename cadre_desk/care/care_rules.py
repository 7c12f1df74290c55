"""What the home page and `check` say about 谈心谈话 and 关爱: cadres on a posting due (or overdue) a talk,
follow-ups of talks still open a month on, posted cadres without a 体检 for a year; and records that break
the rules."""

from __future__ import annotations

import datetime as _dt
import functools

from peewee import fn

from cadre_desk.care.talks import pending_follow_ups, talks_due
from cadre_desk.domain import clock
from cadre_desk.domain.dates import as_day, format_date, from_date, to_date
from cadre_desk.postings.postings import on_post_start, visible_on_post
from cadre_desk.store.care_models import CARE_KINDS, OCCASIONS, CareRecord, TalkRecord
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import Posting

TALK_SOON_DAYS = 14  # a talk due within this many days is announced
FOLLOW_UP_DAYS = 30  # a follow-up still open this long after the talk is reminded
CHECKUP_KIND, CHECKUP_EVERY_DAYS, POSTED_FOR_DAYS = "体检", 365, 180


def reminders(today: _dt.date | None = None):
    from cadre_desk.home.reminders import Reminder

    today = today or clock.today()
    day = functools.cache(format_date)  # thousands of reminders, a few hundred days
    stored = functools.cache(from_date)
    out = []
    for item in talks_due(today, within_days=TALK_SOON_DAYS):
        left = (item.due - today).days
        since = f"上次谈话 {day(item.since)}" if item.talked else f"{day(item.since)} 到岗后未谈话"
        if left < 0:
            out.append(Reminder("谈心谈话", f"{item.cadre_name}（{item.post_name}）谈心谈话已逾期 {-left} 天（{since}）",
                                item.cadre_id, "warning", stored(item.due)))
        else:
            out.append(Reminder("谈心谈话", f"{item.cadre_name}（{item.post_name}）应于 {day(item.due)} 前谈心谈话"
                                f"（{since}）", item.cadre_id, due=stored(item.due)))
    until = from_date(today - _dt.timedelta(days=FOLLOW_UP_DAYS))  # talked at least FOLLOW_UP_DAYS ago
    follow_up_due = functools.cache(lambda talked: from_date(to_date(talked) + _dt.timedelta(days=FOLLOW_UP_DAYS)))
    for cadre_id, cadre_name, date, follow_up in pending_follow_ups(until):
        out.append(Reminder("谈心谈话", f"{cadre_name} {day(date)} 谈心谈话的跟进事项尚未落实："
                            f"{follow_up[:30]}", cadre_id, due=follow_up_due(date)))
    # On post since at least POSTED_FOR_DAYS and no 体检 on or after ``limit``, chosen by the database: one
    # step into each cadre's (kind, date) in care_record_cadre_kind_date, no MAX over their records. Only a
    # 体检 on or after the posting's start counts for it (one before the posting says nothing of the post).
    posted_by = from_date(today - _dt.timedelta(days=POSTED_FOR_DAYS))
    limit = from_date(today - _dt.timedelta(days=CHECKUP_EVERY_DAYS))
    on_post_checkup = ((CareRecord.cadre == Posting.cadre) & (CareRecord.kind == CHECKUP_KIND)
                       & (CareRecord.date >= on_post_start()))
    checked = CareRecord.select(CareRecord.id).where(on_post_checkup, CareRecord.date >= limit)
    # due: half a year on post, or a year after the last 体检 on post when that is later (the few reminded only)
    last = CareRecord.select(fn.MAX(CareRecord.date)).where(on_post_checkup)
    for _posting_id, cadre_id, cadre_name, post_name, start, checked_on in visible_on_post(
            last, where=(Posting.start != "") & (on_post_start() <= posted_by) & ~fn.EXISTS(checked)):
        due = max(to_date(as_day(start)) + _dt.timedelta(days=POSTED_FOR_DAYS),
                  to_date(checked_on) + _dt.timedelta(days=CHECKUP_EVERY_DAYS) if checked_on else _dt.date.min)
        out.append(Reminder("关爱", f"{cadre_name}（{post_name}）在一线已超过半年，近一年没有体检记录，"
                            "请安排体检", cadre_id, due=stored(due)))
    return out


def checks() -> list[str]:
    problems = []
    today = clock.today_yyyymmdd()
    for row in TalkRecord.select(TalkRecord, Cadre.name).join(Cadre).objects().iterator():
        label = f"谈心谈话记录 {row.id}（{row.name}）"
        if not row.date or row.date > today:
            problems.append(f"{label}：谈话日期为空或晚于今天")
        if row.occasion not in OCCASIONS:
            problems.append(f"{label}：谈话类型“{row.occasion}”无效")
        if not (row.talker or "").strip():
            problems.append(f"{label}：没有谈话人")
        if row.follow_up_done and not row.follow_up:
            problems.append(f"{label}：没有跟进事项却标为已落实")
    for row in CareRecord.select(CareRecord, Cadre.name).join(Cadre).objects().iterator():
        label = f"关爱记录 {row.id}（{row.name}）"
        if row.kind not in CARE_KINDS:
            problems.append(f"{label}：关爱类别“{row.kind}”无效")
        if not row.date or row.date > today:
            problems.append(f"{label}：日期为空或晚于今天")
        if row.end_date and row.end_date < row.date:
            problems.append(f"{label}：结束日期早于开始日期")
    return problems
