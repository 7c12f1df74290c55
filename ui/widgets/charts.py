"""Charts on screen: pies and bars of (category, number) figures, drawn by QtCharts (PySide6-Addons).

QtCharts is widget-native (no QML engine, no GPU context: office PCs, remote desktops and virtual
machines draw it in software like any widget) and costs ~3 MB in the frozen build. Every screen makes
its charts here, so the library is named in this one module; importing it costs 20–100 ms, so screens
import this module when they first draw a chart, never at start-up.

    view = pie_chart("性别", [("男", 58), ("女", 35)])
    view = bar_chart("年龄结构", ["30岁及以下", "31—35岁"], [("人数", [12, 30])], horizontal=True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QToolTip

from cadre_desk.home.overview import CHART_COLOURS

PALETTE = CHART_COLOURS  # the same colours in the same order as the workbook's and the PDF's charts
RIGHT_LEGEND_SHARE = 0.4  # of a chart's width, what QtCharts leaves a legend on its right
LEGEND_MARKER = 34  # a legend line's marker, the space after it and the legend's margins, in pixels
BAR_ROOM = 130  # beside the category labels of horizontal bars: the bars, their numbers, the margins
BAR_THICKNESS = 28  # the most a bar is thick, in pixels: one category alone was one bar filling the chart


def colour(n: int) -> QColor:
    return QColor(PALETTE[n % len(PALETTE)])


def share(part: float, whole: float) -> str:
    """62.0%: a part of a whole as people write it ("—" for an empty whole)."""
    return f"{part / whole * 100:.1f}%" if whole else "—"


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(9.5, font.pointSizeF()))
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # drawn at once, nothing moves
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.setBackgroundRoundness(0)
    chart.layout().setContentsMargins(0, 0, 0, 0)
    return chart


def _view(chart: QChart, parent=None) -> QChartView:
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(180, 160)
    return view


def pie_chart(title: str, items: Sequence[tuple[str, float]], *, unit: str = "人", parent=None) -> QChartView:
    """A pie of ``items``: the legend names each slice with its number, the slice shows its share
    (where it is big enough to hold it), hovering tells both."""
    chart = _chart(title)
    series = QPieSeries()
    total = sum(v for _, v in items)
    tips = []
    for n, (name, value) in enumerate(items):
        piece = series.append(share(value, total), value)
        piece.setColor(colour(n))
        piece.setBorderColor(QColor("white"))
        piece.setLabelVisible(bool(total) and value / total >= 0.12)
        piece.setLabelPosition(piece.LabelPosition.LabelInsideHorizontal)
        piece.setLabelColor(QColor("white"))
        piece.setLabelFont(_small(8.5))
        tips.append(f"{name}：{value:,g}{unit}，占 {share(value, total)}")
    series.setPieSize(0.86)
    series.hovered.connect(lambda piece, state: state and QToolTip.showText(
        _cursor(), tips[series.slices().index(piece)]))
    chart.addSeries(series)
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignRight)
    legend.setMarkerShape(legend.MarkerShape.MarkerShapeCircle)
    legend.setFont(_small(8.5))
    labels = [f"{name} {value:,g}" for name, value in items]
    for marker, label in zip(legend.markers(series), labels, strict=True):
        marker.setLabel(label)
    # wide enough for the longest label (QtCharts would cut it short and add "…")
    longest = QFontMetrics(legend.font()).horizontalAdvance(max(labels, key=len, default=""))
    legend.setMinimumWidth(longest + 48)
    view = _view(chart, parent)
    # QtCharts places a legend on the right at 60 % of the chart's width whatever its own width: a
    # narrower chart cuts the longest label's count at its edge.
    view.setMinimumWidth(max(view.minimumWidth(), math.ceil((longest + LEGEND_MARKER) / RIGHT_LEGEND_SHARE)))
    return view


def _small(points: float) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    return font


def bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
              horizontal: bool = False, unit: str = "人", value_format: str = "%d", maximum: float | None = None,
              tips: Sequence[str] | None = None, value_text: Callable[[float], str] | None = None,
              parent=None) -> QChartView:
    """Bars of one or more ``series`` (name, a value per category) over ``categories``, each bar
    labelled with its value; horizontal bars read their categories top to bottom. ``tips``: what hovering
    a bar names instead of its category (a label shortened for the axis, given whole). ``value_text``: how
    a bar's value is written (one series), on it and when hovering it — QtCharts writes its own labels
    as 75.9 whatever is asked (its 'g' format drops the zero of 75.90)."""
    if value_text is not None and len(series) != 1:
        raise ValueError("value_text: one series only")
    written = value_text or (lambda value: f"{value:g}")
    chart = _chart(title)
    cats = list(categories)
    named = list(tips) if tips is not None else list(cats)
    rows = [(name, list(values)) for name, values in series]
    if horizontal:  # Qt draws the first category at the bottom: the list is turned round
        cats.reverse()
        named.reverse()
        rows = [(name, values[::-1]) for name, values in rows]
    bars = QHorizontalBarSeries() if horizontal else QBarSeries()
    for n, (name, values) in enumerate(rows):
        bar_set = QBarSet(name)
        for value in values:
            bar_set.append(float(value or 0))
        bar_set.setColor(colour(n))
        bar_set.setBorderColor(colour(n))
        bar_set.setLabelColor(QColor("#27313d"))
        bar_set.setLabelFont(_small(8))
        bar_set.hovered.connect(lambda state, index, s=bar_set: state and QToolTip.showText(
            _cursor(), f"{named[index]}：{written(s.at(index))}{unit}" + (f"（{s.label()}）" if len(rows) > 1 else "")))
        bars.append(bar_set)
    bars.setLabelsVisible(value_text is None)
    bars.setLabelsFormat("@value")
    bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    share_of_slot = 0.7 if len(rows) == 1 else 0.85
    bars.setBarWidth(share_of_slot)
    chart.addSeries(bars)
    category_axis = QBarCategoryAxis()
    category_axis.append(cats)
    category_axis.setTruncateLabels(False)  # a host's name is read whole; the chart gives it room
    value_axis = QValueAxis()
    value_axis.setLabelFormat(value_format)
    top = max((max((v or 0) for v in values) for _, values in rows if values), default=0)
    if maximum is not None:
        value_axis.setRange(0, maximum)
    else:
        value_axis.setRange(0, max(1.0, top * 1.15))  # room for the bar's label
        value_axis.applyNiceNumbers()
        if value_format == "%d" and value_axis.max() < value_axis.tickCount() - 1:  # counts: no tick at 0.5
            whole = math.ceil(value_axis.max())  # (a count of 1 gave 0–1.5 in halves, labelled 0 0 1 1)
            value_axis.setRange(0, whole)
            value_axis.setTickCount(whole + 1)
    category_axis.setLabelsFont(_small(8.5))
    value_axis.setLabelsFont(_small(8))
    chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(category_axis)
    bars.attachAxis(value_axis)
    chart.legend().setVisible(len(rows) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = _view(chart, parent)
    _keep_bars_thin(chart, bars, len(cats), len(rows), share_of_slot, horizontal)
    if value_text is not None:
        _label_bars(chart, bars, [value_text(v or 0) for v in rows[0][1]], horizontal)
    if horizontal:  # the categories left of the bars are read whole: QtCharts cuts them at a narrow edge
        longest = max((QFontMetrics(category_axis.labelsFont()).horizontalAdvance(c) for c in cats), default=0)
        view.setMinimumWidth(max(view.minimumWidth(), longest + BAR_ROOM))
    return view


def _keep_bars_thin(chart: QChart, bars, categories: int, sets: int, share_of_slot: float, horizontal: bool) -> None:
    """QtCharts gives a category's bars a share of its slot (``share_of_slot``): one cadre ranked, or two
    categories, drew bars half the chart thick. Each bar at most BAR_THICKNESS pixels, whatever the chart's
    size (worked out again whenever the plot area changes)."""
    def fit(*_args) -> None:
        area = chart.plotArea()
        slot = (area.height() if horizontal else area.width()) / max(1, categories)
        width = min(share_of_slot, BAR_THICKNESS * sets / slot) if slot > 0 else share_of_slot
        if abs(bars.barWidth() - width) > 1e-6:
            bars.setBarWidth(width)

    chart.plotAreaChanged.connect(fit)
    fit()


def _label_bars(chart: QChart, bars, texts: list[str], horizontal: bool) -> None:
    """``texts`` at the ends of the bars of ``bars`` (its one set), where QtCharts puts its own labels:
    outside the bar's end, inside it when there is no room; placed again whenever the plot area moves."""
    bar_set = bars.barSets()[0]
    items = []
    for text in texts:
        item = QGraphicsSimpleTextItem(text, chart)
        item.setFont(bar_set.labelFont())
        item.setBrush(bar_set.labelColor())
        item.setZValue(10)
        items.append(item)

    def place(*_args) -> None:
        area = chart.plotArea()
        for index, item in enumerate(items):
            end = chart.mapToPosition(QPointF(bar_set.at(index), index) if horizontal
                                      else QPointF(index, bar_set.at(index)), bars)
            box = item.boundingRect()
            if horizontal:
                x = end.x() + 3 if end.x() + 3 + box.width() <= area.right() else end.x() - 3 - box.width()
                item.setPos(x, end.y() - box.height() / 2)
            else:
                y = end.y() - 2 - box.height() if end.y() - 2 - box.height() >= area.top() else end.y() + 2
                item.setPos(end.x() - box.width() / 2, y)

    chart.plotAreaChanged.connect(place)
    place()


def _cursor():
    from PySide6.QtGui import QCursor

    return QCursor.pos()
