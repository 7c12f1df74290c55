"""赛马比选 you can see: a line's or a post's ranking over its periods, grouped by post then period, with
the movement against the previous period (↑2, ↓1, —, 新); its Excel export (native chart) and PDF; the
tab that shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cadre_desk.access.roles import ROLE_CLERK
from cadre_desk.appraisal import racing
from tests.conftest import acting_as, make_profile


def test_movement_against_the_previous_period():
    assert racing.movement(1, 3, first=False) == "↑2"
    assert racing.movement(4, 3, first=False) == "↓1"
    assert racing.movement(2, 2, first=False) == "—"
    assert racing.movement(2, None, first=False) == "新"
    assert racing.movement(2, None, first=True) == ""  # nothing to compare with
    assert racing.movement(None, 1, first=False) == ""  # not ranked now (scores incomplete)


def test_period_bounds_and_order():
    from cadre_desk.domain.periods import period_bounds, period_order

    assert period_bounds("2026-Q2") == ("20260401", "20260630")
    assert period_bounds("2026-Q4") == ("20261001", "20261231")
    assert period_bounds("2026-02") == ("20260201", "20260228")
    assert period_bounds("2026") == ("20260101", "20261231")
    assert period_bounds("2026-W01") == ("20251229", "20260104")
    assert period_bounds("第二季度") == ("", "")
    periods = ["2026", "2026-Q3", "2025-Q4", "2026-Q1", "2026-Q4"]
    assert sorted(periods, key=period_order) == ["2025-Q4", "2026-Q1", "2026-Q3", "2026-Q4", "2026"]


def _day(days: int) -> str:
    import datetime as _dt

    from cadre_desk.domain import clock

    return (clock.today() + _dt.timedelta(days=days)).strftime("%Y%m%d")


@pytest.fixture
def race_world(db):
    """A line with two posts, five cadres on post, three quarterly sheets of the line whose scores move
    the cadres up and down; the fifth joins in the second quarter."""
    from cadre_desk.appraisal import appraisals, schemes, sheet_scores
    from cadre_desk.postings import frontline_posts, posting_data, postings
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", root.id)
    tax = units.create_unit("市税务局", root.id)
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    village = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="柳林乡驻村工作队", capacity=5))
    team = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="龙潭乡驻村工作队", capacity=5))
    people = {}
    for name, unit, post in (("甲", finance, village), ("乙", finance, village), ("丙", tax, team),
                             ("丁", tax, team), ("戊", finance, team)):
        cadre_id = cadres.save_profile(make_profile(unit.id, name=name)).profile.id
        people[name] = cadre_id
        posting = postings.create_posting(cadre_id, post.id, "组织选派", _day(-400), _day(400))
        postings.start_posting(posting.id, posting.version)
    scheme = next(s for s in schemes.list_schemes() if s.name == "一线锻炼期满考核")
    scores = {"2026-Q1": {"甲": 90, "乙": 80, "丙": 70, "丁": 60},
              "2026-Q2": {"甲": 75, "乙": 85, "丙": 70, "丁": 88, "戊": 95},
              "2026-Q3": {"甲": 75, "乙": 85, "丙": 91, "丁": 88, "戊": 60}}
    sheets = {}
    for period, marks in scores.items():
        sheet = appraisals.create_sheet(f"乡村振兴{period}赛马", period, scheme.id, [people[n] for n in marks],
                                        group_kind="一线", group_ref=line.id, group_label="乡村振兴", annual=False)
        data = appraisals.load_sheet(sheet.id)
        sheet_scores.set_scores(sheet.id, [sheet_scores.ScoreChange(people[n], r.id, d.id, v) for n, v in marks.items()
                                           for r in data.scheme.raters for d in data.scheme.dimensions])
        sheets[period] = sheet.id
    return {"line": line, "people": people, "sheets": sheets, "finance": finance}


def test_a_line_over_its_periods(race_world):
    line = race_world["line"]
    fields = racing.race_fields()
    assert [(f.kind, f.ref, f.label, f.periods) for f in fields] == [("一线", line.id, "乡村振兴", 3)]
    race = racing.race("一线", line.id)
    assert [p.label for p in race.periods] == ["2026年第1季度", "2026年第2季度", "2026年第3季度"]
    assert race.posts == ["柳林乡驻村工作队", "龙潭乡驻村工作队"]
    table = [(e.post_name, e.period, e.rank, e.movement, e.name) for e in race.entries]
    assert table == [
        ("柳林乡驻村工作队", "2026-Q1", 1, "", "甲"), ("柳林乡驻村工作队", "2026-Q1", 2, "", "乙"),
        ("柳林乡驻村工作队", "2026-Q2", 3, "↓1", "乙"), ("柳林乡驻村工作队", "2026-Q2", 4, "↓3", "甲"),
        ("柳林乡驻村工作队", "2026-Q3", 3, "—", "乙"), ("柳林乡驻村工作队", "2026-Q3", 4, "—", "甲"),
        ("龙潭乡驻村工作队", "2026-Q1", 3, "", "丙"), ("龙潭乡驻村工作队", "2026-Q1", 4, "", "丁"),
        ("龙潭乡驻村工作队", "2026-Q2", 1, "新", "戊"), ("龙潭乡驻村工作队", "2026-Q2", 2, "↑2", "丁"),
        ("龙潭乡驻村工作队", "2026-Q2", 5, "↓2", "丙"),
        ("龙潭乡驻村工作队", "2026-Q3", 1, "↑4", "丙"), ("龙潭乡驻村工作队", "2026-Q3", 2, "—", "丁"),
        ("龙潭乡驻村工作队", "2026-Q3", 5, "↓4", "戊"),
    ]
    assert [e.name for e in race.ranking("2026-Q3")] == ["丙", "丁", "乙", "甲", "戊"]


def test_a_clerk_sees_their_cadres_ranked_in_the_whole_group(race_world):
    with acting_as(ROLE_CLERK, units=(race_world["finance"].id,)):
        race = racing.race("一线", race_world["line"].id)
        assert {e.name for e in race.entries} == {"甲", "乙", "戊"}
        assert [(e.name, e.rank, e.movement) for e in race.ranking("2026-Q3")] == [
            ("乙", 3, "—"), ("甲", 4, "—"), ("戊", 5, "↓4")]  # places among all five


def test_the_screen_the_workbook_and_the_pdf_list_the_same_columns_and_say_what_a_clerks_ranks_are_over(
        qtbot, race_world, db_path, tmp_path):
    """The printed 赛马比选 put 单位 before 总分 while the tab and the workbook put it last; and a clerk of one
    unit saw places 3, 4, 5 (of the line's five) under 「名次」, read as a mistake. One column order for all
    three; the rank's header says what the places are over (名次（全部5人）) wherever the clerk reads it."""
    import os
    import shutil
    import subprocess

    import openpyxl

    from reports.excel import excel_workbooks
    from reports.pdf import race_sheet
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    key = ("race", "一线", race_world["line"].id)
    everyone = racing.load(key)
    assert everyone.rank_title() == "名次"  # all five seen: nothing to explain
    with acting_as(ROLE_CLERK, units=(race_world["finance"].id,)):
        race = racing.load(key)
        assert race.rank_title("2026-Q3") == "名次（全部5人）"
        assert race.rank_title("2026-Q1") == "名次（全部4人）"
        assert race.rank_title() == "名次（各期全部人员）"  # four in the first quarter, five after
        context = AppContext(db_path)
        tab = RankingTab(context)
        qtbot.addWidget(tab)
        # the same words; on screen the rank's on two lines (名次 / （各期全部人员）), as printed
        screen = [tab.race_model.headerData(i, Qt.Orientation.Horizontal).replace("\n", "")
                  for i in range(tab.race_model.columnCount())]
        out = tmp_path / "赛马比选.xlsx"
        excel_workbooks.export_race(out, key=key, reason="测试")
        pdf = race_sheet.grouped_table(racing.load(key))
        printed = [cell.getPlainText() for cell in pdf._cellvalues[0]]
        context.tasks.wait_all()
    wb = openpyxl.load_workbook(out)
    workbook = list(next(wb["分组排名"].iter_rows(min_row=2, max_row=2, values_only=True)))
    assert screen == workbook == printed == ["锻炼岗位", "考核期间", "名次（各期全部人员）", "名次变化", "姓名", "总分",
                                             "等次", "单位"]
    period = list(next(wb["2026年第3季度排名"].iter_rows(min_row=2, max_row=2, values_only=True)))
    assert period[0] == "名次（全部5人）"
    full = tmp_path / "赛马比选.pdf"
    with acting_as(ROLE_CLERK, units=(race_world["finance"].id,)):
        race_sheet.export_race_pdf(full, key=key, reason="测试")
    text = subprocess.run(["pdftotext", str(full), "-"], capture_output=True, text=True, check=True).stdout
    assert "名次（各期全部人员）" in "".join(text.split())
    shutil.copy(full, "/tmp/race_clerk.pdf") if os.environ.get("KEEP_LOOK") else None


def test_a_single_sheet_is_a_race_of_one_period(race_world):
    race = racing.load(("sheet", race_world["sheets"]["2026-Q2"]))
    assert len(race.periods) == 1 and [e.rank for e in race.entries] == [1, 2, 3, 4, 5]
    assert {e.movement for e in race.entries} == {""}


def test_export_and_print(race_world, tmp_path):
    import re
    import subprocess

    import openpyxl

    from cadre_desk.security import audit
    from reports.excel import excel_workbooks
    from reports.pdf import race_sheet

    key = ("race", "一线", race_world["line"].id)
    out = tmp_path / "赛马比选.xlsx"
    excel_workbooks.export_race(out, key=key, reason="测试")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["分组排名", "2026年第3季度排名"]
    grouped = list(wb["分组排名"].iter_rows(min_row=2, values_only=True))
    assert grouped[0] == ("锻炼岗位", "考核期间", "名次", "名次变化", "姓名", "总分", "等次", "单位")  # the tab's order
    assert grouped[1][:5] == ("柳林乡驻村工作队", "2026年第1季度", 1, None, "甲")
    assert ("龙潭乡驻村工作队", "2026年第3季度", 1, "↑4", "丙") in [r[:5] for r in grouped]
    assert wb["分组排名"].freeze_panes == "A3"
    totals = [row[5] for row in wb["分组排名"].iter_rows(min_row=3) if row[5].value is not None]
    assert totals and all(c.number_format == "0.00" for c in totals)  # 81.20 under 81.63, not 81.2
    ranked = wb["2026年第3季度排名"]
    assert [c.tagname for c in ranked._charts] == ["barChart"]
    assert ranked._charts[0].x_axis.delete is False and ranked._charts[0].y_axis.delete is False  # drawn in Excel
    assert [r[2] for r in ranked.iter_rows(min_row=3, values_only=True)] == ["丙", "丁", "乙", "甲", "戊"]

    pdf = tmp_path / "赛马比选.pdf"
    result = race_sheet.export_race_pdf(pdf, key=key, period="2026-Q2", reason="部务会")
    assert result.path == pdf and result.missing == ()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.strip().splitlines()[2:]), fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("乡村振兴赛马比选", "2026年第2季度 排名", "龙潭乡驻村工作队", "↑4", "新", "名次变化"):
        assert words in text, words
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Author:\s+\S", info, re.M)
    assert [e.reason for e in audit.entries() if e.entity == "赛马比选"] == ["部务会"]


