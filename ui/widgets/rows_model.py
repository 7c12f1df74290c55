"""The one table model: plain rows (dataclasses, tuples) shown through column accessors.

It never touches the database: a screen reads its rows through a service and hands them over with
``set_rows``. A new list is taken in place, not with a model reset: the rows that go are removed
and the rows that come are inserted at the end, and the rest is said to have changed — so a view keeps
its header, scroll position and column widths, and repaints only what it shows. Text is made when a
cell is painted (only the visible rows are formatted), never for the whole list ahead.

    model = RowsModel([Column("姓名", attrgetter("name"), 90),
                       Column("开始日期", lambda r: format_date(r.start), 100)])
    view = make_table(model)
    model.set_rows(postings.list_postings())

Sorting (a click on a header of a view with sorting enabled) sorts the model's own list by the
column's ``sort_key`` (its value when not given): no QSortFilterProxyModel."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from cadre_desk.domain.fields import RecordSpec, display_value
from ui.widgets.columns import widen_to_titles

# Plain ints looked up once: reading Qt.ItemDataRole.DisplayRole costs microseconds in PySide6, data()
# runs thousands of times a paint, and Qt passes the role as an int (an enum compares equal).
DISPLAY, TOOLTIP, FOREGROUND, BACKGROUND, FONT, ALIGN, USER, EDIT, CHECK = (
    int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole), int(Qt.ItemDataRole.ForegroundRole),
    int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.FontRole), int(Qt.ItemDataRole.TextAlignmentRole),
    int(Qt.ItemDataRole.UserRole), int(Qt.ItemDataRole.EditRole), int(Qt.ItemDataRole.CheckStateRole))
HORIZONTAL = Qt.Orientation.Horizontal
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ROOT = QModelIndex()


def format_number(value: float | None) -> str:
    """2.50 → "2.5", 3.0 → "3": scores and weights as people write them; None → ""."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def shown(value: Any) -> str:
    """What a cell of ``value`` shows: "" for None, numbers as people write them, one line."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\n", " ") if "\n" in value else value
    return format_number(value) if isinstance(value, float) else str(value)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return str(value)


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]  # row → what the cell shows (str, number, None)
    width: int = 0  # pixels; 0 = the view's default
    sort_key: Callable[[Any], Any] | None = None  # row → sort key; default: the value
    align: Any = None  # Qt alignment (CENTER, RIGHT); default left
    tooltip: bool | Callable[[Any], str] = False  # True: the full text (long free text); or row → text
    key: str = ""  # a name for callers (column lookup); not shown
    foreground: Callable[[Any], QColor | str | None] | None = None  # row → this cell's colour


class OneCallPerCell:
    """A table model's answer to what the item delegate asks of a cell to paint it (text, alignment,
    colours, font …) in one Python call (``multiData``) instead of one per role: only the roles of
    ``painted_roles()`` are answered, each through the model's ``data``, where they sit in the request
    found once — one Python call per painted cell instead of seven. Put before the Qt model class
    (``class M(OneCallPerCell, QAbstractTableModel)``); the model sets ``self._served = {}`` in its
    ``__init__`` and again whenever ``painted_roles()`` would answer otherwise."""

    _served: dict[int, list[tuple[int, int]]]  # request length → (place, role) answered

    def painted_roles(self) -> Collection[int]:
        raise NotImplementedError

    def multiData(self, index, span) -> None:  # noqa: N802 - Qt override
        served = self._served.get(len(span))
        if served is None or span[served[0][0]].role() != served[0][1]:
            wanted = self.painted_roles()
            served = [(i, span[i].role()) for i in range(len(span)) if span[i].role() in wanted]
            if not served:
                return
            self._served[len(span)] = served
        if len(served) == 1 and served[0][1] == DISPLAY:  # the usual case: text only
            span[served[0][0]].setData(self.data(index, DISPLAY))
            return
        for i, role in served:
            value = self.data(index, role)
            if value is not None:
                span[i].setData(value)
            else:  # the delegate reuses its span from cell to cell: a colour left there paints the next cell
                span[i].clearData()


class RowsModel(OneCallPerCell, QAbstractTableModel):
    """Rows through column accessors. ``foreground`` / ``background`` / ``bold``: row → colour/flag."""

    def __init__(self, columns: Sequence[Column], parent=None, *,
                 foreground: Callable[[Any], QColor | str | None] | None = None,
                 background: Callable[[Any], QColor | str | None] | None = None,
                 bold: Callable[[Any], bool] | None = None, row_numbers: bool = True):
        super().__init__(parent)
        self.columns: list[Column] = list(columns)
        self.rows: list = []
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.row_numbers = row_numbers
        self._brushes: dict[object, QBrush] = {}
        self._bold_font: QFont | None = None
        self._sorted: tuple[int, bool] | None = None
        self._served: dict[int, list[tuple[int, int]]] = {}  # request length → (place, role) answered

    # ---- rows ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence) -> None:
        """Show ``rows`` instead of the current ones, in place (no reset). A list the user had sorted by
        a header stays sorted that way."""
        rows = list(rows) if self._sorted is not None or not isinstance(rows, list) else rows
        if self._sorted is not None:
            column, descending = self._sorted
            rows.sort(key=self._sort_key(column), reverse=descending)
        old, new = len(self.rows), len(rows)
        if new < old:
            self.beginRemoveRows(_ROOT, new, old - 1)
            self.rows = rows
            self.endRemoveRows()
        elif new > old:
            self.beginInsertRows(_ROOT, old, new - 1)
            self.rows = rows
            self.endInsertRows()
        else:
            self.rows = rows
        kept = min(old, new)
        if kept and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(kept - 1, len(self.columns) - 1))

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Other columns (rare: a column chooser): the one place the model resets."""
        self.beginResetModel()
        self.columns = list(columns)
        self._served = {}
        self.endResetModel()

    def set_title(self, key: str, title: str) -> None:
        """The header of the column ``key`` says ``title`` (名次（全部5人）), the rows as they are."""
        column = self.column_of(key)
        if column >= 0 and self.columns[column].title != title:
            self.columns[column] = dataclasses.replace(self.columns[column], title=title)
            self.headerDataChanged.emit(HORIZONTAL, column, column)

    def __setattr__(self, name: str, value) -> None:
        if name in ("foreground", "background", "bold"):  # what multiData answers changes with them
            super().__setattr__("_served", {})
        super().__setattr__(name, value)

    def row(self, index: int | QModelIndex | QPersistentModelIndex):
        """The row at ``index`` (a number or a model index), or None."""
        if not isinstance(index, int):
            index = index.row() if index.isValid() else -1
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def refresh(self) -> None:
        """The rows changed in place (an action set on some of them): what shows is painted again."""
        if self.rows and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def update_row(self, position: int, row) -> None:
        """One row changed (saved in a dialog): only it is repainted."""
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))

    def find(self, predicate: Callable[[Any], bool]) -> int:
        """The position of the first row for which ``predicate(row)`` holds, or -1."""
        for position, row in enumerate(self.rows):
            if predicate(row):
                return position
        return -1

    def column_of(self, key: str) -> int:
        return next((i for i, column in enumerate(self.columns) if column.key == key), -1)

    # ---- Qt --------------------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=DISPLAY):
        if role == DISPLAY:
            return shown(self.columns[index.column()].value(self.rows[index.row()]))
        if role == FOREGROUND:
            return self._brush(self.columns[index.column()].foreground or self.foreground, index)
        if role == BACKGROUND:
            return self._brush(self.background, index)
        if role == ALIGN:
            return self.columns[index.column()].align
        if role == TOOLTIP:
            column = self.columns[index.column()]
            if not column.tooltip:
                return None
            row = self.rows[index.row()]
            return column.tooltip(row) if callable(column.tooltip) else cell_text(column.value(row))
        if role == FONT and self.bold is not None and self.bold(self.rows[index.row()]):
            if self._bold_font is None:
                self._bold_font = QFont()
                self._bold_font.setBold(True)
            return self._bold_font
        if role == USER:
            return self.rows[index.row()]
        return None

    def painted_roles(self) -> set[int]:
        """The roles a cell of this model may have something for: text, and colours, alignment and
        bold where the columns or the model have them."""
        roles = {DISPLAY}
        if self.foreground is not None or any(c.foreground for c in self.columns):
            roles.add(FOREGROUND)
        if self.background is not None:
            roles.add(BACKGROUND)
        if any(c.align is not None for c in self.columns):
            roles.add(ALIGN)
        if self.bold is not None:
            roles.add(FONT)
        return roles

    def plain_text(self) -> bool:
        """Whether every cell is text alone (no colour, font or alignment of its own): a RowsView may
        paint it itself."""
        cls = type(self)
        return (cls.data is RowsModel.data and cls.multiData is RowsModel.multiData and cls.flags is RowsModel.flags
                and self.foreground is None and self.background is None and self.bold is None
                and not any(c.foreground or c.align is not None for c in self.columns))

    def _brush(self, colour_of, index) -> QBrush | None:
        if colour_of is None:
            return None
        colour = colour_of(self.rows[index.row()])
        if colour is None:
            return None
        key = colour if isinstance(colour, str) else colour.rgba()
        brush = self._brushes.get(key)
        if brush is None:
            brush = self._brushes[key] = QBrush(QColor(colour))
        return brush

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802 - Qt override
        if role != DISPLAY:
            return None
        if orientation == HORIZONTAL:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def _sort_key(self, column: int):
        spec = self.columns[column]
        return spec.sort_key or (lambda row: sortable(spec.value(row)))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            self._sorted = None
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self._sort_key(column)
        rows = self.rows
        self.layoutAboutToBeChanged.emit()
        order_ = sorted(range(len(rows)), key=lambda i: key(rows[i]), reverse=descending)
        self.rows = [rows[i] for i in order_]
        persistent = self.persistentIndexList()
        if persistent:  # the selection and the current row follow their rows
            moved_to = {old: new for new, old in enumerate(order_)}
            self.changePersistentIndexList(
                persistent, [self.index(moved_to[p.row()], p.column()) for p in persistent])
        self.layoutChanged.emit()
        self._sorted = (column, descending)


