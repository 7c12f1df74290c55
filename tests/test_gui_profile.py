"""The profile dialog through its widgets: create, edit with errors shown inline, delete, photo."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from cadre_desk.domain.citizen_id import check_char  # noqa: E402
from cadre_desk.domain.errors import NotFoundError  # noqa: E402
from cadre_desk.domain.text import keep_together  # noqa: E402
from cadre_desk.profiles import cadres  # noqa: E402
from tests.conftest import make_profile  # noqa: E402


def valid_id(first17: str) -> str:
    return first17 + check_char(first17)


ID_1985 = valid_id("11010519851012001")  # 男 (17th digit odd), born 1985-10-12
BAD_ID = ID_1985[:17] + ("1" if ID_1985[17] != "1" else "2")  # wrong check character


@pytest.fixture
def context(db, db_path):
    from ui.shell.context import AppContext

    ctx = AppContext(db_path)
    yield ctx
    ctx.tasks.wait_all(5000)


@pytest.fixture
def saved(unit):
    profile = make_profile(unit.id, id_number=ID_1985, birth="198510")
    return cadres.save_profile(profile).profile


def open_dialog(qtbot, context, cadre_id=None, unit_id=None):
    from ui.profiles.profile_dialog import ProfileDialog

    dialog = ProfileDialog(context, cadre_id, unit_id=unit_id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))  # no "discard changes?" prompt
    dialog.show()
    return dialog


def editor(dialog, key):
    return dialog.cells[key].editor


def test_create_cadre_through_dialog(qtbot, context, unit):
    dialog = open_dialog(qtbot, context, unit_id=unit.id)
    assert dialog.windowTitle() == "新建干部档案"
    assert not dialog.delete_button.isVisible()
    editor(dialog, "name").setText("赵犇")
    gender = editor(dialog, "gender")
    gender.setCurrentIndex(gender.findText("男"))
    editor(dialog, "birth").setText("1985.10")
    editor(dialog, "ethnicity").setEditText("回族")
    editor(dialog, "id_number").setText(ID_1985.lower())
    editor(dialog, "party").setText("200807")
    editor(dialog, "categories").boxes["02"].setChecked(True)
    assert editor(dialog, "unit").value() == unit.id
    resume = dialog.records["resume"]
    resume.add_row()
    for col, text in enumerate(["200309", "200707", "北京大学经济学院学习"]):
        resume.table.item(0, col).setText(text)
    resume.add_row()
    for col, text in enumerate(["200707", "", "市财政局科员"]):
        resume.table.item(1, col).setText(text)
    family = dialog.records["family"]
    family.add_row()
    for col, text in enumerate(["父亲", "赵大", "196001", "中共党员", "退休"]):
        family.table.item(0, col).setText(text)

    dialog.accept()

    assert dialog.result() == QDialog.Accepted
    rows = cadres.list_rows()
    assert len(rows) == 1
    profile = cadres.get_profile(rows[0][0])
    assert profile.values["name"] == "赵犇"
    assert profile.values["ethnicity"] == "03"
    assert profile.values["id_number"] == ID_1985
    assert profile.values["categories"] == "02"
    assert profile.values["birth"] == "198510"
    assert [r.text for r in profile.resume] == ["北京大学经济学院学习", "市财政局科员"]
    assert profile.family[0].relation == "10" and profile.family[0].political == "01"


def test_validation_errors_inline_then_fixed(qtbot, context, saved):
    dialog = open_dialog(qtbot, context, saved.id)
    assert dialog.delete_button.isVisible()
    editor(dialog, "ethnicity").setEditText("汉")
    editor(dialog, "id_number").setText(BAD_ID)
    dialog.tabs.setCurrentIndex(2)

    assert dialog.save() is False

    assert "汉族" in dialog.field_error("ethnicity")
    assert "校验位" in dialog.field_error("id_number")
    assert editor(dialog, "ethnicity").property("error") == "true"
    assert not dialog.error_banner.isHidden()
    assert dialog.tabs.currentIndex() == 0  # the tab of the first bad field
    assert dialog.tabs.tabText(0) == "基本信息 (2)"
    assert dialog.tabs.tabBar().tabTextColor(0) == QColor("#c62828")
    # what the user typed is kept
    assert editor(dialog, "ethnicity").currentText() == "汉"
    assert editor(dialog, "id_number").text() == BAD_ID
    assert cadres.get_profile(saved.id).values["ethnicity"] == "01"

    editor(dialog, "ethnicity").setEditText("汉族")
    assert dialog.field_error("ethnicity") == ""  # cleared as soon as the field changes
    editor(dialog, "id_number").setText(ID_1985)
    assert dialog.save() is True
    assert dialog.error_banner.isHidden()
    assert dialog.tabs.tabText(0) == "基本信息"
    stored = cadres.get_profile(saved.id)
    assert stored.version == saved.version + 1
    assert dialog.profile.version == stored.version

    # the dialog stays correct for a second save (version moved on)
    editor(dialog, "phone").setText("13800000000")
    assert dialog.save() is True
    assert cadres.get_profile(saved.id).values["phone"] == "13800000000"


def test_subrecord_error_marks_the_cell(qtbot, context, saved):
    dialog = open_dialog(qtbot, context, saved.id)
    resume = dialog.records["resume"]
    resume.add_row()
    resume.table.item(0, 0).setText("2001.13")
    resume.table.item(0, 2).setText("某单位科员")
    assert dialog.save() is False
    assert dialog.tabs.currentIndex() == dialog._record_tabs["resume"]
    assert "月份" in resume.error_label.text()
    assert resume.table.item(0, 0).background().color() == QColor("#fde2e1")
    assert resume.table.item(0, 0).text() == "2001.13"


def test_warnings_shown_and_saved(qtbot, context, unit):
    dialog = open_dialog(qtbot, context, unit_id=unit.id)
    editor(dialog, "name").setText("钱七")
    unknown_region = valid_id("99999919851012001")
    editor(dialog, "id_number").setText(unknown_region)
    assert dialog.save() is True
    assert "地区码" in dialog.warning_banner.text()
    assert not dialog.warning_banner.isHidden()
    assert dialog.profile.id is not None
    assert dialog.delete_button.isVisible()  # now a saved cadre
    stored = cadres.get_profile(dialog.profile.id)
    assert stored.values["gender"] == "1" and stored.values["birth"] == "198510"  # from the ID


def test_conflict_is_reported_not_overwritten(qtbot, context, saved, boxes):
    dialog = open_dialog(qtbot, context, saved.id)
    other = cadres.get_profile(saved.id)
    other.values["phone"] = "010-1234"
    cadres.save_profile(other)
    boxes.answers.append("取消")
    editor(dialog, "phone").setText("999")
    assert dialog.save() is False
    shown = boxes.texts()
    assert shown and f"已被 {keep_together('tester')} 于" in shown[0]
    assert sorted(boxes.shown[0][2]) == sorted(["重新载入对方的修改", "仍然保存我的修改", "取消"])
    assert cadres.get_profile(saved.id).values["phone"] == "010-1234"
    dialog.reload()
    assert editor(dialog, "phone").text() == "010-1234"
    editor(dialog, "phone").setText("020-5678")
    assert dialog.save() is True


def test_delete_through_dialog(qtbot, context, saved, monkeypatch):
    changed = []
    context.cadres_changed.connect(changed.append)
    dialog = open_dialog(qtbot, context, saved.id)
    assert dialog.delete() is True
    with pytest.raises(NotFoundError):
        cadres.get_profile(saved.id)
    assert changed == [[saved.id]]


def test_delete_declined_keeps_cadre(qtbot, context, saved, boxes):
    dialog = open_dialog(qtbot, context, saved.id)
    boxes.answers.append("取消")
    assert dialog.delete() is False
    assert cadres.get_profile(saved.id).name == "张三"


def test_photo_cropped_to_4_5_and_saved(qtbot, context, saved, tmp_path):
    image = QImage(800, 400, QImage.Format_RGB32)
    image.fill(QColor("#336699"))
    path = tmp_path / "photo.png"
    assert image.save(str(path))
    dialog = open_dialog(qtbot, context, saved.id)
    assert dialog.set_photo_file(str(path))
    stored = QImage.fromData(dialog.photo)
    assert (stored.width(), stored.height()) == (300, 375)
    assert dialog.photo_delete.isEnabled()
    assert dialog.save() is True
    assert cadres.get_profile(saved.id).photo == dialog.photo
    dialog.delete_photo()
    assert dialog.save() is True
    assert not cadres.get_profile(saved.id).photo


def test_phone_photo_is_turned_upright_by_its_exif_orientation(qtbot):
    """A portrait taken on a phone is stored landscape with EXIF orientation 6 (turn 90° clockwise)."""
    import struct

    from PySide6.QtCore import QBuffer, QIODevice

    from ui.profiles.profile_dialog import crop_photo

    image = QImage(500, 400, QImage.Format_RGB32)
    image.fill(QColor("red"))
    for y in range(200, 400):  # bottom half blue: upright, that is the left half
        for x in range(500):
            image.setPixelColor(x, y, QColor("blue"))
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "JPEG", 95)
    jpeg = bytes(buffer.data())
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">HHHIHH", 1, 0x0112, 3, 1, 6, 0) + b"\x00" * 4
    exif = b"Exif\x00\x00" + tiff
    jpeg = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + jpeg[2:]
    stored = QImage.fromData(crop_photo(jpeg))
    assert (stored.width(), stored.height()) == (300, 375)
    left, right = stored.pixelColor(20, 187), stored.pixelColor(280, 187)
    assert left.blue() > 200 and left.red() < 60
    assert right.red() > 200 and right.blue() < 60


def test_bad_photo_file_is_refused(qtbot, context, saved, tmp_path, boxes):
    path = tmp_path / "not-an-image.jpg"
    path.write_bytes(b"plain text")
    dialog = open_dialog(qtbot, context, saved.id)
    assert dialog.set_photo_file(str(path)) is False
    warnings = boxes.texts()
    assert warnings and "无法识别" in warnings[0]


def test_readonly_mode(qtbot, context, saved):
    context.db_readonly = True
    dialog = open_dialog(qtbot, context, saved.id)
    assert not dialog.save_button.isVisible()
    assert not dialog.delete_button.isVisible()
    assert editor(dialog, "name").isReadOnly()
    assert not editor(dialog, "gender").isEnabled()
    # tabs built after the dialog opened are read-only too
    dialog.tabs.setCurrentIndex(dialog.cells["position"].tab)
    assert editor(dialog, "position").isReadOnly()
    assert not editor(dialog, "unit").isEnabled()
    dialog.tabs.setCurrentIndex(dialog._record_tabs["resume"])
    assert not dialog.records["resume"].add_button.isVisibleTo(dialog)
    assert dialog.save() is False


def test_close_with_changes_asks(qtbot, context, saved, boxes):
    """Closing with edits asks 保存 / 不保存 / 取消, as closing the window, 注销 and 切换用户 do."""
    dialog = open_dialog(qtbot, context, saved.id)
    assert not dialog.has_unsaved()
    editor(dialog, "name").setText("张三丰")
    assert dialog.has_unsaved()
    boxes.answers.append("取消")
    dialog.reject()
    title, text, buttons = boxes.shown[-1]
    assert sorted(buttons) == sorted(["保存", "不保存", "取消"]) and dialog.isVisible()
    assert title == "关闭" and f"· 干部档案 — {saved.name}" in text
    # 保存 runs the normal save: refused, the dialog stays open on the edits, the error shown
    editor(dialog, "id_number").setText(BAD_ID)
    boxes.answers.append("保存")
    dialog.reject()
    assert dialog.isVisible() and "校验位" in dialog.field_error("id_number")
    assert editor(dialog, "name").text() == "张三丰" and cadres.get_profile(saved.id).name == saved.name
    # 保存 with the checks passed: saved and closed
    editor(dialog, "id_number").setText(ID_1985)
    boxes.answers.append("保存")
    dialog.reject()
    assert not dialog.isVisible() and cadres.get_profile(saved.id).name == "张三丰"


def test_close_without_saving(qtbot, context, saved, boxes):
    dialog = open_dialog(qtbot, context, saved.id)
    editor(dialog, "name").setText("张三丰")
    boxes.answers.append("不保存")
    dialog.reject()
    assert not dialog.isVisible() and cadres.get_profile(saved.id).name == saved.name


def test_extra_tabs_from_registry(qtbot, context, saved, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from ui.shell import registry

    monkeypatch.setattr(registry, "PROFILE_TABS", [
        registry.ProfileTabSpec("一线经历", lambda ctx, cadre_id: QLabel(f"干部 {cadre_id}"), order=10)])
    dialog = open_dialog(qtbot, context, saved.id)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[:9] == ["基本信息", "学历学位", "任免信息", "培养使用", "简历", "家庭成员", "奖惩", "培训", "年度考核"]
    assert titles[-1] == "一线经历"
    new_dialog = open_dialog(qtbot, context, None, unit_id=saved.values["unit"])
    assert "一线经历" not in [new_dialog.tabs.tabText(i) for i in range(new_dialog.tabs.count())]


def test_every_registry_field_has_an_editor(qtbot, context, saved):
    from cadre_desk.domain.fields import FIELDS

    dialog = open_dialog(qtbot, context, saved.id)
    assert set(dialog.cells) == {spec.key for spec in FIELDS}
    collected = dialog.collect()
    stored = cadres.get_profile(saved.id)
    for spec in FIELDS:
        want = stored.values[spec.key]
        assert collected.values[spec.key] == ("" if want is None else want), spec.key


# ---- tabs built on first need ---------------------------------------------------------------------


@pytest.fixture
def full(unit):
    """A cadre with values on every field tab and rows in every sub-record table."""
    from cadre_desk.profiles.cadres import AssessmentItem, FamilyItem, ResumeItem, RewardItem, TrainingItem

    profile = make_profile(unit.id, id_number=ID_1985, birth="198510", ft_education="21", ft_degree="4",
                           position="市财政局科员", rank_date="201801", categories="01,03", remarks="备注")
    profile.resume = [ResumeItem("200309", "200707", "北京大学经济学院学习"), ResumeItem("200707", "", "市财政局科员")]
    profile.family = [FamilyItem("10", "张大", "196001", "01", "退休", valid_id("11010519600101001"))]
    profile.rewards = [RewardItem("201512", "1", "嘉奖", "市财政局")]
    profile.trainings = [TrainingItem("处级干部进修班", "市委党校", "201903", "201906", 120)]
    profile.assessments = [AssessmentItem(2023, "1", "", "")]
    return cadres.save_profile(profile).profile


def test_only_the_first_tab_is_built_and_an_unvisited_tab_loses_nothing(qtbot, context, full):
    dialog = open_dialog(qtbot, context, full.id)
    assert dialog.is_tab_built(0)
    assert not any(dialog.is_tab_built(i) for i in range(1, dialog.tabs.count()))
    assert not dialog.has_unsaved()
    editor(dialog, "phone").setText("13800000000")  # on 基本信息; no other tab is ever shown
    assert dialog.has_unsaved()

    assert dialog.save() is True

    assert not any(dialog.is_tab_built(i) for i in range(1, dialog.tabs.count()))
    stored = cadres.get_profile(full.id)
    assert stored.values == {**full.values, "phone": "13800000000"}
    for attr in ("resume", "family", "rewards", "trainings", "assessments"):
        assert getattr(stored, attr) == getattr(full, attr), attr
    assert [r.text for r in stored.resume] == ["北京大学经济学院学习", "市财政局科员"]
    assert stored.family[0].name == "张大"
    assert not dialog.has_unsaved()


def test_a_tab_built_later_shows_the_loaded_values_and_is_not_dirty(qtbot, context, full):
    dialog = open_dialog(qtbot, context, full.id)
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        assert dialog.is_tab_built(i)
        assert not dialog.has_unsaved(), dialog.tabs.tabText(i)
    assert editor(dialog, "position").value() == "市财政局科员"
    assert editor(dialog, "ft_education").value() == "21"
    assert editor(dialog, "categories").value() == "01,03"
    family = dialog.records["family"]
    assert family.table.item(0, 0).text() == "父亲"
    assert dialog.records["trainings"].table.item(0, 4).text() == "120"
    family.table.item(0, 1).setText("张老大")
    assert dialog.has_unsaved()
    assert dialog.save() is True
    stored = cadres.get_profile(full.id)
    assert stored.family[0].name == "张老大"
    assert stored.family[0].id_number == full.family[0].id_number  # a field without a column is kept
    assert stored.resume == full.resume


def test_error_in_a_later_tab_is_shown_there(qtbot, context, full):
    dialog = open_dialog(qtbot, context, full.id)
    rank_tab = dialog.cells["rank_date"].tab
    assert dialog.tabs.tabText(rank_tab) == "任免信息"
    assert dialog.tabs.widget(rank_tab).isAncestorOf(editor(dialog, "rank_date"))
    assert dialog.tabs.currentIndex() == 0  # looking the cell up built its tab, but did not show it
    editor(dialog, "rank_date").setText("2018.13")

    assert dialog.save() is False

    assert dialog.tabs.currentIndex() == rank_tab
    assert "月份" in dialog.field_error("rank_date")
    assert dialog.tabs.tabText(rank_tab) == "任免信息 (1)"
    assert editor(dialog, "rank_date").text() == "2018.13"
    assert cadres.get_profile(full.id).values["rank_date"] == "201801"


def test_error_about_a_stored_value_builds_its_tab(qtbot, context, full):
    from cadre_desk.store.models import Cadre, ResumeEntry

    # what an old database or an import may hold: values the dialog's validation now refuses
    Cadre.update(rank_date="2018.13").where(Cadre.id == full.id).execute()
    ResumeEntry.update(start="2003.13").where(ResumeEntry.cadre == full.id, ResumeEntry.seq == 0).execute()
    dialog = open_dialog(qtbot, context, full.id)
    rank_tab, resume_tab = dialog.cells["rank_date"].tab, dialog._record_tabs["resume"]
    dialog.tabs.setCurrentIndex(0)
    assert not dialog.is_tab_built(resume_tab)

    assert dialog.save() is False

    assert dialog.is_tab_built(rank_tab) and dialog.is_tab_built(resume_tab)
    assert "月份" in dialog.field_error("rank_date")
    assert editor(dialog, "rank_date").text() == "2018.13"
    assert dialog.tabs.tabText(rank_tab) == "任免信息 (1)"
    assert dialog.tabs.tabText(resume_tab) == "简历 (1)"
    assert dialog.tabs.currentIndex() == rank_tab  # the first tab with an error
    resume = dialog.records["resume"]
    assert resume.table.item(0, 0).text() == "2003.13"
    assert resume.table.item(0, 0).background().color() == QColor("#fde2e1")


def test_capability_tab_is_built_when_first_shown(qtbot, context, saved, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from ui.shell import registry

    built = []

    def factory(ctx, cadre_id):
        built.append(cadre_id)
        return QLabel(f"干部 {cadre_id}")

    monkeypatch.setattr(registry, "PROFILE_TABS", [registry.ProfileTabSpec("一线经历", factory, order=10)])
    dialog = open_dialog(qtbot, context, saved.id)
    last = dialog.tabs.count() - 1
    assert dialog.tabs.tabText(last) == "一线经历" and built == []
    dialog.tabs.setCurrentIndex(last)
    assert built == [saved.id]
    assert dialog.tabs.widget(last).findChild(QLabel).text() == f"干部 {saved.id}"
    dialog.tabs.setCurrentIndex(0)
    dialog.tabs.setCurrentIndex(last)
    assert built == [saved.id]


def test_code_combos_share_one_model_without_sharing_changes(qtbot):
    from ui.widgets.field_widgets import CodeCombo

    first, second = CodeCombo("GB22611"), CodeCombo("GB22611")
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    assert first.model() is second.model()
    count = second.count()
    first.set_value("9")  # an old code the table no longer has: shown in this combo only
    assert first.value() == "9" and first.currentText() == "9"
    assert second.count() == count and second.findData("9") < 0
    second.set_value("2")
    assert second.value() == "2" and first.value() == "9"


def test_disk_full_during_a_dialog_save_is_said_and_keeps_the_typing(qtbot, context, saved, boxes):
    from cadre_desk.store.db import database

    dialog = open_dialog(qtbot, context, saved.id)
    editor(dialog, "remarks").setPlainText("很长的备注" * 100)
    dialog.photo = bytes(range(256)) * 1600  # 400 KB that do not fit
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    try:
        assert dialog.save() is False
    finally:
        database.execute_sql("PRAGMA max_page_count = 1073741823")
    warnings = boxes.texts()
    assert warnings and "磁盘空间不足" in warnings[0]
    assert editor(dialog, "remarks").toPlainText() == "很长的备注" * 100
    assert not cadres.get_profile(saved.id).values["remarks"]


def test_profile_dialog_is_no_taller_than_the_screen(qtbot, context, saved, monkeypatch):
    """On a 1366×768 screen with a taskbar, a 720-pixel-high dialog (plus its title bar) hid the
    保存 buttons under the taskbar: the first size is cut to the screen's work area."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1366, 728))
    dialog = open_dialog(qtbot, context, saved.id)
    assert dialog.width() <= 1366 - 16 and dialog.height() <= 728 - 40, dialog.size()
    assert dialog.minimumSizeHint().height() <= 728 - 40


