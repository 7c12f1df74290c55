"""Backups and recovery: daily automatic backups kept thinned, manual backup and restore, the start-up
check of a damaged database. Everything goes through the SQLite backup API (never a file copy of a live
database); every backup is reopened and checked with quick_check before it counts."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.domain import clock
from cadre_desk.domain.errors import (
    AuditProblemError,
    CadreDeskError,
    DatabaseDamagedError,
    DatabaseOpenError,
    DatabaseReadOnlyError,
    ValidationError,
    friendly_error,
)
from cadre_desk.paths import backup_dir_for
from cadre_desk.security import anchors, audit
from cadre_desk.settings import settings
from cadre_desk.store import backup as store_backup
from cadre_desk.store.backup import copy_database
from cadre_desk.store.db import (
    DAMAGED,
    SQLITE_HEADER,
    UNREADABLE,
    check_file,
    connect_raw,
    database,
    database_location,
    database_path,
    disk_full_error,
    is_readonly,
    looks_encrypted,
    low_space,
    open_failure,
    passphrase_of,
    quick_check_file,
    read_head,
    set_write_gate,
    write_problem,
    write_transaction,
)
from cadre_desk.store.files import atomic_path, file_mode
from cadre_desk.store.models import Setting
from cadre_desk.store.portable import is_server
from cadre_desk.store.server import ServerLocation

log = logging.getLogger(__name__)

settings.DEFAULTS.update({
    "backup.keep_daily": 7,
    "backup.keep_weekly": 4,
    "backup.keep_monthly": 12,
})

DAILY = "每日自动"
_NAME = re.compile(r"-(\d{8})-(\d{6})-(\d+)-(.*)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    at: _dt.datetime
    reason: str
    size: int


def _location(db_path):
    """A file's Path, or a server database's ServerLocation as it is."""
    return db_path if isinstance(db_path, ServerLocation) else Path(db_path)


def list_backups(db_path: Path) -> list[BackupFile]:
    """Backups in the folder beside the database, newest first."""
    db_path = _location(db_path)
    folder = backup_dir_for(db_path)
    stem = db_path.stem
    out = []
    if folder.is_dir():
        for path in folder.glob(f"{stem}-*.sqlite3"):
            match = _NAME.search(path.name[len(stem):])
            if not match:
                continue
            stamp = match.group(1) + match.group(2)  # YYYYMMDD + HHMMSS (strptime costs 20 ms to load)
            try:
                at = _dt.datetime(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]),
                                  int(stamp[8:10]), int(stamp[10:12]), int(stamp[12:14]))
            except ValueError:
                continue
            out.append(BackupFile(path, at, match.group(4), path.stat().st_size))
    out.sort(key=lambda b: (b.at, b.path.name), reverse=True)
    return out


def thin(db_path: Path, now: _dt.datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last N days, weeks and months (settings); delete the rest.
    The newest backup is always kept. Returns the deleted files."""
    backups = list_backups(db_path)
    if not backups:
        return []
    keep_daily = int(settings.get("backup.keep_daily") or 7)
    keep_weekly = int(settings.get("backup.keep_weekly") or 4)
    keep_monthly = int(settings.get("backup.keep_monthly") or 12)
    keep = {backups[0].path}
    for count, key in ((keep_daily, lambda d: d.date()),
                       (keep_weekly, lambda d: tuple(d.isocalendar())[:2]),
                       (keep_monthly, lambda d: (d.year, d.month))):
        seen: list = []
        for item in backups:  # newest first: the first of each period is its newest
            period = key(item.at)
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(period)
            keep.add(item.path)
    deleted = []
    for item in backups:
        if item.path not in keep:
            try:
                item.path.unlink()
                deleted.append(item.path)
            except OSError as exc:
                log.warning("cannot delete old backup %s: %s", item.path, exc)
    return deleted


def make(reason: str, db_path: Path | None = None) -> Path:
    """A checked backup of the open database into the backups folder (no permission check: the
    program's own safety copies — before migrations, imports, restores — must always be possible)."""
    db_path = _location(db_path or database_location())
    made = store_backup.make_backup(database.obj, db_path, reason=reason)
    log.info("backup %s: %s", reason, made)
    anchors.anchor_backup(made, db_path, passphrase_of(database.obj))
    return made


