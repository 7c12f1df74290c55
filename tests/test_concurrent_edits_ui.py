"""The editors' side of a refused stale save: a box that says who saved in between and when, and offers
重新载入对方的修改 / 仍然保存我的修改 / 取消 — each does what it says, and 取消 keeps the edits."""

from __future__ import annotations

import dataclasses

import pytest

from tests.test_concurrent_edits import LI, TODAY, ZHAO, admins, as_user, clerks, meeting_log, sheet  # noqa: F401 - the fixtures

CONFLICT_BUTTONS = ["重新载入对方的修改", "仍然保存我的修改", "取消"]


@pytest.fixture
def context(admins):  # noqa: F811
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    with as_user("zhang", "张管理", admins):
        yield AppContext(None)


def _li_saves(scheme_id: int, description: str) -> None:
    from cadre_desk.access.roles import ROLE_ADMIN
    from cadre_desk.appraisal import schemes

    with as_user("li", "李管理", ROLE_ADMIN):
        schemes.save_scheme(dataclasses.replace(schemes.get_scheme(scheme_id), description=description))


def _editing(qtbot, context):
    from cadre_desk.appraisal import schemes
    from ui.appraisal.schemes_tab import SchemesTab

    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    scheme = schemes.list_schemes()[0]
    tab.reload(scheme.id)
    tab.description.setText("张的说明")  # 张 has typed…
    _li_saves(scheme.id, "李的说明")  # …when 李 saves the same scheme
    return tab, scheme.id


def test_cancel_keeps_my_edits_and_saves_nothing(qtbot, context, boxes):
    from cadre_desk.appraisal import schemes

    tab, scheme_id = _editing(qtbot, context)
    boxes.answers = ["取消"]
    assert not tab.save()
    title, text, buttons = boxes.shown[-1]
    assert title == "保存考核方案" and sorted(buttons) == sorted(CONFLICT_BUTTONS)
    assert f"已被 {LI} 于 {TODAY}" in text and "您的修改仍在" in text
    assert tab.description.text() == "张的说明" and tab.has_unsaved()
    assert schemes.get_scheme(scheme_id).description == "李的说明"


def test_keep_mine_overwrites_the_other_change(qtbot, context, boxes):
    from cadre_desk.appraisal import schemes

    tab, scheme_id = _editing(qtbot, context)
    boxes.answers = ["仍然保存我的修改"]
    assert tab.save()
    assert schemes.get_scheme(scheme_id).description == "张的说明" and not tab.has_unsaved()


def test_reload_shows_the_other_change(qtbot, context, boxes):
    from cadre_desk.appraisal import schemes

    tab, scheme_id = _editing(qtbot, context)
    boxes.answers = ["重新载入对方的修改"]
    assert tab.save()
    assert tab.description.text() == "李的说明" and not tab.has_unsaved()
    assert schemes.get_scheme(scheme_id).description == "李的说明"
    tab.description.setText("再改")  # the edit now begins from 李's version: saved without a question
    assert tab.save() and schemes.get_scheme(scheme_id).description == "再改"
    assert len(boxes.shown) == 1


def test_a_restored_draft_does_not_overwrite_a_later_change(qtbot, context, boxes):
    """The 草稿 of an edit begun before 李's save, restored at the next login: 保存 asks, 取消 keeps it."""
    from cadre_desk.appraisal import scheme_drafts, schemes
    from cadre_desk.security.drafts import Draft
    from ui.appraisal.schemes_tab import SchemesDialog

    scheme = schemes.list_schemes()[0]
    kept = scheme_drafts.draft_input("考核方案", dataclasses.replace(scheme, description="草稿里的说明"))
    _li_saves(scheme.id, "李的说明")
    dialog = SchemesDialog(context)
    qtbot.addWidget(dialog)
    dialog.tab.restore_draft(scheme_drafts.typed_scheme(Draft(*dataclasses.astuple(kept), id=1, created_at="")))
    assert dialog.tab.description.text() == "草稿里的说明" and dialog.tab.has_unsaved()
    boxes.answers = ["取消"]
    assert not dialog.tab.save()
    assert sorted(boxes.shown[-1][2]) == sorted(CONFLICT_BUTTONS) and LI in boxes.shown[-1][1]
    assert schemes.get_scheme(scheme.id).description == "李的说明" and dialog.tab.has_unsaved()
    boxes.answers = ["仍然保存我的修改"]
    assert dialog.tab.save() and schemes.get_scheme(scheme.id).description == "草稿里的说明"


