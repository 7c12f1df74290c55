"""A department's 花名册 re-imported over cadres already there, with its 奖惩情况, 简历 and 家庭成员 cells:
「无」 (无。, （无）) clears the stored records on 更新已有 and is a difference in the preview, as an .lrmx's 无
is; an empty cell changes nothing; a 家庭成员 / 家庭主要成员 column of free text («妻子 李某某 1988.03 中共党员
某县第一中学教师；儿子 …», or one member a line) is read as the .lrmx reader reads its members."""

from __future__ import annotations

import openpyxl
import pytest
from corpus import id_number, person, write_lrmx, xingping_units

from cadre_desk.domain import clock, codes
from cadre_desk.domain.fields import FamilyItem, ResumeItem, RewardItem
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre

UPDATE = imports.ImportOptions(duplicate_action=imports.UPDATE)
RELATIONS, PARTIES = codes.table("GB4761"), codes.table("GB4762")
NUMBER = id_number("19860214", "377")
REWARD = RewardItem("201912", codes.table("REWARD_KIND").code("奖励"), "被评为优秀公务员", "")


def _department_roster(path, rows, family_header="家庭主要成员"):
    """A 花名册 as a department sends it: a merged title, a merged two-row header (基本情况 over 性别 |
    出生年月), the other headers merged down the two rows, a note under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "科级干部"
    ws.append(["兴平市财政局科级干部花名册"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "姓  名", "基本情况", None, "身份证号", "现任职务", "简历", "奖惩情况", family_header])
    ws.append([None, None, "性别", "出生年月", None, None, None, None, None])
    ws.merge_cells("C2:D2")
    for col in "ABEFGHI":
        ws.merge_cells(f"{col}2:{col}3")
    for n, (name, gender, birth, number, resume, rewards, family) in enumerate(rows, 1):
        ws.append([n, name, gender, birth, number, "兴平市财政局科员", resume, rewards, family])
    ws.append(["注：家庭主要成员按“称谓 姓名 出生年月 政治面貌 工作单位及职务”填写。"])
    wb.save(path)
    return path


def _stored(**records) -> int:
    made = xingping_units()
    profile = cadres.new_profile(made["兴平市财政局"])
    profile.values.update({"name": "陈刚", "gender": "1", "birth": "198602", "ethnicity": "汉族",
                           "id_number": NUMBER, "position": "兴平市财政局科员"})
    for key, items in records.items():
        setattr(profile, key, items)
    return cadres.save_profile(profile).profile.id


def _said(row) -> list[tuple[str, str, str]]:
    return [(d.label, d.old, d.new) for d in row.differences]


def _preview_first_row(qtbot, path):
    """The import window (1366×740) on ``path`` as an update, checked whole, its first row chosen:
    (the plan, the rows page)."""
    from ui.exchange.import_dialog import ImportDialog
    from ui.shell.context import AppContext

    plan = imports.analyze(path, UPDATE, first_rows=imports.PREVIEW_ROWS)
    dialog = ImportDialog(AppContext(), plan, UPDATE)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 740)
    dialog.show()
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=20000)
    page = dialog.rows
    page.view.setCurrentIndex(page.model.index(0, 1))
    return plan, page


# ---- 无 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("none", ["无", "无。", "（无）", " 无 ", "(无)"])
def test_a_roster_saying_no_rewards_clears_the_stored_ones_on_update_and_says_so(db, tmp_path, none):
    """奖惩情况「无」 left the stored rewards in place (and 「（无）」 was read as a reward called （无））."""
    cid = _stored(rewards=[REWARD])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, None, none, None)])
    skipped = imports.analyze(path)
    imports.commit(skipped, backup=False)
    assert len(cadres.get_profile(cid).rewards) == 1  # 跳过: kept
    plan = imports.analyze(path, UPDATE)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id == cid, row.problems
    assert _said(row) == [("奖惩情况", "2019.12 被评为优秀公务员", "无")]
    assert not row.unchanged(plan.kind)
    result = imports.commit(plan, UPDATE, backup=False)
    assert result.updated == 1 and cadres.get_profile(cid).rewards == []
    again = imports.analyze(path, UPDATE)  # none stored, none in the file: nothing to write
    assert again.rows[0].differences == () and again.rows[0].unchanged(again.kind)


@pytest.mark.parametrize("empty", ["", "  ", "—", "/", "-"])
def test_an_empty_cell_clears_nothing(db, tmp_path, empty):
    """Nor one filled with a dash or a slash so as not to stand empty (read, before, as a reward called —)."""
    cid = _stored(rewards=[REWARD], resume=[ResumeItem("200807", "", "兴平市财政局科员")],
                  family=[FamilyItem(RELATIONS.code("妻子"), "刘芳", "198802", "", "教师")])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, empty, empty, empty)])
    plan = imports.analyze(path, UPDATE)
    assert plan.rows[0].differences == () and plan.rows[0].unchanged(plan.kind)
    imports.commit(plan, UPDATE, backup=False)
    profile = cadres.get_profile(cid)
    assert (len(profile.rewards), len(profile.resume), len(profile.family)) == (1, 1, 1)


def test_resume_and_family_saying_none_behave_as_rewards_do(db, tmp_path):
    """简历「无」 was a problem (简历第 1 行“无”没有起止时间) where 奖惩情况「无」 was nothing: the three say none
    alike, and an update clears what is stored."""
    cid = _stored(resume=[ResumeItem("200807", "", "兴平市财政局科员")],
                  family=[FamilyItem(RELATIONS.code("妻子"), "刘芳", "198802", "", "教师")])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, "无", "", "（无）")])
    plan = imports.analyze(path, UPDATE)
    row = plan.rows[0]
    assert row.ok, row.problems
    assert _said(row) == [("简历", "2008.07--         兴平市财政局科员", "无"),
                          ("家庭成员", "妻子 刘芳 1988.02 教师", "无")]
    imports.commit(plan, UPDATE, backup=False)
    profile = cadres.get_profile(cid)
    assert (profile.resume, profile.family) == ([], [])


def test_an_lrmx_saying_no_rewards_shows_the_difference_and_clears_them(db, tmp_path):
    """An .lrmx update replaces the records, but its preview showed no difference for them: the clerk
    did not see that 「（无）」 clears the stored rewards (read, before, as a reward called （无））."""
    cid = _stored(rewards=[REWARD])
    source = write_lrmx(tmp_path / "chen.lrmx", **person(number=NUMBER, JiangChengQingKuang="（无）"))
    plan = imports.analyze(source, UPDATE)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id == cid, row.problems
    assert ("奖惩情况", "2019.12 被评为优秀公务员", "无") in _said(row)
    imports.commit(plan, UPDATE, backup=False)
    assert cadres.get_profile(cid).rewards == []


# ---- 家庭成员 ----------------------------------------------------------------------------------------------

FAMILY = "妻子 李某某 1988.03 中共党员 某县第一中学教师；儿子 王某 2015.06 学生"


def test_a_rosters_family_column_becomes_the_new_cadres_family(db, tmp_path):
    """The column was left out with a note (逐条的记录，不从名册的一列导入)."""
    xingping_units()
    lines = "爱人 孙丽 1987.08 群众 兴平市第二中学教师\n父亲 陈大山 已故\n大女儿 陈思 2012.03 学生\n母亲 王兰 74岁 群众 退休"
    path = _department_roster(tmp_path / "r.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), None, None, FAMILY),
        ("李娜", "女", "1986.05", id_number("19860512", "322"), None, None, lines)], family_header="家庭成员")
    plan = imports.analyze(path)
    assert {c.header: c.target for c in plan.columns}["家庭成员"] == "record:family"
    assert not any("家庭成员" in note for note in plan.notes), plan.notes
    wang, li = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert "家庭成员第 1 行称谓“爱人”按“丈夫”读入" in li.warnings  # by the cadre's 性别
    assert "家庭成员第 2 行出生日期“已故”：出生日期空着，工作单位及职务写“已故”" in li.warnings
    born = clock.today().year - 74  # no 填表时间 in a roster: the age is read by the clock
    assert any(w.startswith(f"家庭成员第 4 行出生日期“74岁”按年龄读作约 {born} 年出生") for w in li.warnings), li.warnings
    assert all(getattr(w, "field", "") == "family" for w in li.warnings if w.startswith("家庭成员"))
    result = imports.commit(plan, backup=False)
    family = {Cadre.get_by_id(cid).name: [(RELATIONS.name(m.relation), m.name, m.birth, PARTIES.name(m.political),
                                          m.work) for m in cadres.get_profile(cid).family] for cid in result.ids}
    assert family == {
        "王伟": [("妻子", "李某某", "198803", "中共党员", "某县第一中学教师"), ("儿子", "王某", "201506", "", "学生")],
        "李娜": [("丈夫", "孙丽", "198708", "群众", "兴平市第二中学教师"), ("父亲", "陈大山", "", "", "已故"),
                 ("长女", "陈思", "201203", "", "学生"), ("母亲", "王兰", "", "群众", "退休（出生日期原写“74岁”）")]}


def test_a_family_member_that_cannot_be_read_is_said_quoted_and_left_out(db, tmp_path):
    xingping_units()
    path = _department_roster(tmp_path / "r.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), None, None,
         "妻子李某某1988.03；儿子 王某 2015.06 学生；邻居 张三 1970.01；爱人 刘芳 已故")], family_header="家庭成员")
    row = imports.analyze(path).rows[0]
    assert row.ok, row.problems
    shape = "（每人应写作“称谓 姓名 出生年月 政治面貌 工作单位及职务”，如“妻子 李芳 1988.03 中共党员 兴平市第一中学教师”）"
    assert f"家庭成员第 1 行“妻子李某某1988.03”无法识别，未导入{shape}" in row.warnings, row.warnings
    assert f"家庭成员第 3 行“邻居 张三 1970.01”无法识别，未导入{shape}" in row.warnings
    assert [m.name for m in row.records["family"]] == ["王某", "刘芳"]
    assert "家庭成员第 4 行称谓“爱人”按“妻子”读入" in row.warnings  # the 4th member written, the 2nd read


def test_a_stored_family_that_differs_is_a_difference_replaced_only_on_update(db, tmp_path):
    cid = _stored(family=[FamilyItem(RELATIONS.code("妻子"), "李某某", "198803", PARTIES.code("中共党员"),
                                     "某县第一中学教师")])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, None, None, FAMILY)])
    skipped = imports.analyze(path)
    imports.commit(skipped, backup=False)
    assert len(cadres.get_profile(cid).family) == 1
    plan = imports.analyze(path, UPDATE)
    assert _said(plan.rows[0]) == [("家庭成员", "妻子 李某某 1988.03 中共党员 某县第一中学教师",
                                    "妻子 李某某 1988.03 中共党员 某县第一中学教师\n儿子 王某 2015.06 学生")]
    imports.commit(plan, UPDATE, backup=False)
    assert [m.name for m in cadres.get_profile(cid).family] == ["李某某", "王某"]
    again = imports.analyze(path, UPDATE)
    assert again.rows[0].differences == () and again.rows[0].unchanged(again.kind)


def test_an_exported_roster_with_a_family_column_as_the_program_writes_it_imports_back_unchanged(demo_db, tmp_path):
    """The program's 花名册 has no 家庭成员 column today; one written as lrmx_format.family_text writes a
    member (the form the preview shows) reads back to the stored family: 无变化 for every cadre."""
    from cadre_desk.exchange.lrmx_format import family_text
    from reports.excel import excel_roster

    out = tmp_path / "花名册.xlsx"
    excel_roster.export_roster(out, reason="测试")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    header = [cell.value for cell in ws[2]]
    column = len(header) + 1
    ws.cell(2, column, "家庭成员")
    by_number = {c.id_number: c.id for c in Cadre.select(Cadre.id, Cadre.id_number)}
    at = header.index("身份证号")
    members = 0
    for r in range(3, ws.max_row + 1):
        family = cadres.get_profile(by_number[ws.cell(r, at + 1).value]).family
        members += len(family)
        ws.cell(r, column, family_text(family))
    wb.save(out)
    assert members > 20  # the demo's cadres have families
    plan = imports.analyze(out, UPDATE)
    assert all(row.ok for row in plan.rows), [row.problems for row in plan.rows if row.problems][:3]
    assert {row.name: _said(row) for row in plan.rows if row.differences} == {}
    assert plan.counts()["unchanged"] == len(plan.rows)


def test_the_preview_shows_the_cleared_rewards_and_the_family_member_by_member(db, tmp_path, qtbot):
    """The differences pane of the import window: 奖惩情况 → 无, and a 家庭成员 of several lines with its
    members told apart on the cell's one line."""
    _stored(rewards=[REWARD], family=[FamilyItem(RELATIONS.code("妻子"), "李某某", "198803", PARTIES.code("中共党员"),
                                                 "某县第一中学教师")])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, None, "（无）", FAMILY)])
    plan, page = _preview_first_row(qtbot, path)
    model = page.differences
    shown = [tuple(model.data(model.index(r, c)) for c in range(3)) for r in range(model.rowCount())]
    assert shown == [("奖惩情况", "2019.12 被评为优秀公务员", "无"),
                     ("家庭成员", "妻子 李某某 1988.03 中共党员 某县第一中学教师",
                      "妻子 李某某 1988.03 中共党员 某县第一中学教师；儿子 王某 2015.06 学生")]
    assert "只写入以下 2 项不同的字段" in page.difference_title.text()


