"""The audit log: every change, view, print and export, append-only and hash-chained."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Select, Value, fn

from cadre_desk.access.context import current_operator
from cadre_desk.domain import clock
from cadre_desk.domain.progress import Progress
from cadre_desk.store import server_chain
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import AuditLog, Setting
from cadre_desk.store.portable import executemany
from cadre_desk.store.statements import Later, Statement, run_later, run_together, slot, slots_of

# Actions, as the auditor reads them.
CREATE, UPDATE, DELETE, VIEW, PRINT, EXPORT, IMPORT = "新增", "修改", "删除", "查看", "打印", "导出", "导入"
LOGIN, LOGIN_FAILED, LOGOUT, BACKUP, RESTORE, SYSTEM = "登录", "登录失败", "退出", "备份", "恢复", "系统"

_HASHED = ("at", "user", "action", "entity", "entity_id", "summary", "changes", "reason")
# The chain's last link, written with every row: rows deleted from the end of the table (which leaves
# an intact, only shorter chain) no longer go unnoticed.
HEAD_KEY = "audit.head"
_rows_written = 0  # rows this process appended (security.anchors anchors the chain every so many)
CHAIN_KEY = "audit.chain_id"
_named: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # databases whose chain has its id


def rows_written() -> int:
    return _rows_written


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: dict[str, Any]
    reason: str


def row_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """The row's link: SHA-256 over the JSON list [previous hash, its values]. A server that hashes
    (store.server_chain) makes the same bytes from server_chain.rest_of(the values)."""
    payload = json.dumps([prev_hash] + [values.get(k) for k in _HASHED], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(action: str, entity: str = "", entity_id: int | None = None, summary: str = "",
           changes: dict[str, Any] | None = None, reason: str = "", user: str | None = None,
           subjects: Collection[int] = ()) -> int | None:
    """Append one audit row. Call inside the transaction of the change it describes (a write
    transaction, BEGIN IMMEDIATE: the previous hash is read under the write lock, so concurrent
    writers cannot fork the chain). Outside a transaction it opens its own. The row's id (None on a
    server that numbers and hashes the rows itself: store.server_chain). ``subjects``: of a change of many
    records at once (``entity_id`` none), the ids of all of them, each indexed to this row (AuditSubject:
    the newest change of one of them is found by an index, conflicts.last_change)."""
    db = database.obj
    if db is not None and not db.in_transaction():
        with write_transaction():
            return record(action, entity, entity_id, summary, changes, reason, user, subjects)
    row_id = _append(_entry_values(action, entity, entity_id, summary, changes, reason, user))[0]
    if subjects:
        _index_subjects(db, row_id, entity, subjects)
    return row_id


def _index_subjects(db, row_id: int | None, entity: str, ids: Collection[int]) -> None:
    """One AuditSubject row per id for the row just appended. A server that numbers the rows itself
    gives no id back: the row is then the log's newest (the writers' lock is held until the commit, and
    the held append is sent before these)."""
    rows = [(entity, int(i)) for i in dict.fromkeys(ids)]
    if row_id is not None:
        executemany(db, 'INSERT INTO "audit_subject" ("audit_id", "entity", "entity_id") VALUES (?, ?, ?)',
                    [(row_id, *row) for row in rows])
    else:
        executemany(db, 'INSERT INTO "audit_subject" ("audit_id", "entity", "entity_id") '
                        'SELECT MAX("id"), ?, ? FROM "audit_log"', rows)


def record_along(write: tuple[Statement, dict], action: str, entity: str, entity_id: int | None,
                 summary: str = "", changes: dict[str, Any] | None = None, reason: str = ""):
    """``record`` inside a write transaction, with ``write`` (a statement of the change itself and its
    values; an UPDATE or DELETE): the audit row is appended only when the write applies. What it
    gives back says whether it did (``rowcount``): 0 when it touched no row — the caller raises, and
    the transaction is rolled back (with the audit row, if any).

    On a server that hashes the chain's rows (store.server_chain) the write and the row are one
    statement sent with the transaction's next statement or its COMMIT: asked before then, the
    rowcount costs a round trip (ask it after the commit when nothing else depends on it; nothing was
    written when it is 0). Elsewhere the write goes with the reading of the chain's end (on a server
    one round trip) and the rowcount is known at once."""
    return _append(_entry_values(action, entity, entity_id, summary, changes, reason, None), write)[1]


def _entry_values(action, entity, entity_id, summary, changes, reason, user) -> dict[str, Any]:
    return {
        "at": clock.now().isoformat(timespec="microseconds"),
        "user": user or current_operator().username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": without_home(summary),
        "changes": without_home(json.dumps(changes, ensure_ascii=False, sort_keys=True)) if changes else "",
        "reason": without_home(reason),
    }


def _append(values: dict[str, Any], along: tuple[Statement, dict] | None = None):
    """Append the row of ``values`` to the chain: (its id, None when the server numbers it; the cursor
    of ``along`` (or a statements.Later) or None)."""
    db = database.obj
    _name_the_chain(db)
    global _rows_written
    if server_chain.hashes_rows(db):
        # The server reads the chain's end, hashes and writes the row and the head: one statement, sent
        # with the transaction's next statement or its COMMIT.
        run = {"_audit_rest": server_chain.rest_of([values[k] for k in _HASHED])}
        statement = server_chain.append_statement(_HASHED, HEAD_KEY, along[0] if along is not None else None)
        (later,) = run_later((statement, dict(along[1], **run) if along is not None else run))
        _rows_written += 1
        return None, later
    runs = [along] if along is not None else []
    *written, chain_end = run_together(*runs, (_CHAIN_END, {}))
    last_id, last_hash, stored = chain_end.fetchone()
    prev_hash = last_hash or ""
    # Numbered on from the recorded head: rows cut from the end leave a gap even after new rows.
    row_id = max(last_id or 0, parse_head(stored)[0]) + 1
    values["prev_hash"] = prev_hash
    values["hash"] = row_hash(prev_hash, values)
    head = json.dumps({"id": row_id, "hash": values["hash"]})
    # Nothing is read back: on a server these go with the transaction's COMMIT (or its next statement).
    run_later((_APPEND, dict(values, id=row_id)), (_SET_HEAD, {"value": head}), (_ADD_HEAD, {"value": head}))
    _rows_written += 1
    return row_id, Later(written[0]) if written else None


def _newest(column):
    return AuditLog.select(column).order_by(AuditLog.id.desc()).limit(1)


# The statements of every append (store.statements): the chain's end is read in one statement, as on a
# server each one is a round trip made while the other writers wait.
_CHAIN_END = Statement(lambda: Select(columns=[
    _newest(AuditLog.id), _newest(AuditLog.hash), Setting.select(Setting.value).where(Setting.key == HEAD_KEY)]))
_APPEND = Statement(lambda: AuditLog.insert(slots_of([AuditLog.id, *(getattr(AuditLog, k) for k in _HASHED),
                                                      AuditLog.prev_hash, AuditLog.hash])).returning())
_SET_HEAD = Statement(lambda: Setting.update({Setting.value: slot("value")}).where(Setting.key == HEAD_KEY))
_ADD_HEAD = Statement(lambda: Setting.insert_from(  # the first head (no ON CONFLICT: see portable.upsert)
    Select(columns=[Value(HEAD_KEY), slot("value")]).where(
        ~fn.EXISTS(Setting.select(Setting.key).where(Setting.key == HEAD_KEY))),
    [Setting.key, Setting.value]).returning())



def without_home(text: str) -> str:
    r"""A file's path as the audit keeps it: the user's home folder (C:\Users\zhangsan, /home/zhangsan)
    written as ~, so the operating system's account name never reaches the log; where the file went
    (the desktop, a USB drive E:\) stays."""
    if not text:
        return text
    pattern = _home_pattern(str(Path.home()).rstrip("\\/"))
    return pattern.sub("~", text) if pattern is not None else text


@functools.lru_cache(maxsize=4)
def _home_pattern(home: str) -> re.Pattern | None:
    """The home folder as a path may write it (\\ or /, or inside JSON), followed by a separator or the end."""
    if len(home) < 2:
        return None
    forms = sorted({home, home.replace("\\", "/"), json.dumps(home)[1:-1]}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(form) for form in forms) + r')(?=[\\/"]|$)')


def chain_id() -> str | None:
    """The id of this database's audit chain: made with its first row, copied into its backups and
    back by a restore; the anchors kept outside the database (security.anchors) are filed under it."""
    stored = Setting.get_or_none(Setting.key == CHAIN_KEY)
    return json.loads(stored.value) if stored is not None else None


def _name_the_chain(db) -> None:
    if db is not None and db in _named:
        return
    if Setting.get_or_none(Setting.key == CHAIN_KEY) is None:
        Setting.insert(key=CHAIN_KEY, value=json.dumps(uuid.uuid4().hex)).execute()
    if db is not None:
        _named[db] = True


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{key: [old, new]} for every key whose value changed."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if (before or "") != (after or ""):
            out[key] = [before, after]
    return out


@dataclass(frozen=True)
class ChainCheck:
    """What a walk along the chain found. ``broken``: the first row that was changed or removed (None:
    intact); ``message``: why, in Chinese; ``hashes``: the chain's hash at each row asked for."""

    broken: int | None
    message: str
    last_id: int
    last_hash: str
    hashes: dict[int, str]


