"""Consistency checks: SQLite's own integrity check plus the app's rules over stored data.

Feature modules append a function() -> list[str] to CHECKS."""

from __future__ import annotations

from collections.abc import Callable

from cadre_desk.domain.citizen_id import CitizenIdError
from cadre_desk.domain.citizen_id import parse as parse_citizen_id
from cadre_desk.services import audit
from cadre_desk.store.db import database
from cadre_desk.store.models import Cadre, Unit

CHECKS: list[Callable[[], list[str]]] = []


def _sqlite_checks() -> list[str]:
    problems = []
    result = [row[0] for row in database.execute_sql("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        problems.extend(f"数据库完整性：{line}" for line in result[:20])
    fk = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    for table, rowid, parent, _ in fk[:20]:
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
    problems = []
    seen: dict[str, int] = {}
    query = Cadre.select(Cadre.id, Cadre.name, Cadre.id_number, Cadre.birth, Cadre.gender).tuples()
    for cadre_id, name, number, birth, gender in query.iterator():
        if not number:
            continue
        if number in seen:
            problems.append(f"身份证号重复：{name}（{cadre_id}）与编号 {seen[number]}")
        seen[number] = cadre_id
        try:
            cid = parse_citizen_id(number)
        except CitizenIdError as exc:
            problems.append(f"干部“{name}”（{cadre_id}）：{exc}")
            continue
        if birth and cid.birth[: len(birth)] != birth:
            problems.append(f"干部“{name}”（{cadre_id}）：出生年月与身份证号不一致")
        if gender and gender != cid.gender_code:
            problems.append(f"干部“{name}”（{cadre_id}）：性别与身份证号不一致")
    return problems


def _audit_checks() -> list[str]:
    broken = audit.verify_chain()
    return [f"审计日志从第 {broken} 条起被改动（哈希链断开）"] if broken is not None else []


def run_checks() -> list[str]:
    """Every problem found, in Chinese; an empty list means clean."""
    problems = _sqlite_checks()
    if problems:
        return problems
    for check in (_unit_checks, _cadre_checks, _audit_checks, *CHECKS):
        problems.extend(check())
    return problems
