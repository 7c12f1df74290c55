"""A page's refresh after a change made elsewhere: at once while the page is shown, otherwise when it is
shown next. The window keeps every visited page open and listening but shows one at a time; a change
such as a finalized annual 考核表 (thousands of profiles) must not make each hidden page reload on the
GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class ReloadWhenShown(QObject):
    """``changed()`` (connect it to the context's signals) reloads ``page`` now if the page is visible
    (``shown``, a reading through the task runner, or ``reload``), else marks it stale; the next show event
    reloads it (``reload``)."""

    def __init__(self, page: QWidget, reload: Callable[[], object],
                 shown: Callable[[], object] | None = None) -> None:
        super().__init__(page)
        self.page = page
        self._reload = reload
        self._shown = shown or reload  # the page shown when the change comes: through the task runner
        self.stale = False
        page.installEventFilter(self)

    def changed(self, *_args) -> None:
        if self.page.isVisible():
            self.stale = False
            self._shown()
        else:
            self.stale = True

    def flush(self) -> None:
        """Reload now if a change is waiting (the page made the change itself)."""
        if self.stale:
            self.stale = False
            self._reload()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.page and event.type() == QEvent.Show and self.stale:
            self.stale = False
            self._reload()
        return False
