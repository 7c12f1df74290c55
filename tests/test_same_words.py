"""A superior reads the workbook a clerk hands over beside the screen the clerk showed: for every page with an
export, each column title of the page's table is in the workbook's header row, in the same words (a workbook
may say more), and the workbook holds the rows the table shows. The screen's model and the workbook are
built from the same small data (the demo database)."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt


def _titles(model) -> list[str]:  # the same words, though a narrow table may break one over two lines
    return [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", "") for c in range(model.columnCount())]


def _header(ws) -> list[str]:
    return [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True)) if c is not None]


def _rows(ws) -> int:
    """Rows of data under the header, a 合计 row left out (the 职数 sheet has one, its screen none)."""
    return sum(1 for row in ws.iter_rows(min_row=3, values_only=True)
               if any(v is not None for v in row) and row[0] != "合计")


def _pages(tmp_path):
    """(page, the screen's model with its rows, [the workbook's sheets that show that table])."""
    from cadre_desk.appraisal import appraisals, grading, racing
    from cadre_desk.care import care_items, talks
    from cadre_desk.checkups import checkup_sheets
    from cadre_desk.liaison import liaison
    from cadre_desk.mentoring import mentoring
    from cadre_desk.postings import postings
    from cadre_desk.profiles.cadre_list import CadreFilter, CadreIndex
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools
    from cadre_desk.units import staffing, units
    from reports.excel import excel_roster, excel_stats, excel_workbooks, practices_workbooks
    from ui.appraisal.ranking_tab import RankingTab, race_rows
    from ui.care.care_view import care_model, liaison_model, talk_model
    from ui.checkups.checkups_view import sheet_model, summary_model
    from ui.mentoring.pair_table import make_pair_table
    from ui.postings.posting_table import posting_model
    from ui.profiles.cadre_list import RosterModel
    from ui.supervision.supervision_view import supervision_model
    from ui.talent.talent_view import member_model
    from ui.units.units_view import STAFFING_COLUMNS
    from ui.widgets.rows_model import RowsModel

    def book(export, name: str, **options):
        out = tmp_path / f"{name}.xlsx"
        export(out, reason="测试", **options)  # the roster returns its count, the others the path
        return openpyxl.load_workbook(out)

    def shown(model, rows):
        model.set_rows(rows)
        return model

    pages = []
    index = CadreIndex.load()
    roster = RosterModel()
    roster.set_index(index, index.filter(CadreFilter()))
    pages.append(("干部名册", roster, [book(excel_roster.export_roster, "roster").worksheets[0]]))
    pages.append(("一线锻炼", shown(posting_model(), postings.visible_postings()),
                  book(excel_workbooks.export_postings, "postings").worksheets))
    pair_view, pair_model = make_pair_table()
    pair_model.view = pair_view  # the model is the view's child: it lives while the view does
    pages.append(("导师帮带", shown(pair_model, mentoring.visible_pairs()),
                  book(excel_workbooks.export_mentoring, "pairs").worksheets[:1]))  # then their 谈话记录

    ranking_tab = RankingTab(context=None, load=False)
    sheet = appraisals.list_sheets()[0]
    ranked = grading.ranking(sheet.id)
    pages.append(("考核结果及排名", shown(ranking_tab.model, ranked),
                  [book(excel_workbooks.export_appraisal, "appraisal", sheet_ids=[sheet.id]).worksheets[0]]))
    pages.append(("赛马比选（一张考核表）", shown(ranking_tab.model, ranked),
                  book(excel_workbooks.export_race, "sheet_race", key=("sheet", sheet.id)).worksheets[:1]))
    field = racing.race_fields()[0]
    key = ("race", field.kind, field.ref)
    pages.append(("赛马比选", shown(ranking_tab.race_model, race_rows(racing.load(key))),
                  [book(excel_workbooks.export_race, "race", key=key)["分组排名"]]))

    checks = book(practices_workbooks.export_checkups, "checkups")
    flt = checkup_sheets.SheetFilter()
    pages.append(("政治体检·核查对单", shown(sheet_model(), checkup_sheets.search(flt).rows), [checks["核查对单"]]))
    pages.append(("政治体检·单位汇总", shown(summary_model(), checkup_sheets.unit_summary(flt)), [checks["单位汇总"]]))
    pool = next(p for p in pools.list_pools() if p.member_count)
    pages.append(("专业干部库", shown(member_model(), pools.list_members(pool.id)),
                  [book(practices_workbooks.export_pools, "pool", pool_id=pool.id).worksheets[0]]))
    care = book(practices_workbooks.export_care, "care")
    pages.append(("谈心谈话", shown(talk_model(), talks.list_talks()), [care["谈心谈话"]]))
    pages.append(("关爱事项", shown(care_model(), care_items.list_care()), [care["关爱事项"]]))
    pages.append(("关爱事项·导出", shown(care_model(), care_items.list_care()),  # the tab's own 导出
                  [book(practices_workbooks.export_care_items, "care_items")["关爱事项"]]))
    pages.append(("包抓联系", shown(liaison_model(), liaison.list_liaisons()),
                  book(practices_workbooks.export_liaisons, "liaisons").worksheets))
    pages.append(("干部监督", shown(supervision_model(), supervision.list_records(None)),
                  book(practices_workbooks.export_supervision, "supervision").worksheets))
    # 单位 page's 职数 table (one unit at a time on the screen: here every unit's lines) and the 统计表's 职数
    lines = [line for unit in units.list_units() for line in staffing.unit_staffing(unit.id).lines]
    pages.append(("单位·职数", shown(RowsModel(STAFFING_COLUMNS), lines),
                  [book(lambda path, reason: excel_stats.export_stats(path, reason=reason), "stats")["职数"]]))
    return pages


# Deliberately not in a workbook: the roster list's 党派 (the 民主党派 of 入党时间) — the 花名册 writes it in
# 入党时间 (2001.08；民建), and a 党派 header would read back as 政治面貌 on import.
NOT_EXPORTED = {"干部名册": {"党派"}}


def test_every_screen_column_is_in_its_workbook_in_the_same_words(demo_db, qtbot, tmp_path):
    problems = []
    for page, model, sheets in _pages(tmp_path):
        assert model.rowCount(), f"{page}: the demo data shows no rows, nothing is compared"
        titles = [title for title in _titles(model) if title not in NOT_EXPORTED.get(page, ())]
        for ws in sheets:
            header = _header(ws)
            missing = [title for title in titles if title not in header]
            if missing:
                problems.append(f"{page}（{ws.title}）：表头缺少 {'、'.join(missing)}；导出表头为 {'、'.join(header)}")
            elif [t for t in header if t in titles] != titles:
                problems.append(f"{page}（{ws.title}）：列的次序与屏幕不同：{'、'.join(header)}")
        written = sum(_rows(ws) for ws in sheets)
        on_screen = sum(model.data(model.index(r, 0)) != "合计" for r in range(model.rowCount()))
        if written != on_screen:
            problems.append(f"{page}：屏幕 {on_screen} 行，导出 {written} 行")
    assert not problems, "\n".join(problems)
