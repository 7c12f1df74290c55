"""What a clerk met walking the practices' pages end to end (专业干部库, 包抓联系 …): each test the step that
went wrong, through the dialog the clerk uses."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from tests.conftest import acting_as  # noqa: E402
from tests.test_practices import day  # noqa: E402
from tests.test_racing import race_world as race_world  # noqa: E402 - the fixture


@pytest.fixture
def context(world):
    from ui.shell.context import AppContext

    return AppContext(None)


def test_esc_after_picking_cadres_into_a_pool_asks_before_they_are_lost(qtbot, context, world, boxes, monkeypatch):
    """纳入干部: the clerk picks a dozen cadres one by one (选择干部…), then Esc by mistake — the dialog closed
    at once and the picking was gone; now it asks, and 继续填写 keeps them."""
    from cadre_desk.talent import pools
    from ui.talent import talent_view
    from ui.widgets import messages

    pool = pools.list_pools()[0]
    picked = [world["ids"]["甲"], world["ids"]["乙"]]

    class Picker:  # the 选择干部 dialog, the cadres chosen in it
        def __init__(self, *_args):
            pass

        def setWindowTitle(self, _title):  # noqa: N802 - as Qt's
            pass

        def exec(self):
            return talent_view.QDialog.Accepted

        def ids(self):
            return picked

    monkeypatch.setattr("ui.widgets.pick_cadres.PickCadresDialog", Picker)
    with acting_as("经办人", units=(world["a"],)):
        dialog = talent_view.AddMembersDialog(context, pool)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.pick()
        assert dialog.chosen.text() == "甲、乙（2 人）"
        boxes.answers.append(messages.DISCARD_NO)
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert boxes.shown and boxes.shown[-1][1] == messages.DISCARD_QUESTION
        assert dialog.isVisible() and dialog.ids() == picked  # still there, as picked
        boxes.answers.append(messages.DISCARD_YES)
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()


def test_a_new_phone_for_a_contact_keeps_the_day_the_contact_began(qtbot, context, world, boxes):
    """指定包抓人 on a posting already looked after (the only way to correct a phone number): the name, 科室,
    phone and note were the contact's own, but 包抓开始日期 came up as today and was saved over the real one."""
    from cadre_desk.liaison import liaison
    from ui.care.care_dialogs import AssignDialog

    began = day(-40)
    liaison.assign([world["posting"]], "李建平", "干部一科", "0719-8201401", since=began)
    with acting_as("经办人", units=(world["a"],)):
        row = next(r for r in liaison.list_liaisons() if r.posting_id == world["posting"])
        dialog = AssignDialog([row])
        qtbot.addWidget(dialog)
        assert dialog.since.value() == began
        dialog.phone.setText("0719-8201499")
        dialog.accept()
        after = next(r for r in liaison.list_liaisons() if r.posting_id == world["posting"])
    assert (after.contact_phone, after.since) == ("0719-8201499", began)


def test_a_clerks_race_table_keeps_the_unit_in_sight_at_1366(qtbot, race_world, db_path, office_look):  # noqa: F811
    """赛马比选 as a clerk of one unit: the rank's header 名次（各期全部人员） on one line was as wide as three
    names, and the table beside the chart ran past its edge — 单位 cut to 「市财」 behind a scroll bar at
    1366×768. On two lines (as the PDF prints it) every column is in sight; the words are the workbook's."""
    from PySide6.QtWidgets import QHeaderView

    from cadre_desk.access.roles import ROLE_CLERK
    from ui.appraisal.ranking_tab import RankingTab
    from ui.shell.context import AppContext

    with acting_as(ROLE_CLERK, units=(race_world["finance"].id,)):
        context = AppContext(db_path)
        tab = RankingTab(context)
        qtbot.addWidget(tab)
        tab.resize(1366 - 160, 560)  # the page beside the navigation, in the window at 1366×768
        tab.show()
        qtbot.waitExposed(tab)
        context.tasks.wait_all()
        table = tab.race_table
        header: QHeaderView = table.horizontalHeader()
        title = tab.race_model.headerData(2, Qt.Orientation.Horizontal)
        assert title.replace("\n", "") == "名次（各期全部人员）"
        assert header.length() <= table.viewport().width(), "the table runs past its edge"
        unit = tab.race_model.columnCount() - 1
        assert header.sectionViewportPosition(unit) + header.sectionSize(unit) <= table.viewport().width()


