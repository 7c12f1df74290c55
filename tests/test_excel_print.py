"""Workbooks as a superior sees them printed or drawn by a spreadsheet program (checked by converting
each with LibreOffice Calc): charts that say only their counts and name every category, rows as tall
as their wrapped text, titles that are not cut off, wide tables on readable pages, narrow ones upright."""

from __future__ import annotations

import re

import openpyxl
import pytest

from cadre_desk.exchange.sheet_layout import text_units

CM = 360000  # EMU per centimetre
ONE_LINE = 15.0  # points: the default row height


def _charts(path):
    wb = openpyxl.load_workbook(path)
    return [(ws, chart) for ws in wb.worksheets for chart in ws._charts]


def _categories(chart) -> int:
    ref = chart.series[0].cat
    formula = (ref.strRef or ref.numRef).f
    low, high = (int(n) for n in re.findall(r"\$(\d+)", formula))
    return high - low + 1


@pytest.fixture
def stats_book(demo_db, tmp_path):
    from reports.excel import excel_stats

    out = tmp_path / "统计.xlsx"
    excel_stats.export_stats(out, reason="报送")
    return out


def test_chart_labels_say_only_the_count_or_share(stats_book):
    """A label with only showVal written was drawn 人数；30岁及以下；23 by LibreOffice (a missing flag
    read as "show"): every flag is now written, only the count (bars) or the share (pies) shown."""
    labelled = [(ws.title, chart) for ws, chart in _charts(stats_book) if chart.dataLabels is not None]
    assert len(labelled) >= 5
    for title, chart in labelled:
        labels = chart.dataLabels
        assert labels.showSerName is False and labels.showCatName is False and labels.showLegendKey is False, title
        if chart.tagname == "pieChart":
            assert labels.showPercent is True and labels.showVal is False, title
        else:
            assert labels.showVal is True and labels.showPercent is False, title


def test_horizontal_bar_charts_read_top_down_name_every_category_and_keep_the_scale_below(stats_book):
    bars = [(ws.title, chart) for ws, chart in _charts(stats_book) if chart.tagname == "barChart"]
    horizontal = [(title, chart) for title, chart in bars if chart.type == "bar"]
    assert {title for title, _c in horizontal} == {"工作台", "单位"}
    for title, chart in bars:
        assert chart.x_axis.tickLblSkip == 1, title  # every category named
    for title, chart in horizontal:
        assert chart.x_axis.scaling.orientation == "maxMin", title  # the table's first row on top
        assert chart.y_axis.crosses == "max", title  # the scale below the bars, not above them
        per_category = (chart.anchor.ext.height / CM - 3) / _categories(chart)
        assert per_category >= 0.7, (title, per_category)  # closer, every other name was left out


def _wrapped_rows_are_tall_enough(ws) -> int:
    """How many rows hold a wrapped text wider than its column; each must be at least two lines tall
    and every cell of it top-aligned."""
    from openpyxl.utils import get_column_letter

    checked = 0
    for row in ws.iter_rows(min_row=3):
        long = [c for c in row if isinstance(c.value, str)
                and text_units(c.value) > (ws.column_dimensions[get_column_letter(c.column)].width or 8.43)]
        if not long:
            continue
        checked += 1
        assert all(c.alignment.wrap_text for c in long), (ws.title, row[0].row)
        height = ws.row_dimensions[row[0].row].height
        assert height is not None and height >= 2 * ONE_LINE, (ws.title, row[0].row, height)
        assert all(c.alignment.vertical == "top" for c in row if c.value is not None), (ws.title, row[0].row)
    return checked


def test_rows_are_as_tall_as_their_wrapped_text(demo_db, tmp_path):
    """A 帮带目标 or 派出单位意见 wrapped in its cell showed only its first line: the row kept the one-line
    height (neither Excel nor LibreOffice grows a row of a file on opening it)."""
    from reports.excel import excel_roster, excel_workbooks

    excel_workbooks.export_mentoring(tmp_path / "帮带.xlsx")
    excel_workbooks.export_postings(tmp_path / "一线.xlsx")
    excel_roster.export_roster(tmp_path / "花名册.xlsx", ["name", "position", "categories"], reason="测试")
    for name in ("帮带", "一线", "花名册"):
        book = openpyxl.load_workbook(tmp_path / f"{name}.xlsx")
        assert sum(_wrapped_rows_are_tall_enough(ws) for ws in book.worksheets) > 0, name


def test_a_title_wider_than_its_table_wraps_instead_of_being_cut_off(demo_db, tmp_path):
    from openpyxl.utils import get_column_letter

    from reports.excel import excel_roster, excel_workbooks

    out = tmp_path / "考核.xlsx"
    excel_workbooks.export_appraisal(out)
    long = "中共云江市委组织部二〇二六年第四季度西门街道老旧小区改造工作组干部花名册（报市委常委会）"
    excel_roster.export_roster(tmp_path / "花名册.xlsx", ["name", "gender"], title=long, reason="测试")
    sheets = list(openpyxl.load_workbook(out).worksheets) + [openpyxl.load_workbook(tmp_path / "花名册.xlsx").active]
    cut = 0
    for ws in sheets:
        title = ws["A1"]
        table = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1))
        if text_units(title.value) * excel_roster.TITLE_SIZE / 11 > table:
            cut += 1
            assert title.alignment.wrap_text, ws.title
            assert ws.row_dimensions[1].height >= 2 * excel_roster.TITLE_SIZE, ws.title
    assert cut >= 2


