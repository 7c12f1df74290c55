"""The 一线锻炼 page through the window: post a cadre, recall one, batch from the cadre list, match."""

from __future__ import annotations

import dataclasses

import pytest

from cadre_desk.postings import frontline_posts, posting_data, postings
from cadre_desk.profiles import cadres
from tests.conftest import make_profile

ACCEPTED = 1  # QDialog.DialogCode.Accepted


@pytest.fixture
def page(qtbot, db, unit, monkeypatch, boxes):
    from ui.postings import batch_summary
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    summaries: list[str] = []
    monkeypatch.setattr(batch_summary, "show_summary", lambda _p, result: summaries.append(result.summary()))
    context = AppContext()
    widget = PostingsPage(context)
    qtbot.addWidget(widget)
    widget.boxes = boxes
    widget.summaries = summaries
    widget.unit_id = unit.id
    widget.qtbot = qtbot
    _settle(widget)
    return widget


def _settle(page) -> None:
    """The postings load off the GUI thread: wait for the newest load to arrive."""
    page.qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)


def _cadre(unit_id, name, **values):
    return cadres.save_profile(make_profile(unit_id, name=name, status="1", **values)).profile.id


def _post(capacity=2, requirements=""):
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    return frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="柳林乡驻村工作队", host_type="驻村工作队",
                                                 capacity=capacity, requirements=requirements))


def test_page_shows_lines_posts_and_counts(page):
    post = _post(capacity=3)
    page.reload_all()
    _settle(page)
    tops = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert tops == ["重大项目建设", "招商引资", "乡村振兴", "信访维稳", "社区服务"]
    village = page.tree.topLevelItem(2)
    assert village.child(0).text(0) == post.name and village.child(0).text(1) == "0/3"


def test_post_a_cadre_then_start_and_recall_through_the_window(page):
    from ui.postings.posting_dialogs import NewPostingDialog, RecallDialog, StartDialog

    cadre_id = _cadre(page.unit_id, "赵犇")
    post = _post()
    page.reload_all()
    _settle(page)
    page.tree.setCurrentItem(page.tree.topLevelItem(2).child(0))
    assert page.current_post().id == post.id

    dialog = NewPostingDialog(page.context, post_id=post.id, parent=page)
    page.qtbot.addWidget(dialog)
    dialog.cadre.search.setText("zb")  # pinyin initials; the matches come when the typing pauses
    page.qtbot.waitUntil(lambda: dialog.cadre.cadre_id() == cadre_id)
    dialog.terms.daily_manager.setText("王建华")
    dialog.accept()
    assert dialog.result() == ACCEPTED, dialog.error_text("")
    page.changed()
    _settle(page)
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.cadre_name, row.state, row.daily_manager) == ("赵犇", "拟选派", "王建华")
    assert page.tree.topLevelItem(2).child(0).text(1) == "1/2"

    page.table.selectRow(0)
    assert page.actions["start"].isEnabled() and not page.actions["finish"].isEnabled()
    start = StartDialog(page._fresh_selected(), page)
    start.accept()
    page.changed()
    _settle(page)
    assert page.model.rows[0].state == "在岗"

    page.table.selectRow(0)
    recall = RecallDialog(page._fresh_selected(), page)
    recall.accept()  # no reason: refused, the dialog stays open with the message
    assert recall.result() != ACCEPTED
    assert "召回原因" in recall.error_text("recall_reason")
    recall.reason.setPlainText("因原单位工作需要")
    recall.accept()
    assert recall.result() == ACCEPTED
    page.changed()
    _settle(page)
    assert page.model.rows[0].state == "提前召回"
    assert page.model.rows[0].recall_reason == "因原单位工作需要"
    page.table.selectRow(0)
    assert page.actions["correct"].text() == "更正…"


