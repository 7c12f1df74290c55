"""The database: one peewee DatabaseProxy, opened by the composition root or a test fixture."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import weakref
from pathlib import Path

import peewee
from peewee import DatabaseProxy, SqliteDatabase

database = DatabaseProxy()

BUSY_TIMEOUT_MS = 10_000
NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "fuse.sshfs", "afs", "9p", "ncpfs"}


def is_network_path(path: Path) -> bool:
    """True for a file on a network share: WAL needs shared memory that network file systems lack."""
    path = Path(path).resolve()
    text = str(path)
    if sys.platform == "win32":
        if text.startswith("\\\\"):
            return True
        try:
            import ctypes

            drive = os.path.splitdrive(text)[0] + "\\"
            return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
        except Exception:  # noqa: BLE001 - unknown means local
            return False
    try:
        best, fstype = "", ""
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3 and text.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, fstype = parts[1], parts[2]
        return fstype in NETWORK_FS_TYPES
    except OSError:
        return False


def journal_mode_for(path: Path) -> str:
    return "delete" if is_network_path(path) else "wal"


SQLITE_HEADER = b"SQLite format 3\x00"


def looks_encrypted(path: Path | str) -> bool:
    """Whole pages without SQLite's plain header: encrypted (SQLCipher), or damaged.
    Any other file (text, a spreadsheet…) is simply not a database and is reported as such."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return size >= 1024 and size % 512 == 0 and head != SQLITE_HEADER


def cipher_available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def sql_literal(text: str) -> str:
    """A text as an SQL string literal, for the PRAGMA and ATTACH statements that take no parameters."""
    return "'" + text.replace("'", "''") + "'"


