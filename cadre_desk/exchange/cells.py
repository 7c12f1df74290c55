"""Spreadsheet cells as the validators expect them: dates typed every way (cells, serial numbers,
2011.05 as a number, two-digit years as department rosters write them: 86.05, 08.07), numbers as text, full-width digits, padded names, and control characters
(invisible, usually pasted from another system) taken out with the cell named."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import (
    DateError,
    age_at,
    format_date,
    format_month,
    month_index,
    normalize_digits,
    parse_date,
    short_year_date,
)
from cadre_desk.exchange.workbooks import column_letter, excel_serial_to_date

_NOT_PLAIN = frozenset(("date", "id_number", "phone", "party"))
# What rosters put in a cell with nothing to say (无 学位, / for no 在职教育): empty, in the cells of
# code-table fields, dates and 入党时间 (in text fields "无" may be the answer itself).
NOTHING_MARKS = frozenset(("无", "暂无", "/", "／", "\\", "-", "--", "—", "——", "－"))
_MARKED_KINDS = frozenset(("code", "codes", "date", "party"))
_TIME_OF_DAY = re.compile(r"[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_TEXT_MARKS = frozenset("'‘’＇`")  # the mark that keeps a number as text in Excel, typed or exported
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_cell(kind: str, value: Any) -> Any:
    """A spreadsheet cell → the text the validators expect (dates, numbers, full-width digits)."""
    if value.__class__ is str and kind not in _NOT_PLAIN:  # most cells: text as typed
        text = value.strip()
        return "" if text in NOTHING_MARKS and kind in _MARKED_KINDS else text
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if kind == "date":
        if isinstance(value, _dt.date):
            return value.strftime("%Y%m%d") if value.day != 1 else value.strftime("%Y%m")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and 10000 <= value <= 80000:  # an Excel serial date
                day = excel_serial_to_date(value)
                return day.strftime("%Y%m%d") if day.day != 1 else day.strftime("%Y%m")
            return float(value) if not float(value).is_integer() else str(int(value))
        text = normalize_digits(str(value)).strip()
        if ":" in text:  # 2021-09-30 00:00:00, a date as a system exports it: the time is no part of it
            text = _TIME_OF_DAY.sub("", text)
        return "" if text in NOTHING_MARKS else text
    if isinstance(value, _dt.date):
        return value.strftime("%Y%m%d")
    if kind == "party" and isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"  # 2001.1 typed as a number is 2001.10
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if kind in ("id_number", "phone", "party"):
        text = normalize_digits(text)
    if kind == "id_number" and text[:1] in _TEXT_MARKS:  # '610481…: a system's export keeps the text mark
        text = text.lstrip("".join(_TEXT_MARKS))
    if kind == "party" and text.strip() in NOTHING_MARKS:
        return ""
    return text.strip() if kind != "longtext" else text.strip()


# The dot of a 少数民族 name (阿依古丽·买买提) as other input methods type it: •, ・, ‧, ．, a full stop
_NAME_DOT = re.compile("(?<=[\u3400-\u9fff])[.．。•・･‧∙⋅﹒](?=[\u3400-\u9fff])")


def clean_name(value: Any) -> str:
    """A name cell as the person is called: rosters pad two-character names to line them up
    (张  三, 张\u3000三), which is not part of the name. Names in Latin letters keep their spaces.
    The dot of a 少数民族 name is the one middle dot (·), however it was typed."""
    text = normalize_cell("text", value)
    if any(ch.isspace() for ch in text) and not re.search(r"[A-Za-z]", text):
        text = "".join(text.split())
    return _NAME_DOT.sub("·", text) if _NAME_DOT.search(text) else text


def without_control_characters(text: str) -> str | None:
    """The text without control characters, or None when it has none (the usual case: one search)."""
    if CONTROL_CHARACTERS.search(text) is None:
        return None
    return CONTROL_CHARACTERS.sub("", text)


def cell_name(column: int, line: int) -> str:
    """0-based column and the sheet's row number → D5."""
    return f"{column_letter(column)}{line}"


