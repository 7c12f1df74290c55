"""Dates as the official 干部任免审批表 writes them: the one parser and the one formatter.

Stored: ``"YYYYMM"`` (a month) or ``"YYYYMMDD"`` (a day) strings; ``""`` is empty.
Shown on every screen, workbook and PDF: months ``1986.05``, days ``2024.03.15``, periods
``1986.05—1990.07`` (an open one ``2021.03—至今``), moments ``2024.03.15 10:22``.
(The LRMX file keeps ``YYYYMM[DD]``; the 任免审批表's 简历 keeps ``1986.05--1990.07`` as the form does.)

What clerks type is accepted: ``1986.5``, ``198605``, ``1986-05``, ``1986/5``, ``1986年5月``,
``1986.05.03``, ``20240315``, ``2024/3/15``, ``2024年3月15日``, full-width digits, spreadsheet
numbers (``2011.05``, ``1985.1`` = 1985.10) and date cells.

API (everything else here is a small helper over these):

    parse_date(value, precision=None) -> str      # "" | "YYYYMM" | "YYYYMMDD"; DateError (Chinese)
        precision="month": a day given is dropped (1986.05.03 → 198605)
        precision="day":   a month alone is refused ("请写到日")
    check_date(value, label, errors, key, *, required=False, precision=None) -> str
        the one checker of forms and services: parsed value, or "" with errors[key] set to
        "<label>：<why>" (or "请填写<label>" when required and empty)
    format_date(value) -> str                     # "YYYYMM[DD]" or a datetime.date → 1986.05 / 2024.03.15
    format_month(value) -> str                    # its month alone: 出生年月 "19860512" → 1986.05
    format_period(start, end, open_end="至今")    # 1986.05—1990.07
    format_moment(value, seconds=False) -> str    # datetime or ISO text → 2024.03.15 10:22[:05]
    from_date(day) -> "YYYYMMDD";  to_date(stored) -> datetime.date;  as_day(stored) -> "YYYYMMDD"
    short_year_date(value, birth=False) -> str | None   # 86.05 / 08.07 / 24.3.15 of department rosters
        (a birth no reading of which is 18–70 years old by the clock: DateError naming both readings)
    month_index(stored), add_months(stored, months), age_at(birth, at)
    MONTH_EXAMPLE, DAY_EXAMPLE                    # placeholders: "例：1986.05", "例：2024.03.15"
    DateError: its message says why and how the date is written (月份 13 无效，应写作 1986.05); .why the why
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from typing import Literal

from cadre_desk.domain import clock

Precision = Literal["month", "day"] | None

MONTH_FORM, DAY_FORM = "1986.05", "2024.03.15"  # how a month and a day are written (every message says so)
MONTH_EXAMPLE = f"例：{MONTH_FORM}"
DAY_EXAMPLE = f"例：{DAY_FORM}"
PERIOD_DASH = "—"
OPEN_END = "至今"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／。", "0123456789.-/.")
_SEPARATED = re.compile(r"(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?")


class DateError(ValueError):
    """Why a date cannot be read, in Chinese, saying how it is written (月份 13 无效，应写作 1986.05); ``why``
    the reason alone (月份 13 无效), for a message that says the forms itself (a period's)."""

    def __init__(self, message: str, why: str | None = None):
        super().__init__(message)
        self.why = why or message


class _NoSuchDate(DateError):
    """A date of no calendar (月份 13, 2月30日): ``parse_date`` adds the form expected, a day's when
    ``has_day``."""

    def __init__(self, message: str, has_day: bool):
        super().__init__(message)
        self.has_day = has_day


def normalize_digits(text: str) -> str:
    """Full-width digits and separators to ASCII (ASCII text comes back as the same object)."""
    return text if text.isascii() else text.translate(_FULLWIDTH)


def _check(year: int, month: int, day: int | None) -> None:
    if not 1900 <= year <= 2100:
        raise _NoSuchDate(f"年份 {year} 不在 1900–2100 之间", day is not None)
    if not 1 <= month <= 12:
        raise _NoSuchDate(f"月份 {month} 无效", day is not None)
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError:
            raise _NoSuchDate(f"{year}年{month}月没有{day}日", True) from None


def _spreadsheet_number(value: float) -> str:
    """A number from a spreadsheet cell: 2011.05 is May; 1985.1 is 1985.10 that lost its trailing
    zero; 1986.5 (no month 50) is May."""
    if value.is_integer():
        return str(int(value))
    year_part, month_part = f"{value:.2f}".split(".")
    if int(month_part) > 12 and month_part.endswith("0"):
        month_part = month_part[0]
    return f"{year_part}.{month_part}"


_AGE_AFTER = re.compile(r"[（(]\d{1,3}(?:周?岁)?[)）]$")


def parse_date(value: object, precision: Precision = None) -> str:
    """What a clerk typed (or a spreadsheet cell) → ``"YYYYMM"`` / ``"YYYYMMDD"``; empty → ``""``.

    Raises DateError with a Chinese message that shows the accepted forms."""
    if value is None:
        return ""
    if type(value) is str:
        return _parse_string(value, precision)
    return _parse_value(value, precision)


@functools.lru_cache(maxsize=8192)
def _parse_string(value: str, precision: Precision) -> str:
    """A text's reading, remembered: an import's rows repeat their months (简历, 入党时间, 任职时间)."""
    return _parse_value(value, precision)


def _parse_value(value: object, precision: Precision) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        out = from_date(value)
    else:
        if isinstance(value, float):
            value = _spreadsheet_number(value)
        text = "".join(normalize_digits(str(value)).split())
        if not text:
            return ""
        text = _AGE_AFTER.sub("", text)  # 出生年月（岁） as rosters write it: 1985.10（38岁）
        text = text.replace("年", ".").replace("月", ".").replace("日", "").replace("号", "").rstrip(".")
        try:
            out = _parse_text(text, value)
        except _NoSuchDate as exc:  # the reason, then the form expected — once, here, for every caller
            day = precision == "day" or (precision is None and exc.has_day)
            raise DateError(f"{exc}，应写作 {DAY_FORM if day else MONTH_FORM}", why=str(exc)) from None
    if precision == "month":
        return out[:6]
    if precision == "day" and len(out) == 6:
        raise DateError(f"请写到日，{DAY_EXAMPLE}")
    return out


def _parse_text(text: str, original: object) -> str:
    if text.isdigit() and len(text) == 6:
        _check(int(text[:4]), int(text[4:]), None)
        return text
    if text.isdigit() and len(text) == 8:
        _check(int(text[:4]), int(text[4:6]), int(text[6:]))
        return text
    match = _SEPARATED.fullmatch(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        day = int(match.group(3)) if match.group(3) else None
        _check(year, month, day)
        return f"{year:04d}{month:02d}" + (f"{day:02d}" if day else "")
    if text.isdigit() and len(text) == 4:
        raise DateError(f"日期至少要写到月，{MONTH_EXAMPLE}")
    raise DateError(f"无法识别的日期“{original}”，请写成 {MONTH_FORM} 或 {DAY_FORM}")


# Department rosters write years with two digits: 86.05, 86.5, 86年5月, 08.07, 24.3.15 (typed into a
# general cell, 86.05 becomes the number 86.05 and 08.07 the number 8.07). Bare digits (8605) are never
# read so: 8605 may as well be 1986.05 as 2086.05 or a typo.
_SHORT_YEAR = re.compile(r"(\d{2})\.(\d{1,2})(?:\.(\d{1,2}))?")
# A cadre is at least this old (公务员法 第十三条: 年满十八周岁): a two-digit birth year that makes them
# younger is 19yy. 10.05 read by a 2035 clock is 2010.05 (25); by a 2026 clock neither 2010.05 (16) nor
# 1910.05 (116) is a cadre's age: the year must be written in full.
YOUNGEST_BIRTH_AGE = 18
OLDEST_BIRTH_AGE = 70


def short_year_date(value: object, *, birth: bool = False) -> str | None:
    """A date with a two-digit year as department rosters write it (``86.05``, ``86.5``, ``86年5月``,
    ``24.3.15``, the spreadsheet numbers 86.05 and 8.07) → stored ``"YYYYMM[DD]"``; None when ``value``
    is not written so or names no real month or day (parse_date then says why).

    Year ``yy`` is 20yy unless that is later than the clock's year, then 19yy. A birth (``birth``) is
    also 19yy when 20yy would make the person younger than YOUNGEST_BIRTH_AGE at the clock's date;
    DateError (Chinese, naming both readings) when the reading is then older than OLDEST_BIRTH_AGE
    either: no cadre's age, the year has to be written in full."""
    if value.__class__ is float:
        if value.is_integer() or not 0 < value < 100:
            return None
        year_part, _, month_part = _spreadsheet_number(value).partition(".")
        text = f"{int(year_part):02d}.{month_part}"
    elif value.__class__ is str:
        text = "".join(normalize_digits(value).split())
        if len(text) > 12 or not text[:2].isdigit():
            return None
        text = _AGE_AFTER.sub("", text)
        text = text.replace("年", ".").replace("月", ".").replace("日", "").replace("号", "").rstrip(".")
    else:
        return None
    match = _SHORT_YEAR.fullmatch(text)
    if match is None:
        return None
    short, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    today = clock.today()
    year = 2000 + short if 2000 + short <= today.year else 1900 + short
    tail = f"{month:02d}" + (f"{day:02d}" if day else "")
    if birth and year >= 2000 and 1 <= month <= 12 and (age_at(f"{year}{tail}", today) or 0) < YOUNGEST_BIRTH_AGE:
        year -= 100
    try:
        _check(year, month, day)
    except DateError:
        return None
    if birth and (age_at(f"{year}{tail}", today) or 0) > OLDEST_BIRTH_AGE:
        readings = "，".join(f"按 {format_date(f'{century + short}{tail}')} {_age_problem(century + short, tail, today)}"
                             for century in (2000, 1900))
        raise DateError(f"无法确定年份：{readings}，请写全四位年份")
    return f"{year:04d}{tail}"


def _age_problem(year: int, tail: str, today: _dt.date) -> str:
    """Why a birth in ``year`` is no cadre's: 晚于今天 / 不满 18 周岁 / 超过 70 周岁."""
    age = age_at(f"{year}{tail}", today) or 0
    if f"{year}{tail}" > from_date(today)[:len(tail) + 4]:
        return "晚于今天"
    return f"不满 {YOUNGEST_BIRTH_AGE} 周岁" if age < YOUNGEST_BIRTH_AGE else f"超过 {OLDEST_BIRTH_AGE} 周岁"


def check_date(value: object, label: str, errors: dict[str, str], key: str, *, required: bool = False,
               precision: Precision = None) -> str:
    """Parse ``value`` for the field ``key`` called ``label``; a problem goes into ``errors[key]``
    and gives ``""``."""
    try:
        out = parse_date(value, precision)
    except DateError as exc:
        errors[key] = f"{label}：{exc}"
        return ""
    if required and not out:
        errors[key] = f"请填写{label}"
    return out


def format_date(value: str | _dt.date | None) -> str:
    """A stored ``YYYYMM[DD]`` (or a date) as every screen and document shows it: 1986.05 / 2024.03.15.
    Anything else stored (a legacy ``1985``) is shown as it is."""
    if not value:
        return ""
    if isinstance(value, _dt.date):
        value = from_date(value)
    if len(value) in (6, 8) and value.isdigit():
        out = f"{value[:4]}.{value[4:6]}"
        return out + f".{value[6:]}" if len(value) == 8 else out
    return value


def format_month(value: str | None) -> str:
    """The month of a stored ``YYYYMM[DD]``, where a month is meant (出生年月 in a sentence, a picker's
    「1986.05生」): ``1986.05`` also for a birth stored with its day (from the 身份证号)."""
    text = value or ""
    return format_date(text[:6] if text[:6].isdigit() else text)


def format_period(start: str | None, end: str | None, open_end: str = OPEN_END) -> str:
    """``1986.05—1990.07``; without an end ``1986.05—至今`` (``open_end``); nothing known → ``""``."""
    if not start and not end:
        return ""
    return f"{format_date(start)}{PERIOD_DASH}{format_date(end) if end else open_end}"


def format_moment(value: _dt.datetime | str | None, seconds: bool = False) -> str:
    """A time of day (printed at, locked until): ``2024.03.15 10:22``; with ``seconds`` (the audit
    log) ``2024.03.15 10:22:05``. ISO text is accepted."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    out = f"{value.year:04d}.{value.month:02d}.{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    return out + f":{value.second:02d}" if seconds else out


def from_date(day: _dt.date) -> str:
    """A date → ``"YYYYMMDD"`` as stored."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def to_date(value: str) -> _dt.date:
    """First day of a YYYYMM, or the day of a YYYYMMDD."""
    year, month = int(value[:4]), int(value[4:6])
    day = int(value[6:8]) if len(value) >= 8 else 1
    return _dt.date(year, month, day)


def as_day(value: str) -> str:
    """A stored value at day precision, for comparing: YYYYMM counts as its first day; "" stays."""
    return value + "01" if len(value) == 6 else value


def month_index(value: str) -> int:
    """Months since year 0, to compare partial dates at month precision."""
    return int(value[:4]) * 12 + int(value[4:6]) - 1


def add_months(value: str, months: int) -> str:
    """A stored ``YYYYMM[DD]`` plus whole months, same precision (the day clamped to the month's end)."""
    year, month = divmod(month_index(value) + months, 12)
    month += 1
    if len(value) < 8:
        return f"{year:04d}{month:02d}"
    day = min(int(value[6:8]), calendar.monthrange(year, month)[1])
    return f"{year:04d}{month:02d}{day:02d}"


def age_at(birth: str, at: _dt.date | str | None = None) -> int | None:
    """Whole years from birth (YYYYMM[DD]) up to ``at``; month precision when the day is unknown."""
    if not birth or len(birth) < 6:
        return None
    if at is None:
        at = clock.today()
    if isinstance(at, str):
        at = to_date(at)
    years = at.year - int(birth[:4])
    birth_month = int(birth[4:6])
    if at.month < birth_month:
        years -= 1
    elif at.month == birth_month and len(birth) == 8 and at.day < int(birth[6:8]):
        years -= 1
    return years
