"""实绩档案 tab: a cadre's 周小结/月上报/季检查/年考核 records and their edit dialog."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.appraisal import records
from cadre_desk.appraisal.scoring import (
    PERIOD_OF_KIND,
    RECORD_KINDS,
    current_period,
)
from cadre_desk.domain.dates import format_period
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.periods import period_label
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.period_edit import PeriodEdit
from ui.widgets.rows_model import Column, RowsModel, current_row, make_table
from ui.widgets.window import restore_splitters, save_splitters

# ---- 实绩档案 ------------------------------------------------------------------------------------


class RecordDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, cadre_id: int, info: records.RecordInfo | None = None, parent=None):
        super().__init__(parent, "修改实绩记录" if info and info.id else "新增实绩记录")
        self.info = info or records.RecordInfo(None, cadre_id, "月上报", current_period("月上报"), "")
        self.kind = QComboBox()
        self.kind.addItems(RECORD_KINDS)
        self.kind.setCurrentText(self.info.kind)
        self.period = PeriodEdit(self.info.period, PERIOD_OF_KIND.get(self.info.kind))
        self.content = text_box(self.info.content, 160, "本期主要工作、完成情况、存在问题")
        self.comment = text_box(self.info.reviewer_comment, 70)
        self.reviewer = QLineEdit(self.info.reviewer)
        self.reviewer.setPlaceholderText("如：组织部、驻村工作队队长")
        self.posting = QComboBox()
        self.posting.addItem("（不关联）", None)
        for posting in records.postings_for_cadre(cadre_id):
            period = format_period(posting.start, posting.actual_end or posting.planned_end)
            self.posting.addItem(f"{posting.line_name}·{posting.post_name}（{period}，"
                                 f"{posting.state}）", posting.id)
            if posting.id == self.info.posting_id:
                self.posting.setCurrentIndex(self.posting.count() - 1)
        if self.info.id is None and self.posting.count() > 1:
            active = [i for i in range(1, self.posting.count()) if "在岗" in self.posting.itemText(i)]
            if active:
                self.posting.setCurrentIndex(active[0])
        self.add_field("kind", "记录类型", self.kind)
        self.add_field("period", "期间", self.period)
        self.add_field("content", "实绩内容", self.content)
        self.add_field("reviewer_comment", "审核意见", self.comment)
        self.add_field("reviewer", "审核人", self.reviewer)
        self.add_field("posting_id", "关联一线岗位", self.posting)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.resize(560, 480)
        self.saved: records.RecordInfo | None = None

    def _kind_changed(self, kind: str) -> None:
        self.period.set_unit(PERIOD_OF_KIND.get(kind))
        self.period.set_value(current_period(kind))

    def save(self) -> records.RecordInfo:
        info = records.RecordInfo(self.info.id, self.info.cadre_id, self.kind.currentText(), self.period.value(),
                                  self.content.toPlainText(), self.comment.toPlainText(),
                                  self.posting.currentData(), self.reviewer.text(), version=self.info.version)
        self.saved = self.save_checked(lambda: records.save_record(info),
                                       lambda: records.save_record(info, overwrite=True))
        return self.saved


class RecordsTab(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.picker = CadrePicker(context, status="")
        self.title = QLabel("请在左侧选择干部")
        self.title.setObjectName("sectionTitle")
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("全部类型", "")
        for kind in RECORD_KINDS:
            self.kind_filter.addItem(kind, kind)
        self.model = RowsModel([
            Column("期间", lambda r: r.period_label, 120), Column("类型", lambda r: r.kind, 70),
            Column("实绩内容", lambda r: r.content, 380), Column("审核意见", lambda r: r.reviewer_comment, 200),
            Column("审核人", lambda r: r.reviewer, 90), Column("关联岗位", lambda r: self._posting_name(r), 140),
            Column("记录人", lambda r: r.recorder, 80)])
        self.table = make_table(self.model, stretch=2)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add, edit, delete = QPushButton("新增记录"), QPushButton("修改"), QPushButton("删除")
        self.add_button, self.edit_button, self.delete_button = add, edit, delete
        add.clicked.connect(self.add)
        edit.clicked.connect(self.edit)
        delete.clicked.connect(self.delete)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.kind_filter)
        for button in (add, edit, delete):
            bar.addWidget(button)
        # reminders: cadres on an active posting whose entry of the current period is missing
        self.reminder_kind = QComboBox()
        self.reminder_kind.addItems(RECORD_KINDS)
        self.reminder_kind.setCurrentText("月上报")
        self.reminder_label = QLabel()
        self.reminder_list = QListWidget()
        self.reminder_list.itemDoubleClicked.connect(self._goto_missing)
        remind_box = QGroupBox("缺报提醒（在岗一线锻炼干部）")
        rl = QVBoxLayout(remind_box)
        rl.setContentsMargins(6, 2, 6, 4)
        rl.setSpacing(3)
        rrow = QHBoxLayout()
        rrow.addWidget(self.reminder_kind)
        rrow.addWidget(self.reminder_label, 1)
        self.reminder_kind.setToolTip("缺报的类型")
        rl.addLayout(rrow)
        rl.addWidget(self.reminder_list)
        line, frame = self.reminder_list.fontMetrics().height() + 2, 2 * self.reminder_list.frameWidth()
        self.reminder_list.setMinimumHeight(2 * line + frame)
        # The picker over the reminders, a border between them the clerk drags (and finds again): the
        # reminders under the two-line picker left it room for six cadres at 1366×768. At first the
        # reminders take three lines (eight cadres over them), the picker the rest.
        self.left_split = QSplitter(Qt.Vertical)
        self.left_split.addWidget(self.picker)
        self.left_split.addWidget(remind_box)
        self.left_split.setChildrenCollapsible(False)
        self.left_split.setStretchFactor(0, 1)
        self.left_split.setSizes([1000, remind_box.minimumSizeHint().height() + line])  # the list's 3 lines
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        rlayout.addLayout(bar)
        rlayout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(self.left_split)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        self.splitters = {"appraisal/records_splitter": splitter, "appraisal/records_left_splitter": self.left_split}
        restore_splitters(self.splitters)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._postings: dict[int, str] = {}
        self.picker.cadre_selected.connect(lambda _id: self.reload())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()
        self.reminder_kind.currentTextChanged.connect(lambda _k: self.reload_reminders())
        self.reload_reminders()

    def save_state(self) -> None:
        save_splitters(self.splitters)

    def _posting_name(self, row: records.RecordInfo) -> str:
        return self._postings.get(row.posting_id, "") if row.posting_id else ""

    def _update_buttons(self) -> None:
        """新增 for a chosen cadre whose file the operator may change; 修改 / 删除 for a chosen record. A
        查阅人 was offered all three (and typed a record the save refused); with no row 修改 did nothing."""
        from cadre_desk.access import permissions

        cadre_id = self.picker.cadre_id()
        may = (cadre_id is not None and not self.context.readonly
               and self.context.allows(permissions.EDIT, cadre_id=cadre_id))
        self.add_button.setEnabled(may)
        self.add_button.setToolTip("请先在左侧选择干部" if cadre_id is None else "")
        row_chosen = current_row(self.table) is not None
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(may and row_chosen)

    def reload(self) -> None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            self.model.set_rows([])
            self._update_buttons()
            return
        self.title.setText(f"{self.picker.cadre_name()} 的实绩档案")
        self._postings = {p.id: f"{p.line_name}·{p.post_name}" for p in records.postings_for_cadre(cadre_id)}
        try:
            self.model.set_rows(records.list_records(cadre_id, self.kind_filter.currentData() or None))
        except CadreDeskError as exc:
            messages.error(self, "实绩档案", exc)
        self._update_buttons()

    def reload_reminders(self) -> None:
        """Every cadre on an active posting is checked (thousands at 100,000 cadres): off the GUI thread."""
        kind = self.reminder_kind.currentText()
        self.reminder_label.setText("正在查找缺报……")

        def done(missing) -> None:
            if shiboken6.isValid(self) and task is self.reminder_task:
                self._show_missing(kind, missing)

        def failed(message: str) -> None:
            if shiboken6.isValid(self) and task is self.reminder_task:
                self.reminder_label.setText(message)

        task = self.reminder_task = self.context.tasks.start(lambda _p: records.missing_entries(kind),
                                                             on_done=done, on_error=failed)

    def _show_missing(self, kind: str, missing: list[records.MissingEntry]) -> None:
        self.reminder_list.clear()
        self.reminder_label.setText(f"{period_label(current_period(kind))}：{len(missing)} 人未填写")
        for miss in missing:
            item = QListWidgetItem(f"{miss.name}　{miss.where}")
            item.setData(Qt.UserRole, (miss.cadre_id, miss.name))
            self.reminder_list.addItem(item)

    def _goto_missing(self, item) -> None:
        cadre_id, name = item.data(Qt.UserRole)
        self.picker.set_cadre(cadre_id)
        if self.add_button.isEnabled():  # a 查阅人 is shown the cadre's records, not a form to fill in
            self.add(kind=self.reminder_kind.currentText())

    def add(self, kind: str | None = None) -> None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            messages.info(self, "新增记录", "请先在左侧选择干部。")
            return
        info = None
        if kind:
            info = records.RecordInfo(None, cadre_id, kind, current_period(kind), "")
        if RecordDialog(cadre_id, info, self).exec():
            self._changed()

    def edit(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        if RecordDialog(row.cadre_id, row, self).exec():
            self._changed()

    def delete(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        if not messages.confirm(self, "删除记录", f"确定删除 {row.period_label}的{row.kind}吗？", "删除", danger=True):
            return
        if messages.attempt_delete(self, "删除记录",
                                   lambda overwrite: records.delete_record(row.id, row.version, overwrite)):
            self._changed()

    def _changed(self) -> None:
        self.reload()
        self.reload_reminders()
        self.context.data_changed.emit("records")
