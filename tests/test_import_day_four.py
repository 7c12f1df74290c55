"""Day four of the new clerk: a line a department typed under a person without merging the 姓名 (the rest of
a 现任职务 or a 备注 alone); a 年度考核 roster written in free text per year, or a column per year under a
merged 年度考核 header; one 学历学位 column mixing 全日制 and 在职. Each through the window and the command
line, without accounts (every unit) and as a clerk whose units are the 乡镇街道."""

from __future__ import annotations

import openpyxl
import pytest
import test_import_day_three as day_three
from conftest import acting_as
from corpus import id_number, xingping_units
from test_import_day_three import PASSWORD, _cli, _import_in_window, _preview_rows, _window

from cadre_desk.exchange import imports, row_checks
from cadre_desk.store.models import Cadre

clerk_account = day_three.clerk_account  # the towns' clerk (zhen), as day three signs in

BOTH_WAYS = pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])


def _signed_in_cli(*args) -> int:
    """The command line signed in as the towns' clerk (zhen)."""
    try:
        return _cli(*args)
    finally:  # the command's sign-in asks every later operator to sign in too: not the next test's
        from cadre_desk.access import scope

        scope.require_login(False)


# ---- a line with no name under a person -----------------------------------------------------------

def _continued_roster(path, *extra_rows):
    """马嵬街道's roster: 李娜's 现任职务 and 备注 typed on into row 4, nothing merged, 姓名 left empty; then
    ``extra_rows`` under 赵强 (row 5)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "出生年月", "身份证号", "单位", "现任职务", "任现职时间", "备注"])
    ws.append([1, "王伟", "男", "1986.05", id_number("19860512", "311"), "马嵬街道办事处", "马嵬街道办事处科员", "2012.07"])
    ws.append([2, "李娜", "女", "1988.05", id_number("19880515", "224"), "马嵬街道办事处", "马嵬街道党工委委员",
               "2016.03", "2023年挂职"])
    ws.append([None, None, None, None, None, None, "办事处副主任", None, "兴平市乡村振兴局6个月"])
    ws.append([3, "赵强", "男", "1985.07", id_number("19850715", "333"), "马嵬街道办事处", "马嵬街道办事处科员", "2015.01"])
    for row in extra_rows:
        ws.append(list(row))
    wb.save(path)
    return path


@BOTH_WAYS
def test_a_position_and_remark_typed_on_into_a_row_with_no_name_go_to_the_person_above(db, tmp_path, monkeypatch,
                                                                                        column_checks):
    """Row 4 had only the rest of 李娜's 现任职务 and 备注, 姓名 empty, nothing merged: it was refused as 姓名为空
    and her 现任职务 read as 马嵬街道党工委委员 alone. Now hers, the preview saying 第 3、4 行合为一人."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_continued_roster(tmp_path / "马嵬.xlsx"))
    assert [r.name for r in plan.rows] == ["王伟", "李娜", "赵强"], [(r.line, r.problems) for r in plan.rows]
    li = plan.rows[1]
    assert li.ok, li.problems
    assert any(w.startswith("第 3、4 行合为一人（第 4 行没有姓名，只接续现任职务、备注）") for w in li.warnings), li.warnings
    assert li.values["position"] == "马嵬街道党工委委员、办事处副主任"
    assert li.values["remarks"] == "2023年挂职\n兴平市乡村振兴局6个月"
    imports.commit(plan)
    assert Cadre.select().count() == 3
    assert Cadre.get(Cadre.name == "李娜").position == "马嵬街道党工委委员、办事处副主任"


