"""政治体检, the sheets: searched and counted (per unit too), each checked back (核查对单: 无问题, 已整改 or
整改中, one at a time or many 无问题 at once, or undone), and printed as 提醒单. The checklist and the rounds
that hand the sheets out are in cadre_desk.checkups.checkups; its docstring says the rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import chunked

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.care import record_kit
from cadre_desk.checkups.checkups import (
    E_SHEET,
    RESULT_FILTERS,
    UNCHECKED_LABEL,
    get_round,
    quarter_label,
    result_label,
)
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import CHECKUP_SHEET
from cadre_desk.security import audit
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.checkup_models import (
    CLEAN,
    FIXED,
    FIXING,
    RESULTS,
    UNCHECKED,
    CheckupRound,
    CheckupSheet,
)
from cadre_desk.store.db import write_transaction

# ---- plain data ---------------------------------------------------------------------------------

@dataclass
class SheetInfo:
    id: int
    version: int
    round_id: int
    cadre_id: int
    cadre_name: str
    unit_id: int | None
    unit_name: str
    position: str
    year: int
    quarter: int
    result: str
    checked_on: str
    checker: str
    findings: str
    rectification: str
    due: str = ""

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def result_label(self) -> str:
        return result_label(self.result)

    @property
    def checked(self) -> bool:
        return bool(self.result)


@dataclass
class SheetFilter:
    round_id: int | None = None
    year: int | None = None
    quarter: int | None = None
    unit_id: int | None = None  # that unit and below
    result: str = ""  # "" every sheet, 未核查, or one of RESULTS
    text: str = ""  # in the name, the problems found or the measures
    cadre_id: int | None = None


@dataclass
class SheetSearch:
    """Sheets found and their count by result, in one step."""

    rows: list[SheetInfo]
    counts: dict[str, int]

    def summary(self) -> str:
        parts = [f"{label} {self.counts.get(label, 0)} 人" for label in RESULT_FILTERS if self.counts.get(label)]
        return f"共 {len(self.rows)} 人" + (f"：{'，'.join(parts)}" if parts else "")


@dataclass
class UnitSummary:
    unit_id: int | None
    unit_name: str
    issued: int = 0
    clean: int = 0
    fixed: int = 0
    fixing: int = 0

    @property
    def checked(self) -> int:
        return self.clean + self.fixed + self.fixing

    @property
    def missing(self) -> int:
        return self.issued - self.checked

    @property
    def rate(self) -> str:
        return f"{self.checked * 100 / self.issued:.1f}%" if self.issued else ""


@dataclass
class ReminderSheet:
    """Everything a printed 提醒单 says."""

    sheet_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    position: str
    quarter_label: str
    title: str
    issued_on: str
    due: str
    items: list[tuple[str, str]]
    result: str = ""
    checked_on: str = ""
    checker: str = ""
    findings: str = ""
    rectification: str = ""


# ---- sheets: results, search, counts -------------------------------------------------------------------

def _sheet_query(flt: SheetFilter):
    query = (CheckupSheet.select(CheckupSheet, CheckupRound.year, CheckupRound.quarter, CheckupRound.due)
             .join(CheckupRound).switch(CheckupSheet))
    if flt.round_id:
        query = query.where(CheckupSheet.round == flt.round_id)
    if flt.year:
        query = query.where(CheckupRound.year == flt.year)
    if flt.quarter:
        query = query.where(CheckupRound.quarter == flt.quarter)
    if flt.cadre_id:
        query = query.where(CheckupSheet.cadre == flt.cadre_id)
    query = record_kit.in_unit(query, CheckupSheet.cadre, flt.unit_id)
    if flt.result == UNCHECKED_LABEL:
        query = query.where(CheckupSheet.result == UNCHECKED)
    elif flt.result:
        query = query.where(CheckupSheet.result == flt.result)
    text = (flt.text or "").strip()
    if text:
        named = record_kit.named(text)
        query = query.where(CheckupSheet.findings.contains(text) | CheckupSheet.rectification.contains(text)
                            | CheckupSheet.cadre.in_(named))
    return record_kit.scoped(query, CheckupSheet.cadre)


def _sheet_infos(query) -> list[SheetInfo]:
    rows = query.order_by(CheckupRound.year.desc(), CheckupRound.quarter.desc(), CheckupSheet.id).dicts()
    return [SheetInfo(r["id"], r["version"], r["round"], r["cadre"], b.name, b.unit_id, b.unit_name, b.position,
                      r["year"], r["quarter"], r["result"], r["checked_on"], r["checker"], r["findings"],
                      r["rectification"], r["due"])
            for r, b in record_kit.with_cadres(rows, lambda r: r["cadre"])]


def search(flt: SheetFilter | None = None) -> SheetSearch:
    """Sheets of the operator's cadres matching ``flt``, and how many of them have each result."""
    rows = _sheet_infos(_sheet_query(flt or SheetFilter()))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.result_label] = counts.get(row.result_label, 0) + 1
    return SheetSearch(rows, counts)


