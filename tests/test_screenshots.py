"""``python -m cadre_desk --db PATH --screenshot DIR``: every page and main dialog drawn at 1366×768, and
the proof that nothing needs more than that screen (ui/shell/fit_check.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# What a clerk opens on a working day; each must be drawn (the pages by their key).
PAGES = ("home", "cadres", "units", "postings", "mentoring", "appraisal-考核表", "checkups-核查对单",
         "talent", "care-谈心谈话", "supervision", "audit", "users", "settings")
DIALOGS = ("cadres-新建干部", "cadres-新建干部-简历", "cadres-新建干部-家庭成员", "cadres-打开档案",
           "postings-新建选派", "cadre-打印任免审批表", "menu-文件-打印当前筛选结果的任免审批表",
           "menu-文件-导入干部名册", "menu-文件-锁定", "users-新增用户", "units-编辑职数")

# The second click: what a "…" button in a tab of a dialog opens.
SECOND_CLICK = ("cadres-打开档案-导师帮带-建立导师帮带",)

# Qt's own windows the program shows: a question, a warning, a line to type in, a text field's menu.
QT_DIALOGS = ("qt-询问", "qt-警告", "qt-输入", "qt-右键菜单")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """The command run once on a demo database, as a clerk would run it."""
    folder = tmp_path_factory.mktemp("screens")
    db = folder / "demo.db"
    env = {**os.environ, "CADRE_DESK_HOME": str(folder / "home"), "XDG_CONFIG_HOME": str(folder / "config"),
           "CADRE_DESK_CLOCK": os.environ.get("CADRE_DESK_TEST_TODAY", "2026-06-15")}
    env.pop("QT_QPA_PLATFORM", None)  # the command chooses its own offscreen 1366×768 screen
    run = [sys.executable, "-m", "cadre_desk", "--db", str(db)]
    subprocess.run([*run, "demo", "--cadres", "120"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([*run, "--screenshot", str(folder / "out")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "out"


def test_every_page_and_main_dialog_fits_1366x768(shots):
    report = json.loads((shots / "report.json").read_text(encoding="utf-8"))
    assert {shot["file"]: shot["problems"] for shot in report if shot["problems"]} == {}
    files = {shot["file"] for shot in report}
    for stem in PAGES + DIALOGS + SECOND_CLICK:
        assert f"{stem}.png" in files, stem
        assert (shots / f"{stem}.png").stat().st_size > 5000  # a picture, not an empty file
    for shot in report:
        width, height = shot["size"]
        assert width <= 1366 and height <= 768 - 40 - 30, shot  # above the taskbar, under a title bar
    assert len(files) > 100  # each button of each page opened its dialog
    for stem in QT_DIALOGS:  # Qt's own windows: small, so only drawn (their words: test_chinese_ui.py)
        assert f"{stem}.png" in files, stem


BUNDLED_FONTS_ONLY = """
import sys
from pathlib import Path
from ui.shell.app import bundled_fonts_only, make_app
assert bundled_fonts_only(Path(sys.argv[1]))
from PySide6.QtGui import QFontDatabase, QFontInfo
app = make_app()
generic = {"Monospace", "Sans Serif", "Serif"}  # Qt's names for the defaults
print(sorted(set(QFontDatabase.families()) - generic), QFontInfo(app.font()).family())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig: Linux")
def test_the_fit_check_measures_with_the_bundled_fonts_only(tmp_path):
    """The bundle on a PC without a Chinese UI font draws with resources/fonts (its Song face, bold by
    thickening: 核定职数 73 px, not Noto Sans CJK's 70): --screenshot sees those fonts and no others."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", BUNDLED_FONTS_ONLY, str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("] ")[-1].strip() == "Noto Serif CJK SC", done.stdout
    assert done.stdout.startswith("['Noto Sans CJK SC', 'Noto Serif CJK SC']"), done.stdout


def test_fit_check_finds_what_does_not_fit(qtbot):
    """The check itself: a page wider than the screen, a cut label, a column narrower than its title."""
    from ui.shell.fit_check import USABLE, fit_problems, page_problems
    from ui.widgets.rows_model import Column, RowsModel, make_table

    assert USABLE == QSize(1366, 768 - 40 - 30)
    page = QWidget()
    page.setMinimumWidth(1430)  # the 审计日志 page once needed that much
    assert page_problems(page, QSize(1216, 620))

    top = QWidget()
    layout = QVBoxLayout(top)
    label = QLabel("主管部门")
    label.setFixedWidth(20)
    layout.addWidget(label)
    model = RowsModel([Column("主管部门", lambda row: row, width=20), Column("备注", lambda row: row)])
    table = make_table(model)
    layout.addWidget(table)
    qtbot.addWidget(top)
    top.resize(400, 300)
    top.show()
    qtbot.waitExposed(top)
    problems = fit_problems(top)
    assert any("文字「主管部门」" in line for line in problems), problems
    assert not any("表头" in line for line in problems), problems  # make_table widened the column

    table.setColumnWidth(0, 20)
    assert any("表头「主管部门」被截断" in line for line in fit_problems(top))


def test_a_table_is_never_narrower_than_its_titles(qtbot):
    """考核表 showed 主管部匚 for 主管部门: every table made by the kit widens a column to its title."""
    from ui.widgets.columns import title_width
    from ui.widgets.rows_model import Column, RowsModel, make_table

    model = RowsModel([Column("主管部门", lambda row: row, width=30), Column("备注", lambda row: row)])
    view: QTableView = make_table(model, sorting=True)
    qtbot.addWidget(view)
    header = view.horizontalHeader()
    assert header.sectionSize(0) >= title_width(header, 0, spare=0) > 30


def test_a_title_is_measured_with_the_style_sheets_padding(qtbot):
    """考核表 showed 攻治表现 for 组织部/政治表现: the header's style sheet pads a section by 6 px a side, which
    the style's header margin did not count; a column is as wide as Qt itself measures its title."""
    from PySide6.QtWidgets import QApplication

    from cadre_desk.paths import resource
    from ui.widgets.columns import widen_to_titles
    from ui.widgets.rows_model import Column, RowsModel, make_table

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(resource("style.qss").read_text(encoding="utf-8"))
    try:
        model = RowsModel([Column("组织部\n政治表现", lambda row: row, width=60), Column("备注", lambda row: row)])
        view: QTableView = make_table(model)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        view.setColumnWidth(0, 60)  # as the 考核表 sets its score columns, then widens them to their titles
        widen_to_titles(view)
        header = view.horizontalHeader()
        assert header.sectionSize(0) >= header.sectionSizeHint(0) > 60
    finally:
        app.setStyleSheet(before)


