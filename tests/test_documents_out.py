"""Files superiors receive (issue 19 item 6): the statistics workbook prints on A4 with its titles
and filters, and a dossier with an appraisal chart embeds every font it uses."""

from __future__ import annotations

import subprocess

import openpyxl


def test_statistics_workbook_print_setup_and_filters(demo_db, tmp_path):
    from reports.excel import excel_stats

    out = tmp_path / "stats.xlsx"
    excel_stats.export_stats(out, reason="报送")
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == "9", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        # 工作台: blocks, each with its own header row, none repeated (test_home); 总览: its title, as its
        # row 2 (在职干部总数 N) is data — it was printed on every page as if a header
        repeated = {"工作台": None, "总览": "$1:$1"}.get(ws.title, "$1:$2")
        assert ws.print_title_rows == repeated, ws.title
        if repeated == "$1:$2":  # every repeated row 2 is a header: bold, no number in it
            assert all(c.font.bold and not isinstance(c.value, int | float) for c in ws[2] if c.value is not None), \
                ws.title
    gender = wb["性别"]
    total_row = next(r for r in range(1, gender.max_row + 1) if gender.cell(r, 1).value == "合计")
    assert gender.auto_filter.ref == f"A2:C{total_row - 1}"  # the categories, not the 合计 row


def test_dossier_with_a_chart_embeds_every_font(demo_db, tmp_path):
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch

    ids = [c.id for c in Cadre.select(Cadre.id)]
    out = tmp_path / "all.pdf"
    batch.build_dossiers(ids, out_path=out, kind="dossier", reason="测试")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "各维度得分" in text  # some dossier has an appraisal chart (a reportlab Drawing)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    assert "Helvetica" not in fonts


