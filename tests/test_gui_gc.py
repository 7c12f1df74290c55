"""Python's garbage collected on the GUI thread only (ui.widgets.gui_gc)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

pytest.importorskip("pytestqt")


def test_the_window_collects_on_its_own_thread_and_never_in_a_worker(qapp, qtbot):
    from PySide6.QtWidgets import QWidget

    from ui.widgets.gui_gc import GuiThreadCollector

    threshold = gc.get_threshold()
    gc.enable()  # as Python starts
    collector = GuiThreadCollector(qapp, interval_ms=10)
    try:
        assert not gc.isenabled()
        widget = QWidget()
        holder = {"widget": widget}
        holder["self"] = holder  # a cycle: only the collector frees it
        gone = weakref.ref(widget)
        del widget, holder

        kept = []

        def allocate():  # a worker allocating past the thresholds (and keeping it) collects nothing
            kept.extend([] for _ in range(threshold[0] * 4))

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert gone() is not None
        gc.set_threshold(1, 1, 1)  # every generation due soon, wherever the cycle sits now
        qtbot.waitUntil(lambda: gone() is None, timeout=5000)  # the GUI thread's timer freed it
    finally:
        gc.set_threshold(*threshold)
        collector.timer.stop()
        collector.deleteLater()
