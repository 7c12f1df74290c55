"""The import preview and the roster export dialog, offscreen."""

from __future__ import annotations

import openpyxl
from conftest import make_profile
from test_exchange import _messy_roster

from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre


def _context(qtbot):
    from ui.shell.context import AppContext

    context = AppContext()
    return context


def test_import_dialog_preview_and_commit(db, unit, tmp_path, qtbot):
    from ui.exchange import import_dialog

    context = _context(qtbot)
    plan = imports.analyze(_messy_roster(tmp_path / "m.xlsx"))
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    assert dialog.mapping_table.rowCount() == len(plan.columns)
    assert "有问题 2 行" in dialog.summary.text()
    # problem rows are highlighted
    bad = next(i for i, r in enumerate(dialog.model.rows) if r.problems)
    assert dialog.model.data(dialog.model.index(bad, 0), import_dialog.Qt.BackgroundRole) is not None
    dialog.accept_hints.setChecked(True)
    dialog.recheck()
    assert "有问题 1 行" in dialog.summary.text()
    # override a column's mapping through its combo
    row = next(i for i, c in enumerate(plan.columns) if c.target == "ft_degree")
    combo = dialog.mapping_table.cellWidget(row, 1)
    combo.setCurrentIndex(0)
    assert plan.columns[row].target is None
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=10000)
    assert dialog.result_value.inserted == 4
    assert Cadre.select().where(Cadre.ft_degree != "").count() == 0


def test_roster_export_dialog(db, unit, tmp_path, qtbot):
    from ui.exchange import roster_export_dialog

    context = _context(qtbot)
    a = cadres.save_profile(make_profile(unit.id, name="甲")).profile
    cadres.save_profile(make_profile(unit.id, name="乙", birth="199001"))
    dialog = roster_export_dialog.RosterExportDialog(context, [a.id], None)
    qtbot.addWidget(dialog)
    dialog.set_columns(["name", "gender"])
    dialog.chosen.setCurrentRow(1)
    dialog.move(-1)
    assert dialog.columns() == ["gender", "name"]
    dialog.preset_combo.addItem("x", "x")
    from reports.excel import excel_roster

    excel_roster.save_preset("两列", dialog.columns())
    assert excel_roster.presets()["两列"] == ["gender", "name"]
    assert dialog.scope_ids() == [a.id]
    out = tmp_path / "out.xlsx"
    dialog.export(str(out))
    qtbot.waitUntil(lambda: out.exists(), timeout=10000)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]] == ["序号", "性别", "姓名"] and ws["C3"].value == "甲"


def test_menus_registered():
    from ui.shell import registry
    from ui.shell.features import register_all

    register_all()
    titles = {m.title for m in registry.MENU_ACTIONS if m.menu == "文件"}
    assert {"导入干部名册…", "导入年度考核结果…", "导入培训记录…", "导入任免表(LRMX)…", "导出花名册…",
            "导出统计表…", "导出任免表(LRMX)…"} <= titles
    assert {"导出花名册…", "导出LRMX…"} <= {a.title for a in registry.CADRE_ACTIONS}


