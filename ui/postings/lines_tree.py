"""The left side of the 一线锻炼 page: the lines (战线) and their posts with filled/capacity, the chosen
one's details under them, and the management of lines and posts (新增战线, 新增岗位, 编辑, 停用, 删除 —
only for an operator of every unit: they are county-wide configuration).

The page's table follows the item the clerk chose (``chosen``); a line or post changed here is said by
``edited`` (the page reloads). What the tree's menu offers of the page (人岗匹配, 选派到该岗位) it is given."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import format_period
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.postings import frontline_posts, posting_data
from ui.postings.line_post_dialogs import LineDialog, PostDialog
from ui.widgets import messages


class LinesTree(QWidget):
    """Lines → posts, their buttons and menu, the chosen item's details."""

    chosen = Signal()  # the clerk chose another line or post (or none)
    edited = Signal()  # a line or post was added, changed, retired or deleted

    def __init__(self, config_refusal: str, readonly: bool, match_for_post: Callable[[], None],
                 new_posting: Callable[[], None]):
        super().__init__()
        # Why this operator may not change the lines and posts, or ""; the page's actions on a post.
        self.config_refusal, self.readonly = config_refusal, readonly
        self.match_for_post, self.new_posting = match_for_post, new_posting
        self.lines: list[posting_data.LineInfo] = []
        self.posts: list[posting_data.PostInfo] = []
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
        self.tree.itemSelectionChanged.connect(self._on_selected)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("战线与锻炼岗位"))
        layout.addWidget(self.tree, 1)
        layout.addLayout(tree_buttons)
        layout.addWidget(self.post_detail)

    # ---- the items --------------------------------------------------------------------------------
    def fill(self, lines: list[posting_data.LineInfo], posts: list[posting_data.PostInfo]) -> None:
        """The lines and posts as read now; the item chosen before chosen again, if it is still there."""
        self.lines, self.posts = lines, posts
        current = self.tree_key()
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

    def tree_key(self):
        """("line", id) or ("post", id) of the item chosen in the tree, or None."""
        chosen = self.tree.selectedItems()
        return chosen[0].data(0, Qt.UserRole) if chosen else None

    def current_line(self) -> posting_data.LineInfo | None:
        key = self.tree_key()
        if key is None:
            return None
        if key[0] == "line":
            return next((line for line in self.lines if line.id == key[1]), None)
        post = self.current_post()
        return next((line for line in self.lines if post and line.id == post.line_id), None)

    def current_post(self) -> posting_data.PostInfo | None:
        key = self.tree_key()
        if key is None or key[0] != "post":
            return None
        return next((p for p in self.posts if p.id == key[1]), None)

    def clear_choice(self) -> None:
        """No line or post chosen (the page's 清除条件)."""
        self.tree.clearSelection()
        self.tree.setCurrentItem(None)

    def choose_post(self, post_id: int) -> bool:
        """The post chosen in the tree (its details shown, the table following); False if it is not there."""
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            line = root.child(i)
            for j in range(line.childCount()):
                if line.child(j).data(0, Qt.UserRole) == ("post", post_id):
                    self.tree.setCurrentItem(line.child(j))
                    return True
        return False

    def _on_selected(self) -> None:
        self._update_tree_buttons()
        self._show_post_detail()
        self.chosen.emit()

    def _show_post_detail(self) -> None:
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

    # ---- the menu and the management of lines and posts --------------------------------------------
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
            self.edited.emit()

    def add_post(self) -> None:
        line = self.current_line()
        if PostDialog(line_id=line.id if line else None, parent=self).exec() == QDialog.Accepted:
            self.edited.emit()

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
            self.edited.emit()

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
        self.edited.emit()

    def delete_line(self) -> None:
        line = self.current_line()
        if line is None or not messages.confirm(self, "删除战线", f"删除战线“{line.name}”？", "删除", danger=True):
            return
        # as listed: another's change since is asked about (重新载入对方的修改 / 仍然删除 / 取消)
        if messages.attempt_delete(self, "删除战线",
                                   lambda overwrite: frontline_posts.delete_line(line.id, line.version, overwrite)):
            self.edited.emit()

    def delete_post(self) -> None:
        post = self.current_post()
        if post is None or not messages.confirm(self, "删除岗位", f"删除岗位“{post.name}”？", "删除", danger=True):
            return
        if messages.attempt_delete(self, "删除岗位",
                                   lambda overwrite: frontline_posts.delete_post(post.id, post.version, overwrite)):
            self.edited.emit()
