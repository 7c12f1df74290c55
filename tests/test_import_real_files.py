"""Issue 19 as a clerk meets it: 年度考核 text kept as written in its own field (年度考核结果（原文）),
shown on the profile and written back by the 任免表 (file and PDF); a 任免表 in the official editor's
own form comes back out element by element; the county's roster saved as .ods by WPS / LibreOffice."""

from __future__ import annotations

import sqlite3

from corpus import COUNTY_ROWS, county_roster_ods, person, write_lrmx, xingping_units

from cadre_desk.domain.fields import BY_KEY, AssessmentItem
from cadre_desk.exchange import imports, lrmx_format
from cadre_desk.exchange.assessment_text import official_text
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre


def _elements(data: bytes) -> dict[str, str]:
    from defusedxml.ElementTree import fromstring

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    root = fromstring(data)
    return {child.tag: (child.text or "").strip() for child in root if child.tag not in ("JiaTingChengYuan",)}


def test_the_kept_text_is_written_back_while_the_results_still_say_it():
    def items(*pairs):
        return [AssessmentItem(year, result, "", "导入") for year, result in pairs]

    assert official_text("2021年度优秀，2022年度称职", items((2021, "1"), (2022, "2"))) == "2021年度优秀，2022年度称职"
    assert official_text("连续三年考核称职", []) == "连续三年考核称职"
    # a result changed on the profile, or a later year added: the results' own wording
    assert official_text("2021年度优秀，2022年度称职", items((2021, "1"), (2022, "1"))) == \
        "2021年、2022年年度考核均为优秀"
    assert official_text("连续三年考核称职", items((2024, "1"))) == "2024年度考核为优秀"
    assert official_text("", items((2023, "9"), (2022, "8"))) == "2022年度考核不定等次，2023年度未参加考核"


# 每个元素按官方任免表软件的写法：日期 YYYYMM，简历“YYYY.MM--YYYY.MM  经历”，在职一行截止时间留空
EDITOR_FORM = dict(
    XingMing="陈刚", XingBie="男", ChuShengNianYue="198602", MinZu="汉族", JiGuan="陕西兴平", ChuShengDi="陕西兴平",
    RuDangShiJian="200807", CanJiaGongZuoShiJian="200807", JianKangZhuangKuang="健康",
    ZhuanYeJiShuZhiWu="经济师", ShuXiZhuanYeYouHeZhuanChang="熟悉发展改革工作",
    QuanRiZhiJiaoYu_XueLi="大学", QuanRiZhiJiaoYu_XueWei="经济学学士",
    QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="西北大学经济管理学院经济学专业",
    QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="西北大学经济管理学院经济学专业",
    ZaiZhiJiaoYu_XueLi="研究生", ZaiZhiJiaoYu_XueWei="",
    ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="中共陕西省委党校经济管理专业", ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="",
    XianRenZhiWu="兴平市发展和改革局副局长", NiRenZhiWu="兴平市发展和改革局局长", NiMianZhiWu="兴平市发展和改革局副局长",
    JianLi="2004.09--2008.07  西北大学经济管理学院经济学专业学习\n"
           "2008.07--2015.06  兴平市马嵬街道办事处科员\n"
           "2015.06--         兴平市发展和改革局副局长",
    JiangChengQingKuang="2019.12 被评为优秀公务员（兴平市委）",
    NianDuKaoHeJieGuo="2021年度优秀，2022年、2023年年度考核均为称职",
    RenMianLiYou="工作需要", ChengBaoDanWei="中共兴平市委组织部", JiSuanNianLingShiJian="202403",
    TianBiaoShiJian="202403", TianBiaoRen="王敏", ZhaoPian="",
)


def test_a_file_of_the_official_editor_comes_back_out_element_by_element(db, tmp_path):
    from reports.lrmx import lrmx

    xingping_units()
    source = write_lrmx(tmp_path / "chen.lrmx", **person(**EDITOR_FORM))
    plan = imports.analyze(source)
    assert plan.rows[0].ok, plan.rows[0].problems
    imports.commit(plan)
    cadre = Cadre.get(Cadre.name == "陈刚")
    out = lrmx.export_lrmx(tmp_path / "out", [cadre.id])[0].read_bytes()
    given, written = _elements(source.read_bytes()), _elements(out)
    given["Version"] = lrmx_format.VERSION
    different = {tag: (given[tag], written.get(tag)) for tag in given if given[tag] != written.get(tag)}
    assert not different, different
    assert "<Item>" in out.decode("utf-8-sig") and "刘芳" in out.decode("utf-8-sig")


