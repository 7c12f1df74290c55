"""The session in the window: who is logged in (status bar), 注销 / 切换用户 (unsaved edits asked about
first, then back to the login dialog), and the keyboard: Ctrl+F the page's search, Ctrl+P its print,
F5 its refresh, listed under 帮助 → 快捷键 with the dialogs' Ctrl+S and Esc."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QLineEdit, QWidget

from cadre_desk import APP_TITLE
from cadre_desk.access.context import current_operator
from cadre_desk.security import accounts
from ui.widgets import messages, unsaved

# (keys, what they do) as 帮助 → 快捷键 lists them; the window's own are bound in install_shortcuts.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "转到当前页面的搜索框"),
    ("Ctrl+P", "打印当前页面、档案或选中干部的鉴定报告"),
    ("F5", "刷新当前页面"),
    ("Ctrl+N", "新建干部"),
    ("Ctrl+S", "在档案窗口和各编辑窗口中保存"),
    ("Esc", "关闭窗口（有未保存的修改时先询问）"),
    ("Ctrl+Q", "退出程序"),
)


# ---- who is logged in ------------------------------------------------------------------------------


def operator_text() -> str:
    """The status bar's words for who works: 当前用户：张三（经办人）, or nobody logged in."""
    operator = current_operator()
    if operator.user_id is None:
        return "当前用户：本机（未登录）"
    roles = "、".join(sorted(operator.roles))
    return f"当前用户：{operator.label}（{roles}）" if roles else f"当前用户：{operator.label}"


def show_operator(window) -> None:
    label = getattr(window, "operator_label", None)
    if label is None:
        label = QLabel()
        label.setObjectName("operatorLabel")
        window.operator_label = label
        window.statusBar().insertPermanentWidget(0, label)
    label.setText(operator_text())


# ---- 注销 / 切换用户 ----------------------------------------------------------------------------


def end_session(context, title: str) -> bool:
    """注销 / 切换用户: unsaved edits settled, the user logged out (audited), the window hidden behind the
    login dialog; the one who logs in gets the window with pages made afresh for their roles and units.
    False when nothing changed (no accounts, cancelled); the window closes if nobody logs in."""
    window = context.main_window
    if current_operator().user_id is None:
        messages.info(window, title, "尚未建立用户账号，无需注销。可在“工具 → 用户管理”中建立用户。")
        return False
    if not unsaved.settle(window, title):  # every unsaved edit, pages' too, asked about once
        return False
    return _log_in_again(context, title)


def end_session_now(context, reason: str) -> bool:
    """The session cannot go on (a restore replaced the accounts: ``context.session_must_end``): said
    with ``reason``, then the login as after 注销; the window closes if nobody logs in. Nothing is asked:
    the account may no longer save (从备份恢复 settled the edits before it began, and its boxes are modal);
    an unsaved edit still open is named as closed unsaved, never dropped without a word."""
    window = context.main_window
    left = [unsaved.label(h) for h in unsaved.holders(unsaved.windows_of(window))] if window is not None else []
    if left:
        lines = "\n".join(f"· {name}" for name in left)
        messages.warning(window, "重新登录", f"{reason}\n\n以下窗口中未保存的修改是在恢复前的数据上做的，"
                                         f"不能存入恢复后的数据库。这些窗口将关闭，修改不会保存：\n{lines}\n\n请重新登录。")
    else:
        messages.info(window, "重新登录", f"{reason}\n\n请重新登录。")
    return _log_in_again(context, "重新登录")


def _log_in_again(context, title: str) -> bool:
    from ui.security import security

    window = context.main_window
    watcher = getattr(context, "idle_watcher", None)
    if watcher is not None:
        watcher.stop()
        context.idle_watcher = None
    context.tasks.wait_all(10000)
    accounts.logout(title)
    for other in QApplication.topLevelWidgets():
        if other is not window and other.isVisible() and isinstance(other, QDialog):
            other.done(QDialog.DialogCode.Rejected)
    window.forget_pages()
    window.hide()
    show_operator(window)
    if not security.login_before_window(context.db_path.name if context.db_path else "", context.db_readonly,
                                        parent=None):
        window.close()
        return False
    window.show()
    security.after_login(window)
    return True


def log_out(context) -> bool:
    return end_session(context, "注销")


def switch_user(context) -> bool:
    return end_session(context, "切换用户")


# ---- keyboard --------------------------------------------------------------------------------------


def _page(window) -> QWidget | None:
    return window.stack.currentWidget()


def focus_search(window) -> bool:
    """Ctrl+F: the current page's search box (its ``search`` edit, else the first visible line edit)."""
    page = _page(window)
    if page is None:
        return False
    edit = getattr(page, "search", None)
    if not isinstance(edit, QLineEdit) or not edit.isVisible():
        edit = next((e for e in page.findChildren(QLineEdit)
                     if e.isVisible() and e.isEnabled() and not e.isReadOnly()), None)
    if edit is None:
        window.statusBar().showMessage("当前页面没有搜索框", 4000)
        return False
    from PySide6.QtCore import Qt  # not at import: the window's start does without PySide's Qt namespace

    edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
    edit.selectAll()
    return True


def print_current(window) -> bool:
    """Ctrl+P: the page's own 打印 button; on the 干部名册 the selected cadres' 鉴定报告."""
    page = _page(window)
    if page is None:
        return False
    button = next((b for b in page.findChildren(QAbstractButton)
                   if b.text().lstrip("&").startswith("打印") and b.isVisible() and b.isEnabled()), None)
    if button is not None:
        button.click()
        return True
    if getattr(window.context, "selected_cadre_ids", None) and window.context.selected_cadre_ids():
        from ui.shell import registry

        spec = next((s for s in registry.CADRE_ACTIONS if s.title.startswith("打印鉴定报告")), None)
        if spec is not None and window.context.allows(spec.needs):
            window.run_cadre_action(spec)
            return True
    window.statusBar().showMessage("当前页面没有可打印的内容（干部名册中请先选中干部）", 4000)
    return False


def refresh_current(window) -> bool:
    """F5: the page reads its data again (``refresh`` or ``load``)."""
    page = _page(window)
    for name in ("refresh", "load", "reload"):
        method = getattr(page, name, None)
        if callable(method):
            method()
            window.statusBar().showMessage("已刷新", 2000)
            return True
    return False


def show_shortcuts(context) -> None:
    lines = "\n".join(f"{keys}\t{what}" for keys, what in SHORTCUTS)
    messages.info(context.main_window, "快捷键", f"常用快捷键：\n\n{lines}")


def install_shortcuts(window) -> None:
    """The window's Ctrl+F / Ctrl+P / F5, working on whichever page is shown."""
    window.shortcut_actions = {}
    for name, keys, slot in (("search", QKeySequence.StandardKey.Find, focus_search),
                             ("print", QKeySequence.StandardKey.Print, print_current),
                             ("refresh", QKeySequence.StandardKey.Refresh, refresh_current)):
        action = QAction(window)
        action.setShortcuts(keys)  # in the whole window (a QAction's default context, Qt.WindowShortcut)
        action.triggered.connect(lambda _=False, s=slot: s(window))
        window.addAction(action)
        window.shortcut_actions[name] = action


__all__ = ["APP_TITLE", "SHORTCUTS", "end_session", "end_session_now", "install_shortcuts", "log_out", "operator_text",
           "print_current", "refresh_current", "show_operator", "show_shortcuts", "switch_user"]
