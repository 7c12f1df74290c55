"""Periods of work (实绩档案, 考核表): a week, a month, a quarter or a year — the one parser and the one
display, beside ``dates`` (which does days and months as dates).

Stored: ``"2025-W05"``, ``"2025-11"``, ``"2025-Q4"``, ``"2025"``.
Shown on every screen, workbook and PDF: ``2025年第5周``, ``2025.11`` (a month as every date writes it),
``2025年第4季度``, ``2025年度``.

What clerks type is accepted: ``2025年11月``, ``2025.11``, ``2025-11``, ``2025/11``, ``202511``,
``2025年11月份``; ``2025年第4季度``, ``2025年四季度``, ``2025第四季度``, ``2025Q4``, ``2025-Q4``;
``2025年度``, ``2025年``, ``2025``; ``2025年第5周``, ``2025-W05``; full-width digits, spaces anywhere,
and what this module shows (so a shown period typed back is the same period).

API
    parse_period(value, unit=None) -> str      stored code; PeriodError (Chinese) when unreadable or,
                                               with ``unit``, of another kind ("请写到月，如 2025.11")
    period_label(code) -> str                  the display (anything unreadable is shown as it is)
    period_unit(code) -> Unit | None           "week" / "month" / "quarter" / "year"
    names_period(title, code) -> bool          whether a title already says the period (2025年度考核, 2025)
    period_beside(title, code) -> str          the period to show beside a title: its label, "" when named
    current_period(unit, on=None) -> str       the period of that unit containing ``on`` (the one clock)
    period_bounds(code) -> (first, last)       its first and last day as stored (2026-Q2 → 20260401, 20260630)
    period_order(code)                         a sort key: by the last day, a part before its whole (Q4, year)
    UNITS, UNIT_NAMES, EXAMPLES                 the units, their Chinese names, a typed example of each
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Literal

from cadre_desk.domain import clock
from cadre_desk.domain.dates import DateError, normalize_digits, parse_date

Unit = Literal["week", "month", "quarter", "year"]
UNITS: tuple[Unit, ...] = ("week", "month", "quarter", "year")
UNIT_NAMES = {"week": "周", "month": "月份", "quarter": "季度", "year": "年度"}
EXAMPLES = {"week": "2025年第5周", "month": "2025.11 或 2025年11月", "quarter": "2025年第4季度", "year": "2025年度"}
_WANTED = {"week": "请写到周", "month": "请写到月", "quarter": "请写成季度", "year": "请写成年度"}

_CODES = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_YEAR = re.compile(r"^(\d{4})(?:年度?|年份)?$")
_QUARTER = re.compile(r"^(\d{4})(?:年度?)?[-./]?(?:q(\d)|第?(\d|[一二三四五六七八九十])季度?)$")
_WEEK = re.compile(r"^(\d{4})(?:年度?)?[-./]?(?:w(\d{1,2})|第(\d{1,2})周)$")


class PeriodError(ValueError):
    pass


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2100:
        raise PeriodError(f"年份 {year} 不在 1990–2100 之间")


def _read(text: str, typed: object) -> tuple[Unit, str]:
    """Normalized text → (unit, code), or PeriodError (naming what was ``typed``)."""
    match = _YEAR.fullmatch(text)
    if match:
        _check_year(int(match.group(1)))
        return "year", match.group(1)
    match = _QUARTER.fullmatch(text)
    if match:
        _check_year(int(match.group(1)))
        digit = match.group(2) or match.group(3)
        quarter = _NUMERALS.get(digit) or int(digit)
        if not 1 <= quarter <= 4:
            raise PeriodError("季度应为 1–4")
        return "quarter", f"{match.group(1)}-Q{quarter}"
    match = _WEEK.fullmatch(text)
    if match:
        _check_year(int(match.group(1)))
        week = int(match.group(2) or match.group(3))
        if not 1 <= week <= 53:
            raise PeriodError("周次应为 1–53")
        return "week", f"{match.group(1)}-W{week:02d}"
    try:
        month = parse_date(text.removesuffix("份"), precision="month")
    except DateError as exc:
        why = "" if exc.why.startswith(("无法识别", "日期至少")) else f"（{exc.why}）"  # the forms said after
        raise PeriodError(f"无法识别的期间“{typed}”{why}，可写成 2025.11、2025年第4季度、2025年度") from exc
    _check_year(int(month[:4]))
    return "month", f"{month[:4]}-{month[4:6]}"


def parse_period(value: object, unit: Unit | None = None) -> str:
    """What a clerk typed → the stored code; empty → ``""``. With ``unit`` the period must be of that
    unit. Raises PeriodError with a Chinese message that shows the accepted forms."""
    if value is None:
        return ""
    text = "".join(normalize_digits(str(value)).split()).lower()
    if not text:
        return ""
    for code_unit, pattern in _CODES.items():  # a stored code (2025-11, 2025-Q4) is read as it is
        if pattern.fullmatch(text.upper()):
            text = text.upper()
            found: tuple[Unit, str] | None = (code_unit, text)
            break
    else:
        found = None
    if found is None or not _valid_code(*found):
        found = _read(text, str(value).strip())
    got, code = found
    if unit is not None and got != unit:
        raise PeriodError(f"{_WANTED[unit]}，如 {EXAMPLES[unit]}")
    return code


def _valid_code(unit: Unit, code: str) -> bool:
    match = _CODES[unit].fullmatch(code)
    if match is None or not 1990 <= int(match.group(1)) <= 2100:
        return False
    if unit == "month":
        return 1 <= int(match.group(2)) <= 12
    if unit == "week":
        return 1 <= int(match.group(2)) <= 53
    return True


# a period as it may be written in a title: 2025年度, 2025年第4季度, 2025年四季度, 2025年11月, 2025.11, 2025-Q4 …
_IN_TITLE = re.compile(r"(?<!\d)\d{4}(?:年度?|年份)?(?:第?[\d一二三四]季度|第\d{1,2}周|\d{1,2}月份?|[-./]\d{1,2}(?!\d)"
                       r"|[-.]?q\d|[-.]?w\d{1,2})?")


def names_period(title: str, code: str) -> bool:
    """Whether ``title`` already says the period ``code`` (2025年度考核 says 2025; 2026年一季度赛马 says 2026-Q1,
    not 2026): a heading then leaves the period out rather than saying it twice."""
    text = "".join(normalize_digits(title or "").split()).lower()
    for match in _IN_TITLE.finditer(text):
        try:
            if parse_period(match.group()) == code:
                return True
        except PeriodError:
            continue
    return False


def period_beside(title: str, code: str) -> str:
    """The period to show beside ``title`` (a 考核表's, a race's): ``period_label(code)``, or "" when the
    title already says it — every drop-down, heading and audit line that joins a title and its period says
    the period once (「2025年度考核（12 人）」, never 「2025年度考核（2025年度，12 人）」)."""
    return "" if names_period(title, code) else period_label(code)


def period_unit(code: str) -> Unit | None:
    for unit, pattern in _CODES.items():
        if pattern.fullmatch(code or ""):
            return unit
    return None


def period_label(code: str) -> str:
    """2026-W05 → 2026年第5周, 2026-03 → 2026.03 (a month as every date is written), 2026-Q1 → 2026年第1季度,
    2026 → 2026年度; anything else as it is."""
    for unit, pattern in _CODES.items():
        match = pattern.fullmatch(code or "")
        if match:
            year = match.group(1)
            if unit == "week":
                return f"{year}年第{int(match.group(2))}周"
            if unit == "month":
                return f"{year}.{match.group(2)}"
            if unit == "quarter":
                return f"{year}年第{match.group(2)}季度"
            return f"{year}年度"
    return code or ""


def current_period(unit: Unit, on: _dt.date | None = None) -> str:
    """The period of ``unit`` that contains ``on`` (default: today by the one clock)."""
    on = on or clock.today()
    if unit == "week":
        year, week, _ = on.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{on.year}-{on.month:02d}"
    if unit == "quarter":
        return f"{on.year}-Q{(on.month - 1) // 3 + 1}"
    return f"{on.year}"


def period_bounds(code: str) -> tuple[str, str]:
    """The first and last day of a period code, as days are stored (2026-Q2 → "20260401", "20260630");
    ("", "") for anything unreadable."""
    unit = period_unit(code)
    if unit is None:
        return "", ""
    year = int(code[:4])
    if unit == "year":
        return f"{year}0101", f"{year}1231"
    number = int(code[-2:].lstrip("QW-") or 0)
    if unit == "week":
        start = _dt.date.fromisocalendar(year, number, 1)
        return f"{start:%Y%m%d}", f"{start + _dt.timedelta(days=6):%Y%m%d}"
    first, last = ((number - 1) * 3 + 1, number * 3) if unit == "quarter" else (number, number)
    following = _dt.date(year + last // 12, last % 12 + 1, 1)
    return f"{year}{first:02d}01", f"{following - _dt.timedelta(days=1):%Y%m%d}"


def period_order(code: str) -> tuple:
    """Oldest first: by the last day, and of two ending together the shorter first (Q4 before the year);
    unreadable codes last, by their text."""
    first, last = period_bounds(code)
    if not last:
        return ("99999999", "", code or "")
    return (last, f"{99999999 - int(first):08d}", code)

