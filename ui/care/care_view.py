"""谈心关爱 page: 谈心谈话 records (with follow-ups), 谈话提醒 (each posted cadre's next talk, overdue first),
关爱 records, and 包抓联系 (each posted cadre's contact in the department, assigned many at once)."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.care import care_items, talks
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import CARE, LIAISON, POSTING, TALK
from cadre_desk.liaison import liaison
from ui.care.care_dialogs import AssignDialog, CareDialog, TalkDialog
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.choices import unit_filter
from ui.widgets.rows_model import (
    RIGHT,
    Column,
    RowsModel,
    current_row,
    field_column,
    make_table,
    selected_rows,
)

CAPABILITY = "care"
TALK_KEYS = ("cadre_name", "unit_name", "date", "talker", "occasion", "topics", "follow_up", "follow_up_state",
             "recorder")
CARE_KEYS = ("cadre_name", "unit_name", "kind", "date", "end_date", "content", "recorder")
LIAISON_KEYS = ("cadre_name", "unit_name", "post_name", "posting_state", "contact_name", "contact_office",
                "contact_phone", "since", "last_talk", "note")
OVERDUE, PENDING = "#b3261e", "#9a6700"


def talk_model(parent=None) -> RowsModel:
    return RowsModel([field_column(TALK, key, tooltip=key in ("topics", "follow_up")) for key in TALK_KEYS], parent,
                     foreground=lambda t: PENDING if t.follow_up_state == "待落实" else None)


def care_model(parent=None) -> RowsModel:
    return RowsModel([field_column(CARE, key, tooltip=key == "content") for key in CARE_KEYS], parent)


def _bar(buttons: dict, specs) -> QHBoxLayout:
    row = QHBoxLayout()
    for key, text, slot in specs:
        button = QPushButton(text)
        button.clicked.connect(slot)
        buttons[key] = button
        row.addWidget(button)
    row.addStretch(1)
    return row


class CarePage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.buttons: dict[str, QPushButton] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._talks_tab(), "谈心谈话")
        self.tabs.addTab(self._due_tab(), "谈话提醒")
        self.tabs.addTab(self._care_tab(), "关爱事项")
        self.tabs.addTab(self._liaison_tab(), "包抓联系")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        context.data_changed.connect(lambda name: name in (CAPABILITY, "postings", "") and self.reload())
        context.cadres_changed.connect(lambda _ids: self.reload())
        self.reload()

    # ---- building ----------------------------------------------------------------------------------
    def _talks_tab(self) -> QWidget:
        self.talk_unit = unit_filter()
        self.talk_kind = QComboBox()
        self.talk_kind.addItem("全部类型", "")
        for occasion in talks.OCCASIONS:
            self.talk_kind.addItem(occasion, occasion)
        self.talk_pending = QCheckBox("只看跟进事项待落实")
        self.talk_text = QLineEdit()
        self.talk_text.setPlaceholderText("查找：谈话对象、谈话人、内容")
        self.talk_text.setClearButtonEnabled(True)
        self.talk_count = QLabel()
        filters = QHBoxLayout()
        for widget in (QLabel("单位"), self.talk_unit, QLabel("类型"), self.talk_kind, self.talk_pending):
            filters.addWidget(widget)
        filters.addWidget(self.talk_text, 1)
        filters.addWidget(self.talk_count)
        actions = _bar(self.buttons, (("talk_new", "新增谈话记录…", self.new_talk), ("talk_edit", "修改…", self.edit_talk),
                                      ("talk_done", "跟进事项已落实", self.follow_up_done),
                                      ("talk_delete", "删除", self.delete_talk), ("care_export", "导出…", self.export_care)))
        self.talks = talk_model(self)
        self.talk_table = make_table(self.talks, sorting=True, stretch=5)
        self.talk_table.doubleClicked.connect(lambda _i: self.edit_talk())
        self.talk_table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        for box in (self.talk_unit, self.talk_kind):
            box.currentIndexChanged.connect(lambda _i: self.load_talks())
        self.talk_pending.toggled.connect(lambda _c: self.load_talks())
        self.talk_text.textChanged.connect(lambda _t: self.load_talks())
        return self._tab(filters, actions, self.talk_table)

    def _due_tab(self) -> QWidget:
        note = QLabel(f"一线在岗干部自上次谈话（从未谈话的自到岗之日）起每 {talks.interval_days()} 天至少谈心谈话一次；"
                      "逾期的排在前面并标红。")
        note.setObjectName("hint")
        self.due_note = note
        actions = _bar(self.buttons, (("due_talk", "记录谈话…", self.talk_for_due),))
        today = clock.today

        self.due = RowsModel([
            Column(TALK.label_of("cadre_name"), attrgetter("cadre_name"), 80),
            Column(POSTING.label_of("post_name"), attrgetter("post_name"), 220),
            Column("上次谈话或到岗", lambda d: f"{format_date(d.since)}{'' if d.talked else '（到岗）'}", 130),
            Column("应谈日期", lambda d: format_date(d.due), 100),
            Column("逾期天数", lambda d: max(0, d.days_over(today())) or "", 80, align=RIGHT)],
            self, foreground=lambda d: OVERDUE if d.days_over(today()) > 0 else None)
        self.due_table = make_table(self.due, stretch=1)
        self.due_table.doubleClicked.connect(lambda _i: self.talk_for_due())
        filters = QHBoxLayout()
        filters.addWidget(note, 1)
        return self._tab(filters, actions, self.due_table)

    def _care_tab(self) -> QWidget:
        self.care_unit = unit_filter()
        self.care_kind = QComboBox()
        self.care_kind.addItem("全部类别", "")
        for kind in care_items.CARE_KINDS:
            self.care_kind.addItem(kind, kind)
        self.care_year = QComboBox()
        self.care_year.addItem("全部年度", None)
        for year in range(clock.today().year, clock.today().year - 6, -1):
            self.care_year.addItem(f"{year}年", year)
        self.care_count = QLabel()
        filters = QHBoxLayout()
        for widget in (QLabel("单位"), self.care_unit, QLabel("类别"), self.care_kind, QLabel("年度"), self.care_year):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.care_count)
        actions = _bar(self.buttons, (("care_new", "新增关爱记录…", self.new_care), ("care_edit", "修改…", self.edit_care),
                                      ("care_delete", "删除", self.delete_care)))
        self.cares = care_model(self)
        self.care_table = make_table(self.cares, sorting=True, stretch=5)
        self.care_table.doubleClicked.connect(lambda _i: self.edit_care())
        self.care_table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        for box in (self.care_unit, self.care_kind, self.care_year):
            box.currentIndexChanged.connect(lambda _i: self.load_care())
        return self._tab(filters, actions, self.care_table)

    def _liaison_tab(self) -> QWidget:
        self.liaison_state = QComboBox()
        self.liaison_state.addItem("在岗", "在岗")
        self.liaison_state.addItem("全部选派记录", None)
        self.liaison_unassigned = QCheckBox("只看未指定包抓人")
        self.liaison_mine = QCheckBox("只看我包抓的")
        self.liaison_text = QLineEdit()
        self.liaison_text.setPlaceholderText("查找：包抓人或科室")
        self.liaison_text.setClearButtonEnabled(True)
        self.liaison_count = QLabel()
        filters = QHBoxLayout()
        for widget in (QLabel("状态"), self.liaison_state, self.liaison_unassigned, self.liaison_mine):
            filters.addWidget(widget)
        filters.addWidget(self.liaison_text, 1)
        filters.addWidget(self.liaison_count)
        actions = _bar(self.buttons, (("assign", "指定包抓人…", self.assign), ("unassign", "取消包抓", self.unassign),
                                      ("liaison_export", "导出包抓联系表…", self.export_liaisons)))
        self.liaisons = RowsModel([field_column(LIAISON, key, tooltip=key == "note") for key in LIAISON_KEYS], self,
                                  foreground=lambda r: None if r.assigned else PENDING)
        self.liaison_table = make_table(self.liaisons, multi=True, sorting=True, stretch=9)
        self.liaison_table.doubleClicked.connect(lambda _i: self.assign())
        self.liaison_table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.liaison_state.currentIndexChanged.connect(lambda _i: self.load_liaisons())
        for box in (self.liaison_unassigned, self.liaison_mine):
            box.toggled.connect(lambda _c: self.load_liaisons())
        self.liaison_text.textChanged.connect(lambda _t: self.load_liaisons())
        return self._tab(filters, actions, self.liaison_table)

    @staticmethod
    def _tab(filters, actions, table) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(table, 1)
        return page

    # ---- data --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.load_talks()
        self.due.set_rows(talks.talks_due())
        self.load_care()
        self.load_liaisons()

    def load_talks(self) -> None:
        flt = talks.TalkFilter(unit_id=self.talk_unit.currentData(), occasion=self.talk_kind.currentData() or "",
                               text=self.talk_text.text(), pending_only=self.talk_pending.isChecked())
        rows = talks.list_talks(flt)
        self.talks.set_rows(rows)
        self.talk_count.setText(f"共 {len(rows)} 条")
        self._enable()

    def load_care(self) -> None:
        flt = care_items.CareFilter(unit_id=self.care_unit.currentData(), kind=self.care_kind.currentData() or "",
                                    year=self.care_year.currentData())
        rows = care_items.list_care(flt)
        self.cares.set_rows(rows)
        self.care_count.setText(f"共 {len(rows)} 条")
        self._enable()

    def load_liaisons(self) -> None:
        rows = liaison.list_liaisons(state=self.liaison_state.currentData(), contact=self.liaison_text.text(),
                                     mine=self.liaison_mine.isChecked(), unassigned=self.liaison_unassigned.isChecked())
        self.liaisons.set_rows(rows)
        missing = sum(1 for r in rows if not r.assigned)
        self.liaison_count.setText(f"共 {len(rows)} 人" + (f"，{missing} 人未指定" if missing else ""))
        self._enable()

    def _enable(self) -> None:
        editable = not self.context.readonly
        talk = current_row(self.talk_table) if hasattr(self, "talk_table") else None
        care = current_row(self.care_table) if hasattr(self, "care_table") else None
        chosen = selected_rows(self.liaison_table) if hasattr(self, "liaison_table") else []
        states = {
            "talk_new": editable, "talk_edit": editable and talk is not None,
            "talk_done": editable and talk is not None and talk.follow_up_state == "待落实",
            "talk_delete": editable and talk is not None, "care_export": self.context.allows(permissions.EXPORT),
            "due_talk": editable, "care_new": editable, "care_edit": editable and care is not None,
            "care_delete": editable and care is not None, "assign": editable and bool(chosen),
            "unassign": editable and any(r.assigned for r in chosen),
            "liaison_export": self.context.allows(permissions.EXPORT)}
        for key, enabled in states.items():
            if key in self.buttons:
                self.buttons[key].setEnabled(enabled)

    def _changed(self) -> None:
        self.context.data_changed.emit(CAPABILITY)  # reloads this page too

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.Accepted:
            self._changed()

    # ---- actions -----------------------------------------------------------------------------------
    def new_talk(self, cadre_id: int | None = None) -> None:
        selected = self.context.selected_cadre_ids()
        self._run(TalkDialog(self.context, cadre_id=cadre_id or (selected[0] if selected else None), parent=self))

    def edit_talk(self) -> None:
        talk = current_row(self.talk_table)
        if talk is not None and not self.context.readonly:
            self._run(TalkDialog(self.context, talk, parent=self))

    def follow_up_done(self) -> None:
        talk = current_row(self.talk_table)
        if talk is None:
            return
        if messages.attempt(self, "跟进事项", talks.set_follow_up_done, talk.id, talk.version):
            self._changed()

    def delete_talk(self) -> None:
        talk = current_row(self.talk_table)
        if talk is None or not messages.confirm(self, "删除谈话记录", f"确定删除 {talk.cadre_name} {format_date(talk.date)}"
                                                "的谈心谈话记录吗？", "删除", danger=True):
            return
        if messages.attempt(self, "不能删除", talks.delete_talk, talk.id):
            self._changed()

    def talk_for_due(self) -> None:
        due = current_row(self.due_table)
        self.new_talk(due.cadre_id if due is not None else None)

    def new_care(self) -> None:
        selected = self.context.selected_cadre_ids()
        self._run(CareDialog(self.context, cadre_id=selected[0] if selected else None, parent=self))

    def edit_care(self) -> None:
        care = current_row(self.care_table)
        if care is not None and not self.context.readonly:
            self._run(CareDialog(self.context, care, parent=self))

    def delete_care(self) -> None:
        care = current_row(self.care_table)
        if care is None or not messages.confirm(self, "删除关爱记录", f"确定删除 {care.cadre_name} 的这条{care.kind}记录吗？",
                                                "删除", danger=True):
            return
        if messages.attempt(self, "不能删除", care_items.delete_care, care.id):
            self._changed()

    def assign(self) -> None:
        chosen = selected_rows(self.liaison_table)
        if chosen and not self.context.readonly:
            self._run(AssignDialog(chosen, self))

    def unassign(self) -> None:
        chosen = [r for r in selected_rows(self.liaison_table) if r.assigned]
        if not chosen or not messages.confirm(self, "取消包抓", f"取消 {len(chosen)} 名一线干部的包抓人？", "取消包抓",
                                              danger=True):
            return
        if messages.attempt(self, "取消包抓", liaison.clear, [r.posting_id for r in chosen]):
            self._changed()

    def export_care(self) -> None:
        export_care(self.context)

    def export_liaisons(self) -> None:
        export_liaisons(self.context)


def talk_with_selected(context: AppContext, cadre_ids: list[int]) -> None:
    """干部名册 → 记录谈心谈话…"""
    dialog = TalkDialog(context, cadre_id=cadre_ids[0], parent=context.main_window)
    if dialog.exec() == QDialog.Accepted:
        context.data_changed.emit(CAPABILITY)


def export_care(context: AppContext) -> None:
    from reports.excel import practices_workbooks
    from ui.exchange.exchange_view import export_workbook

    export_workbook(context, "导出谈心谈话及关爱记录", "谈心谈话及关爱记录", practices_workbooks.export_care)


def export_liaisons(context: AppContext) -> None:
    from reports.excel import practices_workbooks
    from ui.exchange.exchange_view import export_workbook

    export_workbook(context, "导出一线干部包抓联系表", "一线干部包抓联系表", practices_workbooks.export_liaisons)
