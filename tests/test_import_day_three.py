"""Day three of the new clerk: files shaped as departments make them that the first two days did not
meet — a person typed on two rows (姓名 merged down, the row below going on with a long 简历 or 现任职务);
a 干部名册 whose 出生年月 is typed six ways beside a 年龄 column; a 任免表 from the official editor (全角
spaces, 「——」 between dates, 称谓 长子 / 次女 / 岳父); a roster whose 现任职务 carries the unit and has no 单位
column. Each through the window and the command line, without accounts (every unit) and as a clerk
whose units are the 乡镇街道."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import acting_as
from corpus import id_number, person, write_lrmx, xingping_units
from PySide6.QtCore import Qt

from cadre_desk.domain import clock
from cadre_desk.exchange import imports, row_checks
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre, Unit

BOTH_WAYS = pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
PASSWORD = "Passw0rd!2026"


def _cli(*args) -> int:
    from test_exchange import _cli as run

    return run(list(args))


def _window(qtbot, path, options: imports.ImportOptions | None = None):
    """The window's own way in (导入干部名册 / 导入任免表): read in the background, the preview shown and
    every row checked."""
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    context = AppContext()
    import_dialog.start_import(context, path, "导入干部名册", options)
    qtbot.waitUntil(lambda: getattr(context, "_exchange_dialog", None) is not None, timeout=60000)
    dialog = context._exchange_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan.complete and dialog.checking_task is None, timeout=60000)
    return context, dialog


def _preview_rows(dialog) -> dict[str, dict[str, str]]:
    """The preview's 数据检查 table as the clerk reads it: 姓名 → {column title: text}."""
    model = dialog.model
    titles = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    rows = [{title: str(model.data(model.index(r, c)) or "") for c, title in enumerate(titles)}
            for r in range(model.rowCount())]
    return {row["姓名"]: row for row in rows}


def _import_in_window(qtbot, context, dialog):
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=60000)
    context.tasks.wait_all(5000)
    return dialog.result_value


@pytest.fixture
def clerk_account(db):
    """A 经办人 account (zhen) whose units are the 乡镇街道, as the command line logs in with."""
    from cadre_desk.access.roles import ROLE_ADMIN, ROLE_CLERK
    from cadre_desk.security import accounts

    made = xingping_units()
    accounts.create_user(accounts.UserInfo(None, "admin", "张管理", (ROLE_ADMIN,)), PASSWORD)
    with acting_as(ROLE_ADMIN):
        accounts.create_user(accounts.UserInfo(None, "zhen", "乡镇经办", (ROLE_CLERK,), (made["乡镇街道"],)), PASSWORD)
    return made


# ---- a person typed on two rows ------------------------------------------------------------------

def _two_row_roster(path, second_row_birth=None):
    """As a town sends it: a title and a 填报单位 line, the header on row 3; 王伟 on row 4; 李娜 on rows 5
    and 6 with 序号, 姓名, 性别, 出生年月 and 身份证号 merged down over both, row 6 carrying the rest of her
    简历 and of her 现任职务; 赵强 on row 7."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["马嵬街道办事处科级干部名册"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位（盖章）：马嵬街道办事处", None, None, None, None, "填报时间：2024.3.15"])
    ws.append(["序号", "姓名", "性别", "出生年月", "身份证号", "单位", "现任职务", "简历"])
    ws.append([1, "王伟", "男", "1986.05", id_number("19860512", "311"), "马嵬街道办事处", "马嵬街道办事处科员",
               "2008.09--2012.07 西北大学学习\n2012.07--     马嵬街道办事处科员"])
    ws.append([2, "李娜", "女", "1988.05", id_number("19880515", "224"), "马嵬街道办事处", "马嵬街道党工委委员、",
               "2006.09--2010.07 陕西师范大学学习\n2010.07--2016.03 马嵬街道办事处科员"])
    ws.append([None, None, None, second_row_birth, None, None, "办事处副主任", "2016.03--     马嵬街道党工委委员、办事处副主任"])
    ws.append([3, "赵强", "男", "1985.07", id_number("19850715", "333"), "马嵬街道办事处", "马嵬街道办事处科员", ""])
    for column in "ABCE" if second_row_birth else "ABCDE":
        ws.merge_cells(f"{column}5:{column}6")
    wb.save(path)
    return path


@BOTH_WAYS
def test_a_person_typed_on_two_rows_going_on_with_text_is_one_person(db, tmp_path, monkeypatch, column_checks):
    """李娜 on rows 5 and 6 (姓名 merged down, row 6 only the rest of her 简历 and 现任职务) was refused as
    typed on two rows, to be retyped in Excel: now one person, the preview saying 第 5、6 行合为一人."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_two_row_roster(tmp_path / "马嵬.xlsx"))
    assert [r.name for r in plan.rows] == ["王伟", "李娜", "赵强"]
    li = plan.rows[1]
    assert li.ok, li.problems
    assert any(w.startswith("第 5、6 行合为一人") and "现任职务、简历" in w for w in li.warnings), li.warnings
    assert li.values["position"] == "马嵬街道党工委委员、办事处副主任"
    imports.commit(plan)
    profile = cadres.get_profile(Cadre.get(Cadre.name == "李娜").id)
    assert [(r.start, r.end) for r in profile.resume] == [("200609", "201007"), ("201007", "201603"), ("201603", "")]
    assert Cadre.select().count() == 3


