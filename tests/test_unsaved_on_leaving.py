"""Nothing typed is lost on leaving: closing the main window asks once (保存 / 不保存 / 取消) about every
unsaved edit — the 考核方案 tab on the 实绩考核 page, open 干部档案 windows — listing them; 取消 keeps the
program open with the edits. 注销 / 切换用户 ask the same way (tests/test_session_keys.py)."""

from __future__ import annotations

import pytest

from tests.conftest import make_profile


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


@pytest.fixture
def cadre_id(unit):
    from cadre_desk.profiles import cadres

    return cadres.save_profile(make_profile(unit.id, name="王档案")).profile.id


def _window(qtbot, context):
    from ui.shell.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not None)
    return window


def _schemes_tab(window):
    page = window.show_module("appraisal")
    page.tabs.setCurrentWidget(page.schemes_tab)
    return page.schemes_tab


def _profile(qtbot, window, cadre_id):
    from ui.profiles.profile_dialog import ProfileDialog

    dialog = ProfileDialog(window.context, cadre_id, window)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    return dialog


def test_closing_the_window_asks_about_the_scheme_being_edited(qtbot, context, boxes):
    from cadre_desk.appraisal import schemes

    window = _window(qtbot, context)
    tab = _schemes_tab(window)
    scheme_id = tab.current.id
    window.show_module("cadres")  # another page shown: the edits on the 实绩考核 page still count
    tab.description.setText("期满考核用")

    boxes.answers.append("取消")
    window.close()
    title, text, buttons = boxes.shown[-1]
    assert title == "退出" and buttons == ["保存", "不保存", "取消"]
    assert f"实绩考核 → 考核方案“{tab.current.name}”" in text
    assert window.isVisible() and tab.description.text() == "期满考核用"  # 取消: still open, edits kept
    assert schemes.get_scheme(scheme_id).description != "期满考核用"

    boxes.answers.append("保存")
    window.close()
    assert not window.isVisible()
    assert schemes.get_scheme(scheme_id).description == "期满考核用"


def test_closing_asks_once_for_the_page_and_an_open_profile(qtbot, context, cadre_id, boxes):
    from cadre_desk.appraisal import schemes
    from cadre_desk.profiles import cadres

    window = _window(qtbot, context)
    tab = _schemes_tab(window)
    scheme_id, before = tab.current.id, tab.current.description
    tab.description.setText("期满考核用")
    dialog = _profile(qtbot, window, cadre_id)
    dialog.cells["name"].editor.setText("王改名")
    shown = len(boxes.shown)

    boxes.answers.append("不保存")
    window.close()
    assert len(boxes.shown) == shown + 1  # one question, no second one from the profile's own 关闭
    text = boxes.shown[-1][1]
    assert text.count("干部档案 — 王档案") == 1 and text.count("实绩考核 → 考核方案") == 1
    assert not window.isVisible() and not dialog.isVisible()
    assert cadres.get_profile(cadre_id).name == "王档案"
    assert schemes.get_scheme(scheme_id).description == before


def test_a_refused_save_keeps_the_program_open(qtbot, context, boxes):
    """保存 that the scheme refuses (weights not adding up to 100): the window stays, showing why."""
    window = _window(qtbot, context)
    tab = _schemes_tab(window)
    tab.dims.table.item(0, 1).setText("99")
    assert tab.has_unsaved()
    boxes.answers.append("保存")
    window.close()
    assert window.isVisible() and tab.has_unsaved()
    assert boxes.shown[-1][0] == "保存考核方案"  # the refusal, said after the question
    boxes.answers.append("不保存")
    window.close()
    assert not window.isVisible()


def test_nothing_typed_closes_without_a_question(qtbot, context, cadre_id, boxes):
    window = _window(qtbot, context)
    _schemes_tab(window)
    _profile(qtbot, window, cadre_id)
    window.close()
    assert not window.isVisible() and not boxes.shown


def test_log_out_and_switch_user_ask_about_the_page_too(qtbot, context, boxes):
    """注销 / 切换用户 settle through the same question (unsaved.settle, as end_session asks): a page's edits count, not
    only separate windows'."""
    from ui.widgets import unsaved

    window = _window(qtbot, context)
    tab = _schemes_tab(window)
    tab.description.setText("期满考核用")
    boxes.answers.append("取消")
    assert unsaved.settle(window, "切换用户") is False
    assert boxes.shown[-1][0] == "切换用户" and "实绩考核 → 考核方案" in boxes.shown[-1][1]
    assert tab.description.text() == "期满考核用"
    boxes.answers.append("不保存")
    assert unsaved.settle(window, "注销") is True
    window.forget_pages()  # as 注销 does next: the edits are gone with the page, not asked about again
    shown = len(boxes.shown)
    window.close()
    assert not window.isVisible() and len(boxes.shown) == shown
