"""Day two of the new clerk: the columns and cells the day-one files still left to her — 文化程度 /
最高学历 / 全日制学历学位 headers, 入党时间 with 预备 or 转正 written in, a person typed on two rows."""

from __future__ import annotations

import pytest
from corpus import id_number, titled_roster, xingping_units

from cadre_desk.exchange import imports, row_checks

BOTH_WAYS = pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])


_BASE = ("姓名", "性别", "出生年月", "单位", "身份证号")


def _people(*extra):
    wang = ("王伟", "男", "1986.05", "兴平市财政局", id_number("19860512", "311"))
    li = ("李娜", "女", "1988.05", "兴平市财政局", id_number("19880515", "224"))
    return [(*wang, *extra[0]), (*li, *extra[1])] if extra else [wang, li]


@BOTH_WAYS
def test_a_column_of_both_full_time_education_and_degree_fills_both(db, tmp_path, monkeypatch, column_checks):
    """全日制学历学位 | 「大学本科 学士」 / 「研究生 硕士」 (the 任免表's box as one column) was a column not
    imported: nobody's 学历 or 学位 read."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(titled_roster(tmp_path / "r.xlsx", (*_BASE, "全日制学历学位", "在职学历学位"),
                                         *_people(("大学本科 学士", "研究生 硕士"), ("研究生\n硕士", ""))))
    wang, li = plan.rows
    assert wang.ok and li.ok, (wang.problems, li.problems)
    assert (wang.values["ft_education"], wang.values["ft_degree"]) == ("21", "4")
    assert (wang.values["pt_education"], wang.values["pt_degree"]) == ("11", "3")
    assert (li.values["ft_education"], li.values["ft_degree"]) == ("11", "3")


def test_the_highest_education_alone_is_read_as_the_full_time_one_and_said(db, tmp_path):
    """文化程度 / 最高学历 / 最高学位, the only education columns of many rosters, were columns not imported."""
    xingping_units()
    for header in ("文化程度", "最高学历"):
        plan = imports.analyze(titled_roster(tmp_path / f"{header}.xlsx", (*_BASE, header, "最高学位"),
                                             *_people(("大学", "学士"), ("研究生", "硕士"))))
        assert [(r.values["ft_education"], r.values["ft_degree"]) for r in plan.rows] == [("21", "4"), ("11", "3")]
        assert any(f"“{header}”" in note and "全日制" in note for note in plan.notes), plan.notes


def test_the_highest_education_beside_a_full_time_column_is_not_read_as_it(db, tmp_path):
    """最高学历 placed before 全日制学历: the full-time column is the 全日制 one, the highest left out."""
    xingping_units()
    plan = imports.analyze(titled_roster(tmp_path / "r.xlsx", (*_BASE, "最高学历", "全日制学历"),
                                         *_people(("研究生", "大学"), ("大学", "大学"))))
    assert [r.values["ft_education"] for r in plan.rows] == ["21", "21"]
    highest = next(c for c in plan.columns if c.header == "最高学历")
    assert highest.target is None


@BOTH_WAYS
def test_a_joining_date_written_with_probation_or_confirmation_is_the_date(db, tmp_path, monkeypatch, column_checks):
    """入党时间 「2008.06（预备）」, 「2008.06 预备党员」, 「2008年6月入党（2009年6月转正）」 were refused (“预备”
    不是民主党派名称): 预备 is how everyone joins, the date before it the joining date. The
    转正 date goes to 转正时间 (test_party_confirmed)."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    zhao = ("赵强", "男", "1985.07", "兴平市财政局", id_number("19850715", "333"), "2008年6月入党（2009年6月转正）")
    plan = imports.analyze(titled_roster(tmp_path / "r.xlsx", (*_BASE, "入党时间"),
                                         *_people(("2008.06（预备）",), ("2010.07 预备党员",)), zhao))
    wang, li, zhao = plan.rows
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    assert [r.values["party"] for r in plan.rows] == ["200806", "201007", "200806"]
    assert any("“2008.06（预备）”按“2008.06”读入" in w for w in wang.warnings), wang.warnings
    assert any("转正时间按“2009.06”读入" in w for w in zhao.warnings), zhao.warnings
    assert zhao.values["party_confirmed"] == "200906" and "party_confirmed" not in wang.values


def test_a_person_typed_on_two_rows_that_disagree_is_one_problem_naming_both(db, tmp_path):
    """姓名 merged down over two rows, the second giving another 出生年月 (not only the rest of a text cell):
    the second row was refused on its own (请填写姓名, 请填写性别 …) as if another person. Now one problem
    naming both rows and the cell that does not go on (a row that only goes on: test_import_day_three)."""
    xingping_units()
    wang = ("王伟", "男", "1986.05", "兴平市财政局", id_number("19860512", "311"), "2008.09--2012.07 西北大学学习")
    li = ("李娜", "女", "1988.05", "兴平市财政局", id_number("19880515", "224"), "2010.09--2014.07 陕西师范大学学习")
    plan = imports.analyze(titled_roster(tmp_path / "r.xlsx", (*_BASE, "简历"), wang,
                                         (None, None, "1987.05", None, None, "2012.07--     兴平市财政局科员"), li,
                                         merged=("A3:A4", "B3:B4", "E3:E4")))
    assert len(plan.rows) == 2, [(r.name, r.problems) for r in plan.rows]
    first, second = plan.rows
    assert second.ok and second.name == "李娜"
    assert not first.ok
    (problem,) = first.problems
    assert "第 3、4 行" in problem and "合并" in problem, problem
    assert "C4" in problem and "1987.05" in problem, problem
    assert plan.notes == [], plan.notes  # the 性别 merged with the 姓名: no cell 按每一行读入
