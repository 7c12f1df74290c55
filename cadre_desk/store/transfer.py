"""Copying a whole database from one engine to the other, and proving the copy is whole.

A SQLite file moves into an empty server database (``migrate-to``); a server database is written out as
a complete SQLite snapshot (its backup); a snapshot goes back into the server (restore). Both sides must
have the same schema version; every table is copied with its ids, every row is compared afterwards
(count and a digest of its values), and the server's id counters continue after the copied ids."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from cadre_desk.store import portable, server

BATCH = 2000
_SQLITE_INTERNAL = ("sqlite_sequence", "sqlite_stat1", "sqlite_stat4")


class TransferError(Exception):
    pass


def tables(db) -> list[str]:
    """The program's tables, parents before the tables that refer to them."""
    if portable.is_server(db):
        names = server.table_names(db)
    else:
        names = [t for t in db.get_tables() if t not in _SQLITE_INTERNAL]
    parents = {t: {fk.dest_table for fk in db.get_foreign_keys(t) if fk.dest_table != t} for t in names}
    ordered: list[str] = []
    remaining = set(names)
    while remaining:
        ready = sorted(t for t in remaining if not (parents[t] & remaining)) or sorted(remaining)
        ordered.extend(ready)
        remaining.difference_update(ready)
    return ordered


def columns(db, table: str) -> list[str]:
    return [c.name for c in db.get_columns(table)]


def _primary_key(db, table: str) -> list[str]:
    return db.get_primary_keys(table) or columns(db, table)[:1]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(db, table: str, names: list[str]):
    cols = ", ".join(_quote(c) for c in names)
    order = ", ".join(_quote(c) for c in _primary_key(db, table))
    cursor = db.execute_sql(f"SELECT {cols} FROM {_quote(table)} ORDER BY {order}")
    while batch := cursor.fetchmany(BATCH):
        yield batch


def _clear(db, names: list[str]) -> None:
    if portable.is_server(db):
        if names:
            db.execute_sql("TRUNCATE TABLE " + ", ".join(_quote(t) for t in names))
        return
    for table in reversed(names):
        db.execute_sql(f"DELETE FROM {_quote(table)}")


def _write(db, table: str, names: list[str], batch: list[tuple]) -> None:
    cols = ", ".join(_quote(c) for c in names)
    if portable.is_server(db):
        with db.connection().cursor() as cursor, \
                cursor.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN") as copy:
            for row in batch:
                copy.write_row([bytes(v) if isinstance(v, memoryview) else v for v in row])
        return
    marks = ", ".join("?" for _ in names)
    db.connection().executemany(f"INSERT INTO {_quote(table)} ({cols}) VALUES ({marks})", batch)


def _self_references(db, table: str) -> list[str]:
    return [fk.column for fk in db.get_foreign_keys(table) if fk.dest_table == table]


def copy_all(source, target, progress: Callable[[int, int, str], None] | None = None) -> dict[str, int]:
    """Replace every row of ``target`` by the rows of ``source`` (same schema version), in one
    transaction of ``target``. Returns rows per table. Call ``verify`` afterwards."""
    from cadre_desk.store import migrations

    version, target_version = migrations.current_version(source), migrations.current_version(target)
    if version != target_version:
        raise TransferError(f"两个数据库的结构版本不同（{version} 与 {target_version}），不能直接复制。")
    names = tables(source)
    missing = set(names) ^ set(tables(target))
    if missing:
        raise TransferError("两个数据库的表不一致：" + "、".join(sorted(missing)))
    counts: dict[str, int] = {}
    with target.atomic():
        if portable.is_server(target):
            server.lock_writers(target)
        _clear(target, names)
        for n, table in enumerate(names):
            if progress is not None:
                progress(n, len(names), f"正在复制 {table}…")
            wanted = columns(source, table)
            if set(wanted) != set(columns(target, table)):
                raise TransferError(f"表 {table} 的列在两个数据库中不一致。")
            self_refs = _self_references(source, table)
            positions = [wanted.index(c) for c in self_refs]
            links: list[tuple] = []
            key = wanted.index(_primary_key(source, table)[0])
            count = 0
            for batch in _rows(source, table, wanted):
                if positions:  # parents may come after their children: link them afterwards
                    links.extend((row[p], row[key], c) for row in batch for p, c in zip(positions, self_refs, strict=True)
                                 if row[p] is not None)
                    batch = [tuple(None if i in positions else v for i, v in enumerate(row)) for row in batch]
                _write(target, table, wanted, batch)
                count += len(batch)
            for parent, row_key, column in links:
                portable.execute(target, f"UPDATE {_quote(table)} SET {_quote(column)} = ? "
                                         f"WHERE {_quote(wanted[key])} = ?", (parent, row_key))
            counts[table] = count
        portable.reset_sequences(target, [t for t in names if "id" in columns(target, t)
                                          and _primary_key(target, t) == ["id"]])
    return counts


