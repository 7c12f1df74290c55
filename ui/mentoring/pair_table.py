"""The pairs table (model and view) and the selected pair's detail panel with its meeting logs."""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from cadre_desk.domain.dates import format_date, format_period
from cadre_desk.domain.errors import PermissionDenied
from cadre_desk.domain.fields import MEETING_LOG, MENTOR_PAIR, MENTOR_PAIR_LIST, display_value
from cadre_desk.mentoring import meeting_logs, mentoring
from cadre_desk.mentoring.mentoring import COMPLETED, TERMINATED, PairInfo
from ui.mentoring.common import STATE_COLORS, format_rating
from ui.widgets.columns import share_by_content
from ui.widgets.rows_model import CENTER, RowsModel, list_columns, make_table, sortable
from ui.widgets.text import keep_together

LOG_COLUMNS = ("date", "form", "content", "next_steps", "recorder")
FLEXIBLE = ("mentor_unit_name", "mentee_unit_name", "focus", "posting_id")  # the pairs' free-text columns

# ---- table model --------------------------------------------------------------------------------


class PairRowsModel(RowsModel):
    """PairInfo rows; a row's posting is named when the row is first shown (only visible rows cost a query)."""

    def __init__(self, parent=None):
        self._posting_labels: dict[int, str] = {}
        columns = list_columns(MENTOR_PAIR, MENTOR_PAIR_LIST, {  # the 结对表 writes the same list
            "focus": {"tooltip": attrgetter("goals")},
            "mentor_unit_name": {"tooltip": True}, "mentee_unit_name": {"tooltip": True},
            "state": {"foreground": lambda p: STATE_COLORS.get(p.state)},
            "log_count": {"align": CENTER},
            **{key: {"value": lambda p, k=key: format_rating(getattr(p, k)), "align": CENTER}
               for key in ("mentor_rating", "mentee_rating")},
            "posting_id": {"value": lambda p: self.posting_label(p.posting_id),
                           "sort_key": lambda p: sortable(self.posting_label(p.posting_id)), "tooltip": True}})
        columns = [replace(c, title=two_lines(c.title)) for c in columns]
        super().__init__(columns, parent, row_numbers=False)

    def set_rows(self, rows) -> None:
        # every linked posting's label in one read (pairs are few): read row by row as the cells were
        # formatted, 300 pairs took 300 queries — 0.2 s as the page first showed at 100,000 cadres
        self._posting_labels = mentoring.posting_labels()
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


def two_lines(title: str) -> str:
    """A title on two lines at its words (导师 / 评分, 计划结束 / 日期): fourteen titles on one line took
    the room of the pairs' texts."""
    if len(title) < 4:
        return title
    cut = 2 if len(title) == 4 else 4
    return f"{title[:cut]}\n{title[cut:]}"


