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
    # One line per capability (registration on import).
    # isort: off
    from ui import cadre_list  # noqa: F401
    from ui import units_view  # noqa: F401
    from ui import postings_view  # noqa: F401
    from ui import mentoring_view  # noqa: F401
    from ui import appraisal_view  # noqa: F401
    from ui import print_view  # noqa: F401
    from ui import exchange_view  # noqa: F401 - 导入/导出 menus and dialogs
    from ui import audit_view  # noqa: F401 - 审计日志
    from ui import security  # noqa: F401 - 工具菜单: backup, restore, encryption, users
    from ui import users_view  # noqa: F401 - 用户管理
    # isort: on
