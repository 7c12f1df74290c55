"""More 任免表 idioms read on import: an empty 政治面貌 beside a dated 入党时间 (中共党员, as the
department's import template says), the refusal of a 简历 that starts without a period, two-digit years
in 简历 lines, and a family member's age where the 出生日期 belongs."""

from __future__ import annotations

import pytest
from corpus import id_number, person, write_lrmx, xingping_units

from cadre_desk.domain import codes
from cadre_desk.exchange import imports, row_checks
from cadre_desk.store.models import Cadre

MEMBER = codes.table("GB4762").code("中共党员")
PROBATIONARY = codes.table("GB4762").code("预备党员")
SAID = "政治面貌为空，入党时间为 {}，按中共党员读入（如为预备党员请改正）"
UPDATE = imports.ImportOptions(duplicate_action=imports.UPDATE)


# ---- 政治面貌 from a dated 入党时间 ------------------------------------------------------------------


def _party_roster(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "入党时间", "政治面貌", "现任职务", "身份证号"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_a_roster_dated_joining_with_political_blank_is_a_party_member(db, tmp_path, monkeypatch, column_checks):
    """入党时间 2008.07 with 政治面貌 left blank was imported with no 政治面貌 at all."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    plan = imports.analyze(_party_roster(tmp_path / "r.xlsx", [
        ["赵刚", "男", "1985.10", "2008.07", "", "兴平市财政局科员", id_number("19851003", "311")],
        ["钱敏", "女", "1988.03", "2010.06", "中共预备党员", "兴平市财政局科员", id_number("19880308", "324")],
        ["孙丽", "女", "1987.08", "民建", "", "兴平市财政局科员", id_number("19870812", "328")],
        ["李强", "男", "1986.05", "2009.07；民盟", "", "兴平市财政局科员", id_number("19860512", "331")],
        ["周平", "男", "1986.06", "", "", "兴平市财政局科员", id_number("19860612", "351")],
    ]))
    rows = {row.name: row for row in plan.rows}
    assert all(row.ok for row in plan.rows), [row.problems for row in plan.rows]
    assert rows["赵刚"].values["political"] == MEMBER and SAID.format("2008.07") in rows["赵刚"].warnings
    assert rows["钱敏"].values["political"] == PROBATIONARY  # given: stays
    assert rows["孙丽"].values["political"] == codes.table("GB4762").code("民建")  # the party named alone
    assert rows["李强"].values["political"] == MEMBER and SAID.format("2009.07") in rows["李强"].warnings
    assert not rows["周平"].values.get("political")
    assert not any("政治面貌" in w for name in ("钱敏", "孙丽", "周平") for w in rows[name].warnings)
    imports.commit(plan)
    assert Cadre.get(Cadre.name == "赵刚").political == MEMBER


def test_an_lrmx_dated_joining_is_a_party_member(db, tmp_path):
    """An .lrmx has no 政治面貌: 入党时间 200807 left the cadre with none."""
    xingping_units()
    plan = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(RuDangShiJian="200807")))
    row = plan.rows[0]
    assert row.ok, row.problems
    assert SAID.format("2008.07") in row.warnings
    imports.commit(plan)
    assert Cadre.get(Cadre.name == "陈刚").political == MEMBER


def test_the_form_leaves_political_empty_beside_a_date(db):
    """On the form the clerk says which (中共党员, 预备党员 …): nothing is filled in there."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.domain.validation import validate_profile_values

    with pytest.raises(ValidationError) as refused:  # only the required fields are missing
        validate_profile_values({"name": "张三", "party": "200807"})
    assert "political" not in refused.value.errors and "political" not in refused.value.warnings
    clean, warnings = validate_profile_values({"name": "张三", "gender": "1", "birth": "198510", "unit": 1,
                                               "status": "1", "party": "200807"})
    assert clean["political"] == "" and "political" not in warnings


def test_an_update_never_replaces_a_stored_political_status(db, tmp_path):
    """A 预备党员 stored stays one when a roster (政治面貌 blank) or an .lrmx (none) updates the cadre."""
    from cadre_desk.profiles import cadres

    made = xingping_units()
    number = id_number("19860214", "377")
    profile = cadres.new_profile(made["兴平市财政局"])
    profile.values.update({"name": "陈刚", "gender": "1", "birth": "198602", "ethnicity": "汉族", "party": "200807",
                           "political": PROBATIONARY, "id_number": number, "position": "兴平市财政局科员"})
    cadre_id = cadres.save_profile(profile).profile.id
    update = imports.ImportOptions(duplicate_action=imports.UPDATE)
    roster = imports.analyze(_party_roster(tmp_path / "r.xlsx", [
        ["陈刚", "男", "1986.02", "2008.07", "", "兴平市财政局副局长", number]]), update)
    assert roster.rows[0].duplicate_id == cadre_id
    assert "political" not in {d.key for d in roster.rows[0].differences}
    assert not any(w.startswith("政治面貌为空") for w in roster.rows[0].warnings)  # 预备党员 stays: nothing read
    imports.commit(roster)
    assert Cadre.get_by_id(cadre_id).political == PROBATIONARY
    lrmx = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(number=number)), update)
    assert lrmx.rows[0].duplicate_id == cadre_id
    assert "political" not in {d.key for d in lrmx.rows[0].differences}
    assert not any(w.startswith("政治面貌为空") for w in lrmx.rows[0].warnings)
    imports.commit(lrmx)
    assert Cadre.get_by_id(cadre_id).political == PROBATIONARY