def test_finish_and_correct_through_dialogs(page):
    from cadre_desk.domain import clock
    from ui.postings.posting_dialogs import ReviewDialog

    cadre_id = _cadre(page.unit_id, "钱一")
    p = postings.create_posting(cadre_id, _post().id, "组织选派", "20180101")
    p = postings.start_posting(p.id, p.version)
    finish = ReviewDialog(page.context, p, page)
    finish.grade.setCurrentIndex(finish.grade.findData("称职"))
    text, signer, day = finish.opinion_boxes["org"]
    text.setPlainText("工作扎实，群众认可")
    signer.setText("刘志刚")
    day.setText(clock.today_yyyymmdd())
    finish.outcome.setCurrentIndex(finish.outcome.findData("晋升职级"))
    finish.accept()
    assert finish.result() == ACCEPTED, finish.error_text("")
    p = postings.get_posting(p.id)
    assert (p.state, p.outcome, p.grade) == ("期满", "晋升职级", "称职")
    correct = ReviewDialog(page.context, p, page)
    assert correct.windowTitle() == "期满鉴定" and correct.actual_end is None
    correct.outcome.setCurrentIndex(correct.outcome.findData("提拔使用"))
    correct.accept()
    assert "原因" in correct.error_text("reason")
    correct.reason.setText("按部务会决定更正")
    correct.accept()
    assert correct.result() == ACCEPTED
    assert postings.get_posting(p.id).outcome == "提拔使用"


def test_batch_from_cadre_list_reports_then_posts_valid_only(page, monkeypatch):
    from ui.postings import batch_summary
    from ui.postings.posting_dialogs import BatchPostDialog

    ids = [_cadre(page.unit_id, n) for n in ("甲", "乙", "丙")]
    post = _post(capacity=2)
    asked = []
    monkeypatch.setattr(batch_summary, "ask_post_valid_only",
                        lambda _p, result, valid: asked.append((result.summary(), valid)) or False)
    dialog = BatchPostDialog(page.context, ids, post.id, page)
    dialog.accept()
    assert dialog.result() != ACCEPTED
    assert asked and asked[0][1] == 2 and "丙" in asked[0][0] and "已满" in asked[0][0]
    assert frontline_posts.get_post(post.id).filled == 0
    monkeypatch.setattr(batch_summary, "ask_post_valid_only", lambda *_a: True)
    dialog.accept()
    assert dialog.result() == ACCEPTED
    assert dialog.batch_result.posted_count == 2
    assert frontline_posts.get_post(post.id).filled == 2
    assert "已选派 2 人" in page.summaries[-1]


def test_a_batch_names_who_is_on_a_frontline_posting_already_and_posts_the_rest(page, monkeypatch):
    """选派到一线岗位… for a cadre already 在岗 opened the dialog and said only on 确定 「有 1 人不符合选派
    条件，本次未选派任何人」. The dialog says up front who is on which post and leaves them out, so the
    rest are posted; when nobody is left, no dialog: a message names them and their posts."""
    from PySide6.QtWidgets import QLabel

    from ui.postings import batch_summary
    from ui.postings.posting_dialogs import BatchPostDialog
    from ui.postings.postings_view import post_selected_cadres

    on_post, free = _cadre(page.unit_id, "甲"), _cadre(page.unit_id, "乙")
    village = _post(capacity=2)
    posting = postings.create_posting(on_post, village.id, "组织选派", "20190101")
    postings.start_posting(posting.id, posting.version)
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    team = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="龙潭乡驻村工作队", capacity=3))
    monkeypatch.setattr(batch_summary, "ask_post_valid_only", lambda *_a: pytest.fail("refused on 确定"))
    dialog = BatchPostDialog(page.context, [on_post, free], team.id, page)
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "甲（在岗：乡村振兴 / 柳林乡驻村工作队）" in said and "本次不选派" in said
    assert "乙（共 1 人）" in said
    dialog.accept()
    assert dialog.result() == ACCEPTED and dialog.batch_result.posted_count == 1
    assert [p.cadre_name for p in postings.list_postings(post_id=team.id)] == ["乙"]

    before = len(page.boxes.shown)
    post_selected_cadres(page.context, [on_post])
    (title, text, _buttons), = page.boxes.shown[before:]
    assert title == "选派到一线岗位" and "甲（在岗：乡村振兴 / 柳林乡驻村工作队）" in text


