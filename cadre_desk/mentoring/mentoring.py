"""导师帮带 (mentoring, "一对一"传帮带): pairs of a mentor (业务骨干) and a young cadre, dated meeting
logs, and a closing evaluation each way that the appraisal module reads through PairInfo.

Rules: mentor ≠ mentee; no duplicate active pair; a mentor has at most ``mentoring.max_mentees``
active mentees (default 3); a mentee has at most one active mentor unless
``mentoring.allow_multiple_mentors`` is true. A mentor who is younger than, or ranks below, the
mentee is a warning returned to the caller, never a refusal.

States: 进行中 → 已结业 (complete_pair, early completion allowed) or 终止 (terminate_pair, reason
required). Every change writes an audit row in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from peewee import fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, check_date, format_date, format_month, parse_date
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.domain.fields import MEETING_LOG, MENTOR_PAIR
from cadre_desk.mentoring.mentoring_settings import allow_multiple_mentors, max_mentees
from cadre_desk.postings import postings
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.db import database, write_transaction
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
    pairs: list[PairInfo]

    @property
    def label(self) -> str:
        return f"{self.mentor_name}（{self.active}/{self.cap}）"

    @property
    def choice_label(self) -> str:
        """As ``label``, but a mentor of another unit by the unit (never the name), so that a list to choose
        from tells several 「（其他单位干部）」 apart. (The tree tells them apart by their mentees.)"""
        if self.mentor_name == access_scope.OTHER_UNIT_CADRE and self.unit_name:
            return f"（其他单位干部·{self.unit_name}）（{self.active}/{self.cap}）"
        return self.label


# ---- rank comparison ----------------------------------------------------------------------------
# RANK codes: 01xx are 领导职务 in official order (0111 省部级正职 … 0160 办事员: a lower code is a
# higher rank); 02xx are 职级, placed on the same ladder by the 职务与职级并行 correspondence
# (一级巡视员 = 厅局级正职, 二级巡视员 = 厅局级副职, 一级/二级调研员 = 县处级正职, 三级/四级调研员 =
# 县处级副职, 一级/二级主任科员 = 乡科级正职, 三级/四级主任科员 = 乡科级副职, 一级科员 = 科员,
# 二级科员 = 办事员). A smaller level is a higher rank; an empty or unknown code is not compared.
RANK_LEVEL = {
    "0111": 1, "0112": 2, "0121": 3, "0122": 4, "0131": 5, "0132": 6, "0141": 7, "0142": 8,
    "0150": 9, "0160": 10,
    "0211": 3, "0212": 4, "0221": 5, "0222": 5, "0223": 6, "0224": 6,
    "0231": 7, "0232": 7, "0233": 8, "0234": 8, "0241": 9, "0242": 10,
}


def rank_level(code: str | None) -> int | None:
    return RANK_LEVEL.get((code or "").strip())


def ranks_below(mentor_rank: str | None, mentee_rank: str | None) -> bool:
    """True when the mentor's rank is lower than the mentee's (both known)."""
    a, b = rank_level(mentor_rank), rank_level(mentee_rank)
    return a is not None and b is not None and a > b


# ---- helpers ------------------------------------------------------------------------------------
def _cadre(cadre_id: int | None, key: str, label: str, errors: dict[str, str]) -> Cadre | None:
    if not cadre_id:
        errors[key] = f"请选择{label}。"
        return None
    row = Cadre.get_or_none(Cadre.id == cadre_id)
    if row is None:
        errors[key] = f"{label}不存在或已被删除。"
    elif not access_scope.current().covers_unit(row.unit_id):
        errors[key] = f"所选{label}不在您负责的单位范围内。"
        return None
    return row


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
    shown = access_scope.current().shown_name  # the other side of a pair, when of another unit, is not named
    return [PairInfo(
        r["id"], r["version"], r["mentor"], shown(r["mentor_name"], r["mentor_unit"]), r["mentee"],
        shown(r["mentee_name"], r["mentee_unit"]), r["posting_id"],
        r["focus"], r["goals"], r["start"], r["planned_end"], r["actual_end"], r["state"], r["end_reason"],
        r["mentor_rating"], r["mentor_comment"], r["mentee_rating"], r["mentee_comment"],
        r["mentor_unit"], units.get(r["mentor_unit"], ""), r["mentee_unit"], units.get(r["mentee_unit"], ""),
        r["log_count"] or 0, r["last_log"] or "") for r in rows]


def _info(pair_id: int) -> PairInfo:
    infos = _infos(MentorPair.select().where(MentorPair.id == pair_id))
    if not infos:
        raise NotFoundError("该帮带结对不存在或已被删除。")
    return infos[0]


def _locked(pair_id: int, version: int | None) -> MentorPair:
    row = MentorPair.get_or_none(MentorPair.id == pair_id)
    if row is None:
        raise NotFoundError("该帮带结对不存在或已被删除。")
    if version is not None and row.version != version:
        raise conflicts.stale(ENTITY, pair_id, f"帮带结对“{_pair_label(row)}”")
    return row


def _editable(pair_id: int, version: int | None, state: str | None = None, refusal: str = "") -> MentorPair:
    """The pair at ``version``, when the operator may edit it (and it is in ``state``: else ``refusal``,
    with {state} its state now)."""
    row = _locked(pair_id, version)
    _require_edit(row)
    if state is not None and row.state != state:
        raise ValidationError(refusal.format(state=row.state))
    return row


def _require_edit(row_or_mentee_id) -> None:
    mentee_id = row_or_mentee_id if isinstance(row_or_mentee_id, int) else row_or_mentee_id.mentee_id
    permissions.require(permissions.EDIT, cadre_id=mentee_id)


def _bump(row: MentorPair, **values) -> None:
    values["version"] = row.version + 1
    values["updated_at"] = clock.now_iso()
    updated = (MentorPair.update(**values)
               .where((MentorPair.id == row.id) & (MentorPair.version == row.version)).execute())
    if not updated:
        raise conflicts.stale(ENTITY, row.id, f"帮带结对“{_pair_label(row)}”")


def _pair_label(row: MentorPair) -> str:
    names = dict(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_([row.mentor_id, row.mentee_id])).tuples())
    return f"{names.get(row.mentor_id, '')}→{names.get(row.mentee_id, '')}"


def _rating(value, key: str, label: str, errors: dict[str, str]) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[key] = f"{label}应为 0–100 的数字。"
        return None
    if not 0 <= number <= 100:
        errors[key] = f"{label}应在 0–100 之间。"
        return None
    return round(number, 1)


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
    info = _info(pair_id)
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


def logs_for_pair(pair_id: int) -> list[MeetingLogInfo]:
    """Meeting logs of a pair, oldest first (the talks' content: READ on the mentee)."""
    mentee_id = MentorPair.select(MentorPair.mentee).where(MentorPair.id == pair_id).scalar()
    if mentee_id is not None:
        unit_id = Cadre.select(Cadre.unit).where(Cadre.id == mentee_id).scalar()
        permissions.require(permissions.READ, unit_id=unit_id, cadre_id=mentee_id)
    query = MeetingLog.select().where(MeetingLog.pair == pair_id).order_by(MeetingLog.date, MeetingLog.id)
    return [MeetingLogInfo(r.id, r.pair_id, r.date, r.form, r.content, r.next_steps, r.recorder) for r in query]


def mentor_loads() -> list[MentorLoad]:
    """Mentors with their pairs (active first) and their active count against the cap: the mentors of
    the operator's units and of their mentees, with the pairs of their mentees (the count covers
    every active pair: the cap does)."""
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
    for load in loads.values():
        load.pairs.sort(key=lambda p: (not p.is_active, p.mentee_name))
    return sorted(loads.values(), key=lambda m: (-m.active, m.mentor_name))


def active_mentee_count(mentor_id: int) -> int:
    return MentorPair.select().where((MentorPair.mentor == mentor_id) & (MentorPair.state == ACTIVE)).count()


# ---- rules --------------------------------------------------------------------------------------
def pair_warnings(mentor_id: int, mentee_id: int) -> list[str]:
    """Advice that does not block a pair: a mentor younger than or ranking below the mentee."""
    rows = {c.id: c for c in Cadre.select().where(Cadre.id.in_([mentor_id, mentee_id]))}
    mentor, mentee = rows.get(mentor_id), rows.get(mentee_id)
    if mentor is None or mentee is None:
        return []
    warnings = []
    if mentor.birth and mentee.birth and as_day(mentor.birth) > as_day(mentee.birth):
        warnings.append(f"导师{mentor.name}（{format_month(mentor.birth)}生）比帮带对象{mentee.name}"
                        f"（{format_month(mentee.birth)}生）年轻。")
    if ranks_below(mentor.rank, mentee.rank):
        table = codes.table("RANK")
        warnings.append(f"导师{mentor.name}的职级（{table.name(mentor.rank)}）低于帮带对象{mentee.name}"
                        f"（{table.name(mentee.rank)}）。")
    return warnings


def _check_rules(mentor_id: int, mentee_id: int, errors: dict[str, str]) -> None:
    active = MentorPair.select().where(MentorPair.state == ACTIVE)
    if active.where((MentorPair.mentor == mentor_id) & (MentorPair.mentee == mentee_id)).exists():
        errors[""] = "这两名干部已有进行中的帮带结对，不能重复结对。"
        return
    cap = max_mentees()
    if active_mentee_count(mentor_id) >= cap:
        errors["mentor_id"] = f"该导师已有 {cap} 名进行中的帮带对象，达到上限（可在设置中调整）。"
    if not allow_multiple_mentors():
        existing = active.where(MentorPair.mentee == mentee_id).first()
        if existing is not None:
            mentor = Cadre.select(Cadre.name, Cadre.unit).where(Cadre.id == existing.mentor_id).first()
            name = access_scope.current().shown_name(mentor.name, mentor.unit_id) if mentor else ""
            errors["mentee_id"] = f"该干部已有进行中的导师（{name}），一名干部同时只能有一名导师。"


def validate_draft(draft: PairDraft) -> tuple[dict[str, str], list[str]]:
    """(errors, warnings) for a pair about to be created; nothing is written."""
    errors: dict[str, str] = {}
    mentor = _cadre(draft.mentor_id, "mentor_id", "导师", errors)
    mentee = _cadre(draft.mentee_id, "mentee_id", "帮带对象", errors)
    if mentor is not None and mentee is not None:
        if mentor.id == mentee.id:
            errors["mentor_id"] = "导师和帮带对象不能是同一人。"
        else:
            for row, label in ((mentor, "导师"), (mentee, "帮带对象")):
                if row.status and row.status != "1":
                    errors["mentor_id" if label == "导师" else "mentee_id"] = (
                        f"{label}{row.name}不是在职干部（{codes.table('STATUS').name(row.status)}）。")
            _check_rules(mentor.id, mentee.id, errors)
    if draft.posting_id and mentee is not None:
        try:
            posting = postings.get_posting(int(draft.posting_id))
        except NotFoundError:
            errors["posting_id"] = "所选的一线锻炼记录不存在或已被撤销。"
        else:
            if posting.cadre_id != mentee.id:
                errors["posting_id"] = "所选的一线锻炼记录不属于该帮带对象。"
    start = check_date(draft.start, MENTOR_PAIR.label_of("start"), errors, "start", required=True)
    planned_end = check_date(draft.planned_end, MENTOR_PAIR.label_of("planned_end"), errors, "planned_end",
                             required=True)
    if start and planned_end and as_day(planned_end) <= as_day(start):
        errors["planned_end"] = "计划结束日期应晚于开始日期。"
    if len(draft.focus or "") > 100:
        errors["focus"] = "帮带方向不超过 100 字。"
    warnings = pair_warnings(mentor.id, mentee.id) if mentor and mentee and mentor.id != mentee.id else []
    return errors, warnings


def create_pair(draft: PairDraft) -> PairResult:
    """Create an active pair. Refuses by the rules (ValidationError); returns soft warnings."""
    with write_transaction():
        if draft.mentee_id:
            _require_edit(int(draft.mentee_id))
        errors, warnings = validate_draft(draft)
        if errors:
            raise ValidationError(errors, {str(i): w for i, w in enumerate(warnings)})
        start = parse_date(draft.start)
        planned_end = parse_date(draft.planned_end)
        pair_id = MentorPair.insert(
            mentor=draft.mentor_id, mentee=draft.mentee_id, posting_id=draft.posting_id or None,
            focus=(draft.focus or "").strip(), goals=(draft.goals or "").strip(), start=start,
            planned_end=planned_end, state=ACTIVE).execute()
        row = MentorPair.get_by_id(pair_id)
        label = _pair_label(row)
        audit.record(audit.CREATE, ENTITY, pair_id, f"新建帮带结对 {label}", {
            "mentor_id": [None, row.mentor_id], "mentee_id": [None, row.mentee_id],
            "posting_id": [None, row.posting_id], "focus": [None, row.focus], "goals": [None, row.goals],
            "start": [None, start], "planned_end": [None, planned_end]},
            reason="；".join(warnings))
        return PairResult(_info(pair_id), warnings)


def update_pair(pair_id: int, version: int, *, focus: str, goals: str, posting_id: int | None = None) -> PairInfo:
    """Edit the focus, goals and posting link of a pair."""
    with write_transaction():
        row = _editable(pair_id, version)
        new = {"focus": (focus or "").strip(), "goals": (goals or "").strip(), "posting_id": posting_id or None}
        if len(new["focus"]) > 100:
            raise ValidationError({"focus": "帮带方向不超过 100 字。"})
        if new["posting_id"]:
            try:
                if postings.get_posting(int(new["posting_id"])).cadre_id != row.mentee_id:
                    raise ValidationError({"posting_id": "所选的一线锻炼记录不属于该帮带对象。"})
            except NotFoundError:
                raise ValidationError({"posting_id": "所选的一线锻炼记录不存在或已被撤销。"}) from None
        changes = audit.diff({k: getattr(row, k) for k in new}, new)
        if changes:
            _bump(row, **new)
            audit.record(audit.UPDATE, ENTITY, pair_id, f"修改帮带结对 {_pair_label(row)}", changes)
        return _info(pair_id)


def change_planned_end(pair_id: int, version: int, planned_end, reason: str = "") -> PairInfo:
    """Move the planned end of an active pair (audited with the reason)."""
    with write_transaction():
        row = _editable(pair_id, version, ACTIVE, "只有进行中的结对可以调整结束日期。")
        errors: dict[str, str] = {}
        new_end = check_date(planned_end, MENTOR_PAIR.label_of("planned_end"), errors, "planned_end", required=True)
        if not errors and as_day(new_end) <= as_day(row.start):
            errors["planned_end"] = "计划结束日期应晚于开始日期。"
        if errors:
            raise ValidationError(errors)
        if new_end != row.planned_end:
            _bump(row, planned_end=new_end)
            audit.record(audit.UPDATE, ENTITY, pair_id,
                         f"调整帮带结束日期 {_pair_label(row)}：{format_date(row.planned_end)} → {format_date(new_end)}",
                         {"planned_end": [row.planned_end, new_end]}, reason=(reason or "").strip())
        return _info(pair_id)


def _end_date(value, row: MentorPair, errors: dict[str, str]) -> str:
    end = check_date(value, "结束日期", errors, "actual_end", required=True)
    if end and as_day(end) < as_day(row.start):
        errors["actual_end"] = "结束日期不能早于开始日期。"
    if end and as_day(end) > clock.today_yyyymmdd():
        errors["actual_end"] = "结束日期不能晚于今天。"
    return end


def complete_pair(pair_id: int, version: int, *, end_date, mentor_rating=None, mentor_comment: str = "",
                  mentee_rating=None, mentee_comment: str = "", reason: str = "") -> PairInfo:
    """结业 with the closing evaluation both ways; ending before the planned end is an early
    completion, noted in the audit row."""
    with write_transaction():
        row = _editable(pair_id, version, ACTIVE, "该结对已{state}，不能再结业。")
        errors: dict[str, str] = {}
        end = _end_date(end_date, row, errors)
        values = _evaluation_values(mentor_rating, mentor_comment, mentee_rating, mentee_comment, errors)
        if errors:
            raise ValidationError(errors)
        early = bool(row.planned_end) and as_day(end) < as_day(row.planned_end)
        values.update(state=COMPLETED, actual_end=end, end_reason=(reason or "").strip())
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        _bump(row, **values)
        summary = f"{'提前结业' if early else '结业'} {_pair_label(row)}"
        if early:
            summary += f"（计划 {format_date(row.planned_end)}，实际 {format_date(end)}）"
        audit.record(audit.UPDATE, ENTITY, pair_id, summary, changes, reason=values["end_reason"])
        return _info(pair_id)


def _evaluation_values(mentor_rating, mentor_comment, mentee_rating, mentee_comment,
                       errors: dict[str, str]) -> dict:
    values = {
        "mentor_rating": _rating(mentor_rating, "mentor_rating", MENTOR_PAIR.label_of("mentor_rating"), errors),
        "mentor_comment": (mentor_comment or "").strip(),
        "mentee_rating": _rating(mentee_rating, "mentee_rating", MENTOR_PAIR.label_of("mentee_rating"), errors),
        "mentee_comment": (mentee_comment or "").strip(),
    }
    if values["mentor_rating"] is None and "mentor_rating" not in errors:
        errors["mentor_rating"] = "请填写导师对帮带对象成长进步的评分（0–100）。"
    return values


def set_evaluation(pair_id: int, version: int, *, mentor_rating=None, mentor_comment: str = "",
                   mentee_rating=None, mentee_comment: str = "") -> PairInfo:
    """Fill in or correct the closing evaluation of a completed pair."""
    with write_transaction():
        row = _editable(pair_id, version, COMPLETED, "只有已结业的结对可以填写结业评价。")
        errors: dict[str, str] = {}
        values = _evaluation_values(mentor_rating, mentor_comment, mentee_rating, mentee_comment, errors)
        if errors:
            raise ValidationError(errors)
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        if changes:
            _bump(row, **values)
            audit.record(audit.UPDATE, ENTITY, pair_id, f"修改结业评价 {_pair_label(row)}", changes)
        return _info(pair_id)


def terminate_pair(pair_id: int, version: int, *, reason: str, end_date=None) -> PairInfo:
    """终止 an active pair; the reason is required."""
    with write_transaction():
        row = _editable(pair_id, version, ACTIVE, "该结对已{state}，不能终止。")
        errors: dict[str, str] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["end_reason"] = "终止帮带必须填写原因。"
        end = _end_date(end_date or clock.today_yyyymmdd(), row, errors)
        if errors:
            raise ValidationError(errors)
        values = {"state": TERMINATED, "actual_end": end, "end_reason": reason}
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        _bump(row, **values)
        audit.record(audit.UPDATE, ENTITY, pair_id, f"终止帮带 {_pair_label(row)}", changes, reason=reason)
        return _info(pair_id)


def delete_pair(pair_id: int, version: int | None = None, overwrite: bool = False,
                logs: Sequence[MeetingLogInfo] | None = None) -> None:
    """Remove a pair entered by mistake, with its logs. ``version``: the pair's as the clerk last saw it;
    ``logs``: its 谈话记录 as the clerk saw them (the page's list of the pair's logs: adding or changing a
    log does not move the pair's version, which an open 修改 of the pair would else find stale) — another
    having saved the pair or added, changed or deleted a log since, refused (naming who and when) unless
    ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        row = _editable(pair_id, None)
        label = _pair_label(row)
        if version is not None and row.version != version:
            suffix = conflicts.check_delete(True, overwrite, ENTITY, pair_id, f"帮带结对“{label}”")
        else:
            now = {log.id: log for log in MeetingLog.select().where(MeetingLog.pair == pair_id)}
            seen = {log.id: log for log in logs or ()}
            changed = logs is not None and (seen.keys() != now.keys()
                                            or any(_log_changed(seen[i], log) for i, log in now.items()))
            suffix = conflicts.check_delete(changed, overwrite, LOG_ENTITY, sorted(seen.keys() | now.keys()),
                                            f"帮带结对“{label}”的谈话记录")
        count = MeetingLog.delete().where(MeetingLog.pair == pair_id).execute()
        row.delete_instance()
        audit.record(audit.DELETE, ENTITY, pair_id, f"删除帮带结对 {label}（含谈话记录 {count} 条）{suffix}",
                     {"state": [row.state, None], "start": [row.start, None]})


# ---- meeting logs -------------------------------------------------------------------------------
def _log_values(date, form: str, content: str, next_steps: str, row: MentorPair) -> dict:
    errors: dict[str, str] = {}
    day = check_date(date, MEETING_LOG.label_of("date"), errors, "date", required=True)
    if day and len(day) != 8:
        errors["date"] = "谈话日期请精确到日。"
    elif day and day > clock.today_yyyymmdd():
        errors["date"] = "谈话日期不能晚于今天。"
    elif day and day < as_day(row.start):
        errors["date"] = f"谈话日期不能早于结对开始日期（{format_date(row.start)}）。"
    if form not in FORMS:
        errors["form"] = f"帮带形式应为：{'、'.join(FORMS)}。"
    content = (content or "").strip()
    if not content:
        errors["content"] = "请填写谈话内容。"
    if errors:
        raise ValidationError(errors)
    return {"date": day, "form": form, "content": content, "next_steps": (next_steps or "").strip()}


def add_log(pair_id: int, date, form: str, content: str, next_steps: str = "") -> MeetingLogInfo:
    with write_transaction():
        row = _locked(pair_id, None)
        _require_edit(row)
        if row.state != ACTIVE:
            raise ValidationError(f"该结对已{row.state}，不能再添加谈话记录。")
        values = _log_values(date, form, content, next_steps, row)
        recorder = acting_name()
        log_id = MeetingLog.insert(pair=pair_id, recorder=recorder, **values).execute()
        audit.record(audit.CREATE, LOG_ENTITY, log_id,
                     f"添加谈话记录 {_pair_label(row)} {format_date(values['date'])} {values['form']}",
                     {k: [None, v] for k, v in values.items()})
        return MeetingLogInfo(log_id, pair_id, recorder=recorder, **values)


def update_log(log_id: int, date, form: str, content: str, next_steps: str = "",
               before: MeetingLogInfo | None = None) -> MeetingLogInfo:
    """Change a 谈话记录. ``before``: the record as the clerk read it — when another saved it otherwise
    since, the change is refused (a ConflictError naming who and when); None: not checked."""
    with write_transaction():
        log = MeetingLog.get_or_none(MeetingLog.id == log_id)
        if log is None:
            raise NotFoundError("该谈话记录不存在或已被删除。")
        row = _locked(log.pair_id, None)
        _require_edit(row)
        if before is not None and _log_changed(before, log):
            raise conflicts.stale(LOG_ENTITY, log_id, f"{_pair_label(row)}的谈话记录")
        values = _log_values(date, form, content, next_steps, row)
        changes = audit.diff({k: getattr(log, k) for k in values}, values)
        if changes:
            MeetingLog.update(**values).where(MeetingLog.id == log_id).execute()
            audit.record(audit.UPDATE, LOG_ENTITY, log_id, f"修改谈话记录 {_pair_label(row)}", changes)
        return MeetingLogInfo(log_id, log.pair_id, recorder=log.recorder, **values)


def delete_log(log_id: int, before: MeetingLogInfo | None = None, overwrite: bool = False) -> None:
    """``before``: the 谈话记录 as the clerk last saw it — when another saved it otherwise since, the delete is
    refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        log = MeetingLog.get_or_none(MeetingLog.id == log_id)
        if log is None:
            raise NotFoundError("该谈话记录不存在或已被删除。")
        row = _locked(log.pair_id, None)
        _require_edit(row)
        suffix = conflicts.check_delete(before is not None and _log_changed(before, log), overwrite, LOG_ENTITY,
                                        log_id, f"{_pair_label(row)}的谈话记录")
        log.delete_instance()
        audit.record(audit.DELETE, LOG_ENTITY, log_id,
                     f"删除谈话记录 {_pair_label(row)} {format_date(log.date)}{suffix}",
                     {"date": [log.date, None], "content": [log.content, None]})


def _log_changed(before: MeetingLogInfo, log: MeetingLog) -> bool:
    """Whether the stored 谈话记录 differs from the one the clerk read (it has no version)."""
    return (before.date, before.form, before.content, before.next_steps) != (log.date, log.form, log.content,
                                                                             log.next_steps)


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
        _bump(row, posting_id=None)
        audit.record(audit.UPDATE, ENTITY, row.id, f"撤销拟选派，解除帮带结对与该一线锻炼的关联 {_pair_label(row)}",
                     {"posting_id": [posting_id, None]})
