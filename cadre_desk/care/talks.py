"""谈心谈话: who talked with the cadre, when, about what, and what is to follow (跟进事项, marked 已落实 when
done). A cadre on a frontline posting is due a talk every ``care.talk_interval_days`` days (90 by
default: once a quarter) — counted from the last talk, or from the start of the posting.

Rules: the date is a day, not after today; the talker and the topics are required; the follow-up may be
marked done only when there is one. Read and changed within the operator's units."""

from __future__ import annotations

import datetime as _dt
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from peewee import fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.care import record_kit
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import TALK
from cadre_desk.settings import settings
from cadre_desk.store.care_models import OCCASIONS, TalkRecord
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.posting_models import Posting

__all__ = ["OCCASIONS"]

E_TALK = "谈心谈话"
INTERVAL_KEY = "care.talk_interval_days"
DEFAULT_INTERVAL = 90


def interval_days() -> int:
    """How often a cadre on a posting is due a talk (days)."""
    try:
        return max(7, min(365, int(settings.get(INTERVAL_KEY, DEFAULT_INTERVAL))))
    except (TypeError, ValueError):
        return DEFAULT_INTERVAL


def set_interval_days(days: int, read: int | None = None, overwrite: bool = False) -> int:
    """谈心谈话提醒设置 (ADMIN). ``read``: the interval as the dialog showed it — another administrator
    having changed it since, refused (naming who and when) unless ``overwrite`` (settings.check_read; the
    audit row says so); None: not checked."""
    permissions.require(permissions.ADMIN)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 7 <= days <= 365:
        raise ValidationError({"interval": "谈心谈话间隔应在 7–365 天之间。"})
    with write_transaction():
        note = "" if read is None else settings.check_read({INTERVAL_KEY: (read, interval_days())},
                                                            "谈心谈话提醒设置", overwrite)
        settings.put(INTERVAL_KEY, days, note)
    return days


@dataclass
class TalkInfo(record_kit.CadreRecordInfo):
    date: str
    talker: str
    occasion: str = "日常谈心"
    topics: str = ""
    follow_up: str = ""
    follow_up_done: bool = False
    posting_id: int | None = None

    @property
    def follow_up_state(self) -> str:
        if not self.follow_up:
            return ""
        return "已落实" if self.follow_up_done else "待落实"


@dataclass
class TalkFilter:
    cadre_id: int | None = None
    unit_id: int | None = None
    since: str = ""
    until: str = ""
    occasion: str = ""
    text: str = ""  # in the name, the talker, the topics or the follow-up
    pending_only: bool = False  # follow-ups not done yet


def _query(flt: TalkFilter):
    query = record_kit.filtered(TalkRecord, cadre_id=flt.cadre_id, unit_id=flt.unit_id,
                                equal={"occasion": flt.occasion}, text=flt.text,
                                text_fields=("talker", "topics", "follow_up"))
    if flt.since:
        query = query.where(TalkRecord.date >= flt.since)
    if flt.until:
        query = query.where(TalkRecord.date <= flt.until)
    if flt.pending_only:
        query = query.where((TalkRecord.follow_up != "") & (TalkRecord.follow_up_done == False))  # noqa: E712
    return query


def list_talks(flt: TalkFilter | None = None) -> list[TalkInfo]:
    """Talks with the operator's cadres, newest first."""
    flt = flt or TalkFilter()
    if flt.cadre_id:
        record_kit.readable_cadre(flt.cadre_id)
    return record_kit.listed(TalkInfo, _query(flt))


def last_talk_dates(cadre_ids: Iterable[int]) -> dict[int, str]:
    """cadre id → the date of their last talk (those without one left out). Thousands of cadres (every
    在岗 posting's) are read in one grouped pass over the talks, not a thousand-parameter IN at a time."""
    ids = list(dict.fromkeys(cadre_ids))
    query = TalkRecord.select(TalkRecord.cadre, fn.MAX(TalkRecord.date)).group_by(TalkRecord.cadre)
    if len(ids) > 900:
        wanted = set(ids)
        return {cadre: date for cadre, date in database.execute(query) if cadre in wanted}
    return dict(database.execute(query.where(TalkRecord.cadre.in_(ids)))) if ids else {}


def pending_follow_ups(until: str) -> list[tuple[int, str, str, str]]:
    """(cadre id, name, date, follow-up) of talks on or before ``until`` whose follow-up is not done yet,
    of the operator's cadres, newest first (what ``list_talks`` lists, read lean for the reminders; the
    names through the scoped read path)."""
    query = (TalkRecord.select(TalkRecord.cadre, TalkRecord.date, TalkRecord.follow_up)
             .where(TalkRecord.follow_up != "", TalkRecord.follow_up_done == False,  # noqa: E712
                    TalkRecord.date <= until)
             .order_by(TalkRecord.date.desc(), TalkRecord.id.desc()))
    current = access_scope.current()
    current.require(permissions.READ)
    return reads.named_rows(query, TalkRecord.cadre)


