"""A save of a stale copy (the record's ``version`` moved on since the edit began): the one way every
service refuses it — a ``ConflictError`` that says, in Chinese, who changed the record and when (the
newest audit row of its change), so that the user can choose between the other's change and their own."""

from __future__ import annotations

from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import ConflictError
from cadre_desk.security import audit
from cadre_desk.store.models import AuditLog
from cadre_desk.store.security_models import User

_CHANGES = (audit.CREATE, audit.UPDATE, audit.DELETE, audit.IMPORT)
# The end of an audit row's summary when the user, told of another's later change, saved theirs over it.
OVERWROTE = "（覆盖了他人在此期间保存的修改）"


def last_change(entity: str | tuple[str, ...], entity_id: int, key: str = "") -> tuple[str, str]:
    """(who, when) of the newest audited change of the record (``entity``: as the audit log names it, or
    the names of all that move its version on; with ``key``: of that part of it, a
    change naming it — one cell of a 考核表): who as ``张三（zhangsan）``, when as ``2026.06.15 10:22``;
    ('', '') when the audit log names none."""
    query = AuditLog.select(AuditLog.user, AuditLog.at).where(
        AuditLog.entity.in_([entity] if isinstance(entity, str) else list(entity)), AuditLog.entity_id == entity_id, AuditLog.action.in_(_CHANGES))
    if key:
        query = query.where(AuditLog.changes.contains(key))
    row = query.order_by(AuditLog.id.desc()).first()
    if row is None:
        return "", ""
    shown = User.select(User.display_name).where(User.username == row.user).scalar()
    who = f"{shown}（{row.user}）" if shown and shown != row.user else row.user
    return who, format_moment(row.at)


def stale(entity: str | tuple[str, ...], entity_id: int, what: str, key: str = "") -> ConflictError:
    """The refusal of a save of ``what`` (考核方案“年度考核”) read before another's change (``key``: see
    last_change)."""
    who, when = last_change(entity, entity_id, key)
    if who:
        message = f"在您开始编辑之后，{what}已被 {who} 于 {when} 修改并保存。"
    else:
        message = f"在您开始编辑之后，{what}已被他人修改并保存。"
    return ConflictError(message, changed_by=who, changed_at=when)


__all__ = ["OVERWROTE", "last_change", "stale"]
