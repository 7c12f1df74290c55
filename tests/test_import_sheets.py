"""Choosing the worksheet of a workbook to import: a department's workbook has 填表说明 first, then
正职 and 副职; the clerk imports the sheet they choose (window, command line), the workbook is read
once, and a hidden sheet is never offered."""

from __future__ import annotations

import openpyxl
import pytest

from cadre_desk.exchange import imports, workbooks
from cadre_desk.exchange.workbook_package import FileRefused

HEADER = ["序号", "姓名", "性别", "出生年月", "民族", "单位", "现任职务"]
CHIEFS = [("王建国", "男", "1970.03"), ("李红梅", "女", "1972.11")]
DEPUTIES = [("赵小军", "男", "1980.05"), ("孙丽", "女", "1983.08"), ("周涛", "男", "1985.01")]


def department_workbook(path, unit_name: str = "市财政局"):
    """填表说明 (text only), 正职, 副职 (other cadres), and a hidden sheet 旧表 between them."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["填表说明"])
    notes.append(["1. 出生年月按 1980.05 的格式填写。"])
    notes.append(["2. 正职、副职分表填写，不要合并。"])
    for title, people in (("正职", CHIEFS), ("旧表", [("隐藏人", "男", "1960.01")]), ("副职", DEPUTIES)):
        ws = wb.create_sheet(title)
        ws.append([f"{unit_name}{title}干部名册"])
        ws.append(HEADER)
        for n, (name, gender, born) in enumerate(people, 1):
            ws.append([n, name, gender, born, "汉族", unit_name, "科员"])
    wb["旧表"].sheet_state = "hidden"
    wb.save(path)
    return path


def names(plan) -> list[str]:
    return [r.name for r in plan.rows]


def test_without_a_name_the_first_sheet_with_a_header_and_a_note_on_the_others(db, unit, tmp_path):
    plan = imports.analyze(department_workbook(tmp_path / "干部.xlsx"))
    assert plan.sheet == "正职" and names(plan) == ["王建国", "李红梅"]
    assert plan.sheet_names == ("填表说明", "正职", "副职")  # the hidden sheet is not offered
    note = next(n for n in plan.notes if "另有工作表" in n)
    assert "填表说明、副职" in note and "旧表" not in note
    # how to choose another is the window's or the command's to say: neither a --sheet in the window
    # nor a 工作表 box on the command line
    assert note == "读取的是工作表“正职”；工作簿中另有工作表：填表说明、副职（未读取）"


def test_a_named_sheet_is_imported(db, unit, tmp_path):
    path = department_workbook(tmp_path / "干部.xlsx")
    plan = imports.analyze(path, sheet="副职")
    assert plan.sheet == "副职" and names(plan) == ["赵小军", "孙丽", "周涛"]
    assert all(r.ok for r in plan.rows), [r.problems for r in plan.rows]
    assert any("正职" in n for n in plan.notes)
    result = imports.commit(plan)
    assert result.inserted == 3
    # the preview's way (the first rows first) reads the same sheet
    preview = imports.analyze(path, first_rows=2, sheet="副职")
    imports.check_rest(preview)
    assert names(preview) == ["赵小军", "孙丽", "周涛"]


def test_an_unknown_or_hidden_sheet_is_refused_naming_the_sheets(db, unit, tmp_path):
    path = department_workbook(tmp_path / "干部.xlsx")
    for name in ("副 职", "旧表"):
        with pytest.raises(FileRefused) as caught:
            imports.analyze(path, sheet=name)
        assert str(caught.value) == f"工作簿中没有名为“{name}”的工作表。可选的工作表：填表说明、正职、副职"
    assert names(imports.analyze(path, sheet=" 副职 ")) == ["赵小军", "孙丽", "周涛"]  # spaces forgiven


def test_a_named_sheet_without_a_header_is_refused_in_chinese(db, unit, tmp_path):
    path = department_workbook(tmp_path / "干部.xlsx")
    with pytest.raises(FileRefused, match="工作表“填表说明”中没有找到表头.*请选择其他工作表：正职、副职"):
        imports.analyze(path, sheet="填表说明")


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_the_workbook_is_opened_once_by_either_reader(db, unit, tmp_path, monkeypatch, reader):
    """calamine reads the workbook; openpyxl only what calamine cannot read. Either way the sheet
    names come with the sheet read, the file not opened again to list them."""
    import python_calamine as pc

    path = department_workbook(tmp_path / "干部.xlsx")
    opened = []
    real_from_path, real_iter_openpyxl = pc.CalamineWorkbook.from_path, workbooks._iter_openpyxl

    def from_path(p):
        opened.append("calamine")
        if reader == "openpyxl":
            raise pc.CalamineError("cannot read")
        return real_from_path(p)

    def iter_openpyxl(*args, **kwargs):
        opened.append("openpyxl")
        return real_iter_openpyxl(*args, **kwargs)

    monkeypatch.setattr(pc.CalamineWorkbook, "from_path", from_path)
    monkeypatch.setattr(pc.CalamineWorkbook, "from_filelike",
                        lambda *_a: pytest.fail("the workbook was opened a second time"))
    monkeypatch.setattr(workbooks, "_iter_openpyxl", iter_openpyxl)
    monkeypatch.setattr(openpyxl, "load_workbook", _counting(openpyxl.load_workbook, opened))

    plan = imports.analyze(path)
    expected = ["calamine"] if reader == "calamine" else ["calamine", "openpyxl", "openpyxl.load"]
    assert opened == expected
    assert plan.sheet == "正职" and plan.sheet_names == ("填表说明", "正职", "副职")
    assert any("填表说明、副职" in n for n in plan.notes)
    opened.clear()
    plan = imports.analyze(path, sheet="副职")
    assert opened == expected and names(plan) == ["赵小军", "孙丽", "周涛"]
    with pytest.raises(FileRefused, match="可选的工作表：填表说明、正职、副职$"):
        imports.analyze(path, sheet="旧表")


def _counting(load, opened):
    def counted(*args, **kwargs):
        opened.append("openpyxl.load")
        return load(*args, **kwargs)

    return counted


def test_a_named_sheet_only_is_parsed(db, unit, tmp_path, monkeypatch):
    """The sheets before the one named are not read (a county's workbook: dozens of sheets)."""
    path = department_workbook(tmp_path / "干部.xlsx")
    read = []
    real = workbooks._add_sheet
    monkeypatch.setattr(workbooks, "_add_sheet", lambda collector, sheet, sliced=False: (
        read.append(collector.sheet), real(collector, sheet, sliced))[1])
    imports.analyze(path, sheet="副职")
    assert read == ["副职"]


def test_an_xls_workbook_offers_its_sheets_too(db, unit, tmp_path):
    """An .xls (calamine, no zip package): the same choice."""
    from pathlib import Path

    corpus = Path(__file__).parent / "data"
    xls = sorted(corpus.rglob("*.xls"))
    if not xls:
        pytest.skip("no .xls in tests/data")
    data = next(workbooks.iter_workbook(xls[0]))
    assert data.name in data.sheet_names and data.sheet_names
    only = next(workbooks.iter_workbook(xls[0], sheet=data.sheet_names[-1]))
    assert only.name == data.sheet_names[-1]
    with pytest.raises(FileRefused, match="可选的工作表："):
        next(workbooks.iter_workbook(xls[0], sheet="没有这张表"))


def test_the_command_line_imports_the_sheet_named(db, unit, tmp_path, db_target, capsys):
    from test_exchange import _cli

    from cadre_desk.store.models import Cadre

    path = department_workbook(tmp_path / "干部.xlsx")
    _cli(["--db", db_target, "import", str(path), "--dry-run"])
    out = capsys.readouterr().out
    assert "读取的是工作表“正职”；工作簿中另有工作表：填表说明、副职（未读取）" in out
    assert "要导入另一张工作表，请加 --sheet 工作表名" in out and "“工作表”框" not in out
    assert _cli(["--db", db_target, "import", str(path), "--sheet", "副职"]) == 0
    assert sorted(c.name for c in Cadre.select()) == sorted(n for n, _g, _b in DEPUTIES)
    assert _cli(["--db", db_target, "import", str(path), "--sheet", "处级"]) == 2
    err = capsys.readouterr().err
    assert "工作簿中没有名为“处级”的工作表。可选的工作表：填表说明、正职、副职" in err


def test_the_command_line_prints_twenty_warnings_then_counts_the_rest(db, unit, tmp_path, db_target, capsys):
    from test_exchange import _cli

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n in range(25):  # 25 rows whose unit would be created: a warning each
        ws.append([n + 1, f"人员{n}", "男", "1980.05", "汉族", f"新单位{n}", "科员"])
    path = tmp_path / "多提示.xlsx"
    wb.save(path)
    _cli(["--db", db_target, "import", str(path), "--create-units", "--dry-run"])
    out = capsys.readouterr().out
    assert out.count("  提示：第 ") == 20
    assert "  ……另有 5 条" in out


def test_the_window_switches_to_the_sheet_chosen(db, unit, tmp_path, qtbot, boxes):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    path = department_workbook(tmp_path / "干部.xlsx")
    context = AppContext()
    plan = imports.analyze(path, first_rows=imports.PREVIEW_ROWS)
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.sheet_combo
    assert combo.isVisible() and [combo.itemText(i) for i in range(combo.count())] == ["填表说明", "正职", "副职"]
    assert combo.currentText() == "正职"
    assert [r.name for r in dialog.model.rows] == ["王建国", "李红梅"]
    # a column mapped by hand stays mapped so on the other sheet (same header)
    row = next(i for i, c in enumerate(plan.columns) if c.target == "ethnicity")
    dialog.mapping_table.cellWidget(row, 1).setCurrentIndex(0)
    combo.setCurrentIndex(combo.findText("副职"))
    qtbot.waitUntil(lambda: dialog.plan.sheet == "副职" and dialog.plan.complete, timeout=10000)
    assert [r.name for r in dialog.model.rows] == ["赵小军", "孙丽", "周涛"]
    assert "工作表：副职" in dialog.info.text()
    assert "请在右上方的“工作表”框中选择" in dialog.info.text() and "--sheet" not in dialog.info.text()
    assert dialog.mapping_table.rowCount() == len(dialog.plan.columns)
    assert next(c for c in dialog.plan.columns if c.header == "民族").target is None
    # a sheet without a header: said in Chinese, the sheet shown stays
    combo.setCurrentIndex(combo.findText("填表说明"))
    qtbot.waitUntil(lambda: bool(boxes.texts()), timeout=10000)
    assert any("没有找到表头" in text for text in boxes.texts())
    assert combo.currentText() == "副职" and dialog.plan.sheet == "副职"
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=10000)
    assert dialog.result_value.inserted == 3


