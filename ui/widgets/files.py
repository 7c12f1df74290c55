"""Files the user picks: the Excel filter, the one folder a file dialog opens in (the last one used), and the reason an export or print
asks for (kept in its audit row)."""

from __future__ import annotations

import sys
from pathlib import Path

from ui.widgets import messages

EXCEL_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.ods)"


def default_dir() -> str:
    """Where a file dialog opens: the folder last saved to or read from (any export, import or PDF), at
    first the user's 文档 folder."""
    from PySide6.QtCore import QStandardPaths

    from ui.widgets.window import settings

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for folder in (settings().value("exchange/last_dir", ""), documents):
        if folder and Path(folder).is_dir():  # not a stick taken out since, nor a 文档 never made
            return str(folder)
    return str(Path.home())


def remember_dir(path: str) -> None:
    from ui.widgets.window import settings

    settings().setValue("exchange/last_dir", str(Path(path).parent if Path(path).suffix else Path(path)))


def ask_reason(parent, title: str) -> str | None:
    """The reason of an export, kept in its audit row; None when the user cancels."""
    label = "请填写导出事由（将记入审计日志），例如：报送上级、年度统计："
    while True:
        reason = messages.ask_text(parent, title, label)
        if reason is None:
            return None
        if reason.strip():
            return reason.strip()
        label = "事由不能为空。请填写导出事由（将记入审计日志）："


# ---- the file picker -----------------------------------------------------------------------------
# Every file or folder the user picks goes through these four, never QFileDialog's static calls: those
# open Qt's own picker about 611 pixels wide, which cut its 大小 and 类型 columns ("68…iB", "SQ…据库").
# On Windows the system's own picker (Explorer's, the one a clerk knows) is kept: it sizes itself.
PICKER_SIZE = (860, 520)
PICKER_KEY = "dialogs/file_picker/geometry"


def _picker(parent, caption: str, start: str, filters: str = ""):
    """Qt's own picker, in Chinese, 860×520 or the size the user last gave it; Windows' own on Windows."""
    from PySide6.QtWidgets import QFileDialog

    from ui.widgets.window import resize_to_screen, settings

    dialog = QFileDialog(parent, caption, start, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, sys.platform != "win32")
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    _clerks_headers(dialog)
    _widen_columns(dialog)
    stored = settings().value(PICKER_KEY)
    if stored is None or not dialog.restoreGeometry(stored):
        resize_to_screen(dialog, *PICKER_SIZE)
    else:
        resize_to_screen(dialog, dialog.width(), dialog.height())
    return dialog


# The picker's column headers as clerks say them: Qt's Chinese translation calls 大小 「体积」.
PICKER_HEADERS = ("名称", "大小", "类型", "修改日期")


MODIFIED = PICKER_HEADERS.index("修改日期")


def _clerks_headers(dialog) -> None:
    """The listing seen through a proxy that renames the column headers and writes 修改日期 as every
    screen writes a moment (2024.03.15 10:22, format_moment), not in Qt's locale format (2024/3/15 10:22)
    — Qt's own picker only: the system's has its own words."""
    from PySide6.QtCore import QIdentityProxyModel, Qt

    from cadre_desk.domain.dates import format_moment

    if not dialog.testOption(dialog.Option.DontUseNativeDialog):
        return

    class Headers(QIdentityProxyModel):
        def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt override
            if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                    and 0 <= section < len(PICKER_HEADERS)):
                return PICKER_HEADERS[section]
            return super().headerData(section, orientation, role)

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole and index.column() == MODIFIED:
                source = self.sourceModel()
                moment = source.lastModified(self.mapToSource(index)) if hasattr(source, "lastModified") else None
                if moment is not None and moment.isValid():
                    return format_moment(moment.toPython())
            return super().data(index, role)

    dialog.setProxyModel(Headers(dialog))


def _widen_columns(dialog) -> None:
    """大小, 类型 and 修改日期 as wide as their words, 名称 the rest: Qt gives each a fixed first width, which
    cut "68.2 MiB" to "68…iB" and "SQLite 数据库" to "SQ…据库" however wide the picker."""
    from PySide6.QtWidgets import QHeaderView, QTreeView

    view = dialog.findChild(QTreeView, "treeView")
    if view is None:
        return
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def _run(dialog) -> list[str]:
    """The chosen paths, [] when the user cancels; the picker's size is kept for the next one."""
    from ui.widgets.window import settings

    chosen = dialog.exec() == dialog.DialogCode.Accepted
    settings().setValue(PICKER_KEY, dialog.saveGeometry())
    paths = dialog.selectedFiles() if chosen else []
    dialog.deleteLater()
    return paths


def open_file(parent, caption: str, folder: str, filters: str) -> str:
    """One existing file to read; "" when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    dialog = _picker(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    paths = _run(dialog)
    return paths[0] if paths else ""


def open_files(parent, caption: str, folder: str, filters: str) -> list[str]:
    """Existing files to read (several may be chosen); [] when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    dialog = _picker(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog)


def save_file(parent, caption: str, default: str, filters: str) -> str:
    """Where to write a file; ``default`` is a folder, a file name or a full path. "" when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    dialog = _picker(parent, caption, default, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    paths = _run(dialog)
    return paths[0] if paths else ""


def pick_folder(parent, caption: str, folder: str, accept: str = "") -> str:
    """An existing folder; "" when cancelled. ``caption`` says what the folder is for; ``accept`` (the
    button's word, 保存到此文件夹) for what the picker's own 选择 does not say."""
    from PySide6.QtWidgets import QFileDialog

    dialog = _picker(parent, caption, folder)
    if accept:
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, accept)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    paths = _run(dialog)
    return paths[0] if paths else ""
