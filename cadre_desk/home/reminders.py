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
    from cadre_desk.access import permissions, reads, scope

    current = scope.current()
    if not current.permits(permissions.READ):
        return []
    out: list[Reminder] = []
    for provider in PROVIDERS:
        out.extend(provider())
    if current.every_unit:
        return out
    visible = reads.visible_ids(r.cadre_id for r in out if r.cadre_id is not None)
    return [r for r in out if r.cadre_id is None or r.cadre_id in visible]
