"""The 实绩考核 window: score a sheet with the keyboard, hit the quota, adjust a grade, finalize."""

from __future__ import annotations

import datetime as _dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from cadre_desk.domain import clock
from tests.conftest import make_profile


@pytest.fixture
def context(db):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


@pytest.fixture
def five(unit):
    from cadre_desk.profiles import cadres

    return [cadres.save_profile(make_profile(unit.id, name=f"干部{i}")).profile.id for i in range(5)]


@pytest.fixture
def messages(boxes):
    """(title, text, buttons) of every message box shown; questions are answered with their first button."""
    return boxes.shown


def _editor(grid):
    """The open cell editor (offscreen windows get no focus, so keys go to it directly)."""
    editors = [w for w in grid.viewport().findChildren(QLineEdit) if w.isVisible()]
    return editors[-1] if editors else None


def _type(grid, text: str) -> None:
    """Type ASCII digits the way a clerk does: the first key opens the editor, Enter commits and moves on."""
    if _editor(grid) is None:
        QTest.keyClick(grid, text[0])
        text = text[1:]
    editor = _editor(grid)
    assert editor is not None
    for ch in text:
        QTest.keyClick(editor, ch)
    QTest.keyClick(editor, Qt.Key_Return)
    QApplication.processEvents()


def test_module_registered(context):
    from ui.shell import registry

    assert any(m.key == "appraisal" and m.title == "实绩考核" and m.order == 50 for m in registry.MODULES)


def test_score_and_finalize_through_window(qtbot, context, unit, five, messages):
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.profiles import cadres
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.appraisal.score_grid import GRADE, TOTAL
    from ui.appraisal.sheet_dialogs import NewSheetDialog, OverrideDialog

    page = AppraisalPage(context)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    tab = page.show_sheet_tab()

    dialog = NewSheetDialog(context, tab)
    dialog.group_kind.setCurrentText("单位")
    dialog.group.setCurrentIndex(dialog.group.findData(unit.id))
    dialog.period.setText("2025")
    assert dialog.count.text() == "共 5 名干部"
    assert dialog.annual.isChecked()
    dialog.accept()  # written through the task runner
    qtbot.waitUntil(lambda: dialog.created is not None)
    tab.reload_sheets(dialog.created.id)
    model, grid = tab.model, tab.grid
    assert model.rowCount() == 5
    cells = model.comment_column - model.first_score_column
    assert cells == 15  # 3 raters × 5 dimensions

    # first cadre by keyboard: type, Enter moves on to the next cell
    grid.setFocus()
    grid.setCurrentIndex(model.index(0, model.first_score_column))
    for _ in range(cells):
        _type(grid, "95")
    assert grid.currentIndex().row() == 1 and grid.currentIndex().column() == model.first_score_column
    assert model.data(model.index(0, TOTAL)) == "95.00"  # as the documents print it
    assert model.data(model.index(0, GRADE)) == "优秀"
    # a bad score is refused with a message and changes nothing
    assert not model.setData(model.index(1, model.first_score_column), "120")
    assert messages and "0–100" in messages[-1][1]

    # the rest through the model (it writes through the service)
    for row, value in ((1, "92"), (2, "80"), (3, "75"), (4, "59.99")):
        for column in range(model.first_score_column, model.comment_column):
            assert model.setData(model.index(row, column), value)
    assert [model.data(model.index(r, GRADE)) for r in range(5)] == ["优秀", "优秀", "称职", "称职", "不称职"]
    assert "优秀 2 人" in tab.summary.text() and "最多 1 人" in tab.summary.text()

    # 定稿 is refused: two 优秀 in five at 20 %
    messages.clear()
    tab.finalize()
    assert messages and messages[-1][0] == "不能定稿" and "优秀等次超过比例" in messages[-1][1]

    # 调整等次 needs a reason
    grid.setCurrentIndex(model.index(1, GRADE))
    override = OverrideDialog(model.data_, model.member(1), tab)
    override.grade.setCurrentIndex(override.grade.findData("称职"))
    messages.clear()
    override.accept()  # refused: the reason is asked for under its field, the dialog stays open
    assert "理由" in override.error_text("reason") and override.result() == 0
    override.reason.setPlainText("经集体研究，按优秀比例调整为称职")
    override.accept()
    tab.load()
    assert model.data(model.index(1, GRADE)) == "称职（调整）"

    model.setData(model.index(0, model.comment_column), "政治坚定，实绩突出")
    assert tab.hint.text().startswith("录入：")
    tab.finalize()  # written off the GUI thread
    qtbot.waitUntil(lambda: tab.finalize_task.finished and tab.model.data_.sheet.finalized)
    sheet = appraisals.list_sheets()[0]
    assert sheet.finalized
    assert not (model.flags(model.index(0, model.first_score_column)) & Qt.ItemIsEditable)
    assert not tab.finalize_button.isEnabled() and not tab.add_button.isEnabled()
    # walk 34: the 录入 hint (type a score, Enter or Tab to the next cell) stayed under a sheet read only
    assert tab.hint.text().startswith("已定稿，只读") and "录入" not in tab.hint.text()
    # when, in the one date format (it read 2026-06-15 09:00:01)
    assert f"已定稿（{clock.today().strftime('%Y.%m.%d')} " in tab.info.text()
    assert cadres.get_profile(five[0]).assessments[0].result == "1"
    assert cadres.get_profile(five[1]).assessments[0].result == "2"
    assert grading.results_for_cadre(five[0])[0].comment == "政治坚定，实绩突出"

    page.tabs.setCurrentWidget(page.ranking_tab)
    page.ranking_tab.reload_sheets()
    ranks = [row.rank for row in page.ranking_tab.model.rows]
    assert ranks == [1, 2, 3, 4, 5]
    # the totals as the 考核表 and the documents give them: 95.00, not 95 (nor 75.9 for 75.90)
    ranking = page.ranking_tab.model
    total = next(i for i, c in enumerate(ranking.columns) if c.key == "total")
    assert [ranking.index(r, total).data() for r in range(5)] == ["95.00", "92.00", "80.00", "75.00", "59.99"]
    assert [model.data(model.index(r, TOTAL)) for r in range(5)] == ["95.00", "92.00", "80.00", "75.00", "59.99"]


