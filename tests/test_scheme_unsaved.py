"""The 考核方案 editor kept no edits it was not told to drop: choosing another scheme in its list, 新建 /
复制方案 or closing the 工具 → 考核方案… dialog asks 保存 / 不保存 / 取消 first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


@pytest.fixture
def two(db):
    from cadre_desk.appraisal import schemes

    first = schemes.list_schemes()[0]
    second = schemes.copy_scheme(first.id)
    return first, second


def _row(tab, scheme_id) -> int:
    return [tab.list.item(i).data(Qt.UserRole) for i in range(tab.list.count())].index(scheme_id)


def _pick(tab, scheme_id) -> None:
    tab.list.setCurrentRow(_row(tab, scheme_id))
    QApplication.processEvents()  # the question is asked once the list's signal is over


def test_choosing_another_scheme_asks_and_cancel_keeps_the_edits(qtbot, context, two, boxes):
    from ui.appraisal.schemes_tab import UNSAVED, SchemesTab

    first, second = two
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.reload(first.id)
    assert not tab.has_unsaved()
    _pick(tab, second.id)  # nothing typed: no question
    assert tab.current.id == second.id and not boxes.shown
    tab.description.setText("期满考核用")
    boxes.answers = ["取消"]
    _pick(tab, first.id)
    assert boxes.shown[-1][1] == UNSAVED and boxes.shown[-1][2] == ["保存", "不保存", "取消"]
    assert tab.current.id == second.id and tab.description.text() == "期满考核用"
    assert tab.list.currentRow() == _row(tab, second.id)


def test_save_keeps_the_edits_and_moves_on(qtbot, context, two, boxes):
    from cadre_desk.appraisal import schemes
    from ui.appraisal.schemes_tab import SchemesTab

    first, second = two
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.reload(second.id)
    tab.description.setText("期满考核用")
    boxes.answers = ["保存"]
    _pick(tab, first.id)
    assert schemes.get_scheme(second.id).description == "期满考核用"
    assert tab.current.id == first.id and tab.list.currentRow() == _row(tab, first.id)
    assert not tab.has_unsaved()


def test_dont_save_drops_the_edits(qtbot, context, two, boxes):
    from cadre_desk.appraisal import schemes
    from ui.appraisal.schemes_tab import SchemesTab

    first, second = two
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.reload(second.id)
    tab.name.setText("改了名")
    boxes.answers = ["不保存"]
    _pick(tab, first.id)
    assert schemes.get_scheme(second.id).name == second.name
    assert tab.current.id == first.id and tab.name.text() == first.name


def test_new_scheme_asks_too(qtbot, context, two, boxes):
    from ui.appraisal.schemes_tab import UNSAVED, SchemesTab

    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.description.setText("改过")
    boxes.answers = ["取消"]
    tab.new_scheme()
    assert boxes.texts() == [UNSAVED] and tab.description.text() == "改过"


def test_showing_retired_schemes_keeps_the_edits(qtbot, context, two, boxes):
    from ui.appraisal.schemes_tab import SchemesTab

    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.description.setText("改过")
    tab.show_retired.setChecked(True)
    QApplication.processEvents()
    assert tab.description.text() == "改过" and not boxes.shown


def test_closing_the_dialog_asks(qtbot, context, two, boxes):
    from ui.appraisal.schemes_tab import UNSAVED, SchemesDialog

    dialog = SchemesDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tab.description.setText("改过")
    boxes.answers = ["取消"]
    dialog.reject()  # Esc, ✕
    assert dialog.isVisible() and boxes.texts() == [UNSAVED]
    boxes.answers = ["取消"]
    dialog.ok_button.click()  # 关闭
    assert dialog.isVisible()
    boxes.answers = ["不保存"]
    dialog.ok_button.click()
    assert not dialog.isVisible()


def test_a_clerk_is_never_asked(qtbot, context, two, boxes, unit):
    from tests.conftest import acting_as
    from ui.appraisal.schemes_tab import SchemesTab

    first, second = two
    with acting_as("经办人", units=(unit.id,)):
        tab = SchemesTab(context)
        qtbot.addWidget(tab)
        tab.reload(first.id)
        _pick(tab, second.id)
        assert tab.current.id == second.id and not boxes.shown


def test_a_save_refused_keeps_the_editor_on_the_edits(qtbot, context, two, boxes):
    """保存 answered, but the weights do not add up: the refusal is said and nothing moves on."""
    from ui.appraisal.schemes_tab import SchemesTab

    first, second = two
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.reload(second.id)
    tab.dims.table.item(0, 1).setText("30")
    boxes.answers = ["保存"]
    _pick(tab, first.id)
    assert "合计应为 100" in boxes.texts()[-1]
    assert tab.current.id == second.id and tab.dims.table.item(0, 1).text() == "30" and tab.has_unsaved()
    assert tab.list.currentRow() == _row(tab, second.id)
