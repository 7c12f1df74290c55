"""A 考核表 titled with its period (2025年度考核 of 2025) says the period once wherever its title is joined
with its period: the 考核表 drop-down, the ranking workbook's headings, the 赛马比选 of one sheet (screen
chart, workbook, PDF) and the audit line of its creation — all through periods.period_beside."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from tests.conftest import make_profile


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


@pytest.fixture
def sheets(unit):
    """Two sheets of 2025 with two members each: one titled with its period, one not."""
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.profiles import cadres

    ids = [cadres.save_profile(make_profile(unit.id, name=f"干部{i}")).profile.id for i in range(2)]
    scheme = schemes.list_schemes()[0]
    named = appraisals.create_sheet("2025年度考核", "2025", scheme.id, ids)
    plain = appraisals.create_sheet("干部考核", "2025", scheme.id, ids)
    return named, plain


@pytest.mark.parametrize(("title", "code", "beside"), [
    ("2025年度考核", "2025", ""), ("干部考核", "2025", "2025年度"), ("2026年一季度赛马", "2026-Q1", ""),
    ("2026年赛马", "2026-Q1", "2026年第1季度"), ("乡村振兴", "2026-03", "2026.03"),
])
def test_the_period_beside_a_title(title, code, beside):
    from cadre_desk.domain.periods import period_beside

    assert period_beside(title, code) == beside


def test_the_sheet_drop_down_says_the_period_once(qtbot, context, sheets):
    from ui.appraisal.appraisal_view import AppraisalPage

    page = AppraisalPage(context)
    qtbot.addWidget(page)
    tab = page.show_sheet_tab()
    tab.reload_sheets(sheets[0].id)
    shown = sorted(tab.sheet.itemText(i) for i in range(tab.sheet.count()))
    assert shown == ["2025年度考核（2 人，评分中）", "干部考核（2025年度，2 人，评分中）"], shown


def test_the_ranking_workbook_heading_says_the_period_once(sheets, tmp_path):
    from reports.excel import excel_workbooks

    wb = openpyxl.load_workbook(excel_workbooks.export_appraisal(tmp_path / "考核.xlsx"))
    headings = {ws["A1"].value for ws in wb.worksheets}
    scheme = sheets[0].scheme_name
    assert any(h.endswith(f"2025年度考核（{scheme}）考核结果及排名（未定稿）") for h in headings), headings
    assert any(h.endswith(f"干部考核（2025年度，{scheme}）考核结果及排名（未定稿）") for h in headings), headings
    assert not any("2025年度考核（2025年度" in h for h in headings)


def test_one_sheets_race_says_the_period_once(qtbot, sheets, tmp_path):
    """A sheet of no group is raced under its title: 「2025年度考核 2025年度 排名」 said the year twice."""
    from cadre_desk.appraisal import racing
    from reports.excel import excel_workbooks
    from reports.pdf import race_sheet
    from ui.appraisal.ranking_tab import ranking_chart

    named, plain = (racing.load(("sheet", s.id)) for s in sheets)
    assert named.named_with("2025", " ") == "2025年度考核" and named.span == ""
    assert plain.named_with("2025", " ") == "干部考核 2025年度" and plain.span == "2025年度"

    chart = ranking_chart(named, "2025")
    qtbot.addWidget(chart)
    assert chart.chart().title().startswith("2025年度考核 排名"), chart.chart().title()

    wb = openpyxl.load_workbook(excel_workbooks.export_race(tmp_path / "赛马.xlsx", key=("sheet", sheets[0].id)))
    assert wb.worksheets[0]["A1"].value.endswith("2025年度考核排名"), wb.worksheets[0]["A1"].value

    out = tmp_path / "赛马.pdf"
    race_sheet.export_race_pdf(out, key=("sheet", sheets[0].id), reason="测试")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                            check=True).stdout)
    assert "2025年度考核排名" in text and "2025年度考核2025年度" not in text, text[:200]


def test_the_audit_line_of_a_new_sheet_says_the_period_once(sheets):
    from cadre_desk.store.models import AuditLog

    said = [s for (s,) in AuditLog.select(AuditLog.summary).where(AuditLog.summary.startswith("新建考核表")).tuples()]
    assert any(s.startswith("新建考核表“2025年度考核”（") and "2025年度，" not in s for s in said), said
    assert any(s.startswith("新建考核表“干部考核”（2025年度，") for s in said), said
