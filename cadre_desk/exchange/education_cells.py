"""One column 学历学位 giving both the 全日制 and the 在职 education, as rosters type it:

    "大学 工学学士"                          → 全日制 大学, 学士 (工学学士)
    "在职研究生 管理学硕士"                  → 在职 研究生, 管理学硕士
    "全日制本科"                             → 全日制 大学
    "全日制大学本科学历、工学学士学位"       → 全日制 大学, 工学学士
    "大学本科\\n在职研究生", "大专（在职大学）" → 全日制 大专 / 大学, 在职 研究生 / 大学
    "中央党校大学"                           → 在职 (a 党校 education is one)

An education saying neither 全日制 nor 在职 is the 全日制 one (the first; a second is the 在职 one); a 学位
alone goes with the education before it. A part that is neither a 学历 nor a 学位 (大学普通班) is a problem of
the row naming its cell: nothing the cell says is left out unsaid.

API
    EDUCATION_BOTH, HEADERS              the column's target and the headers that mean it
    read_both(text) -> Reading           the cell read: the four fields, the parts not read, what was assumed
    read_both_cell(row, values, raw)     the row's fields filled from the cell, said in its warnings / problems
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cadre_desk.domain import codes
from cadre_desk.domain.fields import BY_KEY, normalize_header
from cadre_desk.exchange.cells import cell_name, split_education
from cadre_desk.exchange.plan import ImportRow

EDUCATION_BOTH = "edu:both"
HEADERS = frozenset(normalize_header(h) for h in (
    "学历学位", "学历及学位", "学历/学位", "学历、学位", "学历和学位", "学历与学位", "学历(学位)及类别"))
FULL, PART = "全日制", "在职"
_KEYS = {FULL: ("ft_education", "ft_degree"), PART: ("pt_education", "pt_degree")}
# the words that say which education a part is (函授, 自考, 电大, 党校 are 在职 ones)
_MARKERS = (("全日制", FULL), ("普通高校", FULL), ("在职", PART), ("函授", PART), ("自学考试", PART), ("自考", PART),
            ("电大", PART), ("成人", PART), ("网络教育", PART))
_MARKED = "|".join(word for word, _ in _MARKERS)
_BRACKETED_MARK = re.compile(rf"[（(]\s*(?=(?:{_MARKED}))")
_PARTS = re.compile(rf"[\n；;，,、/／|]+|\s+(?=(?:{_MARKED}))|(?<=\S)(?=(?:全日制|在职))")
_EMPTY = frozenset(("无", "/", "／", "-", "—"))


@dataclass
class Reading:
    read: dict[str, list] = field(default_factory=lambda: {FULL: [None, None], PART: [None, None]})
    unread: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)  # 学历 read as 全日制 / 在职 without the cell saying so


def _parts(text: str) -> list[str]:
    text = _BRACKETED_MARK.sub("\n", text)
    out = []
    for part in _PARTS.split(text):
        part = part.strip()
        if part.endswith(("）", ")")) and not any(o in part for o in "（("):  # 大专（在职大学）'s closing
            part = part[:-1].strip()
        if part:
            out.append(part)
    return out


def _education_degree(text: str) -> tuple[str | None, str | None]:
    """(学历, 学位) of one part — None for what it does not give; ("", "") when it is neither."""
    education, degree = codes.table("ZB64"), codes.table("GB6864")
    words = " ".join(text.replace("学历", " ").replace("学位", " ").split())
    if education.code(words) is not None:
        return words, None
    split = split_education(words)
    if split is not None:
        return split[0], split[1] or None
    if degree.code(words) is not None:
        return None, words
    return "", ""


def read_both(text: str) -> Reading:
    reading = Reading()
    last = None
    for part in _parts(text):
        kind, rest = None, part
        for word, which in _MARKERS:
            if rest.startswith(word):
                kind, rest = which, rest[len(word):].lstrip("：: ")
                break
        if not rest:
            if kind is None:
                reading.unread.append(part)
            continue
        education, degree = _education_degree(rest)
        if education == "":
            reading.unread.append(part)
            continue
        if education is not None:
            if kind is None:
                kind = PART if "党校" in education or reading.read[FULL][0] else FULL
                reading.assumed.append(f"“{education}”按{kind}")
            if reading.read[kind][0] is not None:
                reading.unread.append(part)  # a second 全日制 education: which one is meant is not for us to say
                continue
            reading.read[kind][0] = education
        else:
            kind = kind or last or FULL
        if degree is not None:
            if reading.read[kind][1] is not None:
                reading.unread.append(part)
                continue
            reading.read[kind][1] = degree
        last = kind
    if not any(v for pair in reading.read.values() for v in pair) and not reading.unread:
        reading.unread.append(text.strip())
    return reading


def read_both_cell(row: ImportRow, values: dict[str, Any], raw: Any) -> None:
    """The 学历学位 cell ``raw`` of ``row`` into ``values`` (a field another column gave stays; saying another is a
    problem), the reading said in the row's warnings, what is not read in its problems — each naming the cell."""
    text = str(raw).strip() if raw is not None else ""
    if not text or text in _EMPTY:
        return
    at = next((index for index, target in row.mapping if target == EDUCATION_BOTH), None)
    shown = " ".join(text.split())
    where = f"学历学位“{shown}”" + (f"（{cell_name(at, row.line)} 单元格）" if at is not None else "")
    reading = read_both(text)
    if reading.unread:
        row.problems.append(f"{where}中“{'、'.join(reading.unread)}”无法识别为学历或学位"
                            "（可写作“大学 工学学士”“在职研究生 管理学硕士”，全日制与在职之间用分号或换行隔开）")
    said = []
    for kind, pair in reading.read.items():
        for key, value in zip(_KEYS[kind], pair, strict=True):
            if value is None:
                continue
            given = values.get(key)
            table = codes.table(BY_KEY[key].code_table)
            if given not in (None, "") and table.code(str(given)) != table.code(value) and given != table.code(value):
                row.problems.append(f"{where}中的“{value}”与{BY_KEY[key].label}“{given}”不一致，请核对")
                continue
            values[key] = value
        names = [codes.table(BY_KEY[key].code_table).name(codes.table(BY_KEY[key].code_table).code(value)) or value
                 for key, value in zip(_KEYS[kind], pair, strict=True) if value]
        if names:
            said.append(f"{kind} {'、'.join(names)}")
    if said:
        assumed = f"（未注明全日制或在职的{'，'.join(reading.assumed)}）" if reading.assumed else ""
        row.warnings.append(f"{where}按{'；'.join(said)}读入{assumed}")
