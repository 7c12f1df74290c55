"""The profile dialog's 导师帮带 tab: the cadre's pairs as mentor and as mentee."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.mentoring import mentoring, mentoring_settings
from ui.mentoring.pair_dialogs import create_pair_dialog
from ui.mentoring.pair_table import PairDetail, make_pair_table
from ui.shell.context import AppContext

NO_PAIRS = "暂无导师帮带结对。"


# ---- profile tab --------------------------------------------------------------------------------


class ProfileMentoringTab(QWidget):
    """导师帮带 on the profile dialog: the cadre as mentor and as mentee, with logs of the selection."""

    def __init__(self, context: AppContext, cadre_id: int):
        super().__init__()
        self.context = context
        self.cadre_id = cadre_id
        self.as_mentee_label = QLabel()
        self.as_mentor_label = QLabel()
        self.mentee_table, self.mentee_model = make_pair_table()
        self.mentor_table, self.mentor_model = make_pair_table()
        for col in (0, 1):  # the cadre's own name and unit
            self.mentee_table.setColumnHidden(col + 2, True)
            self.mentor_table.setColumnHidden(col, True)
        self.detail = PairDetail()
        self.new_button = QPushButton("建立导师帮带…")
        self.new_button.setEnabled(not context.readonly)
        self.new_button.clicked.connect(self.new_pair)
        top = QHBoxLayout()
        top.addWidget(self.as_mentee_label)
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mentee_table, 1)
        layout.addWidget(self.as_mentor_label)
        layout.addWidget(self.mentor_table, 1)
        layout.addWidget(self.detail, 2)
        for table in (self.mentee_table, self.mentor_table):
            table.selectionModel().currentRowChanged.connect(
                lambda current, _prev, t=table: self._show(t, current.row()))
        self.reload()

    def reload(self) -> None:
        pairs = mentoring.pairs_for_cadre(self.cadre_id)
        as_mentee = [p for p in pairs if p.mentee_id == self.cadre_id]
        as_mentor = [p for p in pairs if p.mentor_id == self.cadre_id]
        self.mentee_model.set_rows(as_mentee)
        self.mentor_model.set_rows(as_mentor)
        active = sum(1 for p in as_mentor if p.is_active)
        self.as_mentee_label.setText(f"<b>作为帮带对象</b>（{len(as_mentee)} 次）")
        self.as_mentor_label.setText(f"<b>作为导师</b>（{len(as_mentor)} 次，进行中 {active}/"
                                     f"{mentoring_settings.max_mentees()}）")
        first = self.mentee_table if as_mentee else (self.mentor_table if as_mentor else None)
        if first is not None:
            first.selectRow(0)
            first.setCurrentIndex(first.model().index(0, 0))
            self._show(first, 0)
        else:  # "请选择一个帮带结对" above two empty tables asked for what is not there
            self.detail.show_pair(None, none_text=NO_PAIRS + ("点“建立导师帮带…”为其选配导师。"
                                                             if self.new_button.isEnabled() else ""))

    def _show(self, table: QTableView, row: int) -> None:
        pair = table.model().pair(row)
        if pair is not None:
            other = self.mentor_table if table is self.mentee_table else self.mentee_table
            other.clearSelection()
        self.detail.show_pair(pair)

    def new_pair(self) -> None:
        if create_pair_dialog(self.context, self.cadre_id, parent=self) is not None:
            self.reload()
