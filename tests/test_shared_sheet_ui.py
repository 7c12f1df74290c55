"""The 考核表 tab of a clerk on a sheet shared with other units: the 优秀 quota line is the whole sheet's."""

from __future__ import annotations

from tests.conftest import acting_as, make_profile


def test_the_quota_line_counts_the_whole_sheet_without_names(qtbot, db, unit):
    from cadre_desk.appraisal import appraisals, grading, schemes
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    other = units.create_unit("市税务局")
    mine = [cadres.save_profile(make_profile(unit.id, name=f"本单位{i}")).profile.id for i in range(2)]
    theirs = [cadres.save_profile(make_profile(other.id, name=f"外单位{i}")).profile.id for i in range(8)]
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    sheet = appraisals.create_sheet("2025年度考核", "2025", scheme.id, mine + theirs)
    grading.set_override(sheet.id, theirs[0], "优秀", "专项工作突出")
    with acting_as("经办人", units=(unit.id,)):
        page = AppraisalPage(AppContext(None))
        qtbot.addWidget(page)
        tab = page.show_sheet_tab()
        tab.reload_sheets(sheet.id)
        text = tab.summary.text()
        # 20 % of 10: 2 places (of the clerk's 2 alone it said 0), the other unit's 优秀 counted
        assert text.startswith("共 2 人") and "全表 10 人（另有 8 人不在您负责的单位）" in text, text
        assert "全表优秀 1 人（上限 20%，最多 2 人）" in text, text
        assert "外单位" not in text
