"""Every form of the program (each FormDialog that asks before closing), opened on the test database and left
untouched: once it has shown and whatever it reads later has come, it holds no changes — Esc closes it
without a question, and leaving the program does not name it. A form that fills its fields after it shows
calls ``remember_fields()`` once they are filled; one that does not would ask about what the user never
typed. A new form is built here too (test_every_form_is_audited)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402


def _day(days: int = 0) -> str:
    import datetime as _dt

    from cadre_desk.domain import clock, dates

    return dates.format_date(clock.today() + _dt.timedelta(days=days))


@pytest.fixture
def things(home_world):
    """home_world, with a 年度考核 sheet, a 政治体检 round with its sheets, a 专业干部库 with a member, a care
    item, a talk, a supervision record and a 实绩 record of 钱二, a 帮带 log."""
    from cadre_desk.appraisal import appraisals, records, schemes
    from cadre_desk.appraisal.scoring import current_period
    from cadre_desk.care import care_items, talks
    from cadre_desk.checkups import checkup_sheets, checkups
    from cadre_desk.domain import clock
    from cadre_desk.mentoring import meeting_logs
    from cadre_desk.postings import frontline_posts, postings
    from cadre_desk.store.care_models import CARE_KINDS, SUPERVISION_KINDS, SUPERVISION_SOURCES
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools

    w = dict(home_world)
    people = w["people"]
    ids = [people["钱一"], people["钱二"], people["钱三"]]
    scheme = schemes.list_schemes()[0]
    sheet = appraisals.create_sheet("年度考核", str(clock.today().year), scheme.id, ids)
    w["sheet_data"] = appraisals.load_sheet(sheet.id)
    year = clock.today().year
    issued = checkups.issue_round(checkups.RoundDraft(year, (clock.today().month - 1) // 3 + 1, "季度政治体检",
                                                      _day(), _day(30), ids))
    w["round"] = issued.round
    w["checkup_sheets"] = checkup_sheets.search().rows
    pool = pools.save_pool(pools.PoolInfo(None, "经济管理"))
    pools.add_members(pool.id, ids[:1])
    w["pool"] = pools.get_pool(pool.id)
    w["member"] = pools.list_members(pool.id)[0]
    qian = people["钱二"]
    w["talk"] = talks.save_talk(talks.TalkInfo(None, qian, _day(-3), "刘志刚", topics="工作打算", follow_up="跟进"))
    w["care"] = care_items.save_care(care_items.CareInfo(None, qian, CARE_KINDS[0], _day(-5), content="看望"))
    w["supervision"] = supervision.save_record(supervision.SupervisionInfo(
        None, qian, SUPERVISION_KINDS[0], SUPERVISION_SOURCES[0], _day(-7), "群众来信反映", outcome="已核实"))
    w["record"] = records.save_record(records.RecordInfo(None, qian, "季检查", current_period("季检查"),
                                                         "完成招商项目两个"))
    w["log"] = meeting_logs.add_log(w["pair"].id, _day(-2), "现场指导", "谈项目进展", "下月再谈")
    w["line"] = frontline_posts.list_lines()[0]
    w["posting_soon"] = postings.get_posting(w["soon"].id)
    w["posting_done"] = postings.get_posting(w["done"].id)
    return w


def _context():
    from ui.shell.context import AppContext

    return AppContext()


def _builders():
    """Class name (module.Class) → build(things, context): the form as the program opens it."""
    from cadre_desk.liaison import liaison
    from cadre_desk.mentoring import mentoring
    from cadre_desk.units import units

    def pair(w):
        return mentoring.get_pair(w["pair"].id)

    def unit(w):
        return units.get_unit(w["finance"].id)

    edits = {  # the same forms on a stored record: what they load, they opened with
        "ui.care.care_dialogs.CareDialog/edit": lambda w, c: _m("ui.care.care_dialogs").CareDialog(c, w["care"]),
        "ui.care.care_dialogs.TalkDialog/edit": lambda w, c: _m("ui.care.care_dialogs").TalkDialog(c, w["talk"]),
        "ui.supervision.supervision_view.SupervisionDialog/edit": lambda w, c: _m("ui.supervision.supervision_view")
        .SupervisionDialog(c, w["supervision"]),
        "ui.appraisal.records_tab.RecordDialog/edit": lambda w, c: _m("ui.appraisal.records_tab").RecordDialog(
            w["record"].cadre_id, w["record"]),
        "ui.mentoring.log_dialogs.LogDialog/edit": lambda w, c: _m("ui.mentoring.log_dialogs").LogDialog(
            pair(w), w["log"]),
        "ui.postings.line_post_dialogs.LineDialog/edit": lambda w, c: _m("ui.postings.line_post_dialogs")
        .LineDialog(w["line"]),
        "ui.postings.line_post_dialogs.PostDialog/edit": lambda w, c: _m("ui.postings.line_post_dialogs")
        .PostDialog(w["village"]),
        "ui.units.unit_dialogs.UnitDialog/new": lambda w, c: _m("ui.units.unit_dialogs").UnitDialog(
            parent_unit=unit(w)),
        "ui.postings.posting_dialogs.NewPostingDialog/empty": lambda w, c: _m("ui.postings.posting_dialogs")
        .NewPostingDialog(c),
    }
    return edits | {
        "ui.appraisal.behaviour_tab.ItemDialog": lambda w, c: _m("ui.appraisal.behaviour_tab").ItemDialog("新增表现项目"),
        "ui.appraisal.behaviour_tab.CatalogDialog": lambda w, c: _m("ui.appraisal.behaviour_tab").CatalogDialog(c),
        "ui.appraisal.behaviour_tab.EntryDialog": lambda w, c: _m("ui.appraisal.behaviour_tab").EntryDialog(
            w["people"]["钱二"]),
        "ui.appraisal.records_tab.RecordDialog": lambda w, c: _m("ui.appraisal.records_tab").RecordDialog(
            w["people"]["钱二"]),
        "ui.appraisal.sheet_dialogs.OverrideDialog": lambda w, c: _m("ui.appraisal.sheet_dialogs").OverrideDialog(
            w["sheet_data"], w["sheet_data"].members[0]),
        "ui.appraisal.sheet_dialogs.NewSheetDialog": lambda w, c: _m("ui.appraisal.sheet_dialogs").NewSheetDialog(c),
        "ui.care.care_dialogs.IntervalDialog": lambda w, c: _m("ui.care.care_dialogs").IntervalDialog(),
        "ui.care.care_dialogs.CareDialog": lambda w, c: _m("ui.care.care_dialogs").CareDialog(
            c, cadre_id=w["people"]["钱二"]),
        "ui.care.care_dialogs.TalkDialog": lambda w, c: _m("ui.care.care_dialogs").TalkDialog(
            c, cadre_id=w["people"]["钱二"]),
        "ui.care.care_dialogs.AssignDialog": lambda w, c: _m("ui.care.care_dialogs").AssignDialog(
            liaison.list_liaisons()),
        "ui.checkups.checkup_dialogs.ResultDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").ResultDialog(
            w["checkup_sheets"][0]),
        "ui.checkups.checkup_dialogs.ItemsDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").ItemsDialog(),
        "ui.checkups.checkup_dialogs.IssueDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").IssueDialog(c),
        "ui.checkups.checkup_dialogs.RoundDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").RoundDialog(
            w["round"]),
        "ui.checkups.checkup_dialogs.ItemDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").ItemDialog(),
        "ui.checkups.checkup_dialogs.CleanDialog": lambda w, c: _m("ui.checkups.checkup_dialogs").CleanDialog(
            w["checkup_sheets"]),
        "ui.exchange.import_rows.UnitDialog": lambda w, c: _m("ui.exchange.import_rows").UnitDialog(3),
        "ui.mentoring.log_dialogs.EvaluationDialog": lambda w, c: _m("ui.mentoring.log_dialogs").EvaluationDialog(
            pair(w)),
        "ui.mentoring.log_dialogs.LogDialog": lambda w, c: _m("ui.mentoring.log_dialogs").LogDialog(pair(w)),
        "ui.mentoring.pair_dialogs.PairDialog": lambda w, c: _m("ui.mentoring.pair_dialogs").PairDialog(
            c, w["people"]["钱一"]),
        "ui.mentoring.pair_dialogs.TerminateDialog": lambda w, c: _m("ui.mentoring.pair_dialogs").TerminateDialog(
            pair(w)),
        "ui.mentoring.pair_dialogs.EndDateDialog": lambda w, c: _m("ui.mentoring.pair_dialogs").EndDateDialog(
            pair(w)),
        "ui.mentoring.pair_dialogs.EditPairDialog": lambda w, c: _m("ui.mentoring.pair_dialogs").EditPairDialog(
            pair(w)),
        "ui.mentoring.settings_dialog.SettingsDialog": lambda w, c: _m("ui.mentoring.settings_dialog").SettingsDialog(),
        "ui.postings.line_post_dialogs.PostDialog": lambda w, c: _m("ui.postings.line_post_dialogs").PostDialog(),
        "ui.postings.line_post_dialogs.LineDialog": lambda w, c: _m("ui.postings.line_post_dialogs").LineDialog(),
        "ui.postings.posting_dialogs.ReviewDialog": lambda w, c: _m("ui.postings.posting_dialogs").ReviewDialog(
            c, w["posting_done"]),
        "ui.postings.posting_dialogs.BatchPostDialog": lambda w, c: _m("ui.postings.posting_dialogs").BatchPostDialog(
            c, [w["people"]["钱二"], w["people"]["钱三"]], w["team"].id),
        "ui.postings.posting_dialogs.StartDialog": lambda w, c: _m("ui.postings.posting_dialogs").StartDialog(
            w["posting_soon"]),
        "ui.postings.posting_dialogs.CorrectDialog": lambda w, c: _m("ui.postings.posting_dialogs").CorrectDialog(
            c, w["posting_soon"]),
        "ui.postings.posting_dialogs.RecallDialog": lambda w, c: _m("ui.postings.posting_dialogs").RecallDialog(
            w["posting_soon"]),
        "ui.postings.posting_dialogs.NewPostingDialog": lambda w, c: _m("ui.postings.posting_dialogs")
        .NewPostingDialog(c, w["people"]["钱二"], w["village"].id),
        "ui.security.users_view.UserDialog": lambda w, c: _m("ui.security.users_view").UserDialog(None),
        "ui.security.users_view.SecuritySettingsDialog": lambda w, c: _m("ui.security.users_view")
        .SecuritySettingsDialog(),
        "ui.settings.settings_view.DepartmentDialog": lambda w, c: _m("ui.settings.settings_view").DepartmentDialog(),
        "ui.shell.server_link.ConnectDialog": lambda w, c: _m("ui.shell.server_link").ConnectDialog(open_now=False),
        "ui.supervision.supervision_view.SupervisionDialog": lambda w, c: _m("ui.supervision.supervision_view")
        .SupervisionDialog(c),
        "ui.talent.talent_view.PoolDialog": lambda w, c: _m("ui.talent.talent_view").PoolDialog(w["pool"]),
        "ui.talent.talent_view.PoolsDialog": lambda w, c: _m("ui.talent.talent_view").PoolsDialog(),
        "ui.talent.talent_view.AddMembersDialog": lambda w, c: _m("ui.talent.talent_view").AddMembersDialog(
            c, w["pool"], [w["people"]["钱二"]]),
        "ui.talent.talent_view.MemberDialog": lambda w, c: _m("ui.talent.talent_view").MemberDialog(w["member"]),
        "ui.talent.talent_view.RemoveMembersDialog": lambda w, c: _m("ui.talent.talent_view").RemoveMembersDialog(
            [w["member"]]),
        "ui.units.unit_dialogs.UnitDialog": lambda w, c: _m("ui.units.unit_dialogs").UnitDialog(unit=unit(w)),
        "ui.units.unit_dialogs.StaffingDialog": lambda w, c: _m("ui.units.unit_dialogs").StaffingDialog(unit(w)),
        "ui.units.unit_dialogs.MoveDialog": lambda w, c: _m("ui.units.unit_dialogs").MoveDialog(
            unit(w), units.list_units()),
        "ui.talent.pool_import_dialog.PoolImportDialog": lambda w, c: _m("ui.talent.pool_import_dialog")
        .PoolImportDialog(_m("cadre_desk.talent.pool_import").ImportPlan("名单.xlsx", "Sheet1")),
    }


# Forms not built here, and why (each still asks before closing, checked by its own tests).
NOT_BUILT = {
    "ui.widgets.record_list.CatalogueDialog": "a base: built as its subclasses PoolsDialog and ItemsDialog",
    "ui.widgets.record_list.CatalogueEntryDialog": "a base: built as its subclasses PoolDialog and ItemDialog",
}


def _m(name: str):
    return importlib.import_module(name)


def _forms() -> list[str]:
    """Every FormDialog subclass of the program that asks before closing."""
    import ui
    from ui.widgets.form_dialog import FormDialog

    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(module.name)
    found, todo = set(), [FormDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ui.") and sub.asks_before_closing:
                found.add(f"{sub.__module__}.{sub.__qualname__}")
    return sorted(found)


def test_every_form_is_audited():
    built = {name.split("/")[0] for name in _builders()}
    missing = [name for name in _forms() if name not in built and name not in NOT_BUILT]
    assert not missing, f"forms neither built by this test nor named in NOT_BUILT: {missing}"


def _open_untouched(qtbot, dialog, context) -> None:
    """``dialog`` shown, and what it reads off the GUI thread come and put into its fields."""
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    qtbot.waitExposed(dialog)
    context.tasks.wait_all(10000)
    qtbot.wait(300)  # the results delivered (and a read begun once the form has painted)
    context.tasks.wait_all(10000)
    qtbot.wait(50)


@pytest.mark.parametrize("name", sorted(_builders()))
def test_an_untouched_form_has_no_changes_and_esc_closes_it(qtbot, boxes, things, name):
    context = _context()
    dialog = _builders()[name](things, context)
    assert f"{type(dialog).__module__}.{type(dialog).__qualname__}" == name.split("/")[0]
    _open_untouched(qtbot, dialog, context)
    assert not dialog.has_changes(), f"{name} opened untouched has changes: {_changed(dialog)}"
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not boxes.shown, boxes.shown


def test_the_audit_sees_a_form_that_fills_its_fields_late(qtbot, boxes, db):
    """A form filling a field from a worker after it shows: untouched, it has changes — unless it calls
    remember_fields() once filled (as every form above would have to)."""
    from PySide6.QtWidgets import QLineEdit

    from ui.widgets.form_dialog import FormDialog

    class Late(FormDialog):
        title = "读取后填写"

        def __init__(self, context, remember: bool):
            super().__init__()
            self.context, self.remember = context, remember
            self.name = self.add_field("name", "名称：", QLineEdit())

        def showEvent(self, event):  # noqa: N802 - Qt override
            super().showEvent(event)
            self.context.tasks.start(lambda _p: "读到的名称", on_done=self.filled)

        def filled(self, value: str) -> None:
            self.name.setText(value)
            if self.remember:
                self.remember_fields()

    for remember in (False, True):
        context = _context()
        dialog = Late(context, remember)
        _open_untouched(qtbot, dialog, context)
        assert dialog.name.text() == "读到的名称"
        assert dialog.has_changes() is not remember


def _changed(dialog) -> list[str]:
    """The fields that differ from what the form opened with: (kind, then, now), for the failure's message."""
    from PySide6.QtWidgets import QWidget

    from ui.widgets.form_dialog import field_state

    return [(type(w).__name__, then, field_state(w)) for w, then in dialog._opened.items()
            if isinstance(w, QWidget) and field_state(w) != then]
