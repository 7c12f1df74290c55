"""The widget kit (ui/widgets): rows model, form dialog, date widget, cadre picker, messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from tests.conftest import acting_as, make_profile


@dataclass
class Row:
    name: str
    score: float | None


def _model():
    from ui.widgets.rows_model import Column, RowsModel

    return RowsModel([Column("姓名", lambda r: r.name, 80), Column("分数", lambda r: r.score, 60)])


def test_rows_are_replaced_in_place_without_a_reset(qtbot):
    from ui.widgets.rows_model import make_table

    model = _model()
    view = make_table(model)
    qtbot.addWidget(view)
    signals = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.rowsInserted.connect(lambda *_a: signals.append("inserted"))
    model.rowsRemoved.connect(lambda *_a: signals.append("removed"))
    model.set_rows([Row("甲", 90.5), Row("乙", None), Row("丙", 3.0)])
    model.set_rows([Row("丁", 1.25)])
    model.set_rows([Row("戊", 2.0), Row("己", 80.0)])
    assert signals == ["inserted", "removed", "inserted"]
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["2", "80"]
    assert model.headerData(1, Qt.Horizontal) == "分数" and view.columnWidth(0) == 80


def test_a_sorted_list_stays_sorted_and_the_selection_follows_its_row(qtbot):
    from ui.widgets.rows_model import make_table, selected_rows

    model = _model()
    view = make_table(model, sorting=True)
    qtbot.addWidget(view)
    model.set_rows([Row("甲", 90.0), Row("乙", None), Row("丙", 70.0)])
    view.selectRow(0)  # 甲
    view.sortByColumn(1, Qt.AscendingOrder)
    assert [r.name for r in model.rows] == ["丙", "甲", "乙"]  # no score last
    assert [r.name for r in selected_rows(view)] == ["甲"]
    model.set_rows([Row("庚", 99.0), Row("辛", 10.0)])
    assert [r.name for r in model.rows] == ["辛", "庚"]


def test_a_painted_cell_asks_the_model_once(qtbot):
    """The item delegate's request of several roles is answered in one call (multiData), which asks
    only for the roles the model can answer."""
    from ui.widgets.rows_model import RowsModel, make_table

    calls = []

    class Counting(RowsModel):
        def multiData(self, index, span):  # noqa: N802 - Qt override
            calls.append("multiData")
            super().multiData(index, span)

        def data(self, index, role=0):
            calls.append(role)
            return super().data(index, role)

    model = Counting(_model().columns)
    model.set_rows([Row("甲", 1.5)])

    view = make_table(model)
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    calls.clear()
    view.viewport().repaint()
    assert calls == ["multiData", int(Qt.DisplayRole)] * 2  # two cells: one call each, text only


def test_the_score_grid_answers_a_cell_through_the_kits_one_call():
    """The 考核表's grid answered the delegate's request of a cell with a copy of the rows model's loop:
    both answer through OneCallPerCell, each saying only which roles it paints."""
    from ui.appraisal.score_grid import ScoreGridModel
    from ui.widgets.rows_model import DISPLAY, FONT, OneCallPerCell, RowsModel

    assert ScoreGridModel.multiData is RowsModel.multiData is OneCallPerCell.multiData
    assert {DISPLAY, FONT} <= ScoreGridModel(None).painted_roles()
    assert _model().painted_roles() == {DISPLAY}


@pytest.mark.parametrize("typed, stored, shown", [
    ("1986.5", "198605", "1986.05"), ("198605", "198605", "1986.05"), ("1986-05", "198605", "1986.05"),
    ("1986年5月", "198605", "1986.05"), ("2024/3/15", "20240315", "2024.03.15"), ("", "", "")])
def test_date_widget_takes_what_clerks_type_and_shows_the_one_format(qtbot, typed, stored, shown):
    from ui.widgets.date_edit import DateEdit

    edit = DateEdit()
    qtbot.addWidget(edit)
    edit.setText(typed)
    assert edit.value() == stored
    edit.line.editingFinished.emit()
    assert edit.text() == shown


def test_date_widget_refuses_under_its_field(qtbot):
    from cadre_desk.domain.errors import ValidationError
    from ui.widgets.date_edit import DateEdit

    edit = DateEdit("20240315", precision="day", label="到岗时间", key="start")
    qtbot.addWidget(edit)
    assert edit.text() == "2024.03.15"
    edit.setText("2024.13")
    with pytest.raises(ValidationError) as caught:
        edit.value()
    assert list(caught.value.errors) == ["start"] and caught.value.errors["start"].startswith("到岗时间：")
    edit.pick("19860503")  # from the calendar
    assert edit.value() == "19860503"


def test_a_date_fields_error_names_its_label_once_without_the_labels_colon(qtbot):
    """A form's labels end in "：" (到岗时间：); the error said 到岗时间：：月份 13 无效."""
    from ui.widgets.date_edit import DateEdit
    from ui.widgets.form_dialog import FormDialog

    class ArrivalForm(FormDialog):
        title = "到岗"

        def __init__(self):
            super().__init__()
            self.arrival = self.add_field("start", "到岗时间：", DateEdit(precision="day"))

        def save(self):
            return self.arrival.value()

    dialog = ArrivalForm()
    qtbot.addWidget(dialog)
    dialog.arrival.setText("2026.13.40")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == 0
    assert dialog.error_text("start") == "到岗时间：月份 13 无效，应写作 2024.03.15"  # the form a day is written in, once


