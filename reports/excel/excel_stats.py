"""统计表: first the 工作台 (its five counts and five charts, the same figures as the screen and its PDF:
cadre_desk.home.overview), then counts and shares of serving cadres by line, unit (by its 全称), unit
kind (市直 / 县区 / 乡镇街道 / 企事业), age band, gender, 学历 and level, each sheet with a native Excel
chart (openpyxl.chart) and adding up to the serving cadres; and 职数 (核定 / 实配 / 空缺) by unit and level."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import STAFFING, UNIT
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange.sheet_layout import LINE_HEIGHT, lines_needed
from cadre_desk.home.overview import (
    AGE_BANDS,
    CHART_COLOURS,
    age_band,
    count_step,
    highest_education,
    overview,
)
from cadre_desk.settings import settings


def _line_counts(cadre_ids: set[int]) -> Counter:
    """Serving cadres on an active frontline posting, by line; the others as 未在一线锻炼 (so the
    table adds up to every serving cadre)."""
    from cadre_desk.postings import postings

    counts: Counter = Counter()
    on_line: set[int] = set()
    for info in postings.visible_postings(state="在岗"):
        if info.cadre_id in cadre_ids and info.cadre_id not in on_line:
            on_line.add(info.cadre_id)
            counts[info.line_name or "未分线"] += 1
    counts[NOT_ON_LINE] = len(cadre_ids) - len(on_line)
    return counts


NOT_ON_LINE = "未在一线锻炼"
UNIT_SHEET, KIND_SHEET, LINE_SHEET = "单位", UNIT.field("kind").label, "一线锻炼（在岗）"


def collect(today: _dt.date | None = None) -> dict[str, list[tuple[str, int]]]:
    """{dimension title: [(category, count)]} over cadres whose status is 在职. Every dimension's
    counts add up to the number of serving cadres (``_total``). Units are counted one by one and
    named by their 全称 (two 区委办公室 are two rows), in the tree's order."""
    from cadre_desk.units import units

    today = today or clock.today()
    rank_names = codes.table("RANK")
    gender_names = codes.table("GB22611")
    tree = units.list_units()
    unit_kind = {u.id: u.kind for u in tree}
    by_unit: Counter = Counter()
    by: dict[str, Counter] = {k: Counter() for k in (KIND_SHEET, "年龄段", "性别", "学历", "职务层次/职级")}
    ids: set[int] = set()
    # a user limited to some units counts only theirs
    rows = reads.cadre_rows(("unit", "birth", "gender", "ft_education", "pt_education", "rank"), status="1")
    for cid, unit_id, birth, gender, ft, pt, rank in rows:
        ids.add(cid)
        by_unit[unit_id] += 1
        by[KIND_SHEET][unit_kind.get(unit_id) or "未分类"] += 1
        by["年龄段"][age_band(birth, today)] += 1
        by["性别"][gender_names.name(gender) or "未填写"] += 1
        by["学历"][highest_education(ft, pt)] += 1
        by["职务层次/职级"][rank_names.name(rank) or "未填写"] += 1
    order = {
        KIND_SHEET: [*units.KINDS, "未分类"],
        "年龄段": [label for *_r, label in AGE_BANDS] + ["未填写"],
        "学历": ["研究生", "大学本科", "大专", "中专及以下", "未填写"],
        "职务层次/职级": rank_names.names() + ["未填写"],
        "性别": gender_names.names() + ["未填写"],
    }
    out: dict[str, list[tuple[str, int]]] = {}
    lines = _line_counts(ids)
    out[LINE_SHEET] = sorted(((k, v) for k, v in lines.items() if k != NOT_ON_LINE), key=lambda kv: -kv[1])
    out[LINE_SHEET].append((NOT_ON_LINE, lines[NOT_ON_LINE]))
    parents = {u.parent_id for u in tree}
    scope = access_scope.current()
    # every unit of the operator's that holds cadres or could (a leaf, even with none); not the grouping
    # ones left empty, nor, for a clerk of one county, every other unit of the city with its 0
    out[UNIT_SHEET] = [(u.full_name, by_unit[u.id]) for u in tree
                       if by_unit[u.id] or (u.id not in parents and scope.covers_unit(u.id))]
    for title, counter in by.items():
        ranks = {name: i for i, name in enumerate(order[title])}
        out[title] = sorted(((k, v) for k, v in counter.items() if v), key=lambda kv: ranks.get(kv[0], 999))
    out["_total"] = [("在职干部", len(ids))]
    return out