def describe_filter(flt: SheetFilter | None = None) -> str:
    """What ``flt`` chose, in words for a workbook's heading: 2026年第3季度　政治体检提醒单，云江市东城区青山镇，
    未核查 — a list of those not yet checked back must not read as the round's whole result."""
    from cadre_desk.units import units

    flt = flt or SheetFilter()
    if flt.round_id:
        parts = [get_round(flt.round_id).label]
    elif flt.year and flt.quarter:
        parts = [quarter_label(flt.year, flt.quarter)]
    else:
        parts = ["全部提醒单"]
    if flt.unit_id:
        parts.append(units.full_names().get(flt.unit_id) or f"单位{flt.unit_id}")
    if flt.result:
        parts.append(flt.result)
    if flt.text.strip():
        parts.append(f"含“{flt.text.strip()}”")
    return "，".join(parts)


def missing(round_id: int) -> list[SheetInfo]:
    """Who has not been checked back yet in a round."""
    return search(SheetFilter(round_id=round_id, result=UNCHECKED_LABEL)).rows


def sheets_for_cadre(cadre_id: int) -> list[SheetInfo]:
    record_kit.readable_cadre(cadre_id)
    return search(SheetFilter(cadre_id=cadre_id)).rows


def _check_result(result: str, checked_on, checker: str, findings: str, rectification: str, issued_on: str,
                  errors: dict[str, str]) -> dict:
    if result not in RESULTS:
        errors["result_label"] = f"请选择核查结果（{'、'.join(RESULTS)}）。"
    day = record_kit.day(CHECKUP_SHEET, "checked_on", checked_on, errors, required=True)
    if day and issued_on and day < issued_on:
        errors["checked_on"] = f"核查日期不能早于提醒单下发日期（{format_date(issued_on)}）。"
    values = {"result": result, "checked_on": day,
              "checker": record_kit.text(CHECKUP_SHEET, "checker", checker, errors, required=True),
              "findings": record_kit.text(CHECKUP_SHEET, "findings", findings, errors,
                                          required=result in (FIXED, FIXING)),
              "rectification": record_kit.text(CHECKUP_SHEET, "rectification", rectification, errors,
                                               required=result == FIXED)}
    return values


def record_result(sheet_id: int, version: int, *, result: str, checked_on, checker: str = "", findings: str = "",
                  rectification: str = "", overwrite: bool = False) -> SheetInfo:
    """核查对单: the result of one sheet (changeable later, audited); a sheet another changed since ``version``
    is refused unless ``overwrite``."""
    with write_transaction():
        row = record_kit.found(CheckupSheet, sheet_id, "提醒单")
        cadre = record_kit.editable_cadre(row.cadre_id)
        round_row = CheckupRound.get_by_id(row.round_id)
        errors: dict[str, str] = {}
        values = _check_result(result, checked_on, checker or acting_name(), findings, rectification,
                               round_row.issued_on, errors)
        if errors:
            raise ValidationError(errors)
        record_kit.save(CheckupSheet, sheet_id, version, values, E_SHEET,
                        f"{cadre.name} {quarter_label(round_row.year, round_row.quarter)} {result}", overwrite=overwrite)
    return search(SheetFilter(round_id=row.round_id, cadre_id=row.cadre_id)).rows[0]