def test_sheets_printed_one_per_cadre_are_named_by_cadre_and_quarter(world, tmp_path):
    """打印提醒单… one file per cadre: 甲_417_政治体检提醒单.pdf — the number the sheet's in the database, which
    tells the clerk nothing (nor which quarter, two rounds side by side in one folder). Now 姓名_季度_提醒单, as
    the dossiers are named; a number only beside a name two cadres share."""
    from cadre_desk.checkups import checkups
    from cadre_desk.profiles import cadres
    from reports.pdf import checkup_sheet
    from tests.conftest import make_profile
    from tests.test_practices import _round

    namesake = cadres.save_profile(make_profile(world["b"], name="甲", status="1")).profile.id
    this_quarter = _round(world, names=("甲", "乙"))
    earlier = checkups.issue_round(checkups.RoundDraft(this_quarter.round.year - 1, 4, "一线干部政治体检提醒单",
                                                       day(-400), day(-380), [world["ids"]["甲"], namesake], ""))
    folder = tmp_path / "分人"
    now = checkup_sheet.build_sheets(this_quarter.round.id, split_dir=folder, reason="季度下发")
    before = checkup_sheet.build_sheets(earlier.round.id, split_dir=folder, reason="补打")
    quarter, last_year = this_quarter.round.quarter_label, earlier.round.quarter_label
    assert sorted(p.name for p in now.files) == [f"乙_{quarter}_政治体检提醒单.pdf", f"甲_{quarter}_政治体检提醒单.pdf"]
    assert all(p.name.startswith(f"甲_{last_year}_政治体检提醒单_") for p in before.files) and len(before.files) == 2
    assert len(list(folder.iterdir())) == 4  # the earlier quarter's files beside this one's, none written over


def test_the_exported_pool_roster_imports_back_into_the_pools_its_sheets_name(world, tmp_path):
    """导出名册 then 导入名单 (a roster exported here and edited, as the import promises): the workbook has a sheet per
    pool, named after it, and no 专业干部库 column. Only its first sheet was read — 经济发展, here empty: 「共 0 行」,
    the rest silently left out — and a sheet's rows went into the pool shown on the page, not the one the sheet
    names. Now every sheet is read, each into its own pool."""
    from cadre_desk.talent import pool_import, pools
    from reports.excel import practices_workbooks

    ids = world["ids"]
    by_name = {p.name: p for p in pools.list_pools()}
    economy, village, towns = by_name["经济发展"], by_name["乡村振兴"], by_name["城乡建设"]
    pools.add_members(village.id, [ids["甲"]], "领军", "驻村", day(-30))
    pools.add_members(towns.id, [ids["乙"], ids["丙"]], "骨干", "", day(-20))
    out = tmp_path / "专业干部信息库.xlsx"
    practices_workbooks.export_pools(out, reason="核对")
    read = {m.id: m.version for p in (village, towns) for m in pools.list_members(p.id)}
    pools.remove_members(list(read), "核对后重新导入", read)
    plan = pool_import.analyze(out, economy.id)  # the page shows 经济发展 (empty): its sheet comes first
    assert sorted((r.name, r.pool_name, r.level) for r in plan.good) == [
        ("丙", "城乡建设", "骨干"), ("乙", "城乡建设", "骨干"), ("甲", "乡村振兴", "领军")]
    assert not plan.refused and "乡村振兴" in plan.summary() and "城乡建设" in plan.summary()
    assert pool_import.commit(plan).added == 3
    assert [m.cadre_name for m in pools.list_members(village.id)] == ["甲"]
    assert pools.list_members(economy.id) == []


def test_a_care_record_opens_for_correction_from_the_profile_as_a_talk_does(qtbot, context, world):
    """The profile's 谈心关爱 tab: a double click on a talk opened it to correct; on a 关爱 record (a 休假 typed
    with the wrong last day) nothing happened — the clerk had to leave the profile for the 谈心关爱 page."""
    from cadre_desk.care import care_items
    from tests.conftest import answer_dialog
    from ui.care import profile_tab

    care_items.save_care(care_items.CareInfo(None, world["ids"]["甲"], "休假", day(-10), day(-8), "年休假"))
    with acting_as("经办人", units=(world["a"],)):
        tab = profile_tab.ProfileCareTab(context, world["ids"]["甲"])
        qtbot.addWidget(tab)
        tab.show()
        table = tab.care_table
        table.selectRow(0)

        def correct(dialog):
            assert dialog.windowTitle() == "修改关爱记录 — 甲"
            dialog.end.set_value(day(-5))
            dialog.accept()

        answer_dialog(qtbot, lambda: table.doubleClicked.emit(tab.cares.index(0, 2)), correct)
        assert tab.cares.rows[0].end_date == day(-5)


