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
        cadre_list,  # noqa: F401 - registration on import
        exchange_view,  # noqa: F401 - 导入/导出 menus and dialogs
    )