def test_the_political_warning_knows_its_field_and_is_taken_back_by_it_not_by_its_words(db, tmp_path, monkeypatch):
    """duplicates.compare found the 政治面貌 read from 入党时间 by the start of its words: reworded, the
    warning stayed beside a stored 预备党员 that stays. It is now taken back as the warning of 政治面貌 that
    says a value was filled in; its words are shown and written as they are."""
    from cadre_desk.domain import validation
    from cadre_desk.domain.validation import FILLED_IN
    from cadre_desk.profiles import cadres

    reworded = "入党时间为 {}，政治面貌空着，已按中共党员读入"
    monkeypatch.setattr(validation, "POLITICAL_READ", reworded)
    made = xingping_units()
    number = id_number("19860214", "377")
    profile = cadres.new_profile(made["兴平市财政局"])
    profile.values.update({"name": "陈刚", "gender": "1", "birth": "198602", "ethnicity": "汉族", "party": "200807",
                           "political": PROBATIONARY, "id_number": number, "position": "兴平市财政局科员"})
    cadres.save_profile(profile)
    plan = imports.analyze(_party_roster(tmp_path / "r.xlsx", [
        ["陈刚", "男", "1986.02", "2008.07", "", "兴平市财政局副局长", number],
        ["赵刚", "男", "1985.10", "2008.07", "", "兴平市财政局科员", id_number("19851003", "311")]]), UPDATE)
    chen, zhao = plan.rows
    assert chen.duplicate_id is not None and not any("中共党员" in w for w in chen.warnings), chen.warnings
    said = reworded.format("2008.07")
    assert said in zhao.warnings  # a new cadre: said, in its words
    warning = zhao.warnings[zhao.warnings.index(said)]
    assert (warning.field, warning.kind) == ("political", FILLED_IN)
    report = imports.save_problem_report(plan, tmp_path / "问题.xlsx", {})
    import openpyxl

    hints = [row[4] for row in openpyxl.load_workbook(report).active.iter_rows(min_row=3, values_only=True)]
    assert said in hints


# ---- 简历 -------------------------------------------------------------------------------------------