def test_the_supervision_export_writes_the_records_listed_not_all(qtbot, context, world, monkeypatch, tmp_path):
    """干部监督's 导出… wrote every record of the clerk's cadres whatever the page's filters said: a clerk who
    listed the 诫勉 records to hand them on exported the 函询 and 提醒 records too — the most sensitive records
    there are. It writes the records listed, its heading and file name saying the choice; over an empty list
    it is off, its tip saying why."""
    import openpyxl

    from cadre_desk.domain.progress import NO_PROGRESS
    from cadre_desk.supervision import supervision
    from ui.supervision import supervision_view

    ids = world["ids"]
    supervision.save_record(supervision.SupervisionInfo(None, ids["甲"], "函询", "12380举报", day(-30), "反映其配偶经商"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "诫勉", "巡视巡察", day(-5), "落实整改不力"))
    saved = {}

    def export(_context, _title, name, write):
        saved["name"] = name
        write(tmp_path / "监督.xlsx", NO_PROGRESS, "移交")

    monkeypatch.setattr("ui.exchange.exchange_view.export_workbook", export)
    with acting_as("经办人", "干部监督", units=(world["a"],)):
        page = supervision_view.SupervisionPage(context)
        qtbot.addWidget(page)
        assert len(page.model.rows) == 2 and page.buttons["export"].isEnabled()
        page.kind_box.setCurrentIndex(page.kind_box.findData("诫勉"))
        page.reload()
        assert [r.kind for r in page.model.rows] == ["诫勉"]
        assert page.buttons["export"].toolTip() == "导出为 Excel：本页所列的 1 条记录（诫勉）"
        page.buttons["export"].click()
        ws = openpyxl.load_workbook(tmp_path / "监督.xlsx").active
        assert saved["name"] == "提醒函询诫勉记录（诫勉）" and ws["A1"].value.endswith("提醒函询诫勉记录（诫勉）")
        assert [row[1] for row in ws.iter_rows(min_row=3, values_only=True)] == ["乙"]  # 甲's 函询 not written
        page.text.setText("查无此事")
        page.reload()
        assert page.model.rows == [] and not page.buttons["export"].isEnabled()
        assert page.buttons["export"].toolTip() == "没有符合所选条件的监督记录，没有可导出的记录"


def test_the_checkups_export_is_off_over_an_empty_list_and_says_why(qtbot, context, world):
    """政治体检's 导出… was enabled over an empty list (a result or a name that matches nobody) and wrote two empty
    tables: off then, its tip saying why — as the other practices' lists — on again once sheets are listed."""
    from tests.test_practices import _round
    from ui.checkups import checkups_view

    _round(world, names=("甲", "乙"))
    with acting_as("经办人", units=(world["a"],)):
        page = checkups_view.CheckupsPage(context)
        qtbot.addWidget(page)
        button = page.buttons["export"]
        assert len(page.sheets.rows) == 2 and button.isEnabled()
        assert button.toolTip() == "导出为 Excel：两张表——本页所列的 2 人的核查对单，及其单位汇总"
        page.text.setText("查无此人")
        page.apply_filter()
        assert page.sheets.rows == [] and not button.isEnabled()
        assert button.toolTip() == "没有符合所选提醒单、单位、结果和查找条件的核查对单，没有可导出的记录"
        page.text.clear()
        page.apply_filter()
        assert button.isEnabled()


def test_the_import_preview_says_which_sheet_a_row_is_of(qtbot, world, tmp_path):
    """导入名单 of a workbook of several sheets (the roster exported here): 行号 3 of which sheet? The preview's
    first column says 城乡建设·3; a one-sheet list keeps its 行号 alone."""
    import openpyxl

    from cadre_desk.talent import pool_import
    from ui.talent.pool_import_dialog import PoolImportDialog

    book = openpyxl.Workbook()
    for title, name in (("城乡建设", "甲"), ("乡村振兴", "乙")):
        sheet = book.create_sheet(title)
        sheet.append(["专业干部信息库"])
        sheet.append(["序号", "姓名", "层级"])
        sheet.append([1, name, "骨干"])
    book.remove(book.active)
    path = tmp_path / "名册.xlsx"
    book.save(path)
    dialog = PoolImportDialog(pool_import.analyze(path))
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "工作表·行号"
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["城乡建设·3", "乡村振兴·3"]
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == ["城乡建设", "乡村振兴"]