def test_cadre_action_and_profile_tab_registered(qtbot, page):
    from ui.postings.history_tab import PostingHistoryTab
    from ui.shell import registry
    from ui.shell.features import register_all

    register_all()

    assert any(a.title == "选派到一线岗位…" for a in registry.CADRE_ACTIONS)
    assert any(m.key == "postings" and m.order == 30 for m in registry.MODULES)
    assert any(t.title == "一线经历" for t in registry.PROFILE_TABS)
    cadre_id = _cadre(page.unit_id, "孙二")
    postings.create_posting(cadre_id, _post().id, "个人自荐", "20190101")
    tab = PostingHistoryTab(page.context, cadre_id)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 1
    assert "当前拟选派" in tab.summary.text()


def test_match_dialog_lists_and_posts_selected(qtbot, page, monkeypatch):
    from ui.postings import batch_summary
    from ui.postings.match_dialog import MatchDialog

    fit = _cadre(page.unit_id, "对口", categories="03", specialty="农村工作、党建工作")
    _cadre(page.unit_id, "一般", categories="03", specialty="文字综合")
    post = _post(capacity=3, requirements="农村工作")
    monkeypatch.setattr(MatchDialog, "RESIZE_STEP", 1)  # rows sized one per turn of the event loop
    dialog = MatchDialog(page.context, post.id, page)
    assert "正在" in dialog.status.text()  # scored off the GUI thread
    qtbot.waitUntil(lambda: dialog.loaded)
    qtbot.wait(20)
    assert [c.name for c in dialog.model.rows][:2] == ["对口", "一般"]
    assert "候选人" in dialog.status.text()
    reasons = [c.title for c in dialog.model.columns].index("匹配分的理由")
    assert "契合" in dialog.model.data(dialog.model.index(0, reasons))
    dialog.table.selectRow(0)
    batch = dialog.make_batch_dialog()
    assert batch.cadre_ids == [fit]
    monkeypatch.setattr(batch_summary, "ask_post_valid_only", lambda *_a: False)
    batch.accept()
    assert postings.active_posting(fit).post_id == post.id


def test_line_management_through_dialogs(page):
    from ui.postings.line_post_dialogs import LineDialog, PostDialog

    dialog = LineDialog(parent=page)
    dialog.name.setText("项目攻坚")
    dialog.months.setValue(4)
    dialog.accept()
    assert dialog.result() == ACCEPTED
    page.changed()
    _settle(page)
    line = next(x for x in page.lines if x.name == "项目攻坚")
    post = PostDialog(line_id=line.id, parent=page)
    post.name.setText("攻坚专班")
    post.capacity.setValue(5)
    post.accept()
    assert post.result() == ACCEPTED, post.error_text("")
    page.changed()
    _settle(page)
    top = page.tree.topLevelItem(page.tree.topLevelItemCount() - 1)
    page.tree.setCurrentItem(top)
    page.lines_tree.toggle_retire()
    assert frontline_posts.get_line(line.id).retired
    assert "已停用" in page.tree.topLevelItem(page.tree.topLevelItemCount() - 1).text(0)


