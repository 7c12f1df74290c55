"""The two edges of cancelling an import. An import that wrote nothing (取消, or refused and rolled back)
keeps no 导入前备份: 从备份恢复 would list a copy of a moment when nothing happened; a backup is never
removed once rows may have been committed. And 取消 is honoured up to the final commit; from there the
progress dialog says 「正在保存，已不能取消…」 with 取消 disabled, and a 取消 that came too late is said."""

from __future__ import annotations

import os
import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt

from cadre_desk.domain.errors import Cancelled, ConflictError
from cadre_desk.domain.progress import SAVING, CancelToken, Progress
from cadre_desk.exchange import imports, writing
from cadre_desk.security import backups
from cadre_desk.store.models import AuditLog, Cadre

pytestmark = pytest.mark.sqlite_only  # the 导入前备份 is a copy of the database file


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "三人.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "民族", "单位"])
    for name, birth in (("周一", "1985.10"), ("吴二", "1990.01"), ("郑三", "1979.06")):
        wb.active.append([name, "男", birth, "汉族", "市财政局"])
    wb.save(path)
    return path


def _backups(db_path):
    return [b.path for b in backups.list_backups(db_path)]


def test_a_cancelled_import_keeps_no_backup_and_a_refused_one_neither(db, unit, db_path, roster):
    token = CancelToken()

    def asked(_done, _total, text):  # 取消 while the backup is made: honoured at the commit, all rolled back
        if text.startswith("正在备份"):
            token.cancel()

    audit_before = AuditLog.select().count()
    with pytest.raises(Cancelled):
        imports.commit(imports.analyze(roster), progress=Progress(asked, token))
    assert Cadre.select().count() == 0 and AuditLog.select().count() == audit_before
    assert _backups(db_path) == []

    def refused(rows, unit_ids, progress, last_id):
        raise ConflictError("第 2 行 周一已在系统中。未导入任何数据；请重新检查文件后再导入。")

    real = writing.insert_rows
    writing.insert_rows = refused
    try:
        with pytest.raises(ConflictError):
            imports.commit(imports.analyze(roster))
    finally:
        writing.insert_rows = real
    assert Cadre.select().count() == 0 and _backups(db_path) == []


def test_a_cancel_after_the_commit_began_is_refused_and_the_backup_kept(db, unit, db_path, roster):
    token = CancelToken()
    refused: list[bool] = []

    def asked(_done, _total, text):
        if text == SAVING:
            refused.append(token.cancel())

    result = imports.commit(imports.analyze(roster), progress=Progress(asked, token))
    assert refused == [False] and token.too_late and not token.cancelled
    assert result.inserted == 3 and Cadre.select().count() == 3
    assert _backups(db_path) == [result.backup]


def test_a_backup_is_kept_when_the_rows_were_committed_before_a_failure(db, unit, db_path, roster, monkeypatch):
    from cadre_desk.store import db as store_db

    def after_commit_fails():
        raise OSError("磁盘已满")

    monkeypatch.setattr(store_db, "AFTER_COMMIT", [*store_db.AFTER_COMMIT, after_commit_fails])
    with pytest.raises(OSError):
        imports.commit(imports.analyze(roster))
    assert Cadre.select().count() == 3  # committed: its backup is the way back
    assert len(_backups(db_path)) == 1


def test_the_command_line_removes_the_backup_of_an_import_that_wrote_nothing(db, unit, db_path, roster,
                                                                           capsys, monkeypatch):
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    def refused(rows, unit_ids, progress, last_id):
        raise ConflictError("第 2 行 周一已在系统中（编号 7）。未导入任何数据；请重新检查文件后再导入。")

    monkeypatch.setattr(writing, "insert_rows", refused)
    close_database()
    assert main(["--db", str(db_path), "import", str(roster)]) == 1
    said = capsys.readouterr()
    made = said.out.split("导入前已备份数据库：", 1)[1].splitlines()[0]
    assert f"未写入任何数据，导入前的备份已删除：{made}" in said.err and "未导入任何数据" in said.err
    assert not os.path.exists(made) and _backups(db_path) == []
    open_database(db_path)
    assert Cadre.select().count() == 0


def test_one_backup_kept_only_when_its_write_may_have_committed(db, unit, db_path, monkeypatch):
    """backup_kept_if_written, as both the import and the command line use it: the 导入前备份 of a
    body that raised (refused, 取消, Ctrl+C) is removed and said; of a body that finished it stays, even
    when what follows the commit fails; inside a caller's transaction, or when none was wanted, it is
    never removed here."""
    from cadre_desk.store import db as store_db
    from cadre_desk.store.models import Setting

    def written(key):
        return Setting.select().where(Setting.key == key).exists()

    told: list = []
    for stop in (ConflictError("已有此人"), Cancelled(), KeyboardInterrupt()):
        with pytest.raises(type(stop)):
            with backups.backup_kept_if_written("导入名册", on_discard=told.append) as kept:
                assert kept.path is not None and kept.path.exists() and kept.outermost
                Setting.create(key="mend.raised", value="1")
                raise stop
        assert kept.discarded and not kept.path.exists() and told[-1] == kept.path
        assert not written("mend.raised") and _backups(db_path) == []

    with backups.backup_kept_if_written("导入名册", on_discard=told.append) as kept:
        Setting.create(key="mend.done", value="1")
    assert written("mend.done") and _backups(db_path) == [kept.path] and not kept.discarded

    def after_commit_fails():
        raise OSError("磁盘已满")

    monkeypatch.setattr(store_db, "AFTER_COMMIT", [*store_db.AFTER_COMMIT, after_commit_fails])
    with pytest.raises(OSError):
        with backups.backup_kept_if_written("导入名册") as late:
            Setting.create(key="mend.late", value="1")
    assert written("mend.late") and late.path.exists() and not late.discarded
    monkeypatch.undo()

    # a caller's transaction (which made the backup before it began): its own commit decides, the backup stays
    spare = backups.backup_before_import("导入名册")
    monkeypatch.setattr(backups, "backup_before_import", lambda _what: spare)
    with pytest.raises(ConflictError):
        with store_db.write_transaction():
            with backups.backup_kept_if_written("导入名册") as inner:
                assert not inner.outermost and inner.path == spare
                raise ConflictError("已有此人")
    assert spare.exists() and not inner.discarded
    monkeypatch.undo()

    with pytest.raises(ConflictError):
        with backups.backup_kept_if_written("导入名册", wanted=False) as none:
            raise ConflictError("已有此人")
    assert none.path is None and not none.discarded
    assert len(told) == 3 and len(_backups(db_path)) == 3


