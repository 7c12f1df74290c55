"""人岗匹配: candidates for a post with their scores, posted from the list."""

from __future__ import annotations

from html import escape
from operator import attrgetter

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
)

from cadre_desk.domain.fields import BY_KEY
from cadre_desk.postings import frontline_posts, post_matching, posting_data
from ui.postings.posting_dialogs import BatchPostDialog
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog
from ui.widgets.rows_model import CENTER, Column, RowsModel, make_table, selected_rows
from ui.widgets.window import resize_to_screen

# ---- matching -------------------------------------------------------------------------------------

def _label(key: str) -> str:
    return BY_KEY[key].label


def candidate_model(parent=None) -> RowsModel:
    """The candidates' rows: what a clerk judges by (age, 职务层次/职级, education, frontline experience)
    beside the score and its reasons, each with its points. Cells wrap (sizing 200 wrapped rows asks for each text
    many times: the accessors are plain attribute reads). Sorted by a header click, in the model."""
    return RowsModel([
        Column("姓名", attrgetter("name"), 62, tooltip=True),
        Column("年龄", lambda c: "" if c.age is None else str(c.age), 42, align=CENTER,
               sort_key=lambda c: (c.age is None, c.age or 0)),
        Column(_label("rank"), attrgetter("rank_name"), 92, tooltip=True),
        Column("学历学位", attrgetter("education"), 110, tooltip=True),
        Column(_label("unit"), attrgetter("unit_name"), 120, tooltip=True),
        Column("一线经历", attrgetter("experience"), 150, tooltip=True),
        Column(_label("specialty"), attrgetter("specialty"), 140, tooltip=True),
        Column(_label("weaknesses"), attrgetter("weaknesses"), 110, tooltip=True),
        Column("匹配分", lambda c: str(c.score), 52, align=CENTER, sort_key=lambda c: -c.score),
        Column("匹配分的理由", attrgetter("explanation"), tooltip=True)], parent)


def candidate_detail(c: posting_data.Candidate) -> str:
    """One candidate in full, for the pane under the list."""
    who = "　".join(x for x in (c.name, c.gender, f"{c.age}岁" if c.age is not None else "", c.rank_name) if x)
    lines = [who, f"{_label('position')}：{c.position or '未填'}（{c.unit_name}）",
             f"学历学位：{c.education or '未填'}",
             f"{_label('categories')}：{c.categories or '无'}",
             f"{_label('specialty')}：{c.specialty or '未填'}；{_label('weaknesses')}：{c.weaknesses or '未填'}",
             f"一线经历：{c.experience}",
             f"匹配分 {c.score}：{c.explanation or '无加减分项'}"]
    return "\n".join(lines)


class MatchDialog(FormDialog):
    """人岗匹配: candidates for a post with their scores explained; select and post them."""

    RESIZE_STEP = 10  # rows sized per turn of the event loop (ten wrapped columns a row: ten rows ≈ 20 ms)

    ok_text = "选派所选干部…"
    cancel_text = "关闭"
    asks_before_closing = False  # a list to choose from: nothing typed to lose

    def __init__(self, context, post_id: int, parent=None):
        self.post = frontline_posts.get_post(post_id)
        super().__init__(parent, f"人岗匹配 — {self.post.name}")
        self.context = context
        self.post_button = self.ok_button
        info = QLabel(
            f"<b>{escape(self.post.line_name)} / {escape(self.post.name)}</b>　"
            f"承接单位：{escape(self.post.host or '未填')}　"
            f"现有 {self.post.filled}/{self.post.capacity} 人"
            f"{'（已满，需先有人期满或召回）' if self.post.filled >= self.post.capacity else ''}<br>专业要求：{escape(self.post.requirements or '未填')}　"
            f"面向：{posting_data.category_names(self.post.wanted_categories) or '不限'}")
        info.setTextFormat(Qt.RichText)
        info.setWordWrap(True)
        # Scoring every serving cadre takes seconds at 100,000 cadres: off the GUI thread, the rows come
        # when done (``loaded``).
        self.model = candidate_model(self)
        self.loaded = False
        self.table = make_table(self.model, stretch=9, multi=True, sorting=True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.resize_rows())
        self.model.layoutChanged.connect(lambda *_: self.resize_rows())  # sorted by a header: heights follow
        self.status = QLabel("正在从在职干部中计算候选人……")
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(125)  # the seven lines of candidate_detail
        self.detail.setPlaceholderText("选中一名候选人，查看其全部情况和匹配分的每一项理由")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        note = QLabel("只列出在职、当前不在一线岗位、属于岗位面向类别的干部；按专业特长契合度和可补短板排序，"
                      "每一分都写明理由，分数只供参考。点列标题可按年龄、职级等排序；选中后点“选派所选干部”。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.body.addWidget(info)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.detail)
        self.body.addWidget(self.status)
        self.body.addWidget(note)
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

    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        rows = self.model.rows
        self.detail.setPlainText(candidate_detail(rows[index.row()]) if index.isValid() and rows else "")

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
        return [c.cadre_id for c in selected_rows(self.table)]

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.resize_rows()

    def make_batch_dialog(self) -> BatchPostDialog | None:
        ids = self.selected_ids()
        if not ids:
            messages.info(self, "人岗匹配", "请先选择候选干部。")
            return None
        return BatchPostDialog(self.context, ids, self.post.id, self)

    def accept(self) -> None:
        """选派所选干部…: the batch dialog for the selected candidates; this one closes once they are posted."""
        self.post_selected()

    def post_selected(self) -> None:
        dialog = self.make_batch_dialog()
        if dialog is not None and dialog.exec() == QDialog.Accepted:
            super().accept()
