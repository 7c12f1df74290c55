"""Under the 一线锻炼 table: the selected posting's detail and the reminders, each in a tab of its own.

At 1366×768 the table keeps its fifteen rows and the detail its few lines under it; the reminders
beside the detail had two lines there for eighteen reminders. Their tab says how many there are (in
red when one is overdue); choosing it gives the pane the height the reminders need (at most three fifths
of the table's side, the table keeping a few rows), choosing the detail again gives the table its rows
back. Each tab's height is what the clerk last dragged it to, and is kept with the chosen tab.

A posting's detail (its 期满鉴定: three opinions of two lines each) takes more than those few lines:
the detail grows to its text when a posting is chosen, at most DETAIL_SHARE of the table's side (the
table keeping ten rows and more). It does not shrink back with a posting of a line or two: the clerk
moving through the rows with the arrow keys saw the pane, and the table's rows above it, jump at every
step (a 期满, an 在岗, a 提前召回 …); grown, it keeps its height while the rows are gone through, and the
page opens the next day at the clerk's height (save). The detail's text is compact for it
(posting_table.posting_detail).

A tab bar over a stack rather than a QTabWidget: the page's tabs are its QTabWidget's (the screenshot
command draws each as a page of its own, ui/shell/screenshots.py); these are a pane's."""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QSplitter, QStackedWidget, QTabBar, QVBoxLayout, QWidget

from ui.postings.reminder_list import ReminderList
from ui.widgets.window import settings

DETAIL, REMINDERS = 0, 1
REMINDER_SHARE = 0.6  # the most of the split the reminders take when chosen: the table keeps some rows
DETAIL_SHARE = 0.45  # the most a posting's detail grows to: the table keeps ten rows and more
WARNING_COLOUR = "#a01818"


