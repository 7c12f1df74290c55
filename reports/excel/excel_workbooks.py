"""Workbooks of the other capabilities, through small adapters over their service contracts:
一线锻炼名册 by line (postings), 导师帮带结对表 (mentoring), 考核结果及排名 (appraisals).
A capability that is not installed gives a clear Chinese message instead of a workbook."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from cadre_desk.access import permissions
from cadre_desk.appraisal import appraisals
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.fields import (
    MEETING_LOG,
    MENTOR_PAIR,
    MENTOR_PAIR_LIST,
    POSTING,
    POSTING_LIST,
    POSTING_REVIEW,
    RACE_LIST,
    RANKING,
    RANKING_LIST,
    ListColumn,
    RecordSpec,
    with_more,
)
from cadre_desk.domain.periods import period_beside
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.mentoring import meeting_logs, mentoring
from cadre_desk.postings import posting_data, posting_review, postings
from cadre_desk.postings.posting_data import PostingInfo, ReviewInfo
from cadre_desk.settings import settings
from cadre_desk.units import units


def _sheet(wb, title: str, heading: str, headers: Sequence[str], widths: Sequence[float]):
    from reports.excel.excel_roster import setup_sheet

    ws = wb.create_sheet(_sheet_title(title))
    setup_sheet(ws, heading, headers, widths)
    return ws


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, "、")
    return title[:31] or "表"


def finish_workbook(wb, path, what: str, count: int, reason: str) -> Path:
    from reports.excel.excel_roster import audit_export, save_atomic

    if not wb.worksheets:
        ws = wb.create_sheet("说明")
        ws.append(["没有可导出的数据"])
    save_atomic(wb, Path(path))
    audit_export(what, path, count, reason)
    return Path(path)


def record_sheet(wb, record: RecordSpec, keys: Sequence[ListColumn], title: str, heading: str,
                 extra: Sequence[str] = (), serial: bool = True, titles: dict[str, str] | None = None):
    """A sheet of one record's rows: headers and widths from the field registry (the same words as
    the screens), then ``extra`` columns. A key may name another record's field as (record, key): the
    item then carries that attribute too; ``titles`` a field's header where the screen says more (名次（全部
    5人）). Returns (sheet, row builder: item → cells)."""
    from reports.excel.excel_roster import SERIAL_HEADER, cell_converter, fitted_widths, px_to_width, safe_row

    specs = [record.field(key) if isinstance(key, str) else key[0].field(key[1]) for key in keys]
    titles = titles or {}
    headers = ([SERIAL_HEADER] if serial else []) + [titles.get(spec.key, spec.label) for spec in specs] + list(extra)
    widths = ([6.0] if serial else []) + [px_to_width(spec.width) for spec in specs] + [10.0] * len(extra)
    ws = _sheet(wb, title, heading, headers, widths)
    converters = [(spec.key, cell_converter(spec)) for spec in specs]
    shown_widths = fitted_widths(headers, widths)

    def cells(item, n: int | None = None, more: Sequence = ()) -> list:
        row = [n] if serial else []
        row += [convert(getattr(item, key)) for key, convert in converters]
        return wrapped(ws, safe_row(ws, row + list(more)), shown_widths)

    return ws, cells


def wrapped(ws, row: list, widths: Sequence[float]) -> list:
    """A text wider than its column wraps inside it, top-aligned, so a printed 派出单位意见 or 反映问题 is
    read whole instead of being cut off at the next column."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment

    from cadre_desk.exchange.sheet_layout import text_units

    wrap = Alignment(wrap_text=True, vertical="top")
    for i, value in enumerate(row):
        text = value.value if isinstance(value, Cell) else value
        if text.__class__ is not str or i >= len(widths) or len(text) * 2 <= widths[i]:
            continue
        if text_units(text) <= widths[i]:
            continue
        cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=text)
        cell.alignment = wrap
        row[i] = cell
    return row


REVIEW_COLUMNS = ("home_opinion", "home_signer", "home_date", "host_opinion", "host_signer", "host_date",
                  "org_opinion", "org_signer", "org_date")
