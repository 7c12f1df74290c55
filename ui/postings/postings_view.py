"""一线锻炼: the lines → posts tree with filled/capacity (lines_tree), the postings table with its filters
(posting_filters) and actions, the posting's detail and the reminders under it (bottom_pane); plus the
cadre list's batch action and what the 工作台's reminders open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget

from cadre_desk.access import permissions
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.postings import frontline_posts, posting_data, posting_reminders, posting_review, postings
from ui.postings.bottom_pane import PostingBottom
from ui.postings.lines_tree import LinesTree
from ui.postings.match_dialog import MatchDialog
from ui.postings.posting_dialogs import (
    BatchPostDialog,
    CorrectDialog,
    NewPostingDialog,
    RecallDialog,
    ReviewDialog,
    StartDialog,
    busy_text,
)
from ui.postings.posting_filters import PostingFilters
from ui.postings.posting_table import HIDDEN_AT_FIRST, posting_detail, posting_model
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.columns import ColumnChooser, share_by_content
from ui.widgets.record_list import button_row
from ui.widgets.rows_model import make_table
from ui.widgets.tasks import Newest
from ui.widgets.when_shown import ReloadWhenShown
from ui.widgets.window import forget_settings, restore_splitters, save_splitters

# What the page kept once and reads no more: the split of the detail beside the reminders (now tabs).
RETIRED_SETTINGS = ("postings/bottom_splitter",)


class PostingsPage(QWidget):
    # Under the table at first: the tabs of the detail and the reminders, the detail's few lines. With
    # the filter rows 3 px apart and no side scroll bar under the table, 15 rows at 1366×768 keep 10 px
    # and more to spare (at 1 px a slightly larger font had lost a row).
    BOTTOM_HEIGHT = 84
    FILTER_SPACING = 3

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.readonly = getattr(context, "readonly", False)
        # Why this operator may not change the lines and posts (county-wide configuration), or "".
        self.config_refusal = (permissions.check_all_units(permissions.EDIT, frontline_posts.SHARED_CONFIG)
                               or ("数据库为只读，不能修改战线和岗位。" if self.readonly else ""))

        # left: lines → posts
        self.lines_tree = LinesTree(self.config_refusal, self.readonly, self.match_for_post, self.new_posting)
        self.lines_tree.chosen.connect(self._on_tree_selected)
        self.lines_tree.edited.connect(self.changed)
        self.tree = self.lines_tree.tree

        # right: filters, table, actions, reminders
        self.filters = PostingFilters(self.FILTER_SPACING)
        f = self.filters
        self.line_filter, self.post_filter, self.state_filter = f.line_filter, f.post_filter, f.state_filter
        self.channel_filter, self.unit_filter, self.ending_filter = f.channel_filter, f.unit_filter, f.ending_filter
        self.count_label = f.count_label

        self.model = posting_model(self)
        self.table = make_table(self.model, sorting=True, multi=True)  # several at once for 打印鉴定表
        self.table.sortByColumn(self.model.column_of("start"), Qt.DescendingOrder)  # newest start first
        self.table.horizontalHeader().setHighlightSections(False)
        # The columns of every day fit a 1366-pixel screen, no side scroll bar: 原单位 and 锻炼岗位 give
        # way (cut, whole on hover); the others are a right click on the header away, the choice kept.
        share_by_content(self.table, flexible=[self.model.column_of(key) for key in ("unit_name", "post_name")])
        ColumnChooser(self.table, "postings/columns", [c.key for c in self.model.columns], HIDDEN_AT_FIRST)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.doubleClicked.connect(lambda _i: None if self.readonly else self.correct_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.actions: dict[str, QPushButton] = {}
        # A column beside the table and the pane under it, so that the table has the page's height (a
        # 1366×768 screen shows 15 rows and more) and the reminders may take most of it: the posting's
        # steps, then its links.
        action_column = button_row(self.actions, (
            ("new", "新建选派", self.new_posting), ("start", "到岗", self.start_selected),
            ("finish", "期满结束…", self.finish_selected), ("review", "期满鉴定…", self.review_selected),
            ("print_review", "打印鉴定表…", self.print_reviews),
            ("recall", "提前召回", self.recall_selected), ("correct", "修改/更正", self.correct_selected),
            ("withdraw", "撤销拟选派", self.withdraw_selected)), row=QVBoxLayout(), stretch=False)
        action_column.addSpacing(12)
        button_row(self.actions, (
            ("mentor", "建立导师帮带…", self.create_mentoring_pair), ("match", "人岗匹配", self.match_for_post),
            ("profile", "查看档案", self.open_profile)), row=action_column)
        action_column.setContentsMargins(0, 0, 0, 0)

        self.right_split = QSplitter(Qt.Vertical)
        # Below the table: the posting's detail, a few lines high, and the reminders in a tab that
        # grows to show them (bottom_pane); a clerk drags the handle for more, and the page keeps it.
        self.bottom = PostingBottom(context, self.right_split, self.BOTTOM_HEIGHT, "postings/bottom_tabs")
        self.detail, self.reminders = self.bottom.detail, self.bottom.reminders
        self.right_split.addWidget(self.table)
        self.right_split.addWidget(self.bottom)
        self.right_split.setStretchFactor(0, 1)
        self.right_split.setStretchFactor(1, 0)
        self.right_split.setChildrenCollapsible(False)
        self.right_split.setSizes([1000, self.BOTTOM_HEIGHT])

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(self.FILTER_SPACING)
        right_layout.addWidget(self.filters)
        work_area = QHBoxLayout()
        work_area.addWidget(self.right_split, 1)
        work_area.addLayout(action_column)
        right_layout.addLayout(work_area, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.lines_tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1000])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 4)  # the height goes to the table
        layout.addWidget(self.splitter)

        # Every posting, loaded off the GUI thread after a change; the filters work on this list.
        self.all_rows: list[posting_data.PostingInfo] = []
        self.loading = False
        self._loads = Newest(self, context.tasks)
        self._pending_select: int | None = None
        self.reminders_loading = False
        self._reminder_reads = Newest(self, context.tasks)
        self.reload_all()
        self.filters.cleared.connect(self.lines_tree.clear_choice)
        self.filters.changed.connect(self.apply_filters)
        # hidden (another page shown): loaded again when shown
        self._all_when_shown = ReloadWhenShown(self, self.reload_all)
        self._postings_when_shown = ReloadWhenShown(self, self.reload_postings)
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(self._postings_when_shown.changed)
        context.units_changed.connect(self.filters.fill_units)
        self.bottom.restore()
        restore_splitters(self._splitters())
        forget_settings(RETIRED_SETTINGS)

    # ---- loading --------------------------------------------------------------------------------
    def reload_all(self) -> None:
        self.lines = frontline_posts.list_lines()
        self.posts = frontline_posts.list_posts()
        self.filters.set_lines(self.lines, self.posts)
        self.lines_tree.fill(self.lines, self.posts)  # the item chosen before chosen again: the table follows
        self.reload_postings()
        self.reload_reminders()

    def reload_reminders(self) -> None:
        """The reminders scan every active posting: read off the GUI thread too."""
        self.reminders_loading = True

        def done(items) -> None:
            self.reminders_loading = False
            self.bottom.set_reminders(items)

        def failed(message: str) -> None:
            self.reminders_loading = False
            self.bottom.reminders_failed(message)

        self._reminder_reads.start(lambda _p: posting_reminders.reminders(), done, failed)

    def _on_data_changed(self, what: str) -> None:
        if what == "postings":
            self._all_when_shown.changed()

    def changed(self) -> None:
        self.context.data_changed.emit("postings")  # reloads this page too (when shown)
        self._all_when_shown.flush()  # the change was made here: this page shows it even if not shown

    def reload_postings(self) -> None:
        """Load every posting off the GUI thread; the newest request wins."""
        self.loading = True
        self.count_label.setText("正在加载…")

        def done(rows) -> None:
            self.loading = False
            self.all_rows = rows
            self.apply_filters()

        def failed(message: str) -> None:
            self.loading = False
            self.count_label.setText(f"加载失败：{message}" if message else "")

        self._loads.start(lambda _p: postings.visible_postings(), done, failed)

    def apply_filters(self) -> None:
        """The loaded rows through the current filters, in memory (no database)."""
        rows = self.filters.filtered(self.all_rows)
        selected = self.selected_posting()
        select_id = self._pending_select or (selected.id if selected is not None else None)
        self._pending_select = None
        self.model.set_rows(rows)  # in the order of the header the clerk chose (sorted once, there)
        if select_id is not None:
            self.select_posting(select_id)
        active = sum(1 for r in rows if r.active)
        self.count_label.setText(f"共 {len(rows)} 条，其中在岗及拟选派 {active} 条")
        self._update_actions()

    def clear_filters(self) -> None:
        """清除条件: every filter, and the tree's line or post too (on ``cleared``) — 新建选派 and 人岗匹配 act
        on the post chosen there: with the filters gone, that post went on being used, unseen."""
        self.filters.clear()  # then apply_filters, on its ``changed``

    # ---- the tree's choice ------------------------------------------------------------------------
    def current_line(self) -> posting_data.LineInfo | None:
        return self.lines_tree.current_line()

    def current_post(self) -> posting_data.PostInfo | None:
        return self.lines_tree.current_post()

    def _on_tree_selected(self) -> None:
        """The table shows the line or post chosen in the tree (nothing chosen: the filters stay)."""
        if self.lines_tree.tree_key() is None:
            return
        self.filters.follow_tree(self.current_line(), self.current_post())
        self.apply_filters()

    # ---- postings -------------------------------------------------------------------------------
    def selected_posting(self) -> posting_data.PostingInfo | None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        if not rows:
            return None
        return self.model.rows[rows[0].row()]

    def selected_postings(self) -> list[posting_data.PostingInfo]:
        """Every posting chosen (Ctrl/Shift for several), in the table's order."""
        selection = self.table.selectionModel()
        rows = sorted(index.row() for index in selection.selectedRows()) if selection is not None else []
        return [self.model.rows[row] for row in rows]

    def select_posting(self, posting_id: int) -> None:
        if self.loading:  # selected once the fresh rows are in
            self._pending_select = posting_id
            return
        for row, p in enumerate(self.model.rows):
            if p.id == posting_id:
                self.table.selectRow(row)
                return

    def _update_actions(self) -> None:
        chosen = self.selected_postings()
        p = chosen[0] if len(chosen) == 1 else None  # a posting's steps: one at a time (several: 打印鉴定表)
        writable = not self.readonly
        self.actions["new"].setEnabled(writable)
        # a posting of the operator's own or a relative's file is not theirs to change (回避)
        writable = writable and (p is None or self.context.allows(permissions.EDIT, cadre_id=p.cadre_id))
        self.actions["start"].setEnabled(writable and p is not None and p.state == posting_data.PROPOSED)
        self.actions["finish"].setEnabled(writable and p is not None and p.state == posting_data.ON_POST)
        self.actions["review"].setEnabled(writable and p is not None and p.state == posting_data.COMPLETED)
        self.actions["recall"].setEnabled(writable and p is not None and p.active)
        self.actions["correct"].setEnabled(writable and p is not None)
        self.actions["correct"].setText("更正…" if p is not None and p.finished else "修改…")
        self.actions["withdraw"].setEnabled(writable and p is not None and p.state == posting_data.PROPOSED)
        self.actions["mentor"].setEnabled(writable and p is not None and p.active)
        self.actions["match"].setEnabled(self.current_post() is not None)
        self.actions["profile"].setEnabled(p is not None)
        # the 鉴定表 of the 期满 postings chosen: printable when one is and every one of them may be printed
        ended = [x for x in chosen if x.state == posting_data.COMPLETED]
        self.actions["print_review"].setEnabled(bool(ended) and all(
            self.context.allows(permissions.PRINT, cadre_id=x.cadre_id) for x in ended))
        detail = self._detail_text(p) if p is not None else (
            f"已选 {len(chosen)} 条选派记录：可打印其中期满的鉴定表；到岗、期满结束等请逐条选择。" if chosen else "")
        if self.bottom.show_detail(detail) and p is not None:
            self.table.scrollTo(self.table.currentIndex())  # the chosen row in sight over a taller detail

    def _detail_text(self, p: posting_data.PostingInfo) -> str:
        """The selected posting with its 期满鉴定 (read when selected: the list itself holds only the 等次)."""
        try:
            review = posting_review.get_review(p.id) if p.state == posting_data.COMPLETED else None
        except CadreDeskError as exc:
            return f"{posting_detail(p, compact=True)}\n（期满鉴定未能读取：{messages.describe(exc)}）"
        return posting_detail(p, review=review, compact=True)

    def table_menu(self) -> QMenu:
        menu = QMenu(self)
        for key in ("new", "start", "finish", "review", "print_review", "recall", "correct", "withdraw", "mentor",
                    "profile"):
            button = self.actions[key]
            menu.addAction(button.text(), button.click).setEnabled(button.isEnabled())
        return menu

    def _table_menu(self, pos) -> None:
        self.table_menu().exec(self.table.viewport().mapToGlobal(pos))

    def _run_dialog(self, dialog: QDialog) -> bool:
        if dialog.exec() == QDialog.Accepted:
            self.changed()
            result = getattr(dialog, "result_value", None)
            if isinstance(result, posting_data.PostingInfo):
                self.select_posting(result.id)
            return True
        return False

    def new_posting(self) -> None:
        post = self.current_post()
        self._run_dialog(NewPostingDialog(self.context, post_id=post.id if post else None, parent=self))

    def _fresh_selected(self) -> posting_data.PostingInfo | None:
        p = self.selected_posting()
        if p is None:
            messages.info(self, "一线锻炼", "请先选择一条选派记录。")
            return None
        try:
            return postings.get_posting(p.id)
        except CadreDeskError as exc:
            messages.error(self, "一线锻炼", exc)
            self.reload_all()
            return None

    def start_selected(self) -> None:
        p = self._fresh_selected()
        if p is not None:
            self._run_dialog(StartDialog(p, self))

    def finish_selected(self) -> None:
        p = self._fresh_selected()
        if p is not None:
            self._run_dialog(ReviewDialog(self.context, p, self))

    def review_selected(self) -> None:
        """期满鉴定 of a 期满 posting: opinions that come later, the outcome and its result."""
        p = self._fresh_selected()
        if p is not None:
            self._run_dialog(ReviewDialog(self.context, p, self))

    def print_reviews(self) -> None:
        """一线锻炼鉴定表 of the 期满 postings chosen, each alone on its page."""
        from ui.printing import record_prints

        record_prints.print_reviews(self.context, self.selected_postings(), parent=self)

    def recall_selected(self) -> None:
        p = self._fresh_selected()
        if p is not None:
            self._run_dialog(RecallDialog(p, self))

    def correct_selected(self) -> None:
        p = self._fresh_selected()
        if p is not None:
            self._run_dialog(CorrectDialog(self.context, p, self))

    def withdraw_selected(self) -> None:
        shown = self.selected_posting()  # as listed: another's change since is asked about
        p = self._fresh_selected()
        if p is None or shown is None:
            return
        if not messages.confirm(self, "撤销拟选派", f"撤销{p.cadre_name}到“{p.post_name}”的拟选派？", "撤销",
                                danger=True):
            return
        if messages.attempt_delete(self, "撤销拟选派",
                                   lambda overwrite: postings.delete_posting(p.id, shown.version, overwrite=overwrite),
                                   verb="撤销"):
            self.changed()

    def create_mentoring_pair(self) -> None:
        """导师帮带 for the selected posting's cadre, linked to that posting."""
        p = self.selected_posting()
        if p is None:
            messages.info(self, "建立导师帮带", "请先选择一条选派记录。")
            return
        from ui.mentoring import pair_dialogs

        pair_dialogs.create_pair_dialog(self.context, p.cadre_id, posting_id=p.id, parent=self)

    def match_for_post(self) -> None:
        post = self.current_post()
        if post is None:
            messages.info(self, "人岗匹配", "请先在左侧选择一个锻炼岗位。")
            return
        self._run_dialog(MatchDialog(self.context, post.id, self))

    def open_profile(self) -> None:
        p = self.selected_posting()
        if p is not None:
            self.context.open_profile(p.cadre_id, self)

    def _splitters(self) -> dict[str, QSplitter]:
        """Where the clerk drew the page's borders, by their settings keys."""
        return {"postings/splitter": self.splitter, "postings/table_splitter": self.right_split}

    def save_state(self) -> None:
        self.bottom.save()  # first: the detail at the clerk's height, not grown to the posting chosen
        save_splitters(self._splitters())


