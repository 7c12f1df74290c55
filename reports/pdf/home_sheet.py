"""工作台 on exactly one A4 page, for a meeting: the five counts, the five charts in two compact rows, a
提醒汇总 (the reminders by category and urgency) and the most urgent reminders that fit the rest of the
page (overdue first), a line counting those left out; with the department's name, the scope and the
day, in the working documents' frame (内部资料, 第 1 页 共 1 页, 打印人, 打印时间). Nothing is printed below
8.5 pt. The figures are ``cadre_desk.home.overview``'s, the same the screen and the statistics workbook
show; the charts are reportlab graphics in the bundled (embedded) fonts."""

from __future__ import annotations

import collections
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, Table, TableStyle

from cadre_desk.access import permissions, scope
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import REMINDER
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.home import overview as home
from cadre_desk.home import reminders as home_reminders
from reports.pdf import pdf_common as pc

TITLE = "干部工作台"
PAGE_HEIGHT = 257 * mm  # the body frame's 259 mm (A4 less 20 mm top, 18 mm bottom), a little to spare
WIDTH = 172 * mm  # A4 less 19 mm each side
TYPE = 9  # the sheet's text
SMALLEST = 8.5  # the charts' labels: nothing smaller
CHART_TITLE = 9.5
BAR_SLOT = 10.5  # the height of one bar's slot (its 8.5 pt label)
LABEL_SHARE = 0.45  # a bar's name takes at most this share of its chart's width (a longer one is cut)
TOP_ROW = ("age", "education", "gender")
TOP_ROW_SHARES = (0.30, 0.38, 0.32)
TOP_ROW_HEIGHT = 40 * mm
BOTTOM_ROW = ("line", "host")
REMINDERS_AT_MOST = 60  # more never fit under the figures
CATEGORIES_AT_MOST = 10  # rows of the 提醒汇总 (the smallest categories beyond: one row 其他)
# The 提醒汇总's columns: its header → the urgencies it counts.
SUMMARY_COLUMNS = (
    (home_reminders.OVERDUE, (home_reminders.OVERDUE,)),
    (home_reminders.THIS_WEEK, (home_reminders.THIS_WEEK,)),
    (home_reminders.THIS_MONTH, (home_reminders.THIS_MONTH,)),
    ("以后及无期限", (home_reminders.LATER, home_reminders.UNDATED)),
)
TOTAL = "合计"
OTHERS = "其他"
GREY = colors.HexColor("#5F6B7A")
LINE = colors.HexColor("#C9D0D9")
HEADER_FILL = colors.HexColor("#E8ECF1")
OVERDUE = colors.HexColor("#B3261E")


def _colour(n: int):
    return colors.HexColor(home.CHART_COLOURS[n % len(home.CHART_COLOURS)])


def pdf_width(text: str, size: float = SMALLEST) -> float:
    return stringWidth(text, pc.BODY_FONT, size)


def fitted(text: str, room: float, size: float, keep_end: bool = False) -> str:
    """``text`` as it fits ``room`` points at ``size``: cut at its end (…), or with ``keep_end`` in its
    middle, keeping its start and its end (three parts of the start to two of the end)."""
    if pdf_width(text, size) <= room:
        return text
    if keep_end:
        head, tail = text[:len(text) * 3 // 5], text[len(text) * 3 // 5:]
    else:
        head, tail = text[:int(room / size * 4)], ""  # no character is narrower than a quarter of the size
    while head and (tail or not keep_end) and pdf_width(f"{head}…{tail}", size) > room:
        if tail and len(head) * 2 <= len(tail) * 3:
            tail = tail[1:]
        else:
            head = head[:-1]
    return f"{head}…{tail}"


def clipped(text: str, room: float, size: float = SMALLEST) -> str:
    """A chart's name as it fits ``room`` points: a name too wide loses its kind (驻村工作队·), then its
    middle (…), keeping its start and its end (a long host unit's name still tells which one)."""
    if pdf_width(text, size) <= room:
        return text
    if "·" in text:
        text = text.split("·", 1)[1]
    return fitted(text, room, size, keep_end=True)


def _number(value: float) -> str:
    return f"{int(value):,}"


# ---- the charts --------------------------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    # the drawing's own default font is Helvetica, never embedded: the body font instead
    return Drawing(width, height, initialFontName=pc.BODY_FONT, initialFontSize=SMALLEST)


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(drawing.width / 2, drawing.height - 11, text, fontName=pc.HEAD_FONT,
                       fontSize=CHART_TITLE, textAnchor="middle"))


