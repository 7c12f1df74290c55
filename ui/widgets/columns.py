"""Column titles that are read whole: no table column narrower than its title.

A column set to a fixed width cut its title on a PC whose font is wider (the 考核表 showed 主管部匚 for
主管部门: 门 without its right stroke). ``title_width`` is what a title needs — in the bold face the
header uses for the current column, with the sort arrow when the column shows one — and
``widen_to_titles`` widens the columns that are narrower, once their titles are known. Without a sort
arrow, Qt's own measure (``sectionSizeHint``) counts the style sheet's padding and border, which the
style's header margin does not: 「组织部 / 政治表现」 was cut at the left in the 考核表 (60 px for 69).

``widen_to_cells`` widens a column of set values (期间, 等次) to its widest cell, in bold where the table
draws some rows bold.

``share_by_content`` gives a table's width to its columns by what they hold: each as wide as its
widest cell (or title), the spare (or the lack) shared by the free-text columns in proportion: a short
column is never cut while a free-text one beside it has room to spare. It takes a tree view's columns
too (导师帮带's talks).

``ColumnChooser`` lets the clerk show and hide a table's columns from its header's context menu, the
choice kept: a page chooses the columns shown at first so that they fit a 1366-pixel screen."""

from __future__ import annotations

import time
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QStyle, QTableView, QTreeView

from ui.widgets.window import settings

SPARE = 4  # pixels beyond the bare need, so that a font a little wider still fits
CELL_PAD = 12  # a cell's text margins and its grid line
# A list measured whole (shown, reset): at most this long at a time on the GUI thread, in steps of this
# many rows (a cell may read the database); the rest on the next turns of the event loop (28,000 postings: 1.3 s in one go).
MEASURE_SLICE_S = 0.04
MEASURE_STEP = 50
_ticks = time.perf_counter  # what a slice is timed by (a test makes every step use the slice up)


def title_width(header: QHeaderView, logical: int, spare: int = SPARE) -> int:
    """Pixels the title of section ``logical`` needs, and ``spare`` (0 when it has no title)."""
    model = header.model()
    text = model.headerData(logical, header.orientation(), Qt.ItemDataRole.DisplayRole) if model else None
    if not text:
        return 0
    font = header.font()
    if header.highlightSections():
        font.setBold(True)
    metrics = QFontMetrics(font)
    style = header.style()
    need = max(metrics.horizontalAdvance(line) for line in str(text).split("\n"))
    need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + spare
    if header.isSortIndicatorShown():  # Qt's measure then keeps an arrow's room in every column: too wide
        return need + style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return max(need, header.sectionSizeHint(logical) + spare)


def widen_to_titles(view: QAbstractItemView) -> None:
    """Widen every column of ``view`` that is narrower than its title (a stretched column sizes itself)."""
    header = view.horizontalHeader()
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        need = title_width(header, logical)
        if header.sectionSize(logical) < need and header.sectionResizeMode(logical) != QHeaderView.ResizeMode.Stretch:
            header.resizeSection(logical, need)


def columns_header(view: QTableView | QTreeView) -> QHeaderView:
    """The header over ``view``'s columns: a table's horizontal one, a tree's only one."""
    return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()


def content_width(view: QTableView | QTreeView, logical: int) -> int:
    """Pixels column ``logical`` needs for its widest cell's text (of a tree: its top-level rows'), and
    never less than its title."""
    model, metrics = view.model(), view.fontMetrics()
    widest = max((metrics.horizontalAdvance(str(model.index(row, logical).data() or ""))
                  for row in range(model.rowCount())), default=0)
    return max(title_width(columns_header(view), logical), widest + CELL_PAD + SPARE if widest else 0)


def widen_to_cells(view: QTableView, columns: Sequence[int], bold: bool = False) -> None:
    """Widen each of ``columns`` to its widest cell's text (``bold``: measured in the bold face, the table
    drawing some rows bold), never narrowing it: a short column of set values (2026年第2季度, 基本称职) is
    not cut to 2026年第2… in a wider font (the bundled Song face, its bold drawn by thickening)."""
    font = view.font()
    font.setBold(bold)
    metrics, model, header = QFontMetrics(font), view.model(), view.horizontalHeader()
    for logical in columns:
        widest = max((metrics.horizontalAdvance(str(model.index(row, logical).data() or ""))
                      for row in range(model.rowCount())), default=0)
        need = max(title_width(header, logical), widest + CELL_PAD + SPARE if widest else 0)
        if header.sectionSize(logical) < need:
            header.resizeSection(logical, need)


