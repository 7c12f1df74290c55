"""The four roles (三员分立 and least privilege) and the actions each may take.

- 系统管理员: users, settings, backups — never cadre data.
- 安全审计员: reads the audit log only.
- 经办人: reads, edits, prints and exports cadres in the unit subtrees assigned to them.
- 查阅人: reads cadres in their unit subtrees, nothing else."""

from __future__ import annotations

from cadre_desk.access.actions import ADMIN, AUDIT, EDIT, EXPORT, PRINT, READ

ROLE_ADMIN, ROLE_AUDITOR, ROLE_CLERK, ROLE_READER = "系统管理员", "安全审计员", "经办人", "查阅人"
ROLES = (ROLE_ADMIN, ROLE_AUDITOR, ROLE_CLERK, ROLE_READER)
ROLE_ACTIONS = {
    ROLE_ADMIN: frozenset({ADMIN}),
    ROLE_AUDITOR: frozenset({AUDIT}),
    ROLE_CLERK: frozenset({READ, EDIT, PRINT, EXPORT}),
    ROLE_READER: frozenset({READ}),
}
# Actions on cadre data: limited to the operator's units; EDIT and PRINT also by 回避.
CADRE_ACTIONS = frozenset({READ, EDIT, PRINT, EXPORT})
EVERY_ACTION = frozenset({READ, EDIT, PRINT, EXPORT, ADMIN, AUDIT})


def actions_of(roles) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(out)