def daily_backup(db_path: Path | None = None, now: _dt.datetime | None = None) -> Path | None:
    """The automatic backup at start: once a day, then thinning. None when today's exists, and for a
    server database (its administrators back it up with pg_dump; see docs/DEPLOY.md)."""
    if is_server(database.obj):
        return None
    db_path = Path(db_path or database_path())
    today = (now or clock.now()).date()
    if any(b.at.date() == today for b in list_backups(db_path)):
        return None
    made = make(DAILY, db_path)
    thin(db_path, now)
    return made


def backup_before_import(what: str = "导入") -> Path | None:
    """Importers call this before they write (a file database only). A database open read-only is
    refused here, before the backup: the import could not be written anyway."""
    if is_readonly():
        path = database_path()
        problem = (write_problem(path) if path is not None else None) or "数据库以只读方式打开"
        raise DatabaseReadOnlyError(f"{problem}，不能{what.removesuffix('前备份')}。")
    path = database_path()
    if path is None or str(path) == ":memory:":
        return None
    return make(f"{what}前备份", path)


def discard_unused(made: Path | None) -> None:
    """A 导入前备份 whose import wrote nothing (cancelled, or refused and rolled back): removed, so that
    从备份恢复 does not list a copy of a moment when nothing happened. Only for a backup the caller
    made itself and whose transaction is known not to have committed."""
    if made is None:
        return
    try:
        Path(made).unlink(missing_ok=True)
        log.info("backup not needed (nothing was written), removed: %s", made)
    except OSError as exc:  # kept: a spare copy does no harm
        log.warning("cannot remove unneeded backup %s: %s", made, exc)


@dataclass
class KeptBackup:
    """The 导入前备份 of one write: its file (None when none was made), whether the write's transaction is
    the outermost one (its commit keeps the rows, not a caller's), and whether the backup was removed."""
    path: Path | None
    outermost: bool
    discarded: bool = False


@contextlib.contextmanager
def backup_kept_if_written(what: str = "导入", *, wanted: bool = True,
                           on_discard: Callable[[Path], None] | None = None) -> Iterator[KeptBackup]:
    """An import's write with its 导入前备份: the backup is made first (when ``wanted``; see
    backup_before_import), then the body runs in one write transaction. When the body raises — refused,
    failed, 取消 or Ctrl+C — the transaction is rolled back and, if it was the outermost one, the backup
    is removed (discard_unused; ``on_discard`` is told). Once the body has finished the commit may have
    kept the rows: the backup stays, even when the commit or what follows it fails."""
    kept = KeptBackup(backup_before_import(what) if wanted else None, not database.obj.in_transaction())
    body_done = False
    try:
        with write_transaction():
            yield kept
            body_done = True
    except BaseException:
        if kept.outermost and not body_done and kept.path is not None:
            discard_unused(kept.path)
            kept.discarded = True
            if on_discard is not None:
                on_discard(kept.path)
        raise


def backup_to_file(target: Path, progress=None) -> Path:
    """The administrator's manual backup to a chosen file."""
    permissions.require(permissions.ADMIN)
    target = Path(target)
    live = database_path()
    if live is not None and target.resolve() == Path(live).resolve():
        raise ValidationError("备份文件不能是正在使用的数据库本身。")
    step = (lambda done, total, text: progress.report(done, total, text)) if progress is not None else None
    store_backup.backup_to(database.obj, target, step)
    audit.record(audit.BACKUP, "数据库", None, f"备份数据库到 {target}")
    anchors.anchor_backup(target, live, passphrase_of(database.obj))
    return target


