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


def check(action: str, *, unit_id: int | None = None, cadre_id: int | None = None) -> str | None:
    """Why the current operator may not do ``action`` (on this unit / cadre), or None."""
    return scope.current().refusal(action, unit_id=unit_id, cadre_id=cadre_id)


def require(action: str, *, unit_id: int | None = None, cadre_id: int | None = None) -> None:
    """PermissionDenied (a Chinese message) unless the current operator may do ``action``."""
    scope.current().require(action, unit_id=unit_id, cadre_id=cadre_id)