def test_a_spouse_written_as_such_with_no_gender_to_say_whose_is_said_and_left_out():
    from cadre_desk.exchange.lrmx_format import split_family

    notes: list[str] = []
    assert [m.name for m in split_family("爱人 刘芳 1988.02；儿子 王某 2015.06 学生", "", notes)] == ["王某"]
    assert notes == ["家庭成员第 1 行“爱人 刘芳 1988.02”的称谓“爱人”须按本人性别写作妻子或丈夫，未导入"]


# ---- nothing lost: a cell read in part never replaces what is stored --------------------------------

SHAPE = "（每人应写作“称谓 姓名 出生年月 政治面貌 工作单位及职务”，如“妻子 李芳 1988.03 中共党员 兴平市第一中学教师”）"
WIFE = FamilyItem(RELATIONS.code("妻子"), "刘芳", "198802", "", "教师")


def test_a_family_cell_read_in_part_keeps_the_stored_family_on_update_and_says_so(db, tmp_path):
    """A member that could not be read was left out, and 更新已有 replaced the stored family with the
    members read: 刘芳 was lost. The stored family now stays whole (no difference, nothing written) and
    the row says so; a new cadre still gets the members read, and a stored cadre with no family too."""
    cid = _stored(family=[WIFE])
    unit = cadres.get_profile(cid).values["unit"]
    other = cadres.save_profile(_profile("赵强", id_number("19800101", "315"), unit=unit)).profile.id
    path = _department_roster(tmp_path / "r.xlsx", [
        ("陈刚", "男", "1986.02", NUMBER, None, None, "妻子 刘芳 1988.02 教师；邻居 张三；儿子 陈某 2015.06 学生"),
        ("赵强", "男", "1980.01", id_number("19800101", "315"), None, None, "邻居 李四；儿子 赵某 2010.01 学生"),
        ("王伟", "男", "1985.10", id_number("19851003", "311"), None, None, "邻居 王五；女儿 王某 2012.03 学生")])
    plan = imports.analyze(path, UPDATE)
    chen, zhao, wang = plan.rows
    assert chen.ok and chen.duplicate_id == cid, chen.problems
    assert _said(chen) == []
    assert f"家庭成员第 2 行“邻居 张三”无法识别，已保留原有家庭成员，未更新{SHAPE}" in chen.warnings, chen.warnings
    assert not any("未导入" in w for w in chen.warnings)
    assert zhao.duplicate_id == other and _said(zhao) == [("家庭成员", "", "儿子 赵某 2010.01 学生")]  # nothing to lose
    assert f"家庭成员第 1 行“邻居 李四”无法识别，未导入{SHAPE}" in zhao.warnings
    assert wang.action == imports.INSERT and f"家庭成员第 1 行“邻居 王五”无法识别，未导入{SHAPE}" in wang.warnings
    result = imports.commit(plan, UPDATE, backup=False)
    assert (result.updated, result.inserted) == (1, 1)  # 陈刚 无变化
    assert [m.name for m in cadres.get_profile(cid).family] == ["刘芳"]
    assert [m.name for m in cadres.get_profile(other).family] == ["赵某"]
    new = next(i for i in result.ids if i not in (cid, other))
    assert [m.name for m in cadres.get_profile(new).family] == ["王某"]


