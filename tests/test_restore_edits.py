"""Unsaved edits and 从备份恢复: asked about before the data they were typed on is replaced (saved into the
恢复前备份, or dropped at the user's word), nothing new typed while it runs (its boxes are modal), and a
login forced by the restore names what it closes unsaved instead of dropping it without a word."""

from __future__ import annotations

from tests.conftest import make_profile
from tests.test_security_ui import no_boxes  # noqa: F401  (fixture)


def _window_with_profile(qtbot, db_path, unit, name="甲"):
    from cadre_desk.features import register_all
    from cadre_desk.profiles import cadres
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    register_all()
    cadre_id = cadres.save_profile(make_profile(unit.id, name=name)).profile.id
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    window.show()
    dialog = ProfileDialog(window.context, cadre_id, window)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    return window, dialog, cadre_id


def _renamed_before_a_restore(qtbot, tmp_path, db_path, unit, monkeypatch):
    """An open 干部档案 whose name is changed to 甲改名 (unsaved), and 从备份恢复 about to pick a backup made
    before."""
    from cadre_desk.security import backups

    window, dialog, cadre_id = _window_with_profile(qtbot, db_path, unit)
    good = backups.backup_to_file(tmp_path / "good.sqlite3")
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(good))
    dialog.cells["name"].editor.setText("甲改名")
    return window, dialog, cadre_id


def test_restore_asks_about_unsaved_edits_first_and_saves_them_into_the_safety_backup(
        qtbot, tmp_path, db_path, db, unit, boxes, monkeypatch):
    """An open 干部档案 with a changed name stayed open through the restore, its edits typed on data now
    replaced (and closed unasked when the restore ended the session)."""
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import connect_raw
    from ui.security import security

    window, dialog, cadre_id = _renamed_before_a_restore(qtbot, tmp_path, db_path, unit, monkeypatch)
    boxes.answers.extend(["恢复", "保存"])
    security.restore_database(window.context)
    title, text, buttons = boxes.shown[1]
    assert title == "从备份恢复" and buttons == ["保存", "不保存", "取消"]
    assert "干部档案 — 甲" in text and "从备份恢复前要保存吗" in text and "存入恢复前备份" in text
    assert window.context.tasks.wait_all(30000)
    qtbot.waitUntil(lambda: "恢复前的数据已备份" in boxes.shown[-1][1], timeout=20000)
    assert not dialog.isVisible()
    assert cadres.get_profile(cadre_id).name == "甲"  # the backup's
    safety = max(backups.backup_dir_for(db_path).glob("*恢复前*"), key=lambda p: p.stat().st_mtime)
    conn = connect_raw(safety)
    try:
        assert conn.execute("SELECT name FROM cadre WHERE id = ?", (cadre_id,)).fetchone()[0] == "甲改名"
    finally:
        conn.close()


def test_cancel_on_the_unsaved_question_restores_nothing(qtbot, tmp_path, db_path, db, unit, boxes, monkeypatch):
    from ui.security import security

    window, dialog, _cadre_id = _renamed_before_a_restore(qtbot, tmp_path, db_path, unit, monkeypatch)
    boxes.answers.extend(["恢复", "取消"])
    security.restore_database(window.context)
    assert window.context.tasks.running() == 0 and len(boxes.shown) == 2
    assert dialog.isVisible() and dialog.cells["name"].editor.text() == "甲改名"


def test_a_login_forced_by_the_restore_names_the_edits_it_closes_unsaved(
        qtbot, db_path, db, unit, no_boxes, monkeypatch):  # noqa: F811
    """The forced 重新登录 said only 请重新登录 and closed every window: an edit still open went unsaid."""
    from ui.shell import session

    window, dialog, _cadre_id = _window_with_profile(qtbot, db_path, unit)
    dialog.cells["name"].editor.setText("甲改名")
    logins = []
    monkeypatch.setattr(session, "_log_in_again", lambda context, title: logins.append(title) or True)
    window.context.session_must_end.emit("已恢复另一个数据库的备份，其用户账号已替换本库的账号。")
    assert logins == ["重新登录"]
    kind, text = no_boxes[-1]
    assert kind == "warning" and "干部档案 — 甲" in text and "不会保存" in text and "请重新登录" in text


def test_a_forced_login_with_nothing_unsaved_just_says_why(qtbot, db_path, db, unit, no_boxes,  # noqa: F811
                                                           monkeypatch):
    from ui.shell import session

    window, dialog, _cadre_id = _window_with_profile(qtbot, db_path, unit)
    monkeypatch.setattr(session, "_log_in_again", lambda context, title: True)
    window.context.session_must_end.emit("恢复后的数据库中，当前账号已不存在或已改变。")
    assert no_boxes[-1] == ("information", "恢复后的数据库中，当前账号已不存在或已改变。\n\n请重新登录。")
