"""The one clock: every "today" and "now" of the program comes from here, so tests can set it.

``set_now(moment)`` moves the clock to ``moment`` and lets it run on from there (durations and the
order of events stay real); ``reset()`` goes back to the computer's clock. A process started with
CADRE_DESK_CLOCK=2020-03-01 (or 2020-03-01T08:30) starts on that date: the tests' child processes."""

from __future__ import annotations

import datetime as _dt
import threading

_lock = threading.Lock()
_offset = _dt.timedelta(0)


def now() -> _dt.datetime:
    return _dt.datetime.now() + _offset


def today() -> _dt.date:
    return now().date()


def today_yyyymmdd() -> str:
    """Today as the store keeps days: 20240315."""
    return today().strftime("%Y%m%d")


def now_iso() -> str:
    """Now as the store keeps moments: 2024-03-15T09:30:00."""
    return now().isoformat(timespec="seconds")


def timestamp() -> float:
    """Now in seconds since the epoch (lock heartbeats, start-up timing marks)."""
    return now().timestamp()


def set_now(moment: _dt.datetime | _dt.date) -> None:
    global _offset
    if not isinstance(moment, _dt.datetime):
        moment = _dt.datetime.combine(moment, _dt.time(9, 0))
    with _lock:
        _offset = moment - _dt.datetime.now()


def reset() -> None:
    global _offset
    with _lock:
        _offset = _dt.timedelta(0)


def _from_environment() -> None:
    import os

    value = os.environ.get("CADRE_DESK_CLOCK")
    if value:
        set_now(_dt.datetime.fromisoformat(value))


_from_environment()