RESULT_COLUMNS = ("result_position", "result_rank", "result_date", "result_resume", "result_note",
                  "result_recorded_at")
# the list's columns (the screen's), with the 承接单位, the 期满鉴定's opinions and the outcome's results
# and what the detail below the list says besides: why it was recalled (beside its 状态) and the 备注
POSTING_COLUMNS = with_more(POSTING_LIST, {"post_name": ("host",), "state": ("recall_reason",),
                                           (POSTING_REVIEW, "grade"): tuple((POSTING_REVIEW, k) for k in REVIEW_COLUMNS),
                                           "outcome": (*((POSTING_REVIEW, k) for k in RESULT_COLUMNS), "remarks")})
_NO_REVIEW = ReviewInfo()


def _posting_row(p: PostingInfo, review: ReviewInfo | None, unit_name: str) -> SimpleNamespace:
    """A posting and its 期满鉴定 as one row of the 名册 (the unit by its 全称; 记入干部档案时间 as a day)."""
    review = review or _NO_REVIEW
    values = {key: getattr(review, key) for key in (*REVIEW_COLUMNS, *RESULT_COLUMNS)}
    values["result_recorded_at"] = format_moment(review.result_recorded_at)[:10]
    values.update({f.name: getattr(p, f.name) for f in dataclasses.fields(p)}, unit_name=unit_name)
    left = posting_data.days_left(p)  # a number, as the list shows it; overdue in words (超期 3 天)
    values["days_left"] = left if left is None or left >= 0 else posting_data.days_left_text(p)
    return SimpleNamespace(**values)


def export_postings(path: str | Path, progress: Progress = NO_PROGRESS, *, state: str | None = None,
                    reason: str = "") -> Path:
    """一线锻炼名册: one sheet per line; each posting with its 期满鉴定 (等次, the three signed opinions)
    and the outcome with what it led to."""
    import openpyxl

    permissions.require(permissions.EXPORT)
    rows = postings.visible_postings(state=state)
    reviews = posting_review.reviews_for([p.id for p in rows if p.finished])
    by_line: dict[str, list] = {}
    for info in rows:
        by_line.setdefault(info.line_name or "未分线", []).append(info)
    department = settings.department().name
    unit_names = units.full_names()  # a workbook has no tree beside it: units by 全称
    wb = openpyxl.Workbook(write_only=True)
    for line_name, items in by_line.items():
        ws, cells = record_sheet(wb, POSTING, POSTING_COLUMNS, line_name,
                                 f"{department}一线锻炼干部名册——{line_name}")
        for n, p in enumerate(items, 1):
            ws.append(cells(_posting_row(p, reviews.get(p.id), unit_names.get(p.unit_id, p.unit_name)), n))
        progress.report(len(items), len(rows), f"正在导出“{line_name}”…")
    return finish_workbook(wb, path, "一线锻炼名册", len(rows), reason)


# the list's columns (the screen's), with the goals, the end's reason and the closing comments
PAIR_COLUMNS = with_more(MENTOR_PAIR_LIST, {"focus": ("goals",), "state": ("end_reason",),
                                            "mentor_rating": ("mentor_comment",), "mentee_rating": ("mentee_comment",)})


def export_mentoring(path: str | Path, progress: Progress = NO_PROGRESS, *, state: str | None = None,
                     reason: str = "") -> Path:
    import openpyxl

    permissions.require(permissions.EXPORT)
    pairs = mentoring.visible_pairs(state=state)
    department = settings.department().name
    unit_names = units.full_names()  # a workbook has no tree beside it: 县委办 of which county? units by 全称
    wb = openpyxl.Workbook(write_only=True)
    ws, cells = record_sheet(wb, MENTOR_PAIR, PAIR_COLUMNS, "导师帮带", f"{department}导师帮带结对情况表")
    places = mentoring.posting_labels()  # the linked posting by its "line·post", as the list names it
    for n, p in enumerate(pairs, 1):
        p = dataclasses.replace(p, mentor_unit_name=unit_names.get(p.mentor_unit_id, p.mentor_unit_name),
                                mentee_unit_name=unit_names.get(p.mentee_unit_id, p.mentee_unit_name),
                                posting_id=places.get(p.posting_id) if p.posting_id else None)
        ws.append(cells(p, n))
        if n % 500 == 0:
            progress.report(n, len(pairs), "正在导出结对…")
    _meeting_log_sheet(wb, pairs, department)
    return finish_workbook(wb, path, "导师帮带结对表", len(pairs), reason)


