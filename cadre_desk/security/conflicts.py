"""A save of a stale copy (the record's ``version`` moved on since the edit began): the one way every
service refuses it — a ``ConflictError`` that says, in Chinese, who changed the record and when (the
newest audit row of its change), so that the user can choose between the other's change and their own."""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection

from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import ConflictError
from cadre_desk.domain.text import keep_together
from cadre_desk.security import audit
from cadre_desk.store.models import AuditLog
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
_PAGE = 100  # audit rows read at a time looking for a change that lists a record (last_change's ``listing``)


def last_change(entity: str | tuple[str, ...], entity_id: int | list[int] | None, key: str = "",
                listing: tuple[str, Collection[int]] | None = None) -> tuple[str, str]:
    """(who, when) of the newest audited change of the record (``entity``: as the audit log names it, or
    the names of all that move its version on; ``entity_id``: its id, or the ids of its parts — a pair's
    谈话记录; with ``key``: of that part of it, a change naming it — one cell of a 考核表; with ``listing``
    (field, ids): of those changed many at once, a change listing one of ``ids`` under ``field`` — the
    postings given a 包抓人 in one go): who as ``张三（zhangsan）``, when as ``2026.06.15 10:22``; ('', '')
    when the audit log names none."""
    if isinstance(entity_id, list):
        same_id = AuditLog.entity_id.in_(entity_id)
    else:  # settings: none
        same_id = AuditLog.entity_id.is_null() if entity_id is None else AuditLog.entity_id == entity_id
    columns = (AuditLog.user, AuditLog.at) + ((AuditLog.changes,) if listing is not None else ())
    query = AuditLog.select(*columns).where(
        AuditLog.entity.in_([entity] if isinstance(entity, str) else list(entity)), same_id, AuditLog.action.in_(_CHANGES))
    if key:
        query = query.where(AuditLog.changes.contains(key))
    query = query.order_by(AuditLog.id.desc())
    row = query.first() if listing is None else _newest_listing(query, *listing)
    if row is None:
        return "", ""
    shown = User.select(User.display_name).where(User.username == row.user).scalar()
    who = f"{shown}（{row.user}）" if shown and shown != row.user else row.user
    return who, format_moment(row.at)


def _newest_listing(query, field: str, ids: Collection[int]):
    """The first row of ``query`` (audit rows, newest first) whose changes list one of ``ids`` under
    ``field`` (on either side), read a page at a time; None when none does."""
    wanted = set(ids)
    for page in itertools.count(1):
        rows = list(query.paginate(page, _PAGE))
        for row in rows:
            sides = json.loads(row.changes).get(field) if row.changes else None
            if any(isinstance(side, list) and not wanted.isdisjoint(side) for side in sides or ()):
                return row
        if len(rows) < _PAGE:
            return None
    return None


def stale(entity: str | tuple[str, ...], entity_id: int | list[int] | None, what: str, key: str = "",
          since: str = "在您开始编辑之后", then: str = "",
          listing: tuple[str, Collection[int]] | None = None) -> ConflictError:
    """The refusal of a save of ``what`` (考核方案“年度考核”) read before another's change (``key``,
    ``listing``: see last_change; ``since``: how it begins — ``SEEN`` for a delete, ``CHECKED`` for an
    import; ``then``: what the refusal goes on to say, what was not written and what to do). A box wraps
    the sentence where it likes, never between the day and the time (a no-break space joins them) nor
    inside the other's name with their login, 「赵经办（zhao）」 (kept together by word joiners);
    ``changed_by`` and ``changed_at`` as last_change gives them, plain."""
    who, when = last_change(entity, entity_id, key, listing)
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
