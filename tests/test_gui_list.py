"""The main window: cadre list search/filters/sorting/columns, delete, and the units page."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QTabWidget  # noqa: E402

from cadre_desk.domain.dates import age_at  # noqa: E402
from cadre_desk.profiles import cadres  # noqa: E402
from cadre_desk.profiles.cadre_list import COL, ID, INITIALS  # noqa: E402
from cadre_desk.profiles.cadre_list import CadreFilter as index_filter  # noqa: E402
from cadre_desk.units import units


@pytest.fixture
def opened(qtbot, demo_db, db_path):
    """The main window as a clerk opens it."""
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
    yield win
    context.tasks.wait_all(5000)


@pytest.fixture
def window(opened):
    """The window with the roster showing every cadre (全部状态: 在职, 调出, 退休…)."""
    page_of(opened).status_combo.setCurrentIndex(0)
    return opened


def page_of(window):
    return window.page("cadres")


def shown_ids(page) -> list[int]:
    return [page.model.cadre_id(r) for r in range(page.model.rowCount())]


def test_list_loads_and_status_count(window):
    page = page_of(window)
    assert page.model.rowCount() == 60
    assert "60" in window.count_label.text()
    assert "共 60 人" in page.result_label.text()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[:3] == ["工作台", "干部名册", "单位管理"]  # the 工作台 first, the roster one click away


def test_roster_opens_on_cadres_at_work(opened):
    """The roster opens filtered to 在职; 全部状态 adds those who left, retired or died."""
    page = page_of(opened)
    index = opened.context.index
    at_work = [row[ID] for row in index.filter(index_filter(status="1"))]
    assert page.status_combo.currentText() == "在职"
    assert 0 < len(at_work) < 60  # the demo has cadres who are not at work
    assert sorted(shown_ids(page)) == sorted(at_work)
    assert f"共 {len(at_work)} 人（全部 60 人）" in page.result_label.text()
    page.status_combo.setCurrentIndex(page.status_combo.findText("全部状态"))
    assert page.model.rowCount() == 60


def test_search_by_pinyin_initials(qtbot, window):
    page = page_of(window)
    index = window.context.index
    target = index.row(page.model.cadre_id(5))
    initials = target[INITIALS]
    assert initials
    page.search.setText(initials.upper())
    qtbot.waitUntil(lambda: page.model.rowCount() < 60, timeout=3000)
    ids = shown_ids(page)
    assert target[ID] in ids
    for cadre_id in ids:
        row = index.row(cadre_id)
        hay = "".join([row[COL["name"]], row[INITIALS], row[COL["id_number"]], row[COL["position"]],
                       index.unit_names.get(row[COL["unit"]], "")]).lower()
        assert initials.lower() in hay
    page.search.setText("")
    qtbot.waitUntil(lambda: page.model.rowCount() == 60, timeout=3000)


def test_search_by_name_and_id(qtbot, window):
    page = page_of(window)
    row = window.context.index.row(page.model.cadre_id(0))
    page.search.setText(row[COL["id_number"]][-8:])
    qtbot.waitUntil(lambda: shown_ids(page) == [row[ID]], timeout=3000)
    page.search.setText(row[COL["name"]])
    qtbot.waitUntil(lambda: row[ID] in shown_ids(page) and page.model.rowCount() < 60, timeout=3000)


def test_filters_unit_subtree_status_and_age(qtbot, window):
    page = page_of(window)
    index = window.context.index
    top = next(u for u in units.list_units() if u.parent_id is None)
    subtree = units.subtree_ids(top.id)
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(top.id))
    ids = shown_ids(page)
    assert ids and all(index.row(i)[COL["unit"]] in subtree for i in ids)
    assert len(ids) == sum(1 for r in index.filter(page.current_filter()))
    page.status_combo.setCurrentIndex(page.status_combo.findData("1"))
    assert all(index.row(i)[COL["status"]] == "1" for i in shown_ids(page))
    page.age_min.setValue(40)
    qtbot.waitUntil(lambda: all(age_at(index.row(i)[COL["birth"]]) >= 40 for i in shown_ids(page)),
                    timeout=3000)
    page.clear_filters()
    assert page.model.rowCount() == 60


def test_sorting_and_its_persistence(window, qtbot):
    from ui.profiles.cadre_list import CadreListPage

    page = page_of(window)
    section = page.model.keys.index("birth")
    page._on_header_clicked(section)
    births = [window.context.index.row(i)[COL["birth"]] for i in shown_ids(page)]
    assert births == sorted(births)
    page._on_header_clicked(section)
    births = [window.context.index.row(i)[COL["birth"]] for i in shown_ids(page)]
    assert births == sorted(births, reverse=True)
    assert page.table.horizontalHeader().sortIndicatorSection() == section
    # a new page (next start) sorts the same way
    before = window.context.index
    again = CadreListPage(window.context)
    qtbot.addWidget(again)
    again.status_combo.setCurrentIndex(0)  # 全部状态
    qtbot.waitUntil(lambda: again.model.rowCount() == 60, timeout=5000)
    assert (again.sort_key, again.sort_desc) == ("birth", True)
    assert shown_ids(again)[0] == shown_ids(page)[0]
    # its rows' order was made with its index, off the GUI thread (not at the first filter)
    qtbot.waitUntil(lambda: window.context.index is not before, timeout=5000)
    assert ("birth", True) in window.context.index._snapshot()._orders


def test_a_search_in_a_sorted_roster_keeps_the_order(window, qtbot):
    page = page_of(window)
    index = window.context.index
    page._on_header_clicked(page.model.keys.index("name"))
    page._on_header_clicked(page.model.keys.index("name"))  # 姓名, descending
    text = index.row(page.model.cadre_id(0))[COL["name"]][:1]
    page.search.setText(text)
    qtbot.waitUntil(lambda: page.model.rowCount() < 60, timeout=3000)
    key = index.sort_key("name")
    rows = [index.row(i) for i in shown_ids(page)]
    assert rows and all(text in r[COL["name"]] or text in index.unit_names[r[COL["unit"]]]
                        or text in r[COL["position"]] for r in rows)
    assert rows == sorted(rows, key=key, reverse=True)


def test_the_table_keeps_its_geometry_as_a_search_empties_it(window, qtbot):
    """The scroll bar stays and the row numbers keep their width: a keystroke repaints the rows, not
    the whole table laid out again with every column moved."""
    page = window.show_module("cadres")
    qtbot.waitUntil(page.table.isVisible, timeout=3000)
    table = page.table
    before = (table.viewport().geometry(), table.verticalHeader().width(), table.horizontalHeader().geometry())
    assert table.verticalScrollBar().isVisible()
    page.search.setText("不存在的人")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=3000)
    qtbot.wait(10)
    assert table.verticalScrollBar().isVisible()
    assert (table.viewport().geometry(), table.verticalHeader().width(),
            table.horizontalHeader().geometry()) == before
    page.search.setText("")
    qtbot.waitUntil(lambda: page.model.rowCount() == 60, timeout=3000)
    page.search.setText(index_text := window.context.index.row(page.model.cadre_id(0))[COL["id_number"]])
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    qtbot.wait(10)
    assert table.verticalHeader().width() == before[1], index_text  # one digit now, two before: as wide


def test_column_chooser_remembered(window, qtbot):
    from ui.profiles.cadre_list import CadreListPage

    page = page_of(window)
    assert "phone" not in page.model.keys
    page._toggle_column("phone", True)
    page._toggle_column("id_number", False)
    assert "phone" in page.model.keys and "id_number" not in page.model.keys
    again = CadreListPage(window.context)
    qtbot.addWidget(again)
    assert again.model.keys == page.model.keys
    assert again.model.headerData(0, Qt.Horizontal) == "姓名"
    again._set_columns(["name", "unit"])
    third = CadreListPage(window.context)
    qtbot.addWidget(third)
    assert third.model.keys == ["name", "unit"]


def test_enter_in_the_search_opens_the_one_cadre_found_or_goes_to_the_list(qtbot, window, monkeypatch):
    """A clerk types a cadre's pinyin initials and presses Enter: the one found opens (Enter did
    nothing); several found, the first is chosen in the list (↑↓ and Enter go on from there)."""
    page = page_of(window)
    opened = []
    monkeypatch.setattr(window.context, "open_profile", lambda cadre_id, *_a, **_k: opened.append(cadre_id))
    row = window.context.index.row(page.model.cadre_id(0))
    window.activateWindow()
    page.search.setFocus()
    qtbot.keyClicks(page.search, row[COL["id_number"]])
    qtbot.keyClick(page.search, Qt.Key_Return)  # at once: before the typing's filter is due
    assert opened == [row[ID]]

    page.search.clear()
    qtbot.keyClick(page.search, Qt.Key_Return)
    assert opened == [row[ID]] and page.model.rowCount() == 60
    assert window.focusWidget() is page.table and page.selected_ids() == [page.model.cadre_id(0)]


def test_double_click_opens_profile(window, monkeypatch):
    from ui.profiles import profile_dialog

    opened = []
    monkeypatch.setattr(profile_dialog.ProfileDialog, "exec", lambda dialog: opened.append(dialog.profile.id) or 0)
    page = page_of(window)
    page._open_current(page.model.index(3, 0))
    assert opened == [page.model.cadre_id(3)]
    page.table.selectRow(4)
    assert page.open_button.isEnabled()
    page.open_button.click()
    assert opened[-1] == page.model.cadre_id(4)


def deletable_row(page) -> int:
    """The first row whose cadre no capability refuses to delete (the demo links some to postings)."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.store.db import database

    for row in range(page.model.rowCount()):
        try:
            with database.atomic() as transaction:
                for hook in cadres.DELETE_HOOKS:
                    hook(page.model.cadre_id(row))
                transaction.rollback()
            return row
        except ValidationError:
            continue
    raise AssertionError("no deletable cadre in the demo")