def test_other_tabs(qtbot, context, unit, five, messages):
    from cadre_desk.appraisal import records, schemes
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.appraisal.behaviour_tab import EntryDialog
    from ui.appraisal.records_tab import RecordDialog

    page = AppraisalPage(context)
    qtbot.addWidget(page)
    # 实绩档案
    tab = page.records_tab
    shown = tab.picker.results.count()
    tab.picker.search.setText("不存在的人")
    assert tab.picker.results.count() == shown  # no search while typing
    qtbot.waitUntil(lambda: tab.picker.results.count() == 0, timeout=3000)  # one when the typing pauses
    tab.picker.search.clear()
    qtbot.waitUntil(lambda: tab.picker.results.count() == shown, timeout=3000)
    tab.picker.set_cadre(five[0])
    assert tab.picker.cadre_id() == five[0]
    dialog = RecordDialog(five[0], None, tab)
    dialog.kind.setCurrentText("季检查")
    assert dialog.period.text().endswith("季度")
    dialog.content.setPlainText("本季度完成项目协调三次")
    dialog.accept()
    tab.reload()
    assert tab.model.rowCount() == 1 and tab.model.rows[0].kind == "季检查"
    # 正负面清单
    btab = page.behaviour_tab
    entry = EntryDialog(five[0], None, btab, "负面")
    entry.item.setCurrentIndex(entry.item.findText("推诿扯皮"))
    entry.source.setCurrentText("督查通报")
    entry.accept()
    btab.reload()
    assert records.behaviour_counts([five[0]])[five[0]] == (0, 1)
    # 考核方案: the weight sum shows live; a sum other than 100 is refused
    stab = page.schemes_tab
    stab.copy_scheme()
    assert stab.current.name == "年度考核（副本）"
    stab.dims.table.item(0, 1).setText("30")
    assert "应为 100" in stab.dims.sum_label.text()
    messages.clear()
    assert not stab.save()
    assert messages and "合计应为 100" in messages[-1][1]
    stab.dims.table.item(1, 1).setText("10")
    assert "合计：100" in stab.dims.sum_label.text()
    assert stab.save()
    assert schemes.get_scheme(stab.current.id).dimensions[0].weight == 30