HASHED_COLUMNS = ("id", "prev_hash", "hash", *_HASHED)


def verify_chain(progress: Progress | None = None) -> int | None:
    """The id of the first row whose hash does not match its content or its predecessor, or None.
    ``progress`` hears every 5,000 rows (a long-used log holds millions) and may cancel. The chain
    alone: security.anchors.verify also holds it against the anchors kept outside the database."""
    return walk_chain(progress=progress).broken


def walk_chain(wanted=(), progress: Progress | None = None) -> ChainCheck:
    """check_rows over the open database's log."""
    total = AuditLog.select().count() if progress is not None else 0
    query = AuditLog.select(*(getattr(AuditLog, k) for k in HASHED_COLUMNS)).order_by(AuditLog.id)
    # The driver's own rows: peewee's per-value conversion took most of the time over a large log
    # (every column is text or an integer, as the driver returns it).
    return check_rows(database.execute(query), _head(), wanted, progress, total)


def check_rows(cursor, head: tuple[int, str], wanted=(), progress: Progress | None = None,
               total: int = 0) -> ChainCheck:
    """Walk a log's rows (a DB-API cursor over HASHED_COLUMNS, by id) against its recorded ``head``
    (id, hash). Works on any database: the open one, a backup file. Collects the hash at ``wanted`` ids."""
    wanted = set(wanted)
    hashes: dict[int, str] = {}
    prev_hash, last_id = "", None
    done = 0

    def verdict(broken: int | None, message: str = "") -> ChainCheck:
        return ChainCheck(broken, message, last_id or 0, prev_hash, hashes)

    while batch := cursor.fetchmany(2000):
        for row_id, row_prev, row_hash_, *hashed in batch:
            if progress is not None and done % 5000 == 0:
                progress.report(done, total, f"正在校验审计日志 {done}/{total} 条")
            done += 1
            if last_id is not None and row_id != last_id + 1:
                return verdict(last_id + 1, f"审计日志第 {last_id + 1} 条记录被删除（编号不连续）。")
            values = dict(zip(_HASHED, hashed, strict=True))
            if row_prev != prev_hash or row_hash_ != row_hash(prev_hash, values):
                return verdict(row_id, f"审计日志第 {row_id} 条记录被改动或删除（哈希链断裂）。")
            if row_id in wanted:
                hashes[row_id] = row_hash_
            prev_hash, last_id = row_hash_, row_id
    last = last_id or 0
    head_id, head_hash = head
    if head_id < 0:
        return verdict(last + 1, "审计日志的链头记录被改动。")
    if head_id and last < head_id:
        return verdict(last + 1, f"审计日志第 {last + 1} 条及以后的记录被删除（链头记到第 {head_id} 条）。")
    if head_id and last > head_id:
        return verdict(head_id + 1, f"审计日志第 {head_id + 1} 条起的记录不是本程序写入的。")
    if head_id and head_hash != prev_hash:
        return verdict(head_id, f"审计日志第 {head_id} 条记录被改动（与链头不符）。")
    return verdict(None)


