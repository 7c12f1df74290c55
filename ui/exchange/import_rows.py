"""The 数据检查 panel of the import preview: every row with its unit (where it came from), what
will be done with it, its problems and hints; the field-by-field difference of a duplicate; the
clerk's choices per row or for all rows (新增 / 更新已有 / 两人都保留 / 跳过) and the unit of rows
whose unit was read from 现任职务 or could not be read.

At 1366×768 the rows and the differences under them open with the same height (six lines and more
each, a line 26 px in both), and once every row is checked the first duplicate is chosen, so that the
differences pane shows one at once; the split the clerk drags is the next preview's."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.fields import BY_KEY
from cadre_desk.exchange import imports
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog
from ui.widgets.rows_model import Column, RowsModel, make_table
from ui.widgets.window import restore_splitters, save_splitters, settings

PROBLEM_BG = "#fde2e1"
DUPLICATE_BG = "#fff4cc"
DERIVED_FG = "#1f5fa8"
SPLITTER_KEY = "import/rows_splitter"
FILTERS = (("全部行", "all"), ("有问题的行", "problems"), ("与已有干部重复的行", "duplicates"),
           ("单位从现任职务推断的行", "derived"), ("可导入的行", "ok"))


def action_text(row: imports.ImportRow, kind: str = "") -> str:
    if row.problems and row.action != imports.SKIP:
        return "不导入"
    if row.target_id is not None and row.action == imports.UPDATE:
        return "添加到档案"
    if row.unchanged(kind):
        return "无变化"  # 更新已有 with nothing that differs: nothing is written
    return imports.ACTION_LABELS[row.action]


def hints_text(row: imports.ImportRow) -> str:
    hints = list(row.warnings)
    hints += [f"{BY_KEY[k].label}建议为“{v}”" for k, v in row.suggestions.items() if k in BY_KEY]
    return "；".join(hints)


def _lines(text: str) -> str:
    """A difference of several lines (简历, 家庭成员: one entry a line) with its entries told apart on the
    table's one line of a cell."""
    return "；".join(line.strip() for line in text.split("\n")) if "\n" in text else text


def _background(row: imports.ImportRow) -> str | None:
    if row.problems:
        return PROBLEM_BG
    if row.duplicate_id is not None:
        return DUPLICATE_BG
    return None


class UnitDialog(FormDialog):
    """The unit of the chosen rows: an existing unit, a new unit's name, or read again from 现任职务."""

    title = "指定单位"
    hands_back = True  # its caller does the work: on leaving the program, named as lost

    def __init__(self, count: int, parent=None):
        super().__init__(parent)
        from cadre_desk.units import units

        self.existing = QComboBox()
        self.existing.addItem("（按现任职务重新推断）", None)
        for unit in units.list_units():
            self.existing.addItem("　" * unit.depth + unit.name, unit.id)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("系统中还没有的单位：写出全称，导入时新建")
        self.add_field("unit", f"选中的 {count} 行归入", self.existing)
        self.add_field("new_unit", "或新建单位", self.new_name)

    def save(self):
        name = self.new_name.text().strip()
        return name if name else self.existing.currentData()


class TextRows(QHeaderView):
    """The rows of a table as high as their text wrapped (a 简历 over several lines), a line's at the
    tables' 26 px: Qt's own measure took in the hidden row numbers' padding, 32 px a line."""

    def __init__(self, view: QAbstractItemView):
        super().__init__(Qt.Orientation.Vertical, view)
        self.setDefaultSectionSize(26)
        self.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.hide()

    def sectionSizeFromContents(self, _logical_index: int) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.defaultSectionSize())


