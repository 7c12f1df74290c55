"""Sending a large group a 提醒单 (政治体检 下发, 补发) or creating a 考核表 for one, or adding people to
one: progress is reported step by step, and a 取消 leaves nothing half-done (one transaction: no round,
no sheet, no member, no audit line)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from cadre_desk.domain.errors import Cancelled
from cadre_desk.domain.progress import CancelToken, Progress


def _cancel_after(steps: int) -> tuple[Progress, list]:
    """A fake progress that records each report and cancels once ``steps`` reports have come."""
    token = CancelToken()
    seen: list[tuple[int, int, str]] = []

    def report(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        if len(seen) >= steps:
            token.cancel()

    return Progress(report, token), seen


def _audit_lines() -> int:
    from cadre_desk.store.models import AuditLog

    return AuditLog.select().count()


def _draft(world):
    from cadre_desk.checkups import checkups
    from cadre_desk.domain import clock

    year, quarter = checkups.quarter_of(clock.today())
    return checkups.RoundDraft(year, quarter, "提醒单", clock.today_yyyymmdd(), clock.today_yyyymmdd(),
                               list(world["ids"].values()), "全体")


def test_issue_round_reports_each_step_and_a_cancel_issues_nothing(world, monkeypatch):
    from cadre_desk.checkups import checkups
    from cadre_desk.store.checkup_models import CheckupRound, CheckupSheet

    monkeypatch.setattr(checkups, "SHEETS_PER_STEP", 1)
    before = _audit_lines()
    progress, seen = _cancel_after(3)  # checked, one sheet written, then 取消
    with pytest.raises(Cancelled):
        checkups.issue_round(_draft(world), progress)
    assert CheckupRound.select().count() == 0 and CheckupSheet.select().count() == 0
    assert _audit_lines() == before
    assert [(d, t) for d, t, _ in seen] == [(0, 4), (0, 4), (1, 4)]
    progress, seen = _cancel_after(99)
    issued = checkups.issue_round(_draft(world), progress)
    assert issued.issued == 4 and seen[-1][:2] == (4, 4) and "4 / 4" in seen[-1][2]


def test_create_sheet_reports_each_step_and_a_cancel_creates_nothing(world, monkeypatch):
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.store.appraisal_models import AppraisalSheet, SheetMember

    monkeypatch.setattr(appraisals, "MEMBERS_PER_STEP", 1)
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    ids = list(world["ids"].values())
    before = _audit_lines()
    progress, seen = _cancel_after(4)
    with pytest.raises(Cancelled):
        appraisals.create_sheet("2025年度考核", "2025", scheme.id, ids, progress=progress)
    assert AppraisalSheet.select().count() == 0 and SheetMember.select().count() == 0
    assert _audit_lines() == before
    progress, seen = _cancel_after(99)
    sheet = appraisals.create_sheet("2025年度考核", "2025", scheme.id, ids, progress=progress)
    assert sheet.members == 4 and [d for d, _t, _s in seen] == [0, 0, 1, 2, 3, 4]


def _wait_for_cancel(real):
    """The service, held until the user has pressed 取消 (a group too large to finish first)."""
    def held(*args, progress, **kwargs):
        deadline = time.monotonic() + 10
        while not progress.token.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args, progress=progress, **kwargs)
    return held


def test_new_sheet_runs_through_the_task_runner_and_can_be_cancelled(qtbot, world, monkeypatch):
    from cadre_desk.appraisal import appraisals
    from cadre_desk.store.appraisal_models import AppraisalSheet
    from ui.appraisal.sheet_dialogs import NewSheetDialog
    from ui.shell.context import AppContext

    context = AppContext(None)
    monkeypatch.setattr(appraisals, "create_sheet", _wait_for_cancel(appraisals.create_sheet))
    dialog = NewSheetDialog(context, selection=list(world["ids"].values()))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.period.setText("2025")
    _cancel_then_finish(qtbot, dialog, monkeypatch, lambda: AppraisalSheet.select().count() == 0)
    assert dialog.created is not None and dialog.created.members == 4


def test_issue_runs_through_the_task_runner_and_can_be_cancelled(qtbot, world, monkeypatch):
    from cadre_desk.checkups import checkups
    from cadre_desk.store.checkup_models import CheckupRound
    from ui.checkups.checkup_dialogs import PICKED, IssueDialog
    from ui.shell.context import AppContext

    context = AppContext(None)
    real = checkups.issue_round
    monkeypatch.setattr(checkups, "issue_round", lambda draft, progress: _wait_for_cancel(
        lambda *a, progress, **k: real(*a, progress))(draft, progress=progress))
    dialog = IssueDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.group.setCurrentText(PICKED)
    dialog.picked = list(world["ids"].values())
    _cancel_then_finish(qtbot, dialog, monkeypatch, lambda: CheckupRound.select().count() == 0)
    assert dialog.result_value.issued == 4


def test_add_cadres_reports_each_step_and_a_cancel_adds_nobody(world, monkeypatch):
    from cadre_desk.checkups import checkups
    from cadre_desk.store.checkup_models import CheckupSheet

    ids = list(world["ids"].values())
    issued = checkups.issue_round(dataclasses.replace(_draft(world), cadre_ids=ids[:1]))
    monkeypatch.setattr(checkups, "SHEETS_PER_STEP", 1)
    before = _audit_lines()
    progress, seen = _cancel_after(3)  # checked, one sheet written, then 取消
    with pytest.raises(Cancelled):
        checkups.add_cadres(issued.round.id, ids, progress)
    assert CheckupSheet.select().count() == 1 and _audit_lines() == before
    assert [(d, t) for d, t, _ in seen] == [(0, 4), (0, 3), (1, 3)] and "补发" in seen[-1][2]
    progress, seen = _cancel_after(99)
    added = checkups.add_cadres(issued.round.id, ids, progress)
    assert added.issued == 3 and CheckupSheet.select().count() == 4 and seen[-1][:2] == (3, 3)


def test_add_members_reports_each_step_and_a_cancel_adds_nobody(world, monkeypatch):
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.store.appraisal_models import SheetMember

    monkeypatch.setattr(appraisals, "MEMBERS_PER_STEP", 1)
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    ids = list(world["ids"].values())
    sheet = appraisals.create_sheet("2025年度考核", "2025", scheme.id, ids[:1])
    before = _audit_lines()
    progress, seen = _cancel_after(3)
    with pytest.raises(Cancelled):
        appraisals.add_members(sheet.id, ids, progress)
    assert SheetMember.select().count() == 1 and _audit_lines() == before
    progress, seen = _cancel_after(99)
    assert appraisals.add_members(sheet.id, ids, progress) == 3
    assert SheetMember.select().count() == 4 and [d for d, _t, _s in seen] == [0, 0, 1, 2, 3]


def _pick(dialog, ids) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidgetItem

    for cadre_id in ids:
        item = QListWidgetItem(str(cadre_id))
        item.setData(Qt.UserRole, cadre_id)
        dialog.chosen.addItem(item)


def _cancel_then_finish(qtbot, dialog, monkeypatch, nothing_saved) -> None:
    """OK, Esc while the save runs (ignored), 取消 in the progress dialog (``nothing_saved()`` then holds),
    OK again to the end."""
    dialog.accept()
    assert dialog.saving is not None and not dialog.buttons.isEnabled()
    dialog.reject()  # Esc while it runs: the dialog waits for the save
    assert dialog.isVisible()
    dialog.saving.cancel()  # 取消 in the progress dialog
    qtbot.waitUntil(lambda: dialog.saving is None, timeout=10000)
    assert dialog.isVisible() and dialog.result_value is None and dialog.buttons.isEnabled()
    assert dialog.error_text("") == "已取消，未作任何更改。"
    assert nothing_saved()
    monkeypatch.undo()
    dialog.accept()  # again, to the end
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)


def test_add_members_runs_through_the_task_runner_and_can_be_cancelled(qtbot, world, monkeypatch):
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.store.appraisal_models import SheetMember
    from ui.appraisal.sheet_dialogs import AddMembersDialog
    from ui.shell.context import AppContext

    ids = list(world["ids"].values())
    sheet = appraisals.create_sheet("2025年度考核", "2025", schemes.list_schemes()[0].id, ids[:1])
    real = appraisals.add_members
    monkeypatch.setattr(appraisals, "add_members", lambda sheet_id, cadre_ids, progress: _wait_for_cancel(
        lambda *a, progress, **k: real(*a, progress))(sheet_id, cadre_ids, progress=progress))
    dialog = AddMembersDialog(None, sheet.id, AppContext(None))
    qtbot.addWidget(dialog)
    dialog.show()
    _pick(dialog, ids[1:])
    _cancel_then_finish(qtbot, dialog, monkeypatch, lambda: SheetMember.select().count() == 1)
    assert dialog.result_value == 3 and SheetMember.select().count() == 4


def test_add_cadres_runs_through_the_task_runner_and_can_be_cancelled(qtbot, world, monkeypatch):
    from cadre_desk.checkups import checkups
    from cadre_desk.store.checkup_models import CheckupSheet
    from ui.checkups.checkup_dialogs import AddCadresDialog
    from ui.shell.context import AppContext

    ids = list(world["ids"].values())
    issued = checkups.issue_round(dataclasses.replace(_draft(world), cadre_ids=ids[:1]))
    real = checkups.add_cadres
    monkeypatch.setattr(checkups, "add_cadres", lambda round_id, cadre_ids, progress: _wait_for_cancel(
        lambda *a, progress, **k: real(*a, progress))(round_id, cadre_ids, progress=progress))
    dialog = AddCadresDialog(None, issued.round.id, AppContext(None))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "补发提醒单"
    _pick(dialog, ids)
    _cancel_then_finish(qtbot, dialog, monkeypatch, lambda: CheckupSheet.select().count() == 1)
    assert dialog.result_value.issued == 3 and CheckupSheet.select().count() == 4


def test_the_checkups_page_adds_through_the_dialog_and_says_how_many(qtbot, world, boxes):
    from cadre_desk.checkups import checkup_sheets, checkups
    from tests.conftest import answer_dialog
    from ui.checkups.checkups_view import CheckupsPage
    from ui.shell.context import AppContext

    ids = list(world["ids"].values())
    issued = checkups.issue_round(dataclasses.replace(_draft(world), cadre_ids=ids[:1]))
    page = CheckupsPage(AppContext(None))
    qtbot.addWidget(page)
    page.round_box.setCurrentIndex(page.round_box.findData(issued.round.id))

    def add(dialog):
        _pick(dialog, ids)
        dialog.accept()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    answer_dialog(qtbot, page.add_cadres, add)
    assert boxes.shown[-1][0] == "补发提醒单" and len(checkup_sheets.missing(issued.round.id)) == 4
