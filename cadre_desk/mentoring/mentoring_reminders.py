"""What the 工作台 and `check` say about 导师帮带: pairs in progress, pairs without a recent meeting log,
pairs past their planned end, and pairs that break the rules."""

from __future__ import annotations

import datetime as _dt

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.dates import as_day, format_date, from_date, to_date
from cadre_desk.mentoring.mentoring import (
    ACTIVE,
    STATES,
    TERMINATED,
    ActivePair,
    PairInfo,
    active_pairs,
    list_pairs,
    visible_pairs,
)
from cadre_desk.mentoring.mentoring_settings import idle_days
from cadre_desk.store.mentoring_models import MentorPair


def active_pair_count() -> int:
    """帮带进行中: pairs in progress whose mentee the operator may read (a count, not the pairs)."""
    current = access_scope.current()
    current.require(permissions.READ)
    return current.restrict(MentorPair.select().where(MentorPair.state == ACTIVE), cadre=MentorPair.mentee).count()


def idle_pairs(today: _dt.date | None = None,
               pairs: list[PairInfo] | list[ActivePair] | None = None) -> list[tuple[PairInfo | ActivePair, int]]:
    """Active pairs of the operator's mentees (or of ``pairs``) whose last log (or start, when none) is at
    least ``idle_days`` old: (pair, days)."""
    today = today or clock.today()
    limit = idle_days()
    out = []
    for pair in visible_pairs(state=ACTIVE) if pairs is None else pairs:
        since = pair.last_log_date or pair.start
        if not since:
            continue
        days = (today - to_date(since)).days
        if days >= limit:
            out.append((pair, days))
    return out


def reminders():
    """Idle pairs (due: the day a talk was due, ``idle_days`` after the last one) and pairs past their
    planned end; a click opens the pair."""
    import datetime as _dt

    from cadre_desk.home.reminders import PAIR, Reminder

    out = []
    limit = idle_days()
    active = active_pairs()  # read once for both rules
    for pair, days in idle_pairs(pairs=active):
        what = "没有谈话记录" if pair.log_count == 0 else "没有新的谈话记录"
        due = from_date(to_date(pair.last_log_date or pair.start) + _dt.timedelta(days=limit))
        out.append(Reminder("导师帮带", f"{pair.mentor_name}→{pair.mentee_name} 已 {days} 天{what}",
                            pair.mentee_id, "warning", due=due, record=PAIR, record_id=pair.id))
    today = clock.today_yyyymmdd()
    for pair in active:
        if pair.planned_end and as_day(pair.planned_end) < today:
            out.append(Reminder("导师帮带", f"{pair.mentor_name}→{pair.mentee_name} 已过计划结束日期"
                                f"（{format_date(pair.planned_end)}），请结业或调整结束日期", pair.mentee_id,
                                due=as_day(pair.planned_end), record=PAIR, record_id=pair.id))
    return out


def checks() -> list[str]:
    problems = []
    for pair in list_pairs():
        label = f"帮带结对 {pair.id}（{pair.mentor_name}→{pair.mentee_name}）"
        if pair.mentor_id == pair.mentee_id:
            problems.append(f"{label}：导师与帮带对象是同一人")
        if pair.state not in STATES:
            problems.append(f"{label}：状态“{pair.state}”无效")
        if pair.state == TERMINATED and not pair.end_reason:
            problems.append(f"{label}：终止但没有原因")
        if pair.state != ACTIVE and not pair.actual_end:
            problems.append(f"{label}：已结束但没有结束日期")
    return problems