def parse_head(value: str | None) -> tuple[int, str]:
    """The stored head (JSON {"id", "hash"}) as (id, hash); (0, "") when none, (-1, "") when unreadable."""
    if value is None:
        return 0, ""
    try:
        head = json.loads(value)
        return int(head["id"]), str(head["hash"])
    except (ValueError, TypeError, KeyError):
        return -1, ""


def _head() -> tuple[int, str]:
    """(id, hash) of the last row the app wrote; (0, "") before the first; (-1, "") when unreadable."""
    stored = Setting.get_or_none(Setting.key == HEAD_KEY)
    return parse_head(stored.value if stored is not None else None)


def entries(limit: int = 500, **filters: Any) -> list[AuditEntry]:
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    for key, value in filters.items():
        if value not in (None, ""):
            query = query.where(getattr(AuditLog, key) == value)
    return [
        AuditEntry(r.id, r.at, r.user, r.action, r.entity, r.entity_id, r.summary,
                   json.loads(r.changes) if r.changes else {}, r.reason)
        for r in query
    ]


ACTIONS = (CREATE, UPDATE, DELETE, VIEW, PRINT, EXPORT, IMPORT, LOGIN, LOGIN_FAILED, LOGOUT, BACKUP, RESTORE,
           SYSTEM)

