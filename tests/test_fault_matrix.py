"""Faults played for real (issue 17): a killed writer's leftovers, a full disk, an empty or foreign file
at the database path, a read-only file and folder, a database from a newer version, tampered audit
rows and backups, the wrong-passphrase lockout.

Read-only that holds for root too: root ignores permission bits, so these tests make a file or folder
immutable (``chattr +i``) when they run as root, and use the permission bits otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT


def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cadre_desk", *args], cwd=str(ROOT),
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, **kw)


def _wait_for(predicate, seconds: float = 60.0, step: float = 0.005) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


# ---- 7. leftovers of a killed export --------------------------------------------------------------


def test_dossiers_killed_mid_write_leave_no_part_files_after_the_next_start(tmp_path, demo_db, db_path):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    close_database()
    out = tmp_path / "档案"
    child = _cli("--db", str(db_path), "dossier", "--all", "--split", str(out), "--reason", "测试",
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: out.is_dir() and len(list(out.glob(".*.part"))) >= 3)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    left = list(out.glob(".*.part"))
    assert left and not list(out.glob("*.pdf"))  # killed before the batch was renamed into place
    assert main(["--db", str(db_path), "check"]) == 0  # the next start, of any command
    close_database()
    assert list(out.iterdir()) == []


def test_atomic_path_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    from cadre_desk.store.files import atomic_path, file_mode, write_atomic

    target = tmp_path / "名册.xlsx"
    old_umask = os.umask(0o022)
    try:
        write_atomic(target, b"one")
        assert file_mode(target) == 0o644  # as any saved file
        os.chmod(target, 0o640)
        write_atomic(target, b"two")
        assert file_mode(target) == 0o640 and target.read_bytes() == b"two"
        with atomic_path(tmp_path / "备份.sqlite3", mode=0o600) as tmp:
            assert file_mode(tmp) == 0o600  # before a byte is written
        with pytest.raises(RuntimeError), atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError
        assert target.read_bytes() == b"two" and not list(tmp_path.glob(".*.part"))
    finally:
        os.umask(old_umask)
