"""赛马比选 tab: ranking within a line or post."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.appraisal import appraisals
from cadre_desk.appraisal.scoring import (
    EXCELLENT,
)
from cadre_desk.domain.fields import RANKING
from ui.appraisal.common import GREEN, GREY
from ui.shell.context import AppContext
from ui.widgets.rows_model import RowsModel, field_column, make_table

# ---- 赛马比选 ------------------------------------------------------------------------------------


class RankingTab(QWidget):
    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(380)
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText("按单位名称筛选")
        self.unit_filter.setClearButtonEnabled(True)
        self.model = RowsModel([
            field_column(RANKING, "rank", value=lambda r: r.rank if r.rank is not None else "—"),
            field_column(RANKING, "name"), field_column(RANKING, "unit_name"), field_column(RANKING, "total"),
            field_column(RANKING, "grade"),
            field_column(RANKING, "positive", value=lambda r: r.positive or ""),
            field_column(RANKING, "negative", value=lambda r: r.negative or "")])
        self.model.foreground = lambda r: GREEN if r.grade == EXCELLENT else None
        self.table = make_table(self.model, stretch=2, row_numbers=False)
        self.table.doubleClicked.connect(self._open)
        self.note = QLabel("按总分从高到低排名，同分并列（如 1、2、2、4）；评分未完成者不排名。")
        self.note.setStyleSheet(f"color: {GREY.name()};")
        top = QHBoxLayout()
        top.addWidget(QLabel("比选范围（考核表）"))
        top.addWidget(self.sheet, 1)
        top.addWidget(self.unit_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.sheet.currentIndexChanged.connect(lambda _i: self.load())
        self.unit_filter.textChanged.connect(lambda _t: self.load())
        if load:
            self.reload_sheets()

    def reload_sheets(self) -> None:
        current = self.sheet.currentData()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for info in appraisals.list_sheets():
            self.sheet.addItem(f"{info.title}（{info.members} 人，{'已定稿' if info.finalized else '评分中'}）", info.id)
        index = self.sheet.findData(current)
        self.sheet.setCurrentIndex(index if index >= 0 else (0 if self.sheet.count() else -1))
        self.sheet.blockSignals(False)
        self.load()

    def load(self) -> None:
        sheet_id = self.sheet.currentData()
        rows = appraisals.ranking(sheet_id) if sheet_id else []
        text = self.unit_filter.text().strip()
        if text:
            rows = [r for r in rows if text in r.unit_name]
        self.model.set_rows(rows)

    def _open(self, index) -> None:
        row = self.model.row(index.row())
        if row is not None:
            self.context.open_profile(row.cadre_id, self)
