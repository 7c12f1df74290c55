"""The PySide6 application: the only package that imports Qt."""

from ui import qt_compat  # noqa: F401 - must run before any Qt code (see qt_compat)
