"""导师帮带 page: pairs table with filters, mentor → mentees tree with load counts, meeting logs; and the
cadre-list action 建立导师帮带…."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes
from cadre_desk.mentoring.mentoring import COMPLETED, STATES, TERMINATED, PairInfo
from cadre_desk.postings import frontline_posts
from ui.mentoring.common import CAPABILITY, bracketed_name
from ui.mentoring.log_dialogs import EvaluationDialog, LogDialog
from ui.mentoring.pair_dialogs import EditPairDialog, EndDateDialog, TerminateDialog, create_pair_dialog
from ui.mentoring.pair_table import PairDetail, make_pair_table
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.choices import refill, unit_items
from ui.widgets.tasks import Newest
from ui.widgets.when_shown import ReloadWhenShown
from ui.widgets.window import restore_splitters, save_splitters


# ---- the page -----------------------------------------------------------------------------------
class MentoringPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.state_box = QComboBox()
        self.state_box.addItem("全部状态", "")
        for state in STATES:
            self.state_box.addItem(state, state)
        self.state_box.setCurrentIndex(1)
        self.mentor_box = QComboBox()
        self.mentor_box.setMinimumWidth(140)
        self.unit_box = QComboBox()
        self.unit_box.setMinimumWidth(180)
        self.line_box = QComboBox()
        self.line_box.setMinimumWidth(120)
        self.line_label = QLabel("一线")
        self.count_label = QLabel()

        filters = QHBoxLayout()
        for label, box in (("状态", self.state_box), ("导师", self.mentor_box), ("单位", self.unit_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addWidget(self.line_label)
        filters.addWidget(self.line_box)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.new_button = QPushButton("新建结对")
        self.log_button = QPushButton("添加谈话记录")
        self.close_button = QPushButton("结业评价")
        self.terminate_button = QPushButton("终止")
        self.end_button = QPushButton("调整结束日期")
        self.refresh_button = QPushButton("刷新")
        # 打印: the selected pairs' 情况表, their 结对名单, or the 结对名单 of the whole list shown
        self.print_button = QPushButton("打印")
        self.print_menu = QMenu(self.print_button)
        self.print_sheets_action = self.print_menu.addAction("打印帮带情况表（选中的结对）…", self.print_sheets)
        self.print_chosen_list_action = self.print_menu.addAction("打印结对名单（选中的结对）…",
                                                                  lambda: self.print_list(chosen=True))
        self.print_list_action = self.print_menu.addAction("打印结对名单（列表中的全部结对）…",
                                                           lambda: self.print_list(chosen=False))
        self.print_button.setMenu(self.print_menu)
        actions = QHBoxLayout()
        for button in (self.new_button, self.log_button, self.close_button, self.terminate_button,
                       self.end_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.refresh_button)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["导师 → 帮带对象"])
        self.tree.setMinimumWidth(170)
        self.table, self.model = make_pair_table(sorting=True, multi=True)  # titles sized with the sort arrow
        self.detail = PairDetail()

        # The pairs get the height (11 rows at 1366×768), the chosen pair's talks a few lines under them;
        # the borders as the clerk leaves them (save_state).
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        right.setSizes([1000, 170])
        main = QSplitter()
        main.addWidget(self.tree)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([190, 1000])
        self.splitters = {"mentoring/splitter": main, "mentoring/pairs_splitter": right}
        restore_splitters(self.splitters)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(main, 1)

        readonly = context.readonly
        for button in (self.new_button, self.log_button, self.close_button, self.terminate_button,
                       self.end_button):
            button.setEnabled(not readonly)
        self.new_button.clicked.connect(self.new_pair)
        self.log_button.clicked.connect(self.add_log)
        self.close_button.clicked.connect(self.evaluate)
        self.terminate_button.clicked.connect(self.terminate)
        self.end_button.clicked.connect(self.change_end)
        self.refresh_button.clicked.connect(self.reload)
        for box in (self.state_box, self.mentor_box, self.unit_box, self.line_box):
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda index: self._open_profile(index))
        self.tree.itemClicked.connect(self._tree_clicked)
        self.detail.logs.itemDoubleClicked.connect(self._edit_log)
        self.detail.logs.setContextMenuPolicy(Qt.CustomContextMenu)
        self.detail.logs.customContextMenuRequested.connect(self._log_menu)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._pair_menu)
        # hidden (another page shown): loaded again when shown
        self._loads = Newest(self, context.tasks)
        self._when_shown = ReloadWhenShown(self, self.reload, shown=self.reload_in_background)
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(self._when_shown.changed)
        self.reload()

    # ---- data --------------------------------------------------------------------------------------
    def save_state(self) -> None:
        save_splitters(self.splitters)

    def reload(self) -> None:
        self._loads.drop()  # read here and now: a reading in the pool is stale
        self._show_loads(mentoring.mentor_loads())

    def reload_in_background(self) -> None:
        """A change made elsewhere while the page is shown: the mentors and the pairs (under the filter as
        it is now) read through the task runner; the newest reading wins."""
        flt = self.current_filter()

        def done(result) -> None:
            loads, rows = result
            self._show_loads(loads, rows if self.current_filter() == flt else None)

        def failed(message: str) -> None:
            if message:
                self.count_label.setText(f"加载失败：{message}")

        self._loads.start(lambda _p: (mentoring.mentor_loads(), mentoring.visible_pairs(**flt)), done, failed)

    def _show_loads(self, loads: list[mentoring.MentorLoad], rows: list[PairInfo] | None = None) -> None:
        self._fill_filters(loads)
        self._fill_tree(loads)
        self.apply_filter(rows)

    def _on_data_changed(self, capability: str) -> None:
        if capability in (CAPABILITY, "postings", ""):
            self._when_shown.changed()

    def _fill_filters(self, loads: list[mentoring.MentorLoad]) -> None:
        refill(self.mentor_box, "全部导师",
               [(load.choice_label, load.mentor_id) for load in sorted(loads, key=lambda m: m.mentor_name)])
        refill(self.unit_box, "全部单位", unit_items())
        refill(self.line_box, "全部一线", [(line.name, line.id) for line in frontline_posts.list_lines()])

    def _fill_tree(self, loads: list[mentoring.MentorLoad]) -> None:
        self.tree.clear()
        for load in loads:
            if not load.active:
                continue
            top = QTreeWidgetItem([load.label])
            top.setData(0, Qt.UserRole, ("mentor", load.mentor_id))
            who = f"{load.mentor_name}，{load.unit_name}" if load.unit_name else load.mentor_name
            top.setToolTip(0, f"{who}：进行中 {load.active} 人，上限 {load.cap} 人")
            if load.active >= load.cap:
                top.setForeground(0, QColor("#b71c1c"))
            for pair in load.pairs:
                if not pair.is_active:
                    continue
                child = QTreeWidgetItem([f"{pair.mentee_name}　{pair.focus}"])
                child.setData(0, Qt.UserRole, ("pair", pair.id))
                top.addChild(child)
            if load.others_active:  # counted in 进行中 (the cap counts them), never named
                others = QTreeWidgetItem([f"其他单位帮带对象 {load.others_active} 人"])
                others.setForeground(0, QColor("#757575"))
                others.setToolTip(0, "帮带对象不在您负责的单位范围内，计入导师的进行中人数")
                top.addChild(others)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()

    def current_filter(self) -> dict:
        flt = {"state": self.state_box.currentData() or None, "mentor_id": self.mentor_box.currentData(),
               "unit_id": self.unit_box.currentData()}
        if self.line_box.currentData() is not None:
            flt["line_id"] = self.line_box.currentData()
        return flt

    def apply_filter(self, rows: list[PairInfo] | None = None) -> None:
        """``rows``: the pairs under the current filter when already read (in the pool)."""
        selected = self.selected_pair()
        if rows is None:
            rows = mentoring.visible_pairs(**self.current_filter())
        self.model.set_rows(rows)  # kept in the order of the header the user clicked
        self.count_label.setText(f"共 {len(rows)} 对")
        if not (selected is not None and self.select_pair(selected.id)) and rows:
            self.select_pair(self.model.rows[0].id)  # show a pair's logs at once
        self._selection_changed()

    def select_pair(self, pair_id: int) -> bool:
        for row, pair in enumerate(self.model.rows):
            if pair.id == pair_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                self._selection_changed()
                return True
        self._selection_changed()
        return False

    def selected_pair(self) -> PairInfo | None:
        index = self.table.currentIndex()
        return self.model.pair(index.row()) if index.isValid() else None

    def selected_pairs(self) -> list[PairInfo]:
        """The pairs chosen in the table (Ctrl/Shift for several), in the table's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [pair for pair in (self.model.pair(row) for row in rows) if pair is not None]

    def _printable(self, pairs: list[PairInfo]) -> bool:
        """May the operator print every one of ``pairs`` (their mentees' records: units, 回避)?"""
        return bool(pairs) and all(self.context.allows(permissions.PRINT, cadre_id=p.mentee_id) for p in pairs)

    def _update_print(self) -> None:
        chosen = self._printable(self.selected_pairs())
        self.print_sheets_action.setEnabled(chosen)
        self.print_chosen_list_action.setEnabled(chosen)
        self.print_list_action.setEnabled(self._printable(list(self.model.rows)))
        self.print_button.setEnabled(self.context.allows(permissions.PRINT) and bool(self.model.rows))

    def print_sheets(self) -> None:
        from ui.printing import record_prints

        record_prints.print_pairs(self.context, self.selected_pairs(), parent=self)

    def print_list(self, chosen: bool) -> None:
        from ui.printing import record_prints

        pairs = self.selected_pairs() if chosen else list(self.model.rows)
        what = "选中的结对" if chosen else self.filter_text()
        record_prints.print_pairs(self.context, pairs, record_prints.PAIR_LIST, what=what, parent=self)

    def filter_text(self) -> str:
        """The filter as a 结对名单 says it under its title: 进行中　导师：钱三　市财政局 (全部结对 without one)."""
        said = [self.state_box.currentText()] if self.state_box.currentIndex() > 0 else []
        if self.mentor_box.currentIndex() > 0:  # its name, not the load beside it (钱三（2/5）)
            said.append(f"导师：{self.mentor_box.currentText().rsplit('（', 1)[0]}")
        said += [box.currentText().strip("　 ") for box in (self.unit_box, self.line_box)  # not indented as in the tree
                 if box.currentIndex() > 0]
        return "　".join(said) or "全部结对"

    def _selection_changed(self) -> None:
        self._update_print()
        pair = self.selected_pair()
        self.detail.show_pair(pair, self.model.posting_label(pair.posting_id) if pair else "")
        # several chosen (for a print): the pair's steps wait for one (they would act on the current one alone)
        editable = self._editable(pair) and len(self.selected_pairs()) <= 1
        active = editable and pair.is_active
        self.log_button.setEnabled(active)
        self.terminate_button.setEnabled(active)
        self.end_button.setEnabled(active)
        self.close_button.setEnabled(editable and pair.state != TERMINATED)
        self.close_button.setText("修改结业评价" if pair is not None and pair.state == COMPLETED else "结业评价")

    def _editable(self, pair: PairInfo | None) -> bool:
        """May the operator change this pair (its mentee's record: their units, 回避)?"""
        return (pair is not None and not self.context.readonly
                and self.context.allows(permissions.EDIT, cadre_id=pair.mentee_id))

    def _tree_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        kind, value = item.data(0, Qt.UserRole) or (None, None)
        if kind == "mentor":
            i = self.mentor_box.findData(value)
            self.mentor_box.setCurrentIndex(max(i, 0))
        elif kind == "pair":
            if not self.select_pair(value):
                self.state_box.setCurrentIndex(0)
                self.mentor_box.setCurrentIndex(0)
                self.unit_box.setCurrentIndex(0)
                self.select_pair(value)

    def _open_profile(self, index) -> None:
        pair = self.model.pair(index.row())
        if pair is None:
            return
        self._profile(pair.mentor_id if self.model.columns[index.column()].key.startswith("mentor") else pair.mentee_id)

    # ---- actions -----------------------------------------------------------------------------------
    def _changed(self, pair_id: int | None = None) -> None:
        self.context.data_changed.emit(CAPABILITY)  # reloads this page too (when shown)
        self._when_shown.flush()  # the change was made here: this page shows it even if not shown
        if pair_id is not None:
            self.select_pair(pair_id)

    def new_pair(self) -> None:
        ids = self.context.selected_cadre_ids()
        pair = create_pair_dialog(self.context, ids[0] if ids else None, parent=self)
        if pair is not None:
            self.state_box.setCurrentIndex(0)
            self.select_pair(pair.id)

    def _need_pair(self) -> PairInfo | None:
        pair = self.selected_pair()
        if pair is None:
            messages.info(self, "导师帮带", "请先在列表中选择一个帮带结对。")
        return pair

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.Accepted:
            self._changed(dialog.pair.id)

    def add_log(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(LogDialog(pair, parent=self))

    def _edit_log(self, item: QTreeWidgetItem, _column: int) -> None:
        pair = self.detail.pair
        if not self._editable(pair):
            return
        log_id = item.data(0, Qt.UserRole)
        log = next((x for x in meeting_logs.logs_for_pair(pair.id) if x.id == log_id), None)
        if log is not None:
            self._run(LogDialog(pair, log, parent=self))

    def _log_menu(self, pos) -> None:
        item = self.detail.logs.itemAt(pos)
        pair = self.detail.pair
        if item is None or not self._editable(pair) or item.data(0, Qt.UserRole) is None:
            return
        menu = QMenu(self)
        menu.addAction("修改谈话记录…", lambda: self._edit_log(item, 0))
        menu.addAction("删除谈话记录", lambda: self.delete_log(item.data(0, Qt.UserRole)))
        menu.exec(self.detail.logs.viewport().mapToGlobal(pos))

    def delete_log(self, log_id: int, confirm: bool = True) -> None:
        pair = self.detail.pair
        if confirm and not messages.confirm(self, "删除谈话记录", "确定删除这条谈话记录吗？", "删除", danger=True):
            return
        shown = self.detail.shown_logs.get(log_id)  # as listed: another's change since is said, not lost
        if messages.attempt_delete(self, "删除谈话记录",
                                   lambda overwrite: meeting_logs.delete_log(log_id, shown, overwrite)):
            self._changed(pair.id if pair else None)

    def _pair_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        pair = self.model.pair(index.row()) if index.isValid() else None
        if pair is None:
            return
        menu = QMenu(self)
        for title, cadre_id in ((f"打开导师档案（{bracketed_name(pair.mentor_name)}）", pair.mentor_id),
                                (f"打开帮带对象档案（{bracketed_name(pair.mentee_name)}）", pair.mentee_id)):
            action = menu.addAction(title, lambda cadre_id=cadre_id: self._profile(cadre_id))
            action.setEnabled(self.context.allows(permissions.READ, cadre_id=cadre_id))  # not another unit's
        if self._editable(pair):
            menu.addSeparator()
            menu.addAction("修改帮带方向和目标…", lambda: self._run(EditPairDialog(pair, parent=self)))
            menu.addAction("删除结对（录入错误时）…", lambda: self.delete_pair(pair))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _profile(self, cadre_id: int) -> None:
        refusal = permissions.check(permissions.READ, cadre_id=cadre_id)
        if refusal:
            self.context.status_message.emit(refusal)
            return
        self.context.open_profile(cadre_id, self)

    def delete_pair(self, pair: PairInfo, confirm: bool = True) -> None:
        text = (f"确定删除 {pair.mentor_name}→{pair.mentee_name} 的帮带结对吗？\n"
                f"其 {pair.log_count} 条谈话记录和结业评价将一并删除，此操作不能撤销。\n"
                "正常结束的帮带请用“结业评价”或“终止”。")
        if confirm and not messages.confirm(self, "删除结对", text, "删除", danger=True):
            return
        # Its 谈话记录 as shown under the list (the menu's right click made the pair current): one added,
        # changed or deleted since is asked about.
        logs = list(self.detail.shown_logs.values()) if self.detail.pair and self.detail.pair.id == pair.id else None
        if messages.attempt_delete(self, "删除结对", lambda overwrite: pair_changes.delete_pair(pair.id, pair.version,
                                                                                            overwrite, logs)):
            self._changed()

    def evaluate(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(EvaluationDialog(pair, parent=self))

    def terminate(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(TerminateDialog(pair, parent=self))

    def change_end(self) -> None:
        pair = self._need_pair()
        if pair is not None:
            self._run(EndDateDialog(pair, parent=self))


def pair_selected_cadres(context: AppContext, ids: list[int]) -> None:
    create_pair_dialog(context, ids[0])


def open_pair(context: AppContext, pair_id: int) -> None:
    """The 导师帮带 page with the pair selected and its talks shown; the filters are cleared when they
    hide it. Opened from a reminder of the 工作台."""
    page = context.main_window.show_module("mentoring") if context.main_window is not None else None
    if page is None or page.select_pair(pair_id):
        return
    for box in (page.state_box, page.mentor_box, page.unit_box, page.line_box):
        box.blockSignals(True)
        box.setCurrentIndex(0)
        box.blockSignals(False)
    page.apply_filter()
    page.select_pair(pair_id)
