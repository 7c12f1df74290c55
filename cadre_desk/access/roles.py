"""The four roles (三员分立 and least privilege) and the actions each may take.

- 系统管理员: users, settings, backups — never cadre data.
- 安全审计员: reads the audit log only.
- 经办人: reads, edits, prints and exports cadres in the unit subtrees assigned to them.
- 查阅人: reads cadres in their unit subtrees, nothing else.
- 干部监督: granted beside 经办人 or 查阅人, never alone: the 提醒 / 函询 / 诫勉 records of the cadres in
  the same unit subtrees (kept and changed with 编辑 too). Without it those records do not exist for the
  operator: no page, no row, no count, no line on a document."""

from __future__ import annotations

from cadre_desk.access.actions import ADMIN, AUDIT, EDIT, EXPORT, PRINT, READ, SUPERVISE

ROLE_ADMIN, ROLE_AUDITOR, ROLE_CLERK, ROLE_READER = "系统管理员", "安全审计员", "经办人", "查阅人"
ROLE_SUPERVISION = "干部监督"
ROLES = (ROLE_ADMIN, ROLE_AUDITOR, ROLE_CLERK, ROLE_READER, ROLE_SUPERVISION)
# Roles granted only beside one of these (a grant, not a job of its own).
ADD_ON_ROLES = {ROLE_SUPERVISION: (ROLE_CLERK, ROLE_READER)}
ROLE_ACTIONS = {
    ROLE_ADMIN: frozenset({ADMIN}),
    ROLE_AUDITOR: frozenset({AUDIT}),
    ROLE_CLERK: frozenset({READ, EDIT, PRINT, EXPORT}),
    ROLE_READER: frozenset({READ}),
    ROLE_SUPERVISION: frozenset({SUPERVISE}),
}
# Actions on cadre data: limited to the operator's units; EDIT and PRINT also by 回避, and SUPERVISE (even
# reading those records) too: scope.AVOIDED_READS.
CADRE_ACTIONS = frozenset({READ, EDIT, PRINT, EXPORT, SUPERVISE})
EVERY_ACTION = frozenset({READ, EDIT, PRINT, EXPORT, ADMIN, AUDIT, SUPERVISE})


def actions_of(roles) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(out)