def test_a_family_cell_none_of_which_can_be_read_keeps_the_stored_family_and_says_so(db, tmp_path):
    cid = _stored(family=[WIFE])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, None, None, "见附表")])
    plan = imports.analyze(path, UPDATE)
    row = plan.rows[0]
    assert row.ok and _said(row) == [] and row.unchanged(plan.kind), row.problems
    assert row.warnings == [f"家庭成员第 1 行“见附表”无法识别，已保留原有家庭成员，未更新{SHAPE}"]
    imports.commit(plan, UPDATE, backup=False)
    assert cadres.get_profile(cid).family == [WIFE]


def test_a_family_read_in_part_is_said_as_the_action_chosen_makes_it(db, tmp_path):
    """「…已保留原有家庭成员，未更新」 stayed when the clerk chose 两人都保留 for the row, whose new cadre
    gets the members read: the warning now follows the action chosen, and the choice checked again."""
    cid = _stored(family=[WIFE])
    path = _department_roster(tmp_path / "r.xlsx", [
        ("陈刚", "男", "1986.02", None, None, None, "邻居 张三；儿子 陈某 2015.06 学生")])
    plan = imports.analyze(path, UPDATE)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id == cid and imports.KEEP_BOTH in row.allowed_actions(), row.problems
    kept = f"家庭成员第 1 行“邻居 张三”无法识别，已保留原有家庭成员，未更新{SHAPE}"
    read = f"家庭成员第 1 行“邻居 张三”无法识别，未导入{SHAPE}"
    assert kept in row.warnings and read not in row.warnings
    assert imports.set_rows_action(plan, [row], imports.KEEP_BOTH) == 1
    assert read in row.warnings and kept not in row.warnings, row.warnings
    imports.set_rows_action(plan, [row], imports.UPDATE)
    assert kept in row.warnings and read not in row.warnings
    imports.set_rows_action(plan, [row], imports.KEEP_BOTH)
    imports.evaluate(plan, UPDATE)  # checked again (a unit chosen): the choice and its words stay
    assert row.action == imports.KEEP_BOTH and read in row.warnings and kept not in row.warnings
    result = imports.commit(plan, UPDATE, backup=False)
    assert result.inserted == 1 and cadres.get_profile(cid).family == [WIFE]
    new = next(i for i in result.ids if i != cid)
    assert [m.name for m in cadres.get_profile(new).family] == ["陈某"]


