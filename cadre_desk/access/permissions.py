"""Who may do what. Every service calls ``require`` before it reads a full profile or changes,
prints or exports anything; the window disables what the service would refuse anyway.

Actions: READ (a full profile), EDIT (cadre data), PRINT, EXPORT, ADMIN (users, settings, backups),
AUDIT (read the audit log). The answer comes from the operator's scope (cadre_desk.access.scope):
roles, units and 回避, worked out once per operator. An operator without roles is the OS user of a
database that has no accounts yet: everything is allowed until accounts are set up."""

from __future__ import annotations

from cadre_desk.access import scope

# The actions, named here for the services: permissions.require(permissions.EDIT).
from cadre_desk.access.actions import (  # noqa: F401
    ACTION_LABELS,
    ADMIN,
    AUDIT,
    EDIT,
    EXPORT,
    PRINT,
    READ,
    SUPERVISE,
)
from cadre_desk.domain.errors import PermissionDenied


def check(action: str, *, unit_id: int | None = None, cadre_id: int | None = None) -> str | None:
    """Why the current operator may not do ``action`` (on this unit / cadre), or None."""
    return scope.current().refusal(action, unit_id=unit_id, cadre_id=cadre_id)


def require(action: str, *, unit_id: int | None = None, cadre_id: int | None = None, doing: str = "") -> None:
    """PermissionDenied (a Chinese message) unless the current operator may do ``action`` (``doing``: how a
    回避 refusal names what was being done — 修改, 删除 …)."""
    scope.current().require(action, unit_id=unit_id, cadre_id=cadre_id, doing=doing)


def check_all_units(action: str, message: str) -> str | None:
    """Why the current operator may not change county-wide configuration shared by every unit (战线,
    岗位 …): ``action``'s role refusal, else ``message`` for an operator limited to some units, else None.
    Without accounts (one user) nothing is refused."""
    current = scope.current()
    refused = current.role_refusal(action)
    if refused:
        return refused
    return None if current.every_unit else message


def require_all_units(action: str, message: str) -> None:
    """PermissionDenied unless the current operator may do ``action`` and keeps every unit."""
    refused = check_all_units(action, message)
    if refused:
        raise PermissionDenied(refused)