def test_the_tab_shows_the_chart_and_the_grouped_table(qtbot, race_world, db_path):
    from PySide6.QtCharts import QChartView

    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    context = AppContext(db_path)
    tab = RankingTab(context)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.sheet.currentData() == ("race", "一线", race_world["line"].id)
    assert tab.tables.currentWidget() is tab.race_table
    assert isinstance(tab.chart_view, QChartView)
    assert tab.chart_view.chart().title().startswith("乡村振兴 2026年第3季度 排名")
    labels = tab.chart_view.chart().axes()[0].categories()
    assert labels[-1] == "1. 丙 ↑4"  # the first place on top (Qt draws the list bottom up)
    rows = tab.race_model.rows
    assert [(r.post_name if r.first_of_post else "", r.movement) for r in rows[:3]] == [
        ("柳林乡驻村工作队", ""), ("", ""), ("", "↓1")]
    assert tab.race_model.index(2, 1).data() == "2026年第2季度" and tab.race_model.index(3, 1).data() == ""
    tab.period.setCurrentIndex(tab.period.findData("2026-Q1"))
    assert "2026年第1季度" in tab.chart_view.chart().title()
    tab.unit_filter.setText("税务")
    assert {r.name for r in tab.race_model.rows} == {"丙", "丁"}
    context.tasks.wait_all()


