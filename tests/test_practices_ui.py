"""The practices' screens, clicked through their real buttons: 政治体检 (下发, 核查对单, 批量无问题, 单位汇总,
导出), 专业干部库 (纳入, 修改入库信息, 移出, 选派 from the pool), 谈心关爱 (谈话, 谈话提醒, 关爱, 包抓), 干部监督 (hidden
without the grant), 干部画像 (tab, window, PDF), and the 干部监督 grant in the user dialog."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from cadre_desk.checkups import (
    checkup_sheets,
    checkups,  # noqa: E402
)
from tests.conftest import acting_as, answer_dialog  # noqa: E402
from tests.test_practices import day  # noqa: E402


@pytest.fixture
def context(world):
    from ui.shell.context import AppContext

    return AppContext(None)


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)


def _select(table, *rows: int) -> None:
    """Select whole rows as ctrl-clicks would (the first one current)."""
    selection = table.selectionModel()
    flags = selection.SelectionFlag
    selection.setCurrentIndex(table.model().index(rows[0], 0), flags.ClearAndSelect | flags.Rows)
    for row in rows[1:]:
        selection.select(table.model().index(row, 0), flags.Select | flags.Rows)


def _loaded(qtbot, page):
    """The 谈心关爱 page once its lists, read off the GUI thread, are shown."""
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    return page


def _care_page(qtbot, context):
    from ui.care import care_view

    page = care_view.CarePage(context)
    qtbot.addWidget(page)
    page.show()  # as in the window: a list on a tab not chosen is listed again when its tab is chosen
    return _loaded(qtbot, page)


def _save_as(monkeypatch, path) -> None:

    monkeypatch.setattr("ui.widgets.files.save_file", lambda *a, **k: str(path))


# ---- 政治体检 ----------------------------------------------------------------------------------------

def test_checkups_page_issue_check_back_and_export(qtbot, context, world, boxes, monkeypatch, tmp_path):
    from ui.checkups import checkups_view

    page = checkups_view.CheckupsPage(context)
    qtbot.addWidget(page)
    assert page.sheets.rowCount() == 0 and not page.buttons["result"].isEnabled()

    def issue(dialog):
        dialog.group.setCurrentText("单位")
        dialog.ref.setCurrentIndex(dialog.ref.findData(world["a"]))
        qtbot.waitUntil(lambda: not dialog.counting)  # counted in the task runner
        assert "共 2 人" in dialog.count.text() and dialog.group_note.text().strip() == "市财政局"
        dialog.title_edit.setText("市财政局政治体检提醒单")
        _click(qtbot, dialog.ok_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # issued through the task runner

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["issue"]), issue)
    assert boxes.texts()[-1].startswith("已向 2 名干部下发")
    assert [s.cadre_name for s in page.sheets.rows] == ["甲", "乙"] and page.round_box.currentData() is not None
    assert page.summary.text() == "共 2 人：未核查 2 人"

    _select(page.table, 0)

    def check_back(dialog):
        dialog.result_box.setCurrentText("整改中")
        _click(qtbot, dialog.ok_button)  # no problems written: refused at the field
        assert "存在问题" in dialog.error_text("findings")
        dialog.findings.setPlainText("参加组织生活不经常")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["result"]), check_back)
    assert page.summary.text() == "共 2 人：未核查 1 人，整改中 1 人"
    _select(page.table, 0, 1)
    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["clean"]), lambda d: _click(qtbot, d.ok_button))
    assert page.summary.text() == "共 2 人：无问题 1 人，整改中 1 人"
    page.result_box.setCurrentText("整改中")
    assert [s.cadre_name for s in page.sheets.rows] == ["甲"]
    page.result_box.setCurrentIndex(0)
    page.text.setText("组织生活")
    _click(qtbot, page.search_button)
    assert [s.cadre_name for s in page.sheets.rows] == ["甲"]
    assert [(s.unit_name, s.issued, s.fixing) for s in page.summary_model.rows] == [("市财政局", 1, 1), ("合计", 1, 1)]
    page.text.clear()
    _click(qtbot, page.search_button)
    assert [(s.unit_name, s.issued, s.checked) for s in page.summary_model.rows] == [("市财政局", 2, 2), ("合计", 2, 2)]
    # the counts and the rate right-aligned as numbers are; the unit's name as text is
    aligned = [page.summary_model.index(0, c).data(Qt.ItemDataRole.TextAlignmentRole)
               for c in range(page.summary_model.columnCount())]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert aligned[0] != right and aligned[1:] == [right] * (len(aligned) - 1), aligned

    target = tmp_path / "体检.xlsx"
    _save_as(monkeypatch, target)
    boxes.inputs.append("季度报送")
    _click(qtbot, page.buttons["export"])
    context.tasks.wait_all()
    qtbot.waitUntil(target.exists, timeout=10000)


def test_checklist_dialog_for_the_administrator(qtbot, context, world, boxes):
    from ui.checkups import checkup_dialogs

    dialog = checkup_dialogs.ItemsDialog()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 9

    def add(item_dialog):
        item_dialog.name.setText("学习教育")
        item_dialog.description.setPlainText("按要求参加理论学习")
        _click(qtbot, item_dialog.ok_button)

    answer_dialog(qtbot, lambda: dialog.add(), add)
    assert dialog.list.count() == 10 and dialog.current().name == "学习教育"
    dialog.move_item(-1)
    assert [i.name for i in checkups.list_items()][-2] == "学习教育"


# ---- 专业干部库 --------------------------------------------------------------------------------------

def test_talent_page_add_level_remove_and_post(qtbot, context, world, boxes, monkeypatch):
    from cadre_desk.talent import pools
    from ui.talent import talent_view

    page = talent_view.TalentPage(context)
    qtbot.addWidget(page)
    assert page.current_pool().name == "经济发展" and page.model.rowCount() == 0
    ids = world["ids"]

    def add(dialog):
        dialog.cadre_ids = [ids["甲"], ids["乙"]]  # as the 选择干部… window leaves them
        dialog.level.setCurrentText("领军")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["add"]), add)
    assert boxes.texts()[-1].startswith("已将 2 名干部纳入“经济发展”")
    assert [(m.cadre_name, m.level) for m in page.model.rows] == [("甲", "领军"), ("乙", "领军")]
    assert page.pool_list.currentItem().text() == "经济发展（2）"
    _select(page.table, 1)

    def level(dialog):
        dialog.level.setCurrentText("储备")
        dialog.note.setPlainText("年轻，可重点培养")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["edit"]), level)
    assert [m.level for m in pools.list_members(page.current_pool().id)] == ["领军", "储备"]
    page.level_box.setCurrentText("领军")
    assert [m.cadre_name for m in page.model.rows] == ["甲"]
    page.level_box.setCurrentIndex(0)

    _select(page.table, 0, 1)
    seen = []
    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["post"]), lambda d: seen.append((d.cadre_ids, list(d.busy))))
    # the 一线锻炼 选派 dialog, started from the pool: 甲, 在岗 already, is named there and left out
    assert seen == [([ids["乙"]], [ids["甲"]])]

    _select(page.table, 1)

    def remove(dialog):
        dialog.reason.setText("调整培养方向")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["remove"]), remove)
    assert [m.cadre_name for m in page.model.rows] == ["甲"]
    assert not page.buttons["pools"].isEnabled() or context.allows("admin")


# ---- 谈心关爱 -----------------------------------------------------------------------------------------

def test_care_page_talks_due_care_and_liaison(qtbot, context, world, boxes):
    from cadre_desk.liaison import liaison
    page = _care_page(qtbot, context)
    ids = world["ids"]
    (due,) = page.due.rows
    assert due.cadre_id == ids["甲"] and page.due.data(page.due.index(0, 4)) == "10"  # overdue 10 days

    page.tabs.setCurrentIndex(1)
    _select(page.due_table, 0)

    def talk(dialog):
        assert dialog.cadre.cadre_id() == ids["甲"]
        dialog.talker.setText("李建平")
        dialog.topics.setPlainText("了解驻村工作困难")
        dialog.follow_up.setPlainText("协调解决住宿")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["due_talk"]), talk)
    _loaded(qtbot, page)
    assert page.due.rows[0].talked and page.due.data(page.due.index(0, 4)) == ""
    assert [(t.cadre_name, t.follow_up_state) for t in page.talks.rows] == [("甲", "待落实")]
    page.tabs.setCurrentIndex(0)
    _select(page.talk_table, 0)
    _click(qtbot, page.buttons["talk_done"])
    _loaded(qtbot, page)
    assert page.talks.rows[0].follow_up_state == "已落实"

    page.tabs.setCurrentIndex(2)

    def care(dialog):
        dialog.cadre.set_cadre(ids["乙"])
        dialog.kind.setCurrentText("体检")
        dialog.content.setPlainText("年度健康体检")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["care_new"]), care)
    _loaded(qtbot, page)
    assert [(c.cadre_name, c.kind) for c in page.cares.rows] == [("乙", "体检")]

    page.tabs.setCurrentIndex(3)  # listed again when chosen (the records changed meanwhile)
    _loaded(qtbot, page)
    assert page.liaison_count.text() == "共 1 人，1 人未指定"
    _select(page.liaison_table, 0)

    def assign(dialog):
        dialog.name.setText("陈志强")
        dialog.office.setCurrentText("干部监督科")
        dialog.phone.setText("0719-8201401")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["assign"]), assign)
    _loaded(qtbot, page)
    assert [(r.contact_name, r.contact_office) for r in page.liaisons.rows] == [("陈志强", "干部监督科")]
    assert liaison.for_cadre(ids["甲"]).contact_phone == "0719-8201401"


def test_the_care_tab_exports_the_care_records_it_lists(qtbot, context, world, boxes, monkeypatch, tmp_path):
    """关爱事项 had no 导出 of its own: its records went out only beside the talks, by the 谈心谈话 tab's
    导出. The tab exports what it lists (its 类别 here), under the screen's headers, the heading saying
    what was chosen."""
    import openpyxl

    from cadre_desk.care import care_items

    ids = world["ids"]
    for kind, content in (("体检", "年度健康体检"), ("休假", "落实带薪休假")):
        care_items.save_care(care_items.CareInfo(None, ids["乙"], kind, day(-3), "", content))
    page = _care_page(qtbot, context)
    page.tabs.setCurrentIndex(2)
    page.care_kind.setCurrentText("体检")
    _loaded(qtbot, page)
    assert [c.kind for c in page.cares.rows] == ["体检"]
    target = tmp_path / "关爱.xlsx"
    _save_as(monkeypatch, target)
    boxes.inputs.append("报送")
    _click(qtbot, page.buttons["care_export"])
    context.tasks.wait_all()
    qtbot.waitUntil(target.exists, timeout=10000)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["关爱事项"]
    sheet = wb["关爱事项"]
    assert sheet["A1"].value.endswith("关爱干部记录（体检）")
    screen = [page.cares.headerData(i, Qt.Orientation.Horizontal) for i in range(page.cares.columnCount())]
    header = [c for c in next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))]
    assert header[1:] == screen  # after the 序号
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[header.index("姓名")], r[header.index("关爱类别")]) for r in rows] == [("乙", "体检")]
    assert "谈话记录" in page.buttons["talk_export"].toolTip()  # the talks' 导出 writes the talks listed


def test_the_care_tabs_export_is_disabled_over_an_empty_list_and_says_why(qtbot, context, world):
    """关爱事项's 导出… was enabled over an empty list and wrote an empty sheet: disabled then, its tip saying
    why (as the other lists' export buttons), enabled again once the list has records."""
    from cadre_desk.care import care_items

    page = _care_page(qtbot, context)
    page.tabs.setCurrentIndex(2)
    page.care_kind.setCurrentText("休假")
    _loaded(qtbot, page)
    button = page.buttons["care_export"]
    assert page.cares.rows == []  # the world has no record of 休假
    assert not button.isEnabled()
    assert button.toolTip() == "没有符合所选单位、类别、年度的关爱事项，没有可导出的记录"
    care_items.save_care(care_items.CareInfo(None, world["ids"]["乙"], "休假", day(-3), "", "落实带薪休假"))
    page.care_list.changed()
    _loaded(qtbot, page)
    assert [c.kind for c in page.cares.rows] == ["休假"]
    assert button.isEnabled() and button.toolTip().startswith("导出为 Excel：本页所列的 1 条关爱事项")


def test_profile_care_tab(qtbot, context, world):
    from ui.care import profile_tab

    tab = profile_tab.ProfileCareTab(context, world["ids"]["甲"])
    qtbot.addWidget(tab)
    assert tab.contact.text() == "组织部包抓人：无" and "（0 次）" in tab.talk_label.text()

    def talk(dialog):
        dialog.talker.setText("王海燕")
        dialog.topics.setPlainText("关心家庭情况")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, tab.talk_button), talk)
    assert "（1 次）" in tab.talk_label.text() and tab.talks.rows[0].talker == "王海燕"