def test_new_cadre_without_any_unit_says_where_units_are_made(qtbot, context):
    """A truly new database has no unit: the 单位 list says to make one in 单位管理 first."""
    dialog = open_dialog(qtbot, context)
    dialog.tabs.setCurrentIndex(dialog._field_tabs["unit"])
    assert "单位管理" in editor(dialog, "unit").currentText()


def test_unreadable_photo_is_reported_in_chinese(qtbot, context, saved, tmp_path, boxes):

    dialog = open_dialog(qtbot, context, saved.id)
    assert not dialog.set_photo_file(str(tmp_path / "不存在.jpg"))
    folder = tmp_path / "一个文件夹.jpg"
    folder.mkdir()
    assert not dialog.set_photo_file(str(folder))  # IsADirectoryError
    shown = boxes.texts()
    assert shown[0].startswith("找不到文件") and shown[1].startswith("这是一个文件夹")
    assert not any("Errno" in text or "No such" in text for text in shown), shown


# ---- what the form says of 简历 and 奖惩 as an import does (validation.record_warnings) -------------

def _next_year() -> int:
    from cadre_desk.domain import clock

    return clock.today().year + 1  # after the one clock's year, whatever the clock


def _type_rows(table, rows) -> None:
    for texts in rows:
        table.add_row()
        row = table.table.rowCount() - 1
        for col, text in enumerate(texts):
            table.table.item(row, col).setText(text)