def test_the_tab_shows_totals_as_the_documents_print_them(qtbot, race_world, db_path):
    """The 排名 tab showed 90 and 75.9 where the printed 赛马比选 and the 鉴定报告 say 90.00 and 75.90:
    every total on it now has two decimals (scoring.score_text, as the documents), sorted as numbers."""
    import re

    from PySide6.QtCore import Qt

    from cadre_desk.appraisal.scoring import score_text
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    context = AppContext(db_path)
    tab = RankingTab(context)
    qtbot.addWidget(tab)
    model = tab.race_model  # one sheet's ranking: test_appraisal_gui
    column = next(i for i, c in enumerate(model.columns) if c.key == "total")
    shown = [(model.index(n, column).data(), row.total) for n, row in enumerate(model.rows)]
    assert shown and all(text == score_text(total) for text, total in shown), shown
    assert any(re.fullmatch(r"\d+\.\d\d", text) for text, _total in shown), shown
    model.sort(column, Qt.SortOrder.DescendingOrder)
    totals = [row.total for row in model.rows if row.total is not None]
    assert totals == sorted(totals, reverse=True)
    context.tasks.wait_all()


def test_the_printed_ranking_keeps_headers_grades_and_scores_on_one_line(race_world):
    """"基本称职" broke into "基本称 / 职" and the header "名次变化" into "名次变 / 化" on the printed
    赛马比选; scores read 81.2 beside 81.63 and 66 — every score now has two decimals."""
    from cadre_desk.appraisal import racing
    from reports.pdf import race_sheet

    table = race_sheet.grouped_table(racing.load(("race", "一线", race_world["line"].id)))
    at = race_sheet.COLUMNS.index
    grades = {row[at("grade")].text for row in table._cellvalues[1:]}
    assert "基本称职" in grades
    for row in table._cellvalues:
        for col in map(at, ("rank", "movement", "name", "total", "grade")):  # one line each
            cell = row[col]
            cell.wrap(table._colWidths[col] - 12, 1000)
            assert len(cell.blPara.lines) <= 1, (cell.text, table._colWidths[col])
    scores = [row[at("total")].text for row in table._cellvalues[1:] if row[at("total")].text != "—"]
    assert scores and all(len(s.rsplit(".", 1)[-1]) == 2 for s in scores), scores