class _Form:
    @staticmethod
    def make():
        from cadre_desk.domain.errors import ValidationError
        from ui.widgets.date_edit import DateEdit
        from ui.widgets.form_dialog import FormDialog

        class NameForm(FormDialog):
            title = "测试表单"
            ok_text = "保存"

            def __init__(self):
                super().__init__()
                self.name = self.add_field("name", "名称", QLineEdit())
                self.day = self.add_field("day", "日期", DateEdit())

            def save(self):
                day = self.day.value()
                if not self.name.text():
                    raise ValidationError({"name": "请填写名称", "": "整条记录的问题"})
                return self.name.text(), day

        return NameForm()


def test_form_dialog_shows_each_error_at_its_field_and_keeps_the_typing(qtbot):
    dialog = _Form.make()
    qtbot.addWidget(dialog)
    assert [dialog.ok_button.text(), dialog.cancel_button.text()] == ["保存", "取消"]
    dialog.day.setText("1986.5")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == 0
    assert dialog.error_text("name") == "请填写名称" and dialog.error_text("") == "整条记录的问题"
    assert dialog.day.text() == "1986.5"
    dialog.day.setText("1986.13")
    dialog.name.setText("甲")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert "日期" in dialog.error_text("day") and dialog.error_text("name") == ""
    dialog.day.setText("1986.5")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == 1 and dialog.result_value == ("甲", "198605")


def test_form_dialog_opens_on_its_first_field_and_tabs_to_the_buttons_last(qtbot):
    """A dialog opened with 确定 focused and Tab went 确定 → 取消 → the fields (the buttons were made
    before the subclass's fields): a clerk typing at once typed into nothing."""
    dialog = _Form.make()
    qtbot.addWidget(dialog)
    dialog.browse = QPushButton("浏览…")  # a button among the fields does not take Enter from 确定
    dialog.form.addRow("文件", dialog.browse)
    dialog.show()
    assert dialog.focusWidget() is dialog.name
    assert dialog.ok_button.isDefault() and not dialog.browse.isDefault()
    chain, widget = [], dialog.name
    while len(chain) < 12:
        widget = widget.nextInFocusChain()
        if widget is dialog.name:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            chain.append(widget)
    assert chain[-2:] == [dialog.ok_button, dialog.cancel_button]
    assert dialog.day in chain or any(dialog.day.isAncestorOf(w) for w in chain)
    dialog.cancel_button.setFocus()
    dialog.focusNextChild()  # Tab on 取消: round to the first field again
    assert dialog.focusWidget() is dialog.name


def test_a_form_dialogs_labels_stand_level_with_their_paragraph_boxes(qtbot):
    """谈话记录 (walk 34): the form gave a text box's row the dialog's spare height, the box sank to the
    middle of it and 下一步安排 stood ~12 px above its box. A box of fixed height keeps its row to it:
    every label's top is its box's, however tall the dialog; a list that may grow still grows."""
    from PySide6.QtWidgets import QListWidget

    from ui.widgets.form_dialog import FormDialog, text_box

    class Talk(FormDialog):
        geometry_key = "test/paragraphs"

        def __init__(self):
            super().__init__(None, "谈话记录")
            self.add_field("line", "谈话日期", QLineEdit())
            self.add_field("content", "谈话内容", text_box(height=160))
            self.add_field("next", "下一步安排", text_box())
            self.names = self.add_field("names", "参加人员", QListWidget())

    dialog = Talk()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(560, 900)  # far taller than the fields
    qtbot.waitUntil(lambda: dialog.height() == 900)
    for key in ("line", "content", "next"):
        editor = dialog.fields[key][0]
        label = dialog.form.labelForField(editor.parentWidget())
        assert abs(label.mapTo(dialog, label.rect().topLeft()).y()
                   - editor.mapTo(dialog, editor.rect().topLeft()).y()) <= 2, key
    assert dialog.names.height() > dialog.names.sizeHint().height()  # the spare height went to the list


