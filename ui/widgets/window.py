"""What every window and dialog shares: the one QSettings store (geometry and UI state, never data),
sizing to the screen's work area, and the start-up timing marks bench/ reads."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from cadre_desk.domain import clock

# Set to print timing marks at start-up milestones (bench/).
TIMING_ENV = "CADRE_DESK_TIMING"


def report_timing(event: str) -> None:
    """``CADRE_DESK_TIMING <event> <epoch seconds> <CPU seconds of this process>`` (bench/)."""
    if os.environ.get(TIMING_ENV):
        print(f"{TIMING_ENV} {event} {clock.timestamp():.6f} {time.process_time():.6f}", flush=True)


def resize_to_screen(widget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, but no larger than its screen's work area less the window
    frame: on a 1366×768 office screen with its taskbar, a 720-pixel-high dialog hid its buttons."""
    screen = widget.screen() or QApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None
    if area is not None and area.isValid():
        width, height = min(width, area.width() - 16), min(height, area.height() - 40)
    widget.resize(width, height)


def settings() -> QSettings:
    return QSettings("cadre_desk", "cadre_desk")


def restore_splitters(splitters: dict) -> None:
    """Each QSplitter of ``splitters`` (settings key → splitter) as the clerk last left it, if ever: a
    page's borders kept from one day to the next (the page calls ``save_splitters`` in save_state)."""
    store = settings()
    for key, splitter in splitters.items():
        state = store.value(key)
        if state is not None:
            splitter.restoreState(state)


def save_splitters(splitters: dict) -> None:
    store = settings()
    for key, splitter in splitters.items():
        store.setValue(key, splitter.saveState())


def forget_settings(keys) -> None:
    """Remove ``keys`` from the settings: what a page kept once and no longer reads (its layout changed),
    so that the store holds only what is used."""
    store = settings()
    for key in keys:
        if store.contains(key):
            store.remove(key)
