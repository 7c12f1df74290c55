"""谈心关爱 page: 谈心谈话 records (with follow-ups), 谈话提醒 (each posted cadre's next talk, overdue first),
关爱 records, and 包抓联系 (each posted cadre's contact in the department, assigned many at once).

Every list is read off the GUI thread (RecordList's ``background``: ten thousand 在岗 postings take the
best part of a second to read); each ``_load`` method reads its filters and returns the service's call."""

from __future__ import annotations

from functools import partial
from operator import attrgetter

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.care import care_items, talks
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import CARE, CARE_LIST, LIAISON, LIAISON_LIST, POSTING, TALK, TALK_LIST
from cadre_desk.domain.text import choice_words, with_choice
from cadre_desk.liaison import liaison
from ui.care.care_dialogs import AssignDialog, CareDialog, TalkDialog
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.choices import chosen_texts, unit_filter
from ui.widgets.record_list import EDITABLE, EXPORT, ONE, SOME, RecordList, choice_filter, search_box
from ui.widgets.rows_model import RIGHT, Column, RowsModel, list_columns

CAPABILITY = "care"
OVERDUE, PENDING = "#b3261e", "#9a6700"


def talk_model(parent=None) -> RowsModel:
    return RowsModel(list_columns(TALK, TALK_LIST, {key: {"tooltip": True} for key in ("topics", "follow_up")}), parent,
                     foreground=lambda t: PENDING if t.follow_up_state == "待落实" else None)


def care_model(parent=None) -> RowsModel:
    return RowsModel(list_columns(CARE, CARE_LIST, {"content": {"tooltip": True}}), parent)


