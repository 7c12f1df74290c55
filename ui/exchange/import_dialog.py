"""The import preview (column mapping, per-row problems, duplicates) and the 文件 menu's import entries.

All reading, checking and writing runs in the core functions off the GUI thread."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import friendly_error
from cadre_desk.domain.fields import BY_KEY, normalize_header
from cadre_desk.exchange import imports
from ui.exchange.common import EXCEL_FILTER, default_dir, reload_cadres, remember_dir
from ui.shell.app import resize_to_screen
from ui.shell.context import AppContext

PROBLEM_BG = QColor("#fde2e1")
DUPLICATE_BG = QColor("#fff4cc")


# ---- import preview -----------------------------------------------------------------------------


class ImportRowsModel(QAbstractTableModel):
    HEADERS = ("行号", "姓名", "处理", "问题", "提示", "重复")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[imports.ImportRow] = []
        self.kind = imports.ROSTER

    def set_rows(self, rows: list[imports.ImportRow], kind: str) -> None:
        self.beginResetModel()
        self.rows, self.kind = rows, kind
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return f"{row.source}" if self.kind == imports.LRMX else str(row.line)
            if col == 1:
                return row.name
            if col == 2:
                return "不导入" if row.problems and row.action != imports.SKIP else imports.ACTION_LABELS[row.action]
            if col == 3:
                return "；".join(row.problems)
            if col == 4:
                hints = list(row.warnings)
                hints += [f"{BY_KEY[k].label}建议为“{v}”" for k, v in row.suggestions.items() if k in BY_KEY]
                return "；".join(hints)
            if col == 5:
                return row.duplicate_reason
        if role == Qt.ToolTipRole and col in (3, 4):
            return self.data(index, Qt.DisplayRole)
        if role == Qt.BackgroundRole:
            if row.problems:
                return QBrush(PROBLEM_BG)
            if row.duplicate_id is not None:
                return QBrush(DUPLICATE_BG)
        return None

    def changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))


class ImportDialog(QDialog):
    """The preview: mapping (overridable, savable), every row's problems, duplicates skip/update."""

    def __init__(self, context: AppContext, plan: imports.ImportPlan, options: imports.ImportOptions,
                 parent=None):
        super().__init__(parent)
        self.context, self.plan, self.options = context, plan, options
        self.result_value: imports.ImportResult | None = None
        self.setWindowTitle(f"导入{imports.KIND_LABELS[plan.kind]} — {plan.file_name}")
        resize_to_screen(self, 1100, 720)
        layout = QVBoxLayout(self)

        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.info)

        box = QGroupBox("导入选项")
        grid = QGridLayout(box)
        self.accept_hints = QCheckBox("采用代码表建议（如“汉”按“汉族”导入）")
        self.accept_hints.setChecked(options.accept_suggestions)
        self.create_units = QCheckBox("表中不存在的单位自动新建")
        self.create_units.setChecked(options.create_units)
        self.default_unit = QComboBox()
        self.default_unit.addItem("（不指定）", None)
        from cadre_desk.units import units

        for unit in units.list_units():
            self.default_unit.addItem("　" * unit.depth + unit.name, unit.id)
        pos = self.default_unit.findData(options.default_unit_id)
        self.default_unit.setCurrentIndex(max(0, pos))
        self.duplicate_combo = QComboBox()
        self.duplicate_combo.addItem("跳过（不改动已有档案）", imports.SKIP)
        self.duplicate_combo.addItem("用表中数据更新已有档案", imports.UPDATE)
        self.duplicate_combo.setCurrentIndex(1 if options.duplicate_action == imports.UPDATE else 0)
        grid.addWidget(self.accept_hints, 0, 0)
        grid.addWidget(self.create_units, 0, 1)
        grid.addWidget(QLabel("未填单位的行归入："), 1, 0)
        grid.addWidget(self.default_unit, 1, 1)
        grid.addWidget(QLabel("与已有干部重复的行："), 2, 0)
        grid.addWidget(self.duplicate_combo, 2, 1)
        recheck = QPushButton("按新选项重新检查")
        recheck.clicked.connect(self.recheck)
        grid.addWidget(recheck, 2, 2)
        layout.addWidget(box)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["表中列名", "导入为", "示例"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        mapping_page = QWidget()
        mapping_layout = QVBoxLayout(mapping_page)
        preset_row = QHBoxLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("（自动识别）", "")
        for name in imports.saved_mappings():
            self.preset_combo.addItem(name, name)
        apply_preset = QPushButton("套用方案")
        apply_preset.clicked.connect(self.apply_preset)
        save_preset = QPushButton("保存为方案…")
        save_preset.clicked.connect(self.save_preset)
        preset_row.addWidget(QLabel("列对应方案："))
        preset_row.addWidget(self.preset_combo, 1)
        preset_row.addWidget(apply_preset)
        preset_row.addWidget(save_preset)
        mapping_layout.addLayout(preset_row)
        mapping_layout.addWidget(self.mapping_table)
        if plan.kind != imports.LRMX:
            self.tabs.addTab(mapping_page, "列对应")

        rows_page = QWidget()
        rows_layout = QVBoxLayout(rows_page)
        filter_row = QHBoxLayout()
        self.show_combo = QComboBox()
        for text, key in (("全部行", "all"), ("有问题的行", "problems"), ("与已有干部重复的行", "duplicates"),
                          ("可导入的行", "ok")):
            self.show_combo.addItem(text, key)
        self.show_combo.currentIndexChanged.connect(self.refresh_rows)
        filter_row.addWidget(QLabel("显示："))
        filter_row.addWidget(self.show_combo)
        filter_row.addStretch(1)
        for text, action in (("选中行：新增", imports.INSERT), ("选中行：更新已有", imports.UPDATE),
                             ("选中行：跳过", imports.SKIP)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, a=action: self.set_action(a))
            filter_row.addWidget(button)
        rows_layout.addLayout(filter_row)
        self.model = ImportRowsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.view.setColumnWidth(0, 70)
        self.view.setColumnWidth(1, 90)
        self.view.setColumnWidth(2, 80)
        self.view.setColumnWidth(4, 240)
        self.view.setColumnWidth(5, 150)
        rows_layout.addWidget(self.view)
        self.tabs.addTab(rows_page, "数据检查")
        if plan.kind == imports.LRMX or any(r.problems for r in plan.rows):
            self.tabs.setCurrentWidget(rows_page)

        buttons = QHBoxLayout()
        self.summary = QLabel()
        buttons.addWidget(self.summary, 1)
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
        self.fill_mapping()
        self.refresh_rows()

    # ---- mapping --------------------------------------------------------------------------------
    def fill_mapping(self) -> None:
        plan = self.plan
        targets = imports.all_targets()
        extra = [c.target for c in plan.columns if c.target and c.target not in targets]
        self.mapping_table.setRowCount(len(plan.columns))
        data_rows = plan.data.rows if plan.data is not None else []
        first = plan.header_rows[-1] if plan.header_rows else 0
        # examples from the rows that will be imported: not from a notes block or a repeated header
        sample_rows = [row.cells for row in plan.rows[:8]] if plan.rows else data_rows[first:first + 8]
        for r, column in enumerate(plan.columns):
            self.mapping_table.setItem(r, 0, _item(column.header))
            combo = QComboBox()
            combo.addItem("（不导入）", None)
            for target in targets + extra:
                combo.addItem(imports.target_label(target), target)
            combo.setCurrentIndex(max(0, combo.findData(column.target)))
            combo.currentIndexChanged.connect(lambda _i, c=column.index, w=combo: self.remap(c, w.currentData()))
            self.mapping_table.setCellWidget(r, 1, combo)
            header = normalize_header(column.header)
            samples = [_sample_text(row[column.index]) for row in sample_rows
                       if column.index < len(row) and row[column.index] not in (None, "")
                       and normalize_header(row[column.index]) != header][:3]
            self.mapping_table.setItem(r, 2, _item("，".join(samples)))
        self.mapping_table.setColumnWidth(0, 200)
        self.mapping_table.setColumnWidth(1, 220)

    def remap(self, column_index: int, target) -> None:
        self._run_check(lambda p: imports.set_mapping(self.plan, {column_index: target}, self.current_options(), p),
                        refill=True)

    def apply_preset(self) -> None:
        name = self.preset_combo.currentData()
        if not name:
            mapping = {c.index: imports.resolve_header(c.header) for c in self.plan.columns}
        else:
            mapping = imports.mapping_for(self.plan, name)
        self._run_check(lambda p: imports.set_mapping(self.plan, mapping, self.current_options(), p), refill=True)

    def save_preset(self) -> None:
        name, ok = QInputDialog.getText(self, "保存列对应方案", "方案名称：")
        if not ok or not name.strip():
            return
        try:
            imports.save_mapping(name, self.plan)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            QMessageBox.warning(self, "保存方案", str(exc))
            return
        if self.preset_combo.findData(name.strip()) < 0:
            self.preset_combo.addItem(name.strip(), name.strip())
        self.context.status_message.emit(f"已保存列对应方案“{name.strip()}”")

    # ---- checking -------------------------------------------------------------------------------
    def current_options(self) -> imports.ImportOptions:
        return imports.ImportOptions(
            accept_suggestions=self.accept_hints.isChecked(), create_units=self.create_units.isChecked(),
            default_unit_id=self.default_unit.currentData(), duplicate_action=self.duplicate_combo.currentData())

    def recheck(self) -> None:
        self._run_check(lambda p: imports.evaluate(self.plan, self.current_options(), p))

    def _run_check(self, fn, refill: bool = False) -> None:
        def done(_result) -> None:
            self.options = self.current_options()
            if refill:
                self.mapping_table.blockSignals(True)
                self.fill_mapping()
                self.mapping_table.blockSignals(False)
            self.refresh_rows()

        if len(self.plan.rows) < 3000:
            from cadre_desk.domain.progress import NO_PROGRESS

            fn(NO_PROGRESS)
            done(None)
        else:
            self.context.tasks.run_with_progress(self, "重新检查", fn, on_done=done)

    def visible_rows(self) -> list[imports.ImportRow]:
        show = self.show_combo.currentData()
        rows = self.plan.rows
        if show == "problems":
            return [r for r in rows if r.problems]
        if show == "duplicates":
            return [r for r in rows if r.duplicate_id is not None]
        if show == "ok":
            return [r for r in rows if r.ok]
        return list(rows)

    def refresh_rows(self) -> None:
        self.model.set_rows(self.visible_rows(), self.plan.kind)
        self.update_summary()

    def update_summary(self) -> None:
        plan = self.plan
        counts = plan.counts()
        chosen = [r for r in plan.rows if r.action != imports.SKIP and r.ok]
        self.info.setText(
            f"文件：{plan.path}　类型：{imports.KIND_LABELS[plan.kind]}"
            + (f"　工作表：{plan.sheet}　表头在第 {'、'.join(map(str, plan.header_rows))} 行" if plan.sheet else "")
            + ("\n" + "；".join(plan.notes) if plan.notes else ""))
        self.summary.setText(
            f"共 {counts['total']} 行：将导入 {len(chosen)} 行（新增 {sum(r.action == imports.INSERT for r in chosen)}，"
            f"更新 {sum(r.action == imports.UPDATE for r in chosen)}），有问题 {counts['problems']} 行，"
            f"重复 {counts['duplicates']} 行，跳过 {counts['skipped']} 行")
        self.import_button.setEnabled(bool(chosen) and not self.context.readonly)

    def set_action(self, action: str) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        for r in rows:
            row = self.model.rows[r]
            if action == imports.UPDATE and row.duplicate_id is None and row.target_id is None:
                continue
            if action == imports.INSERT and (row.target_id is not None or row.insert_problems):
                continue
            row.action = action
        self.model.changed()
        self.update_summary()

    # ---- results --------------------------------------------------------------------------------
    def save_report(self) -> None:
        default = str(Path(default_dir()) / f"导入问题报告_{Path(self.plan.file_name).stem}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "保存问题报告", default, "Excel 文件 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            imports.save_problem_report(self.plan, path)
        except PermissionError:  # typically: the previous report is still open in Excel
            QMessageBox.warning(self, "保存问题报告", f"保存失败：不能写入“{path}”。\n"
                                "如果该文件正在 Excel 中打开，请先关闭它再保存。")
            return
        except OSError as exc:
            QMessageBox.warning(self, "保存问题报告", f"保存失败：{friendly_error(exc)}")
            return
        self.context.status_message.emit(f"问题报告已保存：{path}")

    def run_import(self) -> None:
        plan, options = self.plan, self.current_options()
        if options.create_units != self.options.create_units or options.accept_suggestions != \
                self.options.accept_suggestions:
            imports.evaluate(plan, options)
            self.refresh_rows()
        self.import_button.setEnabled(False)

        def done(result: imports.ImportResult) -> None:
            self.result_value = result
            reload_cadres(self.context)
            QMessageBox.information(
                self, "导入完成", f"新增 {result.inserted} 人，更新 {result.updated} 人，"
                                  f"跳过 {result.skipped} 行，有问题未导入 {result.rejected} 行。"
                                  + (f"\n\n导入前已备份数据库，如需撤销本次导入，可在“工具 → 从备份恢复…”中选择：\n"
                                     f"{result.backup}" if result.backup else ""))
            self.accept()

        def failed(message: str) -> None:
            self.import_button.setEnabled(True)
            if message:
                QMessageBox.warning(self, "导入失败", f"{message}\n\n未导入任何数据。")

        self.context.tasks.run_with_progress(self, "正在导入", lambda p: imports.commit(plan, options, p),
                                             on_done=done, on_error=failed)


def _sample_text(value) -> str:
    """A cell as the user typed it: 2020.06.01 rather than 2020-06-01 00:00:00, one line only."""
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        value = value.date()
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    first = text.splitlines()[0] if text else ""
    return first if first == text else first + "…"


def _item(text: str):
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    return item


def start_import(context: AppContext, paths, title: str, options: imports.ImportOptions | None = None,
                 parent=None) -> None:
    """Analyze in the background, then show the preview."""
    parent = parent or context.main_window
    options = options or imports.ImportOptions()

    def work(progress):
        if isinstance(paths, list):
            return imports.analyze_lrmx(paths, options, progress)
        return imports.analyze(paths, options, progress)

    def done(plan) -> None:
        dialog = ImportDialog(context, plan, options, parent)
        dialog.open()
        context._exchange_dialog = dialog  # keep a reference while it is open

    context.tasks.run_with_progress(parent, title, work, on_done=done,
                                    on_error=lambda msg: msg and QMessageBox.warning(parent, title, msg))


def import_roster(context: AppContext) -> None:
    parent = context.main_window
    path, _ = QFileDialog.getOpenFileName(parent, "导入干部名册", default_dir(), EXCEL_FILTER)
    if path:
        remember_dir(path)
        start_import(context, path, "导入干部名册")


def import_assessments(context: AppContext) -> None:
    parent = context.main_window
    path, _ = QFileDialog.getOpenFileName(parent, "导入年度考核结果（每年一列，如 2018年、2017年）", default_dir(),
                                          EXCEL_FILTER)
    if path:
        remember_dir(path)
        start_import(context, path, "导入年度考核结果")


def import_lrmx(context: AppContext) -> None:
    parent = context.main_window
    box = QMessageBox(QMessageBox.Question, "导入任免表（LRMX）", "导入单个或多个 .lrmx 文件，还是整个文件夹？", parent=parent)
    files_button = box.addButton("选择文件…", QMessageBox.AcceptRole)
    folder_button = box.addButton("选择文件夹…", QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.exec()
    if box.clickedButton() is files_button:
        paths, _ = QFileDialog.getOpenFileNames(parent, "选择任免表文件", default_dir(), "任免表 (*.lrmx)")
        if paths:
            remember_dir(paths[0])
            start_import(context, [Path(p) for p in paths], "导入任免表")
    elif box.clickedButton() is folder_button:
        folder = QFileDialog.getExistingDirectory(parent, "选择存放任免表的文件夹", default_dir())
        if folder:
            remember_dir(folder + "/")
            start_import(context, folder, "导入任免表")
