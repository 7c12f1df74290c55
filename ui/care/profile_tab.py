"""The profile dialog's 谈心关爱 tab: the cadre's talks and 关爱 records, his contact in the department,
with 新增 buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cadre_desk.care import care_items, talks
from cadre_desk.liaison import liaison
from ui.care.care_dialogs import CareDialog, TalkDialog
from ui.care.care_view import CAPABILITY, care_model, talk_model
from ui.shell.context import AppContext
from ui.widgets.rows_model import current_row, make_table


class ProfileCareTab(QWidget):
    def __init__(self, context: AppContext, cadre_id: int):
        super().__init__()
        self.context, self.cadre_id = context, cadre_id
        self.contact = QLabel()
        self.talk_label, self.care_label = QLabel(), QLabel()
        self.talks, self.cares = talk_model(self), care_model(self)
        self.talk_table, self.care_table = make_table(self.talks, stretch=5), make_table(self.cares, stretch=5)
        for table in (self.talk_table, self.care_table):
            table.setColumnHidden(0, True)  # the cadre's own name and unit
            table.setColumnHidden(1, True)
        self.talk_button = QPushButton("新增谈话记录…")
        self.care_button = QPushButton("新增关爱记录…")
        for button in (self.talk_button, self.care_button):
            button.setEnabled(not context.readonly)
        self.talk_button.clicked.connect(self.new_talk)
        self.care_button.clicked.connect(self.new_care)
        self.talk_table.doubleClicked.connect(lambda _i: self.edit_talk())
        self.care_table.doubleClicked.connect(lambda _i: self.edit_care())  # as a talk: a record put right here
        layout = QVBoxLayout(self)
        layout.addWidget(self.contact)
        for label, button, table in ((self.talk_label, self.talk_button, self.talk_table),
                                     (self.care_label, self.care_button, self.care_table)):
            row = QHBoxLayout()
            row.addWidget(label)
            row.addStretch(1)
            row.addWidget(button)
            layout.addLayout(row)
            layout.addWidget(table, 1)
        self.reload()

    def reload(self) -> None:
        rows = talks.list_talks(talks.TalkFilter(cadre_id=self.cadre_id))
        self.talks.set_rows(rows)
        pending = sum(1 for t in rows if t.follow_up_state == "待落实")
        self.talk_label.setText(f"<b>谈心谈话</b>（{len(rows)} 次" + (f"，{pending} 项跟进事项待落实）" if pending else "）"))
        cares = care_items.list_care(care_items.CareFilter(cadre_id=self.cadre_id))
        self.cares.set_rows(cares)
        self.care_label.setText(f"<b>关爱事项</b>（{len(cares)} 条）")
        contact = liaison.for_cadre(self.cadre_id)
        self.contact.setText("组织部包抓人：" + ("　".join(t for t in (contact.contact_name, contact.contact_office,
                                                                    contact.contact_phone) if t)
                                               if contact is not None else "无"))

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.Accepted:
            self.context.data_changed.emit(CAPABILITY)
            self.reload()

    def new_talk(self) -> None:
        self._run(TalkDialog(self.context, cadre_id=self.cadre_id, parent=self))

    def edit_talk(self) -> None:
        talk = current_row(self.talk_table)
        if talk is not None and not self.context.readonly:
            self._run(TalkDialog(self.context, talk, parent=self))

    def new_care(self) -> None:
        self._run(CareDialog(self.context, cadre_id=self.cadre_id, parent=self))

    def edit_care(self) -> None:
        care = current_row(self.care_table)
        if care is not None and not self.context.readonly:
            self._run(CareDialog(self.context, care, parent=self))
