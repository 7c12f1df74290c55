"""人岗匹配: candidates for a post with their scores, posted from the list."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from cadre_desk.postings import frontline_posts, post_matching, posting_data
from ui.postings import common
from ui.postings.posting_dialogs import BatchPostDialog
from ui.shell.app import resize_to_screen

# ---- matching -------------------------------------------------------------------------------------

class CandidateModel(QAbstractTableModel):
    COLUMNS = ("姓名", "单位", "干部类别", "专业特长", "短板弱项", "匹配分", "匹配说明")

    def __init__(self, rows: list[posting_data.Candidate], parent=None):
        super().__init__(parent)
        self.set_rows(rows)

    def set_rows(self, rows: list[posting_data.Candidate]) -> None:
        """The cells' texts are built once: sizing 200 wrapped rows asks for each of them many times."""
        self.beginResetModel()
        self.rows = rows
        self._texts = [(c.name, c.unit_name, c.categories, c.specialty, c.weaknesses, str(c.score), c.explanation)
                       for c in rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == Qt.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        return self.COLUMNS[section] if orientation == Qt.Horizontal else str(section + 1)


class MatchDialog(QDialog):
    """人岗匹配: candidates for a post with their scores explained; select and post them."""

    RESIZE_STEP = 20  # rows sized per turn of the event loop

    def __init__(self, context, post_id: int, parent=None):
        super().__init__(parent)
        self.context = context
        self.post = frontline_posts.get_post(post_id)
        self.setWindowTitle(f"人岗匹配 — {self.post.name}")
        info = QLabel(
            f"<b>{self.post.line_name} / {self.post.name}</b>　承接单位：{self.post.host or '未填'}　"
            f"现有 {self.post.filled}/{self.post.capacity} 人"
            f"{'（已满，需先有人期满或召回）' if self.post.filled >= self.post.capacity else ''}<br>专业要求：{self.post.requirements or '未填'}　"
            f"面向：{posting_data.category_names(self.post.wanted_categories) or '不限'}")
        info.setTextFormat(Qt.RichText)
        info.setWordWrap(True)
        # Scoring every serving cadre takes seconds at 100,000 cadres: off the GUI thread, the rows come
        # when done (``loaded``).
        self.model = CandidateModel([], self)
        self.loaded = False
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, width in enumerate((70, 140, 140, 170, 150, 55)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(6, QHeaderView.Stretch)
        header.sectionResized.connect(lambda *_: self.resize_rows())
        self.status = QLabel("正在从在职干部中计算候选人……")
        note = QLabel("只列出在职、当前不在一线岗位、属于岗位面向类别的干部；按专业特长契合度和可补短板排序。"
                      "选中后点“选派所选干部”。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        self.post_button = buttons.addButton("选派所选干部…", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.post_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(note)
        layout.addWidget(buttons)
        resize_to_screen(self, 1280, 680)
        self.batch: BatchPostDialog | None = None
        self.task = context.tasks.start(lambda _p: post_matching.match_candidates(post_id, limit=200),
                                        on_done=self._loaded, on_error=self._failed)

    def _loaded(self, rows: list[posting_data.Candidate]) -> None:
        if not shiboken6.isValid(self):
            return
        self.model.set_rows(rows)
        self.loaded = True
        self.status.setText(f"共 {len(rows)} 名候选人" if rows else "没有符合条件的候选人")
        self.resize_rows()

    def resize_rows(self, start: int = 0) -> None:
        """Wrapped rows sized a few at a time, one turn of the event loop each: measuring 200 rows of
        wrapped text at once held the window a quarter of a second."""
        if start == 0:
            self._resize_generation = getattr(self, "_resize_generation", 0) + 1
        generation = self._resize_generation
        end = min(start + self.RESIZE_STEP, self.model.rowCount())
        for row in range(start, end):
            self.table.resizeRowToContents(row)
        if end < self.model.rowCount():
            QTimer.singleShot(0, self, lambda: generation == self._resize_generation and self.resize_rows(end))

    def _failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            self.loaded = True
            self.status.setText(message or "已取消")

    def done(self, result: int) -> None:
        self.task.cancel()
        super().done(result)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].cadre_id for r in rows]

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.resize_rows()

    def make_batch_dialog(self) -> BatchPostDialog | None:
        ids = self.selected_ids()
        if not ids:
            common.show_info(self, "人岗匹配", "请先选择候选干部。")
            return None
        return BatchPostDialog(self.context, ids, self.post.id, self)

    def post_selected(self) -> None:
        dialog = self.make_batch_dialog()
        if dialog is not None and dialog.exec() == QDialog.Accepted:
            self.accept()
