"""Look before printing: the one print preview every document ends in, 打印 through Qt's print dialog,
打开 falling back to the preview, 打印 from the profile dialog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import answer_dialog, make_profile


@pytest.fixture
def context(db, db_path, qtbot):
    from cadre_desk.profiles.cadre_list import CadreIndex
    from ui.shell.context import AppContext

    ctx = AppContext(db_path)
    ctx.index = CadreIndex.load()
    yield ctx
    ctx.tasks.wait_all()


@pytest.fixture
def two_cadres(db, unit):
    from cadre_desk.profiles import cadres

    return [cadres.save_profile(make_profile(unit.id, name=name, birth=birth)).profile.id
            for name, birth in (("赵犇", "198510"), ("钱多多", "199002"))]


@pytest.fixture
def dossier_pdf(two_cadres, tmp_path) -> Path:
    from reports.pdf import batch

    out = tmp_path / "鉴定报告.pdf"
    batch.build_dossiers(two_cadres, out_path=out, reason="测试")
    return out


def _page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _dark_share(image) -> float:
    """The share of sampled pixels that are not white: a drawn page has text on it."""
    dark = total = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            total += 1
            if image.pixelColor(x, y).lightness() < 160:
                dark += 1
    return dark / max(total, 1)


def _white_share(image) -> float:
    white = total = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            total += 1
            white += image.pixelColor(x, y).lightness() > 250
    return white / max(total, 1)


def _click(qtbot, button) -> None:
    from PySide6.QtCore import Qt

    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_preview_shows_the_pages_as_images_pages_through_and_zooms(qtbot, dossier_pdf):
    from ui.widgets.pdf_preview import preview_pdf

    dialog = preview_pdf(None, dossier_pdf, "已生成 2 人的鉴定报告")
    qtbot.addWidget(dialog)
    pages = _page_count(dossier_pdf)
    assert pages >= 2
    assert dialog.isVisible() and dialog.windowTitle() == f"打印预览 — {dossier_pdf.name}"
    assert dialog.count_label.text() == f"页，共 {pages} 页" and dialog.page_box.value() == 1
    assert "已生成 2 人的鉴定报告" in dialog.note_label.text()
    assert not dialog.previous_button.isEnabled()
    shown = dialog.view.viewport().grab().toImage()
    assert 0.01 < _dark_share(shown) < 0.5 and _white_share(shown) > 0.3  # a page with its text on it

    _click(qtbot, dialog.next_button)
    assert dialog.page_box.value() == 2 and dialog.view.current_page() == 1
    _click(qtbot, dialog.previous_button)
    assert dialog.page_box.value() == 1
    dialog.page_box.setValue(pages)
    assert dialog.view.current_page() == pages - 1 and not dialog.next_button.isEnabled()

    before = dialog.view.zoom
    _click(qtbot, dialog.bigger_button)
    assert dialog.view.zoom > before and dialog.zoom_box.currentText().endswith("%")
    _click(qtbot, dialog.smaller_button)
    _click(qtbot, dialog.smaller_button)
    assert dialog.view.zoom < before
    dialog.zoom_box.setCurrentIndex(dialog.zoom_box.findText("整页"))
    dialog.zoom_box.activated.emit(dialog.zoom_box.currentIndex())
    assert dialog.view.fit == "整页"
    page_height = dialog.view._pixels(0).height()
    assert page_height <= dialog.view.viewport().height()


def test_the_page_image_is_the_pdf_page(dossier_pdf):
    from reports.pdf.pages import PdfPages
    from ui.widgets.pdf_printing import page_qimage

    with PdfPages(dossier_pdf) as pages:
        width, height = pages.page_size(0)
        assert round(width) == 595 and round(height) == 842  # A4 in points
        image = page_qimage(pages.render(0, 72))
    assert abs(image.width() - 595) <= 1 and abs(image.height() - 842) <= 1
    assert 0.001 < _dark_share(image) < 0.5


def test_print_goes_through_qt_print_dialog_to_the_printer(qtbot, dossier_pdf, tmp_path, monkeypatch):
    """打印… opens Qt's print dialog (its page range set to the document) and prints every page; a
    page range prints those pages only."""
    from PySide6.QtPrintSupport import QPrinter

    from ui.widgets import pdf_printing
    from ui.widgets.pdf_preview import preview_pdf

    pages = _page_count(dossier_pdf)
    asked = []
    outputs = iter([tmp_path / "printed_all.pdf", tmp_path / "printed_range.pdf"])

    def choose_printer(dialog) -> bool:
        printer = dialog.printer()
        asked.append((dialog.windowTitle(), dialog.minPage(), dialog.maxPage(), printer.docName()))
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(next(outputs)))
        if len(asked) == 2:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(2, 2)
        return True

    monkeypatch.setattr(pdf_printing, "run_print_dialog", choose_printer)
    dialog = preview_pdf(None, dossier_pdf)
    qtbot.addWidget(dialog)
    printed = []
    dialog.printed.connect(printed.append)
    _click(qtbot, dialog.print_button)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=30000)
    assert asked[0] == ("打印", 1, pages, dossier_pdf.stem)
    assert printed == [pages] and _page_count(tmp_path / "printed_all.pdf") == pages
    dialog.print_action.trigger()  # the action a keyboard shortcut binds
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=30000)
    assert printed[1] == 1 and _page_count(tmp_path / "printed_range.pdf") == 1


def test_a_closed_print_dialog_prints_nothing(qtbot, dossier_pdf, monkeypatch):
    from ui.widgets import pdf_printing
    from ui.widgets.pdf_preview import preview_pdf

    monkeypatch.setattr(pdf_printing, "run_print_dialog", lambda dialog: False)
    dialog = preview_pdf(None, dossier_pdf)
    qtbot.addWidget(dialog)
    assert pdf_printing.print_pdfs(dialog, [dossier_pdf]) is None


def test_open_falls_back_to_the_preview_without_a_pdf_viewer(qtbot, dossier_pdf, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from ui.printing import print_view
    from ui.widgets.pdf_preview import PdfPreviewDialog

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or False)
    print_view.open_in_viewer(dossier_pdf)
    previews = [w for w in _top_levels() if isinstance(w, PdfPreviewDialog) and w.isVisible()]
    assert opened == [str(dossier_pdf)] and len(previews) == 1
    assert "没有可用的 PDF 阅读器" in previews[0].note_label.text()
    qtbot.addWidget(previews[0])
    # And the preview's own 用 PDF 阅读器打开 says so instead of doing nothing.
    _click(qtbot, previews[0].external_button)
    assert opened[-1] == str(dossier_pdf)


def test_open_uses_the_pc_viewer_when_there_is_one(qtbot, dossier_pdf, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from ui.widgets.pdf_preview import PdfPreviewDialog, open_pdf

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    assert open_pdf(None, dossier_pdf) is None
    assert not [w for w in _top_levels() if isinstance(w, PdfPreviewDialog) and w.isVisible()]


def test_a_damaged_file_is_said_in_chinese(qtbot, tmp_path, boxes):
    from ui.widgets.pdf_preview import preview_pdf

    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"not a pdf at all")
    dialog = preview_pdf(None, [bad])
    qtbot.addWidget(dialog)
    assert any("不是完好的 PDF 文件" in text for text in boxes.texts())
    assert not dialog.print_button.isEnabled()


def test_after_printing_from_the_list_the_preview_opens(context, two_cadres, qtbot, tmp_path):
    """The 打印鉴定报告 flow ends in the preview of what was made (several files: a list of them)."""
    from ui.printing import print_view
    from ui.widgets.pdf_preview import PdfPreviewDialog

    dialog = print_view.PrintDialog("dossier", two_cadres, ["赵犇", "钱多多"])
    qtbot.addWidget(dialog)
    dialog.reason.setText("存档")
    dialog.split.setChecked(True)
    dialog.path.setText(str(tmp_path / "split"))
    print_view.start_print(context, two_cadres, "dossier", dialog=dialog)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible() for w in _top_levels()),
                    timeout=30000)
    preview = next(w for w in _top_levels() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    qtbot.addWidget(preview)
    assert preview.file_list.count() == 2 and preview.file_list.isVisible()
    assert "已生成 2 人的鉴定报告" in preview.note_label.text()
    preview.file_list.setCurrentRow(1)
    assert preview.windowTitle().endswith(preview.files[1].name)


def test_print_from_the_profile_dialog(context, two_cadres, qtbot, tmp_path, monkeypatch):
    """干部档案 → 打印 → 干部任免审批表…: the print dialog for this cadre, then the preview of its form."""
    from ui.printing import print_view
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.widgets.pdf_preview import PdfPreviewDialog

    profile = ProfileDialog(context, two_cadres[0])
    qtbot.addWidget(profile)
    profile.show()
    assert profile.print_button.isVisible()
    assert [a.text() for a in profile.print_button.menu().actions()] == ["鉴定报告…", "干部任免审批表…"]
    out = tmp_path / "任免审批表.pdf"

    def fill(dialog) -> None:
        assert isinstance(dialog, print_view.PrintDialog) and dialog.ids == [two_cadres[0]]
        assert dialog.windowTitle() == "打印干部任免审批表"
        dialog.reason.setText("报送审批")
        dialog.path.setText(str(out))
        dialog.ok_button.click()

    answer_dialog(qtbot, profile.print_actions["rmb"].trigger, fill)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible() for w in _top_levels()),
                    timeout=30000)
    preview = next(w for w in _top_levels() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    assert preview.parent() is profile  # usable while the profile dialog is open
    assert preview.files == [out] and _page_count(out) >= 1


def test_profile_print_asks_to_save_unsaved_changes_first(context, two_cadres, qtbot, boxes, monkeypatch):
    from cadre_desk.profiles import cadres
    from ui.printing import print_view
    from ui.profiles.profile_dialog import ProfileDialog

    started = []
    monkeypatch.setattr(print_view, "start_print", lambda ctx, ids, kind, parent=None: started.append((ids, kind)))
    profile = ProfileDialog(context, two_cadres[0])
    qtbot.addWidget(profile)
    profile.cells["native_place"].editor.setText("江苏南京")
    boxes.answers = ["保存并打印"]
    profile.print_actions["dossier"].trigger()
    assert started == [([two_cadres[0]], "dossier")]
    assert cadres.get_profile(two_cadres[0]).values["native_place"] == "江苏南京"
    assert "尚未保存的修改" in boxes.texts()[-1]


def test_a_new_cadre_has_nothing_to_print(context, unit, qtbot):
    from ui.profiles.profile_dialog import ProfileDialog

    profile = ProfileDialog(context, None, unit_id=unit.id)
    qtbot.addWidget(profile)
    profile.show()
    assert not profile.print_button.isVisible() and not profile.print_action.isEnabled()


def _top_levels():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()
