"""The window's security parts: 工具 menu (backup, restore, password, lock, users) and the start-up
sequence (passphrase, damaged database, instance lock, login, idle lock)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from cadre_desk import APP_TITLE
from cadre_desk.access import permissions
from cadre_desk.access.context import current_operator
from cadre_desk.domain import clock
from cadre_desk.domain.errors import (
    CadreDeskError,
    DatabaseDamagedError,
    DatabaseInUseError,
    DiskFullError,
    WrongPassphraseError,
)
from cadre_desk.security import accounts, backups
from ui.widgets import files, messages, unsaved


def _refuse(context, action: str, title: str) -> bool:
    refusal = permissions.check(action)
    if refusal:
        messages.warning(context.main_window, title, refusal)
        return True
    return False


def backup_database(context) -> None:
    title = "备份数据库"
    if _refuse(context, permissions.ADMIN, title):
        return
    name = f"{context.db_path.stem}-备份-{clock.today():%Y%m%d}.sqlite3" if context.db_path else "备份.sqlite3"
    default = str(Path(files.default_dir()) / name)  # a bare name opened the program's own folder
    path = files.save_file(context.main_window, title, default, "数据库备份 (*.sqlite3 *.db)")
    if not path:
        return
    files.remember_dir(path)
    context.tasks.run_with_progress(
        context.main_window, title, lambda progress: backups.backup_to_file(Path(path), progress),
        on_done=lambda target: messages.info(context.main_window, title,
                                             f"已备份到：\n{target}\n\n备份文件已重新打开并校验通过。"))


def _restore_folder(db_path) -> str:
    """Where 从备份恢复 opens: the backups folder, or — before the first backup made it — the database's
    own folder (a folder that is not there made the picker open its parent with "backups" typed in as
    the file name)."""
    if not db_path:
        return files.default_dir()
    folder = backups.backup_dir_for(db_path)
    if folder.is_dir():
        return str(folder)
    if isinstance(db_path, (str, Path)):
        return str(Path(db_path).resolve().parent)
    return files.default_dir()


def restore_database(context) -> None:
    title = "从备份恢复"
    if _refuse(context, permissions.ADMIN, title):
        return
    if context.db_readonly:
        messages.warning(context.main_window, title, "数据库以只读方式打开，不能恢复。")
        return
    folder = _restore_folder(context.db_path)
    path = files.open_file(context.main_window, title, folder, "数据库备份 (*.sqlite3 *.db);;所有文件 (*)")
    if not path:
        return
    if not messages.confirm(context.main_window, title,
                            f"将用备份文件\n{path}\n替换当前数据库的全部内容。\n\n恢复前会自动备份当前数据。确定恢复吗？",
                            "恢复", danger=True):
        return
    # edits typed on the data about to be replaced: saved first (into the 恢复前备份 with the rest), or
    # dropped at the user's word — not closed unasked when the restore ends the session (unsaved.settle)
    if not unsaved.settle(context.main_window, title,
                          note="保存的修改随当前数据一起存入恢复前备份，恢复后的数据库中没有这些修改。"):
        return

    def done(result) -> None:
        safety, other = result
        reload_after_restore(context)
        messages.info(context.main_window, title, f"已从备份恢复。\n恢复前的数据已备份到：\n{safety}")
        if other or not accounts.session_holds():  # the shell, owning the session, asks for a login
            context.session_must_end.emit("已恢复另一个数据库的备份，其用户账号已替换本库的账号。" if other
                                          else "恢复后的数据库中，当前账号已不存在或已改变。")

    def work(progress, accept_audit_problem: bool):
        other = accept_audit_problem and backups.is_other_database(Path(path))
        return backups.restore_from(Path(path), progress, accept_audit_problem), other

    def restore(accept_audit_problem: bool) -> None:
        _replacing(context, title, lambda progress: work(progress, accept_audit_problem), done)

    def checked(problem: str | None) -> None:
        if problem is None:
            restore(False)
            return
        if messages.confirm(context.main_window, title,
                            f"{problem}\n\n仍要用该备份恢复吗？恢复后，这一校验结果会记入审计日志。",
                            "仍然恢复", danger=True):
            restore(True)

    # the backup's audit log first (its hash chain and anchors): seconds for a long log
    _replacing(context, "校验备份", lambda progress: backups.check_backup_audit(Path(path), progress), checked)


def _replacing(context, title: str, fn, on_done) -> None:
    """A step of 从备份恢复 in a modal progress box: nothing is typed meanwhile on data about to be replaced
    (a 新增用户 half filled in would be closed by the login a restore may ask for), and the idle lock and the
    pages' refreshes wait until it is over (``start_replacing``)."""
    from cadre_desk.store.db import start_replacing

    release = start_replacing()

    def finished(result) -> None:
        release()
        on_done(result)

    def failed(message: str) -> None:
        release()
        if message:
            messages.error(context.main_window, title, message)

    context.tasks.run_with_progress(context.main_window, title, fn, on_done=finished, on_error=failed, modal=True)