def test_a_second_row_saying_something_else_stays_a_problem_naming_the_cell(db, tmp_path):
    """Row 6 giving its own 出生年月 (D6) is no continuation of 李娜's row: one problem naming both rows
    and the cell, nothing of either row guessed."""
    xingping_units()
    plan = imports.analyze(_two_row_roster(tmp_path / "马嵬.xlsx", second_row_birth="1990.01"))
    li = plan.rows[1]
    (problem,) = li.problems
    assert "第 5、6 行" in problem and "D6 单元格" in problem and "1990.01" in problem, problem
    assert [r.ok for r in plan.rows] == [True, False, True]


def test_the_preview_window_says_the_two_rows_are_one_person_and_imports_her(qtbot, db, tmp_path):
    xingping_units()
    context, dialog = _window(qtbot, _two_row_roster(tmp_path / "马嵬.xlsx"))
    shown = _preview_rows(dialog)
    assert set(shown) == {"王伟", "李娜", "赵强"}
    assert shown["李娜"]["问题"] == "" and "第 5、6 行合为一人" in shown["李娜"]["提示"]
    result = _import_in_window(qtbot, context, dialog)
    assert result.inserted == 3
    assert len(cadres.get_profile(Cadre.get(Cadre.name == "李娜").id).resume) == 3


@BOTH_WAYS
def test_a_resume_typed_on_into_rows_with_no_name_goes_to_the_person_above(db, tmp_path, monkeypatch, column_checks):
    """王伟's 简历 typed on into the two rows below, nothing merged, 姓名 left empty: the first (two lines in
    its cell) was skipped as 说明文字 without a word, the second refused as 姓名为空. Now his; a 备注 alone under
    the people (以上人员…) is not."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "单位", "身份证号", "简历", "备注"])
    ws.append(["王伟", "男", "1986.05", "兴平市财政局", id_number("19860512", "311"), "2004.09--2008.07 西北大学学习", None])
    ws.append([None, None, None, None, None, "2008.07--2016.03 兴平市马嵬街道办事处科员\n2016.03--2020.01 兴平市财政局科员"])
    ws.append([None, None, None, None, None, "（其间：2017.09--2019.07在中央党校函授学院学习）"])
    ws.append([None, None, None, None, None, "2020.01--  兴平市财政局副局长"])
    ws.append(["李娜", "女", "1988.05", "兴平市财政局", id_number("19880515", "224"), "2010.07--  兴平市财政局科员"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx")
    wang, li = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert any(w.startswith("第 2、3、4、5 行合为一人（第 3、4、5 行没有姓名，只接续简历）") for w in wang.warnings), wang.warnings
    assert not any("说明文字" in note for note in plan.notes), plan.notes
    imports.commit(plan)
    resume = cadres.get_profile(Cadre.get(Cadre.name == "王伟").id).resume
    assert [(r.start, r.end) for r in resume] == [("200409", "200807"), ("200807", "201603"), ("201603", "202001"),
                                                 ("202001", "")]
    assert "中央党校" in resume[2].text


# ---- 出生年月 typed six ways, and a 年龄 column ------------------------------------------------------

# (name, 出生年月 as typed, 年龄 as typed: years behind the one 1986.05 gives today, 身份证号's birth): the ages
# were worked out when the roster was made — one year behind is no slip; 赵敏's 1996.5 (for 1986.5, her age
# says so) is one
BIRTHS = [("王一", "1986.5", 0, "19860512"), ("王二", "86.05", 1, "19860512"), ("王三", "1986年5月", "岁", "19860512"),
          ("王四", "198605", 0, "19860512"), ("王五", dt.datetime(1986, 5, 12), 0, "19860512"),
          ("王六", dt.datetime(1986, 5, 1), 0, "19860512"), ("王七", "1986-05-01", 0, "19860512"),
          ("王八", "1986/5/1", 0, "19860512"), ("赵敏", "1996.5", 0, None)]


def _age(birth: str) -> int:
    today = clock.today()
    return today.year - int(birth[:4]) - (today.month < int(birth[4:6]))


def _birth_roster(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws.append(["兴平市财政局干部名册"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "性别", "出生年月", "年龄", "单位", "现任职务", "身份证号"])
    for n, (name, birth, behind, born) in enumerate(BIRTHS, 1):
        age = f"{_age('198605')}岁" if behind == "岁" else _age("198605") - behind
        ws.append([n, name, "男" if name != "赵敏" else "女", birth, age, "兴平市财政局", "科员",
                   id_number(born, f"{n:02d}1") if born else None])
        if isinstance(birth, dt.datetime):
            ws.cell(row=ws.max_row, column=4).number_format = "yyyy.mm"  # shown 1986.05, a date underneath
    wb.save(path)
    return path


@BOTH_WAYS
def test_a_birth_month_typed_every_way_is_the_month_and_a_far_age_is_said(db, tmp_path, monkeypatch, column_checks):
    """「1986-05-01」 as text and 「1986/5/1」 (what Excel shows of a month typed 1986-5) were refused: 出生年月与
    身份证号不一致（身份证号为 1986.05.12）— the 1st is no day anyone gave. And a 年龄 ten years from the one the
    出生年月 gives (赵敏: 1996.5 typed for 1986.5, no 身份证号 to catch it) went unsaid."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_birth_roster(tmp_path / "财政局.xlsx"))
    assert all(r.ok for r in plan.rows), [(r.line, r.problems) for r in plan.rows]
    births = {r.name: r.values["birth"][:6] for r in plan.rows}
    assert set(births.values()) == {"198605", "199605"}
    assert plan.rows[4].values["birth"] == "19860512"  # a date cell's own day is kept
    zhao = plan.rows[-1]
    assert any(f"年龄“{_age('198605')}”（E11 单元格）与出生年月 1996.05 不符" in w and f"应为 {_age('199605')} 岁" in w
               for w in zhao.warnings), zhao.warnings
    assert [w for r in plan.rows[:-1] for w in r.warnings if "年龄" in w] == []
    assert "年龄为计算列，未导入" in plan.notes