def test_profile_tab(qtbot, context, unit, five):
    from cadre_desk.appraisal import appraisals, records, schemes
    from ui.shell import registry

    spec = next(t for t in registry.PROFILE_TABS if t.title == "实绩考核")
    records.save_record(records.RecordInfo(None, five[0], "年考核", "2025", "全年任务完成"))
    appraisals.create_sheet("2025年度考核", "2025", schemes.list_schemes()[0].id, five)
    widget = spec.factory(context, five[0])
    qtbot.addWidget(widget)
    assert widget.results_model.rowCount() == 1 and widget.records_model.rowCount() == 1
    assert [label.text() for label in widget.titles] == [
        "<b>考核鉴定结果</b>（1 条）", "<b>实绩档案</b>（1 条）", "<b>正负面清单</b>（暂无记录）"]


def test_profile_tab_of_a_cadre_with_nothing_says_so(qtbot, context, unit, five):
    """Three empty tables under bare titles: the clerk could not tell "nothing yet" from "not loaded"."""
    from ui.shell import registry

    spec = next(t for t in registry.PROFILE_TABS if t.title == "实绩考核")
    widget = spec.factory(context, five[1])
    qtbot.addWidget(widget)
    assert all("暂无" in label.text() for label in widget.titles)


def test_add_and_remove_members_in_window(qtbot, context, unit, five, messages):
    from PySide6.QtWidgets import QListWidgetItem

    from cadre_desk.appraisal import appraisals, schemes
    from tests.conftest import answer_dialog
    from ui.appraisal.appraisal_view import AppraisalPage

    sheet = appraisals.create_sheet("表", "2025", schemes.list_schemes()[0].id, five[:2])
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    tab = page.show_sheet_tab()
    tab.reload_sheets(sheet.id)

    def pick(dialog):  # 添加人员 runs through the task runner (tests/test_group_progress.py)
        for cadre_id in five[2:4]:
            item = QListWidgetItem(str(cadre_id))
            item.setData(Qt.UserRole, cadre_id)
            dialog.chosen.addItem(item)
        dialog.accept()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    answer_dialog(qtbot, tab.add_members, pick)
    assert tab.model.rowCount() == 4
    tab.grid.setCurrentIndex(tab.model.index(3, 0))
    tab.remove_member()
    assert [m.cadre_id for m in tab.model.data_.members] == five[:3]


def test_scheme_with_three_decimal_weights_shows_and_saves_them_as_stored(qtbot, context, unit, messages):
    """33.334 + 33.333 + 33.333 = 100: shown rounded (33.33 ×3 = 99.99) the scheme could no longer be
    saved, and once in use not even retired (its weights seemed changed)."""
    from cadre_desk.appraisal import schemes
    from ui.appraisal.appraisal_view import AppraisalPage

    scheme = schemes.save_scheme(schemes.SchemeInfo(
        None, 0, "三维度", dimensions=[schemes.WeightedItem("政治", 33.334), schemes.WeightedItem("实绩", 33.333),
                                     schemes.WeightedItem("作风", 33.333)],
        raters=[schemes.WeightedItem("组织部", 100)]))
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    stab = page.schemes_tab
    stab.reload(scheme.id)
    assert stab.current.id == scheme.id
    assert stab.dims.table.item(0, 1).text() == "33.334" and "合计：100" in stab.dims.sum_label.text()
    stab.description.setText("期满考核用")
    messages.clear()
    assert stab.save(), messages
    assert schemes.get_scheme(scheme.id).description == "期满考核用"


