"""The columns of the 审计日志, described once: the page's table and the exported workbook say the same
words in the same order (a key of audit.AuditEntry, its Chinese title)."""

from __future__ import annotations

AUDIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "序号"), ("at", "时间"), ("user", "用户"), ("action", "操作"), ("entity", "对象"),
    ("entity_id", "编号"), ("summary", "摘要"), ("changes", "修改内容"), ("reason", "事由"),
)
# the changed fields are long: the page shows them in a row's detail, the workbook in a column
ON_THE_PAGE = tuple((key, title) for key, title in AUDIT_COLUMNS if key != "changes")