@BOTH_WAYS
def test_a_row_with_no_name_giving_more_than_the_rest_of_a_text_stays_a_problem_naming_its_cell(
        db, tmp_path, monkeypatch, column_checks):
    """A row with no name under 赵强 giving a 任现职时间 too (H6) is no continuation; nor is a 备注 for all the people
    above under 周洁 (I10, 以上人员…): each a problem naming the cell, nothing joined to the person above. A 现任职务
    saying the post is vacant under 孙磊 (G8, an empty post's row) is no problem since day five: skipped, said in a
    note (test_import_day_five)."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    path = _continued_roster(tmp_path / "马嵬.xlsx", (None, None, None, None, None, None, "办事处副主任", "2021.03"),
                             (4, "孙磊", "男", "1983.07", None, "马嵬街道办事处", "马嵬街道办事处副主任", "2019.01"),
                             (None, None, None, None, None, None, "副主任（空缺）"),
                             (5, "周洁", "女", "1992.02", None, "马嵬街道办事处", "马嵬街道办事处科员", "2018.09"),
                             (None, None, None, None, None, None, None, None, "以上人员均为在职干部"))
    plan = imports.analyze(path)
    people = {r.name: r for r in plan.rows if r.name}
    assert [people[n].values["position"] for n in ("赵强", "孙磊", "周洁")] == [
        "马嵬街道办事处科员", "马嵬街道办事处副主任", "马嵬街道办事处科员"]
    assert all(people[n].ok and not people[n].joined for n in ("赵强", "孙磊", "周洁"))
    stray = {r.line: r.problems for r in plan.rows if not r.name}
    assert set(stray) == {6, 10}, stray
    assert stray[6] == ["姓名为空（B6 单元格），不导入：H6 单元格的任现职时间“2021.03”不是第 5 行赵强的续行"
                        "（没有姓名的行只能接续上一人的简历、奖惩情况、家庭成员、备注、现任职务）；若是同一人，请把该行内容移入其行"]
    assert "跳过 1 行空缺岗位（没有姓名，只有职务：第 8 行“副主任（空缺）”）" in plan.notes, plan.notes
    assert "I10 单元格的备注“以上人员均为在职干部”不是第 9 行周洁的续行" in stray[10][0], stray[10]


def test_the_row_with_no_name_through_the_window_without_accounts(qtbot, db, tmp_path):
    xingping_units()
    context, dialog = _window(qtbot, _continued_roster(tmp_path / "马嵬.xlsx"))
    shown = _preview_rows(dialog)
    assert set(shown) == {"王伟", "李娜", "赵强"}
    assert shown["李娜"]["问题"] == "" and "第 3、4 行合为一人" in shown["李娜"]["提示"]
    assert _import_in_window(qtbot, context, dialog).inserted == 3
    assert Cadre.get(Cadre.name == "李娜").position == "马嵬街道党工委委员、办事处副主任"


def test_the_row_with_no_name_as_the_towns_clerk_on_the_command_line(clerk_account, db_path, tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.setenv("CADRE_DESK_PASSWORD", PASSWORD)
    code = _signed_in_cli("--db", str(db_path), "--user", "zhen", "import", str(_continued_roster(tmp_path / "马嵬.xlsx")))
    out = capsys.readouterr().out
    assert code == 0 and "新增 3 人" in out, out
    assert "第 3 行 李娜：第 3、4 行合为一人（第 4 行没有姓名，只接续现任职务、备注）" in out, out
    assert Cadre.get(Cadre.name == "李娜").position == "马嵬街道党工委委员、办事处副主任"


# ---- a 年度考核 roster: a column per year under a merged header, or free text ----------------------

def _people_roster(path):
    """The cadres the 考核 rosters speak of: three of 马嵬街道, one of the 财政局."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "身份证号", "单位", "现任职务"])
    for name, gender, born, unit, position in PEOPLE:
        ws.append([name, gender, f"{born[:4]}.{born[4:6]}", id_number(born, "311" if gender == "男" else "224"), unit,
                   position])
    wb.save(path)
    return path


PEOPLE = [("王伟", "男", "19860512", "马嵬街道办事处", "马嵬街道办事处科员"),
          ("李娜", "女", "19880515", "马嵬街道办事处", "马嵬街道党工委委员、办事处副主任"),
          ("赵强", "男", "19850715", "马嵬街道办事处", "马嵬街道办事处科员"),
          ("孙磊", "男", "19830716", "兴平市财政局", "兴平市财政局副局长")]
# 2021 | 2022 | 2023 as the department typed them under 年度考核结果 (merged over the three)
YEARLY = {"王伟": ("优秀", "称职", "优秀等次"), "李娜": ("称职", "优秀（嘉奖）", "称职"),
          "赵强": ("基本称职", "/", "未考核"), "孙磊": ("称职", "称职", "2023年度优秀")}


