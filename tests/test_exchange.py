"""Excel and LRMX exchange: exports reopened cell by cell, imports of real-world layouts, round
trips, hostile files, all-or-nothing commits, and the command line's exit codes."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import make_profile

from cadre_desk.domain.citizen_id import check_char
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import FIELDS
from cadre_desk.exchange import imports
from cadre_desk.exchange.workbook_package import FileRefused
from cadre_desk.profiles import cadres
from cadre_desk.store.models import AnnualAssessment, AuditLog, Cadre
from cadre_desk.units import units

DATA = Path(__file__).parent / "data"


def id_number(birth: str = "19851001", seq: str = "123") -> str:
    first = "110101" + birth + seq
    return first + check_char(first)


def _save(unit_id, **values):
    return cadres.save_profile(make_profile(unit_id, **values)).profile


# ---- export ------------------------------------------------------------------------------------


def test_roster_export_layout_and_formula_injection(db, unit, tmp_path):
    from reports.excel import excel_roster

    _save(unit.id, name="张三", id_number=id_number(), remarks="=1+2", position="-副局长")
    _save(unit.id, name="李四", gender="2", birth="199003", remarks="@SUM(A1)")
    out = tmp_path / "roster.xlsx"
    keys = ["name", "gender", "birth", "unit", "position", "id_number", "remarks"]
    assert excel_roster.export_roster(out, keys, reason="测试") == 2
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert "干部花名册" in ws["A1"].value
    assert [c.value for c in ws[2]] == ["序号", "姓名", "性别", "出生年月", "单位", "现任职务", "身份证号", "备注"]
    assert ws["B2"].font.bold
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:H4"  # header and both rows, so Excel filters all of them
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)  # OOXML default: 1
    assert str(ws.page_setup.fitToHeight) == "0" and ws.print_options.horizontalCentered
    # the registry's width hint (xlsxwriter stores it with Excel's cell padding added)
    assert abs(ws.column_dimensions["G"].width - excel_roster.px_to_width(150)) < 1
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["张三"][2:5] == ("男", "1985.10", "市财政局")
    # never formulas: stored as strings
    cells = {c.value: c for c in ws["H"] + ws["F"]}
    assert cells["=1+2"].data_type == "s" and cells["@SUM(A1)"].data_type == "s"
    assert cells["-副局长"].data_type == "s"
    entry = AuditLog.select().where(AuditLog.action == "导出").order_by(AuditLog.id.desc()).first()
    assert entry and "花名册 2 条" in entry.summary and entry.reason == "测试"
    assert not list(tmp_path.glob("*.part"))


def test_roster_export_selection_order_and_cancel(db, unit, tmp_path):
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import Progress
    from reports.excel import excel_roster

    a = _save(unit.id, name="甲")
    b = _save(unit.id, name="乙", birth="198601")
    out = tmp_path / "sel.xlsx"
    excel_roster.export_roster(out, ["name"], [b.id, a.id])
    ws = openpyxl.load_workbook(out).active
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == ["乙", "甲"]
    progress = Progress()
    progress.token.cancel()
    big = [a.id] * 5000
    with pytest.raises(Cancelled):
        excel_roster.export_roster(tmp_path / "c.xlsx", ["name"], big, progress)
    assert not (tmp_path / "c.xlsx").exists()


def test_presets_and_column_labels(db):
    from reports.excel import excel_roster

    assert excel_roster.columns_from_labels("姓 名,性别，出生日期") == ["name", "gender", "birth"]
    with pytest.raises(ValidationError):
        excel_roster.columns_from_labels("姓名,不存在的列")
    excel_roster.save_preset("报市委", ["name", "unit"])
    assert excel_roster.presets()["报市委"] == ["name", "unit"]


def test_stats_workbook_has_charts(demo_db, tmp_path):
    from reports.excel import excel_stats

    out = tmp_path / "stats.xlsx"
    excel_stats.export_stats(out)
    wb = openpyxl.load_workbook(out)
    assert {"总览", "单位", "年龄段", "性别", "学历", "职务层次、职级"} <= set(wb.sheetnames)
    ws = wb["性别"]
    assert ws["A2"].value == "性别" and ws["C2"].value == "占比"
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert total[1] == Cadre.select().where(Cadre.status == "1").count()
    with zipfile.ZipFile(out) as zf:
        assert sum(1 for n in zf.namelist() if n.startswith("xl/charts/chart")) >= 5


def test_other_workbooks_through_adapters(db, tmp_path, monkeypatch):
    import types
    from dataclasses import dataclass, field

    from reports.excel import excel_workbooks

    @dataclass
    class P:
        cadre_name: str
        line_name: str
        unit_name: str = "市财政局"
        post_name: str = "项目专班"
        host: str = "重点项目指挥部"
        channel: str = "组织选派"
        start: str = "202401"
        planned_end: str = "202412"
        actual_end: str = ""
        state: str = "在岗"
        daily_manager: str = "发改委"
        guide_name: str = ""
        outcome: str = "=HYPERLINK(1)"
        cadre_id: int = 1
        unit_id: int | None = None
        id: int = 1
        finished: bool = False
        active: bool = True
        grade: str = ""
        version: int = 1
        recall_reason: str = ""
        remarks: str = ""

    fake = types.SimpleNamespace(
        visible_postings=lambda state=None, line_id=None, post_id=None: [P("张三", "招商引资"), P("李四", "乡村振兴")])
    monkeypatch.setattr(excel_workbooks, "postings", fake)
    out = excel_workbooks.export_postings(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["招商引资", "乡村振兴"]
    assert wb["招商引资"]["B3"].value == "张三"
    assert wb["招商引资"]["D2"].value == "战线" and wb["招商引资"]["J2"].value == "剩余天数"  # as the list shows
    assert wb["招商引资"]["Z2"].value == "锻炼结果" and wb["招商引资"]["Z3"].data_type == "s"

    @dataclass
    class S:
        id: int
        title: str = "2024年度考核"
        period: str = "2024"
        scheme_name: str = "德能勤绩廉"
        finalized: bool = True

    @dataclass
    class R:
        rank: int
        cadre_id: int
        name: str
        unit_name: str
        total: float
        grade: str
        positive: int = 0
        negative: int = 0
        dimension_scores: dict = field(default_factory=dict)

    fake_a = types.SimpleNamespace(list_sheets=lambda: [S(1)])
    fake_g = types.SimpleNamespace(
        ranking=lambda sheet_id: [R(1, 1, "张三", "市财政局", 95.5, "优秀", 2, 0), R(2, 2, "李四", "市商务局", 80, "称职")])
    monkeypatch.setattr(excel_workbooks, "appraisals", fake_a)
    from cadre_desk.appraisal import racing

    monkeypatch.setattr(racing, "grading", fake_g)  # a sheet's ranking for a document: racing.sheet_ranking
    ws = openpyxl.load_workbook(excel_workbooks.export_appraisal(tmp_path / "a.xlsx")).active
    assert [c.value for c in ws[2]] == ["名次", "姓名", "单位", "总分", "等次", "正面清单", "负面清单"]  # as the tab
    assert [c.value for c in ws[3]] == [1, "张三", "市财政局", 95.5, "优秀", 2, 0]


def test_real_capability_workbooks(demo_db, tmp_path):
    """The postings, mentoring and appraisal services of the merged branches, through the adapters."""
    from cadre_desk.appraisal import appraisals
    from cadre_desk.mentoring import mentoring
    from cadre_desk.postings import postings
    from reports.excel import excel_workbooks

    out = excel_workbooks.export_postings(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(out)
    lines = {p.line_name for p in postings.list_postings()}
    assert set(wb.sheetnames) == lines or not lines
    assert sum(ws.max_row - 2 for ws in wb.worksheets) == len(postings.list_postings()) or not lines
    out = excel_workbooks.export_mentoring(tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row - 2 == len(mentoring.list_pairs())
    out = excel_workbooks.export_appraisal(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    sheets = appraisals.list_sheets()
    assert len(wb.worksheets) == max(1, len(sheets))
    if sheets:
        assert wb.worksheets[0]["A2"].value == "名次"


def test_postings_workbook_says_why_a_cadre_was_recalled_and_the_remarks(db, unit, tmp_path):
    """The list's detail shows 召回原因 and 备注; the 一线锻炼名册 (for whoever did not see the screen) lost both."""
    from cadre_desk.domain import clock, dates
    from cadre_desk.postings import frontline_posts, posting_data, postings
    from reports.excel import excel_workbooks

    cadre_id = cadres.save_profile(make_profile(unit.id, name="金勇峰", status="1")).profile.id
    line = next(x for x in frontline_posts.list_lines() if x.name == "重大项目建设")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="高铁片区项目专班",
                                                            host_type="专班", capacity=2))
    today = clock.today_yyyymmdd()
    posting = postings.create_posting(cadre_id, post.id, "组织选派", dates.add_months(today, -2),
                                      remarks="兼任专班联络员")
    posting = postings.start_posting(posting.id, posting.version, posting.start)
    postings.recall_posting(posting.id, posting.version, today, "因工作需要调回原单位")

    ws = openpyxl.load_workbook(excel_workbooks.export_postings(tmp_path / "p.xlsx"))["重大项目建设"]
    header = [c.value for c in ws[2]]
    row = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert header[header.index("状态") + 1] == "召回原因"
    assert row["状态"] == "提前召回" and row["召回原因"] == "因工作需要调回原单位"
    assert row["备注"] == "兼任专班联络员"