def test_idioms_come_back_in_the_editors_form(db, tmp_path):
    """Full-width spaces, "—至今", "2001.08；民建", GB18030 and empty elements in; the editor's own form
    out, and the 年度考核 text exactly as it came."""
    from reports.lrmx import lrmx

    xingping_units()
    source = write_lrmx(tmp_path / "li.lrmx", "gb18030", "GB2312",
                        **person("李娜", "199005", assess="2022年度优秀，2023年度未参加考核（产假）",
                                 RuDangShiJian="2001.08；民建", JiangChengQingKuang="", ZaiZhiJiaoYu_XueLi=""))
    imports.commit(imports.analyze(source))
    cadre = Cadre.get(Cadre.name == "李娜")
    written = _elements(lrmx.export_lrmx(tmp_path / "out", [cadre.id])[0].read_bytes())
    assert written["NianDuKaoHeJieGuo"] == "2022年度优秀，2023年度未参加考核（产假）"
    assert written["RuDangShiJian"] == "200108；民建"
    assert written["JianLi"].splitlines()[-1].startswith("2015.06--         兴平市发展和改革局科员")
    assert "\u3000" not in written["JianLi"] and "至今" not in written["JianLi"]
    assert written["ZaiZhiJiaoYu_XueLi"] == ""
    profile = cadres.get_profile(cadre.id)
    assert {(a.year, a.result) for a in profile.assessments} == {(2022, "1"), (2023, "9")}


def test_unreadable_text_is_kept_on_the_profile_and_on_the_form(db, tmp_path):
    from reports.pdf import batch

    xingping_units()
    write_lrmx(tmp_path / "h.lrmx", **person("黄河", "198809", assess="近三年年度考核均为称职"))
    plan = imports.analyze(tmp_path / "h.lrmx")
    row = plan.rows[0]
    assert row.ok and any("原文" in w for w in row.warnings)
    imports.commit(plan)
    profile = cadres.get_profile(Cadre.get(Cadre.name == "黄河").id)
    assert profile.values["assessment_text"] == "近三年年度考核均为称职" and not profile.values["remarks"]
    assert BY_KEY["assessment_text"].label == "年度考核结果（原文）"
    out = tmp_path / "rmb.pdf"
    batch.build_dossiers([profile.id], out_path=out, kind="rmb", reason="任免审批")
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "近三年年度考核均为称职" in "".join(text.split())


def test_a_county_roster_saved_as_ods_imports_like_the_xlsx(db, db_path, tmp_path, capsys):
    from test_exchange import _cli

    units = xingping_units()
    path = county_roster_ods(tmp_path / "county.ods")
    plan = imports.analyze(path, imports.ImportOptions(accept_suggestions=True))
    assert plan.header_rows == (3, 4)
    rows = {r.name: r for r in plan.rows}
    assert set(rows) == {row[0].replace(" ", "").replace("\u3000", "") for row in COUNTY_ROWS}
    assert rows["王伟"].unit_id == units["兴平市发展和改革局"] and rows["王伟"].values["birth"] == "198510"
    assert rows["李娜"].values["birth"] == "199005" and rows["李娜"].values["party"] == "200108；民建"
    assert rows["张强"].values["assessment_text"] == "连续三年考核称职" and rows["张强"].ok
    code = _cli(["--db", str(db_path), "import", str(path), "--unit", "待分配人员", "--create-units",
                 "--accept-suggestions"])
    assert code == 0, capsys.readouterr()
    from cadre_desk.store.opening import open_database

    open_database(db_path)
    assert Cadre.select().count() == len(COUNTY_ROWS)


