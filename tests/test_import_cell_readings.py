"""What departments write in the cells the 任免表 has as text, and what the import makes of it: a bare
党员 in a 家庭成员 cell is the member's 政治面貌 (not the start of the 工作单位); a 简历 entry dated after
today and a 奖惩情况 longer than the 任免表's box are said (a warning naming them), never refused — in a
roster's cells and in an .lrmx file alike, in the preview, the command line and the problem report."""

from __future__ import annotations

from corpus import id_number, person, write_lrmx, xingping_units
from test_import_record_cells import RELATIONS, _department_roster

from cadre_desk.domain import codes
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres

PARTIES = codes.table("GB4762")

# 家庭主要成员 as a 乡镇's 花名册 writes them: 党员 alone, 中共党员, 群众, 共青团员 / 团员, 预备党员, a 民主党派
FAMILY_CELL = ("妻子 李芳 1988.03 党员 兴平市第一中学教师；父亲 王大山 党员 退休；母亲 张兰 1958.02 群众 退休\n"
               "儿子 王小明 2010.05 共青团员 兴平市西城中学学生；哥哥 王建军 1980.01 中共预备党员 兴平市马嵬街道农民；"
               "弟弟 王建民 1990.01 九三学社社员 兴平市人民医院医生；妹妹 王建芳 1992.03 中共党员 兴平市财政局科员")
READ = [("妻子", "李芳", "中共党员", "兴平市第一中学教师"), ("父亲", "王大山", "中共党员", "退休"),
        ("母亲", "张兰", "群众", "退休"), ("儿子", "王小明", "共青团员", "兴平市西城中学学生"),
        ("哥哥", "王建军", "预备党员", "兴平市马嵬街道农民"), ("弟弟", "王建民", "九三", "兴平市人民医院医生"),
        ("妹妹", "王建芳", "中共党员", "兴平市财政局科员")]


def _family(profile) -> list[tuple[str, str, str, str]]:
    return [(RELATIONS.name(m.relation), m.name, PARTIES.name(m.political), m.work) for m in profile.family]


def test_a_bare_dangyuan_in_a_family_cell_is_the_members_political_status(db, tmp_path):
    """妻子 李芳 1988.03 党员 兴平市第一中学教师: 党员 was read as the start of her 工作单位及职务
    (“党员 兴平市第一中学教师”, 政治面貌 empty); it is 中共党员, as the code table reads 中共党员 itself."""
    xingping_units()
    path = _department_roster(tmp_path / "花名册.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), None, None, FAMILY_CELL)])
    plan = imports.analyze(path)
    (row,) = plan.rows
    assert row.ok and not [w for w in row.warnings if w.startswith("家庭成员")], (row.problems, row.warnings)
    (cadre_id,) = imports.commit(plan, backup=False).ids
    assert _family(cadres.get_profile(cadre_id)) == READ


def test_a_bare_dangyuan_in_an_lrmx_family_member_is_read_the_same(db, tmp_path):
    xingping_units()
    family = ("<Item><ChengWei>父亲</ChengWei><XingMing>王大山</XingMing><ChuShengRiQi>195502</ChuShengRiQi>"
              "<ZhengZhiMianMao>党员</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>退休</GongZuoDanWeiJiZhiWu></Item>")
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JiaTingChengYuan=family)))
    (row,) = plan.rows
    assert row.ok, row.problems
    (cadre_id,) = imports.commit(plan, backup=False).ids
    assert _family(cadres.get_profile(cadre_id)) == [("父亲", "王大山", "中共党员", "退休")]
