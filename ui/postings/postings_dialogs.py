"""Dialogs of the 一线锻炼 page: lines, posts, new posting, batch posting, 到岗, 期满, 召回, 更正, 人岗匹配.

Every dialog calls the service in ``accept`` and stays open with the message when it refuses."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError, ValidationError
from cadre_desk.postings import postings
from cadre_desk.profiles.cadre_list import COL, ID, CadreFilter, CadreIndex
from ui.shell.app import resize_to_screen

# ---- small helpers --------------------------------------------------------------------------------


def to_qdate(value: str) -> QDate:
    if not value or len(value) < 6:
        return QDate.currentDate()
    day = int(value[6:8]) if len(value) >= 8 else 1
    return QDate(int(value[:4]), int(value[4:6]), day)


def from_qdate(date: QDate) -> str:
    return date.toString("yyyyMMdd")


def date_edit(value: str = "") -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setLocale(QLocale(QLocale.Chinese, QLocale.China))  # a Chinese calendar popup on any system
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(130)
    return edit


def _message(parent: QWidget | None, icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.NoButton, parent)
    box.addButton("确定", QMessageBox.AcceptRole)
    box.exec()


def show_error(parent: QWidget | None, title: str, exc: Exception) -> None:
    _message(parent, QMessageBox.Warning, title, str(exc))


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    _message(parent, QMessageBox.Information, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "确定") -> bool:
    """A yes/no question with Chinese buttons (Qt's own Yes/No are not translated here)."""
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    ok = box.addButton(yes, QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.exec()
    return box.clickedButton() is ok


def show_summary(parent: QWidget | None, result: postings.BatchResult) -> None:
    BatchSummaryDialog(result, 0, parent).exec()


def ask_post_valid_only(parent: QWidget | None, result: postings.BatchResult, valid: int) -> bool:
    """After a refused all-or-nothing batch: list who failed and why, offer to post only the valid ones."""
    return BatchSummaryDialog(result, valid, parent).exec() == QDialog.Accepted


class BatchSummaryDialog(QDialog):
    """Who could not be posted and why; 仅选派符合条件的 N 人 or 取消 (关闭 after a finished batch)."""

    def __init__(self, result: postings.BatchResult, valid: int = 0, parent=None):
        super().__init__(parent)
        self.setWindowTitle("批量选派结果")
        lines = result.summary().splitlines()
        split = 2 if result.failures else 1
        head, rest = "\n".join(lines[:split]), lines[split:]
        label = QLabel(head)
        label.setWordWrap(True)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        text = QPlainTextEdit("\n".join(rest))
        text.setReadOnly(True)
        buttons = QDialogButtonBox()
        if result.rolled_back and valid:
            buttons.addButton(f"仅选派符合条件的 {valid} 人", QDialogButtonBox.AcceptRole)
            buttons.addButton("取消", QDialogButtonBox.RejectRole)
        else:
            buttons.addButton("关闭", QDialogButtonBox.RejectRole if result.rolled_back
                              else QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        if rest:
            layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(620, 420 if rest else 120)


def _index(context) -> CadreIndex:
    if getattr(context, "index", None) is None:
        context.index = CadreIndex.load()
    return context.index


def _text_edit(value: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setFixedHeight(height)
    return edit


class _FormDialog(QDialog):
    """A form with an error line and 确定/取消; subclasses implement ``save`` (raises on refusal)."""

    title = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignRight)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_value = None

    def save(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self.save()
        except ValidationError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        except CadreDeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


# ---- cadre picker ---------------------------------------------------------------------------------

class CadrePicker(QWidget):
    """Type a name, pinyin initials or ID number; pick from the matches."""

    def __init__(self, context, cadre_id: int | None = None, allow_empty: bool = False, parent=None):
        super().__init__(parent)
        self.index = _index(context)
        self.allow_empty = allow_empty
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名/拼音/身份证号")
        self.search.setMinimumWidth(140)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.combo, 2)
        self.search.textChanged.connect(self._refill)
        self._refill("")
        if cadre_id is not None:
            self.set_cadre(cadre_id)

    def _label(self, row: tuple) -> str:
        unit = self.index.unit_names.get(row[COL["unit"]], "")
        return f"{row[COL['name']]}（{unit}）"

    def _refill(self, text: str) -> None:
        current = self.combo.currentData()
        self.combo.clear()
        if self.allow_empty:
            self.combo.addItem("（无）", None)
        rows = self.index.filter(CadreFilter(text=text, status="1")) if text.strip() else []
        for row in sorted(rows, key=lambda r: r[ID])[:100]:
            self.combo.addItem(self._label(row), row[ID])
        if current is not None and self.combo.findData(current) < 0 and not text.strip():
            row = self.index.row(current)
            if row is not None:
                self.combo.addItem(self._label(row), current)
        pos = self.combo.findData(current)
        self.combo.setCurrentIndex(pos if pos >= 0 else (0 if self.combo.count() else -1))

    def set_cadre(self, cadre_id: int | None) -> None:
        if cadre_id is None:
            self.combo.setCurrentIndex(0 if self.allow_empty else -1)
            return
        if self.combo.findData(cadre_id) < 0:
            row = self.index.row(cadre_id)
            if row is None:
                return
            self.combo.addItem(self._label(row), cadre_id)
        self.combo.setCurrentIndex(self.combo.findData(cadre_id))

    def cadre_id(self) -> int | None:
        return self.combo.currentData()


# ---- lines and posts ------------------------------------------------------------------------------

class LineDialog(_FormDialog):
    title = "战线"

    def __init__(self, line: postings.LineInfo | None = None, parent=None):
        super().__init__(parent)
        self.line = line
        self.setWindowTitle("修改战线" if line else "新增战线")
        self.name = QLineEdit(line.name if line else "")
        self.months = QSpinBox()
        self.months.setRange(1, 60)
        self.months.setSuffix(" 个月")
        self.months.setValue(line.default_months if line else 6)
        self.form.addRow("战线名称：", self.name)
        self.form.addRow("默认锻炼期限：", self.months)
        self.setMinimumWidth(380)

    def save(self):
        if self.line is None:
            return postings.add_line(self.name.text(), self.months.value())
        return postings.update_line(self.line.id, self.line.version, self.name.text(), self.months.value())


class CategoryChecks(QWidget):
    def __init__(self, selected: str = "", parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        chosen = set((selected or "").split(","))
        self.boxes: list[tuple[str, QCheckBox]] = []
        for code, name in codes.table("CATEGORY").items:
            box = QCheckBox(name)
            box.setChecked(code in chosen)
            layout.addWidget(box)
            self.boxes.append((code, box))
        layout.addStretch(1)

    def value(self) -> str:
        return ",".join(code for code, box in self.boxes if box.isChecked())


class PostDialog(_FormDialog):
    title = "锻炼岗位"

    def __init__(self, post: postings.PostInfo | None = None, line_id: int | None = None, parent=None):
        super().__init__(parent)
        self.post = post
        self.setWindowTitle("编辑锻炼岗位" if post else "新增锻炼岗位")
        data = postings.post_input(post) if post else postings.PostInput(line_id=line_id)
        self.line = QComboBox()
        for line in postings.list_lines():
            if line.retired and (post is None or line.id != post.line_id):
                continue
            self.line.addItem(line.name + ("（已停用）" if line.retired else ""), line.id)
        self.line.setCurrentIndex(max(0, self.line.findData(data.line_id)))
        self.name = QLineEdit(data.name)
        self.name.setPlaceholderText("例如：XX项目服务专班")
        self.host_type = QComboBox()
        self.host_type.addItem("（未填）", "")
        for kind in postings.HOST_TYPES:
            self.host_type.addItem(kind, kind)
        self.host_type.setCurrentIndex(max(0, self.host_type.findData(data.host_type)))
        self.host_name = QLineEdit(data.host_name)
        self.duties = _text_edit(data.duties)
        self.requirements = QLineEdit(data.requirements)
        self.requirements.setPlaceholderText("所需专业特长，用顿号分隔，例如：项目管理、规划建设")
        self.categories = CategoryChecks(data.wanted_categories)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 9999)
        self.capacity.setSuffix(" 人")
        self.capacity.setValue(max(1, data.capacity))
        self.open_start = QLineEdit(format_date(data.open_start))
        self.open_end = QLineEdit(format_date(data.open_end))
        for edit in (self.open_start, self.open_end):
            edit.setPlaceholderText("例如 2026.01.01，可不填")
        period = QHBoxLayout()
        period.addWidget(self.open_start)
        period.addWidget(QLabel("至"))
        period.addWidget(self.open_end)
        self.party_branch = QLineEdit(data.party_branch)
        self.party_group = QLineEdit(data.party_group)
        self.host_contact = QLineEdit(data.host_contact)
        self.form.addRow("所属战线：", self.line)
        self.form.addRow("岗位名称：", self.name)
        self.form.addRow("承接单位类型：", self.host_type)
        self.form.addRow("承接单位：", self.host_name)
        self.form.addRow("岗位职责：", self.duties)
        self.form.addRow("专业要求：", self.requirements)
        self.form.addRow("面向干部类别：", self.categories)
        self.form.addRow("岗位容量：", self.capacity)
        self.form.addRow("开放时间：", period)
        self.form.addRow("功能型党支部：", self.party_branch)
        self.form.addRow("临时党小组：", self.party_group)
        self.form.addRow("承接单位联系人：", self.host_contact)
        self.setMinimumWidth(720)

    def save(self):
        data = postings.PostInput(
            line_id=self.line.currentData(), name=self.name.text(), host_type=self.host_type.currentData(),
            host_name=self.host_name.text(), duties=self.duties.toPlainText(),
            requirements=self.requirements.text(), wanted_categories=self.categories.value(),
            capacity=self.capacity.value(), open_start=self.open_start.text(), open_end=self.open_end.text(),
            party_branch=self.party_branch.text(), party_group=self.party_group.text(),
            host_contact=self.host_contact.text(),
            id=self.post.id if self.post else None, version=self.post.version if self.post else 0)
        return postings.save_post(data)


def post_combo(selected: int | None = None, only_open: bool = True) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumWidth(320)
    for post in postings.list_posts():
        if only_open and post.line_retired:
            continue
        combo.addItem(f"{post.line_name} / {post.name}（{post.filled}/{post.capacity}）", post.id)
    if selected is not None:
        combo.setCurrentIndex(max(0, combo.findData(selected)))
    else:
        vacant = next((p.id for p in postings.list_posts() if p.filled < p.capacity and not p.line_retired), None)
        combo.setCurrentIndex(max(0, combo.findData(vacant)))
    return combo


# ---- new postings ---------------------------------------------------------------------------------

class _PostingTerms(QWidget):
    """Post, channel, start and planned end (follows the line's default length until edited)."""

    def __init__(self, post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.post = post_combo(post_id)
        self.channel = QComboBox()
        self.channel.addItems(list(postings.CHANNELS))
        self.channel.setCurrentText("组织选派")
        self.start = date_edit()
        self.planned_end = date_edit()
        self.daily_manager = QLineEdit()
        self.daily_manager.setPlaceholderText("承接单位日常管理负责人")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self._auto = True
        self._setting = False
        self.post.currentIndexChanged.connect(lambda _i: self._update_end())
        self.start.dateChanged.connect(lambda _d: self._update_end())
        self.planned_end.dateChanged.connect(self._end_edited)
        self._update_end()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("锻炼岗位：", self.post)
        form.addRow("选派渠道：", self.channel)
        form.addRow("开始时间：", self.start)
        end = QHBoxLayout()
        end.addWidget(self.planned_end)
        end.addWidget(self.hint, 1)
        form.addRow("计划结束时间：", end)
        form.addRow("日常管理负责人：", self.daily_manager)

    def _end_edited(self, _date) -> None:
        if not self._setting:
            self._auto = False

    def _update_end(self) -> None:
        post_id = self.post.currentData()
        if post_id is None:
            return
        post = postings.get_post(post_id)
        months = postings.get_line(post.line_id).default_months
        full = post.filled >= post.capacity
        self.hint.setText(f"{post.line_name}默认锻炼 {months} 个月；岗位现有 {post.filled}/{post.capacity} 人"
                          + ("，已满" if full else ""))
        self.hint.setStyleSheet("color: #b00020;" if full else "color: #555;")
        if self._auto:
            self._setting = True
            self.planned_end.setDate(to_qdate(postings.add_months(from_qdate(self.start.date()), months)))
            self._setting = False


class NewPostingDialog(_FormDialog):
    title = "新建选派"

    def __init__(self, context, cadre_id: int | None = None, post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.cadre = CadrePicker(context, cadre_id)
        self.terms = _PostingTerms(post_id)
        self.guide = CadrePicker(context, allow_empty=True)
        self.remarks = QLineEdit()
        self.form.addRow("选派干部：", self.cadre)
        self.terms.add_rows(self.form)
        self.form.addRow("“一对一”指导人：", self.guide)
        self.form.addRow("备注：", self.remarks)
        self.setMinimumWidth(680)

    def save(self):
        cadre_id = self.cadre.cadre_id()
        if cadre_id is None:
            raise ValidationError({"cadre": "请选择要选派的干部"})
        t = self.terms
        return postings.create_posting(
            cadre_id, t.post.currentData(), t.channel.currentText(), from_qdate(t.start.date()),
            from_qdate(t.planned_end.date()), daily_manager=t.daily_manager.text(),
            guide_cadre_id=self.guide.cadre_id(), remarks=self.remarks.text())


class BatchPostDialog(_FormDialog):
    """Post the selected cadres to one post; every rule checked per person."""

    title = "选派到一线岗位"

    def __init__(self, context, cadre_ids: list[int], post_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.cadre_ids = list(cadre_ids)
        index = _index(context)
        names = [index.row(i)[COL["name"]] for i in self.cadre_ids if index.row(i) is not None]
        shown = "、".join(names[:12]) + (f" 等 {len(names)} 人" if len(names) > 12 else f"（共 {len(names)} 人）")
        people = QLabel(shown)
        people.setWordWrap(True)
        self.terms = _PostingTerms(post_id)
        self.form.addRow("选派干部：", people)
        self.terms.add_rows(self.form)
        note = QLabel("逐人检查选派条件；有人不符合时先列出人员和原因，由您决定是否仅选派符合条件的人员。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow("", note)
        self.batch_result: postings.BatchResult | None = None
        self.setMinimumWidth(680)

    def _run(self, all_or_nothing: bool) -> postings.BatchResult:
        t = self.terms
        return postings.post_cadres(
            self.cadre_ids, t.post.currentData(), t.channel.currentText(), from_qdate(t.start.date()),
            from_qdate(t.planned_end.date()), daily_manager=t.daily_manager.text(), all_or_nothing=all_or_nothing)

    def save(self):
        result = self._run(True)
        if result.rolled_back:
            valid = len(set(self.cadre_ids)) - len(result.failures)
            if not ask_post_valid_only(self, result, valid):
                raise ValidationError("未选派任何人。可调整岗位或人员后重试。")
            result = self._run(False)
        self.batch_result = result
        if result.failures:
            show_summary(self, result)
        else:
            show_info(self, "批量选派", result.summary())
        return result


# ---- state changes --------------------------------------------------------------------------------

class StartDialog(_FormDialog):
    title = "到岗"

    def __init__(self, posting: postings.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        self.form.addRow("干部：", QLabel(f"{posting.cadre_name}（{posting.unit_name}）"))
        self.form.addRow("岗位：", QLabel(f"{posting.line_name} / {posting.post_name}"))
        self.arrival = date_edit(posting.start)
        self.arrival.setMaximumDate(QDate.currentDate())  # an arrival ahead of today is refused
        self.form.addRow("到岗时间：", self.arrival)

    def save(self):
        return postings.start_posting(self.posting.id, self.posting.version, from_qdate(self.arrival.date()))


class FinishDialog(_FormDialog):
    title = "期满结束"

    def __init__(self, posting: postings.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        self.form.addRow("干部：", QLabel(f"{posting.cadre_name}（{posting.unit_name}）"))
        self.form.addRow("岗位：", QLabel(f"{posting.line_name} / {posting.post_name}"))
        self.form.addRow("锻炼期间：", QLabel(f"{format_date(posting.start)} 至 {format_date(posting.planned_end)}"))
        self.actual_end = date_edit(posting.planned_end if posting.planned_end <= postings._today() else "")
        self.actual_end.setMaximumDate(QDate.currentDate())
        self.appraisal = _text_edit(height=120)
        self.appraisal.setPlaceholderText("期满鉴定：政治表现、工作实绩、作风纪律、群众评价等")
        self.outcome = QComboBox()
        self.outcome.addItem("（请选择）", "")
        for outcome in postings.OUTCOMES:
            self.outcome.addItem(outcome, outcome)
        self.form.addRow("实际结束时间：", self.actual_end)
        self.form.addRow("期满鉴定：", self.appraisal)
        self.form.addRow("锻炼结果：", self.outcome)
        self.setMinimumWidth(640)

    def save(self):
        return postings.finish_posting(self.posting.id, self.posting.version, from_qdate(self.actual_end.date()),
                                       self.appraisal.toPlainText(), self.outcome.currentData())


class RecallDialog(_FormDialog):
    title = "提前召回"

    def __init__(self, posting: postings.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        self.form.addRow("干部：", QLabel(f"{posting.cadre_name}（{posting.unit_name}）"))
        self.form.addRow("岗位：", QLabel(f"{posting.line_name} / {posting.post_name}（{posting.state}）"))
        self.actual_end = date_edit()
        self.actual_end.setMaximumDate(QDate.currentDate())
        self.reason = _text_edit(height=90)
        self.reason.setPlaceholderText("必填：召回原因")
        self.form.addRow("召回时间：", self.actual_end)
        self.form.addRow("召回原因：", self.reason)
        self.setMinimumWidth(560)

    def save(self):
        return postings.recall_posting(self.posting.id, self.posting.version, from_qdate(self.actual_end.date()),
                                       self.reason.toPlainText())


class CorrectDialog(_FormDialog):
    """Edit an active posting, or correct a finished one (reason required, audited)."""

    title = "修改选派记录"

    def __init__(self, context, posting: postings.PostingInfo, parent=None):
        super().__init__(parent)
        self.posting = posting
        finished = posting.finished
        self.setWindowTitle("更正选派记录" if finished else "修改选派记录")
        self.form.addRow("干部：", QLabel(f"{posting.cadre_name}（{posting.unit_name}）"))
        self.form.addRow("岗位：", QLabel(f"{posting.line_name} / {posting.post_name}（{posting.state}）"))
        self.channel = QComboBox()
        self.channel.addItems(list(postings.CHANNELS))
        self.channel.setCurrentText(posting.channel)
        self.start = date_edit(posting.start)
        self.planned_end = date_edit(posting.planned_end)
        self.daily_manager = QLineEdit(posting.daily_manager)
        self.guide = CadrePicker(context, posting.guide_cadre_id, allow_empty=True)
        self.remarks = QLineEdit(posting.remarks)
        self.form.addRow("选派渠道：", self.channel)
        self.form.addRow("开始时间：", self.start)
        self.form.addRow("计划结束时间：", self.planned_end)
        self.form.addRow("日常管理负责人：", self.daily_manager)
        self.form.addRow("“一对一”指导人：", self.guide)
        self.form.addRow("备注：", self.remarks)
        self.actual_end = self.appraisal = self.outcome = self.recall_reason = None
        if finished:
            self.actual_end = date_edit(posting.actual_end)
            self.form.addRow("实际结束时间：", self.actual_end)
        if posting.state == postings.COMPLETED:
            self.appraisal = _text_edit(posting.appraisal_text, 100)
            self.outcome = QComboBox()
            self.outcome.addItems(list(postings.OUTCOMES))
            self.outcome.setCurrentText(posting.outcome)
            self.form.addRow("期满鉴定：", self.appraisal)
            self.form.addRow("锻炼结果：", self.outcome)
        if posting.state == postings.RECALLED:
            self.recall_reason = _text_edit(posting.recall_reason, 70)
            self.form.addRow("召回原因：", self.recall_reason)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("已结束的记录必须说明更正原因" if finished else "可不填")
        self.form.addRow("更正原因：", self.reason)
        self.setMinimumWidth(620)

    def changes(self) -> dict:
        p = self.posting
        values = {"channel": self.channel.currentText(), "start": from_qdate(self.start.date()),
                  "planned_end": from_qdate(self.planned_end.date()), "daily_manager": self.daily_manager.text().strip(),
                  "guide_cadre_id": self.guide.cadre_id(), "remarks": self.remarks.text().strip()}
        if self.actual_end is not None:
            values["actual_end"] = from_qdate(self.actual_end.date())
        if self.appraisal is not None:
            values["appraisal_text"] = self.appraisal.toPlainText().strip()
            values["outcome"] = self.outcome.currentText()
        if self.recall_reason is not None:
            values["recall_reason"] = self.recall_reason.toPlainText().strip()
        # partial stored dates (YYYYMM) stay as they are unless the user moved the month
        for key in ("start", "planned_end", "actual_end"):
            old = getattr(p, key)
            if key in values and old and len(old) == 6 and values[key][:6] == old:
                values[key] = old
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


# ---- matching -------------------------------------------------------------------------------------

class CandidateModel(QAbstractTableModel):
    COLUMNS = ("姓名", "单位", "干部类别", "专业特长", "短板弱项", "匹配分", "匹配说明")

    def __init__(self, rows: list[postings.Candidate], parent=None):
        super().__init__(parent)
        self.set_rows(rows)

    def set_rows(self, rows: list[postings.Candidate]) -> None:
        """The cells' texts are built once: sizing 200 wrapped rows asks for each of them many times."""
        self.beginResetModel()
        self.rows = rows
        self._texts = [(c.name, c.unit_name, c.categories, c.specialty, c.weaknesses, str(c.score), c.explanation)
                       for c in rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == Qt.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        return self.COLUMNS[section] if orientation == Qt.Horizontal else str(section + 1)


class MatchDialog(QDialog):
    """人岗匹配: candidates for a post with their scores explained; select and post them."""

    RESIZE_STEP = 20  # rows sized per turn of the event loop

    def __init__(self, context, post_id: int, parent=None):
        super().__init__(parent)
        self.context = context
        self.post = postings.get_post(post_id)
        self.setWindowTitle(f"人岗匹配 — {self.post.name}")
        info = QLabel(
            f"<b>{self.post.line_name} / {self.post.name}</b>　承接单位：{self.post.host or '未填'}　"
            f"现有 {self.post.filled}/{self.post.capacity} 人"
            f"{'（已满，需先有人期满或召回）' if self.post.filled >= self.post.capacity else ''}<br>专业要求：{self.post.requirements or '未填'}　"
            f"面向：{postings._category_names(self.post.wanted_categories) or '不限'}")
        info.setTextFormat(Qt.RichText)
        info.setWordWrap(True)
        # Scoring every serving cadre takes seconds at 100,000 cadres: off the GUI thread, the rows come
        # when done (``loaded``).
        self.model = CandidateModel([], self)
        self.loaded = False
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, width in enumerate((70, 140, 140, 170, 150, 55)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(6, QHeaderView.Stretch)
        header.sectionResized.connect(lambda *_: self.resize_rows())
        self.status = QLabel("正在从在职干部中计算候选人……")
        note = QLabel("只列出在职、当前不在一线岗位、属于岗位面向类别的干部；按专业特长契合度和可补短板排序。"
                      "选中后点“选派所选干部”。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        self.post_button = buttons.addButton("选派所选干部…", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.post_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(note)
        layout.addWidget(buttons)
        resize_to_screen(self, 1280, 680)
        self.batch: BatchPostDialog | None = None
        self.task = context.tasks.start(lambda _p: postings.match_candidates(post_id, limit=200),
                                        on_done=self._loaded, on_error=self._failed)

    def _loaded(self, rows: list[postings.Candidate]) -> None:
        if not shiboken6.isValid(self):
            return
        self.model.set_rows(rows)
        self.loaded = True
        self.status.setText(f"共 {len(rows)} 名候选人" if rows else "没有符合条件的候选人")
        self.resize_rows()

    def resize_rows(self, start: int = 0) -> None:
        """Wrapped rows sized a few at a time, one turn of the event loop each: measuring 200 rows of
        wrapped text at once held the window a quarter of a second."""
        if start == 0:
            self._resize_generation = getattr(self, "_resize_generation", 0) + 1
        generation = self._resize_generation
        end = min(start + self.RESIZE_STEP, self.model.rowCount())
        for row in range(start, end):
            self.table.resizeRowToContents(row)
        if end < self.model.rowCount():
            QTimer.singleShot(0, self, lambda: generation == self._resize_generation and self.resize_rows(end))

    def _failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            self.loaded = True
            self.status.setText(message or "已取消")

    def done(self, result: int) -> None:
        self.task.cancel()
        super().done(result)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].cadre_id for r in rows]

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.resize_rows()

    def make_batch_dialog(self) -> BatchPostDialog | None:
        ids = self.selected_ids()
        if not ids:
            show_info(self, "人岗匹配", "请先选择候选干部。")
            return None
        return BatchPostDialog(self.context, ids, self.post.id, self)

    def post_selected(self) -> None:
        dialog = self.make_batch_dialog()
        if dialog is not None and dialog.exec() == QDialog.Accepted:
            self.accept()


class ReminderList(QListWidget):
    """The reminders of this capability; double click opens the cadre."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.itemDoubleClicked.connect(self._open)

    def reload(self) -> int:
        return self.set_items(postings.reminders())

    def set_items(self, items) -> int:
        self.clear()
        for r in items:
            item = QListWidgetItem(("⚠ " if r.level == "warning" else "· ") + r.text)
            item.setData(Qt.UserRole, r.cadre_id)
            if r.level == "warning":
                item.setForeground(Qt.darkRed)
            self.addItem(item)
        return len(items)

    def _open(self, item: QListWidgetItem) -> None:
        cadre_id = item.data(Qt.UserRole)
        if cadre_id:
            try:
                self.context.open_profile(cadre_id, self)
            except ImportError:
                pass
