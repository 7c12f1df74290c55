"""Real files in without hand-editing: a county roster with the unit inside 现任职务 and free-text
年度考核, LRMX files in GB18030 / UTF-16 / mislabelled GBK with the 任免表's idioms, photos that are
not images, and the text the official editor shows written back on export."""

from __future__ import annotations

import json

import pytest
from corpus import (
    COUNTY_ROWS,
    county_roster,
    id_number,
    not_a_photo,
    person,
    photo_png,
    write_lrmx,
    xingping_units,
)

from cadre_desk.exchange import imports, lrmx_format
from cadre_desk.profiles import cadres
from cadre_desk.store.models import AuditLog, Cadre, Unit


def _by_name(plan):
    return {r.name: r for r in plan.rows}


def test_county_roster_units_come_from_the_position(db, tmp_path):
    units = xingping_units()
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"))
    assert plan.kind == imports.ROSTER and plan.header_rows == (3, 4)
    rows = _by_name(plan)
    assert set(rows) == {"王伟", "李娜", "张强", "赵敏", "孙磊", "周洁"}
    # 全称 with place, 简称, the place dropped, a 科 inside a unit: each found
    assert rows["王伟"].unit_id == units["兴平市发展和改革局"]
    assert rows["李娜"].unit_id == units["马嵬街道办事处"]
    assert rows["张强"].unit_id == units["兴平市招商局"]  # "市招商局" is its 简称
    assert rows["赵敏"].unit_id == units["中共兴平市委办公室"]
    assert all(rows[n].unit_source == "position" for n in ("王伟", "李娜", "张强", "赵敏", "孙磊"))
    # an unknown unit read from the position is a problem until created or corrected
    assert rows["孙磊"].new_unit == "兴平市审计局" and not rows["孙磊"].ok
    assert "兴平市审计局" in rows["孙磊"].problems[0]
    # nothing to read: "科员" alone
    assert not rows["周洁"].ok and "单位" in rows["周洁"].problems[0]
    from cadre_desk.units import units as unit_service

    assert imports.unit_text(rows["王伟"], unit_service.full_names()) == "兴平市发展和改革局"


def test_county_roster_values_and_free_text_appraisals(db, tmp_path):
    xingping_units()
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), imports.ImportOptions(accept_suggestions=True))
    rows = _by_name(plan)
    wang, li, zhang = rows["王伟"], rows["李娜"], rows["张强"]
    assert wang.values["birth"] == "198510"  # 1985.1 typed as a number
    assert li.values["birth"] == "199005" and li.values["party"] == "200108；民建"
    assert li.values["ethnicity"] == "01" and li.suggestions["ethnicity"] == "汉族"  # typed "汉"
    assert zhang.values["party"] == "民革" and zhang.values["birth"] == "197911"
    assert {(a.year, a.result) for a in wang.assessments} == {(2022, "2"), (2023, "2")}
    assert {(a.year, a.result) for a in li.assessments} == {(2021, "1"), (2022, "2")}
    # text that cannot be read year by year is kept, never a reason to refuse the person
    assert not zhang.assessments and zhang.ok
    assert zhang.values["assessment_text"] == "连续三年考核称职" and not zhang.values.get("remarks")
    assert wang.values["assessment_text"] == "2022年、2023年年度考核均为称职"  # as written, read too
    assert any("无法逐年识别" in w and "原文" in w for w in zhang.warnings)
    assert any("说明文字" in note for note in plan.notes)


def test_create_units_puts_derived_units_under_their_kind(db, tmp_path):
    units = xingping_units()
    options = imports.ImportOptions(create_units=True, accept_suggestions=True)
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), options)
    rows = _by_name(plan)
    assert rows["孙磊"].ok and rows["孙磊"].new_unit == "兴平市审计局"
    assert any("将新建单位" in w and "市直机关" in w for w in rows["孙磊"].warnings)
    imports.set_rows_action(plan, [rows["周洁"]], imports.SKIP)
    result = imports.commit(plan, options)
    assert result.inserted == 5
    audit_unit = Unit.get(Unit.name == "兴平市审计局")
    assert audit_unit.parent_id == units["市直机关"]
    sun = Cadre.get(Cadre.name == "孙磊")
    assert sun.unit_id == audit_unit.id
    li = cadres.get_profile(Cadre.get(Cadre.name == "李娜").id)
    assert li.values["unit"] == units["马嵬街道办事处"]
    assert {(a.year, a.result, a.source) for a in li.assessments} == {(2021, "1", "导入"), (2022, "2", "导入")}