def test_the_menu_dialogs_are_drawn_without_a_roster_page(monkeypatch):
    """A 系统管理员 has no 干部名册 page; the Camera still opens 用户管理, 单位管理, 设置, 备份 … of the menu."""
    from types import SimpleNamespace

    from ui.shell import registry
    from ui.shell.screenshots import Camera

    menu = [SimpleNamespace(menu="系统", title=f"对话框{n}", order=n, needs=None, callback=lambda c: None)
            for n in range(2)]
    menu.insert(0, SimpleNamespace(menu="文件", title="注销", order=9, needs=None, callback=lambda c: None))
    monkeypatch.setattr(registry, "MENU_ACTIONS", menu)
    camera = Camera(Path("."))
    camera.window = SimpleNamespace(show_module=lambda key: None, context=SimpleNamespace(allows=lambda n: True))
    drawn = []
    monkeypatch.setattr(camera, "first_dialog", lambda trigger, stem, title: drawn.append(stem))
    camera.actions()
    assert drawn == [("menu", "系统", "对话框0"), ("menu", "系统", "对话框1")]
    # 注销 last of all: drawn before, it logged a clerk out and the tour after it printed nothing
    camera.actions(ending=True)
    assert drawn[-1] == ("menu", "文件", "注销") and len(drawn) == 3


