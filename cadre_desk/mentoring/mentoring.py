"""导师帮带 (mentoring, "一对一"传帮带): pairs of a mentor (业务骨干) and a young cadre, dated meeting
logs, and a closing evaluation each way that the appraisal module reads through PairInfo.

This module holds the pairs' plain data and reads them (lists, a cadre's pairs, mentors' loads); the
rules and every change of a pair are in cadre_desk.mentoring.pair_changes, the 谈话记录 in
cadre_desk.mentoring.meeting_logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from peewee import fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.mentoring.mentoring_settings import max_mentees
from cadre_desk.postings import postings
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import database
from cadre_desk.store.mentoring_models import (
    ACTIVE,
    COMPLETED,
    FORMS,
    STATES,
    TERMINATED,
    MeetingLog,
    MentorPair,
)
from cadre_desk.store.models import Cadre, Unit

__all__ = ["ACTIVE", "COMPLETED", "TERMINATED", "STATES", "FORMS"]

ENTITY = "导师帮带"
LOG_ENTITY = "帮带谈话记录"


# ---- plain data ---------------------------------------------------------------------------------
@dataclass
class PairInfo:
    id: int
    version: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    posting_id: int | None
    focus: str
    goals: str
    start: str
    planned_end: str
    actual_end: str
    state: str
    end_reason: str
    mentor_rating: float | None  # the mentor's 0–100 rating of the mentee's progress on the goals
    mentor_comment: str
    mentee_rating: float | None  # the mentee's 0–100 rating of the mentor
    mentee_comment: str
    # extras for lists (not part of the cross-capability contract)
    mentor_unit_id: int | None = None
    mentor_unit_name: str = ""
    mentee_unit_id: int | None = None
    mentee_unit_name: str = ""
    log_count: int = 0
    last_log_date: str = ""

    @property
    def is_active(self) -> bool:
        return self.state == ACTIVE

    @property
    def evaluated(self) -> bool:
        return self.mentor_rating is not None or self.mentee_rating is not None


@dataclass
class MeetingLogInfo:
    id: int
    pair_id: int
    date: str
    form: str
    content: str
    next_steps: str
    recorder: str = ""


@dataclass
class PairDraft:
    """What a user fills in to create a pair."""

    mentor_id: int | None = None
    mentee_id: int | None = None
    focus: str = ""
    goals: str = ""
    start: str = ""
    planned_end: str = ""
    posting_id: int | None = None


@dataclass
class PairResult:
    pair: PairInfo
    warnings: list[str] = field(default_factory=list)


@dataclass
class MentorLoad:
    mentor_id: int
    mentor_name: str
    unit_name: str
    active: int
    cap: int
    pairs: list[PairInfo]  # the pairs of mentees the operator may read
    # active pairs of mentees the operator may not read: counted in ``active`` (the cap counts them), listed
    # as so many 「其他单位帮带对象」, never named nor placed
    others_active: int = 0

    @property
    def label(self) -> str:
        return f"{self.mentor_name}（{self.active}/{self.cap}）"

    @property
    def choice_label(self) -> str:
        """As ``label``, but a mentor of another unit by the mentees the operator may read (never the
        mentor's name nor unit), so that a list to choose from tells several 「（其他单位干部）」 apart."""
        if self.mentor_name == access_scope.OTHER_UNIT_CADRE:
            mentees = "、".join(dict.fromkeys(p.mentee_name for p in self.pairs))
            if mentees:
                return f"（其他单位干部·{mentees}的导师）（{self.active}/{self.cap}）"
        return self.label


# ---- helpers ------------------------------------------------------------------------------------
def _unit_names() -> dict[int, str]:
    return {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}


def _with_both_sides(query, *columns):
    """A MentorPair ``query`` joining both cadres: ``columns`` (or all the pair's) and then the mentor's and
    mentee's names and units, the log count and the last log's date — correlated subqueries (indexed; no
    long IN lists)."""
    mentor, mentee = Cadre.alias("mentor_cadre"), Cadre.alias("mentee_cadre")
    log_count = (MeetingLog.select(fn.COUNT(MeetingLog.id)).where(MeetingLog.pair == MentorPair.id)
                 .alias("log_count"))
    last_log = MeetingLog.select(fn.MAX(MeetingLog.date)).where(MeetingLog.pair == MentorPair.id).alias("last_log")
    sides = (mentor.name.alias("mentor_name"), mentor.unit.alias("mentor_unit"), mentee.name.alias("mentee_name"),
             mentee.unit.alias("mentee_unit"), log_count, last_log)
    query = query.select(*columns, *sides) if columns else query.select_extend(*sides)
    return (query.join(mentor, on=(MentorPair.mentor == mentor.id)).switch(MentorPair)
            .join(mentee, on=(MentorPair.mentee == mentee.id)).switch(MentorPair))


def _infos(query) -> list[PairInfo]:
    """PairInfo for each pair a MentorPair query selects: one query joining both cadres."""
    query = _with_both_sides(query).dicts()
    rows = list(query)
    units = _unit_names() if rows else {}
    # The other side of a pair, when of another unit, is neither named nor placed: 「（其他单位干部）」 with
    # no unit (id None, name "") — the table, the detail, the tree and the exports show what they are given.
    current = access_scope.current()
    shown, covered = current.shown_name, current.covers_unit

    def unit(unit_id: int | None) -> tuple[int | None, str]:
        return (unit_id, units.get(unit_id, "")) if covered(unit_id) else (None, "")

    return [PairInfo(
        r["id"], r["version"], r["mentor"], shown(r["mentor_name"], r["mentor_unit"]), r["mentee"],
        shown(r["mentee_name"], r["mentee_unit"]), r["posting_id"],
        r["focus"], r["goals"], r["start"], r["planned_end"], r["actual_end"], r["state"], r["end_reason"],
        r["mentor_rating"], r["mentor_comment"], r["mentee_rating"], r["mentee_comment"],
        *unit(r["mentor_unit"]), *unit(r["mentee_unit"]),
        r["log_count"] or 0, r["last_log"] or "") for r in rows]


def pair_info(pair_id: int) -> PairInfo:
    infos = _infos(MentorPair.select().where(MentorPair.id == pair_id))
    if not infos:
        raise NotFoundError("该帮带结对不存在或已被删除。")
    return infos[0]


def locked_pair(pair_id: int, version: int | None) -> MentorPair:
    row = MentorPair.get_or_none(MentorPair.id == pair_id)
    if row is None:
        raise NotFoundError("该帮带结对不存在或已被删除。")
    if version is not None and row.version != version:
        raise conflicts.stale(ENTITY, pair_id, f"帮带结对“{pair_label(row)}”")
    return row


def editable_pair(pair_id: int, version: int | None, state: str | None = None, refusal: str = "") -> MentorPair:
    """The pair at ``version``, when the operator may edit it (and it is in ``state``: else ``refusal``,
    with {state} its state now)."""
    row = locked_pair(pair_id, version)
    require_edit(row)
    if state is not None and row.state != state:
        raise ValidationError(refusal.format(state=row.state))
    return row


def require_edit(row_or_mentee_id) -> None:
    mentee_id = row_or_mentee_id if isinstance(row_or_mentee_id, int) else row_or_mentee_id.mentee_id
    permissions.require(permissions.EDIT, cadre_id=mentee_id)


def bump_pair(row: MentorPair, **values) -> None:
    values["version"] = row.version + 1
    values["updated_at"] = clock.now_iso()
    updated = (MentorPair.update(**values)
               .where((MentorPair.id == row.id) & (MentorPair.version == row.version)).execute())
    if not updated:
        raise conflicts.stale(ENTITY, row.id, f"帮带结对“{pair_label(row)}”")


def pair_label(row: MentorPair) -> str:
    names = dict(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_([row.mentor_id, row.mentee_id])).tuples())
    return f"{names.get(row.mentor_id, '')}→{names.get(row.mentee_id, '')}"


