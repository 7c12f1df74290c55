"""政治体检: each quarter a 提醒单 (reminder sheet) listing the checklist items is handed to the cadres of a
group; each cadre checks himself against it, and the department checks it back (核查对单) and records the
result: 无问题, 已整改 or 整改中, with the problems found and the measures taken.

Rules: a cadre gets one sheet per quarter (a second round of the same quarter leaves him out and says
so); a result needs its date (not before the sheet was issued, not after today) and whoever checked it;
已整改 / 整改中 need the problems, 已整改 the measures. A round with results is not deleted. The
checklist is configurable (系统管理); a round keeps the items as issued, so a later change of the
checklist never changes a sheet already handed out. Everything is read and counted within the
operator's units; reminders and checks are in ``checkup_rules``, the sheets (search, 核查对单,
printing) in ``checkup_sheets``."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peewee import Case, fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.care import record_kit
from cadre_desk.domain import clock
from cadre_desk.domain.errors import NotFoundError, PermissionDenied, ValidationError
from cadre_desk.domain.fields import CHECKUP_ITEM, CHECKUP_ROUND
from cadre_desk.domain.progress import NO_PROGRESS, Progress, in_steps
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.checkup_models import (
    CLEAN,
    FIXED,
    FIXING,
    RESULTS,
    UNCHECKED,
    CheckupItem,
    CheckupRound,
    CheckupSheet,
)
from cadre_desk.store.db import write_transaction

__all__ = ["CLEAN", "FIXED", "FIXING", "RESULTS", "UNCHECKED"]

E_ITEM, E_ROUND, E_SHEET = "政治体检项目", "政治体检提醒单", "政治体检核查"
UNCHECKED_LABEL = "未核查"
RESULT_FILTERS = (UNCHECKED_LABEL, *RESULTS)  # what a search may ask for ("" = every sheet)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度"


def quarter_of(day: _dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[_dt.date, _dt.date]:
    """The first and the last day of a quarter."""
    first = _dt.date(year, 3 * quarter - 2, 1)
    last = (_dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - _dt.timedelta(days=1))
    return first, last


def result_label(result: str) -> str:
    return result or UNCHECKED_LABEL


# ---- plain data ---------------------------------------------------------------------------------

@dataclass
class CheckupItemInfo(record_kit.CatalogueEntry):
    """One item of the checklist (对照检查项目)."""


@dataclass
class RoundInfo:
    id: int
    version: int
    year: int
    quarter: int
    title: str
    issued_on: str
    due: str
    group_note: str
    items: list[tuple[str, str]]
    issuer: str
    sheet_count: int = 0  # sheets of cadres in the operator's units
    checked_count: int = 0
    hidden: int = 0  # sheets of cadres outside them: the round as a whole is not this operator's to change

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def missing_count(self) -> int:
        return self.sheet_count - self.checked_count

    @property
    def label(self) -> str:
        return f"{self.quarter_label}　{self.title}"


@dataclass
class RoundDraft:
    year: int
    quarter: int
    title: str
    issued_on: str
    due: str
    cadre_ids: list[int]
    group_note: str = ""


@dataclass
class IssueResult:
    round: RoundInfo
    issued: int
    skipped: list[str] = field(default_factory=list)  # names already issued a sheet this quarter

    def summary(self) -> str:
        text = f"已向 {self.issued} 名干部下发{self.round.quarter_label}政治体检提醒单。"
        if self.skipped:
            shown = "、".join(self.skipped[:5]) + (f"等 {len(self.skipped)} 人" if len(self.skipped) > 5 else "")
            text += f"\n{shown}本季度已下发过提醒单，未重复下发。"
        return text


# ---- the checklist --------------------------------------------------------------------------------

def _item(row: CheckupItem) -> CheckupItemInfo:
    return CheckupItemInfo(row.id, row.name, row.description, row.sort_order, row.retired)


def list_items(include_retired: bool = False) -> list[CheckupItemInfo]:
    return [_item(r) for r in record_kit.catalogue(CheckupItem, include_retired)]


def save_item(info: CheckupItemInfo, before: CheckupItemInfo | None = None, overwrite: bool = False) -> CheckupItemInfo:
    """Add or change a checklist item (系统管理). Sheets already issued keep the items they were issued with.
    ``before``: the item as the administrator read it — another having saved it otherwise since, the change
    is refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        values = record_kit.catalogue_values(CheckupItem, CHECKUP_ITEM, info, "已有对照检查项目“{name}”。")
        name = values["name"]
        if info.id is None:
            item_id = CheckupItem.insert(**values).execute()
            audit.record(audit.CREATE, E_ITEM, item_id, f"新增政治体检对照检查项目“{name}”")
        else:
            old = record_kit.found(CheckupItem, info.id, "对照检查项目")
            overwritten = record_kit.entry_changed(before, old)
            if overwritten and not overwrite:
                raise conflicts.stale(E_ITEM, info.id, f"对照检查项目“{old.name}”")
            CheckupItem.update(**values).where(CheckupItem.id == info.id).execute()
            item_id = info.id
            audit.record(audit.UPDATE, E_ITEM, item_id, f"修改政治体检对照检查项目“{name}”"
                         + (conflicts.OVERWROTE if overwritten else ""),
                         audit.diff({"name": old.name, "description": old.description, "retired": bool(old.retired)},
                                    values))
    return _item(CheckupItem.get_by_id(item_id))