def field_column(record: RecordSpec, key: str, **extra) -> Column:
    """A column of a field the registry describes: its label, width and display (1986.05, code names)
    from the one description; ``extra`` as Column's (value, align, foreground …). Sorted by the stored
    value, so dates sort by time."""
    spec = record.field(key)
    if "value" not in extra:  # numbers stay numbers: the model writes them as people do
        extra["value"] = (attrgetter(key) if spec.kind in ("number", "year")
                          else lambda row: display_value(spec, getattr(row, key)))
    extra.setdefault("sort_key", lambda row: sortable(getattr(row, key)))
    extra.setdefault("width", spec.width)
    return Column(spec.label, key=key, **extra)


def list_columns(record: RecordSpec, keys: Sequence, extra: dict[str, dict] | None = None) -> list[Column]:
    """The columns of one of the registry's lists (``cadre_desk.domain.fields.*_LIST``, which the list's
    workbook writes too): ``field_column`` of each key — (record, key) for another record's field —
    with ``extra[key]`` as its Column arguments (value, width, align …)."""
    extra = extra or {}
    columns = []
    for key in keys:
        owner, name = (record, key) if isinstance(key, str) else key
        columns.append(field_column(owner, name, **extra.get(name, {})))
    return columns


def sortable(value) -> tuple:
    """None and "" last; numbers by value; text by its characters."""
    if value is None or value == "":
        return (1, 0, "")
    if isinstance(value, (int, float)):
        return (0, value, "")
    return (0, 0, str(value))


