"""Session and keyboard (issue 15 item 10): who is logged in on the status bar, 注销 / 切换用户 from the
menu (unsaved edits asked about first, back to the login dialog), the idle lock keeps an open profile
with its edits, Ctrl+F / Ctrl+P / F5 on the page, Ctrl+S and Esc in dialogs, all listed under 帮助."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from tests.conftest import make_profile


@pytest.fixture
def people(db, db_path):
    """An administrator, a clerk (李经办) of the unit with a cadre, an auditor."""
    from cadre_desk.access import context
    from cadre_desk.features import register_all
    from cadre_desk.profiles import cadres
    from cadre_desk.security import accounts
    from cadre_desk.units import units

    register_all()
    root = units.create_unit("市直机关")
    cadre = cadres.save_profile(make_profile(root.id, name="王档案")).profile  # before accounts: 本机
    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    accounts.create_user(accounts.UserInfo(None, "auditor", "孙审计", (accounts.ROLE_AUDITOR,)), "Audit#2024")
    accounts.create_user(accounts.UserInfo(None, "clerk", "李经办", (accounts.ROLE_CLERK,), (root.id,)),
                         "Clerk#2024")
    context.set_operator(None)
    accounts.enforce_login(True)
    yield cadre.id
    accounts.enforce_login(False)


def _window(qtbot, db_path, username, password):
    from cadre_desk.security import accounts
    from ui.security import security
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    accounts.login(username, password)
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    window.show()
    security.after_login(window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not None)
    return window


def _menu_action(window, menu: str, text: str):
    return next(a for a in window.menus[menu].actions() if a.text().split("\t")[0] == text)


def _profile(qtbot, window, cadre_id):
    from ui.profiles.profile_dialog import ProfileDialog

    dialog = ProfileDialog(window.context, cadre_id, window)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    return dialog


def _login_as(monkeypatch, username, password, seen: list):
    from ui.security.login_dialog import LoginDialog

    def run(dialog) -> int:
        seen.append(dialog.windowTitle())
        if username is None:
            return QDialog.DialogCode.Rejected
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", run)


def test_status_bar_names_who_is_logged_in(qtbot, people, db_path):
    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    assert window.operator_label.text() == "当前用户：李经办（经办人）"
    assert "李经办" in window.windowTitle()
    assert window.operator_label.isVisibleTo(window.statusBar())


def test_switch_user_asks_about_unsaved_edits_then_logs_in_again(qtbot, people, db_path, boxes, monkeypatch):
    from cadre_desk.access.context import current_operator
    from cadre_desk.security import audit

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王改名")
    assert dialog.has_unsaved()
    logins: list[str] = []
    _login_as(monkeypatch, "auditor", "Audit#2024", logins)

    boxes.answers.append("取消")
    _menu_action(window, "文件", "切换用户").trigger()
    assert "未保存的修改" in boxes.shown[-1][1] and boxes.shown[-1][2] == ["保存", "不保存", "取消"]
    assert dialog.isVisible() and current_operator().username == "clerk" and not logins

    boxes.answers.append("不保存")
    _menu_action(window, "文件", "切换用户").trigger()
    assert not dialog.isVisible() and logins
    assert current_operator().username == "auditor" and window.isVisible()
    assert window.operator_label.text() == "当前用户：孙审计（安全审计员）"
    assert window.stack.currentWidget() is window.page("audit")  # pages made afresh for the auditor
    logouts = audit.search(action=audit.LOGOUT)  # the auditor reads the log
    assert logouts and logouts[0].user == "clerk" and "切换用户" in logouts[0].summary


def test_log_out_saves_when_asked_and_quits_when_nobody_logs_in(qtbot, people, db_path, boxes, monkeypatch):
    from cadre_desk.access.context import current_operator
    from cadre_desk.profiles import cadres

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王保存")
    logins: list[str] = []
    _login_as(monkeypatch, None, None, logins)
    boxes.answers.append("保存")
    _menu_action(window, "文件", "注销").trigger()
    assert logins and current_operator().user_id is None and not window.isVisible()
    from cadre_desk.access import context
    from cadre_desk.security import accounts

    context.set_operator(accounts.operator_for(accounts.get_user(3)))
    assert cadres.get_profile(people).name == "王保存"


def test_idle_lock_keeps_an_open_profile_and_its_edits(qtbot, people, db_path):
    from ui.security.login_dialog import LockDialog

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    watcher = window.context.idle_watcher
    states: list = []

    def unlocking():
        lock = LockDialog()
        lock.password.setText("Clerk#2024")
        lock.exec = lambda: (states.append(("locked", window.isVisible(), profile().isVisible())),
                             lock.submit(), lock.result())[-1]
        return lock

    def profile():
        from ui.profiles.profile_dialog import ProfileDialog

        return next(w for w in window.findChildren(ProfileDialog))

    def inside_the_open_profile():
        dialog = profile()
        dialog.cells["name"].editor.setText("王未存")
        assert watcher.lock(unlocking)
        states.append(("unlocked", dialog.isVisible(), dialog.cells["name"].editor.text(), dialog.has_unsaved()))
        dialog.done(0)

    QTimer.singleShot(50, inside_the_open_profile)
    window.context.open_profile(people, window)  # the dialog's exec, as a clerk opens it
    assert states[0] == ("locked", False, False)  # nothing of the profile shows while locked
    assert states[1] == ("unlocked", True, "王未存", True)


def _three_wrong_passwords(qtbot, monkeypatch, people):
    """The account locks after three wrong passwords; the lock screen waits 20 ms, 40 ms … between tries."""
    from cadre_desk.access import context
    from cadre_desk.security import accounts
    from cadre_desk.settings import settings
    from ui.security.login_dialog import LockDialog

    operator = context.current_operator()
    context.set_operator(accounts.operator_for(accounts.get_user(1)))
    settings.put("security.max_failures", 3)
    context.set_operator(operator)
    monkeypatch.setattr(LockDialog, "WAIT_UNIT_MS", 20, raising=False)

    def try_three(lock) -> list[bool]:
        waited = []
        for _ in range(3):
            qtbot.waitUntil(lock.ok_button.isEnabled)
            lock.password.setText("Wrong#2024")
            lock.submit()
            waited.append(not lock.ok_button.isEnabled())
        return waited

    return try_three


def test_wrong_passwords_at_the_idle_lock_keep_it_locked_with_the_edits(qtbot, people, db_path, boxes,
                                                                          monkeypatch):
    """Three wrong passwords (the account locks): the program stays locked, the profile's edit is kept
    and nothing saved or logged out; the owner's password, once the account's lock has passed, shows the
    profile again with the edit."""
    import datetime as _dt

    from cadre_desk.access.context import current_operator
    from cadre_desk.domain import clock
    from cadre_desk.profiles import cadres
    from ui.security.login_dialog import LockDialog

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    watcher = window.context.idle_watcher
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王未存")
    try_three = _three_wrong_passwords(qtbot, monkeypatch, people)
    seen: dict = {}

    def locking():
        lock = LockDialog()

        def run() -> int:
            lock.show()
            seen["waited"] = try_three(lock)
            qtbot.wait(1700)  # the lock screen used to close itself 1.5 s after the account locked
            seen["while locked"] = (lock.isVisible(), window.isVisible(), dialog.isVisible(),
                                    current_operator().username, cadres.get_profile(people).name)
            lock.password.setText("Clerk#2024")
            lock.submit()
            seen["right password, account locked"] = lock.result()
            clock.set_now(clock.now() + _dt.timedelta(minutes=31))
            qtbot.waitUntil(lock.ok_button.isEnabled)
            lock.password.setText("Clerk#2024")
            lock.submit()
            return lock.result()

        lock.exec = run
        return lock

    assert watcher.lock(locking)
    assert seen["while locked"] == (True, False, False, "clerk", "王档案")
    assert seen["waited"] == [False, True, True]  # no wait after the first, then 20 ms, 40 ms
    assert seen["right password, account locked"] != QDialog.DialogCode.Accepted
    assert window.isVisible() and dialog.isVisible() and current_operator().username == "clerk"
    assert dialog.cells["name"].editor.text() == "王未存" and dialog.has_unsaved()
    assert cadres.get_profile(people).name == "王档案"  # nothing saved while locked
    assert not [b for b in boxes.shown if "保存" in b[2]]  # and nobody was asked to save


def test_quitting_from_the_idle_lock_names_the_edits_and_saves_nothing(qtbot, people, db_path, boxes,
                                                                         monkeypatch):
    """退出程序 is the lock screen's only other way: it names the unsaved edits (返回 stays locked) and
    quits without saving them as the user, whoever clicked it."""
    from cadre_desk.access import context
    from cadre_desk.profiles import cadres
    from cadre_desk.security import accounts
    from ui.security.login_dialog import LockDialog

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    watcher = window.context.idle_watcher
    quits = []
    watcher.on_quit = lambda: quits.append(window.close())
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王未存")
    title = dialog.windowTitle()
    try_three = _three_wrong_passwords(qtbot, monkeypatch, people)
    seen: list = []

    def locking():
        lock = LockDialog()

        def run() -> int:
            lock.show()
            try_three(lock)
            boxes.answers.append("返回")
            lock.cancel_button.click()
            seen.append((lock.isVisible(), lock.result()))
            boxes.answers.append("退出程序")
            lock.cancel_button.click()
            return lock.result()

        lock.exec = run
        return lock

    assert not watcher.lock(locking)
    question = boxes.shown[-1]
    assert question[0] == "退出程序" and title in question[1] and sorted(question[2]) == sorted(["退出程序", "返回"])
    assert seen == [(True, QDialog.DialogCode.Rejected)]  # 返回: still locked
    assert quits == [True] and not window.isVisible() and not dialog.isVisible()
    assert context.current_operator().user_id is None
    assert not [b for b in boxes.shown if "保存" in b[2]]  # no 保存 question to whoever is at the desk
    context.set_operator(accounts.operator_for(accounts.get_user(3)))
    assert cadres.get_profile(people).name == "王档案"


def test_keyboard_on_the_roster(qtbot, people, db_path, monkeypatch):
    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    page = window.show_module("cadres")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    window.activateWindow()
    window.shortcut_actions["search"].trigger()
    assert window.focusWidget() is page.search

    loads = []
    monkeypatch.setattr(page, "load", lambda *a: loads.append(True))
    window.shortcut_actions["refresh"].trigger()
    assert loads and window.statusBar().currentMessage() == "已刷新"

    printed = []
    from ui.shell import registry

    spec = next(s for s in registry.CADRE_ACTIONS if s.title.startswith("打印鉴定报告"))
    monkeypatch.setattr(window, "run_cadre_action", lambda s: printed.append(s.title))
    monkeypatch.setattr(window.context, "selected_cadre_ids", lambda: [people])
    window.shortcut_actions["print"].trigger()
    assert printed == [spec.title]
    assert window.shortcut_actions["search"].shortcut().toString() == "Ctrl+F"
    assert window.shortcut_actions["print"].shortcut().toString() == "Ctrl+P"
    assert window.shortcut_actions["refresh"].shortcut().toString() == "F5"


def test_ctrl_s_saves_and_esc_closes_edit_dialogs(qtbot, people, db_path, boxes):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QFormLayout

    from ui.widgets.form_dialog import FormDialog

    saved = []

    class Edit(FormDialog):
        title = "修改"

        def save(self):
            saved.append(True)

    dialog = Edit()
    qtbot.addWidget(dialog)
    dialog.add_field("name", "名称", QLineEdit())
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QKeySequence(QKeySequence.StandardKey.Save).toString() == "Ctrl+S"
    dialog.fields["name"][0].setFocus()
    qtbot.keyClick(dialog.fields["name"][0], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved and dialog.result() == QDialog.DialogCode.Accepted
    again = Edit()
    qtbot.addWidget(again)
    again.show()
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert not again.isVisible() and not saved[1:]
    assert isinstance(dialog.form, QFormLayout)


def test_help_lists_the_shortcuts_in_chinese(qtbot, people, db_path, boxes):
    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    _menu_action(window, "帮助", "快捷键").trigger()
    title, text, _buttons = boxes.shown[-1]
    assert title == "快捷键"
    for keys in ("Ctrl+F", "Ctrl+S", "Ctrl+P", "F5", "Esc"):
        assert keys in text
    assert "搜索" in text and "保存" in text and "打印" in text and "刷新" in text and "关闭" in text


def test_profile_dialog_keys(qtbot, people, db_path, boxes):
    """In the profile: Ctrl+P opens its 打印 menu, Ctrl+S saves, Esc asks about unsaved edits."""
    from PySide6.QtGui import QShortcut

    from cadre_desk.profiles import cadres

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    dialog = _profile(qtbot, window, people)
    qtbot.waitExposed(dialog)
    name = dialog.cells["name"].editor
    name.setFocus()
    assert dialog.print_action.shortcut().toString() == "Ctrl+P" and dialog.print_action in dialog.actions()
    assert [a.text() for a in dialog.print_button.menu().actions()] == ["鉴定报告…", "干部任免审批表…"]
    name.setText("王快存")
    save_key = next(k for k in dialog.findChildren(QShortcut) if k.key().toString() == "Ctrl+S")
    save_key.activated.emit()
    assert cadres.get_profile(people).name == "王快存" and not dialog.has_unsaved()
    name.setText("王再改")
    boxes.answers.append("取消")
    qtbot.keyClick(name, Qt.Key.Key_Escape)
    assert "不保存" in boxes.shown[-1][2] and dialog.isVisible()
    boxes.answers.append("不保存")
    qtbot.keyClick(name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and cadres.get_profile(people).name == "王快存"