def test_the_talker_box_starts_with_a_person_and_remembers_the_last_one_typed(qtbot, context, world):
    """谈话人 started with the department's name (中共测试市委组织部) on a database without accounts: a talk
    saved as it was named no person. It starts empty there (the logged-in person's name with accounts), and
    then with the last 谈话人 typed in the dialog; correcting an old talk does not change what it offers."""
    from cadre_desk.access import context as access_context
    from cadre_desk.care import talks
    from cadre_desk.settings import settings
    from ui.care.care_dialogs import TalkDialog

    settings.set_department("中共测试市委组织部", "市委组织部", "测试市")
    ids = world["ids"]

    def new_talk() -> TalkDialog:
        dialog = TalkDialog(context, cadre_id=ids["乙"])
        qtbot.addWidget(dialog)
        return dialog

    with acting_as("经办人"):  # logged in: their own name
        assert new_talk().talker.text() == "测试角色"
    access_context.set_operator(access_context.LOCAL)  # no accounts: nobody to name yet
    dialog = new_talk()
    assert dialog.talker.text() == ""
    dialog.talker.setText("李建平")
    dialog.topics.setPlainText("了解工作情况")
    _click(qtbot, dialog.ok_button)
    assert talks.list_talks()[0].talker == "李建平"
    assert new_talk().talker.text() == "李建平"  # the last one typed
    old = talks.save_talk(talks.TalkInfo(None, ids["丙"], day(-20), "王海燕", "日常谈心", "谈家庭"))
    dialog = TalkDialog(context, old)
    qtbot.addWidget(dialog)
    dialog.topics.setPlainText("谈家庭和工作")
    _click(qtbot, dialog.ok_button)
    assert new_talk().talker.text() == "李建平"  # an old talk's 谈话人 saved again is not what was typed
    with acting_as("经办人"):  # another account: its own
        assert new_talk().talker.text() == "测试角色"


