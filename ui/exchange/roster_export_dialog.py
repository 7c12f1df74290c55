"""The roster export dialog: scope, columns, their order, saved presets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from cadre_desk.domain import clock
from cadre_desk.domain.errors import CadreDeskError
from ui.shell.context import AppContext
from ui.widgets import files, messages
from ui.widgets.files import default_dir, remember_dir
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_list import button_row

# ---- roster export ------------------------------------------------------------------------------


class RosterExportDialog(FormDialog):
    """Columns from the registry in the user's order, named presets, scope, title and reason."""

    title = "导出花名册"
    asks_before_closing = False  # the choices of one export (kept for the next), nothing typed to lose
    ok_text = "导出…"

    def __init__(self, context: AppContext, selected: list[int], filtered: list[int] | None, parent=None):
        super().__init__(parent)
        from reports.excel import excel_roster

        self.context, self.selected, self.filtered = context, selected, filtered
        self.resize(760, 600)
        layout = self.body

        preset_row = QHBoxLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("（常用列）", "")
        for name in excel_roster.presets():
            self.preset_combo.addItem(name, name)
        self.preset_combo.currentIndexChanged.connect(self.load_preset)
        save = QPushButton("保存方案…")
        save.clicked.connect(self.save_preset)
        delete = QPushButton("删除方案")
        delete.clicked.connect(self.delete_preset)
        preset_row.addWidget(QLabel("列方案："))
        preset_row.addWidget(self.preset_combo, 1)
        preset_row.addWidget(save)
        preset_row.addWidget(delete)
        layout.addLayout(preset_row)

        lists = QHBoxLayout()
        self.available = QListWidget()
        self.available.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.chosen = QListWidget()
        self.chosen.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.chosen.setDragDropMode(QAbstractItemView.InternalMove)
        middle = QVBoxLayout()
        middle.addStretch(1)
        button_row({}, (("add", "添加 →", self.add_columns), ("remove", "← 移除", self.remove_columns),
                        ("up", "上移", lambda: self.move(-1)), ("down", "下移", lambda: self.move(1))), middle)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel("可选列（双击添加）"))
        left.addWidget(self.available)
        right.addWidget(QLabel("导出列（按顺序，可拖动）"))
        right.addWidget(self.chosen)
        self.available.itemDoubleClicked.connect(lambda _i: self.add_columns())
        self.chosen.itemDoubleClicked.connect(lambda _i: self.remove_columns())
        lists.addLayout(left, 1)
        lists.addLayout(middle)
        lists.addLayout(right, 1)
        layout.addLayout(lists, 1)

        scope_box = QGroupBox("导出范围")
        scope_layout = QVBoxLayout(scope_box)
        self.scope = QButtonGroup(self)
        options = []
        if filtered is not None:
            options.append(("filtered", f"当前筛选结果（{len(filtered)} 人）"))
        options.append(("selected", f"选中的干部（{len(selected)} 人）"))
        options.append(("all", "全部干部"))
        for i, (key, text) in enumerate(options):
            radio = QRadioButton(text)
            radio.setProperty("scope", key)
            radio.setEnabled(key != "selected" or bool(selected))
            self.scope.addButton(radio, i)
            scope_layout.addWidget(radio)
        preferred = "selected" if selected else ("filtered" if filtered is not None else "all")
        for button in self.scope.buttons():
            button.setChecked(button.property("scope") == preferred)
        layout.addWidget(scope_box)

        form = QFormLayout()
        self.title_edit = QLineEdit(excel_roster.roster_title())
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("例：报市委组织部干部科（记入审计日志）")
        form.addRow("表格标题：", self.title_edit)
        form.addRow("导出事由：", self.reason_edit)
        layout.addLayout(form)
        self.set_columns(list(excel_roster.DEFAULT_KEYS))

    def set_columns(self, keys: list[str]) -> None:
        from reports.excel import excel_roster

        self.available.clear()
        self.chosen.clear()
        for key in keys:
            self.chosen.addItem(_key_item(key))
        for key in excel_roster.EXPORT_COLUMNS:
            if key not in keys:
                self.available.addItem(_key_item(key))

    def columns(self) -> list[str]:
        return [self.chosen.item(i).data(Qt.UserRole) for i in range(self.chosen.count())]

    def add_columns(self) -> None:
        for item in self.available.selectedItems():
            self.chosen.addItem(_key_item(item.data(Qt.UserRole)))
            self.available.takeItem(self.available.row(item))

    def remove_columns(self) -> None:
        for item in self.chosen.selectedItems():
            key = item.data(Qt.UserRole)
            self.chosen.takeItem(self.chosen.row(item))
            self.available.addItem(_key_item(key))

    def move(self, step: int) -> None:
        row = self.chosen.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.chosen.count():
            return
        item = self.chosen.takeItem(row)
        self.chosen.insertItem(target, item)
        self.chosen.setCurrentRow(target)

    def load_preset(self) -> None:
        from reports.excel import excel_roster

        name = self.preset_combo.currentData()
        self.set_columns(excel_roster.presets().get(name, list(excel_roster.DEFAULT_KEYS)) if name
                         else list(excel_roster.DEFAULT_KEYS))

    def save_preset(self) -> None:
        from reports.excel import excel_roster

        name = messages.ask_text(self, "保存列方案", "方案名称：", self.preset_combo.currentData() or "")
        if name is None:
            return
        try:
            excel_roster.save_preset(name, self.columns())
        except CadreDeskError as exc:
            messages.error(self, "保存列方案", exc)
            return
        if self.preset_combo.findData(name.strip()) < 0:
            self.preset_combo.addItem(name.strip(), name.strip())
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name.strip()))
        self.preset_combo.blockSignals(False)

    def delete_preset(self) -> None:
        from reports.excel import excel_roster

        name = self.preset_combo.currentData()
        if name:
            try:
                excel_roster.delete_preset(name)
            except CadreDeskError as exc:
                messages.error(self, "删除列方案", exc)
                return
            self.preset_combo.removeItem(self.preset_combo.currentIndex())

    def scope_ids(self) -> list[int] | None:
        button = self.scope.checkedButton()
        key = button.property("scope") if button else "all"
        if key == "selected":
            return list(self.selected)
        if key == "filtered":
            return list(self.filtered or [])
        return None

    def accept(self) -> None:
        """导出…: asks for the file, writes in the background; the dialog closes when it is written."""
        self.export()

    def export(self, path: str | None = None) -> None:
        from reports.excel import excel_roster

        keys = self.columns()
        if not keys:
            messages.info(self, "导出花名册", "请至少选择一列。")
            return
        if not path:
            default = str(Path(default_dir()) / f"干部花名册_{clock.today():%Y%m%d}.xlsx")
            path = files.save_file(self, "导出花名册", default, "Excel 文件 (*.xlsx)")
            if not path:
                return
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            remember_dir(path)
        ids, title, reason = self.scope_ids(), self.title_edit.text().strip(), self.reason_edit.text().strip()

        def done(count: int) -> None:
            self.context.status_message.emit(f"已导出花名册 {count} 人：{path}")
            self.done(QDialog.DialogCode.Accepted)

        self.context.tasks.run_with_progress(
            self, "导出花名册",
            lambda p: excel_roster.export_roster(path, keys, ids, p, title=title or None, reason=reason),
            on_done=done)


def _key_item(key: str) -> QListWidgetItem:
    from reports.excel import excel_roster

    item = QListWidgetItem(excel_roster.COLUMN_SPECS[key].label)
    item.setData(Qt.UserRole, key)
    return item
