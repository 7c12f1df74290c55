"""导师帮带, the pairs' rules and changes: opening a pair, editing it, moving its end, 结业 with the closing
evaluation, 终止, deleting one entered by mistake. The pairs are read in cadre_desk.mentoring.mentoring.

Rules: mentor ≠ mentee; no duplicate active pair; a mentor has at most ``mentoring.max_mentees``
active mentees (default 3); a mentee has at most one active mentor unless
``mentoring.allow_multiple_mentors`` is true. A mentor who is younger than, or ranks below, the
mentee is a warning returned to the caller, never a refusal.

States: 进行中 → 已结业 (complete_pair, early completion allowed) or 终止 (terminate_pair, reason
required). Every change writes an audit row in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, check_date, format_date, format_month, parse_date
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.domain.fields import MENTOR_PAIR
from cadre_desk.mentoring.meeting_logs import log_changed
from cadre_desk.mentoring.mentoring import (
    ENTITY,
    LOG_ENTITY,
    MeetingLogInfo,
    PairDraft,
    PairInfo,
    PairResult,
    active_mentee_count,
    bump_pair,
    editable_pair,
    pair_info,
    pair_label,
    require_edit,
)
from cadre_desk.mentoring.mentoring_settings import allow_multiple_mentors, max_mentees
from cadre_desk.postings import postings
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import write_transaction
from cadre_desk.store.mentoring_models import ACTIVE, COMPLETED, TERMINATED, MeetingLog, MentorPair
from cadre_desk.store.models import Cadre

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
            require_edit(int(draft.mentee_id))
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
        label = pair_label(row)
        audit.record(audit.CREATE, ENTITY, pair_id, f"新建帮带结对 {label}", {
            "mentor_id": [None, row.mentor_id], "mentee_id": [None, row.mentee_id],
            "posting_id": [None, row.posting_id], "focus": [None, row.focus], "goals": [None, row.goals],
            "start": [None, start], "planned_end": [None, planned_end]},
            reason="；".join(warnings))
        return PairResult(pair_info(pair_id), warnings)


def update_pair(pair_id: int, version: int, *, focus: str, goals: str, posting_id: int | None = None) -> PairInfo:
    """Edit the focus, goals and posting link of a pair."""
    with write_transaction():
        row = editable_pair(pair_id, version)
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
            bump_pair(row, **new)
            audit.record(audit.UPDATE, ENTITY, pair_id, f"修改帮带结对 {pair_label(row)}", changes)
        return pair_info(pair_id)


def change_planned_end(pair_id: int, version: int, planned_end, reason: str = "") -> PairInfo:
    """Move the planned end of an active pair (audited with the reason)."""
    with write_transaction():
        row = editable_pair(pair_id, version, ACTIVE, "只有进行中的结对可以调整结束日期。")
        errors: dict[str, str] = {}
        new_end = check_date(planned_end, MENTOR_PAIR.label_of("planned_end"), errors, "planned_end", required=True)
        if not errors and as_day(new_end) <= as_day(row.start):
            errors["planned_end"] = "计划结束日期应晚于开始日期。"
        if errors:
            raise ValidationError(errors)
        if new_end != row.planned_end:
            bump_pair(row, planned_end=new_end)
            audit.record(audit.UPDATE, ENTITY, pair_id,
                         f"调整帮带结束日期 {pair_label(row)}：{format_date(row.planned_end)} → {format_date(new_end)}",
                         {"planned_end": [row.planned_end, new_end]}, reason=(reason or "").strip())
        return pair_info(pair_id)


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
        row = editable_pair(pair_id, version, ACTIVE, "该结对已{state}，不能再结业。")
        errors: dict[str, str] = {}
        end = _end_date(end_date, row, errors)
        values = _evaluation_values(mentor_rating, mentor_comment, mentee_rating, mentee_comment, errors)
        if errors:
            raise ValidationError(errors)
        early = bool(row.planned_end) and as_day(end) < as_day(row.planned_end)
        values.update(state=COMPLETED, actual_end=end, end_reason=(reason or "").strip())
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        bump_pair(row, **values)
        summary = f"{'提前结业' if early else '结业'} {pair_label(row)}"
        if early:
            summary += f"（计划 {format_date(row.planned_end)}，实际 {format_date(end)}）"
        audit.record(audit.UPDATE, ENTITY, pair_id, summary, changes, reason=values["end_reason"])
        return pair_info(pair_id)


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
        row = editable_pair(pair_id, version, COMPLETED, "只有已结业的结对可以填写结业评价。")
        errors: dict[str, str] = {}
        values = _evaluation_values(mentor_rating, mentor_comment, mentee_rating, mentee_comment, errors)
        if errors:
            raise ValidationError(errors)
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        if changes:
            bump_pair(row, **values)
            audit.record(audit.UPDATE, ENTITY, pair_id, f"修改结业评价 {pair_label(row)}", changes)
        return pair_info(pair_id)


def terminate_pair(pair_id: int, version: int, *, reason: str, end_date=None) -> PairInfo:
    """终止 an active pair; the reason is required."""
    with write_transaction():
        row = editable_pair(pair_id, version, ACTIVE, "该结对已{state}，不能终止。")
        errors: dict[str, str] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["end_reason"] = "终止帮带必须填写原因。"
        end = _end_date(end_date or clock.today_yyyymmdd(), row, errors)
        if errors:
            raise ValidationError(errors)
        values = {"state": TERMINATED, "actual_end": end, "end_reason": reason}
        changes = audit.diff({k: getattr(row, k) for k in values}, values)
        bump_pair(row, **values)
        audit.record(audit.UPDATE, ENTITY, pair_id, f"终止帮带 {pair_label(row)}", changes, reason=reason)
        return pair_info(pair_id)


def delete_pair(pair_id: int, version: int | None = None, overwrite: bool = False,
                logs: Sequence[MeetingLogInfo] | None = None) -> None:
    """Remove a pair entered by mistake, with its logs. ``version``: the pair's as the clerk last saw it;
    ``logs``: its 谈话记录 as the clerk saw them (the page's list of the pair's logs: adding or changing a
    log does not move the pair's version, which an open 修改 of the pair would else find stale) — another
    having saved the pair or added, changed or deleted a log since, refused (naming who and when) unless
    ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        row = editable_pair(pair_id, None)
        label = pair_label(row)
        if version is not None and row.version != version:
            suffix = conflicts.check_delete(True, overwrite, ENTITY, pair_id, f"帮带结对“{label}”")
        else:
            now = {log.id: log for log in MeetingLog.select().where(MeetingLog.pair == pair_id)}
            seen = {log.id: log for log in logs or ()}
            changed = logs is not None and (seen.keys() != now.keys()
                                            or any(log_changed(seen[i], log) for i, log in now.items()))
            suffix = conflicts.check_delete(changed, overwrite, LOG_ENTITY, sorted(seen.keys() | now.keys()),
                                            f"帮带结对“{label}”的谈话记录")
        count = MeetingLog.delete().where(MeetingLog.pair == pair_id).execute()
        row.delete_instance()
        audit.record(audit.DELETE, ENTITY, pair_id, f"删除帮带结对 {label}（含谈话记录 {count} 条）{suffix}",
                     {"state": [row.state, None], "start": [row.start, None]})