def test_the_talk_dialog_says_which_posting_a_talk_goes_with(qtbot, context, world):
    """Correcting a talk without a posting tied it to the cadre's current posting, unseen. The dialog now
    shows the 关联锻炼岗位: a new talk starts with the posting the cadre is on, a record with its own (none
    stays none), and the clerk may choose another or （不关联）."""
    from cadre_desk.care import talks
    from ui.care.care_dialogs import TalkDialog

    ids = world["ids"]
    old = talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-120), "李建平", "日常谈心", "谈工作"))
    assert old.posting_id is None  # before the posting began
    dialog = TalkDialog(context, old)
    qtbot.addWidget(dialog)
    assert dialog.posting.currentText() == "（不关联）" and dialog.posting.count() == 2
    dialog.topics.setPlainText("谈工作和家庭")
    _click(qtbot, dialog.ok_button)
    assert talks.list_talks()[0].posting_id is None and talks.list_talks()[0].topics == "谈工作和家庭"

    dialog = TalkDialog(context, cadre_id=ids["甲"])  # on post: the talk goes with that posting
    qtbot.addWidget(dialog)
    assert dialog.posting.currentData() == world["posting"] and "驻村工作队员（在岗，" in dialog.posting.currentText()
    for name, count, chosen in (("乙", 1, None), ("甲", 2, world["posting"])):  # typed: 乙 was not posted
        dialog.cadre.search.setText(name)
        qtbot.waitUntil(lambda name=name: dialog.cadre.cadre_name() == name)
        assert dialog.posting.count() == count and dialog.posting.currentData() == chosen
    dialog.posting.setCurrentIndex(0)  # the clerk says: not about the posting
    dialog.topics.setPlainText("家访")
    _click(qtbot, dialog.ok_button)
    assert [t.posting_id for t in talks.list_talks() if t.topics == "家访"] == [None]


