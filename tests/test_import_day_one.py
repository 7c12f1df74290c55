"""Day one of a new clerk: the files the departments sent, imported as they come — a 任免表 typed
with its names padded to line up, a roster with a title, a two-row header, notes and a 合计 row."""

from __future__ import annotations

import pytest
from corpus import FAMILY, person, write_lrmx, xingping_units

from cadre_desk.exchange import imports
from cadre_desk.store.models import Cadre, FamilyMember


def test_a_name_padded_in_the_form_is_the_persons_name(db, tmp_path):
    """「陈　刚」 in an .lrmx (the editor's users pad two-character names as rosters do) was stored as
    “陈 刚”: found by nobody searching 陈刚, and the same person imported from a roster became two."""
    xingping_units()
    family = FAMILY.replace("<XingMing>刘芳</XingMing>", "<XingMing>刘\u3000芳</XingMing>")
    source = write_lrmx(tmp_path / "陈刚.lrmx", **person("陈\u3000刚", JiaTingChengYuan=family))
    plan = imports.analyze(source)
    (row,) = plan.rows
    assert row.ok, row.problems
    assert row.name == "陈刚"
    imports.commit(plan)
    cadre = Cadre.get(Cadre.name == "陈刚")
    assert [m.name for m in FamilyMember.select().where(FamilyMember.cadre == cadre.id)] == ["刘芳"]


