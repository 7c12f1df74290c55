"""The pairs table (model and view) and the selected pair's detail panel with its meeting logs."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import PermissionDenied
from cadre_desk.mentoring import mentoring
from cadre_desk.mentoring.mentoring import COMPLETED, TERMINATED, PairInfo
from ui.mentoring.common import STATE_COLORS, format_rating

# ---- table model --------------------------------------------------------------------------------
COLUMNS = (
    ("mentor_name", "导师"), ("mentor_unit_name", "导师单位"), ("mentee_name", "帮带对象"),
    ("mentee_unit_name", "对象单位"), ("focus", "帮带方向"), ("start", "开始日期"), ("planned_end", "计划结束"),
    ("actual_end", "实际结束"), ("state", "状态"), ("log_count", "谈话次数"), ("last_log_date", "最近谈话"),
    ("mentor_rating", "导师评分"), ("mentee_rating", "对象评分"), ("posting_id", "一线锻炼岗位"),
)
DATE_KEYS = {"start", "planned_end", "actual_end", "last_log_date"}


class PairTableModel(QAbstractTableModel):
    """Plain PairInfo rows; sorting happens on the model's own list."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[PairInfo] = []
        self._posting_labels: dict[int, str] = {}  # filled as rows are shown: only visible rows cost a query

    def set_rows(self, rows: list[PairInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._posting_labels = {}
        self.endResetModel()

    def posting_label(self, posting_id: int | None) -> str:
        if not posting_id:
            return ""
        label = self._posting_labels.get(posting_id)
        if label is None:
            label = self._posting_labels[posting_id] = mentoring.posting_label(posting_id)
        return label

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def text(self, pair: PairInfo, key: str) -> str:
        value = getattr(pair, key)
        if key in DATE_KEYS:
            return format_date(value)
        if key in ("mentor_rating", "mentee_rating"):
            return format_rating(value)
        if key == "log_count":
            return str(value)
        if key == "posting_id":
            return self.posting_label(value)
        return value or ""

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        pair = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.DisplayRole:
            return self.text(pair, key)
        if role == Qt.ForegroundRole and key == "state":
            return STATE_COLORS.get(pair.state)
        if role == Qt.TextAlignmentRole and key in ("log_count", "mentor_rating", "mentee_rating"):
            return int(Qt.AlignCenter)
        if role == Qt.ToolTipRole and key == "focus":
            return pair.goals
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return  # no sort column: keep the service's order (newest first)
        key = COLUMNS[column][0]

        def sort_key(p: PairInfo):
            value = self.text(p, key) if key == "posting_id" else getattr(p, key)
            return (value is None, value if value is not None else 0)

        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=sort_key, reverse=order == Qt.DescendingOrder)
        self.layoutChanged.emit()

    def pair(self, row: int) -> PairInfo | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


def make_pair_table() -> tuple[QTableView, PairTableModel]:
    view = QTableView()
    model = PairTableModel(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    widths = {"mentor_name": 64, "mentee_name": 64, "mentor_unit_name": 110, "mentee_unit_name": 110,
              "focus": 90, "state": 60, "log_count": 70, "mentor_rating": 70, "mentee_rating": 70,
              "posting_id": 200}
    for col, (key, _title) in enumerate(COLUMNS):
        view.setColumnWidth(col, widths.get(key, 96))
    return view, model


# ---- logs pane ----------------------------------------------------------------------------------
class PairDetail(QWidget):
    """The selected pair: goals, evaluation, and its meeting logs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel("请选择一个帮带结对。")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.logs = QTreeWidget()
        self.logs.setHeaderLabels(["日期", "形式", "谈话内容", "下一步安排", "记录人"])
        self.logs.setRootIsDecorated(False)
        self.logs.setWordWrap(True)
        self.logs.setAlternatingRowColors(True)
        for col, width in enumerate((90, 70, 400, 260, 90)):
            self.logs.setColumnWidth(col, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.logs, 1)
        self.pair: PairInfo | None = None

    def show_pair(self, pair: PairInfo | None, posting_label: str = "") -> None:
        self.pair = pair
        self.logs.clear()
        if pair is None:
            self.summary.setText("请选择一个帮带结对。")
            return
        lines = [f"<b>{pair.mentor_name}</b>（导师，{pair.mentor_unit_name}）→ <b>{pair.mentee_name}</b>"
                 f"（帮带对象，{pair.mentee_unit_name}）　状态：<b>{pair.state}</b>",
                 f"帮带方向：{pair.focus or '—'}　　期限：{format_date(pair.start)} 至 {format_date(pair.planned_end)}"
                 + (f"　　实际结束：{format_date(pair.actual_end)}" if pair.actual_end else ""),
                 f"帮带目标：{pair.goals or '—'}"]
        if pair.posting_id:
            lines.append(f"关联一线锻炼：{posting_label or mentoring.posting_label(pair.posting_id) or '（已撤销）'}")
        if pair.state == TERMINATED:
            lines.append(f"终止原因：{pair.end_reason}")
        if pair.state == COMPLETED:
            lines.append(f"导师评价（{format_rating(pair.mentor_rating) or '未评'}分）：{pair.mentor_comment or '—'}")
            lines.append(f"对象评价导师（{format_rating(pair.mentee_rating) or '未评'}分）：{pair.mentee_comment or '—'}")
        self.summary.setText("<br>".join(escape_detail(line) for line in lines))
        try:
            logs = mentoring.logs_for_pair(pair.id)
        except PermissionDenied as exc:
            item = QTreeWidgetItem(["", "", f"无权查看谈话记录：{exc}"])
            self.logs.addTopLevelItem(item)
            return
        for log in logs:
            item = QTreeWidgetItem([format_date(log.date), log.form, log.content, log.next_steps, log.recorder])
            item.setData(0, Qt.UserRole, log.id)
            for col in (2, 3):
                item.setToolTip(col, item.text(col))
            self.logs.addTopLevelItem(item)


def escape_detail(line: str) -> str:
    # names and free text are user data: escape all but the <b>/<br> we put in ourselves
    from html import escape

    return (escape(line).replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
            .replace("　", "&nbsp;&nbsp;&nbsp;"))
