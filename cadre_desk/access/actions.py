"""The actions an operator may take, and their Chinese names in refusals.

READ (a full profile), EDIT (cadre data), PRINT, EXPORT, ADMIN (users, settings, backups), AUDIT (read
the audit log). Services name them through ``permissions`` (``permissions.require(permissions.EDIT)``)."""

from __future__ import annotations

READ, EDIT, PRINT, EXPORT, ADMIN, AUDIT = "read", "edit", "print", "export", "admin", "audit"

ACTION_LABELS = {READ: "查阅", EDIT: "编辑", PRINT: "打印", EXPORT: "导出", ADMIN: "系统管理", AUDIT: "审计"}
