"""草稿: the unsaved edits of the logged-in account, kept when the program quits from the idle lock (退出程序,
or the system shutting down while locked), so that nothing typed is lost although nothing is saved as the
user — whoever stands at the desk has not proved to be the account's owner.

A draft is never applied and never audited as a change: it is what the edit window held (its kind's own
JSON), kept under the account in the program's database (encrypted with it when encryption is on) and
offered back once at that account's next login, where restoring fills an edit window that the user may
then save — the save is the change, checked and audited as any other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import peewee

from cadre_desk.access.context import current_operator
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.store.db import write_transaction
from cadre_desk.store.security_models import UnsavedDraft


class DraftError(CadreDeskError):
    """The database would not keep or delete drafts (a full disk, a read-only file …)."""


@dataclass(frozen=True)
class DraftInput:
    kind: str  # whose JSON it is: "profile" …
    target_id: int | None  # the record it edits (a cadre); None: a new one
    label: str  # as the unsaved edits are listed: 干部档案 — 王档案
    payload: str  # the kind's own JSON


@dataclass(frozen=True)
class Draft(DraftInput):
    id: int
    created_at: str


def keep(items: Iterable[DraftInput]) -> list[int]:
    """Keep ``items`` under the logged-in account; their ids. Nothing without a logged-in account (nobody
    to offer them to)."""
    user_id = current_operator().user_id
    items = list(items)
    if user_id is None or not items:
        return []
    try:
        with write_transaction():
            return [UnsavedDraft.create(user=user_id, kind=item.kind, target_id=item.target_id, label=item.label,
                                        payload=item.payload).id for item in items]
    except peewee.DatabaseError as exc:
        raise DraftError(f"未能保留草稿：{exc}") from exc


def replace(draft_id: int, item: DraftInput) -> bool:
    """The logged-in account's draft ``draft_id`` now says ``item`` (a restored draft whose window is kept
    again); False when there is no such draft any more."""
    user_id = current_operator().user_id
    if user_id is None:
        return False
    try:
        with write_transaction():
            return bool(UnsavedDraft.update(kind=item.kind, target_id=item.target_id, label=item.label,
                                            payload=item.payload)
                        .where(UnsavedDraft.id == draft_id, UnsavedDraft.user == user_id).execute())
    except peewee.DatabaseError as exc:
        raise DraftError(f"未能保留草稿：{exc}") from exc


def mine() -> list[Draft]:
    """The logged-in account's drafts, oldest first."""
    user_id = current_operator().user_id
    if user_id is None:
        return []
    rows = UnsavedDraft.select().where(UnsavedDraft.user == user_id).order_by(UnsavedDraft.id)
    return [Draft(row.kind, row.target_id, row.label, row.payload, row.id, row.created_at) for row in rows]


def discard(ids: Iterable[int] | None = None) -> int:
    """Delete the logged-in account's drafts (those of ``ids``; all when None); how many went."""
    user_id = current_operator().user_id
    if user_id is None:
        return 0
    query = UnsavedDraft.delete().where(UnsavedDraft.user == user_id)
    if ids is not None:
        ids = list(ids)
        if not ids:
            return 0
        query = query.where(UnsavedDraft.id.in_(ids))
    try:
        with write_transaction():
            return query.execute()
    except peewee.DatabaseError as exc:
        raise DraftError(f"未能删除草稿：{exc}") from exc


__all__ = ["Draft", "DraftError", "DraftInput", "discard", "keep", "mine", "replace"]