def _header_units(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def test_every_header_of_a_workbook_fits_on_one_line(demo_db, tmp_path):
    """全日制学历毕业院校系及专业, 熟悉专业有何专长, 派出单位签署日期, 核定职数 … broke onto two lines in the
    header row: the registry's width hints are a screen's pixels, narrower than a bold header beside its
    filter button. Every filtered header now has its words' width and two units to spare."""
    from reports.excel import excel_roster, excel_stats, excel_workbooks

    keys = ["name", "birth", "ft_school", "pt_degree_school", "expertise", "ft_degree", "work_start"]
    excel_roster.export_roster(tmp_path / "花名册.xlsx", keys, reason="测试")
    excel_workbooks.export_postings(tmp_path / "一线.xlsx")
    excel_workbooks.export_mentoring(tmp_path / "帮带.xlsx")
    excel_stats.export_stats(tmp_path / "统计.xlsx")
    checked = set()
    for path in tmp_path.glob("*.xlsx"):
        for ws in openpyxl.load_workbook(path).worksheets:
            if not ws.auto_filter.ref:
                continue
            for cell in ws[2]:
                if not cell.value:
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                assert width >= _header_units(cell.value) + 2, (path.name, ws.title, cell.value, width)
                checked.add(cell.value)
    assert {"全日制学历毕业院校系及专业", "熟悉专业有何专长", "派出单位签署日期", "帮带对象评分", "核定职数"} <= checked


def test_mentoring_workbook_names_units_by_their_full_names(demo_db, tmp_path):
    """The 导师帮带结对情况表 said 县委办 and 柳湾镇 (the tree's 简称) where every other workbook says
    中共临江县委办公室: on paper, without the tree beside it, 县委办 of which county?"""
    from cadre_desk.units import units
    from reports.excel import excel_workbooks

    ws = openpyxl.load_workbook(excel_workbooks.export_mentoring(tmp_path / "帮带.xlsx")).active
    headers = [c.value for c in ws[2]]
    named = [row[headers.index(label)] for row in ws.iter_rows(min_row=3, values_only=True)
             for label in ("导师单位", "帮带对象单位")]
    full = set(units.full_names().values())
    assert named and all(name in full for name in named if name), set(named) - full


def test_portrait_labels_stay_on_one_line(demo_db):
    """The 干部画像 broke 全日制学历学位 into 全日制学历学 / 位 and 毕业院校系及专业 into 毕业院校系及 / 专业:
    its label columns were narrower than its longest labels."""
    from cadre_desk.portrait import portrait
    from cadre_desk.store.models import Cadre
    from reports.pdf import portrait as portrait_pdf

    shown = portrait.portrait(Cadre.select(Cadre.id).first().id)
    table = portrait_pdf._basics_table(shown)
    labels = [(row[col], col) for row in table._cellvalues for col in (0, 2) if row[col].text]
    assert {"全日制学历学位", "毕业院校系及专业", "参加工作时间", "职务层次/职级"} <= {cell.text for cell, _ in labels}
    for cell, col in labels:
        cell.wrap(table._colWidths[col] - 6, 1000)  # the table's 3 pt padding each side
        assert len(cell.blPara.lines) == 1, (cell.text, table._colWidths[col])


def test_dossier_and_portrait_print_scores_as_the_ranking_does(demo_db, tmp_path):
    """The dossier and the 干部画像 printed 总分 72.5 where the 考核结果及排名 workbook and the 赛马比选
    say 72.54 (and 72.46 too read 72.5): every document prints a score with two decimals."""
    from cadre_desk.portrait import portrait
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch

    datas = batch.gather_all([c.id for c in Cadre.select(Cadre.id)])
    data = next(d for d in datas if any(r.total is not None and r.dimension_scores for r in d.appraisals or ()))
    out = tmp_path / "档案.pdf"
    batch.build_dossiers([data.profile.id], out_path=out, kind="dossier", reason="测试")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for result in data.appraisals:
        assert result.total is None or f"{result.total:.2f}" in text, (result.sheet_title, result.total)
        for score in (s for s in result.dimension_scores.values() if s is not None):
            assert text.count(f"{score:.2f}") >= 2, (result.sheet_title, score)  # the table and the chart
    lines = dict(portrait.portrait(data.profile.id).sections[2].lines)
    result = next(r for r in data.appraisals if r.total is not None)
    assert f"{result.total:.2f}分" in lines[result.sheet_title]


def test_dossier_labels_stay_on_one_line():
    """The dossier's posting block broke the registry's “一对一”指导人 into “一对一”指导 / 人, and a record's
    季检查 2026年第4季度 into 季检查 2026年第4 / 季度: a label column is as wide as its longest label."""
    from cadre_desk.domain.fields import POSTING
    from reports.pdf import dossier

    table = dossier.kv_table([(POSTING.label_of("state"), "期满"), (POSTING.label_of("guide_name"), "唐帅林"),
                               ("季检查 2026年第4季度", "本季度工作主动性强")])
    for row in table._cellvalues:
        row[0].wrap(table._colWidths[0] - 8, 1000)  # the cell's 4 pt padding each side
        assert len(row[0].blPara.lines) == 1, (row[0].text, table._colWidths[0])


def test_a_long_text_wraps_inside_its_column(demo_db, tmp_path):
    """A printed 一线锻炼名册 cut 派出单位意见 (and 帮带目标, 反映问题 …) off at the next column: a text wider
    than its column now wraps inside it, top-aligned; a short one is left as it was."""
    from reports.excel import excel_workbooks

    excel_workbooks.export_postings(tmp_path / "一线.xlsx")
    excel_workbooks.export_mentoring(tmp_path / "帮带.xlsx")
    long_ones = 0
    for path in tmp_path.glob("*.xlsx"):
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    if not isinstance(cell.value, str):
                        continue
                    width = ws.column_dimensions[cell.column_letter].width
                    too_long = _header_units(cell.value) > width
                    assert bool(cell.alignment.wrap_text) == too_long, (path.name, cell.coordinate, cell.value)
                    long_ones += too_long
    assert long_ones


def test_bar_charts_keep_their_axes(demo_db, tmp_path):
    """openpyxl 3.1 leaves <c:delete val="0"/> out of a chart's axes and Excel then draws the bars of the
    statistics workbook without the categories' names or the scale: every bar chart says its axes stay."""
    from reports.excel import excel_stats

    excel_stats.export_stats(tmp_path / "统计.xlsx")
    bars = [c for ws in openpyxl.load_workbook(tmp_path / "统计.xlsx").worksheets for c in ws._charts
            if c.tagname == "barChart"]
    assert len(bars) > 3
    assert all(c.x_axis.delete is False and c.y_axis.delete is False for c in bars)


def test_a_long_roster_text_wraps_inside_its_column(db, unit, tmp_path):
    """On a printed 花名册 a long 现任职务 was cut off at the next column: its cells wrap, top-aligned."""
    from conftest import make_profile

    from cadre_desk.profiles import cadres
    from reports.excel import excel_roster

    position = "云江市住房和城乡建设局党组成员、副局长，市重点项目建设指挥部副指挥长"
    cadres.save_profile(make_profile(unit.id, name="张三", position=position))
    excel_roster.export_roster(tmp_path / "花名册.xlsx", ["name", "position", "unit"], reason="测试")
    ws = openpyxl.load_workbook(tmp_path / "花名册.xlsx").active
    cell = next(c for c in ws["C"] if c.value == position)
    assert ws.column_dimensions["C"].width < _header_units(position)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