def test_form_dialog_remembers_its_size(qtbot):
    first = _Form.make()
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 333)
    qtbot.waitUntil(lambda: first.width() == 640)
    first.reject()
    again = _Form.make()
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (640, 333)


def test_messages_speak_chinese_and_errors_reach_the_log(qtbot, boxes, caplog):
    from cadre_desk.domain.errors import ValidationError
    from ui.widgets import messages

    with caplog.at_level(logging.WARNING, logger="cadre_desk.ui"):
        messages.error(None, "保存", ValidationError({"name": "请填写名称"}))
        try:
            open("/", "w")  # noqa: SIM115 - an OSError with its traceback
        except OSError as exc:
            messages.error(None, "导出", exc)
    assert boxes.texts()[0] == "请填写名称" and "文件夹" in boxes.texts()[1] and "Errno" not in boxes.texts()[1]
    assert "请填写名称" in caplog.text and "Traceback" in caplog.text  # the unexpected one with its trace
    boxes.answers.append("取消")
    assert messages.confirm(None, "删除", "确定删除吗？", "删除", danger=True) is False
    assert sorted(boxes.shown[-1][2]) == sorted(["删除", "取消"])
    assert messages.choose(None, "任免表", "文件还是文件夹？", ["选择文件…", "选择文件夹…"]) == 0
    boxes.inputs.append("报送上级")
    assert messages.ask_text(None, "导出", "事由：") == "报送上级"


@pytest.fixture
def two_units(db):
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", root.id)
    tax = units.create_unit("市税务局", root.id)
    ids = {}
    for unit, name, birth in ((finance, "张三", "198510"), (finance, "张珊", "199001"), (tax, "张山", "197003")):
        ids[name] = cadres.save_profile(make_profile(unit.id, name=name, birth=birth)).profile.id
    return finance, tax, ids


def test_cadre_picker_waits_for_the_typing_and_knows_pinyin_initials(qtbot, two_units):
    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker

    _finance, _tax, ids = two_units
    picker = CadrePicker(AppContext(), order="birth")
    qtbot.addWidget(picker)
    assert picker.results.count() == 3 and picker.results.item(0).text().startswith("张山")  # oldest first
    picker.search.setText("zs")
    assert picker.results.count() == 3  # nothing searched while typing
    picker.search.setText("zsh")  # 张珊 / 张山: zs + h? only pinyin initials match, not names
    qtbot.waitUntil(lambda: picker.results.count() != 3, timeout=2000)
    picker.search.setText("张珊")
    qtbot.waitUntil(lambda: picker.results.count() == 1, timeout=2000)
    picker.results.setCurrentRow(0)
    assert picker.cadre_id() == ids["张珊"] and picker.cadre_name() == "张珊"


def test_cadre_picker_offers_only_the_operators_units(qtbot, two_units):
    from cadre_desk.access.roles import ROLE_CLERK
    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker

    finance, _tax, ids = two_units
    with acting_as(ROLE_CLERK, units=(finance.id,)):
        picker = CadrePicker(AppContext(), compact=True, allow_empty=True)
        qtbot.addWidget(picker)
        picker.search.setText("张")
        picker.refresh()
        offered = [picker.results.itemData(i) for i in range(picker.results.count())]
        assert offered == [None, ids["张三"], ids["张珊"]] or offered == [None, ids["张珊"], ids["张三"]]
        picker.set_cadre(ids["张山"])  # another unit's cadre cannot be chosen, even by id
        assert picker.cadre_id() != ids["张山"]