def test_behaviour_tab_lists_only_the_newest_entries_of_everyone(qtbot, context, unit, five, monkeypatch):
    from cadre_desk.appraisal import records
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.appraisal.behaviour_tab import BehaviourTab

    items = {i.name: i for i in records.list_behaviour_items()}
    for cadre_id, name, date in ((five[0], "推诿扯皮", "20191101"), (five[1], "主动担当破解难题", "20191102"),
                                 (five[2], "急难险重任务表现突出", "20191103")):
        records.save_behaviour_entry(records.BehaviourEntryInfo(
            None, cadre_id, "", "", date, "领导批示", "说明", item_id=items[name].id))
    monkeypatch.setattr(BehaviourTab, "ALL_LIMIT", 2)
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    tab = page.behaviour_tab
    assert tab.show_all.isChecked() and tab.model.rowCount() == 0  # read when first shown
    page.tabs.setCurrentWidget(tab)
    assert [r.date for r in tab.model.rows] == ["20191103", "20191102"]
    assert tab.title.text().startswith("全部干部：正面 2 条，负面 1 条")
    assert "最近 2 条" in tab.title.text()
    tab.picker.set_cadre(five[0])  # one cadre: every entry of theirs, no limit note
    assert [r.cadre_id for r in tab.model.rows] == [five[0]]
    assert "最近" not in tab.title.text()


def test_missing_entry_reminders_are_read_in_the_background(qtbot, context, unit, five, monkeypatch):
    from cadre_desk.appraisal import records
    from ui.appraisal.appraisal_view import AppraisalPage

    missing = [records.MissingEntry(five[0], "干部0", "驻村工作队", "月上报", "2026-11"),
               records.MissingEntry(five[1], "干部1", "招商小分队", "月上报", "2026-11")]
    monkeypatch.setattr(records, "missing_entries", lambda kind: missing)
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    tab = page.records_tab
    assert "正在" in tab.reminder_label.text()
    qtbot.waitUntil(lambda: tab.reminder_list.count() == 2)
    assert "2 人未填写" in tab.reminder_label.text()
    assert tab.reminder_list.item(0).text() == "干部0　驻村工作队"


def test_appraisal_tabs_read_their_data_when_first_shown(qtbot, context, unit, five):
    from cadre_desk.appraisal import appraisals, schemes
    from ui.appraisal.appraisal_view import AppraisalPage

    sheet = appraisals.create_sheet("表", "2025", schemes.list_schemes()[0].id, five)
    page = AppraisalPage(context)
    qtbot.addWidget(page)
    assert page.sheet_tab.model.rowCount() == 0 and page.ranking_tab.sheet.count() == 0
    tab = page.show_sheet_tab()
    assert tab.sheet.currentData() == sheet.id and tab.model.rowCount() == 5
    page.tabs.setCurrentWidget(page.ranking_tab)
    assert page.ranking_tab.sheet.count() == 1


