"""Day five of the new clerk: a 职数 table whose rows with no name are either the rest of the 现任职务 above or a
vacant post (副局长（空缺）, a post with nobody in it, 姓名 空缺), each row's reading shown in the preview and changed
there; and three departments' files (corpus_departments): 人社局's 出生年月 typed five ways with 民族 汉 / 汉族 and
政治面貌 党员 / 预备党员, 教育局's two-row header of 全日制教育 and 在职教育, 财政局's 合计 row, footer, hidden
columns and a sheet of notes. Through the core, the window and the command line."""

from __future__ import annotations

import corpus_departments as departments
import pytest
from corpus import xingping_units
from PySide6.QtCore import Qt
from test_import_day_four import _signed_in_cli, clerk_account  # noqa: F401 - the towns' clerk fixture
from test_import_day_three import PASSWORD, _import_in_window, _preview_rows, _window

from cadre_desk.exchange import continued_rows, imports, row_checks
from cadre_desk.store.models import Cadre

BOTH_WAYS = pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])

# ---- rows with no name and only a post -------------------------------------------------------------

JOINED = {4: 3, 8: 7, 10: 9, 15: 14, 17: 16}  # the rows read as the rest of the 现任职务 above: row → the person's
VACANT = (6, 12, 13, 18)
POSITIONS = {"王伟": "中共兴平市财政局党组书记、局长", "李娜": "兴平市财政局党组成员",
             "赵强": "兴平市财政局预算股股长（正科级）", "孙磊": "兴平市财政局国库股股长", "周洁": "兴平市财政局办公室主任",
             "吴刚": "兴平市财政局科员兼机关党支部书记", "郑敏": "兴平市财政局综合股副股长、办公室副主任"}


@pytest.mark.parametrize("text", ["副局长（空缺）", "副局长(缺)", "（空）", "缺", "空缺", "副局长 缺", "纪检组长（缺）",
                                  "暂缺", "副局长【空缺】"])
def test_a_post_saying_it_is_vacant(text):
    assert continued_rows.vacant(text)


@pytest.mark.parametrize("text", ["副局长", "空港新城管委会主任", "兴平市财政局科员"])
def test_a_post_not_saying_it_is_vacant(text):
    assert not continued_rows.vacant(text)


