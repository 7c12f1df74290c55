"""What departments write in the cells the 任免表 has as text, and what the import makes of it: a bare
党员 in a 家庭成员 cell is the member's 政治面貌 (not the start of the 工作单位), and a child's 少先队员 is
群众; a 简历 entry dated after today and a 奖惩情况 longer than the 任免表's box are said (a warning naming
them), never refused — in a roster's cells and in an .lrmx file alike, in the preview, the command line
and the problem report (the profile form says them too: test_gui_profile)."""

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


# ---- 简历 dated after today ------------------------------------------------------------------------

def _resume_to(year: int, month: int, sep: str = "\n") -> str:
    """陈刚's 简历 as the 任免表 writes it, his last post taken up in ``year``.``month``."""
    return sep.join(("2004.09--2008.07\u3000\u3000西北大学经济管理学院经济学专业学习",
                     f"2008.07--{year}.{month:02d}\u3000兴平市马嵬街道办事处科员、副主任",
                     f"{year}.{month:02d}--\u3000\u3000\u3000\u3000兴平市发展和改革局副局长"))


def _later() -> int:
    from cadre_desk.domain import clock

    return clock.today().year + 1  # the year after the one clock's: never a past year, whatever the clock


def _future_said(row) -> list[str]:
    return [w for w in row.warnings if "晚于今天" in w]


def test_a_resume_entry_dated_after_today_in_an_lrmx_is_said_naming_it(db, tmp_path):
    """A typing slip in a department's 任免表 (2027 for 2017): the file imports, and the clerk is told
    which entries to look at — the one that ends and the one that begins in the future."""
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import format_date

    xingping_units()
    year = _later()
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JianLi=_resume_to(year, 9, "\r\n"))))
    (row,) = plan.rows
    assert row.ok and row.action == imports.INSERT, row.problems
    today = format_date(clock.today())
    assert _future_said(row) == [
        f"简历第 2 条“2008.07—{year}.09 兴平市马嵬街道办事处科员、副主任”的截止时间晚于今天（{today}），请核对是否填错（已照常读入）",
        f"简历第 3 条“{year}.09—至今 兴平市发展和改革局副局长”的起始时间晚于今天（{today}），请核对是否填错（已照常读入）"]
    assert all(w.field == "resume" for w in _future_said(row))
    (cadre_id,) = imports.commit(plan, backup=False).ids  # a warning, not a refusal
    assert cadres.get_profile(cadre_id).resume[-1].start == f"{year}09"


def test_a_resume_entry_of_this_month_is_not_said(db, tmp_path):
    from cadre_desk.domain import clock

    xingping_units()
    today = clock.today()
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JianLi=_resume_to(today.year, today.month))))
    assert plan.rows[0].ok and _future_said(plan.rows[0]) == []


def test_a_resume_entry_dated_after_today_in_a_roster_cell_is_said_too(db, tmp_path):
    xingping_units()
    year = _later()
    path = _department_roster(tmp_path / "花名册.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), _resume_to(year, 3), None, None)])
    (row,) = imports.analyze(path).rows
    assert row.ok, row.problems
    said = _future_said(row)
    assert len(said) == 2 and said[1].startswith(f"简历第 3 条“{year}.03—至今 兴平市发展和改革局副局长”的起始时间晚于今天")


# ---- 奖惩情况 longer than the 任免表's box ----------------------------------------------------------

# A department's 奖惩情况 as its 任免表 editor holds it: one line a year, the 批准机关 in brackets
REWARD_LINES = [f"{year}.12 {what}（{who}）" for year in range(2005, 2020) for what, who in (
    ("年度考核被确定为优秀等次，给予嘉奖", "兴平市人力资源和社会保障局"),
    ("被评为兴平市优秀共产党员、全市脱贫攻坚工作先进个人", "中共兴平市委、兴平市人民政府"))]


def test_rewards_longer_than_the_forms_box_in_an_lrmx_are_said(db, tmp_path):
    from cadre_desk.domain.fields import RMB_REWARDS_CHARS

    xingping_units()
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JiangChengQingKuang="\r\n".join(REWARD_LINES))))
    (row,) = plan.rows
    assert row.ok, row.problems
    said = [w for w in row.warnings if w.startswith("奖惩情况共 ")]
    assert len(said) == 1 and said[0].field == "rewards", row.warnings
    assert f"超过任免审批表该栏可容纳的 {RMB_REWARDS_CHARS} 字" in said[0]
    (cadre_id,) = imports.commit(plan, backup=False).ids  # said, and imported whole
    assert len(cadres.get_profile(cadre_id).rewards) == len(REWARD_LINES)


