"""Backups through the SQLite online backup API: consistent copies of a live database."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cadre_desk.domain import clock
from cadre_desk.paths import backup_dir_for


class BackupError(Exception):
    pass


def _sqlite_connection(db):
    return db.connection()


def backup_to(db, target: Path, progress=None) -> Path:
    """Copy the open database ``db`` to ``target`` (written to a temporary name, checked with
    quick_check, then renamed). Returns the target path."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        tmp.unlink()
    from cadre_desk.store.db import connect_like

    source = _sqlite_connection(db)
    dest = connect_like(db, tmp)
    try:
        def _step(status, remaining, total):
            if progress is not None:
                progress(total - remaining, total, "正在备份…")

        source.backup(dest, pages=256, progress=_step)
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"备份文件校验失败：{result}")
    except BaseException:
        dest.close()
        tmp.unlink(missing_ok=True)
        raise
    dest.close()
    os.replace(tmp, target)
    return target


def _safe(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", text)[:40]


def make_backup(db, db_path: Path, reason: str = "手动") -> Path:
    """A timestamped backup in the backups folder beside the database."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = backup_dir_for(Path(db_path))
    target = folder / f"{Path(db_path).stem}-{stamp}-{_safe(reason)}.sqlite3"
    return backup_to(db, target)