def _value(v) -> str:
    if v is None:
        return "\x00"
    if isinstance(v, (bytes, memoryview)):
        return "b:" + bytes(v).hex()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def digest(db, table: str) -> tuple[int, str]:
    """(rows, a digest of every row's values) — independent of row order and of the engine's types."""
    names = sorted(columns(db, table))
    hashes = []
    for batch in _rows(db, table, names):
        for row in batch:
            hashes.append(hashlib.sha256("\x1f".join(map(_value, row)).encode("utf-8")).digest())
    hashes.sort()
    return len(hashes), hashlib.sha256(b"".join(hashes)).hexdigest()


def verify(source, target) -> list[str]:
    """Every table of ``target`` holds exactly the rows of ``source``: problems in Chinese, [] when so."""
    problems = []
    for table in tables(source):
        (count, mark), (other_count, other_mark) = digest(source, table), digest(target, table)
        if count != other_count:
            problems.append(f"表 {table}：原有 {count} 行，复制后 {other_count} 行")
        elif mark != other_mark:
            problems.append(f"表 {table}：行数相同（{count}），内容不一致")
    return problems


class consistent_read:
    """One unchanging view of ``db`` for a whole copy and its check (other clerks go on writing): a
    REPEATABLE READ transaction on a server, a read transaction on SQLite."""

    def __init__(self, db):
        self.db = db
        self._txn = None

    def __enter__(self):
        self._txn = self.db.atomic()
        self._txn.__enter__()
        if portable.is_server(self.db):
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return self.db

    def __exit__(self, *exc):
        return self._txn.__exit__(*exc)


def snapshot_to_file(source, path, progress=None) -> dict[str, int]:
    """Write the whole of ``source`` (a server database) into a new SQLite file at ``path`` (which must
    not exist), with the same schema version, and check the copy row by row. Returns rows per table."""
    from pathlib import Path

    from peewee import SqliteDatabase

    from cadre_desk.store import migrations

    path = Path(path)
    snap = SqliteDatabase(str(path), pragmas={"foreign_keys": 0, "journal_mode": "delete"})
    try:
        with consistent_read(source):
            version = migrations.current_version(source)
            for step in migrations.STEPS:
                if step.VERSION <= version:
                    with snap.atomic():
                        step.upgrade(snap)
            snap.execute_sql(f"PRAGMA user_version = {int(version)}")
            counts = copy_all(source, snap, progress)
            problems = verify(source, snap)
        if problems:
            raise TransferError("快照与服务器数据不一致：" + "；".join(problems[:5]))
        result = snap.execute_sql("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise TransferError(f"快照文件校验失败：{result}")
        snap.execute_sql("PRAGMA foreign_keys = ON")
        broken = snap.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise TransferError(f"快照中有 {len(broken)} 处外键不一致。")
    finally:
        snap.close()
    return counts


def load_file(path, target, progress=None) -> dict[str, int]:
    """Replace every row of ``target`` (a server database) by the SQLite file at ``path`` — brought to
    the current schema on a temporary copy first, the file itself untouched — and check it row by row.
    Every program working on the server reloads its lists afterwards."""
    import sqlite3
    import tempfile
    from pathlib import Path

    from peewee import SqliteDatabase

    from cadre_desk.store import migrations

    with tempfile.TemporaryDirectory(prefix="cadre_restore_") as folder:
        work = Path(folder) / "restore.sqlite3"
        src, dest = sqlite3.connect(str(path)), sqlite3.connect(str(work))
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
        copy = SqliteDatabase(str(work), pragmas={"foreign_keys": 1})
        try:
            migrations.migrate(copy)
            with target.atomic():
                counts = copy_all(copy, target, progress)
                problems = verify(copy, target)
                if problems:
                    raise TransferError("写入服务器的数据与备份不一致：" + "；".join(problems[:5]))
                server.announce(target, "reload")
        finally:
            copy.close()
    return counts
