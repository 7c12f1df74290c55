"""A department's 花名册 with 简历 (one cell, lines like "1986.09--1990.07  XX大学XX专业学习") and 奖惩情况
columns: read by the .lrmx reader's parsers into the cadre's 简历 and 奖惩 records, with its warnings; a
stored 简历 that differs is a difference the clerk may choose to write (更新已有) like any field."""

from __future__ import annotations

import openpyxl
from conftest import make_profile

from cadre_desk.domain.fields import ResumeItem
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre

RESUME = "1986.09--1990.07  云江大学经济学专业学习\n1990.07--2015.07  市财政局科员、副科长\n2015.07--         市财政局副局长"
REWARDS = "2019.12 被评为优秀公务员\n2021.06 嘉奖"


def _roster(path, rows, header=("序号", "姓名", "性别", "出生年月", "简历", "奖惩情况", "家庭成员")):
    wb = openpyxl.Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def _resume(cadre_id):
    return [(r.start, r.end, r.text) for r in cadres.get_profile(cadre_id).resume]


def test_a_rosters_resume_and_rewards_become_the_new_cadres_records(db, unit, tmp_path):
    path = _roster(tmp_path / "r.xlsx", [(1, "张伟", "男", "1968.10", RESUME, REWARDS, "妻子 李芳")])
    plan = imports.analyze(path, imports.ImportOptions(default_unit_id=unit.id))
    targets = {c.header: c.target for c in plan.columns}
    assert (targets["简历"], targets["奖惩情况"], targets["家庭成员"]) == ("record:resume", "record:rewards",
                                                                     "record:family")
    assert plan.notes == []  # every column read: no note about 简历, 奖惩情况 or 家庭成员 (nor 序号)
    row = plan.rows[0]
    assert row.ok, row.problems
    result = imports.commit(plan, backup=False)
    cid = result.ids[0]
    assert _resume(cid) == [("198609", "199007", "云江大学经济学专业学习"), ("199007", "201507", "市财政局科员、副科长"),
                            ("201507", "", "市财政局副局长")]
    rewards = cadres.get_profile(cid).rewards
    assert [(r.date, r.content) for r in rewards] == [("201912", "被评为优秀公务员"), ("202106", "嘉奖")]
    assert [(m.relation, m.name) for m in cadres.get_profile(cid).family] == [("13", "李芳")]  # GB4761 妻子


def test_a_resume_cell_says_what_the_lrmx_reader_says(db, unit, tmp_path):
    """A two-digit year read as the one clock says, a first line without its period refused by its words."""
    path = _roster(tmp_path / "r.xlsx", [(1, "张伟", "男", "1968.10", "86.09--90.07  云江大学学习", "", ""),
                                         (2, "李娜", "女", "1970.02", "在云江大学学习\n1992.07--  市财政局", "", "")])
    plan = imports.analyze(path, imports.ImportOptions(default_unit_id=unit.id))
    zhang, li = plan.rows
    assert zhang.ok and "简历“86.09--90.07”按 1986.09—1990.07 读入" in zhang.warnings, zhang.warnings
    assert zhang.records["resume"][0].start == "198609"
    assert any("简历第 1 行“在云江大学学习”没有起止时间" in p for p in li.problems), li.problems