def test_the_add_members_dialog_reads_a_cadre_line_whole(qtbot, context, unit, five):
    """添加人员: a picker line (姓名 单位职务 出生年月) was cut at 「1988.0」 in a 300-pixel list beside an
    equally wide, unexplained list of the chosen; the picker is the wider side, the chosen list says what
    it is, and the dialog still fits a 1366×768 screen."""
    from PySide6.QtWidgets import QLabel

    from ui.appraisal.sheet_dialogs import AddMembersDialog

    dialog = AddMembersDialog(None, 0, context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.picker.width() > 1.3 * dialog.chosen.width()
    assert dialog.picker.results.width() >= 480
    assert any(label.text().startswith("已选") for label in dialog.findChildren(QLabel))
    assert dialog.width() <= 1366 and dialog.height() <= 700


def test_a_clerk_of_one_unit_makes_a_sheet_for_their_own_cadres(qtbot, context, unit, five):
    """A 经办人 of one unit was offered every unit, the first (another unit) counted with all its cadres
    (共 N 名干部), and 创建 then refused them. Now the units offered are theirs (and those above), and
    a unit, line or post counts only the cadres they may see."""
    from cadre_desk.appraisal import appraisals
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import acting_as
    from ui.appraisal.sheet_dialogs import NewSheetDialog

    top = units.create_unit("东城区")
    own = units.create_unit("区委办", top.id)
    mine = cadres.save_profile(make_profile(own.id, name="本单位干部")).profile.id
    with acting_as("经办人", units=(own.id,)):
        dialog = NewSheetDialog(context, selection=[])
        qtbot.addWidget(dialog)
        offered = [dialog.group.itemData(i) for i in range(dialog.group.count())]
        assert unit.id not in offered and set(offered) == {top.id, own.id}
        assert appraisals.group_members("单位", top.id) == [mine]
        assert appraisals.group_members("单位", unit.id) == []
        dialog.group.setCurrentIndex(offered.index(own.id))
        assert dialog.count.text() == "共 1 名干部"
        created = dialog.save()
        assert created.members == 1
    assert len(five) == 5 and len(appraisals.group_members("单位", unit.id)) == 5  # everyone's, for the admin


def test_a_clerk_sees_the_schemes_read_only_and_is_told_why(qtbot, context, unit):
    """A 经办人 could type into every field of a 考核方案 and tick its scope, while 保存方案 (below the fold)
    was disabled: the typing was lost without a word."""
    from tests.conftest import acting_as
    from ui.appraisal.schemes_tab import READ_ONLY, SchemesTab

    with acting_as("经办人", units=(unit.id,)):
        tab = SchemesTab(context)
        qtbot.addWidget(tab)
        assert tab.current is not None and not tab.save_button.isEnabled()
        assert tab.name.isReadOnly() and tab.description.isReadOnly()
        assert not tab.kind.isEnabled() and not tab.cap.isEnabled() and not tab.retired.isEnabled()
        assert not tab.wording.isEnabled() and not tab.excellent_min.isEnabled()
        assert not tab.scope_categories.item(0).flags() & Qt.ItemIsUserCheckable
        assert not tab.read_only_note.isHidden() and tab.read_only_note.text() == READ_ONLY
        for table in (tab.dims.table, tab.raters.table):  # shrank to one row once nothing else scrolled
            assert table.minimumHeight() >= 5 * table.verticalHeader().defaultSectionSize()
    admin = SchemesTab(context)
    qtbot.addWidget(admin)
    assert not admin.name.isReadOnly() and admin.kind.isEnabled() and admin.read_only_note.isHidden()
    assert admin.scope_categories.item(0).flags() & Qt.ItemIsUserCheckable


def test_a_clerk_is_told_how_many_of_a_post_were_left_out(qtbot, context, unit):
    """新建考核表 for a 岗位 (or 一线) of cadres from several units: a clerk of one unit got only theirs,
    and the others were dropped without a word. The dialog says how many and why (never who)."""
    from cadre_desk.appraisal import appraisals
    from cadre_desk.postings import frontline_posts, posting_data, postings
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import acting_as
    from ui.appraisal.sheet_dialogs import NewSheetDialog

    other = units.create_unit("市税务局")
    mine = [cadres.save_profile(make_profile(unit.id, name=f"本单位{i}")).profile.id for i in range(2)]
    theirs = [cadres.save_profile(make_profile(other.id, name=f"外单位{i}")).profile.id for i in range(3)]
    line = frontline_posts.list_lines()[0]
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="招商专班", capacity=9))
    began = (clock.today() - _dt.timedelta(days=30)).strftime("%Y%m%d")  # arrived: not later than today
    for cadre_id in mine + theirs:
        proposed = postings.create_posting(cadre_id, post.id, "组织选派", began)
        postings.start_posting(proposed.id, proposed.version)
    assert len(appraisals.group_members("岗位", post.id)) == 5
    with acting_as("经办人", units=(unit.id,)):
        dialog = NewSheetDialog(context, selection=[])
        qtbot.addWidget(dialog)
        dialog.group_kind.setCurrentText("岗位")
        dialog.group.setCurrentIndex(dialog.group.findData(post.id))
        assert sorted(dialog.members()) == sorted(mine)
        text = dialog.count.text()
        assert text.startswith("共 2 名干部") and "另有 3 人不在您负责的单位" in text, text
        assert not any(f"外单位{i}" in text for i in range(3))
        dialog.group_kind.setCurrentText("一线")
        dialog.group.setCurrentIndex(dialog.group.findData(line.id))
        assert "另有 3 人" in dialog.count.text()
        dialog.group_kind.setCurrentText("单位")
        dialog.group.setCurrentIndex(dialog.group.findData(unit.id))
        assert dialog.count.text() == "共 2 名干部"


