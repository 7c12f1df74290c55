"""实绩考核: 实绩档案, 正负面清单, 考核方案, 考核表 (a keyboard scoring grid), 赛马比选.

Table models hold plain rows loaded through the services; they never query the database and write
through the service functions handed to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.appraisal import appraisals, records
from cadre_desk.appraisal.scoring import (
    EXCELLENT,
    RECORD_KINDS,
    WORDINGS,
    current_period,
    excellent_quota,
    period_label,
    weights_ok,
    weights_total,
)
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError, ValidationError
from cadre_desk.units import units
from ui.shell.context import AppContext

RED = QColor("#c0392b")
GREEN = QColor("#1e8449")
GREY = QColor("#7f8c8d")
READONLY_BG = QColor("#f2f3f4")


def show_error(parent: QWidget, title: str, exc: Exception) -> None:
    QMessageBox.warning(parent, title, str(exc) if isinstance(exc, CadreDeskError) else f"操作失败：{exc}")


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# ---- a small generic table model -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[object], object]
    width: int = 0


class RowsModel(QAbstractTableModel):
    """Read-only rows (dataclasses) shown through column accessors."""

    def __init__(self, columns: list[Column], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list = []
        self.foreground: Callable[[object], QColor | None] | None = None

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = self.columns[index.column()].value(row)
            if isinstance(value, float):
                return _fmt(value)
            text = "" if value is None else str(value)
            if role == Qt.DisplayRole and "\n" in text:
                text = text.replace("\n", " ")
            return text
        if role == Qt.ForegroundRole and self.foreground is not None:
            color = self.foreground(row)
            return QBrush(color) if color is not None else None
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.columns[section].title
        return str(section + 1)

    def row(self, index: int):
        return self.rows[index] if 0 <= index < len(self.rows) else None


def _table(model: QAbstractTableModel, stretch: int | None = None, row_numbers: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setVisible(row_numbers)
    view.horizontalHeader().setStretchLastSection(stretch is None)
    if isinstance(model, RowsModel):
        for i, column in enumerate(model.columns):
            if column.width:
                view.setColumnWidth(i, column.width)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    return view


def _current(view: QTableView):
    index = view.currentIndex()
    model = view.model()
    return model.row(index.row()) if index.isValid() and isinstance(model, RowsModel) else None


# ---- cadre picker --------------------------------------------------------------------------------


class CadrePicker(QWidget):
    """Search by name, pinyin initials or position; pick one cadre."""

    cadre_selected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、拼音首字母或职务查找干部")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        # One search when the typing pauses, not a query per keystroke (a scan of 100,000 positions).
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(200)
        self._pause.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._pause.start())
        self.list.currentItemChanged.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        current = self.cadre_id()
        self.list.blockSignals(True)
        self.list.clear()
        for brief in records.find_cadres(self.search.text(), limit=200):
            item = QListWidgetItem(f"{brief.name}　{brief.unit_name}")
            item.setToolTip(f"{brief.name}\n{brief.unit_name}{brief.position}")
            item.setData(Qt.UserRole, brief.id)
            self.list.addItem(item)
            if brief.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def cadre_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def select(self, cadre_id: int, name: str = "") -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.UserRole) == cadre_id:
                self.list.setCurrentRow(row)
                return
        if name:
            self.search.setText(name)
            self.select(cadre_id)

    def _changed(self, item, _previous) -> None:
        if item is not None:
            self.cadre_selected.emit(item.data(Qt.UserRole))


# ---- 实绩档案 ------------------------------------------------------------------------------------


class RecordDialog(QDialog):
    def __init__(self, cadre_id: int, info: records.RecordInfo | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("修改实绩记录" if info and info.id else "新增实绩记录")
        self.info = info or records.RecordInfo(None, cadre_id, "月上报", current_period("月上报"), "")
        self.kind = QComboBox()
        self.kind.addItems(RECORD_KINDS)
        self.kind.setCurrentText(self.info.kind)
        self.period = QLineEdit(self.info.period)
        self.period_hint = QLabel()
        self.content = QPlainTextEdit(self.info.content)
        self.content.setPlaceholderText("本期主要工作、完成情况、存在问题")
        self.comment = QPlainTextEdit(self.info.reviewer_comment)
        self.comment.setMaximumHeight(70)
        self.reviewer = QLineEdit(self.info.reviewer)
        self.reviewer.setPlaceholderText("如：组织部、驻村工作队队长")
        self.posting = QComboBox()
        self.posting.addItem("（不关联）", None)
        for posting in records.postings_for_cadre(cadre_id):
            end = format_date(posting.actual_end or posting.planned_end)
            self.posting.addItem(f"{posting.line_name}·{posting.post_name}（{format_date(posting.start)}—{end}，"
                                 f"{posting.state}）", posting.id)
            if posting.id == self.info.posting_id:
                self.posting.setCurrentIndex(self.posting.count() - 1)
        if self.info.id is None and self.posting.count() > 1:
            active = [i for i in range(1, self.posting.count()) if "在岗" in self.posting.itemText(i)]
            if active:
                self.posting.setCurrentIndex(active[0])
        form = QFormLayout()
        form.addRow("记录类型", self.kind)
        row = QHBoxLayout()
        row.addWidget(self.period)
        row.addWidget(self.period_hint)
        form.addRow("期间", row)
        form.addRow("实绩内容", self.content)
        form.addRow("审核意见", self.comment)
        form.addRow("审核人", self.reviewer)
        form.addRow("关联一线岗位", self.posting)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.period.textChanged.connect(self._show_hint)
        self._show_hint()
        self.resize(560, 480)
        self.saved: records.RecordInfo | None = None

    def _kind_changed(self, kind: str) -> None:
        self.period.setText(current_period(kind))

    def _show_hint(self) -> None:
        self.period_hint.setText(period_label(self.period.text().strip()))

    def accept(self) -> None:
        info = records.RecordInfo(self.info.id, self.info.cadre_id, self.kind.currentText(), self.period.text(),
                                  self.content.toPlainText(), self.comment.toPlainText(),
                                  self.posting.currentData(), self.reviewer.text(), version=self.info.version)
        try:
            self.saved = records.save_record(info)
        except CadreDeskError as exc:
            show_error(self, "保存实绩记录", exc)
            return
        super().accept()


class RecordsTab(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.picker = CadrePicker()
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
        self.table = _table(self.model, stretch=2)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add, edit, delete = QPushButton("新增记录"), QPushButton("修改"), QPushButton("删除")
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
        rrow = QHBoxLayout()
        rrow.addWidget(QLabel("类型"))
        rrow.addWidget(self.reminder_kind, 1)
        rl.addLayout(rrow)
        rl.addWidget(self.reminder_label)
        rl.addWidget(self.reminder_list)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.picker, 3)
        ll.addWidget(remind_box, 2)
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        rlayout.addLayout(bar)
        rlayout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._postings: dict[int, str] = {}
        self.picker.cadre_selected.connect(lambda _id: self.reload())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.reminder_kind.currentTextChanged.connect(lambda _k: self.reload_reminders())
        self.reload_reminders()

    def _posting_name(self, row: records.RecordInfo) -> str:
        return self._postings.get(row.posting_id, "") if row.posting_id else ""

    def reload(self) -> None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            self.model.set_rows([])
            return
        item = self.picker.list.currentItem()
        self.title.setText(f"{item.text().split('　')[0]} 的实绩档案")
        self._postings = {p.id: f"{p.line_name}·{p.post_name}" for p in records.postings_for_cadre(cadre_id)}
        try:
            self.model.set_rows(records.list_records(cadre_id, self.kind_filter.currentData() or None))
        except CadreDeskError as exc:
            show_error(self, "实绩档案", exc)

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
        self.picker.select(cadre_id, name)
        self.add(kind=self.reminder_kind.currentText())

    def add(self, kind: str | None = None) -> None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            QMessageBox.information(self, "新增记录", "请先在左侧选择干部。")
            return
        info = None
        if kind:
            info = records.RecordInfo(None, cadre_id, kind, current_period(kind), "")
        if RecordDialog(cadre_id, info, self).exec():
            self._changed()

    def edit(self) -> None:
        row = _current(self.table)
        if row is None:
            return
        if RecordDialog(row.cadre_id, row, self).exec():
            self._changed()

    def delete(self) -> None:
        row = _current(self.table)
        if row is None:
            return
        if QMessageBox.question(self, "删除记录", f"确定删除 {row.period_label}的{row.kind}吗？") != QMessageBox.Yes:
            return
        try:
            records.delete_record(row.id)
        except CadreDeskError as exc:
            show_error(self, "删除记录", exc)
        self._changed()

    def _changed(self) -> None:
        self.reload()
        self.reload_reminders()
        self.context.data_changed.emit("records")


# ---- 正负面清单 ----------------------------------------------------------------------------------


class EntryDialog(QDialog):
    def __init__(self, cadre_id: int, info: records.BehaviourEntryInfo | None = None, parent=None,
                 polarity: str = "正面"):
        super().__init__(parent)
        self.setWindowTitle("修改清单记录" if info else "新增清单记录")
        self.cadre_id = cadre_id
        self.info = info
        self.polarity = QComboBox()
        self.polarity.addItems(["正面", "负面"])
        self.polarity.setCurrentText(info.polarity if info else polarity)
        self.item = QComboBox()
        self.date = QLineEdit(info.date if info else clock.today_yyyymmdd())
        self.date.setPlaceholderText("如 20260315 或 2026.3.15")
        self.source = QComboBox()
        self.source.addItems(records.SOURCES)
        if info:
            self.source.setCurrentText(info.source)
        self.description = QPlainTextEdit(info.description if info else "")
        self.description.setPlaceholderText("具体事实、文件或会议名称")
        self.recorder = QLineEdit(info.recorder if info else "")
        self.recorder.setPlaceholderText("默认为当前操作员")
        form = QFormLayout()
        form.addRow("清单", self.polarity)
        form.addRow("条目", self.item)
        form.addRow("日期", self.date)
        form.addRow("来源", self.source)
        form.addRow("情况说明", self.description)
        form.addRow("记录人", self.recorder)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.polarity.currentTextChanged.connect(self._fill_items)
        self._fill_items()
        self.resize(520, 420)

    def _fill_items(self) -> None:
        self.item.clear()
        polarity = self.polarity.currentText()
        for item in records.list_behaviour_items():
            if item.polarity == polarity:
                self.item.addItem(item.name, item.id)
        if self.info and self.info.polarity == polarity:
            index = self.item.findData(self.info.item_id)
            if index < 0:
                self.item.addItem(self.info.item, self.info.item_id)
                index = self.item.count() - 1
            self.item.setCurrentIndex(index)

    def accept(self) -> None:
        info = records.BehaviourEntryInfo(
            self.info.id if self.info else None, self.cadre_id, self.polarity.currentText(),
            self.item.currentText(), self.date.text(), self.source.currentText(), self.description.toPlainText(),
            self.recorder.text(), self.item.currentData(), self.info.version if self.info else 0)
        try:
            records.save_behaviour_entry(info)
        except CadreDeskError as exc:
            show_error(self, "保存清单记录", exc)
            return
        super().accept()


class BehaviourTab(QWidget):
    ALL_LIMIT = 500  # entries listed for 显示全部干部

    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.picker = CadrePicker()
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.polarity_filter = QComboBox()
        self.polarity_filter.addItems(["正面和负面", "正面", "负面"])
        self.show_all = QCheckBox("显示全部干部")
        self.model = RowsModel([
            Column("日期", lambda r: format_date(r.date), 84), Column("姓名", lambda r: self._names.get(r.cadre_id, ""), 64),
            Column("清单", lambda r: r.polarity, 44), Column("条目", lambda r: r.item, 150),
            Column("来源", lambda r: r.source, 70), Column("情况说明", lambda r: r.description, 300),
            Column("记录人", lambda r: r.recorder, 80)])
        self.model.foreground = lambda r: GREEN if r.polarity == "正面" else RED
        self.table = _table(self.model, stretch=5)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add_pos, add_neg = QPushButton("记正面清单"), QPushButton("记负面清单")
        edit, delete = QPushButton("修改"), QPushButton("删除")
        add_pos.clicked.connect(lambda: self.add("正面"))
        add_neg.clicked.connect(lambda: self.add("负面"))
        edit.clicked.connect(self.edit)
        delete.clicked.connect(self.delete)
        bar = QHBoxLayout()
        bar.addWidget(self.show_all)
        bar.addWidget(self.polarity_filter)
        bar.addStretch(1)
        for button in (add_pos, add_neg, edit, delete):
            bar.addWidget(button)
        center = QWidget()
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.title)
        cl.addLayout(bar)
        cl.addWidget(self.table)
        # catalog editor
        self.catalog_model = RowsModel([
            Column("清单", lambda r: r.polarity, 44), Column("条目", lambda r: r.name, 170),
            Column("已用", lambda r: r.used, 40), Column("状态", lambda r: "停用" if r.retired else "启用", 40)])
        self.catalog_model.foreground = lambda r: GREY if r.retired else (GREEN if r.polarity == "正面" else RED)
        self.catalog = _table(self.catalog_model, stretch=1, row_numbers=False)
        new_item, rename, toggle, remove = QPushButton("新增条目"), QPushButton("改名"), QPushButton("停用/启用"), \
            QPushButton("删除条目")
        new_item.clicked.connect(self.new_item)
        rename.clicked.connect(self.rename_item)
        toggle.clicked.connect(self.toggle_item)
        remove.clicked.connect(self.remove_item)
        catalog_box = QGroupBox("清单条目（可配置）")
        gl = QVBoxLayout(catalog_box)
        gl.addWidget(self.catalog)
        brow = QGridLayout()  # two rows: four buttons in one made the tab wider than a 1366-pixel screen
        for i, button in enumerate((new_item, rename, toggle, remove)):
            brow.addWidget(button, i // 2, i % 2)
        gl.addLayout(brow)
        splitter = QSplitter()
        splitter.addWidget(self.picker)
        splitter.addWidget(center)
        splitter.addWidget(catalog_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 900, 330])
        self.picker.setMinimumWidth(200)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._names: dict[int, str] = {}
        self.picker.cadre_selected.connect(lambda _id: self._picked())
        self.polarity_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_all.toggled.connect(lambda _c: self.reload())
        self.show_all.blockSignals(not load)  # ``load``: not read until the tab is first shown
        self.show_all.setChecked(True)
        self.show_all.blockSignals(False)
        if load:
            self.reload_catalog()

    def _picked(self) -> None:
        if self.show_all.isChecked():
            self.show_all.setChecked(False)
        else:
            self.reload()

    def reload(self) -> None:
        polarity = self.polarity_filter.currentText()
        polarity = polarity if polarity in records.POLARITIES else None
        cadre_id = None if self.show_all.isChecked() else self.picker.cadre_id()
        if cadre_id is None and not self.show_all.isChecked():
            self.model.set_rows([])
            self.title.setText("请在左侧选择干部")
            return
        # Everyone's entries grow with the years (tens of thousands at 100,000 cadres): only the newest
        # ALL_LIMIT are listed, the totals are counted in the database.
        rows = records.list_behaviour_entries(cadre_id, polarity, limit=self.ALL_LIMIT if cadre_id is None else 0)
        ids = list({r.cadre_id for r in rows})
        self._names = {b.id: b.name for b in records.find_cadres(ids=ids, limit=0)} if ids else {}
        self.model.set_rows(rows)
        if cadre_id is None:
            pos, neg = records.behaviour_totals(polarity)
        else:
            pos = sum(r.polarity == "正面" for r in rows)
            neg = len(rows) - pos
        who = "全部干部" if cadre_id is None else self._names.get(cadre_id, "")
        more = f"（列出最近 {len(rows)} 条，请在左侧选择干部查看其全部记录）" if len(rows) < pos + neg else ""
        self.title.setText(f"{who}：正面 {pos} 条，负面 {neg} 条{more}")

    def reload_catalog(self) -> None:
        self.catalog_model.set_rows(records.list_behaviour_items(include_retired=True))

    def _cadre_for_new(self) -> int | None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            QMessageBox.information(self, "正负面清单", "请先在左侧选择干部。")
        return cadre_id

    def add(self, polarity: str) -> None:
        cadre_id = self._cadre_for_new()
        if cadre_id is not None and EntryDialog(cadre_id, None, self, polarity).exec():
            self._changed()

    def edit(self) -> None:
        row = _current(self.table)
        if row is not None and EntryDialog(row.cadre_id, row, self).exec():
            self._changed()

    def delete(self) -> None:
        row = _current(self.table)
        if row is None:
            return
        if QMessageBox.question(self, "删除清单记录", f"确定删除“{row.item}”（{format_date(row.date)}）这条记录吗？") \
                != QMessageBox.Yes:
            return
        try:
            records.delete_behaviour_entry(row.id)
        except CadreDeskError as exc:
            show_error(self, "删除清单记录", exc)
        self._changed()

    def _changed(self) -> None:
        self.reload()
        self.reload_catalog()
        self.context.data_changed.emit("records")

    def _ask_name(self, title: str, text: str = "", polarity: str | None = None) -> tuple[str, str] | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        kind = QComboBox()
        kind.addItems(["正面", "负面"])
        kind.setCurrentText(polarity or "正面")
        kind.setEnabled(polarity is None)
        name = QLineEdit(text)
        form = QFormLayout(dialog)
        form.addRow("清单", kind)
        form.addRow("条目名称", name)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        dialog.resize(380, 120)
        return (kind.currentText(), name.text()) if dialog.exec() else None

    def _save_item(self, info: records.BehaviourItemInfo) -> None:
        try:
            records.save_behaviour_item(info)
        except CadreDeskError as exc:
            show_error(self, "清单条目", exc)
        self.reload_catalog()

    def new_item(self) -> None:
        answer = self._ask_name("新增清单条目")
        if answer:
            self._save_item(records.BehaviourItemInfo(None, answer[0], answer[1]))

    def rename_item(self) -> None:
        row = _current(self.catalog)
        if row is None:
            return
        answer = self._ask_name("清单条目改名", row.name, row.polarity)
        if answer:
            self._save_item(records.BehaviourItemInfo(row.id, row.polarity, answer[1], retired=row.retired))

    def toggle_item(self) -> None:
        row = _current(self.catalog)
        if row is not None:
            self._save_item(records.BehaviourItemInfo(row.id, row.polarity, row.name, retired=not row.retired))

    def remove_item(self) -> None:
        row = _current(self.catalog)
        if row is None:
            return
        try:
            records.delete_behaviour_item(row.id)
        except CadreDeskError as exc:
            show_error(self, "删除清单条目", exc)
        self.reload_catalog()


# ---- 考核方案 ------------------------------------------------------------------------------------


class WeightTable(QWidget):
    """Names and weights with a live sum that turns red unless it is 100."""

    changed = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([f"{title}名称", "权重"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.sum_label = QLabel()
        add, remove = QPushButton("添加"), QPushButton("移除")
        add.clicked.connect(lambda: self.add_row("", 0))
        remove.clicked.connect(self.remove_row)
        self.buttons = (add, remove)
        bar = QHBoxLayout()
        bar.addWidget(self.sum_label, 1)
        bar.addWidget(add)
        bar.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.table.itemChanged.connect(lambda _i: self.update_sum())

    def set_items(self, items: list[appraisals.WeightedItem]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item.name, item.weight, item.id)
        self.table.blockSignals(False)
        self.update_sum()

    def add_row(self, name: str, weight: float, item_id: int | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.UserRole, item_id)
        self.table.setItem(row, 0, name_item)
        self.table.setItem(row, 1, QTableWidgetItem(f"{float(weight):g}"))  # as stored, not rounded
        self.update_sum()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.update_sum()

    def items(self) -> list[appraisals.WeightedItem]:
        out = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, 0).text() if self.table.item(row, 0) else ""
            text = self.table.item(row, 1).text() if self.table.item(row, 1) else ""
            try:
                weight = float(text)
            except ValueError:
                weight = 0.0
            out.append(appraisals.WeightedItem(name.strip(), weight, None))
        return out

    def update_sum(self) -> None:
        weights = [i.weight for i in self.items()]
        total = weights_total(weights)
        ok = weights_ok(weights)
        self.sum_label.setText(f"{self.title}权重合计：{_fmt(total)}" + ("" if ok else "（应为 100）"))
        self.sum_label.setStyleSheet(f"color: {(GREEN if ok else RED).name()}; font-weight: bold;")
        self.changed.emit()

    def set_locked(self, locked: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers if locked else QAbstractItemView.AllEditTriggers)
        for button in self.buttons:
            button.setEnabled(not locked)


class SchemesTab(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.list = QListWidget()
        self.show_retired = QCheckBox("显示已停用")
        new, copy, delete = QPushButton("新建方案"), QPushButton("复制方案"), QPushButton("删除方案")
        new.clicked.connect(self.new_scheme)
        copy.clicked.connect(self.copy_scheme)
        delete.clicked.connect(self.delete_scheme)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("考核方案"))
        ll.addWidget(self.list)
        ll.addWidget(self.show_retired)
        lb = QHBoxLayout()
        for button in (new, copy, delete):
            lb.addWidget(button)
        ll.addLayout(lb)

        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(appraisals.SCHEME_KINDS)
        self.wording = QComboBox()
        for wording in WORDINGS:
            self.wording.addItem(f"{wording}（{'、'.join(appraisals.GRADES[wording])}）", wording)
        self.excellent_min, self.competent_min, self.basic_min = (self._spin() for _ in range(3))
        self.cap = self._spin()
        self.cap.setSuffix(" %")
        self.cap.setMaximumWidth(120)
        self.description = QLineEdit()
        self.retired = QCheckBox("停用（新考核表中不再可选）")
        self.in_use = QLabel()
        self.in_use.setWordWrap(True)
        self.dims = WeightTable("维度")
        self.raters = WeightTable("评价主体")
        bands = QHBoxLayout()
        for label, spin in (("优秀 ≥", self.excellent_min), ("称职 ≥", self.competent_min),
                            ("基本称职 ≥", self.basic_min)):
            bands.addWidget(QLabel(label))
            bands.addWidget(spin)
        bands.addStretch(1)
        self.band_labels = bands
        form = QFormLayout()
        form.addRow("方案名称", self.name)
        form.addRow("考核类型", self.kind)
        form.addRow("等次表述", self.wording)
        form.addRow("等次分数线", bands)
        form.addRow("优秀比例上限", self.cap)
        form.addRow("说明", self.description)
        form.addRow("", self.retired)
        # scope (差异化考核)
        self.scope_categories = QListWidget()
        for code, name in codes.table("CATEGORY").items:
            item = QListWidgetItem(name)
            item.setData(Qt.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.scope_categories.addItem(item)
        self.scope_lines = QListWidget()
        for line_id, name in appraisals.list_lines():
            item = QListWidgetItem(name)
            item.setData(Qt.UserRole, line_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.scope_lines.addItem(item)
        self.scope_units = QListWidget()
        for unit in units.list_units():
            if unit.depth > 1:
                continue
            item = QListWidgetItem(("　" * unit.depth) + unit.name)
            item.setData(Qt.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.scope_units.addItem(item)
        scope_box = QGroupBox("适用范围（差异化考核；都不勾选＝适用全部干部，勾选的任一项符合即适用）")
        sl = QHBoxLayout(scope_box)
        for title, widget in (("干部类别", self.scope_categories), ("一线", self.scope_lines),
                              ("单位", self.scope_units)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title))
            col.addWidget(widget)
            sl.addLayout(col)
        weights = QHBoxLayout()
        for title, widget in (("考核维度", self.dims), ("评价主体（双重管理、民主测评）", self.raters)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            weights.addWidget(box)
        self.save_button = QPushButton("保存方案")
        self.save_button.clicked.connect(self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.in_use, 1)
        save_row.addWidget(self.save_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(form)
        rl.addLayout(weights, 3)
        rl.addWidget(scope_box, 2)
        rl.addLayout(save_row)
        # Scrolls: the editor is taller than a 1366×768 screen leaves for the page.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(right)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.current: appraisals.SchemeInfo | None = None
        self.list.currentItemChanged.connect(lambda item, _p: self.show_scheme(item.data(Qt.UserRole) if item else None))
        self.show_retired.toggled.connect(lambda _c: self.reload())
        self.wording.currentIndexChanged.connect(self._update_band_labels)
        self.reload()

    def _spin(self) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 100)
        spin.setDecimals(1)
        spin.setMinimumWidth(80)
        return spin

    def _update_band_labels(self) -> None:
        names = appraisals.GRADES[self.wording.currentData() or "公务员"]
        labels = [self.band_labels.itemAt(i).widget() for i in (0, 2, 4)]
        for label, name in zip(labels, names[:3], strict=True):
            label.setText(f"{name} ≥")

    def reload(self, select_id: int | None = None) -> None:
        select_id = select_id or (self.current.id if self.current else None)
        self.list.blockSignals(True)
        self.list.clear()
        for scheme in appraisals.list_schemes(include_retired=self.show_retired.isChecked()):
            item = QListWidgetItem(scheme.name + ("（已停用）" if scheme.retired else ""))
            item.setData(Qt.UserRole, scheme.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]
        if rows:
            self.list.setCurrentRow(rows.index(select_id) if select_id in rows else 0)

    def show_scheme(self, scheme_id: int | None) -> None:
        if scheme_id is None:
            return
        scheme = appraisals.get_scheme(scheme_id)
        self.current = scheme
        self._fill(scheme)

    def _fill(self, scheme: appraisals.SchemeInfo) -> None:
        self.name.setText(scheme.name)
        self.kind.setCurrentText(scheme.kind)
        self.wording.setCurrentIndex(max(0, self.wording.findData(scheme.wording)))
        self.excellent_min.setValue(scheme.excellent_min)
        self.competent_min.setValue(scheme.competent_min)
        self.basic_min.setValue(scheme.basic_min)
        self.cap.setValue(scheme.excellent_cap)
        self.description.setText(scheme.description)
        self.retired.setChecked(scheme.retired)
        self.dims.set_items(scheme.dimensions)
        self.raters.set_items(scheme.raters)
        for widget, chosen in ((self.scope_categories, set(scheme.scope_categories)),
                               (self.scope_lines, set(scheme.scope_lines)),
                               (self.scope_units, set(scheme.scope_units))):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in chosen else Qt.Unchecked)
        locked = scheme.in_use
        for widget in (self.dims, self.raters):
            widget.set_locked(locked)
        for widget in (self.wording, self.excellent_min, self.competent_min, self.basic_min):
            widget.setEnabled(not locked)
        self.in_use.setText("此方案已被考核表使用：维度、权重、分数线和等次表述不能修改；如需调整请“复制方案”。"
                            if locked else "")
        self.in_use.setStyleSheet(f"color: {RED.name()};")
        self._update_band_labels()

    def _checked(self, widget: QListWidget) -> list:
        return [widget.item(i).data(Qt.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.Checked]

    def collect(self) -> appraisals.SchemeInfo:
        base = self.current or appraisals.SchemeInfo()
        return appraisals.SchemeInfo(
            base.id, base.version, self.name.text(), self.kind.currentText(), self.wording.currentData(),
            self.excellent_min.value(), self.competent_min.value(), self.basic_min.value(), self.cap.value(),
            self.dims.items(), self.raters.items(), self._checked(self.scope_categories),
            self._checked(self.scope_lines), self._checked(self.scope_units), self.description.text(),
            self.retired.isChecked())

    def save(self) -> bool:
        try:
            saved = appraisals.save_scheme(self.collect())
        except CadreDeskError as exc:
            show_error(self, "保存考核方案", exc)
            return False
        self.current = saved
        self.reload(saved.id)
        self.context.data_changed.emit("appraisal")
        self.context.status_message.emit(f"考核方案“{saved.name}”已保存")
        return True

    def new_scheme(self) -> None:
        self.list.clearSelection()
        self.current = appraisals.SchemeInfo(
            name="", dimensions=[appraisals.WeightedItem(n, w) for n, w in
                                 (("德", 20), ("能", 20), ("勤", 15), ("绩", 35), ("廉", 10))],
            raters=[appraisals.WeightedItem("组织部", 50), appraisals.WeightedItem("主管部门", 50)])
        self._fill(self.current)
        self.name.setFocus()

    def copy_scheme(self) -> None:
        if self.current is None or self.current.id is None:
            return
        try:
            copy = appraisals.copy_scheme(self.current.id)
        except CadreDeskError as exc:
            show_error(self, "复制考核方案", exc)
            return
        self.current = copy
        self.reload(copy.id)
        self.context.data_changed.emit("appraisal")

    def delete_scheme(self) -> None:
        if self.current is None or self.current.id is None:
            return
        if QMessageBox.question(self, "删除考核方案", f"确定删除方案“{self.current.name}”吗？") != QMessageBox.Yes:
            return
        try:
            appraisals.delete_scheme(self.current.id)
        except CadreDeskError as exc:
            show_error(self, "删除考核方案", exc)
            return
        self.current = None
        self.reload()
        self.context.data_changed.emit("appraisal")


# ---- 考核表: the scoring grid ---------------------------------------------------------------------

INFO_COLUMNS = ("姓名", "单位", "总分", "等次", "正面", "负面", "导师评分", "一线鉴定")
NAME, UNIT, TOTAL, GRADE, POSITIVE, NEGATIVE, MENTOR, POSTING = range(len(INFO_COLUMNS))


_STYLES: dict = {}


def _styles() -> dict:
    """The score grid's brushes and bold font, made once (after the application exists)."""
    if not _STYLES:
        bold = QFont()
        bold.setBold(True)
        _STYLES.update(green=QBrush(GREEN), red=QBrush(RED), total=QBrush(QColor("#fdf6e3")),
                       readonly=QBrush(READONLY_BG), white=QBrush(QColor("#ffffff")),
                       blue=QBrush(QColor("#eef4fb")), bold=bold)
    return _STYLES


