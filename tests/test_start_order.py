"""The order of the window's start (issues 14.4, 16.1): build() gives the shown frame its navigation and
menus with 「正在打开……」 where the first page goes; the 工作台 is built in the next turn of the event loop
and counts (then charts) once shown; only after it has painted does the background work begin — the
roster's cadre load and the start-up quick_check — so that no Python thread takes the GIL from the
window while it is being built."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")


def test_the_first_page_paints_before_the_roster_loads(qtbot, home_world, db_path, monkeypatch):
    from PySide6.QtCharts import QChartView
    from PySide6.QtWidgets import QWidget

    from ui.home.home_page import HomePage
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    painted = []  # at each paint of the 工作台: was the roster there yet?

    def paint(page, event):
        painted.append("cadres" in window._pages)
        QWidget.paintEvent(page, event)

    monkeypatch.setattr(HomePage, "paintEvent", paint)
    signalled = []
    window.first_page_painted.connect(lambda: signalled.append((bool(painted), "cadres" in window._pages)))
    window.build(AppContext(db_path))
    # build() made the navigation and menus, not the page: 「正在打开……」 stands where it will be
    assert window.nav.currentItem().text() == "工作台"
    assert not window._pages and window.stack.currentWidget().text() == "正在打开工作台……"
    assert window.context.index is None and window.context.tasks.running() == 0
    qtbot.waitUntil(lambda: "home" in window._pages, timeout=5000)
    page = window.page("home")
    assert window.stack.currentWidget() is page
    pages = list(window._pages.values())  # 「正在打开……」 is gone: the stack holds pages only
    assert all(window.stack.widget(i) in pages for i in range(window.stack.count()))
    qtbot.waitUntil(lambda: bool(signalled), timeout=5000)
    assert painted and painted[0] is False  # the 工作台 painted before the roster was built …
    assert signalled == [(True, True)]  # … and the roster was built (its load started) once it had
    qtbot.waitUntil(lambda: window.context.index is not None, timeout=10000)  # the roster fills
    assert all(window.context.index.row(cadre_id) is not None for cadre_id in home_world["people"].values())
    # the 工作台's numbers, then its charts, once it is shown
    qtbot.waitUntil(lambda: page.figures is not None and page._charted is page.figures, timeout=10000)
    assert all(isinstance(cell, QChartView) for cell in page.chart_cells.values())
    window.context.tasks.wait_all()


def test_a_page_not_on_screen_is_not_counted_until_it_is_shown(qtbot, home_world, db_path):
    """The 工作台 made but not shown (the window opened on another page) counts nothing and draws no chart;
    shown, it counts and then charts."""
    from PySide6.QtCharts import QChartView

    from ui.home.home_page import HomePage
    from ui.shell.context import AppContext

    context = AppContext(db_path)
    page = HomePage(context)
    qtbot.addWidget(page)
    qtbot.wait(50)
    assert page.figures is None and not page.counting() and context.tasks.running() == 0
    assert all(cell.objectName() == "hint" for cell in page.chart_cells.values())  # 「正在统计…」
    page.show()
    qtbot.waitUntil(lambda: page.figures is not None and page._charted is page.figures, timeout=10000)
    assert all(isinstance(cell, QChartView) for cell in page.chart_cells.values())
    context.tasks.wait_all()


def test_the_start_up_check_waits_for_its_start_or_the_first_write(qtbot, db, db_path, unit):
    """BackgroundCheck(start=False): nothing runs until start() (the window's first paint, or a login's
    wait) — and a write before then starts it and waits for its verdict, so nothing is written unchecked."""
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store import db as store_db
    from tests.conftest import make_profile

    check = backups.BackgroundCheck(db_path, start=False)
    try:
        assert not check.done() and store_db._write_gate is not None
        qtbot.wait(50)
        assert not check.done()  # not started by itself
        cadres.save_profile(make_profile(unit.id, name="甲"))  # starts it, waits for it
        assert check.done() and check.error is None and store_db._write_gate is None
        check.start()  # again: nothing
    finally:
        store_db.set_write_gate(None)


def test_a_login_wait_starts_the_check_and_no_wait_does_not(qtbot, db_path, db):
    from cadre_desk.security import backups
    from cadre_desk.store.db import set_write_gate
    from ui.shell import app

    try:
        quiet = backups.BackgroundCheck(db_path, start=False)
        timer = app.check_while_waiting(quiet)
        timer.stop()  # no login: the wait is over before the event loop turns
        qtbot.wait(20)
        assert not quiet._started
        waiting = backups.BackgroundCheck(db_path, start=False)
        timer = app.check_while_waiting(waiting)
        qtbot.waitUntil(lambda: waiting.done(), timeout=10000)  # a login dialog's event loop turned
        assert waiting.error is None
        app.check_while_waiting(None).stop()  # no check (a server, an encrypted file): nothing to start
    finally:
        set_write_gate(None)


def test_the_start_up_check_begins_after_the_first_page_has_painted(qtbot, home_world, db_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from cadre_desk.store.db import close_database, set_write_gate
    from ui.home.home_page import HomePage
    from ui.shell import app
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    close_database()
    passphrase, lock, readonly = app.prepare_database(db_path, background_check=True, check_later=True)
    try:
        check = app.startup_check
        assert check is not None and not check._started
        app.open_main_database(db_path)
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        started_at_paint = []

        def paint(page, event):
            started_at_paint.append(check._started)
            QWidget.paintEvent(page, event)

        monkeypatch.setattr(HomePage, "paintEvent", paint)
        app.check_after_first_paint(window, check)
        window.build(AppContext(db_path))
        assert not check._started  # not while the window is built
        qtbot.waitUntil(check.done, timeout=10000)
        assert started_at_paint and started_at_paint[0] is False and check.error is None
        window.context.tasks.wait_all()
    finally:
        set_write_gate(None)
        lock.release()


def test_pyside_is_told_which_modules_use_it_as_it_would_find_out(qapp):
    """The program answers PySide's question of every new module (does its source name "PySide6"?) by
    reading the file instead of inspect.getsource: the same answers, for ~9 ms less CPU before the first page."""
    import importlib
    import sys

    feature = sys.modules["shibokensupport.feature"]
    assert getattr(feature._mod_uses_pyside, "quick", False)  # before_qt_starts (make_app, conftest) put it in place
    import inspect

    def pyside_answer(module):
        try:
            return "PySide6" in inspect.getsource(module)
        except (TypeError, OSError, SyntaxError):
            return False

    names = ["ui.shell.app", "ui.widgets.rows_model", "cadre_desk.domain.dates", "cadre_desk.store.models",
             "json", "math", "sqlite3", "PySide6.QtCore"]
    for name in names:
        module = importlib.import_module(name)
        assert feature._mod_uses_pyside(module) == pyside_answer(module), name
    assert feature._mod_uses_pyside(importlib.import_module("ui.shell.app"))
    assert not feature._mod_uses_pyside(importlib.import_module("cadre_desk.domain.dates"))
