"""Closing a form without saving (取消, Esc, the title bar's ✕): a form left as it opened closes at once; one
whose fields differ from what it opened with — a date, a choice in a list, a picked cadre, a line typed —
asks first (不保存，关闭 / 继续填写), and 继续填写 keeps everything as typed. The kit's form dialog does it for
every form: 一线锻炼 新建选派 and 修改选派记录, 谈心谈话 (found by a clerk walking 一线锻炼, whose chosen
cadre, post, dates and 日常管理负责人 went with one Esc)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cadre_desk.domain import clock
from cadre_desk.postings import frontline_posts, posting_data, postings
from cadre_desk.profiles import cadres
from tests.conftest import make_profile

QUESTION = ("填写的内容还没有保存，关闭后将丢失。\n\n不保存就关闭吗？", ["不保存，关闭", "继续填写"])


def _asked(boxes, title: str) -> bool:
    return any((t, text, sorted(buttons)) == (title, QUESTION[0], sorted(QUESTION[1]))
               for t, text, buttons in boxes.shown)


def _esc(qtbot, dialog) -> None:
    """Esc where the user is: in the dialog's focused field (QDialog's own Esc: reject)."""
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)


def _show(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def posting_world(db, unit):
    cadre_id = cadres.save_profile(make_profile(unit.id, name="赵犇", status="1")).profile.id
    guide_id = cadres.save_profile(make_profile(unit.id, name="钱导", status="1")).profile.id
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    posts = [frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name=name, host_type="驻村工作队",
                                                              capacity=2))
             for name in ("柳林乡驻村工作队", "桃源镇驻村工作队")]
    return {"cadre": cadre_id, "guide": guide_id, "posts": posts}


def test_an_untouched_new_posting_closes_on_esc_without_a_question(qtbot, boxes, posting_world):
    from ui.postings.posting_dialogs import NewPostingDialog
    from ui.shell.context import AppContext

    dialog = _show(qtbot, NewPostingDialog(AppContext(), cadre_id=posting_world["cadre"],
                                           post_id=posting_world["posts"][0].id))
    _esc(qtbot, dialog)
    assert not dialog.isVisible() and dialog.result() == 0 and not boxes.shown


def test_a_new_posting_with_a_date_changed_asks_and_keeps_everything_on_continue(qtbot, boxes, posting_world):
    """The clerk's case: cadre, post, dates and manager chosen, then Esc — 继续填写 keeps all of it."""
    from ui.postings.posting_dialogs import NewPostingDialog
    from ui.shell.context import AppContext

    second = posting_world["posts"][1].id
    dialog = _show(qtbot, NewPostingDialog(AppContext(), cadre_id=posting_world["cadre"],
                                           post_id=posting_world["posts"][0].id))
    dialog.terms.post.setCurrentIndex(dialog.terms.post.findData(second))  # a picker choice
    dialog.terms.start.line.selectAll()
    QTest.keyClicks(dialog.terms.start.line, "2020.05.06")  # a date, typed
    dialog.terms.daily_manager.setFocus()
    QTest.keyClicks(dialog.terms.daily_manager, "wang")
    end = dialog.terms.planned_end.text()
    boxes.answers.append("继续填写")
    _esc(qtbot, dialog)
    assert dialog.isVisible() and _asked(boxes, "新建选派")
    assert dialog.cadre.cadre_id() == posting_world["cadre"] and dialog.terms.post.currentData() == second
    assert dialog.terms.start.text() == "2020.05.06" and dialog.terms.planned_end.text() == end
    assert dialog.terms.daily_manager.text() == "wang"

    dialog.cancel_button.click()  # 取消 asks as Esc does; 不保存，关闭 closes
    assert len(boxes.shown) == 2 and not dialog.isVisible() and dialog.result() == 0
    assert postings.active_postings([posting_world["cadre"]]) == {}


