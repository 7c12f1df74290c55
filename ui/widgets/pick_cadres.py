"""A dialog to pick several cadres one by one (double-click, Enter or 加入 →) through the one CadrePicker: 考核表
members, 提醒单 recipients, a talent pool's new members. Subclasses name it (``title``, ``ok_text``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.form_dialog import FormDialog


class PickCadresDialog(FormDialog):
    """``ids()`` are the cadres chosen, in the order they were added; only cadres the operator may read
    are ever offered (the picker's own rule)."""

    title = "选择干部"
    asks_before_closing = False  # a choice of people, made again in a moment

    def __init__(self, parent=None, context=None):
        super().__init__(parent)
        self.context = context or parent.context
        self.picker = CadrePicker(self.context, status="", multi=True)
        self.chosen = QListWidget()
        add = QPushButton("加入 →")
        add.clicked.connect(self._add)
        self.picker.results.itemDoubleClicked.connect(lambda _i: self._add())
        self.picker.search.installEventFilter(self)
        self.picker.results.installEventFilter(self)
        chosen = QVBoxLayout()
        chosen.addWidget(QLabel("已选（双击左侧的干部，或选中后点“加入 →”）"))
        chosen.addWidget(self.chosen, 1)
        row = QHBoxLayout()
        row.addWidget(self.picker, 3)  # a line reads 姓名 单位职务 出生年月: the wider side
        row.addWidget(add)
        row.addLayout(chosen, 2)
        self.body.addLayout(row)
        self.resize(940, 480)

    def _add(self) -> None:
        have = set(self.ids())
        for item in self.picker.results.selectedItems():
            cadre_id = item.data(Qt.UserRole)
            if cadre_id is not None and cadre_id not in have:
                copy = QListWidgetItem(item.text())
                copy.setData(Qt.UserRole, cadre_id)
                self.chosen.addItem(copy)
                have.add(cadre_id)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Enter on a name typed, or on the cadres highlighted, adds them to 已选 (it was 确定: the dialog closed
        with nobody chosen); Enter in an empty search box is still 确定."""
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and (watched is self.picker.search and self.picker.search.text().strip()
                     or watched is self.picker.results and self.picker.results.selectedItems())):
            self._enter(watched is self.picker.search)
            return True
        return super().eventFilter(watched, event)

    def _enter(self, typed: bool) -> None:
        """The cadres highlighted, else the first found for the words typed, join 已选; the search box is
        emptied for the next name."""
        results = self.picker.results
        if typed:
            self.picker.refresh()  # the words typed, searched now (not after the typing pause)
            if not results.selectedItems():
                found = [results.item(i) for i in range(results.count())
                         if results.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]
                if not found:
                    return
                results.setCurrentItem(found[0])
        self._add()
        self.picker.search.clear()
        self.picker.search.setFocus()

    def ids(self) -> list[int]:
        return [self.chosen.item(i).data(Qt.UserRole) for i in range(self.chosen.count())]

    def save_work(self):
        ids = self.ids()
        return self.add_work(ids) if ids else None  # nobody picked: accept() closes, nothing to add

    def add_work(self, ids: list[int]):
        """A dialog that adds the picked cadres somewhere returns ``work(progress)`` doing it (run through the
        task runner: progress, 取消, all or nothing); plain picking (the caller reads ``ids()``): None."""
        return None