def test_rewards_that_fit_are_not_said(db, tmp_path):
    xingping_units()
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JiangChengQingKuang="\r\n".join(REWARD_LINES[:6]))))
    assert plan.rows[0].ok and not [w for w in plan.rows[0].warnings if w.startswith("奖惩情况共 ")]


def test_rewards_longer_than_the_box_in_a_roster_cell_are_said_by_the_command_line(db, db_target, tmp_path, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    xingping_units()
    year = _later()
    path = _department_roster(tmp_path / "花名册.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), _resume_to(year, 3), "\n".join(REWARD_LINES), None)])
    close_database()
    assert main(["--db", db_target, "import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "提示：第 4 行 王伟：" in out and "奖惩情况共 " in out and f"简历第 3 条“{year}.03—至今" in out, out


# ---- 少先队员: a child's 政治面貌 -------------------------------------------------------------------

# GB/T 4762 (reference/codes/GB4762.csv) has no 少先队员: the 任免表 writes a child's 政治面貌 as 群众
CHILDREN_CELL = ("妻子 李芳 1988.03 中共党员 兴平市第一中学教师；女儿 王小 2014.05 少先队员 城关小学学生；"
                 "儿子 王小明 2016.09 中国少年先锋队队员 城关小学学生")
CHILDREN_READ = [("妻子", "李芳", "中共党员", "兴平市第一中学教师"), ("女儿", "王小", "群众", "城关小学学生"),
                 ("儿子", "王小明", "群众", "城关小学学生")]


def test_a_shaoxianduiyuan_in_a_family_cell_is_qunzhong_not_the_start_of_the_school(db, tmp_path):
    """女儿 王小 2014.05 少先队员 城关小学学生: 少先队员 was read as the start of her 工作单位及职务
    (“少先队员 城关小学学生”, 政治面貌 empty); it is her 政治面貌, 群众 in the code table, and the school stays."""
    xingping_units()
    path = _department_roster(tmp_path / "花名册.xlsx", [
        ("王伟", "男", "1985.10", id_number("19851003", "311"), None, None, CHILDREN_CELL)])
    plan = imports.analyze(path)
    (row,) = plan.rows
    assert row.ok and not [w for w in row.warnings if w.startswith("家庭成员")], (row.problems, row.warnings)
    (cadre_id,) = imports.commit(plan, backup=False).ids
    assert _family(cadres.get_profile(cadre_id)) == CHILDREN_READ


def test_a_shaoxianduiyuan_in_an_lrmx_family_member_is_qunzhong_too(db, tmp_path):
    xingping_units()
    family = ("<Item><ChengWei>女儿</ChengWei><XingMing>王小</XingMing><ChuShengRiQi>201405</ChuShengRiQi>"
              "<ZhengZhiMianMao>少先队员</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>城关小学学生</GongZuoDanWeiJiZhiWu></Item>")
    plan = imports.analyze(write_lrmx(tmp_path / "陈刚.lrmx", **person(JiaTingChengYuan=family)))
    (row,) = plan.rows
    assert row.ok, row.problems
    (cadre_id,) = imports.commit(plan, backup=False).ids
    assert _family(cadres.get_profile(cadre_id)) == [("女儿", "王小", "群众", "城关小学学生")]


def test_the_import_says_of_records_what_the_profile_form_says(db):
    """One check (validation.record_warnings, read from the registry's not_after_today and box) for the
    form and the import: the import's words are the form's, and that it read them."""
    from cadre_desk.domain.fields import ResumeItem, RewardItem
    from cadre_desk.domain.validation import record_warnings
    from cadre_desk.exchange.row_checks import said_of_records

    year = _later()
    records = {"resume": [ResumeItem("200807", f"{year}09", "兴平市马嵬街道办事处科员")],
               "rewards": [RewardItem("201912", "1", "年度考核被确定为优秀等次，给予嘉奖" * 10, "兴平市人民政府")] * 4}
    form = record_warnings(records)
    assert [w.field for w in form] == ["resume", "rewards"]
    assert said_of_records(records) == [f"{w}（已照常读入）" for w in form]
