"""单位管理: the unit tree with cadre counts; add, rename, move, delete (only when empty)."""

from __future__ import annotations

from collections import Counter
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.profiles.cadre_list import COL, CadreFilter
from cadre_desk.units import units
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog


class MoveDialog(FormDialog):
    """Pick the new parent of a unit (its own subtree excluded)."""

    ok_text = "移动"

    def __init__(self, unit: units.UnitInfo, all_units: list[units.UnitInfo], parent=None):
        super().__init__(parent, f"移动单位 — {unit.name}")
        self.combo = QComboBox()
        self.combo.addItem("（作为顶级单位）", None)
        for other in all_units:
            if other.path.startswith(unit.path):
                continue
            self.combo.addItem("　" * other.depth + other.name, other.id)
        pos = self.combo.findData(unit.parent_id)
        self.combo.setCurrentIndex(max(0, pos))
        self.body.addWidget(QLabel(f"把“{unit.name}”及其下级单位移到："))
        self.body.addWidget(self.combo)
        self.resize(420, 140)


class UnitTree(QTreeWidget):
    """Drag a unit onto another to make it a child there (or between units: a sibling)."""

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setDefaultDropAction(Qt.MoveAction)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        dragged = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.setDropAction(Qt.IgnoreAction)
        event.accept()  # the tree is rebuilt from the database; Qt must not move the item itself
        if dragged is None:
            return
        if target is None:
            parent_id = None
        elif self.dropIndicatorPosition() == QAbstractItemView.OnItem:
            parent_id = target.data(0, Qt.UserRole)
        else:
            parent_id = target.parent().data(0, Qt.UserRole) if target.parent() else None
        unit_id = dragged.data(0, Qt.UserRole)
        # after the drag has finished: moving rebuilds the tree and deletes these items
        QTimer.singleShot(0, lambda: self.page.move_to(unit_id, parent_id))


