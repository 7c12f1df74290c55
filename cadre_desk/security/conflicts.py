"""A save of a stale copy (the record's ``version`` moved on since the edit began): the one way every
service refuses it — a ``ConflictError`` that says, in Chinese, who changed the record and when (the
newest audit row of its change), so that the user can choose between the other's change and their own."""

from __future__ import annotations

from collections.abc import Collection

from peewee import chunked, fn

from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import ConflictError
from cadre_desk.domain.text import keep_together
from cadre_desk.security import audit
from cadre_desk.store.models import AuditLog, AuditSubject
from cadre_desk.store.security_models import User

_CHANGES = (audit.CREATE, audit.UPDATE, audit.DELETE, audit.IMPORT)
# The end of an audit row's summary when the user, told of another's later change, saved theirs over it.
OVERWROTE = "（覆盖了他人在此期间保存的修改）"
# The same for a delete: the user, told that another changed the record since they saw it, deleted it anyway.
DELETED_OVER = "（连同他人在此期间保存的修改一并删除）"
# How a refused delete begins (the record was read by a list, not opened for editing).
SEEN = "在您上次看到之后"
# How an import's refusal begins (the profile was compared with the file when the file was checked).
CHECKED = "在检查文件之后"
# Between the day and the time of the other's change in the message: a box wraps the sentence, and the time
# on a line of its own, apart from its day, reads as something else (NO-BREAK SPACE: the two stay together).
_JOIN = "\u00a0"


def last_change(entity: str | tuple[str, ...], entity_id: int | list[int] | None, key: str = "",
                subjects: Collection[int] | None = None) -> tuple[str, str]:
    """(who, when) of the newest audited change of the record (``entity``: as the audit log names it, or
    the names of all that move its version on; ``entity_id``: its id, or the ids of its parts — a pair's
    谈话记录; with ``key``: of that part of it, a change naming it — one cell of a 考核表; with
    ``subjects`` (ids; ``entity_id`` unused): of records changed many at once, the newest change that was
    about one of them — the postings given a 包抓人 in one go, found by an index however many there were,
    audit.record's ``subjects``): who as ``张三（zhangsan）``, when as ``2026.06.15 10:22``; ('', '') when
    the audit log names none."""
    entities = [entity] if isinstance(entity, str) else list(entity)
    if subjects is not None:
        row = _newest_about(entities, subjects)
    else:
        if isinstance(entity_id, list):
            same_id = AuditLog.entity_id.in_(entity_id)
        else:  # settings: none
            same_id = AuditLog.entity_id.is_null() if entity_id is None else AuditLog.entity_id == entity_id
        query = AuditLog.select(AuditLog.user, AuditLog.at).where(
            AuditLog.entity.in_(entities), same_id, AuditLog.action.in_(_CHANGES))
        if key:
            query = query.where(AuditLog.changes.contains(key))
        row = query.order_by(AuditLog.id.desc()).first()
    if row is None:
        return "", ""
    shown = User.select(User.display_name).where(User.username == row.user).scalar()
    who = f"{shown}（{row.user}）" if shown and shown != row.user else row.user
    return who, format_moment(row.at)


def _newest_about(entities: list[str], ids: Collection[int]):
    """The newest change (user, at) about one of ``ids`` (AuditSubject, by its index on entity, entity_id
    and audit_id: a seek per id); None when none was."""
    newest = 0
    for chunk in chunked(list(dict.fromkeys(int(i) for i in ids)), 900):
        found = AuditSubject.select(fn.MAX(AuditSubject.audit_id)).where(
            AuditSubject.entity.in_(entities), AuditSubject.entity_id.in_(chunk)).scalar()
        newest = max(newest, found or 0)
    if not newest:
        return None
    return AuditLog.select(AuditLog.user, AuditLog.at).where(
        AuditLog.id == newest, AuditLog.action.in_(_CHANGES)).first()


def stale(entity: str | tuple[str, ...], entity_id: int | list[int] | None, what: str, key: str = "",
          since: str = "在您开始编辑之后", then: str = "",
          subjects: Collection[int] | None = None) -> ConflictError:
    """The refusal of a save of ``what`` (考核方案“年度考核”) read before another's change (``key``,
    ``subjects``: see last_change; ``since``: how it begins — ``SEEN`` for a delete, ``CHECKED`` for an
    import; ``then``: what the refusal goes on to say, what was not written and what to do). A box wraps
    the sentence where it likes, never between the day and the time (a no-break space joins them) nor
    inside the other's name with their login, 「赵经办（zhao）」 (kept together by word joiners);
    ``changed_by`` and ``changed_at`` as last_change gives them, plain."""
    who, when = last_change(entity, entity_id, key, subjects)
    if who:
        message = f"{since}，{what}已被 {keep_together(who)} 于 {when.replace(' ', _JOIN)} 修改并保存。{then}"
    else:
        message = f"{since}，{what}已被他人修改并保存。{then}"
    return ConflictError(message, changed_by=who, changed_at=when)


def check_delete(changed: bool, overwrite: bool, entity: str | tuple[str, ...], entity_id: int | list[int], what: str,
                 key: str = "") -> str:
    """A delete of ``what`` as the user last saw it: refused (``stale``, naming who and when; ``key``: see
    last_change) when another ``changed`` it since, unless the user, told, chose to delete it anyway
    (``overwrite``). What the delete's audit summary ends with: ``DELETED_OVER`` when it took another's
    change with it, else ''."""
    if changed and not overwrite:
        raise stale(entity, entity_id, what, key, since=SEEN)
    return DELETED_OVER if changed else ""


__all__ = ["CHECKED", "DELETED_OVER", "OVERWROTE", "SEEN", "check_delete", "last_change", "stale"]
