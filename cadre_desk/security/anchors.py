"""Anchors of the audit chain, kept outside the database file.

The hash chain alone shows a row changed with a text editor; it does not stop someone with write access
who changes rows and recomputes every hash after them (the algorithm is no secret). So the chain's head
(row id and hash) is written down, as it stands, outside the database: in ``backups/<库名>.audit-anchors``
beside the database (it travels with the database folder and survives a restore) and in the user's data
folder (it stays on this computer, out of reach of whoever only reaches the database folder). An anchor
is written with every backup, every ANCHOR_EVERY rows, and when the program or a command ends.

A chain recomputed from row N on no longer has the anchored hash at any anchored row from N on; a chain
cut short no longer reaches the anchored rows; two anchors that disagree about a row are reported too.
A restore writes a mark: the rows after the backup's head were replaced, so the anchors after it no
longer apply (``keep``: up to which row the backup agreed with the anchors). What an anchor cannot show:
rows changed after the newest anchor, and a change made together with every copy of the anchors. See
docs/SECURITY.md."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from cadre_desk.access import permissions
from cadre_desk.domain import clock
from cadre_desk.domain.progress import Progress
from cadre_desk.paths import backup_dir_for, data_dir
from cadre_desk.security import audit
from cadre_desk.store.db import connect_raw, database, database_location, is_readonly
from cadre_desk.store.models import AuditLog

log = logging.getLogger(__name__)

ANCHOR_EVERY = 100  # audit rows between two anchors written while working


@dataclass(frozen=True)
class Verdict:
    """A chain held against its anchors. ``broken``: the first row that may have been changed or removed
    (None: none found); ``message``: what is wrong, in Chinese ("" when nothing); ``head``: (id, hash) of
    the chain's last row; ``agrees_to``: the last anchored row up to which the chain agrees with them."""

    broken: int | None
    message: str = ""
    head: tuple[int, str] = (0, "")
    agrees_to: int = 0
    anchors: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.message


# ---- where the anchors are kept ----------------------------------------------------------------------


def anchor_files(db_path: Path | None, chain: str) -> list[Path]:
    """Beside the database (its backups folder), then in the user's data folder."""
    files = []
    if db_path is not None:
        db_path = Path(db_path) if isinstance(db_path, (str, os.PathLike)) else db_path  # or a server's
        files.append(backup_dir_for(db_path) / f"{db_path.stem}.audit-anchors")
    files.append(data_dir() / "audit-anchors" / f"{chain}.jsonl")
    return files


def _where(db_path: Path | None) -> str:
    if db_path is None:
        return ""
    return str(Path(db_path).resolve()) if isinstance(db_path, (str, os.PathLike)) else str(db_path)


def _append(line: dict, db_path: Path | None) -> None:
    line = {**line, "at": clock.now().isoformat(timespec="microseconds"), "path": _where(db_path)}
    text = json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
    for path in anchor_files(db_path, line["db"]):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:  # a read-only folder: the other copy still counts
            log.warning("cannot write the audit anchor to %s: %s", path, exc)


def read_anchors(db_path: Path | None, chain: str) -> list[dict]:
    """Every anchor of ``chain`` from both places, each once, in the order they were written. The user's
    copy may hold anchors of a copy of the database elsewhere (same chain): only this path's count."""
    here = _where(db_path)
    seen: set[tuple] = set()
    lines: list[dict] = []
    files = anchor_files(db_path, chain)
    for n, path in enumerate(files):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot read the audit anchors in %s: %s", path, exc)
            continue
        for raw in text.splitlines():
            try:
                line = json.loads(raw)
                key = (line["at"], int(line["id"]), str(line["hash"]), line.get("keep"), line.get("why"))
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a power cut
            if line.get("db") != chain or n == len(files) - 1 and line.get("path") != here:
                continue
            if key not in seen:
                seen.add(key)
                lines.append(line)
    lines.sort(key=lambda line: str(line["at"]))  # stable: the copy beside the database sets ties
    return lines