STAFFING_HEADERS = tuple(spec.label for spec in (UNIT.field("full_name"), UNIT.field("kind"), *STAFFING.fields))
STAFFING_SUMMARY_HEADERS = STAFFING_HEADERS[:2] + STAFFING_HEADERS[3:]


def staffing_rows() -> tuple[list[tuple], list[tuple]]:
    """职数 of the operator's units in the tree's order: (one row per unit, one row per unit and level)."""
    from cadre_desk.units import staffing, units

    table = staffing.staffing_table()
    by_unit, by_level = [], []
    for unit in units.list_units():
        summary = table.get(unit.id)
        if summary is None:
            continue
        by_unit.append((unit.full_name, unit.kind, summary.approved, summary.filled, summary.vacant, summary.over))
        by_level += [(unit.full_name, unit.kind, line.rank_name, line.approved, line.filled, line.vacant, line.over)
                     for line in summary.lines]
    return by_unit, by_level


def kind_by_level() -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Serving cadres by 职务层次/职级 (rows) and unit kind (columns: 市直, 县区, 乡镇街道, 企事业): the
    breakdown superiors ask for. Returns (kinds, [(level, counts per kind)]) in the code tables' order."""
    from cadre_desk.units import units

    kind_of = units.kinds()
    rank_names = codes.table("RANK")
    counts: Counter = Counter()
    for _cid, unit_id, rank in reads.cadre_rows(("unit", "rank"), status="1"):
        counts[(rank_names.name(rank) or "未填写", kind_of.get(unit_id) or "未分类")] += 1
    kinds = [*units.KINDS] + (["未分类"] if any(k == "未分类" for _r, k in counts) else [])
    levels = [name for name in [*rank_names.names(), "未填写"] if any(counts[(name, k)] for k in kinds)]
    return kinds, [(level, [counts[(level, k)] for k in kinds]) for level in levels]


