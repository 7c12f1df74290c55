"""干部名册: search as you type and filters over the in-memory CadreIndex; the model never queries."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.domain.fields import BY_KEY, LIST_FIELDS
from cadre_desk.services.cadre_list import ID, CadreFilter, CadreIndex
from ui import registry
from ui.app import report_timing, settings
from ui.context import AppContext

AGE_KEY = "age"
COLUMN_TITLES = {spec.key: spec.label for spec in LIST_FIELDS} | {AGE_KEY: "年龄"}
ALL_COLUMNS = [spec.key for spec in LIST_FIELDS[:3]] + [AGE_KEY] + [spec.key for spec in LIST_FIELDS[3:]]
DEFAULT_COLUMNS = [key for key in ALL_COLUMNS if key == AGE_KEY or BY_KEY[key].list_default]


# Plain ints looked up once: reading Qt.DisplayRole costs ~5 µs in PySide6, data() runs ~2,000 times
# a paint, and Qt passes the role as an int (callers may pass the enum: it compares equal).
_DISPLAY, _TOOLTIP, _USER = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole),
                             int(Qt.ItemDataRole.UserRole))
_HORIZONTAL = Qt.Orientation.Horizontal


class CadreTableModel(QAbstractTableModel):
    """Rows are plain tuples from CadreIndex; display text comes from the field registry."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.index_: CadreIndex | None = None
        self.rows: list[tuple] = []
        self.columns: list[str] = list(DEFAULT_COLUMNS)

    def set_rows(self, index: CadreIndex | None, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.index_ = index
        self.rows = rows
        self.endResetModel()

    def set_columns(self, columns: list[str]) -> None:
        self.beginResetModel()
        self.columns = [c for c in columns if c in COLUMN_TITLES] or list(DEFAULT_COLUMNS)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=_DISPLAY):
        if role == _DISPLAY or role == _TOOLTIP:
            if self.index_ is None or not index.isValid():
                return None
            return self.index_.display(self.rows[index.row()], self.columns[index.column()])
        if role == _USER and index.isValid():
            return self.rows[index.row()][ID]
        return None

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if role != _DISPLAY:
            return None
        if orientation == _HORIZONTAL:
            return COLUMN_TITLES.get(self.columns[section], "")
        return str(section + 1)

    def cadre_id(self, row: int) -> int:
        return self.rows[row][ID]

    def row_of(self, cadre_id: int) -> int:
        for i, row in enumerate(self.rows):
            if row[ID] == cadre_id:
                return i
        return -1


def _code_combo(table: str, all_text: str, prefix_only: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_text, "")
    for code, name in codes.table(table).items:
        if prefix_only and len(code) != 1:
            continue
        combo.addItem(name, code)
    return combo


class CadreListPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.model = CadreTableModel(self)
        self.sort_key: str | None = None
        self.sort_desc = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：姓名、拼音首字母、身份证号、单位或职务")
        self.search.setClearButtonEnabled(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(180)
        self.category_combo = _code_combo("CATEGORY", "全部类别")
        self.rank_combo = _code_combo("RANK", "全部职务层次")
        self.education_combo = _code_combo("ZB64", "全部学历", prefix_only=True)
        self.status_combo = _code_combo("STATUS", "全部状态")
        self.age_min = QSpinBox()
        self.age_max = QSpinBox()
        for box, special in ((self.age_min, "不限"), (self.age_max, "不限")):
            box.setRange(0, 100)
            box.setSpecialValueText(special)
            box.setSuffix(" 岁")
        clear = QPushButton("清除条件")
        clear.clicked.connect(self.clear_filters)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("单位"))
        filters.addWidget(self.unit_combo, 2)
        for combo in (self.category_combo, self.rank_combo, self.education_combo, self.status_combo):
            filters.addWidget(combo, 1)
        filters.addWidget(QLabel("年龄"))
        filters.addWidget(self.age_min)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.age_max)
        filters.addWidget(clear)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionsMovable(False)
        header.setStretchLastSection(True)
        header.sectionClicked.connect(self._on_header_clicked)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.table.doubleClicked.connect(self._open_current)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.result_label = QLabel("正在加载干部名册…")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.unit_combo, self.category_combo, self.rank_combo, self.education_combo,
                      self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.age_min.valueChanged.connect(lambda _v: self._debounce.start())
        self.age_max.valueChanged.connect(lambda _v: self._debounce.start())
        context.cadres_changed.connect(self._on_cadres_changed)
        context.units_changed.connect(self._on_units_changed)
        self._restore_columns()
        self.load()

    # ---- loading --------------------------------------------------------------------------------
    def load(self) -> None:
        def loaded(index: CadreIndex) -> None:
            self.context.index = index
            self._fill_units()
            self.apply_filter()
            if self.context.main_window is not None:
                self.context.main_window.update_count()
            report_timing("list_loaded")

        self.context.tasks.start(lambda _p: CadreIndex.load(), on_done=loaded, soon=True,
                                 on_error=lambda msg: self.result_label.setText(f"加载失败：{msg}"))

    def _fill_units(self) -> None:
        index = self.context.index
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem("全部单位", None)
        if index is not None:
            for unit in index.units.values():  # already parents before children
                self.unit_combo.addItem("　" * unit.depth + unit.name, unit.id)
        pos = self.unit_combo.findData(current)
        self.unit_combo.setCurrentIndex(max(0, pos))
        self.unit_combo.blockSignals(False)

    # ---- filtering and sorting ------------------------------------------------------------------
    def current_filter(self) -> CadreFilter:
        return CadreFilter(
            text=self.search.text(),
            unit_id=self.unit_combo.currentData(),
            category=self.category_combo.currentData() or "",
            rank=self.rank_combo.currentData() or "",
            education=self.education_combo.currentData() or "",
            status=self.status_combo.currentData() or "",
            age_min=self.age_min.value() or None,
            age_max=self.age_max.value() or None,
        )

    def apply_filter(self) -> None:
        index = self.context.index
        if index is None:
            return
        selected = set(self.selected_ids())
        rows = index.filter(self.current_filter())
        if self.sort_key:
            rows = index.sort(rows, self.sort_key, self.sort_desc)
        self.model.set_rows(index, rows)
        self.result_label.setText(f"共 {len(rows)} 人（全部 {len(index)} 人）")
        if selected:
            self.select_ids(selected)

    def clear_filters(self) -> None:
        for combo in (self.unit_combo, self.category_combo, self.rank_combo, self.education_combo,
                      self.status_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.age_min.setValue(0)
        self.age_max.setValue(0)
        self.search.clear()
        self.apply_filter()

    def _on_header_clicked(self, section: int) -> None:
        key = self.model.columns[section]
        if self.sort_key == key:
            self.sort_desc = not self.sort_desc
        else:
            self.sort_key, self.sort_desc = key, False
        self.table.horizontalHeader().setSortIndicator(
            section, Qt.DescendingOrder if self.sort_desc else Qt.AscendingOrder)
        self.sort_rows()

    def sort_rows(self) -> None:
        index = self.context.index
        if index is None or not self.sort_key:
            return
        self.model.set_rows(index, index.sort(self.model.rows, self.sort_key, self.sort_desc))

    # ---- selection ------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.cadre_id(r) for r in rows]

    def select_ids(self, ids) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        wanted = set(ids)
        for row, data in enumerate(self.model.rows):
            if data[ID] in wanted:
                selection.select(self.model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def _open_current(self, index) -> None:
        if index.isValid():
            self.context.open_profile(self.model.cadre_id(index.row()), self)

    def _on_cadres_changed(self, _ids: list) -> None:
        self.apply_filter()

    def _on_units_changed(self) -> None:
        index = self.context.index
        if index is not None:
            from cadre_desk.services.units import list_units

            index.set_units(list_units())
        self._fill_units()
        self.apply_filter()

    # ---- menus ----------------------------------------------------------------------------------
    def _row_menu(self, pos) -> None:
        ids = self.selected_ids()
        menu = QMenu(self)
        open_action = menu.addAction("打开档案")
        open_action.setEnabled(len(ids) == 1)
        open_action.triggered.connect(lambda: self.context.open_profile(ids[0], self))
        new_action = menu.addAction("新建干部")
        new_action.setEnabled(not self.context.readonly)
        new_action.triggered.connect(lambda: self.context.open_profile(None, self))
        delete_action = menu.addAction("删除干部…")
        delete_action.setEnabled(bool(ids) and not self.context.readonly)
        delete_action.triggered.connect(lambda: self.delete_selected())
        extra = sorted(registry.CADRE_ACTIONS, key=lambda a: a.order)
        if extra:
            menu.addSeparator()
        for spec in extra:
            action = menu.addAction(spec.title)
            action.setEnabled(len(ids) >= spec.min_selection)
            action.triggered.connect(lambda _=False, s=spec: s.callback(self.context, ids))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def delete_selected(self) -> None:
        from cadre_desk.domain.errors import CadreDeskError
        from cadre_desk.services import cadres

        ids = self.selected_ids()
        if not ids:
            return
        index = self.context.index
        names = "、".join(index.display(index.row(i), "name") for i in ids[:5]) + (" 等" if len(ids) > 5 else "")
        answer = QMessageBox.question(self, "删除干部", f"确定删除 {names} 共 {len(ids)} 人的全部档案吗？此操作不能撤销。",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        failed = []
        for cadre_id in ids:
            try:
                cadres.delete_cadre(cadre_id)
            except CadreDeskError as exc:
                failed.append(f"{index.display(index.row(cadre_id), 'name')}：{exc}")
            index.refresh(cadre_id)
        self.context.cadres_changed.emit(ids)
        if failed:
            QMessageBox.warning(self, "删除干部", "以下干部未能删除：\n" + "\n".join(failed))

    def _column_menu(self, pos) -> None:
        menu = QMenu(self)
        for key in ALL_COLUMNS:
            action = QAction(COLUMN_TITLES[key], menu)
            action.setCheckable(True)
            action.setChecked(key in self.model.columns)
            action.toggled.connect(lambda checked, k=key: self._toggle_column(k, checked))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("恢复默认列", lambda: self._set_columns(list(DEFAULT_COLUMNS)))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _toggle_column(self, key: str, checked: bool) -> None:
        columns = [c for c in ALL_COLUMNS if (c in self.model.columns and c != key) or (c == key and checked)]
        self._set_columns(columns)

    def _set_columns(self, columns: list[str]) -> None:
        self.model.set_columns(columns)
        self._apply_widths()
        self.save_state()

    def _apply_widths(self) -> None:
        # never narrower than the title plus the sort arrow: 全日制教育学历 must not be clipped
        metrics = self.table.horizontalHeader().fontMetrics()
        for i, key in enumerate(self.model.columns):
            width = 50 if key == AGE_KEY else BY_KEY[key].width
            self.table.setColumnWidth(i, max(width, metrics.horizontalAdvance(COLUMN_TITLES[key]) + 32))

    def _restore_columns(self) -> None:
        stored = settings().value("cadre_list/columns")
        if isinstance(stored, str) and stored:
            self.model.set_columns(stored.split(","))
        self._apply_widths()

    def save_state(self) -> None:
        settings().setValue("cadre_list/columns", ",".join(self.model.columns))


registry.MODULES.append(registry.ModuleSpec("cadres", "干部名册", CadreListPage, order=10))
