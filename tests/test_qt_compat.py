"""Guards the PySide6 pin: 6.12.0 drops a reference to None/True on every call on Python 3.11."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal from Python 3.12")
def test_qt_calls_keep_singleton_refcounts(qapp):
    from PySide6.QtCore import QObject, QTimer, Signal

    class Probe(QObject):
        ping = Signal()

    probe, timer = Probe(), QTimer()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(5000):
        timer.setInterval(5)
        timer.isActive()
        probe.ping.emit()
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] > before[0] - 1000, "PySide6 leaks references to None; keep the version pin"
    assert after[1] > before[1] - 1000, "PySide6 leaks references to True; keep the version pin"
