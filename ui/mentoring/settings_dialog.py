"""导师帮带设置: the cap of active mentees per mentor."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QSpinBox,
)

from cadre_desk.mentoring import mentoring_settings
from ui.mentoring.common import CAPABILITY
from ui.shell.context import AppContext
from ui.widgets.form_dialog import FormDialog


class SettingsDialog(FormDialog):
    """工具 → 导师帮带设置: the cap of mentees, multiple mentors, the idle-log reminder."""

    title = "导师帮带设置"
    ok_text = "保存"

    def __init__(self, parent=None):
        super().__init__(parent)
        current = self.read = mentoring_settings.get_settings()
        self.max_mentees = QSpinBox()
        self.max_mentees.setRange(1, 20)
        self.max_mentees.setSuffix(" 人")
        self.max_mentees.setValue(current.max_mentees)
        self.multiple = QCheckBox("允许一名干部同时有多名导师")
        self.multiple.setChecked(current.allow_multiple_mentors)
        self.idle_days = QSpinBox()
        self.idle_days.setRange(1, 365)
        self.idle_days.setSuffix(" 天")
        self.idle_days.setValue(current.idle_days)
        self.add_field("max_mentees", "每名导师同时帮带上限", self.max_mentees)
        self.form.addRow("", self.multiple)
        self.add_field("idle_days", "超过多少天无谈话记录时提醒", self.idle_days)

    def save(self):
        """Another administrator having changed the rules since the dialog opened: the same choice as every
        form (FormDialog.save_checked)."""
        typed = mentoring_settings.MentoringSettings(self.max_mentees.value(), self.multiple.isChecked(),
                                                     self.idle_days.value())
        return self.save_checked(lambda: mentoring_settings.save_settings(typed, self.read),
                                 lambda: mentoring_settings.save_settings(typed, self.read, overwrite=True))


def open_settings(context: AppContext) -> None:
    if SettingsDialog(context.main_window).exec() == QDialog.Accepted:
        context.data_changed.emit(CAPABILITY)
