"""Sending a large group a 提醒单 (政治体检 下发) or creating a 考核表 for one: progress is reported step by
step, and a 取消 leaves nothing half-done (one transaction: no round, no sheet, no audit line)."""

from __future__ import annotations

import time

import pytest

from cadre_desk.domain.errors import Cancelled
from cadre_desk.domain.progress import CancelToken, Progress
from tests.test_practices import make_world


@pytest.fixture
def world(db):
    return make_world()


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
    dialog.accept()
    assert dialog.saving is not None and not dialog.buttons.isEnabled()
    dialog.reject()  # Esc while it runs: the dialog waits for the save
    assert dialog.isVisible()
    dialog.saving.cancel()  # 取消 in the progress dialog
    qtbot.waitUntil(lambda: dialog.saving is None, timeout=10000)
    assert dialog.isVisible() and dialog.created is None and dialog.buttons.isEnabled()
    assert dialog.error_text("") == "已取消，未作任何更改。"
    assert AppraisalSheet.select().count() == 0
    monkeypatch.undo()
    dialog.accept()  # again, to the end
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
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
    dialog.accept()
    dialog.saving.cancel()
    qtbot.waitUntil(lambda: dialog.saving is None, timeout=10000)
    assert dialog.isVisible() and dialog.error_text("") == "已取消，未作任何更改。"
    assert CheckupRound.select().count() == 0
    monkeypatch.undo()
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result_value.issued == 4