def test_one_sheet_no_combo(db, unit, tmp_path, qtbot):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([1, "王芳", "女", "1990.01", "汉族", "市财政局", "科员"])
    path = tmp_path / "一张.xlsx"
    wb.save(path)
    plan = imports.analyze(path)
    assert plan.sheet_names == ("Sheet",) and not any("另有工作表" in n for n in plan.notes)
    dialog = import_dialog.ImportDialog(AppContext(), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sheet_combo.isVisible()


def test_a_sheet_named_for_an_lrmx_file_or_folder_is_refused(db, unit, tmp_path, db_target, capsys):
    """An .lrmx file has no sheets: --sheet for it was silently ignored; it is refused, in the
    command line as in the code, before any file is read."""
    import shutil
    from pathlib import Path

    from test_exchange import _cli

    from cadre_desk.store.models import Cadre

    lrmx = Path(__file__).parent / "data" / "skeleton.lrmx"
    with pytest.raises(FileRefused) as caught:
        imports.analyze(lrmx, sheet="副职")
    assert str(caught.value) == ("“skeleton.lrmx”是任免表（LRMX）文件，没有工作表，不能指定工作表“副职”。"
                                 "只有 Excel 工作簿（.xlsx、.xls、.ods）可以选择工作表。")
    folder = tmp_path / "任免表"
    folder.mkdir()
    shutil.copy(lrmx, folder / "a.lrmx")
    with pytest.raises(FileRefused, match="“任免表”是文件夹，没有工作表"):
        imports.analyze(folder, sheet="副职")
    assert len(imports.analyze(lrmx).rows) == 1  # without --sheet: read as before
    workbook = department_workbook(tmp_path / "干部.xlsx")
    assert _cli(["--db", db_target, "import", str(workbook), str(lrmx), "--sheet", "副职"]) == 2
    err = capsys.readouterr().err
    assert f"错误：{lrmx}：“skeleton.lrmx”是任免表（LRMX）文件，没有工作表" in err
    assert Cadre.select().count() == 0  # nothing written, the workbook before it not imported either


# ---- sheets of another kind: 年度考核, 家庭成员, 简历 ---------------------------------------------------


def mixed_workbook(path):
    """A department's file: 花名册 (title, 基本情况 merged over 姓名 | 性别 | 出生年月), 年度考核 (the same
    cadres' results), 家庭成员 and 简历 (whose 姓名 are not cadres)."""
    wb = openpyxl.Workbook()
    roster = wb.active
    roster.title = "花名册"
    roster.append(["市财政局干部花名册"])
    roster.merge_cells("A1:G1")
    roster.append(["序号", "基本情况", None, None, "民族", "单位", "现任职务"])
    roster.append([None, "姓名", "性别", "出生年月", None, None, None])
    roster.merge_cells("B2:D2")
    for n, (name, gender, born) in enumerate(CHIEFS, 1):
        roster.append([n, name, gender, born, "汉族", "市财政局", "局长" if n == 1 else "副局长"])
    assessed = wb.create_sheet("年度考核")
    assessed.append(["姓名", "单位", "2019年度考核结果", "2018年度考核结果"])
    for name, _gender, _born in CHIEFS:
        assessed.append([name, "市财政局", "优秀", "称职"])
    family = wb.create_sheet("家庭成员")
    family.append(["干部姓名", "称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务"])
    family.append(["王建国", "妻子", "刘芳", "1971.05", "群众", "市第一中学教师"])
    family.append(["王建国", "儿子", "王小明", "1998.09", "共青团员", "市人民医院医生"])
    resume = wb.create_sheet("简历")
    resume.append(["姓名", "起止时间", "工作单位及职务"])
    resume.append(["王建国", "1992.07--1998.03", "市财政局科员"])
    wb.save(path)
    return path


def test_a_sheet_of_family_members_or_resume_lines_is_not_a_roster(db, unit, tmp_path):
    """Their 姓名 and 出生年月 read as a roster: family members would have become cadres. Named, such
    a sheet is refused saying what it is; unnamed, it is passed over for the roster after it."""
    path = mixed_workbook(tmp_path / "干部.xlsx")
    with pytest.raises(FileRefused) as caught:
        imports.analyze(path, sheet="家庭成员")
    assert str(caught.value) == ("工作表“家庭成员”是家庭成员表（有“称谓”列），表中的人不是干部，不能按干部名册导入。"
                                 "家庭成员随任免表（LRMX）导入，或在干部档案中填写。请选择其他工作表：花名册、年度考核、简历。")
    with pytest.raises(FileRefused, match="工作表“简历”是简历表（有“起止时间”列）"):
        imports.analyze(path, sheet="简历")
    wb = openpyxl.load_workbook(path)
    wb.move_sheet("花名册", offset=3)  # 年度考核, 家庭成员, 简历, 花名册
    del wb["年度考核"]
    wb.save(path)
    plan = imports.analyze(path)
    assert plan.sheet == "花名册" and names(plan) == ["王建国", "李红梅"]
    del wb["花名册"]
    wb.save(path)
    with pytest.raises(FileRefused, match="工作表“家庭成员”是家庭成员表"):
        imports.analyze(path)


def _sheet_of(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_roster_with_a_column_headed_relation_is_a_roster(db, unit, tmp_path):
    """A roster's own 关系 (组织关系 shortened) made the sheet a 家庭成员 table, refused. A bare 关系 says
    so only beside a column no roster has (a second 姓名, 成员姓名); 称谓 and 与本人关系 still do alone."""
    header = ["序号", "姓名", "性别", "出生年月", "工作单位及职务", "关系"]
    rows = [[n, name, gender, born, "市财政局副局长", "在编"] for n, (name, gender, born) in enumerate(CHIEFS, 1)]
    plan = imports.analyze(_sheet_of(tmp_path / "roster.xlsx", header, rows))
    assert plan.sheet == "名册" and names(plan) == ["王建国", "李红梅"]
    family_rows = [["王建国", "妻子", "刘芳", "1971.05", "市第一中学教师"]]
    for n, (family, said) in enumerate([(["干部姓名", "关系", "姓名", "出生年月", "工作单位及职务"], "关系"),
                                        (["姓名", "关系", "成员姓名", "出生年月", "工作单位及职务"], "关系"),
                                        (["姓名", "与本人关系", "成员姓名", "出生年月", "工作单位及职务"], "与本人关系")]):
        path = _sheet_of(tmp_path / f"family{n}.xlsx", family, family_rows)
        with pytest.raises(FileRefused, match=f"工作表“名册”是家庭成员表（有“{said}”列）"):
            imports.analyze(path)
    with pytest.raises(FileRefused, match="工作表“名册”是简历表（有“起止年月”列）"):
        imports.analyze(_sheet_of(tmp_path / "resume.xlsx", ["姓名", "起止年月", "工作单位及职务"],
                                  [["王建国", "1992.07--1998.03", "市财政局科员"]]))


def _profile_choices(rows) -> list[bool]:
    """What the row panel offers only for rows that may become profiles (a roster, LRMX)."""
    return [w.isVisible() for w in (rows.action_buttons[imports.INSERT], rows.action_buttons[imports.KEEP_BOTH],
                                     rows.unit_button, rows.all_bar, rows.lower)]


def test_the_preview_follows_the_kind_of_the_sheet_chosen(db, unit, tmp_path, qtbot, boxes):
    """From the 花名册 to the 年度考核 sheet and back: title, the row panel's choices, the counts and
    the import button follow the sheet read; a 家庭成员 sheet is refused and the 年度考核 stays."""
    from ui.exchange import import_dialog
    from ui.exchange.import_rows import action_text
    from ui.shell.context import AppContext

    path = mixed_workbook(tmp_path / "干部.xlsx")
    assert imports.commit(imports.analyze(path)).inserted == 2  # now the 花名册's rows are duplicates
    plan = imports.analyze(path, first_rows=imports.PREVIEW_ROWS)
    dialog = import_dialog.ImportDialog(AppContext(), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.rows)
    rows, combo = dialog.rows, dialog.sheet_combo
    assert plan.kind == imports.ROSTER and all(_profile_choices(rows))
    assert dialog.windowTitle() == "导入干部名册 — 干部.xlsx"
    assert "重复 2 行" in dialog.summary.text() and not dialog.import_button.isEnabled()  # both skipped

    combo.setCurrentIndex(combo.findText("年度考核"))
    qtbot.waitUntil(lambda: dialog.plan.sheet == "年度考核" and dialog.plan.complete, timeout=10000)
    assert dialog.plan.kind == imports.ASSESSMENT
    assert _profile_choices(rows) == [False] * 5
    assert rows.action_buttons[imports.UPDATE].isVisible() and rows.action_buttons[imports.SKIP].isVisible()
    assert dialog.windowTitle() == "导入年度考核结果 — 干部.xlsx"
    assert dialog.summary.text() == "共 2 行：将导入 2 行（新增 0，更新 2），有问题 0 行，重复 0 行，跳过 0 行"
    assert [action_text(r) for r in dialog.model.rows] == ["添加到档案", "添加到档案"]
    assert dialog.import_button.isEnabled() and "工作表：年度考核" in dialog.info.text()

    combo.setCurrentIndex(combo.findText("家庭成员"))
    qtbot.waitUntil(lambda: bool(boxes.texts()), timeout=10000)
    assert any("是家庭成员表" in text for text in boxes.texts())
    assert combo.currentText() == "年度考核" and dialog.plan.kind == imports.ASSESSMENT
    assert _profile_choices(rows) == [False] * 5 and dialog.import_button.isEnabled()

    combo.setCurrentIndex(combo.findText("花名册"))
    qtbot.waitUntil(lambda: dialog.plan.sheet == "花名册" and dialog.plan.complete, timeout=10000)
    assert all(_profile_choices(rows)) and dialog.windowTitle() == "导入干部名册 — 干部.xlsx"
    assert "重复 2 行" in dialog.summary.text() and not dialog.import_button.isEnabled()


def test_a_sheet_refused_while_the_rest_was_checked_leaves_the_sheet_shown_checking(
        db, unit, tmp_path, qtbot, boxes, monkeypatch):
    """Choosing another sheet stops the background check of the sheet shown; when the other sheet is
    refused, the sheet shown stays — and its check goes on (it stayed unfinished: 导入 never came)."""
    import threading
    import time

    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    path = mixed_workbook(tmp_path / "干部.xlsx")
    gate, real_check_rest = threading.Event(), imports.check_rest

    def slow_check_rest(plan, progress=imports.NO_PROGRESS):
        while not gate.is_set():  # a large sheet: still checking when the clerk picks another
            progress.check()
            time.sleep(0.01)
        real_check_rest(plan, progress)

    monkeypatch.setattr(imports, "check_rest", slow_check_rest)
    plan = imports.analyze(path, first_rows=1)
    assert not plan.complete
    dialog = import_dialog.ImportDialog(AppContext(), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.checking_task is not None and not dialog.import_button.isEnabled()
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findText("简历"))
    qtbot.waitUntil(lambda: bool(boxes.texts()), timeout=10000)
    assert any("是简历表" in text for text in boxes.texts())
    assert dialog.sheet_combo.currentText() == "花名册" and dialog.plan is plan
    assert dialog.checking_task is not None and dialog.progress.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=10000)
    assert names(plan) == ["王建国", "李红梅"] and dialog.import_button.isEnabled()
    assert dialog.summary.text().startswith("共 2 行：将导入 2 行")
