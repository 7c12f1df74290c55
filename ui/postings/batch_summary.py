"""After a batch posting: who could not be posted and why; 仅选派符合条件的 N 人 or 取消."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

from cadre_desk.postings import posting_data
from ui.widgets.form_dialog import FormDialog


class BatchSummaryDialog(FormDialog):
    """Who could not be posted and why; 仅选派符合条件的 N 人 or 取消 (关闭 after a finished batch)."""

    title = "批量选派结果"
    asks_before_closing = False  # a result to read

    def __init__(self, result: posting_data.BatchResult, valid: int = 0, parent=None):
        offer = result.rolled_back and valid
        super().__init__(parent, ok_text=f"仅选派符合条件的 {valid} 人" if offer else "关闭", cancel_text="关闭"
                         if result.rolled_back and not offer else None)
        if not offer:  # one 关闭: an answer of "yes" after a finished batch, "no" when nothing was posted
            (self.ok_button if result.rolled_back else self.cancel_button).hide()
        lines = result.summary().splitlines()
        split = 2 if result.failures else 1
        head, rest = "\n".join(lines[:split]), lines[split:]
        label = QLabel(head)
        label.setWordWrap(True)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self.body.addWidget(label)
        if rest:
            text = QPlainTextEdit("\n".join(rest))
            text.setReadOnly(True)
            self.body.addWidget(text, 1)
        self.resize(620, 420 if rest else 120)


def show_summary(parent: QWidget | None, result: posting_data.BatchResult) -> None:
    BatchSummaryDialog(result, 0, parent).exec()


def ask_post_valid_only(parent: QWidget | None, result: posting_data.BatchResult, valid: int) -> bool:
    """After a refused all-or-nothing batch: list who failed and why, offer to post only the valid ones."""
    return BatchSummaryDialog(result, valid, parent).exec() == QDialog.Accepted
