"""An open form (FormDialog) filled in counts where the program gathers unsaved edits before leaving: 退出,
注销 / 切换用户, 从备份恢复 and a forced 重新登录 list it by its title in the one question; 保存 runs its own
确定 (saved and closed, or refused with its messages shown and the leaving stopped); the idle lock's 退出程序
names it as lost. A form hidden and shown again keeps what was typed as changes."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from tests.test_session_keys import _window as _logged_in_window  # noqa: E402
from tests.test_session_keys import people  # noqa: E402, F401 - the fixture


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


def _window(qtbot, context):
    from ui.shell.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not None)
    qtbot.wait(100)  # the page's first read, begun from the event loop once painted …
    window.context.tasks.wait_all(10000)  # … done before the window may close
    return window


def _line_form(qtbot, parent, name="第一战线"):
    """新增战线 open over ``parent`` with ``name`` typed (not yet saved)."""
    from ui.postings.line_post_dialogs import LineDialog

    form = LineDialog(parent=parent)
    qtbot.addWidget(form, before_close_func=lambda d: d.done(0))
    form.show()
    assert not form.has_changes()
    form.name.setText(name)
    return form


def _lines():
    from cadre_desk.postings import frontline_posts

    return [line.name for line in frontline_posts.list_lines()]


def test_quitting_lists_an_open_form_by_its_title(qtbot, context, boxes):
    window = _window(qtbot, context)
    form = _line_form(qtbot, window)

    boxes.answers.append("取消")
    window.close()
    title, text, buttons = boxes.shown[-1]
    assert title == "退出" and buttons == ["保存", "不保存", "取消"]
    assert "· 新增战线" in text
    assert window.isVisible() and form.isVisible() and form.name.text() == "第一战线"  # 取消: all kept

    boxes.answers.append("不保存")
    window.close()
    assert not window.isVisible() and not form.isVisible()
    assert "第一战线" not in _lines()
    assert len(boxes.shown) == 2  # no second question from the form's own 取消


def test_save_on_quitting_runs_the_forms_ok(qtbot, context, boxes):
    from PySide6.QtWidgets import QDialog

    window = _window(qtbot, context)
    form = _line_form(qtbot, window, "第二战线")
    boxes.answers.append("保存")
    window.close()
    assert "第二战线" in _lines()
    assert form.result() == QDialog.DialogCode.Accepted and form.result_value.name == "第二战线"
    assert not window.isVisible()


def test_a_form_refusing_its_save_stops_the_quitting_with_its_messages_shown(qtbot, context, boxes):
    window = _window(qtbot, context)
    form = _line_form(qtbot, window, "第三战线")
    form.name.setText("")
    form.months.setValue(9)  # changed, but no name: refused
    boxes.answers.append("保存")
    window.close()
    assert window.isVisible() and form.isVisible()
    assert form.error_text("name")
    assert form.months.value() == 9


def test_a_form_of_choices_is_not_counted(qtbot, context, boxes):
    from PySide6.QtWidgets import QLineEdit

    from ui.widgets.form_dialog import FormDialog

    class Choices(FormDialog):
        title = "导出选项"
        asks_before_closing = False

    window = _window(qtbot, context)
    form = Choices(window)
    qtbot.addWidget(form, before_close_func=lambda d: d.done(0))
    form.add_field("x", "文件名：", QLineEdit())
    form.show()
    form.fields["x"][0].setText("名册")
    window.close()
    assert not boxes.shown and not window.isVisible()


def test_log_out_lists_an_open_form(qtbot, context, boxes):
    from ui.widgets import unsaved

    window = _window(qtbot, context)
    _line_form(qtbot, window)
    boxes.answers.append("取消")
    assert not unsaved.settle(window, "注销")
    title, text, _buttons = boxes.shown[-1]
    assert title == "注销" and "· 新增战线" in text


def test_the_idle_locks_quit_names_the_form_as_lost(qtbot, people, db_path, boxes):  # noqa: F811
    from tests.test_drafts import _quitting

    window = _logged_in_window(qtbot, db_path, "admin", "Admin@2024x")
    form = _line_form(qtbot, window)
    factory, seen = _quitting(window, boxes)
    assert not window.context.idle_watcher.lock(factory)
    title, text, _buttons = seen[0]
    assert title == "退出程序" and "退出程序后将丢失：\n· 新增战线" in text
    assert not form.isVisible() and "第一战线" not in _lines()


def test_a_forced_login_names_the_form_it_closes_unsaved(qtbot, people, db_path, boxes, monkeypatch):  # noqa: F811
    from ui.shell import session

    window = _logged_in_window(qtbot, db_path, "admin", "Admin@2024x")
    _line_form(qtbot, window)
    monkeypatch.setattr(session, "_log_in_again", lambda context, title: True)
    window.context.session_must_end.emit("恢复后的数据库中，当前账号已不存在或已改变。")
    _title, text, _buttons = boxes.shown[-1]
    assert "· 新增战线" in text and "不会保存" in text


def test_a_form_hidden_and_shown_again_keeps_its_changes(qtbot, context, boxes):
    window = _window(qtbot, context)
    form = _line_form(qtbot, window)
    form.hide()  # the idle lock hides every window, and shows them again once unlocked
    form.show()
    assert form.has_changes()
    boxes.answers.append("继续填写")
    form.reject()
    assert form.isVisible() and boxes.shown[-1][0] == "新增战线"
    form.remember_fields()  # only an explicit call takes what it shows as what it opened with
    assert not form.has_changes()


def test_restoring_a_backup_lists_an_open_form_first(qtbot, tmp_path, db_path, db, unit, boxes, monkeypatch):
    from tests.test_restore_edits import _renamed_before_a_restore
    from ui.security import security

    window, _dialog, _cadre_id = _renamed_before_a_restore(qtbot, tmp_path, db_path, unit, monkeypatch)
    form = _line_form(qtbot, window)
    boxes.answers.extend(["恢复", "取消"])
    security.restore_database(window.context)
    title, text, _buttons = boxes.shown[1]
    assert title == "从备份恢复" and "· 干部档案 — 甲" in text and "· 新增战线" in text
    assert window.context.tasks.running() == 0 and form.isVisible() and form.name.text() == "第一战线"


def test_unlocking_shows_the_form_again_with_its_typing_still_unsaved(qtbot, people, db_path, boxes):  # noqa: F811
    from ui.security.login_dialog import LockDialog

    window = _logged_in_window(qtbot, db_path, "admin", "Admin@2024x")
    form = _line_form(qtbot, window)

    def factory():
        lock = LockDialog()

        def run() -> int:
            lock.password.setText("Admin@2024x")
            lock.submit()
            return lock.result()

        lock.exec = run
        return lock

    assert window.context.idle_watcher.lock(factory)
    assert form.isVisible() and form.name.text() == "第一战线" and form.has_changes()
    boxes.answers.append("取消")
    window.close()
    assert "· 新增战线" in boxes.shown[-1][1] and window.isVisible()


def test_a_pair_form_at_the_idle_lock_is_named_as_lost_not_kept_as_a_draft(qtbot, people, db_path,  # noqa: F811
                                                                          boxes):
    """新建导师帮带结对 has a PairDraft of its own (its checks), not a 草稿 the lock could keep."""
    from tests.test_drafts import _quitting, _rows
    from ui.mentoring.pair_dialogs import PairDialog

    window = _logged_in_window(qtbot, db_path, "admin", "Admin@2024x")
    form = PairDialog(window.context, parent=window)
    qtbot.addWidget(form, before_close_func=lambda d: d.done(0))
    form.show()
    form.focus.setText("招商引资")
    factory, seen = _quitting(window, boxes)
    assert not window.context.idle_watcher.lock(factory)
    title, text, _buttons = seen[0]
    assert title == "退出程序" and "退出程序后将丢失：\n· 新建导师帮带结对" in text and "草稿" not in text
    assert not _rows()


def test_a_form_saving_with_progress_stops_the_quitting_until_it_is_saved(qtbot, context, boxes):
    from PySide6.QtWidgets import QDialog, QLineEdit

    from ui.widgets.form_dialog import FormDialog

    class Batch(FormDialog):
        title = "批量下发"

        def save_work(self):
            typed = self.name.text()
            return lambda _progress: typed

    window = _window(qtbot, context)
    form = Batch(window)
    form.context = context
    form.name = form.add_field("name", "名称：", QLineEdit())
    qtbot.addWidget(form, before_close_func=lambda d: d.done(0))
    form.show()
    form.name.setText("第一批")
    boxes.answers.append("保存")
    window.close()
    assert "· 批量下发" in boxes.shown[-1][1] and window.isVisible()  # the save runs: not left yet
    qtbot.waitUntil(lambda: not form.isVisible())
    assert form.result() == QDialog.DialogCode.Accepted and form.result_value == "第一批"
    window.close()
    assert not window.isVisible() and len(boxes.shown) == 1


def test_what_is_filled_in_before_the_form_first_shows_is_what_it_opened_with(qtbot, context, boxes):
    from ui.postings.line_post_dialogs import LineDialog

    form = LineDialog()
    qtbot.addWidget(form, before_close_func=lambda d: d.done(0))
    form.remember_fields()  # early (a subclass's __init__) …
    form.name.setText("预填的战线")  # … then its caller fills a field before showing it
    form.show()
    assert not form.has_changes() and not form.has_unsaved()
    form.name.setText("改过的战线")
    assert form.has_unsaved()


def test_a_form_that_hands_its_choice_back_is_named_as_lost_not_acted_on_behind_a_closed_window(
        qtbot, context, boxes, monkeypatch):
    """移动单位 only hands the new parent back: its caller moves the unit once the form's exec returns — after
    the window has closed when 保存 on quitting ran its 确定. So it is named as lost and closed as by 取消."""
    from cadre_desk.units import units
    from tests.conftest import answer_dialog

    county = units.create_unit("临江县", None, "县区", "临江县")
    office = units.create_unit("办公室", None, "市直", "市委办公室")
    window = _window(qtbot, context)
    page = window.show_module("units")
    page.reload()
    qtbot.waitUntil(lambda: page.item_of(office.id) is not None)
    page.select_unit(office.id)
    moved = []
    real_move = units.move_unit
    monkeypatch.setattr(units, "move_unit", lambda *a: moved.append(window.isVisible()) or real_move(*a))

    def quit_from_the_form(dialog):
        dialog.combo.setCurrentIndex(dialog.combo.findData(county.id))
        assert dialog.has_unsaved()
        boxes.answers.append("退出")
        window.close()

    answer_dialog(qtbot, page.move, quit_from_the_form)
    title, text, buttons = boxes.shown[-1]
    assert title == "退出" and sorted(buttons) == sorted(["退出", "取消"])
    assert "将丢失：\n· 移动单位 — 办公室" in text
    assert not window.isVisible() and moved == [] and units.get_unit(office.id).parent_id is None


def test_a_form_that_hands_back_is_listed_apart_from_the_forms_that_save(qtbot, context, boxes):
    from cadre_desk.units import units
    from ui.units.unit_dialogs import MoveDialog

    county = units.create_unit("临江县", None, "县区", "临江县")
    office = units.create_unit("办公室", None, "市直", "市委办公室")
    window = _window(qtbot, context)
    line = _line_form(qtbot, window, "第四战线")
    move = MoveDialog(units.get_unit(office.id), units.list_units(), window)
    qtbot.addWidget(move, before_close_func=lambda d: d.done(0))
    move.show()
    move.combo.setCurrentIndex(move.combo.findData(county.id))
    boxes.answers.append("保存")
    window.close()
    _title, text, buttons = boxes.shown[-1]
    assert buttons == ["保存", "不保存", "取消"] and "· 新增战线" in text and "将丢失：\n· 移动单位 — 办公室" in text
    assert "第四战线" in _lines() and not line.isVisible()
    assert not move.isVisible() and move.result() == 0 and not window.isVisible()