def test_migration_17_moves_the_kept_text_out_of_remarks(db_path):
    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database, database
    from cadre_desk.store.opening import open_database
    from tests.conftest import make_profile

    open_database(db_path)
    try:
        from cadre_desk.units import units

        unit = units.create_unit("市直机关")
        kept = cadres.save_profile(make_profile(unit.id, name="旧原文", remarks="借调在外")).profile.id
        plain = cadres.save_profile(make_profile(unit.id, name="无原文", id_number="", remarks="无")).profile.id
    finally:
        close_database()
    conn = sqlite3.connect(db_path)  # back to schema 16: the text on a line of 备注, no column of its own
    conn.execute('UPDATE "cadre" SET "remarks" = ? WHERE "id" = ?',
                 ("借调在外\n年度考核结果（原文）：连续三年考核称职", kept))
    conn.execute('ALTER TABLE "cadre" DROP COLUMN "assessment_text"')
    conn.execute('ALTER TABLE "cadre" DROP COLUMN "party_confirmed"')  # schema 22's
    conn.execute("PRAGMA user_version = 16")
    conn.commit()
    conn.close()
    open_database(db_path)
    try:
        assert migrations.current_version(database) == migrations.LATEST
        moved = cadres.get_profile(kept)
        assert moved.values["remarks"] == "借调在外" and moved.values["assessment_text"] == "连续三年考核称职"
        assert cadres.get_profile(plain).values["remarks"] == "无"
        assert lrmx_format.profile_assessments_text(moved) == "连续三年考核称职"
    finally:
        close_database()



def test_the_profile_shows_the_kept_text_under_the_appraisal_table(qtbot, db, db_path, unit, tmp_path):
    from PySide6.QtGui import QInputMethodEvent

    from tests.conftest import make_profile
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.shell.context import AppContext

    profile = make_profile(unit.id, assessment_text="连续三年考核称职")
    profile.assessments = [AssessmentItem(2023, "2", "", "导入")]
    saved = cadres.save_profile(profile).profile
    context = AppContext(db_path)
    dialog = ProfileDialog(context, saved.id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.resize(1100, 700)
    dialog.show()
    tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "年度考核")
    assert all(dialog.tabs.tabText(i) != "年度考核结果（原文）" for i in range(dialog.tabs.count()))
    dialog.tabs.setCurrentIndex(tab)
    qtbot.wait(50)  # widgets added to a shown tab are shown on the next turn of the event loop
    kept = dialog.cells["assessment_text"].editor
    assert kept.isVisible() and kept.value() == "连续三年考核称职"
    assert dialog.records["assessments"].isVisible() and not dialog.has_unsaved()
    dialog.grab().save(str(tmp_path / "assessments_tab.png"))
    from PySide6.QtWidgets import QApplication

    kept.setFocus()
    kept.clear()
    event = QInputMethodEvent("", [])
    event.setCommitString("2023年度考核为称职")
    QApplication.sendEvent(kept, event)
    assert dialog.has_unsaved() and dialog.save() is True
    assert cadres.get_profile(saved.id).values["assessment_text"] == "2023年度考核为称职"
    context.tasks.wait_all(5000)