def posting_label(posting_id: int | None) -> str:
    """ "line·post" of a linked posting; "" without one or when it was withdrawn."""
    if not posting_id:
        return ""
    return postings.posting_places([posting_id]).get(posting_id, (None, ""))[1]


def _linked_places() -> dict[int, tuple[int, str]]:
    """posting id → (line id, "line·post") of every posting linked to a pair (pairs are few)."""
    linked = MentorPair.select(MentorPair.posting_id).where(MentorPair.posting_id.is_null(False)).distinct()
    return postings.posting_places([pid for (pid,) in linked.tuples()])


def _linked_postings_on_line(line_id: int) -> list[int]:
    """The posting ids linked to pairs whose posting is on the line."""
    return [pid for pid, (line, _label) in _linked_places().items() if line == line_id]


def posting_labels() -> dict[int, str]:
    """posting id → "line·post" for every posting linked to a pair."""
    return {pid: label for pid, (_line, label) in _linked_places().items()}


# ---- reading ------------------------------------------------------------------------------------
def get_pair(pair_id: int) -> PairInfo:
    info = pair_info(pair_id)
    permissions.require(permissions.READ, unit_id=info.mentee_unit_id, cadre_id=info.mentee_id)
    return info


def list_pairs(*, state: str | None = None, mentor_id: int | None = None, mentee_id: int | None = None,
               unit_id: int | None = None, line_id: int | None = None,
               posting_ids: list[int] | None = None) -> list[PairInfo]:
    """Pairs, newest first. ``unit_id`` keeps pairs whose mentee works in that unit or below it;
    ``line_id`` pairs linked to a posting on that frontline line."""
    return _infos(_pairs_query(state=state, mentor_id=mentor_id, mentee_id=mentee_id, unit_id=unit_id,
                               line_id=line_id, posting_ids=posting_ids))


