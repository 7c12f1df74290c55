"""The profile dialog's 一线经历 tab: a cadre's postings and the selected one's detail."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.postings import posting_data, posting_review, postings
from ui.postings.posting_table import posting_detail, posting_model
from ui.shell.context import AppContext
from ui.widgets.rows_model import make_table

# ---- 一线经历 tab on the profile dialog -------------------------------------------------------------

class PostingHistoryTab(QWidget):
    def __init__(self, context: AppContext, cadre_id: int):
        super().__init__()
        self.context = context
        self.cadre_id = cadre_id
        self.model = posting_model(self)
        self.table = make_table(self.model)
        for key in ("cadre_name", "unit_name"):  # the cadre's own tab
            self.table.setColumnHidden(self.model.column_of(key), True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reviews: dict[int, posting_data.ReviewInfo] = {}
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail, 1)
        self.reload()

    def reload(self) -> None:
        try:
            rows = postings.postings_for_cadre(self.cadre_id)
        except CadreDeskError as exc:
            self.summary.setText(str(exc))
            return
        self.reviews = posting_review.reviews_for([r.id for r in rows if r.finished])
        self.model.set_rows(rows)
        if rows:
            active = next((r for r in rows if r.active), None)
            text = f"一线锻炼经历 {len(rows)} 次"
            if active is not None:
                text += f"；当前{active.state}：{active.line_name} / {active.post_name}"
            done = next((r for r in rows if r.outcome), None)  # newest first: the latest outcome
            if done is not None:
                text += (f"\n最近一次期满（{done.line_name} / {done.post_name}）：{done.grade or '等次未评定'}，"
                         f"{posting_data.outcome_text(done.outcome, self.reviews.get(done.id))}")
            self.summary.setText(text)
            self.table.selectRow(0)
        else:
            self.summary.setText("暂无一线锻炼经历。")

    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.clear()
            return
        row = self.model.rows[index.row()]
        self.detail.setPlainText(posting_detail(row, with_cadre=False, review=self.reviews.get(row.id)))