def test_delete_from_list(window, monkeypatch):
    page = page_of(window)
    row = deletable_row(page)
    page.table.selectRow(row)
    cadre_id = page.model.cadre_id(row)
    assert page.delete_button.isEnabled()
    page.delete_button.click()
    assert cadre_id not in shown_ids(page)
    assert page.model.rowCount() == 59
    assert "59" in window.count_label.text()
    assert cadres.count() == 59


def test_delete_from_list_of_rows_another_changed_since_asks(window, boxes):
    """The roster's rows carried no version: 删除干部 deleted a cadre another clerk had changed since the
    list was loaded without a word. Now it asks — 重新载入对方的修改 (kept, the list shows the change) /
    仍然删除 / 取消 — and deletes the rows unchanged at once."""
    page = page_of(window)
    first = deletable_row(page)
    first_id = page.model.cadre_id(first)
    second_id = next(page.model.cadre_id(r) for r in range(first + 1, page.model.rowCount())
                     if page.model.cadre_id(r) != first_id and _deletable(page.model.cadre_id(r)))
    theirs = cadres.get_profile(first_id)  # another clerk, unseen by this window
    theirs.values["position"] = "另一位经办人改的职务"
    cadres.save_profile(theirs)
    page.table.selectRow(page.model.row_of(first_id))
    boxes.answers = ["删除", "重新载入对方的修改"]
    page.delete_button.click()
    title, text, buttons = boxes.shown[-1]
    assert title == "删除干部" and sorted(buttons) == sorted(["重新载入对方的修改", "仍然删除", "取消"])
    assert text.startswith("在您上次看到之后，") and f"{theirs.name}的档案" in text
    assert first_id in shown_ids(page) and cadres.count() == 60  # kept, and shown as they saved it
    col = page.model.keys.index("position")
    assert page.model.data(page.model.index(page.model.row_of(first_id), col)) == "另一位经办人改的职务"

    theirs = cadres.get_profile(first_id)
    theirs.values["position"] = "又改了一次"
    cadres.save_profile(theirs)
    page.select_ids([first_id, second_id])
    boxes.answers = ["删除", "取消"]
    page.delete_button.click()
    assert sorted(boxes.shown[-1][2]) == sorted(["重新载入对方的修改", "仍然删除", "取消"])
    assert first_id in shown_ids(page) and second_id not in shown_ids(page)  # the unchanged one: at once
    page.select_ids([first_id])
    shown = len(boxes.shown)
    boxes.answers = ["删除", "仍然删除"]
    page.delete_button.click()
    assert first_id not in shown_ids(page) and cadres.count() == 58 and len(boxes.shown) == shown + 2
    page.select_ids([page.model.cadre_id(deletable_row(page))])
    boxes.answers = ["删除"]
    page.delete_button.click()  # as shown: deleted after the one question
    assert cadres.count() == 57 and len(boxes.shown) == shown + 3