# ---- 干部档案 -------------------------------------------------------------------------------------

@pytest.fixture
def clerk_context(clerks):  # noqa: F811
    """王经办's session, with one cadre of 市财政局."""
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import make_profile
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    with as_user("wang", "王经办", clerks):
        cadre = cadres.save_profile(make_profile(units.create_unit("市财政局").id, name="王档案",
                                                 position="科员")).profile
        yield AppContext(None), cadre


def _zhao_changes_profile(cadre_id: int, **values) -> None:
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.profiles import cadres

    with as_user("zhao", "赵经办", ROLE_CLERK):
        theirs = cadres.get_profile(cadre_id)
        theirs.values.update(values)
        cadres.save_profile(theirs)


def _profile_dialog(qtbot, context, cadre_id):
    from ui.profiles.profile_dialog import ProfileDialog

    dialog = ProfileDialog(context, cadre_id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    return dialog


def test_keep_mine_on_a_profile_keeps_the_others_other_fields(qtbot, clerk_context, boxes):
    """仍然保存我的修改: the fields typed here go over the profile as stored now; 赵's change of another
    field stays (it was not reverted to what this window had loaded)."""
    from cadre_desk.profiles import cadres

    context, cadre = clerk_context
    dialog = _profile_dialog(qtbot, context, cadre.id)
    dialog.cells["phone"].editor.set_value("13900000000")
    _zhao_changes_profile(cadre.id, position="科长")
    boxes.answers = ["仍然保存我的修改"]
    assert dialog.save()
    assert ZHAO in boxes.shown[0][1]
    stored = cadres.get_profile(cadre.id)
    assert stored.values["phone"] == "13900000000" and stored.values["position"] == "科长"
    assert not dialog.has_unsaved()


def test_reload_on_a_profile_shows_theirs_and_cancel_keeps_mine(qtbot, clerk_context, boxes):
    from cadre_desk.profiles import cadres

    context, cadre = clerk_context
    dialog = _profile_dialog(qtbot, context, cadre.id)
    dialog.cells["position"].editor.set_value("副科长")
    _zhao_changes_profile(cadre.id, position="科长")
    boxes.answers = ["取消"]
    assert not dialog.save()
    assert ZHAO in boxes.shown[0][1] and sorted(boxes.shown[0][2]) == sorted(CONFLICT_BUTTONS)
    assert dialog.cells["position"].editor.value() == "副科长" and dialog.has_unsaved()
    boxes.answers = ["重新载入对方的修改"]
    assert not dialog.save()
    assert dialog.cells["position"].editor.value() == "科长" and not dialog.has_unsaved()
    assert cadres.get_profile(cadre.id).values["position"] == "科长"


def test_a_restored_profile_draft_does_not_overwrite_a_later_change(qtbot, clerk_context, boxes):
    """The 草稿 changed 职务; 赵 changed the same field after it was kept: restoring and saving it asks."""
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.profile_drafts import ProfileDraft

    context, cadre = clerk_context
    before = _profile_dialog(qtbot, context, cadre.id)
    before.cells["position"].editor.set_value("副科长")
    kept = ProfileDraft.from_json(before.draft().payload)  # as the idle lock keeps it
    _zhao_changes_profile(cadre.id, position="科长")
    dialog = _profile_dialog(qtbot, context, cadre.id)
    dialog.restore_draft(kept)
    boxes.answers = ["取消"]
    assert not dialog.save()
    assert ZHAO in boxes.shown[-1][1]
    assert cadres.get_profile(cadre.id).values["position"] == "科长"
    assert dialog.cells["position"].editor.value() == "副科长"


# ---- 考核表 ---------------------------------------------------------------------------------------

@pytest.fixture
def sheet_tab(qtbot, sheet, clerks):  # noqa: F811
    """王经办's 考核表 tab on the sheet of tests.test_concurrent_edits.sheet."""
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    with as_user("wang", "王经办", clerks):
        page = AppraisalPage(AppContext(None))
        qtbot.addWidget(page)
        tab = page.show_sheet_tab()
        tab.reload_sheets(sheet[0])
        yield tab, sheet


def _zhao_scores(made, value) -> None:
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.appraisal import sheet_scores

    sheet_id, (first, _), (rater, dim) = made
    with as_user("zhao", "赵经办", ROLE_CLERK):
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, value)])