def code_suggestion(spec, text: str) -> str | None:
    """The code table's one close name for a name it does not have (汉 → 汉族), or None."""
    tbl = codes.table(spec.code_table)
    if not text or tbl.has_code(text) or tbl.code(text) is not None:
        return None
    return tbl.suggest(text)


# 学历 and 学位 share one box of the 任免表 (学历 above, 学位 below): files and rosters copied from it
# write both in the 学历 cell — "大学\n学士", "研究生　法学硕士", "大学工学学士".
EDUCATION_DEGREE = (("ft_education", "ft_degree"), ("pt_education", "pt_degree"))


_OPENING, _CLOSING = ("（", "("), ("）", ")")
_NO_DEGREE = frozenset(("无", "无学位", "未获学位", "/", "／", "-", "—"))


def split_education(text: Any) -> tuple[str, str] | None:
    """A 学历 cell that holds the 学位 too → (学历, 学位) as the code tables name them (学位 "" for
    "大学\n无学位"); None when it is a 学历 alone or not written so (validation then says what is wrong)."""
    if text.__class__ is not str or not text.strip():
        return None
    education, degree = codes.table("ZB64"), codes.table("GB6864")
    if education.code(text) is not None:
        return None
    parts = text.split()
    if len(parts) == 2 and education.code(parts[0]) is not None:
        if degree.code(parts[1]) is not None:
            return parts[0], parts[1]
        if parts[1].strip("（）()") in _NO_DEGREE:  # 大学 / 无学位: the 学历 alone
            return parts[0], ""
    joined = "".join(parts)
    for name in sorted((*education.names(), *codes.ALIASES["ZB64"]), key=len, reverse=True):
        if joined.startswith(name) and degree.code(joined[len(name):]) is not None:
            return name, joined[len(name):]
        # 研究生（硕士）: the 学位 in brackets after the 学历
        if joined.startswith(name) and joined.endswith(_CLOSING) and joined[len(name):len(name) + 1] in _OPENING \
                and degree.code(joined[len(name) + 1:-1]) is not None:
            return name, joined[len(name) + 1:-1]
        if joined.startswith(name) and joined[len(name):].strip("（）()") in _NO_DEGREE:
            return name, ""
    return None


_DATE_KINDS = frozenset(("date", "party"))


class CellRefused(ValueError):
    """A cell the import cannot read as any value (the message, in Chinese, says why): the row is
    not imported until it is fixed."""


def read_short_year(spec, raw: Any) -> tuple[str, str] | None:
    """A date cell with a two-digit year (86.05, 08.07, 24.3.15) → (the date as the validators
    take it, 1986.05; the warning that shows how it was read),
    or None when the cell is not written so. CellRefused when no reading of a 出生年月 is a cadre's age."""
    shown = raw.strip() if raw.__class__ is str else str(raw)
    try:
        stored = short_year_date(raw, birth=spec.key == "birth")
    except DateError as exc:
        raise CellRefused(f"{spec.label}“{shown}”{exc}") from None
    if stored is None:
        return None
    text = format_date(stored)
    return text, f"{spec.label}“{shown}”按 {text} 读入"


# A 年月 cell reading the first of its month as text (1986-05-01, 1986/5/1): what Excel makes of a month typed
# 1986-5 or 1986/5 (shown so when the cell is text, or copied from another system), as a date cell of the first
# is read: the month (a 出生年月 of the 1st beside a 身份证号 of the 12th was refused as not agreeing).
_FIRST_OF_MONTH = re.compile(r"((?:19|20)\d{2})[-/.](0?[1-9]|1[0-2])[-/.]0?1")


