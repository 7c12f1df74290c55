"""Guards the PySide6 pin (6.12.0 drops a reference to None/True on every call on Python 3.11) and how
the program starts Qt."""

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


def test_the_program_paints_on_the_gui_thread():
    """Qt's raster engine would hand every tall fill to a thread pool and wait (bench_foundation: ~3 ms
    of each roster keystroke on two cores); the program turns that pool off before Qt starts."""
    import os
    import subprocess
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    code = "import os; from ui.shell.app import make_app; make_app(); print(os.environ.get('QT_NO_GUI_THREADPOOL'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "1"
