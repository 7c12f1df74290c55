"""A roster of 20,000 rows imported through the window: the preview shows how far the check of the
rest has come (数据检查), the import how far the write has come; 取消 stops either, and a cancelled
import leaves nothing written."""

from __future__ import annotations

import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt

from cadre_desk.domain.errors import Cancelled
from cadre_desk.exchange import writing
from cadre_desk.store.models import AuditLog, Cadre, Unit

ROWS = 20_000


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "两万人.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("干部名册")
    ws.append(["姓名", "性别", "出生年月", "民族", "单位", "现任职务"])
    for i in range(ROWS):
        ws.append([f"人员{i:05d}", "女" if i % 2 else "男", f"19{70 + i % 25}.{1 + i % 12:02d}", "汉族", "市财政局",
                   f"科员{i % 9}"])
    wb.save(path)
    return path


def _preview(context, path, qtbot):
    """The window's own way in: read in the background, then the preview opened with the first rows."""
    from ui.exchange import import_dialog

    import_dialog.start_import(context, path, "导入干部名册")
    qtbot.waitUntil(lambda: getattr(context, "_exchange_dialog", None) is not None, timeout=60000)
    dialog = context._exchange_dialog
    qtbot.addWidget(dialog)
    return dialog


def test_the_check_of_the_rest_shows_its_progress_and_cancel_stops_it(db, unit, big_roster, qtbot, monkeypatch):
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    seen: list[tuple[int, int]] = []
    shown = import_dialog.ImportDialog._rest_progress

    def watched(self, done, total, text):
        shown(self, done, total, text)
        seen.append((self.progress.value(), self.progress.maximum()))

    monkeypatch.setattr(import_dialog.ImportDialog, "_rest_progress", watched)
    context = AppContext()
    dialog = _preview(context, big_roster, qtbot)
    plan = dialog.plan
    assert not plan.complete and dialog.progress.isVisibleTo(dialog)
    assert dialog.summary.text().startswith("正在检查其余的行：已检查 3,000 行，共约 ")
    assert not dialog.import_button.isEnabled()
    qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=120000)
    assert any(0 < value < maximum for value, maximum in seen), seen  # the bar moved, part way
    assert not dialog.progress.isVisibleTo(dialog)
    assert dialog.summary.text().startswith(f"共 {ROWS} 行")
    dialog.reject()

    # a second look at the file, closed with 取消 while the rest is being checked: the check stops
    context._exchange_dialog = None
    dialog = _preview(context, big_roster, qtbot)
    task = dialog.checking_task
    assert task is not None
    cancel = next(b for b in dialog.findChildren(import_dialog.QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.LeftButton)
    assert not dialog.isVisible() and task.token.cancelled
    assert context.tasks.wait_all(60000)
    qtbot.waitUntil(lambda: task.finished, timeout=10000)
    assert isinstance(task.exception, Cancelled) and not dialog.plan.complete
    assert Cadre.select().count() == 0


def test_the_import_shows_its_progress_and_cancel_leaves_nothing_written(db, unit, db_path, big_roster, qtbot,
                                                                         monkeypatch):
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from ui.shell.context import AppContext
    from ui.widgets import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, title, text: said.append(f"{title}：{text}"))
    monkeypatch.setattr(messages, "info", lambda _p, title, text: said.append(f"{title}：{text}"))
    # the write held after its first 5,000 people until the test has pressed 取消 (no race with a fast disk)
    pressed, real_insert = threading.Event(), writing.insert_rows

    def held_insert(rows, unit_ids, progress, last_id):
        class Held:
            def report(self, done, total, text=""):
                progress.report(done, total, text)
                if total:
                    pressed.wait(30)

            def check(self):
                progress.check()

        return real_insert(rows, unit_ids, Held(), last_id)

    monkeypatch.setattr(writing, "insert_rows", held_insert)
    units_before, audit_before = Unit.select().count(), AuditLog.select().count()
    context = AppContext()
    dialog = _preview(context, big_roster, qtbot)
    qtbot.waitUntil(lambda: dialog.plan.complete and dialog.checking_task is None, timeout=120000)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)

    def importing():
        return next((d for d in dialog.findChildren(QProgressDialog) if d.windowTitle() == "正在导入"), None)

    qtbot.waitUntil(lambda: importing() is not None and importing().value() > 0, timeout=60000)
    box = importing()
    assert box.isVisible() and box.maximum() == ROWS and "正在写入" in box.labelText()
    (button,) = box.findChildren(QPushButton)
    assert button.text() == "取消"
    qtbot.mouseClick(button, Qt.LeftButton)
    pressed.set()
    assert context.tasks.wait_all(60000)
    qtbot.waitUntil(lambda: not box.isVisible() and dialog.import_button.isEnabled(), timeout=10000)
    assert dialog.isVisible() and dialog.result_value is None
    assert said == []  # a 取消 is no failure to be told about
    assert Cadre.select().count() == 0
    assert (Unit.select().count(), AuditLog.select().count()) == (units_before, audit_before)
    from cadre_desk.security import backups

    assert backups.list_backups(db_path) == []  # nor a 导入前备份 for 从备份恢复 to offer


def test_a_recheck_cancelled_part_way_is_done_whole_before_the_import(db, unit, big_roster, qtbot, monkeypatch):
    """现任职务 set to 不导入, its 重新检查 cancelled part way: the rows were left part checked with the new
    mapping, part not checked at all, and 导入 wrote them so (the rows not checked with the column the
    preview said was not imported). Now the preview says the check is not complete and 导入 checks all first."""
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from cadre_desk.exchange import row_checks
    from ui.shell.context import AppContext
    from ui.widgets import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, title, text: said.append(f"{title}：{text}"))
    monkeypatch.setattr(messages, "info", lambda _p, title, text: said.append(f"{title}：{text}"))
    context = AppContext()
    dialog = _preview(context, big_roster, qtbot)
    qtbot.waitUntil(lambda: dialog.plan.complete and dialog.checking_task is None, timeout=120000)
    # the check held after its first 4,000 rows until the test has pressed 取消
    pressed, real_check = threading.Event(), row_checks.check_rows

    def held_check(plan, context, progress, batch=2000):
        class Held:
            def report(self, done, total, text=""):
                progress.report(done, total, text)
                if done >= 4000 and not pressed.is_set():
                    pressed.wait(30)

            def check(self):
                progress.check()

        return real_check(plan, context, Held(), batch)

    monkeypatch.setattr(row_checks, "check_rows", held_check)
    position = next(c for c in dialog.plan.columns if c.target == "position")
    dialog.remap({position.index: None})

    def rechecking():
        return next((d for d in dialog.findChildren(QProgressDialog) if d.windowTitle() == "重新检查"), None)

    qtbot.waitUntil(lambda: rechecking() is not None and "正在检查" in rechecking().labelText()
                    and rechecking().value() >= 4000, timeout=60000)
    (button,) = rechecking().findChildren(QPushButton)
    qtbot.mouseClick(button, Qt.LeftButton)
    pressed.set()
    assert context.tasks.wait_all(60000)
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("重新检查未完成"), timeout=10000)
    assert said == []
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=120000)
    assert dialog.result_value.inserted == ROWS
    assert Cadre.select().where(Cadre.position.is_null(False) & (Cadre.position != "")).count() == 0
