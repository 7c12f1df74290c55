"""Opening a database: a SQLite file (created complete, refused when a newer program wrote it) or a
server database, migrated after a backup of what was there, and bound to the one proxy.

Above db (the proxy and the file's connections), migrations (the schema steps) and backup: the opener
is what puts them together, so none of them needs the others' opening."""

from __future__ import annotations

import logging
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from cadre_desk.domain.errors import CadreDeskError, DatabaseOpenError, WrongPassphraseError
from cadre_desk.store import migrations, server, server_chain
from cadre_desk.store.backup import make_backup
from cadre_desk.store.db import (
    bind,
    cipher_available,
    make_database,
    open_failure,
    peek_user_version,
    remember,
    write_problem,
)
from cadre_desk.store.files import atomic_path
from cadre_desk.store.portable import is_server

log = logging.getLogger(__name__)


def open_database(path: Path | str, *, readonly: bool = False, migrate: bool = True,
                  passphrase: str | None = None) -> SqliteDatabase:
    """Open (creating when missing) and migrate the database at ``path`` and bind the proxy to it.
    ``path`` may also be a server database (a ServerLocation or a postgresql:// URL)."""
    if isinstance(path, server.ServerLocation) or server.is_server_url(path):
        return open_server_database(path, readonly=readonly, migrate=migrate)

    path = Path(path)
    if passphrase and not cipher_available():
        raise CadreDeskError("本机未安装数据库加密组件（sqlcipher3），无法打开加密数据库。")
    if not path.exists():
        if readonly:
            raise DatabaseOpenError(f"数据库文件不存在：{path}")
        create_database_file(path)
    elif migrate:
        refuse_if_too_new(path, passphrase)  # before our pragmas (WAL) touch the file
    db = make_database(path, readonly=readonly, passphrase=passphrase)
    try:
        db.connect(reuse_if_open=True)
    except peewee.DatabaseError as exc:
        raise open_failure(path, exc, readonly) from exc
    if passphrase:
        try:
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:  # noqa: BLE001 - the driver's DatabaseError
            db.close()
            raise WrongPassphraseError() from exc
    bind(db)
    if migrate:
        if readonly:
            migrations.check_version(db)
        else:
            _migrate(db, path)
    return db


def open_server_database(location, *, readonly: bool = False, migrate: bool = True):
    """Connect to a server database (PostgreSQL), migrate it (or refuse a newer schema) and bind the
    proxy to it. ``readonly`` only checks the schema version."""
    if not isinstance(location, server.ServerLocation):
        location = server.ServerLocation.parse(location)
    db = server.make_server_database(location)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        error = DatabaseOpenError(server.connection_error_message(location, exc))
        error.needs_password = server.needs_password(exc)
        raise error from exc
    remember(db)
    bind(db)
    if migrate:
        if readonly:
            migrations.check_version(db)
        else:
            _migrate(db, location)
            server.install_change_notices(db)
    if not readonly:
        server_chain.probe(db)  # does the server hash the audit chain's rows (one statement a save)?
    return db


def refuse_if_too_new(path: Path, passphrase: str | None = None) -> None:
    """The one version gate of every command that writes a database file (open, encrypt, restore):
    SchemaTooNewError, before anything touches a file that a newer version of the program wrote."""
    migrations.refuse_if_too_new(peek_user_version(Path(path), passphrase))


def create_database_file(path: Path) -> None:
    """A new database is built under a temporary name and renamed into place once its schema is
    complete: the path holds either nothing or a whole database, never an empty file (which is damage,
    and is refused as such: see security.backups.check_at_start)."""
    if not path.parent.is_dir():
        raise DatabaseOpenError(f"无法打开数据库 {path}：文件夹不存在。")
    problem = write_problem(path)
    if problem:
        raise DatabaseOpenError(f"无法打开数据库 {path}：{problem}，不能在那里新建数据库。")
    with atomic_path(path, durable=True) as tmp:
        db = make_database(tmp, journal_mode="delete")
        try:
            db.connect()
            migrations.migrate(db)
        finally:
            db.close()


def _migrate(db, where) -> None:
    """Bring the schema up to date, after a backup of a database that already had one (a new, empty
    database has nothing to lose). ``where``: the file's path or the server's location."""
    version = migrations.check_version(db)
    if 0 < version < migrations.LATEST:
        made = make_backup(db, where if is_server(db) else Path(where), reason=f"升级前备份-v{version}")
        log.info("backup before migration: %s", made)
    migrations.migrate(db)


def probe_server(location: server.ServerLocation) -> int:
    """Connect once and read the schema version (nothing bound, nothing changed). Raises
    DatabaseOpenError (said in Chinese) or SchemaTooNewError."""
    db = server.make_server_database(location)
    try:
        db.connect()
    except peewee.OperationalError as exc:
        error = DatabaseOpenError(server.connection_error_message(location, exc))
        error.needs_password = server.needs_password(exc)
        raise error from exc
    try:
        return migrations.check_version(db)
    finally:
        db.close()
