"""The 列对应 panel of the import preview: each column of the file, what it is imported as (the
registry's labels, overridable), examples as typed, and saved mapping presets."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import normalize_header
from cadre_desk.exchange import imports
from ui.widgets import messages


def sample_text(value) -> str:
    """A cell as the user typed it: 2020.06.01 rather than 2020-06-01 00:00:00, one line only."""
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        value = value.date()
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    first = text.splitlines()[0] if text else ""
    return first if first == text else first + "…"


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class MappingPanel(QWidget):
    """Columns → targets. ``remapped`` carries {column index: target} for the dialog to re-check."""

    remapped = Signal(object)  # {column index: target}

    def __init__(self, plan: imports.ImportPlan, status, parent=None):
        super().__init__(parent)
        self.plan, self.status = plan, status
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        preset_row = QHBoxLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("（自动识别）", "")
        for name in imports.saved_mappings():
            self.preset_combo.addItem(name, name)
        apply_preset = QPushButton("套用方案")
        apply_preset.clicked.connect(self.apply_preset)
        save_preset = QPushButton("保存为方案…")
        save_preset.clicked.connect(self.save_preset)
        preset_row.addWidget(QLabel("列对应方案："))
        preset_row.addWidget(self.preset_combo, 1)
        preset_row.addWidget(apply_preset)
        preset_row.addWidget(save_preset)
        layout.addLayout(preset_row)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["表中列名", "导入为", "示例"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)

    def fill(self) -> None:
        plan = self.plan
        self.table.blockSignals(True)
        targets = imports.all_targets()
        extra = [c.target for c in plan.columns if c.target and c.target not in targets]
        self.table.setRowCount(len(plan.columns))
        data_rows = plan.data.rows if plan.data is not None else []
        first = plan.header_rows[-1] if plan.header_rows else 0
        # examples from the rows that will be imported: not from a notes block or a repeated header
        sample_rows = [row.cells for row in plan.rows[:8]] if plan.rows else data_rows[first:first + 8]
        for r, column in enumerate(plan.columns):
            self.table.setItem(r, 0, _item(column.header))
            combo = QComboBox()
            combo.addItem("（不导入）", None)
            for target in targets + extra:
                combo.addItem(imports.target_label(target), target)
            combo.setCurrentIndex(max(0, combo.findData(column.target)))
            combo.currentIndexChanged.connect(
                lambda _i, c=column.index, w=combo: self.remapped.emit({c: w.currentData()}))
            self.table.setCellWidget(r, 1, combo)
            header = normalize_header(column.header)
            samples = [sample_text(row[column.index]) for row in sample_rows
                       if column.index < len(row) and row[column.index] not in (None, "")
                       and normalize_header(row[column.index]) != header][:3]
            self.table.setItem(r, 2, _item("，".join(samples)))
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 220)
        self.table.blockSignals(False)

    def apply_preset(self) -> None:
        name = self.preset_combo.currentData()
        if not name:
            mapping = {c.index: imports.resolve_header(c.header) for c in self.plan.columns}
        else:
            mapping = imports.mapping_for(self.plan, name)
        self.remapped.emit(mapping)

    def save_preset(self) -> None:
        name = messages.ask_text(self, "保存列对应方案", "方案名称：")
        if not name or not name.strip():
            return
        try:
            imports.save_mapping(name, self.plan)
        except CadreDeskError as exc:
            messages.error(self, "保存方案", exc)
            return
        if self.preset_combo.findData(name.strip()) < 0:
            self.preset_combo.addItem(name.strip(), name.strip())
        self.status(f"已保存列对应方案“{name.strip()}”")