@pytest.mark.parametrize("compact", [True, False])
def test_cadre_picker_says_each_change_of_the_chosen_cadre_once(qtbot, two_units, compact):
    """set_cadre of a cadre found by a new search at the list position of the one before emitted nothing
    (the combo's index did not move): a dialog's fields filled from the chosen cadre kept the previous
    one's. Every change is said once; choosing the same cadre again says nothing."""
    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker

    _finance, _tax, ids = two_units
    picker = CadrePicker(AppContext(), compact=compact, status="")
    qtbot.addWidget(picker)
    said = []
    picker.cadre_selected.connect(said.append)
    for name in ("张三", "张山", "张山", "张三"):
        picker.search.setText(name)  # the name alone finds one: the first line, each time
        picker.set_cadre(ids[name])
        assert picker.cadre_id() == ids[name]
    assert said == [ids["张三"], ids["张山"], ids["张三"]]
    picker.search.setText("张珊")  # typing: said when the pause's search chooses another
    qtbot.waitUntil(lambda: len(said) == 4 or picker.cadre_id() is None, timeout=2000)
    assert said[3:] in ([ids["张珊"]], [None]) and said[-1] == picker.cadre_id()
    picker.set_cadre(None)
    picker.set_cadre(None)
    assert said[-1] is None and said.count(None) == 1


def test_a_compact_cadre_picker_shows_its_whole_hint(qtbot, two_units):
    """In 新建选派 the search box was 120 px and showed "姓名/拼音首字…"."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker

    picker = CadrePicker(AppContext(), compact=True, allow_empty=True)
    qtbot.addWidget(picker)
    picker.resize(picker.minimumSizeHint())
    picker.show()
    search = picker.search
    option = QStyleOptionFrame()
    search.initStyleOption(option)
    room = search.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, search).width()
    room -= 4 + search.height()  # the text margins and the clear button's place
    assert search.fontMetrics().horizontalAdvance(search.placeholderText()) <= room


def test_file_dialogs_start_in_the_last_folder_used_while_it_is_there(qtbot, tmp_path):
    """One default folder for every file dialog (exports, imports, PDFs, photos): the last one used, and
    when that is gone (a USB stick taken out) 文档 or the home folder, never the program's own folder."""
    from pathlib import Path

    from ui.widgets import files

    folder = tmp_path / "报表"
    folder.mkdir()
    files.remember_dir(str(folder / "花名册.xlsx"))
    assert files.default_dir() == str(folder)
    folder.rmdir()
    fallback = files.default_dir()
    assert fallback != str(folder) and Path(fallback).is_dir()


def test_a_record_list_enables_its_buttons_by_their_rules_and_lists_again_on_a_filter(qtbot, boxes):
    from PySide6.QtWidgets import QCheckBox

    from ui.shell.context import AppContext
    from ui.widgets.record_list import EDITABLE, ONE, RecordList, search_box
    from ui.widgets.rows_model import Column, RowsModel

    class Row:
        def __init__(self, id, name):
            self.id, self.name, self.version = id, name, 3

    rows = [Row(1, "甲"), Row(2, "乙")]
    deleted = []
    text, only_first = search_box("查找"), QCheckBox("只看第一个")
    context = AppContext(None)

    def load():
        found = [r for r in rows if text.text() in r.name and r.id not in deleted]
        return found[:1] if only_first.isChecked() else found

    def service(row_id, version, overwrite):  # the row as listed: its version, checked unless told
        assert (version, overwrite) == (3, False)
        deleted.append(row_id)

    panel = RecordList(context, "test", RowsModel([Column("姓名", lambda r: r.name, 80)]), load,
                       filters=("条件", (text, 1), only_first))
    qtbot.addWidget(panel)
    panel.add_actions(("new", "新增…", lambda: None, EDITABLE),
                      ("delete", "删除", lambda: panel.delete("删除", lambda r: f"删除{r.name}？", service),
                       ONE))
    panel.reload()
    assert panel.count.text() == "共 2 条" and panel.buttons["new"].isEnabled()
    assert not panel.buttons["delete"].isEnabled()
    text.setText("乙")
    assert [r.name for r in panel.model.rows] == ["乙"] and panel.count.text() == "共 1 条"
    text.clear()
    only_first.setChecked(True)
    assert [r.name for r in panel.model.rows] == ["甲"]
    panel.table.selectRow(0)
    assert panel.buttons["delete"].isEnabled()
    panel.buttons["delete"].click()  # 删除 answered yes; the change is announced and the list reloads
    assert deleted == [1] and boxes.shown[-1][1] == "删除甲？" and [r.name for r in panel.model.rows] == ["乙"]


