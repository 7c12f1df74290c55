"""The 工作台 page: the first page after login, counted in the background, charts drawn once the
figures are in (the charting library is not loaded at start-up), a click on a reminder opens its record,
and a 经办人 of one unit sees only that unit's cadres in the counts, charts and reminders."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from cadre_desk.access.roles import ROLE_CLERK  # noqa: E402
from cadre_desk.home import reminders  # noqa: E402
from tests.conftest import acting_as  # noqa: E402


def _window(qtbot, db_path):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.page("home") is not None, timeout=5000)
    return window


def _counted(qtbot, page):
    qtbot.waitUntil(lambda: page.figures is not None and page.model.rowCount() > 0, timeout=10000)
    qtbot.waitUntil(lambda: page._charted is page.figures, timeout=5000)  # the charts follow the numbers


def _row_of(page, predicate) -> int:
    return next(n for n, r in enumerate(page.model.rows) if predicate(r))


def _click_row(qtbot, page, row: int) -> None:
    from PySide6.QtCore import Qt

    page.table.scrollTo(page.model.index(row, 3))
    rect = page.table.visualRect(page.model.index(row, 3))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_home_is_the_first_page_with_counts_charts_and_reminders(qtbot, home_world, db_path):
    from PySide6.QtCharts import QChartView

    window = _window(qtbot, db_path)
    page = window.page("home")
    assert window.stack.currentWidget() is page and window.nav.currentItem().text() == "工作台"
    _counted(qtbot, page)
    assert {key: tile.value.text() for key, tile in page.tiles.items()} == {
        "serving": "5", "on_post": "2", "mentoring": "1", "quarter_due": "2", "unappraised": "2"}
    assert all(isinstance(view, QChartView) for view in page.chart_cells.values())
    assert page.chart_cells["gender"].chart().title() == "性别"
    # overdue first, marked in red and bold
    first = page.model.rows[0]
    assert reminders.urgency(first) == reminders.OVERDUE
    assert page.model.index(0, 0).data().startswith("已逾期")
    assert page.model.data(page.model.index(0, 0), 9) is not None  # ForegroundRole: coloured
    assert "已逾期" in page.summary.text()
    tip = page.print_button.toolTip()  # the PDF is one page again: no second page to announce
    assert "一页" in tip and "提醒汇总" in tip and "第二页" not in tip
    # a category filter keeps the order
    page.category.setCurrentText("导师帮带")
    assert {r.category for r in page.model.rows} == {"导师帮带"}
    page.category.setCurrentIndex(0)
    assert window.page("cadres") is not None  # the roster, built behind it: one click away
    window.context.tasks.wait_all()


def test_the_frame_shows_first_and_each_page_is_built_when_first_opened(qtbot, home_world, db_path):
    """The start: the bare frame shows before the database is open; build() then gives it its pages, the
    工作台 shown (and counted) first, the roster built behind it, every other page only when opened."""
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.centralWidget().objectName() == "opening" and window.context is None
    window.build(AppContext(db_path))
    qtbot.waitUntil(lambda: "home" in window._pages and "cadres" in window._pages, timeout=5000)
    page = window.page("home")
    assert window.stack.currentWidget() is page and window.nav.currentItem().text() == "工作台"
    _counted(qtbot, page)
    assert "postings" not in window._pages and "appraisal" not in window._pages
    postings_page = window.show_module("postings")
    assert postings_page is not None and window._pages["postings"] is postings_page
    assert window.stack.currentWidget() is postings_page
    assert "appraisal" not in window._pages
    window.context.tasks.wait_all()


def test_a_click_on_a_reminder_opens_its_record(qtbot, home_world, db_path, monkeypatch):
    window = _window(qtbot, db_path)
    page = window.page("home")
    _counted(qtbot, page)
    opened = []
    monkeypatch.setattr(window.context, "open_profile", lambda cadre_id, *a, **k: opened.append(cadre_id))
    # a missing 月上报 opens the cadre's file
    row = _row_of(page, lambda r: r.category == "实绩档案")
    _click_row(qtbot, page, row)
    assert opened == [page.model.rows[row].cadre_id]
    # a posting past its planned end opens the 一线锻炼 page with that posting selected
    late = home_world["late"]
    _click_row(qtbot, page, _row_of(page, lambda r: r.opens == ("posting", late.id)))
    postings_page = window.page("postings")
    assert window.stack.currentWidget() is postings_page
    qtbot.waitUntil(lambda: postings_page.selected_posting() is not None, timeout=10000)
    assert postings_page.selected_posting().id == late.id
    # a post not full opens the post in the 一线锻炼 tree
    window.show_module("home")
    _click_row(qtbot, page, _row_of(page, lambda r: r.opens == ("post", home_world["village"].id)))
    assert postings_page.current_post().id == home_world["village"].id
    # an idle pair opens the 导师帮带 page on that pair
    window.show_module("home")
    _click_row(qtbot, page, _row_of(page, lambda r: r.opens == ("pair", home_world["pair"].id)))
    assert window.page("mentoring").selected_pair().id == home_world["pair"].id
    window.context.tasks.wait_all()


def test_a_clerk_of_one_unit_sees_only_its_cadres(qtbot, home_world, db_path):
    from ui.home.home_page import HomePage
    from ui.shell.context import AppContext

    people = home_world["people"]
    with acting_as(ROLE_CLERK, units=(home_world["finance"].id,)):
        context = AppContext(db_path)
        page = HomePage(context)
        qtbot.addWidget(page)
        page.show()
        _counted(qtbot, page)
        assert {key: tile.value.text() for key, tile in page.tiles.items()} == {
            "serving": "3", "on_post": "1", "mentoring": "1", "quarter_due": "1", "unappraised": "0"}
        assert dict(page.figures.chart("gender").items) == {"男": 2, "女": 1}
        pie = page.chart_cells["gender"].chart().series()[0]
        assert sorted(s.value() for s in pie.slices()) == [1, 2]
        named = {r.cadre_id for r in page.model.rows if r.cadre_id is not None}
        assert named and named <= {people["钱一"], people["钱二"], people["钱三"]}
        assert "市财政局" in page.subtitle.text()
        context.tasks.wait_all()


def test_a_change_elsewhere_counts_again(qtbot, home_world, db_path):
    from cadre_desk.postings import postings
    from ui.home.home_page import HomePage
    from ui.shell.context import AppContext

    context = AppContext(db_path)
    page = HomePage(context)
    qtbot.addWidget(page)
    page.show()
    _counted(qtbot, page)
    soon = home_world["soon"]
    postings.recall_posting(soon.id, soon.version, soon.start, "因原单位工作需要提前召回")
    context.data_changed.emit("postings")
    qtbot.waitUntil(lambda: page.tiles["on_post"].value.text() == "1", timeout=10000)
    context.tasks.wait_all()


def test_the_charting_library_loads_after_the_window_shows(tmp_path):
    """Start-up does not pay for the charts: QtCharts is imported once the figures are in."""
    import subprocess
    import sys

    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from cadre_desk.features import register_all
register_all()
from cadre_desk.store.opening import open_database
from cadre_desk.profiles import demo
open_database(Path(r"{tmp_path / 'demo.sqlite3'}"))
demo.generate(40, seed=3)
from ui.shell.app import make_app, build_main_window
app = make_app()
window = build_main_window(Path(r"{tmp_path / 'demo.sqlite3'}"))
window.show()
print("shown", "PySide6.QtCharts" in sys.modules)
import time
end = time.time() + 20
while time.time() < end and "PySide6.QtCharts" not in sys.modules:
    app.processEvents()
    window.context.tasks.wait_all(100)
print("later", "PySide6.QtCharts" in sys.modules)
window.context.tasks.wait_all()
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.returncode == 0, out.stderr
    assert "shown False" in out.stdout and "later True" in out.stdout, out.stdout


def test_the_frame_loads_no_core_and_a_login_wait_prepares_the_window(tmp_path):
    """The frame shows with Qt alone (no peewee, no server module, no Qt class it does not show); while a
    dialog waits for a password, the window's modules are imported one per turn of the event loop, and
    without such a wait (no login) nothing is."""
    import subprocess
    import sys

    code = """