def test_the_preview_says_a_family_read_in_part_was_not_compared(db, tmp_path, qtbot):
    """The differences pane said 「表中各项与系统中相同，导入时不写入（无变化）」 of a row whose 家庭成员
    differs from the stored one but could not be read whole: it now says that the family was not
    compared and stays, on the title's one line."""
    _stored(family=[WIFE])
    path = _department_roster(tmp_path / "r.xlsx", [
        ("陈刚", "男", "1986.02", NUMBER, None, None, "邻居 张三；儿子 陈某 2015.06 学生")])
    plan, page = _preview_first_row(qtbot, path)
    title = page.difference_title.text()
    assert page.differences.rowCount() == 0 and plan.rows[0].unchanged(plan.kind)
    assert "表中各项与系统中相同" not in title, title
    assert title.endswith("表中其他各项与系统中相同，导入时不写入（无变化）；"
                          "家庭成员未能全部识别，未与系统中的比对，更新时保留原有家庭成员"), title
    assert page.difference_title.fontMetrics().horizontalAdvance(title) <= page.difference_title.width()


def test_a_resume_entry_without_its_words_is_a_problem_on_update_too(db, tmp_path):
    """「请填写简历第 1 条的经历」 was moved, as a missing field is, to what only a new cadre needs: 更新已有
    replaced the stored 简历 with an entry of no words. A 简历 line that cannot be read is never left
    out: it is a problem of the row (a first line without its period) or joins the line before."""
    cid = _stored(resume=[ResumeItem("200807", "", "兴平市财政局科员")])
    path = _department_roster(tmp_path / "r.xlsx", [("陈刚", "男", "1986.02", NUMBER, "1998.09--2002.07", None, None)])
    plan = imports.analyze(path, UPDATE)
    row = plan.rows[0]
    assert row.problems == ["请填写简历第 1 条的经历（单位及职务）"] and not row.insert_problems
    imports.commit(plan, UPDATE, backup=False)
    assert [r.text for r in cadres.get_profile(cid).resume] == ["兴平市财政局科员"]