def test_the_clerk_corrects_a_derived_unit(db, tmp_path):
    units = xingping_units()
    options = imports.ImportOptions()
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), options)
    rows = _by_name(plan)
    imports.set_rows_unit(plan, [rows["周洁"]], units["兴平市财政局"], options)
    imports.set_rows_unit(plan, [rows["孙磊"]], "兴平市审计局", options)
    rows = _by_name(plan)
    assert rows["周洁"].ok and rows["周洁"].unit_id == units["兴平市财政局"] and rows["周洁"].unit_source == "chosen"
    assert rows["孙磊"].ok and rows["孙磊"].new_unit == "兴平市审计局"
    imports.evaluate(plan, options)  # checked again (new options): the corrections stay
    assert _by_name(plan)["周洁"].unit_id == units["兴平市财政局"]


def test_cli_unit_fallback_is_created_with_create_units(db, db_path, tmp_path, capsys):
    from test_exchange import _cli

    xingping_units()
    path = county_roster(tmp_path / "county.xlsx")
    code = _cli(["--db", str(db_path), "import", str(path), "--unit", "待分配人员", "--create-units",
                 "--accept-suggestions"])
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    from cadre_desk.store.opening import open_database

    open_database(db_path)
    fallback = Unit.get(Unit.name == "待分配人员")
    assert Cadre.get(Cadre.name == "周洁").unit_id == fallback.id
    assert Cadre.get(Cadre.name == "孙磊").unit_id == Unit.get(Unit.name == "兴平市审计局").id
    assert Cadre.select().count() == len(COUNTY_ROWS)


def test_cli_unknown_unit_without_create_units_says_how(db, db_path, tmp_path, capsys):
    from test_exchange import _cli

    xingping_units()
    code = _cli(["--db", str(db_path), "import", str(county_roster(tmp_path / "c.xlsx")), "--unit", "待分配人员"])
    assert code == 2 and "--create-units" in capsys.readouterr().err


# ---- LRMX ----------------------------------------------------------------------------------------


def test_lrmx_idioms_in_every_encoding(db, tmp_path):
    units = xingping_units()
    folder = tmp_path / "lrmx"
    folder.mkdir()
    write_lrmx(folder / "utf8.lrmx", **person("陈刚", "198602"))
    write_lrmx(folder / "gb18030.lrmx", "gb18030", "GB2312", **person("刘洋", "198704", assess="2021年度优秀，2022年度称职"))
    write_lrmx(folder / "gbk_labelled_utf8.lrmx", "gbk", "utf-8", **person("黄河", "198809", assess="连续三年考核称职"))
    write_lrmx(folder / "utf16.lrmx", "utf-16", "utf-16", **person("马骏", "198901", RuDangShiJian="200108；民建"))
    plan = imports.analyze(folder)
    assert plan.kind == imports.LRMX and len(plan.rows) == 4
    rows = _by_name(plan)
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    assert all(r.unit_id == units["兴平市发展和改革局"] for r in plan.rows)
    chen = rows["陈刚"].profile
    assert [(r.start, r.end) for r in chen.resume] == [("200409", "200807"), ("200807", "201506"), ("201506", "")]
    assert chen.resume[2].text.startswith("兴平市发展和改革局科员") and "至今" not in chen.resume[2].text
    assert chen.resume[0].text == "西北大学经济管理学院经济学专业学习"
    assert len(chen.family) == 1 and chen.family[0].relation  # the empty <Item> is no family member
    assert {(a.year, a.result) for a in chen.assessments} == {(2022, "2"), (2023, "2")}
    assert {(a.year, a.result) for a in rows["刘洋"].profile.assessments} == {(2021, "1"), (2022, "2")}
    assert rows["黄河"].values["assessment_text"] == "连续三年考核称职" and rows["黄河"].ok
    assert not rows["黄河"].values.get("remarks")  # 备注 is the clerk's, not a place for file text
    assert rows["马骏"].values["party"] == "200108；民建"
    imports.commit(plan)
    assert Cadre.select().count() == 4