def test_a_birth_month_stored_as_the_number_1986_1_is_read_as_october_and_said(db, tmp_path):
    """1986.10 typed into a number cell is 1986.1 in the file: read as 1986.10 as before, now said, with what to
    do when 1986 年 1 月 was meant."""
    xingping_units()
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "单位"])
    wb.active.append(["王伟", "男", 1986.1, "兴平市财政局"])
    wb.save(tmp_path / "r.xlsx")
    (row,) = imports.analyze(tmp_path / "r.xlsx").rows
    assert row.ok and row.values["birth"] == "198610"
    assert any("出生年月“1986.1”是数字单元格，按 1986.10 读入" in w and "请改为 1986.01" in w for w in row.warnings), \
        row.warnings


def test_the_birth_roster_through_the_window_as_a_clerk_of_other_units(qtbot, db, tmp_path):
    """A clerk of the 乡镇街道 imports the 财政局's roster: every row refused, each naming the 单位 cell."""
    made = xingping_units()
    with acting_as("经办人", units=(made["乡镇街道"],)):
        _context, dialog = _window(qtbot, _birth_roster(tmp_path / "财政局.xlsx"))
        shown = _preview_rows(dialog)
        assert shown["王一"]["问题"] == "单位“兴平市财政局”（F3 单元格）不在您负责的单位范围内"
        assert "E11 单元格" in shown["赵敏"]["提示"]
        assert not dialog.import_button.isEnabled() or all(r.problems for r in dialog.plan.rows)