def test_the_printed_chart_labels_scores_as_the_table_does(race_world, tmp_path):
    """The chart of the printed 赛马比选 labelled a bar 81.6 above the table's 81.63: both two decimals."""
    import subprocess

    from reports.pdf import race_sheet

    key = ("race", "一线", race_world["line"].id)
    pdf = tmp_path / "赛马比选.pdf"
    race_sheet.export_race_pdf(pdf, key=key, period="2026-Q2", reason="部务会")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    ranked = [e for e in racing.load(key).ranking("2026-Q2") if e.total is not None]
    assert ranked
    for entry in ranked:  # once in the chart, once (at least) in the grouped table
        assert text.count(f"{entry.total:.2f}") >= 2, (entry.name, entry.total)


def test_the_printed_ranking_names_units_by_their_full_names(race_world, tmp_path):
    """The printed 赛马比选 said 市财政局 (the tree's 简称) where its workbook says the 全称; on paper 县政府办
    is of which county? Both name the unit by its 全称."""
    import re
    import subprocess

    from cadre_desk.units import units
    from reports.pdf import race_sheet

    finance = race_world["finance"]
    units.update_unit(finance.id, units.get_unit(finance.id).version, full_name="云江市财政局")
    key = ("race", "一线", race_world["line"].id)
    pdf = tmp_path / "赛马比选.pdf"
    race_sheet.export_race_pdf(pdf, key=key, reason="部务会")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert "云江市财政局" in text
    assert "市财政局" not in text.replace("云江市财政局", "")


