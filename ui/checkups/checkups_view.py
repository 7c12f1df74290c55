"""政治体检 page: the sheets of a round (or of all) with their 核查对单 results — searched and counted in
one step — the per-unit summary, and the checklist; 下发 / 补发 / 打印 the 提醒单, record results one by
one or many at once as 无问题, export both tables."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.checkups import checkup_sheets, checkups
from cadre_desk.domain.fields import (
    CHECKUP_ITEM,
    CHECKUP_SHEET,
    CHECKUP_SHEET_LIST,
    CHECKUP_SUMMARY,
    CHECKUP_SUMMARY_LIST,
)
from ui.checkups.checkup_dialogs import (
    AddCadresDialog,
    CleanDialog,
    IssueDialog,
    ItemsDialog,
    ResultDialog,
    RoundDialog,
)
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.choices import refill, unit_filter, unit_items
from ui.widgets.columns import share_by_content
from ui.widgets.record_list import button_row, choice_filter, search_box
from ui.widgets.rows_model import (
    RIGHT,
    Column,
    RowsModel,
    current_row,
    field_column,
    list_columns,
    make_table,
    selected_rows,
)
from ui.widgets.when_shown import ReloadWhenShown

CAPABILITY = "checkups"
RESULT_COLOURS = {checkups.UNCHECKED_LABEL: "#9a6700", checkups.FIXING: "#b3261e", checkups.FIXED: "#1f6f43"}


def sheet_model(parent=None) -> RowsModel:
    columns = list_columns(CHECKUP_SHEET, CHECKUP_SHEET_LIST,  # the export writes the same list
                           {key: {"tooltip": True} for key in ("findings", "rectification", "position")})
    return RowsModel(columns, parent, foreground=lambda s: RESULT_COLOURS.get(s.result_label))


def summary_model(parent=None) -> RowsModel:
    """单位汇总, the 合计 row bold; the export's second sheet writes the same list."""
    return RowsModel(list_columns(CHECKUP_SUMMARY, CHECKUP_SUMMARY_LIST,
                                  {key: {"align": RIGHT} for key in CHECKUP_SUMMARY_LIST if key != "unit_name"}),
                     parent, bold=lambda s: s.unit_id is None)


class CheckupsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(220)
        # As wide as its longest round (they come after the page shows): never a cut-off name.
        self.round_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit_box = unit_filter()
        self.result_box = choice_filter("全部结果", checkups.RESULT_FILTERS)
        self.text = search_box("查找：姓名、存在问题、整改措施")
        self.search_button = QPushButton("查询")
        self.summary = QLabel()
        filters = QHBoxLayout()
        for label, box in (("提醒单", self.round_box), ("单位", self.unit_box), ("结果", self.result_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.search_button)

        self.buttons: dict[str, QPushButton] = {}
        actions = button_row(self.buttons, (
            ("issue", "下发提醒单…", self.issue), ("result", "登记核查结果…", self.record_result),
            ("clean", "批量核查为无问题…", self.record_clean), ("print", "打印提醒单…", self.print_sheets),
            ("export", "导出…", self.export)), stretch=False)
        # what is done seldom (corrections): under 更正 ▾
        self.more = QPushButton("更正")
        self.more_menu = QMenu(self.more)
        self.menu_actions: dict[str, QAction] = {}
        for key, text, slot in (("add", "补发提醒单…", self.add_cadres), ("edit_round", "修改提醒单…", self.edit_round),
                                ("delete_round", "删除提醒单…", self.delete_round), ("clear", "撤销核查结果…", self.clear_result),
                                ("withdraw", "撤回所选干部的提醒单…", self.withdraw)):
            self.menu_actions[key] = self.more_menu.addAction(text, slot)
        self.more_menu.setToolTipsVisible(True)  # why 修改 / 删除 of a round shared with other units is off
        self.more.setMenu(self.more_menu)
        self.rounds: dict[int, checkups.RoundInfo] = {}
        actions.addWidget(self.more)
        actions.addStretch(1)

        self.sheets = sheet_model(self)
        self.table = make_table(self.sheets, multi=True, sorting=True)
        # The columns by what they hold: at fixed widths 现任职务 was cut while the empty 存在问题 took
        # 240 px and 整改措施 was off to the right at 1366×768. The names, units and posts whole; the two
        # free texts share the rest (cut with 「…」, whole on hover).
        share_by_content(self.table, flexible=[CHECKUP_SHEET_LIST.index(key) for key in ("findings", "rectification")])
        self.table.doubleClicked.connect(lambda _i: self.record_result())
        self.summary_model = summary_model(self)
        self.summary_table = make_table(self.summary_model, stretch=0)
        self.items_model = RowsModel([field_column(CHECKUP_ITEM, "name"), field_column(CHECKUP_ITEM, "description"),
                                      Column(CHECKUP_ITEM.label_of("state"), attrgetter("state"), 60)], self)
        self.items_table = make_table(self.items_model, stretch=1)
        self.items_button = QPushButton("设置对照检查项目…")
        self.items_button.clicked.connect(self.edit_items)
        self.items_button.setEnabled(context.allows(permissions.ADMIN))
        items_page = QWidget()
        items_layout = QVBoxLayout(items_page)
        note = QLabel("下发提醒单时列出使用中的项目；由系统管理员设置。已下发的提醒单保留下发时的项目。")
        note.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(note, 1)
        top.addWidget(self.items_button)
        items_layout.addLayout(top)
        items_layout.addWidget(self.items_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "核查对单")
        self.tabs.addTab(self.summary_table, "单位汇总")
        self.tabs.addTab(items_page, "对照检查项目")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        self.search_button.clicked.connect(self.apply_filter)
        self.text.returnPressed.connect(self.apply_filter)
        for box in (self.round_box, self.unit_box, self.result_box):
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.tabs.currentChanged.connect(lambda _i: self._enable())
        # a change made elsewhere: read again at once when shown, else once when shown next
        self._when_shown = ReloadWhenShown(self, self.reload)
        context.data_changed.connect(lambda name: name in (CAPABILITY, "") and self._when_shown.changed())
        context.cadres_changed.connect(lambda _ids: self._when_shown.changed())
        self.reload()

    # ---- data --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.refill_lists()
        self.apply_filter()

    def refill_lists(self) -> None:
        """The rounds (with their counts), the units and the checklist read again; the sheets not (the
        caller lists them, once its filters are set)."""
        first = self.round_box.count() == 0
        self.rounds = {r.id: r for r in checkups.list_rounds()}
        refill(self.round_box, "全部提醒单", [(r.label + f"（{r.checked_count}/{r.sheet_count}）", r.id)
                                              for r in self.rounds.values()])
        if first and self.round_box.count() > 1:
            with QSignalBlocker(self.round_box):
                self.round_box.setCurrentIndex(1)  # the latest round: its sheets and its summary
        refill(self.unit_box, "全部单位", unit_items())
        self.items_model.set_rows(checkups.list_items(include_retired=True))

    def current_filter(self) -> checkup_sheets.SheetFilter:
        return checkup_sheets.SheetFilter(round_id=self.round_box.currentData(), unit_id=self.unit_box.currentData(),
                                          result=self.result_box.currentData() or "", text=self.text.text())

    def apply_filter(self) -> None:
        flt = self.current_filter()
        found = checkup_sheets.search(flt)
        self.sheets.set_rows(found.rows)
        self.summary_model.set_rows(checkup_sheets.unit_summary(flt, found))
        self.summary.setText(found.summary())
        self._enable()

    def selected(self) -> list[checkup_sheets.SheetInfo]:
        return selected_rows(self.table)

    def _enable(self) -> None:
        editable = not self.context.readonly
        # what acts on chosen people acts on those of 核查对单: on another tab they are out of sight, and
        # 登记核查结果… opened someone the clerk could not see chosen
        on_sheets = self.tabs.currentWidget() is self.table
        picked = self.selected() if on_sheets else []
        # 回避: a clerk's own (or a relative's) sheet is not theirs to check back — the buttons say so
        # before anything is typed
        refused = self.context.refusals(permissions.EDIT, [s.cadre_id for s in picked]) if picked else {}
        avoided = next(iter(refused.values()), "")
        chosen = [s for s in picked if s.cadre_id not in refused]
        one = len(picked) == 1 and len(chosen) == 1
        for key in ("result", "clean"):
            self.buttons[key].setToolTip(avoided if avoided else "" if on_sheets else "在“核查对单”中选择干部后使用")
        has_round = self.round_box.currentData() is not None
        self.buttons["issue"].setEnabled(editable)
        self.menu_actions["add"].setEnabled(editable and has_round)
        # a round that went to other units' cadres too is not the clerk's to change as a whole
        shared = checkups.round_refusal(self.rounds[self.round_box.currentData()]) if has_round else ""
        for key in ("edit_round", "delete_round"):
            self.menu_actions[key].setEnabled(editable and has_round and not shared)
            self.menu_actions[key].setToolTip(shared)
        self.buttons["result"].setEnabled(editable and one)
        self.buttons["clean"].setEnabled(editable and any(not s.checked for s in chosen))
        self.menu_actions["clear"].setEnabled(editable and one and chosen[0].checked)
        self.menu_actions["withdraw"].setEnabled(editable and one and not chosen[0].checked)
        self.more.setEnabled(editable)
        self.buttons["print"].setEnabled(has_round and bool(self.sheets.rows)
                                         and self.context.allows(permissions.PRINT))
        # what 导出 writes: the sheets listed and their summary; over an empty list (it wrote two empty
        # tables) off, its tip saying why, as the other practices' lists
        count = len(self.sheets.rows)
        self.buttons["export"].setEnabled(self.context.allows(permissions.EXPORT) and count > 0)
        self.buttons["export"].setToolTip(f"导出为 Excel：两张表——本页所列的 {count} 人的核查对单，及其单位汇总" if count
                                          else "没有符合所选提醒单、单位、结果和查找条件的核查对单，没有可导出的记录")

    def _changed(self) -> None:
        self.context.data_changed.emit(CAPABILITY)  # reloads this page too (when shown)
        self._when_shown.flush()  # the change was made here: this page shows it even if not shown

    def _run(self, dialog: QDialog) -> bool:
        if dialog.exec() == QDialog.Accepted:
            self._changed()
            return True
        return False

    # ---- rounds ------------------------------------------------------------------------------------
    def issue(self) -> None:
        dialog = IssueDialog(self.context, self)
        if self._run(dialog):
            issued: checkups.IssueResult = dialog.result_value
            self.round_box.setCurrentIndex(max(self.round_box.findData(issued.round.id), 0))
            messages.info(self, "下发提醒单", issued.summary())

    def add_cadres(self) -> None:
        round_id = self.round_box.currentData()
        if round_id is None:
            return
        dialog = AddCadresDialog(self, round_id, self.context)
        if dialog.exec() != QDialog.Accepted or dialog.result_value is None:
            return
        self._changed()
        messages.info(self, "补发提醒单", dialog.result_value.summary())

    def edit_round(self) -> None:
        round_id = self.round_box.currentData()
        if round_id is not None:
            self._run(RoundDialog(checkups.get_round(round_id), self))

    def delete_round(self) -> None:
        round_id = self.round_box.currentData()
        if round_id is None:
            return
        info = checkups.get_round(round_id)
        if not messages.confirm(self, "删除提醒单", f"确定删除{info.label}（{info.sheet_count} 人）吗？\n"
                                "仅用于下发错误的提醒单；已有核查结果的不能删除。", "删除", danger=True):
            return
        if messages.attempt(self, "不能删除", checkups.delete_round, round_id):
            self._changed()

    # ---- results -----------------------------------------------------------------------------------
    def record_result(self) -> None:
        sheet = current_row(self.table)
        if sheet is None or not self.buttons["result"].isEnabled():  # read only, or 回避 (said on the button)
            return
        self._run(ResultDialog(sheet, self))

    def record_clean(self) -> None:
        refused = self.context.refusals(permissions.EDIT, [s.cadre_id for s in self.selected()])
        chosen = [s for s in self.selected() if not s.checked and s.cadre_id not in refused]
        if chosen:
            self._run(CleanDialog(chosen, self))

    def clear_result(self) -> None:
        sheet = current_row(self.table)
        if sheet is None or not messages.confirm(self, "撤销核查结果", f"撤销 {sheet.cadre_name} 的核查结果（改回未核查）？",
                                                 "撤销", danger=True):
            return
        if messages.attempt(self, "撤销核查结果", checkup_sheets.clear_result, sheet.id, sheet.version):
            self._changed()

    def withdraw(self) -> None:
        sheet = current_row(self.table)
        if sheet is None or not messages.confirm(self, "撤回提醒单", f"撤回 {sheet.cadre_name} 的提醒单（下发错误时）？",
                                                 "撤回", danger=True):
            return
        if messages.attempt(self, "撤回提醒单", checkups.remove_sheet, sheet.id):
            self._changed()

    # ---- output ------------------------------------------------------------------------------------
    def print_sheets(self) -> None:
        from ui.printing.print_view import PrintDialog, show_done

        round_id = self.round_box.currentData()
        chosen = self.selected() or list(self.sheets.rows)
        if round_id is None or not chosen:
            return
        dialog = PrintDialog("checkup", [s.cadre_id for s in chosen], [s.cadre_name for s in chosen], self)
        if dialog.exec() != QDialog.Accepted:
            return
        options = dialog.options()
        ids = [s.cadre_id for s in chosen]

        def work(progress):
            from reports.pdf import checkup_sheet

            return checkup_sheet.build_sheets(round_id, cadre_ids=ids, progress=progress, **options)

        self.context.tasks.run_with_progress(self, "正在生成提醒单", work, on_done=lambda r: show_done(r, self))

    def export(self) -> None:
        from reports.excel import practices_workbooks
        from ui.exchange.exchange_view import export_workbook

        flt = self.current_filter()
        export_workbook(self.context, "导出政治体检核查结果", "政治体检核查结果",
                        lambda path, progress, reason: practices_workbooks.export_checkups(path, progress, flt=flt,
                                                                                           reason=reason))

    def edit_items(self) -> None:
        ItemsDialog(self).exec()
        self.items_model.set_rows(checkups.list_items(include_retired=True))


def export_all(context: AppContext) -> None:
    """文件 → 导出政治体检核查结果…: every sheet of the operator's cadres, and the per-unit summary."""
    from reports.excel import practices_workbooks
    from ui.exchange.exchange_view import export_workbook

    export_workbook(context, "导出政治体检核查结果", "政治体检核查结果", practices_workbooks.export_checkups)


def open_round(context: AppContext, round_id: int) -> None:
    """The 政治体检 page on a round's 未核查: who has still to be checked back (a reminder of the 工作台)."""
    page = context.main_window.show_module("checkups") if context.main_window is not None else None
    if page is None:
        return
    page.refill_lists()  # a round issued since the page was shown; its sheets listed once, below
    with QSignalBlocker(page.round_box), QSignalBlocker(page.unit_box), QSignalBlocker(page.result_box):
        page.round_box.setCurrentIndex(max(page.round_box.findData(round_id), 0))
        page.unit_box.setCurrentIndex(0)
        page.result_box.setCurrentIndex(max(page.result_box.findData(checkups.UNCHECKED_LABEL), 0))
    page.text.clear()
    page.tabs.setCurrentWidget(page.table)
    page.apply_filter()
