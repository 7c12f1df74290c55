"""``python -m cadre_desk --db PATH --screenshot DIR``: every page and main dialog of the window as it
shows on a 1366×768 office screen, drawn offscreen into DIR as PNG files named by page, and a check of
each (ui/shell/fit_check.py): what does not fit is listed in DIR/report.json and on the console, and the
command then exits 1.

What is drawn is found, not listed here, so a new page is covered the day it is registered:
- every page of ``registry.MODULES`` (each tab of a page with tabs), then the dialog each button of
  the page opens, with the first row of the page's tables selected (the cadre profile dialog with each
  of its tabs, ``PROFILE_TABS`` included, comes from the roster's 新建干部 and 打开档案);
- the first dialog of every action in ``CADRE_ACTIONS`` and ``MENU_ACTIONS`` (with a cadre selected).
Each dialog is answered 取消 once drawn. The work is done on a copy of the database in a temporary
folder, with its own settings (no saved window sizes), so the database and the user's settings stay as
they were. On Linux the window draws with the bundled fonts only (ui.shell.app.bundled_fonts_only), as a
PC without a Chinese UI font of its own does: the widest text, so what fits here fits there too."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

SESSION_ENDERS = ("注销", "切换用户", "锁定")  # log the operator out (锁定 answered 取消 too): drawn last


def offscreen_platform(folder: Path) -> str:
    """A QT_QPA_PLATFORM value for an offscreen screen that is what a window gets of a 1366×768 screen
    at 96 dpi (Windows' 100 %): its work area above the taskbar, 1366×728."""
    from ui.shell.fit_check import SCREEN, TASKBAR

    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "office", "x": 0, "y": 0, "width": SCREEN.width(), "height": SCREEN.height() - TASKBAR,
        "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def _quiet_offscreen_notes() -> None:
    """The offscreen platform says for every window that it cannot do what a screen would (raise(),
    size hints): not worth a line each."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(kind, context, message) -> None:
        if "This plugin does not support" in message:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def file_name(*parts: str) -> str:
    """A PNG name from a page key and dialog titles: 干部名册 → cadres, 新建岗位… → 新建岗位."""
    words = [re.sub(r"[\\/:*?\"<>|…\s.]+", "", part) for part in parts if part]
    return "-".join(word for word in words if word) + ".png"


def run(args) -> int:
    """The command: draw, check, report. 0 when everything fits, 1 when something does not."""
    out = Path(args.screenshot).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cadre_screens_"))
    try:
        os.environ["QT_QPA_PLATFORM"] = offscreen_platform(work)
        from ui.shell.app import bundled_fonts_only

        bundled_fonts_only(work)  # measured in the widest font a clerk may get
        os.environ["CADRE_DESK_HOME"] = str(work / "home")  # backups, anchors of the copy: not the user's
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        original = args.db_path
        args.db_path = _copy_database(args.db_path, work)
        shots = Camera(out, original, work).take_all(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    problems = {shot["file"]: shot["problems"] for shot in shots if shot["problems"]}
    (out / "report.json").write_text(json.dumps(shots, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"已截图 {len(shots)} 张 → {out}")
    for name, lines in problems.items():
        print(f"{name}：")
        for line in lines:
            print(f"  {line}")
    if problems:
        print(f"{len(problems)} 张截图中有放不下或被截断的内容（见 {out / 'report.json'}）。", file=sys.stderr)
        return 1
    return 0


def _copy_database(db_path, work: Path):
    """A file is copied (with its WAL); a server database is used as it is (nothing is saved)."""
    if not isinstance(db_path, Path):
        return db_path
    if not db_path.is_file():
        from cadre_desk.domain.errors import CadreDeskError

        raise CadreDeskError(f"数据库文件不存在：{db_path}")
    copy = work / db_path.name
    shutil.copy2(db_path, copy)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.is_file():
            shutil.copy2(side, Path(f"{copy}{suffix}"))
    return copy


class Camera:
    """Draws the window's pages and dialogs one by one; ``take_all`` returns what it drew and found."""

    def __init__(self, out: Path, database=None, work: Path | None = None):
        self.out = out
        self.work = work or out  # where the files a dialog opens are made (a PDF, a workbook)
        self.database = database  # what the status bar names (not the copy)
        self.shots: list[dict] = []
        self.tabbed: set[tuple[str, str]] = set()  # (dialog class, tab) drawn already
        self.nested = False  # drawing what a dialog's tab opens: no deeper
        self.window = None
        self.app = None

    # ---- the run ---------------------------------------------------------------------------------
    def take_all(self, args) -> list[dict]:
        from PySide6.QtCore import QSettings

        from cadre_desk import cli
        from ui.shell import app as shell_app

        _quiet_offscreen_notes()
        self.app = shell_app.make_app()
        folder = os.environ["XDG_CONFIG_HOME"]
        for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(kind, QSettings.Scope.UserScope, folder)
        from ui.widgets import messages

        messages.install_error_hook()
        cli.open_db(args)
        window = shell_app.build_main_window(args.db_path if isinstance(args.db_path, Path) else args.db_path)
        from ui.security import security

        security.after_login(window)
        self.window = window
        from ui.shell.fit_check import USABLE

        window.resize(USABLE)
        window.show()
        if self.database is not None:
            window.db_label.setText(f"数据库：{self.database}")
        self.settle()
        self.wait(1200)  # what the window starts a moment after it shows (reminders)
        self.settle()
        try:
            self.pages()
            self.actions()
            self.opened_files()
            self.qt_dialogs()
            self.actions(ending=True)  # last: they log the operator out (the login answered 取消)
        finally:
            window.context.tasks.wait_all(30000)
            self.close_window()
        return self.shots

    def close_window(self) -> None:
        """Close the window, its question about unsaved edits answered 不保存: a button of the tour may
        leave a page edited (新建方案 on a new database's 考核方案), and the question waited for ever."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox

        from ui.shell.app import cancel_dialog

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if box is None or box is self.window:
                return
            drop = next((b for b in box.buttons() if b.text() == "不保存"), None) if isinstance(box, QMessageBox) else None
            if drop is not None:
                drop.click()
            else:
                cancel_dialog(box)

        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(answer)
        timer.start()
        try:
            self.window.close()
        finally:
            timer.stop()

    def wait(self, msecs: int) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(msecs, loop.quit)
        loop.exec()

    def settle(self, rounds: int = 4) -> None:
        """Let the window finish what it started: background loads, their results, the layout."""
        tasks = self.window.context.tasks
        for _ in range(rounds):
            tasks.wait_all(30000)
            self.wait(30)
            if not tasks.running():
                break
        self.app.processEvents()

    def shoot(self, widget, name: str, title: str, *, room=None) -> None:
        """Draw ``widget`` (a window) into ``name`` and write down what does not fit. ``room``: (page,
        the size the main window gives it) — the main window's own minimum is that of its largest page
        so far, so a page is judged by its own."""
        from ui.shell.fit_check import fit_problems, page_problems

        self.settle()
        widget.grab().save(str(self.out / name), "PNG")
        problems = fit_problems(widget, whole=room is None)
        if room is not None:
            problems = page_problems(room[0], room[1]) + problems
        self.shots.append({"file": name, "title": title, "size": [widget.width(), widget.height()],
                           "problems": problems})

    def shoot_tabs(self, top, stem: tuple[str, ...], title: str) -> None:
        """A dialog as it opens, then once per further tab of its outermost tab widget that no dialog of
        its kind showed before (打开档案 adds the tabs a new cadre has not)."""
        from PySide6.QtWidgets import QTabWidget

        self.shoot(top, file_name(*stem), title)
        kind = type(top).__name__
        for tabs in _outer(top, QTabWidget):
            first = tabs.currentIndex()
            self.tabbed.add((kind, tabs.tabText(first)))
            for index in range(tabs.count()):
                if index == first or not tabs.isTabVisible(index) or not tabs.isTabEnabled(index) or \
                        (kind, tabs.tabText(index)) in self.tabbed:
                    continue
                self.tabbed.add((kind, tabs.tabText(index)))
                tabs.setCurrentIndex(index)
                self.shoot(top, file_name(*stem, tabs.tabText(index)), f"{title} — {tabs.tabText(index)}")
                self.tab_dialogs(tabs.currentWidget(), (*stem, tabs.tabText(index)), f"{title} — {tabs.tabText(index)}")
            tabs.setCurrentIndex(first)

    def tab_dialogs(self, tab, stem: tuple[str, ...], title: str) -> None:
        """The second click: what a tab's own "…" buttons open (建立导师帮带… in 打开档案), answered 取消. Not
        from a dialog such a button opened, and never a 删除."""
        if self.nested:
            return
        self.nested = True
        try:
            _select_first_rows(tab)
            for text in _button_texts(tab):
                button = next((b for b in _buttons(tab) if _label(b) == text), None)
                if button is not None and text.endswith("…") and "删除" not in text:
                    self.first_dialog(button.click, (*stem, text.rstrip("…")), f"{title} — {text}")
        finally:
            self.nested = False

    # ---- pages -----------------------------------------------------------------------------------
    def pages(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        window = self.window
        for spec in window.visible_modules():
            page = window.show_module(spec.key)
            self.settle()
            tabs = next(iter(_outer(page, QTabWidget)), None)
            for index in range(tabs.count() if tabs is not None else 1):
                if tabs is not None and not (tabs.isTabVisible(index) and tabs.isTabEnabled(index)):
                    continue
                stem = (spec.key, tabs.tabText(index)) if tabs is not None else (spec.key,)
                title = f"{spec.title} — {tabs.tabText(index)}" if tabs is not None else spec.title

                def show(key=spec.key, tabs=tabs, index=index):
                    shown = window.show_module(key)
                    if tabs is not None:
                        tabs.setCurrentIndex(index)
                    self.settle()
                    return shown

                show()
                window.statusBar().clearMessage()  # what a button of the page before said (on the copy)
                self.shoot(window, file_name(*stem), title, room=(page, window.stack.size()))
                self.page_dialogs(show, stem, title)
            if tabs is not None:
                tabs.setCurrentIndex(0)

    def page_dialogs(self, show: Callable[[], object], stem: tuple[str, ...], title: str) -> None:
        """What each button of the page opens, the first row of its tables selected (so that 修改 and 删除
        have something to act on). Every question is answered 取消; a button that acts at once acts on
        the copy of the database."""
        page = show()
        _select_first_rows(page)
        self.settle()
        for text in _button_texts(page):
            page = show()
            _select_first_rows(page)
            self.settle()
            button = next((b for b in _buttons(page) if _label(b) == text), None)
            if button is not None:
                self.first_dialog(button.click, (*stem, text), f"{title} — {text}")

    # ---- dialogs ---------------------------------------------------------------------------------
    def actions(self, ending: bool = False) -> None:
        """The cadre actions and the menu's dialogs; ``ending``: only the menu's 注销 / 切换用户 / 锁定, which
        the others are drawn without (a logged-out clerk's window had no pages, nothing to print)."""
        from ui.shell import registry

        window = self.window
        context = window.context
        cadres = None if ending else window.show_module("cadres")  # None for a 系统管理员 (no 干部名册)
        if cadres is not None:  # the cadre actions need a chosen cadre; the menu's dialogs do not
            self.settle()
            _select_first_rows(cadres)
            for spec in sorted(registry.CADRE_ACTIONS, key=lambda s: s.order):
                if context.allows(spec.needs):
                    self.first_dialog(lambda s=spec: window.run_cadre_action(s), ("cadre", spec.title),
                                      spec.title)
        for spec in sorted(registry.MENU_ACTIONS, key=lambda s: (s.menu, s.order)):
            if (spec.title in SESSION_ENDERS) != ending:
                continue
            if context.allows(spec.needs):
                self.first_dialog(lambda s=spec: s.callback(context), ("menu", spec.menu, spec.title),
                                  f"{spec.menu} — {spec.title}")

    def first_dialog(self, trigger: Callable[[], object], stem: tuple[str, ...], title: str) -> None:
        """Run ``trigger``; draw the first window it opens, then answer it and any after it 取消."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QDialog

        from ui.shell.app import cancel_dialog

        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        state = {"shot": False}

        def look() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or dialog is self.window:
                return
            timer.stop()
            try:
                if not state["shot"]:
                    state["shot"] = True
                    self.shoot_tabs(dialog, stem, title)
            finally:
                cancel_dialog(dialog)
                timer.start()

        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(look)
        timer.start()
        try:
            trigger()
            self.settle()
        finally:
            timer.stop()
        for widget in QApplication.topLevelWidgets():  # a window that is not modal (a list beside the window)
            if widget.isVisible() and id(widget) not in before and widget is not self.window:
                if not state["shot"] and (isinstance(widget, QDialog) or widget.isWindow()):
                    state["shot"] = True
                    self.shoot_tabs(widget, stem, title)
                widget.close()


    def opened_files(self) -> None:
        """What opens with a file or before the window, which no button of a page opens by itself: the
        登录 dialog, the print preview of a 干部任免审批表 and the preview of a roster workbook to import
        (the PDF and the workbook made from the copy of the database)."""
        from cadre_desk.exchange import imports
        from reports.excel.excel_roster import export_roster
        from reports.pdf import batch
        from ui.exchange.import_dialog import ImportDialog
        from ui.security.login_dialog import LoginDialog
        from ui.widgets.pdf_preview import preview_pdf

        window, context = self.window, self.window.context
        self.shoot_window(LoginDialog(window, Path(str(self.database or "")).name), ("login",), "登录")
        roster = window.page("cadres")
        ids = [roster.model.cadre_id(row) for row in range(min(roster.model.rowCount(), 40))] if roster else []
        if not ids:
            return
        pdf = self.work / "干部任免审批表.pdf"
        batch.build_dossiers(ids[:2], out_path=pdf, kind="rmb", reason="截图")
        self.shoot_window(preview_pdf(window, [pdf], tasks=context.tasks), ("preview", "干部任免审批表"),
                          "打印预览 — 干部任免审批表")
        exported = self.work / "导出名册.xlsx"
        export_roster(exported, keys=[key for _group, key in _DEPARTMENT_COLUMNS], ids=ids, reason="截图")
        workbook = department_workbook(exported, self.work / "科级干部花名册.xlsx")
        options = imports.ImportOptions()
        plan = imports.analyze(workbook, options)
        self.shoot_window(ImportDialog(context, plan, options, window), ("import", "干部名册"), "导入干部名册 — 预览")

    def qt_dialogs(self) -> None:
        """Qt's own windows the program shows, in Qt's words (their Chinese comes from the translations):
        a question (是/否), a warning (确定/取消), a line to type in, and a text field's context menu."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

        window = self.window
        buttons = QMessageBox.StandardButton
        question = QMessageBox(QMessageBox.Icon.Question, "确认", "确定删除所选记录吗？", buttons.Yes | buttons.No,
                               window)
        self.shoot_window(question, ("qt", "询问"), "Qt 询问框（是/否）")
        warning = QMessageBox(QMessageBox.Icon.Warning, "提示", "尚有未保存的修改。", buttons.Ok | buttons.Cancel,
                              window)
        self.shoot_window(warning, ("qt", "警告"), "Qt 警告框（确定/取消）")
        asking = QInputDialog(window)
        asking.setWindowTitle("输入")
        asking.setLabelText("名称：")
        self.shoot_window(asking, ("qt", "输入"), "Qt 输入框")
        line = QLineEdit(window)
        line.setText("张三")
        menu = line.createStandardContextMenu()
        try:
            menu.popup(window.mapToGlobal(window.rect().center()))
            self.settle()
            self.shoot(menu, file_name("qt", "右键菜单"), "Qt 文本框右键菜单")
        finally:
            menu.close()
            menu.deleteLater()
            line.deleteLater()

    def shoot_window(self, dialog, stem: tuple[str, ...], title: str) -> None:
        """A window made here: shown, drawn (each tab the first time), closed."""
        try:
            dialog.show()
            self.settle()
            self.shoot_tabs(dialog, stem, title)
        finally:
            dialog.reject() if hasattr(dialog, "reject") else dialog.close()


# The roster sheet of a department's file: (the group merged over the column or "", the field); a
# column without a group is merged down both header rows.
_DEPARTMENT_COLUMNS = (("基本情况", "name"), ("基本情况", "gender"), ("基本情况", "birth"), ("基本情况", "ethnicity"),
                       ("", "party"), ("", "work_start"), ("全日制教育", "ft_education"),
                       ("全日制教育", "ft_degree"), ("", "unit"), ("", "position"), ("", "rank"),
                       ("", "id_number"))
_GROUP_LABELS = {"ft_education": "学历", "ft_degree": "学位"}  # under 全日制教育, as departments write them


def department_workbook(exported: Path, path: Path) -> Path:
    """A roster as a department sends it, from an exported one: the sheet 科级干部 under a title and a
    制表单位 line with a two-row merged header (基本情况 over 姓名 | 性别 | …), then the sheets
    家庭成员 and 填表说明 — the preview offers the choice of sheet."""
    import openpyxl

    from cadre_desk.domain.fields import BY_KEY

    rows = list(openpyxl.load_workbook(exported, read_only=True).active.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if "姓名" in row)
    at = [rows[start].index(BY_KEY[key].label) for _group, key in _DEPARTMENT_COLUMNS]
    people = [[row[i] for i in at] for row in rows[start + 1:] if any(row)]
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "科级干部"
    sheet.append(["市直单位科级干部花名册"])
    sheet.append(["制表单位：市委组织部干部科"])
    sheet.append(["序号"] + [group or BY_KEY[key].label for group, key in _DEPARTMENT_COLUMNS])
    sheet.append([None] + [_GROUP_LABELS.get(key, BY_KEY[key].label) if group else None
                           for group, key in _DEPARTMENT_COLUMNS])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_DEPARTMENT_COLUMNS) + 1)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for group in dict.fromkeys(g for g, _key in _DEPARTMENT_COLUMNS):
        columns = [n for n, (g, _key) in enumerate(_DEPARTMENT_COLUMNS, 2) if g == group]
        for first, last in ([(columns[0], columns[-1])] if group else [(n, n) for n in columns]):
            sheet.merge_cells(start_row=3, start_column=first, end_row=3 if group else 4, end_column=last)
    for n, person in enumerate(people, 1):
        sheet.append([n, *person])
    family = wb.create_sheet("家庭成员")
    family.append(["干部姓名", "称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务"])
    for person in people[:3]:
        family.append([person[0], "妻子", "刘芳", "1975.03", "中共党员", "市第一中学教师"])
        family.append([person[0], "儿子", f"{person[0][0]}明", "2003.09", "共青团员", "在读研究生"])
    notes = wb.create_sheet("填表说明")
    for line in ("填表说明", "1. 出生年月、参加工作时间按 1986.05 的格式填写。", "2. 家庭成员在“家庭成员”表中填写。"):
        notes.append([line])
    wb.save(path)
    return path