def _profile(name: str, number: str, gender: str = "1", unit: int | None = None) -> cadres.CadreProfile:
    profile = cadres.new_profile(unit or xingping_units()["兴平市财政局"])
    profile.values.update({"name": name, "gender": gender, "birth": number[6:12], "ethnicity": "汉族",
                           "id_number": number, "position": "兴平市财政局科员"})
    return profile


@pytest.mark.parametrize(("gender", "spouse"), [("1", "妻子"), ("2", "丈夫")])
def test_a_spouse_on_update_is_read_by_the_stored_cadres_gender(db, tmp_path, gender, spouse):
    """A roster with neither 性别 nor 身份证号 left 爱人 out even when the row updates a stored cadre,
    whose 性别 says whose spouse it is."""
    cid = cadres.save_profile(_profile("陈刚", NUMBER if gender == "1" else id_number("19860214", "322"), gender)).profile.id
    path = _department_roster(tmp_path / "r.xlsx", [
        ("陈刚", None, None, None, None, None, "爱人 刘芳 1988.02 教师；儿子 陈某 2015.06 学生"),
        ("周敏", None, None, None, None, None, "爱人 孙丽 1987.08；儿子 周某 2014.02 学生")])
    plan = imports.analyze(path, UPDATE)
    chen, zhou = plan.rows
    assert chen.ok and chen.duplicate_id == cid, chen.problems
    assert f"家庭成员第 1 行称谓“爱人”按“{spouse}”读入" in chen.warnings, chen.warnings
    assert _said(chen) == [("家庭成员", "", f"{spouse} 刘芳 1988.02 教师\n儿子 陈某 2015.06 学生")]
    imports.commit(plan, UPDATE, backup=False)
    assert [(RELATIONS.name(m.relation), m.name) for m in cadres.get_profile(cid).family] == [
        (spouse, "刘芳"), ("儿子", "陈某")]
    # a new cadre without 性别: whose spouse is not known, said as before
    assert zhou.duplicate_id is None
    assert "家庭成员第 1 行“爱人 孙丽 1987.08”的称谓“爱人”须按本人性别写作妻子或丈夫，未导入" in zhou.warnings
    assert [m.name for m in zhou.records["family"]] == ["周某"]