# the 谈话记录 below the list, of the pair they belong to (its 导师 and 帮带对象 as the list names them)
LOG_COLUMNS = ((MENTOR_PAIR, "mentor_name"), (MENTOR_PAIR, "mentee_name"), "date", "form", "content", "next_steps",
               "recorder")


def _meeting_log_sheet(wb, pairs, department: str) -> None:
    """A second sheet with every 谈话记录 of the exported pairs, pair by pair as the list orders them."""
    ws, cells = record_sheet(wb, MEETING_LOG, LOG_COLUMNS, "谈话记录", f"{department}导师帮带谈话记录")
    logs = meeting_logs.logs_of_pairs([p.id for p in pairs])
    n = 0
    for p in pairs:
        for log in logs.get(p.id, ()):
            n += 1
            ws.append(cells(SimpleNamespace(**dataclasses.asdict(log), mentor_name=p.mentor_name,
                                            mentee_name=p.mentee_name), n))


def export_appraisal(path: str | Path, progress: Progress = NO_PROGRESS, *, sheet_ids: Sequence[int] | None = None,
                     reason: str = "") -> Path:
    """考核结果及排名: one worksheet per appraisal sheet, ranked, with the ranking tab's columns; a column
    per dimension after them."""
    import openpyxl

    permissions.require(permissions.EXPORT)
    # the sheets with members of the operator's units, and of each only those members (ranked in the group)
    sheets = [s for s in appraisals.list_sheets() if sheet_ids is None or s.id in sheet_ids]
    wb = openpyxl.Workbook(write_only=True)
    count = 0
    department = settings.department().name
    unit_names = units.full_names()  # a workbook has no tree beside it: units by 全称
    for n, sheet in enumerate(sheets, 1):
        ranking = _ranking_rows(sheet.id, unit_names)
        said = "，".join(t for t in (period_beside(sheet.title, sheet.period), sheet.scheme_name) if t)
        heading = f"{department}{sheet.title}（{said}）{RANKING.label}"  # the period once
        if not sheet.finalized:
            heading += "（未定稿）"
        dims = list(dict.fromkeys(d for row in ranking for d in row.dimension_scores))
        ws, cells = record_sheet(wb, RANKING, RANKING_LIST, f"{n}.{sheet.title}", heading, extra=dims, serial=False)
        for row in ranking:
            ws.append(scores_shown(ws, cells(row, more=[row.dimension_scores.get(d) for d in dims])))
            count += 1
        progress.report(n, len(sheets), f"正在导出“{sheet.title}”…")
    return finish_workbook(wb, path, RANKING.label, count, reason)