@BOTH_WAYS
def test_a_post_with_no_name_is_joined_when_it_reads_on_and_else_skipped_as_a_vacant_post(db, tmp_path, monkeypatch,
                                                                                         column_checks):
    """Every row with no name and only a 现任职务 was joined to the person above (总会计师 under 周洁's 办公室主任: her
    现任职务 read as 「兴平市财政局办公室主任、总会计师」), but one saying 空缺 refused as 姓名为空, and 「空缺」 in the
    姓名 cell taken for a person called so. Now joined only when it reads on (the cell above cut at 、 or mid-phrase,
    starting with （ or 兼, a 备注 going on too), else a vacant post skipped with a note; each row listed with why."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(departments.post_table(tmp_path / "职数.xlsx"))
    assert {r.name: r.values.get("position") for r in plan.rows} == POSITIONS, [(r.line, r.problems) for r in plan.rows]
    assert all(r.ok for r in plan.rows), [(r.line, r.problems) for r in plan.rows]
    read = {p.line: p for p in plan.post_rows}
    assert {line: p.choice for line, p in read.items()} == {**{line: continued_rows.JOIN for line in JOINED},
                                                           **{line: continued_rows.VACANT for line in VACANT}}
    assert {line: read[line].person_line for line in JOINED} == JOINED
    assert read[4].why == "上一行的现任职务“中共兴平市财政局党组书记、”在半句处断开"
    assert read[10].why == "上一行的现任职务“兴平市财政局国库股”不以职务名称结尾"
    assert read[17].why == "同一行还接续了备注"
    assert read[12].why == "上一行的现任职务“兴平市财政局办公室主任”已完整，“总会计师”是另一个职务，没有姓名"
    assert read[12].done() == "按空缺岗位跳过，不导入" and read[4].done() == "已接续第 3 行王伟的现任职务"
    assert read[13].text == "副局长" and read[13].why == "姓名栏为“空缺”，是单独的一个职务"
    assert read[6].why == "“副局长（空缺）”注明空缺"
    assert ("跳过 4 行空缺岗位（没有姓名，只有职务：第 6 行“副局长（空缺）”、第 12 行“总会计师”、第 13 行“副局长”、"
            "第 18 行“纪检组长（缺）”）") in plan.notes, plan.notes
    wu = next(r for r in plan.rows if r.name == "吴刚")
    assert any(w.startswith("第 14、15 行合为一人（第 15 行没有姓名，只接续现任职务）") for w in wu.warnings), wu.warnings
    imports.commit(plan)
    assert Cadre.select().count() == 7 and not Cadre.select().where(Cadre.name == "空缺").exists()


def test_the_clerk_changes_a_post_row_s_reading(db, tmp_path):
    """The clerk says 总会计师 is 周洁's too and 办公室副主任 is no part of 郑敏's: read so, said as her choice; a 副局长
    in the 姓名 空缺 row cannot go on (nobody's row is right above it) and stays a vacant post."""
    xingping_units()
    plan = imports.analyze(departments.post_table(tmp_path / "职数.xlsx"))
    imports.set_post_rows(plan, {12: continued_rows.JOIN, 17: continued_rows.VACANT, 13: continued_rows.JOIN})
    positions = {r.name: r.values.get("position") for r in plan.rows}
    assert positions["周洁"] == "兴平市财政局办公室主任、总会计师"
    assert positions["郑敏"] == "兴平市财政局综合股副股长"
    read = {p.line: p for p in plan.post_rows}
    assert read[12].chosen and read[12].why.startswith("手工指定（原按空缺岗位：")
    assert read[13].choice == continued_rows.VACANT and read[18].choice == continued_rows.VACANT
    assert "第 12 行" not in " ".join(plan.notes) and "第 17 行“办公室副主任”" in " ".join(plan.notes)


def _post_tab(dialog):
    from ui.exchange.import_post_rows import TITLE

    at = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i).startswith(TITLE))
    return dialog.tabs.tabText(at), dialog.tabs.widget(at)


def test_the_post_rows_shown_and_changed_in_the_window(qtbot, db, tmp_path):
    xingping_units()
    context, dialog = _window(qtbot, departments.post_table(tmp_path / "职数.xlsx"))
    title, panel = _post_tab(dialog)
    assert title == "只有职务的行（9）"
    assert dialog.tabs.currentWidget() is panel  # opened on it, not on 列对应: rows were joined and skipped
    shown = {panel.model.data(panel.model.index(r, 0)): panel.model.data(panel.model.index(r, 2))
             for r in range(panel.model.rowCount())}
    assert shown["12"] == "按空缺岗位跳过，不导入" and shown["4"] == "已接续第 3 行王伟的现任职务", shown
    assert "跳过 4 行空缺岗位" in dialog.info.text()
    row = next(r for r in range(panel.model.rowCount()) if panel.model.data(panel.model.index(r, 0)) == "12")
    panel.view.selectRow(row)
    qtbot.mouseClick(panel.join_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(p.line == 12 and p.chosen for p in dialog.plan.post_rows), timeout=30000)
    assert _preview_rows(dialog)["周洁"]["提示"].startswith("第 11、12 行合为一人")
    _, panel = _post_tab(dialog)
    assert "手工指定" in panel.model.data(panel.model.index(row, 3))
    assert _import_in_window(qtbot, context, dialog).inserted == 7
    assert Cadre.get(Cadre.name == "周洁").position == "兴平市财政局办公室主任、总会计师"


