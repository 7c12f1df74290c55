"""Progress and cancel for long work, shared by the command line and the window's task runner."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from cadre_desk.domain.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]
T = TypeVar("T")

# what a window says once the work has begun to save for good (Progress.seal): 取消 can no longer stop it
SAVING = "正在保存，已不能取消…"


class CancelToken:
    """Set from any thread; long work calls ``check()`` between steps. Work that reaches its final
    commit ``seal()``s the token: a 取消 asked before is honoured there, one asked after is refused
    (``cancel()`` returns False and ``too_late`` says it was asked)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._sealed = False
        self._too_late = False

    def cancel(self) -> bool:
        """Ask the work to stop; False when it is already saving for good (sealed) and will finish."""
        with self._lock:
            if self._sealed:
                self._too_late = True
                return False
            self._event.set()
            return True

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    @property
    def sealed(self) -> bool:
        return self._sealed

    @property
    def too_late(self) -> bool:
        """A 取消 was asked after the work had begun its final commit (it was not honoured)."""
        return self._too_late

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def seal(self) -> None:
        """The last moment to cancel: raises Cancelled if asked, else no later 取消 is honoured."""
        with self._lock:
            self.check()
            self._sealed = True


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

    def seal(self, text: str = SAVING) -> None:
        """Work about to commit for good: a 取消 asked until now raises Cancelled here (nothing kept);
        from here on 取消 is refused, and the window is told (``text``, the bar left as it is)."""
        self.token.seal()
        if self._callback is not None:
            self._callback(0, 0, text)


NO_PROGRESS = Progress()


def in_steps(people: Sequence[T], size: int, progress: Progress, doing: str) -> Iterator[tuple[int, Sequence[T]]]:
    """``people`` in slices of ``size``, each with its start, the progress told before each slice and at the
    end as 「<doing>：200 / 1000 人」 (a 取消 raises Cancelled there, between two slices)."""
    for start in range(0, len(people), size):
        progress.report(start, len(people), f"{doing}：{start} / {len(people)} 人")
        yield start, people[start:start + size]
    progress.report(len(people), len(people), f"{doing}：{len(people)} / {len(people)} 人")