def cell_value(spec, raw: Any) -> tuple[Any, str | None, bool, str]:
    """A cell of a registry field → (the value validation gets, a code-table suggestion, whether
    control characters were taken out, a warning of how a two-digit year was read or ""). CellRefused
    when the cell cannot be read (a two-digit 出生年月 no reading of which is a cadre's age)."""
    if spec.kind in _DATE_KINDS and (raw.__class__ is str or raw.__class__ is float):
        short = read_short_year(spec, raw)
        if short is not None:
            return short[0], None, False, short[1]
    value = clean_name(raw) if spec.key == "name" else normalize_cell(spec.kind, raw)
    said = ""
    if raw.__class__ is float and spec.kind in _DATE_KINDS and 1900 < raw < 2100 and f"{raw:.2f}"[-3:] == ".10":
        # 1986.1 in a number cell: 1986.10 that Excel stored without its 0 (read so), or 1986 年 1 月 typed so
        year = f"{raw:.2f}"[:4]
        said = (f"{spec.label}“{year}.1”是数字单元格，按 {year}.10 读入（Excel 把输入的 {year}.10 存成了 {year}.1）；"
                f"如是 {year} 年 1 月，请改为 {year}.01")
    elif (raw.__class__ is int or raw.__class__ is float) and spec.kind == "date" and value.__class__ is str \
            and len(value) in (6, 8) and float(raw).is_integer() and 10000 <= raw <= 80000:
        # a date cell formatted as 常规 / 数值 shows Excel's serial (30498), not the date: read, and said
        shown = format_month(value) if spec.month else format_date(value)
        said = f"{spec.label}“{int(raw)}”是 Excel 的日期序号（单元格不是日期格式），按 {shown} 读入，请核对"
    if spec.month and value.__class__ is str and value[-1:] == "1" and (first := _FIRST_OF_MONTH.fullmatch(value)):
        value = f"{first[1]}.{int(first[2]):02d}"  # 1986-05-01 → 1986.05
    stripped = False
    if value.__class__ is str:
        cleaned = without_control_characters(value)
        if cleaned is not None:
            value, stripped = cleaned, True
    hint = code_suggestion(spec, value) if spec.kind == "code" and isinstance(value, str) else None
    return value, hint, stripped, said


# 入党时间 with the stage written in, as rosters copy it from a 党员 register: 「2008.06（预备）」, 「2008.06 预备党员」,
# 「2008年6月入党（2009年6月转正）」. 入党时间 is the joining date (one joins as a 预备党员): the words go; a 转正
# date goes to 转正时间.
_PARTY_STAGE_WORDS = ("预备", "入党", "转正", "正式党员")
_CONFIRMED = re.compile(r"[（(，,；;\s]*(?:转正时间|转正日期)?[:：]?\s*(\d[\d.．。\-/年月日 ]*?)\s*(?:按期|如期|预备期满)?"
                        r"(?:转正|转为正式党员|转正式党员)[）)]?|[（(，,；;\s]*(?:转正时间|转正日期)[:：]?\s*(\d[\d.．。\-/年月日]*)[）)]?")
_JOINING_WORDS = re.compile(r"预备党员|预备期|预备|入党时间|入党")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")


def read_party_stage(text: Any) -> tuple[str, str, str] | None:
    """An 入党时间 cell with its stage written in → (the cell without the words, the note of how it was
    read, the 转正 date written in it or ""); None for any other cell (most: the cheap test first)."""
    if text.__class__ is not str or not any(word in text for word in _PARTY_STAGE_WORDS):
        return None
    confirmed = [(a or b).strip(" .．。-/") for a, b in _CONFIRMED.findall(text)]
    kept = _EMPTY_BRACKETS.sub("", _JOINING_WORDS.sub("", _CONFIRMED.sub("", text))).strip(" \u3000，,；;：:")
    if not any(ch.isdigit() for ch in normalize_digits(kept)):  # 预备党员 alone: no date, for the check to say
        return None
    shown = " ".join(text.split())
    note = f"入党时间“{shown}”按“{_month(kept)}”读入"
    if confirmed:
        return kept, f"{note}，其中的转正时间按“{_month(confirmed[0])}”读入", confirmed[0]
    return kept, note + "（入党时间即成为预备党员的时间，“预备”二字未导入）", ""


