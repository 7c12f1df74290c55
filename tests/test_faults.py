"""Each fault played for real: crash mid-import, disk full, read-only, locked, corrupt, hot journal,
backup round-trip, concurrent saves, second instance, network drive, encryption."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from cadre_desk.domain import clock
from tests.conftest import ROOT, make_profile


def _names() -> list[str]:
    from cadre_desk.store.models import Cadre

    return [c.name for c in Cadre.select(Cadre.name).order_by(Cadre.id)]


def _row_hashes(path) -> dict[str, str]:
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for table in tables:
            digest = hashlib.sha256()
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                if table == "setting" and row[0] == "audit.head":
                    continue  # the audit log's last link: part of the log, which backups add to
                digest.update(repr(row).encode())
            out[table] = digest.hexdigest()
        return out
    finally:
        conn.close()


def test_kill_9_in_the_middle_of_a_bulk_import(db_path, unit):
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    for i in range(5):
        cadres.save_profile(make_profile(unit.id, name=f"原有{i}"))
    close_database()
    script = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
        "from cadre_desk.store.db import write_transaction, raw_connection\n"
        "from cadre_desk.store.opening import open_database\n"
        f"open_database({str(db_path)!r})\n"
        "with write_transaction():\n"
        "    cur = raw_connection().cursor()\n"
        "    cols = [c[1] for c in cur.execute('PRAGMA table_info(cadre)') if c[1] not in ('id', 'name')]\n"
        "    sql = 'INSERT INTO cadre (name, %s) SELECT ?, %s FROM cadre LIMIT 1' % (','.join(cols), ','.join(cols))\n"
        "    for i in range(100000):\n"
        "        cur.execute(sql, ('导入%d' % i,))\n"
        "        if i == 2000:\n"
        "            print('midway', flush=True)\n"
        "            time.sleep(30)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "midway"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    open_database(db_path)
    names = _names()
    assert len(names) == 5 and all(n.startswith("原有") for n in names)
    from cadre_desk.store.db import database

    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_disk_full_during_save_reports_and_loses_nothing(db, unit):
    from cadre_desk.domain.errors import friendly_error
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import database

    kept = cadres.save_profile(make_profile(unit.id, name="已有干部")).profile
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    big = make_profile(unit.id, name="新干部")
    big.photo = os.urandom(400_000)
    with pytest.raises(Exception) as info:
        cadres.save_profile(big)
    assert friendly_error(info.value).startswith("磁盘空间不足")
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    assert [r[0] for r in cadres.list_rows()] == [kept.id]
    assert cadres.get_profile(kept.id).name == "已有干部"
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_disk_full_message_found_behind_a_failed_rollback():
    from cadre_desk.domain.errors import friendly_error

    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as first:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active") from first
    except sqlite3.OperationalError as exc:
        assert friendly_error(exc).startswith("磁盘空间不足")


def test_readonly_database_opens_with_editing_refused(db_path, unit):
    from cadre_desk.domain.errors import PermissionDenied, friendly_error
    from cadre_desk.profiles import cadres
    from cadre_desk.security import accounts  # noqa: F401 - registers the policy
    from cadre_desk.store.db import close_database, database
    from cadre_desk.store.opening import open_database

    saved = cadres.save_profile(make_profile(unit.id)).profile
    close_database()
    open_database(db_path, readonly=True)
    profile = cadres.get_profile(saved.id)
    with pytest.raises(PermissionDenied, match="只读"):
        cadres.save_profile(profile)
    with pytest.raises(Exception) as info:
        database.execute_sql("UPDATE cadre SET name = 'x'")
    assert "只读" in friendly_error(info.value)
    close_database()


def test_locked_database_gives_a_clear_message(db_path, unit, monkeypatch):
    from cadre_desk.domain.errors import friendly_error
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import database

    database.execute_sql("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(str(db_path))
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(Exception) as info:
            cadres.save_profile(make_profile(unit.id))
        assert time.monotonic() - started < 5
        assert "其他程序" in friendly_error(info.value)
    finally:
        other.rollback()
        other.close()
    assert cadres.save_profile(make_profile(unit.id)).profile.id


def _corrupt(path) -> None:
    with open(path, "r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(os.urandom(4096 * 3))


def test_corrupt_file_at_start_offers_newest_good_backup(db_path, unit):
    from cadre_desk.domain.errors import DatabaseDamagedError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database, database
    from cadre_desk.store.opening import open_database

    for i in range(40):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    good = backups.make("每日自动")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    _corrupt(db_path)
    with pytest.raises(DatabaseDamagedError) as info:
        backups.check_at_start(db_path)
    assert info.value.backup == good and "损坏" in str(info.value)
    aside = backups.recover_damaged(db_path, info.value.backup)
    assert aside.exists()
    backups.check_at_start(db_path)
    open_database(db_path)
    assert len(cadres.list_rows()) == 40


def test_cli_names_the_backup_for_a_corrupt_database(db_path, unit, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database, database

    for i in range(40):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    good = backups.make("每日自动")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    _corrupt(db_path)
    assert main(["--db", str(db_path), "check"]) == 2
    err = capsys.readouterr().err
    assert "损坏" in err and str(good) in err and "restore" in err
    assert main(["--db", str(db_path), "restore", str(good)]) == 0
    close_database()
    assert main(["--db", str(db_path), "check"]) == 0
    close_database()


def test_restore_from_a_backup_with_a_hot_journal(tmp_path, db, unit):
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups

    source = tmp_path / "source.sqlite3"
    conn = sqlite3.connect(str(source))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    from cadre_desk.store.backup import backup_to
    from cadre_desk.store.db import database

    cadres.save_profile(make_profile(unit.id, name="备份里的人"))
    backup_to(database.obj, source)
    script = (
        "import sqlite3, os, signal\n"
        f"c = sqlite3.connect({str(source)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=DELETE'); c.execute('PRAGMA cache_size=1')\n"
        "c.execute('BEGIN')\n"
        "for i in range(3000): c.execute(\"UPDATE cadre SET name = 'x' || ?\", (i,))\n"
        "c.execute(\"INSERT INTO setting (key, value) VALUES ('junk', ?)\", ('x' * 100000,))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script])
    journal = source.with_name(source.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    cadres.save_profile(make_profile(unit.id, name="备份之后的人"))
    backups.restore_from(source)
    names = _names()
    assert names == ["备份里的人"]
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_round_trip_identical_row_hashes(tmp_path, demo_db, db_path):
    from cadre_desk.security import backups
    from cadre_desk.store.db import database

    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _row_hashes(db_path)
    target = backups.backup_to_file(tmp_path / "copy.sqlite3")
    copy = {k: v for k, v in _row_hashes(target).items() if k != "audit_log"}
    assert copy == {k: v for k, v in before.items() if k != "audit_log"}
    database.execute_sql("DELETE FROM cadre_photo")
    backups.restore_from(target)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    after = _row_hashes(db_path)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items()
                                                                    if k != "audit_log"}
    from cadre_desk.security import audit

    assert audit.verify_chain() is None
    assert audit.entries(limit=1)[0].action == audit.RESTORE


def test_two_clerks_saving_the_same_profile(db, unit):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres

    saved = cadres.save_profile(make_profile(unit.id)).profile
    first, second = cadres.get_profile(saved.id), cadres.get_profile(saved.id)
    first.values["position"] = "科长"
    cadres.save_profile(first)
    second.values["position"] = "副科长"
    with pytest.raises(ConflictError):
        cadres.save_profile(second)
    assert cadres.get_profile(saved.id).values["position"] == "科长"


def test_daily_backup_once_and_thinning(db, db_path, monkeypatch):
    import datetime as dt

    from cadre_desk.paths import backup_dir_for
    from cadre_desk.security import backups

    assert backups.daily_backup() is not None
    assert backups.daily_backup() is None
    folder = backup_dir_for(db_path)
    source = backups.list_backups(db_path)[0].path
    start = dt.datetime(2025, 1, 1, 9)
    for day in range(400):
        stamp = (start + dt.timedelta(days=day)).strftime("%Y%m%d-%H%M%S-000000")
        (folder / f"{db_path.stem}-{stamp}-每日自动.sqlite3").write_bytes(source.read_bytes())
    backups.thin(db_path)
    kept = backups.list_backups(db_path)
    # 7 daily + up to 4 weekly + up to 12 monthly, overlapping, and the newest real one
    assert 12 <= len(kept) <= 7 + 4 + 12 + 1
    days = {b.at.date() for b in kept}
    newest_fake = (start + dt.timedelta(days=399)).date()
    assert all(newest_fake - dt.timedelta(days=i) in days for i in range(6))


def test_second_instance_and_stale_lock(db_path):
    from cadre_desk.domain.errors import DatabaseInUseError
    from cadre_desk.store import instance_lock

    db_path.write_bytes(b"")
    child = subprocess.Popen([sys.executable, "-c", (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
        "from cadre_desk.store.instance_lock import InstanceLock\n"
        f"InstanceLock({str(db_path)!r}).acquire(); print('ok', flush=True); time.sleep(30)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseInUseError) as info:
            instance_lock.InstanceLock(db_path).acquire(break_stale=True)
        assert not info.value.stale and "正在被使用" in str(info.value) and str(child.pid) in str(info.value)
    finally:
        child.kill()
        child.wait(10)
    # The holder died (killed, like a crash): its lock on this computer is broken without asking.
    lock = instance_lock.InstanceLock(db_path)
    lock.acquire()
    assert lock.held and str(os.getpid()) in instance_lock.lock_path_for(db_path).read_text(encoding="utf-8")
    lock.release()
    assert not instance_lock.lock_path_for(db_path).exists()
    # Another computer's lock with an old heartbeat is stale, but only the user may break it.
    instance_lock.lock_path_for(db_path).write_text(json.dumps(
        {"host": "another-pc", "pid": 1, "user": "clerk", "heartbeat": clock.timestamp() - 3600}), encoding="utf-8")
    with pytest.raises(DatabaseInUseError) as info:
        instance_lock.InstanceLock(db_path).acquire()
    assert info.value.stale and "another-pc" in str(info.value)
    lock = instance_lock.InstanceLock(db_path)
    lock.acquire(break_stale=True)
    assert lock.held
    lock.release()


def test_old_heartbeat_is_stale(monkeypatch):
    import socket

    from cadre_desk.store import instance_lock

    info = {"host": "其他电脑", "pid": 1, "heartbeat": clock.timestamp()}
    assert not instance_lock.is_stale(info)
    info["heartbeat"] = clock.timestamp() - 6 * 60
    assert instance_lock.is_stale(info)
    assert not instance_lock.is_stale({"host": socket.gethostname(), "pid": os.getpid(), "heartbeat": clock.timestamp()})


def test_network_drive_uses_rollback_journal(tmp_path, monkeypatch):
    import io

    from cadre_desk.store import db as store_db

    mounts = f"server:/share {tmp_path} nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    monkeypatch.setattr(store_db, "open", lambda *a, **k: io.StringIO(mounts), raising=False)
    assert store_db.is_network_path(tmp_path / "x.sqlite3")
    assert store_db.journal_mode_for(tmp_path / "x.sqlite3") == "delete"
    monkeypatch.setattr(store_db, "open", lambda *a, **k: io.StringIO("/dev/sda1 / ext4 rw 0 0\n"), raising=False)
    assert store_db.journal_mode_for(tmp_path / "x.sqlite3") == "wal"


def test_encrypted_database_and_its_backups(tmp_path, db_path, unit):
    pytest.importorskip("sqlcipher3")
    from cadre_desk.domain.errors import WrongPassphraseError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups, encryption
    from cadre_desk.store.db import close_database, looks_encrypted
    from cadre_desk.store.opening import open_database

    cadres.save_profile(make_profile(unit.id, name="机密干部"))
    close_database()
    encryption.encrypt_database(db_path, "口令Secret1")
    assert looks_encrypted(db_path)
    assert b"\xe6\x9c\xba\xe5\xaf\x86" not in db_path.read_bytes()  # 机密 not readable
    for attempt in range(4):
        with pytest.raises(WrongPassphraseError, match=f"还可尝试 {4 - attempt}"):
            encryption.open_encrypted(db_path, "wrong")
    encryption.open_encrypted(db_path, "口令Secret1")  # a success resets the count
    close_database()
    for _ in range(5):
        with pytest.raises(WrongPassphraseError):
            encryption.open_encrypted(db_path, "wrong")
    with pytest.raises(WrongPassphraseError, match="锁定"):
        encryption.open_encrypted(db_path, "口令Secret1")
    encryption.passphrase_ok(db_path)
    encryption.open_encrypted(db_path, "口令Secret1")
    assert _names() == ["机密干部"]
    made = backups.make("每日自动")
    assert looks_encrypted(made)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(str(made)).execute("SELECT count(*) FROM cadre").fetchone()
    backups.check_at_start(made, "口令Secret1")
    copy = backups.backup_to_file(tmp_path / "manual.sqlite3")
    assert looks_encrypted(copy)
    backups.restore_from(copy)
    close_database()
    open_database(db_path, passphrase="口令Secret1")
    assert _names() == ["机密干部"]
    close_database()


def test_start_check_of_a_database_left_with_a_hot_journal(tmp_path):
    from cadre_desk.security import backups

    path = tmp_path / "hot.sqlite3"
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 2000)
    conn.commit()
    conn.close()
    subprocess.run([sys.executable, "-c", (
        "import sqlite3, os, signal\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN')\n"
        "c.execute(\"UPDATE t SET x = 'y'\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")])
    assert path.with_name(path.name + "-journal").exists()
    backups.check_at_start(path)  # not reported as damaged: the journal is rolled back
    conn = sqlite3.connect(str(path))
    assert conn.execute("SELECT count(*) FROM t WHERE x = 'y'").fetchone()[0] == 0
    conn.close()


def test_file_errors_are_told_in_chinese():
    import errno as e

    from cadre_desk.domain.errors import friendly_error

    try:
        open("/nonexistent-folder/名册.xlsx")  # noqa: SIM115
    except OSError as exc:
        assert friendly_error(exc) == "找不到文件或文件夹：/nonexistent-folder/名册.xlsx"
    assert friendly_error(OSError(e.EBUSY, "Device or resource busy", "名册.xlsx")).startswith("文件正被其他程序占用")
    assert friendly_error(OSError(e.ENAMETOOLONG, "File name too long", "x")).startswith("文件名或路径太长")


def test_a_damaged_or_foreign_file_is_refused_in_chinese_saying_what_to_do(tmp_path, db, unit):
    """从备份恢复 with a damaged file said SQLite's English (database disk image is malformed, file is
    not a database, 'On tree page 2 cell 4…') and not what to do; the data stays as it was."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups

    cadres.save_profile(make_profile(unit.id, name="本库的人"))
    good = backups.backup_to_file(tmp_path / "good.sqlite3")
    data = good.read_bytes()
    (tmp_path / "half.sqlite3").write_bytes(data[: len(data) // 2])
    scribbled = bytearray(data)
    scribbled[5000:9000] = b"\xff" * 4000
    (tmp_path / "scribbled.sqlite3").write_bytes(bytes(scribbled))
    (tmp_path / "text.sqlite3").write_text("不是数据库", encoding="utf-8")
    for name in ("half.sqlite3", "scribbled.sqlite3", "text.sqlite3"):
        for step in (backups.check_backup_audit, backups.restore_from):
            with pytest.raises(ValidationError) as refused:
                step(tmp_path / name)
            text = str(refused.value)
            assert name in text and "当前数据库没有改动" in text and "请换一个备份文件" in text, text
            assert not any("a" <= ch.lower() <= "z" for ch in text.replace(name, "").replace(".sqlite3", "")), text
    assert _names() == ["本库的人"]


def test_a_backup_of_another_database_is_named_before_it_replaces_this_one(tmp_path, db, unit):
    """A backup of another database (its own audit chain, no anchor here) passed every check: 恢复
    replaced this database's cadres and accounts with no word of it."""
    from cadre_desk.domain.errors import AuditProblemError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, backups

    cadres.save_profile(make_profile(unit.id, name="本库的人"))
    other = backups.backup_to_file(tmp_path / "other.sqlite3")
    conn = sqlite3.connect(str(other))
    conn.execute("UPDATE setting SET value = ? WHERE key = ?", (json.dumps("another-office"), audit.CHAIN_KEY))
    conn.commit()
    conn.close()
    cadres.save_profile(make_profile(unit.id, name="备份之后的人"))
    assert "另一个数据库的备份" in backups.check_backup_audit(other)
    with pytest.raises(AuditProblemError, match="另一个数据库的备份"):
        backups.restore_from(other)
    assert _names() == ["本库的人", "备份之后的人"]
    backups.restore_from(other, accept_audit_problem=True)  # 仍然恢复: done, and said in the log
    assert _names() == ["本库的人"]
    assert "另一个数据库的备份" in audit.entries(limit=1)[0].summary


def test_cancel_during_the_restores_copy_finishes_it_with_its_audit_row(tmp_path, db, unit, monkeypatch):
    """取消 (or Esc) while the backup was being copied in raised at the next step: the backup's data was
    in, without the 恢复 audit row and anchor, and the window said nothing was done."""
    from cadre_desk.domain.progress import SAVING, CancelToken, Progress
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, backups
    from cadre_desk.store import migrations

    cadres.save_profile(make_profile(unit.id, name="备份里的人"))
    good = backups.backup_to_file(tmp_path / "good.sqlite3")
    cadres.save_profile(make_profile(unit.id, name="备份之后的人"))
    token, told = CancelToken(), []
    real = migrations.migrate
    asked = []

    def copied_then_cancel(db_):  # the user presses 取消 while the copy is under way
        asked.append(token.cancel())
        return real(db_)

    monkeypatch.setattr(migrations, "migrate", copied_then_cancel)
    backups.restore_from(good, Progress(lambda d, t, text: told.append(text), token))
    assert asked == [False] and SAVING in told  # refused, and the box says so
    assert _names() == ["备份里的人"]
    assert audit.entries(limit=1)[0].action == audit.RESTORE and audit.verify_chain() is None
