"""The postings table model: plain PostingInfo rows, state colours, sorting on its own list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
)

from cadre_desk.domain.dates import format_date
from cadre_desk.postings import posting_data

STATE_COLORS = {posting_data.PROPOSED: "#7a5c00", posting_data.ON_POST: "#0b6b2f", posting_data.COMPLETED: "#555555",
                posting_data.RECALLED: "#a01818"}


class PostingTableModel(QAbstractTableModel):
    """Plain PostingInfo rows; sorting happens on the model's own list."""

    COLUMNS = (
        ("cadre_name", "姓名", 70), ("unit_name", "原单位", 150), ("line_name", "战线", 90),
        ("post_name", "锻炼岗位", 190), ("channel", "选派渠道", 70), ("start", "开始时间", 85),
        ("planned_end", "计划结束", 85), ("days_left", "剩余天数", 70), ("actual_end", "实际结束", 85),
        ("state", "状态", 65), ("daily_manager", "日常管理", 75), ("guide_name", "一对一指导", 80),
        ("outcome", "锻炼结果", 75),
    )
    DATES = {"start", "planned_end", "actual_end"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[posting_data.PostingInfo] = []

    def set_rows(self, rows: list[posting_data.PostingInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def value(self, row: posting_data.PostingInfo, key: str):
        if key == "days_left":
            return posting_data.days_left(row)
        return getattr(row, key)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = self.value(row, key)
            if key in self.DATES:
                return format_date(value)
            if key == "days_left":
                if value is None:
                    return ""
                return f"超期 {-value} 天" if value < 0 else str(value)
            if role == Qt.ToolTipRole and key == "state" and row.recall_reason:
                return f"召回原因：{row.recall_reason}"
            return "" if value is None else str(value)
        if role == Qt.ForegroundRole:
            if key == "state":
                return QBrush(QColor(STATE_COLORS.get(row.state, "#000000")))
            if key == "days_left":
                left = posting_data.days_left(row)
                if left is not None and left < 0:
                    return QBrush(QColor("#a01818"))
                if left is not None and left <= 30:
                    return QBrush(QColor("#b36b00"))
        if role == Qt.TextAlignmentRole and key in ("days_left", "state", "channel"):
            return int(Qt.AlignCenter)
        if role == Qt.UserRole:
            return row.id
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        return self.COLUMNS[section][1] if orientation == Qt.Horizontal else str(section + 1)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        key = self.COLUMNS[column][0]

        def sort_key(row):
            value = self.value(row, key)
            return (True, "") if value is None or value == "" else (False, value)

        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=sort_key, reverse=order == Qt.DescendingOrder)
        self.layoutChanged.emit()


def filter_combo(items, all_text: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_text, None)
    for value in items:
        combo.addItem(value, value)
    return combo
