"""Every capability's window parts, registered in one place (import order = menu order)."""

from __future__ import annotations

_REGISTERED = False


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk.features import register_all as register_core

    register_core()
    from ui import (
        appraisal_view,  # noqa: F401 - 实绩考核
        cadre_list,  # noqa: F401 - registration on import
        exchange_view,  # noqa: F401 - 导入/导出 menus and dialogs
        mentoring_view,  # noqa: F401 - 导师帮带
        postings_view,  # noqa: F401 - registration on import
    )
