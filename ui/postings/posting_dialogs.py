"""Dialogs on a posting: new, batch, 到岗, 期满结束 and 期满鉴定, 召回, 更正.

Every dialog calls the service in ``accept`` and stays open with the message when it refuses."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import clock, codes, dates
from cadre_desk.domain.dates import DateError, format_moment, format_period, parse_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import POSTING, POSTING_REVIEW
from cadre_desk.postings import frontline_posts, posting_data, posting_review, postings
from cadre_desk.profiles.cadre_list import COL
from ui.postings import batch_summary
from ui.postings.bottom_pane import WARNING_COLOUR
from ui.postings.line_post_dialogs import post_combo
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker, readable_cadres
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.window import resize_to_screen

# ---- new postings ---------------------------------------------------------------------------------

def _label(key: str) -> str:
    """A form row's label: the field's label in the registry (the same words as the list and the workbook)."""
    return f"{POSTING.label_of(key)}："


def _review_label(key: str) -> str:
    """A 期满鉴定 field's label (the 一线锻炼名册 and the dossier say the same)."""
    return f"{POSTING_REVIEW.label_of(key)}："


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


def busy_text(busy: dict[int, posting_data.PostingInfo]) -> str:
    """甲（在岗：乡村振兴 / 柳林乡驻村工作队）、乙（拟选派：…）: who is on a frontline posting already, and where."""
    return "、".join(f"{p.cadre_name}（{p.state}：{p.line_name} / {p.post_name}）" for p in busy.values())


