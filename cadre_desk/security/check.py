"""Consistency checks: the engine's own integrity check (SQLite's) plus the app's rules over stored data.

Feature modules append a function() -> list[str] to CHECKS."""

from __future__ import annotations

from collections.abc import Callable

from cadre_desk.security import anchors
from cadre_desk.store.db import database
from cadre_desk.store.models import Cadre, Unit
from cadre_desk.store.portable import integrity_problems

CHECKS: list[Callable[[], list[str]]] = []


def _sqlite_checks() -> list[str]:
    """The engine's own check (SQLite's integrity and foreign-key checks; a server keeps both itself)."""
    lines, broken = integrity_problems(database.obj)
    problems = [f"数据库完整性：{line}" for line in lines[:20]]
    for table, rowid, parent in broken[:20]:
        problems.append(f"外键不一致：{table} 第 {rowid} 行引用的 {parent} 不存在")
    return problems


def _unit_checks() -> list[str]:
    problems = []
    units = {u.id: u for u in Unit.select(Unit.id, Unit.name, Unit.parent, Unit.path)}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id in units else "/"
        if unit.path != f"{parent_path}{unit.id}/":
            problems.append(f"单位“{unit.name}”（{unit.id}）的层级路径不一致")
    return problems


def _cadre_checks() -> list[str]:
    """Every stored profile against the registry's rules (code values, dates, lengths, required
    fields, the citizen ID and its agreement with 出生年月 and 性别), and no 身份证号 twice."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.domain.fields import FIELDS
    from cadre_desk.domain.validation import validate_profile_values

    problems = []
    seen: dict[str, int] = {}
    keys = [spec.key for spec in FIELDS]
    columns = [Cadre.unit if spec.kind == "unit" else getattr(Cadre, spec.key) for spec in FIELDS]
    query = Cadre.select(Cadre.id, *columns).order_by(Cadre.id).tuples()
    for cadre_id, *stored in query.iterator():
        values = dict(zip(keys, stored, strict=True))
        name, number = values.get("name") or "（无姓名）", values.get("id_number")
        if number:
            if number in seen:
                problems.append(f"身份证号重复：{name}（{cadre_id}）与编号 {seen[number]}")
            seen[number] = cadre_id
        try:
            validate_profile_values(values)
        except ValidationError as exc:
            problems.extend(f"干部“{name}”（{cadre_id}）：{message}" for message in exc.errors.values())
    return problems


def _audit_checks() -> list[str]:
    verdict = anchors.verify()
    return [verdict.message] if not verdict.ok else []


def run_checks() -> list[str]:
    """Every problem found, in Chinese; an empty list means clean."""
    problems = _sqlite_checks()
    if any(line.startswith("数据库完整性") for line in problems):
        return problems  # a damaged file: the app's own checks would only read garbage
    for check in (_unit_checks, _cadre_checks, _audit_checks, *CHECKS):
        problems.extend(check())
    return problems