def test_the_portraits_supervision_box_says_who_may_see_in_the_pdfs_words(qtbot, context, world):
    """The 画像's box said 显示提醒函询诫勉记录（仅本人可见…） — on a cadre's portrait 「本人」 is the cadre: read as
    records the cadre alone may see. It says 限干部监督权限, as the printed section's title does."""
    from cadre_desk.supervision import supervision
    from ui.portrait.portrait_view import PortraitView

    supervision.save_record(supervision.SupervisionInfo(None, world["ids"]["甲"], "提醒", "信访举报", day(-2), "方法简单"))
    with acting_as("经办人", "干部监督", units=(world["a"],)):
        view = PortraitView(context, world["ids"]["甲"])
        qtbot.addWidget(view)
        assert view.supervision.isVisibleTo(view)
        assert "本人" not in view.supervision.text() and "限干部监督权限" in view.supervision.text()
        view.supervision.setChecked(True)
        assert any(s.title == "提醒函询诫勉（限干部监督权限）" for s in view.shown.sections)


def test_the_liaison_export_writes_the_list_the_tab_shows(qtbot, context, world, monkeypatch, tmp_path):
    """包抓联系's 导出包抓联系表… wrote the 在岗 list whatever the tab showed: a clerk who listed those still without
    a contact (只看未指定包抓人) to hand round got everyone. It writes the list shown, its heading and file name
    saying the choice; over an empty list it is off, its tip saying why."""
    import openpyxl

    from cadre_desk.domain.progress import NO_PROGRESS
    from cadre_desk.liaison import liaison
    from cadre_desk.postings import postings
    from ui.care import care_view

    ids = world["ids"]
    other = postings.create_posting(ids["乙"], world["post"], "组织选派", day(-50), day(300))
    postings.start_posting(other.id, other.version)
    liaison.assign([world["posting"]], "李建平", "干部一科", "0719-8201401", since=day(-40))
    saved = {}

    def export(_context, _title, name, write):
        saved["name"] = name
        write(tmp_path / "包抓.xlsx", NO_PROGRESS, "分发")

    monkeypatch.setattr("ui.exchange.exchange_view.export_workbook", export)
    with acting_as("经办人", units=(world["a"],)):
        page = care_view.CarePage(context)
        qtbot.addWidget(page)
        page.show()
        page.tabs.setCurrentIndex(3)
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        assert sorted(r.cadre_name for r in page.liaisons.rows) == ["乙", "甲"]
        page.liaison_unassigned.setChecked(True)
        page.liaison_list.reload()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        assert [r.cadre_name for r in page.liaisons.rows] == ["乙"]
        button = page.buttons["liaison_export"]
        assert button.toolTip() == "导出为 Excel：本页所列的 1 人（只看未指定包抓人）"
        button.click()
        ws = openpyxl.load_workbook(tmp_path / "包抓.xlsx").active
        assert saved["name"] == "一线干部包抓联系表（只看未指定包抓人）"
        assert ws["A1"].value.endswith("一线干部包抓联系表（只看未指定包抓人）")
        assert [row[1] for row in ws.iter_rows(min_row=3, values_only=True)] == ["乙"]
        page.liaison_text.setText("查无此人")
        page.liaison_list.reload()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        assert page.liaisons.rows == [] and not button.isEnabled()
        assert button.toolTip() == "没有符合所选条件的一线干部，没有可导出的记录"