import sys
from ui.shell.app import make_app, import_while_waiting, WINDOW_UI_MODULES
from ui.shell.main_window import MainWindow
app = make_app()
frame = MainWindow()
frame.show()
app.processEvents()
print("frame", sorted(m for m in ("peewee", "cadre_desk.store.server", "cadre_desk.profiles.cadres",
                                  "ui.shell.server_link") if m in sys.modules))
waiting = import_while_waiting(WINDOW_UI_MODULES)
waiting.stop()  # no login: the wait is over before the event loop turns
print("no wait", [m for m in WINDOW_UI_MODULES if m in sys.modules])
waiting = import_while_waiting(WINDOW_UI_MODULES)
for _ in range(2 * len(WINDOW_UI_MODULES)):  # what the login dialog's own event loop does
    app.processEvents()
print("after a wait", all(m in sys.modules for m in WINDOW_UI_MODULES), waiting.isActive())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.returncode == 0, out.stderr
    assert "frame []" in out.stdout and "no wait []" in out.stdout, out.stdout
    assert "after a wait True False" in out.stdout, out.stdout


def test_a_count_axis_on_screen_is_marked_in_whole_numbers(qtbot):
    """A count of 1: Qt's nice numbers make 0–1.5 in halves, labelled 0 0 1 1 by "%d"."""
    from ui.widgets.charts import bar_chart

    for top in (1, 2, 3, 14, 92):
        view = bar_chart("一线在岗（按战线）", ["社区服务", "乡村振兴"], [("人数", [top, 0])])
        qtbot.addWidget(view)
        axis = next(a for a in view.chart().axes() if a.metaObject().className() == "QValueAxis")
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert step == int(step) >= 1 and axis.max() >= top, top


