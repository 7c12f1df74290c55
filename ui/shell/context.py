"""What every page of the window shares: the cadre index, the task runner, the main window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from cadre_desk.access import permissions

if TYPE_CHECKING:
    from cadre_desk.profiles.cadre_list import CadreIndex


class AppContext(QObject):
    """Shared state and signals. Pages listen to ``cadres_changed`` to refresh themselves."""

    cadres_changed = Signal(list)  # ids created, changed or deleted ([] = reload everything)
    units_changed = Signal()
    data_changed = Signal(str)  # a capability's name ("postings", "mentoring" …) after a change
    status_message = Signal(str)
    index_loaded = Signal()  # the cadre index was (re)loaded off the GUI thread
    session_must_end = Signal(str)  # why (a restore replaced the accounts): the shell asks for a login

    def __init__(self, db_path: Path | None = None, readonly: bool = False):
        super().__init__()
        self.db_path = db_path
        self.db_readonly = readonly
        self.index: CadreIndex | None = None
        self.main_window = None
        from ui.widgets.tasks import TaskRunner

        self.tasks = TaskRunner(self)

    @property
    def readonly(self) -> bool:
        """True when nothing may be edited: a read-only database, or a role without 编辑 (查阅人 …).
        Pages disable their write actions on it; the services refuse anyway."""
        return self.db_readonly or not self.allows(permissions.EDIT)

    @staticmethod
    def allows(action: str, *, cadre_id: int | None = None) -> bool:
        """May the logged-in operator do this (``permissions`` action)? Used to hide what would be refused."""
        return not action or permissions.check(action, cadre_id=cadre_id) is None

    @staticmethod
    def refusals(action: str, cadre_ids) -> dict[int, str]:
        """cadre id → why ``action`` on it would be refused, for the refused ones (one query per 500
        cadres): rows and actions to disable."""
        from cadre_desk.access import scope

        return scope.current().refusals(action, cadre_ids)

    def selected_cadre_ids(self) -> list[int]:
        """The selection of the cadre list page (empty when it is not open)."""
        window = self.main_window
        page = window.page("cadres") if window is not None else None
        return page.selected_ids() if page is not None else []

    def notify_cadres_changed(self, ids: list[int], rows: list[tuple] | None = None) -> None:
        """``rows``: the index rows of ``ids`` already read off the GUI thread (cadre_list.read_rows)."""
        if self.index is not None and ids:
            if rows is None:
                self.index.refresh_many(ids)
            else:
                self.index.apply_rows(ids, rows)
        self.cadres_changed.emit(list(ids))

    def open_profile(self, cadre_id: int | None, parent=None, unit_id: int | None = None) -> None:
        from ui.profiles.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self, cadre_id, parent or self.main_window, unit_id=unit_id)
        dialog.exec()
