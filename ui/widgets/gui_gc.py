"""Python's cyclic garbage collected on the GUI thread only.

Python collects in whichever thread happens to allocate past its threshold. In a worker thread of the
task runner that collection can destroy a Qt widget (a dialog or page caught in a reference cycle), and
Qt allows that on the GUI thread only: the test suite saw Python crash (segfault) in Qt's list of
top-level windows and in the thread pool's wait. So automatic collection is off, and the GUI thread
collects the generations that are due: every second in the window (``GuiThreadCollector``), after each
test in the suite (``collect_due``)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_due() -> None:
    """Collect each generation whose count passed its threshold, as Python's own collector would."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return


class GuiThreadCollector(QObject):
    """Turns automatic collection off for good and collects what is due once a second on this thread."""

    def __init__(self, parent: QObject, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_due)
        self.timer.start()
