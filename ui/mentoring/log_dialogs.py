"""A pair's meeting log and the closing two-way evaluation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import MEETING_LOG, MENTOR_PAIR
from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes
from cadre_desk.mentoring.mentoring import ACTIVE, FORMS, PairInfo
from ui.mentoring.common import bracketed_name
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box


class LogDialog(FormDialog):
    """添加 / 修改谈话记录."""

    ok_text = "保存"

    def __init__(self, pair: PairInfo, log: mentoring.MeetingLogInfo | None = None, parent=None):
        super().__init__(parent, f"{'修改' if log else '添加'}谈话记录 — {pair.mentor_name}→{pair.mentee_name}")
        self.pair = pair
        self.log = log
        label = MEETING_LOG.label_of
        self.date = self.add_field("date", label("date"), DateEdit(log.date if log else clock.today_yyyymmdd(), "day"))
        self.form_box = self.add_field("form", label("form"), QComboBox())
        self.form_box.addItems(FORMS)
        self.content = self.add_field("content", label("content"),
                                      text_box(height=160, placeholder="谈话或指导的主要内容"))
        self.next_steps = self.add_field("next_steps", label("next_steps"), text_box(placeholder=label("next_steps")))
        if log:
            self.form_box.setCurrentText(log.form)
            self.content.setPlainText(log.content)
            self.next_steps.setPlainText(log.next_steps)
        self.resize(560, 420)

    def save(self) -> None:
        args = (self.date.value(), self.form_box.currentText(), self.content.toPlainText(),
                self.next_steps.toPlainText())
        if self.log:  # not over another's later change of it without a word
            self.save_checked(lambda: meeting_logs.update_log(self.log.id, *args, before=self.log),
                              lambda: meeting_logs.update_log(self.log.id, *args))
        else:
            meeting_logs.add_log(self.pair.id, *args)


def rating_box(value: float | None) -> QSpinBox:
    """A 0–100 score box whose lowest step reads 未评分 (no rating)."""
    box = QSpinBox()
    box.setRange(-1, 100)
    box.setSpecialValueText("未评分")
    box.setSuffix(" 分")
    box.setValue(int(round(value)) if value is not None else -1)
    return box


def rating_value(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


class EvaluationDialog(FormDialog):
    """结业评价: the mentor rates the mentee's progress, the mentee rates the mentor. On an active pair
    it also ends the pair (结业); on a completed one it corrects the evaluation."""

    def __init__(self, pair: PairInfo, parent=None):
        closing = pair.state == ACTIVE
        super().__init__(parent, f"{'结业评价' if closing else '修改结业评价'} — {pair.mentor_name}→{pair.mentee_name}",
                         ok_text="结业" if closing else "保存")
        self.pair = pair
        goals = QLabel(f"帮带目标：{pair.goals or '—'}")
        goals.setWordWrap(True)
        self.form.addRow(goals)
        self.end_date = self.add_field("actual_end", "结业日期",
                                       DateEdit(pair.actual_end or clock.today_yyyymmdd(), "day"))
        self.end_date.setEnabled(closing)
        # No made-up default: an untouched box reads 未评分 and is saved as no rating.
        self.mentor_rating = rating_box(pair.mentor_rating)
        self.mentor_comment = text_box(pair.mentor_comment, 90, "对照帮带目标，评价帮带对象的成长进步")
        self.mentee_rating = rating_box(pair.mentee_rating)
        self.mentee_comment = text_box(pair.mentee_comment, 90, "帮带对象对导师帮带情况的评价")
        for title, rating, comment, key in (
                (f"导师（{bracketed_name(pair.mentor_name)}）评价帮带对象的成长进步", self.mentor_rating, self.mentor_comment,
                 "mentor"),
                (f"帮带对象（{bracketed_name(pair.mentee_name)}）评价导师的帮带效果", self.mentee_rating, self.mentee_comment,
                 "mentee")):
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.addRow(MENTOR_PAIR.label_of(f"{key}_rating"), rating)
            form.addRow(MENTOR_PAIR.label_of(f"{key}_comment"), comment)
            self.body.addWidget(box)
            self.fields[f"{key}_rating"] = (rating, self.banner)
            self.fields[f"{key}_comment"] = (comment, self.banner)
        early = closing and pair.planned_end and clock.today_yyyymmdd() < pair.planned_end
        if early:
            hint = QLabel(f"计划结束日期为 {format_date(pair.planned_end)}，现在结业将记为提前结业。")
            hint.setStyleSheet("color: #b26a00;")
            self.body.addWidget(hint)
        self.resize(560, 560)

    def save(self) -> None:
        values = dict(mentor_rating=rating_value(self.mentor_rating), mentor_comment=self.mentor_comment.toPlainText(),
                      mentee_rating=rating_value(self.mentee_rating), mentee_comment=self.mentee_comment.toPlainText())
        if self.pair.state == ACTIVE:
            pair_changes.complete_pair(self.pair.id, self.pair.version, end_date=self.end_date.value(), **values)
        else:
            self.save_checked(lambda: pair_changes.set_evaluation(self.pair.id, self.pair.version, **values),
                              lambda: pair_changes.set_evaluation(self.pair.id, mentoring.get_pair(self.pair.id).version,
                                                                  **values))
