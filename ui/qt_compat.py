"""Work-around for a reference-count defect of the installed Qt binding.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a
void Qt method (``QTimer.start``, ``setObjectName`` …) and one to ``True`` on every Python-side
``Signal.emit()``. After a few thousand such calls the interpreter aborts with "none_dealloc:
deallocating None" / "bool_dealloc". Python 3.12 makes these singletons immortal; here we do the
same by giving them a reference count no session can use up. Harmless on a fixed binding.
Imported by ``ui/__init__.py`` so it runs before any window code.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 1 << 48


def immortalize_singletons() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
        return  # already immortal, or a debug build whose object header differs
    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field
        before = sys.getrefcount(obj)
        if refcnt.value >= _PLENTY:
            continue
        refcnt.value += _PLENTY
        if abs(sys.getrefcount(obj) - before - _PLENTY) > 1000:  # not the field we meant: undo
            refcnt.value -= _PLENTY


immortalize_singletons()
