"""Periods (实绩档案, 考核表) typed the way clerks write them, read by one parser, shown one way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cadre_desk.domain.periods import PeriodError, current_period, parse_period, period_label
from tests.conftest import make_profile


@pytest.mark.parametrize(("typed", "code"), [
    ("2025年11月", "2025-11"), ("2025.11", "2025-11"), ("2025-11", "2025-11"), ("2025/11", "2025-11"),
    ("202511", "2025-11"), ("2025年11月份", "2025-11"), ("２０２５年１１月", "2025-11"), ("2025.1", "2025-01"),
    ("2025 年 3 月", "2025-03"),
    ("2025年第4季度", "2025-Q4"), ("2025年四季度", "2025-Q4"), ("2025第四季度", "2025-Q4"), ("2025Q4", "2025-Q4"),
    ("2025-Q4", "2025-Q4"), ("2025 q4", "2025-Q4"), ("2025年第1季", "2025-Q1"),
    ("2025年度", "2025"), ("2025年", "2025"), ("2025", "2025"),
    ("2025年第5周", "2025-W05"), ("2025-W05", "2025-W05"), ("2025w5", "2025-W05"),
    ("", ""), ("  ", ""),
])
def test_what_clerks_type_is_read(typed, code):
    assert parse_period(typed) == code
    # what the screens show is read back as the same period
    assert parse_period(period_label(code)) == code


def test_shown_one_way():
    assert period_label("2025-11") == "2025.11"
    assert period_label("2025-Q4") == "2025年第4季度"
    assert period_label("2025") == "2025年度"
    assert period_label("2025-W05") == "2025年第5周"
    assert period_label("上半年") == "上半年"  # anything else stored is shown as it is


@pytest.mark.parametrize(("title", "code", "named"), [
    ("2025年度考核", "2025", True), ("2025年一线锻炼期满考核", "2025", True), ("２０２５年度考核", "2025", True),
    ("2025年第1季度赛马比选", "2025-Q1", True), ("2026年一季度赛马", "2026-Q1", True), ("2025年11月考核", "2025-11", True),
    ("2025年第1季度赛马比选", "2025", False), ("东城区2024年度干部考核", "2025", False), ("干部考核", "2025", False),
    ("12025年考核", "2025", False),
])
def test_a_title_that_says_its_period(title, code, named):
    from cadre_desk.domain.periods import names_period

    assert names_period(title, code) is named


@pytest.mark.parametrize(("typed", "unit", "words"), [
    ("2025", "month", "请写到月"), ("2025.11", "quarter", "请写成季度"), ("2025年第4季度", "year", "请写成年度"),
    ("2025-13", None, "月份 13 无效"), ("2025年第5季度", None, "季度应为 1–4"), ("2025年第60周", None, "周次"),
    ("上半年", None, "无法识别"), ("1985", None, "1990"),
])
def test_unreadable_or_wrong_length_says_why(typed, unit, words):
    with pytest.raises(PeriodError) as err:
        parse_period(typed, unit)
    assert words in str(err.value)


def test_current_period_by_the_one_clock():
    import datetime as dt

    day = dt.date(2026, 11, 22)
    assert [current_period(u, day) for u in ("week", "month", "quarter", "year")] == [
        "2026-W47", "2026-11", "2026-Q4", "2026"]


def test_services_take_what_clerks_type(db, unit):
    from cadre_desk.appraisal import appraisals, records, schemes
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.profiles import cadres

    cadre_id = cadres.save_profile(make_profile(unit.id)).profile.id
    saved = records.save_record(records.RecordInfo(None, cadre_id, "月上报", "2025年11月", "完成招商签约两项"))
    assert saved.period == "2025-11" and saved.period_label == "2025.11"
    with pytest.raises(ValidationError) as err:  # the same month written another way is the same record
        records.save_record(records.RecordInfo(None, cadre_id, "月上报", "2025.11", "重复"))
    assert "已存在" in err.value.errors["period"]
    with pytest.raises(ValidationError) as err:
        records.save_record(records.RecordInfo(None, cadre_id, "月上报", "2025年第4季度", "季度写在月上报里"))
    assert err.value.errors["period"] == "月上报请写到月，如 2025.11 或 2025年11月"
    scheme = schemes.list_schemes()[0]
    sheet = appraisals.create_sheet("四季度考核", "2025年四季度", scheme.id, [cadre_id])
    assert sheet.period == "2025-Q4"
    with pytest.raises(ValidationError) as err:
        appraisals.create_sheet("坏期间", "明年", scheme.id, [cadre_id])
    assert err.value.errors["period"].startswith("考核期间：无法识别的期间“明年”")


# ---- the windows ---------------------------------------------------------------------------------

@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


def type_into(line, text: str) -> None:
    """Type ``text`` (Chinese included) into a line edit as an input method commits it, then leave it."""
    line.setFocus()
    line.clear()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(line, event)
    QTest.keyClick(line, Qt.Key_Return)  # editingFinished: the box tidies what was typed


def test_record_dialog_takes_2025年11月_and_shows_2025_11(qtbot, context, unit):
    from cadre_desk.appraisal import records
    from cadre_desk.profiles import cadres
    from ui.appraisal.records_tab import RecordDialog

    cadre_id = cadres.save_profile(make_profile(unit.id)).profile.id
    dialog = RecordDialog(cadre_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period.text() == period_label(current_period("month"))  # never 2026-06
    assert "2025.11" in dialog.period.line.placeholderText()
    type_into(dialog.period.line, "2025年11月")
    assert dialog.period.text() == "2025.11"
    dialog.content.setPlainText("本月完成项目协调三次")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [r.period for r in records.list_records(cadre_id)] == ["2025-11"]

    # a quarter typed for a 月上报 is refused under the field; switching to 季检查 takes it
    dialog = RecordDialog(cadre_id)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog.period.line, "2025年四季度")
    dialog.content.setPlainText("季度小结")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("period") == "期间：请写到月，如 2025.11 或 2025年11月"
    dialog.kind.setCurrentText("季检查")
    assert dialog.period.text() == period_label(current_period("quarter"))
    assert dialog.period.text().endswith("季度")
    type_into(dialog.period.line, "2025年四季度")
    assert dialog.period.text() == "2025年第4季度"
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert not dialog.isVisible()
    assert {r.period for r in records.list_records(cadre_id)} == {"2025-11", "2025-Q4"}


def test_new_sheet_dialog_takes_2025年第4季度(qtbot, context, unit):
    from cadre_desk.profiles import cadres
    from ui.appraisal.sheet_dialogs import NewSheetDialog

    cadres.save_profile(make_profile(unit.id))
    dialog = NewSheetDialog(context, None, selection=[])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period.text().endswith("年度")
    dialog.group_kind.setCurrentText("单位")
    dialog.group.setCurrentIndex(dialog.group.findData(unit.id))
    type_into(dialog.period.line, "2025年四季度")
    assert dialog.period.text() == "2025年第4季度"
    assert dialog.title.text().startswith("2025年第4季度")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created is not None)  # written through the task runner
    assert dialog.created.period == "2025-Q4"

    bad = NewSheetDialog(context, None, selection=[])
    qtbot.addWidget(bad)
    bad.show()
    bad.group_kind.setCurrentText("单位")
    bad.group.setCurrentIndex(bad.group.findData(unit.id))
    type_into(bad.period.line, "2025-Q5")
    qtbot.mouseClick(bad.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bad.saving is None)
    assert bad.isVisible() and "考核期间" in bad.error_text("period")
