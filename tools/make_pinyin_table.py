"""Build resources/pinyin_initials.txt: the pinyin initial of every CJK character from U+3400 to
U+9FFF (Ext-A and the basic block), one letter per character, "-" where there is none.

Run once after upgrading pypinyin: python tools/make_pinyin_table.py. At run time the app reads this
27 KB table instead of importing pypinyin (0.2 s and 57 MB)."""

from __future__ import annotations

from pathlib import Path

from pypinyin import Style, pinyin

FIRST, LAST = 0x3400, 0x9FFF
TARGET = Path(__file__).resolve().parent.parent / "resources" / "pinyin_initials.txt"


def initial(char: str) -> str:
    result = pinyin(char, style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
    letter = result[0][0].lower() if result and result[0] else ""
    return letter if len(letter) == 1 and letter.isascii() and letter.isalpha() else "-"


def main() -> None:
    table = "".join(initial(chr(code)) for code in range(FIRST, LAST + 1))
    TARGET.write_text(table + "\n", encoding="ascii")
    print(f"{TARGET}: {len(table)} characters, {table.count('-')} without a reading")


if __name__ == "__main__":
    main()