class RowNumbers(QHeaderView):
    """The row-number column: its width depends only on how many digits the last number has. Qt's own
    size hint reads the labels of 200 rows (a thousand calls into Python) at every change of the row
    count — every keystroke of a filter; this one asks once per number of digits. It never narrows:
    a filter that leaves fewer rows would otherwise move every column and repaint the whole table."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self._hints: dict[int, QSize] = {}
        self._digits = 1  # the most the column has been wide for

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        digits = self._digits = max(self._digits, len(str(self.count())))
        hint = self._hints.get(digits)
        if hint is None:
            hint = self._hints[digits] = super().sizeHint()
        return hint


def make_table(model: RowsModel, *, stretch: int | None = None, multi: bool = False,
               sorting: bool = False, row_numbers: bool | None = None) -> QTableView:
    """A read-only table view over ``model``: whole rows selected, the model's column widths, fixed row
    height (no per-row size computation), the last column (or ``stretch``) taking the rest."""
    view = QTableView()
    view.setVerticalHeader(RowNumbers(view))
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vertical = view.verticalHeader()
    vertical.setDefaultSectionSize(26)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setVisible(model.row_numbers if row_numbers is None else row_numbers)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch is None)
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if sorting:
        view.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    widen_to_titles(view)
    return view


def current_row(view: QTableView):
    """The row under the view's current index (a RowsModel's row), or None."""
    model = view.model()
    return model.row(view.currentIndex()) if isinstance(model, RowsModel) else None


def selected_rows(view: QTableView) -> list:
    model = view.model()
    positions = sorted({index.row() for index in view.selectionModel().selectedRows()})
    return [model.rows[p] for p in positions] if isinstance(model, RowsModel) else []
