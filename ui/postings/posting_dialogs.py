"""Dialogs on a posting: new, batch, 到岗, 期满, 召回, 更正.

Every dialog calls the service in ``accept`` and stays open with the message when it refuses."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from cadre_desk.domain import clock, dates
from cadre_desk.domain.dates import DateError, format_period, parse_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import POSTING
from cadre_desk.postings import frontline_posts, posting_data, postings
from cadre_desk.profiles.cadre_list import COL
from ui.postings import batch_summary
from ui.postings.line_post_dialogs import post_combo
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker, readable_cadres
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box

# ---- new postings ---------------------------------------------------------------------------------

def _label(key: str) -> str:
    """A form row's label: the field's label in the registry (the same words as the list and the workbook)."""
    return f"{POSTING.label_of(key)}："


class PostingTerms(QWidget):
    """Post, channel, start and planned end (follows the line's default length until edited)."""

    def __init__(self, post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.post = post_combo(post_id)
        self.channel = QComboBox()
        self.channel.addItems(list(posting_data.CHANNELS))
        self.channel.setCurrentText("组织选派")
        self.start = DateEdit(clock.today_yyyymmdd(), label="开始时间")
        self.planned_end = DateEdit(label="计划结束时间")
        self.daily_manager = QLineEdit()
        self.daily_manager.setPlaceholderText("承接单位日常管理负责人")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self._auto = True
        self._setting = False
        self.post.currentIndexChanged.connect(lambda _i: self._update_end())
        self.start.edited.connect(self._update_end)
        self.planned_end.edited.connect(self._end_edited)
        self._update_end()

    def add_rows(self, dialog: FormDialog) -> None:
        dialog.add_field("post_id", _label("post_name"), self.post)
        dialog.add_field("channel", _label("channel"), self.channel)
        dialog.add_field("start", _label("start"), self.start)
        end = QHBoxLayout()
        end.addWidget(self.planned_end)
        end.addWidget(self.hint, 1)
        dialog.add_field("planned_end", _label("planned_end"), end)
        dialog.fields["planned_end"] = (self.planned_end, dialog.fields["planned_end"][1])
        dialog.add_field("daily_manager", _label("daily_manager"), self.daily_manager)

    def _end_edited(self) -> None:
        if not self._setting:
            self._auto = False

    def _update_end(self) -> None:
        post_id = self.post.currentData()
        if post_id is None:
            return
        post = frontline_posts.get_post(post_id)
        months = frontline_posts.get_line(post.line_id).default_months
        full = post.filled >= post.capacity
        self.hint.setText(f"{post.line_name}默认锻炼 {months} 个月；岗位现有 {post.filled}/{post.capacity} 人"
                          + ("，已满" if full else ""))
        self.hint.setStyleSheet("color: #b00020;" if full else "color: #555;")
        if self._auto:
            try:
                start = parse_date(self.start.text())
            except DateError:
                return  # said at the field when saving
            if start:
                self._setting = True
                self.planned_end.set_value(dates.add_months(start, months))
                self._setting = False


class NewPostingDialog(FormDialog):
    title = "新建选派"

    def __init__(self, context, cadre_id: int | None = None, post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.cadre = self.add_field("cadre", "选派干部：", CadrePicker(context, cadre_id, compact=True))
        self.terms = PostingTerms(post_id)
        self.terms.add_rows(self)
        self.guide = self.add_field("guide_cadre_id", _label("guide_name"),
                                    CadrePicker(context, compact=True, allow_empty=True))
        self.remarks = self.add_field("remarks", _label("remarks"), QLineEdit())
        self.setMinimumWidth(680)

    def save(self):
        cadre_id = self.cadre.cadre_id()
        if cadre_id is None:
            raise ValidationError({"cadre": "请选择要选派的干部"})
        t = self.terms
        return postings.create_posting(
            cadre_id, t.post.currentData(), t.channel.currentText(), t.start.value(),
            t.planned_end.value(), daily_manager=t.daily_manager.text(),
            guide_cadre_id=self.guide.cadre_id(), remarks=self.remarks.text())


class BatchPostDialog(FormDialog):
    """Post the selected cadres to one post; every rule checked per person."""

    title = "选派到一线岗位"

    def __init__(self, context, cadre_ids: list[int], post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.cadre_ids = list(cadre_ids)
        index = readable_cadres(context)
        names = [index.row(i)[COL["name"]] for i in self.cadre_ids if index.row(i) is not None]
        shown = "、".join(names[:12]) + (f" 等 {len(names)} 人" if len(names) > 12 else f"（共 {len(names)} 人）")
        people = QLabel(shown)
        people.setWordWrap(True)
        self.terms = PostingTerms(post_id)
        self.form.addRow("选派干部：", people)
        self.terms.add_rows(self)
        note = QLabel("逐人检查选派条件；有人不符合时先列出人员和原因，由您决定是否仅选派符合条件的人员。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow("", note)
        self.batch_result: posting_data.BatchResult | None = None
        self.setMinimumWidth(680)

    def _run(self, all_or_nothing: bool) -> posting_data.BatchResult:
        t = self.terms
        return postings.post_cadres(
            self.cadre_ids, t.post.currentData(), t.channel.currentText(), t.start.value(),
            t.planned_end.value(), daily_manager=t.daily_manager.text(), all_or_nothing=all_or_nothing)

    def save(self):
        result = self._run(True)
        if result.rolled_back:
            valid = len(set(self.cadre_ids)) - len(result.failures)
            if not batch_summary.ask_post_valid_only(self, result, valid):
                raise ValidationError("未选派任何人。可调整岗位或人员后重试。")
            result = self._run(False)
        self.batch_result = result
        if result.failures:
            batch_summary.show_summary(self, result)
        else:
            messages.info(self, "批量选派", result.summary())
        return result


# ---- state changes --------------------------------------------------------------------------------

def _who_and_where(dialog: FormDialog, posting: posting_data.PostingInfo, with_state: bool = False) -> None:
    """The first rows of a dialog on one posting: the cadre, the post (and its state)."""
    dialog.form.addRow("干部：", QLabel(f"{posting.cadre_name}（{posting.unit_name}）"))
    state = f"（{posting.state}）" if with_state else ""
    dialog.form.addRow("岗位：", QLabel(f"{posting.line_name} / {posting.post_name}{state}"))


class StartDialog(FormDialog):
    title = "到岗"

    def __init__(self, posting: posting_data.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        _who_and_where(self, posting)
        # an arrival ahead of today is refused (said under the field)
        self.arrival = self.add_field("start", "到岗时间：", DateEdit(min(posting.start, clock.today_yyyymmdd())))

    def save(self):
        return postings.start_posting(self.posting.id, self.posting.version, self.arrival.value())


class FinishDialog(FormDialog):
    title = "期满结束"

    def __init__(self, posting: posting_data.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        _who_and_where(self, posting)
        self.form.addRow("锻炼期间：", QLabel(format_period(posting.start, posting.planned_end)))
        today = clock.today_yyyymmdd()
        self.actual_end = DateEdit(posting.planned_end if posting.planned_end <= today else today)
        self.appraisal = text_box(height=120, placeholder="期满鉴定：政治表现、工作实绩、作风纪律、群众评价等")
        self.outcome = QComboBox()
        self.outcome.addItem("（请选择）", "")
        for outcome in posting_data.OUTCOMES:
            self.outcome.addItem(outcome, outcome)
        self.add_field("actual_end", _label("actual_end"), self.actual_end)
        self.add_field("appraisal_text", _label("appraisal_text"), self.appraisal)
        self.add_field("outcome", _label("outcome"), self.outcome)
        self.setMinimumWidth(640)

    def save(self):
        return postings.finish_posting(self.posting.id, self.posting.version, self.actual_end.value(),
                                       self.appraisal.toPlainText(), self.outcome.currentData())


class RecallDialog(FormDialog):
    title = "提前召回"

    def __init__(self, posting: posting_data.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        _who_and_where(self, posting, with_state=True)
        self.actual_end = self.add_field("actual_end", "召回时间：", DateEdit(clock.today_yyyymmdd()))
        self.reason = self.add_field("recall_reason", _label("recall_reason"),
                                     text_box(height=90, placeholder="必填：召回原因"))
        self.setMinimumWidth(560)

    def save(self):
        return postings.recall_posting(self.posting.id, self.posting.version, self.actual_end.value(),
                                       self.reason.toPlainText())


class CorrectDialog(FormDialog):
    """Edit an active posting, or correct a finished one (reason required, audited)."""

    title = "修改选派记录"

    def __init__(self, context, posting: posting_data.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        finished = posting.finished
        self.setWindowTitle("更正选派记录" if finished else "修改选派记录")
        _who_and_where(self, posting, with_state=True)
        self.channel = QComboBox()
        self.channel.addItems(list(posting_data.CHANNELS))
        self.channel.setCurrentText(posting.channel)
        self.start = DateEdit(posting.start)
        self.planned_end = DateEdit(posting.planned_end)
        self.daily_manager = QLineEdit(posting.daily_manager)
        self.guide = CadrePicker(context, posting.guide_cadre_id, compact=True, allow_empty=True)
        self.remarks = QLineEdit(posting.remarks)
        self.add_field("channel", _label("channel"), self.channel)
        self.add_field("start", _label("start"), self.start)
        self.add_field("planned_end", _label("planned_end"), self.planned_end)
        self.add_field("daily_manager", _label("daily_manager"), self.daily_manager)
        self.add_field("guide_cadre_id", _label("guide_name"), self.guide)
        self.add_field("remarks", _label("remarks"), self.remarks)
        self.actual_end = self.appraisal = self.outcome = self.recall_reason = None
        if finished:
            self.actual_end = self.add_field("actual_end", _label("actual_end"), DateEdit(posting.actual_end))
        if posting.state == posting_data.COMPLETED:
            self.appraisal = text_box(posting.appraisal_text, 100)
            self.outcome = QComboBox()
            self.outcome.addItems(list(posting_data.OUTCOMES))
            self.outcome.setCurrentText(posting.outcome)
            self.add_field("appraisal_text", _label("appraisal_text"), self.appraisal)
            self.add_field("outcome", _label("outcome"), self.outcome)
        if posting.state == posting_data.RECALLED:
            self.recall_reason = self.add_field("recall_reason", _label("recall_reason"),
                                                text_box(posting.recall_reason, 70))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("已结束的记录必须说明更正原因" if finished else "可不填")
        self.add_field("reason", "更正原因：", self.reason)
        self.setMinimumWidth(620)

    def changes(self) -> dict:
        p = self.posting
        values = {"channel": self.channel.currentText(), "start": self.start.value(),
                  "planned_end": self.planned_end.value(), "daily_manager": self.daily_manager.text().strip(),
                  "guide_cadre_id": self.guide.cadre_id(), "remarks": self.remarks.text().strip()}
        if self.actual_end is not None:
            values["actual_end"] = self.actual_end.value()
        if self.appraisal is not None:
            values["appraisal_text"] = self.appraisal.toPlainText().strip()
            values["outcome"] = self.outcome.currentText()
        if self.recall_reason is not None:
            values["recall_reason"] = self.recall_reason.toPlainText().strip()
        current = {"channel": p.channel, "start": p.start, "planned_end": p.planned_end,
                   "daily_manager": p.daily_manager, "guide_cadre_id": p.guide_cadre_id, "remarks": p.remarks,
                   "actual_end": p.actual_end, "appraisal_text": p.appraisal_text, "outcome": p.outcome,
                   "recall_reason": p.recall_reason}
        return {k: v for k, v in values.items() if v != current[k]}

    def save(self):
        changes = self.changes()
        if not changes:
            raise ValidationError("没有修改任何内容")
        reason = self.reason.text().strip()
        if self.posting.finished or reason:
            return postings.correct_posting(self.posting.id, self.posting.version, reason, **changes)
        return postings.update_posting(self.posting.id, self.posting.version, **changes)