def _roster(path, *rows, header=("序号", "姓名", "性别", "出生年月", "民族", "学历", "学位", "现任职务", "身份证号")):
    """A county roster: a title and a 填报单位 line above a one-row header, a 合计 row under the people."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市科级干部名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位（盖章）：", None, None, "填报时间：2024.3.15"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    ws.append(["合计", f"{len(rows)}人"])
    wb.save(path)
    return path


def test_the_dot_of_a_minority_name_is_one_dot_however_typed(db, tmp_path):
    """「阿依古丽•买买提」 (a bullet, as some input methods type it) was stored as typed: the same person
    from her 任免表 (阿依古丽·买买提) was no duplicate of her, and a search for either missed the other."""
    from corpus import id_number

    xingping_units()
    people = [(n, name, "女", "1986.10", "维吾尔族", "大学", "", "兴平市财政局科员", id_number("19861001", f"{n}24"))
              for n, name in enumerate(("阿依古丽•买买提", "古丽・艾买提", "米娜 ． 吐尔逊"), 1)]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", *people))
    assert [r.name for r in plan.rows] == ["阿依古丽·买买提", "古丽·艾买提", "米娜·吐尔逊"]
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    imports.commit(plan)
    assert Cadre.select().where(Cadre.name == "阿依古丽·买买提").count() == 1


def test_a_degree_written_with_the_word_degree_is_the_degree(db, tmp_path):
    """学位 「学士学位」 / 「工学硕士学位」 was refused (不在学位代码表中): the whole row not imported."""
    from corpus import id_number

    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "汉族", "大学", "学士学位", "兴平市财政局科员", id_number("19860512", "311")),
        (2, "李娜", "女", "1988.05", "汉族", "研究生", "工学硕士学位", "兴平市财政局科员", id_number("19880515", "224"))))
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    assert [r.values["ft_degree"] for r in plan.rows] == ["4", "308"]


def test_a_resume_dated_as_the_form_stores_dates_is_read_line_by_line(db, tmp_path):
    """简历 lines dated 200809-201207 (as the 任免表 stores dates, copied from another system) were no
    lines: each was glued onto the text of the line above, the whole 简历 one entry. A mark after the
    period (2015.06：…) stayed at the head of the text."""
    resume = ("200409-200807  西北大学经济学专业学生\n20080701-20150601 兴平市马嵬街道办事处科员\n"
              "2015.06—2019.11：兴平市财政局科员\n201911-  兴平市财政局副局长")
    stored = _imported_resume(tmp_path, resume)
    assert stored == [("200409", "200807", "西北大学经济学专业学生"), ("200807", "201506", "兴平市马嵬街道办事处科员"),
                      ("201506", "201911", "兴平市财政局科员"), ("201911", "", "兴平市财政局副局长")]


def test_a_refused_cell_is_named_as_excel_names_it(db, db_path, tmp_path, capsys):
    """A problem said the field's own name (全日制教育学位“硕士学位证”不在学位代码表中) while the sheet's
    column says 学位, under a title and a 填报单位 line: the clerk hunted for the cell. Now each problem
    of a field names its cell (G5), on the screen, in the problem report and on the command line."""
    from corpus import id_number
    from test_exchange import _cli

    xingping_units()
    path = _roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局科员", id_number("19860512", "311")),
        (2, "李娜", "女", "1988.05", "汉", "研究生", "硕士学位证", "兴平市财政局科员", float(id_number("19880515", "224"))))
    plan = imports.analyze(path)
    fine, bad = plan.rows
    assert fine.ok and bad.line == 5
    assert "全日制教育学位“硕士学位证”不在学位代码表中（G5 单元格）" in bad.problems
    assert "身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写（I5 单元格）" in bad.problems
    assert any(p.startswith("民族“汉”") and p.endswith("（E5 单元格）") for p in bad.problems), bad.problems
    _cli(["--db", str(db_path), "import", str(path), "--dry-run"])
    assert "第 5 行 李娜：" in capsys.readouterr().out


def test_a_csv_the_department_exported_is_refused_saying_how_to_import_it(db, tmp_path):
    """A 花名册 exported as CSV (GBK) was refused only as 不支持的文件类型“.csv”: the clerk was not told
    that one 另存为 in Excel makes it importable."""

    from cadre_desk.exchange.workbooks import FileRefused

    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,性别,出生年月\n王伟,男,1986.05\n".encode("gbk"))
    with pytest.raises(FileRefused, match="另存为 Excel 工作簿（.xlsx）后再导入"):
        imports.analyze(path)


def test_a_birth_written_to_the_day_that_differs_from_the_number_says_the_numbers_day(db, tmp_path):
    """ChuShengNianYue 19860512 (the editor allows the day) against a number of 1986-05-14 said
    “出生年月与身份证号不一致（身份证号为 1986.05）”: both read 1986.05 to the clerk, who saw no difference."""
    from corpus import id_number

    xingping_units()
    source = write_lrmx(tmp_path / "陈刚.lrmx", **person(birth="198605", ChuShengNianYue="19860512",
                                                         ShenFenZheng=id_number("19860514", "377")))
    (row,) = imports.analyze(source).rows
    assert "出生年月与身份证号不一致（身份证号为 1986.05.14）" in row.problems


def test_a_sex_written_as_a_word_is_the_tables_sex(db, tmp_path):
    """XingBie 「男性」 (a form filled by hand) was refused: 性别“男性”不在性别代码表中."""
    xingping_units()
    (row,) = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(XingBie="男性"))).rows
    assert row.ok, row.problems
    assert row.values["gender"] == "1"


def test_a_resume_typed_on_one_line_is_read_period_by_period(db, tmp_path):
    """A 简历 cell typed on one line, its periods apart by ； (2004.09-2008.07西北大学学生；2008.07-…) was
    one entry: the first period's text held the whole 简历, its later periods lost as periods. A ； inside
    （其间：…；…） stays in its entry."""
    resume = ("2004.09-2008.07西北大学学生；2008.07-2015.06 兴平市财政局科员（其间：2009.09--2011.07在市委党校学习；"
              "2012.03-2012.06在省财政厅跟岗）；2015.06-至今 兴平市财政局副局长")
    stored = _imported_resume(tmp_path, resume)
    assert stored == [
        ("200409", "200807", "西北大学学生"),
        ("200807", "201506", "兴平市财政局科员（其间：2009.09--2011.07在市委党校学习；2012.03-2012.06在省财政厅跟岗）"),
        ("201506", "", "兴平市财政局副局长")]


def test_the_command_line_says_a_refusal_in_one_sentence(db, db_path, tmp_path, capsys, monkeypatch):
    """A refusal ending in 。 was printed “系统管理员不能接触干部数据（三员分立）。；未导入任何数据。”."""
    from corpus import id_number
    from test_exchange import _cli

    from cadre_desk.domain.errors import CadreDeskError

    xingping_units()
    path = _roster(tmp_path / "roster.xlsx",
                   (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局科员", id_number("19860512", "311")))

    def refused(*_args, **_kwargs):
        raise CadreDeskError("系统管理员不能接触干部数据（三员分立）。")

    monkeypatch.setattr(imports, "commit", refused)
    assert _cli(["--db", str(db_path), "import", str(path)]) == 1
    assert "错误：系统管理员不能接触干部数据（三员分立）；未导入任何数据。" in capsys.readouterr().err


def test_a_family_member_whose_name_is_padded_keeps_the_name_whole(db, tmp_path):
    """「妻子　张　梅　1987.08　中共党员　兴平市第一中学教师」 (the names padded as the 任免表 lines them
    up) was read as a wife named 张 working at “梅 1987.08 中共党员 兴平市第一中学教师”, without a word."""
    from corpus import id_number

    xingping_units()
    family = "妻子　张　梅　1987.08　中共党员　兴平市第一中学教师\n父亲　王大山　1958.02　群众　已故"
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局科员", id_number("19860512", "311"), family),
        header=("序号", "姓名", "性别", "出生年月", "民族", "学历", "学位", "现任职务", "身份证号", "家庭主要成员")))
    (row,) = plan.rows
    assert row.ok, row.problems
    imports.commit(plan)
    stored = [(m.name, m.birth, m.work) for m in FamilyMember.select().order_by(FamilyMember.seq)]
    assert stored == [("张梅", "198708", "兴平市第一中学教师"), ("王大山", "195802", "已故")]


def test_the_signature_lines_under_a_roster_are_no_people(db, db_path, tmp_path, capsys):
    """填表人：张三 | 审核人：李四 | 联系电话：… under the people, 制表：干部科 or 说明：… in the 姓名 column:
    each came in as a person with three problems, and the command line refused the whole file for them."""
    import openpyxl
    from corpus import id_number
    from test_exchange import _cli

    xingping_units()
    path = _roster(tmp_path / "roster.xlsx",
                   (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局科员", id_number("19860512", "311")))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append(["填表人：张三", None, "审核人：李四", None, "联系电话：029-38812345"])
    ws.append([None, "制表：组织部干部科", None, None, "2024年3月15日"])
    ws.append([None, "说明：以上人员均为在职干部", None, "单位（盖章）"])
    wb.save(path)
    plan = imports.analyze(path)
    assert [r.name for r in plan.rows] == ["王伟"]
    assert "跳过 3 行落款（填表人、审核人等）" in plan.notes
    assert _cli(["--db", str(db_path), "import", str(path)]) == 0
    assert "新增 1 人" in capsys.readouterr().out


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_a_degree_in_brackets_after_the_education_is_read_as_the_degree(db, tmp_path, monkeypatch, column_checks):
    """学历 「研究生（硕士）」 was read as 研究生 and its 硕士 dropped without a word (an other name of
    研究生): the 学位 column empty, the profile had no 学位 at all."""
    from corpus import id_number

    from cadre_desk.exchange import row_checks

    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "汉族", "研究生（硕士）", "", "兴平市财政局科员", id_number("19860512", "311")),
        (2, "李娜", "女", "1988.05", "汉族", "研究生(硕士)", "法学硕士", "兴平市财政局科员", id_number("19880515", "224"))))
    wang, li = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert (wang.values["ft_education"], wang.values["ft_degree"]) == ("11", "3")
    assert "全日制教育学历“研究生（硕士）”按学历“研究生”、学位“硕士”读入" in wang.warnings
    assert (li.values["ft_education"], li.values["ft_degree"]) == ("11", "303")


def test_a_header_of_three_rows_keeps_the_degrees(db, tmp_path):
    """学历学位 over 全日制教育 | 在职教育, each over 学历 | 学位 (three header rows): the third was read as a
    person (姓名为空) and both 学位 columns were left out — not even named among the columns not imported."""
    import openpyxl
    from corpus import id_number

    xingping_units()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市科级干部名册"])
    ws.merge_cells("A1:K1")
    ws.append(["序号", "姓名", "性别", "出生年月", "学历学位", None, None, None, "现任职务", "任现职时间", "身份证号"])
    ws.append([None, None, None, None, "全日制教育", None, "在职教育", None, None, None, None])
    ws.append([None, None, None, None, "学历", "学位", "学历", "学位", None, None, None])
    for cells in ("E2:H2", "E3:F3", "G3:H3", *(f"{c}2:{c}4" for c in "ABCDIJK")):
        ws.merge_cells(cells)
    ws.append([1, "王伟", "男", "1986.05", "大学", "学士", "研究生", "法学硕士", "兴平市财政局副局长", "2021.09",
               id_number("19860512", "311")])
    wb.save(tmp_path / "roster.xlsx")
    plan = imports.analyze(tmp_path / "roster.xlsx")
    assert plan.header_rows == (2, 3, 4)
    (row,) = plan.rows
    assert row.ok and row.line == 5, row.problems
    assert [row.values[k] for k in ("ft_education", "ft_degree", "pt_education", "pt_degree")] == ["21", "4", "11", "303"]


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_a_systems_export_with_text_marks_and_times_is_read(db, tmp_path, monkeypatch, column_checks):
    """A roster exported by another system: 身份证号 kept as text with its mark ('610481…: “身份证号最多
    18 个字，现为 19 个字”) and dates with their time (2021-09-30 00:00:00: “无法识别的日期”)."""
    from corpus import id_number

    from cadre_desk.exchange import row_checks

    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986-05-12 00:00:00", "汉族", "大学", "学士", "兴平市财政局科员",
         "'" + id_number("19860512", "311"), "2021-09-30 00:00:00"),
        header=("序号", "姓名", "性别", "出生年月", "民族", "学历", "学位", "现任职务", "身份证号", "任现职时间")))
    (row,) = plan.rows
    assert row.ok, row.problems
    assert row.values["id_number"] == id_number("19860512", "311")
    assert (row.values["birth"], row.values["position_date"]) == ("19860512", "20210930")


def test_a_family_member_marked_deceased_after_the_name_has_the_name_alone(db, tmp_path):
    """<XingMing>刘大山（已故）</XingMing>: stored as the name, so the form printed “刘大山（已故）” with an
    age counted from his birth, as if alive; the form says 已故 in 工作单位及职务 and prints no age."""
    xingping_units()
    family = ("<Item><ChengWei>父亲</ChengWei><XingMing>刘大山（已故）</XingMing><ChuShengRiQi>195802</ChuShengRiQi>"
              "<ZhengZhiMianMao>群众</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>原兴平市农机厂工人</GongZuoDanWeiJiZhiWu></Item>")
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JiaTingChengYuan=family)))
    (row,) = plan.rows
    assert row.ok, row.problems
    assert any("刘大山（已故）" in w for w in row.warnings), row.warnings
    imports.commit(plan)
    (member,) = FamilyMember.select()
    assert (member.name, member.work) == ("刘大山", "原兴平市农机厂工人（已故）")


def test_a_unit_merged_over_its_people_is_each_ones_unit(db, tmp_path):
    """单位 | 兴平市财政局 merged down over the three people of that unit (A3:A5): only the first had a unit,
    the other two were refused (请填写单位) until the clerk unmerged and filled the cells in Excel."""
    from corpus import id_number, titled_roster

    units = xingping_units()
    plan = imports.analyze(titled_roster(
        tmp_path / "roster.xlsx", ("单位", "序号", "姓名", "性别", "出生年月", "职务", "身份证号"),
        ("兴平市财政局", 1, "王伟", "男", "1986.05", "局长", id_number("19860512", "311")),
        (None, 2, "李娜", "女", "1988.05", "副局长", id_number("19880515", "224")),
        (None, 3, "赵强", "男", "1985.07", "副局长", id_number("19850715", "333")),
        ("马嵬街道办事处", 4, "黄磊", "男", "1988.02", "主任", id_number("19880210", "355")),
        (None, 5, "张丽", "女", "1990.03", "副主任", id_number("19900301", "124")),
        merged=("A3:A5", "A6:A7")))
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    assert [r.unit_id for r in plan.rows] == [units["兴平市财政局"]] * 3 + [units["马嵬街道办事处"]] * 2
    assert "合并单元格 A3:A5、A6:A7 的内容按其中每一行读入" in plan.notes


def test_an_appraisal_not_graded_as_the_regulations_word_it_is_read(db, tmp_path):
    """「不确定等次」 (the regulations' words: 参加年度考核不确定等次) in a year's column was refused as
    无效, and in a 年度考核 text it was left unread; the table calls it 不定等次."""
    from corpus import id_number

    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "不确定等次", "2021年称职，2022年度未确定等次", id_number("19860512", "311"),
         "兴平市财政局科员"), header=("序号", "姓名", "性别", "出生年月", "2023年", "年度考核", "身份证号", "现任职务")))
    (row,) = plan.rows
    assert row.ok, row.problems
    assert sorted((a.year, a.result) for a in row.assessments) == [(2021, "2"), (2022, "8"), (2023, "8")]


def test_an_education_column_that_says_which_in_brackets_is_that_one(db, tmp_path):
    """学历（全日制） | 学历（在职）: the bracket was cut off and both were 学历, the 全日制 one's — the 在职
    column was not imported, and a roster with only 学历（在职） had it stored as the 全日制 education."""
    from corpus import id_number

    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "大学", "学士", "研究生", "法学硕士", "兴平市财政局科员", id_number("19860512", "311")),
        header=("序号", "姓名", "性别", "出生年月", "学历（全日制）", "学位（全日制）", "学历（在职）", "学位（在职）",
                "现任职务", "身份证号")))
    (row,) = plan.rows
    assert row.ok, row.problems
    assert [row.values.get(k) for k in ("ft_education", "ft_degree", "pt_education", "pt_degree")] == ["21", "4", "11", "303"]


def test_the_short_header_for_the_start_of_work_is_read():
    """参工时间 (the short header many county rosters use) was a column not imported."""
    from cadre_desk.exchange.headers import resolve_header

    assert resolve_header("参工时间") == "work_start"


def test_importing_the_same_file_again_writes_nothing_and_copies_nothing(db, db_path, tmp_path, capsys):
    """The second import of the same roster (every row already there: 跳过, or with --update 无变化) made a
    backup copy of the whole database for nothing written."""
    from corpus import id_number
    from test_exchange import _cli

    xingping_units()
    path = _roster(tmp_path / "roster.xlsx",
                   (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局科员", id_number("19860512", "311")))
    assert _cli(["--db", str(db_path), "import", str(path)]) == 0
    assert "导入前已备份数据库" in capsys.readouterr().out
    for again in ([], ["--update"]):
        assert _cli(["--db", str(db_path), "import", str(path), *again]) == 0
        said = capsys.readouterr().out
        assert "新增 0 人，更新 0 人" in said and "导入前已备份数据库" not in said, said


def _imported_resume(tmp_path, resume: str) -> list[tuple[str, str, str]]:
    """One 兴平市财政局 cadre's roster row with ``resume`` in its 简历 cell, checked and imported: the
    简历 entries stored, (start, end, text) in order."""
    from corpus import id_number

    from cadre_desk.store.models import ResumeEntry

    xingping_units()
    plan = imports.analyze(_roster(
        tmp_path / "roster.xlsx",
        (1, "王伟", "男", "1986.05", "汉族", "大学", "学士", "兴平市财政局副局长", id_number("19860512", "311"),
         resume), header=("序号", "姓名", "性别", "出生年月", "民族", "学历", "学位", "现任职务", "身份证号", "简历")))
    (row,) = plan.rows
    assert row.ok, row.problems
    imports.commit(plan)
    return [(e.start, e.end, e.text) for e in ResumeEntry.select().order_by(ResumeEntry.seq)]