def test_the_reminders_text_is_wide_enough_to_read_on_an_office_screen(qtbot, home_world, db_path, office_look):
    """At 1366×768 the 提醒内容 column took what the charts left (a quarter of the window) and cut a
    岗位“乡村振兴/柳林乡驻村工作队”未满员 … mid-sentence: the reminders are as wide as the charts, and the
    whole text is on hover."""
    from ui.shell.fit_check import USABLE

    window = _window(qtbot, db_path)
    window.resize(USABLE)
    page = window.page("home")
    _counted(qtbot, page)
    qtbot.wait(50)
    charts, reminders = page.splitter.sizes()
    # was 3:2 in the charts' favour; about even now (the charts' own minimum follows the fonts loaded)
    assert reminders >= 0.9 * charts
    # the text column takes what its three short neighbours leave (its exact pixels follow the fonts)
    typical = "岗位“乡村振兴/柳林乡驻村工作队”未满员：0/10，尚缺 10 人"
    assert page.table.columnWidth(3) >= 0.9 * page.table.fontMetrics().horizontalAdvance(typical)
    assert page.model.index(0, 3).data(3) == page.model.rows[0].text + ("\n单击打开" if page.model.rows[0].opens else "")
    window.context.tasks.wait_all()


def test_an_overdue_reminders_period_stays_on_one_line(qtbot, home_world, db_path):
    """期限 read 已逾期 302 / 天 on two lines (bold, in an 86-pixel column): a year's worth of days late is
    one line."""
    from PySide6.QtGui import QFontMetrics

    window = _window(qtbot, db_path)
    page = window.page("home")
    _counted(qtbot, page)
    bold = page.table.font()
    bold.setBold(True)
    padding = 2 * page.table.style().pixelMetric(page.table.style().PixelMetric.PM_FocusFrameHMargin) + 8
    assert QFontMetrics(bold).horizontalAdvance("已逾期 999 天") + padding <= page.table.columnWidth(0)
    window.context.tasks.wait_all()


def test_an_overdue_reminders_date_is_whole_in_a_wider_font(qtbot, home_world, db_path, wider_font):
    """With the bundled fonts (a Song face, bold by thickening) an overdue reminder's bold 到期日期 read
    2026.02.…: the column is as wide as a date in bold in the font used."""
    from PySide6.QtGui import QFontMetrics

    wider_font(1.3)
    window = _window(qtbot, db_path)
    page = window.page("home")
    _counted(qtbot, page)
    bold = page.table.font()
    bold.setBold(True)
    # the room the table's painter leaves a cell's text (ui/widgets/rows_view.py): beyond it, elided
    margin = page.table.style().pixelMetric(page.table.style().PixelMetric.PM_FocusFrameHMargin) + 1
    assert QFontMetrics(bold).horizontalAdvance("2026.02.10") <= page.table.columnWidth(1) - 2 * margin
    window.context.tasks.wait_all()
