"""导师帮带's shared parts: the capability's name, state colours, how a rating and a name in brackets
are written."""

from __future__ import annotations

from cadre_desk.mentoring.mentoring import ACTIVE, COMPLETED, TERMINATED

CAPABILITY = "mentoring"
STATE_COLORS = {ACTIVE: "#1b5e20", COMPLETED: "#37474f", TERMINATED: "#b71c1c"}


def format_rating(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def bracketed_name(name: str) -> str:
    """A name to put in brackets: 「（其他单位干部）」 without its own, not 「导师（（其他单位干部））」."""
    return name.strip("（）")