def test_a_score_cell_keep_mine_writes_over(qtbot, sheet_tab, boxes):
    from PySide6.QtWidgets import QApplication

    from cadre_desk.appraisal import appraisals

    tab, made = sheet_tab
    model = tab.model
    _zhao_scores(made, 90)  # after 王's grid was loaded (it shows the cell empty)
    boxes.answers = ["仍然保存我的修改"]
    assert model.setData(model.index(0, model.first_score_column), "85")
    QApplication.processEvents()
    title, text, buttons = boxes.shown[-1]
    assert title == "录入评分" and ZHAO in text and "甲干部" in text
    assert sorted(buttons) == sorted(["重新载入对方的修改", "仍然保存我的修改"])
    assert appraisals.load_sheet(made[0]).members[0].scores[made[2]] == 85


def test_a_score_cell_reload_shows_theirs(qtbot, sheet_tab, boxes):
    from PySide6.QtWidgets import QApplication

    from cadre_desk.appraisal import appraisals

    tab, made = sheet_tab
    model = tab.model
    _zhao_scores(made, 90)
    boxes.answers = ["重新载入对方的修改"]
    assert not model.setData(model.index(0, model.first_score_column), "85")
    QApplication.processEvents()
    assert model.data(model.index(0, model.first_score_column)) == "90"
    assert appraisals.load_sheet(made[0]).members[0].scores[made[2]] == 90


def test_a_comment_cell_asks_too(qtbot, sheet_tab, boxes):
    from PySide6.QtWidgets import QApplication

    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.appraisal import appraisals, sheet_scores

    tab, made = sheet_tab
    model = tab.model
    with as_user("zhao", "赵经办", ROLE_CLERK):
        sheet_scores.set_comment(made[0], made[1][0], "工作扎实")
    boxes.answers = ["重新载入对方的修改"]
    assert not model.setData(model.index(0, model.comment_column), "成绩突出")
    QApplication.processEvents()  # the sheet read again
    assert "甲干部·评语" in boxes.shown[-1][1] and model.data_.members[0].comment == "工作扎实"
    assert appraisals.load_sheet(made[0]).members[0].comment == "工作扎实"


def test_the_override_dialog_asks_and_cancel_stays_open(qtbot, sheet_tab, boxes):
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.appraisal import appraisals, grading
    from ui.appraisal.sheet_dialogs import OverrideDialog

    tab, made = sheet_tab
    data = tab.model.data_
    dialog = OverrideDialog(data, data.members[0], tab)
    qtbot.addWidget(dialog)
    dialog.show()
    with as_user("zhao", "赵经办", ROLE_CLERK):
        grading.set_override(made[0], made[1][0], "优秀", "抗洪抢险表现突出")
    dialog.grade.setCurrentIndex(dialog.grade.findData("称职"))
    dialog.reason.setPlainText("按比例调整为称职")
    boxes.answers = ["取消"]
    dialog.accept()
    assert dialog.isVisible() and ZHAO in boxes.shown[-1][1]
    assert appraisals.load_sheet(made[0]).members[0].grade_override == "优秀"
    boxes.answers = ["仍然保存我的修改"]
    dialog.accept()
    assert not dialog.isVisible()
    assert appraisals.load_sheet(made[0]).members[0].grade_override == "称职"


# ---- 导师帮带: 谈话记录 -------------------------------------------------------------------------------

