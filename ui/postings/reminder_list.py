"""The 一线锻炼 reminders as a list; a double click opens the posting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
)

from cadre_desk.postings import posting_reminders


class ReminderList(QListWidget):
    """The reminders of this capability; double click opens the cadre."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.itemDoubleClicked.connect(self._open)
        # A long reminder wraps instead of running off to the right: read in full without scrolling.
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def reload(self) -> int:
        return self.set_items(posting_reminders.reminders())

    def set_items(self, items) -> int:
        self.clear()
        for r in items:
            item = QListWidgetItem(("⚠ " if r.level == "warning" else "· ") + r.text)
            item.setData(Qt.UserRole, r.cadre_id)
            if r.level == "warning":
                item.setForeground(Qt.darkRed)
            self.addItem(item)
        return len(items)

    def _open(self, item: QListWidgetItem) -> None:
        cadre_id = item.data(Qt.UserRole)
        if cadre_id:
            self.context.open_profile(cadre_id, self)