def read_party_cell(row, values: dict[str, Any]) -> None:
    """A roster row's 入党时间 with its stage written in (read_party_stage): the joining date kept, how it was
    read said on the row (an ImportRow), a 转正 date written in it put into 转正时间, a recent 预备 read as
    the 政治面貌 when none is given."""
    written = values.get("party")
    stage = read_party_stage(written)
    if stage is None:
        return
    values["party"] = stage[0]
    row.warnings.append(stage[1])
    if stage[2]:
        read_confirmed(row, values, stage[2])
    elif "预备" in written and not values.get("political") and not values.get("party_confirmed"):
        read_probation(row, values)


def read_confirmed(row, values: dict[str, Any], written: str) -> None:
    """The 转正 date written in the 入党时间 cell goes to 转正时间; a 转正时间 column saying another month
    is a problem of the row (which of the two is right is the clerk's to say)."""
    given = values.get("party_confirmed")
    if given in (None, ""):
        values["party_confirmed"] = written
        return
    try:
        same = parse_date(written)[:6] == parse_date(given)[:6]
    except DateError:
        return  # the column's own value is checked (and refused) as any other
    if not same:
        row.problems.append(f"入党时间单元格中写的转正时间“{written}”与转正时间“{given}”不一致，请核对后改正其中之一")


def read_probation(row, values: dict[str, Any]) -> None:
    """「2025.10（预备）」 with no 政治面貌 given: joined less than a year ago (the 预备期), the cadre is still a
    中共预备党员, as the cell says — not the 中共党员 an empty 政治面貌 beside a date is read as. (An older date
    with 预备 is the stage the person joined at, copied from the register: 转正 since, most likely.)"""
    try:
        joined = parse_date(values["party"])
    except DateError:
        return  # the check says what is wrong with it
    months = month_index(clock.today().strftime("%Y%m")) - month_index(joined)
    if 0 <= months < 12:
        values["political"] = "中共预备党员"
        row.warnings.append("入党时间写明“预备”，距今不满一年（预备期一年），政治面貌按中共预备党员读入")


def _month(text: str) -> str:
    try:
        return format_month(parse_date(text.strip(" .．。-/")))
    except DateError:
        return text


# 年龄 as a roster types it beside 出生年月 (40, “40岁”, 40.0): the program computes it, but a typed age far from
# the one the 出生年月 gives says one of the two was mistyped (1996.05 for 1986.05). A roster's ages are worked
# out the day it was made (often last year's end): one year apart is no slip.
_AGE = re.compile(r"\s*(\d{1,3})\s*(?:岁|周岁)?\s*")


def age_disagreement(birth: str, typed: Any, today: _dt.date, where: str) -> str | None:
    """What is said of a typed 年龄 two years or more from the one the 出生年月 (YYYYMM[DD]) gives today;
    None when they agree, or the cell holds no age. ``where``: the cell (E5)."""
    if typed is None or typed == "" or isinstance(typed, bool):
        return None
    if isinstance(typed, (int, float)):
        if not float(typed).is_integer():
            return None
        age = int(typed)
    else:
        found = _AGE.fullmatch(normalize_digits(str(typed)))
        if found is None:
            return None
        age = int(found[1])
    computed = age_at(birth, today)
    if computed is None or abs(computed - age) < 2:
        return None
    return (f"年龄“{age}”（{where} 单元格）与出生年月 {format_month(birth)} 不符（到 {format_month(today.strftime('%Y%m'))} "
            f"应为 {computed} 岁），请核对出生年月；年龄由出生年月计算，该列未导入")
