"""ui/widgets/columns.py. Columns shared by content (``share_by_content``) on lists of many rows: the
signals of one event-loop turn are met once, only the rows that came or changed are measured, and the
widths are those a measure of every cell gives. The column chooser of a header's context menu."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

pytest.importorskip("pytestqt")


@dataclass
class Row:
    name: str
    post: str


def _rows(count: int) -> list[Row]:
    return [Row(f"干部{n}", "云江市" + "住房和城乡建设局" * (n % 4) + f"科员{n}") for n in range(count)]


def _counting_model(reads: list[int]):
    """A RowsModel whose cells count how often their text is read (a measure, or a paint)."""
    from ui.widgets.rows_model import Column, RowsModel

    def value(attr):
        def read(row):
            reads[0] += 1
            return getattr(row, attr)
        return read

    return RowsModel([Column("姓名", value("name")), Column("现任职务", value("post"))])


def _shown(qtbot, model):
    from ui.widgets.columns import share_by_content
    from ui.widgets.rows_model import make_table

    view = make_table(model)
    qtbot.addWidget(view)
    view.resize(700, 300)
    share = share_by_content(view, flexible=[1])
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(10)
    return view, share


def _widths(view) -> list[int]:
    return [view.columnWidth(c) for c in range(view.model().columnCount())]


def test_five_hundred_changes_in_one_turn_measure_the_changed_rows_once(qtbot):
    from ui.widgets.columns import content_width

    reads = [0]
    model = _counting_model(reads)
    rows = _rows(300)
    model.set_rows(rows)
    view, share = _shown(qtbot, model)

    reads[0] = 0
    for n in range(500):  # a dialog's work saved row by row: 500 signals before the list is painted
        position = n % 300
        model.update_row(position, Row(rows[position].name, f"{rows[position].post}（第{n}次）"))
    qtbot.wait(20)
    # each of the 300 changed rows measured once in its two columns, and a screenful painted: not
    # 500 × 300 × 2 = 300,000 reads (every row measured again at every signal)
    assert reads[0] < 300 * 2 + 1000, reads[0]
    # the widths are those of a measure of every cell, as a view that measures all at once finds them
    assert share.needs == {c: content_width(view, c) for c in range(2)}
    fresh, _ = _shown(qtbot, model)
    assert _widths(view) == _widths(fresh)

    # the widest text made short: the column narrows (each row's width is kept, not only the widest)
    width = view.fontMetrics().horizontalAdvance
    widest = max(width(row.post) for row in model.rows)
    before = share.needs[1]
    for position in range(300):
        if width(model.rows[position].post) == widest:
            model.update_row(position, Row(model.rows[position].name, "科员"))
    qtbot.wait(20)
    assert share.needs[1] < before
    assert share.needs == {c: content_width(view, c) for c in range(2)}


def test_rows_come_and_go_and_are_sorted_in_one_turn(qtbot):
    from PySide6.QtCore import Qt

    from ui.widgets.columns import content_width

    reads = [0]
    model = _counting_model(reads)
    model.set_rows(_rows(200))
    view, share = _shown(qtbot, model)
    reads[0] = 0
    model.beginInsertRows(model.index(0, 0).parent(), 0, 1)
    model.rows[0:0] = [Row("欧阳新来", "云江市发展和改革委员会综合规划科" * 3), Row("甲", "乙")]
    model.endInsertRows()
    qtbot.wait(20)
    assert reads[0] < 2 * 2 + 1000  # the two new rows, and a paint
    assert share.needs == {c: content_width(view, c) for c in range(2)}

    model.set_rows(_rows(120))  # fewer rows: a removal and a change, met once
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_rows(_rows(150))
    qtbot.wait(20)
    assert share.needs == {c: content_width(view, c) for c in range(2)}
    fresh, _ = _shown(qtbot, model)
    assert _widths(view) == _widths(fresh)


def test_a_long_list_is_measured_a_slice_at_a_time_the_top_rows_first(qtbot, monkeypatch):
    """Opening a 工作台 reminder of a posting cleared the 一线锻炼 filters: 28,000 rows measured whole in one
    go froze the window 1.3 s. A slice at a time (here: one step of rows a turn), the rows on screen
    first; once the event loop has had its turns, the widths of a measure of every cell."""
    from ui.widgets import columns
    from ui.widgets.columns import MEASURE_STEP, content_width

    ticks = [0]

    def tick():  # every look at the clock: half a slice later (one step of rows per turn)
        ticks[0] += 1
        return ticks[0]
    # A slice of two ticks, in whole numbers: 0.02 added up in floats made a slice three looks long at
    # some readings of the clock (the 7th to 10th, the 199th…): a third step of rows, 300 reads for 200,
    # whenever other lists had read the clock often enough before.
    monkeypatch.setattr(columns, "MEASURE_SLICE_S", 2)
    monkeypatch.setattr(columns, "_ticks", tick)
    reads = [0]
    model = _counting_model(reads)
    model.set_rows(_rows(40))
    view, share = _shown(qtbot, model)
    qtbot.waitUntil(lambda: not share.measuring)
    rows = _rows(6000)
    rows[-1] = Row("欧阳最后", "云江市发展和改革委员会综合规划科" * 4)  # the widest, at the very end
    model.set_rows(rows)
    for _ in range(5):  # other lists measured in the process meanwhile (a page, a test's leftover) read it too
        tick()
    reads[0] = 0
    share.apply()
    assert reads[0] <= 4 * MEASURE_STEP, reads[0]  # a step or two of rows in each column, not 12,000 cells
    assert share.measuring and share.needs[1] < content_width(view, 1)
    top = share.needs[0]
    assert top >= content_width(view, 0) - view.fontMetrics().horizontalAdvance("0") * 2  # the top rows' names
    qtbot.waitUntil(lambda: not share.measuring, timeout=10000)
    assert share.needs == {c: content_width(view, c) for c in range(2)}
    fresh, _ = _shown(qtbot, model)
    qtbot.waitUntil(lambda: not columns_share(fresh).measuring, timeout=10000)
    assert _widths(view) == _widths(fresh)

    # a row changed while the rest is still to measure: measured, and the rest still comes
    model.set_rows(list(reversed(rows)))
    share.apply()
    model.update_row(0, Row("甲", "云江市" + "住房和城乡建设局" * 9))
    qtbot.waitUntil(lambda: not share.measuring, timeout=10000)
    assert share.needs == {c: content_width(view, c) for c in range(2)}


def columns_share(view):
    from ui.widgets.columns import ContentShare

    return next(child for child in view.children() if isinstance(child, ContentShare))


def test_a_filter_that_says_layout_changed_is_measured_again(qtbot):
    """A sort filter proxy tells of a new filter as a layout change: the rows left are measured."""
    from PySide6.QtCore import QSortFilterProxyModel
    from PySide6.QtWidgets import QTableView

    from ui.widgets.columns import content_width, share_by_content

    reads = [0]
    model = _counting_model(reads)
    model.set_rows([*_rows(30), Row("欧阳新来", "云江市发展和改革委员会综合规划科" * 3)])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(0)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    share = share_by_content(view, flexible=[0])
    view.resize(500, 300)
    view.show()
    qtbot.wait(10)
    wide = share.needs[1]
    proxy.setFilterFixedString("干部")
    proxy.invalidate()
    qtbot.wait(20)
    assert proxy.rowCount() == 30
    assert share.needs == {c: content_width(view, c) for c in range(2)} and share.needs[1] < wide


def test_a_tree_measures_its_top_level_rows(qtbot):
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    from ui.widgets.columns import content_width, share_by_content

    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderLabels(["日期", "谈话内容"])
    share = share_by_content(tree, flexible=[1])
    tree.resize(500, 200)
    tree.show()
    for n in range(50):
        item = QTreeWidgetItem([f"2026.05.{n % 28 + 1:02d}", "谈心谈话" * (n % 5 + 1)])
        item.addChild(QTreeWidgetItem(["", "子项的内容不计入列宽" * 20]))
        tree.addTopLevelItem(item)
    tree.topLevelItem(3).setText(0, "2026.05.03（补记）")
    qtbot.wait(20)
    assert share.needs == {c: content_width(tree, c) for c in range(2)}
    assert tree.columnWidth(0) >= tree.fontMetrics().horizontalAdvance("2026.05.03（补记）")


def test_a_column_chooser_keeps_the_choice_by_column_key(qtbot):
    """Hidden at first as the page says; a choice kept by key, so that a column added in a later
    version shows as its default says; the last shown column cannot be hidden."""
    from ui.widgets.columns import ColumnChooser
    from ui.widgets.rows_model import Column, RowsModel, make_table

    def view_of(keys, hidden_at_first):
        model = RowsModel([Column(key.upper(), lambda r: r, key=key) for key in keys])
        view = make_table(model)
        qtbot.addWidget(view)
        return view, ColumnChooser(view, "test/columns", keys, hidden_at_first)

    def hidden(view):
        return {view.model().columns[n].key for n in range(view.model().columnCount()) if view.isColumnHidden(n)}

    view, chooser = view_of(["a", "b", "c"], ["c"])
    assert hidden(view) == {"c"}
    chooser.show_columns({"a", "c"})
    view, chooser = view_of(["a", "b", "c", "d", "e"], ["c", "e"])  # a later version: d shown, e hidden
    assert hidden(view) == {"b", "e"}
    chooser.show_columns({"d"})
    actions = {a.text(): a for a in chooser.menu().actions() if a.isCheckable()}
    assert not actions["D"].isEnabled() and actions["A"].isEnabled()
    chooser.show_columns(set())  # nothing shown: refused
    assert hidden(view) == {"a", "b", "c", "e"}


def test_a_table_not_shown_measures_the_rest_of_a_long_list_when_shown(qtbot):
    """A page behind another (the window shows one) went on measuring its 28,168 postings a slice a turn
    while 定稿 ran its job: each slice waited on the job for the interpreter, 150–280 ms of a frozen window.
    Not shown, it waits; shown, it measures the rest."""
    from PySide6.QtWidgets import QLabel, QStackedWidget

    from ui.widgets.columns import content_width

    reads = [0]
    model = _counting_model(reads)
    model.set_rows(_rows(40))
    view, share = _shown(qtbot, model)
    qtbot.waitUntil(lambda: not share.measuring)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    stack.resize(700, 300)
    other = QLabel("另一页")
    stack.addWidget(other)
    stack.addWidget(view)
    stack.setCurrentWidget(other)
    stack.show()
    qtbot.waitExposed(stack)
    assert not view.isVisible()
    rows = _rows(20000)
    rows[-1] = Row("欧阳最后", "云江市发展和改革委员会综合规划科" * 4)  # the widest, at the very end
    model.set_rows(rows)
    qtbot.wait(200)
    reads[0] = 0
    qtbot.wait(200)
    assert reads[0] == 0 and share.measuring  # nothing measured while not shown
    stack.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not share.measuring, timeout=20000)
    assert share.needs == {c: content_width(view, c) for c in range(2)}