# ---- 干部监督 -----------------------------------------------------------------------------------------

def test_supervision_page_only_with_the_grant(qtbot, world, boxes):
    from PySide6.QtWidgets import QLabel

    from cadre_desk.supervision import supervision
    from ui.shell.context import AppContext
    from ui.shell.features import register_all
    from ui.shell.main_window import MainWindow
    from ui.supervision import supervision_view

    register_all()
    supervision.save_record(supervision.SupervisionInfo(None, world["ids"]["乙"], "函询", "12380举报", day(-5),
                                                        "反映其配偶经商"))
    context = AppContext(None)
    page = supervision_view.SupervisionPage(context)
    qtbot.addWidget(page)
    assert page.count.text() == "共 1 条：函询 1 人次"
    # the page's note says where the records show (it promised no reminder while the 工作台 reminds their
    # holders of a 函询 without its outcome)
    note = next(label.text() for label in page.findChildren(QLabel) if "仅限" in label.text())
    assert "不在其他页面、提醒" not in note and "函询提醒只向这些人员显示" in note and "工作台打印件" in note

    def add(dialog):
        dialog.cadre.set_cadre(world["ids"]["甲"])
        dialog.kind.setCurrentText("提醒")
        dialog.source.setCurrentText("巡视巡察")
        dialog.matter.setPlainText("落实整改任务不力")
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["new"]), add)
    assert page.count.text() == "共 2 条：提醒 1 人次，函询 1 人次"
    with acting_as("经办人"):
        window = MainWindow(AppContext(None))
        qtbot.addWidget(window)
        window.apply_permissions() if hasattr(window, "apply_permissions") else None
        keys = [s.key for s in window._modules]
        assert window.nav.item(keys.index("supervision")).isHidden()
        assert not window.nav.item(keys.index("checkups")).isHidden()
        window.context.tasks.wait_all()


def test_the_supervision_page_leaves_out_a_relatives_records(qtbot, context, world):
    """An operator with the grant whose relative has a 函询: the page lists and counts the others only, and
    says why (回避)."""
    from PySide6.QtWidgets import QLabel

    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadres import FamilyItem
    from cadre_desk.supervision import supervision
    from ui.supervision import supervision_view

    ids = world["ids"]
    me = cadres.get_profile(ids["甲"])
    me.family = [FamilyItem("10", "乙", "198510", "01", "市财政局")]
    cadres.save_profile(me)
    supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "函询", "12380举报", day(-40), "反映其配偶经商"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["丙"], "提醒", "信访举报", day(-5), "工作方法简单"))
    with acting_as("经办人", "干部监督", cadre_id=ids["甲"]):
        page = supervision_view.SupervisionPage(context)
        qtbot.addWidget(page)
        assert [r.cadre_name for r in page.model.rows] == ["丙"] and page.count.text() == "共 1 条：提醒 1 人次"
        assert any("按回避规定，本人及亲属的" in label.text() for label in page.findChildren(QLabel))


def test_user_dialog_grants_supervision_beside_a_cadre_role(qtbot, world):
    from cadre_desk.security import accounts
    from ui.security.users_view import UserDialog

    dialog = UserDialog(None)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData(accounts.ROLE_ADMIN))
    assert not dialog.supervision.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findData(accounts.ROLE_CLERK))
    dialog.supervision.setChecked(True)
    assert dialog.roles() == (accounts.ROLE_CLERK, accounts.ROLE_SUPERVISION)
    assert accounts.ROLE_SUPERVISION not in [dialog.role.itemData(i) for i in range(dialog.role.count())]


# ---- 干部画像 -----------------------------------------------------------------------------------------

def test_the_portrait_never_scrolls_sideways_for_a_pixel(qtbot, context, world, office_look):
    """The 干部画像 window at 1366×768 showed a horizontal scroll bar that scrolled one pixel: Qt laid the
    100 %-wide tables out a pixel wider than the page once the vertical bar took its room. Whatever the
    width, the portrait fits across."""
    from ui.portrait import portrait_view

    view = portrait_view.PortraitView(context, world["ids"]["甲"])
    qtbot.addWidget(view)
    view.show()
    shown = {}
    for width in range(640, 1400, 23):
        view.resize(width, 260)  # the vertical bar shows: the page is narrower than the window
        qtbot.wait(1)
        assert view.browser.verticalScrollBar().isVisible()
        browser = view.browser
        cut = browser.document().idealWidth() - browser.viewport().width()
        assert cut <= 1, width  # nothing of the portrait is out of sight but that pixel
        shown[width] = browser.horizontalScrollBar().isVisible()
    assert not any(shown.values()), [w for w, bar in shown.items() if bar]