# 奖惩情况 as a clerk types it from a department's 任免表: one line a year, the 批准机关 beside it
LONG_REWARDS = [(f"{year}.12", "奖励", f"年度考核被确定为优秀等次，给予嘉奖，并被评为全市脱贫攻坚工作先进个人（第{n}次）",
                 "中共兴平市委、兴平市人民政府") for n, year in enumerate(range(2005, 2020), 1)]


def _saved_late_and_long(qtbot, context, saved, words: str):
    """The profile form after 保存 of a 简历 entry (``words``) dated next year and a 奖惩情况 over the
    任免表's box: (the dialog, next year)."""
    year = _next_year()
    dialog = open_dialog(qtbot, context, saved.id)
    _type_rows(dialog.records["resume"], [("2003.09", "2007.07", "北京大学经济学院学习"), (f"{year}.03", "", words)])
    _type_rows(dialog.records["rewards"], LONG_REWARDS)
    assert dialog.save() is True
    return dialog, year


def test_a_resume_entry_after_today_and_rewards_over_the_box_are_warned_and_saved(qtbot, context, saved):
    """The clerk types 2027 for 2017 in a 简历 row and the whole 奖惩情况 of a long career: the form says
    both, as an import of the same 任免表 does — a warning above the tabs, not a refusal: saved as typed."""
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import format_date
    from cadre_desk.domain.fields import RMB_REWARDS_CHARS

    dialog, year = _saved_late_and_long(qtbot, context, saved, "兴平市发展和改革局副局长")
    assert dialog.error_banner.isHidden()
    banner = dialog.warning_banner.text()
    assert not dialog.warning_banner.isHidden()
    assert (f"简历第 2 条“{year}.03—至今 兴平市发展和改革局副局长”的起始时间晚于今天（{format_date(clock.today())}），"
            "请核对是否填错") in banner, banner
    assert "奖惩情况共 " in banner and f"超过任免审批表该栏可容纳的 {RMB_REWARDS_CHARS} 字" in banner, banner
    assert "已照常读入" not in banner  # the import's words, not the form's
    stored = cadres.get_profile(saved.id)
    assert stored.resume[-1].start == f"{year}03" and len(stored.rewards) == len(LONG_REWARDS)


