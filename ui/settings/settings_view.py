"""系统设置: who we are — the department's 全称, 简称 and the place name — as every document and
workbook names its issuer; set on the first start (``ask_department_if_unset``) or here, by whoever
may administer the system (anyone before accounts exist)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.settings import settings
from ui.widgets.form_dialog import FormDialog

WHERE_USED = ("鉴定报告封面的落款、花名册和统计表的标题、一线锻炼名册等工作簿的标题、PDF 文件的作者；"
              "无人登录时，定稿人也写作本部门（打印的文件不印打印人）。干部任免审批表按中组部样式打印，不加本部门的页眉页脚。")
UNSET_NOTE = "尚未设置本部门名称：请系统管理员在“系统设置”中填写组织部全称、简称和地名。"


class DepartmentDialog(FormDialog):
    """The department's names in one form (first start, the 设置 page's 修改…)."""

    title = "设置本部门"
    geometry_key = "DepartmentDialog"

    def __init__(self, parent: QWidget | None = None, *, first_start: bool = False):
        self.heading = "首次使用：请先设置本部门的名称" if first_start else ""
        super().__init__(parent, ok_text="保存", cancel_text="以后再说" if first_start else "取消")
        dept = self.read = settings.department()
        values = {settings.DEPARTMENT_FULL.key: dept.full_name, settings.DEPARTMENT_SHORT.key: dept.short_name,
                  settings.PLACE.key: dept.place}
        self.editors: dict[str, QLineEdit] = {}
        for spec in settings.USER_SETTINGS:
            editor = QLineEdit(values[spec.key])
            editor.setPlaceholderText(f"如 {spec.example}")
            editor.setMaxLength(spec.max_length)
            editor.setMinimumWidth(320)
            self.editors[spec.key] = self.add_field(spec.key, spec.label, editor, spec.help)
        note = QLabel(f"这些名称用于：{WHERE_USED}")
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.resize(560, self.layout().heightForWidth(560))  # the wrapped hints' height at that width

    def save(self):
        """Another administrator having changed the names since the dialog opened: the same choice as every
        form (FormDialog.save_checked)."""
        typed = [self.editors[spec.key].text() for spec in settings.USER_SETTINGS]
        return self.save_checked(lambda: settings.set_department(*typed, self.read),
                                 lambda: settings.set_department(*typed, self.read, overwrite=True))


def may_set(context) -> bool:
    return not context.db_readonly and permissions.check(permissions.ADMIN) is None


def ask_department_if_unset(window) -> bool:
    """The first-start step: on a database where who we are is not set yet, ask whoever may set it
    (the administrator once accounts exist); tell anybody else in the status bar. True when set now."""
    context = window.context
    if settings.department().is_set:
        return False
    if not may_set(context):
        context.status_message.emit(UNSET_NOTE)
        return False
    dialog = DepartmentDialog(window, first_start=True)
    return dialog.exec() == QDialog.DialogCode.Accepted


class SettingsPage(QWidget):
    """The 设置 page: the department's names as documents print them, and 修改… for who may."""

    def __init__(self, context):
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        title = QLabel("系统设置")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        group = QGroupBox("本部门")
        form = QFormLayout(group)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.values: dict[str, QLabel] = {}
        for spec in settings.USER_SETTINGS:
            label = QLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[spec.key] = label
            form.addRow(f"{spec.label}：", label)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        layout.addWidget(group)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        dept = self.read = settings.department()
        values = {settings.DEPARTMENT_FULL.key: dept.full_name, settings.DEPARTMENT_SHORT.key: dept.short_name,
                  settings.PLACE.key: dept.place}
        for key, label in self.values.items():
            label.setText(escape(values[key]) if values[key] else "<span style='color:#b3261e'>（未设置）</span>")
        allowed = may_set(self.context)
        self.edit_button.setEnabled(allowed)
        note = f"这些名称用于：{WHERE_USED}"
        if not allowed:
            note += "\n\n数据库以只读方式打开，不能修改。" if self.context.db_readonly else "\n\n只有系统管理员可以修改。"
        self.note.setText(note)

    def edit(self) -> None:
        if DepartmentDialog(self).exec() == QDialog.DialogCode.Accepted:
            self.load()
            self.context.status_message.emit("本部门名称已保存。")