def test_portrait_tab_window_and_pdf(qtbot, context, world, boxes, monkeypatch, tmp_path):
    from cadre_desk.supervision import supervision
    from ui.portrait import portrait_view
    from ui.printing import print_view

    ids = world["ids"]
    supervision.save_record(supervision.SupervisionInfo(None, ids["甲"], "提醒", "信访举报", day(-2), "工作方法简单粗暴"))
    view = portrait_view.PortraitView(context, ids["甲"])
    qtbot.addWidget(view)
    text = view.browser.toPlainText()
    assert "一线经历" in text and "驻村工作队员" in text and "日常管理与关爱" in text
    assert "工作方法简单粗暴" not in text and view.supervision.isVisibleTo(view)
    view.supervision.setChecked(True)
    assert "工作方法简单粗暴" in view.browser.toPlainText()
    view.supervision.setChecked(False)

    monkeypatch.setattr(print_view, "show_done", lambda result, parent=None: boxes.shown.append(("完成", str(result.files[0]), [])))
    target = tmp_path / "画像.pdf"

    def pdf(dialog):
        dialog.reason.setText("干部研判")
        dialog.path.setText(str(target))
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: _click(qtbot, view.pdf_button), pdf)
    context.tasks.wait_all()
    qtbot.waitUntil(lambda: bool(boxes.shown) and boxes.shown[-1][0] == "完成", timeout=10000)
    assert target.exists()

    with acting_as("经办人"):
        clerk = portrait_view.PortraitView(context, ids["甲"])
        qtbot.addWidget(clerk)
        assert not clerk.supervision.isVisibleTo(clerk) and "工作方法简单粗暴" not in clerk.browser.toPlainText()
    with acting_as("经办人", "干部监督", cadre_id=ids["甲"]):  # their own file: 回避, not even the box
        own = portrait_view.PortraitView(context, ids["甲"])
        qtbot.addWidget(own)
        assert not own.supervision.isVisibleTo(own) and "工作方法简单粗暴" not in own.browser.toPlainText()

    shown = []
    answer_dialog(qtbot, lambda: portrait_view.show_portrait(context, [ids["乙"]]),
                  lambda d: shown.append(d.windowTitle()))
    assert shown == ["干部画像 — 乙"]


def test_enter_on_a_name_typed_in_the_picker_adds_the_cadre_found(qtbot, context, world):
    """Keyboard only: a name typed in 选择入库干部 (or 选定下发对象 …) and Enter closed the picker as 确定 with
    nobody chosen (「尚未选择」). Enter adds the cadre found and empties the box for the next name; Enter on
    the cadres highlighted adds them; Enter in the empty box is 确定."""
    from ui.widgets.pick_cadres import PickCadresDialog

    ids = world["ids"]
    dialog = PickCadresDialog(None, context)
    qtbot.addWidget(dialog)
    dialog.show()
    search = dialog.picker.search
    search.setText("丙")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.ids() == [ids["丙"]] and search.text() == ""
    search.setText("没有这个人")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.ids() == [ids["丙"]]
    search.clear()
    dialog.picker.refresh()
    results = dialog.picker.results
    results.setCurrentRow(next(i for i in range(results.count()) if results.item(i).data(Qt.ItemDataRole.UserRole) == ids["甲"]))
    qtbot.keyClick(results, Qt.Key.Key_Enter)
    assert dialog.isVisible() and dialog.ids() == [ids["丙"], ids["甲"]]
    qtbot.keyClick(search, Qt.Key.Key_Return)  # nothing typed: 确定
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted


def test_talent_page_says_why_an_empty_pool_has_no_list_to_export(qtbot, context, world, boxes):
    """A pool without members: 导出名册… is disabled (its tip says why) and a line says the list is empty
    and how to fill it; with a member, both change back."""
    from cadre_desk.talent import pools
    from ui.talent import talent_view

    page = talent_view.TalentPage(context)
    qtbot.addWidget(page)
    page.show()
    assert page.current_pool().member_count == 0 and page.model.rowCount() == 0
    assert not page.buttons["export"].isEnabled()
    assert "没有" in page.buttons["export"].toolTip()
    assert page.empty_note.isVisible() and "还没有" in page.empty_note.text() and "纳入干部" in page.empty_note.text()
    pools.add_members(page.current_pool().id, [world["ids"]["甲"]])
    context.data_changed.emit(talent_view.CAPABILITY)
    assert page.model.rowCount() == 1 and page.buttons["export"].isEnabled()
    assert not page.empty_note.isVisible()


def test_talent_page_exports_the_list_it_shows(qtbot, context, world, boxes, monkeypatch, tmp_path):
    """导出名册… wrote the whole pool whatever 层级 and 查找 the clerk had chosen, in the pool's order, with
    nothing saying so: now the rows the list shows, in the list's order; the file's suggested name, the
    button's tip and the sheet's heading say what was chosen."""
    import openpyxl

    from cadre_desk.talent import pools
    from ui.talent import talent_view

    ids = world["ids"]
    pool = pools.list_pools()[0]
    pools.add_members(pool.id, [ids["甲"], ids["乙"]], "骨干")
    pools.add_members(pool.id, [ids["丙"]], "领军")
    page = talent_view.TalentPage(context)
    qtbot.addWidget(page)
    page.level_box.setCurrentText("骨干")
    page.table.sortByColumn(page.model.columns.index(next(c for c in page.model.columns if c.title == "姓名")),
                            Qt.SortOrder.AscendingOrder)
    assert [m.cadre_name for m in page.model.rows] == ["乙", "甲"]
    assert "2 人（骨干）" in page.buttons["export"].toolTip()
    page.text.setText("无此人")  # nothing listed: nothing to export
    assert not page.buttons["export"].isEnabled() and "没有" in page.buttons["export"].toolTip()
    page.text.clear()
    target, suggested = tmp_path / "库.xlsx", []
    monkeypatch.setattr("ui.widgets.files.save_file", lambda _p, _c, default, _f: (suggested.append(default),
                                                                                  str(target))[1])
    boxes.inputs.append("报送")
    _click(qtbot, page.buttons["export"])
    context.tasks.wait_all()
    qtbot.waitUntil(target.exists, timeout=10000)
    assert "专业干部信息库_经济发展（骨干）_" in suggested[0]
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["A1"].value.endswith("专业干部信息库——经济发展（骨干）")
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["乙", "甲"]


