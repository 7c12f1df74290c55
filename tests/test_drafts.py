"""草稿: 退出程序 from the idle lock (or a system shutdown while locked) saves nothing as the user but keeps
the unsaved profile edits under the account; its next login offers them back once — 恢复 opens the
profile with the edits filled in and unsaved, 放弃 deletes them; a draft of a cadre the account may no
longer edit is dropped with a note, never shown."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.test_session_keys import _profile, _window, people  # noqa: E402, F401 - the fixture too


def _quitting(window, boxes):
    """A lock screen whose user chooses 退出程序 (and confirms it); the main window then closes."""
    from ui.security.login_dialog import LockDialog

    seen: list = []

    def factory():
        lock = LockDialog()

        def run() -> int:
            lock.show()
            boxes.answers.append("退出程序")
            lock.cancel_button.click()
            seen.append(boxes.shown[-1])
            return lock.result()

        lock.exec = run
        return lock

    window.context.idle_watcher.on_quit = window.close
    return factory, seen


def _rows():
    from cadre_desk.store.security_models import UnsavedDraft

    return list(UnsavedDraft.select().order_by(UnsavedDraft.id))


def _profiles_shown():
    from ui.profiles.profile_dialog import ProfileDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ProfileDialog) and w.isVisible()]


def _edit_and_quit_from_the_lock(qtbot, db_path, people, boxes):  # noqa: F811 - the fixture's value
    from cadre_desk.access.context import current_operator
    from cadre_desk.domain.fields import RECORDS

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王未存")
    resume = dialog.records["resume"]
    resume.add_row()
    for col, text in enumerate(["200309", "200707", "北京大学经济学院学习"]):
        resume.table.item(resume.table.rowCount() - 1, col).setText(text)
    typed_resume = resume.items()
    assert RECORDS and typed_resume
    factory, seen = _quitting(window, boxes)
    assert not window.context.idle_watcher.lock(factory)
    assert not window.isVisible() and not dialog.isVisible() and current_operator().user_id is None
    return seen[0], typed_resume


def test_quitting_from_the_lock_keeps_a_draft_offered_back_at_the_next_login(qtbot, people, db_path,  # noqa: F811
                                                                            boxes):
    from cadre_desk.access import context
    from cadre_desk.profiles import cadres
    from cadre_desk.security import accounts, audit

    question, typed_resume = _edit_and_quit_from_the_lock(qtbot, db_path, people, boxes)
    assert question[0] == "退出程序" and "将作为草稿保留" in question[1] and "干部档案 — 王档案" in question[1]
    assert "将丢失" not in question[1]
    rows = _rows()
    assert [(r.user_id, r.kind, r.target_id, r.label) for r in rows] == [(3, "profile", people, "干部档案 — 王档案")]
    context.set_operator(accounts.operator_for(accounts.get_user(3)))
    assert cadres.get_profile(people).name == "王档案"  # nothing saved
    context.set_operator(accounts.operator_for(accounts.get_user(2)))
    assert not [e for e in audit.entries() if "王未存" in (e.summary + str(e.changes))]  # nor audited
    context.set_operator(None)

    asked = len(boxes.shown)
    boxes.answers.append("恢复")
    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    title, text, buttons = boxes.shown[asked]
    assert title == "恢复未保存的修改" and buttons == ["恢复", "放弃"]
    assert text == "上次未保存的修改：\n· 干部档案 — 王档案\n\n是否恢复？"
    [dialog] = _profiles_shown()
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    assert dialog.parent() is window and dialog.cells["name"].editor.text() == "王未存"
    restored = dialog.records["resume"].items()
    assert [i.text for i in restored] == [i.text for i in typed_resume]
    assert (restored[-1].start, restored[-1].end) == ("2003.09", "2007.07")  # shown in the one date format
    assert dialog.has_unsaved() and dialog.warning_banner.isVisibleTo(dialog)
    assert cadres.get_profile(people).name == "王档案"  # nothing saved yet
    assert [r.kind for r in _rows()] == ["profile"]  # the 草稿 stays until its edits are saved or dropped
    assert dialog.save() and cadres.get_profile(people).name == "王未存" and not _rows()
    assert [i.text for i in cadres.get_profile(people).resume] == [i.text for i in typed_resume]


def test_discarding_the_draft_deletes_it(qtbot, people, db_path, boxes):  # noqa: F811
    from cadre_desk.security import accounts

    _edit_and_quit_from_the_lock(qtbot, db_path, people, boxes)
    assert len(_rows()) == 1
    accounts.login("auditor", "Audit#2024")  # another account: not theirs to see
    from cadre_desk.security import drafts

    assert drafts.mine() == []
    accounts.logout()
    boxes.answers.append("放弃")
    _window(qtbot, db_path, "clerk", "Clerk#2024")
    assert boxes.shown[-1][0] == "恢复未保存的修改" and not _profiles_shown() and not _rows()
    accounts.logout()
    asked = len(boxes.shown)
    _window(qtbot, db_path, "clerk", "Clerk#2024")
    assert len(boxes.shown) == asked  # asked once only


def test_a_draft_of_a_cadre_out_of_the_accounts_units_is_dropped_unseen(qtbot, people, db_path,  # noqa: F811
                                                                       boxes):
    from cadre_desk.access import context
    from cadre_desk.security import accounts
    from cadre_desk.units import units

    _edit_and_quit_from_the_lock(qtbot, db_path, people, boxes)
    accounts.enforce_login(False)  # the unit made as before accounts, the scope changed by the administrator
    other = units.create_unit("县直机关")
    accounts.enforce_login(True)
    context.set_operator(accounts.operator_for(accounts.get_user(1)))
    clerk = accounts.get_user(3)
    accounts.update_user(dataclasses.replace(clerk, unit_scopes=(other.id,)))
    context.set_operator(None)
    asked = len(boxes.shown)
    _window(qtbot, db_path, "clerk", "Clerk#2024")
    [(title, text, _buttons)] = boxes.shown[asked:]
    assert title == "恢复未保存的修改" and "另有 1 项草稿" in text and "已删除" in text
    assert "王" not in text and "恢复？" not in text
    assert not _profiles_shown() and not _rows()


def test_a_shutdown_while_locked_keeps_the_draft_unless_unlocked(qtbot, people, db_path, boxes):  # noqa: F811
    from ui.security.login_dialog import LockDialog

    window = _window(qtbot, db_path, "clerk", "Clerk#2024")
    dialog = _profile(qtbot, window, people)
    dialog.cells["name"].editor.setText("王未存")
    watcher = window.context.idle_watcher
    seen = []

    def factory():
        lock = LockDialog()

        def run() -> int:
            watcher.session_ending(None)  # QGuiApplication.commitDataRequest while locked
            seen.append([r.label for r in _rows()])
            lock.password.setText("Clerk#2024")
            lock.submit()  # the shutdown was cancelled: the owner unlocks
            return lock.result()

        lock.exec = run
        return lock

    assert watcher.lock(factory)
    assert seen == [["干部档案 — 王档案"]]
    assert not _rows() and dialog.isVisible() and dialog.cells["name"].editor.text() == "王未存"


def test_the_scheme_being_edited_is_kept_and_restored_too(qtbot, people, db_path, boxes):  # noqa: F811
    """The administrator's 考核方案 editor (工具 → 考核方案…) keeps its edits the same way."""
    from cadre_desk.appraisal import schemes
    from ui.appraisal.schemes_tab import SchemesDialog

    window = _window(qtbot, db_path, "admin", "Admin@2024x")
    editor = SchemesDialog(window.context, window)
    qtbot.addWidget(editor, before_close_func=lambda d: d.done(0))
    editor.show()
    tab = editor.tab
    scheme_id, before = tab.current.id, tab.current.description
    tab.description.setText("期满考核用")
    factory, seen = _quitting(window, boxes)
    assert not window.context.idle_watcher.lock(factory)
    assert f"考核方案“{tab.current.name}”" in seen[0][1] and "将作为草稿保留" in seen[0][1]
    assert [(r.kind, r.target_id) for r in _rows()] == [("scheme", scheme_id)]

    boxes.answers.append("恢复")
    window = _window(qtbot, db_path, "admin", "Admin@2024x")
    [restored] = [w for w in QApplication.topLevelWidgets() if isinstance(w, SchemesDialog) and w.isVisible()]
    qtbot.addWidget(restored, before_close_func=lambda d: d.done(0))
    assert restored.tab.current.id == scheme_id and restored.tab.description.text() == "期满考核用"
    assert restored.tab.has_unsaved() and [r.kind for r in _rows()] == ["scheme"]  # until saved or dropped
    assert schemes.get_scheme(scheme_id).description == before  # nothing saved until 保存
    assert restored.tab.save() and schemes.get_scheme(scheme_id).description == "期满考核用"
    assert not _rows()
