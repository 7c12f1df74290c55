"""导师帮带 window: create a pair, add a log, close it with a two-way evaluation, terminate, move the end."""

from __future__ import annotations

import datetime as _dt

import pytest

pytest.importorskip("pytestqt")

from cadre_desk.domain import clock  # noqa: E402
from cadre_desk.mentoring import meeting_logs, mentoring, mentoring_settings, pair_changes
from cadre_desk.profiles import cadres
from cadre_desk.security import audit  # noqa: E402
from tests.conftest import acting_as, make_profile  # noqa: E402


@pytest.fixture
def page(qtbot, unit):
    from ui.mentoring import mentoring_view
    from ui.shell.context import AppContext

    ids = {}
    for key, name, birth, rank in (("mentor", "张建国", "197003", "0131"), ("mentee", "赵犇", "199504", "0241"),
                                   ("young", "钱璐", "199901", "0242")):
        ids[key] = cadres.save_profile(make_profile(unit.id, name=name, birth=birth, rank=rank)).profile.id
    context = AppContext(None)
    widget = mentoring_view.MentoringPage(context)
    qtbot.addWidget(widget)
    widget.ids = ids
    return widget


@pytest.fixture
def no_boxes(boxes):
    """The message boxes shown (answered 确定/是 without a modal loop, see conftest.MessageBoxes)."""
    return boxes.shown


def _days_from_today(days: int) -> str:
    return (clock.today() + _dt.timedelta(days=days)).strftime("%Y%m%d")


def _pick(qtbot, picker, text: str) -> None:
    """Type into a cadre picker and take the first match once the list follows the typing."""
    picker.search.setText(text)
    qtbot.waitUntil(lambda: picker.results.count() > 0 and text in picker.results.item(0).text())
    picker.results.setCurrentRow(0)


def _create(page, mentee, mentor, qtbot):
    from ui.mentoring import pair_dialogs

    dialog = pair_dialogs.PairDialog(page.context, page.ids[mentee])
    qtbot.addWidget(dialog)
    assert dialog.mentee.cadre_id() == page.ids[mentee]
    _pick(qtbot, dialog.mentor, "张建国")
    assert dialog.mentor.cadre_id() == page.ids[mentor]
    dialog.focus.setText("招商引资")
    dialog.goals.setPlainText("独立牵头洽谈一个项目")
    dialog.start.setText(_days_from_today(-40))
    return dialog


def test_create_log_and_close_through_the_window(page, qtbot, no_boxes):
    from ui.mentoring import log_dialogs

    dialog = _create(page, "mentee", "mentor", qtbot)
    dialog.accept()
    assert dialog.result_pair is not None and no_boxes == []
    page.reload()
    assert [p.mentee_name for p in page.model.rows] == ["赵犇"]
    assert page.tree.topLevelItem(0).text(0) == "张建国（1/3）"
    pair = page.model.rows[0]
    assert page.select_pair(pair.id)
    assert page.log_button.isEnabled() and page.close_button.isEnabled()

    log = log_dialogs.LogDialog(page.selected_pair(), parent=page)
    qtbot.addWidget(log)
    log.form_box.setCurrentText("现场指导")
    log.content.setPlainText("到项目现场协调")
    log.next_steps.setPlainText("写调研报告")
    log.accept()
    page._changed(pair.id)
    assert page.detail.logs.topLevelItemCount() == 1
    assert page.detail.logs.topLevelItem(0).text(1) == "现场指导"
    assert page.model.rows[0].log_count == 1

    evaluation = log_dialogs.EvaluationDialog(page.selected_pair(), parent=page)
    qtbot.addWidget(evaluation)
    evaluation.mentor_rating.setValue(88)
    evaluation.mentor_comment.setPlainText("进步明显")
    evaluation.mentee_rating.setValue(95)
    evaluation.mentee_comment.setPlainText("指导到位")
    evaluation.accept()
    assert no_boxes == []
    done = mentoring.get_pair(pair.id)
    assert (done.state, done.mentor_rating, done.mentee_rating, done.mentee_comment) == ("已结业", 88.0, 95.0, "指导到位")
    page.state_box.setCurrentIndex(0)  # 全部状态
    assert page.select_pair(pair.id)
    assert page.close_button.text() == "修改结业评价" and not page.log_button.isEnabled()
    assert "进步明显" in page.detail.summary.text()


