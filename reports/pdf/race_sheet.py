"""赛马比选 as a PDF: the chosen period's ranking as a chart (its first 20, each named with place and
movement), then the ranking grouped by post, then period, with the movement against the previous period
(↑2, ↓1, 新); of one appraisal sheet its ranking as the tab and the workbook list it (RANKING_LIST). A4, the working documents' frame (内部资料, 第 X 页 共 Y 页, 打印人, 打印时间), the department's
name from the settings, the bundled fonts embedded. Data from cadre_desk.appraisal.racing."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Spacer, Table, TableStyle

from cadre_desk.access import permissions, scope
from cadre_desk.appraisal import racing
from cadre_desk.appraisal.scoring import score_text
from cadre_desk.domain.fields import RACE_LIST, RANKING, RANKING_LIST
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.home.overview import CHART_COLOURS
from reports.pdf import pdf_common as pc

WIDTH = 172 * mm
CHART_TOP = racing.CHART_TOP
COLUMNS = RACE_LIST  # the screen's and the workbook's columns, in their order (单位 last)
WIDTHS_MM = {"post_name": 30, "period_label": 27, "rank": 12, "movement": 19, "name": 17, "total": 14, "grade": 17,
             "unit_name": 36}  # adds up to 172; 名次变化, 100.00 and 基本称职 on one line,
# 龙潭乡驻村工作队, 2026年第2季度 and a unit's 全称 of ten characters (云江市人民政府办公室) too
SHEET_WIDTHS_MM = {"rank": 14, "name": 20, "unit_name": 62, "total": 16, "grade": 18, "positive": 21,
                   "negative": 21}  # one sheet's ranking (RANKING_LIST): adds up to 172
LABEL_SIZE, LABEL_GAP, LABELS_MAX = 7.5, 3 * mm + 2, 62 * mm  # the chart's names: type, gap to the axis, width
BAR_SLOT = 28  # points: the most a cadre's row of the chart takes (its bar about two thirds of it)
OVER_SIZE = 7.5  # the rank header's second line: （全部5人）
PADDING = 12 + 1  # a table cell's padding left and right (6 pt each, reportlab's own), and a point to spare
LINE = colors.HexColor("#C9D0D9")
UP, DOWN, NEW = colors.HexColor("#1E8449"), colors.HexColor("#C0392B"), colors.HexColor("#2F6FB0")


def _number(value) -> str:
    if value is None:
        return "—"
    return score_text(value)  # a column of scores: 81.20 under 81.63, never 81.2 or 66


def ranking_drawing(race: racing.Race, period: str) -> Drawing:
    ranked = race.ranking(period)
    rows = [e for e in ranked if e.total is not None][:CHART_TOP]
    # a cadre's slot at most BAR_SLOT high: one cadre drew one bar the chart's whole height (40 mm)
    height = min(max(40 * mm, (len(rows) * 5.2 + 22) * mm / 1.6), max(1, len(rows)) * BAR_SLOT + 30)
    drawing = Drawing(WIDTH, height, initialFontName=pc.BODY_FONT, initialFontSize=8)
    title = race.chart_title(period)  # what the table's 名次 says: a clerk's 3 of 5, 排名（全部5人中的 3 人）
    drawing.add(String(WIDTH / 2, height - 11, f"{title[:-1]}，总分）",
                       fontName=pc.HEAD_FONT, fontSize=10, textAnchor="middle"))
    if not rows:
        return drawing
    names = [f"{e.rank or '—'}. {e.name} {e.movement}".rstrip() for e in rows][::-1]
    # the names' column as wide as the longest label (up to LABELS_MAX), its type smaller beyond that: an
    # 18-character name (阿卜杜热合曼·买买提依明…) ran off the page's left edge
    longest = max(pdfmetrics.stringWidth(n, pc.BODY_FONT, LABEL_SIZE) for n in names)
    size = LABEL_SIZE * min(1.0, (LABELS_MAX - LABEL_GAP) / longest)
    left = min(LABELS_MAX, max(34 * mm, longest * size / LABEL_SIZE + LABEL_GAP))
    bars = HorizontalBarChart()
    bars.x, bars.y = left, 12
    bars.width, bars.height = WIDTH - left - 16, height - 30
    bars.data = [[e.total for e in rows][::-1]]
    bars.categoryAxis.categoryNames = names
    for axis in (bars.categoryAxis.labels, bars.valueAxis.labels, bars.barLabels):
        axis.fontName = pc.BODY_FONT
        axis.fontSize = LABEL_SIZE
    bars.categoryAxis.labels.fontSize = size
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -3
    bars.categoryAxis.strokeColor = bars.valueAxis.strokeColor = LINE
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 100, 20
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#E3E7EC")
    bars.bars[0].fillColor = colors.HexColor(CHART_COLOURS[0])
    bars.bars[0].strokeColor = None
    bars.barLabelFormat = score_text  # as the table below: 88.34, not 88.3
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 2
    drawing.add(bars)
    return drawing


def grouped_table(race: racing.Race) -> Table:
    """By post, then period: a post's name on its first row, a period's on its first row (bold)."""
    styles = pc.styles()
    centre = styles["small_c"]
    bold = ParagraphStyle("race_bold", parent=styles["small"], fontName=pc.HEAD_FONT)
    colour = {"↑": UP, "↓": DOWN}
    rank = race.rank_title()  # 名次（全部5人）: a clerk's places 3, 4, 5 of the line's five
    over = rank[len(racing.RANK):]
    header = {"post_name": pc.para(race.group_title, "label"), "rank": _rank_header(rank)}
    rows = [[header.get(k) or pc.para(RANKING.label_of(k), "label") for k in COLUMNS]]
    style = [("GRID", (0, 0), (-1, -1), 0.4, LINE), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8ECF1")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    post = period = None
    for n, entry in enumerate(race.entries, 1):
        new_post = entry.post_name != post
        new_period = new_post or entry.period != period
        post, period = entry.post_name, entry.period
        tint = colour.get(entry.movement[:1], NEW if entry.movement == racing.NEW else None)
        move_style = ParagraphStyle(f"move_{n}", parent=centre, textColor=tint) if tint else centre
        cells = {"post_name": pc.para(entry.post_name if new_post else "", bold if new_post else "small"),
                 "period_label": pc.para(entry.period_label if new_period else "", bold if new_period else "small"),
                 "rank": pc.para(entry.rank if entry.rank is not None else "—", centre),
                 "movement": pc.para(entry.movement, move_style), "name": pc.para(entry.name, centre),
                 "unit_name": pc.para(entry.unit_name, "small"), "total": pc.para(_number(entry.total), centre),
                 "grade": pc.para(entry.grade, centre)}
        rows.append([cells[k] for k in COLUMNS])
        if new_period and n > 1:
            style.append(("LINEABOVE", (0 if new_post else 1, n), (-1, n), 1.0 if new_post else 0.7,
                          colors.HexColor("#7F8C9A")))
    widths = {k: w * mm for k, w in WIDTHS_MM.items()}
    if over:  # the rank's column as wide as what its places are over, taken where the others have room
        _make_room(widths, "rank", pdfmetrics.stringWidth(over, pc.HEAD_FONT, OVER_SIZE) + PADDING,
                   _natural_widths(rows, COLUMNS))
    table = Table(rows, colWidths=[widths[k] for k in COLUMNS], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _natural_widths(rows: list[list], keys) -> dict:
    """Column key → the width its longest line needs unwrapped (the header's and every cell's, each in its
    own type), a cell's padding included. The rank's header counts as 名次 alone: its second line in
    smaller type, （各期全部人员）, is what the column is widened for."""
    need = dict.fromkeys(keys, 0.0)
    for n, row in enumerate(rows):
        for key, cell in zip(keys, row, strict=True):
            text = racing.RANK if n == 0 and key == "rank" else cell.getPlainText()
            need[key] = max(need[key], pdfmetrics.stringWidth(text, cell.style.fontName, cell.style.fontSize) + PADDING)
    return need


def _make_room(widths: dict, key: str, needed: float, natural: dict) -> None:
    """Column ``key`` at least ``needed`` wide: what it lacks is taken from the columns with room to spare
    (beyond their longest line), in proportion to that room; only what none can spare from the unit's
    column, which wraps. A clerk's 名次（各期全部人员） took it all from 单位: 云江市教育 / 局."""
    lacking = needed - widths[key]
    if lacking <= 0:
        return
    spare = {k: max(0.0, w - natural.get(k, w)) for k, w in widths.items() if k != key}
    room = sum(spare.values())
    taken = min(lacking, room)
    for k, s in spare.items():
        if s:
            widths[k] -= taken * s / room
    widths["unit_name"] -= lacking - taken
    widths[key] = needed


