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