def test_delete_from_list_of_a_cadre_whose_resume_another_changed_since_asks(window, boxes):
    """A change no column of the roster shows (简历 here) since the row was read: asked about too."""
    from cadre_desk.domain.fields import ResumeItem

    page = page_of(window)
    cadre_id = page.model.cadre_id(deletable_row(page))
    theirs = cadres.get_profile(cadre_id)  # another clerk, unseen by this window
    theirs.resume = [*theirs.resume, ResumeItem("202401", "", "另一位经办人补的简历")]
    cadres.save_profile(theirs)
    page.select_ids([cadre_id])
    boxes.answers = ["删除", "取消"]
    page.delete_button.click()
    title, text, buttons = boxes.shown[-1]
    assert title == "删除干部" and sorted(buttons) == sorted(["重新载入对方的修改", "仍然删除", "取消"])
    assert text.startswith("在您上次看到之后，") and f"{theirs.name}的档案" in text
    assert cadre_id in shown_ids(page) and cadres.count() == 60


def _deletable(cadre_id: int) -> bool:
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.store.db import database

    try:
        with database.atomic() as transaction:
            for hook in cadres.DELETE_HOOKS:
                hook(cadre_id)
            transaction.rollback()
    except ValidationError:
        return False
    return True


def test_saved_profile_updates_list(window):
    from ui.profiles.profile_dialog import ProfileDialog

    page = page_of(window)
    cadre_id = page.model.cadre_id(2)
    dialog = ProfileDialog(window.context, cadre_id, window)
    dialog.cells["position"].editor.set_value("市财政局测试职务")
    assert dialog.save()
    row = page.model.row_of(cadre_id)
    col = page.model.keys.index("position")
    assert page.model.data(page.model.index(row, col)) == "市财政局测试职务"
    dialog.done(0)


