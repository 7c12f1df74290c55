"""Pinyin initials of names, for search as you type (张三 ← zs)."""

from __future__ import annotations

import functools

# Surnames whose reading differs from the common one.
_SURNAME_READINGS = {"单": "s", "曾": "z", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "覃": "q",
                     "盖": "g", "尉": "y", "缪": "m", "召": "s", "翟": "z", "万": "w", "尉迟": "yc"}


_FIRST, _LAST = 0x3400, 0x9FFF  # CJK Ext-A and the basic block, in resources/pinyin_initials.txt


@functools.cache
def _table() -> str:
    """One initial per character from U+3400 to U+9FFF (built by tools/make_pinyin_table.py): a
    27 KB read instead of importing pypinyin (0.2 s and 57 MB) at the first save."""
    from cadre_desk.paths import resource

    return resource("pinyin_initials.txt").read_text(encoding="ascii").strip()  # shipped: missing is a broken install


@functools.lru_cache(maxsize=20000)
def _char_initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    code = ord(char)
    table = _table()
    if _FIRST <= code <= _LAST and len(table) == _LAST - _FIRST + 1:
        letter = table[code - _FIRST]
        return "" if letter == "-" else letter
    from pypinyin import Style, pinyin  # rarer characters (Ext-B and beyond: 𠮷)

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