def _pairs_query(*, state: str | None = None, mentor_id: int | None = None, mentee_id: int | None = None,
                 unit_id: int | None = None, line_id: int | None = None, posting_ids: list[int] | None = None):
    query = MentorPair.select()
    if state:
        query = query.where(MentorPair.state == state)
    if mentor_id:
        query = query.where(MentorPair.mentor == mentor_id)
    if mentee_id:
        query = query.where(MentorPair.mentee == mentee_id)
    if unit_id:
        unit = Unit.get_or_none(Unit.id == unit_id)
        if unit is not None:
            subtree = Unit.select(Unit.id).where(Unit.path.startswith(unit.path))
            query = query.where(MentorPair.mentee.in_(Cadre.select(Cadre.id).where(Cadre.unit.in_(subtree))))
    if line_id is not None:
        query = query.where(MentorPair.posting_id.in_(_linked_postings_on_line(line_id)))
    if posting_ids is not None:
        query = query.where(MentorPair.posting_id.in_(list(posting_ids)))
    return query.order_by(MentorPair.start.desc(), MentorPair.id.desc())


def visible_pairs(**filters) -> list[PairInfo]:
    """``list_pairs`` for the window, the exports and the reminders: the pairs of mentees the operator
    may read (a pair belongs to its mentee, as its changes do; a mentor of another unit is shown as
    such, not named). Nothing for 系统管理员 and 安全审计员. Rules and loads use ``list_pairs``."""
    current = access_scope.current()
    current.require(permissions.READ)
    return _infos(current.restrict(_pairs_query(**filters), cadre=MentorPair.mentee))


def printable_pairs(pair_ids) -> list[PairInfo]:
    """The pairs ``pair_ids`` for a print, in that order: refused (PermissionDenied naming them) unless the
    operator may print each mentee's record (their units, 回避) — a pair belongs to its mentee; a pair gone
    is NotFoundError. The mentor of another unit is shown as such, as the list shows him."""
    ids = list(dict.fromkeys(int(i) for i in pair_ids))
    current = access_scope.current()
    current.require(permissions.PRINT)
    found: dict[int, PairInfo] = {}
    for start in range(0, len(ids), 500):
        found.update((p.id, p) for p in _infos(MentorPair.select().where(MentorPair.id.in_(ids[start:start + 500]))))
    if any(i not in found for i in ids):
        raise NotFoundError("所选帮带结对中有的已被删除，请刷新后重试。")
    current.require_each(permissions.PRINT, [found[i].mentee_id for i in ids])
    return [found[i] for i in ids]