def test_a_stored_resume_that_differs_is_a_difference_written_only_on_update(db, unit, tmp_path):
    profile = make_profile(unit.id, name="张伟", birth="196810")
    profile.resume = [ResumeItem("198609", "199007", "云江大学经济学专业学习"),
                      ResumeItem("199007", "", "市财政局科员")]
    cid = cadres.save_profile(profile).profile.id
    same = make_profile(unit.id, name="李娜", birth="197002", gender="2")
    same.resume = [ResumeItem("199207", "", "市财政局科员")]
    same_id = cadres.save_profile(same).profile.id
    path = _roster(tmp_path / "r.xlsx", [(1, "张伟", "男", "1968.10", RESUME, "", ""),
                                         (2, "李娜", "女", "1970.02", "1992.07--  市财政局科员", "", "")])
    skip = imports.analyze(path)
    assert imports.commit(skip, backup=False).updated == 0
    assert len(_resume(cid)) == 2  # 跳过 (the default for duplicates): the stored 简历 kept
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(path, options)
    zhang, li = plan.rows
    assert [(d.label, d.old, d.new) for d in zhang.differences] == [
        ("简历", "1986.09--1990.07  云江大学经济学专业学习\n1990.07--         市财政局科员", RESUME)]
    assert li.differences == () and li.unchanged(plan.kind)
    version = Cadre.get_by_id(same_id).version
    result = imports.commit(plan, options, backup=False)
    assert (result.updated, result.unchanged) == (1, 1)
    assert _resume(cid)[-1] == ("201507", "", "市财政局副局长") and len(_resume(cid)) == 3
    assert Cadre.get_by_id(same_id).version == version
    from cadre_desk.security import audit

    changed = audit.entries(5, action=audit.UPDATE, entity_id=cid)[0].changes
    assert changed["简历"][1] == RESUME


def test_the_months_of_many_rows_resume_cells_are_read_once_each(db, unit, tmp_path, monkeypatch):
    """A roster of 100,000 rows with 简历 cells writes the same months row after row: each line's months were
    read again for every row (a fifth of the import's time went to checking the records). The rows' check
    now reads each month written once as a start and once as an end (clean_records' memo) and finds the
    same records."""
    from cadre_desk.domain import validation

    read = []
    real = validation.parse_date

    def counted(raw, *args, **kwargs):
        read.append(raw)
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(validation, "parse_date", counted)
    path = _roster(tmp_path / "r.xlsx", [(n + 1, f"张伟{n}", "男", "1968.10", RESUME, REWARDS, "") for n in range(30)])
    plan = imports.analyze(path, imports.ImportOptions(default_unit_id=unit.id))
    assert all(row.ok for row in plan.rows) and len(plan.rows) == 30
    assert {row.records["resume"][1].start for row in plan.rows} == {"199007"}
    # each month once as a start and once as an end (150 times for the 30 rows before)
    assert sorted(raw for raw in read if raw in ("198609", "199007", "201507")) == [
        "198609", "199007", "199007", "201507", "201507"]
    result = imports.commit(plan, skip_invalid=False, backup=False)
    assert _resume(result.ids[-1])[0] == ("198609", "199007", "云江大学经济学专业学习")


def test_an_imports_write_runs_without_the_cycle_collector(db, unit, tmp_path, monkeypatch):
    """Writing 100,000 rows and their records made millions of objects and the collector walked the plan's
    rows again and again (a fifth of the write); none of them makes a cycle: the write runs without it and
    the collector is on again afterwards."""
    import gc

    from cadre_desk.exchange import writing

    during = []
    real = writing.insert_rows

    def watched(*args):
        during.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(writing, "insert_rows", watched)
    path = _roster(tmp_path / "r.xlsx", [(1, "张伟", "男", "1968.10", RESUME, REWARDS, "")])
    plan = imports.analyze(path, imports.ImportOptions(default_unit_id=unit.id))
    gc.enable()  # as on the command line (the window and the suite collect on their own thread: gui_gc)
    try:
        assert imports.commit(plan, skip_invalid=False, backup=False).inserted == 1
        assert during == [False] and gc.isenabled()
    finally:
        gc.disable()


def test_records_of_values_other_than_text_go_in_as_their_columns_store_them(db, unit):
    """insert_records passes text as it is; another value (a number in a text column) is stored as the
    column stores it (str), as before."""
    from cadre_desk.domain.fields import RewardItem

    cadre_id = cadres.save_profile(make_profile(unit.id)).profile.id
    cadres.insert_records("rewards", [(cadre_id, [RewardItem("20191200", "1", "嘉奖", 2019)])])
    assert [(r.content, r.issuer) for r in cadres.get_profile(cadre_id).rewards] == [("嘉奖", "2019")]