def save_talk(info: TalkInfo, overwrite: bool = False, *, link_current: bool = True) -> TalkInfo:
    """Record (id None) or correct a talk; a stale copy is refused unless ``overwrite`` (record_kit.save).
    ``info.posting_id``: the posting it goes with (None: none); a new talk without one goes with the
    posting the cadre is on unless ``link_current`` is False (the dialog, whose 关联锻炼岗位 box says what
    the clerk chose)."""
    errors: dict[str, str] = {}
    values = {
        "date": record_kit.day(TALK, "date", info.date, errors),
        "talker": record_kit.text(TALK, "talker", info.talker, errors),
        "occasion": record_kit.choice(TALK, "occasion", info.occasion, OCCASIONS, errors),
        "topics": record_kit.text(TALK, "topics", info.topics, errors),
        "follow_up": record_kit.text(TALK, "follow_up", info.follow_up, errors),
    }
    values["follow_up_done"] = bool(info.follow_up_done and values["follow_up"])
    with write_transaction():
        cadre = record_kit.editable_cadre(info.cadre_id)
        if errors:
            raise ValidationError(errors)
        # A talk corrected keeps the posting given (none stays none: the clerk had not tied it to a posting,
        # and now is not then); only a new one is tied to the current posting when none is chosen
        current = info.id is None and link_current and not info.posting_id
        values["posting_id"] = _on_post(cadre.id, values["date"]) if current else info.posting_id or None
        if values["posting_id"] and not _posting_of(values["posting_id"], cadre.id):
            raise ValidationError("所选锻炼岗位不是该干部的。")
        record_kit.new_record_owner(values, info, cadre)
        label = f"{cadre.name} {format_date(values['date'])} {values['occasion']}"
        talk_id = record_kit.save(TalkRecord, info.id, info.version, values, E_TALK, label, overwrite=overwrite)
    return next(t for t in list_talks(TalkFilter(cadre_id=cadre.id)) if t.id == talk_id)


def current_posting(cadre_id: int) -> int | None:
    """The posting the cadre is on now (a new talk goes with it unless the clerk says otherwise)."""
    record_kit.readable_cadre(cadre_id)
    return _on_post(cadre_id)


def _on_post(cadre_id: int, talked: str = "") -> int | None:
    """The posting the cadre is on now — begun by the day ``talked`` when given (a talk before it is not of it)."""
    from cadre_desk.postings.posting_data import ON_POST
    from cadre_desk.postings.postings import on_post_start

    query = Posting.select(Posting.id).where((Posting.cadre == cadre_id) & (Posting.state == ON_POST))
    if talked:
        query = query.where(on_post_start() <= talked)
    return query.scalar()


def _posting_of(posting_id: int, cadre_id: int) -> bool:
    """Is ``posting_id`` a posting of this cadre?"""
    return Posting.select().where((Posting.id == posting_id) & (Posting.cadre == cadre_id)).exists()


def set_follow_up_done(talk_id: int, version: int, done: bool = True) -> None:
    with write_transaction():
        row = record_kit.found(TalkRecord, talk_id, "谈心谈话记录")
        cadre = record_kit.editable_cadre(row.cadre_id)
        if not row.follow_up:
            raise ValidationError("这次谈话没有跟进事项。")
        record_kit.save(TalkRecord, talk_id, version, {"follow_up_done": bool(done)}, E_TALK,
                        f"{cadre.name} {format_date(row.date)} 跟进事项{'已落实' if done else '改为待落实'}")


def delete_talk(talk_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``, ``overwrite``: see care_items.delete_care."""
    record_kit.delete_record(TalkRecord, talk_id, "谈心谈话记录", E_TALK,
                             lambda row, cadre: f"{cadre.name} {format_date(row.date)}", ("date", "talker", "topics"),
                             version=version, overwrite=overwrite)


# ---- due talks ------------------------------------------------------------------------------------

class TalkDue(NamedTuple):  # a named tuple: thousands are made at once
    cadre_id: int
    cadre_name: str
    post_name: str
    since: str  # the last talk, or the posting's start when none
    talked: bool  # since is a talk (not the start)
    due: _dt.date

    def days_over(self, today: _dt.date) -> int:
        return (today - self.due).days


def talks_due(today: _dt.date | None = None, within_days: int | None = None) -> list[TalkDue]:
    """Every cadre of the operator's units on a frontline posting, with when their next talk is due;
    ``within_days``: only those due by then (overdue included), chosen by the database. One query: the
    postings with each cadre's last talk."""
    from cadre_desk.domain.dates import as_day, from_date, to_date
    from cadre_desk.postings.postings import on_post_start, visible_on_post

    today = today or clock.today()
    step = _dt.timedelta(days=interval_days())
    last_talk = TalkRecord.select(fn.MAX(TalkRecord.date)).where(TalkRecord.cadre == Posting.cadre)
    where = Posting.start != ""
    if within_days is not None:  # due = max(last talk, start) + step ≤ today + within_days: no talk after latest
        latest = from_date(today + _dt.timedelta(days=within_days) - step)
        later = TalkRecord.select(TalkRecord.id).where(TalkRecord.cadre == Posting.cadre, TalkRecord.date > latest)
        where &= (on_post_start() <= latest) & ~fn.EXISTS(later)  # one step into (cadre, date), no MAX
    due_after = functools.cache(lambda since: to_date(since) + step)  # thousands of cadres, a few hundred days
    out = []
    for _posting_id, cadre_id, cadre_name, post_name, start, talked in visible_on_post(last_talk, where=where):
        start, talked = as_day(start), talked or ""
        since = talked if talked and talked >= start else start
        out.append(TalkDue(cadre_id, cadre_name, post_name, since, since == talked, due_after(since)))
    out.sort(key=operator.itemgetter(5, 0))  # by due day, then cadre
    return out