def test_talent_page_imports_a_list(qtbot, context, world, boxes, monkeypatch, tmp_path):
    import openpyxl

    from cadre_desk.talent import pools
    from ui.talent import talent_view

    book = openpyxl.Workbook()
    book.active.append(["姓名", "层级", "备注"])
    book.active.append(["甲", "领军", "招商经验丰富"])
    book.active.append(["无此人", "骨干", ""])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(path))
    page = talent_view.TalentPage(context)
    qtbot.addWidget(page)
    seen = []

    def check(dialog):
        seen.append((dialog.ok_button.text(), [r.problem for r in dialog.model.rows]))
        _click(qtbot, dialog.ok_button)

    answer_dialog(qtbot, lambda: (_click(qtbot, page.buttons["import"]), context.tasks.wait_all(),
                                  qtbot.waitUntil(lambda: bool(seen), timeout=10000)), check)
    assert seen[0][0] == "导入 1 行" and "找不到“无此人”" in seen[0][1][1]
    assert boxes.texts()[-1].startswith("已纳入 1 人次")
    assert [(m.cadre_name, m.level, m.note) for m in pools.list_members(page.current_pool().id)] == [
        ("甲", "领军", "招商经验丰富")]
    assert [m.cadre_name for m in page.model.rows] == ["甲"]


def test_pools_dialog_adds_renames_and_deletes_a_pool(qtbot, context, world, boxes):
    from cadre_desk.talent import pools
    from ui.talent import talent_view

    dialog = talent_view.PoolsDialog()
    qtbot.addWidget(dialog)
    count = dialog.list.count()

    def add(pool_dialog):
        pool_dialog.name.setText("数字 经济")
        pool_dialog.description.setPlainText("大数据")
        _click(qtbot, pool_dialog.ok_button)

    answer_dialog(qtbot, lambda: dialog.add(), add)
    assert dialog.list.count() == count + 1 and dialog.current().name == "数字经济"

    def rename(pool_dialog):
        pool_dialog.name.setText("数字政府")
        pool_dialog.retired.setChecked(True)
        _click(qtbot, pool_dialog.ok_button)

    answer_dialog(qtbot, lambda: dialog.edit(), rename)
    renamed = dialog.current()
    assert (renamed.name, renamed.retired, renamed.version) == ("数字政府", True, 2)
    assert dialog.list.currentItem().text().startswith("数字政府（停用）")
    dialog.delete()  # 删除 answered yes
    assert dialog.list.count() == count and "数字政府" not in [p.name for p in pools.list_pools(include_retired=True)]


def test_care_tables_give_talker_and_recorder_room_for_a_name_with_its_office(qtbot, context, world):
    """谈话人 (张翊（组织部干部一科）) and 记录人 (组织部干部科) were cut to 张翊（组织… and 组织部干…."""
    page = _care_page(qtbot, context)
    for table, model, key, text in ((page.talk_table, page.talks, "talker", "张翊（干部一科）"),
                                    (page.talk_table, page.talks, "recorder", "组织部干部科"),
                                    (page.care_list.table, page.care_list.model, "recorder", "组织部干部科")):
        column = next(c for c in range(model.columnCount()) if model.columns[c].key == key)
        needed = table.fontMetrics().horizontalAdvance(text) + 12  # the cell's padding
        assert table.columnWidth(column) >= needed, (key, table.columnWidth(column), needed)


def test_checkups_result_buttons_only_beside_the_people_they_act_on(qtbot, context, world, boxes):
    """On 单位汇总 登记核查结果… stayed enabled and opened the result of someone chosen on 核查对单, out of
    sight; it waits for 核查对单 now, and says so."""
    from ui.checkups import checkups_view

    page = checkups_view.CheckupsPage(context)
    qtbot.addWidget(page)

    def issue(dialog):
        dialog.group.setCurrentText("单位")
        dialog.ref.setCurrentIndex(dialog.ref.findData(world["a"]))
        dialog.title_edit.setText("提醒单")
        _click(qtbot, dialog.ok_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # issued through the task runner

    answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["issue"]), issue)
    _select(page.table, 0)
    assert page.buttons["result"].isEnabled()
    page.tabs.setCurrentIndex(1)  # 单位汇总
    assert not page.buttons["result"].isEnabled() and not page.buttons["clean"].isEnabled()
    assert "核查对单" in page.buttons["result"].toolTip()
    page.tabs.setCurrentIndex(0)
    assert page.buttons["result"].isEnabled() and page.buttons["result"].toolTip() == ""