def test_the_administrator_reaches_the_schemes_from_the_tools_menu(qtbot, context, unit, boxes):
    """Only a 系统管理员 may save a 考核方案, and the 系统管理员 sees no 实绩考核 page (no cadre data): the
    schemes could be changed by no one. 工具 → 考核方案… opens the editor for the administrator, and for
    the administrator alone; Enter in 方案名称 does not close it."""
    from cadre_desk.appraisal import schemes
    from tests.conftest import acting_as
    from ui.shell.main_window import MainWindow

    with acting_as("系统管理员"):
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.apply_permissions()
        assert "appraisal" not in [spec.key for spec in window.visible_modules()]
        tools = [a for a in window.menus["工具"].actions() if a.isVisible()]
        action = next((a for a in tools if a.text() == "考核方案…"), None)
        assert action is not None

        def edit(dialog):
            tab = dialog.tab
            tab.new_scheme()
            tab.name.setText("2026年专项实绩考核")
            QTest.keyClick(tab.name, Qt.Key_Return)
            assert dialog.isVisible()
            tab.kind.setCurrentText("专项考核")
            tab.save_button.click()
            dialog.ok_button.click()

        from tests.conftest import answer_dialog

        answer_dialog(qtbot, action.trigger, edit)
        assert "2026年专项实绩考核" in [s.name for s in schemes.list_schemes()]
    with acting_as("经办人", units=(unit.id,)):
        window.apply_permissions()
        assert not any(a.text() == "考核方案…" and a.isVisible() for a in window.menus["工具"].actions())


def test_new_sheet_dialog_offers_the_annual_result_only_for_a_year(qtbot, context, unit, five):
    """The box “定稿后等次写入年度考核结果” was ticked for a quarter's sheet under the 年度考核 scheme."""
    from ui.appraisal.sheet_dialogs import NewSheetDialog

    dialog = NewSheetDialog(context)
    qtbot.addWidget(dialog)
    dialog.scheme.setCurrentIndex(dialog.scheme.findText("年度考核", Qt.MatchStartsWith))
    dialog.period.line.setText("2025年度")
    assert dialog.annual.isEnabled() and dialog.annual.isChecked()
    dialog.period.line.setText("2026年第2季度")
    assert not dialog.annual.isEnabled() and not dialog.annual.isChecked()
    assert dialog.annual.toolTip() == "2026年第2季度不是年度，等次不写入年度考核结果"
    created = dialog.save()
    assert created.period == "2026-Q2" and not created.annual


def test_record_buttons_only_when_they_can_act(qtbot, context, unit, five):
    """实绩档案 offered 新增记录 / 修改 / 删除 to a 查阅人 (who typed a record the save then refused), and 修改 /
    删除 with no record chosen did nothing."""
    from cadre_desk.appraisal import records
    from tests.conftest import acting_as
    from ui.appraisal.records_tab import RecordsTab

    records.save_record(records.RecordInfo(None, five[0], "月上报", "2026.05", "完成项目协调"))
    with acting_as("查阅人", units=(unit.id,)):
        tab = RecordsTab(context)
        qtbot.addWidget(tab)
        tab.picker.set_cadre(five[0])
        assert tab.model.rowCount() == 1
        tab.table.setCurrentIndex(tab.model.index(0, 0))
        assert not any(b.isEnabled() for b in (tab.add_button, tab.edit_button, tab.delete_button))
    with acting_as("经办人", units=(unit.id,)):
        tab = RecordsTab(context)
        qtbot.addWidget(tab)
        assert not tab.add_button.isEnabled() and tab.add_button.toolTip() == "请先在左侧选择干部"  # none chosen
        tab.picker.set_cadre(five[0])
        assert tab.add_button.isEnabled() and not tab.edit_button.isEnabled() and tab.add_button.toolTip() == ""
        tab.table.setCurrentIndex(tab.model.index(0, 0))
        assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()