def _yearly_roster(path, third_year="2023"):
    """兴平市's 年度考核 roster: a title, 年度考核结果 merged over three columns whose years are numbers in the
    row below (as Excel keeps a typed 2021), the other headers merged down over both rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市科级干部2021—2023年度考核结果汇总表"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "身份证号", "单位", "职务", "年度考核结果", None, None])
    ws.append([None, None, None, None, None, 2021, 2022, int(third_year)])
    ws.merge_cells("F2:H2")
    for column in "ABCDE":
        ws.merge_cells(f"{column}2:{column}3")
    for n, (name, gender, born, unit, position) in enumerate(PEOPLE, 1):
        ws.append([n, name, id_number(born, "311" if gender == "男" else "224"), unit, position, *YEARLY[name]])
    wb.save(path)
    return path


def _with_people(tmp_path):
    imports.commit(imports.analyze(_people_roster(tmp_path / "名册.xlsx")))


def _assessed(name):
    from cadre_desk.profiles import cadres

    return {a.year: a.result for a in cadres.get_profile(Cadre.get(Cadre.name == name).id).assessments}


def test_a_column_per_year_under_a_merged_header_is_read_year_by_year(db, tmp_path):
    """年度考核结果 merged over 2021 | 2022 | 2023 typed as numbers: the years' row was not seen as a header
    (2021.0), the first column read as free text (优秀 无法逐年识别) and the other two left out without a word.
    Now each its year's; 优秀等次, 2023年度优秀 in the 2023 column and 未考核 read; 优秀（嘉奖） read as 优秀, its
    嘉奖 said naming the cell."""
    xingping_units()
    _with_people(tmp_path)
    plan = imports.analyze(_yearly_roster(tmp_path / "考核.xlsx"))
    assert plan.kind == imports.ASSESSMENT and plan.header_rows == (2, 3)
    assert [c.target for c in plan.columns if c.header.startswith("20")] == ["year:2021", "year:2022", "year:2023"]
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    read = {r.name: {a.year: a.result for a in r.assessments} for r in plan.rows}
    assert read["王伟"] == {2021: "1", 2022: "2", 2023: "1"}
    assert read["李娜"] == {2021: "2", 2022: "1", 2023: "2"}
    assert read["赵强"] == {2021: "3", 2023: "9"}  # 未考核: 未参加考核
    assert read["孙磊"] == {2021: "2", 2022: "2", 2023: "1"}
    li = next(r for r in plan.rows if r.name == "李娜")
    assert "2022年度考核结果“优秀（嘉奖）”（G5 单元格）按“优秀”读入，其中“嘉奖”未导入（如是奖惩，请录入奖惩情况）" in li.warnings
    imports.commit(plan)
    assert _assessed("王伟") == {2021: "1", 2022: "2", 2023: "1"}


def test_a_year_cell_giving_another_year_or_no_result_is_a_problem_naming_it(db, tmp_path):
    """The 2023 column's 「2023年度优秀」 is its result; under 2024 it is a problem, as is 三等功 (no result)."""
    xingping_units()
    _with_people(tmp_path)
    YEARLY_BEFORE = dict(YEARLY)
    YEARLY["王伟"] = ("优秀", "称职", "三等功")
    try:
        plan = imports.analyze(_yearly_roster(tmp_path / "考核.xlsx", third_year="2024"))
    finally:
        YEARLY.update(YEARLY_BEFORE)
    problems = {r.name: r.problems for r in plan.rows}
    assert problems["王伟"] == ["2024年度考核结果“三等功”（H4 单元格）无效（应为 优秀、称职、基本称职、不称职、合格、基本合格、"
                               "不合格 等）"], problems
    assert problems["孙磊"][0].startswith("2024年度考核结果“2023年度优秀”（H7 单元格）无效"), problems


