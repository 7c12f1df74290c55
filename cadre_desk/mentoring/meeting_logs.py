"""导师帮带, the 谈话记录 (meeting logs) of a pair: listed, added while the pair is in progress, changed and
deleted, each with its audit row."""

from __future__ import annotations

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.dates import as_day, check_date, format_date
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.domain.fields import MEETING_LOG
from cadre_desk.mentoring.mentoring import LOG_ENTITY, MeetingLogInfo, locked_pair, pair_label, require_edit
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.db import write_transaction
from cadre_desk.store.mentoring_models import ACTIVE, FORMS, MeetingLog, MentorPair
from cadre_desk.store.models import Cadre


def logs_for_pair(pair_id: int) -> list[MeetingLogInfo]:
    """Meeting logs of a pair, oldest first (the talks' content: READ on the mentee)."""
    mentee_id = MentorPair.select(MentorPair.mentee).where(MentorPair.id == pair_id).scalar()
    if mentee_id is not None:
        unit_id = Cadre.select(Cadre.unit).where(Cadre.id == mentee_id).scalar()
        permissions.require(permissions.READ, unit_id=unit_id, cadre_id=mentee_id)
    query = MeetingLog.select().where(MeetingLog.pair == pair_id).order_by(MeetingLog.date, MeetingLog.id)
    return [MeetingLogInfo(r.id, r.pair_id, r.date, r.form, r.content, r.next_steps, r.recorder) for r in query]


def logs_of_pairs(pair_ids) -> dict[int, list[MeetingLogInfo]]:
    """The meeting logs of many pairs at once (an export), oldest first, by pair id: only those of pairs
    whose mentee the operator may read — as ``mentoring.visible_pairs`` lists them."""
    current = access_scope.current()
    current.require(permissions.READ)
    ids = list(dict.fromkeys(pair_ids))
    out: dict[int, list[MeetingLogInfo]] = {}
    for start in range(0, len(ids), 500):
        query = (MeetingLog.select().join(MentorPair)
                 .where(MeetingLog.pair.in_(ids[start:start + 500]))
                 .order_by(MeetingLog.pair, MeetingLog.date, MeetingLog.id))
        for r in current.restrict(query, cadre=MentorPair.mentee):
            out.setdefault(r.pair_id, []).append(
                MeetingLogInfo(r.id, r.pair_id, r.date, r.form, r.content, r.next_steps, r.recorder))
    return out


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
        row = locked_pair(pair_id, None)
        require_edit(row)
        if row.state != ACTIVE:
            raise ValidationError(f"该结对已{row.state}，不能再添加谈话记录。")
        values = _log_values(date, form, content, next_steps, row)
        recorder = acting_name()
        log_id = MeetingLog.insert(pair=pair_id, recorder=recorder, **values).execute()
        audit.record(audit.CREATE, LOG_ENTITY, log_id,
                     f"添加谈话记录 {pair_label(row)} {format_date(values['date'])} {values['form']}",
                     {k: [None, v] for k, v in values.items()})
        return MeetingLogInfo(log_id, pair_id, recorder=recorder, **values)


def update_log(log_id: int, date, form: str, content: str, next_steps: str = "",
               before: MeetingLogInfo | None = None) -> MeetingLogInfo:
    """Change a 谈话记录. ``before``: the record as the clerk read it — when another saved it otherwise
    since, the change is refused (a ConflictError naming who and when); None: not checked."""
    with write_transaction():
        log, row = _editable_log(log_id)
        if before is not None and log_changed(before, log):
            raise conflicts.stale(LOG_ENTITY, log_id, f"{pair_label(row)}的谈话记录")
        values = _log_values(date, form, content, next_steps, row)
        changes = audit.diff({k: getattr(log, k) for k in values}, values)
        if changes:
            MeetingLog.update(**values).where(MeetingLog.id == log_id).execute()
            audit.record(audit.UPDATE, LOG_ENTITY, log_id, f"修改谈话记录 {pair_label(row)}", changes)
        return MeetingLogInfo(log_id, log.pair_id, recorder=log.recorder, **values)


def delete_log(log_id: int, before: MeetingLogInfo | None = None, overwrite: bool = False) -> None:
    """``before``: the 谈话记录 as the clerk last saw it — when another saved it otherwise since, the delete is
    refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        log, row = _editable_log(log_id)
        suffix = conflicts.check_delete(before is not None and log_changed(before, log), overwrite, LOG_ENTITY,
                                        log_id, f"{pair_label(row)}的谈话记录")
        log.delete_instance()
        audit.record(audit.DELETE, LOG_ENTITY, log_id,
                     f"删除谈话记录 {pair_label(row)} {format_date(log.date)}{suffix}",
                     {"date": [log.date, None], "content": [log.content, None]})


def _editable_log(log_id: int) -> tuple[MeetingLog, MentorPair]:
    """The 谈话记录 and its pair, locked, when the operator may change it (inside a write transaction)."""
    log = MeetingLog.get_or_none(MeetingLog.id == log_id)
    if log is None:
        raise NotFoundError("该谈话记录不存在或已被删除。")
    row = locked_pair(log.pair_id, None)
    require_edit(row)
    return log, row


def log_changed(before: MeetingLogInfo, log: MeetingLog) -> bool:
    """Whether the stored 谈话记录 differs from the one the clerk read (it has no version)."""
    return (before.date, before.form, before.content, before.next_steps) != (log.date, log.form, log.content,
                                                                             log.next_steps)
