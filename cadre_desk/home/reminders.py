"""Reminders of the 工作台 (postings ending, missing records, idle mentoring pairs, over-staffing…).

A capability appends a function() -> list[Reminder] to PROVIDERS (cadre_desk.features). A reminder
names the day it is due (``due``) and the record a click opens (``record``, ``record_id``: a
cadre's file, a posting, a post, a pair, a unit…; the window maps each kind to its page). ``collect``
returns them within the operator's scope, the most urgent first: overdue, then due this week, this
month, later, and those without a date last."""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import operator
from collections.abc import Callable, Iterable
from typing import NamedTuple

from cadre_desk.domain import clock
from cadre_desk.domain.bulk import no_cycle_collection
from cadre_desk.domain.dates import as_day, from_date, to_date

# How urgent a reminder is, most urgent first (the 工作台 groups and marks them so).
OVERDUE, THIS_WEEK, THIS_MONTH, LATER, UNDATED = "已逾期", "本周到期", "本月到期", "以后到期", "其他提醒"
URGENCIES = (OVERDUE, THIS_WEEK, THIS_MONTH, LATER, UNDATED)

# The kinds of record a reminder may open (a capability adds its own kind with its window's opener).
CADRE, POSTING, POST, PAIR, UNIT, SHEET = "cadre", "posting", "post", "pair", "unit", "sheet"


class Reminder(NamedTuple):
    """One reminder: plain, immutable data (a named tuple: thousands are made for the 工作台 at once, and a
    frozen dataclass costs twice as much to make)."""

    category: str  # 一线锻炼 / 导师帮带 / 实绩档案 …
    text: str  # one line in Chinese
    cadre_id: int | None = None  # the cadre it is about (its unit decides who sees it)
    level: str = "info"  # info / warning
    due: str = ""  # the day it is or was due, as stored (20260630; a month counts as its 1st); "" = no date
    record: str = ""  # the kind of record a click opens; "" = the cadre's file (when there is a cadre)
    record_id: int | None = None
    unit_id: int | None = None  # a reminder about a unit and no cadre: shown to operators of that unit

    @property
    def opens(self) -> tuple[str, int] | None:
        """(kind, id) of the record a click opens, or None."""
        if self.record and self.record_id is not None:
            return self.record, self.record_id
        if self.cadre_id is not None:
            return CADRE, self.cadre_id
        return None


PROVIDERS: list[Callable[[], list[Reminder]]] = []


# ---- the calendar ----------------------------------------------------------------------------------


def week_end(day: _dt.date) -> _dt.date:
    """The Sunday of ``day``'s week (本周: Monday to Sunday)."""
    return day + _dt.timedelta(days=6 - day.weekday())


def month_end(day: _dt.date) -> _dt.date:
    following = _dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - _dt.timedelta(days=1)