def test_one_units_sheet_is_printed_and_exported_under_its_group_not_a_post(race_world, tmp_path):
    """A unit's 季度考核表 chosen on 赛马比选 was printed and exported with 市财政局 under “锻炼岗位” and
    “分组排名（按岗位…）”: read as a frontline post. One sheet's group is its 考核对象."""
    import subprocess

    import openpyxl

    from cadre_desk.appraisal import appraisals, schemes
    from reports.excel import excel_workbooks
    from reports.pdf import race_sheet

    people = race_world["people"]
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    sheet = appraisals.create_sheet("市财政局2026年第2季度考核", "2026-Q2", scheme.id, [people["甲"], people["乙"]],
                                    group_kind="单位", group_ref=race_world["finance"].id, group_label="市财政局")
    key = ("sheet", sheet.id)
    assert racing.load(key).group_title == "考核对象"
    assert racing.load(("race", "一线", race_world["line"].id)).group_title == "锻炼岗位"
    out = tmp_path / "单位.xlsx"
    excel_workbooks.export_race(out, key=key, reason="测试")
    # one sheet is exported as its ranking tab shows it: the unit under 单位, no 锻炼岗位 anywhere
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(min_row=1, max_row=4, values_only=True))
    assert rows[0][0].startswith("市财政局")
    header = rows[1]
    assert "锻炼岗位" not in header and not any("按岗位" in str(c or "") for r in rows for c in r)
    assert {r[header.index("单位")] for r in rows[2:]} == {"市财政局"}
    pdf = tmp_path / "单位.pdf"
    race_sheet.export_race_pdf(pdf, key=key, reason="部务会")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "锻炼岗位" not in text and "按岗位" not in text and "考核对象" not in text  # the tab's list (below)


def test_one_sheet_is_printed_with_the_columns_its_tab_and_its_workbook_list(qtbot, race_world, db_path, tmp_path):
    """One appraisal sheet chosen on 赛马比选: the tab and the workbook listed its ranking (名次, 姓名, 单位, 总分,
    等次, 正面清单, 负面清单) while the PDF printed the race's (考核对象, 考核期间, 名次变化 …): one list for all three."""
    import subprocess

    import openpyxl

    from reports.excel import excel_workbooks
    from reports.pdf import race_sheet
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    key = ("sheet", race_world["sheets"]["2026-Q2"])
    context = AppContext(db_path)
    tab = RankingTab(context)
    qtbot.addWidget(tab)
    tab.sheet.setCurrentIndex(tab.sheet.findData(key))
    context.tasks.wait_all()
    screen = [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(tab.model.columnCount())]
    out = tmp_path / "一张表.xlsx"
    excel_workbooks.export_race(out, key=key, reason="测试")
    workbook = list(next(openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=2, max_row=2,
                                                                            values_only=True)))
    race = racing.load(key)
    story = race_sheet.race_story(race, race.periods[-1].period, "组织部", racing.sheet_ranking(key[1]))
    table = next(flow for flow in story if hasattr(flow, "_cellvalues"))
    printed = [cell.getPlainText() for cell in table._cellvalues[0]]
    assert screen == workbook == printed == ["名次", "姓名", "单位", "总分", "等次", "正面清单", "负面清单"]
    assert [c.getPlainText() for c in table._cellvalues[1][:2]] == ["1", race.ranking(race.periods[-1].period)[0].name]
    pdf = tmp_path / "一张表.pdf"
    race_sheet.export_race_pdf(pdf, key=key, reason="部务会")
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "正面清单" in text and "负面清单" in text
    assert not any(word in text for word in ("考核期间", "名次变化", "锻炼岗位", "考核对象", "上期未参加比选"))


def test_the_chart_title_says_what_the_tables_rank_is_over(qtbot, race_world, db_path):
    """A clerk seeing 3 of a line's 5: the table's header said 名次（全部5人） and the chart's title 排名（3 人）
    over places 3, 4, 5. The tab's chart and the PDF's say 排名（全部5人中的 3 人）."""
    import subprocess

    from reports.pdf import race_sheet
    from ui.appraisal.ranking_tab import ranking_chart

    key = ("race", "一线", race_world["line"].id)
    assert racing.load(key).chart_title("2026-Q3") == "乡村振兴 2026年第3季度 排名（5 人）"  # all seen
    with acting_as(ROLE_CLERK, units=(race_world["finance"].id,)):
        race = racing.load(key)
        assert race.rank_title("2026-Q3") == "名次（全部5人）"
        assert race.chart_title("2026-Q3") == "乡村振兴 2026年第3季度 排名（全部5人中的 3 人）"
        chart = ranking_chart(race, "2026-Q3")
        qtbot.addWidget(chart)
        assert chart.chart().title() == "乡村振兴 2026年第3季度 排名（全部5人中的 3 人）"
        pdf = db_path.parent / "赛马比选_办事员.pdf"
        race_sheet.export_race_pdf(pdf, key=key, period="2026-Q3", reason="测试")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "排名（全部5人中的 3 人，总分）" in text


