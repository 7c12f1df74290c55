"""转正时间: the month a 预备党员 became a full member. 入党时间 stays the joining date as the 任免表 writes
it (its only box); 党龄 counts from 转正 (党章第七条), which rosters copied from a 党员 register carry
(「2008年6月入党（2009年6月转正）」, a 转正时间 column). It was said as not imported and lost; now it is a
field: the form, the list, the roster, the import, kept through a 任免表 (.lrmx has no element for it)."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from conftest import make_profile
from corpus import id_number, titled_roster, xingping_units

from cadre_desk.domain.errors import ValidationError
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres

WANG_ID = id_number("19860512", "311")


def _wang(unit_id: int, **values):
    return cadres.save_profile(make_profile(unit_id, name="王伟", birth="198605", id_number=WANG_ID,
                                            party="200806", political="01", **values)).profile


def test_a_database_of_version_21_gets_the_column_and_keeps_its_cadres(db_path):
    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    open_database(db_path)
    from cadre_desk.units import units

    unit = units.create_unit("市财政局")
    cadre_id = _wang(unit.id).id
    close_database()
    conn = sqlite3.connect(db_path)  # as version 21 left it: no column
    conn.execute('ALTER TABLE "cadre" DROP COLUMN "party_confirmed"')
    conn.execute("PRAGMA user_version = 21")
    conn.commit()
    conn.close()
    database = open_database(db_path)
    try:
        assert migrations.current_version(database) == migrations.LATEST >= 22
        profile = cadres.get_profile(cadre_id)
        assert profile.values["party"] == "200806" and profile.values["party_confirmed"] == ""
    finally:
        close_database()


def test_it_is_checked_against_the_joining_date(db, unit):
    with pytest.raises(ValidationError) as refused:
        _wang(unit.id, party_confirmed="200806")
    assert "转正时间应晚于入党时间 2008.06" in refused.value.errors["party_confirmed"]
    saved = cadres.save_profile(make_profile(unit.id, name="王伟", birth="198605", id_number=WANG_ID,
                                             party="200806", political="01", party_confirmed="2012.06"))
    assert saved.profile.values["party_confirmed"] == "201206"
    assert any("超过两年" in w for w in saved.warnings.values()), saved.warnings
    probation = cadres.save_profile(make_profile(unit.id, name="李娜", birth="198805", party="201007", political="02",
                                                 party_confirmed="201107"))
    assert "中共预备党员" in probation.warnings["party_confirmed"]


def test_the_form_edits_it_beside_the_joining_date(qtbot, db, db_path, unit):
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.shell.context import AppContext

    context = AppContext(db_path)
    cadre_id = _wang(unit.id).id
    dialog = ProfileDialog(context, cadre_id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    assert dialog.cells["party_confirmed"].editor.isVisible()
    dialog.cells["party_confirmed"].editor.setText("2009.06")
    assert dialog.save() is not False
    assert cadres.get_profile(cadre_id).values["party_confirmed"] == "200906"
    context.tasks.wait_all(5000)


def test_the_list_and_the_roster_show_it(db, unit, tmp_path):
    from cadre_desk.profiles.cadre_list import ID, CadreFilter, CadreIndex
    from reports.excel import excel_roster

    cadre_id = _wang(unit.id, party_confirmed="20090615").id
    index = CadreIndex.load()
    row = next(r for r in index.filter(CadreFilter()) if r[ID] == cadre_id)
    assert index.display(row, "party_confirmed") == "2009.06"
    out = tmp_path / "roster.xlsx"
    excel_roster.export_roster(out, ["name", "party", "party_confirmed"], [cadre_id], reason="测试")
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert dict(zip(rows[0], rows[1], strict=True)) | {"序号": None} == {
        "序号": None, "姓名": "王伟", "入党时间": "2008.06", "转正时间": "2009.06"}


def test_a_roster_column_or_the_joining_cell_gives_it(db, tmp_path):
    """A 转正时间 column is read; the 转正 written in the 入党时间 cell goes to it; the two saying different
    months is a problem naming both."""
    xingping_units()
    li = ("李娜", "女", "1988.05", "兴平市财政局", id_number("19880515", "224"))
    zhao = ("赵强", "男", "1985.07", "兴平市财政局", id_number("19850715", "333"))
    plan = imports.analyze(titled_roster(
        tmp_path / "r.xlsx", ("姓名", "性别", "出生年月", "单位", "身份证号", "入党时间", "转正日期"),
        ("王伟", "男", "1986.05", "兴平市财政局", WANG_ID, "2008.06", "2009.6"),
        (*li, "2010年7月入党（2011年7月转正）", None),
        (*zhao, "2008.06（2009.06转正）", "2010.06")))
    wang, li, zhao = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert (wang.values["party_confirmed"], li.values["party_confirmed"]) == ("200906", "201107")
    assert "转正日期" not in " ".join(plan.notes)  # a column imported, not among those left out
    (problem,) = zhao.problems
    assert "2009.06" in problem and "2010.06" in problem, problem
    imports.commit(plan)
    stored = {p.values["name"]: p.values["party_confirmed"] for p in (cadres.get_profile(r[0]) for r in cadres.list_rows())}
    assert stored == {"王伟": "200906", "李娜": "201107"}


def test_a_returned_lrmx_keeps_it_and_the_form_does_not_print_it(db, unit, tmp_path):
    """The .lrmx (the official editor's format) has no element for it: not written, and a 任免表 returned
    by a department and imported as an update leaves it as stored."""
    from reports.lrmx import lrmx

    cadre = _wang(unit.id, party_confirmed="200906", position="市财政局科员", work_start="200907")
    (path,) = lrmx.export_lrmx(tmp_path / "out", [cadre.id])
    text = path.read_bytes().decode("utf-8-sig")
    assert "200906" not in text and "<RuDangShiJian>200806</RuDangShiJian>" in text
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(tmp_path / "out", options)
    (row,) = plan.rows
    assert row.duplicate_id == cadre.id and all(d.key != "party_confirmed" for d in row.differences)
    imports.commit(plan, options)
    assert cadres.get_profile(cadre.id).values["party_confirmed"] == "200906"


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_a_recent_joining_date_written_as_probation_is_a_probationary_member(db, tmp_path, monkeypatch, column_checks):
    """「2026.01（预备）」 five months ago, no 政治面貌 column: read as a 中共党员 (如为预备党员请改正) though the cell
    said 预备. Within the year of 预备期 it is a 中共预备党员; an older 预备 is the stage the person joined at."""
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import add_months, format_date
    from cadre_desk.exchange import row_checks

    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    recent = format_date(add_months(clock.today().strftime("%Y%m"), -5))
    plan = imports.analyze(titled_roster(
        tmp_path / "r.xlsx", ("姓名", "性别", "出生年月", "单位", "身份证号", "入党时间"),
        ("王伟", "男", "1986.05", "兴平市财政局", WANG_ID, f"{recent}（预备）"),
        ("李娜", "女", "1988.05", "兴平市财政局", id_number("19880515", "224"), "2010.07（预备）")))
    wang, li = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert (wang.values["political"], li.values["political"]) == ("02", "01")
    assert any("按中共预备党员读入" in w for w in wang.warnings), wang.warnings


def test_an_lrmx_whose_joining_box_says_the_confirmation_too(db, tmp_path):
    """「2008年6月入党（2009年6月转正）」 typed into the editor's 入党时间 box was refused (“入党”不是民主党派名称):
    read as a roster's cell is, the 转正 to 转正时间, and 政治面貌 (none in an .lrmx) as 中共党员 with nothing to
    correct (转正 is said)."""
    from corpus import person, write_lrmx

    xingping_units()
    source = write_lrmx(tmp_path / "陈刚.lrmx", **person(RuDangShiJian="2008年6月入党（2009年6月转正）"))
    plan = imports.analyze(source)
    (row,) = plan.rows
    assert row.ok, row.problems
    assert "政治面貌为空，入党时间为 2008.06、转正时间为 2009.06，按中共党员读入" in row.warnings, row.warnings
    imports.commit(plan)
    (stored,) = [cadres.get_profile(r[0]) for r in cadres.list_rows()]
    assert (stored.values["party"], stored.values["party_confirmed"], stored.values["political"]) == \
        ("200806", "200906", "01")