NEIGHBOUR = ("<Item><ChengWei>儿子</ChengWei><XingMing>陈某</XingMing><ChuShengRiQi>201506</ChuShengRiQi></Item>"
             "<Item><ChengWei>邻居</ChengWei><XingMing>张三</XingMing><ChuShengRiQi>197001</ChuShengRiQi></Item>")


def test_an_lrmx_with_a_member_that_cannot_be_read_keeps_the_stored_family_on_update(db, tmp_path):
    """A 称谓 none of the code table's (邻居) refused the whole 任免表, where a roster's cell leaves the member
    out: the .lrmx now does as the roster does — a new cadre gets the members read, an update keeps the
    stored family whole and says so (its other fields are updated)."""
    cid = _stored(family=[WIFE])
    source = write_lrmx(tmp_path / "chen.lrmx", **person(number=NUMBER, JiaTingChengYuan=NEIGHBOUR))
    plan = imports.analyze(source, UPDATE)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id == cid, row.problems
    assert "家庭成员第 2 行“邻居 张三”的称谓“邻居”不在家庭关系代码表中，已保留原有家庭成员，未更新" in row.warnings, row.warnings
    assert not any(label == "家庭成员" for label, _old, _new in _said(row))
    assert ("现任职务", "兴平市财政局科员", "兴平市发展和改革局科员") in _said(row)
    imports.commit(plan, UPDATE, backup=False)
    profile = cadres.get_profile(cid)
    assert profile.family == [WIFE] and profile.values["position"] == "兴平市发展和改革局科员"
    # a new cadre: the members read, the one left out said
    other = write_lrmx(tmp_path / "wang.lrmx", **person(name="王伟", birth="198510", number=id_number("19851003", "311"),
                                                        JiaTingChengYuan=NEIGHBOUR))
    plan = imports.analyze(other)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id is None, row.problems
    assert "家庭成员第 2 行“邻居 张三”的称谓“邻居”不在家庭关系代码表中，未导入" in row.warnings, row.warnings
    new = imports.commit(plan, backup=False).ids[0]
    assert [m.name for m in cadres.get_profile(new).family] == ["陈某"]