def scores_shown(ws, row: list) -> list:
    """A ranking's scores (its only fractional numbers) shown 81.20 under 81.63, never 81.2 or 66."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in row:
        if value.__class__ is float:
            value = WriteOnlyCell(ws, value=value)
            value.number_format = "0.00"
        out.append(value)
    return out


RACE_CHART_TOP = 20  # the chart of a period: its first 20, as on the screen


def export_race(path: str | Path, progress: Progress = NO_PROGRESS, *, key: tuple, period: str | None = None,
                reason: str = "") -> Path:
    """赛马比选: the ranking grouped by post, then period, with the movement against the previous period;
    then the chosen period's ranking (the latest by default) with a native bar chart of its totals.
    One appraisal sheet (key ("sheet", id)): its ranking as the tab shows it (正面清单, 负面清单 too), with
    the chart."""
    import openpyxl

    from cadre_desk.appraisal import racing

    permissions.require(permissions.EXPORT)
    race = racing.with_full_unit_names(racing.load(key))  # a workbook has no tree beside it: units by 全称
    period = period or (race.periods[-1].period if race.periods else "")
    department = settings.department().name
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    label = next((p.label for p in race.periods if p.period == period), period)
    if key[0] == "sheet":
        rows = _ranking_rows(key[1], units.full_names())
        _ranking_sheet(wb, RANKING_LIST, rows, department, f"{race.named_with(period)}排名", label,
                       race.rank_title(period))
        progress.report(1, 1, "正在保存…")
        return finish_workbook(wb, path, "赛马比选", len(rows), reason)

    spans = f"（{race.span}）" if race.span else ""
    ws, cells = record_sheet(wb, RANKING, RACE_LIST, "分组排名", f"{department}{race.field.label}赛马比选{spans}",
                             serial=False, titles={"post_name": race.group_title,  # 考核对象 for one sheet
                                                   "rank": race.rank_title()})  # 名次（全部5人）: a clerk's 3 of 5
    for entry in race.entries:
        ws.append(scores_shown(ws, cells(_rounded(entry))))
    progress.report(1, 2, "正在生成本期排名…")
    ranked = [_rounded(entry) for entry in race.ranking(period)]
    period_columns = RACE_LIST[RACE_LIST.index("rank"):]  # the period's ranking: no post or period column
    _ranking_sheet(wb, period_columns, ranked, department, f"{race.named_with(period)}排名", label,
                   race.rank_title(period))
    progress.report(2, 2, "正在保存…")
    return finish_workbook(wb, path, "赛马比选", len(race.entries), reason)


def _rounded(entry):
    total = round(entry.total, 2) if entry.total is not None else None
    return dataclasses.replace(entry, total=total)


def _ranking_rows(sheet_id: int, unit_names: dict[int, str]) -> list:
    """A sheet's ranking with each cadre's (current) unit by its 全称 and the totals to 0.01 (as the PDF)."""
    from cadre_desk.appraisal import racing

    return racing.sheet_ranking(sheet_id, unit_names)


def _ranking_sheet(wb, columns: Sequence, ranked: Sequence, department: str, what: str, label: str,
                   rank_title: str) -> None:
    """The sheet 「<label>排名」 of a period's ranking: ``ranked`` under ``columns`` (the rank's titled
    ``rank_title``), headed by the department and ``what`` (实绩考核2026年第2季度排名), beside its bar chart of
    the totals."""
    ws, cells = record_sheet(wb, RANKING, columns, f"{label}排名", f"{department}{what}", serial=False,
                             titles={"rank": rank_title})
    for entry in ranked:
        ws.append(scores_shown(ws, cells(entry)))
    _race_chart(ws, columns, ranked, f"{what}（总分）")


def _race_chart(ws, columns: Sequence, ranked: Sequence, title: str) -> None:
    """A native bar chart of the first RACE_CHART_TOP totals of ``ranked`` (written in ``ws`` under
    ``columns`` from its third row), beside the table."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    from cadre_desk.home.overview import CHART_COLOURS
    from reports.excel.excel_roster import bar_height, show_axes, top_down, value_labels

    shown = [e for e in ranked if e.total is not None][:RACE_CHART_TOP]
    if not shown:
        return
    chart = BarChart()
    show_axes(chart)
    chart.type = "bar"
    chart.title = title
    top_down(chart)  # the first place on top
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.number_format = "0"  # the scale 0, 10 … 100, not the totals' 0.00, 10.00 …
    chart.legend = None
    value_labels(chart)
    total_column = list(columns).index("total") + 1
    name_column = list(columns).index("name") + 1
    last = 2 + len(shown)
    chart.add_data(Reference(ws, min_col=total_column, min_row=2, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name_column, min_row=3, max_row=last))
    chart.series[0].graphicalProperties.solidFill = CHART_COLOURS[0].lstrip("#")
    chart.height, chart.width = bar_height(len(shown), 7.5), 16
    ws.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")  # one empty column after the table