def test_the_grouped_tables_periods_and_grades_are_whole_in_a_wider_font(qtbot, race_world, db_path, wider_font):
    """With the bundled fonts (a Song face, bold by thickening) the tab's bold first row of a period read
    2026年第2… and 基本称… : the columns of set values are as wide as their widest cell, in bold."""
    from PySide6.QtGui import QFontMetrics

    from cadre_desk.domain.fields import RACE_LIST
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    wider_font(1.3)
    context = AppContext(db_path)
    tab = RankingTab(context)
    qtbot.addWidget(tab)
    tab.show()
    context.tasks.wait_all()
    bold = tab.race_table.font()
    bold.setBold(True)
    metrics, header = QFontMetrics(bold), tab.race_table.horizontalHeader()
    for key, text in (("period_label", "2026年第3季度"), ("grade", "基本称职")):
        assert text in {r.period_label for r in tab.race_model.rows} | {r.grade for r in tab.race_model.rows}
        assert header.sectionSize(RACE_LIST.index(key)) > metrics.horizontalAdvance(text) + 8, key


def test_the_export_tip_names_the_sheets_the_current_choice_writes(qtbot, race_world, db_path, tmp_path):
    """The 导出 tip described only the grouped layout while one appraisal sheet chosen wrote that sheet's
    ranking as the tab lists it. The tip names each worksheet the workbook gets, for the choice at hand."""
    import re

    import openpyxl

    from cadre_desk.appraisal import appraisals, schemes
    from reports.excel import excel_workbooks
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    people = race_world["people"]
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    sheet = appraisals.create_sheet("市财政局2026年第2季度考核", "2026-Q2", scheme.id, [people["甲"], people["乙"]],
                                    group_kind="单位", group_ref=race_world["finance"].id, group_label="市财政局")
    context = AppContext(db_path)
    tab = RankingTab(context)
    qtbot.addWidget(tab)

    def written() -> list[str]:
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx"
        excel_workbooks.export_race(out, key=tab.sheet.currentData(), period=tab.chart_period(), reason="测试")
        return openpyxl.load_workbook(out).sheetnames

    def named() -> list[str]:
        return re.findall(r"「(.+?)」", tab.export_button.toolTip())

    tab.select(("sheet", sheet.id))
    assert named() == written() == ["2026年第2季度排名"]
    assert "正面清单" in tab.export_button.toolTip() and "分组" not in tab.export_button.toolTip()
    assert "分组" not in tab.print_button.toolTip()
    tab.select(("race", "一线", race_world["line"].id))
    assert named() == written() == ["分组排名", "2026年第3季度排名"]
    tab.period.setCurrentIndex(tab.period.findData("2026-Q1"))
    assert named() == written() == ["分组排名", "2026年第1季度排名"]
    tab.unit_filter.setText("税务")
    assert "不按单位筛选" in tab.export_button.toolTip()
    context.tasks.wait_all()


def test_the_printed_chart_keeps_a_long_name_on_the_page():
    """An 18-character name (买买提江·阿不都热合曼·吐尔逊托合提) with its place and movement ran off the
    page's left edge in the printed chart: the names' column now widens to the longest label, and its type
    gets smaller beyond LABELS_MAX — every label starts inside the drawing, the bars keep most of its width."""
    from reportlab.pdfbase import pdfmetrics

    from reports.pdf import pdf_common as pc
    from reports.pdf import race_sheet

    pc.register_fonts()
    long_name = "买买提江·阿不都热合曼·吐尔逊托合提"
    period = racing.RacePeriod("2026-Q2", "2026年第2季度", 1, "考核表", True)
    entries = tuple(racing.RaceEntry("驻村工作队", "2026-Q2", "2026年第2季度", n, "↑10", n, name, "市财政局",
                                     90.0 - n, "优秀") for n, name in enumerate((long_name, "丙", "丁"), 1))
    race = racing.Race(racing.RaceField("岗位", 1, "驻村工作队", 1), (period,), entries)
    drawing = race_sheet.ranking_drawing(race, "2026-Q2")
    bars = drawing.contents[-1]
    labels = bars.categoryAxis.labels
    for name in bars.categoryAxis.categoryNames:
        left = bars.x + labels.dx - pdfmetrics.stringWidth(name, pc.BODY_FONT, labels.fontSize)
        assert left >= 0, (name, left)
    assert labels.fontSize >= 6 and bars.width >= drawing.width * 0.55


