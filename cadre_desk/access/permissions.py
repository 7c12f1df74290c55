"""Who may do what. Every service calls ``require`` before it reads a full profile or changes,
prints or exports anything; the UI only hides what the service would refuse anyway.

Actions: READ (a full profile), EDIT (cadre data), PRINT, EXPORT, ADMIN (users, settings, backups),
AUDIT (read the audit log). An operator without roles is the OS user of a database that has no
accounts yet: everything is allowed until accounts are set up."""

from __future__ import annotations

from cadre_desk.access.context import current_operator
from cadre_desk.domain.errors import PermissionDenied

READ, EDIT, PRINT, EXPORT, ADMIN, AUDIT = "read", "edit", "print", "export", "admin", "audit"

ACTION_LABELS = {READ: "查阅", EDIT: "编辑", PRINT: "打印", EXPORT: "导出", ADMIN: "系统管理", AUDIT: "审计"}

# Filled by the accounts capability: function(operator, action, unit_id, cadre_id) -> str | None
# (a Chinese refusal, or None when allowed).
POLICIES: list = []
# Filled by the accounts capability: function(operator) -> set of unit ids the operator may read
# cadres in, or None for every unit. Lists of cadres are filtered through readable_unit_ids().
SCOPES: list = []


def check(action: str, *, unit_id: int | None = None, cadre_id: int | None = None) -> str | None:
    operator = current_operator()
    for policy in POLICIES:
        refusal = policy(operator, action, unit_id, cadre_id)
        if refusal:
            return refusal
    return None


def require(action: str, *, unit_id: int | None = None, cadre_id: int | None = None) -> None:
    refusal = check(action, unit_id=unit_id, cadre_id=cadre_id)
    if refusal:
        raise PermissionDenied(refusal)


def readable_unit_ids() -> set[int] | None:
    """Unit ids whose cadres the current operator may list, or None for all."""
    operator = current_operator()
    allowed: set[int] | None = None
    for scope in SCOPES:
        units = scope(operator)
        if units is not None:
            allowed = set(units) if allowed is None else allowed & set(units)
    return allowed