class ActivePair(NamedTuple):
    """What the reminders say of a pair in progress (a named tuple with PairInfo's names: hundreds at once)."""

    id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    start: str
    planned_end: str
    log_count: int
    last_log_date: str


def active_pairs() -> list[ActivePair]:
    """``visible_pairs(state=ACTIVE)`` read lean for the reminders (the same pairs, order and shown names):
    plain rows of what they say, not a PairInfo of every field each."""
    current = access_scope.current()
    current.require(permissions.READ)
    query = _with_both_sides(current.restrict(_pairs_query(state=ACTIVE), cadre=MentorPair.mentee),
                             MentorPair.id, MentorPair.mentee, MentorPair.start, MentorPair.planned_end)
    shown = current.shown_name
    return [ActivePair(pair_id, shown(mentor_name, mentor_unit), mentee_id, shown(mentee_name, mentee_unit), start,
                       planned_end, count or 0, last or "")
            for pair_id, mentee_id, start, planned_end, mentor_name, mentor_unit, mentee_name, mentee_unit, count, last
            in database.execute(query).fetchall()]


def pairs_for_cadre(cadre_id: int) -> list[PairInfo]:
    """The pairs in which the cadre is the mentee, or the mentor of a mentee the operator may read."""
    current = access_scope.current()
    unit_id = Cadre.select(Cadre.unit).where(Cadre.id == cadre_id).scalar()
    current.require(permissions.READ, unit_id=unit_id, cadre_id=cadre_id)
    query = MentorPair.select().where((MentorPair.mentor == cadre_id) | (MentorPair.mentee == cadre_id))
    return _infos(current.restrict(query, cadre=MentorPair.mentee).order_by(MentorPair.start.desc(),
                                                                             MentorPair.id.desc()))


def mentor_loads() -> list[MentorLoad]:
    """Mentors with their pairs (active first) and their active count against the cap: the mentors of
    the operator's units and of their mentees, with the pairs of their mentees. The count covers every
    active pair (the cap does); those of mentees the operator may not read are ``others_active``, so
    that what a page lists adds up to the count."""
    cap = max_mentees()
    current = access_scope.current()
    if not current.permits(permissions.READ):
        return []
    loads: dict[int, MentorLoad] = {}
    for pair in list_pairs():
        visible = current.covers_unit(pair.mentee_unit_id)
        if not visible and not current.covers_unit(pair.mentor_unit_id):
            continue
        load = loads.get(pair.mentor_id)
        if load is None:
            load = loads[pair.mentor_id] = MentorLoad(pair.mentor_id, pair.mentor_name, pair.mentor_unit_name,
                                                      0, cap, [])
        if visible:
            load.pairs.append(pair)
        if pair.is_active:
            load.active += 1
            load.others_active += not visible
    for load in loads.values():
        load.pairs.sort(key=lambda p: (not p.is_active, p.mentee_name))
    return sorted(loads.values(), key=lambda m: (-m.active, m.mentor_name))


def active_mentee_count(mentor_id: int) -> int:
    return MentorPair.select().where((MentorPair.mentor == mentor_id) & (MentorPair.state == ACTIVE)).count()


# ---- delete hooks -------------------------------------------------------------------------------
def refuse_cadre_delete(cadre_id: int) -> None:
    count = MentorPair.select().where((MentorPair.mentor == cadre_id) | (MentorPair.mentee == cadre_id)).count()
    if count:
        raise ValidationError(f"该干部有 {count} 条导师帮带结对记录（作为导师或帮带对象），不能删除；"
                              "请先在“导师帮带”中删除相关结对。")


def unlink_withdrawn_posting(posting_id: int) -> None:
    """posting_hooks.WITHDRAW_HOOKS: a withdrawn 拟选派 posting leaves no dangling id on its pairs
    (runs inside the withdrawal's transaction)."""
    for row in MentorPair.select().where(MentorPair.posting_id == posting_id):
        bump_pair(row, posting_id=None)
        audit.record(audit.UPDATE, ENTITY, row.id, f"撤销拟选派，解除帮带结对与该一线锻炼的关联 {pair_label(row)}",
                     {"posting_id": [posting_id, None]})