def _rank_header(rank: str):
    """名次, or 名次 over （全部5人） in smaller type: what a clerk's places are over."""
    over = rank[len(racing.RANK):]
    return pc.markup(f"{racing.RANK}<br/><font size={OVER_SIZE}>{pc.escape(over)}</font>" if over
                     else racing.RANK, "label")


def sheet_table(rows: list, rank: str) -> Table:
    """One appraisal sheet's ranking as its tab and its workbook list it (RANKING_LIST: 名次, 姓名, 单位,
    总分, 等次, 正面清单, 负面清单): no post, period or movement, which one sheet has not. ``rank``: the
    rank's title (名次（全部5人）)."""
    styles = pc.styles()
    centre = styles["small_c"]
    widths = {k: w * mm for k, w in SHEET_WIDTHS_MM.items()}
    over = rank[len(racing.RANK):]
    table_rows = [[_rank_header(rank) if k == "rank" else pc.para(RANKING.label_of(k), "label")
                   for k in RANKING_LIST]]
    for row in rows:
        cells = {"rank": row.rank if row.rank is not None else "—", "name": row.name, "total": _number(row.total),
                 "grade": row.grade, "positive": row.positive or "", "negative": row.negative or ""}
        table_rows.append([pc.para(row.unit_name, "small") if k == "unit_name" else pc.para(cells[k], centre)
                           for k in RANKING_LIST])
    if over:  # as wide as what the places are over, taken where the others have room
        _make_room(widths, "rank", pdfmetrics.stringWidth(over, pc.HEAD_FONT, OVER_SIZE) + PADDING,
                   _natural_widths(table_rows, RANKING_LIST))
    table = Table(table_rows, colWidths=[widths[k] for k in RANKING_LIST], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, LINE),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8ECF1")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def race_story(race: racing.Race, period: str, department: str, sheet_rows: list | None = None) -> list:
    """The chart of ``period``, then the grouped table of a line or a post; of one appraisal sheet
    (``sheet_rows``: racing.sheet_ranking) its ranking as the tab lists it."""
    head = [pc.para(f"{race.field.label}赛马比选", "title")]
    note = "按总分从高到低排名，同分并列；评分未完成者不排名。"
    if sheet_rows is not None:
        return [*head, pc.para("　".join(t for t in (department, race.span) if t), "center"),
                Spacer(1, 4 * mm), ranking_drawing(race, period), Spacer(1, 4 * mm), pc.para("排名", "h2"),
                sheet_table(sheet_rows, race.rank_title(period)), pc.para(note, "small")]
    return [*head,
            pc.para("　".join(t for t in (department, race.span, f"共 {len(race.periods)} 期") if t), "center"),
            Spacer(1, 4 * mm), ranking_drawing(race, period), Spacer(1, 4 * mm),
            pc.para("分组排名（按岗位、期间；名次变化与上一期相比）" if race.by_post else "排名", "h2"),
            grouped_table(race),
            pc.para(note + "↑ 上升、↓ 下降、— 持平、新 上期未参加比选。", "small")]


