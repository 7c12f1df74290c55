"""Partial dates as the 任免表 keeps them: YYYYMM or YYYYMMDD strings."""

from __future__ import annotations

import datetime as _dt
import re

from cadre_desk.domain import clock

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


class DateError(ValueError):
    pass


def normalize_digits(text: str) -> str:
    """Full-width digits and separators to ASCII."""
    return text.translate(_FULLWIDTH)


def _check(year: int, month: int, day: int | None) -> None:
    if not 1900 <= year <= 2100:
        raise DateError(f"年份 {year} 不在 1900–2100 之间")
    if not 1 <= month <= 12:
        raise DateError(f"月份 {month} 无效")
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{year}年{month}月没有{day}日") from None


def parse_partial_date(value: object) -> str:
    """Parse 198510, 19851001, "1985.10", "1985-10", "1985.1", "1985年10月", a date → YYYYMM[DD].

    Empty input gives "". Raises DateError with a Chinese message.
    """
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float):
        # A spreadsheet number: 2011.05 is May; 1985.1 is 1985.10 that lost its trailing zero.
        if value.is_integer():
            value = str(int(value))
        else:
            year_part, month_part = f"{value:.2f}".split(".")
            value = f"{year_part}.{month_part}"
    text = normalize_digits(str(value)).strip()
    if not text:
        return ""
    text = text.replace("年", ".").replace("月", ".").replace("日", "").rstrip(".")
    if re.fullmatch(r"\d{6}", text):
        year, month = int(text[:4]), int(text[4:])
        _check(year, month, None)
        return text
    if re.fullmatch(r"\d{8}", text):
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
        _check(year, month, day)
        return text
    match = re.fullmatch(r"(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?", text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        day = int(match.group(3)) if match.group(3) else None
        _check(year, month, day)
        return f"{year:04d}{month:02d}" + (f"{day:02d}" if day else "")
    if re.fullmatch(r"\d{4}", text):
        raise DateError("日期至少要精确到月，例如 198510 或 1985.10")
    raise DateError(f"无法识别的日期“{value}”，请写成 198510、1985.10 或 1985-10-01")


def format_date(value: str | None, sep: str = ".") -> str:
    """YYYYMM[DD] → 1985.10 or 1985.10.01 (for display)."""
    if not value:
        return ""
    if len(value) >= 6:
        out = f"{value[:4]}{sep}{value[4:6]}"
        if len(value) == 8:
            out += f"{sep}{value[6:]}"
        return out
    return value


def to_date(value: str) -> _dt.date:
    """First day of a YYYYMM, or the day of a YYYYMMDD."""
    year, month = int(value[:4]), int(value[4:6])
    day = int(value[6:8]) if len(value) >= 8 else 1
    return _dt.date(year, month, day)


def month_index(value: str) -> int:
    """Months since year 0, to compare partial dates at month precision."""
    return int(value[:4]) * 12 + int(value[4:6]) - 1


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

