"""Encryption at rest (optional, per database): SQLCipher with a key derived from a passphrase.

An encrypted database is recognized by its header (no plain "SQLite format 3"); its backups are made
through the same keyed connection and so stay encrypted. A wrong passphrase counts toward a lockout kept
beside the database and in the user's data folder (the accounts inside cannot be read without the key)."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
from pathlib import Path

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import CadreDeskError, ValidationError, WrongPassphraseError
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.store.db import cipher_available, quick_check_file, read_head, sql_literal
from cadre_desk.store.files import atomic_path, file_mode
from cadre_desk.store.opening import refuse_if_too_new

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCK_MINUTES = 30


# The lockout is kept twice: beside the database (it travels with it) and in the user's data folder under
# the database's own salt (the first 16 bytes of an encrypted file: the same after a rename or a move).
# The stricter of the two counts, so deleting the file beside the database does not reset it.


def _guard_paths(db_path: Path) -> list[Path]:
    db_path = Path(db_path)
    paths = [db_path.with_name(db_path.name + ".keyguard")]
    salt = _salt_of(db_path)
    if salt:
        from cadre_desk.paths import data_dir

        paths.append(data_dir() / "keyguard" / f"{salt}.json")
    return paths


def _salt_of(db_path: Path) -> str:
    try:
        head = read_head(db_path)
    except OSError:
        return ""
    return head.hex() if len(head) == 16 and head != b"SQLite format 3\x00" else ""


def _read_guard(db_path: Path) -> dict:
    """The stricter of the kept states: the most failures, the latest lock."""
    failures, until = 0, ""
    for path in _guard_paths(db_path):
        try:
            guard = json.loads(path.read_text(encoding="utf-8"))
            failures = max(failures, int(guard.get("failures", 0)))
            until = max(until, str(guard.get("locked_until", "")))
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    return {"failures": failures, "locked_until": until}


def _write_guard(db_path: Path, guard: dict) -> None:
    for path in _guard_paths(db_path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(guard), encoding="utf-8")
        except OSError as exc:  # a read-only folder beside the database: the other copy still counts
            log.warning("cannot keep the passphrase lockout in %s: %s", path, exc)


def check_passphrase_lock(db_path: Path, now: _dt.datetime | None = None) -> None:
    until = _read_guard(db_path).get("locked_until", "")
    if until and until > (now or clock.now()).isoformat(timespec="seconds"):
        raise WrongPassphraseError(f"数据库口令连续输错 {MAX_FAILURES} 次，已锁定至 {format_moment(until)}。")


def passphrase_failed(db_path: Path, now: _dt.datetime | None = None) -> str:
    """Count a wrong passphrase; returns the message for the user."""
    now = now or clock.now()
    guard = _read_guard(db_path)
    failures = int(guard.get("failures", 0)) + 1
    if failures >= MAX_FAILURES:
        until = (now + _dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds")
        guard = {"failures": 0, "locked_until": until}
        message = f"数据库口令连续输错 {MAX_FAILURES} 次，已锁定至 {format_moment(until)}。"
    else:
        guard = {"failures": failures, "locked_until": guard.get("locked_until", "")}
        message = f"数据库口令错误（还可尝试 {MAX_FAILURES - failures} 次）。"
    _write_guard(db_path, guard)
    return message


def passphrase_ok(db_path: Path) -> None:
    for path in _guard_paths(db_path):
        path.unlink(missing_ok=True)


def check_key(db_path: Path, passphrase: str) -> None:
    """Raise WrongPassphraseError (counted toward the lockout) unless ``passphrase`` opens the file."""
    check_passphrase_lock(db_path)
    import sqlcipher3

    conn = sqlcipher3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key={sql_literal(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        raise WrongPassphraseError(passphrase_failed(db_path)) from None
    finally:
        conn.close()
    passphrase_ok(db_path)


def open_encrypted(db_path: Path, passphrase: str, readonly: bool = False):
    """open_database for an encrypted file with the lockout applied."""
    from cadre_desk.store.opening import open_database

    check_key(db_path, passphrase)
    try:
        db = open_database(db_path, readonly=readonly, passphrase=passphrase)
    except WrongPassphraseError:
        raise WrongPassphraseError(passphrase_failed(db_path)) from None
    passphrase_ok(db_path)
    return db


def _tables(conn) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


SERVER_REFUSAL = ("加密数据库只用于本机的数据库文件（SQLite）。当前是服务器数据库（PostgreSQL），"
                  "其加密（磁盘加密、SSL 连接）请由服务器管理员在服务器上设置。")


def why_not_encryptable(readonly: bool = False) -> str:
    """Why the open database cannot be encrypted from the window ("" when it can): a server database,
    no sqlcipher3 here, read-only, already encrypted."""
    from cadre_desk.store.db import database, database_path, looks_encrypted
    from cadre_desk.store.portable import is_server

    if database.obj is not None and is_server(database.obj):
        return SERVER_REFUSAL
    path = database_path()
    if path is None:
        return "没有打开的数据库文件。"
    if readonly:
        return "数据库以只读方式打开，不能加密。"
    if looks_encrypted(path):
        return "该数据库已经加密。"
    if not cipher_available():
        return "本机未安装加密组件 sqlcipher3，无法加密。"
    return ""


def encrypt_database(db_path: Path, passphrase: str, progress: Progress = NO_PROGRESS) -> Path:
    """Encrypt a plain database file in place (it must not be open). The encrypted copy is built beside
    it, verified (quick_check, same row counts), then renamed over the original. Returns the path.
    A database from a newer version of the program is refused before anything touches it. ``progress``
    may cancel until the verified copy is about to replace the file (sealed): the file is then unchanged."""
    if not cipher_available():
        raise CadreDeskError("本机未安装数据库加密组件（sqlcipher3），无法加密。请安装 cadre_desk[encryption]。")
    from cadre_desk.store.instance_lock import is_stale, lock_path_for, read_lock

    db_path = Path(db_path)
    if len(passphrase) < 8:
        raise ValidationError({"passphrase": "数据库口令至少 8 位。"})
    info = read_lock(lock_path_for(db_path))
    if info and not is_stale(info) and info.get("pid") != os.getpid():
        raise CadreDeskError("数据库正被程序窗口使用，请先关闭窗口再加密。")
    if read_head(db_path) != b"SQLite format 3\x00":
        raise ValidationError("该数据库已经加密或不是数据库文件。")
    refuse_if_too_new(db_path)
    import sqlcipher3

    progress.report(0, 3, "正在加密…")
    with atomic_path(db_path, mode=file_mode(db_path), durable=True) as tmp:
        conn = sqlcipher3.connect(str(db_path))
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]  # no -wal beside the file we replace
            if str(mode).lower() != "delete":
                raise CadreDeskError("数据库仍有其他连接在使用，无法加密。请关闭所有程序窗口后用命令行加密。")
            before = _tables(conn)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"ATTACH DATABASE {sql_literal(str(tmp))} AS encrypted KEY {sql_literal(passphrase)}")
            conn.execute("SELECT sqlcipher_export('encrypted')")
            conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            conn.commit()
            conn.execute("DETACH DATABASE encrypted")
        finally:
            conn.close()
        progress.report(1, 3, "正在校验加密后的数据库…")
        check = sqlcipher3.connect(str(tmp))
        try:
            check.execute(f"PRAGMA key={sql_literal(passphrase)}")
            ok = check.execute("PRAGMA quick_check").fetchone()[0] == "ok" and _tables(check) == before
        finally:
            check.close()
        if not ok or quick_check_file(tmp, passphrase) != "ok":
            raise CadreDeskError("加密后的数据库校验失败，原数据库未改动。")
        progress.seal()  # a 取消 until here leaves the file as it was; from here it replaces the file
    return db_path
