"""导师帮带: pairs table with filters, mentor → mentees tree with load counts, meeting logs, and the
dialogs to create a pair, add a log, close with a two-way evaluation, terminate, move the end date.

Also registers the cadre-list action 建立导师帮带… and the 导师帮带 tab of the profile dialog.
Other pages may call ``create_pair_dialog(context, mentee_id, posting_id)``."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError, PermissionDenied, ValidationError
from cadre_desk.mentoring import mentoring
from cadre_desk.mentoring.mentoring import ACTIVE, COMPLETED, FORMS, STATES, TERMINATED, PairDraft, PairInfo
from cadre_desk.profiles.cadre_list import COL, ID, CadreFilter, CadreIndex
from ui.shell.context import AppContext

CAPABILITY = "mentoring"
STATE_COLORS = {ACTIVE: QColor("#1b5e20"), COMPLETED: QColor("#37474f"), TERMINATED: QColor("#b71c1c")}


def _qdate(value: str) -> QDate:
    if value and len(value) >= 6:
        return QDate(int(value[:4]), int(value[4:6]), int(value[6:8]) if len(value) >= 8 else 1)
    return QDate.currentDate()


def _ymd(edit: QDateEdit) -> str:
    return edit.date().toString("yyyyMMdd")


def _date_edit(value: str = "") -> QDateEdit:
    edit = QDateEdit(_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年MM月dd日")
    edit.setMinimumWidth(150)
    return edit


def _score(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def _show_error(parent, title: str, exc: Exception) -> None:
    QMessageBox.warning(parent, title, str(exc) if not isinstance(exc, ValidationError) else exc.message())


def _index(context: AppContext) -> CadreIndex:
    if context.index is None:
        context.index = CadreIndex.load()
    return context.index


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
            return _score(value)
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


def _pair_table() -> tuple[QTableView, PairTableModel]:
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
            lines.append(f"导师评价（{_score(pair.mentor_rating) or '未评'}分）：{pair.mentor_comment or '—'}")
            lines.append(f"对象评价导师（{_score(pair.mentee_rating) or '未评'}分）：{pair.mentee_comment or '—'}")
        self.summary.setText("<br>".join(_escape(line) for line in lines))
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


def _escape(line: str) -> str:
    # names and free text are user data: escape all but the <b>/<br> we put in ourselves
    from html import escape

    return (escape(line).replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
            .replace("　", "&nbsp;&nbsp;&nbsp;"))


# ---- cadre picker -------------------------------------------------------------------------------
class CadrePicker(QWidget):
    """A search box over the in-memory cadre index and a short result list (在职 only)."""

    def __init__(self, context: AppContext, placeholder: str, youngest_first: bool = False,
                 notes: dict[int, str] | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.youngest_first = youngest_first
        self.notes = notes or {}  # cadre id → a remark after the line (a mentor's current load)
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.search.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        index = _index(self.context)
        selected = self.selected_id()
        rows = index.filter(CadreFilter(text=self.search.text(), status="1"))
        rows.sort(key=lambda r: r[COL["birth"]], reverse=self.youngest_first)
        self.results.clear()
        for row in rows[:200]:
            self._add(index, row)
        if len(rows) > 200:
            more = QListWidgetItem(f"……共 {len(rows)} 人，请输入姓名、拼音首字母或单位缩小范围")
            more.setFlags(Qt.NoItemFlags)
            self.results.addItem(more)
        if selected is not None:
            self.select(selected)

    def _add(self, index: CadreIndex, row: tuple) -> QListWidgetItem:
        where = row[COL["position"]] or index.unit_names.get(row[COL["unit"]], "")
        text = f"{row[COL['name']]}　{where}　{format_date(row[COL['birth']])}生{self.notes.get(row[ID], '')}"
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, row[ID])
        self.results.addItem(item)
        return item

    def select(self, cadre_id: int) -> None:
        """Show a short list with the cadre in it (search by the name) and select it."""
        row = _index(self.context).row(cadre_id)
        if row is not None:
            self.search.setText(row[COL["name"]])
        for i in range(self.results.count()):
            if self.results.item(i).data(Qt.UserRole) == cadre_id:
                self.results.setCurrentRow(i)
                return

    def selected_id(self) -> int | None:
        item = self.results.currentItem()
        return item.data(Qt.UserRole) if item is not None else None


# ---- dialogs ------------------------------------------------------------------------------------
def _posting_info(posting_id: int | None):
    postings = mentoring.postings_module()
    if not posting_id or postings is None:
        return None
    try:
        return postings.get_posting(posting_id)
    except CadreDeskError:
        return None


class PairDialog(QDialog):
    """新建帮带结对: mentee and mentor with search boxes, focus, goals, period, optional posting."""

    def __init__(self, context: AppContext, mentee_id: int | None = None, posting_id: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.context = context
        self.result_pair: PairInfo | None = None
        self.setWindowTitle("新建导师帮带结对")
        self.mentee = CadrePicker(context, "搜索帮带对象：姓名、拼音首字母、单位", youngest_first=True)
        loads = {m.mentor_id: f"　（在帮 {m.active}/{m.cap}）" for m in mentoring.mentor_loads() if m.active}
        self.mentor = CadrePicker(context, "搜索导师：姓名、拼音首字母、单位", notes=loads)
        if mentee_id:
            self.mentee.select(mentee_id)
        self.focus = QLineEdit()
        posting = _posting_info(posting_id)
        if posting is not None:
            if posting.guide_cadre_id:
                self.mentor.select(posting.guide_cadre_id)  # the posting's 带教 cadre is the natural mentor
        self.focus.setMaxLength(100)
        self.focus.setPlaceholderText("如：招商引资、项目建设、基层治理")
        self.goals = QPlainTextEdit()
        self.goals.setPlaceholderText("帮带目标，如：熟悉招商流程，独立牵头洽谈一个项目")
        self.goals.setFixedHeight(70)
        self.start = _date_edit()
        today = clock.today()
        self.planned_end = _date_edit((today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29)
                                       else today + _dt.timedelta(days=365)).strftime("%Y%m%d"))
        self.posting = QComboBox()
        self._posting_id = posting_id
        if posting is not None:
            self.focus.setText(posting.line_name)
            if posting.start and len(posting.start) >= 6:
                self.start.setDate(_qdate(posting.start))
            if posting.planned_end and len(posting.planned_end) >= 6:
                self.planned_end.setDate(_qdate(posting.planned_end))
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b26a00;")

        people = QHBoxLayout()
        for title, picker in (("帮带对象", self.mentee), ("导师", self.mentor)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(picker)
            people.addWidget(box)
        form = QFormLayout()
        form.addRow("帮带方向", self.focus)
        form.addRow("帮带目标", self.goals)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("至"))
        period.addWidget(self.planned_end)
        period.addStretch(1)
        form.addRow("帮带期限", period)
        self.posting_row_label = QLabel("关联锻炼岗位")
        form.addRow(self.posting_row_label, self.posting)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("建立结对")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(people, 1)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.resize(900, 620)
        self.mentee.results.currentItemChanged.connect(self._changed)
        self.mentor.results.currentItemChanged.connect(self._changed)
        self._changed()

    def _fill_postings(self) -> None:
        postings = mentoring.postings_module()
        self.posting.clear()
        self.posting.addItem("（不关联）", None)
        mentee_id = self.mentee.selected_id()
        if postings is not None and mentee_id:
            for info in postings.postings_for_cadre(mentee_id):
                self.posting.addItem(f"{info.line_name}·{info.post_name}（{info.state}，"
                                     f"{format_date(info.start)}起）", info.id)
            i = self.posting.findData(self._posting_id)
            if i >= 0:
                self.posting.setCurrentIndex(i)
        visible = postings is not None
        self.posting.setVisible(visible)
        self.posting_row_label.setVisible(visible)

    def draft(self) -> PairDraft:
        return PairDraft(mentor_id=self.mentor.selected_id(), mentee_id=self.mentee.selected_id(),
                         focus=self.focus.text(), goals=self.goals.toPlainText(), start=_ymd(self.start),
                         planned_end=_ymd(self.planned_end), posting_id=self.posting.currentData())

    def _changed(self, *_args) -> None:
        self._fill_postings()
        draft = self.draft()
        if not (draft.mentor_id and draft.mentee_id):
            self.notice.setText("请分别选择帮带对象和导师。")
            return
        errors, warnings = mentoring.validate_draft(draft)
        errors = {k: v for k, v in errors.items() if k in ("", "mentor_id", "mentee_id", "posting_id")}
        lines = [f"✖ {m}" for m in errors.values()] + [f"⚠ {w}" for w in warnings]
        self.notice.setText("\n".join(lines))

    def accept(self) -> None:
        draft = self.draft()
        errors, warnings = mentoring.validate_draft(draft)
        if errors:
            QMessageBox.warning(self, "不能建立结对", "\n".join(errors.values()))
            return
        if warnings:
            answer = QMessageBox.question(self, "请确认", "\n".join(warnings) + "\n\n仍要建立该帮带结对吗？")
            if answer != QMessageBox.Yes:
                return
        try:
            self.result_pair = mentoring.create_pair(draft).pair
        except CadreDeskError as exc:
            _show_error(self, "不能建立结对", exc)
            return
        super().accept()


class LogDialog(QDialog):
    """添加 / 修改谈话记录."""

    def __init__(self, pair: PairInfo, log: mentoring.MeetingLogInfo | None = None, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.log = log
        self.setWindowTitle(f"{'修改' if log else '添加'}谈话记录 — {pair.mentor_name}→{pair.mentee_name}")
        self.date = _date_edit(log.date if log else "")
        self.form_box = QComboBox()
        self.form_box.addItems(FORMS)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("谈话或指导的主要内容")
        self.next_steps = QPlainTextEdit()
        self.next_steps.setPlaceholderText("下一步安排")
        self.next_steps.setFixedHeight(70)
        if log:
            self.form_box.setCurrentText(log.form)
            self.content.setPlainText(log.content)
            self.next_steps.setPlainText(log.next_steps)
        form = QFormLayout(self)
        form.addRow("日期", self.date)
        form.addRow("帮带形式", self.form_box)
        form.addRow("谈话内容", self.content)
        form.addRow("下一步安排", self.next_steps)
        buttons = _ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 420)

    def accept(self) -> None:
        args = (_ymd(self.date), self.form_box.currentText(), self.content.toPlainText(),
                self.next_steps.toPlainText())
        try:
            if self.log:
                mentoring.update_log(self.log.id, *args)
            else:
                mentoring.add_log(self.pair.id, *args)
        except CadreDeskError as exc:
            _show_error(self, "不能保存谈话记录", exc)
            return
        super().accept()


def _ok_cancel(ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    return buttons


def _rating_box(value: float | None) -> QSpinBox:
    """A 0–100 score box whose lowest step reads 未评分 (no rating)."""
    box = QSpinBox()
    box.setRange(-1, 100)
    box.setSpecialValueText("未评分")
    box.setSuffix(" 分")
    box.setValue(int(round(value)) if value is not None else -1)
    return box


def _rating_value(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


class EvaluationDialog(QDialog):
    """结业评价: the mentor rates the mentee's progress, the mentee rates the mentor. On an active pair
    it also ends the pair (结业); on a completed one it corrects the evaluation."""

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        closing = pair.state == ACTIVE
        self.setWindowTitle(f"{'结业评价' if closing else '修改结业评价'} — {pair.mentor_name}→{pair.mentee_name}")
        self.end_date = _date_edit(pair.actual_end or "")
        self.end_date.setMaximumDate(QDate.currentDate())
        self.end_date.setEnabled(closing)
        # No made-up default: an untouched box reads 未评分 and is saved as no rating.
        self.mentor_rating = _rating_box(pair.mentor_rating)
        self.mentor_comment = QPlainTextEdit(pair.mentor_comment)
        self.mentor_comment.setPlaceholderText("对照帮带目标，评价帮带对象的成长进步")
        self.mentee_rating = _rating_box(pair.mentee_rating)
        self.mentee_comment = QPlainTextEdit(pair.mentee_comment)
        self.mentee_comment.setPlaceholderText("帮带对象对导师帮带情况的评价")
        goals = QLabel(f"帮带目标：{pair.goals or '—'}")
        goals.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(goals)
        top = QFormLayout()
        top.addRow("结业日期", self.end_date)
        layout.addLayout(top)
        mentor_box = QGroupBox(f"导师（{pair.mentor_name}）评价帮带对象")
        form = QFormLayout(mentor_box)
        form.addRow("成长进步评分", self.mentor_rating)
        form.addRow("评语", self.mentor_comment)
        layout.addWidget(mentor_box)
        mentee_box = QGroupBox(f"帮带对象（{pair.mentee_name}）评价导师")
        form = QFormLayout(mentee_box)
        form.addRow("帮带效果评分", self.mentee_rating)
        form.addRow("评语", self.mentee_comment)
        layout.addWidget(mentee_box)
        early = closing and pair.planned_end and _ymd(self.end_date) < pair.planned_end
        if early:
            hint = QLabel(f"计划结束日期为 {format_date(pair.planned_end)}，现在结业将记为提前结业。")
            hint.setStyleSheet("color: #b26a00;")
            layout.addWidget(hint)
        buttons = _ok_cancel("结业" if closing else "保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def accept(self) -> None:
        values = dict(mentor_rating=_rating_value(self.mentor_rating), mentor_comment=self.mentor_comment.toPlainText(),
                      mentee_rating=_rating_value(self.mentee_rating), mentee_comment=self.mentee_comment.toPlainText())
        try:
            if self.pair.state == ACTIVE:
                mentoring.complete_pair(self.pair.id, self.pair.version, end_date=_ymd(self.end_date), **values)
            else:
                mentoring.set_evaluation(self.pair.id, self.pair.version, **values)
        except CadreDeskError as exc:
            _show_error(self, "不能保存结业评价", exc)
            return
        super().accept()


class TerminateDialog(QDialog):
    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.setWindowTitle(f"终止帮带 — {pair.mentor_name}→{pair.mentee_name}")
        self.end_date = _date_edit()
        self.end_date.setMaximumDate(QDate.currentDate())
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("必填：如导师工作调动、帮带对象岗位调整等")
        form = QFormLayout(self)
        form.addRow("终止日期", self.end_date)
        form.addRow("终止原因", self.reason)
        buttons = _ok_cancel("终止帮带")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 260)

    def accept(self) -> None:
        try:
            mentoring.terminate_pair(self.pair.id, self.pair.version, reason=self.reason.toPlainText(),
                                     end_date=_ymd(self.end_date))
        except CadreDeskError as exc:
            _show_error(self, "不能终止", exc)
            return
        super().accept()


class EditPairDialog(QDialog):
    """修改帮带方向、目标和关联的一线锻炼."""

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.setWindowTitle(f"修改结对信息 — {pair.mentor_name}→{pair.mentee_name}")
        self.focus = QLineEdit(pair.focus)
        self.focus.setMaxLength(100)
        self.goals = QPlainTextEdit(pair.goals)
        self.posting = QComboBox()
        self.posting.addItem("（不关联）", None)
        postings = mentoring.postings_module()
        if postings is not None:
            for info in postings.postings_for_cadre(pair.mentee_id):
                self.posting.addItem(f"{info.line_name}·{info.post_name}（{info.state}，{format_date(info.start)}起）",
                                     info.id)
        self.posting.setCurrentIndex(max(0, self.posting.findData(pair.posting_id)))
        form = QFormLayout(self)
        form.addRow("帮带方向", self.focus)
        form.addRow("帮带目标", self.goals)
        if postings is not None:
            form.addRow("关联锻炼岗位", self.posting)
        buttons = _ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 300)

    def accept(self) -> None:
        try:
            mentoring.update_pair(self.pair.id, self.pair.version, focus=self.focus.text(),
                                  goals=self.goals.toPlainText(), posting_id=self.posting.currentData())
        except CadreDeskError as exc:
            _show_error(self, "不能保存", exc)
            return
        super().accept()


class EndDateDialog(QDialog):
    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.setWindowTitle(f"调整结束日期 — {pair.mentor_name}→{pair.mentee_name}")
        self.planned_end = _date_edit(pair.planned_end)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("调整原因，如：一线锻炼期延长")
        form = QFormLayout(self)
        form.addRow("原计划结束", QLabel(format_date(pair.planned_end)))
        form.addRow("新的结束日期", self.planned_end)
        form.addRow("调整原因", self.reason)
        buttons = _ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(420, 180)

    def accept(self) -> None:
        try:
            mentoring.change_planned_end(self.pair.id, self.pair.version, _ymd(self.planned_end),
                                         reason=self.reason.text())
        except CadreDeskError as exc:
            _show_error(self, "不能调整结束日期", exc)
            return
        super().accept()


def create_pair_dialog(context: AppContext, mentee_id: int | None, posting_id: int | None = None,
                       parent=None) -> PairInfo | None:
    """Open 新建导师帮带结对 for a mentee (and the posting it belongs to); the pair created, or None."""
    dialog = PairDialog(context, mentee_id, posting_id, parent or context.main_window)
    if dialog.exec() == QDialog.Accepted and dialog.result_pair is not None:
        context.data_changed.emit(CAPABILITY)
        context.status_message.emit(f"已建立帮带结对：{dialog.result_pair.mentor_name}→"
                                    f"{dialog.result_pair.mentee_name}")
        return dialog.result_pair
    return None


# ---- the page -----------------------------------------------------------------------------------
class MentoringPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.state_box = QComboBox()
        self.state_box.addItem("全部状态", "")
        for state in STATES:
            self.state_box.addItem(state, state)
        self.state_box.setCurrentIndex(1)
        self.mentor_box = QComboBox()
        self.mentor_box.setMinimumWidth(140)
        self.unit_box = QComboBox()
        self.unit_box.setMinimumWidth(180)
        self.line_box = QComboBox()
        self.line_box.setMinimumWidth(120)
        self.line_label = QLabel("一线")
        self.count_label = QLabel()

        filters = QHBoxLayout()
        for label, box in (("状态", self.state_box), ("导师", self.mentor_box), ("单位", self.unit_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addWidget(self.line_label)
        filters.addWidget(self.line_box)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.new_button = QPushButton("新建结对")
        self.log_button = QPushButton("添加谈话记录")
        self.close_button = QPushButton("结业评价")
        self.terminate_button = QPushButton("终止")
        self.end_button = QPushButton("调整结束日期")
        self.refresh_button = QPushButton("刷新")
        actions = QHBoxLayout()
        for button in (self.new_button, self.log_button, self.close_button, self.terminate_button,
                       self.end_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.refresh_button)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["导师 → 帮带对象"])
        self.tree.setMinimumWidth(170)
        self.table, self.model = _pair_table()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.detail = PairDetail()

        right = QSplitter(Qt.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        main = QSplitter()
        main.addWidget(self.tree)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([190, 1000])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(main, 1)

        readonly = context.readonly
        for button in (self.new_button, self.log_button, self.close_button, self.terminate_button,
                       self.end_button):
            button.setEnabled(not readonly)
        self.new_button.clicked.connect(self.new_pair)
        self.log_button.clicked.connect(self.add_log)
        self.close_button.clicked.connect(self.evaluate)
        self.terminate_button.clicked.connect(self.terminate)
        self.end_button.clicked.connect(self.change_end)
        self.refresh_button.clicked.connect(self.reload)
        for box in (self.state_box, self.mentor_box, self.unit_box, self.line_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda index: self._open_profile(index))
        self.tree.itemClicked.connect(self._tree_clicked)
        self.detail.logs.itemDoubleClicked.connect(self._edit_log)
        self.detail.logs.setContextMenuPolicy(Qt.CustomContextMenu)
        self.detail.logs.customContextMenuRequested.connect(self._log_menu)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._pair_menu)
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(lambda _ids: self.reload())
        self.reload()

    # ---- data --------------------------------------------------------------------------------------
    def reload(self) -> None:
        loads = mentoring.mentor_loads()
        self._fill_filters(loads)
        self._fill_tree(loads)
        self.apply_filter()

    def _on_data_changed(self, capability: str) -> None:
        if capability in (CAPABILITY, "postings", ""):
            self.reload()

    def _fill_filters(self, loads: list[mentoring.MentorLoad]) -> None:
        from cadre_desk.units import units

        self._refill(self.mentor_box, "全部导师",
                     [(load.label, load.mentor_id) for load in sorted(loads, key=lambda m: m.mentor_name)])
        self._refill(self.unit_box, "全部单位",
                     [("　" * max(0, u.depth) + u.name, u.id) for u in units.list_units()])
        postings = mentoring.postings_module()
        lines = [(line.name, line.id) for line in postings.list_lines()] if postings is not None else []
        self._refill(self.line_box, "全部一线", lines)
        self.line_box.setVisible(postings is not None)
        self.line_label.setVisible(postings is not None)

    @staticmethod
    def _refill(box: QComboBox, all_text: str, items: list[tuple[str, object]]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(all_text, None)
        for text, data in items:
            box.addItem(text, data)
        i = box.findData(current)
        box.setCurrentIndex(i if i >= 0 else 0)
        box.blockSignals(False)

    def _fill_tree(self, loads: list[mentoring.MentorLoad]) -> None:
        self.tree.clear()
        for load in loads:
            if not load.active:
                continue
            top = QTreeWidgetItem([load.label])
            top.setData(0, Qt.UserRole, ("mentor", load.mentor_id))
            top.setToolTip(0, f"{load.mentor_name}，{load.unit_name}：进行中 {load.active} 人，上限 {load.cap} 人")
            if load.active >= load.cap:
                top.setForeground(0, QColor("#b71c1c"))
            for pair in load.pairs:
                if not pair.is_active:
                    continue
                child = QTreeWidgetItem([f"{pair.mentee_name}　{pair.focus}"])
                child.setData(0, Qt.UserRole, ("pair", pair.id))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()

    def current_filter(self) -> dict:
        flt = {"state": self.state_box.currentData() or None, "mentor_id": self.mentor_box.currentData(),
               "unit_id": self.unit_box.currentData()}
        if self.line_box.currentData() is not None:
            flt["line_id"] = self.line_box.currentData()
        return flt

    def apply_filter(self) -> None:
        selected = self.selected_pair()
        rows = mentoring.visible_pairs(**self.current_filter())
        self.model.set_rows(rows)
        self.table.setColumnHidden(len(COLUMNS) - 1, mentoring.postings_module() is None)
        header = self.table.horizontalHeader()
        if 0 <= header.sortIndicatorSection() < len(COLUMNS):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.count_label.setText(f"共 {len(rows)} 对")
        if not (selected is not None and self.select_pair(selected.id)) and rows:
            self.select_pair(self.model.rows[0].id)  # show a pair's logs at once
        self._selection_changed()

    def select_pair(self, pair_id: int) -> bool:
        for row, pair in enumerate(self.model.rows):
            if pair.id == pair_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                self._selection_changed()
                return True
        self._selection_changed()
        return False

    def selected_pair(self) -> PairInfo | None:
        index = self.table.currentIndex()
        return self.model.pair(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        pair = self.selected_pair()
        self.detail.show_pair(pair, self.model.posting_label(pair.posting_id) if pair else "")
        active = pair is not None and pair.is_active and not self.context.readonly
        self.log_button.setEnabled(active)
        self.terminate_button.setEnabled(active)
        self.end_button.setEnabled(active)
        self.close_button.setEnabled(pair is not None and pair.state != TERMINATED and not self.context.readonly)
        self.close_button.setText("修改结业评价" if pair is not None and pair.state == COMPLETED else "结业评价")

    def _tree_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        kind, value = item.data(0, Qt.UserRole) or (None, None)
        if kind == "mentor":
            i = self.mentor_box.findData(value)
            self.mentor_box.setCurrentIndex(max(i, 0))
        elif kind == "pair":
            if not self.select_pair(value):
                self.state_box.setCurrentIndex(0)
                self.mentor_box.setCurrentIndex(0)
                self.unit_box.setCurrentIndex(0)
                self.select_pair(value)

    def _open_profile(self, index) -> None:
        pair = self.model.pair(index.row())
        if pair is None:
            return
        self._profile(pair.mentor_id if COLUMNS[index.column()][0].startswith("mentor") else pair.mentee_id)

    # ---- actions -----------------------------------------------------------------------------------
    def _changed(self, pair_id: int | None = None) -> None:
        self.context.data_changed.emit(CAPABILITY)  # reloads this page too
        if pair_id is not None:
            self.select_pair(pair_id)

    def new_pair(self) -> None:
        ids = self.context.selected_cadre_ids()
        pair = create_pair_dialog(self.context, ids[0] if ids else None, parent=self)
        if pair is not None:
            self.state_box.setCurrentIndex(0)
            self.select_pair(pair.id)

    def _need_pair(self) -> PairInfo | None:
        pair = self.selected_pair()
        if pair is None:
            QMessageBox.information(self, "导师帮带", "请先在列表中选择一个帮带结对。")
        return pair

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.Accepted:
            self._changed(dialog.pair.id)

    def add_log(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(LogDialog(pair, parent=self))

    def _edit_log(self, item: QTreeWidgetItem, _column: int) -> None:
        pair = self.detail.pair
        if pair is None or self.context.readonly:
            return
        log_id = item.data(0, Qt.UserRole)
        log = next((x for x in mentoring.logs_for_pair(pair.id) if x.id == log_id), None)
        if log is not None:
            self._run(LogDialog(pair, log, parent=self))

    def _log_menu(self, pos) -> None:
        item = self.detail.logs.itemAt(pos)
        pair = self.detail.pair
        if item is None or pair is None or self.context.readonly or item.data(0, Qt.UserRole) is None:
            return
        menu = QMenu(self)
        menu.addAction("修改谈话记录…", lambda: self._edit_log(item, 0))
        menu.addAction("删除谈话记录", lambda: self.delete_log(item.data(0, Qt.UserRole)))
        menu.exec(self.detail.logs.viewport().mapToGlobal(pos))

    def delete_log(self, log_id: int, confirm: bool = True) -> None:
        pair = self.detail.pair
        if confirm and QMessageBox.question(self, "删除谈话记录", "确定删除这条谈话记录吗？") != QMessageBox.Yes:
            return
        try:
            mentoring.delete_log(log_id)
        except CadreDeskError as exc:
            _show_error(self, "不能删除", exc)
            return
        self._changed(pair.id if pair else None)

    def _pair_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        pair = self.model.pair(index.row()) if index.isValid() else None
        if pair is None:
            return
        menu = QMenu(self)
        menu.addAction(f"打开导师档案（{pair.mentor_name}）", lambda: self._profile(pair.mentor_id))
        menu.addAction(f"打开帮带对象档案（{pair.mentee_name}）", lambda: self._profile(pair.mentee_id))
        if not self.context.readonly:
            menu.addSeparator()
            menu.addAction("修改帮带方向和目标…", lambda: self._run(EditPairDialog(pair, parent=self)))
            menu.addAction("删除结对（录入错误时）…", lambda: self.delete_pair(pair))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _profile(self, cadre_id: int) -> None:
        try:
            self.context.open_profile(cadre_id, self)
        except ImportError:
            pass

    def delete_pair(self, pair: PairInfo, confirm: bool = True) -> None:
        text = (f"确定删除 {pair.mentor_name}→{pair.mentee_name} 的帮带结对吗？\n"
                f"其 {pair.log_count} 条谈话记录和结业评价将一并删除，此操作不能撤销。\n"
                "正常结束的帮带请用“结业评价”或“终止”。")
        if confirm and QMessageBox.question(self, "删除结对", text) != QMessageBox.Yes:
            return
        try:
            mentoring.delete_pair(pair.id, pair.version)
        except CadreDeskError as exc:
            _show_error(self, "不能删除", exc)
            return
        self._changed()

    def evaluate(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(EvaluationDialog(pair, parent=self))

    def terminate(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(TerminateDialog(pair, parent=self))

    def change_end(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(EndDateDialog(pair, parent=self))


# ---- profile tab --------------------------------------------------------------------------------
class ProfileMentoringTab(QWidget):
    """导师帮带 on the profile dialog: the cadre as mentor and as mentee, with logs of the selection."""

    def __init__(self, context: AppContext, cadre_id: int):
        super().__init__()
        self.context = context
        self.cadre_id = cadre_id
        self.as_mentee_label = QLabel()
        self.as_mentor_label = QLabel()
        self.mentee_table, self.mentee_model = _pair_table()
        self.mentor_table, self.mentor_model = _pair_table()
        for col in (0, 1):  # the cadre's own name and unit
            self.mentee_table.setColumnHidden(col + 2, True)
            self.mentor_table.setColumnHidden(col, True)
        self.detail = PairDetail()
        self.new_button = QPushButton("建立导师帮带…")
        self.new_button.setEnabled(not context.readonly)
        self.new_button.clicked.connect(self.new_pair)
        top = QHBoxLayout()
        top.addWidget(self.as_mentee_label)
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mentee_table, 1)
        layout.addWidget(self.as_mentor_label)
        layout.addWidget(self.mentor_table, 1)
        layout.addWidget(self.detail, 2)
        for table in (self.mentee_table, self.mentor_table):
            table.selectionModel().currentRowChanged.connect(
                lambda current, _prev, t=table: self._show(t, current.row()))
        self.reload()

    def reload(self) -> None:
        pairs = mentoring.pairs_for_cadre(self.cadre_id)
        as_mentee = [p for p in pairs if p.mentee_id == self.cadre_id]
        as_mentor = [p for p in pairs if p.mentor_id == self.cadre_id]
        self.mentee_model.set_rows(as_mentee)
        self.mentor_model.set_rows(as_mentor)
        active = sum(1 for p in as_mentor if p.is_active)
        self.as_mentee_label.setText(f"<b>作为帮带对象</b>（{len(as_mentee)} 次）")
        self.as_mentor_label.setText(f"<b>作为导师</b>（{len(as_mentor)} 次，进行中 {active}/"
                                     f"{mentoring.max_mentees()}）")
        no_postings = mentoring.postings_module() is None
        for table in (self.mentee_table, self.mentor_table):
            table.setColumnHidden(len(COLUMNS) - 1, no_postings)
        first = self.mentee_table if as_mentee else (self.mentor_table if as_mentor else None)
        if first is not None:
            first.selectRow(0)
            first.setCurrentIndex(first.model().index(0, 0))
            self._show(first, 0)
        else:
            self.detail.show_pair(None)

    def _show(self, table: QTableView, row: int) -> None:
        pair = table.model().pair(row)
        if pair is not None:
            other = self.mentor_table if table is self.mentee_table else self.mentee_table
            other.clearSelection()
        self.detail.show_pair(pair)

    def new_pair(self) -> None:
        if create_pair_dialog(self.context, self.cadre_id, parent=self) is not None:
            self.reload()


class SettingsDialog(QDialog):
    """工具 → 导师帮带设置: the cap of mentees, multiple mentors, the idle-log reminder."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导师帮带设置")
        current = mentoring.get_settings()
        self.max_mentees = QSpinBox()
        self.max_mentees.setRange(1, 20)
        self.max_mentees.setSuffix(" 人")
        self.max_mentees.setValue(current.max_mentees)
        self.multiple = QCheckBox("允许一名干部同时有多名导师")
        self.multiple.setChecked(current.allow_multiple_mentors)
        self.idle_days = QSpinBox()
        self.idle_days.setRange(1, 365)
        self.idle_days.setSuffix(" 天")
        self.idle_days.setValue(current.idle_days)
        form = QFormLayout(self)
        form.addRow("每名导师同时帮带上限", self.max_mentees)
        form.addRow("", self.multiple)
        form.addRow("超过多少天无谈话记录时提醒", self.idle_days)
        buttons = _ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        try:
            mentoring.save_settings(mentoring.MentoringSettings(
                self.max_mentees.value(), self.multiple.isChecked(), self.idle_days.value()))
        except CadreDeskError as exc:
            _show_error(self, "不能保存设置", exc)
            return
        super().accept()


def open_settings(context: AppContext) -> None:
    if SettingsDialog(context.main_window).exec() == QDialog.Accepted:
        context.data_changed.emit(CAPABILITY)


def pair_selected_cadres(context: AppContext, ids: list[int]) -> None:
    create_pair_dialog(context, ids[0])