def test_checkups_round_actions_off_for_a_round_shared_with_other_units(qtbot, context, world):
    from tests.test_practices import _round
    from ui.checkups import checkups_view

    _round(world, names=("甲", "丙"))
    with acting_as("经办人", units=(world["a"],)):
        page = checkups_view.CheckupsPage(context)
        qtbot.addWidget(page)
        assert page.round_box.currentData() is not None
        for key in ("edit_round", "delete_round"):
            action = page.menu_actions[key]
            assert not action.isEnabled() and "1 名其他单位的干部" in action.toolTip()
        assert page.menu_actions["add"].isEnabled()
    page = checkups_view.CheckupsPage(context)  # the department's own, every unit
    qtbot.addWidget(page)
    assert page.menu_actions["edit_round"].isEnabled() and "其他单位" not in page.menu_actions["edit_round"].toolTip()


def test_a_rounds_reminder_opens_who_is_still_to_be_checked_back(qtbot, context, world, boxes, monkeypatch):
    """“…尚有 2 人未核查对单” on the 工作台 opened nothing (“这条提醒没有对应的记录可打开”) and, having no
    date, was not counted 已逾期 past its 核查截止日期. It carries the round and its due day, and a click shows
    the round's 未核查 on the 政治体检 page."""
    import datetime as _dt

    from cadre_desk.checkups import checkup_rules
    from cadre_desk.domain import clock
    from cadre_desk.home import reminders
    from tests.test_practices import _round
    from ui.home.home_page import open_record
    from ui.shell.main_window import MainWindow

    issued = _round(world, names=("甲", "乙", "丙"), issued=-20, due=3)
    sheet = checkup_sheets.missing(issued.round.id)[0]
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.CLEAN, checked_on=day(-1), checker="干部一科")
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=5), _dt.time(9)))
    (overdue,) = [r for r in checkup_rules.reminders() if "未核查对单" in r.text]
    assert overdue.due == issued.round.due and overdue.opens == (checkup_rules.ROUND, issued.round.id)
    assert reminders.urgency(overdue) == reminders.OVERDUE
    window = MainWindow(context)
    qtbot.addWidget(window)
    context.main_window = window
    assert open_record(context, overdue, window) and not boxes.texts()
    page = window.page("checkups")
    assert page.round_box.currentData() == issued.round.id and page.tabs.currentWidget() is page.table
    assert {s.cadre_name for s in page.sheets.rows} == {"乙", "丙"} and page.summary.text() == "共 2 人：未核查 2 人"

    # the page already open: the sheets searched once, for the round's 未核查 (they were searched for the
    # filters the page had, then twice more for the round — for its list and for its 单位汇总)
    from ui.checkups import checkups_view

    searched = []
    real = checkups_view.checkup_sheets.search
    monkeypatch.setattr(checkups_view.checkup_sheets, "search", lambda flt=None: searched.append(flt) or real(flt))
    page.result_box.setCurrentIndex(0)
    searched.clear()
    assert open_record(context, overdue, window)
    assert [(f.round_id, f.result) for f in searched] == [(issued.round.id, checkups.UNCHECKED_LABEL)]
    assert {s.cadre_name for s in page.sheets.rows} == {"乙", "丙"}


def test_issue_dialog_says_how_many_already_have_this_quarters_sheet(qtbot, context, world):
    """The dialog said “共 2 人” for a unit whose two cadres already had this quarter's sheet; 下发 then
    refused (“都已下发过”) or issued to fewer than it said. It says how many, for the quarter chosen."""
    from tests.test_practices import _round
    from ui.checkups.checkup_dialogs import IssueDialog

    issued = _round(world, names=("甲", "乙"))
    dialog = IssueDialog(context)
    qtbot.addWidget(dialog)
    dialog.group.setCurrentText("单位")
    dialog.ref.setCurrentIndex(dialog.ref.findData(world["a"]))
    label = issued.round.quarter_label
    qtbot.waitUntil(lambda: not dialog.counting)  # counted in the task runner
    assert dialog.count.text() == f"共 2 人，{label}都已下发过提醒单：请换一个季度或下发对象"
    dialog.quarter.setCurrentIndex(issued.round.quarter % 4)  # another quarter
    assert dialog.count.text() == "正在统计…"
    qtbot.waitUntil(lambda: not dialog.counting)
    assert dialog.count.text() == "共 2 人（同一季度已下发过的干部不会重复下发）"


def test_issue_is_disabled_while_the_group_chosen_has_nobody_left_to_issue_to(qtbot, context, world):
    """The dialog counted 「共 8 人，其中 8 人…已下发过」 and left 下发 enabled: pressed, it was refused
    (「都已下发过提醒单」). Nobody left to issue to (all issued this quarter, nobody picked): 下发 is
    disabled and the line says what to change; another quarter enables it again."""
    from tests.test_practices import _round
    from ui.checkups.checkup_dialogs import PICKED, IssueDialog

    issued = _round(world, names=("甲", "乙"))
    dialog = IssueDialog(context)
    qtbot.addWidget(dialog)
    dialog.group.setCurrentText("单位")
    dialog.ref.setCurrentIndex(dialog.ref.findData(world["a"]))
    qtbot.waitUntil(lambda: not dialog.counting)
    assert not dialog.ok_button.isEnabled() and "请换一个季度或下发对象" in dialog.count.text()
    dialog.quarter.setCurrentIndex(issued.round.quarter % 4)  # another quarter
    qtbot.waitUntil(lambda: not dialog.counting)
    assert dialog.ok_button.isEnabled()
    dialog.group.setCurrentText(PICKED)
    qtbot.waitUntil(lambda: not dialog.counting)
    assert not dialog.ok_button.isEnabled() and dialog.count.text() == "共 0 人：请点「选定干部…」选定下发对象"


