"""Idle time: the window locks itself after N minutes without input (setting security.idle_minutes)."""

from __future__ import annotations

import time
from collections.abc import Callable


class IdleTracker:
    def __init__(self, minutes: Callable[[], int], clock: Callable[[], float] = time.monotonic):
        self.minutes = minutes
        self.clock = clock
        self.last_input = clock()

    def touch(self) -> None:
        self.last_input = self.clock()

    def idle_seconds(self) -> float:
        return self.clock() - self.last_input

    def should_lock(self) -> bool:
        limit = self.minutes()
        return bool(limit) and self.idle_seconds() >= limit * 60