def test_the_clerk_imports_the_ods_and_gb18030_lrmx_in_the_window(db, db_path, tmp_path, qtbot, monkeypatch):
    """From the 文件 menu's 导入干部名册 (the chooser offers .ods) to the cadres written; then two
    任免表 files, one in GB18030, through the same preview."""
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    units = xingping_units()
    path = county_roster_ods(tmp_path / "county.ods")
    offered = []

    def choose(parent, caption, folder, filters):
        offered.append(filters)
        return str(path)

    monkeypatch.setattr("ui.widgets.files.open_file", choose)
    context = AppContext(db_path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
    import_dialog.import_roster(context)
    assert "*.ods" in offered[0]
    qtbot.waitUntil(lambda: getattr(context, "_exchange_dialog", None) is not None, timeout=20000)
    dialog = context._exchange_dialog
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=20000)
    shown = {dialog.model.data(dialog.model.index(r, 1)): dialog.model.data(dialog.model.index(r, 2))
             for r in range(dialog.model.rowCount())}
    assert shown["王伟"] == "兴平市发展和改革局" and shown["李娜"] == "马嵬街道办事处"
    dialog.accept_hints.setChecked(True)
    dialog.create_units.setChecked(True)
    dialog.recheck()
    zhou = next(r for r in dialog.plan.rows if r.name == "周洁")  # "科员": nothing to read a unit from
    dialog.choose_unit([zhou], units["兴平市财政局"])  # as 选中行：指定单位… does
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=20000)
    assert "有问题 0 行" in dialog.summary.text() or "有问题" not in dialog.summary.text(), dialog.summary.text()
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=20000)
    assert dialog.result_value.inserted == len(COUNTY_ROWS)
    zhang = cadres.get_profile(Cadre.get(Cadre.name == "张强").id)
    assert zhang.values["assessment_text"] == "连续三年考核称职"
    dialog.done(0)
    context._exchange_dialog = None

    folder = tmp_path / "lrmx"
    folder.mkdir()
    files = [write_lrmx(folder / "a.lrmx", "gb18030", "GB2312", **person("刘洋", "198704",
                                                                       assess="2021年度优秀，2022年度称职")),
             write_lrmx(folder / "b.lrmx", **person("马骏", "198901", RuDangShiJian="2001.08；民建"))]
    import_dialog.start_import(context, files, "导入任免表")
    qtbot.waitUntil(lambda: getattr(context, "_exchange_dialog", None) is not None, timeout=20000)
    dialog = context._exchange_dialog
    assert dialog.model.rowCount() == 2 and dialog.import_button.isEnabled()
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=20000)
    assert dialog.result_value.inserted == 2
    liu = cadres.get_profile(Cadre.get(Cadre.name == "刘洋").id)
    assert {(a.year, a.result) for a in liu.assessments} == {(2021, "1"), (2022, "2")}
    assert liu.values["assessment_text"] == "2021年度优秀，2022年度称职"
    dialog.done(0)
    context.tasks.wait_all(5000)


def test_party_dates_as_files_write_them():
    from cadre_desk.domain.validation import clean_party

    for typed in ("2001.08；民建", "2001.08;民建", "2001.08 民建", "2001.08\u3000民建", "2001.08（民建）",
                  "2001.08，民建", "2001.08-民建", "２００１．０８；民建"):
        assert clean_party(typed) == "200108；民建", typed
    assert clean_party("民建2001.08") == "民建；200108"
    assert clean_party("2001年8月") == "200108" and clean_party("民革") == "民革"
    for wrong in ("中共党员", "群众", "2001.08 2003.05"):
        try:
            clean_party(wrong)
        except ValueError as exc:
            assert "入党时间" in str(exc)
        else:
            raise AssertionError(wrong)


def test_an_appraisal_sheet_of_free_text_never_refuses_a_row(db, tmp_path):
    import openpyxl

    units = xingping_units()
    for name in ("王伟", "张强"):
        cadres.save_profile(_person(units, name))
    path = tmp_path / "kaohe.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023年度考核结果汇总"])
    ws.append(["序号", "姓  名", "近三年年度考核结果"])
    ws.append([1, "王伟", "2021年度优秀，2022年度称职"])
    ws.append([2, "张强", "连续三年考核称职"])
    wb.save(path)
    plan = imports.analyze(path)
    assert plan.kind == imports.ASSESSMENT
    rows = {r.name: r for r in plan.rows}
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    assert any("原文" in w for w in rows["张强"].warnings)
    assert imports.commit(plan).updated == 2
    wang = cadres.get_profile(Cadre.get(Cadre.name == "王伟").id)
    zhang = cadres.get_profile(Cadre.get(Cadre.name == "张强").id)
    assert {(a.year, a.result) for a in wang.assessments} == {(2021, "1"), (2022, "2")}
    assert zhang.values["assessment_text"] == "连续三年考核称职" and not zhang.assessments
    assert lrmx_format.profile_assessments_text(zhang) == "连续三年考核称职"


def _person(units, name):
    profile = cadres.new_profile(units["兴平市财政局"])
    profile.values.update(name=name, gender="1", birth="198510")
    return profile


