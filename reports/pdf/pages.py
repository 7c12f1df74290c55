"""The pages of a finished PDF as pixels, for the window's print preview and for printing.

PDFium (through pypdfium2, a few MB for Windows x64 and Linux) draws the pages: PySide6-Essentials has
no QtPdf, and PySide6-Addons (which has) adds more than 400 MB to a venv and must match the Essentials
version exactly. Both are PDFium underneath and draw an A4 page in the same time (~18 ms at 96 dpi,
~80 ms at 300 dpi on these machines).

PDFium may be used by one thread at a time: every call goes through ``_LOCK`` (the preview draws on the
GUI thread while a print job draws in the background). No Qt here: the window turns the pixels into
images (ui/widgets/pdf_preview.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from cadre_desk.domain.errors import CadreDeskError, os_error_text

_LOCK = threading.RLock()
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageImage:
    """One drawn page: rows of 4-byte pixels in B, G, R, x order (Qt's Format_RGB32 on every PC)."""

    width: int
    height: int
    stride: int  # bytes per row
    pixels: bytes


class PdfPages:
    """An open PDF file: how many pages, each page's size in points, a page drawn at a resolution."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            with open(self.path, "rb") as fh:  # the file's own error (missing, no permission) in Chinese
                fh.read(1)
            with _LOCK:
                self._document = pypdfium2.PdfDocument(str(self.path))
                self._sizes = [self._document.get_page_size(index) for index in range(len(self._document))]
        except OSError as exc:
            raise CadreDeskError(f"无法打开 PDF 文件。{os_error_text(exc, self.path)}") from exc
        except pypdfium2.PdfiumError as exc:
            raise CadreDeskError(f"“{self.path.name}”不是完好的 PDF 文件，无法显示。") from exc

    def __len__(self) -> int:
        return len(self._sizes)

    def page_size(self, index: int) -> tuple[float, float]:
        """(width, height) in points (1/72 inch); an A4 page is 595 × 842."""
        return self._sizes[index]

    def render(self, index: int, dpi: float) -> PageImage:
        """Page ``index`` (from 0) drawn at ``dpi`` dots per inch on white."""
        with _LOCK:
            page = self._document[index]
            try:
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, prefer_bgrx=True, may_draw_forms=False)
                try:
                    return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
                finally:
                    bitmap.close()
            finally:
                page.close()

    def close(self) -> None:
        with _LOCK:
            self._document.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def self_test() -> tuple[int, int]:
    """Draw a blank A4 page in memory: proves PDFium is there and loads (the frozen app's smoke test)."""
    with _LOCK:
        document = pypdfium2.PdfDocument.new()
        try:
            page = document.new_page(595, 842)
            try:
                bitmap = page.render(scale=72 / POINTS_PER_INCH)
                try:
                    return bitmap.width, bitmap.height
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
