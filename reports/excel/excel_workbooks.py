"""Workbooks of the other capabilities, through small adapters over their service contracts:
一线锻炼名册 by line (postings), 导师帮带结对表 (mentoring), 考核结果及排名 (appraisals).
A capability that is not installed gives a clear Chinese message instead of a workbook."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from cadre_desk.access import permissions, reads
from cadre_desk.appraisal import appraisals
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.fields import MENTOR_PAIR, POSTING, POSTING_REVIEW, RANKING, RecordSpec
from cadre_desk.domain.periods import period_label
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.mentoring import mentoring
from cadre_desk.postings import posting_review, postings
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


def record_sheet(wb, record: RecordSpec, keys: Sequence[str | tuple[RecordSpec, str]], title: str, heading: str,
                 extra: Sequence[str] = (), serial: bool = True):
    """A sheet of one record's rows: headers and widths from the field registry (the same words as
    the screens), then ``extra`` columns. A key may name another record's field as (record, key): the
    item then carries that attribute too. Returns (sheet, row builder: item → cells)."""
    from reports.excel.excel_roster import SERIAL_HEADER, cell_converter, px_to_width, safe_row

    specs = [record.field(key) if isinstance(key, str) else key[0].field(key[1]) for key in keys]
    headers = ([SERIAL_HEADER] if serial else []) + [spec.label for spec in specs] + list(extra)
    widths = ([6.0] if serial else []) + [px_to_width(spec.width) for spec in specs] + [10.0] * len(extra)
    ws = _sheet(wb, title, heading, headers, widths)
    converters = [(spec.key, cell_converter(spec)) for spec in specs]

    def cells(item, n: int | None = None, more: Sequence = ()) -> list:
        row = [n] if serial else []
        row += [convert(getattr(item, key)) for key, convert in converters]
        return safe_row(ws, row + list(more))

    return ws, cells


REVIEW_COLUMNS = ("home_opinion", "home_signer", "home_date", "host_opinion", "host_signer", "host_date",
                  "org_opinion", "org_signer", "org_date")
RESULT_COLUMNS = ("result_position", "result_rank", "result_date", "result_resume", "result_note",
                  "result_recorded_at")
POSTING_COLUMNS = ("cadre_name", "unit_name", "post_name", "host", "channel", "start", "planned_end", "actual_end",
                   "state", "daily_manager", "guide_name", (POSTING_REVIEW, "grade"),
                   *((POSTING_REVIEW, key) for key in REVIEW_COLUMNS), "outcome",
                   *((POSTING_REVIEW, key) for key in RESULT_COLUMNS))
_NO_REVIEW = ReviewInfo()


def _posting_row(p: PostingInfo, review: ReviewInfo | None, unit_name: str) -> SimpleNamespace:
    """A posting and its 期满鉴定 as one row of the 名册 (the unit by its 全称; 记入干部档案时间 as a day)."""
    review = review or _NO_REVIEW
    values = {key: getattr(review, key) for key in (*REVIEW_COLUMNS, *RESULT_COLUMNS)}
    values["result_recorded_at"] = format_moment(review.result_recorded_at)[:10]
    values.update({f.name: getattr(p, f.name) for f in dataclasses.fields(p)}, unit_name=unit_name)
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


PAIR_COLUMNS = ("mentor_name", "mentor_unit_name", "mentee_name", "mentee_unit_name", "focus", "goals", "start",
                "planned_end", "actual_end", "state", "end_reason", "mentor_rating", "mentor_comment",
                "mentee_rating", "mentee_comment")


def export_mentoring(path: str | Path, progress: Progress = NO_PROGRESS, *, state: str | None = None,
                     reason: str = "") -> Path:
    import openpyxl

    permissions.require(permissions.EXPORT)
    pairs = mentoring.visible_pairs(state=state)
    department = settings.department().name
    wb = openpyxl.Workbook(write_only=True)
    ws, cells = record_sheet(wb, MENTOR_PAIR, PAIR_COLUMNS, "导师帮带", f"{department}导师帮带结对情况表")
    for n, p in enumerate(pairs, 1):
        ws.append(cells(p, n))
        if n % 500 == 0:
            progress.report(n, len(pairs), "正在导出结对…")
    return finish_workbook(wb, path, "导师帮带结对表", len(pairs), reason)


RANK_COLUMNS = ("rank", "name", "unit_name", "total", "grade")


def export_appraisal(path: str | Path, progress: Progress = NO_PROGRESS, *, sheet_ids: Sequence[int] | None = None,
                     reason: str = "") -> Path:
    """考核结果及排名: one worksheet per appraisal sheet, ranked; a column per dimension after 等次."""
    import openpyxl

    permissions.require(permissions.EXPORT)
    # the sheets with members of the operator's units, and of each only those members (ranked in the group)
    sheets = [s for s in appraisals.list_sheets() if sheet_ids is None or s.id in sheet_ids]
    wb = openpyxl.Workbook(write_only=True)
    count = 0
    unit_names = units.full_names()  # a workbook has no tree beside it: units by 全称
    for n, sheet in enumerate(sheets, 1):
        ranking = appraisals.ranking(sheet.id)
        unit_of = dict(reads.cadre_rows(("unit",), [r.cadre_id for r in ranking]))
        heading = f"{sheet.title}（{period_label(sheet.period)}，{sheet.scheme_name}）{RANKING.label}"
        if not sheet.finalized:
            heading += "（未定稿）"
        dims = list(dict.fromkeys(d for row in ranking for d in row.dimension_scores))
        ws, cells = record_sheet(wb, RANKING, RANK_COLUMNS, f"{n}.{sheet.title}", heading, extra=dims, serial=False)
        for row in ranking:
            total = round(row.total, 2) if row.total is not None else None
            row = dataclasses.replace(row, total=total, unit_name=unit_names.get(unit_of.get(row.cadre_id), row.unit_name))
            ws.append(cells(row, more=[row.dimension_scores.get(d) for d in dims]))
            count += 1
        progress.report(n, len(sheets), f"正在导出“{sheet.title}”…")
    return finish_workbook(wb, path, RANKING.label, count, reason)

