"""定稿 with other pages open (as the window keeps them: one shown at a time). The pages not shown are not
reloaded on the GUI thread by the change; each reloads when it is shown, and shows what is there then."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QStackedWidget  # noqa: E402

from tests.conftest import make_profile  # noqa: E402


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


def test_finalize_reloads_hidden_pages_only_when_shown(qtbot, context, unit, monkeypatch, boxes):
    from cadre_desk.appraisal import appraisals
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.mentoring import mentoring_view
    from ui.postings import postings_view
    from ui.units import units_view

    for i in range(5):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    stack = QStackedWidget()  # as the window holds its pages
    qtbot.addWidget(stack)
    stack.resize(1400, 800)
    mentoring_page = mentoring_view.MentoringPage(context)
    postings_page = postings_view.PostingsPage(context)
    units_page = units_view.UnitsPage(context)
    appraisal_page = AppraisalPage(context)
    for page in (mentoring_page, postings_page, units_page, appraisal_page):
        stack.addWidget(page)
    stack.setCurrentWidget(appraisal_page)
    stack.show()
    qtbot.waitExposed(stack)
    qtbot.waitUntil(lambda: not postings_page.loading)
    tab = appraisal_page.show_sheet_tab()

    _scored_sheet(qtbot, context, tab, unit.id)

    reads = {"mentoring": 0, "postings": 0, "units": 0}

    def counting(key, real):
        def wrapper(*args, **kwargs):
            reads[key] += 1
            return real(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(mentoring_view.mentoring, "mentor_loads", counting("mentoring", mentoring_view.mentoring.mentor_loads))
    monkeypatch.setattr(postings_view.postings, "visible_postings", counting("postings", postings_view.postings.visible_postings))
    monkeypatch.setattr(units_view.staffing, "staffing_table", counting("units", units_view.staffing.staffing_table))
    new_unit = units.create_unit("市审计局", unit.parent_id)  # made meanwhile, no signal of its own

    tab.finalize()
    qtbot.waitUntil(lambda: tab.finalize_task.finished and tab.model.data_.sheet.finalized)
    qtbot.wait(50)
    # the sheet shown: 已定稿, read only
    assert appraisals.list_sheets()[0].finalized
    assert "已定稿" in tab.info.text() and tab.hint.text().startswith("已定稿，只读")
    assert not (tab.model.flags(tab.model.index(0, tab.model.first_score_column)) & Qt.ItemIsEditable)
    assert not tab.finalize_button.isEnabled()
    # the pages not shown did not read anything
    assert reads == {"mentoring": 0, "postings": 0, "units": 0}

    # shown: each reads once and shows what is there now
    stack.setCurrentWidget(mentoring_page)
    assert reads["mentoring"] == 1
    assert mentoring_page.unit_box.findData(new_unit.id) >= 0
    stack.setCurrentWidget(postings_page)
    qtbot.waitUntil(lambda: not postings_page.loading)
    assert reads["postings"] == 1
    stack.setCurrentWidget(units_page)
    assert reads["units"] == 1
    # shown again with nothing changed: nothing read again
    stack.setCurrentWidget(mentoring_page)
    assert reads == {"mentoring": 1, "postings": 1, "units": 1}


def test_finalize_reads_the_changed_roster_rows_off_the_gui_thread(qtbot, context, unit, monkeypatch, boxes):
    import threading

    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadre_list import CadreIndex
    from ui.appraisal.appraisal_view import AppraisalPage

    ids = [cadres.save_profile(make_profile(unit.id, name=f"干部{i}")).profile.id for i in range(5)]
    context.index = CadreIndex.load()
    before = {cadre_id: context.index.row(cadre_id)[-1] for cadre_id in ids}  # each row ends with the version
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    page.show()
    tab = page.show_sheet_tab()
    _scored_sheet(qtbot, context, tab, unit.id)

    on_gui_thread = []
    real = cadres.list_rows

    def list_rows(*args, **kwargs):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)
    monkeypatch.setattr(cadres, "list_rows", list_rows)
    changed = []
    context.cadres_changed.connect(changed.append)
    tab.finalize()
    qtbot.waitUntil(lambda: tab.finalize_task.finished and bool(changed))
    assert on_gui_thread == [False]  # read once, in the background job
    assert sorted(changed[0]) == sorted(ids)
    # the roster's rows are those of the profiles now (a copy opened before cannot be saved over them)
    assert all(context.index.row(cadre_id)[-1] == before[cadre_id] + 1 for cadre_id in ids)
    assert all(cadres.get_profile(cadre_id).version == before[cadre_id] + 1 for cadre_id in ids)


def test_a_shown_page_reloads_through_the_task_runner_after_a_change_elsewhere(qtbot, context, unit, monkeypatch):
    import threading

    from cadre_desk.units import units
    from ui.mentoring import mentoring_view

    page = mentoring_view.MentoringPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    on_gui_thread = []
    real = mentoring_view.mentoring.mentor_loads

    def mentor_loads(*args, **kwargs):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)
    monkeypatch.setattr(mentoring_view.mentoring, "mentor_loads", mentor_loads)
    new_unit = units.create_unit("市审计局", unit.parent_id)
    context.cadres_changed.emit([1])  # e.g. a finalized annual sheet
    assert page.unit_box.findData(new_unit.id) < 0  # not read on the GUI thread
    qtbot.waitUntil(lambda: page.unit_box.findData(new_unit.id) >= 0)
    assert on_gui_thread == [False]
    assert page.count_label.text() == "共 0 对"


def _scored_sheet(qtbot, context, tab, unit_id: int) -> int:
    """A unit's 考核表 made through 新建考核表 and scored whole (the first cadre 95, the rest 80), shown."""
    from cadre_desk.appraisal import appraisals, sheet_scores
    from tests.test_appraisal_gui import new_unit_sheet

    sheet_id = new_unit_sheet(qtbot, context, tab, unit_id)
    data = appraisals.load_sheet(sheet_id)
    sheet_scores.set_scores(sheet_id, [
        sheet_scores.ScoreChange(m.cadre_id, r.id, d.id, 95 if i == 0 else 80)
        for i, m in enumerate(data.members) for r in data.scheme.raters for d in data.scheme.dimensions])
    tab.reload_sheets(sheet_id)
    return sheet_id