def test_one_changed_field_is_enough_and_a_change_undone_is_none(qtbot, boxes, posting_world):
    """Only the 指导人 chosen (a cadre picker): a question. The date typed and typed back as it was: none."""
    from ui.postings.posting_dialogs import NewPostingDialog
    from ui.shell.context import AppContext

    dialog = _show(qtbot, NewPostingDialog(AppContext(), post_id=posting_world["posts"][0].id))
    dialog.guide.set_cadre(posting_world["guide"])
    boxes.answers.append("继续填写")
    dialog.close()  # the title bar's ✕
    assert dialog.isVisible() and _asked(boxes, "新建选派")
    assert dialog.guide.cadre_id() == posting_world["guide"]
    dialog.guide.set_cadre(None)
    start = dialog.terms.start.text()
    dialog.terms.start.setText("2001.01.01")
    dialog.terms.start.setText(start)
    dialog.guide.search.setText("qian")  # a search typed, nobody chosen: nothing of the form's
    _esc(qtbot, dialog)
    assert not dialog.isVisible() and len(boxes.shown) == 1


def test_correcting_a_posting_asks_once_its_channel_is_changed(qtbot, boxes, posting_world):
    """修改选派记录: untouched, Esc closes; another 渠道 chosen, Esc asks, and 继续填写 keeps the choice."""
    from ui.postings.posting_dialogs import CorrectDialog
    from ui.shell.context import AppContext

    p = postings.create_posting(posting_world["cadre"], posting_world["posts"][0].id, "组织选派",
                                clock.today_yyyymmdd())
    dialog = _show(qtbot, CorrectDialog(AppContext(), p))
    _esc(qtbot, dialog)
    assert not dialog.isVisible() and not boxes.shown

    dialog = _show(qtbot, CorrectDialog(AppContext(), p))
    other = next(c for c in posting_data.CHANNELS if c != p.channel)
    dialog.channel.setCurrentText(other)
    boxes.answers.append("继续填写")
    _esc(qtbot, dialog)
    assert dialog.isVisible() and _asked(boxes, "修改选派记录") and dialog.channel.currentText() == other
    _esc(qtbot, dialog)  # 不保存，关闭
    assert not dialog.isVisible()


def test_a_talk_record_asks_for_a_changed_date_not_when_untouched(qtbot, boxes, world):
    """谈心谈话: the same kit, the same question — here for the 谈话时间 alone."""
    from ui.care.care_dialogs import TalkDialog
    from ui.shell.context import AppContext

    context = AppContext(None)
    dialog = _show(qtbot, TalkDialog(context, cadre_id=world["ids"]["乙"]))
    dialog.cancel_button.click()
    assert not dialog.isVisible() and not boxes.shown

    dialog = _show(qtbot, TalkDialog(context, cadre_id=world["ids"]["乙"]))
    talker = dialog.talker.text()
    dialog.date.setText("2021.03.04")
    boxes.answers.append("继续填写")
    dialog.cancel_button.click()
    assert dialog.isVisible() and _asked(boxes, "新增谈心谈话记录")
    assert dialog.date.text() == "2021.03.04" and dialog.talker.text() == talker
    dialog.cancel_button.click()
    assert not dialog.isVisible()


def test_a_form_filled_by_its_caller_before_it_shows_is_as_it_opened(qtbot, boxes):
    """What the dialog (or its caller) put in before showing it is the form as opened: no question."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

    from ui.widgets.date_edit import DateEdit
    from ui.widgets.form_dialog import FormDialog

    dialog = FormDialog(None, "新增战线")
    name = dialog.add_field("name", "名称", QLineEdit())
    kind = dialog.add_field("kind", "类别", QComboBox())
    kind.addItems(["甲", "乙"])
    months = dialog.add_field("months", "期限", QSpinBox())
    check = dialog.add_field("on", "", QCheckBox("启用"))
    day = dialog.add_field("day", "日期", DateEdit())
    name.setText("乡村振兴")
    _show(qtbot, dialog)
    for change, undo in ((lambda: kind.setCurrentIndex(1), lambda: kind.setCurrentIndex(0)),
                         (lambda: months.setValue(6), lambda: months.setValue(0)),
                         (lambda: check.setChecked(True), lambda: check.setChecked(False)),
                         (lambda: day.setText("2024.03"), lambda: day.setText(""))):
        change()
        assert dialog.has_changes()
        undo()
        assert not dialog.has_changes()
    name.setReadOnly(True)
    name.setText("改了")  # not the user's: a read-only box
    assert not dialog.has_changes()
    dialog.reject()
    assert not dialog.isVisible() and not boxes.shown
