"""干部画像 on screen: the profile dialog's 干部画像 tab and the cadre list's 查看干部画像… window — the same
sections as the one-page PDF (导出 PDF…). An operator with the 干部监督 grant may tick 显示提醒函询诫勉记录 (off
by default; nobody else sees the box)."""

from __future__ import annotations

import os
from html import escape

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.portrait import portrait
from cadre_desk.supervision import supervision
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.window import resize_to_screen

PHOTO_URL = QUrl("portrait://photo")
STYLE = ("table { border-collapse: collapse; } td { border: 1px solid #9aa7b4; padding: 3px 6px; }"
         " td.label { background: #f0f3f7; color: #333; white-space: nowrap; } h3 { margin: 10px 0 4px 0; }")


def portrait_html(shown: portrait.Portrait, with_photo: bool) -> str:
    """The portrait as rich text (every value escaped)."""
    rows = []
    basics = shown.basics
    for i in range(0, len(basics), 2):
        cells = "".join(f'<td class="label">{escape(label)}</td><td>{escape(value)}</td>'
                        for label, value in basics[i:i + 2])
        photo = ""
        if i == 0:
            span = (len(basics) + 1) // 2
            photo = (f'<td rowspan="{span}" align="center"><img src="{PHOTO_URL.toString()}" width="110"></td>'
                     if with_photo else f'<td rowspan="{span}" align="center">（无照片）</td>')
        rows.append(f"<tr>{cells}{photo}</tr>")
    parts = [f"<style>{STYLE}</style>", f"<h2>{escape(shown.name)}</h2><p>{escape(shown.subtitle)}</p>",
             f'<table width="100%">{"".join(rows)}</table>']
    for section in shown.sections:
        lines = "".join(f'<tr><td class="label" width="150">{escape(label)}</td><td>{escape(text)}</td></tr>' if label
                        else f'<tr><td colspan="2">{escape(text)}</td></tr>' for label, text in section.lines)
        parts.append(f'<h3>{escape(section.title)}</h3><table width="100%">{lines}</table>')
    return "".join(parts)


class PortraitView(QWidget):
    """One cadre's portrait with 导出 PDF…; the profile tab and the window both are this."""

    def __init__(self, context: AppContext, cadre_id: int, parent=None):
        super().__init__(parent)
        self.context, self.cadre_id = context, cadre_id
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        # Every table is as wide as the page and wraps its text; Qt rounds a 100 %-wide table up to a pixel
        # past the page at some widths, and a scroll bar showed that scrolled that one pixel.
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # in words the PDF uses; 「仅本人可见」 read, on a cadre's portrait, as seen by the cadre himself
        self.supervision = QCheckBox("显示提醒函询诫勉记录（限干部监督权限，默认不显示、不打印）")
        self.supervision.setVisible(supervision.visible(self.cadre_id))
        self.supervision.toggled.connect(lambda _c: self.reload())
        self.pdf_button = QPushButton("导出 PDF…")
        self.pdf_button.setEnabled(context.allows(permissions.PRINT, cadre_id=cadre_id))
        self.pdf_button.clicked.connect(self.export_pdf)
        row = QHBoxLayout()
        row.addWidget(self.supervision)
        row.addStretch(1)
        row.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        self.shown: portrait.Portrait | None = None
        self.reload()

    def reload(self) -> None:
        self.shown = portrait.portrait(self.cadre_id, include_supervision=self.supervision.isChecked())
        document = self.browser.document()
        with_photo = False
        if self.shown.photo:
            image = QImage.fromData(QByteArray(self.shown.photo))
            with_photo = not image.isNull()
            if with_photo:
                document.addResource(QTextDocument.ResourceType.ImageResource, PHOTO_URL, image)
        self.browser.setHtml(portrait_html(self.shown, with_photo))

    def export_pdf(self) -> None:
        from ui.printing.print_view import PrintDialog, show_done

        shown = self.shown
        dialog = PrintDialog("portrait", [self.cadre_id], [shown.name], self)
        if dialog.exec() != QDialog.Accepted:
            return
        options = dialog.options()
        path = options["out_path"] or os.path.join(options["split_dir"], f"{shown.name}_干部画像.pdf")
        include = self.supervision.isChecked()

        def work(_progress):
            from reports.pdf import batch

            if options["split_dir"]:
                os.makedirs(options["split_dir"], exist_ok=True)
            return batch.build_portrait(self.cadre_id, path, reason=options["reason"], include_supervision=include)

        self.context.tasks.run_with_progress(self, "正在生成干部画像", work, on_done=lambda r: show_done(r, self))


class PortraitDialog(QDialog):
    def __init__(self, context: AppContext, cadre_id: int, parent=None):
        super().__init__(parent)
        self.view = PortraitView(context, cadre_id, self)
        self.setWindowTitle(f"干部画像 — {self.view.shown.name}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        resize_to_screen(self, 880, 760)


def show_portrait(context: AppContext, cadre_ids: list[int]) -> None:
    """干部名册 → 查看干部画像…: the first selected cadre."""
    if not cadre_ids:
        messages.info(context.main_window, "干部画像", "请先在干部名册中选择一名干部。")
        return
    PortraitDialog(context, cadre_ids[0], context.main_window).exec()
