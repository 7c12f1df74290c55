"""导师帮带's shared parts: the capability's name, state colours, how a rating is written."""

from __future__ import annotations

from cadre_desk.mentoring.mentoring import ACTIVE, COMPLETED, TERMINATED

CAPABILITY = "mentoring"
STATE_COLORS = {ACTIVE: "#1b5e20", COMPLETED: "#37474f", TERMINATED: "#b71c1c"}


def format_rating(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"
