"""导入/导出's shared part: reloading cadres after an import."""

from __future__ import annotations

from ui.shell.context import AppContext


def reload_cadres(context: AppContext) -> None:
    """After an import: reload the in-memory index and tell every page."""
    window = context.main_window
    page = window.page("cadres") if window is not None else None
    if page is not None and hasattr(page, "load"):
        page.load()
    context.notify_cadres_changed([])
    context.units_changed.emit()
