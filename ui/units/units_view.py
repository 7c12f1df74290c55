"""单位管理: the unit tree (简称, 类别, cadre counts, 职数) and beside it the selected unit's 全称 and
职数 (核定 / 实配 / 空缺, over-staffing in red); add, edit, move, delete (only when empty)."""

from __future__ import annotations

from collections import Counter
from html import escape
from operator import attrgetter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import scope as access_scope
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import STAFFING, UNIT
from cadre_desk.profiles.cadre_list import COL, CadreFilter
from cadre_desk.units import staffing, units
from ui.units.unit_dialogs import OVER_BACKGROUND, OVER_COLOUR, MoveDialog, StaffingDialog, UnitDialog
from ui.widgets import messages
from ui.widgets.columns import title_width, widen_to_titles
from ui.widgets.rows_model import CENTER, Column, RowsModel
from ui.widgets.when_shown import ReloadWhenShown

NAME, KIND, DIRECT, TOTAL, STAFFING_COLUMN = range(5)
BLANK_WHEN_NONE = ("vacant", "over")  # 空缺 0 and 超职数 0 are left empty: the eye finds the others
OUTSIDE_COLOUR = "#8a9099"  # a unit outside the operator's units, and above none of them
OUTSIDE = "不在您负责的单位范围内，看不到其干部。"


def _staffing_cell(key: str):
    get = attrgetter(key)
    return (lambda line: get(line) or "") if key in BLANK_WHEN_NONE else get


