"""实绩考核 page: the tabs 实绩档案, 正负面清单, 考核方案, 考核表, 赛马比选; the profile dialog's 实绩考核 tab
and the cadre list's 对选中干部新建考核表 action.

Table models hold plain rows loaded through the services; they never query the database and write
through the service functions handed to them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.appraisal import grading, records
from cadre_desk.appraisal.scoring import score_text
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.periods import period_label
from ui.appraisal.behaviour_tab import BehaviourTab
from ui.appraisal.common import GREEN, RED
from ui.appraisal.ranking_tab import RankingTab
from ui.appraisal.records_tab import RecordsTab
from ui.appraisal.schemes_tab import SchemesTab
from ui.appraisal.sheet_tab import SheetTab
from ui.shell.context import AppContext
from ui.widgets.columns import share_by_content
from ui.widgets.rows_model import Column, RowsModel, make_table, sortable

# ---- the page ------------------------------------------------------------------------------------


class AppraisalPage(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.tabs = QTabWidget()
        # The tabs behind the first read their data when first shown: a sheet of thousands, or every
        # 正负面清单 entry, is not read to open the page.
        self.records_tab = RecordsTab(context)
        self.behaviour_tab = BehaviourTab(context, load=False)
        self.schemes_tab = SchemesTab(context)
        self.sheet_tab = SheetTab(context, load=False)
        self.ranking_tab = RankingTab(context, load=False)
        for title, tab in (("实绩档案", self.records_tab), ("正负面清单", self.behaviour_tab),
                           ("考核方案", self.schemes_tab), ("考核表", self.sheet_tab),
                           ("赛马比选", self.ranking_tab)):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self._stale: set[str] = {"behaviour", "sheet", "ranking"}
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(lambda _ids: self._on_data_changed("cadres"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

    def save_state(self) -> None:
        self.records_tab.save_state()

    def _on_data_changed(self, what: str) -> None:
        if what in ("records", "appraisal", "cadres", "postings", "mentoring"):
            self._stale.update({"sheet", "ranking", "records", "behaviour", "schemes"})
            # the tab that made the change has reloaded itself
            self._stale.discard(self._key(self.tabs.currentWidget()))

    def _key(self, tab) -> str:
        return {self.records_tab: "records", self.behaviour_tab: "behaviour", self.schemes_tab: "schemes",
                self.sheet_tab: "sheet", self.ranking_tab: "ranking"}[tab]

    def _refresh_current(self) -> None:
        key = self._key(self.tabs.currentWidget())
        if key not in self._stale:
            return
        self._stale.discard(key)
        if key == "sheet":
            self.sheet_tab.reload_sheets()
        elif key == "ranking":
            self.ranking_tab.reload_sheets()
        elif key == "records":
            self.records_tab.reload_reminders()
        elif key == "behaviour":
            self.behaviour_tab.reload_catalog()
            self.behaviour_tab.reload()
        elif key == "schemes":
            self.schemes_tab.reload()

    # ---- unsaved edits (ui.widgets.unsaved): the 考核方案 tab's, asked about on closing, 注销, 切换用户 ----
    def has_unsaved(self) -> bool:
        return self.schemes_tab.has_unsaved()

    def save(self) -> bool:
        return self.schemes_tab.save()

    def unsaved_label(self) -> str:
        return f"实绩考核 → {self.schemes_tab.unsaved_label()}"

    def show_sheet_tab(self) -> SheetTab:
        self.tabs.setCurrentWidget(self.sheet_tab)
        return self.sheet_tab


class ProfileAppraisalTab(QWidget):
    """The cadre profile's 实绩考核 tab: records, 正负面清单 and appraisal results, read-only."""

    def __init__(self, context: AppContext, cadre_id: int, parent=None):
        super().__init__(parent)
        self.records_model = RowsModel([
            Column("期间", lambda r: r.period_label, 110), Column("类型", lambda r: r.kind, 60),
            Column("实绩内容", lambda r: r.content, 360), Column("审核意见", lambda r: r.reviewer_comment, 160)])
        self.entries_model = RowsModel([
            Column("日期", lambda r: format_date(r.date), 84), Column("清单", lambda r: r.polarity, 44),
            Column("条目", lambda r: r.item, 160), Column("来源", lambda r: r.source, 70),
            Column("情况说明", lambda r: r.description, 300)])
        self.entries_model.foreground = lambda r: GREEN if r.polarity == "正面" else RED
        self.results_model = RowsModel([
            Column("考核表", lambda r: r.sheet_title, 240), Column("期间", lambda r: period_label(r.period), 90),
            Column("方案", lambda r: r.scheme_name, 120), Column("总分", lambda r: score_text(r.total), 60, sort_key=lambda r: sortable(r.total)),
            Column("等次", lambda r: r.grade, 70), Column("状态", lambda r: "已定稿" if r.finalized else "评分中", 60),
            Column("各维度得分", lambda r: "、".join(f"{k}{score_text(v)}" for k, v in r.dimension_scores.items()), 260,
                   tooltip=True),
            Column("评语", lambda r: r.comment, 200, tooltip=True)])
        layout = QVBoxLayout(self)
        self.titles: list[QLabel] = []
        sections = (("考核鉴定结果", self.results_model, 7, "暂无，该干部还未列入考核表"),
                    ("实绩档案", self.records_model, 2, "暂无，可在“实绩考核 — 实绩档案”中新增"),
                    ("正负面清单", self.entries_model, 4, "暂无记录"))
        self.tables: list[QTableView] = []
        for title, model, stretch, _empty in sections:
            label = QLabel(f"<b>{title}</b>")
            self.titles.append(label)
            layout.addWidget(label)
            self.tables.append(make_table(model, stretch=stretch, row_numbers=False))
            layout.addWidget(self.tables[-1])
        # the results by their content: an empty 评语 left 各维度得分 cut at a fixed 260 px
        share_by_content(self.tables[0], flexible=(0, 2, 6, 7))
        try:
            self.results_model.set_rows(grading.results_for_cadre(cadre_id))
            self.records_model.set_rows(records.list_records(cadre_id))
            self.entries_model.set_rows(records.list_behaviour_entries(cadre_id))
        except CadreDeskError as exc:
            layout.addWidget(QLabel(str(exc)))
            return
        # Three empty tables said nothing: each title says how many rows it has, or that there are none.
        for label, (title, model, _stretch, empty) in zip(self.titles, sections, strict=True):
            count = model.rowCount()
            label.setText(f"<b>{title}</b>（{count} 条）" if count else f"<b>{title}</b>（{empty}）")


def new_sheet_for_selection(context: AppContext, ids: list[int]) -> None:
    page = context.main_window.show_module("appraisal") if context.main_window else None
    if page is not None:
        page.show_sheet_tab().new_sheet(ids)
