"""RowsView paints a RowsModel's plain cells itself: the same pixels as QTableView, in every state."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QItemSelectionModel  # noqa: E402


@dataclass
class Person:
    name: str
    unit: str
    note: str | None
    score: float | None


def _people(n: int = 60) -> list[Person]:
    units = ["临江县委组织部", "城关镇人民政府", "县发展和改革局", "县财政局"]
    notes = {0: "借调\n在外", 1: "借调\t在外", 2: "ئابدۇرېھىم", 3: "Ünal"}  # one line; a tab; Uyghur script
    return [Person(f"张{'三四五六七'[i % 5]}{i}", units[i % 4], notes.get(i % 7), i * 1.5 if i % 3 else None)
            for i in range(n)]


def _view(qtbot, frozen: bool = False):
    from ui.widgets.frozen_column import FrozenColumn
    from ui.widgets.rows_model import Column, RowNumbers, RowsModel
    from ui.widgets.rows_view import RowsView

    model = RowsModel([Column("姓名", lambda p: p.name), Column("单位", lambda p: p.unit),
                       Column("备注", lambda p: p.note), Column("分数", lambda p: p.score)])
    model.set_rows(_people())
    view = RowsView()
    view.setVerticalHeader(RowNumbers(view))
    view.setModel(model)
    view.setSelectionBehavior(view.SelectionBehavior.SelectRows)
    view.setSelectionMode(view.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(26)
    for column, width in enumerate((90, 60, 120, 80)):  # 单位 too narrow: its names are elided
        view.setColumnWidth(column, width)
    if frozen:
        view.frozen = FrozenColumn(view)
    qtbot.addWidget(view)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def _as_qt_and_as_rows_view(view, monkeypatch, qtbot):
    """The view grabbed as QTableView paints it, then as RowsView paints it."""
    from ui.widgets.rows_view import RowsView

    qtbot.wait(1)
    with monkeypatch.context() as m:
        m.setattr(RowsView, "_paints_plain", lambda self, model: False)
        by_qt = view.grab().toImage()
    return by_qt, view.grab().toImage()


def test_plain_cells_look_as_qt_paints_them(qtbot, monkeypatch):
    from ui.widgets.rows_view import RowsView

    view, model = _view(qtbot)
    painted = []
    monkeypatch.setattr(RowsView, "_lay_out", lambda self, text, option, orig=RowsView._lay_out: (
        painted.append(text), orig(self, text, option))[1])
    by_qt, by_rows_view = _as_qt_and_as_rows_view(view, monkeypatch, qtbot)
    assert by_qt == by_rows_view
    assert "张四1" in painted and "借调 在外" in painted  # painted by RowsView, one line as Qt shows it


@pytest.mark.parametrize("state", ["selected", "current with focus", "scrolled", "sideways", "inactive",
                                   "no rows", "frozen column"])
def test_each_state_looks_as_qt_paints_it(qtbot, monkeypatch, state):
    view, model = _view(qtbot, frozen=state == "frozen column")
    if state == "selected":
        view.selectRow(2)
        view.selectionModel().select(model.index(5, 0), QItemSelectionModel.SelectionFlag.Select
                                     | QItemSelectionModel.SelectionFlag.Rows)
    elif state == "current with focus":
        view.setFocus()
        view.setCurrentIndex(model.index(3, 1))
    elif state == "scrolled":
        view.verticalScrollBar().setValue(17)
    elif state == "sideways":
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    elif state == "inactive":
        view.setEnabled(False)
    elif state == "no rows":
        model.set_rows([])
    elif state == "frozen column":
        view.selectRow(1)
        view.horizontalScrollBar().setValue(40)
    by_qt, by_rows_view = _as_qt_and_as_rows_view(view, monkeypatch, qtbot)
    assert by_qt == by_rows_view


def test_coloured_rows_are_left_to_qt(qtbot, monkeypatch):
    """A model with colours (or fonts, alignment …) of its own is painted by QTableView."""
    from ui.widgets.rows_view import RowsView

    view, model = _view(qtbot)
    model.foreground = lambda p: "#c62828" if p.score is None else None
    model.refresh()
    monkeypatch.setattr(RowsView, "_lay_out", lambda *_a: pytest.fail("painted by RowsView"))
    view.viewport().repaint()
    assert not model.plain_text()


def test_roster_and_its_frozen_names_look_as_qt_paints_them(qtbot, monkeypatch, demo_db, db_path):
    from ui.profiles.cadre_list import CadreListPage
    from ui.shell.context import AppContext
    from ui.widgets.rows_view import RowsView

    context = AppContext(db_path)
    page = CadreListPage(context)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitUntil(lambda: context.index is not None and page.model.rowCount() > 0, timeout=10000)
    assert isinstance(page.table, RowsView) and page.table.cover is page.frozen
    page.table.selectRow(4)
    page.table.horizontalScrollBar().setValue(30)
    by_qt, by_rows_view = _as_qt_and_as_rows_view(page.table, monkeypatch, qtbot)
    assert by_qt == by_rows_view
    page.search.setText("不存在的人")
    page.apply_filter()
    by_qt, by_rows_view = _as_qt_and_as_rows_view(page.table, monkeypatch, qtbot)
    assert by_qt == by_rows_view
    context.tasks.wait_all(5000)