def test_table_model_passes_modeltester(window, qtmodeltester):
    page = page_of(window)
    assert page.model.rowCount() == 60
    qtmodeltester.check(page.model, force_py=True)


# ---- units page (its actions: tests/test_units_ui.py) -----------------------------------------------


@pytest.fixture
def units_page(window):
    page = window.show_module("units")
    assert page is not None
    return page


def test_units_tree_with_counts(units_page, window):
    top = next(u for u in units.list_units() if u.parent_id is None)
    item = units_page.item_of(top.id)
    assert item.text(0) == top.name
    subtree_count = sum(1 for r in window.context.index.filter(page_of(window).current_filter())
                        if r[COL["unit"]] in units.subtree_ids(top.id))
    assert item.text(3) == str(subtree_count)  # 含下级干部


def test_refused_delete_is_explained(window, monkeypatch, boxes):
    from cadre_desk.domain.errors import ValidationError

    def refuse(cadre_id):
        raise ValidationError("该干部有 1 条一线锻炼选派记录，不能删除。")

    monkeypatch.setattr(cadres, "DELETE_HOOKS", [refuse])
    warnings = boxes.texts
    page = page_of(window)
    page.table.selectRow(0)
    page.delete_button.click()
    assert page.model.rowCount() == 60 and cadres.count() == 60
    assert len(warnings()) == 2 and "一线锻炼" in warnings()[1]  # the question, then why it was refused


def test_window_frame_shows_first_and_its_page_follows(qtbot, db_path, db):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    # nothing built before the window is up: 「正在打开……」 where the first page will be
    assert not window._pages and window.stack.count() == 1
    assert window.stack.currentWidget().text() == "正在打开工作台……"
    window.show()
    # the 工作台 is shown after login; the roster is built behind it, its cadres loading meanwhile
    qtbot.waitUntil(lambda: window.stack.count() == 2, timeout=5000)
    assert window.stack.currentWidget() is window.page("home")
    assert window.page("cadres") is not None and window.nav.currentItem().text() == "工作台"
    qtbot.waitUntil(lambda: window.context.index is not None, timeout=10000)
    window.context.tasks.wait_all()


def test_every_page_fits_a_1366_by_768_screen(window):
    """A common office screen: 1366×768, less a 40-pixel taskbar and a 30-pixel title bar. With the
    real fonts and style sheet and every page built, the window (navigation, page) must
    not need more than that — the cadre list's filter row and the appraisal tabs once did."""
    from PySide6.QtWidgets import QApplication

    from ui.shell.app import make_app

    app = QApplication.instance()
    make_app()
    try:
        for key in ("home", "cadres", "units", "postings", "mentoring", "appraisal"):
            assert window.show_module(key) is not None, key
        for tabs in window.page("appraisal").findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
        QApplication.processEvents()
        needed = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert needed.width() <= 1366 and needed.height() <= 768 - 40 - 30, needed
    finally:
        app.setStyleSheet("")