class BatchPostDialog(FormDialog):
    """Post the selected cadres to one post; every rule checked per person."""

    title = "选派到一线岗位"

    def __init__(self, context, cadre_ids: list[int], post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        # who is already 拟选派 or 在岗 somewhere is told now, by name and post, and left out: the batch
        # refused on 确定 with 「有 1 人不符合选派条件」 after the clerk had filled in the post and dates
        self.busy = postings.active_postings(list(cadre_ids))
        self.cadre_ids = [i for i in cadre_ids if i not in self.busy]
        index = readable_cadres(context)
        names = [index.row(i)[COL["name"]] for i in self.cadre_ids if index.row(i) is not None]
        shown = "、".join(names[:12]) + (f" 等 {len(names)} 人" if len(names) > 12 else f"（共 {len(names)} 人）")
        people = QLabel(shown)
        people.setWordWrap(True)
        self.terms = PostingTerms(post_id)
        self.form.addRow("选派干部：", people)
        if self.busy:
            busy = QLabel(f"{busy_text(self.busy)}。同一时间只能在一个岗位锻炼，本次不选派")
            busy.setWordWrap(True)
            busy.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.form.addRow("已在一线岗位：", busy)
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


class ReviewDialog(FormDialog):
    """期满结束 of an 在岗 posting (its end, its 期满鉴定 and outcome), or 期满鉴定 of a 期满 one (opinions
    that come back later, the outcome decided later; what is already recorded changes with a reason).

    The 等次, the three opinions (each with its signer and date) side by side, then the outcome and what it
    leads to in the profile (新任职务, 职务层次/职级, 任职时间, the 简历 line), written into the profile
    when 同时记入干部档案 is ticked. Labels are the registry's (the 一线锻炼名册 and the dossier say the same)."""

    def __init__(self, context, posting: posting_data.PostingInfo, parent=None):
        self.finishing = posting.state == posting_data.ON_POST
        super().__init__(parent, "期满结束" if self.finishing else "期满鉴定")
        self.context = context
        self.posting = posting
        self.review = (posting_data.ReviewInfo(posting_id=posting.id) if self.finishing
                       else posting_review.get_review(posting.id))
        review = self.review
        _who_and_where(self, posting, with_state=not self.finishing)
        self.form.addRow("锻炼期间：", QLabel(format_period(posting.start, posting.actual_end or posting.planned_end)))
        self.actual_end = None
        if self.finishing:
            today = clock.today_yyyymmdd()
            self.actual_end = self.add_field("actual_end", _label("actual_end"), DateEdit(
                posting.planned_end if posting.planned_end <= today else today, label=POSTING.label_of("actual_end")))
        self.grade = QComboBox()
        self.grade.addItem("（请选择）", "")
        for grade in posting_data.REVIEW_GRADES:
            self.grade.addItem(grade, grade)
        self.grade.setCurrentIndex(max(0, self.grade.findData(review.grade)))
        self.add_field("grade", _review_label("grade"), self.grade)

        # the three opinions, side by side
        self.opinion_boxes: dict[str, tuple] = {}
        row = QHBoxLayout()
        for side, who in posting_data.OPINION_SIDES:
            row.addWidget(self._opinion_group(side, who, review))
        self.body.addLayout(row)
        self.body.addWidget(self._outcome_group(review))
        self.reason = None
        if not self.finishing:
            reason_form = QFormLayout()
            self.body.addLayout(reason_form)
            self.reason = self.add_field("reason", "更正原因：", QLineEdit(), form=reason_form)
            self.reason.setPlaceholderText("修改已记录的等次、意见或结果时必填；补填空缺的内容可不填")
        self._outcome_changed()
        resize_to_screen(self, 1180, 700)

    def _opinion_group(self, side: str, who: str, review: posting_data.ReviewInfo) -> QGroupBox:
        key = f"{side}_opinion"
        group = QGroupBox(POSTING_REVIEW.label_of(key))
        column = QVBoxLayout(group)
        text_form, sign_form = QFormLayout(), QFormLayout()
        column.addLayout(text_form)
        column.addLayout(sign_form)
        text = text_box(getattr(review, key), 110, f"{who}对其锻炼表现的鉴定意见")
        text.setMaximumHeight(16777215)  # the opinion takes whatever height the dialog has
        self.add_field(key, "", text, form=text_form)
        column.setStretch(0, 1)
        signer = self.add_field(f"{side}_signer", _review_label(f"{side}_signer"),
                                QLineEdit(getattr(review, f"{side}_signer")), form=sign_form)
        signer.setPlaceholderText("签署人姓名")
        day = self.add_field(f"{side}_date", _review_label(f"{side}_date"),
                             DateEdit(getattr(review, f"{side}_date"), precision="day",
                                      label=POSTING_REVIEW.label_of(f"{side}_date")), form=sign_form)
        self.opinion_boxes[side] = (text, signer, day)
        return group

    def _outcome_group(self, review: posting_data.ReviewInfo) -> QGroupBox:
        group = QGroupBox(f"{POSTING.label_of('outcome')}及使用")
        grid = QGridLayout(group)
        left, right = QFormLayout(), QFormLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.outcome = QComboBox()
        self.outcome.addItem("（请选择）", "")
        for outcome in posting_data.OUTCOMES:
            self.outcome.addItem(outcome, outcome)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(self.posting.outcome)))
        self.add_field("outcome", _label("outcome"), self.outcome, form=left)
        self.result_position = self.add_field("result_position", _review_label("result_position"),
                                              QLineEdit(review.result_position), form=left)
        self.result_position.setPlaceholderText("提拔使用：新任职务，如 市财政局副局长")
        self.result_rank = QComboBox()
        self.result_rank.addItem("（不变）", "")
        for code, name in codes.table("RANK").items:
            self.result_rank.addItem(name, code)
        self.result_rank.setCurrentIndex(max(0, self.result_rank.findData(review.result_rank)))
        self.add_field("result_rank", _review_label("result_rank"), self.result_rank, form=left)
        self.result_date = self.add_field("result_date", _review_label("result_date"), DateEdit(
            review.result_date, label=POSTING_REVIEW.label_of("result_date")), form=right)
        self.result_resume = self.add_field("result_resume", _review_label("result_resume"),
                                            QLineEdit(review.result_resume), form=right)
        self.result_resume.setPlaceholderText("记入简历的一行；提拔使用不填则同新任职务")
        self.result_note = self.add_field("result_note", _review_label("result_note"),
                                          QLineEdit(review.result_note), form=right)
        self.write_profile = QCheckBox("同时记入干部档案（现任职务、任现职时间、职务层次/职级、简历）")
        self.add_field("write_profile", "", self.write_profile, form=left)
        self.recorded = QLabel()
        self.recorded.setStyleSheet("color: #0b6b2f;")
        self.recorded.setWordWrap(True)
        if review.recorded:
            self.recorded.setText(f"已于 {format_moment(review.result_recorded_at)} 记入干部档案；"
                                  "如需改动，请在干部档案中修改。")
            for editor in (self.result_position, self.result_resume):
                editor.setReadOnly(True)
            self.result_rank.setEnabled(False)
            self.result_date.setReadOnly(True)
        grid.addWidget(self.recorded, 1, 0, 1, 2)
        self.outcome.currentIndexChanged.connect(lambda _i: self._outcome_changed())
        self._suggested = review.result_resume or review.result_position
        self.result_position.textEdited.connect(self._suggest_resume)
        return group

    def _outcome_changed(self) -> None:
        """Only what the chosen outcome can lead to is open: 新任职务 for 提拔使用, the rest of the result for
        提拔使用 and 晋升职级; writing into the profile only for those, and once."""
        outcome = self.outcome.currentData()
        recorded = self.review.recorded
        self.result_position.setEnabled(outcome == posting_data.PROMOTED)
        for editor in (self.result_date, self.result_resume):
            editor.setEnabled(outcome in posting_data.PROFILE_OUTCOMES)
        self.result_rank.setEnabled(outcome in posting_data.PROFILE_OUTCOMES and not recorded)
        self.write_profile.setVisible(outcome in posting_data.PROFILE_OUTCOMES and not recorded)
        if outcome not in posting_data.PROFILE_OUTCOMES:
            self.write_profile.setChecked(False)

    def _suggest_resume(self, text: str) -> None:
        """The 简历 line follows the new post until the clerk writes another."""
        if self.result_resume.text() in ("", self._suggested):
            self.result_resume.setText(text)
            self._suggested = text

    def review_input(self) -> posting_data.ReviewInfo:
        """What the form holds; a result the chosen outcome cannot lead to is left out."""
        outcome = self.outcome.currentData()
        promoted = outcome == posting_data.PROMOTED
        kept = outcome in posting_data.PROFILE_OUTCOMES
        values = {}
        for side, (text, signer, day) in self.opinion_boxes.items():
            values.update({f"{side}_opinion": text.toPlainText(), f"{side}_signer": signer.text(),
                           f"{side}_date": day.value()})
        return posting_data.ReviewInfo(
            posting_id=self.posting.id, version=self.review.version, grade=self.grade.currentData() or "",
            result_position=self.result_position.text() if promoted else "",
            result_rank=(self.result_rank.currentData() or "") if kept else "",
            result_date=self.result_date.value() if kept else "",
            result_resume=self.result_resume.text() if kept else "",
            result_note=self.result_note.text(), **values)

    def save(self):
        review = self.review_input()
        outcome = self.outcome.currentData() or ""
        write = self.write_profile.isVisible() and self.write_profile.isChecked()
        if self.finishing:
            saved = posting_review.finish_posting(self.posting.id, self.posting.version, self.actual_end.value(),
                                                  review, outcome, write_profile=write)
        else:
            saved = posting_review.save_review(self.posting.id, self.posting.version, review, outcome,
                                               reason=self.reason.text(), write_profile=write)
        if write:
            self.context.notify_cadres_changed([self.posting.cadre_id])
        return saved


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
        self.actual_end = self.recall_reason = None
        if finished:
            self.actual_end = self.add_field("actual_end", _label("actual_end"), DateEdit(posting.actual_end))
        if posting.state == posting_data.COMPLETED:
            note = QLabel("期满鉴定（等次、各方意见）和锻炼结果在“期满鉴定…”中填写和更正。")
            note.setStyleSheet("color: #555;")
            self.form.addRow("", note)
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
        if self.recall_reason is not None:
            values["recall_reason"] = self.recall_reason.toPlainText().strip()
        current = {"channel": p.channel, "start": p.start, "planned_end": p.planned_end,
                   "daily_manager": p.daily_manager, "guide_cadre_id": p.guide_cadre_id, "remarks": p.remarks,
                   "actual_end": p.actual_end, "recall_reason": p.recall_reason}
        return {k: v for k, v in values.items() if v != current[k]}

    def save(self):
        changes = self.changes()
        if not changes:
            raise ValidationError("没有修改任何内容")
        reason = self.reason.text().strip()
        if self.posting.finished or reason:
            return postings.correct_posting(self.posting.id, self.posting.version, reason, **changes)
        return postings.update_posting(self.posting.id, self.posting.version, **changes)
