"""The import preview and the 文件 menu's import entries: 干部名册, 年度考核结果, 培训记录 (.xlsx .xls
.ods) and 任免表 (.lrmx). The preview shows the column mapping (列对应) and every row (数据检查: its
unit and where it came from, duplicates with their differences, the clerk's choices); the problem
report saves what is left to fix. Reading, checking and writing run in the core, off the GUI thread.

A large file's preview opens once its first rows are checked (imports.PREVIEW_ROWS); the rest are read
and checked in the background, the table, counts and problem report growing as they come, a progress
bar saying how far it is. 导入 waits until every row is checked; a re-check asked for meanwhile stops
the background check and checks every row (with its own progress)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from cadre_desk.domain.errors import ConflictError, friendly_error
from cadre_desk.domain.progress import NO_PROGRESS
from cadre_desk.exchange import imports
from ui.exchange.common import reload_cadres
from ui.exchange.import_mapping import MappingPanel
from ui.exchange.import_post_rows import PostRowsPanel, tab_title
from ui.exchange.import_rows import RowsPanel
from ui.shell.context import AppContext
from ui.widgets import files, messages
from ui.widgets.files import EXCEL_FILTER, default_dir, remember_dir
from ui.widgets.window import resize_to_screen

_FOREGROUND_LIMIT = 3000  # rows checked again on the GUI thread; more go to a worker with progress
_FILL_MS = 500  # how often the table and counts take the rows checked in the background


class ImportDialog(QDialog):
    """The preview: options, mapping (overridable, savable), every row, and the import itself."""

    def __init__(self, context: AppContext, plan: imports.ImportPlan, options: imports.ImportOptions,
                 parent=None):
        super().__init__(parent)
        self.context, self.plan, self.options = context, plan, options
        self.result_value: imports.ImportResult | None = None
        self.checking_task = None  # the background check of a preview's rest
        self.checking_error = ""  # why the rest could not be read, if it could not
        self._after_checking = None  # what to do once the background check has stopped
        # a re-check stopped part way (取消, or failed): (its work, refill); run again before an import
        self._unfinished = None
        self._shown_rows = -1
        resize_to_screen(self, 1280, 740)  # the rows and their choices on one line
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.info = QLabel()
        self.info.setWordWrap(True)
        top.addWidget(self.info, 1)
        self.sheet_label = QLabel("工作表：")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(160)
        self.sheet_combo.setToolTip("工作簿有几张工作表时，在此选择要导入的一张")
        self.sheet_combo.addItems(list(plan.sheet_names))
        self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findText(plan.sheet)))
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self.choose_sheet(self.sheet_combo.currentText()))
        for widget in (self.sheet_label, self.sheet_combo):
            widget.setVisible(len(plan.sheet_names) > 1)
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self._options_box(options))

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.mapping = MappingPanel(plan, self.context.status_message.emit, self)
        self.mapping.remapped.connect(self.remap)
        self.mapping_table = self.mapping.table
        if plan.kind != imports.LRMX:
            self.tabs.addTab(self.mapping, "列对应")
        else:  # a 任免表 has no columns: the panel, a child of the dialog outside any layout, drawn over its top
            self.mapping.hide()
        self.rows = RowsPanel(plan, self)
        self.rows.changed.connect(self.update_summary)
        self.rows.unit_chosen.connect(self.choose_unit)
        self.model, self.view = self.rows.model, self.rows.view
        self.tabs.addTab(self.rows, "数据检查")
        self.post_rows = PostRowsPanel(plan, self)  # a tab while the plan has rows with no name but a post
        self.post_rows.chosen.connect(self.choose_post_rows)
        self.post_rows.hide()
        if plan.kind == imports.LRMX or any(r.problems or r.unit_source == "position" for r in plan.rows):
            self.tabs.setCurrentWidget(self.rows)

        buttons = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons.addWidget(self.summary, 1)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(160)
        self.progress.setVisible(False)
        buttons.addWidget(self.progress)
        report = QPushButton("保存问题报告…")
        report.clicked.connect(self.save_report)
        buttons.addWidget(report)
        self.import_button = QPushButton("导入")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.fill_timer = QTimer(self)
        self.fill_timer.setInterval(_FILL_MS)
        self.fill_timer.timeout.connect(self.take_checked_rows)
        self.mapping.fill()
        self._tab_chosen = False  # by the clerk: rows with only a post found later no longer turn to their tab
        self.refresh_rows()  # rows with only a post (joined to the person above, skipped as vacant): their tab first
        self.tabs.currentChanged.connect(self._clerk_chose_tab)
        self.tabs.tabBarClicked.connect(self._clerk_chose_tab)  # also a click on the tab already shown
        if not plan.complete:
            self.check_rest()

    def _options_box(self, options: imports.ImportOptions) -> QGroupBox:
        box = QGroupBox("导入选项")
        grid = QGridLayout(box)
        self.accept_hints = QCheckBox("采用代码表建议（如“汉”按“汉族”导入）")
        self.accept_hints.setChecked(options.accept_suggestions)
        self.create_units = QCheckBox("系统中没有的单位（表中所填或从现任职务推断）自动新建")
        self.create_units.setChecked(options.create_units)
        self.default_unit = QComboBox()
        self.default_unit.addItem("（不指定）", None)
        from cadre_desk.units import units

        for unit in units.list_units():
            self.default_unit.addItem("　" * unit.depth + unit.name, unit.id)
        self.default_unit.setCurrentIndex(max(0, self.default_unit.findData(options.default_unit_id)))
        self.duplicate_combo = QComboBox()
        self.duplicate_combo.addItem("跳过（不改动已有档案）", imports.SKIP)
        self.duplicate_combo.addItem("用表中数据更新已有档案（只写入不同的字段）", imports.UPDATE)
        self.duplicate_combo.setCurrentIndex(1 if options.duplicate_action == imports.UPDATE else 0)
        # Two lines, not three: the height goes to the rows and their differences (at 1366×768).
        grid.addWidget(self.accept_hints, 0, 0, 1, 2)
        grid.addWidget(self.create_units, 0, 2, 1, 2)
        grid.addWidget(QLabel("无单位列、也无法从现任职务判断单位的行归入："), 1, 0)
        grid.addWidget(self.default_unit, 1, 1)
        grid.addWidget(QLabel("与已有干部重复的行（可在下方逐行改）："), 1, 2)
        grid.addWidget(self.duplicate_combo, 1, 3)
        recheck = QPushButton("按新选项重新检查")
        recheck.clicked.connect(self.recheck)
        grid.addWidget(recheck, 0, 4, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    # ---- checking -------------------------------------------------------------------------------
    def current_options(self) -> imports.ImportOptions:
        return imports.ImportOptions(
            accept_suggestions=self.accept_hints.isChecked(), create_units=self.create_units.isChecked(),
            default_unit_id=self.default_unit.currentData(), duplicate_action=self.duplicate_combo.currentData())

    def recheck(self) -> None:
        self._run_check(lambda p: imports.evaluate(self.plan, self.current_options(), p))

    def remap(self, mapping: dict) -> None:
        self._run_check(lambda p: imports.set_mapping(self.plan, mapping, self.current_options(), p), refill=True)

    def choose_post_rows(self, choices: dict) -> None:
        self._run_check(lambda p: imports.set_post_rows(self.plan, choices, self.current_options(), p))

    def choose_unit(self, rows: list, unit) -> None:
        self._run_check(lambda p: imports.set_rows_unit(self.plan, rows, unit, self.current_options(), p))

    def _run_check(self, fn, refill: bool = False, then=None) -> None:
        if self.checking_task is not None:  # the rest is still being checked: stop that, then check all
            self._after_checking = lambda: self._run_check(fn, refill, then)
            self.checking_task.cancel()
            return

        def done(_result) -> None:
            self._unfinished = None
            self.options = self.current_options()
            if refill:
                self.mapping.fill()
            self.refresh_rows()
            if then is not None:
                then()

        if self.plan.complete and len(self.plan.rows) < _FOREGROUND_LIMIT:
            fn(NO_PROGRESS)
            done(None)
        else:
            def stopped(message: str) -> None:  # the rows part old, part new (a mapping half applied)
                self._unfinished = (fn, refill)
                self._check_failed(message)

            self.context.tasks.run_with_progress(self, "重新检查", fn, on_done=done, on_error=stopped)

    def choose_sheet(self, name: str) -> None:
        """Read another sheet of the workbook: its own header and columns (the columns mapped by hand
        kept where the header is the same), its rows checked with the options shown."""
        if not name or name == self.plan.sheet:
            return
        if self.checking_task is not None:  # stop checking the rest of the sheet shown, then read the other
            self._after_checking = lambda: self.choose_sheet(name)
            self.checking_task.cancel()
            return
        options, carried = self.current_options(), imports.chosen_mapping(self.plan)

        def work(progress):
            return imports.analyze(self.plan.path, options, progress, first_rows=imports.PREVIEW_ROWS,
                                   sheet=name, header_mapping=carried)

        def failed(message: str) -> None:
            self._show_sheet(self.plan.sheet)
            if not self.plan.complete and self.checking_task is None:  # its check was stopped for the other
                self.check_rest()
            if message:
                messages.warning(self, "工作表", message)

        self.context.tasks.run_with_progress(self, f"读取工作表“{name}”", work,
                                             on_done=lambda plan: self.set_plan(plan, options), on_error=failed)

    def _show_sheet(self, name: str) -> None:
        with QSignalBlocker(self.sheet_combo):
            self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findText(name)))

    def set_plan(self, plan: imports.ImportPlan, options: imports.ImportOptions) -> None:
        """Show another plan of the same file (another sheet): mapping and rows panels refilled."""
        self.plan, self.options = plan, options
        self.mapping.plan = self.rows.plan = self.post_rows.plan = plan
        self._show_sheet(plan.sheet)
        self.checking_error = ""
        self.mapping.fill()
        self.refresh_rows()
        if not plan.complete:
            self.check_rest()

    def _check_failed(self, message: str) -> None:
        self.refresh_rows()
        if message:
            messages.warning(self, "检查", message)

    # ---- the rest of a large file, checked in the background ------------------------------------------
    def check_rest(self) -> None:
        self.checking_error = ""
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.checking_task = self.context.tasks.start(
            lambda p: imports.check_rest(self.plan, p), on_done=lambda _r: self._rest_stopped(""),
            on_error=self._rest_stopped, on_progress=self._rest_progress)
        self.fill_timer.start()
        self.update_summary()

    def _rest_progress(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _rest_stopped(self, message: str) -> None:
        """The background check ended: done, cancelled (a re-check waits for it) or failed."""
        self.checking_task = None
        self.fill_timer.stop()
        self.progress.setVisible(False)
        self.checking_error = message
        self.take_checked_rows()
        after, self._after_checking = self._after_checking, None
        if message:
            messages.warning(self, "读取失败", f"{message}\n\n表中其余的行无法读取，本次不能导入。")
        elif after is not None:
            after()

    def take_checked_rows(self) -> None:
        """Show the rows checked since last time (the table keeps its selection and scroll)."""
        if len(self.plan.rows) != self._shown_rows or self.plan.complete:
            self.refresh_rows()

    def done(self, result: int) -> None:  # Qt override: closing the preview stops its background check
        if self.checking_task is not None:
            self.checking_task.cancel()
            self.checking_task = None
        self.fill_timer.stop()
        self.rows.save_split()
        super().done(result)

    def refresh_rows(self) -> None:
        """Everything the plan decides: title (its kind), the row panel's rows and choices, counts."""
        self._shown_rows = len(self.plan.rows)
        self.setWindowTitle(f"导入{imports.KIND_LABELS[self.plan.kind]} — {self.plan.file_name}")
        self.rows.refresh()
        self.follow_post_rows()
        self.update_summary()

    def _clerk_chose_tab(self, _index: int) -> None:
        self._tab_chosen = True

    def follow_post_rows(self) -> None:
        """The 只有职务的行 tab, there while the plan has such rows, its title counting them. When it appears
        (the file opened, the rest of a large one checked, another sheet read) the preview turns to it,
        unless the clerk has chosen a tab themselves."""
        at = self.tabs.indexOf(self.post_rows)
        if not self.plan.post_rows:
            if at >= 0:
                with QSignalBlocker(self.tabs):  # the tab shown going is not the clerk's choice
                    self.tabs.removeTab(at)
            return
        if at < 0:
            with QSignalBlocker(self.tabs):
                at = self.tabs.addTab(self.post_rows, "")
                if not self._tab_chosen:
                    self.tabs.setCurrentIndex(at)
        self.tabs.setTabText(at, tab_title(self.plan))
        self.post_rows.refresh()

    def set_action(self, action: str) -> None:
        """The chosen action for the rows selected in the table (where it applies)."""
        self.rows.choose(action, self.rows.selected_rows())

    def update_summary(self) -> None:
        plan = self.plan
        counts = plan.counts()
        chosen = [r for r in plan.rows if r.action != imports.SKIP and r.ok]
        self.info.setText(
            f"文件：{plan.path}　类型：{imports.KIND_LABELS[plan.kind]}"
            + (f"　工作表：{plan.sheet}　表头在第 {'、'.join(map(str, plan.header_rows))} 行" if plan.sheet else "")
            + ("\n" + "；".join(plan.notes) if plan.notes else "")
            + ("\n要导入另一张工作表，请在右上方的“工作表”框中选择。" if len(plan.sheet_names) > 1 else ""))
        new = sum(r.action in (imports.INSERT, imports.KEEP_BOTH) for r in chosen)
        derived = f"，单位从现任职务推断 {counts['derived_units']} 行" if counts["derived_units"] else ""
        same = f"，无变化 {counts['unchanged']}" if counts["unchanged"] else ""
        figures = (f"将导入 {len(chosen)} 行（新增 {new}，更新 {counts['updated']}{same}），"
                   f"有问题 {counts['problems']} 行，重复 {counts['duplicates']} 行，跳过 {counts['skipped']} 行{derived}")
        if plan.complete and self._unfinished is not None:
            self.summary.setText(f"重新检查未完成，“数据检查”中的结果不全是按现在的列对应和选项得出的；"
                                 f"点“导入”时将先重新检查全部行。共 {counts['total']} 行：{figures}")
        elif plan.complete:
            self.summary.setText(f"共 {counts['total']} 行：{figures}")
        elif self.checking_error:
            self.summary.setText(f"已检查 {counts['total']:,} 行后读取失败，不能导入。已检查的行中：{figures}")
        else:
            self.summary.setText(f"正在检查其余的行：已检查 {counts['total']:,} 行，共约 "
                                 f"{imports.expected_rows(plan):,} 行，全部检查完成后才能导入。已检查的行中：{figures}")
        self.import_button.setEnabled(plan.complete and bool(chosen) and not self.context.readonly)
        self.rows.set_all_enabled(plan.complete)

    # ---- results --------------------------------------------------------------------------------
    def save_report(self) -> None:
        default = str(Path(default_dir()) / f"导入问题报告_{Path(self.plan.file_name).stem}.xlsx")
        path = files.save_file(self, "保存问题报告", default, "Excel 文件 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            imports.save_problem_report(self.plan, path)
        except PermissionError:  # typically: the previous report is still open in Excel
            messages.warning(self, "保存问题报告", f"保存失败：不能写入“{path}”。\n"
                             "如果该文件正在 Excel 中打开，请先关闭它再保存。")
            return
        except OSError as exc:
            messages.warning(self, "保存问题报告", f"保存失败：{friendly_error(exc)}")
            return
        self.context.status_message.emit(f"问题报告已保存：{path}")

    def run_import(self) -> None:
        plan, options = self.plan, self.current_options()
        if self._unfinished is not None:  # a re-check stopped part way: done again first, whole
            fn, refill = self._unfinished
            self._run_check(fn, refill, then=self.run_import)
            return
        if options != self.options or not plan.complete:  # checked with the options shown, every row
            self._run_check(lambda p: imports.evaluate(plan, options, p), then=self.run_import)
            return
        self.import_button.setEnabled(False)

        def work(progress) -> imports.ImportResult | ConflictError:
            try:
                return imports.commit(plan, options, progress)
            except ConflictError as exc:  # another saved a profile since the check: said, then checked again
                return exc

        def done(result: imports.ImportResult | ConflictError) -> None:
            if isinstance(result, ConflictError):
                self.import_button.setEnabled(True)
                messages.warning(self, "导入失败", f"{friendly_error(result)}\n\n"
                                                 "预览已按档案的现状重新检查，请核对后再点“导入”。")
                self.recheck()
                return
            self.result_value = result
            reload_cadres(self.context)
            # a 取消 pressed once the import had begun to save was refused: said, not passed over
            late = ("点“取消”时导入已在保存，不能再取消，本次导入已完成并保存。\n\n"
                    if task.token.too_late else "")
            messages.info(
                self, "导入完成", late + f"新增 {result.inserted} 人，更新 {result.updated} 人，"
                                  + (f"无变化 {result.unchanged} 人，" if result.unchanged else "")
                                  + f"跳过 {result.skipped} 行，有问题未导入 {result.rejected} 行。"
                                  + (f"\n\n导入前已备份数据库，如需撤销本次导入，可在“工具 → 从备份恢复…”中选择：\n"
                                     f"{result.backup}" if result.backup else ""))
            self.accept()

        def failed(message: str) -> None:
            self.import_button.setEnabled(True)
            if message:  # a refusal that says what was written (and what to do) is shown as it is
                said = message if imports.NOTHING_WRITTEN in message else f"{message}\n\n{imports.NOTHING_WRITTEN}。"
                messages.warning(self, "导入失败", said)

        task = self.context.tasks.run_with_progress(self, "正在导入", work, on_done=done, on_error=failed)


def start_import(context: AppContext, paths, title: str, options: imports.ImportOptions | None = None,
                 parent=None) -> None:
    """Analyze in the background, then show the preview."""
    parent = parent or context.main_window
    options = options or imports.ImportOptions()

    def work(progress):
        if isinstance(paths, list):
            return imports.analyze_lrmx(paths, options, progress)
        return imports.analyze(paths, options, progress, first_rows=imports.PREVIEW_ROWS)

    def done(plan) -> None:
        dialog = ImportDialog(context, plan, options, parent)
        dialog.open()
        context._exchange_dialog = dialog  # keep a reference while it is open

    context.tasks.run_with_progress(parent, title, work, on_done=done,
                                    on_error=lambda msg: msg and messages.warning(parent, title, msg))


def _import_workbook(context: AppContext, title: str, caption: str) -> None:
    path = files.open_file(context.main_window, caption, default_dir(), EXCEL_FILTER)
    if path:
        remember_dir(path)
        start_import(context, path, title)


def import_roster(context: AppContext) -> None:
    _import_workbook(context, "导入干部名册", "导入干部名册")


def import_assessments(context: AppContext) -> None:
    _import_workbook(context, "导入年度考核结果", "导入年度考核结果（每年一列，如 2018年、2017年；或一列文字）")


def import_trainings(context: AppContext) -> None:
    _import_workbook(context, "导入培训记录", "导入培训记录（培训名称、主办单位、开始时间、结束时间、学时）")


def import_lrmx(context: AppContext) -> None:
    parent = context.main_window
    choice = messages.choose(parent, "导入任免表（LRMX）", "导入单个或多个 .lrmx 文件，还是整个文件夹？",
                             ["选择文件…", "选择文件夹…"])
    if choice == 0:
        paths = files.open_files(parent, "选择任免表文件", default_dir(), "任免表 (*.lrmx)")
        if paths:
            remember_dir(paths[0])
            start_import(context, [Path(p) for p in paths], "导入任免表")
    elif choice == 1:
        folder = files.pick_folder(parent, "选择存放任免表的文件夹", default_dir())
        if folder:
            remember_dir(folder + "/")
            start_import(context, folder, "导入任免表")