def reload_after_restore(context) -> None:
    window = context.main_window
    page = window.page("cadres") if window is not None else None
    if page is not None and hasattr(page, "load"):
        page.load()
    context.units_changed.emit()
    context.cadres_changed.emit([])
    context.data_changed.emit("restore")


def change_password(context) -> None:
    from ui.security.login_dialog import ChangePasswordDialog

    operator = current_operator()
    if operator.user_id is None:
        messages.info(context.main_window, "修改密码", "尚未建立用户账号。")
        return
    dialog = ChangePasswordDialog(accounts.get_user(operator.user_id), context.main_window)
    if dialog.exec() == QDialog.Accepted:
        messages.info(context.main_window, "修改密码", "密码已修改。")


def lock_now(context) -> None:
    watcher = getattr(context, "idle_watcher", None)
    if watcher is None:
        messages.info(context.main_window, "锁定", "尚未建立用户账号，无需锁定。")
        return
    watcher.lock()


def encryption_unavailable(context) -> str:
    """Why 加密数据库 cannot be used here ("" when it can): the menu greys it with this as its tip."""
    from cadre_desk.security import encryption

    return encryption.why_not_encryptable(context.db_readonly)


def encrypt_current(context) -> None:
    """Encrypt the open database: close it, encrypt the file in place through the task runner (a modal
    progress box; 取消 until the checked copy replaces the file), reopen it with the key."""
    from cadre_desk.security import encryption

    title = "加密数据库"
    if _refuse(context, permissions.ADMIN, title):
        return
    why = encryption_unavailable(context)
    if why:
        messages.info(context.main_window, title, why)
        return
    passphrase = _new_passphrase(context, title)
    if passphrase is None:
        return
    from cadre_desk.access.context import set_operator
    from cadre_desk.store.db import start_replacing
    from cadre_desk.store.opening import open_database

    context.tasks.wait_all()
    operator, db_path = current_operator(), context.db_path
    # closed until the encrypted file (or, after 取消, the plain one) is opened again: the idle lock and the
    # pages' refreshes wait meanwhile, and nothing reads or writes the file being replaced
    release = start_replacing(close=True)

    def failed(message: str) -> None:  # 取消 ("") or a refusal: the file is as it was, opened again
        try:
            open_database(db_path)
        finally:
            release()
        set_operator(operator)
        if message:
            messages.error(context.main_window, title, message)

    def done(_path) -> None:
        from cadre_desk.security import audit
        from cadre_desk.store.db import write_transaction

        try:
            encryption.open_encrypted(db_path, passphrase)
        finally:
            release()
        set_operator(operator)
        with write_transaction():
            audit.record(audit.SYSTEM, "数据库", None, "数据库已加密（SQLCipher）")
        reload_after_restore(context)
        if context.main_window is not None:
            context.main_window.apply_permissions()  # 加密数据库… greyed now: 该数据库已经加密
        messages.info(context.main_window, title,
                      "数据库已加密。以后打开时需要输入口令，请务必牢记：口令丢失后数据无法找回。\n"
                      "此后的备份也是加密的；backups 文件夹中加密前的旧备份仍是明文，请妥善处理。")

    # modal: the database is closed meanwhile, nothing else may read it
    context.tasks.run_with_progress(context.main_window, title,
                                    lambda progress: encryption.encrypt_database(db_path, passphrase, progress),
                                    on_done=done, on_error=failed, modal=True)


