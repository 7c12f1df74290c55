"""干部名册: search as you type and filters over the in-memory CadreIndex; the model never queries."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain import clock, codes
from cadre_desk.domain.fields import BY_KEY, LIST_FIELDS
from cadre_desk.profiles.cadre_list import (
    DERIVED_TITLES,
    ID,
    ROSTER_COLUMNS,
    ROSTER_DEFAULT,
    CadreFilter,
    CadreIndex,
)
from ui.shell import registry
from ui.shell.context import AppContext
from ui.widgets import choices, gui_gc, messages
from ui.widgets.frozen_column import FrozenColumn
from ui.widgets.rows_model import Column, RowNumbers, RowsModel
from ui.widgets.rows_view import RowsView
from ui.widgets.window import report_timing, settings

AGE_KEY = "age"
# Columns of no field of their own (cadre_desk.profiles.cadre_list.DERIVED): title, width, shown at first.
DERIVED_COLUMNS = DERIVED_TITLES
COLUMN_TITLES = {spec.key: spec.label for spec in LIST_FIELDS} | {k: v[0] for k, v in DERIVED_COLUMNS.items()}
ALL_COLUMNS = list(ROSTER_COLUMNS)  # the 花名册 workbook offers the same columns, the same shown at first
DEFAULT_COLUMNS = list(ROSTER_DEFAULT)


class RosterModel(RowsModel):
    """The roster's rows: plain tuples from the CadreIndex, each cell's text from the field registry
    (made when the cell is painted). A filter hands over the new rows in place (RowsModel)."""

    def __init__(self, parent=None):
        self.index_: CadreIndex | None = None
        self._shown_as: tuple | None = None  # (index, its unit names, the day) the columns' texts are of
        super().__init__([], parent)
        self.set_columns(DEFAULT_COLUMNS)

    def set_index(self, index: CadreIndex | None, rows: list[tuple]) -> None:
        self.index_ = index
        shown_as = (index, index.unit_names if index is not None else None, clock.today())
        if index is not None and shown_as != self._shown_as:  # the units or the day changed since
            self.columns = [replace(c, value=index.displayer(c.key)) for c in self.columns]
        self._shown_as = shown_as
        self.set_rows(rows)

    def _column(self, key: str) -> Column:
        value = self.index_.displayer(key) if self.index_ is not None else (lambda row: "")
        return Column(COLUMN_TITLES[key], value, key=key)

    def set_columns(self, columns) -> None:
        keys = [c for c in columns if c in COLUMN_TITLES] or list(DEFAULT_COLUMNS)
        self._shown_as = None
        super().set_columns([self._column(key) for key in keys])

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    def cadre_id(self, row: int) -> int:
        return self.rows[row][ID]

    def row_of(self, cadre_id: int) -> int:
        return self.find(lambda row: row[ID] == cadre_id)


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
        self.model = RosterModel(self)
        self.sort_key: str | None = None
        self.sort_desc = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名 / 拼音首字母 / 身份证号 / 单位 / 职务")
        self.search.setMinimumWidth(220)
        self.search.setClearButtonEnabled(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(180)
        self.category_combo = _code_combo("CATEGORY", "全部类别")
        self.rank_combo = _code_combo("RANK", "全部职务层次")
        self.education_combo = _code_combo("ZB64", "全部学历", prefix_only=True)
        self.status_combo = _code_combo("STATUS", "全部状态")
        # The roster opens on the cadres at work (code 1, 在职); 全部状态 adds 调出, 退休, 去世.
        self.status_combo.setCurrentIndex(self.status_combo.findData("1"))
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

        self.table = RowsView()
        self.table.setVerticalHeader(RowNumbers(self.table))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Always there: a filter that leaves a page or less of rows would otherwise take the scroll
        # bar away, widen the table and repaint all of it at that keystroke.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
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
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.frozen = FrozenColumn(self.table)  # 姓名 stays while the other columns scroll sideways
        self.result_label = QLabel("正在加载干部名册…")
        self.result_label.setObjectName("resultLabel")
        # A fixed size: a new count is painted, not laid out — a label that may change size makes every
        # keystroke lay out (and repaint) the whole row of buttons and spin boxes beside it.
        self.result_label.setFixedSize(self.result_label.fontMetrics().horizontalAdvance(
            "共 000000 人（全部 000000 人）") + 8, self.result_label.sizeHint().height())

        self.new_button = QPushButton("新建干部")
        self.open_button = QPushButton("打开档案")
        self.delete_button = QPushButton("删除…")
        self.delete_button.setObjectName("dangerButton")
        self.new_button.clicked.connect(lambda: self.context.open_profile(None, self, unit_id=self._current_unit()))
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.new_button.setVisible(not context.readonly)
        self.delete_button.setVisible(not context.readonly)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        # The age range and 清除条件 share this row: all in the first one, the page was wider than
        # a 1366-pixel screen (with the navigation and the 工作提醒 dock beside it).
        actions.addWidget(QLabel("年龄"))
        actions.addWidget(self.age_min)
        actions.addWidget(QLabel("至"))
        actions.addWidget(self.age_max)
        actions.addWidget(clear)
        actions.addSpacing(12)
        actions.addWidget(self.result_label)

        self.first_steps = self._first_steps()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.first_steps)
        layout.addWidget(self.table, 1)
        self._update_buttons()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        for combo in (self.unit_combo, self.category_combo, self.rank_combo, self.education_combo,
                      self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.age_min.valueChanged.connect(lambda _v: self._debounce.start())
        self.age_max.valueChanged.connect(lambda _v: self._debounce.start())
        context.cadres_changed.connect(self._on_cadres_changed)
        context.units_changed.connect(self._on_units_changed)
        self._restore_columns()
        header.sectionResized.connect(self._on_section_resized)
        self.load()

    def _first_steps(self) -> QWidget:
        """Shown while the database has no cadre (a clerk's first start on a database of their own):
        how to begin — import the files they have, or units first and then 新建干部."""
        from ui.exchange import import_dialog

        box = QWidget()
        box.setObjectName("firstSteps")
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 4, 0, 4)
        text = QLabel("还没有干部。可以导入已有的干部名册（Excel）或任免表（LRMX）文件（导入前先预览，"
                      "表中的单位可自动新建）；也可以先在“单位管理”中建立单位，再点“新建干部”逐个录入。")
        text.setWordWrap(True)
        row.addWidget(text, 1)
        for title, start in (("导入干部名册…", import_dialog.import_roster),
                             ("导入任免表(LRMX)…", import_dialog.import_lrmx)):
            button = QPushButton(title)
            button.clicked.connect(lambda _c=False, start=start: start(self.context))
            row.addWidget(button)
        box.setVisible(False)
        return box

    # ---- loading --------------------------------------------------------------------------------
    def load(self) -> None:
        def loaded(index: CadreIndex) -> None:
            self.context.index = index
            gui_gc.freeze_loaded()  # lives until the next load: no collection walks its 100,000 rows
            self.context.index_loaded.emit()
            self._fill_units()
            self.apply_filter()
            if self.context.main_window is not None:
                self.context.main_window.update_count()
            report_timing("list_loaded")

        order = (self.sort_key, self.sort_desc) if self.sort_key else None  # a sort restored from last time
        self.context.tasks.start(lambda _p: CadreIndex.load(order), on_done=loaded, soon=True,
                                 on_error=lambda msg: self.result_label.setText(f"加载失败：{msg}"))

    def _fill_units(self) -> None:
        index = self.context.index
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem("全部单位", None)
        if index is not None:
            # already parents before children; a clerk's units and those above: the others show nobody
            for text, unit_id in choices.unit_items(list(index.units.values())):
                self.unit_combo.addItem(text, unit_id)
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
        rows = index.filter(self.current_filter(), order=(self.sort_key, self.sort_desc) if self.sort_key else None)
        self.model.set_index(index, rows)
        self.result_label.setText(f"共 {len(rows)} 人（全部 {len(index)} 人）")
        self.first_steps.setVisible(len(index) == 0 and self.context.allows(permissions.EDIT))
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
        self._debounce.stop()  # the text and ages just set would apply the same filter again 120 ms later
        self.apply_filter()

    def _on_header_clicked(self, section: int) -> None:
        key = self.model.keys[section]
        if self.sort_key == key:
            self.sort_desc = not self.sort_desc
        else:
            self.sort_key, self.sort_desc = key, False
        self._show_sort_indicator()
        self.sort_rows()
        self.save_state()

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        if self.sort_key in self.model.keys:
            header.setSortIndicator(self.model.keys.index(self.sort_key),
                                    Qt.DescendingOrder if self.sort_desc else Qt.AscendingOrder)
        else:
            header.setSortIndicator(-1, Qt.AscendingOrder)

    def sort_rows(self) -> None:
        index = self.context.index
        if index is None or not self.sort_key:
            return
        self.model.set_index(index, index.sort(self.model.rows, self.sort_key, self.sort_desc))

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

    def _search_entered(self) -> None:
        """Enter in the search box: the one cadre found opens; several, the first is chosen in the
        list (↑↓ and Enter from there)."""
        self._debounce.stop()  # what was just typed, not the filter of 120 ms ago
        self.apply_filter()
        if self.model.rowCount() == 1:
            self.context.open_profile(self.model.cadre_id(0), self)
        elif self.model.rowCount() > 1:
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.selectRow(0)

    def _open_current(self, index) -> None:
        if index.isValid():
            self.context.open_profile(self.model.cadre_id(index.row()), self)

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.context.open_profile(ids[0], self)

    def _current_unit(self) -> int | None:
        return self.unit_combo.currentData()

    def _update_buttons(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(count == 1)
        self.delete_button.setEnabled(count >= 1 and not self.context.readonly)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.table.hasFocus():
            self.open_selected()
            return
        super().keyPressEvent(event)

    def _on_cadres_changed(self, _ids: list) -> None:
        self.apply_filter()

    def _on_units_changed(self) -> None:
        index = self.context.index
        if index is not None:
            from cadre_desk.units.units import list_units

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
        new_action.triggered.connect(lambda: self.context.open_profile(None, self, unit_id=self._current_unit()))
        refused: dict[str, bool] = {}  # action → refused on some selected cadre (role, 回避)

        def allowed(action: str) -> bool:
            if action not in refused:
                refused[action] = not self.context.allows(action) or bool(self.context.refusals(action, ids))
            return not refused[action]

        delete_action = menu.addAction("删除干部…")
        delete_action.setEnabled(bool(ids) and not self.context.readonly and allowed(permissions.EDIT))
        delete_action.triggered.connect(lambda: self.delete_selected())
        extra = sorted(registry.CADRE_ACTIONS, key=lambda a: a.order)
        if extra:
            menu.addSeparator()
        for spec in extra:
            action = menu.addAction(spec.title)
            action.setEnabled(len(ids) >= spec.min_selection and allowed(spec.needs))
            action.triggered.connect(lambda _=False, s=spec: s.callback(self.context, ids))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def delete_selected(self) -> None:
        """删除干部 of the rows as the list shows them: those another changed since (the profile's version
        moved on since the row was read: its 简历 or photo too) are asked about once — 重新载入对方的修改 (not deleted, the list shows their change) /
        仍然删除 / 取消; the others are deleted at once."""
        from cadre_desk.domain.errors import CadreDeskError, ConflictError
        from cadre_desk.profiles import cadres

        ids = self.selected_ids()
        if not ids:
            return
        index = self.context.index
        shown = {i: index.row(i) for i in ids}  # what the clerk saw: the delete compares its version
        names = {i: index.display(shown[i], "name") for i in ids}
        listed = "、".join(names[i] for i in ids[:5]) + (" 等" if len(ids) > 5 else "")
        if not messages.confirm(self, "删除干部", f"确定删除 {listed} 共 {len(ids)} 人的全部档案吗？此操作不能撤销。",
                                "删除", danger=True):
            return
        pending, failed = list(ids), []

        def delete(overwrite: bool) -> None:
            stale = []
            for cadre_id in list(pending):
                try:
                    cadres.delete_cadre(cadre_id, shown=shown[cadre_id], overwrite=overwrite)
                except ConflictError as exc:
                    stale.append(exc)
                    continue
                except CadreDeskError as exc:
                    failed.append(f"{names[cadre_id]}：{exc}")
                pending.remove(cadre_id)
            if len(stale) == 1:
                raise stale[0]
            if stale:
                raise ConflictError("\n".join(str(exc) for exc in stale[:5]) + ("\n……" if len(stale) > 5 else ""),
                                    changed_by=stale[0].changed_by, changed_at=stale[0].changed_at)

        shown_again = messages.attempt_delete(self, "删除干部", delete)
        # 取消: the rows asked about stay as the clerk saw them (a later delete asks again)
        self.context.notify_cadres_changed(ids if shown_again else [i for i in ids if i not in pending])
        if failed:
            messages.warning(self, "删除干部", "以下干部未能删除：\n" + "\n".join(failed))

    def _column_menu(self, pos) -> None:
        menu = QMenu(self)
        for key in ALL_COLUMNS:
            action = QAction(COLUMN_TITLES[key], menu)
            action.setCheckable(True)
            action.setChecked(key in self.model.keys)
            action.toggled.connect(lambda checked, k=key: self._toggle_column(k, checked))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("恢复默认列", lambda: self._set_columns(list(DEFAULT_COLUMNS)))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _toggle_column(self, key: str, checked: bool) -> None:
        columns = [c for c in ALL_COLUMNS if (c in self.model.keys and c != key) or (c == key and checked)]
        self._set_columns(columns)

    def _set_columns(self, columns: list[str]) -> None:
        self.model.set_columns(columns)
        self._apply_widths()
        self.save_state()

    def _apply_widths(self) -> None:
        self._applying_widths = True
        for i, key in enumerate(self.model.keys):
            title_width = self.table.horizontalHeader().fontMetrics().horizontalAdvance(COLUMN_TITLES[key]) + 32
            width = self.widths.get(key) or max(title_width, DERIVED_COLUMNS[key][1] if key in DERIVED_COLUMNS
                                                else BY_KEY[key].width)
            self.table.setColumnWidth(i, width)
        self._applying_widths = False
        self._show_sort_indicator()

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        if getattr(self, "_applying_widths", False) or not 0 <= section < len(self.model.keys):
            return
        if section == len(self.model.keys) - 1:
            return  # the last column stretches with the window
        self.widths[self.model.keys[section]] = new

    def _restore_columns(self) -> None:
        store = settings()
        stored = store.value("cadre_list/columns")
        if isinstance(stored, str) and stored:
            self.model.set_columns(stored.split(","))
        self.widths: dict[str, int] = {}
        for part in str(store.value("cadre_list/widths") or "").split(","):
            key, _, width = part.partition(":")
            if key in COLUMN_TITLES and width.isdigit():
                self.widths[key] = max(30, int(width))
        sort = str(store.value("cadre_list/sort") or "")
        key, _, order = sort.partition(":")
        if key in COLUMN_TITLES:
            self.sort_key, self.sort_desc = key, order == "desc"
        self._apply_widths()

    def save_state(self) -> None:
        store = settings()
        store.setValue("cadre_list/columns", ",".join(self.model.keys))
        store.setValue("cadre_list/widths", ",".join(f"{k}:{w}" for k, w in self.widths.items()))
        store.setValue("cadre_list/sort", f"{self.sort_key}:{'desc' if self.sort_desc else 'asc'}"
                       if self.sort_key else "")