def test_a_roster_without_post_rows_has_no_such_tab(qtbot, db, tmp_path):
    xingping_units()
    _, dialog = _window(qtbot, departments.finance_roster(tmp_path / "财政局.xlsx"))
    assert all(not dialog.tabs.tabText(i).startswith("只有职务的行") for i in range(dialog.tabs.count()))
    assert dialog.tabs.currentWidget() is not dialog.post_rows


def test_the_post_rows_on_the_command_line(clerk_account, db_path, tmp_path, capsys, monkeypatch):  # noqa: F811
    """The towns' clerk: the 财政局's people are not hers, the vacant posts are said as skipped."""
    monkeypatch.setenv("CADRE_DESK_PASSWORD", PASSWORD)
    code = _signed_in_cli("--db", str(db_path), "--user", "zhen", "import",
                          str(departments.post_table(tmp_path / "职数.xlsx")), "--skip-invalid")
    out = capsys.readouterr().out
    assert "跳过 4 行空缺岗位（没有姓名，只有职务：第 6 行“副局长（空缺）”" in out, out
    assert "第 14 行 吴刚" in out and "新增 0 人" in out and code == 1, out
    assert Cadre.select().count() == 0


def test_the_post_rows_chosen_on_the_command_line(db, db_target, tmp_path, capsys):
    """--post-row 12=接续 --post-row 17=空缺 (the Excel rows the printout names), as the preview's tab would: 总会计师
    is 周洁's, 办公室副主任 no part of 郑敏's. A row that is no such row, a word that is neither, 接续 where nobody's
    row is right above, or two files: refused, the valid rows named, nothing imported."""
    from test_import_day_three import _cli

    xingping_units()
    table = str(departments.post_table(tmp_path / "职数.xlsx"))
    for extra, said in ((["--post-row", "5=接续"], "第 5 行不是只有职务的行（没有姓名、只填了现任职务的行）："
                                                 "本表只有职务的行是第 4、6、8、10、12、13、15、17、18 行"),
                        (["--post-row", "12=合并"], "“合并”不是可用的处理，只能是“接续”或“空缺”"),
                        (["--post-row", "十二=接续"], "写法不对，应为 --post-row 行号=接续 或 --post-row 行号=空缺"),
                        (["--post-row", "13=接续"], "第 13 行不能接续上一人（姓名栏为“空缺”，是单独的一个职务）"),
                        ([table, "--post-row", "12=接续"], "只对一个文件有效")):
        assert _cli("--db", db_target, "import", table, *extra) == 2, extra
        err = capsys.readouterr().err
        assert said in err and "未导入任何数据" in err, err
    assert Cadre.select().count() == 0
    code = _cli("--db", db_target, "import", table, "--post-row", "12=接续", "--post-row", "17＝空缺")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "只有职务的行：第 4、6、8、10、12、13、15、17、18 行；要改变其处理，请加 --post-row 行号=接续" in out, out
    assert "第 17 行“办公室副主任”" in out and "第 12 行“总会计师”" not in out, out
    assert Cadre.get(Cadre.name == "周洁").position == "兴平市财政局办公室主任、总会计师"
    assert Cadre.get(Cadre.name == "郑敏").position == "兴平市财政局综合股副股长"
    with pytest.raises(SystemExit):
        _cli("import", "--help")
    assert "--post-row 行号=接续|空缺" in capsys.readouterr().out

# ---- 人社局: 出生年月 five ways, 民族 汉, 政治面貌 党员 -----------------------------------------------------

