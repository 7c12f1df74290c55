"""Python's cyclic garbage collected on the GUI thread only, while nobody waits for the window.

Python collects in whichever thread happens to allocate past its threshold. In a worker thread of the
task runner that collection can destroy a Qt widget (a dialog or page caught in a reference cycle), and
Qt allows that on the GUI thread only: the test suite saw Python crash (segfault) in Qt's list of
top-level windows and in the thread pool's wait. So automatic collection is off, and the GUI thread
collects the generations that are due (``GuiThreadCollector``; after each test in the suite:
``collect_due``).

When: a collection costs time in proportion to the objects it walks — at 100,000 cadres with the pages
open a full one walks ≈ 600,000 and took 190–440 ms, a young one up to 134 ms (the rows a page had just
read). Done in the middle of a click's work, that is the click's wait. So the window collects only when
it is idle: no key or mouse input for ``idle_ms``, no background task running and the event loop not
held up meanwhile (a clerk who clicked has the result and reads it). Memory stays bounded: what is due
and was put off for ``max_wait_ms`` is collected anyway. A full collection is due as in Python's own collector: every tenth collection of
generation 1, and only once the objects that survived since the last full one are a quarter of those it
left (else a window holding many pages would walk all of them again and again for a few new ones).

What lives as long as the program is frozen (``gc.freeze``): the start (modules, classes, the window),
and the cadre index when the roster has read it (``freeze_loaded``)."""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication

# Python's own rule for a full collection (gcmodule.c: long_lived_pending > long_lived_total / 4)
FULL_WHEN_NEW_OVER = 0.25
_long_lived = [0]  # objects a full collection left (not frozen)


def _full_due() -> bool:
    pending = len(gc.get_objects(generation=2)) - _long_lived[0]
    return pending > _long_lived[0] * FULL_WHEN_NEW_OVER


def _collect(generation: int) -> None:
    gc.collect(generation)
    if generation == 2:
        _long_lived[0] = len(gc.get_objects(generation=2))


def due_generation() -> int | None:
    """The oldest generation whose count passed its threshold (a full one only by Python's 25 % rule:
    otherwise generation 1), None when nothing is due."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[1] > thresholds[1]:  # a full collection is considered when generation 1's is due, as in Python
        return 2 if counts[2] > thresholds[2] and _full_due() else 1
    return 0 if counts[0] > thresholds[0] else None


def collect_due() -> int | None:
    """Collect the generation that is due, as Python's own collector would; which one (None: none)."""
    generation = due_generation()
    if generation is not None:
        _collect(generation)
    return generation


def freeze_loaded() -> None:
    """After a large load that lives on (the cadre index): what is alive now is no longer walked by a
    collection (Python's ``gc.freeze``). Its rows are tuples of plain values, garbage only when the
    index is replaced, and freed then by their reference counts."""
    gc.freeze()
    _long_lived[0] = 0


_INPUT = frozenset(t.value for t in (
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Wheel, QEvent.Type.ShortcutOverride,
    QEvent.Type.TouchBegin, QEvent.Type.TouchEnd))


class GuiThreadCollector(QObject):
    """Turns automatic collection off for good and collects what is due on this thread when idle."""

    def __init__(self, parent: QObject, interval_ms: int = 100, idle_ms: int = 300,
                 max_wait_ms: int = 30_000) -> None:
        super().__init__(parent)
        gc.disable()
        self.interval_s = interval_ms / 1000
        self.idle_s = idle_ms / 1000
        self.max_wait_s = max_wait_ms / 1000
        self.last_input = time.monotonic()
        self.last_busy = self.last_tick = self.last_input
        self.due_since: float | None = None
        self.log: list[tuple[int, float, bool]] = []  # (generation, seconds, idle) of the last collections
        self.forced = 0  # collections done after max_wait_ms without an idle moment
        self._watch_windows()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def _watch_windows(self) -> None:
        """Watch the input of every top-level window (a dialog opened since too). On the windows, not on the
        application: a filter there is called in Python for every event of every widget (≈ 9,700 while
        实绩考核 is built, ≈ 70 ms); a key or a click reaches its window first."""
        for window in QGuiApplication.topLevelWindows():
            window.installEventFilter(self)  # again on a window already watched: still once (Qt)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type().value in _INPUT:
            self.last_input = time.monotonic()
        return False

    def note_input(self) -> None:
        """Somebody acted (what a key or a click does; the benchmark's steps say it so)."""
        self.last_input = time.monotonic()

    def idle(self, now: float) -> bool:
        """No input for ``idle_ms``, no task running, and the event loop not held up meanwhile (this timer
        late by half its interval: a page was being built, a result delivered)."""
        late = now - self.last_tick > self.interval_s * 1.5
        self.last_tick = now
        if late or QThreadPool.globalInstance().activeThreadCount():
            self.last_busy = now
            return False
        return now - max(self.last_input, self.last_busy) >= self.idle_s

    def tick(self) -> None:
        self._watch_windows()
        now = time.monotonic()
        idle = self.idle(now)
        generation = due_generation()
        if generation is None:
            self.due_since = None
            return
        if self.due_since is None:
            self.due_since = now
        if not idle and now - self.due_since < self.max_wait_s:
            return
        t0 = time.perf_counter()
        _collect(generation)
        self.log = [*self.log[-99:], (generation, time.perf_counter() - t0, idle)]
        self.forced += not idle
        self.due_since = None
