"""The two filter rows over the 一线锻炼 table: 战线, 岗位, 状态 / 渠道, 原单位, 到期, 清除条件, and the
count of the rows shown at the right. The filters work on the postings the page has loaded, in memory
(``filtered``); a choice of the clerk's is said by ``changed``, the page then filters again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from cadre_desk.postings import posting_data, postings
from cadre_desk.units import units
from ui.widgets import choices


def filter_combo(items, all_text: str) -> QComboBox:
    """``all_text`` (no filter), then each of ``items``."""
    combo = QComboBox()
    combo.addItem(all_text, None)
    for value in items:
        combo.addItem(value, value)
    return combo


class PostingFilters(QWidget):
    """The filters' two rows, ``spacing`` pixels apart, and the count label."""

    changed = Signal()  # the clerk changed a filter (or cleared them): the rows are filtered again
    cleared = Signal()  # 清除条件 (before ``changed``): the page lets go of the tree's line or post too

    def __init__(self, spacing: int):
        super().__init__()
        self.lines: list[posting_data.LineInfo] = []
        self.posts: list[posting_data.PostInfo] = []
        self._unit_paths: dict[int, str] = {}
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
        clear.clicked.connect(self.clear)
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
        filters2.addStretch(1)  # then the count, right-aligned
        self.count_label = QLabel()
        # Room for the longest text up front: the row is not laid out again when the text grows.
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance(
            "共 000000 条，其中在岗及拟选派 000000 条"))
        self.count_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        filters2.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(spacing)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        self.fill_units()
        for combo in (self.post_filter, self.state_filter, self.channel_filter, self.unit_filter):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.line_filter.currentIndexChanged.connect(lambda _i: self._on_line_filter())
        self.ending_filter.valueChanged.connect(lambda _v: self.changed.emit())

    # ---- the choices ---------------------------------------------------------------------------------
    def set_lines(self, lines: list[posting_data.LineInfo], posts: list[posting_data.PostInfo]) -> None:
        """The lines and posts as read now, in their filters (the choice kept where it still is)."""
        self.lines, self.posts = lines, posts
        self.fill_lines()

    def fill_lines(self) -> None:
        current = self.line_filter.currentData()
        self.line_filter.blockSignals(True)
        self.line_filter.clear()
        self.line_filter.addItem("全部战线", None)
        for line in self.lines:
            self.line_filter.addItem(line.name, line.id)
        self.line_filter.setCurrentIndex(max(0, self.line_filter.findData(current)))
        self.line_filter.blockSignals(False)
        self.fill_posts()

    def fill_posts(self) -> None:
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

    def fill_units(self) -> None:
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
        self.fill_posts()
        self.changed.emit()

    def follow_tree(self, line: posting_data.LineInfo | None, post: posting_data.PostInfo | None) -> None:
        """The line and post chosen in the tree, in their filters (no ``changed``: the page filters)."""
        self.line_filter.blockSignals(True)
        self.post_filter.blockSignals(True)
        self.line_filter.setCurrentIndex(max(0, self.line_filter.findData(line.id if line else None)))
        self.fill_posts()
        self.post_filter.setCurrentIndex(max(0, self.post_filter.findData(post.id if post else None)))
        self.line_filter.blockSignals(False)
        self.post_filter.blockSignals(False)

    def clear(self) -> None:
        for combo in (self.line_filter, self.post_filter, self.state_filter, self.channel_filter,
                      self.unit_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.ending_filter.blockSignals(True)
        self.ending_filter.setValue(0)
        self.ending_filter.blockSignals(False)
        self.fill_posts()
        self.cleared.emit()
        self.changed.emit()

    # ---- the rows --------------------------------------------------------------------------------------
    def _unit_subtree(self, unit_id: int) -> set[int]:
        path = self._unit_paths.get(unit_id)
        if path is None:
            return {unit_id}
        return {uid for uid, p in self._unit_paths.items() if p.startswith(path)}

    def filtered(self, rows: list[posting_data.PostingInfo]) -> list[posting_data.PostingInfo]:
        """``rows`` through the filters chosen."""
        unit_id = self.unit_filter.currentData()
        return postings.filter_postings(
            rows, state=self.state_filter.currentData(), line_id=self.line_filter.currentData(),
            post_id=self.post_filter.currentData(), channel=self.channel_filter.currentData(),
            unit_ids=self._unit_subtree(unit_id) if unit_id is not None else None,
            ending_within_days=self.ending_filter.value() or None)