def make_pair_table(sorting: bool = False, multi: bool = False) -> tuple[QTableView, PairRowsModel]:
    """``multi``: several pairs chosen at once (Ctrl/Shift), for a print; the current one for the rest."""
    model = PairRowsModel()
    view = make_table(model, sorting=sorting, multi=multi)
    model.setParent(view)
    # The columns share the table by what they hold: at their fixed widths (1366 px for 14 columns) the
    # 导师评价, 对象评价 and 关联岗位 were off to the right at 1366×768. Names (「（其他单位干部）」 too),
    # dates, 状态 and the counts are whole; the units, 帮带重点 and 关联岗位 give way, cut with 「…」,
    # whole on hover.
    share_by_content(view, flexible=[MENTOR_PAIR_LIST.index(key) for key in FLEXIBLE])
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
        self.logs.setHeaderLabels(list(MEETING_LOG.labels(*LOG_COLUMNS)))
        self.logs.setRootIsDecorated(False)
        self.logs.setAlternatingRowColors(True)
        self.logs.setTextElideMode(Qt.ElideRight)
        # The talks' columns share the pane by what they hold: at a fixed 400 + 260 px the 下一步安排 and
        # 记录人 were off to the right at 1366×768. 谈话内容 and 下一步安排 give way, cut with 「…」, whole
        # on hover.
        share_by_content(self.logs, flexible=(LOG_COLUMNS.index("content"), LOG_COLUMNS.index("next_steps")))
        # The summary beside the talks, not above them: a long 帮带目标 or 评价 scrolls in its own column
        # instead of squeezing the talks out of the low pane under the pairs.
        summary = QScrollArea()
        summary.setWidget(self.summary)
        summary.setWidgetResizable(True)
        summary.setFrameShape(QFrame.NoFrame)
        self.summary.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.logs.setMinimumHeight(self.logs.header().sizeHint().height() + 3 * self.logs.fontMetrics().height()
                                   + 12 + 2 * self.logs.frameWidth())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary, 2)
        layout.addWidget(self.logs, 3)
        self.pair: PairInfo | None = None
        self.shown_logs: dict[int, object] = {}  # id → the 谈话记录 as listed (a delete checks it is still so)

    def show_pair(self, pair: PairInfo | None, posting_label: str = "", none_text: str = "请选择一个帮带结对。") -> None:
        """``none_text``: what stands there without a pair (a list with none to choose says so)."""
        self.pair = pair
        self.logs.clear()
        self.shown_logs = {}
        if pair is None:
            self.summary.setText(none_text)
            return
        label = MENTOR_PAIR.label_of
        lines = [f"<b>{pair.mentor_name}</b>{_role(label('mentor_name'), pair.mentor_unit_name)}→ "
                 f"<b>{pair.mentee_name}</b>{_role(label('mentee_name'), pair.mentee_unit_name)}　"
                 f"{keep_together(label('state') + '：')}<b>{keep_together(pair.state)}</b>",
                 f"{label('focus')}：{pair.focus or '—'}　　期限：{format_period(pair.start, pair.planned_end)}"
                 + (f"　　{label('actual_end')}：{format_date(pair.actual_end)}" if pair.actual_end else ""),
                 f"{label('goals')}：{pair.goals or '—'}"]
        if pair.posting_id:
            lines.append(f"{label('posting_id')}：{posting_label or mentoring.posting_label(pair.posting_id) or '（已撤销）'}")
        if pair.state == TERMINATED:
            lines.append(f"{label('end_reason')}：{pair.end_reason}")
        if pair.state == COMPLETED:
            for rating, comment in (("mentor_rating", "mentor_comment"), ("mentee_rating", "mentee_comment")):
                lines.append(f"{label(rating)}：{format_rating(getattr(pair, rating)) or '未评'}　　"
                             f"{label(comment)}：{getattr(pair, comment) or '—'}")
        self.summary.setText("<br>".join(escape_detail(line) for line in lines))
        try:
            logs = meeting_logs.logs_for_pair(pair.id)
        except PermissionDenied as exc:
            item = QTreeWidgetItem(["", "", f"无权查看谈话记录：{exc}"])
            self.logs.addTopLevelItem(item)
            return
        self.shown_logs = {log.id: log for log in logs}
        for log in logs:
            item = QTreeWidgetItem([display_value(MEETING_LOG.field(key), getattr(log, key)) for key in LOG_COLUMNS])
            item.setData(0, Qt.UserRole, log.id)
            for col in (2, 3):
                item.setToolTip(col, item.text(col))
            self.logs.addTopLevelItem(item)


def _role(role: str, unit_name: str) -> str:
    """「（导师，东城区）」; 「（导师）」 for one of another unit (the service gives no unit: not placed)."""
    return f"（{role}，{unit_name}）" if unit_name else f"（{role}）"


def escape_detail(line: str) -> str:
    # names and free text are user data: escape all but the <b>/<br> we put in ourselves
    from html import escape

    return (escape(line).replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
            .replace("　", "&nbsp;&nbsp; "))  # a gap a line may break at, not glued to what follows