class UnitsPage(QWidget):
    def __init__(self, context):
        super().__init__()
        self.context = context
        self.tree = UnitTree(self)
        self.tree.setDragEnabled(not context.readonly)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["单位", "本单位干部", "含下级干部"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Fixed)
        header.setSectionResizeMode(2, QHeaderView.Fixed)
        header.resizeSection(1, 100)
        header.resizeSection(2, 100)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.rename())

        self.add_top_button = QPushButton("新建顶级单位")
        self.add_child_button = QPushButton("新建下级单位")
        self.rename_button = QPushButton("重命名")
        self.move_button = QPushButton("移动到…")
        self.delete_button = QPushButton("删除")
        self.show_cadres_button = QPushButton("查看本单位干部")
        self.show_cadres_button.clicked.connect(self.show_cadres)
        self.add_top_button.clicked.connect(lambda: self.add_unit(None))
        self.add_child_button.clicked.connect(lambda: self.add_unit(self.current_unit_id()))
        self.rename_button.clicked.connect(self.rename)
        self.move_button.clicked.connect(self.move)
        self.delete_button.clicked.connect(self.delete)
        bar = QHBoxLayout()
        for button in (self.add_top_button, self.add_child_button, self.rename_button, self.move_button,
                       self.delete_button):
            bar.addWidget(button)
            button.setEnabled(not context.readonly)
        bar.addWidget(self.show_cadres_button)
        bar.addStretch(1)
        self.summary = QLabel()
        bar.addWidget(self.summary)

        layout = QVBoxLayout(self)
        title = QLabel("单位管理")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addLayout(bar)
        self.details = QLabel()
        self.details.setObjectName("unitDetails")
        self.details.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.details.setWordWrap(True)
        self.details.setMinimumWidth(260)
        body = QHBoxLayout()
        body.addWidget(self.tree, 3)
        body.addWidget(self.details, 2)
        layout.addLayout(body, 1)
        hint = QLabel("提示：双击单位可重命名；把单位拖到另一单位上可移到其下；只有没有下级单位和干部的单位才能删除。")
        hint.setObjectName("hint")
        layout.addWidget(hint)

        context.cadres_changed.connect(lambda _ids: self.refresh_counts())
        context.units_changed.connect(self.reload)
        index_loaded = getattr(context, "index_loaded", None)
        if index_loaded is not None:
            index_loaded.connect(self.refresh_counts)
        self.reload()

    # ---- tree -----------------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.current_unit_id()
        expanded = {item.data(0, Qt.UserRole) for item in self._items() if item.isExpanded()}
        first = not self.tree.topLevelItemCount()
        self.all_units = units.list_units()
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for unit in self.all_units:
            parent = items.get(unit.parent_id)
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
            item.setText(0, unit.name)
            item.setData(0, Qt.UserRole, unit.id)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignRight | Qt.AlignVCenter)
            items[unit.id] = item
            if first and unit.depth == 0 or unit.id in expanded:
                item.setExpanded(True)
        self.refresh_counts()
        if current in items:
            self.tree.setCurrentItem(items[current])
        self._update_buttons()

    def _items(self):
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            yield iterator.value()
            iterator += 1

    def item_of(self, unit_id: int) -> QTreeWidgetItem | None:
        for item in self._items():
            if item.data(0, Qt.UserRole) == unit_id:
                return item
        return None

    def refresh_counts(self) -> None:
        index = self.context.index
        if index is None:
            for item in self._items():
                item.setText(1, "")
                item.setText(2, "")
            self.summary.setText(f"共 {len(self.all_units)} 个单位")
            return
        col = COL["unit"]
        direct = Counter(row[col] for row in index.filter(CadreFilter()))
        by_path = {u.id: u.path for u in self.all_units}
        total: Counter = Counter()
        for unit_id, count in direct.items():
            path = by_path.get(unit_id)
            if path:
                for part in path.strip("/").split("/"):
                    total[int(part)] += count
        for item in self._items():
            unit_id = item.data(0, Qt.UserRole)
            item.setText(1, str(direct.get(unit_id, 0)))
            item.setText(2, str(total.get(unit_id, 0)))
        self._show_details()
        self.summary.setText(f"共 {len(self.all_units)} 个单位，{len(index)} 名干部")

    def current_unit_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else None

    def select_unit(self, unit_id: int) -> None:
        item = self.item_of(unit_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _update_buttons(self) -> None:
        has = self.current_unit_id() is not None and not self.context.readonly
        for button in (self.add_child_button, self.rename_button, self.move_button, self.delete_button):
            button.setEnabled(has)
        self.show_cadres_button.setEnabled(self.current_unit_id() is not None)
        self._show_details()

    def _show_details(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self.details.setText("在左侧选择一个单位，可新建下级单位、重命名、移动或删除。")
            return
        names = []
        parent = item
        while parent is not None:
            names.append(parent.text(0))
            parent = parent.parent()
        lines = [f"<b>{escape(item.text(0))}</b>", "", f"上级：{escape(' / '.join(reversed(names[1:])) or '无（顶级单位）')}",
                 f"下级单位：{item.childCount()} 个"]
        if item.text(1):
            lines += [f"本单位干部：{item.text(1)} 人", f"含下级单位干部：{item.text(2)} 人"]
        self.details.setText("<br>".join(lines))

    def show_cadres(self) -> None:
        """Open the cadre list filtered to the selected unit and its subtree."""
        unit_id = self.current_unit_id()
        window = self.context.main_window
        if unit_id is None or window is None:
            return
        page = window.show_module("cadres")
        if page is not None:
            pos = page.unit_combo.findData(unit_id)
            if pos >= 0:
                page.unit_combo.setCurrentIndex(pos)

    # ---- actions --------------------------------------------------------------------------------
    def _changed(self, select: int | None = None) -> None:
        self.context.units_changed.emit()  # reloads this tree and the cadre list's unit filter
        if select is not None:
            self.select_unit(select)

    def _error(self, title: str, exc: CadreDeskError) -> None:
        messages.error(self, title, exc)

    def ask_name(self, title: str, label: str, text: str = "") -> str | None:
        return messages.ask_text(self, title, label, text)

    def add_unit(self, parent_id: int | None) -> units.UnitInfo | None:
        parent_name = next((u.name for u in self.all_units if u.id == parent_id), "")
        label = f"在“{parent_name}”下新建单位，名称：" if parent_id else "顶级单位名称："
        name = self.ask_name("新建单位", label)
        if not name:
            return None
        try:
            unit = units.create_unit(name, parent_id)
        except CadreDeskError as exc:
            self._error("新建单位", exc)
            return None
        self._changed(unit.id)
        return unit

    def rename(self) -> None:
        unit_id = self.current_unit_id()
        if unit_id is None or self.context.readonly:
            return
        unit = units.get_unit(unit_id)
        name = self.ask_name("重命名单位", "新名称：", unit.name)
        if not name or name == unit.name:
            return
        try:
            units.rename_unit(unit_id, name, unit.version)
        except CadreDeskError as exc:
            self._error("重命名单位", exc)
            return
        self._changed(unit_id)

    def ask_parent(self, unit: units.UnitInfo) -> tuple[bool, int | None]:
        dialog = MoveDialog(unit, self.all_units, self)
        if dialog.exec() != QDialog.Accepted:
            return False, None
        return True, dialog.combo.currentData()

    def move(self) -> None:
        unit_id = self.current_unit_id()
        if unit_id is None:
            return
        unit = units.get_unit(unit_id)
        ok, parent_id = self.ask_parent(unit)
        if ok:
            self.move_to(unit_id, parent_id)

    def move_to(self, unit_id: int, parent_id: int | None) -> bool:
        if self.context.readonly:
            return False
        unit = units.get_unit(unit_id)
        if parent_id == unit.parent_id:
            return False
        try:
            units.move_unit(unit_id, parent_id, unit.version)
        except CadreDeskError as exc:
            self._error("移动单位", exc)
            return False
        self._changed(unit_id)
        return True

    def delete(self) -> bool:
        unit_id = self.current_unit_id()
        if unit_id is None:
            return False
        unit = units.get_unit(unit_id)
        if not messages.confirm(self, "删除单位", f"确定删除单位“{unit.name}”吗？", "删除", danger=True):
            return False
        try:
            units.delete_unit(unit_id)
        except CadreDeskError as exc:
            self._error("删除单位", exc)
            return False
        self._changed()
        return True
