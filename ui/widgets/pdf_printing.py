"""打印…: PDF files to a printer through Qt's print dialog (printer, page range, copies — in Chinese with
Qt's translations), the pages drawn in the background with a progress bar and 取消.

Each page goes to paper at its own size (an A4 page on A4 paper is not shrunk to the printable area:
the documents have their own margins); a page larger than the paper is fitted to it. Pages are drawn
at 300 dpi at most whatever the printer's resolution."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from cadre_desk.domain.errors import CadreDeskError, Cancelled
from reports.pdf.pages import PageImage, PdfPages
from ui.widgets import messages

TITLE = "打印"
PRINT_DPI = 300  # pages go to the printer at this resolution (a 1200-dpi printer would need 16× the memory)


def page_qimage(image: PageImage) -> QImage:
    """A drawn page as a QImage (a copy: it outlives the pixel buffer)."""
    return QImage(image.pixels, image.width, image.height, image.stride, QImage.Format.Format_RGB32).copy()


def run_print_dialog(dialog: QPrintDialog) -> bool:
    """Qt's print dialog, modally; True when the user chose 打印. (Tests replace it.)"""
    return dialog.exec() == QDialog.DialogCode.Accepted


def make_printer(first: PdfPages, name: str) -> QPrinter:
    """A printer set up for the document: its paper size and orientation, the whole sheet to draw on."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setDocName(name)
    width, height = first.page_size(0) if len(first) else (595.0, 842.0)
    size = QPageSize(QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageSize(size)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                               else QPageLayout.Orientation.Portrait)
    return printer


def print_pdfs(parent: QWidget | None, files, tasks=None, on_done=None):
    """Ask for a printer (Qt's dialog) and print ``files`` in the background. Returns the running task,
    or None when the user closed the dialog. ``on_done(pages printed)`` after the last page."""
    files = [Path(f) for f in files]
    try:
        with PdfPages(files[0]) as first:
            printer = make_printer(first, files[0].stem)
            count = len(first)
    except CadreDeskError as exc:
        messages.error(parent, TITLE, exc)
        return None
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(TITLE)
    if len(files) == 1:
        dialog.setMinMax(1, max(count, 1))
        dialog.setFromTo(1, max(count, 1))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    else:
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
    if not run_print_dialog(dialog):
        return None
    first_page, last_page = 1, count
    if len(files) == 1 and printer.printRange() == QPrinter.PrintRange.PageRange:
        first_page, last_page = max(1, printer.fromPage()), min(count, printer.toPage() or count)

    def work(progress) -> int:
        return paint_pages(printer, files, progress, first_page, last_page)

    def done(pages: int) -> None:
        if on_done is not None:
            on_done(pages)

    if tasks is None:
        from ui.widgets.tasks import TaskRunner

        tasks = TaskRunner(parent)
    return tasks.run_with_progress(parent, "正在打印", work, on_done=done)


def paint_pages(printer: QPrinter, files: list[Path], progress, first_page: int = 1,
                last_page: int | None = None) -> int:
    """Draw the pages (``first_page``–``last_page`` of a single file, every page of several) on
    ``printer``; returns how many. Runs in a worker thread: a QPainter on a QPrinter may."""
    painter = QPainter()
    if not painter.begin(printer):
        raise CadreDeskError("无法开始打印：打印机不可用，或打印到的文件无法写入。")
    printed = 0
    try:
        if len(files) == 1:
            with PdfPages(files[0]) as pages:
                plan = [(files[0], range(first_page - 1, min(last_page or len(pages), len(pages))))]
        else:
            plan = []
            for path in files:
                with PdfPages(path) as pages:
                    plan.append((path, range(len(pages))))
        total = sum(len(indices) for _path, indices in plan)
        for path, indices in plan:
            with PdfPages(path) as pages:
                for index in indices:
                    progress.report(printed, total, f"正在打印第 {printed + 1} 页，共 {total} 页")
                    if printed:
                        printer.newPage()
                    draw_page(painter, printer, pages, index)
                    printed += 1
        progress.report(printed, total, "正在送往打印机")
    except Cancelled:
        printer.abort()
        raise
    finally:
        painter.end()
    return printed


def draw_page(painter: QPainter, printer: QPrinter, pages: PdfPages, index: int) -> None:
    """One page on the sheet: at its own size, centred; fitted when it is larger than the paper."""
    resolution = printer.resolution()
    sheet = printer.pageLayout().fullRectPixels(resolution)
    width_pt, height_pt = pages.page_size(index)
    width, height = width_pt / 72.0 * resolution, height_pt / 72.0 * resolution
    scale = min(1.0, sheet.width() / width, sheet.height() / height)
    width, height = width * scale, height * scale
    image = page_qimage(pages.render(index, min(PRINT_DPI, resolution) * scale))
    target = QRectF((sheet.width() - width) / 2, (sheet.height() - height) / 2, width, height)
    painter.drawImage(target, image)
