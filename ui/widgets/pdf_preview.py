"""The one print preview: every PDF the program makes is looked at here before it goes to paper.

``preview_pdf(parent, files, note)`` opens a window beside the main one with the pages as images — the
pages one under the other, 上一页 / 下一页 and the page number, 缩小 / 放大 / 适合宽度 / 整页, the files
of a batch in a list — and 打印… sends them to a printer through Qt's print dialog (page range, copies,
printer), the pages drawn in the background with a progress bar and 取消. 用 PDF 阅读器打开 and 打开所在文件夹
are there too. ``open_pdf`` hands a file to the PC's PDF viewer and falls back to this preview when the
PC has none. The pages are drawn by reports/pdf/pages.py (PDFium)."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QDesktopServices, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.errors import CadreDeskError
from reports.pdf.pages import PdfPages
from ui.widgets import messages
from ui.widgets.pdf_printing import page_qimage, print_pdfs
from ui.widgets.window import resize_to_screen

SCREEN_DPI = 96.0  # 100 % shows a page as large as on paper on a usual office screen
GAP = 12  # pixels between pages and around them
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH, FIT_PAGE = "适合宽度", "整页"


class PagesView(QAbstractScrollArea):
    """The pages of one PDF one under the other, each drawn when it scrolls into view."""

    page_changed = Signal(int)  # the page at the top of the view (from 0)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.pages: PdfPages | None = None
        self.zoom = 1.0
        self.fit = FIT_WIDTH  # "" when the zoom was chosen
        self._cache: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self._tops: list[int] = []
        self._current = 0
        self.viewport().setObjectName("pdfPages")
        self.viewport().setStyleSheet("QWidget#pdfPages { background: #6b7785; }")  # paper on a grey desk
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_pages(self, pages: PdfPages | None) -> None:
        self.pages = pages
        self._cache.clear()
        self._current = -1
        self._layout()
        self.verticalScrollBar().setValue(0)
        self._scrolled()

    def page_count(self) -> int:
        return len(self.pages) if self.pages is not None else 0

    def current_page(self) -> int:
        return max(self._current, 0)

    # ---- geometry ----------------------------------------------------------------------------------
    def _pixels(self, index: int) -> QSize:
        width, height = self.pages.page_size(index)
        scale = self.zoom * SCREEN_DPI / 72.0
        return QSize(max(1, round(width * scale)), max(1, round(height * scale)))

    def _fit_zoom(self) -> float:
        if not self.page_count() or not self.fit:
            return self.zoom
        width, height = max(self.pages.page_size(i)[0] for i in range(min(self.page_count(), 20))), \
            self.pages.page_size(0)[1]
        room = self.viewport().size()
        scale = SCREEN_DPI / 72.0
        by_width = (room.width() - 2 * GAP) / (width * scale)
        if self.fit == FIT_WIDTH:
            return max(0.1, by_width)
        return max(0.1, min(by_width, (room.height() - 2 * GAP) / (height * scale)))

    def _layout(self) -> None:
        top = self.current_page()
        if self.fit:
            self.zoom = self._fit_zoom()
        self._tops = []
        y, widest = GAP, 0
        for index in range(self.page_count()):
            self._tops.append(y)
            size = self._pixels(index)
            y += size.height() + GAP
            widest = max(widest, size.width())
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, y - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(40)
        across = self.horizontalScrollBar()
        across.setRange(0, max(0, widest + 2 * GAP - self.viewport().width()))
        across.setPageStep(self.viewport().width())
        if self._tops:
            bar.setValue(self._tops[min(top, len(self._tops) - 1)] - GAP)
        self.zoom_changed.emit(self.zoom)
        self.viewport().update()

    def set_zoom(self, zoom: float | str) -> None:
        """A factor (1.0 = as on paper), or FIT_WIDTH / FIT_PAGE."""
        if isinstance(zoom, str):
            self.fit = zoom
        else:
            self.fit = ""
            self.zoom = min(max(zoom, 0.1), 5.0)
        self._layout()

    def step_zoom(self, up: bool) -> None:
        bigger = [z for z in ZOOMS if z > self.zoom + 0.01]
        smaller = [z for z in ZOOMS if z < self.zoom - 0.01]
        if up:
            self.set_zoom(bigger[0] if bigger else self.zoom * 1.25)
        else:
            self.set_zoom(smaller[-1] if smaller else self.zoom / 1.25)

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self._tops):
            self.verticalScrollBar().setValue(self._tops[index] - GAP)
            self._current = index
            self.page_changed.emit(index)

    def _scrolled(self, *_args) -> None:
        value = self.verticalScrollBar().value() + self.viewport().height() // 3
        index = 0
        for position, top in enumerate(self._tops):
            if top <= value:
                index = position
            else:
                break
        if index != self._current:
            self._current = index
            self.page_changed.emit(index)
        self.viewport().update()

    # ---- Qt ----------------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.pages is not None:
            self._layout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        self.viewport().update()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.step_zoom(event.angleDelta().y() > 0)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and self._tops:
            self.go_to(min(max(self.current_page() + (1 if key == Qt.Key.Key_PageDown else -1), 0),
                           len(self._tops) - 1))
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self._tops:
            self.go_to(0 if key == Qt.Key.Key_Home else len(self._tops) - 1)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.pages is None:
            return
        painter = QPainter(self.viewport())
        top, left = self.verticalScrollBar().value(), self.horizontalScrollBar().value()
        height, width = self.viewport().height(), self.viewport().width()
        for index, page_top in enumerate(self._tops):
            size = self._pixels(index)
            y = page_top - top
            if y + size.height() < 0:
                continue
            if y > height:
                break
            x = max(GAP, (width - size.width()) // 2) - left
            target = QRect(x, y, size.width(), size.height())
            painter.fillRect(target.translated(2, 2), QColor(0, 0, 0, 60))
            painter.drawImage(target, self._image(index, size))
        painter.end()

    def _image(self, index: int, size: QSize) -> QImage:
        ratio = self.devicePixelRatioF()
        key = (index, round(size.width() * ratio))
        image = self._cache.get(key)
        if image is None:
            dpi = self.zoom * SCREEN_DPI * ratio
            image = page_qimage(self.pages.render(index, dpi))
            image.setDevicePixelRatio(ratio)
            self._cache[key] = image
            while len(self._cache) > 16:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return image


class PdfPreviewDialog(QDialog):
    """打印预览: the pages of one or more PDF files; 打印… / 用 PDF 阅读器打开 / 打开所在文件夹 / 关闭."""

    printed = Signal(int)  # pages sent to the printer

    def __init__(self, files: list[Path], parent: QWidget | None = None, note: str = "", tasks=None):
        super().__init__(parent)
        self.files = [Path(f) for f in files]
        self.tasks = tasks
        self.pages: PdfPages | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.view = PagesView()
        self.page_box = QSpinBox()
        self.page_box.setMinimum(1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda value: self.view.go_to(value - 1))
        self.count_label = QLabel()
        self.previous_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        self.previous_button.clicked.connect(lambda: self.view.go_to(self.view.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.view.go_to(self.view.current_page() + 1))
        self.smaller_button = QPushButton("缩小")
        self.bigger_button = QPushButton("放大")
        self.smaller_button.clicked.connect(lambda: self.view.step_zoom(False))
        self.bigger_button.clicked.connect(lambda: self.view.step_zoom(True))
        self.zoom_box = QComboBox()
        self.zoom_box.addItems([FIT_WIDTH, FIT_PAGE] + [f"{round(z * 100)}%" for z in ZOOMS])
        self.zoom_box.activated.connect(self._zoom_chosen)
        self.view.zoom_changed.connect(self._show_zoom)
        self.view.page_changed.connect(self._show_page)

        # The print action: a button here, and an action the window's keyboard shortcuts can bind.
        self.print_action = QAction("打印…", self)
        self.print_action.triggered.connect(self.print_files)
        self.addAction(self.print_action)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("primary")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_action.trigger)
        self.external_button = QPushButton("用 PDF 阅读器打开")
        self.external_button.clicked.connect(self.open_external)
        self.folder_button = QPushButton("打开所在文件夹")
        self.folder_button.clicked.connect(self.open_folder)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)

        for button in (self.previous_button, self.next_button, self.smaller_button, self.bigger_button,
                       self.external_button, self.folder_button, close):
            button.setAutoDefault(False)
        tools = QHBoxLayout()
        for widget in (self.previous_button, self.next_button, QLabel("第"), self.page_box, self.count_label,
                       self.smaller_button, self.zoom_box, self.bigger_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        for widget in (self.print_button, self.external_button, self.folder_button, close):
            tools.addWidget(widget)

        layout = QVBoxLayout(self)
        self.note_label = QLabel(note)
        self.note_label.setWordWrap(True)
        self.note_label.setObjectName("previewNote")
        self.note_label.setVisible(bool(note))
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.note_label)
        layout.addLayout(tools)
        self.file_list = QListWidget()
        self.file_list.addItems([f.name for f in self.files])
        self.file_list.currentRowChanged.connect(self.show_file)
        if len(self.files) > 1:
            split = QSplitter()
            split.addWidget(self.file_list)
            split.addWidget(self.view)
            split.setStretchFactor(1, 1)
            split.setSizes([220, 700])
            layout.addWidget(split, 1)
        else:
            self.file_list.hide()
            layout.addWidget(self.view, 1)
        resize_to_screen(self, 980 if len(self.files) > 1 else 820, 1000)
        if self.files:
            self.file_list.setCurrentRow(0)

    def show_file(self, row: int) -> None:
        if not 0 <= row < len(self.files):
            return
        path = self.files[row]
        if self.pages is not None:
            self.pages.close()
            self.pages = None
        self.setWindowTitle(f"打印预览 — {path.name}")
        try:
            self.pages = PdfPages(path)
        except CadreDeskError as exc:  # said; the preview stays open for the other files
            self.view.set_pages(None)
            messages.error(self, "打印预览", exc)
            self._show_page(0)
            return
        self.view.set_pages(self.pages)
        self.page_box.setMaximum(max(1, len(self.pages)))
        self.count_label.setText(f"页，共 {len(self.pages)} 页")
        self._show_page(0)

    def _show_page(self, index: int) -> None:
        count = self.view.page_count()
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < count)
        self.print_action.setEnabled(count > 0)
        self.print_button.setEnabled(count > 0)

    def _show_zoom(self, zoom: float) -> None:
        text = self.view.fit or f"{round(zoom * 100)}%"
        position = self.zoom_box.findText(text)
        if position < 0:
            self.zoom_box.setItemText(self.zoom_box.count() - 1, f"{round(ZOOMS[-1] * 100)}%")
            position = -1
        self.zoom_box.setCurrentIndex(position)
        if position < 0:
            self.zoom_box.setEditText(text)

    def _zoom_chosen(self, row: int) -> None:
        text = self.zoom_box.itemText(row)
        self.view.set_zoom(text if text in (FIT_WIDTH, FIT_PAGE) else int(text.rstrip("%")) / 100)

    def current_file(self) -> Path | None:
        row = self.file_list.currentRow()
        return self.files[row] if 0 <= row < len(self.files) else None

    def print_files(self) -> None:
        current = self.current_file()
        if current is not None:
            print_pdfs(self, [current], self.tasks, on_done=self._printed)

    def _printed(self, pages: int) -> None:
        self.note_label.setText(f"已送往打印机：{pages} 页。")
        self.note_label.show()
        self.printed.emit(pages)

    def open_external(self) -> None:
        current = self.current_file()
        if current is not None and not open_in_system_viewer(current):
            messages.info(self, "打开", "本机没有可用的 PDF 阅读器。可以在这里预览和打印。")

    def open_folder(self) -> None:
        current = self.current_file()
        if current is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(current.parent))):
            messages.info(self, "打开所在文件夹", f"无法打开文件夹：\n{current.parent}")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.pages is not None:
            self.view.set_pages(None)
            self.pages.close()
            self.pages = None
        super().closeEvent(event)


def open_in_system_viewer(path: str | Path) -> bool:
    """The PC's own PDF viewer; False when it has none (nothing registered for .pdf)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def preview_pdf(parent: QWidget | None, files, note: str = "", tasks=None) -> PdfPreviewDialog:
    """Open the print preview of ``files`` (one path or several) beside the window and return it."""
    files = [files] if isinstance(files, (str, Path)) else list(files)
    dialog = PdfPreviewDialog(files, parent, note, tasks)
    dialog.show()
    dialog.raise_()
    return dialog


def open_pdf(parent: QWidget | None, path: str | Path, tasks=None) -> PdfPreviewDialog | None:
    """打开: the PC's PDF viewer; when there is none, the preview here, saying why (never nothing)."""
    if open_in_system_viewer(path):
        return None
    return preview_pdf(parent, [path], "本机没有可用的 PDF 阅读器，已在程序内打开预览，可以在这里打印。", tasks)
