"""审计日志 as a workbook, for the 安全审计员: the rows the page's filters select, every one of them."""

from __future__ import annotations

from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.security import audit
from cadre_desk.security.audit_changes import changes_text
from cadre_desk.security.audit_columns import AUDIT_COLUMNS
from cadre_desk.store.db import write_transaction

TITLES = tuple(title for _key, title in AUDIT_COLUMNS)  # the page's words, described once
WIDTHS = (8, 20, 14, 10, 14, 8, 60, 60, 24)
CHANGES_COLUMN = [key for key, _title in AUDIT_COLUMNS].index("changes") + 1
# more than anyone reads, fewer than a sheet holds (1 048 576 rows)
MOST = 1_000_000


def export_audit(path: str | Path, progress: Progress = NO_PROGRESS, **filters) -> Path:
    """The audit rows that ``filters`` (audit.search's) select, newest first, to ``path``; the export itself
    is audited. Only the 安全审计员 may."""
    import openpyxl
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from cadre_desk.units import units
    from reports.excel.excel_roster import save_atomic

    permissions.require(permissions.AUDIT)
    progress.report(0, 0, "正在读取审计日志…")
    rows = audit.search(**filters, limit=MOST)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "审计日志"
    ws.append(list(TITLES))
    for column, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    unit_names = units.full_names() if rows else {}  # once, not for each row naming units
    wrapped = Alignment(wrap_text=True, vertical="top")
    for n, entry in enumerate(rows, 1):
        if n % 2000 == 0:
            progress.report(n, len(rows), f"正在写入：{n} / {len(rows)} 条")
        # the changed fields as the page's detail shows them: 出生年月："1986.05" → "1986.06", one a line
        changed = "\n".join(changes_text(entry.entity, entry.changes, unit_names))
        ws.append([entry.id, format_moment(entry.at, seconds=True), entry.user, entry.action, entry.entity,
                   entry.entity_id, entry.summary, changed, entry.reason or ""])
        if changed:
            ws.cell(row=n + 1, column=CHANGES_COLUMN).alignment = wrapped
    progress.seal()
    save_atomic(wb, Path(path))
    with write_transaction():
        audit.record(audit.EXPORT, "审计日志", None, f"导出审计日志 {len(rows)} 条 → {Path(path).name}")
    return Path(path)
