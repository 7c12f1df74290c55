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


@pytest.fixture
def collector(qapp):
    """The window's collector, checking every 10 ms, idle after 150 ms without input; nothing frozen
    is left behind for the other tests."""
    from ui.widgets.gui_gc import GuiThreadCollector

    threshold = gc.get_threshold()
    gc.set_threshold(1, 1, 1)  # every generation due at once, wherever a cycle sits
    made = GuiThreadCollector(qapp, interval_ms=10)
    made.idle_s, made.max_wait_s = 0.15, 60.0
    try:
        yield made
    finally:
        made.timer.stop()
        made.deleteLater()
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _garbage_cycle():
    """A cycle only a collection frees, and a weak reference telling when it is gone."""
    class Node:
        pass
    node = Node()
    node.me = node
    gone = weakref.ref(node)
    del node
    return gone


def _typing_for(qtbot, widget, seconds: float) -> None:
    """A clerk typing: a key every 20 ms for ``seconds``."""
    import time

    from PySide6.QtCore import Qt

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qtbot.keyClick(widget.windowHandle(), Qt.Key_A)  # as a key comes: to its window first
        qtbot.wait(20)


def test_no_collection_while_somebody_types_one_when_the_window_is_idle(qtbot, collector):
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    gone = _garbage_cycle()
    _typing_for(qtbot, field, 0.6)  # the timer ran ~60 times, each time something was due
    assert gone() is not None
    assert not collector.log
    qtbot.waitUntil(lambda: gone() is None, timeout=3000)  # idle: collected
    assert collector.log and all(idle for _g, _s, idle in collector.log)


def test_no_collection_while_a_task_runs(qtbot, collector):
    import time

    from PySide6.QtCore import QRunnable, QThreadPool

    release = threading.Event()

    class Waiting(QRunnable):
        def run(self):
            release.wait(10)

    QThreadPool.globalInstance().start(Waiting())
    try:
        gone = _garbage_cycle()
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            qtbot.wait(20)
        assert gone() is not None  # the clerk waits for the task's result: not now
    finally:
        release.set()
    qtbot.waitUntil(lambda: gone() is None, timeout=3000)


def test_what_is_due_is_collected_anyway_after_max_wait(qtbot, collector):
    from PySide6.QtWidgets import QLineEdit

    collector.max_wait_s = 0.3
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    gone = _garbage_cycle()
    _typing_for(qtbot, field, 1.0)  # never idle: memory does not grow for ever
    assert gone() is None
    assert collector.log and not collector.log[0][2]


def test_a_full_collection_waits_for_a_quarter_more_objects_as_pythons_own():
    from ui.widgets import gui_gc

    threshold = gc.get_threshold()
    kept = [[n] for n in range(200_000)]  # long-lived objects (a page's rows)
    try:
        gui_gc._collect(2)
        gc.set_threshold(700, 1, 1)
        gc.collect(1)
        gc.collect(1)  # two generation-1 collections: by the thresholds a full one is due
        gc.collect(0)
        gc.collect(0)
        assert gc.get_count()[1] > 1 and gc.get_count()[2] > 1
        assert gui_gc.due_generation() == 1  # but few objects are new since the last: generation 1
        more = len(gc.get_objects(generation=2)) * 3 // 10
        kept.extend([n] for n in range(more))  # 30 % more, out of the young generations
        gc.collect(1)
        gc.collect(0)
        gc.collect(0)
        assert gui_gc.due_generation() == 2
    finally:
        gc.set_threshold(*threshold)


def test_the_cadre_index_is_frozen_when_it_arrives(qtbot, demo_db, db_path):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    gc.unfreeze()
    try:
        window.show()
        qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
        walked = {id(o) for o in gc.get_objects()}
        assert gc.get_freeze_count() > 0
        assert id(context.index) not in walked  # no collection walks the index any more
        context.tasks.wait_all(5000)
    finally:
        gc.unfreeze()