class ContentShare(QObject):
    """Keeps ``view``'s columns shared by content (``share_by_content``) as rows come and the view resizes.

    Each cell's width is kept (per column, per top-level row), and only the cells of the rows that came
    or changed are measured again: a list of thousands of rows is not measured whole for one changed
    row. The model's signals of one event-loop turn (a ``set_rows`` is a removal or an insertion and a
    change; a dialog may change five hundred rows one by one) are met once, when the turn is over. A
    sort (``layoutChanged``) moves rows, not their widths: the needs stay, and the next change measures
    every row again (their places are not known); a reset measures everything again. A text's width is
    remembered (a date, a unit's name come again and again): measuring text is the cost, some 15 µs a
    cell. At every resize the kept widths are only shared out again. A list measured whole is measured
    a slice at a time (``MEASURE_SLICE_S``), the first rows — those on screen — first: the window never
    waits for a list of thousands; the columns take the width of what is measured so far, and widen
    once the rest is in."""

    def __init__(self, view: QTableView | QTreeView, flexible: Sequence[int]):
        super().__init__(view)
        self.view, self.flexible = view, list(flexible)
        self.needs: dict[int, int] = {}
        self.cells: dict[int, list[int]] = {}  # column → each top-level row's text width (0: empty)
        self.pending: set[int] = set()  # rows to measure again (positions after the changes so far)
        self.moved = False  # the rows were sorted: the kept widths are no longer by position
        self.dirty = True  # rows came, went or changed since the needs were worked out
        self.todo: dict[int, int] = {}  # column being measured whole → its first row not measured yet
        self.text_widths: dict[str, int] = {}
        self.font_key = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.apply)
        header = columns_header(view)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.viewport().installEventFilter(self)
        model = view.model()
        model.modelReset.connect(self.remeasure)
        model.layoutChanged.connect(self._moved)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.dataChanged.connect(self._changed)
        self.apply()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize or (event.type() == QEvent.Type.Show and self.dirty):
            self.apply()
        return False

    def remeasure(self, *_args) -> None:
        """Every cell again (a reset; a change after a sort), at the end of this turn."""
        self.cells, self.pending, self.moved, self.dirty, self.todo = {}, set(), False, True, {}
        self.timer.start()

    @property
    def measuring(self) -> bool:
        """Whether rows are still to be measured (on the next turns)."""
        return bool(self.todo or self.pending)

    def _width(self, text) -> int:
        """The width of a cell's text, measured once."""
        text = str(text or "")
        width = self.text_widths.get(text)
        if width is None:
            if len(self.text_widths) > 200_000:  # a list of many long unique texts: start again
                self.text_widths.clear()
            width = self.text_widths[text] = self.view.fontMetrics().horizontalAdvance(text)
        return width

    def _moved(self, *_args) -> None:
        """Rows sorted: the same widths in other places. A filter's proxy says rows came or went so
        too: then every row is measured again."""
        counts = {len(widths) for widths in self.cells.values()}
        if self.todo or self.pending or counts and counts != {self.view.model().rowCount()}:
            return self.remeasure()
        self.moved = True

    def _inserted(self, parent, first: int, last: int) -> None:
        if parent.isValid():  # a tree's child rows: only the top-level ones are measured
            return
        if self.moved or self.todo:
            return self.remeasure()
        count = last - first + 1
        self.pending = {row + count if row >= first else row for row in self.pending}
        self.pending.update(range(first, last + 1))
        for widths in self.cells.values():
            widths[first:first] = [0] * count
        self.dirty = True
        self.timer.start()

    def _removed(self, parent, first: int, last: int) -> None:
        if parent.isValid():
            return
        if self.moved or self.todo:
            return self.remeasure()
        count = last - first + 1
        self.pending = {row - count if row > last else row for row in self.pending if not first <= row <= last}
        for widths in self.cells.values():
            del widths[first:last + 1]
        self.dirty = True
        self.timer.start()

    def _changed(self, top_left, bottom_right, _roles=()) -> None:
        if top_left.parent().isValid():
            return
        if self.moved:
            return self.remeasure()
        self.pending.update(range(top_left.row(), bottom_right.row() + 1))
        self.dirty = True
        self.timer.start()

    def _measure(self, columns: list[int]) -> None:
        """The widths of the pending rows' cells, and every cell of a column not measured before (just
        shown, or after a reset) — a slice of it, the rest on the next turns; then each column's need."""
        model, advance = self.view.model(), self._width
        if self.font_key != self.view.font().key():  # another font: every text measured again
            self.font_key, self.text_widths, self.cells, self.todo = self.view.font().key(), {}, {}, {}
        count = model.rowCount()
        self.cells = {c: widths for c, widths in self.cells.items() if c in columns}  # a hidden one goes stale
        self.todo = {c: row for c, row in self.todo.items() if c in self.cells}
        for c in columns:
            if c not in self.cells or len(self.cells[c]) != count:
                self.cells[c], self.todo[c] = [0] * count, 0
        deadline = _ticks() + MEASURE_SLICE_S
        rows = sorted(row for row in self.pending if row < count)
        done = 0
        while done < len(rows) and (not done or _ticks() < deadline):  # thousands of rows came: a slice too
            step = rows[done:done + MEASURE_STEP]
            for c in columns:  # a row not reached yet by a whole measure is measured when it is reached
                widths, reached = self.cells[c], self.todo.get(c, count)
                for row in step:
                    if row < reached:
                        widths[row] = advance(model.index(row, c).data())
            done += len(step)
        self.pending = set(rows[done:])
        while self.todo and _ticks() < deadline:
            first = min(self.todo.values())  # row by row across the columns: the top rows first
            stop = min(first + MEASURE_STEP, count)
            for c, start in list(self.todo.items()):
                if start == first:
                    self.cells[c][first:stop] = [advance(model.index(row, c).data()) for row in range(first, stop)]
                    self.todo[c] = stop
                    if stop >= count:
                        del self.todo[c]
        self.dirty = bool(self.todo or self.pending)
        if self.dirty and self.view.isVisible():
            self.timer.start()  # the next slice, once the window has had its turn
        # not shown (a page behind another): the rest when it is shown (eventFilter), not a slice a turn
        # on the GUI thread meanwhile
        header = columns_header(self.view)
        self.needs = {}
        for c in columns:
            widest = max(self.cells[c], default=0)
            self.needs[c] = max(title_width(header, c), widest + CELL_PAD + SPARE if widest else 0)

    def apply(self, *_args) -> None:
        if not shiboken6.isValid(self.view):  # a tree clears its rows as it is deleted, and says so
            return
        self.timer.stop()
        header = columns_header(self.view)
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if self.dirty or set(self.needs) != set(columns) or any(c not in self.cells for c in columns):
            self._measure(columns)
        needs = self.needs
        flexible = [c for c in self.flexible if c in needs] or columns[-1:]
        fixed = sum(needs[c] for c in columns if c not in flexible)
        wanted = sum(needs[c] for c in flexible)
        room = max(self.view.viewport().width() - fixed, 0)
        widths = dict(needs)
        if wanted > room:  # too little room: the longest are cut, to one width, the short ones stay whole
            cap = fair_cap([needs[c] for c in flexible], room)
            for c in flexible:
                widths[c] = max(min(needs[c], cap), title_width(header, c))
        else:  # room to spare: to the free-text columns by their need
            for c in flexible:
                widths[c] = needs[c] + ((room - wanted) * needs[c] // wanted if wanted else 0)
        if sum(widths.values()) < self.view.viewport().width():  # the rounding's pixels to the last
            widths[flexible[-1]] += self.view.viewport().width() - sum(widths.values())
        for c, width in widths.items():
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)