def test_summary_dialog_lists_reasons(qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.postings.batch_summary import BatchSummaryDialog

    result = posting_data.BatchResult(failures=[posting_data.BatchFailure(1, "甲", "岗位“X”已满（容量 2 人）"),
                                            posting_data.BatchFailure(2, "乙", "人员状态为“调出”，不能选派")],
                                  rolled_back=True)
    dialog = BatchSummaryDialog(result, valid=3)
    qtbot.addWidget(dialog)
    head = next(label.text() for label in dialog.findChildren(QLabel) if "本次" in label.text())
    assert "本次未选派任何人" in head and "岗位已满 1 人" in head and "人员状态不符 1 人" in head
    texts = [b.text() for b in dialog.buttons.buttons() if not b.isHidden()]
    assert texts == ["仅选派符合条件的 3 人", "取消"]


def test_filters_and_sorting_on_demo_data(qtbot, db):
    from PySide6.QtCore import Qt

    from cadre_desk.profiles import demo  # noqa: F401 - demo extension registered
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    demo.generate(150, seed=5)
    page = PostingsPage(AppContext())
    qtbot.addWidget(page)
    page.qtbot = qtbot
    _settle(page)
    total = page.model.rowCount()
    assert total > 10
    for column in range(page.model.columnCount()):
        page.model.sort(column, Qt.DescendingOrder)
        page.model.sort(column, Qt.AscendingOrder)
    page.state_filter.setCurrentIndex(page.state_filter.findData("在岗"))
    assert page.model.rowCount() and all(r.state == "在岗" for r in page.model.rows)
    page.ending_filter.setValue(30)
    assert all(posting_data.days_left(r) <= 30 for r in page.model.rows)
    page.clear_filters()
    assert page.model.rowCount() == total
    page.tree.setCurrentItem(page.tree.topLevelItem(0).child(0))
    post = page.current_post()
    assert all(r.post_id == post.id for r in page.model.rows)
    assert page.reminders.count() > 0


def test_a_filter_lists_the_postings_in_the_headers_order_sorted_once(qtbot, db):
    """The rows a filter leaves come in the order of the header the clerk clicked; they are sorted once
    (28,000 postings at 100,000 cadres: each sort a key per row on the GUI thread, and it was done twice)."""
    from PySide6.QtCore import Qt

    from cadre_desk.profiles import demo  # noqa: F401 - demo extension registered
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    demo.generate(150, seed=5)
    page = PostingsPage(AppContext())
    qtbot.addWidget(page)
    page.qtbot = qtbot
    _settle(page)
    column = page.model.column_of("cadre_name")
    page.table.sortByColumn(column, Qt.DescendingOrder)
    keys = []
    spec = page.model.columns[column]
    page.model.columns[column] = dataclasses.replace(spec, sort_key=lambda row: keys.append(row.id) or spec.sort_key(row))
    page.state_filter.setCurrentIndex(page.state_filter.findData("在岗"))
    rows = page.model.rows
    assert rows and all(r.state == "在岗" for r in rows)
    assert [spec.sort_key(r) for r in rows] == sorted((spec.sort_key(r) for r in rows), reverse=True)
    assert sorted(keys) == sorted(r.id for r in rows)  # one key per row: sorted once


def test_a_page_shown_on_its_own_lists_every_posting_until_a_line_is_chosen(qtbot, demo_db):
    """A PostingsPage shown outside the window started filtered to 重大项目建设: its tree, the page's first
    widget, took the focus, and Qt made the first line current — the table followed that as if the clerk
    had chosen it (a Tab into the tree did the same in the window). Only a line or post the clerk
    chooses filters the table."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    page = PostingsPage(AppContext())
    qtbot.addWidget(page)
    page.qtbot = qtbot
    page.resize(1216, 606)
    page.show()
    qtbot.waitExposed(page)
    _settle(page)
    page.tree.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert page.tree.currentItem() is not None  # Qt's doing, on the focus
    every = len(page.all_rows)
    assert every > 5 and page.model.rowCount() == every
    assert page.line_filter.currentData() is None and page.current_line() is None
    first = page.tree.topLevelItem(0)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.tree.visualItemRect(first).center())
    line = page.current_line()
    assert line is not None and page.line_filter.currentData() == line.id
    assert all(r.line_id == line.id for r in page.model.rows) and page.model.rowCount() < every
    page.context.tasks.wait_all()


def test_main_window_has_page_menu_and_cadre_action(qtbot, db_path, db):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menus["干部"].actions()]
    assert "选派到一线岗位…" in titles
    tools = {a.text(): a for a in window.menus["工具"].actions()}
    tools["一线锻炼提醒"].trigger()
    assert window.stack.currentWidget() is window.page("postings")
    context.tasks.wait_all(5000)


def test_mentoring_pair_from_a_posting_row(page, monkeypatch):
    from ui.mentoring import pair_dialogs

    cadre_id = _cadre(page.unit_id, "孙淼")
    p = postings.create_posting(cadre_id, _post().id, "组织选派", "20180101")
    page.reload_all()
    _settle(page)
    assert not page.actions["mentor"].isEnabled()
    page.table.selectRow(0)
    assert page.actions["mentor"].isEnabled() and page.actions["mentor"].text() == "建立导师帮带…"

    # the dialog itself, built through the function: mentee and posting preselected
    shown = []
    monkeypatch.setattr(pair_dialogs.PairDialog, "exec", lambda self: shown.append(self) or 0)
    page.actions["mentor"].click()
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.mentee.cadre_id() == cadre_id and dialog.posting.currentData() == p.id

    # the context menu offers the same action, calling the function with the posting's ids
    calls = []
    monkeypatch.setattr(pair_dialogs, "create_pair_dialog",
                        lambda context, mentee_id, posting_id=None, parent=None: calls.append((mentee_id, posting_id)))
    menu = page.table_menu()
    action = next(a for a in menu.actions() if a.text() == "建立导师帮带…")
    assert action.isEnabled()
    action.trigger()
    assert calls == [(cadre_id, p.id)]


def test_state_dialogs_offer_no_date_after_today(page):
    """到岗 for a posting planned to start next month: the dialog offers today, which the service accepts;
    a later day typed is refused under the field."""
    import datetime as _dt

    from cadre_desk.domain import clock
    from ui.postings.posting_dialogs import RecallDialog, ReviewDialog, StartDialog

    today = clock.today_yyyymmdd()
    later = (clock.today() + _dt.timedelta(days=40)).strftime("%Y%m%d")
    p = postings.create_posting(_cadre(page.unit_id, "赵犇"), _post().id, "组织选派", later)
    start = StartDialog(p, page)
    assert start.arrival.value() == today
    start.arrival.setText(later)
    start.accept()
    assert start.result() != ACCEPTED and "不能晚于今天" in start.error_text("start")
    start.arrival.setText(f"{today[:4]}年{int(today[4:6])}月{int(today[6:])}日")  # as a clerk types it
    start.accept()
    assert start.result() == ACCEPTED, start.error_text("")
    on_post = postings.get_posting(p.id)
    assert on_post.state == "在岗" and on_post.start == today
    for dialog in (ReviewDialog(page.context, on_post, page), RecallDialog(on_post, page)):
        assert dialog.actual_end.value() == today


def test_a_one_unit_clerk_cannot_change_lines_or_posts(qtbot, db, unit):
    """战线 and 岗位 are county-wide: for a 经办人 of one unit their buttons and menu items are disabled
    with the reason as tooltip; posting a cadre to a post stays open."""
    from cadre_desk.access.roles import ROLE_CLERK
    from tests.conftest import acting_as
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    _post()
    with acting_as(ROLE_CLERK, units=(unit.id,)):
        widget = PostingsPage(AppContext())
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: not widget.loading and not widget.reminders_loading, timeout=10000)
        line_item = widget.tree.topLevelItem(0)
        widget.tree.setCurrentItem(line_item.child(0) if line_item.childCount() else line_item)
        tree = widget.lines_tree
        for button in (tree.add_line_button, tree.add_post_button, tree.edit_button, tree.retire_button):
            assert not button.isEnabled(), button.text()
            assert "只有管理全部单位的账号可以修改" in button.toolTip()
        items = {a.text(): a for a in tree.tree_menu().actions()}
        for text in ("新增战线…", "新增岗位…"):
            assert not items[text].isEnabled() and "组织部统一维护" in items[text].toolTip()
        assert widget.actions["new"].isEnabled()  # still posts own cadres
    widget = PostingsPage(AppContext())  # no accounts: everything open
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: not widget.loading and not widget.reminders_loading, timeout=10000)
    assert widget.lines_tree.add_line_button.isEnabled() and widget.lines_tree.add_line_button.toolTip() == ""


def test_a_one_unit_clerk_filters_by_their_own_units(qtbot, db, unit):
    """原单位 listed every unit for a 经办人 of one; the others could only filter to nobody."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.units import units
    from tests.conftest import acting_as
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    other = units.create_unit("临江县")
    with acting_as(ROLE_CLERK, units=(unit.id,)):
        widget = PostingsPage(AppContext())
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: not widget.loading and not widget.reminders_loading, timeout=10000)
        offered = {widget.unit_filter.itemData(i) for i in range(1, widget.unit_filter.count())}
        assert unit.id in offered and unit.parent_id in offered and other.id not in offered