def test_a_refused_save_says_the_warnings_too(qtbot, context, saved):
    dialog = open_dialog(qtbot, context, saved.id)
    _type_rows(dialog.records["resume"], [(f"{_next_year()}.03", "", "兴平市发展和改革局副局长")])
    editor(dialog, "id_number").setText(BAD_ID)
    assert dialog.save() is False
    assert "起始时间晚于今天" in dialog.warning_banner.text() and not dialog.error_banner.isHidden()


def test_a_resume_of_this_month_and_rewards_that_fit_are_not_warned(qtbot, context, saved):
    from cadre_desk.domain import clock

    today = clock.today()
    dialog = open_dialog(qtbot, context, saved.id)
    _type_rows(dialog.records["resume"], [(f"{today.year}.{today.month:02d}", "", "兴平市发展和改革局副局长")])
    _type_rows(dialog.records["rewards"], LONG_REWARDS[:3])
    assert dialog.save() is True
    assert dialog.warning_banner.isHidden(), dialog.warning_banner.text()


def test_a_resume_date_after_today_is_tinted_with_its_warning_as_the_clerk_types(qtbot, context, saved):
    """The 请注意 banner said a 简历 entry dated after today only after 保存, naming the row by its place:
    the cell itself is now tinted as the banner is, the warning in its tooltip, from the first keystroke
    — and the tint goes when the clerk puts the year right, and stays on the saved row after 保存."""
    from ui.widgets.record_table import WARNING_BG

    year = _next_year()
    dialog = open_dialog(qtbot, context, saved.id)
    table = dialog.records["resume"]
    _type_rows(table, [("2003.09", "2007.07", "北京大学经济学院学习"), ("2007.07", f"{year}.05", "兴平市发展和改革局科员")])
    row = table.table.rowCount() - 1

    def cell(column: int):
        return table.table.item(row, column)

    assert cell(1).background().color().name() == WARNING_BG, cell(1).background().color().name()
    assert "的截止时间晚于今天" in cell(1).toolTip() and cell(1).toolTip() == table.cell_warning(row, "end")
    assert f"“2007.07—{year}.05 兴平市发展和改革局科员”" in cell(1).toolTip()
    assert cell(0).toolTip() == cell(2).toolTip() == "" and cell(0).background().color().name() != WARNING_BG
    assert not table.cell_warning(row - 1, "end")
    cell(1).setText(f"{year - 2}.05")  # the clerk puts the year right
    assert cell(1).toolTip() == "" and cell(1).background().color().name() != WARNING_BG
    cell(1).setText("")  # 至今
    cell(0).setText(f"{year}.01")  # and a slip in the other date
    assert "的起始时间晚于今天" in cell(0).toolTip() and cell(0).background().color().name() == WARNING_BG
    assert dialog.save() is True
    saved_row = next(n for n, item in enumerate(table.items()) if item.text == "兴平市发展和改革局科员")
    assert table.table.item(saved_row, 0).background().color().name() == WARNING_BG
    assert table.table.item(saved_row, 0).toolTip() in dialog.warning_banner.text()