def test_dialog_warns_for_a_younger_mentor_and_still_creates(page, qtbot, no_boxes):
    from ui.mentoring import pair_dialogs

    dialog = pair_dialogs.PairDialog(page.context, page.ids["mentor"])
    qtbot.addWidget(dialog)
    _pick(qtbot, dialog.mentor, "钱璐")
    assert "年轻" in dialog.notice.text()
    dialog.accept()
    assert no_boxes and no_boxes[0][0] == "请确认" and no_boxes[0][2] == ["建立结对", "取消"]
    assert dialog.result_pair.mentor_name == "钱璐"


def test_dialog_refuses_same_person(page, qtbot, no_boxes):
    from ui.mentoring import pair_dialogs

    dialog = pair_dialogs.PairDialog(page.context, page.ids["mentee"])
    qtbot.addWidget(dialog)
    _pick(qtbot, dialog.mentor, "赵犇")
    assert "同一人" in dialog.notice.text()
    dialog.accept()
    assert dialog.result_pair is None and "同一人" in dialog.error_text("mentor_id") and no_boxes == []


def test_terminate_and_end_date_through_the_window(page, qtbot, no_boxes):
    from ui.mentoring import pair_dialogs

    _create(page, "mentee", "mentor", qtbot).accept()
    page.reload()
    pair = page.model.rows[0]
    page.select_pair(pair.id)

    end = pair_dialogs.EndDateDialog(page.selected_pair(), parent=page)
    qtbot.addWidget(end)
    want = _days_from_today(500)
    end.planned_end.setText(f"{want[:4]}-{want[4:6]}-{want[6:]}")
    end.reason.setText("锻炼期延长")
    end.accept()
    assert mentoring.get_pair(pair.id).planned_end == want
    assert audit.entries(entity="导师帮带", entity_id=pair.id)[0].reason == "锻炼期延长"

    page._changed(pair.id)
    stop = pair_dialogs.TerminateDialog(page.selected_pair(), parent=page)
    qtbot.addWidget(stop)
    stop.accept()  # no reason: refused, the message under the field
    assert "原因" in stop.error_text("end_reason") and stop.isVisible() is False and stop.result() == 0
    stop.reason.setPlainText("导师工作调动")
    stop.accept()
    assert mentoring.get_pair(pair.id).state == "终止"


def test_profile_tab_and_registration(page, qtbot, no_boxes):
    from ui.mentoring import profile_tab
    from ui.shell import registry

    _create(page, "mentee", "mentor", qtbot).accept()
    tab = profile_tab.ProfileMentoringTab(page.context, page.ids["mentor"])
    qtbot.addWidget(tab)
    assert tab.mentor_model.rowCount() == 1 and tab.mentee_model.rowCount() == 0
    assert "1/3" in tab.as_mentor_label.text()
    assert "请选择" not in tab.detail.summary.text()  # the pair is shown
    lone = profile_tab.ProfileMentoringTab(page.context, page.ids["young"])  # in no pair
    qtbot.addWidget(lone)
    assert lone.detail.summary.text() == "暂无导师帮带结对。点“建立导师帮带…”为其选配导师。"  # not "请选择一个帮带结对"
    from ui.shell.features import register_all

    register_all()
    assert any(m.key == "mentoring" and m.order == 40 for m in registry.MODULES)
    assert any(t.title == "导师帮带" for t in registry.PROFILE_TABS)
    assert any(a.title == "建立导师帮带…" for a in registry.CADRE_ACTIONS)


def test_pair_from_a_posting_defaults_to_its_guide(page, qtbot, no_boxes, monkeypatch):
    from cadre_desk.postings import frontline_posts, posting_data, postings
    from ui.mentoring import pair_dialogs

    line = next(x for x in frontline_posts.list_lines() if x.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="招商小分队岗位", host_type="招商小分队",
                                                 host_name="市投资促进局", capacity=2))
    start = _days_from_today(-5)
    posting = postings.create_posting(page.ids["mentee"], post.id, "组织选派", start,
                                      guide_cadre_id=page.ids["mentor"])
    created = []

    def fake_exec(dialog):
        assert dialog.mentor.cadre_id() == page.ids["mentor"]
        assert dialog.posting.currentData() == posting.id and dialog.focus.text() == "招商引资"
        dialog.accept()
        created.append(dialog.result_pair)
        return pair_dialogs.QDialog.Accepted

    monkeypatch.setattr(pair_dialogs.PairDialog, "exec", fake_exec)
    pair = pair_dialogs.create_pair_dialog(page.context, page.ids["mentee"], posting.id)
    assert pair is not None and pair.posting_id == posting.id and created
    read_one_by_one = []
    monkeypatch.setattr(mentoring, "posting_label", lambda pid: read_one_by_one.append(pid) or "")
    page.reload()
    assert page.model.posting_label(page.model.rows[0].posting_id) == "招商引资·招商小分队岗位"
    assert read_one_by_one == []  # the labels read with the rows, in one go (not a query a cell)
    page.line_box.setCurrentIndex(page.line_box.findData(line.id))
    assert len(page.model.rows) == 1
    other = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    page.line_box.setCurrentIndex(page.line_box.findData(other.id))
    assert page.model.rows == []