def test_the_tab_chart_keeps_a_long_name_and_the_tables_totals(qtbot):
    """On the 赛马比选 tab QtCharts cut 1. 买买提江·阿不都热合曼·吐尔逊托合提 ↑4 at the chart's left edge (place
    and all), and labelled 81.99 as 82 beside the table's 81.99: a long name is shortened on the axis (whole
    when hovering its bar) and the bars carry the totals to two decimals."""
    from PySide6.QtGui import QFontMetrics

    from ui.appraisal.ranking_tab import ranking_chart

    long_name = "买买提江·阿不都热合曼·吐尔逊托合提"
    period = racing.RacePeriod("2026-Q2", "2026年第2季度", 1, "考核表", True)
    entries = tuple(racing.RaceEntry("驻村工作队", "2026-Q2", "2026年第2季度", n, "↑4", n, name, "市财政局", total,
                                     "优秀") for n, (name, total) in enumerate(((long_name, 83.84), ("丙", 81.99)), 1))
    race = racing.Race(racing.RaceField("岗位", 1, "驻村工作队", 1), (period,), entries)
    view = ranking_chart(race, "2026-Q2")
    qtbot.addWidget(view)
    view.resize(480, 460)
    view.show()
    qtbot.wait(50)
    chart = view.chart()
    axis = chart.axes()[0]
    labels = axis.categories()
    assert labels[-1].startswith("1. 买买提江") and labels[-1].endswith("↑4") and long_name not in labels[-1]
    room = chart.plotArea().left() - chart.geometry().left()
    widest = max(QFontMetrics(axis.labelsFont()).horizontalAdvance(text) for text in labels)
    assert widest < room, (widest, room)
    values = [chart.series()[0].barSets()[0].at(i) for i in range(2)]
    assert values == [81.99, 83.84]  # bottom up


def test_the_tab_chart_writes_the_totals_as_the_table_does(qtbot):
    """QtCharts labelled the bar of 75.90 as 75.9 beside the table's 75.90: the bars carry the same text as
    the table (scoring.score_text), at their ends."""
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    from ui.appraisal.ranking_tab import ranking_chart

    period = racing.RacePeriod("2026-Q2", "2026年第2季度", 1, "考核表", True)
    entries = tuple(racing.RaceEntry("驻村工作队", "2026-Q2", "2026年第2季度", n, "", n, name, "市财政局", total,
                                     "称职") for n, (name, total) in enumerate((("甲", 81.25), ("乙", 75.9)), 1))
    view = ranking_chart(racing.Race(racing.RaceField("岗位", 1, "驻村工作队", 1), (period,), entries), "2026-Q2")
    qtbot.addWidget(view)
    view.resize(480, 300)
    view.show()
    qtbot.wait(50)
    chart = view.chart()
    labels = {item.text(): item for item in chart.childItems() if isinstance(item, QGraphicsSimpleTextItem)}
    assert set(labels) == {"81.25", "75.90"}
    assert not chart.series()[0].isLabelsVisible()  # not QtCharts' own 75.9 as well
    area = chart.plotArea()
    for item in labels.values():  # beside their bars, inside the plot
        box = item.sceneBoundingRect()
        assert area.top() <= box.center().y() <= area.bottom() and box.right() <= area.right() + 1, box


def test_a_cadre_unranked_in_the_previous_period_is_not_called_new(race_world):
    """甲 was in the 2026年第2季度 race but not ranked (a rater's scores missing): the next period marked 甲
    新 — "上期未参加比选" — which reads as if 甲 had not been there. With nothing to compare, no mark."""
    from cadre_desk.appraisal import appraisals, sheet_scores

    sheet_id, people = race_world["sheets"]["2026-Q2"], race_world["people"]
    data = appraisals.load_sheet(sheet_id)
    rater, dimension = data.scheme.raters[0], data.scheme.dimensions[0]
    sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(people["甲"], rater.id, dimension.id, None)])
    race = racing.race("一线", race_world["line"].id)
    moves = {(e.period, e.name): (e.rank, e.movement) for e in race.entries}
    assert moves[("2026-Q2", "甲")] == (None, "")
    assert moves[("2026-Q3", "甲")][1] == ""  # not 新: 甲 was in the race, unranked
    assert moves[("2026-Q2", "戊")][1] == racing.NEW  # 戊 joined in the second quarter