def expected(lines: list[dict]) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """Replay the anchors: {row id: (hash, when anchored)} the chain must have now, and contradictions."""
    want: dict[int, tuple[str, str]] = {}
    conflicts: list[str] = []
    for line in lines:
        row_id, row_hash, at = int(line["id"]), str(line["hash"]), _when(line["at"])
        if line.get("keep") is not None:  # a restore: the rows after the backup's agreement were replaced
            keep = int(line["keep"])
            want = {k: v for k, v in want.items() if k <= keep}
        before = want.get(row_id)
        if before is not None and before[0] != row_hash:
            conflicts.append(f"第 {row_id} 条在 {before[1]} 与 {at} 记下了不同的哈希")
            continue
        want[row_id] = (row_hash, at)
    return want, conflicts


def _when(at: str) -> str:
    return str(at).replace("T", " ")[:19]


def compare(check: audit.ChainCheck, want: dict[int, tuple[str, str]], conflicts: list[str],
            head: tuple[int, str]) -> Verdict:
    """The chain walk (check_rows) held against the anchors."""
    matched = 0
    for row_id in sorted(want):
        row_hash, at = want[row_id]
        if check.broken is not None and row_id >= check.broken:
            break
        if row_id > check.last_id:
            return Verdict(check.last_id + 1, f"审计日志第 {check.last_id + 1} 条及以后的记录被删除"
                                              f"（{at} 记下的审计锚点已到第 {row_id} 条）。", head, matched, len(want))
        if check.hashes.get(row_id) != row_hash:
            return Verdict(matched + 1, f"审计日志第 {matched + 1}–{row_id} 条之间有记录被改动，而且其后的哈希链被重新"
                                        f"计算过（与 {at} 记下的审计锚点不符）。", head, matched, len(want))
        matched = row_id
    if check.broken is not None:
        return Verdict(check.broken, check.message, head, matched, len(want))
    if conflicts:
        return Verdict(None, "审计锚点互相矛盾（" + "；".join(conflicts[:3]) + "），锚点文件可能被改动。",
                       head, matched, len(want))
    notes = () if want else ("没有找到这份审计日志的锚点（数据库是从别处拷来的，或锚点文件被删除）：只校验了哈希链。",)
    return Verdict(None, "", head, matched, len(want), notes)


# ---- the open database -------------------------------------------------------------------------------


def verify(progress: Progress | None = None) -> Verdict:
    """The open database's audit log: its hash chain, and the chain against its anchors."""
    chain = audit.chain_id()
    want, conflicts = expected(read_anchors(database_location(), chain)) if chain else ({}, [])
    check = audit.walk_chain(want.keys(), progress)
    return compare(check, want, conflicts, (check.last_id, check.last_hash))


def check_integrity(progress: Progress | None = None) -> Verdict:
    """verify for the auditor (permission checked)."""
    permissions.require(permissions.AUDIT)
    return verify(progress)


_last: dict[str, tuple[int, str]] = {}  # the last anchor this process wrote, per chain
_rows_at_last_anchor = 0


def anchor_now(why: str) -> None:
    """Write the committed head of the open database's chain down (outside a transaction)."""
    db = database.obj
    if db is None or db.in_transaction() or is_readonly(db):  # read-only: no row was added to anchor
        return
    chain = audit.chain_id()
    last = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1).first()
    if chain is None or last is None or _last.get(chain) == (last.id, last.hash):
        return
    _append({"db": chain, "id": last.id, "hash": last.hash, "why": why}, database_location())
    _last[chain] = (last.id, last.hash)


def after_commit() -> None:
    """Every ANCHOR_EVERY rows this process appended (store.db runs it after each write transaction)."""
    global _rows_at_last_anchor
    if audit.rows_written() - _rows_at_last_anchor >= ANCHOR_EVERY:
        _rows_at_last_anchor = audit.rows_written()
        anchor_now("定期")


