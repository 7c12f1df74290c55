"""Workbooks of the other capabilities, through small adapters over their service contracts:
一线锻炼名册 by line (postings), 导师帮带结对表 (mentoring), 考核结果及排名 (appraisals).
A capability that is not installed gives a clear Chinese message instead of a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.appraisal import appraisals
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import PermissionDenied
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.mentoring import mentoring
from cadre_desk.postings import postings
from cadre_desk.settings import settings


def _sheet(wb, title: str, heading: str, headers: Sequence[str], widths: Sequence[float]):
    from reports.excel.excel_roster import setup_sheet

    ws = wb.create_sheet(_sheet_title(title))
    setup_sheet(ws, heading, headers, widths)
    return ws


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, "、")
    return title[:31] or "表"


def _d(value) -> str:
    return format_date(value) if value else ""


def _finish(wb, path, what: str, count: int, reason: str) -> Path:
    from reports.excel.excel_roster import audit_export, save_atomic

    if not wb.worksheets:
        ws = wb.create_sheet("说明")
        ws.append(["没有可导出的数据"])
    save_atomic(wb, Path(path))
    audit_export(what, path, count, reason)
    return Path(path)


POSTING_HEADERS = ("序号", "姓名", "原单位", "锻炼岗位", "岗位主体", "选派方式", "开始时间", "计划结束", "实际结束",
                   "状态", "日常管理单位", "指导干部", "鉴定意见", "锻炼结果")
POSTING_WIDTHS = (6, 10, 22, 22, 18, 10, 10, 10, 10, 8, 18, 10, 40, 14)


def export_postings(path: str | Path, progress: Progress = NO_PROGRESS, *, state: str | None = None,
                    reason: str = "") -> Path:
    """一线锻炼名册: one sheet per line."""
    import openpyxl

    from reports.excel.excel_roster import safe_row

    permissions.require(permissions.EXPORT)
    rows = postings.visible_postings(state=state)
    by_line: dict[str, list] = {}
    for info in rows:
        by_line.setdefault(info.line_name or "未分线", []).append(info)
    department = settings.get("department_name") or ""
    wb = openpyxl.Workbook(write_only=True)
    for line_name, items in by_line.items():
        ws = _sheet(wb, line_name, f"{department}一线锻炼干部名册——{line_name}", POSTING_HEADERS, POSTING_WIDTHS)
        for n, p in enumerate(items, 1):
            ws.append(safe_row(ws, [n, p.cadre_name, p.unit_name, p.post_name, p.host, p.channel, _d(p.start),
                                    _d(p.planned_end), _d(p.actual_end), p.state, p.daily_manager,
                                    p.guide_name or "", p.appraisal_text or "", p.outcome or ""]))
        progress.report(len(items), len(rows), f"正在导出“{line_name}”…")
    return _finish(wb, path, "一线锻炼名册", len(rows), reason)


PAIR_HEADERS = ("序号", "导师", "学员", "帮带重点", "目标", "开始时间", "计划结束", "实际结束", "状态", "终止原因",
                "导师评价得分", "导师评语", "学员评价得分", "学员评语")
PAIR_WIDTHS = (6, 10, 10, 24, 30, 10, 10, 10, 8, 16, 10, 30, 10, 30)


def export_mentoring(path: str | Path, progress: Progress = NO_PROGRESS, *, state: str | None = None,
                     reason: str = "") -> Path:
    import openpyxl

    from reports.excel.excel_roster import safe_row

    permissions.require(permissions.EXPORT)
    pairs = mentoring.visible_pairs(state=state)
    department = settings.get("department_name") or ""
    wb = openpyxl.Workbook(write_only=True)
    ws = _sheet(wb, "导师帮带", f"{department}导师帮带结对情况表", PAIR_HEADERS, PAIR_WIDTHS)
    for n, p in enumerate(pairs, 1):
        ws.append(safe_row(ws, [n, p.mentor_name, p.mentee_name, p.focus or "", p.goals or "", _d(p.start),
                                _d(p.planned_end), _d(p.actual_end), p.state, p.end_reason or "",
                                p.mentor_rating, p.mentor_comment or "", p.mentee_rating, p.mentee_comment or ""]))
        if n % 500 == 0:
            progress.report(n, len(pairs), "正在导出结对…")
    return _finish(wb, path, "导师帮带结对表", len(pairs), reason)


RANK_HEADERS = ("名次", "姓名", "单位", "总分", "等次")
RANK_WIDTHS = (6, 10, 26, 10, 10)


def export_appraisal(path: str | Path, progress: Progress = NO_PROGRESS, *, sheet_ids: Sequence[int] | None = None,
                     reason: str = "") -> Path:
    """考核结果及排名: one worksheet per appraisal sheet, ranked."""
    import openpyxl

    from reports.excel.excel_roster import safe_row

    permissions.require(permissions.EXPORT)
    sheets = [s for s in appraisals.list_sheets() if (sheet_ids is None or s.id in sheet_ids)
              and _readable(appraisals, s.id)]
    wb = openpyxl.Workbook(write_only=True)
    count = 0
    for n, sheet in enumerate(sheets, 1):
        ranking = appraisals.ranking(sheet.id)
        heading = f"{sheet.title}（{sheet.period}，{sheet.scheme_name}）考核结果及排名"
        if not sheet.finalized:
            heading += "（未定稿）"
        scores = _dimension_scores(appraisals, sheet.id, [r.cadre_id for r in ranking])
        dims = list(dict.fromkeys(d for per in scores.values() for d in per))
        ws = _sheet(wb, f"{n}.{sheet.title}", heading, RANK_HEADERS + tuple(dims),
                    RANK_WIDTHS + tuple(10 for _ in dims))
        for row in ranking:
            total = round(row.total, 2) if row.total is not None else None
            per = scores.get(row.cadre_id, {})
            ws.append(safe_row(ws, [row.rank, row.name, row.unit_name, total, row.grade or ""]
                               + [per.get(d) for d in dims]))
            count += 1
        progress.report(n, len(sheets), f"正在导出“{sheet.title}”…")
    return _finish(wb, path, "考核结果及排名", count, reason)


def _readable(appraisals, sheet_id: int) -> bool:
    """Sheets holding cadres outside the operator's units are left out of the workbook."""
    try:
        appraisals.load_sheet(sheet_id, extras=False)
    except PermissionDenied:
        return False
    return True


def _dimension_scores(appraisals, sheet_id: int, cadre_ids: list[int]) -> dict[int, dict[str, float]]:
    """Each member's per-dimension scores on this sheet (empty when the service cannot say)."""
    out: dict[int, dict[str, float]] = {}
    for cadre_id in cadre_ids:
        try:
            results = appraisals.results_for_cadre(cadre_id)
        except Exception:  # noqa: BLE001 - the ranking alone is still a useful workbook
            return {}
        for result in results:
            if result.sheet_id == sheet_id:
                out[cadre_id] = {k: (round(v, 2) if isinstance(v, float) else v)
                                 for k, v in (result.dimension_scores or {}).items()}
    return out