def test_an_lrmx_without_gender_reads_a_spouse_by_the_gender_its_id_number_gives(db, tmp_path):
    """爱人 in a 任免表 whose 性别 is empty refused the file (称谓“爱人”不在家庭关系代码表中), though its
    身份证号 gives the 性别 the row is checked with. (A 任免表 with neither is refused: 请填写性别.)"""
    cid = _stored(family=[WIFE])
    spouse = "<Item><ChengWei>爱人</ChengWei><XingMing>刘芳</XingMing><ChuShengRiQi>198802</ChuShengRiQi></Item>"
    source = write_lrmx(tmp_path / "chen.lrmx", **person(number=NUMBER, XingBie="", JiaTingChengYuan=spouse))
    plan = imports.analyze(source, UPDATE)
    row = plan.rows[0]
    assert row.ok and row.duplicate_id == cid, row.problems
    assert "家庭成员第 1 行称谓“爱人”按“妻子”读入" in row.warnings, row.warnings
    assert ("家庭成员", "妻子 刘芳 1988.02 教师", "妻子 刘芳 1988.02") in _said(row)
    imports.commit(plan, UPDATE, backup=False)
    assert [(RELATIONS.name(m.relation), m.name) for m in cadres.get_profile(cid).family] == [("妻子", "刘芳")]