# ---- the cadre list's batch action ----------------------------------------------------------------

def post_selected_cadres(context: AppContext, cadre_ids: list[int]) -> None:
    parent = context.main_window
    if not frontline_posts.list_posts():
        messages.info(parent, "选派到一线岗位", "还没有锻炼岗位，请先在“一线锻炼”页新增岗位。")
        return
    dialog = BatchPostDialog(context, cadre_ids, parent=parent)
    if not dialog.cadre_ids:  # everyone chosen is on a frontline posting already: nobody to post
        messages.warning(parent, "选派到一线岗位", f"所选干部都已在一线岗位锻炼，同一时间只能在一个岗位锻炼：\n"
                                                   f"{busy_text(dialog.busy)}")
        dialog.deleteLater()
        return
    if dialog.exec() == QDialog.Accepted:
        context.data_changed.emit("postings")
        context.status_message.emit(dialog.batch_result.summary().splitlines()[0] if dialog.batch_result else "")


def show_reminders(context: AppContext) -> None:
    window = context.main_window
    page = window.show_module("postings") if window is not None else None
    if page is not None:
        page.reload_reminders()
        page.bottom.show_reminders()


# ---- opened from a reminder of the 工作台 ----------------------------------------------------------

def open_posting(context: AppContext, posting_id: int) -> None:
    """The 一线锻炼 page, every filter cleared, the posting selected (once the rows are in)."""
    page = context.main_window.show_module("postings") if context.main_window is not None else None
    if page is not None:
        page.clear_filters()
        page.select_posting(posting_id)


def open_post(context: AppContext, post_id: int) -> None:
    """The 一线锻炼 page with the post chosen in the tree (its details and postings shown)."""
    page = context.main_window.show_module("postings") if context.main_window is not None else None
    if page is not None:
        page.lines_tree.choose_post(post_id)
