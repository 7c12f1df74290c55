"""Rosters as county departments send them, looked at the way a new clerk would on day one."""

from __future__ import annotations

from corpus import id_number, xingping_units

from cadre_desk.exchange import imports


def _grouped_header_roster(path):
    """基本情况 merged over 姓名 | 性别 | 出生年月, 政治面貌 over 入党时间, 全日制教育 over 学历 | 学位;
    序号, 现任职务 and 身份证号 merged down both header rows; a title and a 制表单位 line above."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市科级干部花名册"])
    ws.merge_cells("A1:J1")
    ws.append(["制表单位：中共兴平市委组织部", None, None, None, None, None, None, "制表日期：2024年3月15日"])
    ws.append(["序号", "基本情况", None, None, "政治面貌", "全日制教育", None, "现任职务", "身份证号", "备注"])
    ws.append([None, "姓名", "性别", "出生年月", "入党时间", "学历", "学位", None, None, None])
    ws.merge_cells("B3:D3")
    ws.merge_cells("F3:G3")
    for col in "AHIJ":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([1, "王芳", "女", "1986.05", "2008.06", "大学", "学士", "兴平市财政局副局长", id_number("19860512", "322")])
    wb.save(path)
    return path


def test_a_group_over_the_names_keeps_every_column(db, tmp_path):
    """The preview read only the lower header row: 现任职务 and 身份证号 (merged down) were dropped
    without a word, and every row said only 请填写单位."""
    units = xingping_units()
    plan = imports.analyze(_grouped_header_roster(tmp_path / "roster.xlsx"))
    assert plan.header_rows == (3, 4)
    targets = {c.header: c.target for c in plan.columns}
    assert targets["姓名"] == "name" and targets["出生年月"] == "birth" and targets["入党时间"] == "party"
    assert targets["现任职务"] == "position" and targets["身份证号"] == "id_number"
    assert targets["全日制教育学历"] == "ft_education"
    (row,) = plan.rows
    assert row.ok, row.problems
    assert row.unit_id == units["兴平市财政局"]
    assert row.values["id_number"] == id_number("19860512", "322") and row.values["party"] == "200806"


def test_a_total_line_under_the_people_is_no_person(db, tmp_path):
    """合计 | 1人 under the rows came in as a person called “1人” with three problems, and the command
    line refused the whole file for it."""
    import openpyxl

    xingping_units()
    path = _grouped_header_roster(tmp_path / "roster.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.append(["合  计", "1人"])
    wb.save(path)
    plan = imports.analyze(path)
    assert [r.name for r in plan.rows] == ["王芳"] and plan.rows[0].ok
    assert "跳过 1 行合计" in plan.notes


def test_a_second_sheet_is_named_not_silently_left_out(db, tmp_path, db_path, capsys):
    """A workbook with one sheet per kind of unit: the first was imported and the second left out
    without a word."""
    import openpyxl
    from test_exchange import _cli

    xingping_units()
    path = _grouped_header_roster(tmp_path / "roster.xlsx")
    wb = openpyxl.load_workbook(path)
    other = wb.create_sheet("乡镇干部")
    other.append(["序号", "姓名", "性别", "出生年月", "现任职务"])
    other.append([1, "黄磊", "男", "1988.02", "马嵬街道办事处副主任"])
    wb.save(path)
    plan = imports.analyze(path)
    assert [r.name for r in plan.rows] == ["王芳"]
    assert any("乡镇干部" in note and "未读取" in note for note in plan.notes), plan.notes
    _cli(["--db", str(db_path), "import", str(path), "--dry-run"])
    assert "另有工作表：乡镇干部" in capsys.readouterr().out