def test_behaviour_buttons_only_when_they_can_act(qtbot, context, unit, five):
    """正负面清单 offered 记正面清单 / 记负面清单 / 修改 / 删除 to a 查阅人, and 修改 / 删除 with no entry chosen."""
    from cadre_desk.appraisal import records
    from tests.conftest import acting_as
    from ui.appraisal.behaviour_tab import BehaviourTab

    item = next(i for i in records.list_behaviour_items() if i.polarity == "正面")
    when = clock.today().strftime("%Y%m%d")  # valid under every test clock (2020, 2026, 2035)
    records.save_behaviour_entry(records.BehaviourEntryInfo(None, five[0], "正面", item.name, when, "督查通报",
                                                            "受到通报表扬", item_id=item.id))
    for role, may in (("查阅人", False), ("经办人", True)):
        with acting_as(role, units=(unit.id,)):
            tab = BehaviourTab(context)
            qtbot.addWidget(tab)
            assert not any(b.isEnabled() for b in tab.add_buttons + tab.row_buttons)  # 显示全部干部, nothing chosen
            assert all(b.toolTip() == "请先在左侧选择干部" for b in tab.add_buttons)
            tab.picker.set_cadre(five[0])
            assert all(b.isEnabled() == may for b in tab.add_buttons)
            assert not any(b.isEnabled() for b in tab.row_buttons)
            tab.table.setCurrentIndex(tab.model.index(0, 0))
            assert all(b.isEnabled() == may for b in tab.row_buttons)


def test_a_catalog_item_is_deleted_only_when_confirmed(qtbot, context, unit, boxes):
    """删除条目 deleted the chosen 正负面清单 item at a click, unasked."""
    from cadre_desk.appraisal import records
    from ui.appraisal.behaviour_tab import BehaviourTab

    tab = BehaviourTab(context)
    qtbot.addWidget(tab)
    before = len(records.list_behaviour_items(include_retired=True))
    tab.catalog.setCurrentIndex(tab.catalog_model.index(0, 0))
    name = tab.catalog_model.rows[0].name
    boxes.answers.append("取消")
    tab.catalog_box.remove_item()
    assert boxes.shown[-1][0] == "删除清单条目" and name in boxes.shown[-1][1]
    assert len(records.list_behaviour_items(include_retired=True)) == before
    tab.catalog_box.remove_item()  # 删除
    assert len(records.list_behaviour_items(include_retired=True)) == before - 1


def test_the_administrator_reaches_the_behaviour_catalog_from_the_tools_menu(qtbot, context, unit, boxes):
    """The 正负面清单 catalog is the administrator's to change, on a tab of the 实绩考核 page the administrator
    does not see: no one could add an item. 工具 → 正负面清单条目… opens it for the administrator alone."""
    from cadre_desk.appraisal import records
    from tests.conftest import acting_as, answer_dialog
    from ui.appraisal.behaviour_tab import ItemDialog
    from ui.shell.main_window import MainWindow

    with acting_as("系统管理员"):
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.apply_permissions()
        action = next(a for a in window.menus["工具"].actions() if a.text() == "正负面清单条目…" and a.isVisible())

        def add(dialog):
            assert dialog.box.model.rowCount() == len(records.list_behaviour_items(include_retired=True))

            def name_it(item: ItemDialog):
                item.kind.setCurrentText("正面")
                item.name.setText("带头攻坚克难")
                item.ok_button.click()

            answer_dialog(qtbot, dialog.box.new_item, name_it)
            dialog.ok_button.click()

        answer_dialog(qtbot, action.trigger, add)
        assert "带头攻坚克难" in [i.name for i in records.list_behaviour_items()]
    with acting_as("经办人", units=(unit.id,)):
        window.apply_permissions()
        assert not any(a.text() == "正负面清单条目…" and a.isVisible() for a in window.menus["工具"].actions())