def _importing(context, roster, qtbot):
    """The window's own way in, up to the 正在导入 dialog."""
    from PySide6.QtWidgets import QProgressDialog

    from ui.exchange import import_dialog

    import_dialog.start_import(context, roster, "导入干部名册")
    qtbot.waitUntil(lambda: getattr(context, "_exchange_dialog", None) is not None, timeout=30000)
    dialog = context._exchange_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30000)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)

    def box():
        return next((d for d in dialog.findChildren(QProgressDialog) if d.windowTitle() == "正在导入"), None)

    return dialog, box


def _messages_said(monkeypatch) -> list[str]:
    """What the window's warning and info boxes say (「标题：内容」), in order, instead of showing them."""
    from ui.widgets import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, title, text: said.append(f"{title}：{text}"))
    monkeypatch.setattr(messages, "info", lambda _p, title, text: said.append(f"{title}：{text}"))
    return said


@pytest.fixture
def held_at_the_commit(monkeypatch):
    """``hold(before)``: the worker held at its last moment to cancel, just before the seal or just after
    it. Let go when the test ends, also when it failed before its ``go.set()`` (held, the worker went on
    30 s later and committed into the database of whatever test ran then), and waited for."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    let_go: list[threading.Event] = []

    def hold(before: bool):
        reached, go, real = threading.Event(), threading.Event(), Progress.seal
        let_go.append(go)

        def held(self, text=SAVING):
            if before:
                reached.set()
                go.wait(30)
            real(self, text)
            if not before:
                reached.set()
                go.wait(30)

        monkeypatch.setattr(Progress, "seal", held)
        return reached, go

    yield hold
    for go in let_go:
        go.set()
    assert QThreadPool.globalInstance().waitForDone(30000)
    QApplication.processEvents()  # its end delivered while the test's boxes are still caught


def test_cancel_in_the_window_before_the_commit_leaves_nothing_and_no_backup(db, unit, db_path, roster,
                                                                            qtbot, monkeypatch, held_at_the_commit):
    from PySide6.QtWidgets import QPushButton

    from ui.shell.context import AppContext

    said = _messages_said(monkeypatch)
    reached, go = held_at_the_commit(before=True)
    context = AppContext()
    dialog, box = _importing(context, roster, qtbot)
    assert reached.wait(30)  # every row written, the commit not begun
    qtbot.waitUntil(lambda: box() is not None and box().isVisible(), timeout=10000)
    (button,) = box().findChildren(QPushButton)
    assert button.text() == "取消" and button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)
    go.set()
    assert context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert said == [] and dialog.result_value is None and dialog.isVisible()
    assert Cadre.select().count() == 0
    assert _backups(db_path) == []  # 从备份恢复 lists nothing for an import that did not happen
    dialog.reject()


def test_cancel_once_the_commit_began_is_disabled_and_said(db, unit, db_path, roster, qtbot, monkeypatch,
                                                           request, held_at_the_commit):
    from PySide6.QtWidgets import QPushButton

    from ui.shell.context import AppContext

    said = _messages_said(monkeypatch)
    reached, go = held_at_the_commit(before=False)
    context = AppContext()
    dialog, box = _importing(context, roster, qtbot)
    assert reached.wait(30)  # sealed: the commit is to come and will not be stopped
    qtbot.waitUntil(lambda: box() is not None and box().isVisible() and box().labelText() == SAVING,
                    timeout=10000)
    (button,) = box().findChildren(QPushButton)
    assert button.text() == "取消" and not button.isEnabled()
    assert box().maximum() == 0  # busy while the commit runs, not a bar stuck part way
    if os.environ.get("CADRE_DESK_SHOT"):  # a look at 1366x768: QT_QPA_PLATFORM=xcb xvfb-run … CADRE_DESK_SHOT=<png>
        from PySide6.QtWidgets import QApplication

        request.getfixturevalue("office_look")
        dialog.showMaximized()
        box().raise_()
        qtbot.wait(500)
        QApplication.primaryScreen().grabWindow(0).save(os.environ["CADRE_DESK_SHOT"])
    # a 取消 in the moment before the button was disabled (or Esc, or closing the dialog): refused, and
    # the dialog, hidden by QProgressDialog's own cancel, is back saying why
    box().canceled.emit()
    assert box().isVisible() and box().labelText() == SAVING and not button.isEnabled()
    box().close()  # the dialog's own close button asks to cancel too: refused, the dialog back
    qtbot.waitUntil(lambda: box().isVisible(), timeout=5000)
    assert box().labelText() == SAVING and not button.isEnabled()
    go.set()
    assert context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert len(said) == 1 and said[0].startswith("导入完成：点“取消”时导入已在保存，不能再取消，本次导入已完成并保存。")
    assert "新增 3 人" in said[0] and "从备份恢复" in said[0]
    assert Cadre.select().count() == 3 and len(_backups(db_path)) == 1
