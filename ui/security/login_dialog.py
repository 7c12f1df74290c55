"""Login, first administrator, password change, the idle lock screen and the database passphrase."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from cadre_desk import APP_TITLE
from cadre_desk.domain.errors import CadreDeskError, ValidationError, friendly_error
from cadre_desk.security import accounts
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog

log = logging.getLogger(__name__)

PASSWORD_HINT = "至少 8 位，须包含大写字母、小写字母、数字、符号中的至少三类。"


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(260)
    return edit


class _Form(FormDialog):
    """A small dialog of the security screens: a heading, a form, a message line and OK / Cancel;
    ``submit`` (the OK button) does the work."""

    asks_before_closing = False  # a name and a password: nothing of the user's to lose, no question on Esc

    def __init__(self, title: str, heading: str, ok_text: str, cancel_text: str = "取消", parent=None):
        super().__init__(parent, title, ok_text=ok_text, cancel_text=cancel_text, heading=heading)
        self.setModal(True)
        self.layout_.setContentsMargins(24, 20, 24, 16)
        self.layout_.setSpacing(12)
        self.heading = self.heading_label
        self.heading.setObjectName("dialogHeading")
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(10)
        self.message = self.banner
        self.message.setMinimumWidth(360)
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.submit)

    def add_password_hint(self) -> None:
        """The rules of a password, in grey, the form's next row (under the new password's boxes)."""
        hint = QLabel(PASSWORD_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.form.addRow("", hint)

    def show_message(self, text: str) -> None:
        self.show_banner(text)
        self.adjustSize()

    def submit(self) -> None:  # overridden: checks, then self.accept()
        self.accept()


class LoginDialog(_Form):
    """User name and password. ``user`` is set when accepted; a forced password change follows."""

    def __init__(self, parent=None, db_name: str = ""):
        super().__init__(f"登录 — {APP_TITLE}", "请登录", "登录", "退出", parent)
        if db_name:
            where = QLabel(f"数据库：{db_name}")
            where.setStyleSheet("color: #666;")
            self.layout().insertWidget(1, where)
        self.username = QLineEdit()
        self.username.setMinimumWidth(260)
        self.password = _password_edit()
        self.form.addRow("用户名：", self.username)
        self.form.addRow("密码：", self.password)
        self.user: accounts.UserInfo | None = None
        self.username.setFocus()

    def submit(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.show_message("请输入用户名。")
            return
        try:
            user = accounts.login(name, self.password.text())
        except CadreDeskError as exc:
            self.password.clear()
            self.password.setFocus()
            self.show_message(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - read-only or locked database: said here and logged
            messages.log_problem("登录", exc)
            self.show_message(friendly_error(exc))
            return
        if user.must_change_password:
            change = ChangePasswordDialog(user, self, forced=True, old_password=self.password.text())
            if change.exec() != QDialog.Accepted:
                accounts.logout("未修改初始密码")
                self.show_message("必须先修改初始密码才能使用。")
                return
        self.user = user
        self.accept()


class ChangePasswordDialog(_Form):
    def __init__(self, user: accounts.UserInfo, parent=None, forced: bool = False, old_password: str = ""):
        heading = "首次登录，请修改初始密码" if forced else "修改密码"
        super().__init__("修改密码", heading, "确定", "取消", parent)
        self.user = user
        self.old = _password_edit()
        self.new = _password_edit()
        self.again = _password_edit()
        if old_password:
            self.old.setText(old_password)
        else:
            self.form.addRow("原密码：", self.old)
        self.form.addRow("新密码：", self.new)
        self.form.addRow("确认新密码：", self.again)
        self.add_password_hint()

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.show_message("两次输入的新密码不一致。")
            return
        try:
            accounts.change_password(self.user.id, self.old.text(), self.new.text())
        except ValidationError as exc:
            self.show_message(exc.message())
            return
        self.accept()


class FirstAdminDialog(_Form):
    """First start of a database without accounts: create the system administrator (or later)."""

    def __init__(self, parent=None):
        super().__init__("创建系统管理员", "首次启动：请创建系统管理员账号", "创建", "暂不设置", parent)
        intro = QLabel("创建后，每次启动都须登录。系统管理员负责用户、设置和备份，"
                       "不能查看干部档案；请再为经办人、查阅人、安全审计员分别建立账号。")
        intro.setWordWrap(True)
        intro.setMinimumWidth(380)
        self.layout().insertWidget(1, intro)
        self.username = QLineEdit("admin")
        self.display = QLineEdit("系统管理员")
        self.password = _password_edit()
        self.again = _password_edit()
        self.form.addRow("用户名：", self.username)
        self.form.addRow("姓名：", self.display)
        self.form.addRow("密码：", self.password)
        self.form.addRow("确认密码：", self.again)
        self.add_password_hint()
        self.user: accounts.UserInfo | None = None

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.show_message("两次输入的密码不一致。")
            return
        try:
            self.user, _ = accounts.create_first_admin(self.username.text().strip(), self.password.text(),
                                                       self.display.text().strip())
        except ValidationError as exc:
            self.show_message(exc.message())
            return
        self.accept()


class LockDialog(_Form):
    """The idle lock: only the logged-in user's password opens the window again. A wrong password keeps
    the program locked — each one after the first makes the next try wait longer, and the account's own
    lock (连续输错) still counts — so the owner can always come back and unlock with the edits as they
    were. The only other way out is 退出程序, which saves nothing (whoever stands at the desk may not be the
    account's owner): it names the unsaved edits kept as 草稿 for the account's next login
    (``draft_labels``) and those it drops (``unsaved_labels``)."""

    WAIT_UNIT_MS = 1000  # the wait after the 2nd, 3rd, 4th … wrong password: 1, 2, 4 … units (at most 60)

    def __init__(self, parent=None, unsaved_labels: list[str] | tuple[str, ...] = ()):
        from cadre_desk.access.context import current_operator

        operator = current_operator()
        super().__init__(f"已锁定 — {APP_TITLE}", "程序已锁定", "解锁", "退出程序", parent)
        self.setWindowFlag(Qt.WindowCloseButtonHint, False)
        who = operator.username if operator.label == operator.username else f"{operator.label}（{operator.username}）"
        info = QLabel(f"长时间无操作，程序已自动锁定。\n打开的窗口和未保存的修改都保留着，解锁后继续。\n"
                      f"当前用户：{who}\n请输入密码解锁。")
        info.setWordWrap(True)
        self.layout().insertWidget(1, info)
        self.password = _password_edit()
        self.form.addRow("密码：", self.password)
        self.unsaved_labels = list(unsaved_labels)
        self.draft_labels: list[str] = []
        self.failures = 0

    def wait_ms(self) -> int:
        """How long 解锁 stays off after ``failures`` wrong passwords: none after the first, then doubling."""
        return 0 if self.failures < 2 else min(2 ** (self.failures - 2), 60) * self.WAIT_UNIT_MS

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return  # still waiting after a wrong password (Enter in the password box)
        try:
            accounts.verify_current_password(self.password.text())
        except CadreDeskError as exc:
            self.password.clear()
            self.failures += 1
            wait = self.wait_ms()
            text = str(exc)
            if wait:
                if "后再试" not in text:  # the account's own lock names its time already
                    text += f"\n请 {max(1, wait // 1000)} 秒后再试。"
                self.ok_button.setEnabled(False)
                self.password.setEnabled(False)
                QTimer.singleShot(wait, self._may_try_again)
            self.show_message(text)
            return
        self.accept()

    def _may_try_again(self) -> None:
        self.ok_button.setEnabled(True)
        self.password.setEnabled(True)
        self.password.setFocus()

    def reject(self) -> None:
        """退出程序: the unsaved edits it keeps as 草稿 and those it would drop are named first (返回 stays
        locked)."""
        parts = []
        if self.draft_labels:
            lines = "\n".join(f"· {name}" for name in self.draft_labels)
            parts.append(f"以下未保存的修改不会保存，将作为草稿保留，下次以本账号登录时可以恢复：\n{lines}")
        if self.unsaved_labels:
            lines = "\n".join(f"· {name}" for name in self.unsaved_labels)
            parts.append(f"以下内容有未保存的修改，退出程序后将丢失：\n{lines}")
        if parts:
            parts.append("解锁后可以保存。确定不解锁，直接退出程序吗？")
            if not messages.confirm(self, "退出程序", "\n\n".join(parts), "退出程序", "返回", danger=True):
                return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Esc must not unlock
        if event.key() == Qt.Key_Escape:
            return
        super().keyPressEvent(event)


class PassphraseDialog(_Form):
    def __init__(self, db_name: str, parent=None):
        super().__init__("加密数据库", f"数据库“{db_name}”已加密", "打开", "退出", parent)
        self.passphrase = _password_edit()
        self.form.addRow("数据库口令：", self.passphrase)


class IdleWatcher(QObject):
    """Counts user input application-wide; after the idle minutes it hides every window, keeping them and
    their edits in memory, and asks for the password again. Only the right password shows them again;
    ``on_quit`` (closing the main window) runs when 退出程序 is chosen on the lock screen — the session is
    logged out and nothing is saved (no question: the one at the desk has not proved to be the user); the
    unsaved edits that can be are kept as 草稿 for the account's next login (``ui.widgets.unsaved.keep_drafts``),
    also when the system shuts down while locked (``session_ending``)."""

    INPUT_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
                    QEvent.TouchBegin}

    def __init__(self, on_quit, minutes=None, clock=None, parent=None):
        super().__init__(parent)
        from cadre_desk.security.idle import IdleTracker

        kwargs = {"clock": clock} if clock else {}
        self.tracker = IdleTracker(minutes or accounts.idle_minutes, **kwargs)
        self.on_quit = on_quit
        self.locked = False
        self._pending: list[QWidget] = []  # the holders of unsaved edits hidden by the lock
        self._kept: list[int] | None = None  # their drafts, once kept
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if not self.locked and event.type() in self.INPUT_EVENTS:
            self.tracker.touch()
        return False

    def check(self) -> None:
        from cadre_desk.store.db import replacing

        if replacing():  # 加密数据库 / 从备份恢复 under way (its box covers the window): locked once it is done
            return
        if not self.locked and self.tracker.should_lock():
            self.lock()

    def lock(self, dialog_factory=LockDialog) -> bool:
        """Hide the windows and ask for the password until it is right (True) or 退出程序 (False)."""
        from ui.widgets import unsaved

        self.locked = True
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # closing the lock screen while all else is hidden
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QWidget)]
        self._pending, self._kept = unsaved.holders(hidden), None
        for widget in hidden:
            widget.hide()
        dialog = dialog_factory()
        dialog.draft_labels = [unsaved.label(h) for h in self._pending if unsaved.keeps_drafts(h)]
        dialog.unsaved_labels = [unsaved.label(h) for h in self._pending if not unsaved.keeps_drafts(h)]
        self.dialog = dialog
        app.commitDataRequest.connect(self.session_ending)
        try:
            unlocked = dialog.exec() == QDialog.Accepted
        finally:
            app.commitDataRequest.disconnect(self.session_ending)
            app.setQuitOnLastWindowClosed(quit_on_close)
        self.dialog = None
        self.locked = False
        self.tracker.touch()
        if unlocked:
            if self._kept:  # a shutdown that did not happen: the edits are back in their windows
                self._forget_drafts()
            self._pending = []
            for widget in hidden:
                widget.show()
            return True
        # 退出程序: the hidden windows close as they are — no 保存 question, nothing saved as the user; their
        # edits kept as drafts for the account
        if not self._keep_drafts():
            messages.warning(None, "退出程序", "未能保留未保存的修改（草稿），这些修改将丢失。")
        for widget in hidden:
            if isinstance(widget, QDialog):
                widget.done(QDialog.DialogCode.Rejected)
        accounts.logout("锁定后退出程序")
        self.on_quit()
        return False

    def session_ending(self, *_manager) -> None:
        """The system shuts down (or logs off) while locked: the hidden edits kept as drafts before the
        program is ended, as 退出程序 would keep them."""
        if self.locked:
            self._keep_drafts()

    def _keep_drafts(self) -> bool:
        """The pending edits kept as drafts, once; False when the database refused them (logged)."""
        if self._kept is not None:
            return True
        from ui.widgets import unsaved

        try:
            self._kept = unsaved.keep_drafts(self._pending)
        except CadreDeskError as exc:
            log.warning("drafts not kept: %s", exc)
            return False
        return True

    def _forget_drafts(self) -> None:
        from cadre_desk.security import drafts

        try:
            drafts.discard(self._kept)
        except CadreDeskError as exc:
            log.warning("drafts kept for a shutdown not deleted: %s", exc)  # offered at the next login
        self._kept = None

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
