"""Printing from the window: 打印鉴定报告… / 打印任免审批表… on the cadre list's selection, and the
current filter's result from the 文件 menu.

A dialog asks the reason (required, goes to the audit log), one PDF or one per cadre, and where to
save. The glyph check runs first and its findings (who, which field, which character) are shown
before anything is built; the build runs in the background with a progress bar and 取消.
Afterwards the print preview shows the pages (ui/widgets/pdf_preview.py), and 打印… there sends them
to a printer through Qt's print dialog. Every document of the program ends in that same preview.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from cadre_desk.domain.errors import Cancelled, ValidationError
from ui.widgets import files, messages
from ui.widgets.files import default_dir, remember_dir
from ui.widgets.form_dialog import FormDialog
from ui.widgets.pdf_preview import open_pdf, preview_pdf
from ui.widgets.pdf_printing import print_pdfs

KIND_TITLES = {"dossier": "鉴定报告", "rmb": "干部任免审批表", "portrait": "干部画像", "checkup": "政治体检提醒单",
               "mentoring": "导师帮带情况表", "pair_list": "导师帮带结对名单", "review": "一线锻炼鉴定表"}


class PrintDialog(FormDialog):
    """Reason, one file or one per cadre (``noun``: per pair 对, per posting 份), output path; ``single_only``:
    one file, no choice (a list is one table)."""

    ok_text = "生成"
    asks_before_closing = False  # the choices of one print, made again in a moment

    def __init__(self, kind: str, ids: list[int], names: list[str], parent: QWidget | None = None, *,
                 noun: str = "人", single_only: bool = False):
        title = KIND_TITLES[kind]
        super().__init__(parent, f"打印{title}")
        self.kind, self.ids = kind, list(ids)
        self.setMinimumWidth(520)
        who = "、".join(names[:5]) + (f" 等 {len(ids)} {noun}" if len(ids) > 5 else f"（{len(ids)} {noun}）")
        intro = QLabel(f"将为 {who} 生成{title}（PDF）。")
        intro.setWordWrap(True)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填，例如：年度考核存档、报送上级审批")
        self.single = QRadioButton("全部合成一个 PDF 文件")
        self.split = QRadioButton(f"每{noun}一个 PDF 文件（放到一个文件夹）")
        self.single.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.single)
        group.addButton(self.split)
        stem = f"{names[0]}_{title}" if len(ids) == 1 and names else title
        self._file_path = os.path.join(default_dir(), f"{stem}.pdf")
        self._dir_path = os.path.join(default_dir(), title)
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
        if not single_only:
            self.form.addRow("输出方式：", self.single)
            self.form.addRow("", self.split)
        else:
            self.split.hide()
            self.single.hide()
            # its size kept apart: the height kept by a print with the 输出方式 choice left an empty band here
            self.geometry_key = "PrintDialogOneFile"
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
            path = files.save_file(self, "保存 PDF", self.path.text(), "PDF 文件 (*.pdf)")
        else:
            path = files.pick_folder(self, "选择文件夹", self.path.text())
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
        remember_dir(path)
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
    asks_before_closing = False  # a question, not a form
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


def open_in_viewer(path: str | Path, parent: QWidget | None = None) -> None:
    """打开: the PC's PDF viewer, or the print preview when the PC has none (never nothing)."""
    open_pdf(parent, path)


def print_pdf(parent: QWidget | None, path: str | Path) -> None:
    """打印…: Qt's print dialog, then the pages to the printer in the background."""
    print_pdfs(parent, [path])


def show_done(result, parent: QWidget | None = None):
    """生成完成: the print preview of what was made, saying where the files are."""
    title = KIND_TITLES.get(result.kind, "文件")
    target = result.files[0] if len(result.files) == 1 else result.files[0].parent
    note = (f"已生成 {result.count_text}的{title}，共 {len(result.files)} 个文件，保存在：{target}\n"
            "本次打印已记入审计日志。确认无误后点“打印…”。")
    return preview_pdf(parent, result.files, note)


def _names(context, ids: list[int]) -> list[str]:
    index = context.index
    out = []
    for cadre_id in ids:
        row = index.row(cadre_id) if index is not None else None
        out.append(index.display(row, "name") if row is not None else str(cadre_id))
    return out


def start_print(context, ids: list[int], kind: str, *, dialog: PrintDialog | None = None,
                confirm_missing=None, on_finished=None, parent: QWidget | None = None):
    """The whole flow. ``dialog`` and ``confirm_missing`` are injectable for tests. ``parent``: the
    window it is started from (the profile dialog), else the main window."""
    parent = parent or context.main_window
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

    def work(progress, datas):
        from reports.pdf import batch

        return batch.build_dossiers(ids, kind=kind, progress=progress, datas=datas, **options)

    return run_checked(context, parent, kind, check, work, confirm_missing=confirm_missing, on_finished=on_finished)


def run_checked(context, parent: QWidget | None, kind: str, check, work, *, confirm_missing=None, on_finished=None):
    """The glyph check, then the build, each in the background: ``check(progress)`` → (data, characters the
    font lacks); when it lacks some, they are listed and the user goes on or not (``confirm_missing``, for
    tests); then ``work(progress, data)`` → a batch.BatchResult, shown in the print preview (or given to
    ``on_finished``)."""
    title = KIND_TITLES[kind]

    def checked(value):
        data, missing = value
        if missing:
            ok = confirm_missing(missing) if confirm_missing else MissingGlyphDialog(missing, parent).exec()
            if not ok:
                return

        def done(result):
            context.status_message.emit(f"已生成{title}：{len(result.files)} 个文件")
            if on_finished:
                on_finished(result)
                return
            show_done(result, parent)

        context.tasks.run_with_progress(parent, f"正在生成{title}", lambda progress: work(progress, data), on_done=done)

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
    from ui.widgets.files import ask_reason

    parent = context.main_window
    default = os.path.join(default_dir(), f"{stem}_{clock.today():%Y%m%d}.pdf")
    path = files.save_file(parent, title, default, "PDF 文件 (*.pdf)")
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
