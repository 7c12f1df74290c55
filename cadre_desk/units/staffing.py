"""职数: per unit and 职务层次/职级 (the RANK code table), 核定 (approved, kept per unit), 实配 (filled:
the unit's cadres in post, 在职, at that level, counted) and 空缺 (vacant). 实配 above 核定 is
over-staffing (超职数配备): flagged on the units screen, in the statistics workbook and as a reminder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from peewee import SQL, fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.errors import ValidationError
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import Cadre, Unit, UnitStaffing
from cadre_desk.units.units import VERSIONED_BY, get_unit

IN_POST = "1"  # STATUS 在职
MAX_APPROVED = 9999


@dataclass(frozen=True)
class StaffingLine:
    rank: str  # RANK code
    rank_name: str
    approved: int  # 核定
    filled: int  # 实配

    @property
    def vacant(self) -> int:
        """空缺: approved posts nobody fills (never negative; over-staffing is ``over``)."""
        return max(0, self.approved - self.filled)

    @property
    def over(self) -> int:
        """How many cadres more than approved (超职数)."""
        return max(0, self.filled - self.approved)


@dataclass(frozen=True)
class UnitStaffingSummary:
    unit_id: int
    lines: tuple[StaffingLine, ...]

    @property
    def approved(self) -> int:
        return sum(line.approved for line in self.lines)

    @property
    def filled(self) -> int:
        return sum(line.filled for line in self.lines)

    @property
    def vacant(self) -> int:
        return sum(line.vacant for line in self.lines)

    @property
    def over(self) -> int:
        return sum(line.over for line in self.lines)


def rank_order() -> dict[str, int]:
    return {code: i for i, (code, _name) in enumerate(codes.table("RANK").items)}


def _lines(approved: Mapping[str, int], filled: Mapping[str, int]) -> tuple[StaffingLine, ...]:
    """Lines for every level that has approved posts or cadres, in the code table's order. Cadres
    without a level are not counted against any 职数."""
    table = codes.table("RANK")
    order = rank_order()
    ranks = sorted({r for r, n in approved.items() if n} | {r for r, n in filled.items() if r and n},
                   key=lambda r: (order.get(r, len(order)), r))
    return tuple(StaffingLine(r, table.name(r), int(approved.get(r, 0)), int(filled.get(r, 0))) for r in ranks)


def _visible(unit_ids: Iterable[int] | None) -> set[int] | None:
    """The units asked for, within the operator's units (None: every unit); none at all for an
    operator who may not read cadre data (三员分立): 实配 counts cadres."""
    current = access_scope.current()
    if not current.permits(permissions.READ):
        return set()
    allowed = None if current.units is None else set(current.units)
    if unit_ids is None:
        return allowed
    wanted = set(unit_ids)
    return wanted if allowed is None else wanted & allowed


def staffing_table(unit_ids: Iterable[int] | None = None) -> dict[int, UnitStaffingSummary]:
    """unit id → its 职数 (units with neither approved posts nor cadres are left out). Two queries
    whatever the number of units and cadres."""
    visible = _visible(unit_ids)
    approved: dict[int, dict[str, int]] = {}
    query = UnitStaffing.select(UnitStaffing.unit, UnitStaffing.rank, UnitStaffing.approved)
    # COUNT(*): counted from the index (status, unit, rank) alone, ~30 % less than COUNT(id)
    counts = (Cadre.select(Cadre.unit, Cadre.rank, fn.COUNT(SQL("*"))).where(Cadre.status == IN_POST)
              .group_by(Cadre.unit, Cadre.rank))
    if visible is not None:
        query = query.where(UnitStaffing.unit.in_(sorted(visible)))
        counts = counts.where(Cadre.unit.in_(sorted(visible)))
    # plain rows from the driver (ids, codes and numbers as stored): a thousand rows, no converter each
    for unit_id, rank, number in database.execute(query).fetchall():
        approved.setdefault(unit_id, {})[rank] = number
    filled: dict[int, dict[str, int]] = {}
    for unit_id, rank, number in database.execute(counts).fetchall():
        filled.setdefault(unit_id, {})[rank or ""] = number
    out = {}
    for unit_id in sorted(set(approved) | set(filled)):
        lines = _lines(approved.get(unit_id, {}), filled.get(unit_id, {}))
        if lines:
            out[unit_id] = UnitStaffingSummary(unit_id, lines)
    return out


def unit_staffing(unit_id: int) -> UnitStaffingSummary:
    return staffing_table([unit_id]).get(unit_id, UnitStaffingSummary(unit_id, ()))


def approved_of(unit_id: int) -> dict[str, int]:
    """The unit's 核定职数 as stored: RANK code → number."""
    return dict(UnitStaffing.select(UnitStaffing.rank, UnitStaffing.approved)
                .where(UnitStaffing.unit == unit_id).tuples())