def export_stats(path: str | Path, progress: Progress = NO_PROGRESS, reason: str = "") -> Path:
    import openpyxl
    from openpyxl.styles import Font

    from reports.excel.excel_roster import audit_export, print_setup, save_atomic

    permissions.require(permissions.EXPORT)
    progress.report(0, 0, "正在统计…")
    today = clock.today()
    data = collect(today)
    total = data.pop("_total")[0][1]
    department = settings.department().name
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    progress.report(0, 0, "正在统计工作台…")
    home_sheet(wb, overview(today))
    summary = wb.create_sheet("总览")
    summary.append([f"{department}干部统计表（{format_date(today)}）"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["在职干部总数", total])
    summary.column_dimensions["A"].width = 30
    print_setup(summary, landscape=False, repeat="1:1")  # its title: row 2 (在职干部总数) is data, not a header
    for n, (title, items) in enumerate(data.items(), 1):
        progress.report(n, len(data) + 1, f"正在生成“{title}”…")
        _count_sheet(wb, title, items, total)
        summary.append([f"按{title}：{len(items)} 类"])
    _cross_sheet(wb, *kind_by_level())
    progress.report(len(data), len(data) + 1, "正在生成“职数”…")
    by_unit, by_level = staffing_rows()
    _staffing_sheet(wb, "职数汇总", "各单位职数配备情况（核定、实配、空缺）", STAFFING_SUMMARY_HEADERS, by_unit)
    over = _staffing_sheet(wb, "职数", "各单位分职务层次/职级职数配备情况", STAFFING_HEADERS, by_level)
    summary.append(["职数：超职数配备 " + (f"{over} 处（红色标出）" if over else "无")])
    save_atomic(wb, Path(path))
    audit_export("统计表", path, total, reason)
    return Path(path)


def _count_sheet(wb, title: str, items: list[tuple[str, int]], total: int) -> None:
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.styles import Alignment, Font

    from reports.excel.excel_roster import print_setup, show_axes, value_labels

    ws = wb.create_sheet(title.replace("/", "、"))
    ws.append([f"在职干部按{title}统计"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([UNIT.field("full_name").label if title == UNIT_SHEET else title, "人数", "占比"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    base = total or 1
    for name, count in items:
        ws.append([name, count, count / base])
        ws.cell(ws.max_row, 3).number_format = "0.0%"
    ws.append(["合计", sum(c for _, c in items), 1 if items else 0])
    ws.cell(ws.max_row, 3).number_format = "0.0%"
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36 if title == UNIT_SHEET else 28
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 10
    _wrap_names(ws, {1: ws.column_dimensions["A"].width}, 3, ws.max_row)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:C{ws.max_row - 1}"  # the categories, not the 合计 row
    print_setup(ws, landscape=bool(items))
    if not items:
        return
    if title == UNIT_SHEET:
        _unit_charts(ws, items)
        return
    last = 2 + len(items)
    labels = Reference(ws, min_col=1, min_row=3, max_row=last)
    values = Reference(ws, min_col=2, min_row=2, max_row=last)
    if title in ("性别", "学历", KIND_SHEET):
        chart = PieChart()
        value_labels(chart, percent=True)
    else:
        chart = BarChart()
        show_axes(chart)
        chart.type = "col"
        chart.y_axis.title = "人数"
        chart.y_axis.majorUnit = count_step(max(c for _, c in items))
        chart.legend = None
    chart.title = f"按{title}统计"
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    screen_colours(chart, len(items))
    chart.height, chart.width = 9, 16
    ws.add_chart(chart, "E2")


UNITS_PER_CHART = 15  # a horizontal bar chart of 15 units (14.25 cm) and its 15 rows fit on a landscape page
PT_PER_CM = 72 / 2.54


def _unit_charts(ws, items: list[tuple[str, int]]) -> None:
    """The 单位 sheet's chart in pieces of UNITS_PER_CHART units, each beside its rows of the table, with a
    page break before each, one scale for all: printed, every page has its units' bars with their names and
    scale (one chart of every unit ran over several pages, cut, its scale on the last only). The rows of a
    sheet with several pieces are as tall as a piece's chart over its rows, so no chart reaches below its
    page break (a spreadsheet program draws no chart's part past it)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.pagebreak import Break

    from reports.excel.excel_roster import bar_height, show_axes, top_down

    step = count_step(max(c for _, c in items))
    top = max(step, -(-max(c for _, c in items) // step) * step)
    pieces = range(0, len(items), UNITS_PER_CHART)
    if len(pieces) > 1:
        row_pt = -(-bar_height(UNITS_PER_CHART, 9) * PT_PER_CM // UNITS_PER_CHART)
        for row in range(3, 3 + len(items)):
            ws.row_dimensions[row].height = max(row_pt, ws.row_dimensions[row].height or 0)
            for column in (1, 2, 3):
                ws.cell(row, column).alignment = Alignment(vertical="center", wrap_text=ws.cell(row, column).alignment.wrap_text)
    for n, start in enumerate(pieces, 1):
        first, last = 3 + start, 2 + min(len(items), start + UNITS_PER_CHART)
        chart = BarChart()
        show_axes(chart)
        chart.type = "bar"
        top_down(chart)  # the units in the table's order
        chart.y_axis.title = "人数"
        chart.y_axis.majorUnit = step
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, top
        chart.legend = None
        chart.title = f"按{UNIT_SHEET}统计" + (f"（{n}/{len(pieces)}）" if len(pieces) > 1 else "")
        chart.add_data(Reference(ws, min_col=2, min_row=first, max_row=last))
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        screen_colours(chart, last - first + 1)
        chart.height, chart.width = bar_height(last - first + 1, 9), 18
        if start:
            ws.row_breaks.append(Break(id=first - 1))
        ws.add_chart(chart, f"E{first}")


def screen_colours(chart, categories: int) -> None:
    """The screen's colours (cadre_desk.home.overview.CHART_COLOURS): a pie's slices in turn, a bar chart's
    bars in the first; so 男 and 女 have the same colours on every sheet, and in Excel and LibreOffice alike
    (each has its own palette otherwise)."""
    from openpyxl.chart.series import DataPoint

    series = chart.series[0]
    if chart.tagname == "pieChart":
        for i in range(categories):
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = CHART_COLOURS[i % len(CHART_COLOURS)].lstrip("#")
            series.dPt.append(point)
    else:
        series.graphicalProperties.solidFill = CHART_COLOURS[0].lstrip("#")


def home_sheet(wb, figures) -> None:
    """The 工作台 sheet: scope and day, the five counts, and each chart's table (category, 人数, 占比)
    with its native chart beside it — the screen's figures, in the screen's colours."""
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    from reports.excel.excel_roster import bar_height, print_setup, show_axes, top_down, value_labels

    ws = wb.create_sheet("工作台")
    ws.append([f"{settings.department().name}干部工作台"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统计范围：{figures.scope_text}　截至 {format_date(figures.day)}"])
    ws.append([])
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8ECF1")
    ws.append([figure.label for figure in figures.counts])  # the five counts, as the screen's tiles
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(horizontal="center")
    ws.append([figure.value for figure in figures.counts])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 26
    for column in "BCDE":
        ws.column_dimensions[column].width = 13
    ws.row_dimensions[1].height = ws.row_dimensions[5].height = 22  # 14-point lines
    row = ws.max_row + 2
    blocks: list[tuple[int, float]] = []  # each chart's first row and the points down to its table's or chart's end
    for chart in figures.charts:
        ws.cell(row, 1, chart.title).font = Font(bold=True, size=12)
        ws.row_dimensions[row].height = 18
        header = row + 1
        for column, text in enumerate((chart.category, "人数", "占比"), 1):
            cell = ws.cell(header, column, text)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(horizontal="center")
        total = chart.total or 1
        for n, (name, count) in enumerate(chart.items, header + 1):
            ws.cell(n, 1, name)
            ws.cell(n, 2, count)
            ws.cell(n, 3, count / total).number_format = "0.0%"
        last = header + len(chart.items)
        ws.cell(last + 1, 1, "合计").font = bold
        ws.cell(last + 1, 2, chart.total).font = bold
        if chart.items:
            native = PieChart() if chart.kind == "pie" else BarChart()
            if chart.kind == "pie":
                value_labels(native, percent=True)
            else:
                show_axes(native)
                native.type = "bar"  # horizontal, as on the screen
                top_down(native)  # the first category on top
                native.y_axis.title = "人数"
                native.y_axis.majorUnit = count_step(max(n for _, n in chart.items))
                native.legend = None
                value_labels(native)
            native.title = chart.title
            native.add_data(Reference(ws, min_col=2, min_row=header, max_row=last), titles_from_data=True)
            native.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
            screen_colours(native, len(chart.items))
            native.height = bar_height(len(chart.items), 6.5)
            native.width = HOME_CHART_CM
            ws.add_chart(native, f"E{row}")
        table_pt = 18 + (last + 1 - row) * LINE_HEIGHT
        blocks.append((row, max(table_pt, native.height * PT_PER_CM) if chart.items else table_pt))
        row = max(last + 3, row + int(native.height * 2) + 2 if chart.items else last + 3)
    # printed for a meeting: landscape, one page wide (the charts beside their tables at ~95 %; upright they
    # were shrunk to ~64 %), each chart with its table whole on a page, no rows repeated (a sheet of blocks,
    # each with its own header row; none is taller than a page: the charts are of a few bars)
    print_setup(ws, landscape=True, repeat=None)
    ws.sheet_format.defaultRowHeight, ws.sheet_format.customHeight = LINE_HEIGHT, True  # the rows the breaks count
    _break_between_blocks(ws, blocks, width_pt=sum(ws.column_dimensions[c].width for c in "ABCD") * 7 * 0.75
                          + HOME_CHART_CM * PT_PER_CM)
    ws.freeze_panes = None


A4_PT = (595.0, 842.0)  # an A4 page's width and height in points
HOME_CHART_CM = 15  # the 工作台 sheet's charts, beside their tables


def _break_between_blocks(ws, blocks: list[tuple[int, float]], width_pt: float) -> None:
    """Page breaks before each block (first row, points tall) that would run over the page it begins on, the
    page as tall as the print's scale (one page wide, in whole percents as Excel takes it) makes it."""
    from openpyxl.worksheet.pagebreak import Break

    margins = ws.page_margins
    landscape = ws.page_setup.orientation == "landscape"
    page_w, page_h = (A4_PT[1], A4_PT[0]) if landscape else A4_PT
    scale = min(100, int(100 * (page_w - 72 * (margins.left + margins.right)) / width_pt)) / 100
    room = (page_h - 72 * (margins.top + margins.bottom)) / scale

    def height(first: int, stop: int) -> float:
        return sum(ws.row_dimensions[r].height or LINE_HEIGHT for r in range(first, stop))

    used = height(1, blocks[0][0]) if blocks else 0.0
    for n, (first, tall) in enumerate(blocks):
        if used + tall > room and used > 0:
            ws.row_breaks.append(Break(id=first - 1))
            used = 0.0
        used += height(first, blocks[n + 1][0]) if n + 1 < len(blocks) else tall


def _wrap_names(ws, widths: dict[int, float], first: int, last: int) -> None:
    """The name columns (``widths``: column → width) of rows ``first``..``last`` wrapped, each row as tall
    as its longest name's lines: a unit's full name wider than its column (兴平市乡村振兴局（兴平市扶贫开发
    服务中心、…）) was cut off at the next column on paper (neither Excel nor Calc grows a row on opening)."""
    from openpyxl.styles import Alignment

    for row in range(first, last + 1):
        lines = 1
        for column, width in widths.items():
            value = ws.cell(row, column).value
            if isinstance(value, str) and len(value) * 2 > width - 1.5:
                lines = max(lines, lines_needed(value, width))
        if lines > 1:
            for column in widths:
                ws.cell(row, column).alignment = Alignment(vertical="center", wrap_text=True)
            ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _staffing_sheet(wb, title: str, heading: str, headers: tuple[str, ...], rows: list[tuple]) -> int:
    """职数 rows (names first, then 核定 / 实配 / 空缺 / 超职数), over-staffed rows in red, a 合计 row;
    returns how many rows are over."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from reports.excel.excel_roster import fitted_widths, print_setup

    ws = wb.create_sheet(title)
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    red = PatternFill("solid", fgColor="F8D7DA")
    red_font = Font(color="B00020", bold=True)
    names = len(headers) - 4  # the columns before the four numbers
    over_rows = 0
    for row in rows:
        ws.append(list(row))
        if row[-1]:
            over_rows += 1
            for cell in ws[ws.max_row]:
                cell.fill = red
            ws.cell(ws.max_row, len(row)).font = red_font
    ws.append(["合计"] + [None] * (names - 1) + [sum(r[i] for r in rows) for i in range(names, names + 4)])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    widths = fitted_widths(headers, (36, 10, 16)[:names] + (10, 8, 8, 8))
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    _wrap_names(ws, dict(enumerate(widths[:names], 1)), 3, ws.max_row)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(2, ws.max_row - 1)}"
    print_setup(ws, landscape=False, widths=widths)  # a narrow table: upright, the page filled
    return over_rows


def _cross_sheet(wb, kinds: list[str], rows: list[tuple[str, list[int]]]) -> None:
    """职务层次/职级 × 单位类别, with a 合计 column and row (each adds up to the serving cadres)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from reports.excel.excel_roster import print_setup

    rank_label = STAFFING.field("rank_name").label
    ws = wb.create_sheet("单位类别×职务层次")
    ws.append([f"在职干部按{UNIT.field('kind').label}和{rank_label}统计"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([rank_label, *kinds, "合计"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for level, counts in rows:
        ws.append([level, *counts, sum(counts)])
    totals = [sum(counts[i] for _l, counts in rows) for i in range(len(kinds))]
    ws.append(["合计", *totals, sum(totals)])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    for column in range(2, len(kinds) + 3):
        ws.column_dimensions[get_column_letter(column)].width = 11
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(kinds) + 2)}{max(2, ws.max_row - 1)}"
    print_setup(ws, landscape=False)  # a narrow table: upright