def test_the_meeting_log_dialog_asks_and_cancel_stays_open(qtbot, meeting_log, boxes):  # noqa: F811
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.mentoring import meeting_logs
    from ui.mentoring.log_dialogs import LogDialog

    pair, read = meeting_log
    dialog = LogDialog(pair, read)
    qtbot.addWidget(dialog)
    dialog.show()
    with as_user("zhao", "赵经办", ROLE_CLERK):
        meeting_logs.update_log(read.id, read.date, read.form, "到项目现场，看了工地")
    dialog.content.setPlainText("讲政策")
    boxes.answers = ["取消"]
    dialog.accept()
    assert dialog.isVisible() and ZHAO in boxes.shown[-1][1]
    assert meeting_logs.logs_for_pair(pair.id)[0].content == "到项目现场，看了工地"
    boxes.answers = ["重新载入对方的修改"]
    dialog.accept()  # closes: the pair's page shows the record as stored
    assert not dialog.isVisible() and meeting_logs.logs_for_pair(pair.id)[0].content == "到项目现场，看了工地"


# ---- units: the choice; a state change (终止帮带) does not offer to overwrite ----------------------

def test_the_unit_dialog_asks_and_keep_mine_saves_over_the_unit_as_stored(qtbot, clerks, boxes):  # noqa: F811
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.units import units
    from ui.units.unit_dialogs import UnitDialog

    with as_user("wang", "王经办", clerks):
        unit = units.create_unit("市财政局")
        dialog = UnitDialog(unit=unit)
        qtbot.addWidget(dialog)
        dialog.show()
        with as_user("zhao", "赵经办", ROLE_CLERK):
            units.update_unit(unit.id, unit.version, name="财政局")
        dialog.full_name.setText("兴平市财政局")
        boxes.answers = ["取消"]
        dialog.accept()
        assert dialog.isVisible() and dialog.full_name.text() == "兴平市财政局"
        assert ZHAO in boxes.shown[-1][1]
        boxes.answers = ["仍然保存我的修改"]
        dialog.accept()
    assert not dialog.isVisible()
    stored = units.get_unit(unit.id)
    assert (stored.full_name, stored.name) == ("兴平市财政局", "市财政局")  # mine, as the dialog showed it