def _outer(top, kind) -> list:
    """The widgets of ``kind`` in ``top`` that are not inside another one of that kind (visible)."""
    found = []
    for widget in top.findChildren(kind):
        if not widget.isVisibleTo(top):
            continue
        parent = widget.parentWidget()
        while parent is not None and parent is not top and not isinstance(parent, kind):
            parent = parent.parentWidget()
        if parent is None or parent is top:
            found.append(widget)
    return found


def _label(button) -> str:
    return button.text().replace("&", "").strip()


def _buttons(page) -> list:
    """The page's own push buttons that a clerk can click now (not those that open a menu)."""
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    return [b for b in page.findChildren(QPushButton)
            if b.isVisible() and b.isEnabled() and _label(b) and b.menu() is None
            and not isinstance(b.parentWidget(), QDialogButtonBox)]


def _button_texts(page) -> list[str]:
    return list(dict.fromkeys(_label(b) for b in _buttons(page)))


def _select_first_rows(page) -> None:
    """The first row of each table or list on the page, so that 编辑… / 删除… have something to act on."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QAbstractItemView

    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisible() or model.rowCount() == 0 or view.selectionModel() is None:
            continue
        if view.selectionModel().hasSelection():
            continue
        index = model.index(0, 0)
        view.setCurrentIndex(index)
        view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                     | QItemSelectionModel.SelectionFlag.Rows)