def period_end(unit: str, day: _dt.date) -> _dt.date:
    """The last day of the week / month / quarter / year containing ``day`` (when that period's
    record is due)."""
    if unit == "week":
        return week_end(day)
    if unit == "month":
        return month_end(day)
    if unit == "quarter":
        return month_end(_dt.date(day.year, (day.month - 1) // 3 * 3 + 3, 1))
    return _dt.date(day.year, 12, 31)


@functools.lru_cache(maxsize=8)  # the page asks for thousands of rows of one day
def _bounds(today: _dt.date) -> tuple[str, str, str]:
    return from_date(today), from_date(week_end(today)), from_date(month_end(today))


def _urgency(due: str, bounds: tuple[str, str, str]) -> str:
    if not due:
        return UNDATED
    day, week, month = bounds
    due = as_day(due)
    if due < day:
        return OVERDUE
    if due <= week:
        return THIS_WEEK
    return THIS_MONTH if due <= month else LATER


def urgency(reminder: Reminder, today: _dt.date | None = None) -> str:
    """OVERDUE, THIS_WEEK, THIS_MONTH, LATER or UNDATED, by the reminder's due day and ``today``."""
    return _urgency(reminder.due, _bounds(today or clock.today()))


def count_by_urgency(items: Iterable[Reminder], today: _dt.date | None = None) -> dict[str, int]:
    """How many of ``items`` are of each urgency (those of none left out)."""
    bounds = _bounds(today or clock.today())
    counts = collections.Counter(r.due for r in items)  # thousands of reminders, a few hundred days
    out: dict[str, int] = {}
    for due, n in counts.items():
        level = _urgency(due, bounds)
        out[level] = out.get(level, 0) + n
    return out


def days_overdue(reminder: Reminder, today: _dt.date | None = None) -> int:
    """How many days past its due day (0 when not overdue or undated)."""
    if not reminder.due:
        return 0
    return max(0, ((today or clock.today()) - to_date(as_day(reminder.due))).days)


def urgency_text(reminder: Reminder, today: _dt.date | None = None) -> str:
    """How urgent, in the words of the 工作台 and its PDF alike: 已逾期 12 天 / 本周到期 / 本月到期 / 以后到期 /
    — (no date)."""
    level = urgency(reminder, today)
    if level == OVERDUE:
        return f"{level} {days_overdue(reminder, today)} 天"
    return "—" if level == UNDATED else level


def by_urgency(items: Iterable[Reminder], today: _dt.date | None = None) -> list[Reminder]:
    """The most urgent first: by urgency, then due day, warnings before notes, then category and text."""
    day, week, month = _bounds(today or clock.today())

    def when(due: str, level: str) -> tuple[int, str, bool]:  # _urgency's steps
        due = as_day(due)
        return (4 if not due else 0 if due < day else 1 if due <= week else 2 if due <= month else 3,
                due or "99999999", level != "warning")

    # Thousands of reminders share a few hundred (due day, level) pairs: the reminders of each place in
    # that order are put together as they come and sorted by text, then (stable) by category: keys made
    # in C, one string each (half the time of a key function per reminder, a quarter less than a pair).
    places: dict[tuple[str, str], tuple] = {}
    groups: dict[tuple, list[Reminder]] = {}
    for r in items:
        place = places.get((r.due, r.level))
        if place is None:
            place = places[(r.due, r.level)] = when(r.due, r.level)
        group = groups.get(place)
        if group is None:
            groups[place] = [r]
        else:
            group.append(r)
    by_text, by_category = operator.attrgetter("text"), operator.attrgetter("category")
    out: list[Reminder] = []
    for place in sorted(groups):
        group = groups[place]
        group.sort(key=by_text)
        group.sort(key=by_category)
        out.extend(group)
    return out


# ---- collecting ------------------------------------------------------------------------------------


def collect(today: _dt.date | None = None, names=None) -> list[Reminder]:
    """Every provider's reminders the operator may see, most urgent first: none without the right to
    read cadre data (系统管理员, 安全审计员: 三员分立); for a limited user only those of cadres and units
    in their scope (a reminder about neither is shown to everybody who reads; a post not yet full only
    to those whose units host it — posting_reminders). ``names``: the roster index the window holds (access.reads.NameSource), whose names the texts
    take instead of reading thousands of cadre rows; the same reminders either way."""
    from cadre_desk.access import permissions, reads, scope

    current = scope.current()
    if not current.permits(permissions.READ):
        return []
    out: list[Reminder] = []
    with no_cycle_collection():  # tens of thousands of rows and texts, none of them cycles
        with reads.names_from(names):
            for provider in PROVIDERS:
                out.extend(provider())
        if not current.every_unit:
            visible = reads.visible_ids(r.cadre_id for r in out if r.cadre_id is not None)
            out = [r for r in out if (r.cadre_id in visible if r.cadre_id is not None
                                      else r.unit_id is None or current.covers_unit(r.unit_id))]
        return by_urgency(out, today)
