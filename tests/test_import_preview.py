"""A large file's preview: the first rows checked and shown, the rest read and checked after (in the
window: in the background), with the same results as checking the whole file at once; an import
only of a completely checked file."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from conftest import make_profile
from test_exchange import id_number

from cadre_desk.domain.errors import Cancelled, ValidationError
from cadre_desk.domain.progress import CancelToken, Progress
from cadre_desk.exchange import imports, workbooks
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre

ROWS = 400


def _roster(path, unit_name: str = "市财政局"):
    """400 people; late in the file: a wrong 民族, 汉 for 汉族, a repeat of an earlier row's 身份证号,
    and someone already in the database."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["干部名册"])
    ws.append(["姓名", "性别", "出生年月", "民族", "单位", "身份证号", "现任职务", "备注"])
    for i in range(ROWS):
        number = id_number("19851001", f"{i:03d}"[-3:]) if i < 300 else ""
        ethnicity = {250: "火星族", 357: "汉"}.get(i, "汉族")
        ws.append([f"人员{i}", "" if number else "女", "" if number else "199001", ethnicity, unit_name, number,
                   f"科员{i % 7}", "同一个备注" if i % 2 else None])
    ws.append(["后来者", "", "", "汉族", unit_name, id_number("19851001", "010"), "科员", None])  # = 人员10
    ws.append(["老同志", "男", "197001", "汉族", unit_name, "", "科长", None])  # already in the database
    wb.save(path)
    return path


def _outcome(plan):
    return [(r.line, r.name, tuple(r.problems), tuple(r.warnings), dict(r.suggestions), r.action,
             r.duplicate_id, r.duplicate_kind, r.unit_id, r.values) for r in plan.rows]


@pytest.fixture
def small_slices(monkeypatch):
    """Slices of 20 KB of sheet XML (a few dozen rows) and batches of 40 rows."""
    monkeypatch.setattr(workbooks, "SLICE_BYTES", 20_000)
    monkeypatch.setattr(imports, "_BATCH", 40)


def test_a_preview_then_the_rest_gives_what_checking_all_at_once_gives(db, unit, tmp_path, small_slices):
    cadres.save_profile(make_profile(unit.id, name="老同志", birth="197001"))
    path = _roster(tmp_path / "r.xlsx")
    whole = imports.analyze(path)
    assert whole.complete and len(whole.rows) == ROWS + 2

    plan = imports.analyze(path, first_rows=50)
    assert not plan.complete and len(plan.rows) == 50
    assert 50 < imports.expected_rows(plan) <= ROWS + 10  # the declared size, header rows left out
    assert not plan.data.complete  # only the first slices are read
    with pytest.raises(ValidationError, match="没有检查完"):
        imports.commit(plan)

    # cancelled part way: the rows checked so far stay; called again it goes on
    token, reports = CancelToken(), []

    def report(done, total, text):
        reports.append(done)
        if len(reports) == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        imports.check_rest(plan, Progress(report, token))
    assert not plan.complete and 50 < len(plan.rows) < ROWS
    imports.check_rest(plan)
    assert plan.complete and plan.data.complete
    assert _outcome(plan) == _outcome(whole)
    assert plan.notes == whole.notes
    late = {r.name: r for r in plan.rows}
    assert late["后来者"].problems == ["与第 13 行身份证号相同"]  # found across batches
    assert late["老同志"].duplicate_kind == "name_birth"
    assert any("火星族" in p for p in late["人员250"].problems)
    assert late["人员357"].suggestions == {"ethnicity": "汉族"}

    result = imports.commit(plan, backup=False)
    assert (result.inserted, result.rejected, result.skipped) == (ROWS - 2, 3, 1)  # 老同志 skipped
    assert Cadre.select().count() == ROWS - 1


def test_a_recheck_before_the_rest_is_checked_checks_every_row(db, unit, tmp_path, small_slices):
    path = _roster(tmp_path / "r.xlsx")
    plan = imports.analyze(path, first_rows=50)
    imports.evaluate(plan, imports.ImportOptions(accept_suggestions=True))
    assert plan.complete and len(plan.rows) == ROWS + 2
    assert "民族“汉”按“汉族”导入" in next(r for r in plan.rows if r.name == "人员357").warnings
    assert imports.commit(plan, backup=False).inserted == ROWS  # all but 人员250 and the repeat