def test_the_score_grid_is_painted_with_one_call_into_python_per_cell(qtbot, context, unit, boxes):
    """A paint of a big sheet asked the model ≈ 3,400 times (each role of each cell a call from Qt into
    Python); while the 定稿 job ran in the pool each such call could wait for the interpreter, and the
    window stood still 150–300 ms. The delegate's questions of a cell are answered in one call now."""
    import sys

    from PySide6.QtGui import QImage

    from cadre_desk.profiles import cadres
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.appraisal.score_grid import TOTAL, ScoreGridModel
    from ui.widgets.rows_model import ALIGN, BACKGROUND, DISPLAY, FONT, FOREGROUND

    for i in range(5):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    tab = page.show_sheet_tab()
    _scored_sheet(qtbot, context, tab, unit.id)
    grid = tab.grid
    painted = {DISPLAY, ALIGN, FOREGROUND, BACKGROUND, FONT}
    calls = {"from qt": 0, "for a cell": 0}
    real = ScoreGridModel.data

    def data(self, index, role=DISPLAY):
        if role in painted:
            calls["for a cell" if sys._getframe(1).f_code.co_name == "multiData" else "from qt"] += 1
        return real(self, index, role)

    ScoreGridModel.data = data
    try:  # the grid painted (its visible cells) as the window paints it
        grid.viewport().render(QImage(grid.viewport().size(), QImage.Format_ARGB32))
    finally:
        ScoreGridModel.data = real
    assert calls["for a cell"] > 0 and calls["from qt"] == 0, calls
    # what is painted is what data() says: the 总分 column's background and bold font, the scores' text
    model = tab.model
    assert model.data(model.index(0, TOTAL), BACKGROUND) is not None and model.data(model.index(0, TOTAL), FONT).bold()
    assert model.data(model.index(0, model.first_score_column)) == "95"
