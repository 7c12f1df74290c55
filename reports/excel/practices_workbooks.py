"""Workbooks of the seeds' practices: 政治体检 (核查对单 and 单位汇总), 专业干部信息库 (one sheet per pool),
谈心谈话 and 关爱, 包抓联系, and — for an operator with the 干部监督 grant only — the 提醒 / 函询 / 诫勉 records.
Each sheet writes its page's list (fields.*_LIST: the screen's columns, in its words), units by their
全称, the same title, frozen header, filter and print setup as every workbook; written to a temporary
name, audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.care import care_items, talks
from cadre_desk.checkups import checkup_sheets
from cadre_desk.domain.fields import (
    CARE,
    CARE_LIST,
    CHECKUP_SHEET,
    CHECKUP_SHEET_LIST,
    CHECKUP_SUMMARY,
    CHECKUP_SUMMARY_LIST,
    LIAISON,
    LIAISON_LIST,
    POOL_MEMBER,
    POOL_MEMBER_LIST,
    SUPERVISION,
    SUPERVISION_LIST,
    TALK,
    TALK_LIST,
)
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.domain.text import with_choice
from cadre_desk.liaison import liaison
from cadre_desk.settings import settings
from cadre_desk.supervision import supervision
from cadre_desk.talent import pools
from cadre_desk.units import units
from reports.excel.excel_workbooks import finish_workbook, record_sheet


def _workbook():
    import openpyxl

    return openpyxl.Workbook(write_only=True)


def _share(ws, part: int, whole: int):
    """核查率 as a number shown 75.0% (sortable, summable), as the statistics workbook writes 占比."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=part / whole if whole else None)
    cell.number_format = "0.0%"
    return cell


def _full(rows: list, full: dict[int, str]) -> list:
    """Rows with their unit named by its 全称 (a workbook has no tree beside it)."""
    return [dataclasses.replace(r, unit_name=full.get(r.unit_id, r.unit_name)) for r in rows]


def export_checkups(path: str | Path, progress: Progress = NO_PROGRESS, *, flt: checkup_sheets.SheetFilter | None = None,
                    reason: str = "") -> Path:
    """政治体检: every sheet found by ``flt`` with its result, then the per-unit summary of the same sheets."""
    permissions.require(permissions.EXPORT)
    flt = flt or checkup_sheets.SheetFilter()
    found = checkup_sheets.search(flt)
    department = settings.department().name
    what = checkup_sheets.describe_filter(flt)  # the unit, result and words chosen too: not read as the whole round
    wb = _workbook()
    ws, cells = record_sheet(wb, CHECKUP_SHEET, CHECKUP_SHEET_LIST, "核查对单", f"{department}政治体检核查对单结果（{what}）")
    for n, row in enumerate(_full(found.rows, units.full_names()), 1):
        ws.append(cells(row, n))
        if n % 500 == 0:
            progress.report(n, len(found.rows), "正在导出核查结果…")
    ws, cells = record_sheet(wb, CHECKUP_SUMMARY, CHECKUP_SUMMARY_LIST, "单位汇总",
                             f"{department}政治体检核查情况汇总（{what}）", serial=False)
    for row in checkup_sheets.unit_summary(flt):
        shown = cells(row)
        shown[CHECKUP_SUMMARY_LIST.index("rate")] = _share(ws, row.checked, row.issued)
        ws.append(shown)
    return finish_workbook(wb, path, CHECKUP_SHEET.title, len(found.rows), reason)


def export_pools(path: str | Path, progress: Progress = NO_PROGRESS, *, pool_id: int | None = None,
                 level: str = "", text: str = "", order: Sequence[int] | None = None, reason: str = "") -> Path:
    """专业干部信息库名册: one sheet per pool (or the one asked for), of the members at ``level`` matching
    ``text`` as the page lists them (the heading says what was chosen), in ``order`` (membership ids: the
    page's order, as the clerk sorted it) when given."""
    permissions.require(permissions.EXPORT)
    department = settings.department().name
    full = units.full_names()
    wanted = [p for p in pools.list_pools() if pool_id is None or p.id == pool_id]
    what = pools.describe_filter(level, text)
    place = {member_id: i for i, member_id in enumerate(order or ())}
    wb = _workbook()
    count = 0
    for i, pool in enumerate(wanted, 1):
        members = _full(pools.list_members(pool.id, level=level, text=text), full)
        if order is not None:
            members.sort(key=lambda m: place.get(m.id, len(place)))
        ws, cells = record_sheet(wb, POOL_MEMBER, POOL_MEMBER_LIST, pool.name,
                                 with_choice(f"{department}专业干部信息库——{pool.name}", what))
        for n, member in enumerate(members, 1):
            ws.append(cells(member, n))
        count += len(members)
        progress.report(i, len(wanted), f"正在导出“{pool.name}”…")
    return finish_workbook(wb, path, POOL_MEMBER.title, count, reason)


