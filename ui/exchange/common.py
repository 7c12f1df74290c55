"""导入/导出's shared parts: the Excel file filter, the last folder used, reloading cadres after an import."""

from __future__ import annotations

from pathlib import Path

from ui.shell.context import AppContext

EXCEL_FILTER = "Excel 文件 (*.xlsx *.xlsm *.xls)"


def default_dir() -> str:
    from ui.widgets.window import settings

    return str(settings().value("exchange/last_dir", str(Path.home())))


def remember_dir(path: str) -> None:
    from ui.widgets.window import settings

    settings().setValue("exchange/last_dir", str(Path(path).parent if Path(path).suffix else Path(path)))


def reload_cadres(context: AppContext) -> None:
    """After an import: reload the in-memory index and tell every page."""
    window = context.main_window
    page = window.page("cadres") if window is not None else None
    if page is not None and hasattr(page, "load"):
        page.load()
    context.notify_cadres_changed([])
    context.units_changed.emit()
