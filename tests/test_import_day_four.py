"""Day four of the new clerk: a line a department typed under a person without merging the 姓名 (the rest of
a 现任职务 or a 备注 alone); a 年度考核 roster written in free text per year, or a column per year under a
merged 年度考核 header; one 学历学位 column mixing 全日制 and 在职. Each through the window and the command
line, without accounts (every unit) and as a clerk whose units are the 乡镇街道."""

from __future__ import annotations

import openpyxl
import pytest
import test_import_day_three as day_three
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
    """A row with no name under 赵强 giving a 任现职时间 too (H6) is no continuation; nor is a 现任职务 saying the
    post is vacant under 孙磊 (G8, an empty post's row), nor a 备注 for all the people above under 周洁 (I10,
    以上人员…): each a problem naming the cell, nothing joined to the person above."""
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
    assert set(stray) == {6, 8, 10}, stray
    assert stray[6] == ["姓名为空（B6 单元格），不导入：H6 单元格的任现职时间“2021.03”不是第 5 行赵强的续行"
                        "（没有姓名的行只能接续上一人的简历、奖惩情况、家庭成员、备注、现任职务）；若是同一人，请把该行内容移入其行"]
    assert "G8 单元格的现任职务“副主任（空缺）”不是第 7 行孙磊的续行" in stray[8][0], stray[8]
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