def test_name_column_stays_while_scrolling_sideways(window, qtbot):
    """The roster is wider than the screen: scrolled to its right end, 姓名 is still at the left."""
    from PySide6.QtCore import QPoint

    page = window.show_module("cadres")
    window.resize(1366, 728)
    qtbot.wait(50)
    table = page.table
    assert page.model.keys[0] == "name"
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0  # the columns need more than the window's width
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    assert table.columnViewportPosition(0) < 0  # the table's own 姓名 has scrolled out of sight
    left = table.frameWidth() + table.verticalHeader().width() + 5
    top = table.frameWidth() + table.horizontalHeader().height() + 5
    shown = table.childAt(QPoint(left, top))
    frozen = page.frozen
    assert shown is frozen.viewport()
    index = frozen.indexAt(frozen.viewport().mapFrom(table, QPoint(left, top)))
    first = page.model.index(0, 0)
    assert index == first and index.data() == window.context.index.display(window.context.index.row(
        page.model.cadre_id(0)), "name")
    assert frozen.model().headerData(0, Qt.Horizontal) == "姓名"
    # scrolled down, the names follow the rows
    table.verticalScrollBar().setValue(10)
    qtbot.wait(20)
    assert frozen.verticalScrollBar().value() == 10
    assert frozen.rowAt(5) == table.rowAt(5) == 10
    # a click on a frozen name selects that cadre's row in the roster
    qtbot.mouseClick(frozen.viewport(), Qt.LeftButton, pos=frozen.visualRect(page.model.index(12, 0)).center())
    assert page.selected_ids() == [page.model.cadre_id(12)]


def test_party_dates_and_democratic_party_in_their_own_columns(window, qtbot):
    """入党时间 shows a date; a 民主党派 (stored with it, as LRMX has it) shows under 党派."""
    page = page_of(window)
    ids = shown_ids(page)[:3]
    for cadre_id, party in zip(ids, ("200108", "200108；民建", "农工党"), strict=True):
        profile = cadres.get_profile(cadre_id)
        profile.values["party"] = party
        cadres.save_profile(profile)
    window.context.notify_cadres_changed(ids)
    qtbot.waitUntil(lambda: page.model.keys.count("party_name") == 1, timeout=3000)
    keys = page.model.keys
    assert page.model.headerData(keys.index("party"), Qt.Horizontal) == "入党时间"
    assert page.model.headerData(keys.index("party_name"), Qt.Horizontal) == "党派"
    assert keys.index("party_name") == keys.index("party") + 1

    def cells(cadre_id):
        row = page.model.row_of(cadre_id)
        return (page.model.index(row, keys.index("party")).data(),
                page.model.index(row, keys.index("party_name")).data())

    qtbot.waitUntil(lambda: cells(ids[1]) == ("2001.08", "民建"), timeout=3000)
    assert cells(ids[0]) == ("2001.08", "")
    assert cells(ids[2]) == ("", "农工党")
    page._on_header_clicked(keys.index("party_name"))  # sorted by 党派: members of a 民主党派 first
    names = [cells(cadre_id)[1] for cadre_id in shown_ids(page)]
    members = sum(1 for name in names if name)
    assert members >= 2 and all(names[:members]) and not any(names[members:])


def test_a_clerk_of_one_county_filters_by_their_units_only(qtbot, demo_db, db_path):
    """The 单位 filters of a 经办人 of 东城区 listed all 55 units; every other one filtered to nobody."""
    from tests.conftest import acting_as
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow
    from ui.widgets.choices import unit_items

    county = next(u for u in units.list_units() if u.name == "东城区")
    own = {county.id} | units.subtree_ids(county.id)
    with acting_as("经办人", units=(county.id,)):
        context = AppContext(db_path)
        win = MainWindow(context)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
        combo = page_of(win).unit_combo
        offered = {combo.itemData(i) for i in range(1, combo.count())}
        assert offered == own
        assert {unit_id for _text, unit_id in unit_items()} == own
        context.tasks.wait_all(5000)
    assert len(unit_items()) == len(units.list_units())


def test_a_new_database_says_how_to_begin(qtbot, db, db_path):
    """A clerk's first start on a database of their own: an empty table and no word of where the
    import is (文件 menu only). The roster now says it, with the two imports as buttons; it goes once
    there is a cadre."""
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
    page = win.show_module("cadres")
    assert page.first_steps.isVisible()
    buttons = {b.text(): b for b in page.first_steps.findChildren(type(page.new_button))}
    assert set(buttons) == {"导入干部名册…", "导入任免表(LRMX)…"}
    unit = units.create_unit("市财政局")
    saved = cadres.save_profile(_new_cadre(unit.id)).profile
    context.notify_cadres_changed([saved.id])
    qtbot.waitUntil(lambda: not page.first_steps.isVisible(), timeout=5000)
    context.tasks.wait_all(5000)


def _new_cadre(unit_id: int):
    from conftest import make_profile

    return make_profile(unit_id)
