"""What the home page and `check` say about 政治体检: a quarter without its 提醒单, rounds due or overdue
with sheets not checked back, problems still 整改中 after a while, and records that break the rules."""

from __future__ import annotations

import datetime as _dt
import json

from peewee import fn

from cadre_desk.checkups.checkup_sheets import SheetFilter, search
from cadre_desk.checkups.checkups import (
    FIXED,
    FIXING,
    RESULTS,
    list_rounds,
    quarter_bounds,
    quarter_label,
    quarter_of,
)
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, from_date, to_date
from cadre_desk.store.checkup_models import CheckupRound, CheckupSheet
from cadre_desk.store.models import Cadre

CATEGORY = "政治体检"
ISSUE_GRACE_DAYS = 15  # a quarter's 提醒单 is expected by its 15th day
DUE_SOON_DAYS = 7
FIXING_DAYS = 60  # 整改中 this long: ask how the rectification goes
ROUND = "checkup_round"  # the kind of record a round's reminder opens: the page on its 未核查


def reminders(today: _dt.date | None = None):
    from cadre_desk.home.reminders import Reminder

    today = today or clock.today()
    out = []
    rounds = list_rounds()
    year, quarter = quarter_of(today)
    start, _end = quarter_bounds(year, quarter)
    if (today - start).days >= ISSUE_GRACE_DAYS - 1 and not any(r.year == year and r.quarter == quarter for r in rounds):
        out.append(Reminder(CATEGORY, f"本季度（{quarter_label(year, quarter)}）尚未下发政治体检提醒单"))
    for info in rounds:
        if not info.missing_count or not info.due:
            continue
        left = (to_date(info.due) - today).days
        if left < 0:
            out.append(Reminder(CATEGORY, f"{info.quarter_label}政治体检提醒单“{info.title}”已过核查截止日期"
                                f"（{format_date(info.due)}），尚有 {info.missing_count} 人未核查对单", level="warning",
                                due=info.due, record=ROUND, record_id=info.id))
        elif left <= DUE_SOON_DAYS:
            out.append(Reminder(CATEGORY, f"{info.quarter_label}政治体检提醒单“{info.title}”将于 {format_date(info.due)}"
                                f" 截止核查，尚有 {info.missing_count} 人未核查对单", due=info.due, record=ROUND,
                                record_id=info.id))
    for sheet in search(SheetFilter(result=FIXING)).rows:
        days = (today - to_date(sheet.checked_on)).days if sheet.checked_on else 0
        if days >= FIXING_DAYS:
            out.append(Reminder(CATEGORY, f"{sheet.cadre_name}{sheet.quarter_label}政治体检发现的问题整改中已 {days} 天，"
                                "请跟进整改情况", sheet.cadre_id, "warning",
                                from_date(to_date(sheet.checked_on) + _dt.timedelta(days=FIXING_DAYS))))
    return out


def checks() -> list[str]:
    problems = []
    rounds = {}
    for row in CheckupRound.select():
        rounds[row.id] = row
        label = f"政治体检提醒单 {row.id}（{row.title}）"
        if row.quarter not in (1, 2, 3, 4):
            problems.append(f"{label}：季度“{row.quarter}”无效")
        if row.due and row.due < row.issued_on:
            problems.append(f"{label}：核查截止日期早于下发日期")
        try:
            items = json.loads(row.items or "[]")
            if not isinstance(items, list) or not items:
                problems.append(f"{label}：没有对照检查项目")
        except ValueError:
            problems.append(f"{label}：对照检查项目无法读取")
    for row in CheckupSheet.select(CheckupSheet, Cadre.name).join(Cadre).objects().iterator():
        label = f"政治体检核查 {row.id}（{row.name}）"
        issued = rounds[row.round_id].issued_on if row.round_id in rounds else ""
        if row.result and row.result not in RESULTS:
            problems.append(f"{label}：核查结果“{row.result}”无效")
        if row.result and not row.checked_on:
            problems.append(f"{label}：已核查但没有核查日期")
        if not row.result and row.checked_on:
            problems.append(f"{label}：未核查却有核查日期")
        if row.checked_on and issued and row.checked_on < issued:
            problems.append(f"{label}：核查日期早于提醒单下发日期")
        if row.result in (FIXED, FIXING) and not row.findings:
            problems.append(f"{label}：结果为{row.result}但没有填写存在问题")
    twice = (CheckupSheet.select(CheckupSheet.cadre, CheckupRound.year, CheckupRound.quarter, fn.COUNT(CheckupSheet.id))
             .join(CheckupRound).group_by(CheckupSheet.cadre, CheckupRound.year, CheckupRound.quarter)
             .having(fn.COUNT(CheckupSheet.id) > 1).tuples())
    for cadre_id, year, quarter, count in twice:
        name = Cadre.select(Cadre.name).where(Cadre.id == cadre_id).scalar() or ""
        problems.append(f"干部“{name}”{quarter_label(year, quarter)}有 {count} 份政治体检提醒单")
    return problems
