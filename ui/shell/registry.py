"""Extension points of the window. A capability adds itself with a few lines in ui/shell/features.py,
naming its module lazily (see ``lazy``).

- MODULES: pages in the navigation pane (干部名册, 一线锻炼, 导师帮带 …).
- PROFILE_TABS: extra tabs on the cadre profile dialog (一线经历, 导师帮带 …).
- CADRE_ACTIONS: actions on the cadre list's selection (选派到岗位, 结对, 打印鉴定报告, 导出花名册 …),
  shown in the list's context menu and the 干部 menu.
- MENU_ACTIONS: extra items in the main window's menus (文件/工具/帮助…).
- RECORD_OPENERS: how a click on a reminder of the 工作台 opens its record: the kind a reminder names
  (cadre_desk.home.reminders: "cadre", "posting", "post", "pair", "unit" …) → (context, record id).
Each spec names the permissions action it ``needs``: the window hides what the operator's roles
would be refused (the services refuse it anyway).
Reminders come from the core: cadre_desk.home.reminders.PROVIDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cadre_desk.access import permissions
from cadre_desk.lazy import lazy  # noqa: F401 - ui.shell.features names its parts through it

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.shell.context import AppContext


@dataclass(frozen=True)
class ModuleSpec:
    key: str
    title: str  # Chinese, shown in the navigation pane
    factory: Callable[[AppContext], QWidget]
    order: int = 100
    icon: str = ""  # file name under resources/icons
    needs: str = permissions.READ  # the permissions action the operator needs to see the page


@dataclass(frozen=True)
class ProfileTabSpec:
    title: str
    factory: Callable[[AppContext, int], QWidget]  # (context, cadre_id) → tab widget
    order: int = 100


@dataclass(frozen=True)
class CadreActionSpec:
    title: str
    callback: Callable[[AppContext, list[int]], Any]  # (context, selected cadre ids)
    order: int = 100
    min_selection: int = 1
    needs: str = permissions.EDIT


@dataclass(frozen=True)
class MenuActionSpec:
    menu: str  # 文件 / 编辑 / 干部 / 工具 / 帮助
    title: str
    callback: Callable[[AppContext], Any]
    order: int = 100
    needs: str = ""  # a permissions action, or "" for everybody
    # why the action cannot be used in this window ("" when it can): shown greyed with this as its tip
    unavailable: Callable[[AppContext], str] | None = None


MODULES: list[ModuleSpec] = []
PROFILE_TABS: list[ProfileTabSpec] = []
CADRE_ACTIONS: list[CadreActionSpec] = []
MENU_ACTIONS: list[MenuActionSpec] = []
RECORD_OPENERS: dict[str, Callable[[AppContext, int], Any]] = {}