@BOTH_WAYS
def test_births_typed_every_way_and_the_short_names_of_the_code_tables(db, tmp_path, monkeypatch, column_checks):
    """1986年5月, 88.03, 1985-7, full-width digits and 86.05 read (already); an Excel date serial (30498, a date cell
    formatted 常规) was read without a word: now said naming the month read. 党员 / 预备党员 / 中共预备党员 / 群众 are
    the code table's; 民族 汉 is a problem naming its cell with 汉族 suggested, imported as 汉族 when the clerk takes
    the suggestions."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    path = departments.hr_roster(tmp_path / "人社局.xlsx")
    plan = imports.analyze(path)
    rows = {r.name: r for r in plan.rows}
    assert {name: r.values.get("birth") for name, r in rows.items()} == departments.HR_BIRTHS
    assert {name: r.values.get("political") for name, r in rows.items()} == departments.HR_PARTIES
    assert "出生年月“30498”是 Excel 的日期序号（单元格不是日期格式），按 1983.07 读入，请核对" in rows["孙磊"].warnings
    assert rows["王伟"].problems == ["民族“汉”须填写代码表中的全称，是否为“汉族”？（E3 单元格）"]
    assert rows["王伟"].suggestions == {"ethnicity": "汉族"}
    assert [name for name, r in rows.items() if not r.ok] == ["王伟", "孙磊"]
    plan = imports.analyze(path, imports.ImportOptions(accept_suggestions=True))
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    assert {r.values["ethnicity"] for r in plan.rows} == {"01", "03"}
    imports.commit(plan)
    assert Cadre.get(Cadre.name == "赵强").political == "02" and Cadre.get(Cadre.name == "孙磊").birth == "198307"


# ---- 教育局: 全日制教育 / 在职教育 over 学历学位 | 毕业院校系及专业 -------------------------------------------

@BOTH_WAYS
def test_a_two_row_header_of_both_educations_with_their_schools(db, tmp_path, monkeypatch, column_checks):
    """The header read whole (全日制教育 / 在职教育 over 学历学位 and 毕业院校系及专业, already); 「在职研究生 管理学硕士」
    under 在职教育 was a problem (不在学历代码表中): now 研究生 and 管理学硕士 of the 在职 education, said."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(departments.education_roster(tmp_path / "教育局.xlsx"))
    assert plan.header_rows == (1, 2)
    assert [c.target for c in plan.columns[4:8]] == ["ft_education", "ft_school", "pt_education", "pt_school"]
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    rows = {r.name: r.values for r in plan.rows}
    keys = ("ft_education", "ft_degree", "ft_school", "pt_education", "pt_degree", "pt_school")
    assert {name: tuple(v.get(k) for k in keys) for name, v in rows.items()} == {
        "王伟": ("21", "408", "西北大学计算机系计算机科学与技术专业", "11", "312", "陕西师范大学教育管理专业"),
        "李娜": ("21", "405", "陕西师范大学中文系汉语言文学专业", None, None, None),
        "赵强": ("31", None, "咸阳师范学院数学系", "21", None, "中央党校函授学院经济管理专业")}
    wang = next(r for r in plan.rows if r.name == "王伟")
    assert "在职教育学历“在职研究生 管理学硕士”按学历“研究生”、学位“管理学硕士”读入" in wang.warnings, wang.warnings
    imports.commit(plan)
    assert Cadre.get(Cadre.name == "王伟").pt_degree == "312"


def test_the_part_time_kind_word_alone_is_taken_away_and_another_stays_a_problem(db, tmp_path):
    """「在职大学」 in the 在职 column is 大学, said; 「在职研究生」 in the 全日制 column is not taken for a 全日制 one."""
    from corpus import titled_roster

    xingping_units()
    path = titled_roster(tmp_path / "r.xlsx", ["姓名", "性别", "出生年月", "单位", "全日制学历", "在职学历"],
                         ["王伟", "男", "1986.05", "兴平市财政局", "大学", "在职大学"],
                         ["李娜", "女", "1988.03", "兴平市财政局", "在职研究生", None])
    rows = {r.name: r for r in imports.analyze(path).rows}
    assert rows["王伟"].ok and rows["王伟"].values["pt_education"] == "21"
    assert "在职教育学历“在职大学”按学历“大学”读入" in rows["王伟"].warnings, rows["王伟"].warnings
    assert not rows["李娜"].ok and "在职研究生" in rows["李娜"].problems[0]


# ---- 财政局: 合计, 填表人 / 审核人, hidden columns, a sheet of notes ---------------------------------------

