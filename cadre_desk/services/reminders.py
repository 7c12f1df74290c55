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
    out: list[Reminder] = []
    for provider in PROVIDERS:
        out.extend(provider())
    return out