def set_approved(unit_id: int, approved: Mapping[str, int], version: int) -> int:
    """Replace the unit's 核定职数 (RANK code → number; 0 or missing: none). Checked against the
    unit's ``version`` (a stale form is a conflict) and audited. Returns the unit's new version."""
    access_scope.current().require(permissions.EDIT, unit_id=unit_id)
    table = codes.table("RANK")
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for rank, number in approved.items():
        if not table.has_code(rank):
            errors[rank] = f"职务层次/职级代码“{rank}”不在代码表中"
            continue
        try:
            value = int(number)
        except (TypeError, ValueError):
            errors[rank] = f"{table.name(rank)}的核定职数应为整数"
            continue
        if value < 0 or value > MAX_APPROVED:
            errors[rank] = f"{table.name(rank)}的核定职数应在 0—{MAX_APPROVED} 之间"
        elif value:
            clean[rank] = value
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        unit = get_unit(unit_id)
        if unit.version != version:
            raise conflicts.stale(VERSIONED_BY, unit_id, f"单位“{unit.full_name}”")
        old = approved_of(unit_id)
        if old == clean:
            return version
        changed = (Unit.update(version=Unit.version + 1, updated_at=clock.now_iso())
                   .where(Unit.id == unit_id, Unit.version == version).execute())
        if not changed:
            raise conflicts.stale(VERSIONED_BY, unit_id, f"单位“{unit.full_name}”")
        UnitStaffing.delete().where(UnitStaffing.unit == unit_id).execute()
        if clean:
            UnitStaffing.insert_many([{"unit": unit_id, "rank": r, "approved": n} for r, n in clean.items()]).execute()
        diff = {table.name(r): [old.get(r), clean.get(r)] for r in sorted(set(old) | set(clean))
                if old.get(r) != clean.get(r)}
        audit.record(audit.UPDATE, "单位职数", unit_id, f"修改 {unit.full_name} 的核定职数", diff)
    return version + 1


def over_staffed() -> list[tuple[int, StaffingLine]]:
    """(unit id, line) for every level where more cadres are in post than approved — only where
    the unit has 核定职数 at all (a unit nobody set 职数 for is not "over")."""
    with_approved = {uid for (uid,) in UnitStaffing.select(UnitStaffing.unit).distinct().tuples()}
    out = []
    for unit_id, summary in staffing_table(with_approved).items():
        out.extend((unit_id, line) for line in summary.lines if line.over)
    return out


def reminders() -> list:
    """超职数配备 as reminders of the 工作台 (each shown to the operators of its unit; a click opens it)."""
    from cadre_desk.home.reminders import UNIT, Reminder
    from cadre_desk.units.units import full_names

    rows = over_staffed()
    if not rows:
        return []
    names = full_names()
    return [Reminder("职数", f"{names.get(uid, uid)} {line.rank_name}超职数配备：核定 {line.approved} 名，"
                             f"实配 {line.filled} 名，超出 {line.over} 名", level="warning", record=UNIT,
                     record_id=uid, unit_id=uid)
            for uid, line in rows]


def checks() -> list[str]:
    """``check``: every unit has a 全称 and a kind from the agreed list; 核定职数 only at levels of the code
    table, never negative."""
    from cadre_desk.units.units import KINDS

    problems = []
    for uid, name, full_name, kind in Unit.select(Unit.id, Unit.name, Unit.full_name, Unit.kind).tuples():
        if not (full_name or "").strip():
            problems.append(f"单位“{name}”（{uid}）没有单位全称")
        if kind not in KINDS:
            problems.append(f"单位“{full_name or name}”（{uid}）的单位类别“{kind}”不在 {'、'.join(KINDS)} 之中")
    table = codes.table("RANK")
    for uid, rank, number in UnitStaffing.select(UnitStaffing.unit, UnitStaffing.rank, UnitStaffing.approved).tuples():
        if not table.has_code(rank) or number < 0:
            problems.append(f"单位编号 {uid} 的核定职数有误：职务层次/职级“{rank}”，{number} 名")
    return problems
