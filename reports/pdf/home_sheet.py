"""工作台 on one A4 sheet, for a meeting: the five counts, the five charts and the most urgent reminders
at full type size (those not on the first page on a second, the rest counted in a line),
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
from reportlab.platypus import Spacer, Table, TableStyle

from cadre_desk.access import permissions, scope
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import REMINDER
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.home import overview as home
from cadre_desk.home import reminders as home_reminders
from reports.pdf import pdf_common as pc

TITLE = "干部工作台"
REMINDERS_AT_MOST = 80  # more never fit two pages; those that fit are printed, a line counts the rest
PAGE_HEIGHT = 257 * mm  # the body frame's 259 mm (A4 less 20 mm top, 18 mm bottom), a little to spare
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


def _reminders_table(shown: list[home_reminders.Reminder], today) -> Table:
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


def _height(flowables: list) -> float:
    """The room ``flowables`` take down the page (their spaces before and after counted)."""
    return sum(f.wrap(WIDTH, PAGE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def _more_line(items: list[home_reminders.Reminder], shown: int, today):
    rest = items[shown:]
    late = sum(1 for r in rest if home_reminders.urgency(r, today) == home_reminders.OVERDUE)
    of_which = f"（其中已逾期 {late} 条）" if late else ""
    return pc.para(f"另有 {len(rest)} 条提醒{of_which}，见系统“工作台”。", "small")


def _fitting(head: list, items: list[home_reminders.Reminder], today) -> int:
    """How many of the most urgent reminders fit at full type size: under ``head`` on the first page,
    then at most one more page (a sheet printed on both sides), leaving room for the line counting the rest."""
    candidates = items[:REMINDERS_AT_MOST]
    if not candidates:
        return 0
    table = _reminders_table(candidates, today)
    table.wrap(WIDTH, PAGE_HEIGHT)
    header, *rows = table._rowHeights
    more_line = _height([_more_line(items, 0, today)])
    rooms = [PAGE_HEIGHT - _height(head), PAGE_HEIGHT]
    shown = 0
    for page, room in enumerate(rooms):
        last = page == len(rooms) - 1
        used = header
        while shown < len(rows) and used + rows[shown] <= room - (more_line if last else 0):
            used += rows[shown]
            shown += 1
        if shown == len(items):
            break
    return shown


def _head(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today) -> list:
    overdue = sum(1 for r in items if home_reminders.urgency(r, today) == home_reminders.OVERDUE)
    heading = f"最紧要的提醒（共 {len(items)} 条，已逾期 {overdue} 条）" if items else "工作提醒：暂无"
    return [
        pc.para(TITLE, "title"),
        pc.para(f"{department}　统计范围：{figures.scope_text}　截至 {format_date(figures.day)}", "center"),
        Spacer(1, 4 * mm), _counts_table(figures), Spacer(1, 3 * mm), _charts_table(figures),
        Spacer(1, 3 * mm), pc.para(heading, "h2"),
    ]


def home_story(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today) -> list:
    """The sheet: title, who and when, counts, charts, and the most urgent reminders (overdue first)
    at full type size, continued on a second page when there are more; a line counts the ones left out."""
    content = _head(figures, items, department, today)
    shown = _fitting(content, items, today)
    if shown:
        content.append(_reminders_table(items[:shown], today))
    if shown < len(items):
        content.append(_more_line(items, shown, today))
    return content


def shown_reminders(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today):
    """The reminders the page prints (those ``home_story`` fits)."""
    return items[:_fitting(_head(figures, items, department, today), items, today)]


def glyph_fields(figures: home.Overview, shown: list[home_reminders.Reminder], department: str):
    fields = [("组织部名称", department), ("统计范围", figures.scope_text)]
    fields += [(c.title, name) for c in figures.charts for name, _ in c.items]
    fields += [(f"提醒 · {r.category}", r.text) for r in shown]
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
    missing = pc.missing_glyphs(glyph_fields(figures, shown_reminders(figures, items, department, today), department))
    progress.report(2, 3, "正在生成 PDF…")
    path = Path(path)
    write_pdf(path, home_story(figures, items, department, today), TITLE)
    audit.record_output(audit.PRINT, "工作台", None, f"打印工作台 → {path.name}", reason,
                        {"统计范围": figures.scope_text, "提醒": len(items)})
    progress.report(3, 3, "已生成")
    return pc.PrintedPdf(path, tuple(str(m) for m in missing))
