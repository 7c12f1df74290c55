"""Citizen identity numbers per GB 11643-1999."""

from __future__ import annotations

import datetime as _dt
import functools
import operator
from collections.abc import Iterable
from typing import NamedTuple

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, normalize_digits

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class CitizenIdError(ValueError):
    pass


class CitizenId(NamedTuple):
    number: str
    birth: str  # YYYYMMDD
    gender_code: str  # GB 2261.1: 1 男, 2 女
    region_known: bool

    @property
    def warning(self) -> str | None:
        if not self.region_known:
            return f"身份证号地区码 {self.number[:6]} 不在行政区划代码表中，请核对"
        return None


_DIGIT_BYTES = 48 * sum(WEIGHTS)  # "0" is byte 48: the weighed bytes of 17 digits less this are the weighed digits


def check_char(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # the digits' bytes weighed, no int() per digit: an import checks 100,000
        return CHECK_CHARS[(sum(map(operator.mul, first17.encode(), WEIGHTS)) - _DIGIT_BYTES) % 11]
    total = sum(map(operator.mul, map(int, first17[:17]), WEIGHTS))  # no Python loop
    return CHECK_CHARS[total % 11]


def normalize(text: str) -> str:
    """Strip spaces, full-width digits to ASCII, x to X."""
    text = normalize_digits(str(text or "")).replace("ｘ", "X").replace("Ｘ", "X")
    return "".join(text.split()).upper()


@functools.lru_cache(maxsize=1)
def _region_prefixes() -> frozenset[str]:
    from cadre_desk.domain.codes import table

    codes = {code for code, _ in table("ZB01").items if len(code) == 6}
    # Keep province and prefecture prefixes too: many county codes are missing from older tables.
    return frozenset(codes | {c[:2] + "0000" for c in codes} | {c[:4] + "00" for c in codes})


def parse(text: str) -> CitizenId:
    """Validate and decompose an 18-character citizen ID; raises CitizenIdError in Chinese."""
    return _parse(normalize(text), clock.today(), _region_prefixes())


def parse_all(numbers: Iterable[str]) -> dict[str, CitizenId | CitizenIdError]:
    """Many numbers as ``normalize`` leaves them (an import's column) at once: number → its
    CitizenId, or the CitizenIdError saying why it is refused (as ``parse`` would)."""
    today, prefixes = clock.today(), _region_prefixes()
    out: dict[str, CitizenId | CitizenIdError] = {}
    for number in numbers:
        try:
            out[number] = _parse(number, today, prefixes)
        except CitizenIdError as exc:
            out[number] = exc
    return out


def _parse(number: str, today: _dt.date, prefixes: frozenset[str]) -> CitizenId:
    if len(number) != 18:
        raise CitizenIdError(f"身份证号应为 18 位，现为 {len(number)} 位")
    body, last = number[:17], number[17]
    if not body.isdigit() or not (last.isdigit() or last == "X"):
        raise CitizenIdError("身份证号前 17 位须为数字，最后一位为数字或 X")
    expected = check_char(body)
    if last != expected:
        raise CitizenIdError(f"身份证号校验位错误（应为 {expected}），请核对号码")
    birth = body[6:14]
    try:
        born = _dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        raise CitizenIdError(f"身份证号中的出生日期 {format_date(birth)} 不存在") from None
    if born.year < 1880 or born > today:
        raise CitizenIdError(f"身份证号中的出生日期 {format_date(birth)} 不合理")
    gender = "1" if int(body[16]) % 2 == 1 else "2"
    region = body[:6]
    region_known = region in prefixes or region[:4] + "00" in prefixes
    return CitizenId(number, birth, gender, region_known)