def test_the_problem_report_of_an_unfinished_check_says_so(db, unit, tmp_path, small_slices):
    plan = imports.analyze(_roster(tmp_path / "r.xlsx"), first_rows=50)
    out = imports.save_problem_report(plan, tmp_path / "report.xlsx")
    title = openpyxl.load_workbook(out).active["A1"].value
    assert "检查尚未完成" in title and "前 50 行" in title


def test_the_window_shows_the_first_rows_and_fills_in_the_rest(db, unit, tmp_path, qtbot, small_slices):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    context = AppContext()
    plan = imports.analyze(_roster(tmp_path / "r.xlsx"), first_rows=50)
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    assert dialog.checking_task is not None
    assert not dialog.import_button.isEnabled()
    assert "正在检查其余的行" in dialog.summary.text() and "全部检查完成后才能导入" in dialog.summary.text()
    assert dialog.progress.isVisibleTo(dialog)
    assert not any(b.isEnabled() for b in dialog.rows.all_buttons)
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=20000)
    assert dialog.model.rowCount() == ROWS + 2
    assert dialog.summary.text().startswith(f"共 {ROWS + 2} 行")
    assert "有问题 3 行" in dialog.summary.text()
    assert dialog.import_button.isEnabled() and not dialog.progress.isVisibleTo(dialog)
    assert all(b.isEnabled() for b in dialog.rows.all_buttons)


def test_a_recheck_in_the_window_while_the_rest_is_checked(db, unit, tmp_path, qtbot, small_slices):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    context = AppContext()
    plan = imports.analyze(_roster(tmp_path / "r.xlsx"), first_rows=50)
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.accept_hints.setChecked(True)
    dialog.recheck()  # stops the background check, then checks every row with the new options
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None and dialog.options.accept_suggestions,
                    timeout=20000)
    qtbot.waitUntil(lambda: "有问题 2 行" in dialog.summary.text(), timeout=5000)
    assert dialog.model.rowCount() == ROWS + 2
    assert "民族“汉”按“汉族”导入" in next(r for r in plan.rows if r.name == "人员357").warnings


def test_closing_the_preview_stops_the_background_check(db, unit, tmp_path, qtbot, small_slices):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    context = AppContext()
    plan = imports.analyze(_roster(tmp_path / "r.xlsx"), first_rows=50)
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    task = dialog.checking_task
    dialog.reject()
    assert task.token.cancelled and dialog.checking_task is None
    assert context.tasks.wait_all(20000)


# ---- cells cleaned column by column say what the row-by-row check says ---------------------------