def test_a_clerk_issues_sheets_to_their_own_units_and_the_round_says_so(qtbot, context, world):
    """下发提醒单 → 单位 as a clerk of 市财政局: the list offered 市直机关 above it too; chosen, only the clerk's
    cadres got sheets but the round's 对象范围 said 市直机关 — the whole. Only the clerk's units are offered, and
    a group by kind (一线在岗干部) says whose cadres it reached."""
    from cadre_desk.checkups import checkups
    from ui.checkups.checkup_dialogs import POSTED, UNIT, IssueDialog

    with acting_as("经办人", units=(world["a"],)):
        dialog = IssueDialog(context)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.group.setCurrentText(UNIT)
        assert [dialog.ref.itemText(i) for i in range(dialog.ref.count())] == ["市财政局"]
        qtbot.waitUntil(lambda: not dialog.counting)
        assert dialog.count.text() == "共 2 人（同一季度已下发过的干部不会重复下发）"
        assert dialog.group_note.text() == "市财政局"
        dialog.group.setCurrentText(POSTED)
        qtbot.waitUntil(lambda: not dialog.counting)
        assert dialog.group_note.text() == "一线在岗干部（市财政局）"
        dialog.group.setCurrentText(UNIT)
        qtbot.waitUntil(lambda: not dialog.counting)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert dialog.result_value.issued == 2
        assert [r.group_note for r in checkups.list_rounds()] == ["市财政局"]
    dialog = IssueDialog(context)  # one of every unit: the whole tree, 对象范围 as chosen
    qtbot.addWidget(dialog)
    dialog.group.setCurrentText(UNIT)
    assert [dialog.ref.itemText(i) for i in range(dialog.ref.count())] == ["市直机关", "　市财政局", "　城关镇"]
    qtbot.waitUntil(lambda: not dialog.counting)
    assert dialog.group_note.text() == "市直机关"
    dialog.group.setCurrentText(POSTED)
    qtbot.waitUntil(lambda: not dialog.counting)
    assert dialog.group_note.text() == "一线在岗干部"


def test_the_talks_export_writes_the_talks_listed_not_all(qtbot, context, world, monkeypatch, tmp_path):
    """谈心谈话's 导出… wrote every talk and every 关爱 record whatever the tab's filters said (its tip said so): a
    clerk who listed the talks whose follow-up is still to do, to chase them, got the year's talks and the
    关爱 records besides. It writes the talks listed, its heading and file name saying the choice; over an
    empty list it is off, its tip saying why."""
    import openpyxl

    from cadre_desk.care import care_items, talks
    from cadre_desk.domain.progress import NO_PROGRESS
    from ui.care import care_view

    ids = world["ids"]
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-20), "李建平", "日常谈心", "谈工作"))
    talks.save_talk(talks.TalkInfo(None, ids["乙"], day(-10), "李建平", "日常谈心", "谈家庭", "协调子女入学"))
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "休假", day(-10), day(-8), "年休假"))
    saved = {}

    def export(_context, _title, name, write):
        saved["name"] = name
        write(tmp_path / "谈话.xlsx", NO_PROGRESS, "督办")

    monkeypatch.setattr("ui.exchange.exchange_view.export_workbook", export)
    with acting_as("经办人", units=(world["a"],)):
        page = care_view.CarePage(context)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        button = page.buttons["talk_export"]
        assert len(page.talks.rows) == 2 and button.toolTip() == "导出为 Excel：本页所列的 2 条谈话记录"
        page.talk_pending.setChecked(True)
        page.talk_list.reload()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        assert [t.cadre_name for t in page.talks.rows] == ["乙"]
        assert button.isEnabled() and button.toolTip() == "导出为 Excel：本页所列的 1 条谈话记录（只看跟进事项待落实）"
        button.click()
        book = openpyxl.load_workbook(tmp_path / "谈话.xlsx")
        assert saved["name"] == "谈心谈话记录（只看跟进事项待落实）" and book.sheetnames == ["谈心谈话"]
        assert book.active["A1"].value.endswith("谈心谈话记录（只看跟进事项待落实）")
        assert [row[1] for row in book.active.iter_rows(min_row=3, values_only=True)] == ["乙"]  # no 甲, no 关爱
        page.talk_text.setText("查无此事")
        page.talk_list.reload()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        assert page.talks.rows == [] and not button.isEnabled()
        assert button.toolTip() == "没有符合所选条件的谈话记录，没有可导出的记录"


