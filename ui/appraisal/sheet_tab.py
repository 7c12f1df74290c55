"""考核表 tab: sheets of a scheme, the scoring grid, 定稿 and the 优秀 quota check."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.appraisal import appraisals, grading, sheet_scores
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.periods import period_beside
from cadre_desk.profiles import cadre_list
from ui.appraisal.common import GREY, RED
from ui.appraisal.score_grid import GRADE, POSTING, ScoreGrid, ScoreGridModel
from ui.appraisal.sheet_dialogs import AddMembersDialog, NewSheetDialog, OverrideDialog
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.columns import widen_to_titles
from ui.widgets.rows_model import format_number
from ui.widgets.text import keep_together

# 「“一线鉴定”」 whole on its line: the wrapped hint broke it after 一 at 1366×768
_FULL_TEXT = f"双击{keep_together('“一线鉴定”')}查看全文。"
ENTRY_HINT = f"录入：直接输入分数，回车或 Tab 进入下一格，Shift+Tab 返回，Delete 清除；{_FULL_TEXT}"
FINAL_HINT = f"已定稿，只读；{_FULL_TEXT}"
READ_HINT = f"只读；{_FULL_TEXT}"


class SheetTab(QWidget):
    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(300)
        self.new_button, self.delete_button = QPushButton("新建考核表"), QPushButton("删除考核表")
        self.add_button, self.remove_button = QPushButton("添加人员"), QPushButton("移出人员")
        self.add_button.clicked.connect(self.add_members)
        self.remove_button.clicked.connect(self.remove_member)
        self.override_button = QPushButton("调整等次")
        self.finalize_button = QPushButton("定稿")
        self.finalize_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_sheet)
        self.delete_button.clicked.connect(self.delete_sheet)
        self.override_button.clicked.connect(self.override)
        self.finalize_button.clicked.connect(self.finalize)
        top = QHBoxLayout()
        top.addWidget(QLabel("考核表"))
        top.addWidget(self.sheet, 1)
        for button in (self.new_button, self.delete_button, self.add_button, self.remove_button,
                       self.override_button, self.finalize_button):
            top.addWidget(button)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.summary = QLabel()
        self.model = ScoreGridModel(self)
        self.model.write_scores = lambda changes: sheet_scores.set_scores(self._sheet_id(), changes)
        self.model.write_comment = lambda cadre_id, text, before: sheet_scores.set_comment(
            self._sheet_id(), cadre_id, text, before)
        self.model.on_error = lambda exc: messages.error(self, "录入评分", exc)
        self.model.on_conflict = self._cell_conflict
        self.model.totals_changed.connect(self.update_summary)
        self.grid = ScoreGrid()
        self.grid.setModel(self.model)
        self.grid.doubleClicked.connect(self._double_clicked)
        self.grid.selectionModel().currentRowChanged.connect(lambda *_a: self._update_row_actions())
        self.hint = hint = QLabel(ENTRY_HINT)
        hint.setStyleSheet(f"color: {GREY.name()};")
        hint.setWordWrap(True)  # on one line beside the summary, the tab was wider than a 1366-pixel screen
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.grid, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(hint)
        layout.addLayout(bottom)
        self.sheet.currentIndexChanged.connect(lambda _i: self.load())
        if load:
            self.reload_sheets()

    def _sheet_id(self) -> int | None:
        return self.sheet.currentData()

    def reload_sheets(self, select_id: int | None = None, data: appraisals.SheetData | None = None) -> None:
        """The list of sheets, then the chosen one (``data``: that sheet already read, off the GUI thread)."""
        select_id = select_id or self._sheet_id()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for info in appraisals.list_sheets():
            state = "已定稿" if info.finalized else "评分中"
            said = "，".join(t for t in (period_beside(info.title, info.period), f"{info.members} 人", state) if t)
            self.sheet.addItem(f"{info.title}（{said}）", info.id)  # 2025年度考核（12 人，…）: the period once
        index = self.sheet.findData(select_id)
        self.sheet.setCurrentIndex(index if index >= 0 else (0 if self.sheet.count() else -1))
        self.sheet.blockSignals(False)
        self.load(data if data is not None and data.sheet.id == self._sheet_id() else None)

    def load(self, data: appraisals.SheetData | None = None) -> None:
        sheet_id = self._sheet_id()
        if data is None:
            data = appraisals.load_sheet(sheet_id) if sheet_id else None
        ids = [m.cadre_id for m in data.members] if data is not None else []
        self.model.set_sheet(data, set(self.context.refusals(permissions.EDIT, ids)))
        finalized = bool(data and data.sheet.finalized)
        writable = bool(data) and not finalized and not self.context.readonly
        self.new_button.setEnabled(not self.context.readonly)
        self.add_button.setEnabled(writable)
        self._update_row_actions()
        # the sheet as a whole (定稿, 删除) only for someone who may change every member's grade
        whole = writable and data.sheet.whole
        for button in (self.finalize_button, self.delete_button):
            button.setEnabled(whole)
            button.setToolTip("" if whole or not writable else
                              f"考核表中有 {data.sheet.hidden} 名其他单位的干部，只能由负责全部成员单位的人员操作")
        # how to type scores only where they can be typed: a 定稿 sheet says it is read only (walk 34)
        self.hint.setText(ENTRY_HINT if writable else FINAL_HINT if finalized else READ_HINT)
        self.hint.setWordWrap(writable)  # the short 已定稿 line whole, not cut into three beside the summary
        self.hint.setVisible(data is not None)
        if data is None:
            self.info.setText("还没有考核表。点“新建考核表”，选择考核对象（单位、一线、岗位或名册中选中的干部）和方案。")
            self.summary.setText("")
            return
        scheme = data.scheme
        raters = "、".join(f"{r.name}{format_number(r.weight)}%" for r in scheme.raters)
        dims = "、".join(f"{d.name}{format_number(d.weight)}%" for d in scheme.dimensions)
        state = (f"已定稿（{format_moment(data.sheet.finalized_at)}，{data.sheet.finalized_by}），只读"
                 if finalized else "评分中")
        self.info.setText(f"方案：{scheme.name}　评价主体：{raters}　维度：{dims}　"
                          f"对象：{data.sheet.group_kind}·{data.sheet.group_label}　状态：{state}"
                          + ("　定稿后写入年度考核结果" if data.sheet.annual and not finalized else "")
                          + (f"　（另有 {data.sheet.hidden} 名其他单位的干部，不显示）" if data.sheet.hidden else ""))
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        widths = [70, 140, 58, 84, 40, 40, 64, 120]
        for column, width in enumerate(widths):
            self.grid.setColumnWidth(column, width)
        for column in range(self.model.first_score_column, self.model.comment_column):
            self.grid.setColumnWidth(column, 60)
        self.grid.setColumnWidth(self.model.comment_column, 200)
        header.setStretchLastSection(True)
        widen_to_titles(self.grid)
        self.update_summary()
        first = self.grid.next_index(QModelIndex())
        if first.isValid():
            self.grid.setCurrentIndex(first)

    def _update_row_actions(self) -> None:
        """调整等次 and 移出人员 act on the current row: not on a row the operator may not change (回避)."""
        data = self.model.data_
        member = self.model.member(self.grid.currentIndex().row())
        writable = data is not None and not data.sheet.finalized and not self.context.readonly
        allowed = writable and (member is None or member.cadre_id not in self.model.locked)
        for button in (self.override_button, self.remove_button):
            button.setEnabled(allowed)

    def update_summary(self) -> None:
        data = self.model.data_
        if data is None:
            return
        n = len(data.members)
        complete = sum(1 for m in data.members if data.total(m) is not None)
        quota = data.quota()  # the whole sheet's: a shared sheet's other units count too
        over = quota.over
        cap = f"上限 {format_number(quota.cap)}%，最多 {quota.limit} 人"
        if quota.others:
            text = (f"共 {n} 人，评分完整 {complete} 人；全表 {quota.members} 人（另有 {quota.others} 人不在您负责的"
                    f"单位），全表优秀 {quota.excellent} 人（{cap}）")
        else:
            text = f"共 {n} 人，评分完整 {complete} 人；优秀 {quota.excellent} 人（{cap}）"
        if over:
            text += "　已超出比例，不能定稿"
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {RED.name()}; font-weight: bold;" if over else "")

    def _double_clicked(self, index) -> None:
        if index.column() == POSTING:
            member = self.model.member(index.row())
            if member and member.posting_appraisal:
                messages.info(self, f"一线锻炼鉴定 — {member.name}", member.posting_appraisal)

    def new_sheet(self, selection: list[int] | None = None) -> None:
        dialog = NewSheetDialog(self.context, self, selection)
        if dialog.exec() and dialog.created:
            self.reload_sheets(dialog.created.id)
            self.context.data_changed.emit("appraisal")

    def delete_sheet(self) -> None:
        sheet_id = self._sheet_id()
        if not sheet_id:
            return
        if not messages.confirm(self, "删除考核表", f"确定删除“{self.sheet.currentText()}”及其全部评分吗？", "删除", danger=True):
            return
        shown = list(self.model.data_.members) if self.model.data_ is not None else None  # as the grid shows it
        if not messages.attempt_delete(self, "删除考核表", lambda overwrite: appraisals.delete_sheet(
                sheet_id, shown, overwrite)):
            return
        self.reload_sheets(sheet_id)  # deleted: the first; kept (重新载入对方的修改): as the other saved it
        self.context.data_changed.emit("appraisal")

    def add_members(self) -> None:
        sheet_id = self._sheet_id()
        if not sheet_id:
            return
        dialog = AddMembersDialog(self, sheet_id)  # a refusal (out of the scheme's scope) shows in it
        if not dialog.exec() or dialog.result_value is None:
            return
        added = dialog.result_value
        self.reload_sheets(sheet_id)
        self.context.status_message.emit(f"已添加 {added} 人")
        self.context.data_changed.emit("appraisal")

    def remove_member(self) -> None:
        member = self.model.member(self.grid.currentIndex().row())
        sheet_id = self._sheet_id()
        if member is None or not sheet_id:
            messages.info(self, "移出人员", "请先在表格中选择一名干部。")
            return
        if not messages.confirm(self, "移出人员", f"确定把 {member.name} 移出本考核表吗？其评分将一并删除。", "移出", danger=True):
            return
        # as the grid shows the member: scores another entered since are said, not taken off without a word
        if not messages.attempt_delete(self, "移出人员", lambda overwrite: appraisals.remove_member(
                sheet_id, member.cadre_id, before=member, overwrite=overwrite), "移出"):
            return
        self.reload_sheets(sheet_id)
        self.context.data_changed.emit("appraisal")

    def _cell_conflict(self, exc) -> int | None:
        """A cell another saved since the sheet was loaded: 重新载入对方的修改 (the sheet read again, what
        was typed in the cell not written) / 仍然保存我的修改 (written over the other's)."""
        answer = messages.ask_conflict(self, "录入评分", exc, editing=False)
        if answer != messages.OVERWRITE:
            QTimer.singleShot(0, self, self._reload_keeping_place)  # not inside the grid's commit of the cell
        return answer

    def _reload_keeping_place(self) -> None:
        index = self.grid.currentIndex()
        self.load()
        if index.isValid():
            self.grid.setCurrentIndex(self.model.index(index.row(), index.column()))

    def override(self) -> None:
        member = self.model.member(self.grid.currentIndex().row())
        if member is None or self.model.data_ is None:
            messages.info(self, "调整等次", "请先在表格中选择一名干部。")
            return
        row = self.grid.currentIndex().row()
        if OverrideDialog(self.model.data_, member, self).exec():
            self.load()
            self.grid.setCurrentIndex(self.model.index(row, GRADE))
            self.context.data_changed.emit("appraisal")

    def finalize(self) -> None:
        sheet_id = self._sheet_id()
        if not sheet_id:
            return
        data = self.model.data_
        # The grid holds the sheet as saved (every cell is written as it is typed): checked here without
        # reading it again; the service checks once more in its transaction.
        problems = grading.finalize_problems(data) if data is not None and data.sheet.id == sheet_id \
            else grading.check_finalize(sheet_id)
        if problems:
            messages.warning(self, "不能定稿", "\n\n".join(problems))
            return
        extra = "，各人等次将写入干部档案的年度考核结果" if data and data.sheet.annual else ""
        if not messages.confirm(self, "定稿", f"定稿后考核表不能再修改{extra}。确定定稿吗？", "定稿"):
            return
        version = data.sheet.version if data else None
        self.finalize_button.setEnabled(False)

        ids = [m.cadre_id for m in data.members] if data and data.sheet.annual else []

        def work(_p) -> tuple[appraisals.SheetData, list[tuple]]:
            grading.finalize(sheet_id, version)
            # the 年度考核结果 changed in thousands of profiles: their roster rows read here too
            return appraisals.load_sheet(sheet_id), cadre_list.read_rows(ids)

        def done(result: tuple[appraisals.SheetData, list[tuple]]) -> None:
            fresh, rows = result
            self.reload_sheets(sheet_id, fresh)
            if ids:
                self.context.notify_cadres_changed(ids, rows)
            self.context.data_changed.emit("appraisal")
            self.context.status_message.emit("考核表已定稿")

        def failed(message: str) -> None:
            self.load()
            if message:
                messages.warning(self, "定稿", message)

        # Thousands of members: their grades and 年度考核结果 are written off the GUI thread.
        self.finalize_task = self.context.tasks.run_with_progress(
            self, "正在定稿", work, on_done=done, on_error=failed)