def anchor_at_exit() -> None:
    """The program or a command ends: the head it leaves. An anchor that cannot be written is logged:
    the user's work is done and must not fail for it."""
    db = database.obj
    if db is None or db.is_closed():  # never reopen a file here: it may be the damaged one refused
        return
    try:
        anchor_now("退出")
    except (OSError, peewee.PeeweeException) as exc:
        log.warning("cannot write the audit anchor at exit: %s", exc)


# ---- backups ---------------------------------------------------------------------------------------------


def _file_chain(conn) -> tuple[str | None, tuple[int, str], int]:
    """(chain id, stored head, row count) of a database file's audit log."""
    stored = dict(conn.execute("SELECT key, value FROM setting WHERE key IN (?, ?)",
                               (audit.CHAIN_KEY, audit.HEAD_KEY)).fetchall())
    chain = json.loads(stored[audit.CHAIN_KEY]) if audit.CHAIN_KEY in stored else None
    count = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return chain, audit.parse_head(stored.get(audit.HEAD_KEY)), count


def anchor_backup(made: Path, db_path: Path | None = None, passphrase: str | None = None) -> None:
    """A backup was made: its head is written down under its name, to check it before a restore."""
    conn = connect_raw(made, passphrase, readonly=True)
    try:
        chain, _head, _count = _file_chain(conn)
        last = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    if chain and last:
        _append({"db": chain, "id": last[0], "hash": last[1], "why": "备份", "backup": Path(made).name},
                db_path if db_path is not None else database_location())


def verify_backup(source: Path, db_path: Path | None, passphrase: str | None = None,
                  progress: Progress | None = None, chain_if_none: str | None = None) -> Verdict:
    """The audit log of a backup file, before it is restored over the database at ``db_path``: its hash
    chain, and the chain against the anchors as they stood when the backup was made (its own anchor) —
    or, for a backup with no anchor of its own, against today's anchors up to its last row.
    ``chain_if_none``: the chain of a backup made before chains had ids (the database's own)."""
    source = Path(source)
    conn = connect_raw(source, passphrase, readonly=True)
    try:
        chain, head, total = _file_chain(conn)
        chain = chain or chain_if_none
        last = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        last = (int(last[0]), str(last[1])) if last else (0, "")
        lines = read_anchors(db_path, chain) if chain else []
        own = [i for i, line in enumerate(lines) if line.get("backup") == source.name]
        notes: tuple[str, ...] = ()
        if own:  # the anchors as they were when it was made, its own the last
            lines = lines[:own[-1] + 1]
            limit = int(lines[-1]["id"])
        else:
            notes = ("该备份没有自己的审计锚点：与本库目前的锚点比对。",)
            limit = last[0]
        want, conflicts = expected(lines)
        want = {k: v for k, v in want.items() if k <= limit}
        columns = ", ".join(f'"{name}"' for name in audit.HASHED_COLUMNS)
        cursor = conn.execute(f"SELECT {columns} FROM audit_log ORDER BY id")
        check = audit.check_rows(cursor, head, want.keys(), progress, total)
    finally:
        conn.close()
    verdict = compare(check, want, conflicts, last)
    if verdict.ok and own and last[0] > limit:
        verdict = Verdict(limit + 1, f"审计日志第 {limit + 1} 条起的记录是制作备份之后加进去的。", last, limit,
                          verdict.anchors)
    if not verdict.ok:
        return Verdict(verdict.broken, "备份的" + verdict.message, last, verdict.agrees_to, verdict.anchors, notes)
    return Verdict(None, "", last, verdict.agrees_to, verdict.anchors, notes + verdict.notes)


def anchor_restore(source: Path, verdict: Verdict, db_path: Path | None) -> None:
    """After a restore: the mark that replaces the anchors after the backup's agreement, then the head."""
    chain = audit.chain_id()
    if chain and verdict.head[0]:
        _append({"db": chain, "id": verdict.head[0], "hash": verdict.head[1], "keep": verdict.agrees_to,
                 "why": "恢复", "backup": Path(source).name}, db_path)
    anchor_now("恢复后")
