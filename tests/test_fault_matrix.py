"""Faults played for real (issue 17): a killed writer's leftovers, a full disk, an empty or foreign file
at the database path, a read-only file and folder, a database from a newer version, tampered audit
rows and backups, the wrong-passphrase lockout.

Read-only that holds for root too: root ignores permission bits, so these tests make a file or folder
immutable (``chattr +i``) when they run as root, and use the permission bits otherwise."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, make_profile


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


# ---- tools: a small real disk, read-only that holds for root ---------------------------------------


def fill(folder) -> None:
    """Take every free byte of the disk of ``folder``."""
    fd = os.open(folder / "占位", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (1 << 16, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


def free(folder) -> None:
    (folder / "占位").unlink()


@contextlib.contextmanager
def read_only(*paths):
    """Make files or folders read-only so that root cannot write them either: root ignores permission
    bits, but not an immutable file (chattr +i, which needs CAP_LINUX_IMMUTABLE: root). Permission
    bits when not root."""
    names = [str(p) for p in paths]
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *names], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *names], check=True)
        return
    modes = {name: os.stat(name).st_mode for name in names}
    for name in names:
        os.chmod(name, modes[name] & ~0o222)
    try:
        yield
    finally:
        for name in names:
            os.chmod(name, modes[name])


def _new_database(path, cadres_count: int = 20):
    """A database at ``path`` with a unit and some cadres (left open: backups need it)."""
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import database
    from cadre_desk.store.opening import open_database
    from cadre_desk.units import units

    open_database(path)
    unit = units.create_unit("市财政局")
    for i in range(cadres_count):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return unit


def _names():
    from cadre_desk.store.models import Cadre

    return [c.name for c in Cadre.select(Cadre.name).order_by(Cadre.id)]


# ---- 1. a full disk ---------------------------------------------------------------------------------


def test_a_full_disk_is_never_called_damage_and_the_database_can_still_be_read(small_disk, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.domain.errors import DiskFullError
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    db_path = small_disk / "库.sqlite3"
    _new_database(db_path)
    backups.make("每日自动")
    close_database()
    before = db_path.read_bytes()
    fill(small_disk)
    with pytest.raises(DiskFullError) as info:
        backups.check_at_start(db_path)
    assert "磁盘空间不足" in str(info.value) and "损坏" not in str(info.value).replace("没有损坏", "")
    assert info.value.readonly_possible
    capsys.readouterr()
    assert main(["--db", str(db_path), "check"]) == 0  # read-only: what can be checked is checked
    out = capsys.readouterr()
    assert "磁盘空间不足，以只读方式打开" in out.err and "检查通过" in out.out
    close_database()
    assert main(["--db", str(db_path), "demo", "--cadres", "1", "--force"]) == 2  # a writer: refused, said
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "损坏" not in err.replace("没有损坏", "") and "restore" not in err
    open_database(db_path, readonly=True)
    assert len(_names()) == 20
    close_database()
    assert db_path.read_bytes() == before
    assert not list(small_disk.glob("*.damaged-*")) and not list(small_disk.glob(".*.part"))


def test_the_disk_filling_up_while_working_loses_nothing_and_is_said(small_disk):
    from cadre_desk.domain.errors import friendly_error
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database, database

    db_path = small_disk / "库.sqlite3"
    unit = _new_database(db_path)
    fill(small_disk)
    big = make_profile(unit.id, name="新干部")
    big.photo = os.urandom(300_000)
    with pytest.raises(Exception) as info:
        cadres.save_profile(big)
    assert friendly_error(info.value).startswith("磁盘空间不足")
    with pytest.raises(Exception) as info:
        backups.make("每日自动")
    assert friendly_error(info.value).startswith("磁盘空间不足")
    assert not list(small_disk.glob("backups/*.sqlite3")) and not list(small_disk.glob("backups/.*.part*"))
    free(small_disk)
    assert len(_names()) == 20 and "新干部" not in _names()
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    close_database()


def test_rebuilding_a_damaged_database_on_a_full_disk_replaces_nothing(small_disk):
    from cadre_desk.domain.errors import DatabaseDamagedError, friendly_error
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from tests.test_faults import _corrupt

    db_path = small_disk / "库.sqlite3"
    _new_database(db_path, 40)
    backups.make("每日自动")
    close_database()
    _corrupt(db_path)
    with pytest.raises(DatabaseDamagedError) as info:
        backups.check_at_start(db_path)
    damaged = db_path.read_bytes()
    fill(small_disk)
    with pytest.raises(Exception) as failure:
        backups.recover_damaged(db_path, info.value.backup)
    assert friendly_error(failure.value).startswith("磁盘空间不足")
    # the damaged file is where it was, untouched; no half-built replacement anywhere
    assert db_path.read_bytes() == damaged
    assert not list(small_disk.glob("*.damaged-*")) and not list(small_disk.glob(".*.part*"))
    free(small_disk)
    aside = backups.recover_damaged(db_path, info.value.backup)
    assert aside.read_bytes() == damaged
    open_database(db_path)
    assert len(_names()) == 40
    close_database()


# ---- 2. an empty or foreign file at the database path -----------------------------------------------


@pytest.mark.parametrize("content", [b"", "干部名单，不是数据库".encode()], ids=["0字节", "其他文件"])
def test_an_empty_or_foreign_file_is_damage_naming_the_newest_good_backup(db_path, unit, capsys, content):
    from cadre_desk.__main__ import main
    from cadre_desk.domain.errors import DatabaseDamagedError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    cadres.save_profile(make_profile(unit.id, name="备份里的人"))
    good = backups.make("每日自动")
    close_database()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    db_path.write_bytes(content)
    with pytest.raises(DatabaseDamagedError) as info:
        backups.check_at_start(db_path)
    assert info.value.backup == good
    capsys.readouterr()
    assert main(["--db", str(db_path), "check"]) == 2
    err = capsys.readouterr().err
    assert str(good) in err and "restore" in err
    assert db_path.read_bytes() == content  # not made into a new, empty database
    assert main(["--db", str(db_path), "restore", str(good)]) == 0
    close_database()
    open_database(db_path)
    assert _names() == ["备份里的人"]
    close_database()


def test_a_database_being_created_when_killed_leaves_no_file_at_its_path(tmp_path):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    db_path = tmp_path / "新库.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
        "from cadre_desk.store import migrations\n"
        "from cadre_desk.store.opening import open_database\n"
        "step = migrations.STEPS[-1]\n"
        "upgrade = step.upgrade\n"
        "def slow(db):\n"
        "    upgrade(db)\n"
        "    print('midway', flush=True)\n"
        "    time.sleep(30)\n"
        "step.upgrade = slow\n"
        f"open_database({str(db_path)!r})\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "midway"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert not db_path.exists() and list(tmp_path.glob(".*.part"))
    assert main(["--db", str(db_path), "check"]) == 0  # a path with nothing: a new database
    close_database()
    assert not list(tmp_path.glob(".*.part"))


# ---- 3. a read-only database, a read-only folder ------------------------------------------------------


def _leave_wal_files(db_path) -> None:
    """Another program had the database open when it died: -wal and -shm stay beside it."""
    subprocess.run([sys.executable, "-c", (
        "import os, signal, sqlite3\n"
        f"c = sqlite3.connect({str(db_path)!r})\n"
        "c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT count(*) FROM cadre').fetchone()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")], check=False)
    assert db_path.with_name(db_path.name + "-shm").exists()


def test_import_into_a_read_only_database_says_so_at_once(tmp_path, db_path):
    """2,000 cadres (more pages than one backup step): the pre-import backup of a read-only database
    whose -shm cannot be written went round for ever at full speed."""
    from cadre_desk.profiles import demo
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    open_database(db_path)
    demo.generate(2000, seed=3)
    close_database()
    roster = tmp_path / "名册.xlsx"
    assert _run("--db", str(db_path), "export", "roster", str(roster), "--ids", "1-30", "--reason", "测试").returncode == 0
    _leave_wal_files(db_path)
    companions = [db_path.with_name(db_path.name + s) for s in ("-shm", "-wal")]
    with read_only(db_path, *companions):
        started = time.monotonic()
        out = _run("--db", str(db_path), "import", str(roster), "--update", timeout=60)
        assert time.monotonic() - started < 20
        assert out.returncode == 2 and "数据库文件只读" in out.stderr and "不能导入" in out.stderr
        assert not list(tmp_path.glob("backups/*.sqlite3"))  # refused before the backup
        # a copy of the read-only database (the backup API, as a backup makes it) ends, at once
        subprocess.run([sys.executable, "-c", (
            f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from cadre_desk.store.backup import backup_to\n"
            "from cadre_desk.store.opening import open_database\n"
            f"backup_to(open_database({str(db_path)!r}, readonly=True), {str(tmp_path / '副本.sqlite3')!r})\n")],
            check=True, timeout=60)
    conn = sqlite3.connect(str(tmp_path / "副本.sqlite3"))
    assert conn.execute("SELECT count(*) FROM cadre").fetchone()[0] == 2000
    conn.close()


def test_a_read_only_folder_is_read_only_not_damage(tmp_path):
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    db_path = folder / "库.sqlite3"
    _new_database(db_path)
    close_database()
    roster = tmp_path / "名册.xlsx"
    assert _run("--db", str(db_path), "export", "roster", str(roster), "--reason", "测试").returncode == 0
    assert not db_path.with_name(db_path.name + "-wal").exists()
    with read_only(folder):
        backups.check_at_start(db_path)  # not damaged
        out = _run("--db", str(db_path), "check")
        assert out.returncode == 0 and "文件夹只读" in out.stderr and "以只读方式打开" in out.stderr, out.stderr
        out = _run("--db", str(db_path), "import", str(roster), "--update", timeout=60)
        assert out.returncode == 2 and "文件夹只读" in out.stderr and "不能导入" in out.stderr, out.stderr
        open_database(db_path, readonly=True)
        assert len(_names()) == 20
        close_database()


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cadre_desk", *args], cwd=str(ROOT), capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


# ---- 5. one version gate for every command -----------------------------------------------------------

# Every subcommand, with arguments that would make it work on a current database.
COMMANDS = {
    "demo": ["demo", "--cadres", "3", "--force"],
    "check": ["check"],
    "postings": ["postings", "lines"],
    "mentoring": ["mentoring"],
    "backup": ["backup", "{tmp}/副本.sqlite3"],
    "restore": ["restore", "{backup}"],
    "users": ["users", "init-admin"],
    "encrypt": ["encrypt"],
    "audit-verify": ["audit-verify"],
    "settings": ["settings", "set", "department.place", "兴平市"],
    "dossier": ["dossier", "{tmp}/档案.pdf", "--all", "--reason", "测试"],
    "rmb": ["rmb", "{tmp}/任免表.pdf", "--ids", "1"],
    "portrait": ["portrait", "{tmp}/画像.pdf", "--ids", "1"],
    "home-pdf": ["home-pdf", "{tmp}/工作台.pdf"],
    "mentoring-pdf": ["mentoring-pdf", "{tmp}/导师帮带.pdf", "--all"],
    "review-pdf": ["review-pdf", "{tmp}/鉴定表.pdf", "--all"],
    "import": ["import", "{roster}"],
    "export": ["export", "roster", "{tmp}/名册.xlsx", "--reason", "测试"],
    "migrate-to": ["migrate-to", "postgresql://nobody@127.0.0.1:1/cadre"],
}


def test_the_version_gate_lists_every_command():
    from cadre_desk.__main__ import register_all
    from cadre_desk.cli import build_parser

    register_all()
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_database_from_a_newer_version_is_left_untouched_by_every_command(tmp_path, db_path, command, capsys,
                                                                           monkeypatch):
    from cadre_desk.__main__ import main
    from cadre_desk.security import backups
    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database

    _new_database(db_path, 2)
    good = backups.make("每日自动")
    close_database()
    roster = tmp_path / "导入.xlsx"
    roster.write_bytes((ROOT / "tests" / "data" / "young_cadre_reserve_template.xlsx").read_bytes())
    conn = sqlite3.connect(str(db_path))
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    files = _files(tmp_path)
    monkeypatch.setenv("CADRE_DESK_PASSPHRASE", "口令Secret1")
    monkeypatch.setenv("CADRE_DESK_NEW_PASSWORD", "Clerk#2024x")
    argv = [a.format(tmp=tmp_path, backup=good, roster=roster) for a in COMMANDS[command]]
    capsys.readouterr()
    assert main(["--db", str(db_path), *argv]) != 0
    close_database()
    assert "更新版本" in capsys.readouterr().err
    assert _files(tmp_path) == files


def _files(folder) -> dict[str, bytes]:
    """The files of ``folder`` with their content; SQLite's -shm (a reader's shared memory) aside."""
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)}


def test_encrypting_a_database_from_a_newer_version_is_refused_before_it_is_touched(db_path):
    pytest.importorskip("sqlcipher3")
    from cadre_desk.domain.errors import SchemaTooNewError
    from cadre_desk.security import encryption
    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database

    _new_database(db_path, 2)
    close_database()
    conn = sqlite3.connect(str(db_path))
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    before = _files(db_path.parent)
    with pytest.raises(SchemaTooNewError, match="更新版本"):
        encryption.encrypt_database(db_path, "口令Secret1")
    assert _files(db_path.parent) == before


# ---- 7. the wrong-passphrase lockout ---------------------------------------------------------------------


def test_deleting_the_keyguard_file_does_not_reset_the_passphrase_lockout(tmp_path, db_path):
    pytest.importorskip("sqlcipher3")
    from cadre_desk.domain.errors import WrongPassphraseError
    from cadre_desk.security import encryption
    from cadre_desk.store.db import close_database

    _new_database(db_path, 2)
    close_database()
    encryption.encrypt_database(db_path, "口令Secret1")
    guard = db_path.with_name(db_path.name + ".keyguard")
    for attempt in range(4):
        with pytest.raises(WrongPassphraseError, match=f"还可尝试 {4 - attempt}"):
            encryption.open_encrypted(db_path, "wrong")
        guard.unlink()  # what someone guessing would do after each try
    with pytest.raises(WrongPassphraseError, match="锁定"):
        encryption.open_encrypted(db_path, "wrong")
    guard.unlink()
    moved = tmp_path / "换个名字.sqlite3"
    db_path.rename(moved)  # nor does renaming the database
    with pytest.raises(WrongPassphraseError, match="锁定"):
        encryption.open_encrypted(moved, "口令Secret1")


# ---- 6. the audit chain anchored outside the database ---------------------------------------------------


def rewrite_audit(path, row_id: int, summary: str = "无事发生", cut_after: int | None = None) -> None:
    """What someone with write access and a small script does: change a row (and/or delete the newest
    rows), recompute every hash after it and the recorded head, so that the chain itself is intact."""
    from cadre_desk.security import audit

    conn = sqlite3.connect(str(path))
    if cut_after is not None:
        conn.execute("DELETE FROM audit_log WHERE id > ?", (cut_after,))
    columns = ", ".join(f'"{c}"' for c in audit.HASHED_COLUMNS)
    prev, last = "", 0
    for row in conn.execute(f"SELECT {columns} FROM audit_log ORDER BY id").fetchall():
        values = dict(zip(audit.HASHED_COLUMNS[3:], row[3:], strict=True))
        if row[0] == row_id:
            values["summary"] = summary
        digest = audit.row_hash(prev, values)
        conn.execute("UPDATE audit_log SET summary = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (values["summary"], prev, digest, row[0]))
        prev, last = digest, row[0]
    conn.execute("UPDATE setting SET value = ? WHERE key = ?", (json.dumps({"id": last, "hash": prev}), audit.HEAD_KEY))
    conn.commit()
    conn.close()


def _working_day(unit_id: int, count: int = 30) -> None:
    from cadre_desk.profiles import cadres

    for i in range(count):
        cadres.save_profile(make_profile(unit_id, name=f"新人{i}"))


def test_rows_rewritten_with_a_recomputed_chain_are_found_by_the_anchors(db_path, unit, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.security import anchors, audit, backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    _working_day(unit.id)
    backups.make("每日自动")  # anchors the head beside the database and in the user's folder
    _working_day(unit.id, 5)
    victim = 10
    rewrite_audit(db_path, victim)
    assert audit.verify_chain() is None  # the chain alone is fooled
    verdict = anchors.verify()
    assert not verdict.ok and verdict.broken <= victim and "重新计算" in verdict.message
    close_database()
    capsys.readouterr()
    assert main(["--db", str(db_path), "audit-verify"]) == 1
    assert "重新计算" in capsys.readouterr().err
    close_database()
    assert main(["--db", str(db_path), "check"]) == 1
    close_database()
    # deleting the newest rows and setting the head back: the anchors reach further
    open_database(db_path)
    rewrite_audit(db_path, 0, cut_after=20)
    assert audit.verify_chain() is None
    assert "被删除" in anchors.verify().message
    close_database()


def test_anchors_survive_a_move_to_another_computer_with_the_database_folder(tmp_path, db_path, unit, monkeypatch):
    from cadre_desk.security import anchors, backups
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    _working_day(unit.id)
    backups.make("每日自动")
    close_database()
    moved = tmp_path / "另一台电脑" / "数据"
    moved.parent.mkdir()
    # the database with its backups folder, as a clerk copies them (the test's other folders left out)
    shutil.copytree(db_path.parent, moved, ignore=shutil.ignore_patterns("home", "config", "另一台电脑"))
    monkeypatch.setenv("CADRE_DESK_HOME", str(tmp_path / "另一台电脑" / "用户"))  # another user's folder
    copy = moved / db_path.name
    rewrite_audit(copy, 7)
    open_database(copy)
    assert not anchors.verify().ok  # found by the anchors that came with the backups folder
    close_database()
    (moved / "backups" / f"{db_path.stem}.audit-anchors").unlink()
    open_database(copy)
    verdict = anchors.verify()
    assert verdict.ok and verdict.notes  # nothing to hold it against: said, not hidden
    close_database()
    # on the first computer the user's own copy of the anchors still finds it, even without the other
    monkeypatch.setenv("CADRE_DESK_HOME", str(tmp_path / "home"))
    rewrite_audit(db_path, 7)
    (db_path.parent / "backups" / f"{db_path.stem}.audit-anchors").unlink()
    open_database(db_path)
    assert not anchors.verify().ok
    close_database()


def test_a_restore_keeps_the_anchors_coherent_and_a_tampered_backup_is_refused(tmp_path, db_path, unit, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.domain.errors import AuditProblemError
    from cadre_desk.security import anchors, audit, backups
    from cadre_desk.store.db import close_database

    _working_day(unit.id)
    good = backups.make("每日自动")
    _working_day(unit.id, 150)  # past ANCHOR_EVERY: anchors written while working, beyond the backup
    backups.restore_from(good)
    _working_day(unit.id, 5)
    verdict = anchors.verify()
    assert verdict.ok, verdict.message  # the rows after the backup were replaced, not tampered with
    assert audit.entries(limit=6)[-1].action == audit.RESTORE
    # a backup whose audit rows were rewritten (chain recomputed) after it was made
    tampered = backups.make("每日自动")
    rewrite_audit(tampered, 12)
    with pytest.raises(AuditProblemError, match="重新计算"):
        backups.restore_from(tampered)
    edited = backups.make("每日自动")  # and one edited without recomputing anything
    conn = sqlite3.connect(str(edited))
    conn.execute("UPDATE audit_log SET summary = '无事发生' WHERE id = 12")
    conn.commit()
    conn.close()
    with pytest.raises(AuditProblemError, match="第 12 条"):
        backups.restore_from(edited)
    close_database()
    capsys.readouterr()
    assert main(["--db", str(db_path), "restore", str(tampered)]) == 1
    assert "--accept-audit-problem" in capsys.readouterr().err
    close_database()
    # accepted: restored, and the audit log says so
    assert main(["--db", str(db_path), "restore", str(tampered), "--accept-audit-problem"]) == 0
    last = audit.entries(limit=1)[0]
    assert last.action == audit.RESTORE and "校验未通过" in last.summary
    close_database()