def test_issue_dialog_counts_its_group_off_the_gui_thread_and_issues_to_it(qtbot, context, world, monkeypatch):
    """下发提醒单… opened on 一线在岗干部 read every posting and checked every cadre of the group against the
    quarter's sheets on the GUI thread: at 100,000 cadres the window froze 0.4 s as the dialog opened, and
    again at each choice (a unit of 38,000: 0.26 s). Counted in the task runner: 「正在统计…」 at once,
    then the count; 下发 still issues to the group counted."""
    import threading

    from cadre_desk.postings.posting_data import ON_POST
    from cadre_desk.store.checkup_models import CheckupSheet
    from ui.checkups import checkup_dialogs

    on_gui_thread = []
    real = checkup_dialogs.visible_postings

    def visible_postings(**filters):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return real(**filters)
    monkeypatch.setattr(checkup_dialogs, "visible_postings", visible_postings)
    dialog = checkup_dialogs.IssueDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.group.currentText() == checkup_dialogs.POSTED and dialog.count.text() == "正在统计…"
    qtbot.waitUntil(lambda: not dialog.counting)
    posted = len({p.cadre_id for p in real(state=ON_POST)})
    assert on_gui_thread == [False] and dialog.count.text() == f"共 {posted} 人（同一季度已下发过的干部不会重复下发）"
    dialog.group.setCurrentText(checkup_dialogs.UNIT)
    dialog.ref.setCurrentIndex(dialog.ref.findData(world["a"]))
    qtbot.waitUntil(lambda: not dialog.counting)
    assert dialog.count.text() == "共 2 人（同一季度已下发过的干部不会重复下发）"
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # issued through the task runner
    assert dialog.result_value.issued == 2 and CheckupSheet.select().count() == 2


def test_a_clerk_cannot_start_checking_back_their_own_sheet(qtbot, context, world):
    """回避: 登记核查结果… on the clerk's own sheet opened the form and refused only at 保存, what was typed lost
    to nothing; the buttons are off for it and say why, and 批量核查 leaves it out."""
    from tests.test_practices import _round
    from ui.checkups import checkups_view

    _round(world, names=("甲", "乙"))
    with acting_as("经办人", units=(world["a"],), cadre_id=world["ids"]["甲"]):
        page = checkups_view.CheckupsPage(context)
        qtbot.addWidget(page)
        own = next(n for n, s in enumerate(page.sheets.rows) if s.cadre_name == "甲")
        other = 1 - own
        _select(page.table, own)
        assert not page.buttons["result"].isEnabled() and not page.buttons["clean"].isEnabled()
        assert "回避" in page.buttons["result"].toolTip()
        _select(page.table, other)
        assert page.buttons["result"].isEnabled() and page.buttons["result"].toolTip() == ""
        _select(page.table, own, other)
        assert not page.buttons["result"].isEnabled() and page.buttons["clean"].isEnabled()

        def clean(dialog):
            assert [s.cadre_name for s in dialog.sheets] == ["乙"]
            _click(qtbot, dialog.ok_button)

        answer_dialog(qtbot, lambda: _click(qtbot, page.buttons["clean"]), clean)
        assert {s.cadre_name: s.result_label for s in checkup_sheets.search().rows} == {"甲": "未核查", "乙": "无问题"}


def test_a_new_talk_interval_lists_the_talks_due_again(qtbot, context, world):
    """工具 → 谈心谈话提醒设置: after a new interval the 谈话提醒 tab kept the old due days and its note the old
    number of days until the program was started again."""
    from ui.care import care_dialogs

    page = _care_page(qtbot, context)
    (due,) = page.due.rows  # posted 100 days ago, never talked with: due after 90 days, 10 days late
    assert "每 90 天" in page.due_note.text() and page.due.data(page.due.index(0, 4)) == "10"

    def thirty(dialog):
        dialog.days.setValue(30)
        _click(qtbot, dialog.ok_button)

    context.main_window = page
    answer_dialog(qtbot, lambda: care_dialogs.open_settings(context), thirty)
    page.tabs.setCurrentIndex(1)  # the 谈话提醒 tab, listed again as it is chosen
    _loaded(qtbot, page)
    assert "每 30 天" in page.due_note.text() and page.due.data(page.due.index(0, 4)) == "70"


def test_the_talk_dialog_follows_a_cadre_chosen_by_id_at_the_previous_ones_place(qtbot, context, world):
    """set_cadre of a cadre whose match landed at the list position of the one before (the first line of
    the new search) said nothing: the 关联锻炼岗位 box kept the previous cadre's posting, and a talk with 乙
    could be saved tied to 甲's posting."""
    from ui.care.care_dialogs import TalkDialog

    ids = world["ids"]
    dialog = TalkDialog(context, cadre_id=ids["甲"])
    qtbot.addWidget(dialog)
    assert dialog.posting.currentData() == world["posting"]
    dialog.cadre.set_cadre(ids["乙"])
    assert dialog.cadre.cadre_name() == "乙"
    assert dialog.posting.count() == 1 and dialog.posting.currentData() is None  # 乙 was not posted
    dialog.cadre.set_cadre(ids["甲"])
    assert dialog.posting.currentData() == world["posting"]
