"""工作提醒: the reminders every capability registers, on a dock of the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.home import reminders
from ui.shell.context import AppContext


class RemindersPanel(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.itemDoubleClicked.connect(self._open)
        self.summary = QLabel("正在汇总提醒…")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(500)
        self._pending.timeout.connect(self.refresh)
        context.data_changed.connect(lambda _name: self._pending.start())
        context.cadres_changed.connect(lambda _ids: self._pending.start())
        self.items: list[reminders.Reminder] = []
        self._loading = False

    def refresh(self) -> None:
        if self._loading:
            self._pending.start()
            return
        self._loading = True

        def done(items):
            self._loading = False
            self.show_items(items)

        def failed(message):
            self._loading = False
            self.summary.setText(f"提醒汇总失败：{message}")

        self.context.tasks.start(lambda _p: reminders.collect(), on_done=done, on_error=failed)

    def show_items(self, items: list[reminders.Reminder]) -> None:
        self.items = items
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for reminder in items:
            group = groups.get(reminder.category)
            if group is None:
                group = QTreeWidgetItem([reminder.category])
                groups[reminder.category] = group
                self.tree.addTopLevelItem(group)
            child = QTreeWidgetItem([reminder.text])
            child.setToolTip(0, reminder.text + ("\n双击打开干部档案" if reminder.cadre_id else ""))
            child.setData(0, Qt.UserRole, reminder.cadre_id)
            if reminder.level == "warning":
                child.setForeground(0, Qt.darkRed)
            group.addChild(child)
        for name, group in groups.items():
            group.setText(0, f"{name}（{group.childCount()}）")
            group.setExpanded(group.childCount() <= 20)
        self.summary.setText(f"共 {len(items)} 条提醒" if items else "暂无提醒")

    def _open(self, item: QTreeWidgetItem) -> None:
        cadre_id = item.data(0, Qt.UserRole)
        if cadre_id:
            self.context.open_profile(int(cadre_id), self)


def add_reminders_dock(window, context: AppContext) -> QDockWidget:
    dock = QDockWidget("工作提醒", window)
    dock.setObjectName("reminders_dock")
    panel = RemindersPanel(context, dock)
    dock.setWidget(panel)
    dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.resize(320, dock.height())
    QTimer.singleShot(800, panel.refresh)  # after the window is up; never slows the start
    return dock