# ---- import: layouts ------------------------------------------------------------------------------


def _messy_roster(path: Path, unit_name: str = "市财政局") -> Path:
    """Titles above, 姓 名 with a space, a two-row merged header, numeric dates, full-width digits,
    汉 for 汉族, a repeated header row and a notes block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "某某市财政局干部名册"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位：（盖章）      2024年3月"
    header_top = ["姓 名", "性别", "出生年月", "民族", "全日制教育", None, "单位", "身份证号", "2023年"]
    header_bottom = [None, None, None, None, "学历", "学位", None, None, None]
    ws.append(header_top)
    ws.append(header_bottom)
    ws.merge_cells("E3:F3")
    for col in "ABCDGHI":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append(["王 五", "男", 1985.1, "汉族", "大学", "学士", unit_name, id_number("19851001", "135"), "优秀"])
    ws.append(["赵六", "女", "１９９０．０５", "汉", "研究生", "硕士", unit_name, None, "称职"])
    ws.append(["姓名", "性别", "出生年月", "民族", "学历", "学位", "单位", "身份证号", "2023年"])
    ws.append(["钱七", "男", 2011.05, "汉族", "大学", None, unit_name, None, None])
    ws.append([None, None, 32874, None, None, None, None, None, None])  # stray serial with no name
    ws.append(["孙八", "男", 32874, "汉族", None, None, unit_name, None, None])  # 1990-01-01 serial
    ws["D14"] = "注意：\n1、出生年月请写成 1985.10；\n2、单位须与系统一致。"
    ws.merge_cells("D14:G18")
    wb.save(path)
    return path


def test_messy_roster_imports_as_intended(db, unit, tmp_path):
    path = _messy_roster(tmp_path / "messy.xlsx")
    plan = imports.analyze(path)
    assert plan.kind == imports.ROSTER
    assert plan.header_rows == (3, 4)
    targets = {c.header: c.target for c in plan.columns}
    assert targets["姓 名"] == "name" and targets["全日制教育学历"] == "ft_education"
    assert targets["全日制教育学位"] == "ft_degree" and targets["2023年"] == "year:2023"
    assert any("重复的表头" in n for n in plan.notes) and any("说明文字" in n for n in plan.notes)
    rows = {r.name.replace(" ", ""): r for r in plan.rows if r.name}
    assert set(rows) == {"王五", "赵六", "钱七", "孙八"}
    assert rows["王五"].ok and rows["王五"].values["birth"] == "198510"
    assert rows["赵六"].suggestions == {"ethnicity": "汉族"} and not rows["赵六"].ok
    assert rows["钱七"].values["birth"] == "201105"
    assert rows["孙八"].values["birth"] == "199001"
    stray = [r for r in plan.rows if not r.name]
    assert stray and "姓名为空" in stray[0].problems[0]

    plan = imports.analyze(path, imports.ImportOptions(accept_suggestions=True))
    rows = {r.name.replace(" ", ""): r for r in plan.rows if r.name}
    assert rows["赵六"].ok and rows["赵六"].values["ethnicity"] == "01"
    result = imports.commit(plan)
    assert result.inserted == 4 and result.rejected == 1
    wang = Cadre.get(Cadre.id_number == id_number("19851001", "135"))
    assert wang.ft_degree and AnnualAssessment.get(AnnualAssessment.cadre == wang.id).year == 2023
    entry = AuditLog.select().where(AuditLog.action == "导入").first()
    assert "新增 4 人" in entry.summary


def test_mapping_override_and_saved_preset(db, unit, tmp_path):
    path = _messy_roster(tmp_path / "m.xlsx")
    plan = imports.analyze(path, imports.ImportOptions(accept_suggestions=True))
    col = next(c for c in plan.columns if c.target == "ft_degree")
    imports.set_mapping(plan, {col.index: None})
    assert all("ft_degree" not in r.raw for r in plan.rows)
    imports.save_mapping("财政局格式", plan)
    plan2 = imports.analyze(path)
    mapping = imports.mapping_for(plan2, "财政局格式")
    assert mapping[col.index] is None


def test_duplicates_skip_or_update(db, unit, tmp_path):
    existing = _save(unit.id, name="王五", id_number=id_number("19851001", "135"))
    _save(unit.id, name="钱七", birth="201105")
    path = _messy_roster(tmp_path / "d.xlsx")
    options = imports.ImportOptions(accept_suggestions=True)
    plan = imports.analyze(path, options)
    rows = {r.name.replace(" ", ""): r for r in plan.rows if r.name}
    assert rows["王五"].duplicate_id == existing.id and rows["王五"].duplicate_reason == "身份证号相同"
    assert rows["钱七"].duplicate_reason == "姓名和出生年月相同"
    assert rows["王五"].action == imports.SKIP
    result = imports.commit(plan, options)
    assert result.inserted == 2 and Cadre.select().count() == 4
    options.duplicate_action = imports.UPDATE
    plan = imports.analyze(path, options)
    result = imports.commit(plan, options)
    assert (result.updated, result.unchanged) == (2, 2)  # the two rows inserted just above: nothing new
    assert cadres.get_profile(existing.id).values["ft_degree"]


def test_unknown_unit_is_a_problem_or_created(db, unit, tmp_path):
    path = _messy_roster(tmp_path / "u.xlsx", unit_name="新区/新区管委会")
    plan = imports.analyze(path, imports.ImportOptions(accept_suggestions=True))
    assert all("不存在" in " ".join(r.problems) for r in plan.rows if r.name)
    options = imports.ImportOptions(accept_suggestions=True, create_units=True)
    plan = imports.analyze(path, options)
    assert imports.commit(plan, options).inserted == 4
    created = units.find_by_name("新区/新区管委会")
    assert created and Cadre.select().where(Cadre.unit == created.id).count() == 4


def test_all_or_nothing_when_failing_mid_import(db, unit, tmp_path, monkeypatch):
    path = _messy_roster(tmp_path / "f.xlsx")
    options = imports.ImportOptions(accept_suggestions=True)
    plan = imports.analyze(path, options)
    with pytest.raises(ValidationError, match="未导入任何数据"):
        imports.commit(plan, options, skip_invalid=False)
    assert Cadre.select().count() == 0

    from cadre_desk.security import audit

    def boom(*a, **k):
        raise RuntimeError("磁盘出错")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        imports.commit(plan, options)
    assert Cadre.select().count() == 0 and AnnualAssessment.select().count() == 0


def test_problem_report(db, unit, tmp_path):
    plan = imports.analyze(_messy_roster(tmp_path / "r.xlsx"))
    out = imports.save_problem_report(plan, tmp_path / "report.xlsx")
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("行号", "姓名", "处理", "问题")
    text = " ".join(str(c) for r in rows for c in r if c)
    assert "赵六" in text and "汉族" in text


# ---- the reference samples --------------------------------------------------------------------------


def test_sample_all_import_template(db, unit):
    plan = imports.analyze(DATA / "cadre_all_import_template.xlsx")
    assert plan.kind == imports.ROSTER and plan.header_rows == (1,)
    targets = {c.header: c.target for c in plan.columns}
    assert targets["姓名"] == "name" and targets["所在单位"] == "unit"
    assert targets["入党时间"] == "party" and targets["参加工作时间"] == "work_start"
    assert targets["任职日期（主职）"] == "position_date" and targets["联系方式"] == "phone"
    # the only data row has no name (an empty post); the notes block D5:G13 is not a row
    assert len(plan.rows) == 1 and "姓名为空" in plan.rows[0].problems[0]
    assert any("说明文字" in n for n in plan.notes)


def test_sample_appraisal_template(db, unit):
    zhang = _save(unit.id, name="张三")
    plan = imports.analyze(DATA / "cadre_appraisal_import_template.xlsx")
    assert plan.kind == imports.ASSESSMENT
    assert [c.target for c in plan.columns][3:] == ["year:2018", "year:2017", "year:2016"]
    row = plan.rows[0]
    assert row.ok and row.target_id == zhang.id
    imports.commit(plan)
    got = {a.year: a.result for a in cadres.get_profile(zhang.id).assessments}
    assert got == {2018: "5", 2017: "1", 2016: "7"}  # 合格 优秀 不合格


def test_sample_appraisal_ambiguous_and_missing(db, unit):
    plan = imports.analyze(DATA / "cadre_appraisal_import_template.xlsx")
    assert "没有名为“张三”" in plan.rows[0].problems[0]
    _save(unit.id, name="张三")
    _save(unit.id, name="张三", birth="199001")
    plan = imports.analyze(DATA / "cadre_appraisal_import_template.xlsx")
    assert "2 名“张三”" in plan.rows[0].problems[0]


def test_sample_training_template(db, unit):
    zheng = _save(unit.id, name="郑国民")
    plan = imports.analyze(DATA / "cadre_training_template.xlsx")
    assert plan.kind == imports.TRAINING
    row = plan.rows[0]
    assert row.ok, row.problems
    assert row.trainings[0].start == "201105" and row.trainings[0].end == "201108"
    imports.commit(plan)
    training = cadres.get_profile(zheng.id).trainings[0]
    assert training.organizer == "北京市委教育工委" and "辅导员培训" in training.name


def test_sample_young_cadre_reserve(db, unit):
    plan = imports.analyze(DATA / "young_cadre_reserve_template.xlsx")
    assert plan.kind == imports.ROSTER
    assert not plan.rows[0].ok  # a bare name list cannot create profiles
    zhang = _save(unit.id, name="张三")
    plan = imports.analyze(DATA / "young_cadre_reserve_template.xlsx",
                           imports.ImportOptions(duplicate_action=imports.UPDATE))
    row = plan.rows[0]
    assert row.duplicate_id == zhang.id and row.ok and row.action == imports.UPDATE
    imports.commit(plan)
    assert cadres.get_profile(zhang.id).values["position"] == "党委组织部办公室主任"


# ---- round trips ----------------------------------------------------------------------------------


def test_roster_round_trip_gives_the_same_profiles(demo_db, tmp_path, db_path):
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from reports.excel import excel_roster

    keys = [f.key for f in FIELDS]
    before = {c.id_number: cadres.get_profile(c.id).values for c in Cadre.select()}
    out = tmp_path / "all.xlsx"
    excel_roster.export_roster(out, keys)
    tree = units.list_units()  # parents first
    close_database()
    open_database(tmp_path / "fresh.sqlite3")
    ids = {}
    for unit in tree:
        ids[unit.id] = units.create_unit(unit.name, ids.get(unit.parent_id), unit.kind, unit.full_name).id
    plan = imports.analyze(out)
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows if r.problems][:3]
    imports.commit(plan, skip_invalid=False)
    after = {c.id_number: cadres.get_profile(c.id).values for c in Cadre.select()}
    assert set(after) == set(before)
    for number, values in before.items():
        other = after[number]
        for key in keys:
            if key == "unit":
                assert ids[values[key]] == other[key]
            else:
                assert (values[key] or "") == (other[key] or ""), (key, values[key], other[key])


def test_lrmx_round_trip(demo_db, tmp_path):
    from cadre_desk.exchange import lrmx_format
    from reports.lrmx import lrmx

    source = [c.id for c in Cadre.select().limit(12)]
    originals = {i: cadres.get_profile(i) for i in source}
    import base64

    from cadre_desk.profiles.photos import normalize_photo
    from tests.corpus import photo_png

    originals[source[0]].photo = normalize_photo(base64.b64decode(photo_png(300, 375)))  # imports check it
    cadres.save_profile(originals[source[0]])
    originals[source[0]] = cadres.get_profile(source[0])
    files = lrmx.export_lrmx(tmp_path / "out", source)
    assert len(files) == 12
    text = files[0].read_bytes().decode("utf-8-sig")
    tags = [t for t in lrmx_format.ORDER if f"<{t}>" in text]
    assert tags == list(lrmx_format.ORDER)
    assert "<Version>3.2.1.16</Version>" in text
    deleted = []
    for cid in source:
        try:
            cadres.delete_cadre(cid)  # cadres on postings or in pairs refuse: they stay duplicates
            deleted.append(cid)
        except ValidationError:
            pass
    assert deleted
    plan = imports.analyze(tmp_path / "out")
    assert plan.kind == imports.LRMX and len(plan.rows) == 12
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    assert sum(r.duplicate_id is not None for r in plan.rows) == 12 - len(deleted)
    imports.commit(plan)
    for cid in deleted:
        original = originals[cid]
        new = Cadre.get(Cadre.id_number == original.values["id_number"])
        got = cadres.get_profile(new.id)
        for spec in FIELDS:
            if spec.lrmx:
                assert (got.values[spec.key] or "") == (original.values[spec.key] or ""), spec.key
        assert got.values["unit"] == original.values["unit"]  # found from 现任职务
        assert [(r.start, r.end, r.text) for r in got.resume] == [(r.start, r.end, r.text) for r in original.resume]
        assert [(f.relation, f.name, f.birth, f.political) for f in got.family] == \
            [(f.relation, f.name, f.birth, f.political) for f in original.family]
        assert (got.photo is None) == (original.photo is None)  # stored again as a checked 300×375 JPEG
        assert got.photo is None or got.photo[:2] == b"\xff\xd8"
        recent = sorted(original.assessments, key=lambda a: a.year)[-3:]
        assert {(a.year, a.result) for a in got.assessments} == {(a.year, a.result) for a in recent}


def test_skeleton_lrmx_is_an_empty_profile(db, unit):
    plan = imports.analyze(DATA / "skeleton.lrmx")
    assert len(plan.rows) == 1
    row = plan.rows[0]
    assert not row.ok and "空白任免表" in row.problems[0]


# ---- hostile files ------------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_opening(db, tmp_path):
    path = tmp_path / "bomb.xlsx"
    shutil.copy(DATA / "young_cadre_reserve_template.xlsx", path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (30 * 1024 * 1024))  # 30 MB → ~30 KB
    with pytest.raises(FileRefused, match="压缩炸弹"):
        imports.analyze(path)


def test_entity_bombs_are_refused(db, tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><Person><XingMing>&lol3;</XingMing></Person>')
    path = tmp_path / "bomb.lrmx"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(FileRefused, match="实体"):
        imports.analyze(path)
    xlsx = tmp_path / "bomb.xlsx"
    src = zipfile.ZipFile(DATA / "young_cadre_reserve_template.xlsx")
    with zipfile.ZipFile(xlsx, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            zf.writestr(info, data)
    with pytest.raises(FileRefused, match="实体"):
        imports.analyze(xlsx)


def test_million_row_sheet_is_refused(db, tmp_path, monkeypatch):
    from cadre_desk.exchange import workbooks as sheets

    path = tmp_path / "huge.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(["姓名", "性别", "出生年月"])
    for i in range(400):
        ws.append([f"人{i}", "男", "198510"])
    wb.save(path)
    monkeypatch.setattr(sheets, "MAX_ROWS", 300)
    with pytest.raises(FileRefused, match="上限"):
        sheets.read_workbook(path, max_rows=300)
    # a sheet whose dimension claims a million rows is refused before its rows are read
    src = zipfile.ZipFile(DATA / "young_cadre_reserve_template.xlsx")
    fake = tmp_path / "claims.xlsx"
    with zipfile.ZipFile(fake, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:D1000000"/>')
            zf.writestr(info, data)
    with pytest.raises(FileRefused, match="1,000,000"):
        imports.analyze(fake)


def test_garbage_files_are_refused(db, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    with pytest.raises(FileRefused):
        imports.analyze(bad)
    other = tmp_path / "x.txt"
    other.write_text("hello")
    with pytest.raises(FileRefused, match="不支持"):
        imports.analyze(other)


# ---- command line -----------------------------------------------------------------------------------


def _cli(args):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    close_database()
    return main(args)


def test_cli_import_exit_codes(db, unit, db_target, tmp_path):
    from cadre_desk.store.db import close_database

    path = _messy_roster(tmp_path / "cli.xlsx")
    close_database()
    assert _cli(["--db", db_target, "import", str(path)]) == 1  # 赵六's 汉 → rejected, nothing written
    assert Cadre.select().count() == 0
    report = tmp_path / "rep.xlsx"
    assert _cli(["--db", db_target, "import", str(path), "--dry-run", "--skip-invalid",
                 "--report", str(report)]) == 1
    assert report.exists() and Cadre.select().count() == 0
    assert _cli(["--db", db_target, "import", str(path), "--skip-invalid"]) == 1
    assert Cadre.select().count() == 3
    assert _cli(["--db", db_target, "import", str(path), "--accept-suggestions"]) == 1  # stray row
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    assert _cli(["--db", db_target, "import", str(bad)]) == 2
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "单位"])
    wb.active.append(["周九", "男", "1988.08", "市财政局"])
    wb.save(good)
    assert _cli(["--db", db_target, "import", str(good)]) == 0
    assert Cadre.select().where(Cadre.name == "周九").exists()


def test_cli_exports(demo_db, db_target, tmp_path):
    out = tmp_path / "r.xlsx"
    assert _cli(["--db", db_target, "export", "roster", str(out), "--columns", "姓名,性别,出生年月",
                 "--ids", "1-3,5"]) == 0
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == 6 and ws["B2"].value == "姓名"
    assert _cli(["--db", db_target, "export", "lrmx", str(tmp_path / "l"), "--ids", "1,2"]) == 0
    assert len(list((tmp_path / "l").glob("*.lrmx"))) == 2
    assert _cli(["--db", db_target, "export", "stats", str(tmp_path / "s.xlsx")]) == 0


def test_an_lrmx_export_says_whose_texts_are_over_the_editors_limits_and_cuts_nothing(db, unit, db_target, tmp_path,
                                                                                      capsys):
    """A 奖惩情况 over the element's 552 characters was written as is with nothing said (the save warns, the
    export did not): the official 任免表 editor may cut or refuse it. The export still writes it whole, and
    says whose fields are over which limit, on the command line too; the 已导出 line comes first, with no
    blank line before it when the output is not a terminal."""
    from cadre_desk.domain.fields import RewardItem
    from cadre_desk.exchange.lrmx_format import over_limits
    from cadre_desk.profiles import cadres
    from tests.conftest import make_profile

    long = "年度考核被确定为优秀等次，给予嘉奖" * 40  # 680 characters
    profile = make_profile(unit.id, name="陈刚")
    profile.rewards = [RewardItem("201912", "1", long, "兴平市人民政府")]
    chen = cadres.save_profile(profile).profile.id
    short = cadres.save_profile(make_profile(unit.id, name="刘洋")).profile.id
    (said,) = over_limits(cadres.get_profile(chen))
    assert said.startswith("奖惩情况 ") and said.endswith("字（限 552 字）")
    assert over_limits(cadres.get_profile(short)) == []
    capsys.readouterr()
    assert _cli(["--db", db_target, "export", "lrmx", str(tmp_path / "l"), "--ids", f"{chen},{short}"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("已导出任免表 2 份")  # no blank line first: the output is not a terminal
    assert "陈刚：奖惩情况" in out.err and "限 552 字" in out.err and "刘洋" not in out.err
    written = next((tmp_path / "l").glob("陈刚*.lrmx")).read_text(encoding="utf-8-sig")
    assert written.count("年度考核被确定为优秀等次，给予嘉奖") == 40  # whole: never cut


def test_xls_roster_imports(db, unit):
    """An Excel 97-2003 file (made once with xlwt): merged group header, date cells, numeric dates."""
    plan = imports.analyze(DATA / "roster_sample.xls")
    assert plan.header_rows == (2, 3)
    targets = {c.header: c.target for c in plan.columns}
    assert targets["在职教育学历"] == "pt_education" and targets["在职教育学位"] == "pt_degree"
    rows = {r.name.replace(" ", ""): r for r in plan.rows}
    assert rows["周九"].ok, rows["周九"].problems
    assert rows["周九"].values["birth"] == "198808" and rows["周九"].values["work_start"] == "201007"
    assert rows["吴十"].values["birth"] == "199010" and rows["吴十"].values["work_start"] == "201208"
    assert imports.commit(plan, skip_invalid=False).inserted == 2


def test_cli_lrmx_folder_import(demo_db, db_target, tmp_path):
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from reports.lrmx import lrmx

    ids = [c.id for c in Cadre.select().limit(3)]
    lrmx.export_lrmx(tmp_path / "l", ids)
    (tmp_path / "l" / "broken.lrmx").write_text("<Person><XingMing>半截", encoding="utf-8")
    close_database()
    # every cadre already exists: skipped as duplicates; the broken file is a rejected row
    assert _cli(["--db", db_target, "import", str(tmp_path / "l"), "--dry-run"]) == 1
    assert _cli(["--db", db_target, "import", str(tmp_path / "l"), "--skip-invalid", "--update"]) == 1
    open_database(db_target)
    entry = AuditLog.select().where(AuditLog.action == "导入").order_by(AuditLog.id.desc()).first()
    assert "更新 0 人，无变化 3 人" in entry.summary  # the files the program wrote: nothing to change


@pytest.mark.sqlite_only
def test_import_backs_the_database_up_first(db, unit, db_path, tmp_path):
    import sqlite3

    from cadre_desk.security import backups

    _save(unit.id, name="原有干部", id_number=id_number())
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "单位"])
    wb.active.append(["周九", "男", "1988.08", "市财政局"])
    wb.save(good)
    result = imports.commit(imports.analyze(good))
    assert result.inserted == 1 and result.backup is not None and result.backup.exists()
    assert result.backup in [b.path for b in backups.list_backups(db_path)]
    # the backup holds the database as it was before the import: restoring it undoes the import
    conn = sqlite3.connect(result.backup)
    try:
        assert [r[0] for r in conn.execute("SELECT name FROM cadre")] == ["原有干部"]
    finally:
        conn.close()
    nothing = imports.commit(imports.analyze(good), dry_run=True)
    assert nothing.backup is None  # a dry run writes nothing and needs no backup


@pytest.mark.sqlite_only
def test_cli_import_reports_its_backup(db, unit, db_path, tmp_path, capsys):
    from cadre_desk.store.db import close_database

    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "单位"])
    wb.active.append(["周九", "男", "1988.08", "市财政局"])
    wb.save(good)
    close_database()
    assert _cli(["--db", str(db_path), "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "导入前已备份数据库" in out
    backup = Path(out.split("导入前已备份数据库：", 1)[1].splitlines()[0])
    assert backup.exists()


def test_padded_names_are_the_same_person(db, unit, tmp_path):
    """Rosters pad two-character names (张  三, 王　五) to line them up; the padding is not the name."""
    zhang = _save(unit.id, name="张三", birth="198510")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓 名", "性别", "出生年月", "民族", "单位"])
    ws.append(["张  三", "男", "1985.10", "汉族", "市财政局"])
    ws.append(["王\u3000五", "男", "1990.01", "汉族", "市财政局"])
    ws.append(["Anna Li", "女", "1991.02", "汉族", "市财政局"])
    roster = tmp_path / "padded.xlsx"
    wb.save(roster)
    plan = imports.analyze(roster)
    rows = {r.line: r for r in plan.rows}
    assert rows[2].values["name"] == "张三" and rows[2].duplicate_id == zhang.id
    assert rows[3].values["name"] == "王五" and rows[4].values["name"] == "Anna Li"

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "2018年"])
    ws.append(["张　三", "优秀"])
    appraisal = tmp_path / "appraisal.xlsx"
    wb.save(appraisal)
    plan = imports.analyze(appraisal)
    assert plan.rows[0].ok and plan.rows[0].target_id == zhang.id


def test_xlsx_renamed_to_xls_is_read_by_its_content(db, unit, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "民族", "单位"])
    wb.active.append(["周八", "男", "1985.10", "汉族", "市财政局"])
    path = tmp_path / "renamed.xls"
    wb.save(path)
    plan = imports.analyze(path)
    assert [r.values["name"] for r in plan.rows] == ["周八"] and plan.rows[0].ok


def test_cancelled_lrmx_export_leaves_no_files(demo_db, tmp_path):
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress
    from cadre_desk.security import audit
    from reports.lrmx import lrmx

    ids = [c.id for c in Cadre.select().order_by(Cadre.id).limit(4)]
    folder = tmp_path / "l"
    folder.mkdir()
    earlier = folder / lrmx.file_name(cadres.get_profile(ids[0]))
    earlier.write_bytes(b"earlier")
    token = CancelToken()

    def report(done, total, text):
        if done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):
        lrmx.export_lrmx(folder, ids, Progress(report, token), reason="报送")
    assert [p.name for p in folder.iterdir()] == [earlier.name] and earlier.read_bytes() == b"earlier"
    assert not [e for e in audit.entries() if e.action == audit.EXPORT]
    files = lrmx.export_lrmx(folder, ids, reason="报送")
    assert len(files) == 4 and earlier.read_bytes() != b"earlier"
    entry = next(e for e in audit.entries() if e.action == audit.EXPORT)
    assert entry.reason == "报送" and entry.changes["干部编号"][1] == ids


def test_roster_export_audit_names_the_cadres(db, unit, tmp_path):
    from cadre_desk.security import audit
    from reports.excel import excel_roster

    ids = [_save(unit.id, name=n, birth=f"19850{i + 1}").id for i, n in enumerate("甲乙丙丁")]
    excel_roster.export_roster(tmp_path / "r.xlsx", ["name"], [ids[3], ids[0], ids[1]], reason="报送")
    entry = next(e for e in audit.entries() if e.action == audit.EXPORT)
    assert entry.reason == "报送" and entry.changes["干部编号"][1] == f"{ids[0]}-{ids[1]},{ids[3]}"
    excel_roster.export_roster(tmp_path / "all.xlsx", ["name"], reason="报送")
    assert next(e for e in audit.entries() if e.action == audit.EXPORT).changes["干部编号"][1] == "全部干部"


def test_lrmx_declared_gb2312_or_gbk_is_read(db, unit, tmp_path):
    text = (DATA / "skeleton.lrmx").read_bytes().decode("utf-8-sig")
    text = text.replace("<XingMing></XingMing>", "<XingMing>钱犇</XingMing>")
    text = text.replace('encoding="utf-8"', 'encoding="GB2312"').replace('encoding="UTF-8"', 'encoding="GB2312"')
    assert 'encoding="GB2312"' in text
    path = tmp_path / "old.lrmx"
    path.write_bytes(text.encode("gb18030"))
    plan = imports.analyze_lrmx(path, imports.ImportOptions(default_unit_id=unit.id))
    assert plan.rows[0].profile.name == "钱犇"
    bad = tmp_path / "bad.lrmx"
    bad.write_bytes(text.replace("GB2312", "klingon").encode("utf-8"))
    with pytest.raises(FileRefused, match="文字编码"):
        imports.analyze_lrmx(bad)


@pytest.mark.parametrize(("political", "name"), [("04", "民革"), ("05", "民盟"), ("06", "民建"), ("07", "民进"),
                                               ("08", "农工党"), ("09", "致公党"), ("10", "九三"), ("11", "台盟")])
def test_lrmx_party_of_a_democratic_party_member(db, unit, tmp_path, political, name):
    """Exported: 入党时间 names the member's own party (from 政治面貌 when 入党时间 is empty, as a roster
    imported with 政治面貌 only leaves it); imported: 政治面貌 is that party again (.lrmx has none)."""
    from cadre_desk.exchange import lrmx_format

    profile = make_profile(unit.id, name="钱犇", political=political, party="")
    text = lrmx_format.to_xml(profile).decode("utf-8-sig")
    assert f"<RuDangShiJian>{name}</RuDangShiJian>" in text
    path = tmp_path / "one.lrmx"
    path.write_text(text.replace(f">{name}<", ">九三学社<" if name == "九三" else f">{name}<"), encoding="utf-8")
    row = imports.analyze_lrmx(path, imports.ImportOptions(default_unit_id=unit.id)).rows[0]
    assert row.ok, row.problems
    assert row.values["party"] == name and row.values["political"] == political


def test_missing_lrmx_file_is_refused_in_chinese(db, tmp_path):
    with pytest.raises(FileRefused) as info:
        imports.analyze_lrmx(tmp_path / "gone.lrmx")
    assert "找不到文件" in str(info.value) and "Errno" not in str(info.value)


def test_truncated_lrmx_is_refused_in_chinese(db, tmp_path):
    path = tmp_path / "cut.lrmx"
    path.write_bytes(b'<?xml version="1.0"?><Person><XingMing>x</Xing')
    with pytest.raises(FileRefused) as info:
        imports.analyze_lrmx(path)
    assert "格式有误" in str(info.value) and "mismatched" not in str(info.value)


def test_password_protected_workbook_is_explained(db):
    with pytest.raises(FileRefused) as info:  # an .xlsx encrypted with the password "secret"
        imports.analyze(DATA / "password_protected.xlsx")
    assert "设有打开密码" in str(info.value) and "OLE2" not in str(info.value)


def test_damaged_xlsx_message_has_no_exception_names(db, tmp_path):
    import zipfile as zf

    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别"])
    wb.save(good)
    broken = tmp_path / "broken.xlsx"
    with zf.ZipFile(good) as src, zf.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, data[: len(data) // 2] if info.filename == "xl/workbook.xml" else data)
    with pytest.raises(FileRefused) as info:
        imports.analyze(broken)
    assert str(info.value) == ("无法读取“broken.xlsx”：文件已损坏或不是 Excel / WPS 表格文件。"
                               "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。")


def test_damaged_xls_message_is_chinese_only(db, tmp_path):
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # an OLE header and nothing else
    with pytest.raises(FileRefused) as info:
        imports.analyze(broken)
    message = str(info.value).replace("broken", "")
    assert "已损坏" in message and "另存为 .xlsx" in message
    assert not any("a" <= ch.lower() <= "z" for ch in message.replace(".xlsx", "").replace(".xls", "")
                   .replace("Excel", "").replace("WPS", "")), message


def _two_new_people(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "民族", "身份证号", "单位"])
    ws.append(["李明", "男", "1985.10", "汉族", id_number("19851001", "357"), "市财政局"])
    ws.append(["周芳", "女", "1980.05", "汉族", "", "市财政局"])
    wb.save(path)
    return path


@pytest.mark.parametrize("there", ["number", "name_and_birth"])
def test_people_added_elsewhere_after_the_preview_refuse_the_import(db, unit, tmp_path, there):
    """Between the preview and 导入, another clerk enters one of the file's people: the import is refused
    naming that person, whether the 身份证号 or the name and birth month gives them away, and nothing of
    the file is written (the check looks the file's people up by index, under the write lock)."""
    from cadre_desk.domain.errors import ConflictError

    plan = imports.analyze(_two_new_people(tmp_path / "new.xlsx"))
    assert [r.name for r in plan.rows if r.ok] == ["李明", "周芳"]
    if there == "number":
        _save(unit.id, name="李明", birth="198510", id_number=id_number("19851001", "357"))
        named = "李明（身份证号"
    else:
        _save(unit.id, name="周芳", gender="2", birth="198005")
        named = "周芳（出生年月 1980.05）"
    _save(unit.id, name="周芳", gender="2", birth="197905")  # same name, another month: not the same person
    before = Cadre.select().count()
    with pytest.raises(ConflictError) as refused:
        imports.commit(plan, backup=False)
    assert named in str(refused.value) and "未导入任何数据" in str(refused.value)
    assert Cadre.select().count() == before
