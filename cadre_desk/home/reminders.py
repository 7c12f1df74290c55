"""Reminders shown on the main window (postings ending soon, missing records, idle mentoring pairs…).

A capability appends a function() -> list[Reminder] to PROVIDERS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reminder:
    category: str  # 一线锻炼 / 导师帮带 / 实绩档案 …
    text: str  # one line in Chinese
    cadre_id: int | None = None
    level: str = "info"  # info / warning


PROVIDERS: list[Callable[[], list[Reminder]]] = []


def collect() -> list[Reminder]:
    """Every provider's reminders the operator may see: none without the right to read cadre data
    (系统管理员, 安全审计员: 三员分立), and only cadres of their units for a limited user."""
    from cadre_desk.access import permissions

    if permissions.check(permissions.READ):
        return []
    allowed = permissions.readable_unit_ids()
    out: list[Reminder] = []
    for provider in PROVIDERS:
        out.extend(provider())
    if allowed is None:
        return out
    ids = {r.cadre_id for r in out if r.cadre_id is not None}
    units = _units_of(ids) if ids else {}
    return [r for r in out if r.cadre_id is None or units.get(r.cadre_id) in allowed]


def _units_of(cadre_ids: set[int]) -> dict[int, int]:
    from cadre_desk.store.models import Cadre

    out: dict[int, int] = {}
    ids = sorted(cadre_ids)
    for start in range(0, len(ids), 500):
        for row in Cadre.select(Cadre.id, Cadre.unit).where(Cadre.id.in_(ids[start:start + 500])):
            out[row.id] = row.unit_id
    return out