def test_the_name_stays_in_sight_while_scores_are_typed_far_to_the_right(qtbot, context, unit, five):
    """On a 1366 screen the 民主测评 scores are off to the right: scrolled there, the clerk typed scores
    without seeing whose row it was. 姓名 now stays, and a cell scrolled to is never left under it."""
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.appraisal.score_grid import NAME

    page = AppraisalPage(context)
    qtbot.addWidget(page)
    page.resize(800, 600)  # a window not maximized: the score columns alone are wider than the grid
    page.show()
    qtbot.waitExposed(page)
    tab = page.show_sheet_tab()
    tab.reload_sheets(new_unit_sheet(qtbot, context, tab, unit.id))
    model, grid = tab.model, tab.grid
    last = model.comment_column - 1
    grid.setFocus()
    grid.setCurrentIndex(model.index(0, last - 1))
    _type(grid, "90")  # the last score of the first row: Enter goes on to the first one of the next
    assert grid.horizontalScrollBar().value() > 0 or grid.currentIndex().column() == model.first_score_column
    grid.setCurrentIndex(model.index(0, last))
    grid.scrollTo(model.index(0, last))
    assert grid.horizontalScrollBar().value() > 0  # scrolled to the right
    frozen = grid.frozen
    assert frozen is not None and frozen.isVisible() and not frozen.isColumnHidden(NAME)
    assert frozen.model() is model and frozen.width() == grid.columnWidth(NAME)
    for column in range(last, model.first_score_column - 1, -1):  # Shift+Tab back along the row
        grid.setCurrentIndex(model.index(0, column))
        grid.scrollTo(model.index(0, column))
        assert grid.visualRect(model.index(0, column)).left() >= grid.columnWidth(NAME), column


def test_a_clerk_reads_only_their_units_in_a_schemes_scope(qtbot, context, unit):
    """Walk 34: the 考核方案's 适用范围 listed every unit of the county to a 经办人 of one (高桥镇, 市公安局…):
    they read their units and those above; a unit of the scheme they may not see is counted, not named,
    and kept as it is when the scheme is saved."""
    import dataclasses

    from cadre_desk.appraisal import schemes
    from cadre_desk.units import units
    from tests.conftest import acting_as
    from ui.appraisal.schemes_tab import SchemesTab

    town = units.create_unit("高桥镇")
    police = units.create_unit("市公安局", unit.parent_id)
    scheme = schemes.list_schemes()[0]
    scheme = schemes.save_scheme(dataclasses.replace(scheme, scope_units=[unit.id, town.id]))
    with acting_as("经办人", units=(unit.id,)):
        tab = SchemesTab(context)
        qtbot.addWidget(tab)
        listed = [tab.scope_units.item(i).text().strip("　") for i in range(tab.scope_units.count())]
        assert listed == ["市直机关", "市财政局"], listed
        assert schemes.get_scheme(scheme.id).scope_text() == "单位：市财政局、其他单位 1 个"
        assert "高桥镇" not in tab.scope_units.toolTip() + "".join(listed)
    admin = SchemesTab(context)
    qtbot.addWidget(admin)
    every = {admin.scope_units.item(i).data(Qt.UserRole) for i in range(admin.scope_units.count())}
    assert {unit.id, town.id, police.id} <= every
    assert schemes.get_scheme(scheme.id).scope_text() == "单位：市财政局、高桥镇"


def test_a_scheme_saved_keeps_the_units_its_checklist_does_not_list(qtbot, context, unit):
    """A unit of the scheme outside the operator's reach is not in the checklist: saving keeps it."""
    import dataclasses

    from cadre_desk.appraisal import schemes
    from cadre_desk.units import units
    from ui.appraisal.schemes_tab import SchemesTab

    town = units.create_unit("高桥镇")
    scheme = schemes.list_schemes()[0]
    scheme = dataclasses.replace(scheme, scope_units=[unit.id, town.id])
    tab = SchemesTab(context)
    qtbot.addWidget(tab)
    for i in reversed(range(tab.scope_units.count())):  # as if the operator could not see 高桥镇
        if tab.scope_units.item(i).data(Qt.UserRole) == town.id:
            tab.scope_units.takeItem(i)
    tab.current = scheme
    assert town.id in tab.collect().scope_units


def new_unit_sheet(qtbot, context, tab, unit_id: int, period: str = "2025") -> int:
    """A 考核表 of one unit's cadres made through 新建考核表, as the clerk makes it: its id."""
    from ui.appraisal.sheet_dialogs import NewSheetDialog

    dialog = NewSheetDialog(context, tab)
    dialog.group_kind.setCurrentText("单位")
    dialog.group.setCurrentIndex(dialog.group.findData(unit_id))
    dialog.period.setText(period)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.created is not None)
    return dialog.created.id