def test_lrmx_export_writes_the_text_the_editor_shows(db, tmp_path):
    from reports.lrmx import lrmx

    xingping_units()
    write_lrmx(tmp_path / "a.lrmx", **person("陈刚", "198602"))
    imports.commit(imports.analyze(tmp_path / "a.lrmx"))
    cadre = Cadre.get(Cadre.name == "陈刚")
    out = lrmx.export_lrmx(tmp_path / "out", [cadre.id])[0].read_bytes().decode("utf-8-sig")
    assert "<NianDuKaoHeJieGuo>2022年、2023年年度考核均为称职</NianDuKaoHeJieGuo>" in out
    profile = cadres.get_profile(cadre.id)
    kept = profile.values["remarks"]
    assert not kept  # all of it was read year by year: nothing kept in 备注
    again = lrmx_format.parse(out.encode("utf-8"), "again.lrmx")
    assert [(r.start, r.end, r.text) for r in again.resume] == [(r.start, r.end, r.text) for r in profile.resume]


def test_unreadable_appraisal_text_goes_back_out_as_written(db, tmp_path):
    from reports.lrmx import lrmx

    xingping_units()
    write_lrmx(tmp_path / "b.lrmx", **person("黄河", "198809", assess="近三年年度考核均为称职"))
    imports.commit(imports.analyze(tmp_path / "b.lrmx"))
    cadre = Cadre.get(Cadre.name == "黄河")
    out = lrmx.export_lrmx(tmp_path / "out", [cadre.id])[0].read_bytes().decode("utf-8-sig")
    assert "<NianDuKaoHeJieGuo>近三年年度考核均为称职</NianDuKaoHeJieGuo>" in out


def test_lrmx_photo_that_is_not_an_image_is_not_stored(db, tmp_path):
    """issue 17 item 7: a 5 MB "photo" that is not an image was stored unchecked."""
    from cadre_desk.store.models import CadrePhoto

    xingping_units()
    write_lrmx(tmp_path / "fake.lrmx", **person("陈刚", "198602", photo=not_a_photo()))
    write_lrmx(tmp_path / "real.lrmx", **person("刘洋", "198704", photo=photo_png(800, 1000)))
    plan = imports.analyze_lrmx([tmp_path / "fake.lrmx", tmp_path / "real.lrmx"])
    fake, real = _by_name(plan)["陈刚"], _by_name(plan)["刘洋"]
    assert fake.ok and fake.profile.photo is None
    assert any("照片" in w and "未导入" in w for w in fake.warnings)
    assert real.profile.photo[:2] == b"\xff\xd8"
    imports.commit(plan)
    assert CadrePhoto.select().count() == 1
    import io

    from PIL import Image

    stored = CadrePhoto.get(CadrePhoto.cadre == Cadre.get(Cadre.name == "刘洋").id)
    with Image.open(io.BytesIO(bytes(stored.data))) as image:
        assert image.format == "JPEG" and image.size == (300, 375)
    assert len(bytes(stored.data)) < 100_000


def test_photo_bombs_and_garbage_are_refused():
    import base64
    import io

    from PIL import Image

    from cadre_desk.profiles.photos import PhotoError, normalize_photo

    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few KB
    for data in (buffer.getvalue(), b"GIF89a" + b"\0" * 20, b"plain text", base64.b64decode(photo_png(40, 50))[:60]):
        with pytest.raises(PhotoError):
            normalize_photo(data)


def test_lrmx_without_position_unit_uses_the_default(db, tmp_path):
    units = xingping_units()
    write_lrmx(tmp_path / "c.lrmx", **person("陈刚", "198602", XianRenZhiWu="科员"))
    plan = imports.analyze(tmp_path / "c.lrmx")
    assert not plan.rows[0].ok
    plan = imports.analyze(tmp_path / "c.lrmx", imports.ImportOptions(default_unit_id=units["兴平市财政局"]))
    assert plan.rows[0].ok and plan.rows[0].unit_id == units["兴平市财政局"]


