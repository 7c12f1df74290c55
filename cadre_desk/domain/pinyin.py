"""Pinyin initials of names, for search as you type (张三 ← zs)."""

from __future__ import annotations

import functools

# Surnames whose reading differs from the common one.
_SURNAME_READINGS = {"单": "s", "曾": "z", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "覃": "q",
                     "盖": "g", "尉": "y", "缪": "m", "召": "s", "翟": "z", "万": "w", "尉迟": "yc"}


@functools.lru_cache(maxsize=20000)
def _char_initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    from pypinyin import Style, pinyin

    result = pinyin(char, style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
    return result[0][0].lower() if result and result[0] else ""


def initials(name: str) -> str:
    name = "".join((name or "").split())
    if not name:
        return ""
    head = _SURNAME_READINGS.get(name[:2]) if len(name) > 2 else None
    if head:
        return head + "".join(_char_initial(c) for c in name[2:])
    head = _SURNAME_READINGS.get(name[0])
    rest = "".join(_char_initial(c) for c in name[1:])
    return (head if head is not None else _char_initial(name[0])) + rest
