"""The screens' side of a refused stale delete (and of a catalogue entry's stale save): after 删除 is
confirmed, a box says who changed the record since this list showed it and when, and offers
重新载入对方的修改 (not deleted: the list shows their change) / 仍然删除 / 取消 — each does what it says."""

from __future__ import annotations

import dataclasses

from tests.test_concurrent_edits import LI, TODAY, ZHAO, admins, as_user, clerks, sheet  # noqa: F401 - the fixtures
from tests.test_concurrent_edits_ui import _zhao_scores, clerk_context, context, sheet_tab  # noqa: F401 - the fixtures

DELETE_BUTTONS = ["重新载入对方的修改", "仍然删除", "取消"]


def _li(admins, change) -> None:  # noqa: F811
    with as_user("li", "李管理", admins):
        change()


def test_deleting_a_scheme_another_saved_since_asks_and_each_answer_does_what_it_says(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.appraisal import schemes
    from ui.appraisal.schemes_tab import SchemesTab

    shown = schemes.copy_scheme(schemes.list_schemes()[0].id, "季度考核")
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    tab.reload(shown.id)  # 张 sees the scheme…
    _li(admins, lambda: schemes.save_scheme(dataclasses.replace(schemes.get_scheme(shown.id), description="李的说明")))
    boxes.answers = ["删除", "取消"]  # …and deletes it after 李 saved it
    tab.delete_scheme()
    title, text, buttons = boxes.shown[-1]
    assert title == "删除考核方案" and sorted(buttons) == sorted(DELETE_BUTTONS)
    assert f"已被 {LI} 于 {TODAY}" in text and "考核方案“季度考核”" in text and "不删除" in text
    assert schemes.get_scheme(shown.id).description == "李的说明"
    boxes.answers = ["删除", "重新载入对方的修改"]
    tab.delete_scheme()
    assert tab.current.id == shown.id and tab.description.text() == "李的说明"  # their change, shown
    tab.delete_scheme()  # as now shown: deleted after the one question
    assert sorted(boxes.shown[-1][2]) != sorted(DELETE_BUTTONS)
    assert "季度考核" not in {s.name for s in schemes.list_schemes(include_retired=True)}


def test_delete_anyway_deletes_a_pool_another_renamed_and_a_stale_rename_asks(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.talent import pools
    from tests.conftest import answer_dialog
    from ui.talent.talent_view import PoolsDialog

    first = pools.save_pool(pools.PoolInfo(None, "经济管理", "", 0, False))
    second = pools.save_pool(pools.PoolInfo(None, "城市建设", "", 0, False))
    dialog = PoolsDialog()
    qtbot.addWidget(dialog)
    dialog.reload(first.id)
    _li(admins, lambda: pools.save_pool(dataclasses.replace(first, name="经济管理类")))
    boxes.answers = ["删除", "仍然删除"]
    dialog.delete()
    assert sorted(boxes.shown[-1][2]) == sorted(DELETE_BUTTONS) and "专业干部库“经济管理类”" in boxes.shown[-1][1]
    assert first.id not in {p.id for p in pools.list_pools(include_retired=True)}
    listed = [dialog.list.item(i).data(0x0100).id for i in range(dialog.list.count())]
    assert first.id not in listed and second.id in listed

    # 修改 of an entry 李 changed since the list was read: the same choice as every form (the stored name said)
    dialog.list.setCurrentRow(listed.index(second.id))
    _li(admins, lambda: pools.save_pool(dataclasses.replace(second, description="李的说明")))

    def rename(entry_dialog):
        entry_dialog.name.setText("城市规划建设")
        boxes.answers = ["取消"]
        entry_dialog.ok_button.click()
        assert entry_dialog.isVisible() and "专业干部库“城市建设”" in boxes.shown[-1][1]
        assert "仍然保存我的修改" in boxes.shown[-1][2]
        boxes.answers = ["仍然保存我的修改"]
        entry_dialog.ok_button.click()

    answer_dialog(qtbot, dialog.edit, rename)
    assert pools.get_pool(second.id).name == "城市规划建设"


def test_toggling_a_behaviour_item_another_renamed_says_so_and_keeps_the_rename(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.appraisal import records
    from ui.appraisal.behaviour_tab import CatalogBox

    item = records.save_behaviour_item(records.BehaviourItemInfo(None, "正面", "带头攻坚"))
    box = CatalogBox(context)
    qtbot.addWidget(box)
    box.reload()
    box.table.selectRow(next(i for i, r in enumerate(box.model.rows) if r.id == item.id))
    _li(admins, lambda: records.save_behaviour_item(dataclasses.replace(item, name="带头攻坚重点项目"), item))
    box.toggle_item()
    assert LI in boxes.shown[-1][1] and "已重新载入" in boxes.shown[-1][1]
    stored = next(r for r in records.list_behaviour_items(include_retired=True) if r.id == item.id)
    assert stored.name == "带头攻坚重点项目" and not stored.retired
    assert any(r.name == "带头攻坚重点项目" for r in box.model.rows)  # the list shows the rename


# ---- a clerk's lists: 干部监督 (as 谈心谈话 and 关爱: the one RecordList.delete), 导师帮带's 谈话记录 ----------

def test_deleting_a_supervision_record_another_changed_since_it_was_listed_asks(qtbot, clerks, boxes):  # noqa: F811
    from cadre_desk.access.roles import ROLE_SUPERVISION
    from cadre_desk.supervision import supervision
    from tests.test_concurrent_deletes import _supervision
    from ui.shell.context import AppContext
    from ui.shell.features import register_all
    from ui.supervision.supervision_view import SupervisionPage

    register_all()
    with as_user("wang", "王经办", clerks, ROLE_SUPERVISION):
        record, change, *_rest = _supervision()
        page = SupervisionPage(AppContext(None))
        qtbot.addWidget(page)
        page.table.selectRow(0)
        with as_user("zhao", "赵经办", clerks, ROLE_SUPERVISION):
            change(record)  # 赵 adds the outcome after 王's list was read
        boxes.answers = ["删除", "重新载入对方的修改"]
        page.buttons["delete"].click()
        title, text, buttons = boxes.shown[-1]
        assert title == "删除监督记录" and sorted(buttons) == sorted(DELETE_BUTTONS) and ZHAO in text
        assert [r.outcome for r in page.model.rows] == ["已当面提醒"]  # not deleted: the list shows 赵's change
        page.table.selectRow(0)
        page.buttons["delete"].click()  # as now listed: deleted once confirmed
        assert supervision.list_records() == [] and page.model.rows == []


def _pair_with_a_log_on_page(qtbot):
    """(page, pair, log): a pair in a new 市财政局 with one 谈话记录, selected on a 导师帮带 page (as whoever
    is signed in)."""
    from cadre_desk.mentoring import meeting_logs, pair_changes
    from cadre_desk.units import units
    from tests.test_concurrent_edits import cadres_id
    from tests.test_mentoring import _draft, _today
    from ui.mentoring import mentoring_view
    from ui.shell.context import AppContext

    unit_id = units.create_unit("市财政局").id
    people = [cadres_id(unit_id, name, birth, rank) for name, birth, rank in
              (("张建国", "197003", "0131"), ("赵犇", "199504", "0241"))]
    pair = pair_changes.create_pair(_draft(*people, start=_today(20))).pair
    log = meeting_logs.add_log(pair.id, _today(5), "现场指导", "到项目现场")
    page = mentoring_view.MentoringPage(AppContext(None))
    qtbot.addWidget(page)
    page.select_pair(pair.id)
    return page, pair, log


def test_deleting_a_meeting_log_another_changed_since_it_was_listed_asks(qtbot, clerks, boxes):  # noqa: F811
    from cadre_desk.mentoring import meeting_logs

    with as_user("wang", "王经办", clerks):
        page, pair, log = _pair_with_a_log_on_page(qtbot)  # 王 sees the 谈话记录
        with as_user("zhao", "赵经办", clerks):
            meeting_logs.update_log(log.id, log.date, log.form, "到项目现场，看了工地", before=log)
        boxes.answers = ["取消"]
        page.delete_log(log.id, confirm=False)
        assert ZHAO in boxes.shown[-1][1] and sorted(boxes.shown[-1][2]) == sorted(DELETE_BUTTONS)
        assert [x.content for x in meeting_logs.logs_for_pair(pair.id)] == ["到项目现场，看了工地"]
        boxes.answers = ["仍然删除"]
        page.delete_log(log.id, confirm=False)
        assert meeting_logs.logs_for_pair(pair.id) == []


def test_deleting_a_pair_another_added_a_meeting_log_to_since_it_was_listed_asks(qtbot, clerks, boxes):  # noqa: F811
    """删除结对 said 「其 1 条谈话记录…将一并删除」 and deleted the 2 there were (赵 had added one since:
    adding a log does not move the pair's version); it asks as every delete does."""
    from cadre_desk.mentoring import meeting_logs, mentoring
    from tests.test_mentoring import _today

    with as_user("wang", "王经办", clerks):
        page, pair, _log = _pair_with_a_log_on_page(qtbot)  # 王's list: 1 条谈话记录
        listed = page.selected_pair()
        with as_user("zhao", "赵经办", clerks):
            meeting_logs.add_log(pair.id, _today(2), "谈心谈话", "谈项目进展")
        boxes.answers = ["删除", "重新载入对方的修改"]
        page.delete_pair(listed)
        title, text, buttons = boxes.shown[-1]
        assert title == "删除结对" and sorted(buttons) == sorted(DELETE_BUTTONS)
        assert f"帮带结对“张建国→赵犇”的谈话记录已被 {ZHAO} 于" in text
        assert len(meeting_logs.logs_for_pair(pair.id)) == 2 and page.selected_pair().log_count == 2  # shown now
        boxes.answers = ["删除"]
        page.delete_pair(page.selected_pair())  # as now listed: deleted after the one question
        assert mentoring.list_pairs() == [] and len(boxes.shown) == 3


def test_deleting_a_pair_one_of_whose_meeting_logs_another_reworded_since_it_was_shown_asks(qtbot, clerks, boxes):  # noqa: F811
    """删除结对 compared the pair's log count and last date only: a 谈话记录 whose text 赵 had changed since
    王's page showed it went with the pair without a word. It asks as every delete does."""
    from cadre_desk.mentoring import meeting_logs, mentoring

    with as_user("wang", "王经办", clerks):
        page, pair, log = _pair_with_a_log_on_page(qtbot)  # 王 sees the pair and its 谈话记录
        with as_user("zhao", "赵经办", clerks):
            meeting_logs.update_log(log.id, log.date, log.form, "到项目现场，看了工地", before=log)
        boxes.answers = ["删除", "取消"]
        page.delete_pair(page.selected_pair())
        title, text, buttons = boxes.shown[-1]
        assert title == "删除结对" and sorted(buttons) == sorted(DELETE_BUTTONS)
        assert f"帮带结对“张建国→赵犇”的谈话记录已被 {ZHAO} 于" in text
        assert [x.content for x in meeting_logs.logs_for_pair(pair.id)] == ["到项目现场，看了工地"]
        boxes.answers = ["删除", "仍然删除"]
        page.delete_pair(page.selected_pair())
        assert mentoring.list_pairs() == []


def test_removing_a_member_another_scored_since_the_grid_was_loaded_asks(qtbot, sheet_tab, boxes):  # noqa: F811
    from cadre_desk.appraisal import appraisals

    tab, made = sheet_tab
    _zhao_scores(made, 90)  # after 王's grid was loaded (it shows 甲干部 without scores)
    tab.grid.setCurrentIndex(tab.model.index(0, 0))
    boxes.answers = ["移出", "取消"]
    tab.remove_member()
    title, text, buttons = boxes.shown[-1]
    assert title == "移出人员" and sorted(buttons) == sorted(["重新载入对方的修改", "仍然移出", "取消"])
    assert ZHAO in text and "甲干部" in text and "不移出" in text
    assert len(appraisals.load_sheet(made[0]).members) == 2
    boxes.answers = ["移出", "重新载入对方的修改"]
    tab.remove_member()
    assert tab.model.data(tab.model.index(0, tab.model.first_score_column)) == "90"  # their score, shown
    tab.grid.setCurrentIndex(tab.model.index(0, 0))
    boxes.answers = ["移出"]
    tab.remove_member()  # as now shown: removed once confirmed
    assert [m.name for m in appraisals.load_sheet(made[0]).members] == ["乙干部"]


def test_the_mentoring_settings_dialog_asks_before_reverting_another_change(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.mentoring import mentoring_settings as rules
    from ui.mentoring.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    _li(admins, lambda: rules.save_settings(dataclasses.replace(rules.get_settings(), max_mentees=5)))
    dialog.idle_days.setValue(14)
    boxes.answers = ["取消"]
    dialog.accept()
    title, text, buttons = boxes.shown[-1]
    assert title == "导师帮带设置" and LI in text and "仍然保存我的修改" in buttons
    assert rules.get_settings().max_mentees == 5 and dialog.result() != dialog.DialogCode.Accepted
    boxes.answers = ["重新载入对方的修改"]
    dialog.accept()
    assert rules.get_settings() == rules.MentoringSettings(5, False, 30)  # nothing of 张's written


def test_the_talk_reminder_settings_dialog_asks_before_reverting_another_change(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.care import talks
    from ui.care.care_dialogs import IntervalDialog

    dialog = IntervalDialog()
    qtbot.addWidget(dialog)
    _li(admins, lambda: talks.set_interval_days(60))
    dialog.days.setValue(30)
    boxes.answers = ["取消"]
    dialog.accept()
    title, text, buttons = boxes.shown[-1]
    assert title == "谈心谈话提醒设置" and sorted(buttons) == sorted(["重新载入对方的修改", "仍然保存我的修改", "取消"])
    assert text.startswith(f"在您开始编辑之后，谈心谈话提醒设置已被 {LI} 于 ")
    assert talks.interval_days() == 60 and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.days.value() == 30  # 取消: the typing stays
    boxes.answers = ["重新载入对方的修改"]
    dialog.accept()
    assert talks.interval_days() == 60  # nothing of 张's written
    dialog = IntervalDialog()
    qtbot.addWidget(dialog)
    assert dialog.days.value() == 60  # opened again: theirs
    _li(admins, lambda: talks.set_interval_days(45))
    dialog.days.setValue(30)
    boxes.answers = ["仍然保存我的修改"]
    dialog.accept()
    assert talks.interval_days() == 30 and dialog.result() == dialog.DialogCode.Accepted


def test_the_department_dialog_asks_before_reverting_another_change(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.settings import settings
    from ui.settings.settings_view import DepartmentDialog

    settings.set_department("中共兴平市委组织部", "市委组织部", "兴平市")
    dialog = DepartmentDialog()
    qtbot.addWidget(dialog)
    _li(admins, lambda: settings.set_department("中共兴平市委组织部", "兴平市委组织部", "兴平市"))
    dialog.editors[settings.PLACE.key].setText("陕西省兴平市")
    boxes.answers = ["仍然保存我的修改"]
    dialog.accept()
    assert LI in boxes.shown[-1][1] and "本部门的名称" in boxes.shown[-1][1]
    assert settings.department() == settings.Department("中共兴平市委组织部", "市委组织部", "陕西省兴平市")


def test_taking_off_a_contact_another_changed_since_the_list_was_read_asks(qtbot, db, boxes):
    from cadre_desk.liaison import liaison
    from tests.test_practices import make_world
    from ui.care.care_view import CarePage
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    posting = make_world()["posting"]
    liaison.assign([posting], "李建平", "干部一科")
    page = CarePage(AppContext(None))
    qtbot.addWidget(page)
    page.liaison_list.reload()
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)  # the lists are read off the GUI thread
    page.liaison_list.table.selectRow(0)  # the list shows 李建平
    (shown,) = liaison.list_liaisons()
    liaison.assign([posting], "王海燕", "干部二科", read={posting: shown.version})  # another clerk, meanwhile
    boxes.answers = ["取消包抓", "重新载入对方的修改"]
    page.unassign()
    assert sorted(boxes.shown[-1][2]) == sorted(["重新载入对方的修改", "仍然取消包抓", "取消"])
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    assert [r.contact_name for r in page.liaison_list.model.rows] == ["王海燕"]  # theirs, shown; kept
    page.liaison_list.table.selectRow(0)
    boxes.answers = ["取消包抓"]
    page.unassign()  # as now listed: taken off once confirmed
    assert not liaison.list_liaisons()[0].assigned


def test_deleting_a_sheet_another_scored_since_the_grid_was_loaded_asks(qtbot, sheet_tab, boxes):  # noqa: F811
    from cadre_desk.appraisal import appraisals

    tab, made = sheet_tab
    _zhao_scores(made, 90)
    boxes.answers = ["删除", "重新载入对方的修改"]
    tab.delete_sheet()
    assert sorted(boxes.shown[-1][2]) == sorted(DELETE_BUTTONS) and ZHAO in boxes.shown[-1][1]
    assert tab.model.data(tab.model.index(0, tab.model.first_score_column)) == "90"  # kept, their score shown
    boxes.answers = ["删除"]
    tab.delete_sheet()  # as now shown: deleted once confirmed
    assert appraisals.list_sheets() == []


def test_the_security_settings_dialog_asks_before_reverting_another_change(qtbot, context, admins, boxes):  # noqa: F811
    from cadre_desk.security import accounts
    from ui.security.users_view import SecuritySettingsDialog

    dialog = SecuritySettingsDialog()
    qtbot.addWidget(dialog)
    _li(admins, lambda: accounts.save_security_settings({**accounts.security_settings(), "security.idle_minutes": 5}))
    dialog.spins["backup.keep_daily"].setValue(30)
    boxes.answers = ["取消"]
    dialog.accept()
    assert LI in boxes.shown[-1][1] and "安全与备份设置" in boxes.shown[-1][1]
    assert accounts.security_settings()["backup.keep_daily"] != 30  # 取消: nothing written
    boxes.answers = ["仍然保存我的修改"]
    dialog.accept()
    assert accounts.security_settings()["backup.keep_daily"] == 30


# ---- 删除干部 in the profile window --------------------------------------------------------------

def test_deleting_a_profile_another_saved_since_the_window_read_it_asks(qtbot, clerk_context, boxes):  # noqa: F811
    """The profile window's 删除干部 of a file another saved since said 「保存冲突」 with one 重新载入 button;
    it asks as every delete does: 重新载入对方的修改 (kept, shown as they saved it) / 仍然删除 / 取消."""
    from cadre_desk.profiles import cadres
    from tests.test_concurrent_edits_ui import _profile_dialog, _zhao_changes_profile

    context, cadre = clerk_context  # noqa: F811 - the clerk's, not the fixture
    dialog = _profile_dialog(qtbot, context, cadre.id)
    _zhao_changes_profile(cadre.id, position="科长")
    boxes.answers = ["删除", "取消"]
    assert dialog.delete() is False
    title, text, buttons = boxes.shown[-1]
    assert title == "删除干部" and sorted(buttons) == sorted(DELETE_BUTTONS)
    assert text.startswith(f"在您上次看到之后，王档案的档案已被 {ZHAO} 于 ") and "不删除" in text
    assert dialog.cells["position"].editor.value() == "科员" and dialog.isVisible()  # 取消: as it was
    boxes.answers = ["删除", "重新载入对方的修改"]
    assert dialog.delete() is False
    assert dialog.cells["position"].editor.value() == "科长" and cadres.count() == 1  # theirs, shown
    _zhao_changes_profile(cadre.id, position="副科长")
    boxes.answers = ["删除", "仍然删除"]
    assert dialog.delete() is True
    assert cadres.count() == 0 and not dialog.isVisible()
