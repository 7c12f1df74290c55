"""The units screen, clicked as a clerk would: a unit's 全称 / 简称 / 类别, its 职数 beside the tree with
over-staffing in red; the 系统设置 page and the first-start step that set who we are."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from cadre_desk.settings import settings  # noqa: E402
from cadre_desk.units import staffing, units  # noqa: E402
from tests.conftest import answer_dialog, make_profile  # noqa: E402


def _window(qtbot, db_path):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
    return win


@pytest.fixture
def window(qtbot, demo_db, db_path):
    win = _window(qtbot, db_path)
    yield win
    win.context.tasks.wait_all(5000)


@pytest.fixture
def page(window):
    return window.show_module("units")


def _unit_named(name: str) -> units.UnitInfo:
    return next(u for u in units.list_units() if u.name == name)


def test_tree_shows_short_name_kind_and_full_name_beside_it(page):
    office = _unit_named("市委办")
    page.select_unit(office.id)
    item = page.item_of(office.id)
    assert item.text(0) == "市委办" and item.text(1) == "市直" and item.toolTip(0) == office.full_name
    assert office.full_name in page.details.text() and "简称：市委办" in page.details.text()
    assert page.staffing_model.rowCount() > 0  # the demo approved its 职数


def test_new_unit_with_full_name_short_name_and_kind(qtbot, page):
    county = _unit_named("临江县")
    page.select_unit(county.id)

    def fill(dialog):
        dialog.full_name.setText("临江县乡村振兴局")
        dialog.short_name.setText("县乡村振兴局")
        assert dialog.kind.currentText() == "县区"  # the parent's kind
        dialog.ok_button.click()

    answer_dialog(qtbot, page.add_child_button.click, fill)
    created = _unit_named("县乡村振兴局")
    assert (created.full_name, created.kind, created.parent_id) == ("临江县乡村振兴局", "县区", county.id)
    assert page.item_of(created.id).parent().data(0, Qt.ItemDataRole.UserRole) == county.id
    assert page.current_unit_id() == created.id


def test_a_full_name_taken_is_said_at_its_field(qtbot, page):
    office = _unit_named("市委办")
    page.select_unit(office.id)
    seen = {}

    def fill(dialog):
        dialog.full_name.setText(_unit_named("市财政局").full_name)
        dialog.short_name.setText("财政")
        dialog.ok_button.click()
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error_text("full_name")
        dialog.cancel_button.click()

    answer_dialog(qtbot, page.add_child_button.click, fill)
    assert seen["open"] and "不能重复" in seen["error"]
    assert not any(u.name == "财政" for u in units.list_units())


def test_edit_changes_full_name_and_kind(qtbot, page):
    town = _unit_named("青山镇")
    page.select_unit(town.id)

    def fill(dialog):
        assert dialog.full_name.text() == town.full_name
        dialog.full_name.setText(town.full_name + "人民政府")
        dialog.ok_button.click()

    answer_dialog(qtbot, page.edit_button.click, fill)
    assert units.get_unit(town.id).full_name == town.full_name + "人民政府"
    assert page.item_of(town.id).toolTip(0) == town.full_name + "人民政府"


def test_staffing_edited_beside_the_tree_over_staffing_red(qtbot, page, window):
    table = staffing.staffing_table()
    finance = units.get_unit(max(table, key=lambda uid: (table[uid].filled, len(table[uid].lines))))
    page.select_unit(finance.id)
    filled = {line.rank: line.filled for line in table[finance.id].lines}
    assert len([n for n in filled.values() if n]) >= 2
    rank = max(filled, key=filled.get)

    def fill(dialog):
        for code, spin in dialog.spins.items():
            spin.setValue(filled.get(code, 0))
        dialog.spins[rank].setValue(filled[rank] - 1)
        row = list(dialog.spins).index(rank)
        assert dialog.table.item(row, 4).text() == "1"  # 超职数, as it is typed
        dialog.ok_button.click()

    answer_dialog(qtbot, page.staffing_button.click, fill)
    summary = staffing.unit_staffing(finance.id)
    assert summary.over == 1 and summary.vacant == 0
    model = page.staffing_model
    row = next(i for i in range(model.rowCount()) if model.row(i).rank == rank)
    assert model.data(model.index(row, 4)) == "1"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole).color() == QColor("#b3261e")
    item = page.item_of(finance.id)
    assert item.foreground(4).color() == QColor("#b3261e") and "超职数配备" in item.toolTip(4)
    assert "超职数配备 1 名" in page.staffing_note.text()


def test_move_and_delete_by_their_buttons(qtbot, page, boxes):
    created = units.create_unit("临时组", _unit_named("市直机关").id, "市直", "兴平临时工作组")
    window_units = page.context.units_changed
    window_units.emit()
    page.select_unit(created.id)
    group = _unit_named("市属企事业单位")

    def pick(dialog):
        dialog.combo.setCurrentIndex(dialog.combo.findData(group.id))
        dialog.ok_button.click()

    answer_dialog(qtbot, page.move_button.click, pick)
    assert units.get_unit(created.id).parent_id == group.id
    page.select_unit(created.id)
    boxes.answers.append("删除")
    page.delete_button.click()
    assert not any(u.id == created.id for u in units.list_units())
    busy = _unit_named("市委办")
    page.select_unit(busy.id)
    page.delete_button.click()  # confirmed, then refused: it has cadres
    assert "不能删除" in boxes.texts()[-1]


def test_move_into_own_subtree_refused(page, boxes):
    top = _unit_named("市直机关")
    child = _unit_named("市委办")
    assert page.move_to(top.id, child.id) is False
    assert "下级" in boxes.texts()[-1]
    assert units.get_unit(top.id).parent_id is None


# ---- who we are -------------------------------------------------------------------------------------


def test_settings_page_sets_the_department(qtbot, window):
    page = window.show_module("settings")
    assert page.values["department.full_name"].text() == settings.department().full_name

    def fill(dialog):
        dialog.editors["department.full_name"].setText("中共兴平市委组织部")
        dialog.editors["department.short_name"].setText("市委组织部")
        dialog.editors["department.place"].setText("兴平市")
        dialog.ok_button.click()

    answer_dialog(qtbot, page.edit_button.click, fill)
    assert settings.department().full_name == "中共兴平市委组织部"
    assert page.values["department.full_name"].text() == "中共兴平市委组织部"


@pytest.fixture
def bare_window(qtbot, db, db_path):
    """A window on a new database: one unit, one cadre, who we are not set yet."""
    from cadre_desk.profiles import cadres

    unit = units.create_unit("市财政局")
    cadres.save_profile(make_profile(unit.id))
    win = _window(qtbot, db_path)
    yield win
    win.context.tasks.wait_all(5000)


def test_first_start_asks_who_we_are_once(qtbot, bare_window):
    from ui.settings.settings_view import ask_department_if_unset

    seen = {}

    def fill(dialog):
        seen["cancel"] = dialog.cancel_button.text()
        dialog.ok_button.click()  # nothing typed: refused at the field
        seen["error"] = dialog.error_text("department.full_name")
        dialog.editors["department.full_name"].setText("中共兴平市委组织部")
        dialog.editors["department.short_name"].setText("市委组织部")
        dialog.editors["department.place"].setText("兴平市")
        dialog.ok_button.click()

    answer_dialog(qtbot, lambda: ask_department_if_unset(bare_window), fill)
    assert seen == {"cancel": "以后再说", "error": "请填写组织部全称"}
    assert settings.department().is_set
    assert ask_department_if_unset(bare_window) is False  # set: not asked again


def test_first_start_tells_a_clerk_instead_of_asking(qtbot, bare_window):
    from cadre_desk.access import context, scope
    from cadre_desk.security import accounts
    from ui.settings.settings_view import UNSET_NOTE, ask_department_if_unset

    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    clerk = accounts.create_user(accounts.UserInfo(None, "clerk", "张干事", (accounts.ROLE_CLERK,)), "Clerk#2024")
    context.set_operator(accounts.operator_for(clerk))
    scope.changed()
    said = []
    bare_window.context.status_message.connect(said.append)
    assert ask_department_if_unset(bare_window) is False
    assert said == [UNSET_NOTE]


def test_a_clerk_of_one_county_starts_at_it_and_the_other_units_say_they_are_not_theirs(qtbot, demo_db, db_path):
    """A 经办人 of 东城区 opened 单位管理 on 市直机关 with 0 干部 beside every unit (the counts are of the
    cadres they may see) and 查看本单位干部 gave an empty roster with no word why."""
    from tests.conftest import acting_as
    from ui.units.units_view import DIRECT, OUTSIDE, TOTAL

    county = _unit_named("东城区")
    city = _unit_named("市直机关")
    with acting_as("经办人", units=(county.id,)):
        win = _window(qtbot, db_path)
        page = win.show_module("units")
        assert page.current_unit_id() == county.id
        assert page.show_cadres_button.isEnabled()
        assert int(page.item_of(county.id).text(TOTAL)) > 0
        from cadre_desk.units import units

        own = sum(1 for u in units.list_units() if u.path.startswith(county.path))
        assert len(units.list_units()) > own
        assert page.summary.text().startswith(f"共 {own} 个单位（您负责的范围）"), page.summary.text()
        outside = page.item_of(city.id)
        assert outside.text(DIRECT) == "" and outside.text(TOTAL) == ""
        assert OUTSIDE in outside.toolTip(0)
        page.select_unit(city.id)
        assert not page.show_cadres_button.isEnabled()
        assert OUTSIDE in page.show_cadres_button.toolTip() and OUTSIDE in page.details.text()
        win.context.tasks.wait_all(5000)


def test_the_staffing_table_is_as_wide_as_its_titles_in_a_wider_font(qtbot, db, wider_font):
    """--screenshot with the bundled fonts (their bold drawn by thickening the Song face) found 核定职数
    needing 73 px of a column set to 70: each column is at least as wide as its title in the font used."""
    from ui.shell.context import AppContext
    from ui.shell.features import register_all
    from ui.units import units_view
    from ui.widgets.columns import title_width

    register_all()
    context = AppContext(None)
    wider_font(1.5)
    page = units_view.UnitsPage(context)
    qtbot.addWidget(page)
    header = page.staffing_view.horizontalHeader()
    for column in range(header.count() - 1):  # the last one stretches
        assert header.sectionSize(column) >= title_width(header, column, spare=0), column