def move_item(item_id: int, delta: int) -> None:
    """Move an item up (-1) or down (+1) in the printed order."""
    with write_transaction():
        permissions.require(permissions.ADMIN)
        items = list_items(include_retired=True)
        position = next((i for i, item in enumerate(items) if item.id == item_id), None)
        if position is None:
            raise NotFoundError("该对照检查项目不存在或已被删除。")
        target = position + delta
        if not 0 <= target < len(items):
            return
        items[position], items[target] = items[target], items[position]
        for order, item in enumerate(items):
            CheckupItem.update(sort_order=order).where(CheckupItem.id == item.id).execute()
        audit.record(audit.UPDATE, E_ITEM, item_id, f"调整对照检查项目“{items[target].name}”的顺序")


def delete_item(item_id: int, before: CheckupItemInfo | None = None, overwrite: bool = False) -> None:
    """``before``: the item as the administrator last saw it (see save_item; conflicts.check_delete)."""
    with write_transaction():
        row = record_kit.catalogue_entry(CheckupItem, item_id, "对照检查项目")
        suffix = conflicts.check_delete(record_kit.entry_changed(before, row), overwrite, E_ITEM, item_id,
                                        f"对照检查项目“{row.name}”")
        CheckupItem.delete().where(CheckupItem.id == item_id).execute()
        audit.record(audit.DELETE, E_ITEM, item_id, f"删除政治体检对照检查项目“{row.name}”{suffix}")


# ---- rounds -----------------------------------------------------------------------------------------

def _sheets_in_scope(query=None):
    return access_scope.current().restrict(query if query is not None else CheckupSheet.select(),
                                           cadre=CheckupSheet.cadre)


def _round_info(row: CheckupRound, counts: dict[int, tuple[int, int]], everyone: dict[int, int]) -> RoundInfo:
    total, checked = counts.get(row.id, (0, 0))
    items = [tuple(pair) for pair in json.loads(row.items or "[]")]
    return RoundInfo(row.id, row.version, row.year, row.quarter, row.title, row.issued_on, row.due, row.group_note,
                     items, row.issuer, total, checked, max(everyone.get(row.id, 0) - total, 0))


def _round_sizes(round_ids: Sequence[int] | None = None) -> dict[int, int]:
    """round id → its sheets, of every unit (only to say how many are outside the operator's, never who)."""
    if access_scope.current().every_unit:
        return {}
    query = CheckupSheet.select(CheckupSheet.round, fn.COUNT(CheckupSheet.id)).group_by(CheckupSheet.round)
    if round_ids is not None:
        query = query.where(CheckupSheet.round.in_(list(round_ids)))
    return dict(query.tuples())


def _round_counts(round_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
    """round id → (sheets, checked sheets) of cadres in the operator's units."""
    checked = fn.SUM(Case(None, [(CheckupSheet.result != UNCHECKED, 1)], 0))
    query = CheckupSheet.select(CheckupSheet.round, fn.COUNT(CheckupSheet.id), checked).group_by(CheckupSheet.round)
    if round_ids is not None:
        query = query.where(CheckupSheet.round.in_(list(round_ids)))
    return {rid: (total, int(done or 0)) for rid, total, done in _sheets_in_scope(query).tuples()}


def list_rounds(year: int | None = None) -> list[RoundInfo]:
    """Rounds newest first, with the counts of the operator's cadres; a round none of whose sheets is of
    the operator's units is not listed to them."""
    permissions.require(permissions.READ)
    counts = _round_counts()
    query = CheckupRound.select().order_by(CheckupRound.year.desc(), CheckupRound.quarter.desc(),
                                           CheckupRound.id.desc())
    if year:
        query = query.where(CheckupRound.year == year)
    every = access_scope.current().every_unit
    sizes = _round_sizes()
    return [_round_info(r, counts, sizes) for r in query if every or r.id in counts]


def get_round(round_id: int) -> RoundInfo:
    permissions.require(permissions.READ)
    row = record_kit.found(CheckupRound, round_id, "提醒单")
    counts = _round_counts([round_id])
    if not access_scope.current().every_unit and round_id not in counts:
        raise NotFoundError("该提醒单不存在或已被删除。")
    return _round_info(row, counts, _round_sizes([round_id]))


def _check_round(year, quarter, title, issued_on, due, group_note, errors: dict[str, str]) -> dict:
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError):
        year, quarter = 0, 0
    if not 2000 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        errors["quarter_label"] = "请选择年度和季度。"
    values = {"year": year, "quarter": quarter,
              "title": record_kit.text(CHECKUP_ROUND, "title", title, errors),
              "issued_on": record_kit.day(CHECKUP_ROUND, "issued_on", issued_on, errors),
              "due": record_kit.day(CHECKUP_ROUND, "due", due, errors, not_future=False),
              "group_note": record_kit.text(CHECKUP_ROUND, "group_note", group_note, errors)}
    if values["issued_on"] and values["due"] and values["due"] < values["issued_on"]:
        errors["due"] = "核查截止日期不能早于下发日期。"
    return values