def liaison_model(parent=None) -> RowsModel:
    return RowsModel(list_columns(LIAISON, LIAISON_LIST, {"note": {"tooltip": True}}), parent,
                     foreground=lambda r: None if r.assigned else PENDING)


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
        self.reload()

    def _list(self, model: RowsModel, load, filters, **options) -> RecordList:
        return RecordList(self.context, CAPABILITY, model, load, filters=filters, buttons=self.buttons,
                          watch=("postings",), background=True, **options)

    # ---- building ----------------------------------------------------------------------------------
    def _talks_tab(self) -> QWidget:
        self.talk_unit = unit_filter()
        self.talk_kind = choice_filter("全部类型", talks.OCCASIONS)
        self.talk_pending = QCheckBox("只看跟进事项待落实")
        self.talk_text = search_box("查找：谈话对象、谈话人、内容")
        self.talks = talk_model(self)
        self.talk_list = self._list(self.talks, self._talks, ("单位", self.talk_unit, "类型", self.talk_kind,
                                                              self.talk_pending, (self.talk_text, 1)))
        self.talk_list.add_actions(
            ("talk_new", "新增谈话记录…", self.new_talk, EDITABLE), ("talk_edit", "修改…", self.edit_talk, ONE),
            ("talk_done", "跟进事项已落实", self.follow_up_done,
             lambda p: ONE(p) and p.current().follow_up_state == "待落实"),
            ("talk_delete", "删除", self.delete_talk, ONE), ("talk_export", "导出…", self.export_talks, self._talk_export))
        self.talk_table, self.talk_count = self.talk_list.table, self.talk_list.count
        return self.talk_list

    def _due_tab(self) -> QWidget:
        note = QLabel()
        note.setObjectName("hint")
        self.due_note = note

        def due():  # the note says the interval the list is worked out with (系统管理 may change it)
            note.setText(f"一线在岗干部自上次谈话（从未谈话的自到岗之日）起每 {talks.interval_days()} 天至少谈心谈话"
                         "一次；逾期的排在前面并标红。")
            return talks.talks_due

        today = clock.today

        self.due = RowsModel([
            Column(TALK.label_of("cadre_name"), attrgetter("cadre_name"), 80),
            Column(POSTING.label_of("post_name"), attrgetter("post_name"), 220),
            Column("上次谈话或到岗", lambda d: f"{format_date(d.since)}{'' if d.talked else '（到岗）'}", 130),
            Column("应谈日期", lambda d: format_date(d.due), 100),
            Column("逾期天数", lambda d: max(0, d.days_over(today())) or "", 80, align=RIGHT)],
            self, foreground=lambda d: OVERDUE if d.days_over(today()) > 0 else None)
        self.due_list = self._list(self.due, due, ((note, 1),), count=None, sorting=False,
                                   stretch=1, activate=self.talk_for_due)
        self.due_list.add_actions(("due_talk", "记录谈话…", self.talk_for_due, EDITABLE))
        self.due_table = self.due_list.table
        return self.due_list

    def _care_tab(self) -> QWidget:
        self.care_unit = unit_filter()
        self.care_kind = choice_filter("全部类别", care_items.CARE_KINDS)
        self.care_year = QComboBox()
        self.care_year.addItem("全部年度", None)
        for year in range(clock.today().year, clock.today().year - 6, -1):
            self.care_year.addItem(f"{year}年", year)
        self.cares = care_model(self)
        self.care_list = self._list(self.cares, self._cares, ("单位", self.care_unit, "类别", self.care_kind,
                                                              "年度", self.care_year))
        self.care_list.add_actions(
            ("care_new", "新增关爱记录…", self.new_care, EDITABLE), ("care_edit", "修改…", self.edit_care, ONE),
            ("care_delete", "删除", self.delete_care, ONE),
            ("care_export", "导出…", self.export_care_items, self._care_export))
        self.care_table, self.care_count = self.care_list.table, self.care_list.count
        return self.care_list

    def _liaison_tab(self) -> QWidget:
        self.liaison_state = QComboBox()
        self.liaison_state.addItem("在岗", "在岗")
        self.liaison_state.addItem("全部选派记录", None)
        self.liaison_unassigned = QCheckBox("只看未指定包抓人")
        self.liaison_mine = QCheckBox("只看我包抓的")
        self.liaison_text = search_box("查找：包抓人或科室")
        self.liaisons = liaison_model(self)
        self.liaison_list = self._list(
            self.liaisons, self._liaisons, ("状态", self.liaison_state, self.liaison_unassigned, self.liaison_mine,
                                            (self.liaison_text, 1)),
            count=lambda rows: f"共 {len(rows)} 人" + (f"，{n} 人未指定" if (n := sum(not r.assigned for r in rows))
                                                      else ""),
            multi=True, stretch=9, activate=self.assign)
        self.liaison_list.add_actions(
            ("assign", "指定包抓人…", self.assign, SOME),
            ("unassign", "取消包抓", self.unassign, lambda p: EDITABLE(p) and any(r.assigned for r in p.selected())),
            ("liaison_export", "导出包抓联系表…", self.export_liaisons, self._liaison_export))
        self.liaison_table, self.liaison_count = self.liaison_list.table, self.liaison_list.count
        return self.liaison_list

    # ---- data --------------------------------------------------------------------------------------
    def reload(self) -> None:
        for panel in self.panels():
            panel.reload()

    def panels(self) -> tuple[RecordList, ...]:
        return self.talk_list, self.due_list, self.care_list, self.liaison_list

    @property
    def loading(self) -> bool:
        """Whether a list is still being read (its rows not shown yet)."""
        return any(panel.loading for panel in self.panels())

    def _talks(self):
        return partial(talks.list_talks, self._talk_filter())

    def _talk_filter(self) -> talks.TalkFilter:
        """The tab's choice, as ``talks.list_talks`` takes it (the export writes the same list)."""
        return talks.TalkFilter(unit_id=self.talk_unit.currentData(), occasion=self.talk_kind.currentData() or "",
                                text=self.talk_text.text(), pending_only=self.talk_pending.isChecked())

    def _talk_choice(self) -> str:
        """The tab's choice in words (市财政局、到岗谈话、只看跟进事项待落实，含“家庭”); "" for every talk."""
        chosen = chosen_texts(self.talk_unit, self.talk_kind)
        if self.talk_pending.isChecked():
            chosen.append(self.talk_pending.text())
        return choice_words(chosen, self.talk_text.text())

    def _talk_export(self, panel: RecordList) -> bool:
        """导出… of 谈心谈话 writes the talks as the tab lists them (it wrote every talk and every 关爱 record
        whatever was chosen); off over an empty list, its tip saying why."""
        count, what = len(panel.model.rows), self._talk_choice()
        self.buttons["talk_export"].setToolTip(
            with_choice(f"导出为 Excel：本页所列的 {count} 条谈话记录", what) if count
            else "没有符合所选条件的谈话记录，没有可导出的记录" if what
            else "您负责的范围内还没有谈话记录，没有可导出的记录")
        return EXPORT(panel) and count > 0

    def _cares(self):
        return partial(care_items.list_care, self._care_filter())

    def _care_filter(self) -> care_items.CareFilter:
        return care_items.CareFilter(unit_id=self.care_unit.currentData(), kind=self.care_kind.currentData() or "",
                                     year=self.care_year.currentData())

    def _care_export(self, panel: RecordList) -> bool:
        """导出… of 关爱事项: only when the list has rows (it wrote an empty sheet), its tip saying why not, as
        the other lists' export buttons do."""
        count = len(panel.model.rows)
        filtered = any(box.currentData() for box in (self.care_unit, self.care_kind, self.care_year))
        self.buttons["care_export"].setToolTip(
            f"导出为 Excel：本页所列的 {count} 条关爱事项（按所选单位、类别、年度）" if count
            else "没有符合所选单位、类别、年度的关爱事项，没有可导出的记录" if filtered
            else "您负责的范围内还没有关爱事项，没有可导出的记录")
        return EXPORT(panel) and count > 0

    def _liaison_filter(self) -> dict:
        """The tab's choice, as ``liaison.list_liaisons`` takes it (the export writes the same list)."""
        return dict(state=self.liaison_state.currentData(), contact=self.liaison_text.text(),
                    mine=self.liaison_mine.isChecked(), unassigned=self.liaison_unassigned.isChecked())

    def _liaisons(self):
        return partial(liaison.list_liaisons, **self._liaison_filter())

    def _liaison_choice(self) -> str:
        """The tab's choice in words (全部选派记录、只看未指定包抓人，含“干部一科”); "" for the 在岗 list whole."""
        chosen = [box.text() for box in (self.liaison_unassigned, self.liaison_mine) if box.isChecked()]
        if self.liaison_state.currentData() is None:
            chosen.insert(0, self.liaison_state.currentText())
        return choice_words(chosen, self.liaison_text.text())

    def _liaison_export(self, panel: RecordList) -> bool:
        """导出包抓联系表… writes the list as the tab shows it (it wrote the 在岗 list whatever was chosen: a
        clerk who listed those without a contact, to hand round, got everyone); off over an empty list."""
        count, what = len(panel.model.rows), self._liaison_choice()
        self.buttons["liaison_export"].setToolTip(
            with_choice(f"导出为 Excel：本页所列的 {count} 人", what) if count
            else "没有符合所选条件的一线干部，没有可导出的记录")
        return EXPORT(panel) and count > 0

    # ---- actions -----------------------------------------------------------------------------------
    def new_talk(self, cadre_id: int | None = None) -> None:
        selected = self.context.selected_cadre_ids()
        self.talk_list.run(TalkDialog(self.context, cadre_id=cadre_id or (selected[0] if selected else None),
                                      parent=self))

    def edit_talk(self) -> None:
        self.talk_list.edit(lambda talk: TalkDialog(self.context, talk, parent=self))

    def follow_up_done(self) -> None:
        talk = self.talk_list.current()
        if talk is not None and messages.attempt(self, "跟进事项", talks.set_follow_up_done, talk.id, talk.version):
            self.talk_list.changed()

    def delete_talk(self) -> None:
        self.talk_list.delete("删除谈话记录", lambda t: f"确定删除 {t.cadre_name} {format_date(t.date)}的谈心谈话记录吗？",
                              talks.delete_talk)

    def talk_for_due(self) -> None:
        due = self.due_list.current()
        self.new_talk(due.cadre_id if due is not None else None)

    def new_care(self) -> None:
        selected = self.context.selected_cadre_ids()
        self.care_list.run(CareDialog(self.context, cadre_id=selected[0] if selected else None, parent=self))

    def edit_care(self) -> None:
        self.care_list.edit(lambda care: CareDialog(self.context, care, parent=self))

    def delete_care(self) -> None:
        self.care_list.delete("删除关爱记录", lambda c: f"确定删除 {c.cadre_name} 的这条{c.kind}记录吗？",
                              care_items.delete_care)

    def assign(self) -> None:
        chosen = self.liaison_list.selected()
        if chosen and not self.context.readonly:
            self.liaison_list.run(AssignDialog(chosen, self))

    def unassign(self) -> None:
        chosen = [r for r in self.liaison_list.selected() if r.assigned]
        if not chosen or not messages.confirm(self, "取消包抓", f"取消 {len(chosen)} 名一线干部的包抓人？", "取消包抓",
                                              danger=True):
            return
        ids, read = [r.posting_id for r in chosen], {r.posting_id: r.version for r in chosen}  # as listed
        if messages.attempt_delete(self, "取消包抓", lambda overwrite: liaison.clear(ids, None if overwrite else read),
                                   "取消包抓"):
            self.liaison_list.changed()

    def export_talks(self) -> None:
        """The 谈心谈话 tab as listed: its 单位, 类型, 只看… and 查找 in the file's name and heading (关爱事项 are
        exported from their tab; both whole from 文件 → 导出谈心谈话及关爱记录…)."""
        from reports.excel import practices_workbooks
        from reports.pdf.pdf_common import safe_file_name
        from ui.exchange.exchange_view import export_workbook

        flt, what = self._talk_filter(), self._talk_choice()
        name = safe_file_name(with_choice(TALK.title, what))
        export_workbook(self.context, f"导出{TALK.title}", name,
                        lambda path, progress, reason: practices_workbooks.export_talks(
                            path, progress, talk_filter=flt, what=what, reason=reason))

    def export_liaisons(self) -> None:
        """The 包抓联系 tab as listed: its 状态, 只看… and 查找 in the file's name and heading."""
        from reports.excel import practices_workbooks
        from reports.pdf.pdf_common import safe_file_name
        from ui.exchange.exchange_view import export_workbook

        listed, what = self._liaison_filter(), self._liaison_choice()
        export_workbook(self.context, "导出一线干部包抓联系表", safe_file_name(with_choice(LIAISON.title, what)),
                        lambda path, progress, reason: practices_workbooks.export_liaisons(
                            path, progress, listed=listed, what=what, reason=reason))

    def export_care_items(self) -> None:
        """关爱事项 as the tab lists them: its 单位, 类别 and 年度 in the file's name and heading."""
        from reports.excel import practices_workbooks
        from reports.pdf.pdf_common import safe_file_name
        from ui.exchange.exchange_view import export_workbook

        flt = self._care_filter()
        what = "、".join(chosen_texts(self.care_unit, self.care_kind, self.care_year))
        name = safe_file_name(with_choice(CARE.title, what))
        export_workbook(self.context, f"导出{CARE.title}", name,
                        lambda path, progress, reason: practices_workbooks.export_care_items(
                            path, progress, care_filter=flt, what=what, reason=reason))


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