class ScoreGridModel(QAbstractTableModel):
    """Rows = cadres; columns = name, unit, the live total and grade, what is known beside the scores
    (正负面清单 counts, the mentor's closing rating, the posting 鉴定), rater × dimension scores, 评语.

    ``write_scores(changes)`` and ``write_comment(cadre_id, text)`` are service calls handed in; an
    error from them comes back through ``on_error`` and leaves the cell as it was."""

    totals_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_: appraisals.SheetData | None = None
        self.cells: list[tuple[int, int, str]] = []  # (rater_id, dimension_id, header)
        self.write_scores: Callable[[list[appraisals.ScoreChange]], None] | None = None
        self.write_comment: Callable[[int, str], None] | None = None
        self.on_error: Callable[[Exception], None] | None = None

    def set_sheet(self, data: appraisals.SheetData | None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.cells = []
        if data is not None:
            for rater in data.scheme.raters:
                for dim in data.scheme.dimensions:
                    self.cells.append((rater.id, dim.id, f"{rater.name}\n{dim.name}"))
        self.endResetModel()

    @property
    def first_score_column(self) -> int:
        return len(INFO_COLUMNS)

    @property
    def comment_column(self) -> int:
        return len(INFO_COLUMNS) + len(self.cells)


    def is_score_column(self, column: int) -> bool:
        return self.first_score_column <= column < self.comment_column

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.data_ is None else len(self.data_.members)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.data_ is None else self.comment_column + 1

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole or self.data_ is None:
            return None
        if orientation == Qt.Vertical:
            return str(section + 1)
        if section < len(INFO_COLUMNS):
            return INFO_COLUMNS[section]
        if self.is_score_column(section):
            return self.cells[section - self.first_score_column][2]
        return "评语"

    def flags(self, index):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.data_ is not None and not self.data_.sheet.finalized and (
                self.is_score_column(index.column()) or index.column() == self.comment_column):
            return base | Qt.ItemIsEditable
        return base

    def _text(self, member: appraisals.MemberRow, column: int, role) -> str:
        data = self.data_
        if column == NAME:
            return member.name
        if column == UNIT:
            return f"{member.unit_name}{member.position}" if role == Qt.ToolTipRole else member.unit_name
        if column == TOTAL:
            return _fmt(data.total(member))
        if column == GRADE:
            grade = data.grade(member)
            if role == Qt.ToolTipRole and member.grade_override:
                return (f"按分数为“{data.computed_grade(member) or '未定'}”，调整为“{grade}”\n"
                        f"理由：{member.override_reason}")
            return grade + ("（调整）" if member.grade_override and role == Qt.DisplayRole else "")
        if column == POSITIVE:
            return str(member.positive or "")
        if column == NEGATIVE:
            return str(member.negative or "")
        if column == MENTOR:
            return _fmt(member.mentor_rating)
        if column == POSTING:
            text = member.posting_appraisal
            if role == Qt.DisplayRole:
                text = text.replace("\n", " ")
                return text[:16] + ("…" if len(text) > 16 else "")
            return text
        if self.is_score_column(column):
            rater_id, dim_id, _ = self.cells[column - self.first_score_column]
            return _fmt(member.scores.get((rater_id, dim_id)))
        return member.comment

    _ROLES = frozenset((Qt.DisplayRole, Qt.EditRole, Qt.ToolTipRole, Qt.TextAlignmentRole, Qt.ForegroundRole,
                        Qt.BackgroundRole, Qt.FontRole))

    def data(self, index, role=Qt.DisplayRole):
        # Asked for thousands of times per paint of a big sheet: the roles it has nothing for return at once,
        # and brushes and the bold font are made once (see _styles).
        if role not in self._ROLES or not index.isValid() or self.data_ is None:
            return None
        member = self.data_.members[index.row()]
        column = index.column()
        if role in (Qt.DisplayRole, Qt.EditRole, Qt.ToolTipRole):
            return self._text(member, column, role)
        if role == Qt.TextAlignmentRole and TOTAL <= column < self.comment_column and column != POSTING:
            return int(Qt.AlignCenter)
        styles = _styles()
        if role == Qt.ForegroundRole:
            if column == POSITIVE and member.positive:
                return styles["green"]
            if column == NEGATIVE and member.negative:
                return styles["red"]
            if column == GRADE:
                grade = self.data_.grade(member)
                if grade == EXCELLENT:
                    return styles["green"]
                if grade in ("不称职", "不合格", "基本称职", "基本合格"):
                    return styles["red"]
        if role == Qt.BackgroundRole:
            if column in (TOTAL, GRADE):
                return styles["total"]
            if self.is_score_column(column):
                if self.data_.sheet.finalized:
                    return styles["readonly"]
                rater_index = (column - self.first_score_column) // max(1, len(self.data_.scheme.dimensions))
                return styles["white"] if rater_index % 2 == 0 else styles["blue"]
        if role == Qt.FontRole and column in (TOTAL, GRADE):
            return styles["bold"]
        return None

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        if role != Qt.EditRole or self.data_ is None or not (self.flags(index) & Qt.ItemIsEditable):
            return False
        member = self.data_.members[index.row()]
        try:
            if index.column() == self.comment_column:
                text = str(value or "").strip()
                if text == member.comment:
                    return False
                self.write_comment(member.cadre_id, text)
                member.comment = text
                self.dataChanged.emit(index, index)
                return True
            rater_id, dim_id, _ = self.cells[index.column() - self.first_score_column]
            text = str(value if value is not None else "").strip().replace("，", ".").replace("。", ".")
            number = None if text == "" else float(text)
            if number is not None and not 0 <= number <= 100:
                raise ValidationError({"score": f"分数应在 0–100 之间（输入了 {text}）"})
            number = None if number is None else round(number, 2)
            if member.scores.get((rater_id, dim_id)) == number:
                return False
            self.write_scores([appraisals.ScoreChange(member.cadre_id, rater_id, dim_id, number)])
        except ValueError:
            if self.on_error:
                self.on_error(ValidationError({"score": f"“{value}”不是有效的分数"}))
            return False
        except CadreDeskError as exc:
            if self.on_error:
                self.on_error(exc)
            return False
        if number is None:
            member.scores.pop((rater_id, dim_id), None)
        else:
            member.scores[(rater_id, dim_id)] = number
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self.totals_changed.emit()
        return True

    def member(self, row: int) -> appraisals.MemberRow | None:
        if self.data_ is None or not 0 <= row < len(self.data_.members):
            return None
        return self.data_.members[row]


class ScoreGrid(QTableView):
    """Keyboard entry: type a number to start, Enter or Tab commits and moves to the next score cell
    (row by row), Shift+Tab goes back."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                             | QAbstractItemView.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setDefaultSectionSize(26)
        self.horizontalHeader().setMinimumHeight(46)

    def _editable_cells(self) -> list[tuple[int, int]]:
        model = self.model()
        columns = [c for c in range(model.columnCount()) if model.is_score_column(c)]
        return [(r, c) for r in range(model.rowCount()) for c in columns]

    def next_index(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        model = self.model()
        cells = [c for c in range(model.columnCount()) if model.is_score_column(c)]
        if not cells or model.rowCount() == 0:
            return QModelIndex()
        row, col = (index.row(), index.column()) if index.isValid() else (0, cells[0] - 1)
        if col not in cells:
            if forward:
                later = [c for c in cells if c > col]
                return model.index(row, later[0]) if later else (
                    model.index(row + 1, cells[0]) if row + 1 < model.rowCount() else QModelIndex())
            earlier = [c for c in cells if c < col]
            return model.index(row, earlier[-1]) if earlier else QModelIndex()
        pos = cells.index(col) + (1 if forward else -1)
        if pos >= len(cells):
            row, pos = row + 1, 0
        elif pos < 0:
            row, pos = row - 1, len(cells) - 1
        if not 0 <= row < model.rowCount():
            return QModelIndex()
        return model.index(row, cells[pos])

    def move_to_next(self, forward: bool = True, edit: bool = True) -> None:
        target = self.next_index(self.currentIndex(), forward)
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            if edit and self.model().flags(target) & Qt.ItemIsEditable:
                self.edit(target)

    def closeEditor(self, editor, hint):  # noqa: N802 - Qt override
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem) and \
                self.model().is_score_column(self.currentIndex().column()):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self.move_to_next(hint == QAbstractItemDelegate.EditNextItem)
            return
        if hint == QAbstractItemDelegate.SubmitModelCache and self.model().is_score_column(
                self.currentIndex().column()):
            # Enter in a score cell: commit and go on to the next cell
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self.move_to_next(True)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event):  # noqa: N802 - Qt override
        key = event.key()
        if self.state() != QAbstractItemView.EditingState:
            if key in (Qt.Key_Return, Qt.Key_Enter):
                index = self.currentIndex()
                if index.isValid() and self.model().flags(index) & Qt.ItemIsEditable:
                    self.edit(index)
                else:
                    self.move_to_next(True)
                return
            if key == Qt.Key_Tab:
                self.move_to_next(True, edit=False)
                return
            if key == Qt.Key_Backtab:
                self.move_to_next(False, edit=False)
                return
            if key == Qt.Key_Delete:
                index = self.currentIndex()
                if index.isValid() and self.model().flags(index) & Qt.ItemIsEditable:
                    self.model().setData(index, "", Qt.EditRole)
                return
        super().keyPressEvent(event)


class NewSheetDialog(QDialog):
    """新建考核表: a title, a period, a scheme and a group (unit, line, post or a selection)."""

    def __init__(self, context: AppContext, parent=None, selection: list[int] | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建考核表")
        self.context = context
        self.selection = list(selection or context.selected_cadre_ids())
        year = clock.today().year
        self.title = QLineEdit()
        self.period = QLineEdit(str(year - 1 if clock.today().month <= 3 else year))
        self.period.setPlaceholderText("如 2025、2025-Q4、2025-11")
        self.scheme = QComboBox()
        for scheme in appraisals.list_schemes():
            self.scheme.addItem(f"{scheme.name}（{scheme.scope_text()}）", scheme.id)
            self.scheme.setItemData(self.scheme.count() - 1, scheme.kind, Qt.UserRole + 1)
        self.group_kind = QComboBox()
        self.group_kind.addItems(appraisals.GROUP_KINDS)
        self.group = QComboBox()
        self.group.setMinimumWidth(320)
        self.annual = QCheckBox("定稿后等次写入干部档案的“年度考核结果”")
        self.count = QLabel()
        form = QFormLayout()
        form.addRow("考核表名称", self.title)
        form.addRow("考核期间", self.period)
        form.addRow("考核方案", self.scheme)
        form.addRow("考核对象", self.group_kind)
        form.addRow("", self.group)
        form.addRow("", self.count)
        form.addRow("", self.annual)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("创建")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.group_kind.currentTextChanged.connect(self._fill_groups)
        self.group.currentIndexChanged.connect(self._suggest)
        self.scheme.currentIndexChanged.connect(self._suggest)
        self.period.textChanged.connect(self._suggest)
        self._title_touched = False
        self.title.textEdited.connect(lambda _t: setattr(self, "_title_touched", True))
        self.group_kind.setCurrentText("选定" if self.selection else "单位")
        self._fill_groups(self.group_kind.currentText())
        self.resize(560, 300)
        self.created: appraisals.SheetInfo | None = None

    def _fill_groups(self, kind: str) -> None:
        self.group.blockSignals(True)
        self.group.clear()
        if kind == "单位":
            for unit in units.list_units():
                self.group.addItem(("　" * unit.depth) + unit.name, unit.id)
        elif kind == "一线":
            for line_id, name in appraisals.list_lines():
                self.group.addItem(name, line_id)
        elif kind == "岗位":
            for post_id, name in appraisals.list_posts():
                self.group.addItem(name, post_id)
        else:
            self.group.addItem(f"干部名册中选中的 {len(self.selection)} 人", None)
        if self.group.count() == 0:
            self.group.addItem("（暂无可选项）", None)
        self.group.blockSignals(False)
        self._suggest()

    def members(self) -> list[int]:
        kind = self.group_kind.currentText()
        if kind == "选定":
            return appraisals.group_members(kind, ids=self.selection)
        return appraisals.group_members(kind, self.group.currentData())

    def _suggest(self) -> None:
        try:
            count = len(self.members())
        except CadreDeskError:
            count = 0
        self.count.setText(f"共 {count} 名干部")
        kind = self.scheme.currentData(Qt.UserRole + 1)
        self.annual.setChecked(kind == "年度考核")
        if not self._title_touched:
            label = self.group.currentText().strip() if self.group_kind.currentText() != "选定" else "选定干部"
            scheme = self.scheme.currentText().split("（")[0]
            period = self.period.text().strip()
            self.title.setText(f"{period}{'年' if period.isdigit() else ''}{label}{scheme}")

    def accept(self) -> None:
        kind = self.group_kind.currentText()
        try:
            ids = self.members()
            label = self.group.currentText().strip() if kind != "选定" else f"选定 {len(ids)} 人"
            self.created = appraisals.create_sheet(
                self.title.text(), self.period.text(), self.scheme.currentData(), ids, group_kind=kind,
                group_ref=self.group.currentData() if kind != "选定" else None, group_label=label,
                annual=self.annual.isChecked())
        except CadreDeskError as exc:
            show_error(self, "新建考核表", exc)
            return
        super().accept()


class PickCadresDialog(QDialog):
    """Pick cadres one by one (double-click or 加入) to add to a sheet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("添加考核对象")
        self.picker = CadrePicker()
        self.chosen = QListWidget()
        add = QPushButton("加入 →")
        add.clicked.connect(self._add)
        self.picker.list.itemDoubleClicked.connect(lambda _i: self._add())
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(add)
        row.addWidget(self.chosen, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("添加")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(700, 460)

    def _add(self) -> None:
        item = self.picker.list.currentItem()
        if item is not None and item.data(Qt.UserRole) not in self.ids():
            copy = QListWidgetItem(item.text())
            copy.setData(Qt.UserRole, item.data(Qt.UserRole))
            self.chosen.addItem(copy)

    def ids(self) -> list[int]:
        return [self.chosen.item(i).data(Qt.UserRole) for i in range(self.chosen.count())]


class OverrideDialog(QDialog):
    def __init__(self, data: appraisals.SheetData, member: appraisals.MemberRow, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"调整等次 — {member.name}")
        computed = data.computed_grade(member) or "未定"
        total = data.total(member)
        self.grade = QComboBox()
        self.grade.addItem(f"按分数（{computed}）", "")
        for grade in data.scheme.grades:
            self.grade.addItem(grade, grade)
        self.grade.setCurrentIndex(max(0, self.grade.findData(member.grade_override)))
        self.reason = QPlainTextEdit(member.override_reason)
        self.reason.setPlaceholderText("调整等次必须写明理由，如：经党组会研究、受到处分、群众反映等")
        form = QFormLayout()
        form.addRow("总分", QLabel(_fmt(total) or "评分未完成"))
        form.addRow("按分数等次", QLabel(computed))
        form.addRow("调整为", self.grade)
        form.addRow("书面理由", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.sheet_id, self.cadre_id = data.sheet.id, member.cadre_id
        self.resize(460, 300)

    def accept(self) -> None:
        try:
            appraisals.set_override(self.sheet_id, self.cadre_id, self.grade.currentData(), self.reason.toPlainText())
        except CadreDeskError as exc:
            show_error(self, "调整等次", exc)
            return
        super().accept()


class SheetTab(QWidget):
    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(300)
        new, delete = QPushButton("新建考核表"), QPushButton("删除考核表")
        self.add_button, self.remove_button = QPushButton("添加人员"), QPushButton("移出人员")
        self.add_button.clicked.connect(self.add_members)
        self.remove_button.clicked.connect(self.remove_member)
        self.override_button = QPushButton("调整等次")
        self.finalize_button = QPushButton("定稿")
        self.finalize_button.setObjectName("primary")
        new.clicked.connect(self.new_sheet)
        delete.clicked.connect(self.delete_sheet)
        self.override_button.clicked.connect(self.override)
        self.finalize_button.clicked.connect(self.finalize)
        top = QHBoxLayout()
        top.addWidget(QLabel("考核表"))
        top.addWidget(self.sheet, 1)
        for button in (new, delete, self.add_button, self.remove_button, self.override_button,
                       self.finalize_button):
            top.addWidget(button)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.summary = QLabel()
        self.model = ScoreGridModel(self)
        self.model.write_scores = lambda changes: appraisals.set_scores(self._sheet_id(), changes)
        self.model.write_comment = lambda cadre_id, text: appraisals.set_comment(self._sheet_id(), cadre_id, text)
        self.model.on_error = lambda exc: show_error(self, "录入评分", exc)
        self.model.totals_changed.connect(self.update_summary)
        self.grid = ScoreGrid()
        self.grid.setModel(self.model)
        self.grid.doubleClicked.connect(self._double_clicked)
        hint = QLabel("录入：直接输入分数，回车或 Tab 进入下一格，Shift+Tab 返回，Delete 清除；双击“一线鉴定”查看全文。")
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
            self.sheet.addItem(f"{info.title}（{info.period}，{info.members} 人，{state}）", info.id)
        index = self.sheet.findData(select_id)
        self.sheet.setCurrentIndex(index if index >= 0 else (0 if self.sheet.count() else -1))
        self.sheet.blockSignals(False)
        self.load(data if data is not None and data.sheet.id == self._sheet_id() else None)

    def load(self, data: appraisals.SheetData | None = None) -> None:
        sheet_id = self._sheet_id()
        if data is None:
            data = appraisals.load_sheet(sheet_id) if sheet_id else None
        self.model.set_sheet(data)
        finalized = bool(data and data.sheet.finalized)
        for button in (self.override_button, self.finalize_button, self.add_button, self.remove_button):
            button.setEnabled(bool(data) and not finalized)
        if data is None:
            self.info.setText("还没有考核表。点“新建考核表”，选择考核对象（单位、一线、岗位或名册中选中的干部）和方案。")
            self.summary.setText("")
            return
        scheme = data.scheme
        raters = "、".join(f"{r.name}{_fmt(r.weight)}%" for r in scheme.raters)
        dims = "、".join(f"{d.name}{_fmt(d.weight)}%" for d in scheme.dimensions)
        state = (f"已定稿（{data.sheet.finalized_at.replace('T', ' ')}，{data.sheet.finalized_by}），只读"
                 if finalized else "评分中")
        self.info.setText(f"方案：{scheme.name}　评价主体：{raters}　维度：{dims}　"
                          f"对象：{data.sheet.group_kind}·{data.sheet.group_label}　状态：{state}"
                          + ("　定稿后写入年度考核结果" if data.sheet.annual and not finalized else ""))
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        widths = [70, 140, 58, 84, 40, 40, 64, 120]
        for column, width in enumerate(widths):
            self.grid.setColumnWidth(column, width)
        for column in range(self.model.first_score_column, self.model.comment_column):
            self.grid.setColumnWidth(column, 60)
        self.grid.setColumnWidth(self.model.comment_column, 200)
        header.setStretchLastSection(True)
        self.update_summary()
        first = self.grid.next_index(QModelIndex())
        if first.isValid():
            self.grid.setCurrentIndex(first)

    def update_summary(self) -> None:
        data = self.model.data_
        if data is None:
            return
        n = len(data.members)
        complete = sum(1 for m in data.members if data.total(m) is not None)
        excellent = sum(1 for m in data.members if data.grade(m) == EXCELLENT)
        quota = excellent_quota(n, data.scheme.excellent_cap)
        over = excellent > quota
        text = (f"共 {n} 人，评分完整 {complete} 人；优秀 {excellent} 人（上限 {_fmt(data.scheme.excellent_cap)}%，"
                f"最多 {quota} 人）")
        if over:
            text += "　已超出比例，不能定稿"
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {RED.name()}; font-weight: bold;" if over else "")

    def _double_clicked(self, index) -> None:
        if index.column() == POSTING:
            member = self.model.member(index.row())
            if member and member.posting_appraisal:
                QMessageBox.information(self, f"一线锻炼鉴定 — {member.name}", member.posting_appraisal)

    def new_sheet(self, selection: list[int] | None = None) -> None:
        dialog = NewSheetDialog(self.context, self, selection)
        if dialog.exec() and dialog.created:
            self.reload_sheets(dialog.created.id)
            self.context.data_changed.emit("appraisal")

    def delete_sheet(self) -> None:
        sheet_id = self._sheet_id()
        if not sheet_id:
            return
        if QMessageBox.question(self, "删除考核表", f"确定删除“{self.sheet.currentText()}”及其全部评分吗？") \
                != QMessageBox.Yes:
            return
        try:
            appraisals.delete_sheet(sheet_id)
        except CadreDeskError as exc:
            show_error(self, "删除考核表", exc)
            return
        self.reload_sheets()
        self.context.data_changed.emit("appraisal")

    def add_members(self) -> None:
        sheet_id = self._sheet_id()
        if not sheet_id:
            return
        dialog = PickCadresDialog(self)
        if not dialog.exec() or not dialog.ids():
            return
        try:
            added = appraisals.add_members(sheet_id, dialog.ids())
        except CadreDeskError as exc:
            show_error(self, "添加人员", exc)
            return
        self.reload_sheets(sheet_id)
        self.context.status_message.emit(f"已添加 {added} 人")
        self.context.data_changed.emit("appraisal")

    def remove_member(self) -> None:
        member = self.model.member(self.grid.currentIndex().row())
        sheet_id = self._sheet_id()
        if member is None or not sheet_id:
            QMessageBox.information(self, "移出人员", "请先在表格中选择一名干部。")
            return
        if QMessageBox.question(self, "移出人员", f"确定把 {member.name} 移出本考核表吗？其评分将一并删除。") \
                != QMessageBox.Yes:
            return
        try:
            appraisals.remove_member(sheet_id, member.cadre_id)
        except CadreDeskError as exc:
            show_error(self, "移出人员", exc)
            return
        self.reload_sheets(sheet_id)
        self.context.data_changed.emit("appraisal")

    def override(self) -> None:
        member = self.model.member(self.grid.currentIndex().row())
        if member is None or self.model.data_ is None:
            QMessageBox.information(self, "调整等次", "请先在表格中选择一名干部。")
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
        problems = appraisals.finalize_problems(data) if data is not None and data.sheet.id == sheet_id \
            else appraisals.check_finalize(sheet_id)
        if problems:
            QMessageBox.warning(self, "不能定稿", "\n\n".join(problems))
            return
        extra = "，各人等次将写入干部档案的年度考核结果" if data and data.sheet.annual else ""
        if QMessageBox.question(self, "定稿", f"定稿后考核表不能再修改{extra}。确定定稿吗？") != QMessageBox.Yes:
            return
        version = data.sheet.version if data else None
        self.finalize_button.setEnabled(False)

        def done(fresh: appraisals.SheetData) -> None:
            self.reload_sheets(sheet_id, fresh)
            ids = [m.cadre_id for m in data.members] if data and data.sheet.annual else []
            if ids:
                self.context.notify_cadres_changed(ids)
            self.context.data_changed.emit("appraisal")
            self.context.status_message.emit("考核表已定稿")

        def failed(message: str) -> None:
            self.load()
            if message:
                QMessageBox.warning(self, "定稿", message)

        # Thousands of members: their grades and 年度考核结果 are written off the GUI thread.
        self.finalize_task = self.context.tasks.run_with_progress(
            self, "正在定稿", lambda _p: (appraisals.finalize(sheet_id, version), appraisals.load_sheet(sheet_id))[1],
            on_done=done, on_error=failed)


# ---- 赛马比选 ------------------------------------------------------------------------------------


class RankingTab(QWidget):
    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(380)
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText("按单位名称筛选")
        self.unit_filter.setClearButtonEnabled(True)
        self.model = RowsModel([
            Column("名次", lambda r: r.rank if r.rank is not None else "—", 50),
            Column("姓名", lambda r: r.name, 80), Column("单位", lambda r: r.unit_name, 220),
            Column("总分", lambda r: r.total, 70), Column("等次", lambda r: r.grade, 80),
            Column("正面清单", lambda r: r.positive or "", 70), Column("负面清单", lambda r: r.negative or "", 70)])
        self.model.foreground = lambda r: GREEN if r.grade == EXCELLENT else None
        self.table = _table(self.model, stretch=2, row_numbers=False)
        self.table.doubleClicked.connect(self._open)
        self.note = QLabel("按总分从高到低排名，同分并列（如 1、2、2、4）；评分未完成者不排名。")
        self.note.setStyleSheet(f"color: {GREY.name()};")
        top = QHBoxLayout()
        top.addWidget(QLabel("比选范围（考核表）"))
        top.addWidget(self.sheet, 1)
        top.addWidget(self.unit_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.sheet.currentIndexChanged.connect(lambda _i: self.load())
        self.unit_filter.textChanged.connect(lambda _t: self.load())
        if load:
            self.reload_sheets()

    def reload_sheets(self) -> None:
        current = self.sheet.currentData()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for info in appraisals.list_sheets():
            self.sheet.addItem(f"{info.title}（{info.members} 人，{'已定稿' if info.finalized else '评分中'}）", info.id)
        index = self.sheet.findData(current)
        self.sheet.setCurrentIndex(index if index >= 0 else (0 if self.sheet.count() else -1))
        self.sheet.blockSignals(False)
        self.load()

    def load(self) -> None:
        sheet_id = self.sheet.currentData()
        rows = appraisals.ranking(sheet_id) if sheet_id else []
        text = self.unit_filter.text().strip()
        if text:
            rows = [r for r in rows if text in r.unit_name]
        self.model.set_rows(rows)

    def _open(self, index) -> None:
        row = self.model.row(index.row())
        if row is not None and hasattr(self.context, "open_profile"):
            try:
                self.context.open_profile(row.cadre_id, self)
            except ImportError:
                pass


# ---- the page ------------------------------------------------------------------------------------


class AppraisalPage(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.tabs = QTabWidget()
        # The tabs behind the first read their data when first shown: a sheet of thousands, or every
        # 正负面清单 entry, is not read to open the page.
        self.records_tab = RecordsTab(context)
        self.behaviour_tab = BehaviourTab(context, load=False)
        self.schemes_tab = SchemesTab(context)
        self.sheet_tab = SheetTab(context, load=False)
        self.ranking_tab = RankingTab(context, load=False)
        for title, tab in (("实绩档案", self.records_tab), ("正负面清单", self.behaviour_tab),
                           ("考核方案", self.schemes_tab), ("考核表", self.sheet_tab),
                           ("赛马比选", self.ranking_tab)):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self._stale: set[str] = {"behaviour", "sheet", "ranking"}
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(lambda _ids: self._on_data_changed("cadres"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

    def _on_data_changed(self, what: str) -> None:
        if what in ("records", "appraisal", "cadres", "postings", "mentoring"):
            self._stale.update({"sheet", "ranking", "records", "behaviour", "schemes"})
            # the tab that made the change has reloaded itself
            self._stale.discard(self._key(self.tabs.currentWidget()))

    def _key(self, tab) -> str:
        return {self.records_tab: "records", self.behaviour_tab: "behaviour", self.schemes_tab: "schemes",
                self.sheet_tab: "sheet", self.ranking_tab: "ranking"}[tab]

    def _refresh_current(self) -> None:
        key = self._key(self.tabs.currentWidget())
        if key not in self._stale:
            return
        self._stale.discard(key)
        if key == "sheet":
            self.sheet_tab.reload_sheets()
        elif key == "ranking":
            self.ranking_tab.reload_sheets()
        elif key == "records":
            self.records_tab.reload_reminders()
        elif key == "behaviour":
            self.behaviour_tab.reload_catalog()
            self.behaviour_tab.reload()
        elif key == "schemes":
            self.schemes_tab.reload()

    def show_sheet_tab(self) -> SheetTab:
        self.tabs.setCurrentWidget(self.sheet_tab)
        return self.sheet_tab


class ProfileAppraisalTab(QWidget):
    """The cadre profile's 实绩考核 tab: records, 正负面清单 and appraisal results, read-only."""

    def __init__(self, context: AppContext, cadre_id: int, parent=None):
        super().__init__(parent)
        self.records_model = RowsModel([
            Column("期间", lambda r: r.period_label, 110), Column("类型", lambda r: r.kind, 60),
            Column("实绩内容", lambda r: r.content, 360), Column("审核意见", lambda r: r.reviewer_comment, 160)])
        self.entries_model = RowsModel([
            Column("日期", lambda r: format_date(r.date), 84), Column("清单", lambda r: r.polarity, 44),
            Column("条目", lambda r: r.item, 160), Column("来源", lambda r: r.source, 70),
            Column("情况说明", lambda r: r.description, 300)])
        self.entries_model.foreground = lambda r: GREEN if r.polarity == "正面" else RED
        self.results_model = RowsModel([
            Column("考核表", lambda r: r.sheet_title, 240), Column("期间", lambda r: r.period, 70),
            Column("方案", lambda r: r.scheme_name, 120), Column("总分", lambda r: r.total, 60),
            Column("等次", lambda r: r.grade, 70), Column("状态", lambda r: "已定稿" if r.finalized else "评分中", 60),
            Column("各维度得分", lambda r: "、".join(f"{k}{_fmt(v)}" for k, v in r.dimension_scores.items()), 260),
            Column("评语", lambda r: r.comment, 200)])
        layout = QVBoxLayout(self)
        for title, model, stretch in (("考核鉴定结果", self.results_model, 7), ("实绩档案", self.records_model, 2),
                                      ("正负面清单", self.entries_model, 4)):
            layout.addWidget(QLabel(title))
            layout.addWidget(_table(model, stretch=stretch, row_numbers=False))
        try:
            self.results_model.set_rows(appraisals.results_for_cadre(cadre_id))
            self.records_model.set_rows(records.list_records(cadre_id))
            self.entries_model.set_rows(records.list_behaviour_entries(cadre_id))
        except CadreDeskError as exc:
            layout.addWidget(QLabel(str(exc)))


def new_sheet_for_selection(context: AppContext, ids: list[int]) -> None:
    page = context.main_window.show_module("appraisal") if context.main_window else None
    if page is not None:
        page.show_sheet_tab().new_sheet(ids)