def test_a_column_with_no_header_is_said_with_its_cells(db, tmp_path):
    """A column whose header cell is empty (the years' row left blank over it): its cells were dropped without a
    word; now a note naming the column and its cells."""
    xingping_units()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "单位", None, "现任职务"])
    ws.append(["王伟", "男", "1986.05", "兴平市财政局", "2023年度优秀", "科员"])
    ws.append(["李娜", "女", "1988.05", "兴平市财政局", None, "科员", "借调"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx")
    assert "E、G 列没有列名，其中的内容未导入（如 E2、G3 单元格）：请在表头补上列名后重新导入" in plan.notes, plan.notes


FREE_TEXT = {"王伟": ("2021年度优秀、2022年度称职", {2021: "1", 2022: "2"}),
             "李娜": ("2023年：优秀", {2023: "1"}),
             "赵强": ("基本称职(2020)", {2020: "3"}),
             "孙磊": ("称职（2021）、优秀（2022）", {2021: "2", 2022: "1"}),
             "周洁": ("二〇二三年度优秀", {2023: "1"}),
             "吴刚": ("2021—2023年度均为称职", {2021: "2", 2022: "2", 2023: "2"}),
             "郑敏": ("连续三年考核称职", {})}


def _town_roster(path, column, people):
    """A town's roster with one more column, ``column``, given per person as each clerk wrote it
    (``people``: name -> (text, what it reads as))."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["马嵬街道办事处科级干部名册"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "姓名", "性别", "出生年月", "单位", "现任职务", column])
    for n, (name, (text, _)) in enumerate(people.items(), 1):
        ws.append([n, name, "女" if name in ("李娜", "周洁", "郑敏") else "男", f"198{n}.0{n}", "马嵬街道办事处",
                   "马嵬街道办事处科员", text])
    wb.save(path)
    return path


def _free_text_roster(path):
    """The people's 近三年年度考核情况 as each clerk wrote it."""
    return _town_roster(path, "近三年年度考核情况", FREE_TEXT)


@BOTH_WAYS
def test_free_text_per_year_with_the_year_after_the_result_is_read(db, tmp_path, monkeypatch, column_checks):
    """「基本称职(2020)」 was kept as text unread; 「称职（2021）、优秀（2022）」 read as 2021 优秀 (the 优秀 given to the
    year before it) and 2022 nothing; 「二〇二三年度优秀」 unread. Now each result goes to its year; what stays
    unread (连续三年考核称职) is said naming its cell and kept as written."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_free_text_roster(tmp_path / "马嵬.xlsx"))
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    read = {r.name: {a.year: a.result for a in r.assessments} for r in plan.rows}
    assert read == {name: years for name, (_, years) in FREE_TEXT.items()}
    zheng = next(r for r in plan.rows if r.name == "郑敏")
    assert any("“连续三年考核称职”（G9 单元格）无法逐年识别" in w for w in zheng.warnings), zheng.warnings
    imports.commit(plan)
    assert _assessed("孙磊") == {2021: "2", 2022: "1"}


def test_the_assessment_rosters_through_the_window_without_accounts(qtbot, db, tmp_path):
    xingping_units()
    _with_people(tmp_path)
    context, dialog = _window(qtbot, _yearly_roster(tmp_path / "考核.xlsx"))
    shown = _preview_rows(dialog)
    assert all(row["问题"] == "" for row in shown.values()), shown
    assert "G5 单元格" in shown["李娜"]["提示"]
    _import_in_window(qtbot, context, dialog)
    assert _assessed("赵强") == {2021: "3", 2023: "9"}
    context, dialog = _window(qtbot, _free_text_roster(tmp_path / "马嵬.xlsx"))
    shown = _preview_rows(dialog)
    assert "G9 单元格" in shown["郑敏"]["提示"], shown["郑敏"]


def test_the_assessment_rosters_as_the_towns_clerk_on_the_command_line(clerk_account, db_path, tmp_path, capsys,
                                                                       monkeypatch):
    """The towns' clerk: her three cadres' years are read, the 财政局's 孙磊 is not hers."""
    _with_people(tmp_path)
    monkeypatch.setenv("CADRE_DESK_PASSWORD", PASSWORD)
    code = _signed_in_cli("--db", str(db_path), "--user", "zhen", "import", str(_yearly_roster(tmp_path / "考核.xlsx")),
                          "--skip-invalid")
    out = capsys.readouterr().out
    assert "第 5 行 李娜：2022年度考核结果“优秀（嘉奖）”（G5 单元格）按“优秀”读入" in out, out
    assert "第 7 行 孙磊" in out and code == 1, out
    with acting_as("经办人", units=(clerk_account["兴平市"],)):  # who reads every unit's cadres
        assert _assessed("赵强") == {2021: "3", 2023: "9"} and _assessed("孙磊") == {}


# ---- one 学历学位 column with 全日制 and 在职 mixed ----------------------------------------------------

# (学历学位 as typed, (全日制学历, 全日制学位, 在职学历, 在职学位) codes)
EDUCATIONS = {"王伟": ("大学 工学学士", ("21", "408", None, None)),
              "李娜": ("在职研究生 管理学硕士", (None, None, "11", "312")),
              "赵强": ("全日制本科", ("21", None, None, None)),
              "孙磊": ("全日制大学本科学历、工学学士学位\n在职研究生 管理学硕士", ("21", "408", "11", "312")),
              "周洁": ("大专（在职大学）", ("31", None, "21", None)),
              "吴刚": ("中央党校大学", (None, None, "22", None)),
              "郑敏": ("大学肄业", (None, None, None, None))}


def _education_roster(path):
    """One 学历学位 column giving the 全日制 and the 在职 education as each clerk wrote them."""
    return _town_roster(path, "学历学位", EDUCATIONS)


_EDUCATION_KEYS = ("ft_education", "ft_degree", "pt_education", "pt_degree")


@BOTH_WAYS
def test_one_education_column_of_both_kinds_fills_the_full_time_and_the_part_time(db, tmp_path, monkeypatch,
                                                                                 column_checks):
    """学历学位 was a column not imported: nobody's 学历 read. Now 全日制 and 在职 apart, said naming the cell; an
    education saying neither is the 全日制 one (a 党校 one 在职), said; 「大学肄业」 a problem naming its cell."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_education_roster(tmp_path / "马嵬.xlsx"))
    assert next(c.target for c in plan.columns if c.header == "学历学位") == "edu:both"
    assert "学历学位" not in " ".join(plan.notes), plan.notes
    rows = {r.name: r for r in plan.rows}
    assert {name: tuple(r.values.get(k) for k in _EDUCATION_KEYS) for name, r in rows.items()} == {
        name: codes for name, (_, codes) in EDUCATIONS.items()}
    assert [name for name, r in rows.items() if not r.ok] == ["郑敏"]
    assert rows["郑敏"].problems[0].startswith("学历学位“大学肄业”（G9 单元格）中“大学肄业”无法识别为学历或学位")
    assert "学历学位“大学 工学学士”（G3 单元格）按全日制 大学、工学学士读入（未注明全日制或在职的“大学”按全日制）" \
        in rows["王伟"].warnings
    assert any(w.startswith("学历学位“全日制大学本科学历、工学学士学位 在职研究生 管理学硕士”（G6 单元格）按全日制 大学、"
                            "工学学士；在职 研究生、管理学硕士读入") for w in rows["孙磊"].warnings), rows["孙磊"].warnings
    assert any("“中央党校大学”按在职" in w for w in rows["吴刚"].warnings)
    imports.commit(plan)
    assert Cadre.select().count() == 6


def test_the_education_roster_through_the_window_and_as_the_towns_clerk(qtbot, clerk_account, db_path, tmp_path,
                                                                        capsys, monkeypatch):
    path = _education_roster(tmp_path / "马嵬.xlsx")
    context, dialog = _window(qtbot, path)
    shown = _preview_rows(dialog)
    assert "G9 单元格" in shown["郑敏"]["问题"] and "G4 单元格" in shown["李娜"]["提示"]
    dialog.close()
    monkeypatch.setenv("CADRE_DESK_PASSWORD", PASSWORD)
    code = _signed_in_cli("--db", str(db_path), "--user", "zhen", "import", str(path), "--skip-invalid")
    out = capsys.readouterr().out
    assert code == 1 and "新增 6 人" in out and "第 9 行 郑敏：学历学位“大学肄业”（G9 单元格）" in out, out
    with acting_as("经办人", units=(clerk_account["乡镇街道"],)):
        li = Cadre.get(Cadre.name == "李娜")
        assert (li.ft_education, li.pt_education, li.pt_degree) in ((None, "11", "312"), ("", "11", "312"))