def test_a_resume_whose_first_line_has_no_period_is_refused_quoting_the_line(db, tmp_path):
    """The refusal said 请填写简历第 1 条的起始时间: the clerk could not tell which line of which 简历."""
    xingping_units()
    resume = ("西北大学经济管理学院经济学专业学习，获经济学学士学位，后参加工作\n"
              "2008.07--  兴平市发展和改革局科员")
    row = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(JianLi=resume))).rows[0]
    assert not row.ok
    assert ("简历第 1 行“西北大学经济管理学院经济学专业学习，获经济学学士学位，后参加…”没有起止时间："
            "每行应以起止时间开头，如“1986.09--1990.07  …”") in row.problems


def test_two_digit_years_in_resume_lines_are_read_as_birth_dates_are(db, tmp_path):
    """86.09--90.07 was refused as the first line, and a later one was glued to the line before."""
    from cadre_desk.profiles import cadres

    xingping_units()
    resume = ("2004.09--08.07  西北大学经济管理学院经济学专业学习\n"
              "08.07--15.03  兴平市发展和改革局科员\n"
              "15.03--  兴平市发展和改革局副主任科员")
    plan = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(JianLi=resume)))
    row = plan.rows[0]
    assert row.ok, row.problems
    assert {"简历“2004.09--08.07”按 2004.09—2008.07 读入", "简历“08.07--15.03”按 2008.07—2015.03 读入",
            "简历“15.03--”按 2015.03—至今 读入"} <= set(row.warnings)
    imports.commit(plan)
    resume = cadres.get_profile(Cadre.get(Cadre.name == "陈刚").id).resume
    assert [(item.start, item.end) for item in resume] == [("200409", "200807"), ("200807", "201503"),
                                                           ("201503", "")]


@pytest.mark.parametrize(("line", "period"), [
    ("86.09--90.07  西北大学学习", ("198609", "199007")),  # 2086 would be after the clock's year
    ("08.07—至今 兴平市科员", ("200807", "")),
    ("1986.09-90.07 西北大学学习", ("198609", "199007")),
])
def test_a_two_digit_year_of_a_resume_line_follows_the_one_clock(line, period):
    from cadre_desk.exchange.lrmx_format import split_resume

    notes: list[str] = []
    item = split_resume(line, notes)[0]
    assert (item.start, item.end) == period and len(notes) == 1


def test_a_number_that_starts_a_continued_resume_line_is_no_period():
    from cadre_desk.exchange.lrmx_format import split_resume

    items = split_resume("2008.07--2015.03  兴平市发展和改革局科员，负责\n12.5万亩农田项目")
    assert [(i.start, i.end, i.text) for i in items] == [("200807", "201503", "兴平市发展和改革局科员，负责12.5万亩农田项目")]


# ---- a family member's age -------------------------------------------------------------------------


def _family(*members):
    return "".join(
        f"<Item><ChengWei>{relation}</ChengWei><XingMing>{name}</XingMing><ChuShengRiQi>{birth}</ChuShengRiQi>"
        f"<ZhengZhiMianMao>群众</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>{work}</GongZuoDanWeiJiZhiWu></Item>"
        for relation, name, birth, work in members)


def test_a_family_members_age_is_read_from_the_files_fill_date(db, tmp_path):
    """出生日期 "74" / "74岁" refused the whole 任免表 (无法识别的日期)."""
    from cadre_desk.profiles import cadres

    xingping_units()
    family = _family(("父亲", "陈大山", "74岁", "兴平市纺织厂退休职工"), ("母亲", "王兰", "72", "务农"))
    plan = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(JiaTingChengYuan=family,
                                                                       TianBiaoShiJian="202405")))
    row = plan.rows[0]
    assert row.ok, row.problems
    assert ("家庭成员第 1 行出生日期“74岁”按年龄读作约 1950 年出生（按填表时间 2024.05 计算，月份不详）；"
            "出生日期须写到月，未填，原文记在工作单位及职务中，请补全") in row.warnings
    assert any(w.startswith("家庭成员第 2 行出生日期“72”按年龄读作约 1952 年出生") for w in row.warnings)
    imports.commit(plan)
    family = cadres.get_profile(Cadre.get(Cadre.name == "陈刚").id).family
    assert [(m.name, m.birth, m.work) for m in family] == [
        ("陈大山", "", "兴平市纺织厂退休职工（出生日期原写“74岁”）"), ("王兰", "", "务农（出生日期原写“72”）")]