STAFFING_COLUMNS = [Column(spec.label, _staffing_cell(spec.key), spec.width,
                           align=CENTER if spec.kind == "number" else None, key=spec.key)
                    for spec in STAFFING.fields]


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
        self.all_units: list[units.UnitInfo] = []
        self.reachable: set[int] | None = None  # units whose cadres the operator sees, and those above
        self.staffing: dict[int, staffing.UnitStaffingSummary] = {}
        self.tree = UnitTree(self)
        self.tree.setDragEnabled(not context.readonly)
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([UNIT.label, UNIT.field("kind").label, "本单位干部", "含下级干部", "职数 核定/实配"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.ensurePolished()  # the style sheet's padding counted in the titles' width
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((KIND, 80), (DIRECT, 80), (TOTAL, 80), (STAFFING_COLUMN, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(width, title_width(header, column)))
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit())

        self.add_top_button = QPushButton("新建顶级单位")
        self.add_child_button = QPushButton("新建下级单位")
        self.edit_button = QPushButton("编辑…")
        self.move_button = QPushButton("移动到…")
        self.delete_button = QPushButton("删除")
        self.show_cadres_button = QPushButton("查看本单位干部")
        self.show_cadres_button.clicked.connect(self.show_cadres)
        self.add_top_button.clicked.connect(lambda: self.add_unit(None))
        self.add_child_button.clicked.connect(lambda: self.add_unit(self.current_unit_id()))
        self.edit_button.clicked.connect(self.edit)
        self.move_button.clicked.connect(self.move)
        self.delete_button.clicked.connect(self.delete)
        bar = QHBoxLayout()
        for button in (self.add_top_button, self.add_child_button, self.edit_button, self.move_button,
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
        body = QHBoxLayout()
        body.addWidget(self.tree, 3)
        body.addLayout(self._side_panel(), 2)
        layout.addLayout(body, 1)
        hint = QLabel("提示：双击单位可编辑单位全称、简称和类别；把单位拖到另一单位上可移到其下；只有没有下级单位和干部的单位才能删除。"
                      "实配为本单位在职干部人数，超出核定职数的以红色标出。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        # hidden (another page shown): counted again when shown
        self._counts_when_shown = ReloadWhenShown(self, self.refresh_counts)
        context.cadres_changed.connect(self._counts_when_shown.changed)
        context.units_changed.connect(self.reload)
        index_loaded = getattr(context, "index_loaded", None)
        if index_loaded is not None:
            index_loaded.connect(self.refresh_counts)
        self.reload()

    def _side_panel(self) -> QVBoxLayout:
        """Beside the tree: the selected unit's names and place, then its 职数."""
        self.details = QLabel()
        self.details.setObjectName("unitDetails")
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setWordWrap(True)
        self.details.setMinimumWidth(300)
        self.staffing_model = RowsModel(STAFFING_COLUMNS, self, row_numbers=False,
                                        foreground=lambda line: OVER_COLOUR if line.over else None,
                                        background=lambda line: OVER_BACKGROUND if line.over else None)
        self.staffing_view = QTableView()
        self.staffing_view.setModel(self.staffing_model)
        self.staffing_view.verticalHeader().setVisible(False)
        self.staffing_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.staffing_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column, spec in enumerate(STAFFING_COLUMNS):
            self.staffing_view.setColumnWidth(column, spec.width)
        widen_to_titles(self.staffing_view)  # 核定职数 in a wider font (the bundled one: 73 px, not 70)
        self.staffing_view.horizontalHeader().setStretchLastSection(True)
        self.staffing_note = QLabel()
        self.staffing_note.setWordWrap(True)
        self.staffing_button = QPushButton("编辑职数…")
        self.staffing_button.clicked.connect(self.edit_staffing)
        heading = QHBoxLayout()
        caption = QLabel(f"<b>{STAFFING.label}</b>")
        heading.addWidget(caption)
        heading.addStretch(1)
        heading.addWidget(self.staffing_button)
        side = QVBoxLayout()
        side.addWidget(self.details)
        side.addLayout(heading)
        side.addWidget(self.staffing_view, 1)
        side.addWidget(self.staffing_note)
        return side

    # ---- tree -----------------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.current_unit_id()
        expanded = {item.data(0, Qt.ItemDataRole.UserRole) for item in self._items() if item.isExpanded()}
        first = not self.tree.topLevelItemCount()
        self.all_units = units.list_units()
        self.by_id = {u.id: u for u in self.all_units}
        self.reachable = units.reachable_ids(self.all_units)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for unit in self.all_units:
            parent = items.get(unit.parent_id)
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
            item.setText(NAME, unit.name)
            item.setToolTip(NAME, unit.full_name)
            item.setText(KIND, unit.kind)
            item.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            for column in (DIRECT, TOTAL, STAFFING_COLUMN):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items[unit.id] = item
            if self.reachable is not None and unit.id not in self.reachable:
                for column in range(self.tree.columnCount()):
                    item.setForeground(column, QBrush(QColor(OUTSIDE_COLOUR)))
                item.setToolTip(NAME, f"{unit.full_name}\n{OUTSIDE}")
            if first and unit.depth == 0 or unit.id in expanded:
                item.setExpanded(True)
        self.refresh_counts()
        if first and current is None and self.reachable is not None:
            current = self._first_own_unit()  # a clerk of one unit starts at it, not at the top of the tree
            if current in items:
                parent = items[current].parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
                items[current].setExpanded(True)
        if current in items:
            self.tree.setCurrentItem(items[current])
            self.tree.scrollToItem(items[current], QAbstractItemView.ScrollHint.PositionAtTop)
        self._update_buttons()

    def _first_own_unit(self) -> int | None:
        """The first unit (in tree order) that the operator's scope covers."""
        covered = access_scope.current().units or frozenset()
        return next((unit.id for unit in self.all_units if unit.id in covered), None)

    def reaches(self, unit_id: int | None) -> bool:
        """Does the operator see cadres in this unit or below it?"""
        return unit_id is not None and (self.reachable is None or unit_id in self.reachable)

    def _items(self):
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            yield iterator.value()
            iterator += 1

    def item_of(self, unit_id: int) -> QTreeWidgetItem | None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == unit_id:
                return item
        return None

    def refresh_counts(self) -> None:
        self.staffing = staffing.staffing_table()
        self._show_staffing_in_tree()
        index = self.context.index
        if index is None:
            for item in self._items():
                item.setText(DIRECT, "")
                item.setText(TOTAL, "")
            self.summary.setText(self._units_text())
            self._show_details()
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
            unit_id = item.data(0, Qt.ItemDataRole.UserRole)
            seen = self.reaches(unit_id)  # outside the operator's units 0 would be untrue: left empty
            item.setText(DIRECT, str(direct.get(unit_id, 0)) if seen else "")
            item.setText(TOTAL, str(total.get(unit_id, 0)) if seen else "")
        self._show_details()
        self.summary.setText(f"{self._units_text()}，{len(index)} 名干部")

    def _units_text(self) -> str:
        """How many units: those the operator is responsible for, when they are not every unit (a clerk of
        one county is not told of the 55 units of the city, most of them greyed out)."""
        covered = access_scope.current().units
        if covered is None:
            return f"共 {len(self.all_units)} 个单位"
        own = sum(1 for unit in self.all_units if unit.id in covered)
        return f"共 {own} 个单位（您负责的范围）"

    def _show_staffing_in_tree(self) -> None:
        red, plain = QBrush(QColor(OVER_COLOUR)), QBrush()
        for item in self._items():
            summary = self.staffing.get(item.data(0, Qt.ItemDataRole.UserRole))
            if summary is None or not summary.approved:
                item.setText(STAFFING_COLUMN, "")
                item.setForeground(STAFFING_COLUMN, plain)
                item.setToolTip(STAFFING_COLUMN, "")
                continue
            item.setText(STAFFING_COLUMN, f"{summary.approved}/{summary.filled}")
            item.setForeground(STAFFING_COLUMN, red if summary.over else plain)
            over = [f"{line.rank_name} 核定 {line.approved}、实配 {line.filled}" for line in summary.lines if line.over]
            item.setToolTip(STAFFING_COLUMN, ("超职数配备：" + "；".join(over)) if over else "")

    def current_unit_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select_unit(self, unit_id: int) -> None:
        item = self.item_of(unit_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _update_buttons(self) -> None:
        unit_id = self.current_unit_id()
        has = unit_id is not None and not self.context.readonly
        for button in (self.add_child_button, self.edit_button, self.move_button, self.delete_button,
                       self.staffing_button):
            button.setEnabled(has and units.may_edit(unit_id))
        self.add_top_button.setEnabled(not self.context.readonly and units.may_edit(None))
        self.show_cadres_button.setEnabled(self.reaches(unit_id))
        self.show_cadres_button.setToolTip(OUTSIDE if unit_id is not None and not self.reaches(unit_id) else "")
        self._show_details()

    def _show_details(self) -> None:
        item = self.tree.currentItem()
        unit = self.by_id.get(self.current_unit_id()) if item is not None else None
        if unit is None:
            self.details.setText("在左侧选择一个单位，可查看其全称和职数，新建下级单位、编辑、移动或删除。")
            self.staffing_model.set_rows([])
            self.staffing_note.setText("")
            return
        parents = [self.by_id[int(p)].name for p in unit.path.strip("/").split("/")[:-1] if int(p) in self.by_id]
        labels = {spec.key: spec.label for spec in UNIT.fields}
        lines = [f"<b>{escape(unit.full_name)}</b>",
                 f"{labels['name']}：{escape(unit.name)}　　{labels['kind']}：{escape(unit.kind)}",
                 f"上级：{escape(' / '.join(parents) or '无（顶级单位）')}　　下级单位：{item.childCount()} 个"]
        if not self.reaches(unit.id):
            lines.append(f"<span style='color:{OUTSIDE_COLOUR}'>{OUTSIDE}</span>")
        elif item.text(DIRECT):
            lines.append(f"本单位干部：{item.text(DIRECT)} 人　　含下级单位：{item.text(TOTAL)} 人")
        self.details.setText("<br>".join(lines))
        summary = self.staffing.get(unit.id)
        self.staffing_model.set_rows(list(summary.lines) if summary else [])
        if summary is None or not summary.approved:
            self.staffing_note.setText("尚未核定职数。" + ("点“编辑职数…”填写。" if self.staffing_button.isEnabled() else ""))
        else:
            text = f"合计：核定 {summary.approved}，实配 {summary.filled}，空缺 {summary.vacant}"
            if summary.over:
                text += f"，<span style='color:{OVER_COLOUR}'><b>超职数配备 {summary.over} 名</b></span>"
            self.staffing_note.setText(text)

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

    def add_unit(self, parent_id: int | None) -> units.UnitInfo | None:
        dialog = UnitDialog(self, parent_unit=self.by_id.get(parent_id) if parent_id is not None else None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        unit = dialog.result_value
        self._changed(unit.id)
        return unit

    def edit(self) -> units.UnitInfo | None:
        unit_id = self.current_unit_id()
        if unit_id is None or self.context.readonly or not units.may_edit(unit_id):
            return None
        dialog = UnitDialog(self, unit=units.get_unit(unit_id))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self._changed(unit_id)
        return dialog.result_value

    def edit_staffing(self) -> bool:
        unit_id = self.current_unit_id()
        if unit_id is None or self.context.readonly or not units.may_edit(unit_id):
            return False
        dialog = StaffingDialog(units.get_unit(unit_id), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._changed(unit_id)
        return True

    def ask_parent(self, unit: units.UnitInfo) -> tuple[bool, int | None]:
        dialog = MoveDialog(unit, self.all_units, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.result_value

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
            messages.error(self, "移动单位", exc)
            return False
        self._changed(unit_id)
        return True

    def delete(self) -> bool:
        unit_id = self.current_unit_id()
        if unit_id is None:
            return False
        unit = units.get_unit(unit_id)
        if not messages.confirm(self, "删除单位", f"确定删除单位“{unit.full_name}”吗？", yes="删除", danger=True):
            return False
        try:
            units.delete_unit(unit_id)
        except CadreDeskError as exc:
            messages.error(self, "删除单位", exc)
            return False
        self._changed()
        return True


def open_unit(context, unit_id: int) -> None:
    """The 单位管理 page with the unit chosen (its 职数 beside the tree): opened from a reminder."""
    page = context.main_window.show_module("units") if context.main_window is not None else None
    if page is not None:
        page.select_unit(unit_id)