def test_lrmx_preview_dialog(demo_db, tmp_path, qtbot):
    from reports.lrmx import lrmx
    from ui.exchange import import_dialog

    ids = [c.id for c in Cadre.select().limit(2)]
    files = lrmx.export_lrmx(tmp_path / "l", ids).files
    plan = imports.analyze_lrmx(files)
    dialog = import_dialog.ImportDialog(_context(qtbot), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 1  # no column mapping for 任免表
    assert "重复 2 行" in dialog.summary.text()
    assert dialog.model.rowCount() == 2 and dialog.model.data(dialog.model.index(0, 6)) == "身份证号相同"
    dialog.view.selectAll()
    dialog.set_action(imports.UPDATE)
    assert all(r.action == imports.UPDATE for r in plan.rows)


def test_mapping_examples_are_as_typed_and_skip_notes(db, unit, qtbot):
    from test_exchange import DATA

    from ui.exchange import import_dialog

    plan = imports.analyze(DATA / "cadre_all_import_template.xlsx")
    dialog = import_dialog.ImportDialog(_context(qtbot), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    examples = {dialog.mapping_table.item(r, 0).text(): dialog.mapping_table.item(r, 2).text()
                for r in range(dialog.mapping_table.rowCount())}
    assert examples["任职日期（主职）"] == "2020.06.01"
    assert examples["干部类型"] == "处级干部"  # not the 填表须知 block below the data


def test_window_exports_ask_a_reason_and_audit_it(demo_db, tmp_path, qtbot, monkeypatch):
    from cadre_desk.security import audit
    from ui.exchange import exchange_view

    context = _context(qtbot)
    monkeypatch.setattr(exchange_view, "_save_path", lambda *a: str(tmp_path / "stats.xlsx"))
    monkeypatch.setattr(exchange_view, "ask_reason", lambda parent, title: None)
    exchange_view.export_stats(context)  # the user cancels the reason: nothing is written
    assert not (tmp_path / "stats.xlsx").exists()
    monkeypatch.setattr(exchange_view, "ask_reason", lambda parent, title: "年度统计")
    exchange_view.export_stats(context)
    qtbot.waitUntil(lambda: (tmp_path / "stats.xlsx").exists(), timeout=20000)
    qtbot.waitUntil(lambda: any(e.action == audit.EXPORT for e in audit.entries()), timeout=5000)
    assert [e.reason for e in audit.entries() if e.action == audit.EXPORT] == ["年度统计"]

    ids = [c.id for c in Cadre.select().limit(2)]
    monkeypatch.setattr("ui.widgets.files.pick_folder", lambda *a: str(tmp_path / "l"))
    monkeypatch.setattr(exchange_view, "ask_reason", lambda parent, title: "报送上级")
    exchange_view.export_lrmx(context, ids)
    qtbot.waitUntil(lambda: len(list((tmp_path / "l").glob("*.lrmx"))) == 2 if (tmp_path / "l").exists()
                    else False, timeout=20000)
    qtbot.waitUntil(lambda: "报送上级" in [e.reason for e in audit.entries()], timeout=5000)


def test_the_window_says_whose_lrmx_texts_are_over_the_editors_limits(db, unit, tmp_path, qtbot, monkeypatch, boxes):
    """导出任免表 wrote a 奖惩情况 over its 552 characters with nothing said: a warning names the cadre and
    the field once the files are written (whole)."""
    from cadre_desk.domain.fields import RewardItem
    from ui.exchange import exchange_view

    profile = make_profile(unit.id, name="陈刚")
    profile.rewards = [RewardItem("201912", "1", "年度考核被确定为优秀等次，给予嘉奖" * 40, "兴平市人民政府")]
    chen = cadres.save_profile(profile).profile.id
    monkeypatch.setattr("ui.widgets.files.pick_folder", lambda *a: str(tmp_path / "l"))
    monkeypatch.setattr(exchange_view, "ask_reason", lambda parent, title: "报送上级")
    context = _context(qtbot)
    exchange_view.export_lrmx(context, [chen])
    qtbot.waitUntil(lambda: any(title == "导出任免表" for title, _t, _b in boxes.shown), timeout=20000)
    (text,) = [t for title, t, _b in boxes.shown if title == "导出任免表"]
    assert "陈刚：奖惩情况" in text and "限 552 字" in text and "未作截断" in text
    assert len(list((tmp_path / "l").glob("*.lrmx"))) == 1


def test_problem_report_open_in_excel_is_said_in_chinese(db, unit, tmp_path, qtbot, monkeypatch, boxes):
    import errno

    from ui.exchange import import_dialog

    context = _context(qtbot)
    plan = imports.analyze(_messy_roster(tmp_path / "m.xlsx"))
    dialog = import_dialog.ImportDialog(context, plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    target = str(tmp_path / "报告.xlsx")
    monkeypatch.setattr("ui.widgets.files.save_file", lambda *a, **k: target)

    def locked(_plan, path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(imports, "save_problem_report", locked)
    dialog.save_report()
    shown = boxes.texts()
    assert shown and "Excel" in shown[0] and "Permission" not in shown[0], shown


# ---- real files in the window (issue 19 items 1, 4 and 5) ----------------------------------------


def test_preview_shows_units_from_the_position_and_takes_a_correction(db, tmp_path, qtbot):
    from corpus import county_roster, xingping_units

    from ui.exchange import import_dialog, import_rows

    units = xingping_units()
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"))
    dialog = import_dialog.ImportDialog(_context(qtbot), plan, imports.ImportOptions(accept_suggestions=True))
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentWidget() is dialog.rows
    shown = {dialog.model.data(dialog.model.index(r, 1)): dialog.model.data(dialog.model.index(r, 2))
             for r in range(dialog.model.rowCount())}
    assert shown["王伟"] == "兴平市发展和改革局" and shown["李娜"] == "马嵬街道办事处"
    assert shown["孙磊"] == "兴平市审计局（新建）"
    assert "单位从现任职务推断 5 行" in dialog.summary.text()
    zhou = next(r for r, row in enumerate(dialog.model.rows) if row.name == "周洁")
    dialog.view.selectRow(zhou)

    def pick(unit_dialog):
        assert isinstance(unit_dialog, import_rows.UnitDialog)
        unit_dialog.existing.setCurrentIndex(unit_dialog.existing.findData(units["兴平市财政局"]))
        unit_dialog.accept()

    from conftest import answer_dialog

    answer_dialog(qtbot, dialog.rows.unit_button.click, pick)
    row = next(r for r in plan.rows if r.name == "周洁")
    assert row.ok and row.unit_id == units["兴平市财政局"] and row.unit_source == "chosen"


def test_preview_shows_a_duplicates_differences_and_choices_for_all(db, tmp_path, qtbot, boxes):
    from corpus import COUNTY_ROWS, county_roster, xingping_units

    from ui.exchange import import_dialog

    units = xingping_units()
    profile = cadres.new_profile(units["兴平市发展和改革局"])
    profile.values.update(name="王伟", gender="1", birth="198510", id_number=COUNTY_ROWS[0][-1])
    cadres.save_profile(profile)
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), imports.ImportOptions(accept_suggestions=True))
    dialog = import_dialog.ImportDialog(_context(qtbot), plan, imports.ImportOptions(accept_suggestions=True))
    qtbot.addWidget(dialog)
    wang = next(r for r, row in enumerate(dialog.model.rows) if row.name == "王伟")
    dialog.view.selectRow(wang)
    dialog.view.setCurrentIndex(dialog.model.index(wang, 0))
    labels = [dialog.rows.differences.data(dialog.rows.differences.index(r, 0))
              for r in range(dialog.rows.differences.rowCount())]
    assert "入党时间" in labels and "姓名" not in labels
    assert "只写入以下" in dialog.rows.difference_title.text()
    dialog.set_action(imports.KEEP_BOTH)  # a 身份证号 match cannot keep both
    assert plan.rows[[r.name for r in plan.rows].index("王伟")].action == imports.SKIP
    assert any("不能两人都保留" in t for t in boxes.texts())
    for button in dialog.rows.findChildren(import_dialog.QPushButton):
        if button.text() == "全部更新":
            button.click()
    assert all(r.action == imports.UPDATE for r in plan.rows if r.duplicate_id is not None)


def test_the_first_duplicate_is_chosen_once_checked_and_the_clerks_row_stays(db, tmp_path, qtbot):
    """数据检查 opened with no row chosen and the differences pane saying only how to use it: once every
    row is checked the first duplicate (赵敏, the fourth row) is chosen and its differences shown; a row
    the clerk chose stays chosen when the rows are checked again."""
    from corpus import COUNTY_ROWS, county_roster, xingping_units

    from ui.exchange import import_dialog

    units = xingping_units()
    profile = cadres.new_profile(units["兴平市发展和改革局"])
    profile.values.update(name="赵敏", gender="2", birth="198803", id_number=COUNTY_ROWS[3][-1])
    cadres.save_profile(profile)
    options = imports.ImportOptions(accept_suggestions=True)
    plan = imports.analyze(county_roster(tmp_path / "county.xlsx"), options)
    dialog = import_dialog.ImportDialog(_context(qtbot), plan, options)
    qtbot.addWidget(dialog)
    page = dialog.rows
    zhao = next(n for n, row in enumerate(page.model.rows) if row.name == "赵敏")
    assert zhao > 0 and [n for n, row in enumerate(page.model.rows) if row.duplicate_id is not None] == [zhao]
    assert page.view.currentIndex().row() == zhao and page.selected_rows() == [page.model.rows[zhao]]
    assert page.difference_title.text().startswith("赵敏：") and page.differences.rowCount() > 0
    page.view.setCurrentIndex(page.model.index(0, 0))  # the clerk looks at another row
    dialog.recheck()
    assert page.view.currentIndex().row() == 0 and not page.differences.rowCount()


def test_training_import_in_the_window(db, unit, tmp_path, qtbot, monkeypatch):
    from ui.exchange import import_dialog

    person = cadres.save_profile(make_profile(unit.id, name="郑国民")).profile
    path = tmp_path / "training.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年干部培训登记表"])
    ws.append(["姓名", "培训班名称", "主办单位", "起始时间", "结束时间(至今 留空)", "学时"])
    ws.append(["郑国民", "2024年春季中青班", "市委党校", 2024.03, 2024.05, 96])
    ws.append(["查无此人", "2024年春季中青班", "市委党校", 2024.03, 2024.05, 96])
    wb.save(path)
    context = _context(qtbot)
    opened = []
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(path))
    monkeypatch.setattr(import_dialog.ImportDialog, "open", lambda self: opened.append(self))
    import_dialog.import_trainings(context)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    assert dialog.plan.kind == imports.TRAINING and "培训记录" in dialog.windowTitle()
    actions = [dialog.model.data(dialog.model.index(r, 3)) for r in range(dialog.model.rowCount())]
    assert actions == ["添加到档案", "不导入"]
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=10000)
    assert [t.name for t in cadres.get_profile(person.id).trainings] == ["2024年春季中青班"]


def test_the_lrmx_folder_picker_says_what_the_folder_is_for(demo_db, tmp_path, qtbot, monkeypatch):
    """导出LRMX… opened a folder picker whose title and 选择 button did not say that the 任免表 files
    are saved there."""
    from PySide6.QtWidgets import QFileDialog

    from ui.exchange import exchange_view
    from ui.widgets import files

    seen = []

    def cancel(dialog):
        seen.append((dialog.windowTitle(), dialog.labelText(QFileDialog.DialogLabel.Accept)))
        dialog.deleteLater()
        return []

    monkeypatch.setattr(files, "_run", cancel)
    ids = [c.id for c in Cadre.select().limit(2)]
    exchange_view.export_lrmx(_context(qtbot), ids)
    assert seen == [("选择保存任免表（LRMX）文件的文件夹（共 2 份）", "保存到此文件夹")]
