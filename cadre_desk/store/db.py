"""The database: one peewee DatabaseProxy (bound by store.opening), the SQLite file's connections and
checks, and the write transaction every service uses."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
import threading
import weakref
from pathlib import Path

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
        except (AttributeError, OSError):  # the drive type cannot be read: taken as local (WAL)
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


# On POSIX, closing any descriptor of a file drops every lock this process holds on it — SQLite's too
# (SQLite's "how to corrupt" §2.2). A header read with open()/close() beside the window's connection left
# the file unlocked: another program (a command, a second window) closing its connection found no reader,
# checkpointed and deleted the -wal and -shm, and the window's next writes went into the deleted -wal —
# lost at its exit. The header of a file that a database of this process has open is read through one
# descriptor kept open (os.pread); other files as usual. Windows' locks belong to a handle: nothing to keep.
_HEAD_FDS: dict[tuple[int, int], int] = {}
_HEAD_LOCK = threading.Lock()


def _opened_files() -> set[tuple[int, int]]:
    """(device, inode) of the files the databases made here have open (or had: kept while they live)."""
    found = set()
    for db in list(_DATABASES):
        path = getattr(db, "_cadre_path", None)
        with contextlib.suppress(OSError, TypeError):
            st = os.stat(path)
            found.add((st.st_dev, st.st_ino))
    return found


def read_head(path: Path | str, size: int = 16) -> bytes:
    """The first ``size`` bytes of a database file, without dropping the locks SQLite holds on it here."""
    if os.name != "posix":
        with open(path, "rb") as fh:
            return fh.read(size)
    st = os.stat(path)
    key = (st.st_dev, st.st_ino)
    with _HEAD_LOCK:
        opened = _opened_files()
        for gone in [k for k in _HEAD_FDS if k not in opened]:  # no database here has it open any more
            os.close(_HEAD_FDS.pop(gone))
        fd = _HEAD_FDS.get(key)
        if fd is None:
            if key not in opened:
                with open(path, "rb") as fh:
                    return fh.read(size)
            fd = _HEAD_FDS[key] = os.open(path, os.O_RDONLY)  # opening drops no lock; closing would
        return os.pread(fd, size, 0)


def looks_encrypted(path: Path | str) -> bool:
    """Whole pages without SQLite's plain header: encrypted (SQLCipher), or damaged.
    Any other file (text, a spreadsheet…) is simply not a database and is reported as such."""
    path = Path(path)
    try:
        size = path.stat().st_size
        head = read_head(path)
    except OSError:
        return False
    return size >= 1024 and size % 512 == 0 and head != SQLITE_HEADER


def cipher_available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:  # an optional package (pyproject extra "encryption"): the window says it is missing
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

        target = readonly_uri(path) if readonly else str(path)
        conn = sqlcipher3.connect(target, uri=readonly, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key={sql_literal(passphrase)}")
        return conn
    if readonly:
        return sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
    return sqlite3.connect(str(path), check_same_thread=False)


# ---- what the file system allows ---------------------------------------------------------------------

# Below this much free space a database that fails to open is on a full disk (SQLite needs 32 KB for the
# -shm of a WAL database before it reads a page, and more for any write).
LOW_SPACE_BYTES = 2 << 20


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def low_space(folder: Path) -> bool:
    free = free_space(folder)
    return free is not None and free < LOW_SPACE_BYTES


def write_problem(path: Path | str) -> str | None:
    """Why the database at ``path`` cannot be written, in Chinese, or None. Uses access(2), which also
    honours read-only mounts and immutable files (which root cannot write either)."""
    path = Path(path)
    folder = path.resolve().parent
    if path.exists() and not os.access(path, os.W_OK):
        return "数据库文件只读"
    if not os.access(folder, os.W_OK):
        return "数据库所在的文件夹只读（程序要在数据库旁建立日志文件才能写入）"
    return None


def readonly_uri(path: Path | str) -> str:
    """The URI that opens ``path`` read-only. mode=ro alone cannot read a WAL database whose -shm
    cannot be made (a read-only folder, a full disk); then immutable=1 reads it without -shm and locks.
    That is safe there: no writer can commit where no journal can be written. Not when a -wal holds
    changes not yet in the file, which immutable would ignore."""
    path = Path(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        pending = False
    folder = path.resolve().parent
    if not pending and (not os.access(folder, os.W_OK) or low_space(folder)):
        uri += "&immutable=1"
    return uri


def is_readonly(db=None) -> bool:
    """True when ``db`` (default: the open database) was opened read-only."""
    db = database.obj if db is None else db
    return db is not None and bool(getattr(db, "_cadre_readonly", False))


def passphrase_of(db) -> str | None:
    return getattr(db, "_cadre_passphrase", None)


def connect_like(db, path: Path | str):
    """A raw connection to another file of the same kind as ``db`` (encrypted with the same key)."""
    return connect_raw(path, passphrase_of(db))


DAMAGED, UNREADABLE = "damaged", "unreadable"


def quick_check_file(path: Path | str, passphrase: str | None = None) -> str:
    """'ok', or why the file at ``path`` failed the check (see check_file)."""
    return check_file(path, passphrase)[1]


def check_file(path: Path | str, passphrase: str | None = None) -> tuple[str, str]:
    """("ok", "ok"), (DAMAGED, why) when the content is damaged (quick_check's findings, "malformed",
    "not a database"), or (UNREADABLE, why) when the file could not be read at all (a full disk, a
    read-only folder, a disk or network error): that says nothing about the content. Read-only first;
    a WAL without its -shm or a hot journal needs a writable connection (which only recovers what
    SQLite would recover anyway)."""
    kind, text = _quick_check(path, passphrase, readonly=True)
    if kind == UNREADABLE and write_problem(path) is None:
        retry = _quick_check(path, passphrase, readonly=False)
        if retry[0] != UNREADABLE:
            return retry
    return kind, text


def _quick_check(path: Path | str, passphrase: str | None, readonly: bool) -> tuple[str, str]:
    try:
        conn = connect_raw(path, passphrase, readonly=readonly)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except Exception as exc:  # noqa: BLE001 - sqlite3's or sqlcipher3's error: sorted below
        # OperationalError: the file could not be read (I/O, cannot open, locked); any other
        # DatabaseError is about the content ("file is not a database", "malformed").
        return (UNREADABLE if type(exc).__name__ == "OperationalError" and "malformed" not in str(exc)
                else DAMAGED), str(exc)
    result = "; ".join(str(r[0]) for r in rows[:5])
    return ("ok", "ok") if result == "ok" else (DAMAGED, result)


def make_database(path: Path | str, *, readonly: bool = False, passphrase: str | None = None,
                  journal_mode: str | None = None) -> SqliteDatabase:
    """A SqliteDatabase with the app's pragmas. ``readonly`` opens with mode=ro (readonly_uri);
    ``passphrase`` opens an encrypted database through SQLCipher."""
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
        db = cls(readonly_uri(path), uri=True, pragmas=pragmas, check_same_thread=False, **extra)
    else:
        pragmas["journal_mode"] = journal_mode or journal_mode_for(path)
        db = cls(str(path), pragmas=pragmas, check_same_thread=False, **extra)
    db._cadre_passphrase = passphrase
    db._cadre_readonly = readonly
    db._cadre_path = str(path)  # the file whose header read_head reads without unlocking it
    _DATABASES.add(db)
    return db


def bind(db: SqliteDatabase) -> SqliteDatabase:
    database.initialize(db)
    return db


def open_failure(path: Path, exc: BaseException | str, readonly: bool = False) -> Exception:
    """The error to tell when SQLite could not open or read ``path`` (the exception or its text): a full
    disk and a read-only place are said as such — they are not damage —, damage as damage."""
    from cadre_desk.domain.errors import DatabaseOpenError, is_disk_full

    path = Path(path)
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return DatabaseOpenError(f"无法打开 {path}：它不是本程序的数据库文件，或文件已损坏。")
    full = is_disk_full(exc) if isinstance(exc, BaseException) else "disk is full" in text
    if full or low_space(path.resolve().parent):
        return disk_full_error(path)
    problem = write_problem(path)
    if problem and not readonly:
        return DatabaseOpenError(f"无法以写方式打开数据库 {path}：{problem}。可以以只读方式打开查阅。")
    if problem:
        return DatabaseOpenError(f"无法读取数据库 {path}：{problem}，而且有最近的修改尚未写入主文件"
                                 f"（{text}）。请由能写入该文件夹的用户打开一次。")
    return DatabaseOpenError(f"无法读取数据库 {path}（{text}）：磁盘或网络故障、没有权限或文件被占用。"
                             "这不表示数据库已损坏，程序没有改动它。")


def disk_full_error(path: Path):
    """DiskFullError for the database at ``path``, saying whether it can still be read."""
    from cadre_desk.domain.errors import DiskFullError

    folder = Path(path).resolve().parent
    free = free_space(folder)
    left = f"（只剩 {free // 1024} KB）" if free is not None else ""
    readable = "immutable=1" in readonly_uri(path)
    message = (f"磁盘空间不足：数据库所在的磁盘{left}已满，程序无法以写方式打开数据库。"
               f"数据库本身没有损坏，也没有被改动。\n请清理该磁盘（{folder}）后重新打开程序。")
    if not readable:
        message += "\n数据库还有尚未写入主文件的最近修改，清理磁盘前无法打开查阅。"
    return DiskFullError(message, readonly_possible=readable)


def peek_user_version(path: Path, passphrase: str | None = None) -> int:
    """PRAGMA user_version of a database file, read without changing it."""
    try:
        conn = connect_raw(path, passphrase, readonly=True)
    except Exception:  # noqa: BLE001 - cannot be opened: the normal open reports why
        return 0
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - not a database (or the wrong key): the normal open reports it
        return 0
    finally:
        conn.close()


def close_database() -> None:
    """Close the calling thread's connection (peewee keeps one per thread)."""
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()