def _issued_in_quarter(year: int, quarter: int, cadre_ids: list[int]) -> set[int]:
    """Those of ``cadre_ids`` already issued a sheet in that quarter: the quarter's sheets read through
    their rounds (a few hundred to a few thousand), not 900 ids at a time (40,000 cadres of a unit: 45
    queries, a quarter of a second)."""
    wanted = set(cadre_ids)
    issued = CheckupSheet.select(CheckupSheet.cadre).join(CheckupRound).where(
        (CheckupRound.year == year) & (CheckupRound.quarter == quarter)).tuples()
    return {c for (c,) in issued.iterator() if c in wanted}


def issued_count(year: int, quarter: int, cadre_ids: Iterable[int]) -> int:
    """How many of ``cadre_ids`` (the operator's) already have a sheet of that quarter: the 下发 dialog says
    so before a round that would leave them out (or refuse, when it is all of them)."""
    ids = access_scope.current().allowed_ids(permissions.READ, cadre_ids)
    return len(_issued_in_quarter(int(year), int(quarter), ids)) if ids else 0


SHEETS_PER_STEP = 200  # sheets written between two reports of progress (and chances to 取消)


def _insert_sheets(round_id: int, cadre_ids: list[int], stamp: str, progress: Progress = NO_PROGRESS,
                   doing: str = "下发") -> None:
    for _start, step in in_steps(cadre_ids, SHEETS_PER_STEP, progress, f"正在{doing}提醒单"):
        CheckupSheet.insert_many([{"round": round_id, "cadre": cadre_id, "created_at": stamp, "updated_at": stamp}
                                  for cadre_id in step]).execute()


def issue_round(draft: RoundDraft, progress: Progress = NO_PROGRESS) -> IssueResult:
    """A quarter's 提醒单 to the cadres of ``draft``: one sheet each, except those already issued one
    this quarter (named in the result). The checklist's current items go with it. ``progress`` is told
    of each step; a 取消 there leaves nothing issued (one transaction)."""
    errors: dict[str, str] = {}
    values = _check_round(draft.year, draft.quarter, draft.title, draft.issued_on, draft.due, draft.group_note,
                          errors)
    ids = list(dict.fromkeys(int(i) for i in draft.cadre_ids or ()))
    if not ids:
        errors["cadre_ids"] = "请选择下发提醒单的干部。"
    items = [(i.name, i.description) for i in list_items()]
    if not items:
        errors[""] = "还没有对照检查项目：请先由系统管理员设置政治体检对照检查项目。"
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        progress.report(0, len(ids), f"正在检查 {len(ids)} 名干部…")
        access_scope.current().require_each(permissions.EDIT, ids)
        already = _issued_in_quarter(values["year"], values["quarter"], ids)
        wanted = [i for i in ids if i not in already]
        if not wanted:
            raise ValidationError({"cadre_ids": f"所选干部{quarter_label(values['year'], values['quarter'])}"
                                                "都已下发过提醒单。"})
        stamp = clock.now_iso()
        round_id = CheckupRound.insert(created_at=stamp, updated_at=stamp, items=json.dumps(items, ensure_ascii=False),
                                       issuer=acting_name(), **values).execute()
        _insert_sheets(round_id, wanted, stamp, progress)
        label = f"{quarter_label(values['year'], values['quarter'])}“{values['title']}”"
        audit.record(audit.CREATE, E_ROUND, round_id, f"下发政治体检提醒单 {label}，{len(wanted)} 人",
                     {"cadre_ids": [None, wanted[:200]], "due": [None, values["due"]]})
    names = record_kit.briefs(already)
    return IssueResult(get_round(round_id), len(wanted), sorted(b.name for b in names.values()))


