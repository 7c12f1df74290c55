"""导师帮带's shared parts: state colours, date and rating helpers, the error message, the cadre index."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QMessageBox,
)

from cadre_desk.domain.errors import ValidationError
from cadre_desk.mentoring.mentoring import ACTIVE, COMPLETED, TERMINATED
from cadre_desk.profiles.cadre_list import CadreIndex
from ui.shell.context import AppContext

CAPABILITY = "mentoring"
STATE_COLORS = {ACTIVE: QColor("#1b5e20"), COMPLETED: QColor("#37474f"), TERMINATED: QColor("#b71c1c")}


def to_qdate(value: str) -> QDate:
    if value and len(value) >= 6:
        return QDate(int(value[:4]), int(value[4:6]), int(value[6:8]) if len(value) >= 8 else 1)
    return QDate.currentDate()


def edit_ymd(edit: QDateEdit) -> str:
    return edit.date().toString("yyyyMMdd")


def date_edit(value: str = "") -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年MM月dd日")
    edit.setMinimumWidth(150)
    return edit


def format_rating(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def show_error(parent, title: str, exc: Exception) -> None:
    QMessageBox.warning(parent, title, str(exc) if not isinstance(exc, ValidationError) else exc.message())


def cadre_index(context: AppContext) -> CadreIndex:
    if context.index is None:
        context.index = CadreIndex.load()
    return context.index


def ok_cancel(ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    return buttons