def _new_passphrase(context, title: str) -> str | None:
    """The passphrase typed twice (8 characters at least), or None when 取消."""
    from ui.security.login_dialog import PassphraseDialog

    dialog = PassphraseDialog(context.db_path.name, context.main_window)
    dialog.setWindowTitle(title)
    dialog.heading.setText("设置数据库口令")
    again = QLineEdit()
    again.setEchoMode(QLineEdit.Password)
    dialog.form.addRow("再输入一次：", again)
    dialog.ok_button.setText("加密")
    dialog.cancel_button.setText("取消")
    while True:
        if dialog.exec() != QDialog.Accepted:
            return None
        passphrase = dialog.passphrase.text()
        if passphrase != again.text():
            dialog.show_message("两次输入的口令不一致。")
        elif len(passphrase) < 8:
            dialog.show_message("数据库口令至少 8 位。")
        else:
            return passphrase


def manage_users(context) -> None:
    if _refuse(context, permissions.ADMIN, "用户管理"):
        return
    context.main_window.show_module("users")




# ---- start-up -------------------------------------------------------------------------------------


def ask_passphrase(db_path: Path) -> str | None:
    """Ask until the passphrase opens the file (each failure counts toward the lockout)."""
    from cadre_desk.security import encryption
    from cadre_desk.store.db import cipher_available
    from ui.security.login_dialog import PassphraseDialog

    if not cipher_available():
        messages.warning(None, APP_TITLE, "该数据库已加密（或已损坏），本机未安装加密组件，无法打开。")
        return None
    dialog = PassphraseDialog(db_path.name)
    while True:
        if dialog.exec() != QDialog.Accepted:
            return None
        passphrase = dialog.passphrase.text()
        try:
            encryption.check_key(db_path, passphrase)
        except WrongPassphraseError as exc:
            dialog.passphrase.clear()
            dialog.show_message(str(exc))
            if "锁定" in str(exc):
                messages.error(None, APP_TITLE, exc)
                return None
            continue
        return passphrase


def handle_damaged(db_path: Path, exc: DatabaseDamagedError, passphrase: str | None) -> bool:
    """Offer the newest good backup. True when the database was rebuilt from it."""
    if exc.backup is None:
        messages.warning(None, APP_TITLE, f"{exc}\n\n请联系技术人员，不要删除或覆盖该文件。")
        return False
    try:
        problem = backups.check_backup_before_rebuild(db_path, exc.backup, passphrase)
    except CadreDeskError as error:
        messages.warning(None, APP_TITLE, f"{exc}\n\n{error}\n\n请联系技术人员，不要删除或覆盖该文件。")
        return False
    text = f"{exc}\n\n是否用该备份重建数据库？重建的数据库校验通过后才会替换，损坏的文件另存保留，不会删除。"
    if problem:
        text += f"\n\n注意：{problem}\n仍用它重建时，这一校验结果会记入审计日志。"
    if messages.choose(None, APP_TITLE, text, ["从备份恢复"], cancel="退出", icon=messages.WARNING) != 0:
        return False
    try:
        aside = backups.recover_damaged(db_path, exc.backup, passphrase, accept_audit_problem=bool(problem))
    except Exception as error:  # noqa: BLE001 - a full disk while rebuilding: nothing was replaced; said and logged
        messages.log_problem(APP_TITLE, error)
        messages.warning(None, APP_TITLE, f"{messages.describe(error)}\n数据库文件没有被替换或改名。")
        return False
    messages.info(None, APP_TITLE, f"已从备份恢复：\n{exc.backup}\n\n损坏的文件已保存为：\n{aside}")
    return True


