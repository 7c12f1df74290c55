"""The window's timers while 加密数据库 or 从备份恢复 replaces the database under it: the idle lock and the
工作台's refresh wait until it is done (the database closed or being copied over), and nothing reaches
the file being replaced."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QFormLayout, QProgressDialog

from tests.conftest import make_profile
from tests.test_security_ui import no_boxes  # noqa: F401  (fixture)


def _window(qtbot, db_path, unit):
    from cadre_desk.features import register_all
    from cadre_desk.profiles import cadres
    from ui.security.login_dialog import IdleWatcher
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    register_all()
    cadres.save_profile(make_profile(unit.id, name="甲"))
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    now, locks = [0.0], []
    watcher = IdleWatcher(lambda: None, clock=lambda: now[0], parent=window)  # its minutes read from the database
    watcher.lock = lambda *a: locks.append(now[0]) or True
    return window, watcher, now, locks


def test_the_idle_lock_and_the_home_page_wait_while_the_database_is_closed_for_encryption(
        qtbot, db_path, db, unit, no_boxes, monkeypatch):  # noqa: F811
    """The idle lock's check every 15 s read its minutes from the closed database: peewee opened the plain
    file again under the encryption (which then refused: 仍有其他连接), and an idle clerk's window locked
    with the database closed (its 退出程序 would write drafts and the logout into the file being replaced)."""
    pytest.importorskip("sqlcipher3")
    import peewee

    from cadre_desk.security import encryption
    from cadre_desk.store.db import database, looks_encrypted
    from cadre_desk.store.models import Cadre
    from ui.security import login_dialog, security

    window, watcher, now, locks = _window(qtbot, db_path, unit)
    home = window.page("home")
    assert home is not None

    def fake_exec(dialog):
        dialog.passphrase.setText("Secret#2024")
        dialog.form.itemAt(dialog.form.rowCount() - 1, QFormLayout.ItemRole.FieldRole).widget().setText("Secret#2024")
        return login_dialog.QDialog.Accepted

    monkeypatch.setattr(login_dialog.PassphraseDialog, "exec", fake_exec)
    reached, go, real = threading.Event(), threading.Event(), encryption.encrypt_database

    def held(*args, **kwargs):  # the database closed, the file not yet encrypted: the worker waits here
        reached.set()
        go.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(encryption, "encrypt_database", held)
    security.encrypt_current(window.context)
    try:
        qtbot.waitUntil(reached.is_set, timeout=10000)
        now[0] = 31 * 60  # nobody has touched the window for 31 minutes
        watcher.check()
        home.refresh()
        assert not locks
        assert database.obj.is_closed()  # not opened again by the check
        assert window.context.tasks.running() == 1  # the encryption only: the home page counts later
        with pytest.raises(peewee.InterfaceError):  # a stray read fails, it does not read the old file
            Cadre.select().count()
    finally:
        go.set()
    assert window.context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: bool(no_boxes) and "已加密" in no_boxes[-1][1], timeout=10000)
    assert looks_encrypted(db_path) and [c.name for c in Cadre.select()] == ["甲"]
    assert [kind for kind, _text in no_boxes] == ["information"]  # no error box
    watcher.check()
    assert locks == [31 * 60]  # still idle: locked now that the database is open again
    assert home._stale  # counted again as soon as it is shown (or at once, shown)
    watcher.stop()


def test_the_idle_lock_waits_while_a_backup_is_copied_in(qtbot, tmp_path, db_path, db, unit, no_boxes,  # noqa: F811
                                                         monkeypatch):
    """A restore runs in a box beside a usable window: the idle lock came in the middle, and its 退出程序
    kept the drafts and the logout in the database that the copy then replaced."""
    from cadre_desk.domain.progress import SAVING, Progress
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.models import Cadre
    from ui.security import security

    window, watcher, now, locks = _window(qtbot, db_path, unit)
    good = backups.backup_to_file(tmp_path / "good.sqlite3")
    cadres.save_profile(make_profile(unit.id, name="乙"))
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(good))
    reached, go, real = threading.Event(), threading.Event(), Progress.seal

    def held(self, text=SAVING):  # the copy under way: the worker waits here
        real(self, text)
        reached.set()
        go.wait(30)

    monkeypatch.setattr(Progress, "seal", held)
    security.restore_database(window.context)
    try:
        qtbot.waitUntil(reached.is_set, timeout=30000)
        shown = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        assert [d.isModal() for d in shown] == [True]  # nothing typed on the data being replaced
        now[0] = 31 * 60
        watcher.check()
        assert not locks
    finally:
        go.set()
    assert window.context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: "恢复前的数据已备份" in no_boxes[-1][1], timeout=10000)
    assert [c.name for c in Cadre.select()] == ["甲"]
    watcher.check()
    assert locks == [31 * 60]
    watcher.stop()


def test_a_failed_restore_still_says_why_and_lets_the_lock_work_again(qtbot, tmp_path, db_path, db, unit,
                                                                       no_boxes, monkeypatch):  # noqa: F811
    from cadre_desk.domain.errors import CadreDeskError
    from cadre_desk.security import backups
    from ui.security import security

    window, watcher, now, locks = _window(qtbot, db_path, unit)
    good = backups.backup_to_file(tmp_path / "good.sqlite3")
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(good))

    def refused(*_a, **_k):
        raise CadreDeskError("磁盘空间不足，恢复未进行。")

    monkeypatch.setattr(backups, "restore_from", refused)
    security.restore_database(window.context)
    assert window.context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: "恢复未进行" in no_boxes[-1][1], timeout=10000)
    now[0] = 31 * 60
    watcher.check()
    assert locks == [31 * 60]
    watcher.stop()
