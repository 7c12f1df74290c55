"""实绩考核's colours (the tabs' tables and the scoring grid)."""

from __future__ import annotations

from PySide6.QtGui import QColor

RED = QColor("#c0392b")
GREEN = QColor("#1e8449")
GREY = QColor("#7f8c8d")
READONLY_BG = QColor("#f2f3f4")