def offer_readonly(exc: DiskFullError) -> bool:
    """A full disk at start: say so (never damage) and offer to open read-only. True when chosen."""
    choices = ["以只读方式打开"] if exc.readonly_possible else []
    return messages.choose(None, APP_TITLE, str(exc), choices, cancel="退出", icon=messages.WARNING) == 0 \
        and bool(choices)


def take_instance_lock(db_path: Path):
    """The lock file beside the database. Returns (lock or None, readonly) or raises SystemExit-ish None."""
    from cadre_desk.store.instance_lock import InstanceLock

    lock = InstanceLock(db_path)
    try:
        lock.acquire()
        return lock, False
    except DatabaseInUseError as exc:
        choices = (["解除锁定并继续"] if exc.stale else []) + ["以只读方式打开"]
        answer = messages.choose(None, APP_TITLE, str(exc), choices, cancel="退出", icon=messages.WARNING)
        clicked = choices[answer] if answer is not None else None
        if clicked == "解除锁定并继续":
            lock.acquire(break_stale=True)
            return lock, False
        if clicked == "以只读方式打开":
            return None, True
        return None, None


def login_before_window(db_name: str = "", readonly: bool = False, smoke: bool = False, parent=None) -> bool:
    """Before the window loads any data: log in when accounts exist, else offer to create the
    administrator. False when the user gave up (the app quits)."""
    if not accounts.has_users():
        from cadre_desk.settings import settings

        if smoke or readonly or settings.get("security.first_admin_skipped"):
            return True
        from ui.security.login_dialog import FirstAdminDialog

        dialog = FirstAdminDialog(parent)
        if dialog.exec() != QDialog.Accepted:
            # later (工具 → 用户管理): keeps working as before accounts, and does not ask again
            from cadre_desk.store.db import write_transaction

            with write_transaction():
                settings.put("security.first_admin_skipped", True)
            return True
        messages.info(parent, APP_TITLE, "系统管理员已创建。请用该账号登录，在“工具 → 用户管理”中建立其他用户。")
    accounts.enforce_login(True)
    if smoke:
        return True  # the smoke test shows the window without logging anybody in (nothing readable)
    from ui.security.login_dialog import LoginDialog

    dialog = LoginDialog(parent, db_name)
    return dialog.exec() == QDialog.Accepted and dialog.user is not None


def after_login(window) -> None:
    """Title, hidden pages, idle lock — once the window exists; then the edits the account had not saved
    when it last quit from the lock (草稿) offered back."""
    if current_operator().user_id is None:  # nobody logged in (no accounts): no lock, nor its module
        return
    from ui.security.login_dialog import IdleWatcher

    apply_operator(window)
    old = getattr(window.context, "idle_watcher", None)
    if old is not None:
        old.stop()
    window.context.idle_watcher = IdleWatcher(lambda: quit_from_lock(window), parent=window)
    from ui.security import draft_offer

    draft_offer.offer(window)


def quit_from_lock(window) -> None:
    """退出程序 on the lock screen: the main window closes (hidden, it would not end the program by
    itself) and the program ends."""
    if window.close():
        QApplication.quit()


def login_or_create_admin(window, smoke: bool = False) -> bool:
    context = window.context
    ok = login_before_window(context.db_path.name if context.db_path else "", context.db_readonly, smoke, window)
    if ok:
        after_login(window)
    return ok


def apply_operator(window) -> None:
    """Show who is logged in and open a page the role may use."""
    operator = current_operator()
    roles = "、".join(sorted(operator.roles))
    window.setWindowTitle(f"{APP_TITLE} — {window.context.db_path.name if window.context.db_path else ''}"
                          f" — {operator.label}（{roles}）")
    window.apply_permissions()  # and the status bar's 当前用户
    window.show_current_page()
    if window.context.index is not None or window.page("cadres") is not None:
        page = window.page("cadres")
        if page is not None and hasattr(page, "load"):
            page.load()

