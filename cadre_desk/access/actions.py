"""The actions an operator may take, and their Chinese names in refusals.

READ (a full profile), EDIT (cadre data), PRINT, EXPORT, ADMIN (users, settings, backups), AUDIT (read
the audit log), SUPERVISE (the 提醒 / 函询 / 诫勉 records of 干部监督: seen by nobody without it, not even
as a count). Services name them through ``permissions`` (``permissions.require(permissions.EDIT)``)."""

from __future__ import annotations

READ, EDIT, PRINT, EXPORT, ADMIN, AUDIT = "read", "edit", "print", "export", "admin", "audit"
SUPERVISE = "supervise"

ACTION_LABELS = {READ: "查阅", EDIT: "编辑", PRINT: "打印", EXPORT: "导出", ADMIN: "系统管理", AUDIT: "审计",
                 SUPERVISE: "查阅干部监督记录"}
