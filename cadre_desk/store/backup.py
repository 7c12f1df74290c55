"""Backups through the SQLite online backup API: consistent copies of a live database. A server
database is backed up as a complete SQLite snapshot (store.transfer)."""

from __future__ import annotations

import re
from pathlib import Path

from cadre_desk.domain import clock
from cadre_desk.paths import backup_dir_for
from cadre_desk.store.files import atomic_path, file_mode


class BackupError(Exception):
    pass


class _NoHeadway(Exception):
    """The step-wise copy starts over at every step (see ``copy_database``)."""


# Steps in a row that did not shorten the rest before the copy is made in one step.
_STALLED_STEPS = 3


def copy_database(source, dest, progress=None, pages: int = 256) -> None:
    """``source.backup(dest)`` in steps of ``pages`` pages with progress, falling back to one step when
    the copy makes no headway. SQLite restarts a step-wise copy whenever the source may have changed;
    a read-only database in WAL mode whose -shm cannot be written (a read-only folder or file) looks
    changed at every step, and the copy went round at full speed for ever."""
    last = [None, 0]

    def _step(status, remaining, total):
        if last[0] is not None and remaining >= last[0]:
            last[1] += 1
            if last[1] >= _STALLED_STEPS:
                raise _NoHeadway
        else:
            last[1] = 0
        last[0] = remaining
        if progress is not None:
            progress(total - remaining, total, "正在备份…")

    try:
        source.backup(dest, pages=pages, progress=_step)
    except _NoHeadway:
        source.backup(dest, pages=-1)  # one read transaction for the whole copy


def backup_to(db, target: Path, progress=None) -> Path:
    """Copy the open database ``db`` to ``target`` (written to a temporary name, checked with
    quick_check, then renamed). Returns the target path. The copy gets the database file's permissions."""
    from cadre_desk.store.db import connect_like, file_path_of
    from cadre_desk.store.portable import is_server

    target = Path(target)
    if is_server(db):
        return _snapshot(db, target, progress)
    source_file = file_path_of(db)
    source = db.connection()
    with atomic_path(target, mode=file_mode(source_file) if source_file else None, durable=True) as tmp:
        dest = connect_like(db, tmp)
        try:
            copy_database(source, dest, progress)
            dest.execute("PRAGMA journal_mode=DELETE")
            result = dest.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"备份文件校验失败：{result}")
        finally:
            dest.close()
    return target


def _snapshot(db, target: Path, progress=None) -> Path:
    """A server database as a complete SQLite file, every row checked against the server's."""
    from cadre_desk.store.transfer import TransferError, snapshot_to_file

    with atomic_path(target, durable=True) as tmp:
        try:
            snapshot_to_file(db, tmp, progress)
        except TransferError as exc:
            raise BackupError(str(exc)) from exc
    return target


def _safe(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", text)[:40]


def make_backup(db, db_path, reason: str = "手动") -> Path:
    """A timestamped backup in the backups folder beside the database (a server database's: in this
    user's data folder)."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = backup_dir_for(db_path)
    target = folder / f"{db_path.stem}-{stamp}-{_safe(reason)}.sqlite3"
    return backup_to(db, target)
