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
        assert ws.print_title_rows == "$1:$2", ws.title
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