def test_a_family_members_age_without_a_fill_date_is_counted_from_the_one_clock(db, tmp_path):
    from cadre_desk.domain import clock

    xingping_units()
    family = _family(("父亲", "陈大山", "74", "退休"))
    row = imports.analyze(write_lrmx(tmp_path / "chen.lrmx", **person(JiaTingChengYuan=family,
                                                                      TianBiaoShiJian=""))).rows[0]
    assert row.ok, row.problems
    today = clock.today()
    assert any(w.startswith(f"家庭成员第 1 行出生日期“74”按年龄读作约 {today.year - 74} 年出生（按今天 "
                            f"{today.year}.{today.month:02d}.{today.day:02d} 计算，月份不详）") for w in row.warnings)


# ---- the roster's 入党时间 as the 任免表 writes it ----------------------------------------------------


def test_the_roster_exports_joining_as_the_appointment_form_writes_it(db, unit, tmp_path):
    """A 民建 member known by 政治面貌 alone had an empty 入党时间 in the exported roster while the 任免表
    (print and .lrmx) and the screen's 党派 say 民建: the superior comparing them saw two people."""
    import openpyxl
    from conftest import make_profile

    from cadre_desk.domain.fields import BY_KEY, display_value, form_party
    from cadre_desk.profiles import cadres
    from reports.excel import excel_roster

    people = [make_profile(unit.id, name="钱犇", political=codes.table("GB4762").code("民建"), party=""),
              make_profile(unit.id, name="赵刚", birth="198510", political=MEMBER, party="200108"),
              make_profile(unit.id, name="孙丽", birth="198510", political="", party="")]
    ids = [cadres.save_profile(p).profile.id for p in people]
    out = tmp_path / "r.xlsx"
    excel_roster.export_roster(out, ["name", "party", "gender", "birth"], ids)
    exported = {row[1]: row[2] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True)}
    assert exported == {"钱犇": "民建", "赵刚": "2001.08", "孙丽": None}
    for cadre_id in ids:  # the same text as the 任免表's 入党时间
        profile = cadres.get_profile(cadre_id)
        assert (exported[profile.values["name"]] or "") == display_value(BY_KEY["party"], form_party(profile.values))
    # imported back over the same cadres: nothing differs (民建 under 入党时间 is what 政治面貌 said)
    plan = imports.analyze(out, imports.ImportOptions(duplicate_action=imports.UPDATE, default_unit_id=unit.id))
    assert {row.name: [(d.label, d.old, d.new) for d in row.differences] for row in plan.rows} == {"钱犇": [], "赵刚": [], "孙丽": []}


# ---- an update that leaves out fields a new cadre needs ---------------------------------------------


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_a_roster_update_without_the_required_columns_stores_its_dates_clean(db, unit, tmp_path, monkeypatch,
                                                                              column_checks):
    """A roster of 姓名 | 入党时间 | 参加工作时间 updating cadres (性别 and 出生年月 missing: fine for an
    update) stored 入党时间 "2002.9" as typed, not 200209: ages, lists and the 任免表 misread it."""
    import openpyxl
    from conftest import make_profile

    from cadre_desk.profiles import cadres

    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    cadre_id = cadres.save_profile(make_profile(unit.id, name="赵刚", political=MEMBER, party="200108")).profile.id
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "入党时间", "参加工作时间"])
    wb.active.append(["赵刚", "2002.9", "2005年7月"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx", UPDATE)
    assert [(d.label, d.old, d.new) for d in plan.rows[0].differences] == [
        ("入党时间", "2001.08", "2002.09"), ("参加工作时间", "", "2005.07")]
    imports.commit(plan)
    cadre = Cadre.get_by_id(cadre_id)
    assert (cadre.party, cadre.work_start) == ("200209", "200507")