def schema_version_of(path: Path, passphrase: str | None = None) -> int:
    conn = connect_raw(path, passphrase, readonly=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _check_source(source: Path, passphrase: str | None) -> None:
    from cadre_desk.store import migrations

    if not source.is_file():
        raise ValidationError(f"备份文件不存在：{source}")
    if any(source.with_name(source.name + s).exists() for s in ("-journal", "-wal")):
        # a hot journal: let SQLite roll it back (or replay the WAL) before the read-only check
        conn = connect_raw(source, passphrase)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception:  # noqa: BLE001 - quick_check below names the problem
            pass
        finally:
            conn.close()
    kind, result = check_file(source, passphrase)
    if kind == UNREADABLE:
        log.warning("backup %s unreadable: %s", source, result)
        raise ValidationError(f"无法读取备份文件 {source.name}，当前数据库没有改动。"
                              "请确认它所在的磁盘或网络盘可以访问（或先把它复制到本机硬盘），再恢复。")
    if kind != "ok":  # SQLite's own words ("file is not a database", "malformed", pages) to the log only
        log.warning("backup %s failed its check: %s", source, result)
        raise ValidationError(NOT_A_GOOD_BACKUP.format(name=source.name))
    version = schema_version_of(source, passphrase)
    if version > migrations.LATEST:
        raise ValidationError(f"该备份由更新版本的程序创建（结构版本 {version}），本程序无法恢复；当前数据库没有改动。"
                              "请用新版本程序恢复，或换一个备份文件。")
    if version < 1:
        raise ValidationError(f"所选文件 {source.name} 不是本程序的数据库备份，当前数据库没有改动。请换一个备份文件。")


NOT_A_GOOD_BACKUP = ("备份文件 {name} 已损坏或不是数据库文件（加密的数据库也可能是口令不符），不能用于恢复；"
                     "当前数据库没有改动。请换一个备份文件，例如备份文件夹中较早的一份。")


def other_database(source: Path, passphrase: str | None) -> str | None:
    """Why the backup ``source`` is not one of this database (its audit chain is another's), or None.
    Restoring it replaces every cadre and account of this database with that database's."""
    here = audit.chain_id()
    conn = connect_raw(source, passphrase, readonly=True)
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (audit.CHAIN_KEY,)).fetchone()
    finally:
        conn.close()
    there = json.loads(row[0]) if row else None
    if here is None or there is None or here == there:
        return None
    return ("所选文件是另一个数据库的备份，不是本库做的备份：恢复后，本库的全部数据（含干部档案、用户账号和审计日志）"
            "将被那个数据库的内容替换，本账号可能无法再登录。")


def is_other_database(source: Path) -> bool:
    """Whether the backup ``source`` is another database's (see other_database): restoring it ends the
    session (its accounts are that database's)."""
    return other_database(Path(source), passphrase_of(database.obj)) is not None


def check_backup_audit(source: Path, progress=None) -> str | None:
    """Why the audit log of the backup ``source`` fails its check (hash chain and anchors), or None.
    The window asks with it before a restore (the check runs off the GUI thread)."""
    source = Path(source)
    passphrase = passphrase_of(database.obj)
    _check_source(source, passphrase)
    verdict = anchors.verify_backup(source, database_location(), passphrase, progress, audit.chain_id())
    problems = [text for text in (other_database(source, passphrase), verdict.message) if text]
    return "\n".join(problems) or None