def test_settings_dialog_delete_log_and_pair(page, qtbot, no_boxes):
    from ui.mentoring import settings_dialog

    dialog = settings_dialog.SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.max_mentees.setValue(5)
    dialog.multiple.setChecked(True)
    dialog.idle_days.setValue(14)
    dialog.accept()
    assert mentoring_settings.get_settings() == mentoring_settings.MentoringSettings(5, True, 14)

    _create(page, "mentee", "mentor", qtbot).accept()
    page.reload()
    pair = page.model.rows[0]
    assert page.tree.topLevelItem(0).text(0) == "张建国（1/5）"
    log = meeting_logs.add_log(pair.id, clock.today_yyyymmdd(), "谈心谈话", "谈思想")
    page.select_pair(pair.id)
    page.delete_log(log.id, confirm=False)
    assert meeting_logs.logs_for_pair(pair.id) == []
    page.delete_pair(page.selected_pair(), confirm=False)
    assert page.model.rows == [] and mentoring.list_pairs() == []


def test_logs_hidden_without_read_permission(page, qtbot, no_boxes):
    from cadre_desk.access.roles import ROLE_ADMIN

    _create(page, "mentee", "mentor", qtbot).accept()
    page.reload()

    with acting_as(ROLE_ADMIN):  # 三员分立: the administrator may not read the talks
        page.select_pair(page.model.rows[0].id)
        assert "无权查看" in page.detail.logs.topLevelItem(0).text(2)


def test_cadre_list_action_opens_the_pair_dialog_for_the_selected_mentee(page, qtbot, no_boxes, monkeypatch):
    from ui.mentoring import pair_dialogs
    from ui.shell import registry

    seen = []

    def fake_exec(dialog):
        seen.append(dialog.mentee.cadre_id())
        return pair_dialogs.QDialog.Rejected

    monkeypatch.setattr(pair_dialogs.PairDialog, "exec", fake_exec)
    action = next(a for a in registry.CADRE_ACTIONS if a.title == "建立导师帮带…")
    action.callback(page.context, [page.ids["mentee"]])
    assert seen == [page.ids["mentee"]]


def test_main_window_shows_the_page(demo_db, qtbot):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    window = MainWindow(AppContext(None))
    qtbot.addWidget(window)
    page = window.show_module("mentoring")
    assert page is not None and page.model.rowCount() > 0
    assert page.tree.topLevelItemCount() > 0
    assert any(a.text() == "导师帮带设置…" for a in window.menus["工具"].actions())
    window.context.tasks.wait_all(10000)


def test_edit_pair_focus_and_goals(page, qtbot, no_boxes):
    from ui.mentoring import pair_dialogs

    _create(page, "mentee", "mentor", qtbot).accept()
    page.reload()
    dialog = pair_dialogs.EditPairDialog(page.model.rows[0], parent=page)
    qtbot.addWidget(dialog)
    dialog.focus.setText("项目建设")
    dialog.goals.setPlainText("牵头推进一个重点项目")
    dialog.accept()
    pair = mentoring.get_pair(page.model.rows[0].id)
    assert (pair.focus, pair.goals) == ("项目建设", "牵头推进一个重点项目")
    assert audit.entries(entity="导师帮带", entity_id=pair.id)[0].changes["focus"] == ["招商引资", "项目建设"]


