"""Progress and cancel for long work, shared by the command line and the window's task runner."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from cadre_desk.domain.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]
T = TypeVar("T")


class CancelToken:
    """Set from any thread; long work calls ``check()`` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class Progress:
    """What long work receives: report(done, total, text) and check() for cancel."""

    def __init__(self, callback: ProgressCallback | None = None, token: CancelToken | None = None):
        self._callback = callback
        self.token = token or CancelToken()

    def report(self, done: int, total: int, text: str = "") -> None:
        self.token.check()
        if self._callback is not None:
            self._callback(done, total, text)

    def check(self) -> None:
        self.token.check()


NO_PROGRESS = Progress()


def in_steps(people: Sequence[T], size: int, progress: Progress, doing: str) -> Iterator[tuple[int, Sequence[T]]]:
    """``people`` in slices of ``size``, each with its start, the progress told before each slice and at the
    end as 「<doing>：200 / 1000 人」 (a 取消 raises Cancelled there, between two slices)."""
    for start in range(0, len(people), size):
        progress.report(start, len(people), f"{doing}：{start} / {len(people)} 人")
        yield start, people[start:start + size]
    progress.report(len(people), len(people), f"{doing}：{len(people)} / {len(people)} 人")
