"""实绩考核's shared parts: colours, the score format, a rows model over dataclasses, the table view
setup and the cadre finder used by its tabs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.appraisal import records
from cadre_desk.domain.errors import CadreDeskError

RED = QColor("#c0392b")
GREEN = QColor("#1e8449")
GREY = QColor("#7f8c8d")
READONLY_BG = QColor("#f2f3f4")


def show_error(parent: QWidget, title: str, exc: Exception) -> None:
    QMessageBox.warning(parent, title, str(exc) if isinstance(exc, CadreDeskError) else f"操作失败：{exc}")


def format_score(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# ---- a small generic table model -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[object], object]
    width: int = 0


class RowsModel(QAbstractTableModel):
    """Read-only rows (dataclasses) shown through column accessors."""

    def __init__(self, columns: list[Column], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list = []
        self.foreground: Callable[[object], QColor | None] | None = None

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = self.columns[index.column()].value(row)
            if isinstance(value, float):
                return format_score(value)
            text = "" if value is None else str(value)
            if role == Qt.DisplayRole and "\n" in text:
                text = text.replace("\n", " ")
            return text
        if role == Qt.ForegroundRole and self.foreground is not None:
            color = self.foreground(row)
            return QBrush(color) if color is not None else None
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.columns[section].title
        return str(section + 1)

    def row(self, index: int):
        return self.rows[index] if 0 <= index < len(self.rows) else None


def make_table(model: QAbstractTableModel, stretch: int | None = None, row_numbers: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setVisible(row_numbers)
    view.horizontalHeader().setStretchLastSection(stretch is None)
    if isinstance(model, RowsModel):
        for i, column in enumerate(model.columns):
            if column.width:
                view.setColumnWidth(i, column.width)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    return view


def current_row(view: QTableView):
    index = view.currentIndex()
    model = view.model()
    return model.row(index.row()) if index.isValid() and isinstance(model, RowsModel) else None


# ---- cadre picker --------------------------------------------------------------------------------


class CadrePicker(QWidget):
    """Search by name, pinyin initials or position; pick one cadre."""

    cadre_selected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、拼音首字母或职务查找干部")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        # One search when the typing pauses, not a query per keystroke (a scan of 100,000 positions).
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(200)
        self._pause.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._pause.start())
        self.list.currentItemChanged.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        current = self.cadre_id()
        self.list.blockSignals(True)
        self.list.clear()
        for brief in records.find_cadres(self.search.text(), limit=200):
            item = QListWidgetItem(f"{brief.name}　{brief.unit_name}")
            item.setToolTip(f"{brief.name}\n{brief.unit_name}{brief.position}")
            item.setData(Qt.UserRole, brief.id)
            self.list.addItem(item)
            if brief.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def cadre_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def select(self, cadre_id: int, name: str = "") -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.UserRole) == cadre_id:
                self.list.setCurrentRow(row)
                return
        if name:
            self.search.setText(name)
            self.select(cadre_id)

    def _changed(self, item, _previous) -> None:
        if item is not None:
            self.cadre_selected.emit(item.data(Qt.UserRole))