def test_name_and_birth_match_may_keep_both(db, tmp_path):
    units = xingping_units()
    profile = cadres.new_profile(units["兴平市财政局"])
    profile.values.update(name="王伟", gender="1", birth="198510", id_number=id_number("19851021", "555"))
    cadres.save_profile(profile)
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), imports.ImportOptions(accept_suggestions=True))
    wang = _by_name(plan)["王伟"]
    assert wang.duplicate_kind == "name_birth" and wang.action == imports.SKIP
    assert imports.KEEP_BOTH in wang.allowed_actions()
    assert imports.set_rows_action(plan, [wang], imports.KEEP_BOTH) == 1
    for row in plan.rows:
        if row.name != "王伟":
            row.action = imports.SKIP
    assert imports.commit(plan).inserted == 1
    assert Cadre.select().where(Cadre.name == "王伟").count() == 2


def test_duplicate_update_writes_only_the_changed_fields(db, tmp_path):
    units = xingping_units()
    profile = cadres.new_profile(units["兴平市发展和改革局"])
    number = COUNTY_ROWS[0][-1]
    profile.values.update(name="王伟", gender="1", birth="198510", id_number=number, position="兴平市发展和改革局科员",
                          phone="13900000000", ft_education="21")
    saved = cadres.save_profile(profile).profile
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"),
                           imports.ImportOptions(duplicate_action=imports.UPDATE, accept_suggestions=True))
    wang = _by_name(plan)["王伟"]
    assert wang.duplicate_kind == "id_number" and wang.action == imports.UPDATE
    assert imports.KEEP_BOTH not in wang.allowed_actions()
    changed = {d.label: (d.old, d.new) for d in wang.differences}
    assert changed == {"入党时间": ("", "2008.06"), "全日制教育学位": ("", "学士"), "任现职时间": ("", "2019.03"),
                       "年度考核": ("", "2022年称职、2023年称职")}, changed  # years not stored yet: written too
    for row in plan.rows:
        if row is not wang:
            row.action = imports.SKIP
    assert imports.commit(plan).updated == 1
    after = cadres.get_profile(saved.id)
    assert after.values["phone"] == "13900000000"  # not in the file: untouched
    assert after.values["party"] == "200806" and after.version == saved.version + 1
    entry = AuditLog.select().where(AuditLog.entity_id == saved.id, AuditLog.action == "修改").order_by(
        AuditLog.id.desc()).first()
    assert set(json.loads(entry.changes)) == {"入党时间", "全日制教育学位", "任现职时间", "年度考核"}


def test_lrmx_duplicate_shows_what_the_file_would_change(db, tmp_path):
    xingping_units()
    write_lrmx(tmp_path / "a.lrmx", **person("陈刚", "198602"))
    imports.commit(imports.analyze(tmp_path / "a.lrmx"))
    write_lrmx(tmp_path / "b.lrmx", **person("陈刚", "198602", XianRenZhiWu="兴平市发展和改革局副局长",
                                           JiGuan="陕西咸阳"))
    row = imports.analyze(tmp_path / "b.lrmx").rows[0]
    assert row.duplicate_kind == "id_number"
    assert {(d.label, d.old, d.new) for d in row.differences} == {
        ("现任职务", "兴平市发展和改革局科员", "兴平市发展和改革局副局长"), ("籍贯", "陕西兴平", "陕西咸阳")}


def test_cli_says_how_many_units_were_read_from_the_position(db, db_path, tmp_path, capsys):
    from test_exchange import _cli

    xingping_units()
    report = tmp_path / "report.xlsx"
    _cli(["--db", str(db_path), "import", str(county_roster(tmp_path / "c.xlsx")), "--dry-run",
          "--accept-suggestions", "--report", str(report)])
    assert "5 行的单位从现任职务推断" in capsys.readouterr().out
    import openpyxl

    sheet = openpyxl.load_workbook(report).active
    header = [c.value for c in sheet[2]]
    units = {row[1]: (row[header.index("单位")], row[header.index("单位来源")])
             for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]}
    assert units["李娜"] == ("马嵬街道办事处", "从现任职务推断")
