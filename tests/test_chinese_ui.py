"""Chinese everywhere: Qt's own dialogs, buttons and context menus speak Chinese (resources/translations),
opened offscreen the way a clerk meets them; every word the audit log can hold reads as Chinese."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QScrollBar,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"

# Words that are no English to a clerk: key names in menus, units, PDF, paper sizes.
ALLOWED = {"Ctrl", "Shift", "Alt", "Del", "Esc", "Ins", "Tab", "Enter", "Backspace", "Home", "End", "PgUp",
           "PgDown", "PDF", "KiB", "MiB", "GiB", "KB", "MB", "GB", "mm", "cm", "pt"}
WORD = re.compile(r"[A-Za-z]{2,}")


def english(text: str) -> list[str]:
    return [word for word in WORD.findall(text or "") if word not in ALLOWED]


@pytest.fixture
def chinese_app(qapp):
    from ui.shell.app import load_qt_translation

    assert load_qt_translation(qapp), "resources/translations 中的 Qt 中文翻译未能全部加载"
    return qapp


def texts_of(widget: QWidget, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Every word a user can see on ``widget`` and its children: labels, buttons, tooltips, combo items,
    headers and cells of item views, group and tab titles, actions (menus, tool buttons)."""
    found: list[tuple[str, str]] = []

    def add(where: QWidget, text: str) -> None:
        if text:
            found.append((f"{type(where).__name__}#{where.objectName()}", text))

    for child in [widget, *widget.findChildren(QWidget)]:
        if child.objectName() in skip or any(child.parent() is not None and p.objectName() in skip
                                             for p in _parents(child)):
            continue
        add(child, child.toolTip())
        if child.isWindow():
            add(child, child.windowTitle())
        if isinstance(child, QLabel):
            add(child, child.text())
        elif isinstance(child, QAbstractButton):
            add(child, child.text())
        elif isinstance(child, QComboBox):
            for i in range(child.count()):
                add(child, child.itemText(i))
        elif isinstance(child, QLineEdit):
            add(child, child.placeholderText())
        elif isinstance(child, QGroupBox):
            add(child, child.title())
        elif isinstance(child, QTabWidget):
            for i in range(child.count()):
                add(child, child.tabText(i))
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model, root = child.model(), child.rootIndex()
            for column in range(model.columnCount(root)):
                add(child, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for row in range(min(model.rowCount(root), 20)):
                    add(child, str(model.index(row, column, root).data() or ""))
        for action in child.actions():
            add(child, action.text().split("\t")[0])
            add(child, action.toolTip())
    return found


def _parents(widget: QWidget):
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def assert_chinese(widget: QWidget, skip: tuple[str, ...] = ()) -> None:
    left = [(where, text) for where, text in texts_of(widget, skip) if english(text)]
    assert not left, f"{type(widget).__name__} 中仍有英文：{left}"


def right_click(widget: QWidget, pos: QPoint) -> None:
    """What a right-click sends a widget (QTest's mouse click makes no context menu event)."""
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos)))


def popup_texts(qtbot, trigger) -> list[str]:
    """Right-click with ``trigger()``: the texts of the context menu that opens (then closed)."""
    seen: list[str] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.extend(a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator())
            menu.close()
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    return seen


# ---- the translation files ---------------------------------------------------------------------------


def test_translations_are_shipped_and_our_supplement_is_compiled(chinese_app):
    """Both .qm files are in resources/ (bundled by build.spec) and every string of our .ts is
    translated at run time: the .qm was rebuilt after the .ts changed (tools/translations.sh)."""
    for name in ("qtbase_zh_CN.qm", "cadre_desk_qt_zh_CN.qm"):
        assert (TRANSLATIONS / name).is_file(), name
    tree = ET.parse(TRANSLATIONS / "cadre_desk_qt_zh_CN.ts")
    checked = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.findtext("translation")
            assert QCoreApplication.translate(name, source) == translation, (name, source)
            checked += 1
    assert checked > 20
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'dest.startswith("resources/")' in spec  # resources/translations survives the dropped "translations"


# ---- Qt's own dialogs ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_qt_file_dialog_speaks_chinese(chinese_app, qtbot, tmp_path, mode):
    folder = tmp_path / "名册"
    (folder / "备份").mkdir(parents=True)
    (folder / "说明").write_bytes(b"x")
    dialog = QFileDialog(None, "导出花名册", str(folder), "所有文件 (*);;Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setSidebarUrls([])
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: any(c.objectName() == "treeView" and c.model().rowCount(c.rootIndex()) == 2
                                for c in dialog.findChildren(QAbstractItemView)), timeout=5000)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    # the folder's path in 查找范围 is the user's own; "Excel" is the filter we give
    assert_chinese(dialog, skip=("lookInCombo", "fileTypeCombo", "fileNameEdit"))
    tree = next(c for c in dialog.findChildren(QAbstractItemView) if c.objectName() == "treeView")
    types = {tree.model().index(r, 2, tree.rootIndex()).data() for r in range(2)}
    assert "文件夹" in types


def test_message_box_standard_buttons_and_details(chinese_app, qtbot):
    every = QMessageBox.StandardButton(0)
    for button in (QMessageBox.Ok, QMessageBox.Save, QMessageBox.SaveAll, QMessageBox.Open, QMessageBox.Yes,
                   QMessageBox.YesToAll, QMessageBox.No, QMessageBox.NoToAll, QMessageBox.Abort, QMessageBox.Retry,
                   QMessageBox.Ignore, QMessageBox.Close, QMessageBox.Cancel, QMessageBox.Discard, QMessageBox.Help,
                   QMessageBox.Apply, QMessageBox.Reset, QMessageBox.RestoreDefaults):
        every |= button
    box = QMessageBox(QMessageBox.Icon.Question, "提示", "内容", every)
    box.setDetailedText("详细内容")
    qtbot.addWidget(box)
    box.show()
    assert len(box.buttons()) >= 18
    assert_chinese(box)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert_chinese(buttons)


def test_input_progress_and_print_dialogs(chinese_app, qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()  # outlives its dialog
    for dialog in (QInputDialog(), QProgressDialog(), QPrintDialog(printer)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert_chinese(dialog)
        dialog.hide()


@pytest.mark.parametrize("editor_type", [QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox])
def test_right_click_menus_of_editors(chinese_app, qtbot, editor_type):
    editor = editor_type()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    target = editor.viewport() if hasattr(editor, "viewport") else editor
    texts = popup_texts(qtbot, lambda: right_click(target, QPoint(5, 5)))
    assert any("复制" in text for text in texts) and any("粘贴" in text for text in texts), texts
    assert not [t for t in texts if english(t)], texts


def test_right_click_on_a_scroll_bar(chinese_app, qtbot):
    bar = QScrollBar(Qt.Orientation.Vertical)
    bar.setRange(0, 100)
    bar.resize(20, 300)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    texts = popup_texts(qtbot, lambda: right_click(bar, QPoint(10, 150)))
    assert texts and not [t for t in texts if english(t)], texts


def test_calendars_name_months_and_days_in_chinese(chinese_app, qtbot):
    from PySide6.QtWidgets import QCalendarWidget

    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.show()
    assert_chinese(calendar)
