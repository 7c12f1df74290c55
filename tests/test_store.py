"""The store: migrations, backups before a migration, refusing a newer schema, pragmas, write lock."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import types

import pytest

from cadre_desk.domain.errors import SchemaTooNewError
from cadre_desk.store import migrations
from cadre_desk.store.db import close_database, journal_mode_for, write_transaction
from cadre_desk.store.migrations import v0001_foundation
from cadre_desk.store.opening import open_database


def _user_version(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _make_v1(path) -> None:
    """A database as the first released schema left it, with one unit and one cadre."""
    conn = sqlite3.connect(path)
    v0001_foundation.upgrade(types.SimpleNamespace(execute_sql=conn.execute))
    conn.execute("INSERT INTO unit (id, version, created_at, updated_at, name, parent_id, path, sort_order,"
                 " short_name, kind) VALUES (1, 1, '', '', '市直机关', NULL, '/1/', 1, '', '')")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(cadre)") if r[1] != "id"]
    values = {c: "" for c in columns} | {"version": 1, "unit_id": 1, "name": "李四", "gender": "1",
                                           "birth": "198001", "status": "1"}
    conn.execute(f"INSERT INTO cadre ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                 f"VALUES ({', '.join('?' for _ in columns)})", [values[c] for c in columns])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fake_step(version: int, fail: bool = False):
    def upgrade(db):
        db.execute_sql("CREATE TABLE fake_feature (id INTEGER PRIMARY KEY, note TEXT)")
        db.execute_sql("INSERT INTO fake_feature (note) VALUES ('x')")
        if fail:
            raise RuntimeError("boom")

    return types.SimpleNamespace(VERSION=version, DESCRIPTION="测试用迁移", upgrade=upgrade)


def test_migrate_empty_database(db_path):
    db = open_database(db_path)
    try:
        assert migrations.current_version(db) == migrations.LATEST
        tables = {t for t in db.get_tables()}
        assert {"unit", "cadre", "resume_entry", "family_member", "audit_log", "setting"} <= tables
    finally:
        close_database()
    # a brand-new database is not backed up
    assert not (db_path.parent / "backups").exists()


def test_migrate_from_schema_v1_keeps_data(db_path):
    _make_v1(db_path)
    db = open_database(db_path)
    try:
        assert migrations.current_version(db) == migrations.LATEST
        from cadre_desk.store.models import Cadre, Unit

        assert Unit.get_by_id(1).name == "市直机关"
        assert Cadre.get(Cadre.name == "李四").unit_id == 1
    finally:
        close_database()


def test_newer_schema_refused_and_untouched(db_path):
    _make_v1(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(SchemaTooNewError, match="更新版本"):
        open_database(db_path)
    assert _digest(db_path) == before
    assert not (db_path.parent / (db_path.name + "-wal")).exists()
    assert _user_version(db_path) == migrations.LATEST + 5
    with pytest.raises(SchemaTooNewError):
        open_database(db_path, readonly=True)
    close_database()
    assert _digest(db_path) == before


def test_backup_before_migrating_a_database_with_data(db_path, monkeypatch):
    _make_v1(db_path)
    open_database(db_path)
    close_database()
    # opening v1 may already have migrated (and backed up) to the current schema
    earlier = set((db_path.parent / "backups").glob("*.sqlite3"))
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, _fake_step(99)])
    monkeypatch.setattr(migrations, "LATEST", 99)
    db = open_database(db_path)
    try:
        assert migrations.current_version(db) == 99
        assert db.execute_sql("SELECT note FROM fake_feature").fetchone() == ("x",)
    finally:
        close_database()
    backups = [b for b in (db_path.parent / "backups").glob("*.sqlite3") if b not in earlier]
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == migrations.STEPS[-2].VERSION
        assert copy.execute("SELECT name FROM cadre").fetchall() == [("李四",)]
        assert "fake_feature" not in _tables(copy)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_failed_migration_rolls_back(db_path, monkeypatch):
    _make_v1(db_path)
    open_database(db_path)
    close_database()
    old_latest = migrations.LATEST
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, _fake_step(99, fail=True)])
    monkeypatch.setattr(migrations, "LATEST", 99)
    with pytest.raises(RuntimeError, match="boom"):
        open_database(db_path)
    close_database()
    assert _user_version(db_path) == old_latest
    conn = sqlite3.connect(db_path)
    try:
        assert "fake_feature" not in _tables(conn)
        assert conn.execute("SELECT name FROM cadre").fetchall() == [("李四",)]
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_pragmas(db):
    def pragma(name):
        return db.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("foreign_keys") == 1
    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") == 10_000
    assert pragma("secure_delete") == 1


def test_network_drive_uses_rollback_journal(tmp_path, monkeypatch):
    from cadre_desk.store import db as store_db

    assert journal_mode_for(tmp_path / "x.sqlite3") == "wal"
    monkeypatch.setattr(store_db, "is_network_path", lambda path: True)
    assert store_db.journal_mode_for(tmp_path / "x.sqlite3") == "delete"
    database = store_db.make_database(tmp_path / "net.sqlite3")
    database.connect()
    try:
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        database.close()


def test_foreign_keys_enforced(db):
    from peewee import IntegrityError

    from cadre_desk.store.models import ResumeEntry

    with pytest.raises(IntegrityError):
        ResumeEntry.create(cadre=12345, seq=0, start="200001", text="x")


@pytest.mark.sqlite_only
def test_write_transaction_takes_the_write_lock_at_once(db, db_path):
    other = sqlite3.connect(db_path, timeout=0)
    try:
        with write_transaction():
            # nothing written yet, but BEGIN IMMEDIATE already holds the lock
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_write_transaction_rolls_back_on_error(db):
    from cadre_desk.store.models import Setting

    with pytest.raises(ValueError), write_transaction():
        Setting.create(key="k", value="1")
        raise ValueError
    assert Setting.select().count() == 0


@pytest.mark.sqlite_only
def test_backup_api_copy_is_consistent(db, db_path, tmp_path):
    from cadre_desk.store.backup import backup_to
    from cadre_desk.units import units

    units.create_unit("市直机关")
    target = backup_to(db, tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT name FROM unit").fetchall() == [("市直机关",)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert not (tmp_path / "copy.sqlite3.part").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX locks belong to the process; Windows' to a handle")
def test_reading_the_header_beside_the_open_database_keeps_its_wal(db_path):
    """The window's start checks the file (check_at_start: its header, with open()/close()) while its own
    connection is open. Closing any descriptor of the file dropped that connection's locks: a command run
    meanwhile, closing as the last reader it believed it was, checkpointed and deleted the -wal and -shm, and
    the window's next writes went into the deleted -wal — gone at its exit (walk 37: a 选派 lost)."""
    from cadre_desk.security.backups import check_at_start
    from cadre_desk.store.db import database, looks_encrypted
    from cadre_desk.store.models import Setting

    open_database(db_path)
    try:
        with write_transaction():
            Setting.create(key="walk37.before", value="1")
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.exists()
        check_at_start(db_path)
        assert not looks_encrypted(db_path)
        # another program reads and closes: it must find a reader still there
        subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                        "c.execute('SELECT count(*) FROM setting').fetchall(); c.close()", str(db_path)],
                       check=True, timeout=60)
        assert wal.exists(), "the other program deleted the -wal of the open database"
        with write_transaction():
            Setting.create(key="walk37.after", value="1")
        assert database.execute_sql("SELECT count(*) FROM setting WHERE key LIKE 'walk37.%'").fetchone() == (2,)
    finally:
        close_database()
    check = sqlite3.connect(db_path)
    try:
        assert check.execute("SELECT count(*) FROM setting WHERE key LIKE 'walk37.%'").fetchone() == (2,)
    finally:
        check.close()