def record_clean(sheet_ids: Sequence[int], checked_on, checker: str = "") -> int:
    """Many sheets checked back at once with 无问题 (the usual case); those already checked stay as they
    are. Returns how many were recorded."""
    ids = list(dict.fromkeys(sheet_ids))
    with write_transaction():
        rows = []
        for chunk in chunked(ids, 900):
            rows.extend(CheckupSheet.select(CheckupSheet, CheckupRound.issued_on).join(CheckupRound)
                        .where(CheckupSheet.id.in_(chunk) & (CheckupSheet.result == UNCHECKED)).dicts())
        access_scope.current().require_each(permissions.EDIT, [r["cadre"] for r in rows])
        errors: dict[str, str] = {}
        latest_issue = max((r["issued_on"] for r in rows), default="")
        values = _check_result(CLEAN, checked_on, checker or acting_name(), "", "", latest_issue, errors)
        if errors:
            raise ValidationError(errors)
        if not rows:
            return 0
        stamp = clock.now_iso()
        for chunk in chunked([r["id"] for r in rows], 900):
            (CheckupSheet.update(version=CheckupSheet.version + 1, updated_at=stamp, **values)
             .where(CheckupSheet.id.in_(chunk) & (CheckupSheet.result == UNCHECKED)).execute())
        audit.record(audit.UPDATE, E_SHEET, None, f"批量核查对单：{len(rows)} 人无问题（{format_date(values['checked_on'])}）",
                     {"sheet_ids": [None, [r["id"] for r in rows][:200]]})
    return len(rows)


def clear_result(sheet_id: int, version: int) -> None:
    """撤销核查结果: back to 未核查 (a result recorded on the wrong sheet)."""
    with write_transaction():
        row = record_kit.found(CheckupSheet, sheet_id, "提醒单")
        cadre = record_kit.editable_cadre(row.cadre_id)
        values = {"result": UNCHECKED, "checked_on": "", "checker": "", "findings": "", "rectification": ""}
        record_kit.save(CheckupSheet, sheet_id, version, values, E_SHEET, f"撤销 {cadre.name} 的核查结果")


def unit_summary(flt: SheetFilter | None = None, found: SheetSearch | None = None) -> list[UnitSummary]:
    """Per unit (by its 全称, in tree order; units without sheets left out), then a 合计 row: how many were
    issued a sheet, how many are checked back with each result, how many are missing. ``found``: the
    ``search(flt)`` already made (the page lists both: the sheets were searched twice)."""
    from cadre_desk.units import units

    rows = (found if found is not None else search(flt)).rows
    by_unit: dict[int | None, UnitSummary] = {}
    full = units.full_names()
    for row in rows:
        summary = by_unit.get(row.unit_id)
        if summary is None:
            summary = by_unit[row.unit_id] = UnitSummary(row.unit_id, full.get(row.unit_id, row.unit_name))
        summary.issued += 1
        if row.result == CLEAN:
            summary.clean += 1
        elif row.result == FIXED:
            summary.fixed += 1
        elif row.result == FIXING:
            summary.fixing += 1
    order = {u.id: i for i, u in enumerate(units.list_units())}
    out = sorted(by_unit.values(), key=lambda s: order.get(s.unit_id, len(order)))
    total = UnitSummary(None, "合计")
    for s in out:
        total.issued += s.issued
        total.clean += s.clean
        total.fixed += s.fixed
        total.fixing += s.fixing
    return [*out, total] if out else []


# ---- printing --------------------------------------------------------------------------------------

def reminder_sheets(round_id: int, cadre_ids: Sequence[int] | None = None) -> list[ReminderSheet]:
    """The 提醒单 of a round (or of some of its cadres) as printed, in unit order: refused when any of
    them may not be printed by the operator (units, 回避)."""
    info = get_round(round_id)
    rows = search(SheetFilter(round_id=round_id)).rows
    if cadre_ids is not None:
        wanted = set(cadre_ids)
        rows = [r for r in rows if r.cadre_id in wanted]
    access_scope.current().require_each(permissions.PRINT, [r.cadre_id for r in rows])
    from cadre_desk.units import units

    full = units.full_names()
    order = {u.id: i for i, u in enumerate(units.list_units())}
    rows.sort(key=lambda r: (order.get(r.unit_id, 0), r.cadre_id))
    return [ReminderSheet(r.id, r.cadre_id, r.cadre_name, full.get(r.unit_id, r.unit_name), r.position,
                          info.quarter_label, info.title, info.issued_on, info.due, info.items, r.result,
                          r.checked_on, r.checker, r.findings, r.rectification) for r in rows]