class RowsPanel(QWidget):
    """Rows, their difference from the profile they match, and the clerk's choices."""

    changed = Signal()  # an action or a unit was chosen: the summary counts change
    unit_chosen = Signal(object, object)  # rows, the unit (id, new name, or None): the dialog re-checks

    def __init__(self, plan: imports.ImportPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.unit_names: dict[int, str] = {}  # id → 全称
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.show_combo = QComboBox()
        for text, key in FILTERS:
            self.show_combo.addItem(text, key)
        self.show_combo.currentIndexChanged.connect(self.refresh)
        bar.addWidget(QLabel("显示："))
        bar.addWidget(self.show_combo)
        bar.addStretch(1)
        self.action_buttons = {}
        for text, action in (("新增", imports.INSERT), ("更新已有", imports.UPDATE),
                             ("两人都保留", imports.KEEP_BOTH), ("跳过", imports.SKIP)):
            button = QPushButton(f"选中行：{text}")
            button.clicked.connect(lambda _=False, a=action: self.choose(a, self.selected_rows()))
            bar.addWidget(button)
            self.action_buttons[action] = button
        self.unit_button = QPushButton("选中行：指定单位…")
        self.unit_button.clicked.connect(self.choose_unit)
        bar.addWidget(self.unit_button)
        self.all_bar = QWidget()  # duplicates of existing cadres: rows of a roster only
        all_bar = QHBoxLayout(self.all_bar)
        all_bar.setContentsMargins(12, 0, 0, 0)  # on the same line: the height goes to the tables
        label = QLabel("重复的全部行：")
        label.setToolTip("与已有干部重复的全部行，不只是选中的行")
        all_bar.addWidget(label)
        self.all_buttons = []
        for text, action in (("全部更新", imports.UPDATE), ("全部跳过", imports.SKIP)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, a=action: self.choose(
                a, [r for r in self.plan.rows if r.duplicate_id is not None]))
            all_bar.addWidget(button)
            self.all_buttons.append(button)
        bar.addWidget(self.all_bar)
        layout.addLayout(bar)

        unit_column = Column("单位", lambda r: imports.unit_text(r, self.unit_names), 170,
                             tooltip=lambda r: imports.UNIT_SOURCE_LABELS.get(r.unit_source, ""),
                             foreground=lambda r: DERIVED_FG if r.unit_source == "position" else None)
        self.model = RowsModel([
            Column("行号", lambda r: r.source if self.plan.kind == imports.LRMX else r.line, 70),
            Column("姓名", lambda r: r.name, 80),
            unit_column,
            Column("处理", lambda row: action_text(row, self.plan.kind), 80),
            Column("问题", lambda r: "；".join(r.problems), 320, tooltip=True),
            Column("提示", hints_text, 240, tooltip=True),
            Column("重复", lambda r: r.duplicate_reason, 130),
        ], self, background=_background, row_numbers=False)
        self.view = make_table(self.model, stretch=4, multi=True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_differences())
        self.differences = RowsModel([
            Column("字段", lambda d: d.label, 140),
            Column("系统中", lambda d: _lines(d.old) or "（空）", 260, tooltip=True),
            Column("表中", lambda d: _lines(d.new), 260, tooltip=True),
        ], self, row_numbers=False)
        self.difference_title = QLabel()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.difference_title)
        differences = make_table(self.differences, stretch=2)
        differences.setWordWrap(True)  # a 简历 or 家庭成员 of several lines shown one a line: a few rows, sized each
        differences.setVerticalHeader(TextRows(differences))
        lower_layout.addWidget(differences)
        self.difference_view = differences
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.lower = lower
        self.split_chosen = self._restore_split()  # False: the first split is made when first shown
        self.follow_kind()

    # ---- the split of rows and differences ----------------------------------------------------------
    def _restore_split(self) -> bool:
        """The split the clerk left the last preview with; False when there is none."""
        if not settings().contains(SPLITTER_KEY):
            return False
        restore_splitters({SPLITTER_KEY: self.splitter})
        return True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.split_chosen and self.lower.isVisibleTo(self):
            self.layout().activate()
            self.first_split()

    def first_split(self) -> None:
        """The rows' table and the differences' table as high as each other, the differences' title
        (one line) above theirs: at 1366×768 the rows above kept three or four lines against eight
        differences; half each shows six and more of both."""
        total = sum(self.splitter.sizes())
        if not total:
            return
        title = self.difference_title.sizeHint().height() + self.lower.layout().spacing()
        upper = (total - title) // 2
        self.splitter.setSizes([upper, total - upper])
        self.split_chosen = True

    def save_split(self) -> None:
        """The split as the clerk left it, for the next preview (a kind without differences has none)."""
        if self.split_chosen and self.lower.isVisibleTo(self):
            save_splitters({SPLITTER_KEY: self.splitter})

    def follow_kind(self) -> None:
        """The choices the plan's kind has: new profiles, their units and the differences of a
        duplicate for a roster; only 更新 / 跳过 for rows added to existing cadres (年度考核, 培训).
        Called on every refresh: another sheet or another mapping may be of another kind."""
        profiles = self.plan.kind in (imports.ROSTER, imports.LRMX)
        for action in (imports.INSERT, imports.KEEP_BOTH):
            self.action_buttons[action].setVisible(profiles)
        self.unit_button.setVisible(profiles)
        self.all_bar.setVisible(profiles)
        self.lower.setVisible(profiles)
        if profiles and not self.split_chosen and self.isVisible():  # another sheet: now a roster
            self.first_split()

    def set_all_enabled(self, enabled: bool) -> None:
        """“全部更新 / 全部跳过” wait until every row is checked: they speak of all the rows."""
        for button in self.all_buttons:
            button.setEnabled(enabled)
            button.setToolTip("" if enabled else "全部行检查完成后可用")

    # ---- rows -------------------------------------------------------------------------------------
    def visible_rows(self) -> list[imports.ImportRow]:
        show = self.show_combo.currentData()
        rows = self.plan.rows
        if show == "problems":
            return [r for r in rows if r.problems]
        if show == "duplicates":
            return [r for r in rows if r.duplicate_id is not None]
        if show == "derived":
            return [r for r in rows if r.unit_source == "position"]
        if show == "ok":
            return [r for r in rows if r.ok]
        return list(rows)

    def refresh(self) -> None:
        from cadre_desk.units import units

        self.follow_kind()
        self.unit_names = units.full_names()
        self.model.set_rows(self.visible_rows())
        self.choose_first_duplicate()
        self.show_differences()

    def choose_first_duplicate(self) -> None:
        """Once every row is checked, the first row that duplicates a cadre is chosen (its differences
        shown under the rows at once: the pane said only 「选中与已有干部重复的行…」), unless the clerk
        has chosen a row."""
        if not self.plan.complete or self.view.currentIndex().isValid() or self.lower.isHidden():
            return
        first = next((n for n, row in enumerate(self.model.rows) if row.duplicate_id is not None), None)
        if first is not None:
            self.view.setCurrentIndex(self.model.index(first, 0))

    def selected_rows(self) -> list[imports.ImportRow]:
        return [self.model.rows[i.row()] for i in self.view.selectionModel().selectedRows()]

    def show_differences(self) -> None:
        row = self.model.row(self.view.currentIndex())
        if row is None or row.duplicate_id is None:
            self.difference_title.setText("选中与已有干部重复的行，可在此对照表中与系统中不同的字段。")
            self.differences.set_rows([])
            return
        # a 家庭成员 read in part is not compared: said, not taken for the same (imports.not_compared)
        left = imports.not_compared(row)
        if row.differences:
            title = f"{row.name}：{row.duplicate_reason}；“更新已有”只写入以下 {len(row.differences)} 项不同的字段"
        else:
            title = (f"{row.name}：{row.duplicate_reason}；表中{'其他' if left else ''}各项与系统中相同"
                     + ("，导入时不写入（无变化）" if row.unchanged(self.plan.kind) else ""))
        self.difference_title.setText(f"{title}；{left}" if left else title)
        self.differences.set_rows(list(row.differences))

    # ---- choices ----------------------------------------------------------------------------------
    def choose(self, action: str, rows: list[imports.ImportRow]) -> None:
        if not rows:
            messages.info(self, "导入", "请先在表中选择行。")
            return
        taken = imports.set_rows_action(self.plan, rows, action)
        if taken < len(rows):
            why = {imports.INSERT: "与已有干部重复的行不能新增（同名同出生年月的可选“两人都保留”）",
                   imports.UPDATE: "只有与已有干部重复的行可以更新",
                   imports.KEEP_BOTH: "只有姓名和出生年月相同、身份证号不同的行可以两人都保留"}.get(action, "")
            messages.info(self, "导入", f"{len(rows) - taken} 行不能{imports.ACTION_LABELS[action]}：{why}。")
        self.model.set_rows(self.model.rows)
        self.changed.emit()

    def choose_unit(self) -> None:
        rows = self.selected_rows()
        if not rows:
            messages.info(self, "指定单位", "请先在表中选择要指定单位的行。")
            return
        dialog = UnitDialog(len(rows), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.unit_chosen.emit(rows, dialog.result_value)
