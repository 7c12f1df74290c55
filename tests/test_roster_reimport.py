"""The program's own 花名册 imported back: the clerk sees nothing to worry about — no title glued to a
column's name, no derived column (年龄) among the columns not imported, no differences."""

from __future__ import annotations

import pytest

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
        assert not any(note.startswith("未导入的列") for note in plan.notes), plan.notes  # not 序号 either
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


def test_a_column_numbering_the_rows_is_left_out_without_a_note(db, unit, tmp_path):
    """序号 (编号, No.) counts the rows: 「未导入的列：序号」 read as data the import would lose."""
    import openpyxl

    for counter in ("序号", "序 号", "编号", "No.", "NO"):
        wb = openpyxl.Workbook()
        wb.active.append([counter, "姓名", "性别", "出生年月", "备用"])
        wb.active.append([1, "张伟", "男", "1985.10", "x"])
        wb.save(tmp_path / "r.xlsx")
        plan = imports.analyze(tmp_path / "r.xlsx", imports.ImportOptions(default_unit_id=unit.id))
        assert plan.notes == ["未导入的列：备用"], (counter, plan.notes)
        assert plan.rows[0].ok and plan.rows[0].values["name"] == "张伟"


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
    assert f"更新 0，无变化 {len(plan.rows)}）" in dialog.summary.text()  # not 更新 60: nothing changes
    assert {dialog.rows.model.data(dialog.rows.model.index(i, 3)) for i in range(len(plan.rows))} == {"无变化"}


def test_an_exported_roster_imported_back_counts_no_update_and_writes_nothing(demo_db, tmp_path):
    """The 60 cadres of the program's own 花名册 matched, no field different: it said 更新 60, as if 60
    profiles were about to change. Now 更新 counts rows with a difference, 无变化 the rest, and the
    import writes nothing for them (no version bumped, no audit row per cadre)."""
    from cadre_desk.security import audit
    from cadre_desk.store.models import AuditLog

    out, _title = _exported(tmp_path)
    changed = Cadre.select().order_by(Cadre.id).first()
    Cadre.update(ethnicity="").where(Cadre.id == changed.id).execute()  # the file's 民族 now differs
    plan = imports.analyze(out, UPDATE)
    counts = plan.counts()
    total = Cadre.select().count()
    assert (counts["updated"], counts["unchanged"]) == (1, total - 1)
    assert [row.name for row in plan.rows if not row.unchanged(plan.kind)] == [changed.name]
    versions = dict(Cadre.select(Cadre.id, Cadre.version).tuples())
    audited = AuditLog.select().count()
    result = imports.commit(plan, UPDATE, backup=False)
    assert (result.updated, result.unchanged, result.ids) == (1, total - 1, (changed.id,))
    after = dict(Cadre.select(Cadre.id, Cadre.version).tuples())
    assert {cid for cid in after if after[cid] != versions[cid]} == {changed.id}
    assert AuditLog.select().count() == audited + 2  # the one cadre updated, the import
    line = audit.entries(1, action=audit.IMPORT)[0].summary
    assert f"更新 1 人，无变化 {total - 1} 人" in line


def test_years_of_assessment_already_stored_are_no_change_and_other_years_are_a_difference(db, unit, tmp_path):
    import openpyxl
    from conftest import make_profile

    from cadre_desk.domain.fields import AssessmentItem
    from cadre_desk.profiles import cadres

    for name, birth in (("张伟", "198510"), ("李娜", "199002")):
        profile = make_profile(unit.id, name=name, birth=birth)
        profile.assessments = [AssessmentItem(2023, "1", "", "录入")]  # 优秀
        cadres.save_profile(profile)
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "出生年月", "2023年度考核"])
    wb.active.append(["张伟", "1985.10", "优秀"])
    wb.active.append(["李娜", "1990.02", "称职"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx", UPDATE)
    assert {row.name: row.unchanged(plan.kind) for row in plan.rows} == {"张伟": True, "李娜": False}
    li = plan.rows[1]
    assert [(d.label, d.old, d.new) for d in li.differences] == [("年度考核", "2023年优秀", "2023年称职")]
    result = imports.commit(plan, UPDATE, backup=False)
    assert (result.updated, result.unchanged) == (1, 1)
    results = {p.values["name"]: [(a.year, a.result) for a in p.assessments]
               for p in (cadres.get_profile(c.id) for c in Cadre.select())}
    assert results == {"张伟": [(2023, "1")], "李娜": [(2023, "2")]}


@pytest.mark.sqlite_only
def test_the_command_says_no_change_for_an_exported_roster(demo_db, db_path, tmp_path, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    out, _title = _exported(tmp_path)
    total = Cadre.select().count()
    close_database()
    main(["--db", str(db_path), "import", "--update", str(out)])
    said = capsys.readouterr().out
    assert f"与已有干部重复 {total} 行（更新 0 行，无变化 {total} 行）" in said
    assert f"导入完成：新增 0 人，更新 0 人，无变化 {total} 人，" in said