def restore_from(source: Path, progress=None, accept_audit_problem: bool = False) -> Path:
    """Replace the live database's content with the backup ``source``: check it (quick_check, then its
    audit log against its hash chain and anchors: a failure raises AuditProblemError unless
    ``accept_audit_problem``, and an accepted one is written into the restore's audit row), make a
    safety backup, then copy it with the backup API into the live database in one step (the
    destination stays locked for the whole copy). Returns the safety backup."""
    from cadre_desk.store import migrations

    permissions.require(permissions.ADMIN)
    source = Path(source)
    if is_server(database.obj):
        return _restore_server(source, progress, accept_audit_problem)
    passphrase = passphrase_of(database.obj)
    with _restoring(source, database_path(), passphrase, progress, accept_audit_problem, "数据库") as safety:
        if progress is not None:  # from the copy on, a 取消 would leave the backup's data in without its
            progress.seal()  # audit row and anchor (the log then seemed tampered with): it finishes
        src = connect_raw(source, passphrase)  # a hot journal in the backup is rolled back on open
        try:
            src.backup(database.connection(), pages=-1)
        finally:
            src.close()
        db = database.obj
        migrations.migrate(db)
        if progress is not None:
            progress.report(2, 3, "正在校验…")
        result = db.execute_sql("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise DatabaseDamagedError(f"恢复后的数据库校验失败：{result}", safety)
    return safety


@contextlib.contextmanager
def _restoring(source: Path, location, passphrase: str | None, progress, accept_audit_problem: bool,
               what: str) -> Iterator[Path]:
    """What a restore does around its copy, into a file or a server alike: the backup checked (the file,
    then its audit log against its hash chain and anchors: a failure refused unless
    ``accept_audit_problem``) and a safety backup made (yielded: the copy's errors name it); once the copy
    is in, the audit chain's id kept, the restore's audit row (恢复``what``) and its anchor."""
    _check_source(source, passphrase)
    chain = audit.chain_id()
    other = other_database(source, passphrase)
    if other and not accept_audit_problem:
        raise AuditProblemError(f"{other}\n该备份不能直接用于恢复。")
    verdict = anchors.verify_backup(source, location, passphrase, progress, chain)
    if not verdict.ok and not accept_audit_problem:
        raise AuditProblemError(f"{verdict.message}\n该备份不能直接用于恢复。")
    safety = make("恢复前备份", location)
    yield safety
    with write_transaction():
        _keep_chain_id(chain)
        audit.record(audit.RESTORE, "数据库", None, f"从备份 {source} 恢复{what}（恢复前备份：{safety.name}）"
                     + ("；另一个数据库的备份，经确认恢复" if other else "") + _accepted(verdict))
    anchors.anchor_restore(source, verdict, location)


def _keep_chain_id(chain: str | None) -> None:
    """A backup made before chains had ids continues the chain of the database it is restored into."""
    if chain and audit.chain_id() is None:
        Setting.insert(key=audit.CHAIN_KEY, value=json.dumps(chain)).execute()


def _accepted(verdict) -> str:
    return "" if verdict.ok else f"。该备份的审计日志校验未通过，经确认仍恢复：{verdict.message}"


def _restore_server(source: Path, progress=None, accept_audit_problem: bool = False) -> Path:
    """A server database takes the content of a (plain) backup file: its audit log checked first as for
    a file, every row replaced in one transaction and checked row by row; every program on the server
    reloads its lists."""
    from cadre_desk.store.transfer import TransferError, load_file

    if looks_encrypted(source):
        raise ValidationError("加密的备份文件不能直接恢复到服务器：请先在本机解密（恢复到本机数据库）后再迁入。")
    with _restoring(source, database_location(), None, progress, accept_audit_problem, "服务器数据库") as safety:
        step = (lambda done, total, text: progress.report(done, total, text)) if progress is not None else None
        try:
            load_file(source, database.obj, step)
        except TransferError as exc:
            raise DatabaseDamagedError(f"恢复失败，服务器数据未改动：{exc}", safety) from exc
    return safety


# ---- start-up ----------------------------------------------------------------------------------------


def newest_good_backup(db_path: Path, passphrase: str | None = None) -> Path | None:
    for item in list_backups(db_path):
        if quick_check_file(item.path, passphrase) == "ok":
            return item.path
    return None


def check_at_start(db_path: Path, passphrase: str | None = None) -> None:
    """Before anything opens the database for writing. A path where nothing exists is fine (a new
    database is made there). An empty file, a file that is not a database, or a failed quick_check is
    damage: DatabaseDamagedError naming the newest good backup. A file that cannot be read is not
    damage: a full disk raises DiskFullError (also when the file could be read: nothing can be written
    there), anything else DatabaseOpenError — neither offers to replace the file."""
    db_path = Path(db_path)
    if not db_path.exists():
        return
    if db_path.is_dir():
        raise DatabaseOpenError(f"无法打开 {db_path}：这是一个文件夹，不是数据库文件。")
    if db_path.stat().st_size == 0:
        raise damaged(db_path, "数据库文件是空的（0 字节），其中没有任何数据", passphrase)
    if passphrase is None and not looks_encrypted(db_path):
        if read_head(db_path) != SQLITE_HEADER:  # not open()/close(): that unlocks the window's connection
            raise damaged(db_path, "该文件不是本程序的数据库文件（可能被其他文件覆盖）", passphrase)
    kind, result = check_file(db_path, passphrase)
    if kind == DAMAGED:
        raise damaged(db_path, f"数据库文件已损坏（{result}）", passphrase)
    if kind == UNREADABLE:
        raise open_failure(db_path, result)
    if low_space(db_path.resolve().parent):
        raise disk_full_error(db_path)


def damaged(db_path: Path, what: str, passphrase: str | None = None) -> DatabaseDamagedError:
    """DatabaseDamagedError saying ``what`` and naming the newest good backup."""
    good = newest_good_backup(db_path, passphrase)
    message = f"{what}，为防止损坏扩大，程序不会以写方式打开它。"
    if good is not None:
        message += f"\n最新的完好备份：{good}"
    else:
        message += "\n没有找到可用的备份。"
    return DatabaseDamagedError(message, good)


class BackgroundCheck:
    """The start-up quick_check of a database whose schema is current, run in a thread beside the
    window: it takes a third of a second on 100,000 cadres. Until it has passed no write reaches the
    database (the store's write gate waits for it, and refuses if it failed). With ``start=False`` the
    thread starts at ``start()`` (the window starts it once its first page has painted, or while a
    login waits), or at the first write, whichever comes first."""

    def __init__(self, db_path: Path, passphrase: str | None = None, start: bool = True):
        import threading

        self.db_path = Path(db_path)
        self.error: CadreDeskError | None = None
        self._thread = threading.Thread(target=self._run, args=(passphrase,), name="quick_check", daemon=True)
        self._lock = threading.Lock()
        self._started = False
        set_write_gate(self.wait)
        if start:
            self.start()

    def start(self) -> None:
        """Start the check (again: nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()

    def _run(self, passphrase: str | None) -> None:
        try:
            check_at_start(self.db_path, passphrase)
        except CadreDeskError as exc:  # damaged, a full disk, unreadable: told as such
            self.error = exc
        except Exception as exc:  # noqa: BLE001 - could not check: not damage, but no write either
            self.error = DatabaseOpenError(f"无法检查数据库文件：{friendly_error(exc)}")

    def done(self) -> bool:
        return self._started and not self._thread.is_alive()

    def wait(self) -> None:
        """Block until the check is over (starting it if it was not yet); raise its error
        (DatabaseDamagedError…) if it failed."""
        self.start()
        self._thread.join()
        if self.error is not None:
            raise self.error
        set_write_gate(None)


def check_backup_before_rebuild(db_path: Path, backup_path: Path, passphrase: str | None = None) -> str | None:
    """check_backup_audit for a damaged database that is not open (at start)."""
    _check_source(Path(backup_path), passphrase)
    return anchors.verify_backup(Path(backup_path), Path(db_path), passphrase).message or None


def recover_damaged(db_path: Path, backup_path: Path, passphrase: str | None = None,
                    accept_audit_problem: bool = False) -> Path:
    """Rebuild a damaged database from ``backup_path`` (the database must not be open). The backup's
    audit log is checked first (AuditProblemError unless ``accept_audit_problem``). The replacement
    is built and checked under a temporary name; only then is the damaged file kept aside (a hard
    link, or a copy where the disk has no links) with its -wal/-shm/-journal, and the replacement renamed
    over it in one step. When any step fails — a full disk — nothing was renamed or replaced. The
    rebuilt database records the restore in its audit log. Returns where the damaged file was kept."""
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    db_path, backup_path = Path(db_path), Path(backup_path)
    _check_source(backup_path, passphrase)
    verdict = anchors.verify_backup(backup_path, db_path, passphrase)
    if not verdict.ok and not accept_audit_problem:
        raise AuditProblemError(f"{verdict.message}\n该备份不能直接用于恢复。")
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    with atomic_path(db_path, mode=file_mode(db_path), durable=True) as tmp:
        src = connect_raw(backup_path, passphrase)
        dest = connect_raw(tmp, passphrase)
        try:
            copy_database(src, dest, pages=-1)
            dest.execute("PRAGMA journal_mode=DELETE")
            result = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            src.close()
            dest.close()
        if result != "ok":
            raise DatabaseDamagedError(f"用备份重建的数据库校验失败：{result}")
        _keep_aside(db_path, aside)
    open_database(db_path, passphrase=passphrase)
    try:
        with write_transaction():
            audit.record(audit.RESTORE, "数据库", None, f"数据库文件已损坏，从备份 {backup_path} 重建"
                         f"（损坏的文件另存为 {aside.name}）" + _accepted(verdict))
        anchors.anchor_restore(backup_path, verdict, db_path)
    finally:
        close_database()
    return aside


def _keep_aside(db_path: Path, aside: Path) -> None:
    try:
        os.link(db_path, aside)
    except OSError:
        shutil.copyfile(db_path, aside)  # FAT sticks and some network shares have no hard links
    # a -wal left beside the file would be replayed into the rebuilt database: it goes with the damaged one
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
