"""Dialogs on a pair: create (mentee and mentor found by search), edit, move the end date, terminate.
Other pages call ``create_pair_dialog(context, mentee_id, posting_id)``."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError, Cancelled, ValidationError
from cadre_desk.mentoring import mentoring, pair_changes
from cadre_desk.mentoring.mentoring import PairDraft, PairInfo
from cadre_desk.postings import postings
from ui.mentoring.common import CAPABILITY
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.choices import NO_POSTING, posting_items, refill
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box


# ---- dialogs ------------------------------------------------------------------------------------
def posting_info(posting_id: int | None):
    if not posting_id:
        return None
    try:
        return postings.get_posting(posting_id)
    except CadreDeskError:
        return None


class PairDialog(FormDialog):
    """新建帮带结对: mentee and mentor with search boxes, focus, goals, period, optional posting."""

    title = "新建导师帮带结对"
    ok_text = "建立结对"

    def __init__(self, context: AppContext, mentee_id: int | None = None, posting_id: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.context = context
        self.result_pair: PairInfo | None = None
        self.mentee = CadrePicker(context, mentee_id, placeholder="搜索帮带对象：姓名、拼音首字母、单位",
                                  order="-birth")
        loads = {m.mentor_id: f"（在帮 {m.active}/{m.cap}）" for m in mentoring.mentor_loads() if m.active}
        self.mentor = CadrePicker(context, placeholder="搜索导师：姓名、拼音首字母、单位", order="birth", notes=loads)
        posting = posting_info(posting_id)
        if posting is not None and posting.guide_cadre_id:
            self.mentor.set_cadre(posting.guide_cadre_id)  # the posting's 带教 cadre is the natural mentor
        self.focus = QLineEdit()
        self.focus.setMaxLength(100)
        self.focus.setPlaceholderText("如：招商引资、项目建设、基层治理")
        self.goals = text_box(placeholder="帮带目标，如：熟悉招商流程，独立牵头洽谈一个项目")
        today = clock.today()
        self.start = DateEdit(clock.today_yyyymmdd(), label="开始日期")
        self.planned_end = DateEdit((today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29)
                                     else today + _dt.timedelta(days=365)).strftime("%Y%m%d"), label="计划结束日期")
        self.posting = QComboBox()
        self._posting_id = posting_id
        if posting is not None:
            self.focus.setText(posting.line_name)
            if posting.start:
                self.start.set_value(posting.start)
            if posting.planned_end:
                self.planned_end.set_value(posting.planned_end)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b26a00;")

        people = QHBoxLayout()
        for key, title, picker in (("mentee_id", "帮带对象", self.mentee), ("mentor_id", "导师", self.mentor)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(picker)
            people.addWidget(box)
            self.fields[key] = (picker, self.banner)
        self.layout_.insertLayout(0, people, 1)
        self.add_field("focus", "帮带方向", self.focus)
        self.add_field("goals", "帮带目标", self.goals)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("至"))
        period.addWidget(self.planned_end)
        period.addStretch(1)
        self.add_field("planned_end", "帮带期限", period)
        self.fields["start"] = self.fields["planned_end"]
        self.posting_row_label = QLabel("关联锻炼岗位")
        self.form.addRow(self.posting_row_label, self.posting)
        self.body.addWidget(self.notice)
        self.resize(1180, 620)  # each picker line (name, post, month of birth) whole at 1366×768
        self.mentee.cadre_selected.connect(self._changed)
        self.mentor.cadre_selected.connect(self._changed)
        self._changed()

    def _fill_postings(self) -> None:
        self.posting.clear()
        self.posting.addItem(NO_POSTING, None)
        mentee_id = self.mentee.cadre_id()
        if mentee_id:
            for text, posting_id in posting_items(mentee_id):
                self.posting.addItem(text, posting_id)
            i = self.posting.findData(self._posting_id)
            if i >= 0:
                self.posting.setCurrentIndex(i)

    def pair_draft(self) -> PairDraft:
        return PairDraft(mentor_id=self.mentor.cadre_id(), mentee_id=self.mentee.cadre_id(),
                         focus=self.focus.text(), goals=self.goals.toPlainText(), start=self.start.value(),
                         planned_end=self.planned_end.value(), posting_id=self.posting.currentData())

    def _changed(self, *_args) -> None:
        self._fill_postings()
        if not (self.mentor.cadre_id() and self.mentee.cadre_id()):
            self.notice.setText("请分别选择帮带对象和导师。")
            return
        try:
            draft = self.pair_draft()
        except ValidationError:
            return  # a date that cannot be read: said under it when saving
        errors, warnings = pair_changes.validate_draft(draft)
        errors = {k: v for k, v in errors.items() if k in ("", "mentor_id", "mentee_id", "posting_id")}
        lines = [f"✖ {m}" for m in errors.values()] + [f"⚠ {w}" for w in warnings]
        self.notice.setText("\n".join(lines))

    def save(self) -> PairInfo:
        draft = self.pair_draft()
        errors, warnings = pair_changes.validate_draft(draft)
        if errors:
            raise ValidationError(errors)
        if warnings and not messages.confirm(self, "请确认", "\n".join(warnings) + "\n\n仍要建立该帮带结对吗？",
                                             "建立结对"):
            raise Cancelled()
        self.result_pair = pair_changes.create_pair(draft).pair
        return self.result_pair


class TerminateDialog(FormDialog):
    ok_text = "终止帮带"

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent, f"终止帮带 — {pair.mentor_name}→{pair.mentee_name}")
        self.pair = pair
        self.end_date = self.add_field("actual_end", "终止日期", DateEdit(clock.today_yyyymmdd(), "day"))
        self.reason = self.add_field("end_reason", "终止原因",
                                     text_box(height=90, placeholder="必填：如导师工作调动、帮带对象岗位调整等"))
        self.resize(480, 260)

    def save(self) -> None:
        pair_changes.terminate_pair(self.pair.id, self.pair.version, reason=self.reason.toPlainText(),
                                    end_date=self.end_date.value())


class EditPairDialog(FormDialog):
    """修改帮带方向、目标和关联的一线锻炼."""

    ok_text = "保存"

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent, f"修改结对信息 — {pair.mentor_name}→{pair.mentee_name}")
        self.pair = pair
        self.focus = self.add_field("focus", "帮带方向", QLineEdit(pair.focus))
        self.focus.setMaxLength(100)
        self.goals = self.add_field("goals", "帮带目标", text_box(pair.goals, 100))
        self.posting = QComboBox()
        refill(self.posting, NO_POSTING, posting_items(pair.mentee_id))
        self.add_field("posting_id", "关联锻炼岗位", self.posting)
        self.posting.setCurrentIndex(max(0, self.posting.findData(pair.posting_id)))
        self.resize(520, 300)

    def save(self) -> None:
        typed = dict(focus=self.focus.text(), goals=self.goals.toPlainText(), posting_id=self.posting.currentData())
        self.save_checked(lambda: pair_changes.update_pair(self.pair.id, self.pair.version, **typed),
                          lambda: pair_changes.update_pair(self.pair.id, _stored_version(self.pair), **typed))


class EndDateDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent, f"调整结束日期 — {pair.mentor_name}→{pair.mentee_name}")
        self.pair = pair
        self.form.addRow("原计划结束", QLabel(format_date(pair.planned_end)))
        self.planned_end = self.add_field("planned_end", "新的结束日期", DateEdit(pair.planned_end))
        self.reason = self.add_field("reason", "调整原因", QLineEdit())
        self.reason.setPlaceholderText("调整原因，如：一线锻炼期延长")
        self.resize(420, 180)

    def save(self) -> None:
        typed = (self.planned_end.value(), self.reason.text())
        self.save_checked(lambda: pair_changes.change_planned_end(self.pair.id, self.pair.version, *typed),
                          lambda: pair_changes.change_planned_end(self.pair.id, _stored_version(self.pair), *typed))


def _stored_version(pair: PairInfo) -> int:
    """仍然保存我的修改: the change made over the pair as stored now (another's change since it was read)."""
    return mentoring.get_pair(pair.id).version


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