# Every database object made here: a worker may have used one that has since been replaced.
_DATABASES: weakref.WeakSet = weakref.WeakSet()


def remember(db) -> None:
    """Count ``db`` among the databases whose connections ``close_thread_connection`` closes."""
    _DATABASES.add(db)


def close_thread_connection() -> None:
    """End of a worker's job: close the connections it opened (peewee keeps one per thread and
    database) unless a transaction is still open."""
    for db in list(_DATABASES):
        if not db.is_closed() and not db.in_transaction():
            db.close()


# The database being replaced under the open window: 加密数据库 closes it and opens the encrypted file
# instead, 从备份恢复 copies a backup over it. What runs on a timer (the idle lock, a page's refresh) asks
# ``replacing()`` and waits; while the database is closed for it, no connection opens to it again — a
# stray read fails instead of reading, or writing, the file about to be replaced.
_replacements: list[object] = []


def replacing() -> bool:
    return bool(_replacements)


def start_replacing(close: bool = False):
    """Mark the database as being replaced (``close``: close it too, until its successor is bound).
    Returns the function that ends it (once; the closed database object may connect again)."""
    token = object()
    closed = database.obj if close else None
    if closed is not None:
        close_database()
        closed.autoconnect = False
    _replacements.append(token)

    def done() -> None:
        if token in _replacements:
            _replacements.remove(token)
            if closed is not None:
                closed.autoconnect = True

    return done


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
    """The sqlite3 connection behind the proxy, for bulk executemany (10× faster than insert_many).
    On a server database: a stand-in with the same execute/executemany and ``?`` placeholders."""
    wait_for_write_gate()
    from cadre_desk.store import portable

    if portable.is_server(database.obj):
        return portable.ServerConnection(database.obj)
    return database.connection()


# Called after each outermost write transaction committed (security.anchors anchors the audit chain).
AFTER_COMMIT: list = []


@contextlib.contextmanager
def write_transaction():
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite), so two
    writers queue instead of failing half-way."""
    wait_for_write_gate()
    db = database.obj
    outermost = not db.in_transaction()
    if outermost or isinstance(db, SqliteDatabase):
        # BEGIN IMMEDIATE on SQLite; on a server BEGIN and the writers' lock in one round trip
        # (server_db.ServerDatabase)
        with db.atomic("IMMEDIATE") as txn:
            yield txn
    else:  # inside a transaction on a server, which may have begun without the writers' lock
        from cadre_desk.store.server import lock_writers

        with db.atomic() as txn:
            lock_writers(db)
            yield txn
    if outermost:
        for hook in AFTER_COMMIT:
            hook()


def database_path() -> Path | None:
    """The file of the open database (None for none, or a server database: see server.location_of)."""
    db = database.obj
    if db is None or not isinstance(db, SqliteDatabase):
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


def database_location():
    """Where the bound database is: its file (Path) or its server (store.server.ServerLocation)."""
    from cadre_desk.store.server import location_of

    return location_of(database.obj) or database_path()