def test_the_file_picker_opens_wide_in_chinese_and_keeps_the_size_the_user_gave_it(qtbot, tmp_path):
    """Qt's picker opened 611 pixels wide and cut its 大小 and 类型 columns ("68…iB", "SQ…据库")."""
    from PySide6.QtWidgets import QFileDialog, QTreeView, QWidget

    from tests.conftest import answer_dialog
    from ui.widgets import files

    parent = QWidget()
    qtbot.addWidget(parent)
    folder = tmp_path / "报表"
    folder.mkdir()
    (folder / "花名册.xlsx").write_bytes(b"")
    with open(folder / "干部档案.db", "wb") as big:
        big.truncate(71_500_000)  # "68.2 MiB", sparse
    sizes = []

    def look(dialog) -> None:
        sizes.append((dialog.width(), dialog.height()))
        assert dialog.viewMode() == QFileDialog.ViewMode.Detail
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        assert dialog.directory().absolutePath() == str(folder)
        view = dialog.findChild(QTreeView, "treeView")
        if len(sizes) == 1:  # the files (the folder picker lists folders only)
            qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) == 2)  # listed off the GUI thread
            qtbot.wait(50)
            for column in (1, 2):  # 大小 and 类型 as wide as their words ("68…iB", "SQ…据库")
                assert view.header().sectionSize(column) >= view.sizeHintForColumn(column), column
        dialog.resize(700, 450)

    answer_dialog(qtbot, lambda: files.open_file(parent, "选择文件", str(folder), "所有文件 (*)"), look)
    area = parent.screen().availableGeometry()
    assert sizes[0][0] >= min(files.PICKER_SIZE[0], area.width() - 16)
    assert sizes[0][1] >= min(files.PICKER_SIZE[1], area.height() - 40)
    answer_dialog(qtbot, lambda: files.pick_folder(parent, "选择文件夹", str(folder)), look)
    assert sizes[1] == (700, 450)


def test_the_file_pickers_columns_are_named_as_clerks_say_them(qtbot, tmp_path):
    """名称 / 大小 / 类型 / 修改日期: Qt's Chinese translation heads the size column 「体积」."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeView

    from ui.widgets import files

    dialog = files._picker(None, "选择文件", str(tmp_path), "所有文件 (*)")
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.findChild(QTreeView, "treeView").header()
    texts = [header.model().headerData(column, Qt.Orientation.Horizontal) for column in range(header.count())]
    assert texts == ["名称", "大小", "类型", "修改日期"]


def test_on_windows_the_file_picker_is_the_systems_own(qtbot, monkeypatch):
    """Explorer's picker is the one a clerk knows (and sizes itself): Qt's own only elsewhere."""
    from PySide6.QtWidgets import QFileDialog

    from ui.widgets import files

    monkeypatch.setattr(files.sys, "platform", "win32")
    dialog = files._picker(None, "选择文件", "")
    assert not dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    monkeypatch.setattr(files.sys, "platform", "linux")
    dialog = files._picker(None, "选择文件", "")
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)


def test_no_module_opens_qts_file_picker_but_through_the_kit():
    """The static QFileDialog calls open a narrow picker; ui/widgets/files.py opens it sized."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    static = re.compile(r"QFileDialog\s*\.\s*get(OpenFileNames?|SaveFileName|ExistingDirectory(Url)?|OpenFileUrls?)")
    offenders = [str(path.relative_to(root)) for package in ("ui", "reports", "cadre_desk")
                 for path in (root / package).rglob("*.py")
                 if path.name != "files.py" and static.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_record_table_offers_delete_and_move_only_for_a_chosen_row_that_can_move(qtbot):
    """简历: 删除所选行, 上移, 下移 were enabled with no row chosen (and 上移 on the first row) and did
    nothing when clicked."""
    from cadre_desk.domain.fields import RESUME
    from ui.widgets.record_table import RecordTable

    table = RecordTable(RESUME)
    qtbot.addWidget(table)
    table.set_items([RESUME.item(start="2005.09", end="2008.07", text="学习"),
                     RESUME.item(start="2008.07", end="", text="工作")])
    enabled = lambda: (table.remove_button.isEnabled(), table.up_button.isEnabled(),  # noqa: E731
                       table.down_button.isEnabled())
    assert table.table.currentRow() == -1 and enabled() == (False, False, False)
    table.table.setCurrentCell(0, 0)
    assert enabled() == (True, False, True)
    table.down_button.click()
    assert table.table.currentRow() == 1 and enabled() == (True, True, False)
    table.remove_button.click()
    table.table.setCurrentCell(-1, -1)
    assert enabled() == (False, False, False)
    table.add_button.click()
    assert enabled() == (True, True, False)


def test_the_file_pickers_modified_column_writes_the_one_date_format(qtbot, tmp_path):
    """修改日期 (the 从备份恢复 list of backups among others) read 2024/3/15 10:22, Qt's locale format:
    it is written 2024.03.15 10:22 as every screen writes a moment."""
    import datetime as _dt
    import os

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeView

    from ui.widgets import files

    folder = tmp_path / "backups"
    folder.mkdir()
    backup = folder / "干部档案-备份-20240315.sqlite3"
    backup.write_bytes(b"")
    stamp = _dt.datetime(2024, 3, 15, 10, 22).timestamp()  # local time, as the picker shows it
    os.utime(backup, (stamp, stamp))
    dialog = files._picker(None, "从备份恢复", str(folder), "所有文件 (*)")
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 1)  # listed off the GUI thread
    root = view.rootIndex()
    cell = model.index(0, files.PICKER_HEADERS.index("修改日期"), root)
    qtbot.waitUntil(lambda: bool(model.data(cell, Qt.ItemDataRole.DisplayRole)))
    assert model.data(model.index(0, 0, root)) == backup.name
    assert model.data(cell, Qt.ItemDataRole.DisplayRole) == "2024.03.15 10:22"


