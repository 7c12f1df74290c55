"""Dialogs on a pair: create (mentee and mentor found by search), edit, move the end date, terminate.
Other pages call ``create_pair_dialog(context, mentee_id, posting_id)``."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.mentoring import mentoring
from cadre_desk.mentoring.mentoring import PairDraft, PairInfo
from cadre_desk.profiles.cadre_list import COL, ID, CadreFilter, CadreIndex
from ui.mentoring.common import CAPABILITY, cadre_index, date_edit, edit_ymd, ok_cancel, show_error, to_qdate
from ui.shell.context import AppContext


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
        index = cadre_index(self.context)
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
        row = cadre_index(self.context).row(cadre_id)
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
def posting_info(posting_id: int | None):
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
        posting = posting_info(posting_id)
        if posting is not None:
            if posting.guide_cadre_id:
                self.mentor.select(posting.guide_cadre_id)  # the posting's 带教 cadre is the natural mentor
        self.focus.setMaxLength(100)
        self.focus.setPlaceholderText("如：招商引资、项目建设、基层治理")
        self.goals = QPlainTextEdit()
        self.goals.setPlaceholderText("帮带目标，如：熟悉招商流程，独立牵头洽谈一个项目")
        self.goals.setFixedHeight(70)
        self.start = date_edit()
        today = clock.today()
        self.planned_end = date_edit((today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29)
                                       else today + _dt.timedelta(days=365)).strftime("%Y%m%d"))
        self.posting = QComboBox()
        self._posting_id = posting_id
        if posting is not None:
            self.focus.setText(posting.line_name)
            if posting.start and len(posting.start) >= 6:
                self.start.setDate(to_qdate(posting.start))
            if posting.planned_end and len(posting.planned_end) >= 6:
                self.planned_end.setDate(to_qdate(posting.planned_end))
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
                         focus=self.focus.text(), goals=self.goals.toPlainText(), start=edit_ymd(self.start),
                         planned_end=edit_ymd(self.planned_end), posting_id=self.posting.currentData())

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
            show_error(self, "不能建立结对", exc)
            return
        super().accept()


class TerminateDialog(QDialog):
    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.setWindowTitle(f"终止帮带 — {pair.mentor_name}→{pair.mentee_name}")
        self.end_date = date_edit()
        self.end_date.setMaximumDate(QDate.currentDate())
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("必填：如导师工作调动、帮带对象岗位调整等")
        form = QFormLayout(self)
        form.addRow("终止日期", self.end_date)
        form.addRow("终止原因", self.reason)
        buttons = ok_cancel("终止帮带")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 260)

    def accept(self) -> None:
        try:
            mentoring.terminate_pair(self.pair.id, self.pair.version, reason=self.reason.toPlainText(),
                                     end_date=edit_ymd(self.end_date))
        except CadreDeskError as exc:
            show_error(self, "不能终止", exc)
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
        buttons = ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 300)

    def accept(self) -> None:
        try:
            mentoring.update_pair(self.pair.id, self.pair.version, focus=self.focus.text(),
                                  goals=self.goals.toPlainText(), posting_id=self.posting.currentData())
        except CadreDeskError as exc:
            show_error(self, "不能保存", exc)
            return
        super().accept()


class EndDateDialog(QDialog):
    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.setWindowTitle(f"调整结束日期 — {pair.mentor_name}→{pair.mentee_name}")
        self.planned_end = date_edit(pair.planned_end)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("调整原因，如：一线锻炼期延长")
        form = QFormLayout(self)
        form.addRow("原计划结束", QLabel(format_date(pair.planned_end)))
        form.addRow("新的结束日期", self.planned_end)
        form.addRow("调整原因", self.reason)
        buttons = ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(420, 180)

    def accept(self) -> None:
        try:
            mentoring.change_planned_end(self.pair.id, self.pair.version, edit_ymd(self.planned_end),
                                         reason=self.reason.text())
        except CadreDeskError as exc:
            show_error(self, "不能调整结束日期", exc)
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
