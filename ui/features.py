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
    import ui.audit_view  # noqa: F401 - 审计日志
    import ui.security  # noqa: F401 - 工具菜单: backup, restore, encryption, users
    import ui.users_view  # noqa: F401 - 用户管理
    from ui import cadre_list  # noqa: F401 - registration on import