def test_the_warnings_are_listed_one_a_line_and_a_long_list_is_cut(qtbot, context, saved):
    """The 请注意 banner ran the warnings on in one paragraph, 「；」 between them: each is now a line of
    its own (a 「；」 inside a quoted 简历 entry stays in it), and a long list shows its first ones and
    「另有 N 条」, every one in the tooltip, so that the form is not pushed off the screen."""
    from ui.profiles.profile_errors import WARNINGS_SHOWN

    dialog, _year = _saved_late_and_long(qtbot, context, saved, "兴平市发展和改革局科员；兼办公室主任")
    lines = dialog.warning_banner.text().split("\n")
    assert lines[0] == "请注意：" and all(line.startswith("· ") for line in lines[1:]), lines
    late = [line for line in lines if "晚于今天" in line]
    assert len(late) == 1 and "兴平市发展和改革局科员；兼办公室主任”的起始时间晚于今天" in late[0], lines
    assert any(line.startswith("· 奖惩情况共 ") for line in lines), lines
    assert 3 <= len(lines) <= WARNINGS_SHOWN + 1 and not dialog.warning_banner.toolTip()

    dialog.show_warnings({"resume": "；".join(f"简历第 {n} 条“{n}”的起始时间晚于今天" for n in range(1, 10))})
    lines = dialog.warning_banner.text().split("\n")
    assert len(lines) == WARNINGS_SHOWN + 1 and lines[-1].startswith("……另有 6 条"), lines
    assert dialog.warning_banner.toolTip().count("\n") == 8 and "简历第 9 条" in dialog.warning_banner.toolTip()
    dialog.layout().activate()
    assert dialog.tabs.height() > dialog.height() / 2  # the form stays in sight
    dialog.show_warnings({})
    assert dialog.warning_banner.isHidden() and not dialog.warning_banner.toolTip()


