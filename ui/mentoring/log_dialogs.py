"""A pair's meeting log and the closing two-way evaluation."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.mentoring import mentoring
from cadre_desk.mentoring.mentoring import ACTIVE, FORMS, PairInfo
from ui.mentoring.common import date_edit, edit_ymd, ok_cancel, show_error


class LogDialog(QDialog):
    """添加 / 修改谈话记录."""

    def __init__(self, pair: PairInfo, log: mentoring.MeetingLogInfo | None = None, parent=None):
        super().__init__(parent)
        self.pair = pair
        self.log = log
        self.setWindowTitle(f"{'修改' if log else '添加'}谈话记录 — {pair.mentor_name}→{pair.mentee_name}")
        self.date = date_edit(log.date if log else "")
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
        buttons = ok_cancel("保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 420)

    def accept(self) -> None:
        args = (edit_ymd(self.date), self.form_box.currentText(), self.content.toPlainText(),
                self.next_steps.toPlainText())
        try:
            if self.log:
                mentoring.update_log(self.log.id, *args)
            else:
                mentoring.add_log(self.pair.id, *args)
        except CadreDeskError as exc:
            show_error(self, "不能保存谈话记录", exc)
            return
        super().accept()


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


class EvaluationDialog(QDialog):
    """结业评价: the mentor rates the mentee's progress, the mentee rates the mentor. On an active pair
    it also ends the pair (结业); on a completed one it corrects the evaluation."""

    def __init__(self, pair: PairInfo, parent=None):
        super().__init__(parent)
        self.pair = pair
        closing = pair.state == ACTIVE
        self.setWindowTitle(f"{'结业评价' if closing else '修改结业评价'} — {pair.mentor_name}→{pair.mentee_name}")
        self.end_date = date_edit(pair.actual_end or "")
        self.end_date.setMaximumDate(QDate.currentDate())
        self.end_date.setEnabled(closing)
        # No made-up default: an untouched box reads 未评分 and is saved as no rating.
        self.mentor_rating = rating_box(pair.mentor_rating)
        self.mentor_comment = QPlainTextEdit(pair.mentor_comment)
        self.mentor_comment.setPlaceholderText("对照帮带目标，评价帮带对象的成长进步")
        self.mentee_rating = rating_box(pair.mentee_rating)
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
        early = closing and pair.planned_end and edit_ymd(self.end_date) < pair.planned_end
        if early:
            hint = QLabel(f"计划结束日期为 {format_date(pair.planned_end)}，现在结业将记为提前结业。")
            hint.setStyleSheet("color: #b26a00;")
            layout.addWidget(hint)
        buttons = ok_cancel("结业" if closing else "保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def accept(self) -> None:
        values = dict(mentor_rating=rating_value(self.mentor_rating), mentor_comment=self.mentor_comment.toPlainText(),
                      mentee_rating=rating_value(self.mentee_rating), mentee_comment=self.mentee_comment.toPlainText())
        try:
            if self.pair.state == ACTIVE:
                mentoring.complete_pair(self.pair.id, self.pair.version, end_date=edit_ymd(self.end_date), **values)
            else:
                mentoring.set_evaluation(self.pair.id, self.pair.version, **values)
        except CadreDeskError as exc:
            show_error(self, "不能保存结业评价", exc)
            return
        super().accept()