def test_a_total_a_footer_hidden_columns_and_a_sheet_of_notes(db, tmp_path):
    """Already right, pinned: the 合计 row and the footer skipped and said, the hidden old 出生年月 left out (the
    shown one read), the hidden 联系电话 read and said, the 填表说明 sheet named as not read."""
    xingping_units()
    plan = imports.analyze(departments.finance_roster(tmp_path / "财政局.xlsx"))
    assert [r.name for r in plan.rows] == ["王伟", "李娜", "赵强"] and all(r.ok for r in plan.rows)
    assert [r.values["birth"] for r in plan.rows] == ["198605", "198803", "198507"]
    assert plan.notes[:3] == ["读取的是工作表“花名册”；工作簿中另有工作表：填表说明（未读取）", "跳过 1 行合计",
                              "跳过 1 行落款（填表人、审核人等）"], plan.notes
    assert "原表中隐藏的列与显示的列重复，未导入（以显示的列为准）：E 列（出生年月）同 D 列" in plan.notes
    assert "原表中隐藏的列也已读入：F 列（联系电话）。如不需要，请在“列对应”中改为不导入" in plan.notes
    with pytest.raises(imports.FileRefused, match="工作表“填表说明”中没有找到表头"):
        imports.analyze(tmp_path / "财政局.xlsx", sheet="填表说明")



def test_a_post_row_of_its_own_or_under_another_post_is_a_vacant_post_naming_why(db, tmp_path):
    """A row with no name whose 序号 is filled (a row of its own), and one under a vacant post's (nobody's row above
    it): each a vacant post, why said naming the cell; neither can be joined by the clerk."""
    from corpus import titled_roster

    xingping_units()
    path = titled_roster(tmp_path / "r.xlsx", ["序号", "姓名", "性别", "出生年月", "单位", "现任职务"],
                         [1, "王伟", "男", "1986.05", "兴平市财政局", "兴平市财政局局长"],
                         [2, None, None, None, None, "副局长"],
                         [None, None, None, None, None, "股长"])
    plan = imports.analyze(path)
    assert [r.name for r in plan.rows] == ["王伟"] and plan.rows[0].values["position"] == "兴平市财政局局长"
    read = {p.line: (p.choice, p.why, p.joinable) for p in plan.post_rows}
    assert read == {4: (continued_rows.VACANT, "另填了A4 单元格“2”（本行自己的内容），是单独的一个职务", False),
                    5: (continued_rows.VACANT, "上一行不是某人的行，是单独的一个职务", False)}
    imports.set_post_rows(plan, {4: continued_rows.JOIN})
    assert plan.rows[0].values["position"] == "兴平市财政局局长"


@pytest.mark.parametrize("clerk_chose_a_tab", [False, True], ids=["not-chosen", "chosen"])
def test_post_rows_found_later_turn_the_preview_to_their_tab_unless_the_clerk_chose_one(qtbot, db, tmp_path,
                                                                                        clerk_chose_a_tab):
    """Another sheet read (or the rest of a large file checked) finds rows with only a post: the preview
    turns to their tab, as when the file opened with them — not when the clerk has picked a tab."""
    xingping_units()
    _, dialog = _window(qtbot, departments.finance_roster(tmp_path / "财政局.xlsx"))
    assert dialog.tabs.indexOf(dialog.post_rows) < 0
    if clerk_chose_a_tab:
        chosen = dialog.rows if dialog.tabs.currentWidget() is dialog.mapping else dialog.mapping
        dialog.tabs.setCurrentWidget(chosen)  # as a click on the other tab does
    options = dialog.current_options()
    later = imports.analyze(departments.post_table(tmp_path / "职数.xlsx"), options)
    dialog.set_plan(later, options)
    qtbot.waitUntil(lambda: dialog.plan.complete and dialog.checking_task is None, timeout=60000)
    assert dialog.tabs.indexOf(dialog.post_rows) >= 0
    assert dialog.tabs.currentWidget() is (chosen if clerk_chose_a_tab else dialog.post_rows)