def test_closing_evaluation_starts_unrated_and_needs_the_mentors_score(page, qtbot, no_boxes):
    """No made-up 85/90: an untouched dialog is refused, and a mentee who gives no score stores none."""
    from ui.mentoring import log_dialogs

    _create(page, "mentee", "mentor", qtbot).accept()
    page.reload()
    pair = page.model.rows[0]
    page.select_pair(pair.id)
    evaluation = log_dialogs.EvaluationDialog(page.selected_pair(), parent=page)
    qtbot.addWidget(evaluation)
    assert evaluation.mentor_rating.text() == "未评分" and evaluation.mentee_rating.text() == "未评分"
    evaluation.accept()
    assert "导师对帮带对象成长进步的评分" in evaluation.error_text("")
    assert mentoring.get_pair(pair.id).state == "进行中"
    evaluation.mentor_rating.setValue(80)
    evaluation.accept()
    done = mentoring.get_pair(pair.id)
    assert (done.state, done.mentor_rating, done.mentee_rating) == ("已结业", 80.0, None)
    again = log_dialogs.EvaluationDialog(done, parent=page)
    qtbot.addWidget(again)
    assert again.mentor_rating.value() == 80 and again.mentee_rating.text() == "未评分"


def test_a_mentor_of_another_unit_is_read_whole_in_the_pairs_table(qtbot):
    """A 经办人's pair whose mentor works in another unit showed 「（其他…」 in the 导师 column (sized for a
    name): the column widens to 「（其他单位干部）」 when a row shows it, and stays as it was otherwise."""
    from types import SimpleNamespace

    from cadre_desk.access.scope import OTHER_UNIT_CADRE
    from ui.mentoring.pair_table import make_pair_table

    view, model = make_pair_table()
    qtbot.addWidget(view)
    view.resize(1200, 300)
    view.show()

    def pair(mentor: str):
        return SimpleNamespace(mentor_name=mentor, mentor_unit_name="高桥镇", mentee_name="谭桂娟",
                               mentee_unit_name="青山镇", focus="应急处突", goals="", start="20261026",
                               planned_end="20271026", actual_end=None, state="进行中", log_count=2,
                               last_log_date="20261124", mentor_rating=None, mentee_rating=None, posting_id=None)

    model.set_rows([pair("顾平")])
    qtbot.wait(1)  # the columns are measured once the turn's signals are in
    narrow, mentee = view.columnWidth(0), view.columnWidth(2)
    model.set_rows([pair("顾平"), pair(OTHER_UNIT_CADRE)])
    qtbot.wait(1)
    need = view.sizeHintForIndex(model.index(1, 0)).width()
    assert need > narrow  # the name's width cut it
    assert view.columnWidth(0) >= need
    assert view.columnWidth(2) == mentee  # no mentee of another unit: as it was


def test_a_mentors_load_is_read_right_after_the_name_not_cut_at_the_lines_end(page, qtbot, no_boxes):
    """「（在帮 1/3）」 at the end of a long 单位职务 line was cut off at the list's right edge."""
    from ui.mentoring import pair_dialogs

    _create(page, "mentee", "mentor", qtbot).accept()
    dialog = pair_dialogs.PairDialog(page.context, page.ids["young"])
    qtbot.addWidget(dialog)
    _pick(qtbot, dialog.mentor, "张建国")
    assert dialog.mentor.results.item(0).text().startswith("张建国（在帮 1/3）　")


def test_a_mentor_of_another_unit_is_not_bracketed_twice(qtbot, unit):
    """结业评价 of a pair whose mentor is of another unit read 「导师（（其他单位干部））评价…」."""
    from PySide6.QtWidgets import QGroupBox

    from cadre_desk.units import units
    from ui.mentoring.log_dialogs import EvaluationDialog

    tax = units.create_unit("市税务局")
    mentor = cadres.save_profile(make_profile(tax.id, name="税务老刘", birth="197001", rank="0131")).profile.id
    mentee = cadres.save_profile(make_profile(unit.id, name="小赵", birth="199504", rank="0241")).profile.id
    pair_changes.create_pair(mentoring.PairDraft(mentor_id=mentor, mentee_id=mentee, focus="招商引资", goals="独立牵头",
                                                 start=_days_from_today(-30), planned_end=_days_from_today(300)))
    with acting_as("经办人", units=(unit.id,)):
        (pair,) = mentoring.visible_pairs()
        dialog = EvaluationDialog(pair)
        qtbot.addWidget(dialog)
        titles = [box.title() for box in dialog.findChildren(QGroupBox)]
    assert titles[0] == "导师（其他单位干部）评价帮带对象的成长进步" and "税务老刘" not in "".join(titles)
