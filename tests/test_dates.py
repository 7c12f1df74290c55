"""The one date parser and formatter (cadre_desk.domain.dates): what clerks type, what every
screen, workbook and PDF shows."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.domain.dates import (
    DateError,
    as_day,
    check_date,
    format_date,
    format_moment,
    format_month,
    format_period,
    parse_date,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1986.5", "198605"), ("198605", "198605"), ("1986-05", "198605"), ("1986/5", "198605"),
        ("1986年5月", "198605"), ("1986年05月", "198605"), ("1986.05.03", "19860503"), ("2024/3/15", "20240315"),
        ("2024-03-15", "20240315"), ("2024年3月15日", "20240315"), ("20240315", "20240315"),
        ("１９８６．５", "198605"), ("1986。5", "198605"), (" 1986. 5 ", "198605"), ("2024年3月15号", "20240315"),
        (2011.05, "201105"), (1985.1, "198510"), (1986.5, "198605"), (198605, "198605"),
        (_dt.date(2024, 3, 15), "20240315"), (_dt.datetime(2024, 3, 15, 10, 22), "20240315"),
        ("", ""), (None, ""), ("  ", ""),
    ],
)
def test_what_clerks_type_is_read(typed, stored):
    assert parse_date(typed) == stored


@pytest.mark.parametrize("typed", ["1986", "198613", "19860230", "86.5", "abc", "1850.01", "1986.5.3.1"])
def test_what_is_not_a_date_is_refused_in_chinese(typed):
    with pytest.raises(DateError) as info:
        parse_date(typed)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_precision():
    assert parse_date("1986.05.03", "month") == "198605"
    assert parse_date("2024.3.15", "day") == "20240315"
    with pytest.raises(DateError, match="请写到日"):
        parse_date("2024.3", "day")


def test_check_date_fills_errors_under_the_key():
    errors: dict[str, str] = {}
    assert check_date("1986.5", "出生日期", errors, "birth") == "198605"
    assert check_date("", "开始时间", errors, "start", required=True) == ""
    assert check_date("1986.13", "结束时间", errors, "end") == ""
    assert errors == {"start": "请填写开始时间", "end": "结束时间：月份 13 无效，应写作 1986.05"}


def test_one_format_for_months_days_periods_and_moments():
    assert format_date("198605") == "1986.05"
    assert format_date("20240315") == "2024.03.15"
    assert format_date(_dt.date(2024, 3, 5)) == "2024.03.05"
    assert format_date("") == "" and format_date(None) == ""
    assert format_date("1985") == "1985"  # a legacy value is shown as stored
    # where a month is meant (出生年月 in a sentence): a birth stored with its day shows its month
    assert format_month("19860512") == "1986.05" and format_month("198605") == "1986.05"
    assert format_month("") == "" and format_month(None) == "" and format_month("1985年") == "1985年"
    assert format_period("198605", "199007") == "1986.05—1990.07"
    assert format_period("202103", "") == "2021.03—至今"
    assert format_period("", "") == ""
    assert format_moment(_dt.datetime(2024, 3, 15, 9, 5, 7)) == "2024.03.15 09:05"
    assert format_moment("2024-03-15T09:05:07.123456") == "2024.03.15 09:05"


def test_as_day_compares_months_with_days():
    assert as_day("202403") == "20240301" and as_day("20240315") == "20240315" and as_day("") == ""