def test_a_compact_cadre_picker_keeps_the_birth_of_a_long_line(qtbot, two_units):
    """一线锻炼 修改: the 指导人 combo cut 「…1990.08生」 off a long post, and two namesakes looked alike.
    A line too long for the combo loses its middle: the name and the month of birth stay."""
    from cadre_desk.profiles import cadres
    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker

    finance, _tax, _ids = two_units
    post = "云江市住房和城乡建设局党组成员、副局长、二级调研员兼城市更新和历史文化保护利用工作专班副组长"
    long_id = cadres.save_profile(make_profile(finance.id, name="王飞龙", birth="199008", position=post)).profile.id
    picker = CadrePicker(AppContext(), long_id, compact=True, allow_empty=True)
    qtbot.addWidget(picker)
    picker.resize(640, picker.sizeHint().height())
    picker.show()
    qtbot.waitExposed(picker)
    combo = picker.results
    assert combo.currentData() == long_id and post in combo.currentText()
    assert combo.fontMetrics().horizontalAdvance(combo.currentText()) > combo.width()  # it must be shortened
    shown = combo.shown_text()
    assert shown.startswith("王飞龙") and shown.endswith("1990.08生") and "…" in shown, shown


def test_cadre_picker_shows_the_month_of_birth(qtbot, db):
    """Each line ends with the month of birth, 1986.05生, as 出生年月 is shown everywhere: a birth
    stored with its day (from the 身份证号) too, and nothing for a cadre without one."""
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from ui.shell.context import AppContext
    from ui.widgets.cadre_picker import CadrePicker, birth_note

    assert birth_note("198605") == "1986.05生" and birth_note("19860512") == "1986.05生"
    assert birth_note("") == "" and birth_note(None) == ""
    unit = units.create_unit("市财政局")
    for name, birth in (("王芳", "19860512"), ("李强", "198605")):
        cadres.save_profile(make_profile(unit.id, name=name, birth=birth, position="科员"))
    picker = CadrePicker(AppContext())
    qtbot.addWidget(picker)
    assert sorted(picker.results.item(i).text() for i in range(picker.results.count())) == \
        ["李强　科员　1986.05生", "王芳　科员　1986.05生"]


