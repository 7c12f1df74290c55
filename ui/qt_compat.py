"""Work-arounds for defects of the installed Qt binding.

PySide6 6.12.0: every ``SignalInstance.emit()`` called from Python returns ``True`` without taking
a reference to it, so each emit lowers ``True``'s reference count by one. After a few hundred
emits the interpreter aborts ("bool_dealloc: deallocating True or False"). ``emit()`` below takes
the missing reference (Py_IncRef through ctypes); on a fixed binding it measures no leak at
import and does nothing extra. Call ``emit(signal, *args)`` instead of ``signal.emit(*args)``.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _measure() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
_LEAKS = _measure()
if _LEAKS:
    for _ in range(8):  # the probe's own emits
        _incref(True)


def emit(signal, *args) -> None:
    result = signal.emit(*args)
    if _LEAKS and result is True:
        _incref(result)  # the reference PySide forgot to take


def leaks() -> bool:
    return _LEAKS