def test_the_import_preview_is_drawn_with_a_department_workbook(demo_db, tmp_path, qtbot):
    """The tour's import preview reads a workbook shaped as a department sends it (title, 制表单位 line,
    merged two-row header, sheets 家庭成员 and 填表说明 beside it), so the 工作表 box is drawn too."""
    from cadre_desk.exchange import imports
    from reports.excel.excel_roster import export_roster
    from ui.exchange.import_dialog import ImportDialog
    from ui.shell import screenshots
    from ui.shell.context import AppContext

    exported = tmp_path / "导出.xlsx"
    keys = [key for _group, key in screenshots._DEPARTMENT_COLUMNS]
    assert export_roster(exported, keys=keys, ids=None, reason="测试") == 60
    plan = imports.analyze(screenshots.department_workbook(exported, tmp_path / "科级干部花名册.xlsx"))
    assert plan.sheet == "科级干部" and plan.sheet_names == ("科级干部", "家庭成员", "填表说明")
    assert plan.header_rows == (3, 4) and len(plan.rows) == 60
    assert {c.target for c in plan.columns if c.target} == set(keys)  # every merged header understood
    dialog = ImportDialog(AppContext(), plan, imports.ImportOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sheet_combo.isVisible() and dialog.sheet_combo.currentText() == "科级干部"


def test_the_tour_closes_the_window_over_unsaved_edits(qtbot, monkeypatch):
    """On a new database the tour's 新建方案 left the 考核方案 page edited: closing the window asked
    保存 / 不保存 / 取消 and the command waited for an answer for ever. The question is answered 不保存."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

    from ui.shell.screenshots import Camera
    from ui.widgets import messages, unsaved

    def modal(box):  # as the command shows it: modal, waiting for a click (not the tests' answering boxes)
        box.exec()
        return box.clickedButton()

    monkeypatch.setattr(messages, "present", modal)

    class Page(QWidget):
        dirty = True

        def has_unsaved(self) -> bool:
            return self.dirty

        def save(self) -> bool:
            raise AssertionError("the tour saves nothing")

    class Window(QMainWindow):
        def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
            if not unsaved.settle(self, "退出"):
                event.ignore()

    window, page = Window(), Page()
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    window.show()
    left_waiting = []

    def rescue() -> None:  # what the test does if the camera did not answer: note it, and let it go on
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            left_waiting.append(box.text())
            box.buttons()[-1].click()

    rescuer = QTimer()
    rescuer.setInterval(3000)
    rescuer.timeout.connect(rescue)
    rescuer.start()
    camera = Camera(Path("."))
    camera.window = window
    try:
        camera.close_window()
    finally:
        rescuer.stop()
        page.dirty = False  # no question when the test's window is closed after it
    assert left_waiting == [] and not window.isVisible()


def test_a_pickers_line_losing_its_middle_is_not_cut(qtbot):
    """A picker's chosen line too long for its box loses the middle of the post by design (王飞龙
    云江市住房和…主任科员　1990.08生): not a cut text, as long as the name and the month of birth are read whole
    (the 修改选派 dialog of a 300-cadre demo database was reported cut, --screenshot exited 1)."""
    from ui.shell.fit_check import clipped_text
    from ui.widgets.cadre_picker import MiddleElidedCombo

    combo = MiddleElidedCombo()
    combo.addItem("江琳燕　云江市城市建设投资集团有限公司办公室副主任　1990.08生")
    qtbot.addWidget(combo)
    combo.resize(300, combo.sizeHint().height())
    combo.show()
    qtbot.waitExposed(combo)
    assert "…" in combo.shown_text()
    assert clipped_text(combo) == []
    combo.resize(60, combo.height())  # now the name itself is cut
    assert clipped_text(combo)
