"""Files the user picks: the Excel filter, the one folder a file dialog opens in (the last one used), and the reason an export or print
asks for (kept in its audit row)."""

from __future__ import annotations

from pathlib import Path

from ui.widgets import messages

EXCEL_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.ods)"


def default_dir() -> str:
    """Where a file dialog opens: the folder last saved to or read from (any export, import or PDF), at
    first the user's 文档 folder."""
    from PySide6.QtCore import QStandardPaths

    from ui.widgets.window import settings

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for folder in (settings().value("exchange/last_dir", ""), documents):
        if folder and Path(folder).is_dir():  # not a stick taken out since, nor a 文档 never made
            return str(folder)
    return str(Path.home())


def remember_dir(path: str) -> None:
    from ui.widgets.window import settings

    settings().setValue("exchange/last_dir", str(Path(path).parent if Path(path).suffix else Path(path)))


def ask_reason(parent, title: str) -> str | None:
    """The reason of an export, kept in its audit row; None when the user cancels."""
    label = "请填写导出事由（将记入审计日志），例如：报送上级、年度统计："
    while True:
        reason = messages.ask_text(parent, title, label)
        if reason is None:
            return None
        if reason.strip():
            return reason.strip()
        label = "事由不能为空。请填写导出事由（将记入审计日志）："