def test_a_child_typed_as_shaoxianduiyuan_is_saved_as_qunzhong(qtbot, context, saved):
    """GB/T 4762 has no 少先队员: the form reads it as the import does, 群众 (codes.ALIASES)."""
    dialog = open_dialog(qtbot, context, saved.id)
    _type_rows(dialog.records["family"], [("女儿", "王小", "2014.05", "少先队员", "城关小学学生")])
    assert dialog.save() is True
    (child,) = cadres.get_profile(saved.id).family
    assert (child.political, child.work) == ("13", "城关小学学生")


def test_a_clerks_unit_box_offers_only_the_units_of_their_scope(qtbot, context, unit):
    """A 经办人 of one county chose another county's 街道 in the 单位 box and was refused at the save
    (“该干部不在您负责的单位范围内”): the box offers their units (and those above), as every filter."""
    from cadre_desk.units import units
    from tests.conftest import acting_as
    from ui.profiles.profile_dialog import ProfileDialog

    east = units.create_unit("东城区")
    town = units.create_unit("青山镇", east.id)
    west = units.create_unit("西城区")
    units.create_unit("西门街道", west.id)
    cadre = cadres.save_profile(make_profile(town.id, name="郭国晨")).profile
    with acting_as("经办人", units=(east.id,)):
        dialog = ProfileDialog(context, cadre.id)
        qtbot.addWidget(dialog)
        box = dialog.cells["unit"].editor
        offered = [box.itemText(i).strip("\u3000") for i in range(box.count())]
        assert offered == ["（请选择单位）", "东城区", "青山镇"]
        assert box.currentText().strip("\u3000") == "青山镇"
