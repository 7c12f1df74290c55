"""The program's own 花名册 imported back: the clerk sees nothing to worry about — no title glued to a
column's name, no derived column (年龄) among the columns not imported, no differences."""

from __future__ import annotations

from cadre_desk.exchange import imports
from cadre_desk.settings import settings
from cadre_desk.store.models import Cadre

UPDATE = imports.ImportOptions(duplicate_action=imports.UPDATE)


def _exported(tmp_path, keys=None):
    from reports.excel import excel_roster

    out = tmp_path / "花名册.xlsx"
    excel_roster.export_roster(out, keys, reason="测试")
    return out, excel_roster.roster_title()


def test_an_exported_roster_imported_back_says_no_title_and_no_computed_column_as_not_imported(demo_db, tmp_path):
    """Its merged title row (中共云江市委组织部干部花名册（2026.06.15）) right above the header was glued to
    序号 and 年龄 among the columns not imported; 年龄, which the roster writes from 出生年月, was listed as
    a column the import does not know."""
    out, title = _exported(tmp_path)  # the list's columns: 年龄 among them
    assert settings.department().name and settings.department().name in title
    for first_rows in (None, imports.PREVIEW_ROWS):  # the command's whole read, the window's preview
        plan = imports.analyze(out, UPDATE, first_rows=first_rows)
        imports.check_rest(plan)
        assert plan.header_rows == (2,)
        assert not any(title in note or "花名册" in note for note in plan.notes), plan.notes
        assert not any("年龄" in note for note in plan.notes if note.startswith("未导入的列")), plan.notes
        assert "年龄为计算列，未导入" in plan.notes
        assert [c.header for c in plan.columns][:5] == ["序号", "姓名", "性别", "出生年月", "年龄"]
        assert len(plan.rows) == Cadre.select().count()
        assert all(row.ok for row in plan.rows), [row.problems for row in plan.rows if row.problems][:3]
        differing = {row.name: [(d.label, d.old, d.new) for d in row.differences] for row in plan.rows
                     if row.differences}
        assert differing == {}


def test_a_column_named_as_a_computed_one_is_said_once_and_a_field_of_that_name_still_imports(db, unit, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "年 龄", "党派", "备用"])
    ws.append(["张伟", "男", "1985.10", 40, "民建", "x"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx", imports.ImportOptions(default_unit_id=unit.id))
    assert {c.header: c.target for c in plan.columns}["党派"] == "political"  # a department's 党派: 政治面貌
    assert plan.notes == ["未导入的列：备用", "年龄为计算列，未导入"]


def test_the_roster_leaves_out_the_lists_party_column_its_joining_names_the_party(db, unit, tmp_path):
    """The screen's 党派 is not a roster column (see excel_roster's column list): 入党时间 names the 民主党派
    as the 任免表 does, and a 党派 header reads back as 政治面貌, which it would blank for a 中共党员."""
    import openpyxl
    from conftest import make_profile

    from cadre_desk.domain import codes
    from cadre_desk.domain.fields import PARTY_NAME
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadre_list import ROSTER_COLUMNS, ROSTER_DEFAULT
    from reports.excel import excel_roster

    assert PARTY_NAME in ROSTER_COLUMNS and PARTY_NAME in ROSTER_DEFAULT  # the list shows it
    assert PARTY_NAME not in excel_roster.EXPORT_COLUMNS and PARTY_NAME not in excel_roster.DEFAULT_KEYS
    political = codes.table("GB4762")
    for name, values in (("钱犇", {"political": political.code("民建"), "party": ""}),
                         ("周敏", {"political": political.code("中共党员"), "party": "200108；民建"}),
                         ("赵刚", {"political": political.code("中共党员"), "party": "200108"})):
        cadres.save_profile(make_profile(unit.id, name=name, **values))
    out, _title = _exported(tmp_path)
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[2]]
    assert "党派" not in header and "政治面貌" not in header
    joined = {row[1]: row[header.index("入党时间")] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert joined == {"钱犇": "民建", "周敏": "2001.08；民建", "赵刚": "2001.08"}
    plan = imports.analyze(out, UPDATE)
    assert {row.name: [(d.label, d.old, d.new) for d in row.differences] for row in plan.rows} == {
        "钱犇": [], "周敏": [], "赵刚": []}


def test_the_preview_of_an_exported_roster_has_nothing_alarming(demo_db, tmp_path, qtbot):
    """What the clerk reads above the import preview of the program's own 花名册: the header row, the
    computed 年龄 said as such, no title among the columns, no row with a problem or a difference."""
    from ui.exchange.import_dialog import ImportDialog
    from ui.shell.context import AppContext

    out, title = _exported(tmp_path)
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(out, options, first_rows=imports.PREVIEW_ROWS)
    dialog = ImportDialog(AppContext(), plan, options)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 740)
    dialog.show()
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=20000)
    said = dialog.info.text()
    assert "表头在第 2 行" in said and "年龄为计算列，未导入" in said
    assert title not in said and "花名册" not in said.split("\n", 1)[1]
    assert "有问题 0 行" in dialog.summary.text()
    assert not any(row.problems or row.warnings or row.differences for row in plan.rows)