def _hard_roster(path, unit_name: str):
    """Every kind of cell the checks have something to say about, among ordinary ones."""
    import datetime as dt

    from corpus import id_number as county_id

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "民族", "入党时间", "参加工作时间", "健康状况", "身份证号", "联系电话",
               "籍贯", "现任职务", "单位", "全日制教育学历", "干部类别", "人员状态", "专业特长", "备注", "任现职时间"])
    good = county_id("19800101", "131")
    cases = [
        ["张三", "男", "1980.01", "汉族", "2001.08；民建", "2002.07", "健康", good, "13800000000", "陕西兴平",
         "财政局科员", unit_name, "大学", "后备干部", "在职", "写作\r\n调研", "  备注  ", "2020.1"],
        ["张  三", "男", "", "汉", "", "", "", county_id("19800101", "151"), "138-0000 0000", "", "", unit_name],
        ["John  Smith", "男", "198001"],  # no unit: a problem; Latin letters keep their space
        ["李☃四", "女", "199002", "汉族", "", "", "", "", "12", "兴平☃", "", unit_name],  # control characters
        ["王五", "", "", "汉族", "", "", "", county_id("19850505", "112").lower().replace("x", "x"), "",
         "", "", unit_name],  # gender and birth from the number
        ["赵六", "女", "198505", "汉族", "", "", "", "６１０４８１１９８５０５０５１１２" + "5", "", "", "", unit_name],
        ["钱七", "男", "198001", "汉族", "", "", "", 610481198001011311.0, "", "", "", unit_name],  # a number
        ["孙八", "男", "198001", "汉族", "", "", "", "610481198001011312", "", "", "", unit_name],  # check char
        ["周九", "女", "198001", "汉族", "", "", "", good, "", "", "", unit_name],  # gender against the number
        ["吴十", "男", "197001", "汉族", "1960.01", "1965.03", "", "", "", "", "", unit_name],  # before the birth
        ["郑十一", "男", dt.datetime(1981, 3, 1), "火星族", "", "", "", "", "", "", "", unit_name],
        ["冯十二", "男", 1982.1, "汉族", "", "", "很好", "", "", "", "", "不存在的单位"],
        ["陈十三", "男", "1983.13", "汉族", "", "", "", "", "", "x" * 19, "", unit_name],  # bad month, long text
        ["褚十四", "男", "198304", "汉族", "", "", "", "", "", "", "兴平市招商局副局长", ""],  # unit from the position
        ["卫十五", "男", "198305", "汉族", "", "", "", "", "", "", "", unit_name, "大本", "后备", "调出"],
        ["蒋十六", "", "198306", "汉族"],  # no gender, no unit
        ["沈十七", "女", "198307", "汉族", "", "", "", "", 13900000000, "", 12345, unit_name],  # numbers as cells
        ["   ", "男", "198001"],  # a blank name
        ["韩十八", "男", "198308", "汉族", "", "", "", good, "", "", "", unit_name],  # 身份证号 of 张三 again
        ["杨十九", "男", "198309", "汉族", "", "", "", "", "", "", "", unit_name, "", "", "", "", "x" * 501],
        ["老同志", "男", "197001", "汉族", "", "", "", "", "", "", "", unit_name],  # already there
    ]
    for i in range(300):  # ordinary rows, so the columns fill batches
        cases.append([f"常人{i}", "女" if i % 2 else "男", f"19{70 + i % 20}.{1 + i % 12:02d}", "汉族", "", "", "",
                      "", f"1390000{i:04d}", "陕西", f"科员{i % 5}", unit_name])
    for row in cases:
        ws.append(row)
    wb.save(tmp := path.with_suffix(".tmp.xlsx"))
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():  # openpyxl refuses to write them: put in afterwards
            out.writestr(info, src.read(info).replace("☃".encode(), b"\x07"))
    return path


@pytest.mark.parametrize("accept,create", [(False, False), (True, True)])
def test_cells_cleaned_column_by_column_say_what_the_row_check_says(db, unit, tmp_path, monkeypatch, accept, create):
    from cadre_desk.exchange import row_checks

    cadres.save_profile(make_profile(unit.id, name="老同志", birth="197001"))
    path = _hard_roster(tmp_path / "hard.xlsx", "市财政局")
    options = imports.ImportOptions(accept_suggestions=accept, create_units=create)
    monkeypatch.setattr(imports, "_BATCH", 7)  # batches end in the middle of everything
    taken = []
    real = row_checks._check_prepared_row
    monkeypatch.setattr(row_checks, "_check_prepared_row", lambda *a: taken.append(real(*a)) or taken[-1])
    by_columns = imports.analyze(path, options, first_rows=5)
    imports.check_rest(by_columns)
    assert taken.count(True) >= 300  # the ordinary rows went column by column
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", False)
    by_rows = imports.analyze(path, options)
    assert _outcome(by_columns) == _outcome(by_rows)
    said = {r.name: r for r in by_rows.rows}
    # the cases did reach the messages they are there for
    assert any("控制字符" in w for w in said["李四"].warnings)
    assert "身份证号被 Excel 存成了数字" in said["钱七"].problems[0]
    assert any("校验位" in p for p in said["孙八"].problems)
    assert any("性别与身份证号不一致" in p for p in said["周九"].problems)
    assert said["John Smith"].problems and said["张三"].duplicate_id is None
    assert said["王五"].values["gender"] == "2" and said["王五"].values["birth"] == "198505"  # from the number
    assert said["褚十四"].unit_source == "position"
