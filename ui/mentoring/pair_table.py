"""The pairs table (model and view) and the selected pair's detail panel with its meeting logs."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
from ui.widgets.rows_model import CENTER, Column, RowsModel, make_table, sortable

# ---- table model --------------------------------------------------------------------------------
DATE_KEYS = ("start", "planned_end", "actual_end", "last_log_date")
WIDTHS = {"mentor_name": 64, "mentee_name": 64, "mentor_unit_name": 110, "mentee_unit_name": 110,
          "focus": 90, "state": 60, "log_count": 70, "mentor_rating": 70, "mentee_rating": 70, "posting_id": 200}


class PairRowsModel(RowsModel):
    """PairInfo rows; a row's posting is named when the row is first shown (only visible rows cost a query)."""

    def __init__(self, parent=None):
        self._posting_labels: dict[int, str] = {}
        columns = []
        for key, title in (("mentor_name", "导师"), ("mentor_unit_name", "导师单位"), ("mentee_name", "帮带对象"),
                           ("mentee_unit_name", "对象单位")):
            columns.append(Column(title, attrgetter(key), WIDTHS[key], key=key))
        columns.append(Column("帮带方向", attrgetter("focus"), WIDTHS["focus"], key="focus",
                              tooltip=attrgetter("goals")))
        for key, title in (("start", "开始日期"), ("planned_end", "计划结束"), ("actual_end", "实际结束")):
            columns.append(_date_column(key, title))
        columns.append(Column("状态", attrgetter("state"), WIDTHS["state"], key="state",
                              foreground=lambda p: STATE_COLORS.get(p.state)))
        columns.append(Column("谈话次数", attrgetter("log_count"), WIDTHS["log_count"], key="log_count", align=CENTER))
        columns.append(_date_column("last_log_date", "最近谈话"))
        for key, title in (("mentor_rating", "导师评分"), ("mentee_rating", "对象评分")):
            columns.append(Column(title, lambda p, k=key: format_rating(getattr(p, k)), WIDTHS[key], key=key,
                                  align=CENTER, sort_key=lambda p, k=key: sortable(getattr(p, k))))
        columns.append(Column("一线锻炼岗位", lambda p: self.posting_label(p.posting_id), WIDTHS["posting_id"],
                              key="posting_id"))
        super().__init__(columns, parent, row_numbers=False)

    def set_rows(self, rows) -> None:
        self._posting_labels = {}
        super().set_rows(rows)

    def posting_label(self, posting_id: int | None) -> str:
        if not posting_id:
            return ""
        label = self._posting_labels.get(posting_id)
        if label is None:
            label = self._posting_labels[posting_id] = mentoring.posting_label(posting_id)
        return label

    def pair(self, row: int) -> PairInfo | None:
        return self.row(row)


def _date_column(key: str, title: str) -> Column:
    return Column(title, lambda p: format_date(getattr(p, key)), 96, key=key,
                  sort_key=lambda p: sortable(getattr(p, key)))


def make_pair_table() -> tuple[QTableView, PairRowsModel]:
    model = PairRowsModel()
    view = make_table(model)
    model.setParent(view)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
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