def test_a_wide_table_prints_on_readable_pages_with_its_first_columns_repeated(demo_db, tmp_path):
    """一线锻炼名册 (29 columns) was squeezed onto one page's width at a quarter of its size."""
    from reports.excel import excel_roster, excel_workbooks

    excel_workbooks.export_postings(tmp_path / "一线.xlsx")
    keys = [spec.key for spec in excel_roster.FIELDS][:40]
    excel_roster.export_roster(tmp_path / "花名册.xlsx", keys, reason="测试")
    excel_workbooks.export_mentoring(tmp_path / "帮带.xlsx")
    for name in ("一线", "花名册"):
        for ws in openpyxl.load_workbook(tmp_path / f"{name}.xlsx").worksheets:
            assert ws.page_setup.fitToWidth >= 2, (name, ws.title)
            assert ws.print_title_cols == "$A:$B", (name, ws.title)  # 序号 and 姓名 on every page
            assert ws.print_title_rows == "$2:$2", (name, ws.title)  # the header row on every page
            assert ws.page_setup.pageOrder == "overThenDown", (name, ws.title)  # a row's pages together
            # the title at the top of every page, not as a row cut off above the repeated columns
            assert ws["A1"].value in ws.oddHeader.center.text, (name, ws.title)
            assert ws.print_area.split("!")[1].startswith("$A$2:"), (name, ws.title, ws.print_area)
            assert ws["A1"].alignment.horizontal == "left", (name, ws.title)  # on the screen, at the left
    narrow = openpyxl.load_workbook(tmp_path / "帮带.xlsx").active
    assert narrow.page_setup.fitToWidth in (1, 2)


def test_narrow_staffing_tables_print_upright(stats_book):
    wb = openpyxl.load_workbook(stats_book)
    for title in ("职数汇总", "职数", "单位类别×职务层次"):
        assert wb[title].page_setup.orientation == "portrait", title
        assert wb[title].page_setup.fitToWidth == 1, title