def test_esc_on_a_half_written_paragraph_asks_before_it_is_lost(qtbot, boxes):
    """Esc in a 谈话记录 with half its 谈话内容 written closed it and the text was gone: now a question
    (继续填写 keeps it); text only filled in by the dialog, or nothing typed, closes at once."""
    from PySide6.QtWidgets import QPlainTextEdit

    from ui.widgets.form_dialog import FormDialog, text_box

    dialog = FormDialog(None, "添加谈话记录")
    qtbot.addWidget(dialog)
    content = dialog.add_field("content", "谈话内容", text_box())
    assert isinstance(content, QPlainTextEdit)
    content.setPlainText("上次的内容")  # filled in by the dialog: not the user's typing
    dialog.show()
    dialog.reject()
    assert not dialog.isVisible() and not boxes.shown

    dialog.show()
    qtbot.keyClicks(content, "half written")
    boxes.answers.append("继续填写")
    dialog.reject()
    assert dialog.isVisible() and "half written" in content.toPlainText()
    title, text, buttons = boxes.shown[-1]
    assert title == "添加谈话记录" and "没有保存" in text and sorted(buttons) == sorted(["不保存，关闭", "继续填写"])
    dialog.reject()  # 不保存，关闭
    assert not dialog.isVisible() and dialog.result() == 0


def test_tab_from_the_last_cell_of_a_new_row_leaves_the_table_without_a_qt_warning(qtbot, qtlog, db):
    """家庭成员 (walk 34): Tab from the last cell of a new row went round to the first row and Qt logged
    「edit: editing failed」. Tab there leaves the table for the widget after it; Shift+Tab from the first
    cell for the one before; Tab inside the table still goes cell by cell."""
    from PySide6.QtTest import QTest

    from cadre_desk.domain.fields import FAMILY
    from ui.widgets.record_table import RecordTable

    host = QWidget()
    before = QLineEdit(host)
    table = RecordTable(FAMILY, host)
    after = QLineEdit(host)  # the Tab order is the order made
    layout = QVBoxLayout(host)
    for widget in (before, table, after):
        layout.addWidget(widget)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    table.set_items([])
    table.add_row()
    table.add_row()
    last = table.table.columnCount() - 1
    for column in range(last + 1):
        assert (table.table.currentRow(), table.table.currentColumn()) == (1, column)
        editor = host.focusWidget()
        assert editor is not None and table.table.isAncestorOf(editor), column
        QTest.keyClicks(editor, "x")
        QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert not [m for m in qtlog.records if "editing failed" in m.message]
    assert host.focusWidget() is after  # not the first row again
    assert table.table.rowCount() == 2 and [table.table.item(1, c).text() for c in range(last + 1)] == ["x"] * 5
    table.table.setFocus()
    table.table.setCurrentCell(0, 0)  # its editor opens
    QTest.keyClick(host.focusWidget(), Qt.Key.Key_Backtab)
    assert host.focusWidget() is table.down_button  # the widget before the table, not its last row
    table.table.setFocus()
    table.table.setCurrentCell(0, 1)
    QTest.keyClick(host.focusWidget(), Qt.Key.Key_Tab)  # inside the table: the next cell
    assert (table.table.currentRow(), table.table.currentColumn()) == (0, 2)


