"""用户管理 page: the buttons do what they say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import answer_dialog


@pytest.fixture
def admin_db(db):
    from cadre_desk.access import context
    from cadre_desk.security import accounts
    from cadre_desk.units import units

    units.create_unit("市直机关")
    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    yield db
    context.set_operator(None)


def _page(qtbot):
    from ui.security.users_view import UsersPage
    from ui.shell.context import AppContext

    page = UsersPage(AppContext())
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    return page


def test_add_user_button_opens_the_new_user_form_and_creates_the_user(qtbot, admin_db, boxes):
    from cadre_desk.security import accounts
    from ui.security.users_view import UserDialog

    page = _page(qtbot)
    assert page.table.rowCount() == 1 and page.table.currentRow() < 0  # nobody selected

    def fill(dialog):
        assert isinstance(dialog, UserDialog) and dialog.windowTitle() == "新增用户"
        dialog.username.setText("clerk1")
        dialog.display.setText("王经办")
        dialog.role.setCurrentIndex(dialog.role.findData(accounts.ROLE_CLERK))
        dialog.password.setText("Clerk#2024x")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.buttons["add"], Qt.LeftButton), fill)
    assert boxes.texts() == []  # no "请先选择一个用户"
    assert "clerk1" in [u.username for u in accounts.list_users()]
    assert page.table.rowCount() == 2


def test_new_user_form_shows_the_refusal_at_the_field_and_keeps_the_typing(qtbot, admin_db):
    from cadre_desk.security import accounts

    page = _page(qtbot)

    def refuse(dialog):
        dialog.display.setText("无名")
        dialog.password.setText("Clerk#2024x")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        assert dialog.isVisible()
        assert dialog.error_text("username") == "请填写用户名。"
        assert dialog.display.text() == "无名"

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.buttons["add"], Qt.LeftButton), refuse)
    assert [u.username for u in accounts.list_users()] == ["admin"]


def test_edit_button_without_a_selection_asks_to_select(qtbot, admin_db, boxes):
    page = _page(qtbot)
    qtbot.mouseClick(page.buttons["edit"], Qt.LeftButton)
    assert boxes.texts() == ["请先选择一个用户。"]


def test_edit_button_opens_the_selected_user(qtbot, admin_db):
    page = _page(qtbot)
    page.table.selectRow(0)

    def check(dialog):
        assert dialog.windowTitle() == "修改用户 admin" and not dialog.username.isEnabled()
        dialog.display.setText("管理员甲")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.buttons["edit"], Qt.LeftButton), check)
    assert page.table.item(0, 1).text() == "管理员甲"


def test_reset_and_unlock_without_a_selection_ask_to_select(qtbot, admin_db, boxes):
    """重置密码 and 解除锁定 did nothing at all when no user was selected; 解除锁定 of a user who is not
    locked said nothing either."""
    page = _page(qtbot)
    qtbot.mouseClick(page.buttons["reset"], Qt.LeftButton)
    qtbot.mouseClick(page.buttons["unlock"], Qt.LeftButton)
    assert boxes.texts() == ["请先选择一个用户。", "请先选择一个用户。"]
    page.table.selectRow(0)
    qtbot.mouseClick(page.buttons["unlock"], Qt.LeftButton)
    assert boxes.texts()[-1] == "admin 未被锁定，无须解除。"


def test_a_database_without_accounts_says_what_the_first_user_does(qtbot, db):
    """An empty user list under 共 0 个用户 did not say that anyone may open the program until a first
    user (the administrator) is added."""
    page = _page(qtbot)
    assert page.table.rowCount() == 0
    assert "还没有账号" in page.status.text() and "系统管理员" in page.status.text()


def test_the_own_account_and_the_last_administrator_keep_their_role_and_enabled(qtbot, admin_db):
    """Editing the own account (or the only administrator) offered 启用 and 角色; unticking 启用 was
    refused at 保存 (or, with a second administrator, saved while the session went on)."""
    from cadre_desk.access import context
    from cadre_desk.security import accounts
    from ui.security.users_view import UserDialog

    admin = accounts.list_users()[0]
    dialog = UserDialog(admin)
    qtbot.addWidget(dialog)
    assert not dialog.active.isEnabled() and not dialog.role.isEnabled()
    assert "另一名系统管理员" in dialog.kept_note.text()
    second = accounts.create_user(accounts.UserInfo(None, "admin2", "管理员乙", (accounts.ROLE_ADMIN,)), "Admin@2024y")
    clerk = accounts.create_user(accounts.UserInfo(None, "clerk", "王经办", (accounts.ROLE_CLERK,)), "Clerk#2024x")
    for other in (second, clerk):  # another administrator (not the last), a clerk: both may change
        dialog = UserDialog(other)
        qtbot.addWidget(dialog)
        assert dialog.active.isEnabled() and dialog.role.isEnabled()
    context.set_operator(accounts.operator_for(second))
    accounts.update_user(accounts.UserInfo(**{**accounts.get_user(admin.id).__dict__, "active": False}))
    context.set_operator(accounts.operator_for(clerk))  # seen by nobody's session: the last admin is kept
    dialog = UserDialog(accounts.get_user(second.id))
    qtbot.addWidget(dialog)
    assert not dialog.active.isEnabled() and "请先新增或启用另一名系统管理员" in dialog.kept_note.text()


def test_administrator_and_auditor_have_no_unit_scope_to_choose_or_show(qtbot, admin_db):
    """系统管理员 and 安全审计员 read no cadre: the list said 负责单位 全部单位 for them, and the form let a
    unit be ticked (and kept) for them."""
    from PySide6.QtCore import Qt

    from cadre_desk.security import accounts
    from ui.security.users_view import NO_SCOPE, UserDialog

    page = _page(qtbot)
    dialog = UserDialog(None)
    qtbot.addWidget(dialog)
    dialog.username.setText("shenji")
    item = next(iter(dialog.unit_items.values()))
    item.setCheckState(0, Qt.Checked)
    assert dialog.tree.isEnabled()  # 查阅人 by default: units to choose
    dialog.role.setCurrentIndex(dialog.role.findData(accounts.ROLE_AUDITOR))
    assert not dialog.tree.isEnabled() and dialog.info().unit_scopes == ()
    dialog.role.setCurrentIndex(dialog.role.findData(accounts.ROLE_CLERK))
    assert dialog.tree.isEnabled() and dialog.info().unit_scopes == (item.data(0, Qt.UserRole),)
    page.refresh()
    assert page.table.item(0, 3).text() == NO_SCOPE