def test_a_dialog_that_does_not_ask_keeps_the_typing_and_says_who(qtbot, meeting_log, boxes):  # noqa: F811
    """终止帮带 of a pair another changed since: not offered over theirs — told who, and how to go on."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.mentoring import mentoring, pair_changes
    from ui.mentoring.pair_dialogs import TerminateDialog
    from ui.widgets.form_dialog import NOT_SAVED_OVER

    pair, _log = meeting_log
    dialog = TerminateDialog(pair)
    qtbot.addWidget(dialog)
    dialog.show()
    with as_user("zhao", "赵经办", ROLE_CLERK):
        pair_changes.update_pair(pair.id, pair.version, focus="项目建设", goals=pair.goals)
    dialog.reason.setPlainText("导师工作调动")
    dialog.accept()
    assert dialog.isVisible() and dialog.reason.toPlainText() == "导师工作调动" and not boxes.shown
    banner = dialog.error_text("")
    assert ZHAO in banner and NOT_SAVED_OVER in banner
    assert mentoring.get_pair(pair.id).state == mentoring.ACTIVE


# ---- a restored 草稿 stays until its edits are resolved -------------------------------------------

def test_a_restored_scheme_draft_stays_until_saved(qtbot, context, boxes):
    """Restored at login and refused on 保存 (another saved the scheme since): 取消 keeps the 草稿 in the
    database too (a crash loses nothing); kept again at the idle lock it is rewritten, not doubled; saved
    at last, it goes."""
    import json

    from PySide6.QtWidgets import QWidget

    from cadre_desk.access import context as operators
    from cadre_desk.appraisal import scheme_drafts, schemes
    from cadre_desk.security import accounts, drafts
    from ui.security import draft_offer
    from ui.widgets import unsaved

    zhang = next(u for u in accounts.list_users() if u.username == "zhang")
    operators.set_operator(accounts.operator_for(zhang))  # drafts belong to an account
    scheme = schemes.list_schemes()[0]
    [kept] = drafts.keep([scheme_drafts.draft_input("考核方案", dataclasses.replace(scheme, description="草稿"))])
    _li_saves(scheme.id, "李的说明")
    host = QWidget()
    host.context = context
    qtbot.addWidget(host)
    boxes.answers = ["恢复"]
    [dialog] = draft_offer.offer(host)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    assert [d.id for d in drafts.mine()] == [kept]
    boxes.answers = ["取消"]
    assert not dialog.tab.save() and [d.id for d in drafts.mine()] == [kept]
    dialog.tab.description.setText("草稿二")
    assert unsaved.keep_drafts([dialog.tab]) == []  # the idle lock again: that 草稿 rewritten
    [again] = drafts.mine()
    assert again.id == kept and json.loads(again.payload)["description"] == "草稿二"
    boxes.answers = ["仍然保存我的修改"]
    assert dialog.tab.save() and drafts.mine() == []
    assert schemes.get_scheme(scheme.id).description == "草稿二"


def test_the_assign_dialog_asks_before_replacing_a_contact(qtbot, db, boxes):
    from cadre_desk.liaison import liaison
    from tests.test_practices import make_world
    from ui.care.care_dialogs import AssignDialog

    posting = make_world()["posting"]
    dialog = AssignDialog(liaison.list_liaisons())
    qtbot.addWidget(dialog)
    dialog.show()
    liaison.assign([posting], "李建平", "干部一科")  # another clerk, meanwhile
    dialog.name.setText("王海燕")
    boxes.answers = ["取消"]
    dialog.accept()
    assert dialog.isVisible() and "甲的包抓人" in boxes.shown[-1][1]
    assert liaison.list_liaisons()[0].contact_name == "李建平"
    boxes.answers = ["仍然保存我的修改"]
    dialog.accept()
    assert not dialog.isVisible() and liaison.list_liaisons()[0].contact_name == "王海燕"


def test_the_talk_dialog_offers_to_keep_mine(qtbot, clerks, boxes):  # noqa: F811
    """A versioned record's dialog (谈心谈话) asks as the others do; 仍然保存我的修改 saves over the other's."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.care import talks
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import make_profile
    from tests.test_mentoring import _today
    from ui.care.care_dialogs import TalkDialog
    from ui.shell.context import AppContext

    with as_user("wang", "王经办", clerks):
        cadre = cadres.save_profile(make_profile(units.create_unit("市财政局").id, name="王档案")).profile
        talk = talks.save_talk(talks.TalkInfo(None, cadre.id, _today(2), "王经办", talks.OCCASIONS[0], "谈工作"))
        dialog = TalkDialog(AppContext(None), talk)
        qtbot.addWidget(dialog)
        dialog.show()
        with as_user("zhao", "赵经办", ROLE_CLERK):
            talks.save_talk(dataclasses.replace(talk, topics="谈工作和家庭"))
        dialog.topics.setPlainText("谈思想")
        boxes.answers = ["仍然保存我的修改"]
        dialog.accept()
    assert ZHAO in boxes.shown[-1][1] and not dialog.isVisible()
    assert talks.list_talks()[0].topics == "谈思想"


def test_the_pair_dialog_asks_and_reload_leaves_theirs(qtbot, meeting_log, boxes):  # noqa: F811
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.mentoring import mentoring, pair_changes
    from ui.mentoring.pair_dialogs import EditPairDialog

    pair, _log = meeting_log
    dialog = EditPairDialog(pair)
    qtbot.addWidget(dialog)
    dialog.show()
    with as_user("zhao", "赵经办", ROLE_CLERK):
        pair_changes.update_pair(pair.id, pair.version, focus="项目建设", goals=pair.goals)
    dialog.focus.setText("乡村振兴")
    boxes.answers = ["重新载入对方的修改"]
    dialog.accept()
    assert ZHAO in boxes.shown[-1][1] and not dialog.isVisible()
    assert mentoring.get_pair(pair.id).focus == "项目建设"
    again = EditPairDialog(mentoring.get_pair(pair.id))  # as the list shows it again
    qtbot.addWidget(again)
    again.focus.setText("乡村振兴")
    again.accept()
    assert mentoring.get_pair(pair.id).focus == "乡村振兴" and len(boxes.shown) == 1
