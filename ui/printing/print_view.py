"""Printing from the window: 打印鉴定报告… / 打印任免审批表… on the cadre list's selection, and the
current filter's result from the 文件 menu.

A dialog asks the reason (required, goes to the audit log), one PDF or one per cadre, and where to
save. The glyph check runs first and its findings (who, which field, which character) are shown
before anything is built; the build runs in the background with a progress bar and 取消.
Afterwards the PDF opens in the system viewer, or goes to the system print dialog.

PySide6-Essentials has no QtPdf, so the window cannot rasterise PDF pages itself: 打印 opens the
system print dialog when QtPdf is present, otherwise it hands the file to the system PDF viewer
for printing and says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QRect, QSize, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from cadre_desk.domain.errors import Cancelled, ValidationError
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog

KIND_TITLES = {"dossier": "鉴定报告", "rmb": "干部任免审批表", "portrait": "干部画像", "checkup": "政治体检提醒单"}


def qtpdf_available() -> bool:
    try:
        import PySide6.QtPdf  # noqa: F401
    except ImportError:
        return False
    return True


def _default_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


class PrintDialog(FormDialog):
    """Reason, one file or one per cadre, output path."""

    ok_text = "生成"

    def __init__(self, kind: str, ids: list[int], names: list[str], parent: QWidget | None = None):
        title = KIND_TITLES[kind]
        super().__init__(parent, f"打印{title}")
        self.kind, self.ids = kind, list(ids)
        self.setMinimumWidth(520)
        who = "、".join(names[:5]) + (f" 等 {len(ids)} 人" if len(ids) > 5 else f"（{len(ids)} 人）")
        intro = QLabel(f"将为 {who} 生成{title}（PDF）。")
        intro.setWordWrap(True)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填，例如：年度考核存档、报送上级审批")
        self.single = QRadioButton("全部合成一个 PDF 文件")
        self.split = QRadioButton("每人一个 PDF 文件（放到一个文件夹）")
        self.single.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.single)
        group.addButton(self.split)
        stem = f"{names[0]}_{title}" if len(ids) == 1 and names else title
        self._file_path = os.path.join(_default_dir(), f"{stem}.pdf")
        self._dir_path = os.path.join(_default_dir(), title)
        self.path = QLineEdit(self._file_path)
        self._confirmed = ""
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.single.toggled.connect(self._mode_changed)
        self.form.addRow(intro)
        self.add_field("reason", "打印事由：", self.reason)
        self.form.addRow("输出方式：", self.single)
        self.form.addRow("", self.split)
        self.add_field("path", "保存到：", path_row)

    def _mode_changed(self, single: bool) -> None:
        if single:
            self._dir_path = self.path.text()
            self.path.setText(self._file_path)
        else:
            self._file_path = self.path.text()
            self.path.setText(self._dir_path)

    def browse(self) -> None:
        if self.single.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "保存 PDF", self.path.text(), "PDF 文件 (*.pdf)")
        else:
            path = QFileDialog.getExistingDirectory(self, "选择文件夹", self.path.text())
        if path:
            self.path.setText(path)
            self._confirmed = path  # the file dialog has already asked about replacing it

    def save(self) -> dict:
        if not self.reason.text().strip():
            raise ValidationError({"reason": "请填写打印事由，它将记入审计日志。"})
        path = self.path.text().strip()
        if not path:
            raise ValidationError({"path": "请选择保存位置。"})
        if self.single.isChecked() and not path.lower().endswith(".pdf"):
            self.path.setText(path + ".pdf")
            path = self.path.text()
        if (self.single.isChecked() and os.path.isfile(path) and path != self._confirmed
                and not confirm_replace(self, path)):
            raise Cancelled()
        return self.options()

    def options(self) -> dict:
        path = self.path.text().strip()
        return {"reason": self.reason.text().strip(),
                "out_path": path if self.single.isChecked() else None,
                "split_dir": None if self.single.isChecked() else path}


def confirm_replace(parent: QWidget | None, path: str) -> bool:
    """An earlier print at the same path is replaced only when the user says so."""
    return messages.confirm(parent, "文件已存在", f"“{path}”已存在。\n要用新生成的文件替换它吗？", "替换", danger=True)


def missing_report(missing) -> str:
    lines = [str(m) for m in missing[:200]]
    if len(missing) > 200:
        lines.append(f"……另有 {len(missing) - 200} 处")
    return "\n".join(lines)


class MissingGlyphDialog(FormDialog):
    """Lists every character the font lacks, by cadre and field; 继续生成 or 返回修改."""

    title = "字体缺字"
    ok_text = "继续生成"
    cancel_text = "返回"

    def __init__(self, missing, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumSize(560, 320)
        label = QLabel(f"以下 {len(missing)} 处字符在打印字体中没有，生成的 PDF 中这些位置会是空白。"
                       "可先到干部信息中改用通用字，或继续生成。")
        label.setWordWrap(True)
        text = QPlainTextEdit(missing_report(missing))
        text.setReadOnly(True)
        self.body.addWidget(label)
        self.body.addWidget(text, 1)


def open_in_viewer(path: str | Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_pdf(parent: QWidget | None, path: str | Path) -> None:
    """Send a PDF to a printer: through QPrintDialog when QtPdf can render pages, else the viewer."""
    if not qtpdf_available():
        messages.info(parent, "打印", "本机版本不含 PDF 页面渲染组件，将用系统的 PDF 阅读器打开文件，"
                      "请在阅读器中选择“打印”。")
        open_in_viewer(path)
        return
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterResolution)
    printer.setResolution(300)  # an A4 page is a 2480 × 3508 image; the printer's 1200 dpi would be 16 × that
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.Accepted:
        return
    document = QPdfDocument(parent)
    document.load(str(path))
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            points = document.pagePointSize(page)
            # Fit the page into the printable area without stretching it.
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
    finally:
        painter.end()


def show_done(result, parent: QWidget | None = None) -> None:
    """生成完成: where the files are; 打开 / 打印… / 关闭."""
    title = KIND_TITLES[result.kind]
    target = result.files[0] if len(result.files) == 1 else result.files[0].parent
    text = (f"已生成 {len(result.cadre_ids)} 人的{title}，共 {len(result.files)} 个文件：\n{target}\n"
            "本次打印已记入审计日志。")
    if not qtpdf_available():
        text += "\n\n打印：将用系统的 PDF 阅读器打开，在阅读器中打印。"
    answer = messages.choose(parent, "生成完成", text, ["打开", "打印…"], cancel="关闭", icon=messages.INFORMATION)
    if answer == 0:
        open_in_viewer(target)
    elif answer == 1:
        for path in result.files[:20]:
            print_pdf(parent, path)


def _names(context, ids: list[int]) -> list[str]:
    index = context.index
    out = []
    for cadre_id in ids:
        row = index.row(cadre_id) if index is not None else None
        out.append(index.display(row, "name") if row is not None else str(cadre_id))
    return out


def start_print(context, ids: list[int], kind: str, *, dialog: PrintDialog | None = None,
                confirm_missing=None, on_finished=None):
    """The whole flow. ``dialog`` and ``confirm_missing`` are injectable for tests."""
    parent = context.main_window
    if not ids:
        messages.info(parent, "打印", "请先在干部名册中选择要打印的干部。")
        return None
    if dialog is None:
        dialog = PrintDialog(kind, ids, _names(context, ids), parent)
        if dialog.exec() != QDialog.Accepted:
            return None
    options = dialog.options()

    def check(progress):
        from reports.pdf import batch

        datas = batch.gather_all(ids, progress, share=1.0)
        return datas, batch.check_glyphs(datas)

    def checked(value):
        datas, missing = value
        if missing:
            ok = confirm_missing(missing) if confirm_missing else MissingGlyphDialog(missing, parent).exec()
            if not ok:
                return
        build(datas)

    def build(datas):
        def work(progress):
            from reports.pdf import batch

            return batch.build_dossiers(ids, kind=kind, progress=progress, datas=datas, **options)

        def done(result):
            context.status_message.emit(f"已生成{KIND_TITLES[kind]}：{len(result.files)} 个文件")
            if on_finished:
                on_finished(result)
                return
            show_done(result, parent)

        context.tasks.run_with_progress(parent, f"正在生成{KIND_TITLES[kind]}", work, on_done=done)

    return context.tasks.run_with_progress(parent, "正在检查字符", check, on_done=checked)


def filtered_ids(context) -> list[int]:
    window = context.main_window
    page = window.page("cadres") if window is not None else None
    if page is None:
        return []
    return [page.model.cadre_id(r) for r in range(page.model.rowCount())]


def print_filter_result(context, kind: str = "dossier") -> None:
    ids = filtered_ids(context)
    if not ids:
        messages.info(context.main_window, "打印", "当前筛选结果中没有干部。")
        return
    start_print(context, ids, kind)


def print_document(context, title: str, stem: str, work) -> None:
    """A one-off document (工作台, 赛马比选): ask where to save the PDF and why (the audit log keeps the
    reason), build it in the background with ``work(path, progress, reason)`` (→ a result with ``path``
    and ``missing``: characters the font lacks), then offer 打开 / 打印…."""
    from cadre_desk.domain import clock
    from ui.exchange.common import default_dir, remember_dir
    from ui.exchange.exchange_view import ask_reason

    parent = context.main_window
    default = os.path.join(default_dir(), f"{stem}_{clock.today():%Y%m%d}.pdf")
    path, _ = QFileDialog.getSaveFileName(parent, title, default, "PDF 文件 (*.pdf)")
    if not path:
        return
    remember_dir(path)
    path = path if path.lower().endswith(".pdf") else path + ".pdf"
    reason = ask_reason(parent, title)
    if reason is None:
        return

    def done(result) -> None:
        context.status_message.emit(f"{title}完成：{result.path}")
        text = f"已生成 PDF：\n{result.path}\n本次打印已记入审计日志。"
        if result.missing:
            text += "\n\n以下字符字体中没有，PDF 中为空白：\n" + "\n".join(result.missing[:10])
        answer = messages.choose(parent, "生成完成", text, ["打开", "打印…"], cancel="关闭", icon=messages.INFORMATION)
        if answer == 0:
            open_in_viewer(result.path)
        elif answer == 1:
            print_pdf(parent, result.path)

    context.tasks.run_with_progress(parent, title, lambda progress: work(path, progress, reason), on_done=done)
