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
    from ui import (  # noqa: F401 - 审计日志, 用户管理, 工具菜单
        audit_view,
        cadre_list,  # noqa: F401 - registration on import
        security,
        users_view,
    )