def _county_roster_2(path):
    """Another county's way: 出生年月（岁）, 工作单位及职务, 大学本科 / 硕士研究生 / 省委党校大学,
    无 and / where there is nothing, 入党时间 "2001.08 民建", a 2021—2023 range of 年度考核."""
    import openpyxl
    from corpus import id_number

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市2024年科级干部名册"])
    ws.merge_cells("A1:P1")
    ws.append(["序号", "姓 名", "性 别", "出生年月（岁）", "民 族", "籍 贯", "入党时间", "参加工作时间", "全日制教育",
               None, "在职教育", None, "工作单位及职务", "任现职时间", "近三年考核情况", "身份证号码"])
    ws.append([None] * 8 + ["学历", "学位", "学历", "学位"] + [None] * 4)
    for column in "ABCDEFGHMNOP":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("I2:J2")
    ws.merge_cells("K2:L2")
    for row in (
        (1, "王  伟", "男", "1985.10（38岁）", "汉族", "陕西兴平", "2008.06", "2008.07", "大学本科", "学士", "无", "无",
         "兴平市发展和改革局科员", "2019.03", "2021年度优秀，2022年度称职，2023年度称职", id_number("19851003", "311")),
        (2, "李娜", "女", "1990.05\n（33岁）", "汉族", "陕西咸阳", "2001.08 民建", "2012.08", "硕士研究生", "硕士", "/",
         "/", "马嵬街道办事处副主任", "2019.06", "2021—2023年度均为称职", id_number("19900512", "322")),
        (3, "赵敏", "女", "1988.03(35)", "回族", "陕西兴平", "无", "2010.07", "大专", "—", "省委党校大学", None,
         "中共兴平市委办公室秘书科科员", "2020.01", None, id_number("19880308", "344")),
    ):
        ws.append(list(row))
    wb.save(path)
    return path


def test_another_countys_roster_imports_without_hand_editing(db, db_path, tmp_path, capsys):
    from test_exchange import _cli

    units = xingping_units()
    path = _county_roster_2(tmp_path / "roster2.xlsx")
    plan = imports.analyze(path)
    rows = {r.name: r for r in plan.rows}
    assert all(r.ok for r in plan.rows), [(r.name, r.problems) for r in plan.rows]
    wang, li, zhao = rows["王伟"], rows["李娜"], rows["赵敏"]
    assert wang.unit_id == units["兴平市发展和改革局"] and zhao.unit_id == units["中共兴平市委办公室"]
    assert (wang.values["birth"], li.values["birth"], zhao.values["birth"]) == ("198510", "199005", "198803")
    assert (wang.values["ft_education"], li.values["ft_education"], zhao.values["pt_education"]) == ("21", "11", "23")
    assert not wang.values.get("pt_education") and not wang.values.get("pt_degree") and not zhao.values.get("party")
    assert li.values["party"] == "200108；民建"
    assert {(a.year, a.result) for a in li.assessments} == {(2021, "2"), (2022, "2"), (2023, "2")}
    assert _cli(["--db", str(db_path), "import", str(path)]) == 0, capsys.readouterr()


def test_only_rows_with_problems_are_painted_as_problems(db, tmp_path, qtbot):
    """The item delegate reuses the roles it asks for from cell to cell: a row's colour must not carry
    over to the next cell (the preview showed rows without problems in the problem colour, and every
    column of a row whose unit was derived in the unit column's colour)."""
    from corpus import county_roster
    from PySide6.QtGui import QColor

    from ui.exchange import import_dialog, import_rows
    from ui.shell.context import AppContext

    xingping_units()
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"))
    dialog = import_dialog.ImportDialog(AppContext(), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.resize(1366, 700)
    dialog.show()
    qtbot.wait(50)
    view, model = dialog.view, dialog.model
    action = next(c for c in range(model.columnCount()) if model.headerData(c, import_dialog.Qt.Horizontal) == "处理")

    def colour(row: int) -> str:  # the row scrolled into the table's few lines over the differences
        view.scrollTo(model.index(row, action))
        rect = view.visualRect(model.index(row, action))
        return QColor(view.viewport().grab().toImage().pixel(rect.right() - 3, rect.center().y())).name()

    for row, shown in enumerate(model.rows):
        if shown.problems:
            assert colour(row) == import_rows.PROBLEM_BG, shown.name
        else:
            assert colour(row) != import_rows.PROBLEM_BG, shown.name