def test_a_progress_report_after_the_dialogs_parent_is_gone_is_dropped(qtbot):
    """A window closed (and deleted) while its work still ran: the work's next report reached the deleted
    QProgressDialog — RuntimeError: Internal C++ object already deleted, in the event loop."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QProgressDialog

    from ui.widgets.tasks import TaskRunner

    runner = TaskRunner()
    parent = QWidget()
    go, reported = threading.Event(), []

    def work(progress):
        go.wait(10)
        progress.report(1, 2, "正在处理…")
        reported.append(True)
        return 1

    runner.run_with_progress(parent, "测试", work)
    dialog = parent.findChildren(QProgressDialog)[0]
    shiboken6.delete(parent)
    assert not shiboken6.isValid(dialog)
    go.set()
    assert runner.wait_all(10000)
    qtbot.waitUntil(lambda: bool(reported))
    qtbot.wait(50)  # the queued report and the end delivered: nothing raised in the event loop


def _held_work(sealed: bool):
    """Work that waits, sealed (saving for good) or not, until ``go`` is set; ``seen`` says how it ended."""
    import threading

    from cadre_desk.domain.errors import Cancelled

    go, begun, seen = threading.Event(), threading.Event(), []

    def work(progress):
        if sealed:
            progress.seal()
        begun.set()
        go.wait(10)
        try:
            progress.check()
        except Cancelled:
            seen.append("cancelled")
            raise
        seen.append("finished")
        return 1

    return work, go, begun, seen


@pytest.mark.parametrize("sealed", [False, True])
@pytest.mark.parametrize("active", [True, False])
def test_esc_on_a_progress_box_cancels_as_its_button_does_and_nothing_once_it_saves(qtbot, sealed, active):
    """Esc on the box did nothing while it was the active window (two Esc shortcuts, one left by a second
    取消 button: ambiguous), and while another window was, it hid the box through QDialog.reject(): the
    work went on with nothing on screen, and no 取消 reached it. Now Esc is 取消 either way: it stops work
    not yet saving, and once 取消 is disabled the box stays, says so, and the work completes."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from cadre_desk.domain.progress import SAVING
    from ui.widgets.tasks import TaskRunner

    runner = TaskRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    work, go, begun, seen = _held_work(sealed)
    task = runner.run_with_progress(parent, "测试", work, modal=True)
    assert begun.wait(10)
    box = parent.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(lambda: box.isVisible() and box.labelText() == (SAVING if sealed else "测试"))
    focus = box
    if not active:
        focus = QWidget()
        qtbot.addWidget(focus)
        focus.show()
    focus.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is focus)
    try:
        QTest.keyClick(box, Qt.Key.Key_Escape)
        qtbot.wait(20)
        if sealed:  # the state told, should the box go after Esc (what failed under load was the seal lost earlier)
            state = (f"visible={box.isVisible()} label={box.labelText()!r} cancelled={task.token.cancelled} "
                     f"too_late={task.token.too_late} active={QApplication.activeWindow()!r}")
            assert box.isVisible() and box.labelText() == SAVING, state
            assert not task.token.cancelled and task.token.too_late is False, state
        else:
            assert task.token.cancelled and not box.isVisible()
    finally:
        go.set()
    assert runner.wait_all(10000)
    qtbot.waitUntil(lambda: task.finished)
    assert seen == (["finished"] if sealed else ["cancelled"])


def test_the_box_hears_a_report_the_work_makes_before_run_with_progress_has_returned(qtbot):
    """The box was connected to the work's reports only after the work had been given to a worker. On a
    loaded machine the worker ran ahead of the GUI thread: a report made at once was lost — the seal of work
    saving for good, so the box said 测试 with 取消 enabled through the whole save (the Esc tests' rare
    failure). Here the worker is let run to its seal before run_with_progress goes on."""
    import threading

    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QProgressDialog

    from cadre_desk.domain.progress import SAVING
    from ui.widgets.tasks import TaskRunner

    sealed, go = threading.Event(), threading.Event()

    def work(progress):
        progress.seal()
        sealed.set()
        go.wait(10)
        return 1

    class RunsAhead:  # the pool, whose worker gets as far as the seal before the GUI thread goes on
        def start(self, job):
            QThreadPool.globalInstance().start(job)
            assert sealed.wait(10)

        def waitForDone(self, msecs):  # noqa: N802 - Qt's name
            return QThreadPool.globalInstance().waitForDone(msecs)

    runner = TaskRunner()
    runner.pool = RunsAhead()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    try:
        task = runner.run_with_progress(parent, "测试", work, modal=True)
        box = parent.findChildren(QProgressDialog)[0]
        qtbot.waitUntil(lambda: box.isVisible() and box.labelText() == SAVING)  # lost: 测试 for good
        assert not box.findChildren(QPushButton)[0].isEnabled()
    finally:
        go.set()
    assert runner.wait_all(10000)
    qtbot.waitUntil(lambda: task.finished)


@pytest.mark.parametrize("modal", [True, False])
def test_the_box_of_work_that_tells_no_totals_shows_after_its_minimum_duration_not_qts_four_seconds(qtbot, modal):
    """Work reporting only texts (or nothing) got its box after QProgressDialog's own 4 s: a modal one
    (加密数据库) let the windows be used meanwhile. A modal box now shows at once, another after 0.3 s."""
    import threading
    import time

    from PySide6.QtWidgets import QProgressDialog

    from ui.widgets.tasks import TaskRunner

    runner = TaskRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    go = threading.Event()
    began = time.monotonic()
    runner.run_with_progress(parent, "测试", lambda progress: go.wait(10), modal=modal)
    box = parent.findChildren(QProgressDialog)[0]
    try:
        qtbot.waitUntil(box.isVisible, timeout=2500)
        if not modal:
            assert time.monotonic() - began >= 0.25  # a coarse timer may fire 5 % early
    finally:
        go.set()
    assert runner.wait_all(10000)
