"""一线锻炼's shared parts: date edits, messages with Chinese buttons, the batch result summary, a form
dialog base, the cadre picker."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.errors import CadreDeskError, ValidationError
from cadre_desk.postings import posting_data
from cadre_desk.profiles.cadre_list import COL, ID, CadreFilter, CadreIndex

# ---- small helpers --------------------------------------------------------------------------------


def to_qdate(value: str) -> QDate:
    if not value or len(value) < 6:
        return QDate.currentDate()
    day = int(value[6:8]) if len(value) >= 8 else 1
    return QDate(int(value[:4]), int(value[4:6]), day)


def from_qdate(date: QDate) -> str:
    return date.toString("yyyyMMdd")


def date_edit(value: str = "") -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setLocale(QLocale(QLocale.Chinese, QLocale.China))  # a Chinese calendar popup on any system
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(130)
    return edit


def _message(parent: QWidget | None, icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.NoButton, parent)
    box.addButton("确定", QMessageBox.AcceptRole)
    box.exec()


def show_error(parent: QWidget | None, title: str, exc: Exception) -> None:
    _message(parent, QMessageBox.Warning, title, str(exc))


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    _message(parent, QMessageBox.Information, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "确定") -> bool:
    """A yes/no question with Chinese buttons (Qt's own Yes/No are not translated here)."""
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    ok = box.addButton(yes, QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.exec()
    return box.clickedButton() is ok


def show_summary(parent: QWidget | None, result: posting_data.BatchResult) -> None:
    BatchSummaryDialog(result, 0, parent).exec()


def ask_post_valid_only(parent: QWidget | None, result: posting_data.BatchResult, valid: int) -> bool:
    """After a refused all-or-nothing batch: list who failed and why, offer to post only the valid ones."""
    return BatchSummaryDialog(result, valid, parent).exec() == QDialog.Accepted


class BatchSummaryDialog(QDialog):
    """Who could not be posted and why; 仅选派符合条件的 N 人 or 取消 (关闭 after a finished batch)."""

    def __init__(self, result: posting_data.BatchResult, valid: int = 0, parent=None):
        super().__init__(parent)
        self.setWindowTitle("批量选派结果")
        lines = result.summary().splitlines()
        split = 2 if result.failures else 1
        head, rest = "\n".join(lines[:split]), lines[split:]
        label = QLabel(head)
        label.setWordWrap(True)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        text = QPlainTextEdit("\n".join(rest))
        text.setReadOnly(True)
        buttons = QDialogButtonBox()
        if result.rolled_back and valid:
            buttons.addButton(f"仅选派符合条件的 {valid} 人", QDialogButtonBox.AcceptRole)
            buttons.addButton("取消", QDialogButtonBox.RejectRole)
        else:
            buttons.addButton("关闭", QDialogButtonBox.RejectRole if result.rolled_back
                              else QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        if rest:
            layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(620, 420 if rest else 120)


def cadre_index(context) -> CadreIndex:
    if getattr(context, "index", None) is None:
        context.index = CadreIndex.load()
    return context.index


def text_edit(value: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setFixedHeight(height)
    return edit


class FormDialog(QDialog):
    """A form with an error line and 确定/取消; subclasses implement ``save`` (raises on refusal)."""

    title = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignRight)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_value = None

    def save(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self.save()
        except ValidationError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return
        except CadreDeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


# ---- cadre picker ---------------------------------------------------------------------------------

class CadrePicker(QWidget):
    """Type a name, pinyin initials or ID number; pick from the matches."""

    def __init__(self, context, cadre_id: int | None = None, allow_empty: bool = False, parent=None):
        super().__init__(parent)
        self.index = cadre_index(context)
        self.allow_empty = allow_empty
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名/拼音/身份证号")
        self.search.setMinimumWidth(140)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.combo, 2)
        self.search.textChanged.connect(self._refill)
        self._refill("")
        if cadre_id is not None:
            self.set_cadre(cadre_id)

    def _label(self, row: tuple) -> str:
        unit = self.index.unit_names.get(row[COL["unit"]], "")
        return f"{row[COL['name']]}（{unit}）"

    def _refill(self, text: str) -> None:
        current = self.combo.currentData()
        self.combo.clear()
        if self.allow_empty:
            self.combo.addItem("（无）", None)
        rows = self.index.filter(CadreFilter(text=text, status="1")) if text.strip() else []
        for row in sorted(rows, key=lambda r: r[ID])[:100]:
            self.combo.addItem(self._label(row), row[ID])
        if current is not None and self.combo.findData(current) < 0 and not text.strip():
            row = self.index.row(current)
            if row is not None:
                self.combo.addItem(self._label(row), current)
        pos = self.combo.findData(current)
        self.combo.setCurrentIndex(pos if pos >= 0 else (0 if self.combo.count() else -1))

    def set_cadre(self, cadre_id: int | None) -> None:
        if cadre_id is None:
            self.combo.setCurrentIndex(0 if self.allow_empty else -1)
            return
        if self.combo.findData(cadre_id) < 0:
            row = self.index.row(cadre_id)
            if row is None:
                return
            self.combo.addItem(self._label(row), cadre_id)
        self.combo.setCurrentIndex(self.combo.findData(cadre_id))

    def cadre_id(self) -> int | None:
        return self.combo.currentData()