def test_deletes_of_what_another_changed_since_it_was_listed_ask(page):
    """撤销拟选派, 删除岗位 and 删除战线 of a row another changed since the page read it went through without a
    word (撤销 re-read the posting just before asking); they ask as every delete does — 重新载入对方的修改 /
    仍然删除 (仍然撤销) / 取消."""
    boxes = page.boxes
    choices = ["重新载入对方的修改", "仍然撤销", "取消"]
    post = _post()
    posting = postings.create_posting(_cadre(page.unit_id, "赵犇"), post.id, "组织选派", "20260601")
    page.reload_all()
    _settle(page)
    page.tree.setCurrentItem(page.tree.topLevelItem(2).child(0))
    _settle(page)
    page.table.selectRow(0)
    postings.update_posting(posting.id, posting.version, remarks="另一位经办人补充的说明")  # another, unseen
    boxes.answers = ["撤销", "取消"]
    page.withdraw_selected()
    title, text, buttons = boxes.shown[-1]
    assert title == "撤销拟选派" and sorted(buttons) == sorted(choices)
    assert text.startswith("在您上次看到之后，赵犇到“") and "不撤销" in text
    assert postings.get_posting(posting.id).remarks == "另一位经办人补充的说明"
    boxes.answers = ["撤销", "仍然撤销"]
    page.withdraw_selected()
    _settle(page)
    assert page.model.rowCount() == 0 and page.tree.topLevelItem(2).child(0).text(1) == "0/2"

    frontline_posts.save_post(dataclasses.replace(frontline_posts.post_input(post), capacity=4))
    page.tree.setCurrentItem(page.tree.topLevelItem(2).child(0))
    boxes.answers = ["删除", "重新载入对方的修改"]
    page.lines_tree.delete_post()
    assert boxes.shown[-1][0] == "删除岗位" and "锻炼岗位“乡村振兴/柳林乡驻村工作队”" in boxes.shown[-1][1]
    assert sorted(boxes.shown[-1][2]) == sorted(["重新载入对方的修改", "仍然删除", "取消"])
    _settle(page)
    assert page.tree.topLevelItem(2).child(0).text(1) == "0/4"  # their change, shown
    page.tree.setCurrentItem(page.tree.topLevelItem(2).child(0))
    asked = len(boxes.shown)
    boxes.answers = ["删除"]
    page.lines_tree.delete_post()  # as now listed: deleted after the one question
    assert len(boxes.shown) == asked + 1
    assert post.id not in {p.id for p in frontline_posts.list_posts()}

    line = frontline_posts.add_line("项目攻坚", 4)
    page.changed()
    _settle(page)
    frontline_posts.update_line(line.id, line.version, "项目攻坚行动", 6)
    page.tree.setCurrentItem(page.tree.topLevelItem(page.tree.topLevelItemCount() - 1))
    assert page.current_line().id == line.id
    boxes.answers = ["删除", "仍然删除"]
    page.lines_tree.delete_line()
    assert "战线“项目攻坚行动”" in boxes.shown[-1][1]
    assert line.id not in {x.id for x in frontline_posts.list_lines()}


def test_clearing_the_filters_lets_go_of_the_post_chosen_in_the_tree(page):
    """清除条件 cleared the filters but left the tree's post chosen: 新建选派 still opened on that post and
    人岗匹配 still matched for it, the table showing every posting. Now the post goes too."""
    from PySide6.QtWidgets import QPushButton

    from tests.conftest import answer_dialog

    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    first = _post()
    second = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="桃源镇驻村工作队",
                                                              host_type="驻村工作队", capacity=2))
    page.reload_all()
    _settle(page)
    page.tree.setCurrentItem(page.tree.topLevelItem(2).child(1))
    assert page.current_post().id == second.id and page.actions["match"].isEnabled()
    assert page.post_filter.currentData() == second.id
    next(b for b in page.filters.findChildren(QPushButton) if b.text() == "清除条件").click()
    assert page.current_post() is None and page.lines_tree.tree_key() is None
    assert page.post_filter.currentData() is None and not page.actions["match"].isEnabled()
    dialog = answer_dialog(page.qtbot, page.actions["new"].click, lambda _d: None)
    assert dialog.terms.post.currentData() == first.id  # the first post with room, not the one let go
