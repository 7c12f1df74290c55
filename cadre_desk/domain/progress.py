"""Progress and cancel for long work, shared by the command line and the window's task runner."""

from __future__ import annotations

import threading
from collections.abc import Callable

from cadre_desk.domain.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]


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