def test_taking_cadres_out_of_a_pool_asks_a_reason_under_its_field(qtbot, context, world):
    """移出: a blank reason went through — the audit row, all that is left of the cadre's place in the pool,
    said nothing. The reason is required, said under its field as every form's errors, the dialog kept
    open; given, the cadre leaves with it. The button 修改层级… opened a form of 层级, 入库时间 and 备注: it says
    修改入库信息…, as the form's title."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.security import audit
    from cadre_desk.talent import pools
    from tests.conftest import answer_dialog
    from ui.talent import talent_view

    pool = pools.list_pools()[0]
    pools.add_members(pool.id, [world["ids"]["甲"], world["ids"]["乙"]], "骨干", "", day(-30))
    with pytest.raises(ValidationError):
        pools.remove_members([m.id for m in pools.list_members(pool.id)], "  ")
    with acting_as("经办人", units=(world["a"],)):
        page = talent_view.TalentPage(context)
        qtbot.addWidget(page)
        page.show()
        assert page.buttons["edit"].text() == "修改入库信息…"
        page.table.selectRow(0)
        seen = {}

        def remove(dialog):
            dialog.reason.setText("  ")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            seen["blank"] = (dialog.isVisible(), dialog.error_text("reason"), dialog.reason.property("error"))
            dialog.reason.setText("调整培养方向")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        answer_dialog(qtbot, lambda: page.buttons["remove"].click(), remove)
        assert seen["blank"] == (True, "请填写移出原因", True)
        assert [m.cadre_name for m in pools.list_members(pool.id)] == ["乙"]
    assert audit.entries(1)[0].reason == "调整培养方向"


def test_a_long_checklist_description_wraps_in_the_settings_list(qtbot, world, office_look):
    """清单设置 (政治体检对照检查项目): an item's 对照内容 of two sentences ran on one line past the list's edge, cut
    behind a horizontal scroll bar at 1366×768. Each entry wraps within the list, a row as high as it needs;
    the whole text on hover, wrapped too."""
    from cadre_desk.checkups import checkups
    from ui.checkups.checkup_dialogs import ItemsDialog

    long_text = ("按要求参加理论中心组学习、三会一课和主题党日活动，认真学习习近平新时代中国特色社会主义思想，撰写心得体会"
                 "不少于两篇，积极参加组织部门安排的各类专题培训，在一线岗位上带头宣讲政策。")
    checkups.save_item(checkups.CheckupItemInfo(None, "学习教育", long_text))
    dialog = ItemsDialog()
    qtbot.addWidget(dialog)
    dialog.resize(640, 460)  # as it opens, within 1366×768
    dialog.show()
    qtbot.waitExposed(dialog)
    listing = dialog.list
    item = listing.item(listing.count() - 1)
    assert item.text().endswith(long_text)
    qtbot.waitUntil(lambda: listing.visualItemRect(item).height() > 2 * listing.fontMetrics().height(), timeout=2000)
    assert listing.horizontalScrollBar().maximum() == 0 and not listing.horizontalScrollBar().isVisible()
    assert listing.visualItemRect(item).right() <= listing.viewport().width()
    assert long_text in item.toolTip() and item.toolTip().startswith("<p>")  # rich text: wrapped on hover


def test_a_race_of_one_cadre_draws_a_bar_not_a_block(qtbot, office_look):
    """赛马比选 of a post with one cadre ranked: the chart drew one bar filling the whole height of the plot — a
    block, not a bar. Bars are at most a line or two of text thick, whatever the chart's size; a full race's
    bars keep their share of the slot."""
    from cadre_desk.appraisal import racing
    from ui.appraisal.ranking_tab import ranking_chart

    period = racing.RacePeriod("2026-Q2", "2026年第2季度", 1, "考核表", True)

    def thickest(names) -> float:
        entries = tuple(racing.RaceEntry("驻村工作队", "2026-Q2", "2026年第2季度", n, "", n, name, "市财政局", 90 - n, "称职")
                        for n, name in enumerate(names, 1))
        view = ranking_chart(racing.Race(racing.RaceField("岗位", 1, "驻村工作队", 1), (period,), entries), "2026-Q2")
        qtbot.addWidget(view)
        view.resize(440, 460)  # as beside the table at 1366×768
        view.show()
        qtbot.waitExposed(view)
        chart = view.chart()
        bars = chart.series()[0]
        return bars.barWidth() * chart.plotArea().height() / len(names)

    assert thickest(["甲"]) <= 30  # it was 0.7 of the plot's height: ~250 px
    many = [f"干部{n}" for n in range(1, 16)]
    assert 0.7 * 300 / 15 <= thickest(many) <= 30  # 15 bars: their share of the slot, thinner than the most


def test_a_clerks_race_pdf_keeps_the_unit_on_one_line(race_world):  # noqa: F811
    """The race printed by a clerk: the rank's column, widened for 名次（各期全部人员）, took all it needed from
    单位 — 云江市教育 / 局 on two lines while 锻炼岗位, 姓名 … had room to spare. The room is taken where there is
    some: every header and cell on one line, the columns filling the page's width. One cadre ranked: the
    chart's bar a bar, not the 40 mm block it was."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.appraisal import racing
    from cadre_desk.units import units
    from reports.pdf import race_sheet

    finance = units.get_unit(race_world["finance"].id)
    units.update_unit(finance.id, finance.version, full_name="云江市教育局")
    with acting_as(ROLE_CLERK, units=(finance.id,)):
        race = racing.with_full_unit_names(racing.load(("race", "一线", race_world["line"].id)))
    assert race.rank_title() == "名次（各期全部人员）"
    table = race_sheet.grouped_table(race)
    widths = dict(zip(race_sheet.COLUMNS, table._colWidths, strict=True))
    assert abs(sum(widths.values()) - race_sheet.WIDTH) < 0.5
    for row in table._cellvalues[1:]:
        for key, cell in zip(race_sheet.COLUMNS, row, strict=True):
            cell.wrap(widths[key] - 12, 1000)
            assert len(cell.blPara.lines) <= 1, (key, cell.getPlainText(), widths[key])
    header = dict(zip(race_sheet.COLUMNS, table._cellvalues[0], strict=True))
    for key, cell in header.items():
        cell.wrap(widths[key] - 12, 1000)
        assert len(cell.blPara.lines) == (2 if key == "rank" else 1), (key, cell.getPlainText())  # 名次 / （…）
    period = racing.RacePeriod("2026-Q2", "2026年第2季度", 1, "考核表", True)
    alone = racing.Race(racing.RaceField("岗位", 1, "驻村工作队", 1), (period,), (racing.RaceEntry(
        "驻村工作队", "2026-Q2", "2026年第2季度", 1, "", 1, "甲", "市财政局", 88.5, "称职"),))
    assert race_sheet.ranking_drawing(alone, "2026-Q2").height <= 30 + 28


