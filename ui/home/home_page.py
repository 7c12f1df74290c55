"""工作台: the first page after login — five counts, the charts of the cadres' structure and of the
frontline postings, and the reminders, the most urgent first, each row opening its record with one
click. Everything within the operator's scope (cadre_desk.home).

The page is cheap to build: its figures and reminders are counted off the GUI thread, and the charts
(QtCharts, ui.widgets.charts) are imported and drawn only once the figures are in, after the window
shows. A change anywhere (a posting saved, a cadre edited) counts again, at once when the page is
shown, otherwise when it is next shown."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import REMINDER
from cadre_desk.home import overview, reminders
from ui.shell import registry
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.columns import CELL_PAD, SPARE
from ui.widgets.rows_model import Column, RowsModel, make_table

OVERDUE_COLOUR = QColor("#b3261e")
SOON_COLOUR = QColor("#9a5b00")
# A tile's click shows the page behind its number.
TILE_PAGES = {"serving": "cadres", "on_post": "postings", "mentoring": "mentoring", "quarter_due": "appraisal",
              "unappraised": "postings"}
ALL_CATEGORIES = "全部类别"
# Rows that grow to their wrapped text are measured again at every resize: 3,000 took 0.4 s a step. More
# reminders than this keep one line each (the whole text on hover); a category filter brings fewer.
WRAP_LIMIT = 500


urgency_text = reminders.urgency_text  # the PDF's words too (reports.pdf.home_sheet)


def reminder_columns() -> list[Column]:
    label = REMINDER.label_of
    return [Column(label("urgency"), urgency_text, REMINDER.field("urgency").width),
            Column(label("due"), lambda r: format_date(r.due), REMINDER.field("due").width),
            Column(label("category"), lambda r: r.category, REMINDER.field("category").width),
            Column(label("text"), lambda r: r.text,  # the rest of the row's width, wrapped; also on hover
                   tooltip=lambda r: r.text + ("\n单击打开" if r.opens else ""))]


class CountTile(QFrame):
    """A big number and what it counts; a click shows the page behind it."""

    clicked = Signal(str)

    def __init__(self, key: str, label: str, hint: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setObjectName("countTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{hint}\n单击查看")
        self.value = QLabel("…")
        self.value.setObjectName("countValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel(label)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.label)

    def set_value(self, value: int) -> None:
        self.value.setText(f"{value:,}")

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.key)


class HomePage(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.figures: overview.Overview | None = None
        self.items: list[reminders.Reminder] = []
        self._tasks: dict[str, object] = {}
        self._stale = True
        self._charted: overview.Overview | None = None

        title = QLabel("工作台")
        title.setObjectName("pageTitle")
        self.subtitle = QLabel("正在统计…")
        self.subtitle.setObjectName("hint")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出统计表…")
        self.export_button.setToolTip("工作台的数字和图表，连同各维度统计，导出为 Excel（含图表）")
        self.export_button.clicked.connect(lambda: open_export(context))
        self.print_button = QPushButton("打印工作台…")
        self.print_button.setToolTip("一页 A4 的 PDF：数字、图表、提醒汇总和最紧要的提醒，供开会使用")
        self.print_button.clicked.connect(lambda: print_home(context))
        self.export_button.setVisible(context.allows(permissions.EXPORT))
        self.print_button.setVisible(context.allows(permissions.PRINT))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.subtitle, 1)
        for button in (refresh, self.export_button, self.print_button):
            top.addWidget(button)

        self.tiles: dict[str, CountTile] = {}
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for key, (label, hint) in overview.COUNTS.items():
            tile = self.tiles[key] = CountTile(key, label, hint)
            tile.clicked.connect(self._tile_clicked)
            tiles.addWidget(tile)

        # Charts: placeholders now, the charts themselves once the figures are in.
        self.chart_area = QWidget()
        self.chart_grid = QGridLayout(self.chart_area)
        self.chart_grid.setContentsMargins(0, 0, 0, 0)
        self.chart_grid.setSpacing(6)
        self.chart_cells: dict[str, QWidget] = {}
        for key, (row, column, span) in CHART_CELLS.items():
            waiting = QLabel(f"{overview.CHARTS[key][0]}\n正在统计…")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            waiting.setObjectName("hint")
            self.chart_cells[key] = waiting
            self.chart_grid.addWidget(waiting, row, column, 1, span)
        for row in range(2):
            self.chart_grid.setRowStretch(row, 1)
        for column in range(3):
            self.chart_grid.setColumnStretch(column, 1)

        # Reminders, the most urgent first.
        self.summary = QLabel("正在汇总提醒…")
        self.category = QComboBox()
        self.category.addItem(ALL_CATEGORIES)
        self.category.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.model = RowsModel(reminder_columns(), row_numbers=False)
        self.model.foreground = self._row_colour
        self.model.bold = lambda r: reminders.urgency(r) == reminders.OVERDUE
        self.table = make_table(self.model, row_numbers=False)
        # 期限 as wide as a year's delay in bold in this font (已逾期 302 天 wrapped 天 alone at a fixed width);
        # 到期日期 a date in bold within the cell's margins (the bundled font's thickened bold cut it to
        # 2026.02.…), not a pixel more: the text column beside takes what these leave
        bold = QFont(self.table.font())
        bold.setBold(True)
        self.table.setColumnWidth(0, max(REMINDER.field("urgency").width,
                                         QFontMetrics(bold).horizontalAdvance(f"{reminders.OVERDUE} 999 天")
                                         + CELL_PAD + SPARE))
        margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        self.table.setColumnWidth(1, max(REMINDER.field("due").width,
                                         QFontMetrics(bold).horizontalAdvance("0000.00.00") + 2 * margin + SPARE))
        self.table.setObjectName("reminderTable")
        # A long reminder wraps in a row that grows, so that it is read in full on a 1366×768 screen
        # without hovering: measured when the rows come and when the text column's width changes.
        self.table.setWordWrap(True)
        self._measure = QTimer(self)
        self._measure.setSingleShot(True)
        self._measure.setInterval(0)
        self._measure.timeout.connect(self._fit_rows)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._measure.start())
        self.table.setMouseTracking(True)
        self.table.clicked.connect(self._open_row)
        self.table.activated.connect(self._open_row)  # Enter on the current row
        hint = QLabel("单击一行打开对应记录；逾期的标红。")
        hint.setObjectName("hint")
        head = QHBoxLayout()
        heading = QLabel("工作提醒")
        heading.setObjectName("sectionTitle")
        head.addWidget(heading)
        head.addWidget(self.summary, 1)
        head.addWidget(self.category)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(head)
        column.addWidget(self.table, 1)
        column.addWidget(hint)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.chart_area)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)  # the reminders' text as wide as the charts: read, not cut
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addWidget(self.splitter, 1)

        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(500)
        self._pending.timeout.connect(self._refresh_if_shown)
        context.data_changed.connect(lambda _what: self._changed())
        context.cadres_changed.connect(lambda _ids: self._changed())
        context.units_changed.connect(self._changed)

    # ---- counting ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changed(self) -> None:
        self._stale = True
        self._pending.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def counting(self) -> bool:
        """Whether figures or reminders are still being counted in the background."""
        return any(not task.finished for task in self._tasks.values())

    def refresh(self) -> None:
        """Count the figures and collect the reminders again, each in the background."""
        from cadre_desk.store.db import replacing

        if replacing():  # 加密数据库 has closed it meanwhile: counted once it is open again
            self._stale = True
            self._pending.start()
            return
        self._stale = False
        if not self.context.allows(permissions.READ):  # 系统管理员, 安全审计员: no cadre figures
            return
        self._start("figures", lambda _p: overview.overview(), self.show_overview)
        # the roster index (once loaded) names the cadres: no cadre row read per reminder
        self._start("reminders", lambda _p: reminders.collect(names=self.context.index), self.show_reminders)

    def _start(self, name: str, work, show) -> None:
        running = self._tasks.get(name)
        if running is not None and not running.finished:
            self._stale = True  # counted again when this one is done
            return

        def done(result) -> None:
            if shiboken6.isValid(self):
                show(result)
                if self._stale and all(t.finished for t in self._tasks.values()):
                    self._pending.start()

        def failed(message: str) -> None:
            if not shiboken6.isValid(self) or not message:
                return
            if name == "figures":
                self.subtitle.setText(f"统计失败：{message}")
            else:
                self.summary.setText(f"提醒汇总失败：{message}")

        self._tasks[name] = self.context.tasks.start(work, on_done=done, on_error=failed, soon=True)

    # ---- figures and charts ------------------------------------------------------------------------
    def show_overview(self, figures: overview.Overview) -> None:
        self.figures = figures
        self.subtitle.setText(f"统计范围：{figures.scope_text}　截至 {format_date(figures.day)}")
        for item in figures.counts:
            self.tiles[item.key].set_value(item.value)
        # The numbers paint first; the charts (and the charting library) in the next turn.
        QTimer.singleShot(0, self._draw_charts)

    def _draw_charts(self) -> None:
        figures = self.figures
        if figures is None or figures is self._charted or not shiboken6.isValid(self):
            return
        self._charted = figures
        for chart in figures.charts:
            row, column, span = CHART_CELLS[chart.key]
            old = self.chart_cells[chart.key]
            view = chart_widget(chart)
            self.chart_grid.replaceWidget(old, view)
            old.deleteLater()
            self.chart_cells[chart.key] = view

    # ---- reminders ---------------------------------------------------------------------------------
    def show_reminders(self, items: list[reminders.Reminder]) -> None:
        self.items = items
        current = self.category.currentText()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(ALL_CATEGORIES)
        for name in sorted({r.category for r in items}):
            self.category.addItem(name)
        self.category.setCurrentIndex(max(0, self.category.findText(current)))
        self.category.blockSignals(False)
        self._show_rows()

    def _show_rows(self) -> None:
        category = self.category.currentText()
        rows = [r for r in self.items if category == ALL_CATEGORIES or r.category == category]
        self.model.set_rows(rows)
        self._fit_rows()
        counts = reminders.count_by_urgency(rows)
        overdue, week = counts.get(reminders.OVERDUE, 0), counts.get(reminders.THIS_WEEK, 0)
        if not rows:
            self.summary.setText("暂无提醒")
        else:
            self.summary.setText(f"共 {len(rows)} 条，已逾期 {overdue} 条，本周到期 {week} 条")

    def _fit_rows(self) -> None:
        """Each row as high as its wrapped reminder; past WRAP_LIMIT rows, one line each."""
        if self.model.rowCount() <= WRAP_LIMIT:
            self.table.resizeRowsToContents()
            return
        rows_header = self.table.verticalHeader()
        line = rows_header.defaultSectionSize()
        for row in range(self.model.rowCount()):
            if rows_header.sectionSize(row) != line:
                rows_header.resizeSection(row, line)

    @staticmethod
    def _row_colour(reminder: reminders.Reminder):
        level = reminders.urgency(reminder)
        if level == reminders.OVERDUE:
            return OVERDUE_COLOUR
        if level == reminders.THIS_WEEK or reminder.level == "warning":
            return SOON_COLOUR
        return None

    def _open_row(self, index) -> None:
        reminder = self.model.row(index)
        if reminder is not None:
            open_record(self.context, reminder, self)

    def _tile_clicked(self, key: str) -> None:
        window = self.context.main_window
        if window is not None:
            window.show_module(TILE_PAGES[key])


# ---- charts ---------------------------------------------------------------------------------------

# Where each chart sits in the page's grid: (row, column, columns spanned).
CHART_CELLS = {"age": (0, 0, 1), "education": (0, 1, 1), "gender": (0, 2, 1), "line": (1, 0, 1),
               "host": (1, 1, 2)}


def chart_widget(chart: overview.Chart) -> QWidget:
    """A chart of the 工作台 on screen (pies for shares, horizontal bars for the rest)."""
    from ui.widgets import charts

    if not chart.items:
        empty = QLabel(f"{chart.title}\n（无数据）")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setObjectName("hint")
        return empty
    if chart.kind == "pie":
        view = charts.pie_chart(chart.title, chart.items)
    else:
        view = charts.bar_chart(chart.title, [name for name, _ in chart.items],
                                [("人数", [n for _, n in chart.items])], horizontal=True)
    view.setObjectName(f"chart_{chart.key}")
    return view


# ---- opening a record --------------------------------------------------------------------------------


def open_record(context: AppContext, reminder: reminders.Reminder, parent=None) -> bool:
    """Open what the reminder is about (the cadre's file, the posting, the pair, the unit…)."""
    target = reminder.opens
    if target is None:
        messages.info(parent, "工作提醒", "这条提醒没有对应的记录可打开。")
        return False
    kind, record_id = target
    opener = registry.RECORD_OPENERS.get(kind)
    if opener is None:
        messages.info(parent, "工作提醒", "这条提醒所指的记录不能在窗口中打开。")
        return False
    opener(context, record_id)
    return True


# ---- export and print ---------------------------------------------------------------------------------


def open_export(context: AppContext) -> None:
    from ui.exchange import exchange_view

    exchange_view.export_stats(context)


def print_home(context: AppContext) -> None:
    """打印工作台: a one-page PDF of the counts, charts and the most urgent reminders (for a meeting);
    the reason goes to the audit log."""
    from ui.printing.print_view import print_document

    def work(path, progress, reason):
        from reports.pdf import home_sheet

        return home_sheet.export_home_pdf(path, progress, reason=reason, names=context.index)

    print_document(context, "打印工作台", "工作台", work)
