"""The audit log: every change, view, print and export, append-only and hash-chained."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadre_desk.access.context import current_operator
from cadre_desk.domain import clock
from cadre_desk.domain.progress import Progress
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import AuditLog, Setting

# Actions, as the auditor reads them.
CREATE, UPDATE, DELETE, VIEW, PRINT, EXPORT, IMPORT = "新增", "修改", "删除", "查看", "打印", "导出", "导入"
LOGIN, LOGIN_FAILED, LOGOUT, BACKUP, RESTORE, SYSTEM = "登录", "登录失败", "退出", "备份", "恢复", "系统"

_HASHED = ("at", "user", "action", "entity", "entity_id", "summary", "changes", "reason")
# The chain's last link, written with every row: rows deleted from the end of the table (which leaves
# an intact, only shorter chain) no longer go unnoticed.
HEAD_KEY = "audit.head"


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
    payload = json.dumps([prev_hash] + [values.get(k) for k in _HASHED], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(action: str, entity: str = "", entity_id: int | None = None, summary: str = "",
           changes: dict[str, Any] | None = None, reason: str = "", user: str | None = None) -> int:
    """Append one audit row. Call inside the transaction of the change it describes (a write
    transaction, BEGIN IMMEDIATE: the previous hash is read under the write lock, so concurrent
    writers cannot fork the chain). Outside a transaction it opens its own."""
    db = database.obj
    if db is not None and not db.in_transaction():
        with write_transaction():
            return record(action, entity, entity_id, summary, changes, reason, user)
    last = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1).first()
    prev_hash = last.hash if last else ""
    # Numbered on from the recorded head: rows cut from the end leave a gap even after new rows.
    row_id = max(last.id if last else 0, _head()[0]) + 1
    values = {
        "at": clock.now().isoformat(timespec="microseconds"),
        "user": user or current_operator().username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": without_home(summary),
        "changes": without_home(json.dumps(changes, ensure_ascii=False, sort_keys=True)) if changes else "",
        "reason": without_home(reason),
    }
    values["prev_hash"] = prev_hash
    values["hash"] = row_hash(prev_hash, values)
    AuditLog.insert(id=row_id, **values).execute()
    head = json.dumps({"id": row_id, "hash": values["hash"]})
    Setting.insert(key=HEAD_KEY, value=head).on_conflict(conflict_target=[Setting.key],
                                                         update={Setting.value: head}).execute()
    return row_id


def without_home(text: str) -> str:
    r"""A file's path as the audit keeps it: the user's home folder (C:\Users\zhangsan, /home/zhangsan)
    written as ~, so the operating system's account name never reaches the log; where the file went
    (the desktop, a USB drive E:\) stays."""
    if not text:
        return text
    home = str(Path.home()).rstrip("\\/")
    if len(home) < 2:
        return text
    for form in {home, home.replace("\\", "/"), json.dumps(home)[1:-1]}:
        text = re.sub(re.escape(form) + r'(?=[\\/"]|$)', "~", text)
    return text


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{key: [old, new]} for every key whose value changed."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if (before or "") != (after or ""):
            out[key] = [before, after]
    return out


def verify_chain(progress: Progress | None = None) -> int | None:
    """The id of the first row whose hash does not match its content or its predecessor, or None.
    ``progress`` hears every 5,000 rows (a long-used log holds millions) and may cancel."""
    prev_hash, last_id = "", None
    total = AuditLog.select().count() if progress is not None else 0
    fields = [getattr(AuditLog, k) for k in _HASHED]
    query = AuditLog.select(AuditLog.id, AuditLog.prev_hash, AuditLog.hash, *fields).order_by(AuditLog.id)
    # The driver's own rows: peewee's per-value conversion took most of the time over a large log
    # (every column is text or an integer, as the driver returns it).
    cursor = database.execute(query)
    done = 0
    while batch := cursor.fetchmany(2000):
        for row_id, row_prev, row_hash_, *hashed in batch:
            if progress is not None and done % 5000 == 0:
                progress.report(done, total, f"正在校验审计日志 {done}/{total} 条")
            done += 1
            if last_id is not None and row_id != last_id + 1:
                return last_id + 1  # rows are numbered without gaps: this one is gone
            values = dict(zip(_HASHED, hashed, strict=True))
            if row_prev != prev_hash or row_hash_ != row_hash(prev_hash, values):
                return row_id
            prev_hash, last_id = row_hash_, row_id
    last_id = last_id or 0
    head_id, head_hash = _head()
    if head_id < 0:
        return last_id + 1  # the head itself was damaged
    if head_id and last_id < head_id:
        return last_id + 1  # rows cut from the end
    if head_id and last_id > head_id:
        return head_id + 1  # rows added behind the app's back
    if head_id and head_hash != prev_hash:
        return head_id
    return None


def _head() -> tuple[int, str]:
    """(id, hash) of the last row the app wrote; (0, "") before the first; (-1, "") when unreadable."""
    stored = Setting.get_or_none(Setting.key == HEAD_KEY)
    if stored is None:
        return 0, ""
    try:
        head = json.loads(stored.value)
        return int(head["id"]), str(head["hash"])
    except (ValueError, TypeError, KeyError):
        return -1, ""


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


def check_integrity(progress: Progress | None = None) -> int | None:
    """verify_chain for the auditor (permission checked)."""
    from cadre_desk.access import permissions

    permissions.require(permissions.AUDIT)
    return verify_chain(progress)


def record_output(action: str, entity: str, entity_id: int | None, summary: str, reason: str,
                  changes: dict[str, Any] | None = None) -> int:
    """A print or an export: the reason the user gave is required and kept in the row."""
    from cadre_desk.domain.errors import ValidationError

    if not (reason or "").strip():
        raise ValidationError({"reason": f"请填写{action}事由。"})
    return record(action, entity, entity_id, summary, changes, reason=reason.strip())