def update_round(round_id: int, version: int, *, title: str, issued_on: str, due: str, group_note: str = "",
                 overwrite: bool = False) -> RoundInfo:
    """Change a 提醒单 round read at ``version``; a stale one is refused unless ``overwrite``."""
    with write_transaction():
        row = record_kit.found(CheckupRound, round_id, "提醒单")
        _require_round_edit(round_id)
        errors: dict[str, str] = {}
        values = _check_round(row.year, row.quarter, title, issued_on, due, group_note, errors)
        if errors:
            raise ValidationError(errors)
        del values["year"], values["quarter"]
        record_kit.save(CheckupRound, round_id, version, values, E_ROUND,
                        f"{quarter_label(row.year, row.quarter)}“{values['title']}”", overwrite=overwrite)
    return get_round(round_id)


def _round_cadres(round_id: int) -> list[int]:
    return [c for (c,) in CheckupSheet.select(CheckupSheet.cadre).where(CheckupSheet.round == round_id).tuples()]


def round_refusal(info: RoundInfo) -> str:
    """Why the operator may not change or delete the round as a whole ("" when they may): it went to
    cadres of other units too. Said by their number alone — never who they are."""
    return _shared_round(info.hidden)


def _shared_round(outside: int) -> str:
    if not outside:
        return ""
    return (f"该批提醒单还下发给了 {outside} 名其他单位的干部，只能由负责全部下发单位的人员修改或删除；"
            "本单位的干部可逐人撤回或补发。")


def _require_round_edit(round_id: int) -> None:
    """A round as a whole changes only for an operator who may edit every cadre in it."""
    cadre_ids = _round_cadres(round_id)
    current = access_scope.current()
    outside = current.unreadable(cadre_ids)
    if outside:  # counted, never named (Scope.unreadable)
        permissions.require(permissions.EDIT)
        raise PermissionDenied(_shared_round(outside))
    if cadre_ids:
        current.require_each(permissions.EDIT, cadre_ids)
    else:
        permissions.require(permissions.EDIT)


def add_cadres(round_id: int, cadre_ids: Iterable[int], progress: Progress = NO_PROGRESS) -> IssueResult:
    """More cadres to a round (a late addition); those already issued a sheet this quarter are left out.
    ``progress`` is told of each step; a 取消 there adds nobody (one transaction)."""
    ids = list(dict.fromkeys(int(i) for i in cadre_ids))
    with write_transaction():
        progress.report(0, len(ids), f"正在检查 {len(ids)} 名干部…")
        row = record_kit.found(CheckupRound, round_id, "提醒单")
        access_scope.current().require_each(permissions.EDIT, ids)
        already = _issued_in_quarter(row.year, row.quarter, ids)
        wanted = [i for i in ids if i not in already]
        if wanted:
            _insert_sheets(round_id, wanted, clock.now_iso(), progress, "补发")
            audit.record(audit.UPDATE, E_ROUND, round_id, f"补发政治体检提醒单 {len(wanted)} 人",
                         {"cadre_ids": [None, wanted[:200]]})
    names = record_kit.briefs(already)
    return IssueResult(get_round(round_id), len(wanted), sorted(b.name for b in names.values()))


def remove_sheet(sheet_id: int) -> None:
    """Take a cadre off a round (issued by mistake); a sheet checked back is kept."""
    with write_transaction():
        row = record_kit.found(CheckupSheet, sheet_id, "提醒单")
        cadre = record_kit.editable_cadre(row.cadre_id)
        if row.result:
            raise ValidationError("该提醒单已有核查结果，不能撤回；如结果有误，请先撤销核查结果。")
        record_kit.remove(CheckupSheet, sheet_id, E_SHEET, f"撤回 {cadre.name} 的政治体检提醒单")


def delete_round(round_id: int) -> None:
    """Delete a round issued by mistake, with its sheets; refused once any sheet has a result."""
    with write_transaction():
        row = record_kit.found(CheckupRound, round_id, "提醒单")
        _require_round_edit(round_id)
        if CheckupSheet.select().where((CheckupSheet.round == round_id) & (CheckupSheet.result != UNCHECKED)).exists():
            raise ValidationError("该批提醒单已有核查结果，不能删除。")
        count = CheckupSheet.delete().where(CheckupSheet.round == round_id).execute()
        record_kit.remove(CheckupRound, round_id, E_ROUND,
                          f"{quarter_label(row.year, row.quarter)}“{row.title}”（{count} 人）")
