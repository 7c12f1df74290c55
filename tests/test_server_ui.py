"""The window on a shared server database: the 连接服务器 dialog, the remembered choice (never the
password), and two windows in two processes working on one server database.

Needs the throwaway server of tools/test.sh (CADRE_DESK_TEST_SERVER); skipped without one."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_profile


@pytest.fixture
def clean_settings():
    from ui.widgets.window import settings

    return settings()  # each test's own, empty (tests/conftest.py)


def test_connect_dialog_remembers_the_server_but_never_the_password(qtbot, server_location, clean_settings):
    from cadre_desk.store.db import close_database, database
    from cadre_desk.store.portable import is_server
    from ui.shell.server_link import ConnectDialog, remembered_server

    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText(server_location.host)
    dialog.port.setValue(1)  # nothing listens there
    dialog.dbname.setText(server_location.dbname)
    dialog.user.setText(server_location.user)
    dialog.password.setText("口令-不可保存")
    dialog.accept()
    assert dialog.location is None and "无法连接服务器" in dialog.error_text("")
    dialog.port.setValue(server_location.port)
    dialog.accept()
    try:
        assert dialog.location == server_location and is_server(database)
        assert remembered_server() == server_location
        clean_settings.sync()
        stored = Path(clean_settings.fileName()).read_bytes()
        assert "口令-不可保存".encode() not in stored and b"password" not in stored.lower()
    finally:
        close_database()


def test_the_window_starts_on_the_remembered_server(qtbot, server_location, clean_settings, monkeypatch):
    import argparse

    from cadre_desk.store.db import close_database
    from cadre_desk.store.server import ServerLocation
    from ui.shell import server_link
    from ui.shell.app import choose_database

    # a server that lets this PC in (trust, or libpq's password file): no question at all
    server_link.remember_server(server_location)
    args = argparse.Namespace(db=None, db_path=Path("unused.sqlite3"))
    monkeypatch.setattr(server_link.ConnectDialog, "exec", lambda d: pytest.fail("asked for nothing"))
    try:
        assert choose_database(args) == server_location
    finally:
        close_database()
    # the remembered server does not answer: the dialog says why, with the remembered fields filled in
    wrong = ServerLocation(server_location.host, 1, server_location.dbname, server_location.user)
    server_link.remember_server(wrong)
    asked = []

    def answer(dialog):
        asked.append((dialog.host.text(), dialog.port.value(), dialog.dbname.text(), dialog.password.text(),
                      dialog.error_text("")))
        dialog.port.setValue(server_location.port)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(server_link.ConnectDialog, "exec", answer)
    try:
        assert choose_database(args) == server_location
        assert asked[0][:4] == (server_location.host, 1, server_location.dbname, "")
        assert "无法连接服务器" in asked[0][4]
        assert server_link.remembered_server() == server_location
    finally:
        close_database()
    # 使用本机数据库: remembered too, and the next start opens the file without asking
    server_link.remember_server(wrong)
    monkeypatch.setattr(server_link.ConnectDialog, "exec", lambda d: (d._choose_local(), d.result())[1])
    assert choose_database(args) == Path("unused.sqlite3")
    assert choose_database(args) == Path("unused.sqlite3") and len(asked) == 1


class Peer:
    """The other clerk's window, in its own process."""

    def __init__(self, url: str):
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "server_window_peer.py"), url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.read() == "ready"

    def read(self) -> str:
        line = self.proc.stdout.readline().strip()
        assert line, "the peer window ended"
        return line

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def test_two_windows_in_two_processes_on_one_server(qtbot, db, unit, server_location, monkeypatch, boxes):
    """Clerk A (this process) and clerk B (another process) on one server: each one's save shows in the
    other's cadre list within 2 s, and A's stale save gets the conflict dialog, as on one PC."""
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadre_list import COL
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.shell.app import build_main_window
    from ui.shell.server_link import ChangeBridge

    first = cadres.save_profile(make_profile(unit.id, name="孙八")).profile
    second = cadres.save_profile(make_profile(unit.id, name="周九", birth="197803")).profile
    window = build_main_window(server_location)
    qtbot.addWidget(window)
    window.show()
    bridge = ChangeBridge(window.context, server_location).start()
    peer = Peer(server_location.url)
    try:
        qtbot.waitUntil(lambda: window.page("cadres") is not None and bool(window.page("cadres").model.rows),
                        timeout=10000)

        def names():
            return {row[COL["name"]] for row in window.page("cadres").model.rows}

        assert names() == {"孙八", "周九"}
        assert bridge.listener.ready.wait(5)

        # A saves through the profile dialog → B's list shows it within 2 s
        dialog = ProfileDialog(window.context, first.id)
        qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
        dialog.cells["name"].editor.setText("孙八甲")
        assert dialog.save() is True
        answer = peer.ask("wait 孙八甲")
        assert answer.startswith("seen 孙八甲"), answer
        assert int(answer.split()[2]) < 2000

        # B saves → A's list shows it within 2 s (the index refreshes that row, no reload)
        reloads = []
        monkeypatch.setattr(type(window.page("cadres")), "load", lambda page: reloads.append(page))
        started = time.monotonic()
        assert peer.ask(f"rename {second.id} 周九乙") == f"saved {second.id}"
        qtbot.waitUntil(lambda: "周九乙" in names(), timeout=2000)
        assert time.monotonic() - started < 2.5 and reloads == []

        # A holds a stale copy while B saves: A's save is a conflict, B's change stays
        dialog = ProfileDialog(window.context, second.id)
        qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
        assert peer.ask(f"rename {second.id} 周九丙") == f"saved {second.id}"
        boxes.answers.append("取消")
        dialog.cells["phone"].editor.setText("13700000000")
        assert dialog.save() is False
        assert boxes.texts() and "修改并保存" in boxes.texts()[0]
        assert cadres.get_profile(second.id).values["name"] == "周九丙"
        qtbot.waitUntil(lambda: "周九丙" in names(), timeout=2000)
    finally:
        peer.close()
        bridge.stop()
        window.context.tasks.wait_all(5000)


def test_a_restore_announced_by_the_server_makes_every_profile_read_again(monkeypatch):
    """"reload" (a restore replaced the server's data): the profiles this program remembers reading are
    forgotten, so a save reads the stored rows again instead of trusting a version number."""
    from types import SimpleNamespace

    from cadre_desk.profiles import cadres
    from ui.shell.server_link import ChangeBridge

    forgotten = []
    monkeypatch.setattr(cadres, "forget_reads", lambda: forgotten.append(True))
    emitted = SimpleNamespace(emit=lambda *_a: None)
    context = SimpleNamespace(main_window=None, cadres_changed=emitted, units_changed=emitted)
    ChangeBridge._apply(SimpleNamespace(context=context), "reload", [])
    assert forgotten == [True]