def export_care(path: str | Path, progress: Progress = NO_PROGRESS, *, reason: str = "") -> Path:
    """谈心谈话 and 关爱 records of the operator's cadres, a sheet each."""
    permissions.require(permissions.EXPORT)
    full = units.full_names()
    wb = _workbook()
    rows = _list_sheet(wb, TALK, TALK_LIST, "谈心谈话", talks.list_talks(), full=full)
    progress.report(1, 2, "正在导出关爱记录…")
    cares = _list_sheet(wb, CARE, CARE_LIST, "关爱事项", care_items.list_care(), full=full)
    return finish_workbook(wb, path, "谈心谈话及关爱记录", len(rows) + len(cares), reason)


def export_talks(path: str | Path, progress: Progress = NO_PROGRESS, *, talk_filter=None, what: str = "",
                 reason: str = "") -> Path:
    """谈心谈话记录 alone, as the 谈心谈话 tab lists them (``talk_filter``, the tab's 单位, 类型, 只看待落实 and
    查找, said by ``what`` in the heading): the sheet ``export_care`` writes first, under the same headers."""
    permissions.require(permissions.EXPORT)
    wb = _workbook()
    progress.report(0, 1, "正在导出谈心谈话记录…")
    rows = _list_sheet(wb, TALK, TALK_LIST, "谈心谈话", talks.list_talks(talk_filter), what)
    return finish_workbook(wb, path, TALK.title, len(rows), reason)


def export_care_items(path: str | Path, progress: Progress = NO_PROGRESS, *, care_filter=None, what: str = "",
                      reason: str = "") -> Path:
    """关爱事项 alone, as its tab lists them (``care_filter``, the tab's 单位, 类别 and 年度, said by ``what``
    in the heading): the sheet the 谈心谈话 tab's 导出 writes beside its talks, under the same headers."""
    permissions.require(permissions.EXPORT)
    wb = _workbook()
    progress.report(0, 1, "正在导出关爱记录…")
    cares = _list_sheet(wb, CARE, CARE_LIST, "关爱事项", care_items.list_care(care_filter), what)
    return finish_workbook(wb, path, CARE.title, len(cares), reason)


def _list_sheet(wb, spec, columns, sheet: str, rows: list, what: str = "", *, full: dict[int, str] | None = None) -> list:
    """One sheet of a list: ``rows`` under ``columns``, units by 全称, headed by the department, the record's
    title and the choice it was listed under (``what``); the rows written."""
    rows = _full(rows, units.full_names() if full is None else full)
    ws, cells = record_sheet(wb, spec, columns, sheet, with_choice(f"{settings.department().name}{spec.title}", what))
    for n, row in enumerate(rows, 1):
        ws.append(cells(row, n))
    return rows


def export_liaisons(path: str | Path, progress: Progress = NO_PROGRESS, *, listed: dict | None = None, what: str = "",
                    reason: str = "") -> Path:
    """一线干部包抓联系表: the cadres on a posting now, with their contact; ``listed`` the 包抓联系 tab's choice
    (``liaison.list_liaisons``'s state, contact, mine, unassigned), said by ``what`` in the heading."""
    permissions.require(permissions.EXPORT)
    wb = _workbook()
    rows = _list_sheet(wb, LIAISON, LIAISON_LIST, "包抓联系", liaison.list_liaisons(**(listed or {})), what)
    return finish_workbook(wb, path, LIAISON.title, len(rows), reason)


def export_supervision(path: str | Path, progress: Progress = NO_PROGRESS, *,
                       flt: supervision.SupervisionFilter | None = None, what: str = "", reason: str = "") -> Path:
    """提醒函询诫勉记录: only with the 干部监督 grant (and 导出); ``flt`` the page's 单位, 处置方式, 来源 and 查找,
    said by ``what`` in the heading."""
    permissions.require(permissions.EXPORT)
    permissions.require(permissions.SUPERVISE)
    wb = _workbook()
    rows = _list_sheet(wb, SUPERVISION, SUPERVISION_LIST, "监督记录", supervision.list_records(flt), what)
    return finish_workbook(wb, path, SUPERVISION.title, len(rows), reason)
