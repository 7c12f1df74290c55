"""一线锻炼: lines → posts tree with filled/capacity, the postings table with filters and actions,
the reminders of this capability; plus the 一线经历 profile tab and the cadre list's batch action."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain.dates import format_period
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.postings import frontline_posts, posting_data, posting_reminders, posting_review, postings
from cadre_desk.units import units
from ui.postings.bottom_pane import PostingBottom
from ui.postings.line_post_dialogs import LineDialog, PostDialog
from ui.postings.match_dialog import MatchDialog
from ui.postings.posting_dialogs import (
    BatchPostDialog,
    CorrectDialog,
    NewPostingDialog,
    RecallDialog,
    ReviewDialog,
    StartDialog,
)
from ui.postings.posting_table import HIDDEN_AT_FIRST, filter_combo, posting_detail, posting_model
from ui.shell.context import AppContext
from ui.widgets import choices, messages
from ui.widgets.columns import ColumnChooser, share_by_content
from ui.widgets.record_list import button_row
from ui.widgets.rows_model import make_table
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
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["战线 / 锻炼岗位", "已派/容量"])
        self.tree.headerItem().setToolTip(1, "在岗和拟选派人数 / 岗位容量")
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        # The table follows the item the clerk chose (selected), not the current one: Qt makes the first
        # item current, unselected, when the tree gets the focus (a Tab into it, or the page shown on its
        # own, the tree its first widget) — no choice of the clerk's, and the table stays unfiltered.
        self.tree.itemSelectionChanged.connect(self._on_tree_selected)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_tree_item())
        self.add_line_button = QPushButton("新增战线")
        self.add_post_button = QPushButton("新增岗位")
        self.edit_button = QPushButton("编辑")
        self.retire_button = QPushButton("停用")
        self.add_line_button.clicked.connect(self.add_line)
        self.add_post_button.clicked.connect(self.add_post)
        self.edit_button.clicked.connect(self.edit_tree_item)
        self.retire_button.clicked.connect(self.toggle_retire)
        tree_buttons = QHBoxLayout()
        for button in (self.add_line_button, self.add_post_button, self.edit_button, self.retire_button):
            button.setEnabled(not self.config_refusal)
            button.setToolTip(self.config_refusal or "")
            tree_buttons.addWidget(button)
        self.post_detail = QLabel()
        self.post_detail.setWordWrap(True)
        self.post_detail.setTextFormat(Qt.RichText)
        self.post_detail.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.post_detail.setMinimumHeight(120)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("战线与锻炼岗位"))
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(tree_buttons)
        left_layout.addWidget(self.post_detail)

        # right: filters, table, actions, reminders
        self.line_filter = QComboBox()
        self.post_filter = QComboBox()
        self.post_filter.setMinimumWidth(220)
        self.state_filter = filter_combo(posting_data.STATES, "全部状态")
        self.channel_filter = filter_combo(posting_data.CHANNELS, "全部渠道")
        self.line_filter.setMinimumWidth(110)
        self.state_filter.setMinimumWidth(95)
        self.channel_filter.setMinimumWidth(95)
        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumWidth(160)
        self.ending_filter = QSpinBox()
        self.ending_filter.setRange(0, 3650)
        self.ending_filter.setSpecialValueText("不限")
        self.ending_filter.setSuffix(" 天内到期")
        self.ending_filter.setMinimumWidth(110)
        self.ending_filter.setToolTip("在岗和拟选派中，计划结束时间在 N 天内的记录（含已超期的）")
        clear = QPushButton("清除条件")
        clear.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for label, widget in (("战线", self.line_filter), ("岗位", self.post_filter), ("状态", self.state_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        filters2 = QHBoxLayout()
        for label, widget in (("渠道", self.channel_filter), ("原单位", self.unit_filter),
                              ("到期", self.ending_filter)):
            filters2.addWidget(QLabel(label))
            filters2.addWidget(widget)
        filters2.addWidget(clear)
        filters2.addStretch(1)  # then the count, right-aligned (below)

        self.model = posting_model(self)
        self.table = make_table(self.model, sorting=True)
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
            ("recall", "提前召回", self.recall_selected), ("correct", "修改/更正", self.correct_selected),
            ("withdraw", "撤销拟选派", self.withdraw_selected)), row=QVBoxLayout(), stretch=False)
        action_column.addSpacing(12)
        button_row(self.actions, (
            ("mentor", "建立导师帮带…", self.create_mentoring_pair), ("match", "人岗匹配", self.match_for_post),
            ("profile", "查看档案", self.open_profile)), row=action_column)
        action_column.setContentsMargins(0, 0, 0, 0)
        self.count_label = QLabel()
        # Room for the longest text up front: the row is not laid out again when the text grows.
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance(
            "共 000000 条，其中在岗及拟选派 000000 条"))
        self.count_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        filters2.addWidget(self.count_label)

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
        right_layout.addLayout(filters)
        right_layout.addLayout(filters2)
        work_area = QHBoxLayout()
        work_area.addWidget(self.right_split, 1)
        work_area.addLayout(action_column)
        right_layout.addLayout(work_area, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
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
        self._load_task = None
        self._pending_select: int | None = None
        self.reminders_loading = False
        self._reminder_task = None
        self._unit_paths: dict[int, str] = {}
        self._fill_units()
        self.reload_all()
        for combo in (self.post_filter, self.state_filter, self.channel_filter, self.unit_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.line_filter.currentIndexChanged.connect(lambda _i: self._on_line_filter())
        self.ending_filter.valueChanged.connect(lambda _v: self.apply_filters())
        context.data_changed.connect(self._on_data_changed)
        context.cadres_changed.connect(lambda _ids: self.reload_postings())
        context.units_changed.connect(self._fill_units)
        self.bottom.restore()
        restore_splitters(self._splitters())
        forget_settings(RETIRED_SETTINGS)

    # ---- loading --------------------------------------------------------------------------------
    def reload_all(self) -> None:
        self.lines = frontline_posts.list_lines()
        self.posts = frontline_posts.list_posts()
        self._fill_tree()
        self._fill_line_filter()
        self.reload_postings()
        self.reload_reminders()

    def reload_reminders(self) -> None:
        """The reminders scan every active posting: read off the GUI thread too."""
        self.reminders_loading = True

        def done(items) -> None:
            if task is not self._reminder_task or not shiboken6.isValid(self):
                return
            self.reminders_loading = False
            self.bottom.set_reminders(items)

        def failed(message: str) -> None:
            if task is not self._reminder_task or not shiboken6.isValid(self):
                return
            self.reminders_loading = False
            self.bottom.reminders_failed(message)

        task = self.context.tasks.start(lambda _p: posting_reminders.reminders(), on_done=done, on_error=failed)
        self._reminder_task = task

    def _on_data_changed(self, what: str) -> None:
        if what == "postings":
            self.reload_all()

    def changed(self) -> None:
        self.reload_all()
        self.context.data_changed.emit("postings")

    def _fill_tree(self) -> None:
        current = self._tree_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        by_line: dict[int, list[posting_data.PostInfo]] = {}
        for post in self.posts:
            by_line.setdefault(post.line_id, []).append(post)
        select = None
        for line in self.lines:
            posts = by_line.get(line.id, [])
            filled = sum(p.filled for p in posts)
            capacity = sum(p.capacity for p in posts)
            title = line.name + ("（已停用）" if line.retired else "")
            item = QTreeWidgetItem([title, f"{filled}/{capacity}"])
            item.setData(0, Qt.UserRole, ("line", line.id))
            item.setToolTip(0, f"{line.name}：默认锻炼 {line.default_months} 个月，{len(posts)} 个岗位")
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            if line.retired:
                item.setForeground(0, QBrush(QColor("#888888")))
            self.tree.addTopLevelItem(item)
            if current == ("line", line.id):
                select = item
            for post in posts:
                child = QTreeWidgetItem([post.name, f"{post.filled}/{post.capacity}"])
                child.setData(0, Qt.UserRole, ("post", post.id))
                child.setToolTip(0, f"{post.host}\n{post.duties}")
                if post.filled < post.capacity:
                    child.setForeground(1, QBrush(QColor("#b36b00")))
                item.addChild(child)
                if current == ("post", post.id):
                    select = child
            item.setExpanded(not line.retired)
        self.tree.blockSignals(False)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._update_tree_buttons()

    def _fill_line_filter(self) -> None:
        current = self.line_filter.currentData()
        self.line_filter.blockSignals(True)
        self.line_filter.clear()
        self.line_filter.addItem("全部战线", None)
        for line in self.lines:
            self.line_filter.addItem(line.name, line.id)
        self.line_filter.setCurrentIndex(max(0, self.line_filter.findData(current)))
        self.line_filter.blockSignals(False)
        self._fill_post_filter()

    def _fill_post_filter(self) -> None:
        current = self.post_filter.currentData()
        line_id = self.line_filter.currentData()
        self.post_filter.blockSignals(True)
        self.post_filter.clear()
        self.post_filter.addItem("全部岗位", None)
        for post in self.posts:
            if line_id is None or post.line_id == line_id:
                self.post_filter.addItem(post.name, post.id)
        self.post_filter.setCurrentIndex(max(0, self.post_filter.findData(current)))
        self.post_filter.blockSignals(False)

    def _fill_units(self) -> None:
        current = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem("全部单位", None)
        listed = units.list_units()
        self._unit_paths = {unit.id: unit.path for unit in listed}
        # a clerk's units and those above: the others show nobody
        for text, unit_id in choices.unit_items(listed):
            self.unit_filter.addItem(text, unit_id)
        self.unit_filter.setCurrentIndex(max(0, self.unit_filter.findData(current)))
        self.unit_filter.blockSignals(False)

    def _on_line_filter(self) -> None:
        self._fill_post_filter()
        self.apply_filters()

    def reload_postings(self) -> None:
        """Load every posting off the GUI thread; the newest request wins."""
        self.loading = True
        self.count_label.setText("正在加载…")

        def done(rows) -> None:
            if task is not self._load_task or not shiboken6.isValid(self):
                return
            self.loading = False
            self.all_rows = rows
            self.apply_filters()

        def failed(message: str) -> None:
            if task is not self._load_task or not shiboken6.isValid(self):
                return
            self.loading = False
            self.count_label.setText(f"加载失败：{message}" if message else "")

        task = self.context.tasks.start(lambda _p: postings.visible_postings(), on_done=done, on_error=failed)
        self._load_task = task

    def _unit_subtree(self, unit_id: int) -> set[int]:
        path = self._unit_paths.get(unit_id)
        if path is None:
            return {unit_id}
        return {uid for uid, p in self._unit_paths.items() if p.startswith(path)}

    def apply_filters(self) -> None:
        """The loaded rows through the current filters, in memory (no database)."""
        unit_id = self.unit_filter.currentData()
        rows = postings.filter_postings(
            self.all_rows, state=self.state_filter.currentData(), line_id=self.line_filter.currentData(),
            post_id=self.post_filter.currentData(), channel=self.channel_filter.currentData(),
            unit_ids=self._unit_subtree(unit_id) if unit_id is not None else None,
            ending_within_days=self.ending_filter.value() or None)
        selected = self.selected_posting()
        select_id = self._pending_select or (selected.id if selected is not None else None)
        self._pending_select = None
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and self.table.isSortingEnabled():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if select_id is not None:
            self.select_posting(select_id)
        active = sum(1 for r in rows if r.active)
        self.count_label.setText(f"共 {len(rows)} 条，其中在岗及拟选派 {active} 条")
        self._update_actions()

    def clear_filters(self) -> None:
        for combo in (self.line_filter, self.post_filter, self.state_filter, self.channel_filter,
                      self.unit_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.ending_filter.blockSignals(True)
        self.ending_filter.setValue(0)
        self.ending_filter.blockSignals(False)
        self._fill_post_filter()
        self.apply_filters()

    # ---- tree -----------------------------------------------------------------------------------
    def _tree_key(self):
        """("line", id) or ("post", id) of the item chosen in the tree, or None."""
        chosen = self.tree.selectedItems()
        return chosen[0].data(0, Qt.UserRole) if chosen else None

    def current_line(self) -> posting_data.LineInfo | None:
        key = self._tree_key()
        if key is None:
            return None
        if key[0] == "line":
            return next((line for line in self.lines if line.id == key[1]), None)
        post = self.current_post()
        return next((line for line in self.lines if post and line.id == post.line_id), None)

    def current_post(self) -> posting_data.PostInfo | None:
        key = self._tree_key()
        if key is None or key[0] != "post":
            return None
        return next((p for p in self.posts if p.id == key[1]), None)

    def _on_tree_selected(self) -> None:
        key = self._tree_key()
        self._update_tree_buttons()
        self._show_post_detail()
        if key is None:
            return
        self.line_filter.blockSignals(True)
        self.post_filter.blockSignals(True)
        line = self.current_line()
        self.line_filter.setCurrentIndex(max(0, self.line_filter.findData(line.id if line else None)))
        self._fill_post_filter()
        post = self.current_post()
        self.post_filter.setCurrentIndex(max(0, self.post_filter.findData(post.id if post else None)))
        self.line_filter.blockSignals(False)
        self.post_filter.blockSignals(False)
        self.apply_filters()

    def _show_post_detail(self) -> None:
        from html import escape

        post = self.current_post()
        line = self.current_line()
        if post is not None:
            parts = [f"<b>{escape(post.name)}</b>",
                     f"承接单位：{escape(post.host or '未填')}",
                     f"岗位职责：{escape(post.duties or '未填')}",
                     f"专业要求：{escape(post.requirements or '未填')}",
                     f"面向：{escape(posting_data.category_names(post.wanted_categories) or '不限')}",
                     f"已派/容量：{post.filled}/{post.capacity}（在岗和拟选派）"]
            if post.open_start or post.open_end:
                parts.append(f"开放时间：{format_period(post.open_start, post.open_end, open_end='不限')}")
            if post.party_branch:
                parts.append(f"功能型党支部：{escape(post.party_branch)}")
            if post.party_group:
                parts.append(f"临时党小组：{escape(post.party_group)}")
            if post.host_contact:
                parts.append(f"联系人：{escape(post.host_contact)}")
            self.post_detail.setText("<br>".join(parts))
        elif line is not None:
            self.post_detail.setText(
                f"<b>{escape(line.name)}</b>{'（已停用）' if line.retired else ''}<br>"
                f"默认锻炼期限：{line.default_months} 个月<br>锻炼岗位：{line.post_count} 个")
        else:
            self.post_detail.setText("")

    def _update_tree_buttons(self) -> None:
        line = self.current_line()
        post = self.current_post()
        writable = not self.config_refusal
        self.edit_button.setEnabled(writable and (line is not None))
        self.retire_button.setEnabled(writable and line is not None and post is None)
        self.retire_button.setText("恢复启用" if line is not None and post is None and line.retired else "停用")
        self.add_post_button.setEnabled(writable and not (line is not None and line.retired))

    def _tree_menu(self, pos) -> None:
        self.tree_menu().exec(self.tree.viewport().mapToGlobal(pos))

    def tree_menu(self) -> QMenu:
        """The context menu of the line/post tree for the current item."""
        menu = QMenu(self)
        line, post = self.current_line(), self.current_post()
        writable = not self.readonly
        config = not self.config_refusal  # lines and posts: only an operator of every unit changes them
        menu.setToolTipsVisible(True)
        shared = []
        shared.append(menu.addAction("新增战线…", self.add_line))
        shared[-1].setEnabled(config)
        if line is not None and post is None:
            shared.append(menu.addAction("修改战线…", self.edit_tree_item))
            shared[-1].setEnabled(config)
            shared.append(menu.addAction("恢复启用" if line.retired else "停用战线", self.toggle_retire))
            shared[-1].setEnabled(config)
            shared.append(menu.addAction("删除战线…", self.delete_line))
            shared[-1].setEnabled(config and line.post_count == 0)
        shared.append(menu.addAction("新增岗位…", self.add_post))
        shared[-1].setEnabled(config and not (line and line.retired))
        if post is not None:
            shared.append(menu.addAction("编辑岗位…", self.edit_tree_item))
            shared[-1].setEnabled(config)
            shared.append(menu.addAction("删除岗位…", self.delete_post))
            shared[-1].setEnabled(config)
            menu.addAction("人岗匹配…", self.match_for_post)
            menu.addAction("选派到该岗位…", self.new_posting).setEnabled(writable)
        for action in shared:
            action.setToolTip(self.config_refusal or action.text())
        return menu

    def add_line(self) -> None:
        if LineDialog(parent=self).exec() == QDialog.Accepted:
            self.changed()

    def add_post(self) -> None:
        line = self.current_line()
        if PostDialog(line_id=line.id if line else None, parent=self).exec() == QDialog.Accepted:
            self.changed()

    def edit_tree_item(self) -> None:
        if self.readonly:
            return
        post = self.current_post()
        if post is not None:
            dialog = PostDialog(frontline_posts.get_post(post.id), parent=self)
        else:
            line = self.current_line()
            if line is None:
                return
            dialog = LineDialog(frontline_posts.get_line(line.id), parent=self)
        if dialog.exec() == QDialog.Accepted:
            self.changed()

    def toggle_retire(self) -> None:
        line = self.current_line()
        if line is None:
            return
        if not line.retired and not messages.confirm(
                self, "停用战线", f"停用战线“{line.name}”？\n停用后不能再新增岗位和选派，已有记录保留。", "停用"):
            return
        try:
            frontline_posts.retire_line(line.id, line.version, not line.retired)
        except CadreDeskError as exc:
            messages.error(self, "停用战线", exc)
        self.changed()

    def delete_line(self) -> None:
        line = self.current_line()
        if line is None or not messages.confirm(self, "删除战线", f"删除战线“{line.name}”？", "删除", danger=True):
            return
        # as listed: another's change since is asked about (重新载入对方的修改 / 仍然删除 / 取消)
        if messages.attempt_delete(self, "删除战线",
                                   lambda overwrite: frontline_posts.delete_line(line.id, line.version, overwrite)):
            self.changed()

    def delete_post(self) -> None:
        post = self.current_post()
        if post is None or not messages.confirm(self, "删除岗位", f"删除岗位“{post.name}”？", "删除", danger=True):
            return
        if messages.attempt_delete(self, "删除岗位",
                                   lambda overwrite: frontline_posts.delete_post(post.id, post.version, overwrite)):
            self.changed()

    # ---- postings -------------------------------------------------------------------------------
    def selected_posting(self) -> posting_data.PostingInfo | None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        if not rows:
            return None
        return self.model.rows[rows[0].row()]

    def select_posting(self, posting_id: int) -> None:
        if self.loading:  # selected once the fresh rows are in
            self._pending_select = posting_id
            return
        for row, p in enumerate(self.model.rows):
            if p.id == posting_id:
                self.table.selectRow(row)
                return

    def _update_actions(self) -> None:
        p = self.selected_posting()
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
        if self.bottom.show_detail(self._detail_text(p) if p is not None else "") and p is not None:
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
        for key in ("new", "start", "finish", "review", "recall", "correct", "withdraw", "mentor", "profile"):
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
    if page is None:
        return
    root = page.tree.invisibleRootItem()
    for i in range(root.childCount()):
        line = root.child(i)
        for j in range(line.childCount()):
            if line.child(j).data(0, Qt.UserRole) == ("post", post_id):
                page.tree.setCurrentItem(line.child(j))
                return