def test_the_birth_roster_on_the_command_line(db, db_path, tmp_path, capsys):
    xingping_units()
    path = _birth_roster(tmp_path / "财政局.xlsx")
    assert _cli("--db", str(db_path), "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "可导入 9 行，有问题 0 行" in out and "第 11 行 赵敏：" in out and "E11 单元格" in out
    assert {c.birth[:6] for c in Cadre.select()} == {"198605", "199605"}


# ---- a 任免表 from the official editor -------------------------------------------------------------

def _item(relation, name, born, political, work):
    return (f"<Item><ChengWei>{relation}</ChengWei><XingMing>{name}</XingMing><ChuShengRiQi>{born}</ChuShengRiQi>"
            f"<ZhengZhiMianMao>{political}</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>{work}</GongZuoDanWeiJiZhiWu></Item>")


EDITOR_FAMILY = (_item("妻子", "刘芳", "198802", "中共党员", "兴平市第一中学教师")
                 + _item("长子", "陈浩然", "201203", "群众", "兴平市第二小学学生")
                 + _item("次女", "陈思雨", "201609", "群众", "兴平市实验幼儿园")
                 + _item("岳父", "刘建国", "195805", "中共党员", "兴平市农业农村局退休干部")
                 + _item("岳母", "张秀英", "196001", "群众", "已去世"))
EDITOR_RESUME = ("2004.09——2008.07\u3000\u3000西北大学经济管理学院经济学专业学习\r\n"
                 "2008.07——2015.06\u3000\u3000马嵬街道办事处科员\r\n"
                 "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000（其间：2012.09——2014.07在中央广播电视大学行政管理专业学习）\r\n"
                 "2015.06——2020.03\u3000\u3000马嵬街道办事处党政办主任\r\n"
                 "2020.03——\u3000\u3000\u3000\u3000\u3000马嵬街道党工委委员、办事处副主任")


def _editor_file(folder):
    folder.mkdir(exist_ok=True)
    return write_lrmx(folder / "陈刚.lrmx", **person(JianLi=EDITOR_RESUME, JiaTingChengYuan=EDITOR_FAMILY,
                                                    XianRenZhiWu="马嵬街道党工委委员、办事处副主任"))


def _stored_chen():
    profile = cadres.get_profile(Cadre.get(Cadre.name == "陈刚").id)
    return ([(r.start, r.end, r.text) for r in profile.resume],
            [(m.relation, m.name) for m in profile.family])


EXPECTED_RESUME = [("200409", "200807", "西北大学经济管理学院经济学专业学习"),
                   ("200807", "201506", "马嵬街道办事处科员（其间：2012.09--2014.07在中央广播电视大学行政管理专业学习）"),
                   ("201506", "202003", "马嵬街道办事处党政办主任"), ("202003", "", "马嵬街道党工委委员、办事处副主任")]
EXPECTED_FAMILY = [("13", "刘芳"), ("20", "陈浩然"), ("29", "陈思雨"), ("42", "刘建国"), ("43", "张秀英")]


def test_an_editor_file_through_the_window_as_the_towns_clerk(qtbot, db, tmp_path):
    """The town's clerk imports the 任免表 of one of her cadres (unit 马嵬街道, read from 现任职务 by the
    default unit she chose): its 简历 lines joined by 「——」 and padded with 全角 spaces read as the
    editor's own, its family's 称谓 by GB/T 4761."""
    made = xingping_units()
    with acting_as("经办人", units=(made["乡镇街道"],)):
        options = imports.ImportOptions(default_unit_id=made["马嵬街道办事处"])
        context, dialog = _window(qtbot, _editor_file(tmp_path / "in").parent, options)
        shown = _preview_rows(dialog)
        assert shown["陈刚"]["问题"] == "", shown
        assert _import_in_window(qtbot, context, dialog).inserted == 1
        assert _stored_chen() == (EXPECTED_RESUME, EXPECTED_FAMILY)


def test_an_editor_file_on_the_command_line_and_back_out(db, db_path, tmp_path, capsys):
    from reports.lrmx import lrmx

    made = xingping_units()
    folder = _editor_file(tmp_path / "in").parent
    assert _cli("--db", str(db_path), "import", str(folder), "--unit", "马嵬街道") == 0
    assert _stored_chen() == (EXPECTED_RESUME, EXPECTED_FAMILY)
    cadre = Cadre.get(Cadre.name == "陈刚")
    assert cadre.unit_id == made["马嵬街道办事处"]
    text = lrmx.export_lrmx(tmp_path / "out", [cadre.id])[0].read_bytes().decode("utf-8-sig")
    assert "——" not in text and "\u3000" not in text
    assert [c for c in ("长子", "次女", "岳父", "岳母") if f"<ChengWei>{c}</ChengWei>" in text] == ["长子", "次女", "岳父", "岳母"]


# ---- 现任职务 carrying the unit, no 单位 column -------------------------------------------------------

POSITIONS = [("马嵬街道党工委书记", "19800312"), ("兴平市马嵬街道办事处主任", "19810415"),
             ("陕西省兴平市马嵬街道办事处副主任", "19820516"), ("咸阳市兴平市店张街道办事处副主任", "19830617"),
             ("中共兴平市店张街道工作委员会委员、办事处副主任", "19840718"), ("兴平市财政局党组书记、局长", "19850819"),
             ("兴平市南市镇党委书记", "19860920")]


def _position_roster(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市乡镇街道科级干部名册"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "姓名", "性别", "出生年月", "现任职务", "任现职时间", "身份证号"])
    for n, (position, born) in enumerate(POSITIONS, 1):
        ws.append([n, f"干部{'甲乙丙丁戊己庚'[n - 1]}", "男", f"{born[:4]}.{born[4:6]}", position, "2021.03",
                   id_number(born, f"{n:02d}1")])
    wb.save(path)
    return path


def test_a_unit_written_with_the_province_before_it_is_the_known_unit(db, tmp_path):
    """「陕西省兴平市马嵬街道办事处副主任」 / 「咸阳市兴平市店张街道办事处副主任」 made new units named 陕西省兴平市马嵬
    街道办事处 … beside the 马嵬街道办事处 the department has: its cadres split over two units."""
    made = xingping_units()
    plan = imports.analyze(_position_roster(tmp_path / "乡镇.xlsx"), imports.ImportOptions(create_units=True))
    assert [r.unit_id for r in plan.rows[:6]] == [made["马嵬街道办事处"]] * 3 + [made["店张街道办事处"]] * 2 + [
        made["兴平市财政局"]]
    assert [r.unit_source for r in plan.rows] == ["position"] * 7
    assert plan.rows[6].new_unit == "南市镇"  # test_a_unit_made_from_a_position_is_named_as_its_siblings


def test_a_unit_made_from_a_position_is_named_as_its_siblings(db, tmp_path):
    """「兴平市南市镇党委书记」 made a unit 兴平市南市镇 under 乡镇街道 beside 马嵬街道办事处 and 店张街道办事处, named
    without the place: the new town is 南市镇, as its siblings are named; a 市直 unit keeps the place its
    siblings have (兴平市审计局 beside 兴平市财政局)."""
    from cadre_desk.exchange.unit_names import UnitNames, known_units

    made = xingping_units()
    plan = imports.analyze(_position_roster(tmp_path / "乡镇.xlsx"), imports.ImportOptions(create_units=True))
    town = plan.rows[6]
    assert town.new_unit == "南市镇" and any("将新建单位“南市镇”（上级：乡镇街道）" in w for w in town.warnings)
    imports.commit(plan, imports.ImportOptions(create_units=True))
    unit = Unit.get(Unit.name == "南市镇")
    assert (unit.full_name, unit.parent_id) == ("南市镇", made["乡镇街道"])
    assert not Unit.select().where(Unit.full_name.contains("兴平市南市镇")).exists()
    names = UnitNames(known_units()[0])
    assert names.named_as_siblings("兴平市审计局") == "兴平市审计局"
    assert names.named_as_siblings("陕西省兴平市桑镇") == "桑镇"


def test_the_position_roster_as_the_towns_clerk_on_the_command_line(clerk_account, db_path, tmp_path, capsys,
                                                                    monkeypatch):
    """Signed in as the towns' clerk: the 财政局's 局长 is refused naming the cell the unit was read from; the
    towns' cadres (and the new 南市镇, under 乡镇街道) are hers."""
    monkeypatch.setenv("CADRE_DESK_PASSWORD", PASSWORD)
    path = _position_roster(tmp_path / "乡镇.xlsx")
    try:
        code = _cli("--db", str(db_path), "--user", "zhen", "import", str(path), "--create-units", "--skip-invalid")
    finally:  # the command's sign-in asks every later operator to sign in too: not the next test's
        from cadre_desk.access import scope

        scope.require_login(False)
    out = capsys.readouterr().out
    assert code == 1 and "新增 6 人" in out and "未导入 1 行" in out, out
    assert "第 8 行 干部己：单位“兴平市财政局”（从 E8 单元格的现任职务推断）不在您负责的单位范围内" in out
    assert Cadre.select().count() == 6
    town = Unit.get(Unit.name == "南市镇")
    assert town.parent_id == clerk_account["乡镇街道"]


def test_the_position_roster_through_the_window_without_accounts(qtbot, db, tmp_path):
    xingping_units()
    context, dialog = _window(qtbot, _position_roster(tmp_path / "乡镇.xlsx"), imports.ImportOptions(create_units=True))
    shown = _preview_rows(dialog)
    assert shown["干部丙"]["单位"] == "马嵬街道办事处" or "马嵬街道" in shown["干部丙"]["单位"], shown["干部丙"]
    assert all(row["问题"] == "" for row in shown.values()), shown
    assert _import_in_window(qtbot, context, dialog).inserted == 7
    assert Unit.select().where(Unit.name.contains("陕西省")).count() == 0
