"""An editable table of one sub-record (简历, 家庭成员, 奖惩, 培训, 年度考核) with add/remove/move.
Its columns, code tables and cell texts come from the record's description in the field registry. A
refused save's cells are red; a date the form warns of (a 简历 entry after today's month) is tinted as
the 请注意 banner is, its warning in the tooltip, as the clerk types."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.domain.fields import FieldSpec, RecordSpec, display_value
from cadre_desk.domain.validation import late_dates, typed_rows
from ui.widgets.columns import widen_to_titles
from ui.widgets.field_widgets import CodeCombo

ERROR_BRUSH = QBrush(QColor("#fde2e1"))
# What the form warns of, never refuses: its 请注意 banner and the cells it names (#fff8e1, the banner's
# before, was lost beside the tables' alternate rows)
WARNING_BG = "#fff4cc"
WARNING_BRUSH = QBrush(QColor(WARNING_BG))


class _CodeDelegate(QStyledItemDelegate):
    """A code column: the cell shows the name, the editor is a combo of the code table."""

    def __init__(self, table: str, parent=None):
        super().__init__(parent)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        combo = CodeCombo(self.table, allow_empty=True, parent=parent)
        if not combo.isEditable():
            combo.setEditable(True)
            combo.setInsertPolicy(CodeCombo.NoInsert)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        text = index.data(Qt.DisplayRole) or ""
        pos = editor.findText(text)
        if pos >= 0:
            editor.setCurrentIndex(pos)
        else:
            editor.setEditText(text)

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        model.setData(index, editor.currentText().strip(), Qt.EditRole)


class _RecordGrid(QTableWidget):
    """The table of a RecordTable: Tab from its last cell (Shift+Tab from its first), typing or not, leaves
    it for the next (previous) widget of the form, as Tab does from any other field. Qt's own went round
    to the first row (家庭成员: a clerk who typed a new last row and pressed Tab was put back at the top)."""

    def _at_edge(self, forward: bool) -> bool:
        row, column = self.currentRow(), self.currentColumn()
        if forward:
            return row == self.rowCount() - 1 and column == self.columnCount() - 1
        return row <= 0 and column <= 0

    def closeEditor(self, editor, hint):  # noqa: N802 - Qt override
        forward = hint == QAbstractItemDelegate.EndEditHint.EditNextItem
        if (forward or hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem) and self._at_edge(forward):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)  # typed text committed
            self._leave(forward)
            return
        super().closeEditor(editor, hint)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        if self.tabKeyNavigation() and self._at_edge(forward):
            return self._leave(forward)
        return super().focusNextPrevChild(forward)

    def _leave(self, forward: bool) -> bool:
        """Focus the first widget after (before) the table in the Tab order: not the table's own cell
        editor, still in the chain until it is deleted."""
        widget = self
        for _ in range(500):
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is self or widget is None:
                return False
            if (not self.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                widget.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return True
        return False


class RecordTable(QWidget):
    """The rows of one sub-record; ``items()`` returns them with codes and the text typed, ``set_items``
    shows them as every screen does (names, 1985.10). Fields not shown in forms stay with their row."""

    changed = Signal()

    def __init__(self, record: RecordSpec, parent=None):
        super().__init__(parent)
        self.record = record
        self.item_cls = record.item
        self.columns: tuple[FieldSpec, ...] = record.form_fields
        columns = self.columns
        self._originals: dict[int, object] = {}
        self._errors: dict[tuple[int, int], str] = {}  # (row, column) → a refused save's message
        self._warnings: dict[tuple[int, int], str] = {}  # (row, column) → what the form warns of it
        self.table = _RecordGrid(0, len(columns))
        self.table.setHorizontalHeaderLabels([c.label for c in columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for i, col in enumerate(columns):
            self.table.setColumnWidth(i, col.width)
            if col.kind == "code":
                self.table.setItemDelegateForColumn(i, _CodeDelegate(col.code_table, self.table))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        widen_to_titles(self.table)
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        self.changed.connect(self.check_dates)

        self.add_button = QPushButton("添加一行")
        self.remove_button = QPushButton("删除所选行")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        self.table.currentCellChanged.connect(lambda *_cells: self._update_buttons())
        self.table.model().rowsInserted.connect(lambda *_rows: self._update_buttons())
        self.table.model().rowsRemoved.connect(lambda *_rows: self._update_buttons())
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.hint = QLabel(record.hint)
        self.hint.setObjectName("hint")
        buttons.addWidget(self.hint)

        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """删除所选行 / 上移 / 下移 only when there is a row to act on and room to move it: enabled with no
        row chosen they did nothing when clicked."""
        row = self.table.currentRow()
        chosen = 0 <= row < self.table.rowCount()
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < self.table.rowCount() - 1)

    # ---- values ---------------------------------------------------------------------------------
    def set_items(self, items) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._originals = {}
        for item in items:
            row = self._append([display_value(col, getattr(item, col.key)) for col in self.columns])
            # keep the fields that have no column (family id_number …) with the row
            self._originals[id(item)] = item
            self.table.item(row, 0).setData(Qt.UserRole, str(id(item)))
        self.table.blockSignals(False)
        self._update_buttons()
        self.clear_errors()
        self.check_dates()

    def _append(self, texts: list[str]) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for i, text in enumerate(texts):
            self.table.setItem(row, i, QTableWidgetItem(text))
        return row

    def items(self) -> list:
        out = []
        defaults = {f.key: f.default for f in self.record.fields}
        for row in range(self.table.rowCount()):
            first = self.table.item(row, 0)
            original = self._originals.get(int(first.data(Qt.UserRole) or 0)) if first is not None else None
            kwargs = dataclasses.asdict(original) if dataclasses.is_dataclass(original) else dict(defaults)
            for i, col in enumerate(self.columns):
                cell = self.table.item(row, i)
                text = (cell.text() if cell else "").strip()
                if col.kind == "code":
                    text = codes.table(col.code_table).code(text) or text
                kwargs[col.key] = text
            out.append(self.item_cls(**kwargs))
        return out

    # ---- editing --------------------------------------------------------------------------------
    def add_row(self) -> None:
        row = self._append([""] * len(self.columns))
        self.table.setCurrentCell(row, 0)  # opens its editor (AllEditTriggers: the current cell changed) …
        if self.table.state() != QAbstractItemView.State.EditingState:  # … else Qt logged 「editing failed」
            self.table.editItem(self.table.item(row, 0))
        self.changed.emit()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def move_row(self, delta: int) -> None:
        row = self.table.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        self.table.blockSignals(True)
        for col in range(self.table.columnCount()):
            a, b = self.table.takeItem(row, col), self.table.takeItem(target, col)
            self.table.setItem(row, col, b)
            self.table.setItem(target, col, a)
        self.table.blockSignals(False)
        self.table.setCurrentCell(target, self.table.currentColumn())
        self._update_buttons()
        self.changed.emit()

    def set_readonly(self, readonly: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers if readonly
                                   else QAbstractItemView.AllEditTriggers)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setVisible(not readonly)

    # ---- errors and warnings ----------------------------------------------------------------------
    def check_dates(self) -> None:
        """The dates the form warns of (validation.late_dates: a 简历 entry after the one clock's month)
        tinted, each cell's warning in its tooltip, the rows as typed: again at every edit."""
        said = late_dates(self.record, typed_rows(self.record, self.items()))
        attrs = [c.key for c in self.columns]
        self._warnings = {(row, attrs.index(key)): text for row, keys, text in said for key in keys if key in attrs}
        self._paint()

    def cell_warning(self, row: int, attr: str) -> str:
        """What the form warns of the cell ('' when nothing), for tests and callers."""
        attrs = [c.key for c in self.columns]
        return self._warnings.get((row, attrs.index(attr)), "") if attr in attrs else ""

    def _paint(self) -> None:
        """Every cell's colour and tooltip: a refused save's red, else a warning's tint, else none."""
        blocked = self.table.blockSignals(True)  # a colour is no edit
        for row in range(self.table.rowCount()):
            for col in range(self.table.columnCount()):
                said = self._errors.get((row, col)) or self._warnings.get((row, col), "")
                cell = self.table.item(row, col)
                if cell is None:
                    if not said:
                        continue
                    cell = QTableWidgetItem("")
                    self.table.setItem(row, col, cell)
                brush = ERROR_BRUSH if (row, col) in self._errors else WARNING_BRUSH if said else QBrush()
                cell.setBackground(brush)
                cell.setToolTip(said)
        self.table.blockSignals(blocked)

    def clear_errors(self) -> None:
        self._errors = {}
        self._paint()
        self.error_label.hide()
        self.error_label.clear()

    def show_errors(self, errors: dict[tuple[int, str], str]) -> None:
        """errors: (row, attr) → message; the cells turn red and the messages are listed below."""
        attrs = [c.key for c in self.columns]
        lines = []
        self._errors = {}
        for (row, attr), message in sorted(errors.items()):
            lines.append(message)
            if 0 <= row < self.table.rowCount():
                self._errors[(row, attrs.index(attr) if attr in attrs else 0)] = message
        self._paint()
        self.error_label.setText("\n".join(lines))
        self.error_label.setVisible(bool(lines))

    def focus_cell(self, row: int, attr: str) -> None:
        attrs = [c.key for c in self.columns]
        col = attrs.index(attr) if attr in attrs else 0
        self.table.setFocus()
        self.table.setCurrentCell(row, col)