# What each action means, in the auditor's words (the 审计日志 page shows it beside the action).
ACTION_HELP = {
    CREATE: "新建了一条记录（干部、单位、用户、帮带结对等）",
    UPDATE: "修改了已有记录的内容，下方列出每项改前和改后的值",
    DELETE: "删除了一条记录，下方列出删除前的内容",
    VIEW: "查看了干部的完整档案（含身份证号等敏感信息）",
    PRINT: "打印或生成了 PDF 文件，事由为打印时填写的用途",
    EXPORT: "把数据导出到 Excel、LRMX 等文件，事由为导出时填写的用途",
    IMPORT: "从 Excel、LRMX 等文件导入了数据",
    LOGIN: "用户输入正确的用户名和密码，进入程序",
    LOGIN_FAILED: "用户名或密码不对、账号被锁定等原因未能登录",
    LOGOUT: "用户注销、切换用户或关闭程序",
    BACKUP: "把整个数据库备份到一个文件",
    RESTORE: "用备份文件恢复了数据库，恢复前的数据另存了一份",
    SYSTEM: "程序自身的操作：加密数据库、生成演示数据、迁移数据库等",
}

# The integrity check in plain words: 哈希链 is no word a clerk knows.
CHAIN_EXPLAINED = ("每条审计记录都带着前一条记录的“指纹”（哈希值），记录前后相扣（哈希链），"
                   "在程序之外改动或删除其中任何一条，都会被“校验完整性”发现。"
                   "程序还把最新一条的“指纹”另存在数据库之外（审计锚点），整段重写也能发现。")


def _entry(r) -> AuditEntry:
    return AuditEntry(r.id, r.at, r.user, r.action, r.entity, r.entity_id, r.summary,
                      json.loads(r.changes) if r.changes else {}, r.reason)


def search(*, user: str = "", action: str = "", entity: str = "", date_from: str = "", date_to: str = "",
           text: str = "", limit: int = 2000) -> list[AuditEntry]:
    """The auditor's view: newest first. Dates are 'YYYY-MM-DD' (inclusive); ``text`` matches the
    summary, the changes and the reason."""
    from cadre_desk.access import permissions

    permissions.require(permissions.AUDIT)
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit)
    if date_from or date_to:
        # Newest by time: the index on ``at`` then gives both the range and the order, and the newest
        # ``limit`` rows are read without sorting every row of a years-long range (the same order as
        # by id, the log being appended in time).
        query = query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if user:
        query = query.where(AuditLog.user.contains(user))
    if action:
        query = query.where(AuditLog.action == action)
    if entity:
        query = query.where(AuditLog.entity == entity)
    if date_from:
        query = query.where(AuditLog.at >= date_from)
    if date_to:
        query = query.where(AuditLog.at < date_to + "T99")
    if text:
        query = query.where(AuditLog.summary.contains(text) | AuditLog.changes.contains(text)
                            | AuditLog.reason.contains(text))
    return [_entry(r) for r in query]


def entities() -> list[str]:
    return [r.entity for r in AuditLog.select(AuditLog.entity).distinct().order_by(AuditLog.entity) if r.entity]


def record_output(action: str, entity: str, entity_id: int | None, summary: str, reason: str,
                  changes: dict[str, Any] | None = None) -> int | None:
    """A print or an export: the reason the user gave is required and kept in the row."""
    from cadre_desk.domain.errors import ValidationError

    if not (reason or "").strip():
        raise ValidationError({"reason": f"请填写{action}事由。"})
    return record(action, entity, entity_id, summary, changes, reason=reason.strip())