def test_the_unit_chart_comes_a_page_at_a_time(stats_book):
    """One bar chart of every unit (49 in the demo) ran 40 cm down the 单位 sheet: printed, it was cut
    over three pages with its scale on the last only. Now a chart per 15 units beside their rows, a page
    break before each, one scale for all, and the rows tall enough that no chart reaches past its break."""
    UNITS_PER_CHART = 15  # noqa: N806 - reports.excel.excel_stats.UNITS_PER_CHART

    ws = openpyxl.load_workbook(stats_book)["单位"]
    units = sum(1 for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value not in (None, "合计"))
    charts = ws._charts
    assert units > UNITS_PER_CHART and len(charts) == -(-units // UNITS_PER_CHART)
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    starts = [chart.anchor._from.row + 1 for chart in charts]  # 1-based rows
    assert breaks == [start - 1 for start in starts[1:]]
    assert {chart.y_axis.scaling.max for chart in charts} == {max(chart.y_axis.scaling.max for chart in charts)}
    for chart, start in zip(charts, starts, strict=True):
        assert _categories(chart) <= UNITS_PER_CHART
        rows_cm = sum(ws.row_dimensions[r].height for r in range(start, start + _categories(chart))) * 2.54 / 72
        if start != starts[-1]:
            assert rows_cm >= chart.anchor.ext.height / CM, (start, rows_cm)


def test_the_race_chart_scale_is_whole_points(demo_db, tmp_path):
    """The totals are written 81.20, and the chart's scale took their format: 0.00, 10.00 … 100.00."""
    from cadre_desk.appraisal import racing
    from reports.excel import excel_workbooks

    field = racing.race_fields()[0]
    out = tmp_path / "赛马.xlsx"
    excel_workbooks.export_race(out, key=("race", field.kind, field.ref), reason="测试")
    (ws, chart), = _charts(out)
    assert chart.y_axis.numFmt.formatCode == "0" and not chart.y_axis.numFmt.sourceLinked
    assert chart.dataLabels.showSerName is False  # the bars say their totals only


def test_the_import_problem_report_prints_whole(demo_db, tmp_path):
    """The problem report had no page setup: printed, 行号/姓名/处理 came on one page and 问题 on another,
    20 pages for 40 rows, the long 问题 and 与已有档案的差异 cut at their first line."""
    from cadre_desk.exchange import imports
    from reports.excel import excel_roster

    roster = tmp_path / "花名册.xlsx"
    excel_roster.export_roster(roster, reason="测试")
    wb = openpyxl.load_workbook(roster)
    ws = wb.active
    headers = [c.value for c in ws[2]]
    for row in range(3, 20):
        ws.cell(row, headers.index("出生年月") + 1).value = "1990年13月"
        ws.cell(row, headers.index("民族") + 1).value = "汉"
    wb.save(roster)
    report = imports.save_problem_report(imports.analyze(roster), tmp_path / "问题.xlsx")
    ws = openpyxl.load_workbook(report).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$2"
    assert "&P" in ws.oddFooter.center.text
    assert _wrapped_rows_are_tall_enough(ws) > 0


def test_every_chart_of_the_statistics_workbook_has_the_screen_colours(stats_book):
    """The 工作台 sheet's pies had the screen's colours and the 性别 / 学历 sheets' pies the spreadsheet
    program's own: 女 orange on one sheet, red on the next (and other colours again in Excel)."""
    from cadre_desk.home.overview import CHART_COLOURS

    colours = [c.lstrip("#").upper() for c in CHART_COLOURS]
    for ws, chart in _charts(stats_book):
        series = chart.series[0]
        if chart.tagname == "pieChart":
            fills = [str(point.graphicalProperties.solidFill.srgbClr).upper() for point in series.dPt]
            assert fills == colours[:len(fills)] and len(fills) == _categories(chart), ws.title
        else:
            assert str(series.graphicalProperties.solidFill.srgbClr).upper() == colours[0], ws.title


def _ruled_ranges(ws) -> list[str]:
    return [str(cf.sqref) for cf in ws.conditional_formatting for rule in cf.rules
            if rule.formula == ["TRUE"] and rule.dxf is not None and rule.dxf.border is not None
            and all(getattr(rule.dxf.border, side).style == "thin" for side in ("left", "right", "top", "bottom"))]


def test_every_table_prints_ruled_from_its_header_to_its_last_row(demo_db, tmp_path):
    """A 花名册 or 统计表 handed to a superior printed as words floating on the page: no cell had a border
    and the sheets' print gridlines were off. Every table sheet is now ruled (one conditional format: the
    100,000-row roster stays a plain write), from its header row to its last row (合计 included)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    from cadre_desk.appraisal import racing
    from reports.excel import excel_roster, excel_stats, excel_workbooks, practices_workbooks

    books = {
        "花名册": lambda out: excel_roster.export_roster(out, reason="报送"),
        "统计": lambda out: excel_stats.export_stats(out, reason="报送"),
        "一线": lambda out: excel_workbooks.export_postings(out),
        "帮带": lambda out: excel_workbooks.export_mentoring(out),
        "考核": lambda out: excel_workbooks.export_appraisal(out),
        "赛马": lambda out: excel_workbooks.export_race(out, key=("race", racing.race_fields()[0].kind,
                                                                  racing.race_fields()[0].ref)),
        "体检": lambda out: practices_workbooks.export_checkups(out),
        "关爱": lambda out: practices_workbooks.export_care(out),
        "包抓": lambda out: practices_workbooks.export_liaisons(out),
    }
    tables = 0
    for name, write in books.items():
        out = tmp_path / f"{name}.xlsx"
        write(out)
        for ws in openpyxl.load_workbook(out).worksheets:
            if ws.auto_filter.ref is None:  # 工作台, 总览: blocks, not one table
                continue
            left, top, right, _bottom = range_boundaries(ws.auto_filter.ref)
            expected = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{ws.max_row}"
            assert _ruled_ranges(ws) == [expected], (name, ws.title, _ruled_ranges(ws), expected)
            tables += 1
    assert tables >= 12


def test_a_long_unit_name_wraps_in_the_statistics_tables(demo_db, tmp_path):
    """A unit's full name wider than its column (a 局 with its three 加挂 names) was cut off at the 人数
    column on paper in 单位, 职数汇总 and 职数: wrapped now, its row as tall as its lines."""
    from openpyxl.utils import get_column_letter

    from cadre_desk.profiles import cadres
    from cadre_desk.units import staffing, units
    from reports.excel import excel_stats
    from tests.conftest import make_profile

    long = "兴平市乡村振兴局（兴平市扶贫开发服务中心、兴平市农村社会事业发展促进中心、兴平市东西部协作办公室）"
    unit = units.create_unit(long)
    cadres.save_profile(make_profile(unit.id, name="欧阳晓梅"))
    staffing.set_approved(unit.id, {"0121": 1}, units.get_unit(unit.id).version)
    out = tmp_path / "统计.xlsx"
    excel_stats.export_stats(out, reason="报送")
    book = openpyxl.load_workbook(out)
    for title in ("单位", "职数汇总", "职数"):
        ws = book[title]
        cell = next(row[0] for row in ws.iter_rows(min_row=3) if row[0].value and long in str(row[0].value))
        width = ws.column_dimensions[get_column_letter(cell.column)].width
        lines = -(-text_units(cell.value) // int(width - 2))
        assert cell.alignment.wrap_text, title
        assert (ws.row_dimensions[cell.row].height or ONE_LINE) >= lines * ONE_LINE, (title, lines)