def export_race_pdf(path: str | Path, progress: Progress = NO_PROGRESS, *, key: tuple, period: str | None = None,
                    reason: str = "") -> pc.PrintedPdf:
    """Write the race of ``key`` (racing.load) to ``path`` atomically; one PRINT row in the audit log."""
    from cadre_desk.security import audit
    from cadre_desk.settings import settings
    from reports.pdf.batch import write_pdf

    scope.current().require(permissions.PRINT)
    progress.report(0, 2, "正在读取排名…")
    race = racing.with_full_unit_names(racing.load(key))  # as the workbook: 县政府办 of which county?
    period = period or race.periods[-1].period
    department = settings.department().name
    sheet_rows = racing.sheet_ranking(key[1]) if key[0] == "sheet" else None  # as its tab lists it
    missing = pc.missing_glyphs([("组织部名称", department), ("比选范围", race.field.label)]
                                + [(e.name, e.name) for e in race.entries]
                                + [(e.name, e.unit_name) for e in race.entries])
    progress.report(1, 2, "正在生成 PDF…")
    path = Path(path)
    write_pdf(path, race_story(race, period, department, sheet_rows), f"{race.field.label}赛马比选")
    audit.record_output(audit.PRINT, "赛马比选", None, f"打印{race.field.label}赛马比选 → {path.name}", reason,
                        {"期间": [p.label for p in race.periods], "人次": len(race.entries)})
    progress.report(2, 2, "已生成")
    return pc.PrintedPdf(path, tuple(str(m) for m in missing))