class PostingBottom(QWidget):
    """The detail and the reminders, in the lower part of ``split`` (the table in the upper one)."""

    currentChanged = Signal(int)  # noqa: N815 - as QTabWidget's

    def __init__(self, context, split: QSplitter, detail_height: int, settings_key: str):
        super().__init__()
        self.split, self.settings_key = split, settings_key
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一条选派记录查看鉴定、召回原因等详情")
        self.detail.setMinimumHeight(40)  # what the splitter may shrink it to: two lines
        self.reminders = ReminderList(context)
        self.reminders.setMinimumHeight(40)
        self.bar, self.stack = QTabBar(), QStackedWidget()
        self.bar.setExpanding(False)
        self.bar.setDrawBase(False)
        for widget, title in ((self.detail, "选派详情"), (self.reminders, "提醒事项")):
            self.bar.addTab(title)
            self.stack.addWidget(widget)
        self.bar.setTabToolTip(REMINDERS, "到期、超期、鉴定未完成等提醒；双击一条打开干部档案")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)
        self.bar.currentChanged.connect(self.stack.setCurrentIndex)
        self.bar.currentChanged.connect(self.currentChanged)
        self.heights: dict[int, int | None] = {DETAIL: detail_height, REMINDERS: None}  # None: what they need
        self.shown = DETAIL
        self.fitted: int | None = None  # the detail's height grown to its text: not the clerk's
        self.currentChanged.connect(self._switched)

    # ---- as a QTabWidget -------------------------------------------------------------------------
    def currentIndex(self) -> int:  # noqa: N802 - as QTabWidget's
        return self.bar.currentIndex()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - as QTabWidget's
        self.bar.setCurrentIndex(index)

    def currentWidget(self) -> QWidget:  # noqa: N802 - as QTabWidget's
        return self.stack.currentWidget()

    def tabText(self, index: int) -> str:  # noqa: N802 - as QTabWidget's
        return self.bar.tabText(index)

    # ---- the reminders' count ---------------------------------------------------------------------
    def set_reminders(self, items) -> int:
        count = self.reminders.set_items(items)
        self.bar.setTabText(REMINDERS, f"提醒事项（{count}）")
        warned = any(r.level == "warning" for r in items)
        self.bar.setTabTextColor(REMINDERS, QColor(WARNING_COLOUR) if warned else QColor())
        return count

    def reminders_failed(self, message: str) -> None:
        self.bar.setTabText(REMINDERS, "提醒事项（加载失败）" if message else "提醒事项")

    def show_reminders(self) -> None:
        self.setCurrentIndex(REMINDERS)
        self.reminders.setFocus()

    # ---- heights ---------------------------------------------------------------------------------
    def _switched(self, index: int) -> None:
        sizes = self.split.sizes()
        if len(sizes) != 2 or not sum(sizes):
            self.shown = index
            return
        self._keep(sizes[1])  # the tab left keeps the height the clerk gave it
        self.shown = index
        total = sum(sizes)
        if index == DETAIL:
            height = self._detail_height(total)
        else:
            height = self.heights[index] or self.needed_height(total)
        self.split.setSizes([total - height, height])

    def _keep(self, height: int) -> None:
        """The shown tab's height, as the clerk's — unless it is the detail grown to its text."""
        if self.shown != DETAIL or height != self.fitted:
            self.heights[self.shown] = height

    def show_detail(self, text: str) -> bool:
        """``text`` in the detail; when it is the tab shown, grown to the height the text needs (at most
        DETAIL_SHARE of the split) if it has less, never shrunk: the pane keeps its height while the clerk
        moves through the rows. True when the table's height changed."""
        self.detail.setPlainText(text)
        sizes = self.split.sizes()
        if self.shown != DETAIL or len(sizes) != 2 or not sum(sizes) or not self.detail.isVisible():
            return False
        self._keep(sizes[1])
        grown = self.fitted if sizes[1] == self.fitted else None  # grown to an earlier posting's text
        height = self._detail_height(sum(sizes))
        if height <= sizes[1]:
            self.fitted = grown  # still grown: not the clerk's height (save, _keep)
            return False
        self.split.setSizes([sum(sizes) - height, height])
        return True

    def _detail_height(self, total: int) -> int:
        """The detail's text whole (wrapped at its width), at most DETAIL_SHARE of ``total``, at least
        the clerk's height; ``fitted`` when it is more than the clerk's."""
        base = self.heights[DETAIL] or 0
        # Laid out as narrow as with the side scroll bar: at the width without it, a text of a line more
        # there than without showed the bar for the line it took (Qt keeps such a bar).
        bar = self.detail.verticalScrollBar()
        document = QTextDocument()
        document.setDefaultFont(self.detail.font())
        document.setDocumentMargin(self.detail.document().documentMargin())
        document.setPlainText(self.detail.toPlainText())
        document.setTextWidth(self.detail.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width()))
        margins = self.detail.contentsMargins()
        chrome = self.bar.sizeHint().height() + margins.top() + margins.bottom() + 1
        needed = min(math.ceil(document.size().height()) + chrome, int(total * DETAIL_SHARE))
        self.fitted = needed if needed > base else None
        return max(needed, base)

    def needed_height(self, total: int) -> int:
        """The reminders' whole height (wrapped at the list's width), at most REMINDER_SHARE of ``total``,
        at least the detail's."""
        rows = sum(self.reminders.sizeHintForRow(row) + 2 * self.reminders.spacing()
                   for row in range(self.reminders.count()))
        chrome = self.bar.sizeHint().height() + 2 * self.reminders.frameWidth() + 4
        return max(min(rows + chrome, int(total * REMINDER_SHARE)), self.heights[DETAIL] or 0)

    def restore(self) -> None:
        """The tab chosen last time and each tab's height (the split's own sizes come with the page's
        splitters)."""
        store = settings()
        chosen = str(store.value(self.settings_key) or "")
        parts = dict(part.split(":", 1) for part in chosen.split(",") if ":" in part)
        for index, name in ((DETAIL, "detail"), (REMINDERS, "reminders")):
            if parts.get(name, "").isdigit():
                self.heights[index] = int(parts[name])
        if parts.get("tab") == "reminders":
            self.shown = REMINDERS  # first: the switch keeps the heights as they were saved
            self.bar.blockSignals(True)
            self.bar.setCurrentIndex(REMINDERS)
            self.stack.setCurrentIndex(REMINDERS)
            self.bar.blockSignals(False)

    def save(self) -> None:
        """The chosen tab and each tab's height; before the page's splitters are saved: the detail grown
        to a posting's text is saved at the clerk's height (the next day starts with no posting chosen)."""
        sizes = self.split.sizes()
        if len(sizes) == 2 and sum(sizes):
            base = self.heights[DETAIL]
            if self.shown == DETAIL and sizes[1] == self.fitted and base:
                self.split.setSizes([sum(sizes) - base, base])
            self._keep(sizes[1])
        parts = [f"tab:{'reminders' if self.shown == REMINDERS else 'detail'}"]
        parts += [f"{name}:{self.heights[index]}" for index, name in ((DETAIL, "detail"), (REMINDERS, "reminders"))
                  if self.heights[index]]
        settings().setValue(self.settings_key, ",".join(parts))