def bar_drawing(chart: home.Chart, width: float, height: float) -> Drawing:
    """Horizontal bars, the first category on top, each bar labelled with its number; a name wider than
    LABEL_SHARE of the drawing is cut (…), the value axis marked no closer than its labels allow."""
    drawing = _drawing(width, height)
    _title(drawing, chart.title)
    names = [clipped(name, width * LABEL_SHARE) for name, _ in chart.items][::-1]
    values = [n for _, n in chart.items][::-1]
    top = max(values, default=0)
    bars = HorizontalBarChart()
    label_room = max((pdf_width(name) for name in names), default=0) + 9
    value_room = pdf_width(_number(top)) + 6
    bars.x, bars.y = label_room, 14
    bars.width, bars.height = max(10, width - label_room - value_room - 4), height - 30
    bars.data = [values or [0]]
    bars.categoryAxis.categoryNames = names or [""]
    bars.categoryAxis.labels.fontName = pc.BODY_FONT
    bars.categoryAxis.labels.fontSize = SMALLEST
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -4
    bars.categoryAxis.strokeColor = LINE
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = value_max = max(1, top * 1.05)
    marks = max(1, min(5, int(bars.width // (pdf_width(_number(value_max)) + 10))))
    bars.valueAxis.valueStep = home.count_step(value_max, marks)
    bars.valueAxis.visibleLabels = marks > 1  # else 0 alone: each bar has its number anyway
    bars.valueAxis.labels.fontName = pc.BODY_FONT
    bars.valueAxis.labels.fontSize = SMALLEST
    bars.valueAxis.labelTextFormat = _number
    bars.valueAxis.strokeColor = LINE
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#E3E7EC")
    bars.bars[0].fillColor = _colour(0)
    bars.bars[0].strokeColor = None
    bars.barLabelFormat = _number
    bars.barLabels.fontName = pc.BODY_FONT
    bars.barLabels.fontSize = SMALLEST
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 2
    drawing.add(bars)
    return drawing


def pie_drawing(chart: home.Chart, width: float, height: float) -> Drawing:
    """A pie and, at its right, a legend: each slice's colour, name, number and share, the numbers
    aligned; the share under the name when one line would leave the pie too small."""
    drawing = _drawing(width, height)
    _title(drawing, chart.title)
    total = chart.total
    rows = [(clipped(name, width * 0.4), _number(n), _share(n, total)) for name, n in chart.items]
    name_w = max(pdf_width(name) for name, _, _ in rows)
    count_w = max(pdf_width(count) for _, count, _ in rows)
    share_w = max(pdf_width(share) for _, _, share in rows)
    room = height - 20  # below the title
    one_line = 10 + name_w + 5 + count_w + 5 + share_w
    two_lines = 10 + max(name_w, count_w + 5 + share_w)
    step = 11
    size = min(room, width - one_line - 22)
    if size < room / 2 and len(rows) * 2 * 10 <= room and min(room, width - two_lines - 22) > size * 1.3:
        size, legend_w, lines = min(room, width - two_lines - 22), two_lines, 2
    else:
        legend_w, lines = one_line, 1
    size = max(size, 12)
    pie = Pie()
    pie.x, pie.y = 6, (room - size) / 2 + 2
    pie.width = pie.height = size
    pie.data = [n for _, n in chart.items] or [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(pie.data)):
        pie.slices[i].fillColor = _colour(i)
    drawing.add(pie)
    left = 6 + size + 8 + max(0, (width - 6 - size - 8 - legend_w - 8) / 2)
    block = len(rows) * (lines * 10 + (step - 10))
    y = pie.y + size / 2 + block / 2 - 8
    for i, (name, count, share) in enumerate(rows):
        drawing.add(Rect(left, y, 7, 7, fillColor=_colour(i), strokeColor=None))
        drawing.add(String(left + 10, y, name, fontSize=SMALLEST, fontName=pc.BODY_FONT))
        end = left + legend_w if lines == 1 else left + two_lines
        at = y if lines == 1 else y - 10
        drawing.add(String(end - share_w - 5, at, count, fontSize=SMALLEST, fontName=pc.BODY_FONT,
                           textAnchor="end"))
        drawing.add(String(end, at, share, fontSize=SMALLEST, fontName=pc.BODY_FONT, textAnchor="end"))
        y -= lines * 10 + (step - 10)
    return drawing


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def chart_drawing(chart: home.Chart, width: float, height: float) -> Drawing:
    if not chart.items or not chart.total:
        drawing = _drawing(width, height)
        _title(drawing, chart.title)
        drawing.add(String(width / 2, height / 2 - 6, "（无数据）", fontName=pc.BODY_FONT, fontSize=SMALLEST,
                           fillColor=GREY, textAnchor="middle"))
        return drawing
    return pie_drawing(chart, width, height) if chart.kind == "pie" else bar_drawing(chart, width, height)


def _chart_row(drawings: list[Drawing], widths: list[float]) -> Table:
    table = Table([drawings], colWidths=widths)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def charts_rows(figures: home.Overview) -> list[Table]:
    """年龄结构, 学历结构, 性别 side by side; under them 一线在岗 by line and by host unit, as high as their
    longer list of bars needs."""
    widths = [WIDTH * share for share in TOP_ROW_SHARES]
    top = _chart_row([chart_drawing(figures.chart(key), w, TOP_ROW_HEIGHT) for key, w in zip(TOP_ROW, widths,
                                                                                              strict=True)], widths)
    bars = max(len(figures.chart(key).items) for key in BOTTOM_ROW)
    height = max(30 * mm, bars * BAR_SLOT + 32)
    half = WIDTH / 2
    bottom = _chart_row([chart_drawing(figures.chart(key), half, height) for key in BOTTOM_ROW], [half, half])
    return [top, bottom]


# ---- the counts and the reminders --------------------------------------------------------------------


def _style(name: str, parent: str = "small", **kw) -> ParagraphStyle:
    return ParagraphStyle(name, parent=pc.styles()[parent], **kw)


def _counts_table(figures: home.Overview) -> Table:
    number = _style("count", "cell_c", fontName=pc.HEAD_FONT, fontSize=16, leading=19)
    label = _style("count_label", "cell_c", fontSize=TYPE + 0.5, leading=12)
    cells = [[pc.para(f"{f.value:,}", number) for f in figures.counts],
             [pc.para(f.label, label) for f in figures.counts]]
    table = Table(cells, colWidths=[WIDTH / len(figures.counts)] * len(figures.counts))
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
        ("LINEABOVE", (0, 0), (-1, 0), 2, _colour(0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def summary(items: list[home_reminders.Reminder], today) -> list[tuple[str, list[int]]]:
    """The 提醒汇总: (类别, [its count in each of SUMMARY_COLUMNS…, 合计]) by category, those with the most
    overdue first (at most CATEGORIES_AT_MOST rows, the smallest beyond as 其他), then the 合计 row."""
    urgency_of: dict[str, str] = {}
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for (category, due), n in collections.Counter((r.category, r.due) for r in items).items():
        if due not in urgency_of:
            urgency_of[due] = home_reminders.urgency(home_reminders.Reminder("", "", due=due), today)
        counts[category][urgency_of[due]] += n

    def row(counter: collections.Counter) -> list[int]:
        cells = [sum(counter[u] for u in urgencies) for _, urgencies in SUMMARY_COLUMNS]
        return [*cells, sum(cells)]

    rows = sorted(((category, row(c)) for category, c in counts.items()), key=lambda r: (-r[1][0], -r[1][-1], r[0]))
    if len(rows) > CATEGORIES_AT_MOST:
        rest = rows[CATEGORIES_AT_MOST - 1:]
        rows = rows[:CATEGORIES_AT_MOST - 1] + [(f"{OTHERS} {len(rest)} 类",
                                                 [sum(r[1][i] for r in rest) for i in range(len(rest[0][1]))])]
    if rows:
        rows.append((TOTAL, [sum(r[1][i] for r in rows) for i in range(len(rows[0][1]))]))
    return rows


def _summary_table(rows: list[tuple[str, list[int]]]) -> Table:
    head = _style("summary_head", "small_c", fontName=pc.HEAD_FONT)
    red = _style("summary_overdue", "small_c", textColor=OVERDUE)
    bold = _style("summary_total", "small_c", fontName=pc.HEAD_FONT)
    cells = [[pc.para(text, head) for text in ("类别", *(title for title, _ in SUMMARY_COLUMNS), TOTAL)]]
    for category, numbers in rows:
        last = category == TOTAL
        cells.append([pc.para(category, bold if last else "small_c")]
                     + [pc.para(f"{n:,}", bold if last or i == len(numbers) - 1 else red if i == 0 and n else "small_c")
                        for i, n in enumerate(numbers)])
    first = 30 * mm
    table = Table(cells, colWidths=[first] + [(WIDTH - first) / (len(cells[0]) - 1)] * (len(cells[0]) - 1))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, LINE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F6F9")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _reminder_styles() -> dict[str, ParagraphStyle]:
    leading = TYPE + 2
    out = {"small": _style("reminder", leading=leading), "small_c": _style("reminder_c", "small_c", leading=leading)}
    out |= {f"{name}_red": _style(f"{name}_red", name, leading=leading, textColor=OVERDUE) for name in ("small", "small_c")}
    return out


def due_text(reminder: home_reminders.Reminder, today) -> str:
    """The 期限 column: how long overdue, else the day it is due (— without one)."""
    if home_reminders.urgency(reminder, today) == home_reminders.OVERDUE:
        return home_reminders.urgency_text(reminder, today)  # the screen's words: 已逾期 129 天
    return format_date(reminder.due) if reminder.due else "—"


def _reminders_table(shown: list[home_reminders.Reminder], today) -> Table:
    """期限 (overdue in red), 类别, 提醒内容: the text as wide as the page allows (one line each mostly, two
    at most)."""
    styles = _reminder_styles()
    dues = [due_text(reminder, today) for reminder in shown]
    # 期限 on one line: 已逾期 490 天 wrapped its 天 alone at 21 mm (as the screen's column, as wide as it needs)
    widest = max((stringWidth(text, pc.BODY_FONT, TYPE) for text in dues), default=0) + 6 + 1
    widths = [max(21 * mm, widest), 16 * mm]
    text_room = (WIDTH - sum(widths) - 6) * 2 - 3 * TYPE  # two lines, less what wrapping may leave over
    head = _style("reminder_head", "small_c", fontName=pc.HEAD_FONT, leading=TYPE + 2)
    rows = [[pc.para(REMINDER.label_of(k), head) for k in ("urgency", "category", "text")]]
    for reminder, due in zip(shown, dues, strict=True):
        late = home_reminders.urgency(reminder, today) == home_reminders.OVERDUE
        centre, left = (styles["small_c_red"], styles["small_red"]) if late else (styles["small_c"], styles["small"])
        rows.append([pc.para(due, centre), pc.para(reminder.category, centre),
                     pc.para(fitted(reminder.text, text_room, TYPE), left)])  # two lines at most
    table = Table(rows, colWidths=[*widths, WIDTH - sum(widths)])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, LINE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _height(flowables: list) -> float:
    """The room ``flowables`` take down the page (their spaces before and after counted)."""
    return sum(f.wrap(WIDTH, PAGE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def more_line_text(items: list[home_reminders.Reminder], shown: int, today) -> str:
    rest = items[shown:]
    late = sum(1 for r in rest if home_reminders.urgency(r, today) == home_reminders.OVERDUE)
    return f"另有 {len(rest):,} 条提醒（其中已逾期 {late:,} 条），见系统“工作台”。"


def _more_line(items: list[home_reminders.Reminder], shown: int, today):
    return pc.para(more_line_text(items, shown, today), _style("more", spaceBefore=2))


def _fitting(head: list, items: list[home_reminders.Reminder], today) -> int:
    """How many of the most urgent reminders fit under ``head`` on the page, leaving room for the line
    counting the rest when not all fit."""
    candidates = items[:REMINDERS_AT_MOST]
    if not candidates:
        return 0

    def fits(count: int) -> bool:  # the table of the first ``count`` reminders, measured as laid out
        return _reminders_table(candidates[:count], today).wrap(WIDTH, PAGE_HEIGHT)[1] <= room

    room = PAGE_HEIGHT - _height(head)
    if len(items) == len(candidates) and fits(len(candidates)):
        return len(candidates)
    room -= _height([_more_line(items, 0, today)])
    shown, too_many = 0, len(candidates) + 1  # a table grows with its rows: halve the range between
    while too_many - shown > 1:
        middle = (shown + too_many) // 2
        shown, too_many = (middle, too_many) if fits(middle) else (shown, middle)
    return shown


def _head(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today) -> list:
    title = _style("sheet_title", "title", fontSize=17, leading=22)
    line = _style("sheet_line", "center", fontSize=TYPE + 0.5, leading=13)
    heading = _style("sheet_h2", "h2", fontSize=10.5, leading=14, spaceBefore=5, spaceAfter=2)
    content = [
        pc.para(TITLE, title),
        pc.para(f"{department}　统计范围：{figures.scope_text}　截至 {format_date(figures.day)}", line),
        Spacer(1, 2.5 * mm), _counts_table(figures), Spacer(1, 2.5 * mm), *charts_rows(figures),
    ]
    if not items:
        return [*content, pc.para("工作提醒：暂无", heading)]
    overdue = sum(1 for r in items if home_reminders.urgency(r, today) == home_reminders.OVERDUE)
    return [*content, pc.para(f"提醒汇总（共 {len(items):,} 条，已逾期 {overdue:,} 条）", heading),
            _summary_table(summary(items, today)), pc.para("最紧要的提醒（已逾期的在前）", heading)]


def home_story(figures: home.Overview, items: list[home_reminders.Reminder], department: str, today) -> list:
    """The page: title, who and when, counts, charts, the 提醒汇总 and the most urgent reminders (overdue
    first) that fit the page; a line counts the ones left out."""
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


def glyph_fields(figures: home.Overview, shown: list[home_reminders.Reminder], department: str,
                 categories=()):
    fields = [("组织部名称", department), ("统计范围", figures.scope_text)]
    fields += [(c.title, name) for c in figures.charts for name, _ in c.items]
    fields += [("提醒汇总 · 类别", category) for category in categories]
    fields += [(f"提醒 · {r.category}", r.text) for r in shown]
    return fields


def printable(items: list[home_reminders.Reminder]) -> list[home_reminders.Reminder]:
    """The reminders a page may carry: not the 干部监督 ones (a 函询 without its outcome names the cadre),
    which their grant's holders see on the screen only — the 工作台 PDF is handed round at meetings."""
    from cadre_desk.supervision import supervision

    return [r for r in items if r.category != supervision.CATEGORY]


def export_home_pdf(path: str | Path, progress: Progress = NO_PROGRESS, reason: str = "",
                    names=None, strict: bool = False) -> pc.PrintedPdf:
    """Count, draw and write the 工作台 PDF to ``path`` (atomically); one PRINT row in the audit log
    with the reason. Refused to an operator who may not print. ``names``: the window's roster index
    (home.reminders.collect). ``strict``: when the font lacks characters nothing is written nor
    audited (the result names them)."""
    from cadre_desk.domain import clock
    from cadre_desk.security import audit
    from cadre_desk.settings import settings
    from reports.pdf.batch import write_pdf

    scope.current().require(permissions.PRINT)
    progress.report(0, 3, "正在统计…")
    today = clock.today()
    figures = home.overview(today)
    progress.report(1, 3, "正在汇总提醒…")
    items = printable(home_reminders.collect(today, names=names))
    department = settings.department().name
    shown = shown_reminders(figures, items, department, today)
    categories = [category for category, _ in summary(items, today)]
    missing = pc.missing_glyphs(glyph_fields(figures, shown, department, categories))
    path = Path(path)
    if strict and missing:
        return pc.PrintedPdf(path, tuple(str(m) for m in missing))
    progress.report(2, 3, "正在生成 PDF…")
    write_pdf(path, home_story(figures, items, department, today), TITLE)
    audit.record_output(audit.PRINT, "工作台", None, f"打印工作台 → {path.name}", reason,
                        {"统计范围": figures.scope_text, "提醒": len(items)})
    progress.report(3, 3, "已生成")
    return pc.PrintedPdf(path, tuple(str(m) for m in missing))
