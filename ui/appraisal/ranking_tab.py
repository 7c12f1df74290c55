"""赛马比选 tab: the ranking within a line or a post over its periods — a chart of the chosen period and a
table grouped by post, then period, with each cadre's movement against the previous period (↑2, ↓1, 新);
or the ranking of any one appraisal sheet. Export (Excel) and print (PDF) what is shown."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.appraisal import appraisals, grading, racing
from cadre_desk.appraisal.scoring import EXCELLENT, score_text
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import RACE_LIST, RANKING, RANKING_LIST
from ui.appraisal.common import GREEN, GREY, RED
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.columns import widen_to_cells, widen_to_titles
from ui.widgets.rows_model import RowsModel, list_columns, make_table

CHART_TOP = racing.CHART_TOP  # the chart shows the first 20 of a period; the table all of them
CHART_NAME_CHARS = 8  # a longer name is shortened on the chart's axis (whole on hovering its bar)
UP, NEW_COLOUR = GREEN, "#2F6FB0"


@dataclass(frozen=True)
class RaceRow:
    """A table row: the entry, and whether it opens its post's or its period's group."""

    entry: racing.RaceEntry
    first_of_post: bool
    first_of_period: bool

    def __getattr__(self, name):  # the registry's columns read the entry's fields
        return getattr(self.entry, name)


def race_rows(race: racing.Race) -> list[RaceRow]:
    rows, post, period = [], None, None
    for entry in race.entries:
        new_post = entry.post_name != post
        new_period = new_post or entry.period != period
        rows.append(RaceRow(entry, new_post, new_period))
        post, period = entry.post_name, entry.period
    return rows


def movement_colour(row) -> object:
    text = row.movement
    if text.startswith("↑"):
        return UP
    if text.startswith("↓"):
        return RED
    return NEW_COLOUR if text == racing.NEW else None


class RankingTab(QWidget):
    def __init__(self, context: AppContext | None, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.current_race: racing.Race | None = None
        self.sheet = QComboBox()  # 比选范围: a line or a post (its periods), or one appraisal sheet
        self.sheet.setMinimumWidth(320)
        self.period = QComboBox()
        self.period.setMinimumWidth(130)
        self.period_label = QLabel("图表期间")
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText("按单位名称筛选")
        self.unit_filter.setClearButtonEnabled(True)
        self.export_button = QPushButton("导出…")
        self.print_button = QPushButton("打印…")  # the tips say what the current choice writes (_show_tips)
        allowed = context.allows if context is not None else (lambda _action: False)
        self.export_button.setVisible(allowed(permissions.EXPORT))
        self.print_button.setVisible(allowed(permissions.PRINT))
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_race)

        # one sheet: its ranking as before
        self.model = RowsModel(list_columns(RANKING, RANKING_LIST, {  # the export writes the same list
            "rank": {"value": lambda r: r.rank if r.rank is not None else "—"},
            "total": {"value": lambda r: score_text(r.total)},  # 75.90, as the documents print it
            "positive": {"value": lambda r: r.positive or ""},
            "negative": {"value": lambda r: r.negative or ""}}))
        self.model.foreground = lambda r: GREEN if r.grade == EXCELLENT else None
        self.table = make_table(self.model, stretch=2, row_numbers=False)
        self.table.doubleClicked.connect(lambda index: self._open(self.model.row(index)))
        # a line or a post: grouped by post, then period, with the movement
        self.race_model = RowsModel(list_columns(RANKING, RACE_LIST, {  # narrower than the registry's: beside the chart
            "post_name": {"value": lambda r: r.post_name if r.first_of_post else "", "width": 168,
                          "tooltip": lambda r: r.post_name},
            "period_label": {"value": lambda r: r.period_label if r.first_of_period else "", "width": 100},
            "rank": {"value": lambda r: r.rank if r.rank is not None else "—", "width": 40},
            "movement": {"foreground": movement_colour, "width": 62},
            "name": {"width": 64}, "total": {"value": lambda r: score_text(r.total), "width": 52}, "grade": {"width": 60},
            "unit_name": {"width": 110, "tooltip": True}}), row_numbers=False)
        self.race_model.bold = lambda r: r.first_of_period
        # 锻炼岗位 takes what is left (cut with 「…」, whole on hover; written once per post): with the unit
        # taking it, a clerk's wide 名次 header pushed the unit past the table's edge at 1366×768
        self.race_table = make_table(self.race_model, stretch=RACE_LIST.index("post_name"), row_numbers=False)
        self.race_table.doubleClicked.connect(lambda index: self._open(self.race_model.row(index)))
        self.tables = QStackedWidget()
        self.tables.addWidget(self.race_table)
        self.tables.addWidget(self.table)

        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_view: QWidget = QLabel("")
        self.chart_layout.addWidget(self.chart_view)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.chart_box)
        self.splitter.addWidget(self.tables)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([440, 660])  # the chart's names and bars need room; the table scrolls

        self.note = QLabel("按总分从高到低排名，同分并列（如 1、2、2、4）；评分未完成者不排名。名次变化与上一期相比："
                           "↑ 上升、↓ 下降、— 持平、新 上期未参加比选。双击一行打开干部档案。")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {GREY.name()};")
        top = QHBoxLayout()
        top.addWidget(QLabel("比选范围"))
        top.addWidget(self.sheet, 1)
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addWidget(self.unit_filter)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note)
        self.sheet.currentIndexChanged.connect(lambda _i: self.load())
        self.period.currentIndexChanged.connect(lambda _i: (self._show_chart(), self._show_tips()))
        self.unit_filter.textChanged.connect(lambda _t: (self._show_rows(), self._show_tips()))
        if load:
            self.reload_sheets()

    # ---- choosing ----------------------------------------------------------------------------------
    def reload_sheets(self) -> None:
        """The lines and posts that have sheets (a race each), then every other sheet on its own."""
        current = self.sheet.currentData()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        fields = racing.race_fields()
        for field in fields:
            self.sheet.addItem(field.title, ("race", field.kind, field.ref))
        raced = {(f.kind, f.ref) for f in fields}
        for info in appraisals.list_sheets():
            if (info.group_kind, info.group_ref) in raced:
                continue
            self.sheet.addItem(f"{info.title}（{info.members} 人，{'已定稿' if info.finalized else '评分中'}）",
                               ("sheet", info.id))
        index = self.sheet.findData(current)
        self.sheet.setCurrentIndex(index if index >= 0 else (0 if self.sheet.count() else -1))
        self.sheet.blockSignals(False)
        self.load()

    def select(self, key: tuple) -> None:
        # compared here: findData matches a Python tuple only when it is the very object stored
        index = next((i for i in range(self.sheet.count()) if self.sheet.itemData(i) == key), -1)
        if index >= 0:
            self.sheet.setCurrentIndex(index)

    def load(self) -> None:
        key = self.sheet.currentData()
        try:
            self.current_race = racing.load(key) if key else None
        except CadreDeskError as exc:
            self.current_race = None
            messages.error(self, "赛马比选", exc)
        race = self.current_race
        many = race is not None and key[0] == "race"
        self.tables.setCurrentWidget(self.race_table if many else self.table)
        self.period.blockSignals(True)
        self.period.clear()
        for period in (race.periods if race else ())[::-1]:  # the latest first
            self.period.addItem(period.label, period.period)
        self.period.setCurrentIndex(0 if self.period.count() else -1)
        self.period.blockSignals(False)
        self.period.setVisible(many)
        self.period_label.setVisible(many)
        for button in (self.export_button, self.print_button):
            button.setEnabled(race is not None and bool(race.entries))
        rank = race.rank_title() if race is not None else racing.RANK  # 名次（全部5人）: a clerk's 3 of 5
        # on two lines, as the PDF prints it: on one, 名次（各期全部人员） took the width of three names and
        # pushed 单位 out of sight at 1366×768 (a clerk's view; the workbook's header has the same words)
        rank = rank.replace("（", "\n（", 1)
        self.model.set_title("rank", rank)
        self.race_model.set_title("rank", rank)
        widen_to_titles(self.table)
        widen_to_titles(self.race_table)
        self._show_rows()
        self._show_chart()
        self._show_tips()

    # ---- showing -----------------------------------------------------------------------------------
    def _show_rows(self) -> None:
        race, text = self.current_race, self.unit_filter.text().strip()
        if race is None:
            self.model.set_rows([])
            self.race_model.set_rows([])
            return
        key = self.sheet.currentData()
        if key[0] == "sheet":
            rows = grading.ranking(key[1])
            self.model.set_rows([r for r in rows if text in r.unit_name] if text else rows)
            return
        entries = [e for e in race.entries if text in e.unit_name] if text else list(race.entries)
        self.race_model.set_rows(race_rows(racing.Race(race.field, race.periods, tuple(entries))))
        # a period's first rows are bold: its 2026年第2季度 and 基本称职 whole in a wider font (the bundled one)
        widen_to_cells(self.race_table, [RACE_LIST.index(k) for k in RACE_LIST if k != "post_name"], bold=True)

    def chart_period(self) -> str | None:
        race = self.current_race
        if race is None or not race.periods:
            return None
        return self.period.currentData() or race.periods[-1].period

    def _show_chart(self) -> None:
        race, period = self.current_race, self.chart_period()
        old = self.chart_view
        if race is None or period is None or not race.ranking(period):
            view = QLabel("（无可比选的数据）")
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            view = ranking_chart(race, period)
        self.chart_layout.replaceWidget(old, view)
        old.deleteLater()
        self.chart_view = view

    def _open(self, row) -> None:
        if row is not None and self.context is not None:
            self.context.open_profile(row.cadre_id, self)

    # ---- export and print ----------------------------------------------------------------------------
    def _show_tips(self) -> None:
        """What 导出 and 打印 write for the current choice: one sheet is written as its ranking is listed
        here; a line or a post as the grouped table and the chosen period's ranking (the tip said only
        the latter while one sheet wrote its own ranking)."""
        race, key = self.current_race, self.sheet.currentData()
        if race is None or not race.periods:
            self.export_button.setToolTip("导出为 Excel：所选比选范围的排名（暂无可比选的数据）")
            self.print_button.setToolTip("生成 PDF：所选比选范围的排名（暂无可比选的数据）")
            return
        label = self.period.currentText() or race.periods[-1].label
        everyone = "；导出全部人员，不按单位筛选" if self.unit_filter.text().strip() else ""
        if key[0] == "sheet":
            columns = "、".join(RANKING.label_of(k) for k in RANKING_LIST)
            self.export_button.setToolTip(f"导出为 Excel：一张表「{label}排名」，即本页所列的本考核表排名"
                                          f"（{columns}），附总分条形图{everyone}")
            self.print_button.setToolTip(f"生成 PDF：本考核表{label}的总分图表和排名表")
            return
        self.export_button.setToolTip(f"导出为 Excel：两张表——「分组排名」按{race.group_title}、期间列出各期名次和"
                                      f"名次变化；「{label}排名」为图表所选期间的排名，附总分条形图{everyone}")
        self.print_button.setToolTip(f"生成 PDF：{label}的总分图表，及按{race.group_title}、期间的分组排名表")

    def export(self) -> None:
        key, period = self.sheet.currentData(), self.chart_period()
        if key is None or self.context is None:
            return
        from ui.exchange import exchange_view

        def write(path, progress, reason=""):
            from reports.excel import excel_workbooks

            return excel_workbooks.export_race(path, progress, key=key, period=period, reason=reason)

        exchange_view.export_workbook(self.context, "导出赛马比选", f"赛马比选_{self.current_race.field.label}", write)

    def print_race(self) -> None:
        key, period = self.sheet.currentData(), self.chart_period()
        if key is None or self.context is None:
            return
        from ui.printing.print_view import print_document

        def work(path, progress, reason):
            from reports.pdf import race_sheet

            return race_sheet.export_race_pdf(path, progress, key=key, period=period, reason=reason)

        print_document(self.context, "打印赛马比选", f"赛马比选_{self.current_race.field.label}", work)


def ranking_chart(race: racing.Race, period: str) -> QWidget:
    """The period's ranking as bars of the total score (the first CHART_TOP), each cadre named with
    their place and their movement against the previous period."""
    from ui.widgets import charts

    ranked = race.ranking(period)
    rows = [e for e in ranked if e.total is not None][:CHART_TOP]
    labels = [f"{e.rank or '—'}. {_short(e.name)} {e.movement}".rstrip() for e in rows]
    tips = [f"{e.rank or '—'}. {e.name} {e.movement}".rstrip() for e in rows]
    # the totals as the table beside the chart gives them (81.99, not 82; 75.90, not 75.9); the title says
    # what the table's 名次 says (a clerk's 3 of 5: 排名（全部5人中的 3 人）)
    return charts.bar_chart(race.chart_title(period), labels,
                            [("总分", [round(e.total, 2) for e in rows])], horizontal=True, unit="分",
                            value_format="%d", maximum=100, tips=tips, value_text=score_text)


def _short(name: str) -> str:
    """A name for the chart's axis: QtCharts cut a long one (买买提江·阿不都热合曼·吐尔逊托合提) at the chart's
    left edge, place and all; hovering the bar gives it whole."""
    return name if len(name) <= CHART_NAME_CHARS else name[:CHART_NAME_CHARS - 1] + "…"
