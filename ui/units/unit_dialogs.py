"""The units screen's dialogs: a unit's 全称 / 简称 / 类别 (new or edited), its new parent (移动), and its
核定职数 per 职务层次/职级 beside what its cadres fill."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.domain.fields import STAFFING, UNIT
from cadre_desk.units import staffing, units
from ui.widgets.form_dialog import FormDialog

RANK, APPROVED, FILLED, VACANT, OVER = range(5)  # the columns of STAFFING.fields
OVER_COLOUR = "#b3261e"  # 超职数: the same red on the tree, the panel and the dialog
OVER_BACKGROUND = "#fdecea"


class UnitDialog(FormDialog):
    """A new unit under ``parent`` (None: top level), or ``unit`` edited."""

    geometry_key = "UnitDialog"

    def __init__(self, parent: QWidget | None = None, *, unit: units.UnitInfo | None = None,
                 parent_unit: units.UnitInfo | None = None):
        self.unit = unit
        self.parent_unit = parent_unit
        title = f"编辑单位 — {unit.name}" if unit else "新建单位"
        super().__init__(parent, title, ok_text="保存" if unit else "新建")
        where = parent_unit.full_name if parent_unit else "（顶级单位）"
        if unit is None:
            self.add_field("parent", "上级单位", QLabel(where))
        labels = {spec.key: spec.label for spec in UNIT.fields}
        self.full_name = self.add_field("full_name", labels["full_name"], QLineEdit(unit.full_name if unit else ""),
                                        "不能与其他单位重复；导出、统计、导入都用全称")
        self.short_name = self.add_field("name", labels["name"], QLineEdit(unit.name if unit else ""),
                                         "单位树和各页面中显示的名称")
        self.full_name.setPlaceholderText("如 中共兴平市委办公室")
        self.short_name.setPlaceholderText("如 市委办")
        self.kind = self.add_field("kind", labels["kind"], QComboBox())
        self.kind.addItems(units.KINDS)
        current = unit.kind if unit else (parent_unit.kind if parent_unit else units.DEFAULT_KIND)
        self.kind.setCurrentIndex(max(0, self.kind.findText(current)))
        self.full_name.setMinimumWidth(360)
        self.resize(560, self.layout().heightForWidth(560))  # the wrapped hints' height at that width

    def save(self) -> units.UnitInfo:
        if self.unit is None:
            return units.create_unit(self.short_name.text(), self.parent_unit.id if self.parent_unit else None,
                                     self.kind.currentText(), self.full_name.text())
        typed = dict(name=self.short_name.text(), full_name=self.full_name.text(), kind=self.kind.currentText())
        # 仍然保存我的修改 (another saved the unit since): over the unit as stored now
        return self.save_checked(lambda: units.update_unit(self.unit.id, self.unit.version, **typed),
                                 lambda: units.update_unit(self.unit.id, units.get_unit(self.unit.id).version, **typed))


class MoveDialog(FormDialog):
    """Pick the new parent of a unit (its own subtree excluded)."""

    geometry_key = "UnitMoveDialog"
    hands_back = True  # its caller does the work: on leaving the program, named as lost

    def __init__(self, unit: units.UnitInfo, all_units: list[units.UnitInfo], parent: QWidget | None = None):
        super().__init__(parent, f"移动单位 — {unit.name}", ok_text="移动")
        self.combo = QComboBox()
        self.combo.addItem("（作为顶级单位）", None)
        for other in all_units:
            if other.path.startswith(unit.path):
                continue
            self.combo.addItem("　" * other.depth + other.name, other.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(unit.parent_id)))
        self.add_field("parent", f"把“{unit.name}”及其下级单位移到", self.combo)
        self.resize(460, 0)

    def save(self) -> int | None:
        return self.combo.currentData()


class StaffingDialog(FormDialog):
    """核定职数 of one unit: a number per 职务层次/职级, 实配 beside it (counted, not typed)."""

    geometry_key = "StaffingDialog"

    def __init__(self, unit: units.UnitInfo, parent: QWidget | None = None):
        super().__init__(parent, f"编辑职数 — {unit.full_name}", ok_text="保存")
        self.unit = unit
        approved = staffing.approved_of(unit.id)
        filled = {line.rank: line.filled for line in staffing.unit_staffing(unit.id).lines}
        ranks = codes.table("RANK").items
        self.table = QTableWidget(len(ranks), len(STAFFING.fields))
        self.table.setHorizontalHeaderLabels([spec.label for spec in STAFFING.fields])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RANK, QHeaderView.ResizeMode.Stretch)
        for column, spec in enumerate(STAFFING.fields[1:], 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, spec.width + 20)
        self.spins: dict[str, QSpinBox] = {}
        for row, (code, name) in enumerate(ranks):
            self.table.setItem(row, RANK, QTableWidgetItem(name))
            spin = QSpinBox()
            spin.setRange(0, staffing.MAX_APPROVED)
            spin.setValue(approved.get(code, 0))
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.valueChanged.connect(lambda _v, r=row, c=code: self._show_balance(r, c))
            self.spins[code] = spin
            self.table.setCellWidget(row, APPROVED, spin)
            for column in (FILLED, VACANT, OVER):
                cell = QTableWidgetItem(str(filled.get(code, 0)) if column == FILLED else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, cell)
            self._show_balance(row, code)
        self.body.addWidget(QLabel("实配为本单位在职干部中该职务层次/职级的人数；核定为 0 表示不设该职数。"))
        self.body.addWidget(self.table)
        self.resize(520, 620)

    def _show_balance(self, row: int, code: str) -> None:
        """空缺 and 超职数 of one level as the number is typed; over-staffing in red."""
        approved = self.spins[code].value()
        filled = int(self.table.item(row, FILLED).text())
        vacant, over = max(0, approved - filled), max(0, filled - approved)
        self.table.item(row, VACANT).setText(str(vacant) if vacant else "")
        cell = self.table.item(row, OVER)
        cell.setText(str(over) if over else "")
        cell.setForeground(QBrush(QColor(OVER_COLOUR)) if over else QBrush())
        cell.setBackground(QBrush(QColor(OVER_BACKGROUND)) if over else QBrush())

    def values(self) -> dict[str, int]:
        return {code: spin.value() for code, spin in self.spins.items() if spin.value()}

    def save(self) -> int:
        return self.save_checked(lambda: staffing.set_approved(self.unit.id, self.values(), self.unit.version),
                                 lambda: staffing.set_approved(self.unit.id, self.values(),
                                                               units.get_unit(self.unit.id).version))
