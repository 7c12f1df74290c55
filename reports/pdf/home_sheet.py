"""工作台 on one A4 page, for a meeting: the five counts, the five charts and the most urgent reminders,
with the department's name, the scope and the day; the working documents' frame (内部资料, 第 1 页 共 1 页,
打印人, 打印时间). The figures are ``cadre_desk.home.overview``'s, the same the screen and the
statistics workbook show; the charts are reportlab graphics in the bundled (embedded) fonts."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Spacer, Table, TableStyle

from cadre_desk.access import permissions, scope
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import REMINDER
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.home import overview as home
from cadre_desk.home import reminders as home_reminders
from reports.pdf import pdf_common as pc

TITLE = "干部工作台"
REMINDERS_SHOWN = 14  # the most urgent; the page says how many more there are
WIDTH = 172 * mm  # A4 less 19 mm each side
GREY = colors.HexColor("#5F6B7A")
LINE = colors.HexColor("#C9D0D9")
OVERDUE = colors.HexColor("#B3261E")


def _colour(n: int):
    return colors.HexColor(home.CHART_COLOURS[n % len(home.CHART_COLOURS)])


def _drawing(width: float, height: float) -> Drawing:
    # the drawing's own default font is Helvetica, never embedded: the body font instead
    return Drawing(width, height, initialFontName=pc.BODY_FONT, initialFontSize=8)


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(drawing.width / 2, drawing.height - 11, text, fontName=pc.HEAD_FONT, fontSize=9.5,
                       textAnchor="middle"))


def bar_drawing(chart: home.Chart, width: float, height: float) -> Drawing:
    """Horizontal bars, the first category on top, each bar labelled with its number."""
    drawing = _drawing(width, height)
    _title(drawing, chart.title)
    names = [name for name, _ in chart.items][::-1]
    values = [n for _, n in chart.items][::-1]
    bars = HorizontalBarChart()
    label_room = max((pdf_width(name, 7.5) for name in names), default=0) + 6
    bars.x, bars.y = label_room, 14
    bars.width, bars.height = width - label_room - 24, height - 32
    bars.data = [values or [0]]
    bars.categoryAxis.categoryNames = names or [""]
    bars.categoryAxis.labels.fontName = pc.BODY_FONT
    bars.categoryAxis.labels.fontSize = 7.5
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -3
    bars.categoryAxis.strokeColor = LINE
    bars.valueAxis.valueMin = 0
    top = max(values, default=0)
    bars.valueAxis.valueMax = max(1, top * 1.18)
    bars.valueAxis.valueStep = home.count_step(bars.valueAxis.valueMax)
    bars.valueAxis.labels.fontName = pc.BODY_FONT
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.labelTextFormat = "%d"
    bars.valueAxis.strokeColor = LINE
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#E3E7EC")
    bars.bars[0].fillColor = _colour(0)
    bars.bars[0].strokeColor = None
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName = pc.BODY_FONT
    bars.barLabels.fontSize = 7
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 2
    drawing.add(bars)
    return drawing


def pie_drawing(chart: home.Chart, width: float, height: float) -> Drawing:
    """A pie with its shares, and a legend naming each slice with its number and share."""
    drawing = _drawing(width, height)
    _title(drawing, chart.title)
    total = chart.total
    size = min(height - 26, width * 0.45)
    pie = Pie()
    pie.x, pie.y = 8, (height - 14 - size) / 2
    pie.width = pie.height = size
    pie.data = [n for _, n in chart.items] or [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(pie.data)):
        pie.slices[i].fillColor = _colour(i)
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y = 8 + size + 10, pie.y + size - 4
    legend.fontName = pc.BODY_FONT
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = 8
    legend.dx = legend.dy = 6
    legend.deltay = 11
    legend.colorNamePairs = [(_colour(i), f"{name} {n:,}（{_share(n, total)}）")
                             for i, (name, n) in enumerate(chart.items)]
    drawing.add(legend)
    return drawing


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def pdf_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, pc.BODY_FONT, size)


def chart_drawing(chart: home.Chart, width: float, height: float):
    if not chart.items:
        drawing = _drawing(width, height)
        _title(drawing, chart.title)
        drawing.add(String(width / 2, height / 2, "（无数据）", fontName=pc.BODY_FONT, fontSize=8,
                           fillColor=GREY, textAnchor="middle"))
        return drawing
    return pie_drawing(chart, width, height) if chart.kind == "pie" else bar_drawing(chart, width, height)


def _counts_table(figures: home.Overview) -> Table:
    styles = pc.styles()
    number = ParagraphStyle("count", parent=styles["cell_c"], fontName=pc.HEAD_FONT, fontSize=17, leading=21)
    cells = [[pc.para(f"{f.value:,}", number) for f in figures.counts],
             [pc.para(f.label, "cell_c") for f in figures.counts]]
    table = Table(cells, colWidths=[WIDTH / len(figures.counts)] * len(figures.counts))
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
        ("LINEABOVE", (0, 0), (-1, 0), 2, _colour(0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _charts_table(figures: home.Overview) -> Table:
    half = WIDTH / 2
    chart = figures.chart
    rows = [[chart_drawing(chart("age"), half, 54 * mm), chart_drawing(chart("education"), half, 54 * mm)],
            [chart_drawing(chart("gender"), half, 44 * mm), chart_drawing(chart("line"), half, 44 * mm)],
            [chart_drawing(chart("host"), WIDTH, 56 * mm), ""]]
    table = Table(rows, colWidths=[half, half])
    table.setStyle(TableStyle([
        ("SPAN", (0, 2), (1, 2)), ("BOX", (0, 0), (-1, -1), 0.6, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _reminders_table(items: list[home_reminders.Reminder], today) -> Table:
    shown = items[:REMINDERS_SHOWN]
    header = [pc.para(REMINDER.label_of(k), "label") for k in ("urgency", "due", "category", "text")]
    rows = [header]
    styles = pc.styles()
    red = {name: ParagraphStyle(f"{name}_overdue", parent=styles[name], textColor=OVERDUE) for name in ("small", "small_c")}
    for reminder in shown:
        level = home_reminders.urgency(reminder, today)
        late = level == home_reminders.OVERDUE
        if late:
            text = f"{level} {home_reminders.days_overdue(reminder, today)} 天"
        else:
            text = "—" if level == home_reminders.UNDATED else level
        centre, left = (red["small_c"], red["small"]) if late else ("small_c", "small")
        rows.append([pc.para(text, centre), pc.para(format_date(reminder.due), centre),
                     pc.para(reminder.category, centre), pc.para(reminder.text, left)])
    widths = [26 * mm, 23 * mm, 19 * mm]
    table = Table(rows, colWidths=[*widths, WIDTH - sum(widths)], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, LINE), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8ECF1")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    table.setStyle(TableStyle(style))
    return table


def home_story(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today) -> list:
    """The page: title, who and when, counts, charts, the most urgent reminders (shrunk to fit one page)."""
    overdue = sum(1 for r in items if home_reminders.urgency(r, today) == home_reminders.OVERDUE)
    heading = f"最紧要的提醒（共 {len(items)} 条，已逾期 {overdue} 条）" if items else "工作提醒：暂无"
    more = len(items) - REMINDERS_SHOWN
    content = [
        pc.para(TITLE, "title"),
        pc.para(f"{department}　统计范围：{figures.scope_text}　截至 {format_date(figures.day)}", "center"),
        Spacer(1, 4 * mm), _counts_table(figures), Spacer(1, 3 * mm), _charts_table(figures),
        Spacer(1, 3 * mm), pc.para(heading, "h2"),
    ]
    if items:
        content.append(_reminders_table(items, today))
    if more > 0:
        content.append(pc.para(f"另有 {more} 条提醒，见系统“工作台”。", "small"))
    return [KeepInFrame(WIDTH, 250 * mm, content, mode="shrink")]  # one page, whatever the data


def glyph_fields(figures: home.Overview, items: list[home_reminders.Reminder], department: str):
    fields = [("组织部名称", department), ("统计范围", figures.scope_text)]
    fields += [(c.title, name) for c in figures.charts for name, _ in c.items]
    fields += [(f"提醒 · {r.category}", r.text) for r in items[:REMINDERS_SHOWN]]
    return fields


def export_home_pdf(path: str | Path, progress: Progress = NO_PROGRESS, reason: str = "",
                    names=None) -> pc.PrintedPdf:
    """Count, draw and write the 工作台 PDF to ``path`` (atomically); one PRINT row in the audit log
    with the reason. Refused to an operator who may not print. ``names``: the window's roster index
    (home.reminders.collect)."""
    from cadre_desk.domain import clock
    from cadre_desk.security import audit
    from cadre_desk.settings import settings
    from reports.pdf.batch import write_pdf

    scope.current().require(permissions.PRINT)
    progress.report(0, 3, "正在统计…")
    today = clock.today()
    figures = home.overview(today)
    progress.report(1, 3, "正在汇总提醒…")
    items = home_reminders.collect(today, names=names)
    department = settings.department().name
    missing = pc.missing_glyphs(glyph_fields(figures, items, department))
    progress.report(2, 3, "正在生成 PDF…")
    path = Path(path)
    write_pdf(path, home_story(figures, items, department, today), TITLE)
    audit.record_output(audit.PRINT, "工作台", None, f"打印工作台 → {path.name}", reason,
                        {"统计范围": figures.scope_text, "提醒": len(items)})
    progress.report(3, 3, "已生成")
    return pc.PrintedPdf(path, tuple(str(m) for m in missing))