def test_a_date_that_cannot_be_says_how_a_date_is_written_once(qtbot):
    """「月份 13 无效」 said what was wrong, not how to write it — the clerk guessed at 2024-3-15, 2024/03/15. The
    one parser adds the form once (a day's where a day is wanted or typed, else a month's), so the widget's
    error under a field, an import's problem and a service's refusal all say it; a period's message, which
    lists its own forms, keeps the reason alone."""
    from cadre_desk.domain.dates import DateError, check_date, parse_date
    from cadre_desk.domain.periods import PeriodError, parse_period
    from ui.widgets.date_edit import DateEdit
    from ui.widgets.form_dialog import FormDialog

    def why(text, precision=None) -> str:
        with pytest.raises(DateError) as refused:
            parse_date(text, precision)
        return str(refused.value)

    assert why("1986.13") == why("1986.13", "month") == "月份 13 无效，应写作 1986.05"
    assert why("2024.13", "day") == why("2024.13.01") == "月份 13 无效，应写作 2024.03.15"
    assert why("2025.02.29") == "2025年2月没有29日，应写作 2024.03.15"
    assert why("1886.05") == "年份 1886 不在 1900–2100 之间，应写作 1986.05"
    assert why("2024.3", "day") == "请写到日，例：2024.03.15"  # said already: not twice
    assert why("明年") == "无法识别的日期“明年”，请写成 1986.05 或 2024.03.15"
    errors: dict[str, str] = {}
    check_date("2024.13", "出生年月", errors, "birth", precision="month")
    assert errors == {"birth": "出生年月：月份 13 无效，应写作 1986.05"}
    with pytest.raises(PeriodError) as period:
        parse_period("2025-13")
    assert str(period.value).count("2025.11") == 1 and "1986.05" not in str(period.value)

    class Form(FormDialog):
        def __init__(self):
            super().__init__()
            self.day = self.add_field("day", "谈话日期：", DateEdit(precision="day"))

        def save(self):
            return self.day.value()

    form = Form()
    qtbot.addWidget(form)
    form.day.setText("2026.02.30")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.error_text("day") == "谈话日期：2026年2月没有30日，应写作 2024.03.15"
