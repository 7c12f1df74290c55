"""The window survives the PySide6 6.12 reference-count defect (see ui/qt_compat.py)."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal from Python 3.12")
def test_singletons_survive_many_qt_calls(qapp):
    from PySide6.QtCore import QObject, QTimer, Signal

    import ui  # noqa: F401 - applies the work-around

    class Probe(QObject):
        ping = Signal()

    probe, timer = Probe(), QTimer()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20000):  # more than None's and True's normal reference counts
        timer.setInterval(5)
        probe.ping.emit()
    assert sys.getrefcount(None) > 1 << 40 and sys.getrefcount(True) > 1 << 40
    assert sys.getrefcount(None) > before[0] - 30000
