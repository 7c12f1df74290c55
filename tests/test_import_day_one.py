"""Day one of a new clerk: the files the departments sent, imported as they come — a 任免表 typed
with its names padded to line up, a roster with a title, a two-row header, notes and a 合计 row."""

from __future__ import annotations

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