def fair_cap(needs: list[int], room: int) -> int:
    """The widest a column may be so that ``needs``, each cut to it, fill ``room``: the short ones whole."""
    left, count = room, len(needs)
    for need in sorted(needs):
        if need * count > left:
            return left // count
        left -= need
        count -= 1
    return max(needs, default=0)


def share_by_content(view: QTableView | QTreeView, flexible: Sequence[int]) -> ContentShare:
    """Size ``view``'s columns by their content from now on: the others as wide as they need, the
    ``flexible`` (free text) sharing what is left in proportion to their need."""
    return ContentShare(view, flexible)


class ColumnChooser(QObject):
    """The header's context menu shows and hides ``view``'s columns: a check by each title, and 恢复默认列.
    Columns are known by their keys (``keys``, in the model's order); those of ``hidden_at_first`` are
    hidden until the clerk shows them. The choice is kept in the settings under ``key``, by column key:
    a column added in a later version shows as its default says. At least one column stays shown. The
    view's ``ContentShare``, if any, shares the width among the columns now shown."""

    def __init__(self, view: QTableView | QTreeView, key: str, keys: Sequence[str], hidden_at_first: Sequence[str]):
        super().__init__(view)
        self.view, self.key, self.keys = view, key, list(keys)
        self.hidden_at_first = {k for k in hidden_at_first if k in self.keys}
        header = columns_header(view)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.menu().exec(header.mapToGlobal(pos)))
        chosen = dict(part.split(":", 1) for part in str(settings().value(key) or "").split(",") if ":" in part)
        self.show_columns({k for k in self.keys
                           if chosen.get(k, "0" if k in self.hidden_at_first else "1") == "1"}, remember=False)

    def shown(self) -> list[str]:
        header = columns_header(self.view)
        return [k for c, k in enumerate(self.keys) if not header.isSectionHidden(c)]

    def menu(self) -> QMenu:
        menu = QMenu(self.view)
        header, shown = columns_header(self.view), self.shown()
        model = self.view.model()
        for column, key in enumerate(self.keys):
            title = str(model.headerData(column, header.orientation(), Qt.ItemDataRole.DisplayRole) or key)
            action = menu.addAction(title.replace("\n", ""))
            action.setCheckable(True)
            action.setChecked(key in shown)
            action.setEnabled(shown != [key])  # the last shown column stays
            action.toggled.connect(lambda on, k=key: self.show_columns(
                {c for c in self.shown() if c != k} | ({k} if on else set())))
        menu.addSeparator()
        menu.addAction("恢复默认列", lambda: self.show_columns(set(self.keys) - self.hidden_at_first))
        return menu

    def show_columns(self, keys: set[str], remember: bool = True) -> None:
        """Show the columns of ``keys``, hide the others (and keep the choice)."""
        if not keys & set(self.keys):
            return
        header = columns_header(self.view)
        for column, key in enumerate(self.keys):
            header.setSectionHidden(column, key not in keys)
        for share in self.view.findChildren(ContentShare):
            share.apply()
        if remember:
            settings().setValue(self.key, ",".join(f"{k}:{int(k in keys)}" for k in self.keys))