def connect_raw(path: Path | str, passphrase: str | None = None, readonly: bool = False):
    """A plain DB-API connection (sqlite3, or sqlcipher3 with the key) for checks and backups."""
    path = Path(path)
    if passphrase:
        import sqlcipher3

        target = path.resolve().as_uri() + "?mode=ro" if readonly else str(path)
        conn = sqlcipher3.connect(target, uri=readonly, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key={sql_literal(passphrase)}")
        return conn
    if readonly:
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    return sqlite3.connect(str(path), check_same_thread=False)


def passphrase_of(db) -> str | None:
    return getattr(db, "_cadre_passphrase", None)


def connect_like(db, path: Path | str):
    """A raw connection to another file of the same kind as ``db`` (encrypted with the same key)."""
    return connect_raw(path, passphrase_of(db))


def quick_check_file(path: Path | str, passphrase: str | None = None) -> str:
    """'ok', or why the file at ``path`` is damaged. Looks read-only first; a WAL without its -shm or a
    hot journal needs a writable connection (which only recovers what SQLite would recover anyway)."""
    result = _quick_check(path, passphrase, readonly=True)
    if result != "ok" and "malformed" not in result and "not a database" not in result \
            and os.access(path, os.W_OK):
        result = _quick_check(path, passphrase, readonly=False)
    return result


def _quick_check(path: Path | str, passphrase: str | None, readonly: bool) -> str:
    try:
        conn = connect_raw(path, passphrase, readonly=readonly)
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        result = "; ".join(str(r[0]) for r in rows[:5])
        return "ok" if result == "ok" else result
    except Exception as exc:  # noqa: BLE001 - "file is not a database", "malformed" …
        return str(exc)
    finally:
        conn.close()


def make_database(path: Path | str, *, readonly: bool = False, passphrase: str | None = None) -> SqliteDatabase:
    """A SqliteDatabase with the app's pragmas. ``readonly`` opens with mode=ro; ``passphrase``
    opens an encrypted database through SQLCipher."""
    path = Path(path)
    pragmas = {
        "foreign_keys": 1,
        "busy_timeout": BUSY_TIMEOUT_MS,
        "secure_delete": 1,
        "synchronous": "full",
    }
    if passphrase:
        from playhouse.sqlcipher_ext import SqlCipherDatabase

        cls, extra = SqlCipherDatabase, {"passphrase": passphrase}
    else:
        cls, extra = SqliteDatabase, {}
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        db = cls(uri, uri=True, pragmas=pragmas, check_same_thread=False, **extra)
    else:
        pragmas["journal_mode"] = journal_mode_for(path)
        db = cls(str(path), pragmas=pragmas, check_same_thread=False, **extra)
    db._cadre_passphrase = passphrase
    _DATABASES.add(db)
    return db


def bind(db: SqliteDatabase) -> SqliteDatabase:
    database.initialize(db)
    return db


def open_database(path: Path | str, *, readonly: bool = False, migrate: bool = True,
                  passphrase: str | None = None) -> SqliteDatabase:
    """Open (creating when missing) and migrate the database at ``path`` and bind the proxy to it."""
    from cadre_desk.store import migrations

    if migrate and Path(path).exists():
        # Refuse a newer schema before our pragmas (WAL) touch the file.
        migrations.refuse_if_too_new(peek_user_version(Path(path)))
    if passphrase and not cipher_available():
        from cadre_desk.domain.errors import CadreDeskError

        raise CadreDeskError("本机未安装数据库加密组件（sqlcipher3），无法打开加密数据库。")
    db = make_database(path, readonly=readonly, passphrase=passphrase)
    try:
        db.connect(reuse_if_open=True)
    except peewee.DatabaseError as exc:
        from cadre_desk.domain.errors import DatabaseOpenError

        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseOpenError(f"无法打开 {path}：它不是本程序的数据库文件，或文件已损坏。") from exc
        raise DatabaseOpenError(f"无法打开数据库 {path}：文件夹不存在、没有写入权限或文件被占用。") from exc
    if passphrase:
        try:
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:  # noqa: BLE001 - the driver's DatabaseError
            db.close()
            from cadre_desk.domain.errors import WrongPassphraseError

            raise WrongPassphraseError() from exc
    bind(db)
    if migrate:
        if readonly:
            migrations.check_version(db)
        else:
            migrations.migrate(db, Path(path))
    return db


def peek_user_version(path: Path) -> int:
    """PRAGMA user_version of a database file, read without changing it."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0  # not a database (or empty): the normal open reports it
    finally:
        conn.close()


def close_database() -> None:
    """Close the calling thread's connection (peewee keeps one per thread)."""
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()


# Every database object made here: a worker may have used one that has since been replaced.
_DATABASES: weakref.WeakSet = weakref.WeakSet()


def close_thread_connection() -> None:
    """End of a worker's job: close the connections it opened (peewee keeps one per thread and
    database) unless a transaction is still open."""
    for db in list(_DATABASES):
        if not db.is_closed() and not db.in_transaction():
            db.close()


# A callable every write waits on first: the start-up quick_check running beside the window. It
# raises (DatabaseDamagedError) while the database may not be written; it is removed once it passed.
_write_gate = None


def set_write_gate(gate) -> None:
    global _write_gate
    _write_gate = gate


def wait_for_write_gate() -> None:
    gate = _write_gate
    if gate is not None:
        gate()


def raw_connection() -> sqlite3.Connection:
    """The sqlite3 connection behind the proxy, for bulk executemany (10× faster than insert_many)."""
    wait_for_write_gate()
    return database.connection()


@contextlib.contextmanager
def write_transaction():
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite), so two
    writers queue instead of failing half-way."""
    wait_for_write_gate()
    db = database.obj
    if isinstance(db, SqliteDatabase):
        with db.atomic("IMMEDIATE") as txn:
            yield txn
    else:
        with db.atomic() as txn:
            yield txn


def database_path() -> Path | None:
    db = database.obj
    if db is None:
        return None
    return _path_of_name(db.database)


def _path_of_name(name: str) -> Path:
    if name.startswith("file:"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(name).path))
    return Path(name)


def file_path_of(db) -> Path | None:
    """The file of a SQLite database object (None in memory or on a server)."""
    name = getattr(db, "database", None)
    if not isinstance(db, SqliteDatabase) or not name or name == ":memory:":
        return None
    return _path_of_name(name)
