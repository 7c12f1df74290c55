"""Units (单位) as a tree: add, rename, move, delete only when empty."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from cadre_desk.security import audit
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre, Unit


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None
    path: str
    sort_order: int
    version: int
    kind: str = ""

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


def _info(row: Unit) -> UnitInfo:
    return UnitInfo(row.id, row.name, row.parent_id, row.path, row.sort_order, row.version, row.kind)


def list_units() -> list[UnitInfo]:
    """Every unit, parents before children, siblings by sort order."""
    rows = [_info(u) for u in Unit.select().order_by(Unit.sort_order, Unit.id)]
    children: dict[int | None, list[UnitInfo]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out: list[UnitInfo] = []

    def walk(parent: int | None) -> None:
        for child in children.get(parent, []):
            out.append(child)
            walk(child.id)

    walk(None)
    return out


def get_unit(unit_id: int) -> UnitInfo:
    row = Unit.get_or_none(Unit.id == unit_id)
    if row is None:
        raise NotFoundError("单位不存在或已被删除。")
    return _info(row)


def full_names() -> dict[int, str]:
    """unit id → its name (the short form shown in lists)."""
    return {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}


def path_names() -> dict[int, str]:
    """unit id → "上级/下级" full path name, for import matching and exports."""
    units = {u.id: u for u in list_units()}
    out = {}
    for unit in units.values():
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        out[unit.id] = "/".join(units[i].name for i in ids if i in units)
    return out


def subtree_ids(unit_id: int) -> set[int]:
    unit = get_unit(unit_id)
    return {u.id for u in Unit.select(Unit.id).where(Unit.path.startswith(unit.path))}


def _require_edit(unit_id: int | None) -> None:
    """Units are changed only within the operator's units: a user limited to some units may not add
    a top-level unit, nor touch a unit outside them."""
    current = access_scope.current()
    if unit_id is None and not current.every_unit:
        current.require(permissions.EDIT)
        raise PermissionDenied("您只负责部分单位，不能新增或移入顶级单位。")
    current.require(permissions.EDIT, unit_id=unit_id)


def may_edit(unit_id: int | None) -> bool:
    """Would the operator be allowed to change this unit (or add one under it)?"""
    try:
        _require_edit(unit_id)
    except PermissionDenied:
        return False
    return True


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "请填写单位名称"})
    if len(name) > 100:
        raise ValidationError({"name": "单位名称最多 100 个字"})
    return name


def _check_sibling(name: str, parent_id: int | None, exclude: int | None = None) -> None:
    query = Unit.select().where(Unit.name == name, Unit.parent == parent_id)
    if exclude is not None:
        query = query.where(Unit.id != exclude)
    if query.exists():
        raise ValidationError({"name": f"同一上级下已有名为“{name}”的单位"})


def create_unit(name: str, parent_id: int | None = None, kind: str = "") -> UnitInfo:
    name = _check_name(name)
    _require_edit(parent_id)
    with write_transaction():
        parent_path = "/"
        if parent_id is not None:
            parent_path = get_unit(parent_id).path
        _check_sibling(name, parent_id)
        order = (Unit.select(fn.MAX(Unit.sort_order)).where(Unit.parent == parent_id).scalar() or 0) + 1
        unit = Unit.create(name=name, parent=parent_id, path="/", sort_order=order, kind=kind)
        unit.path = f"{parent_path}{unit.id}/"
        unit.save()
        audit.record(audit.CREATE, "单位", unit.id, f"新增单位 {name}")
    access_scope.changed()  # a new unit under the operator's units is theirs at once
    return _info(unit)


def rename_unit(unit_id: int, name: str, version: int) -> UnitInfo:
    name = _check_name(name)
    _require_edit(unit_id)
    with write_transaction():
        unit = get_unit(unit_id)
        _check_sibling(name, unit.parent_id, exclude=unit_id)
        changed = (Unit.update(name=name, version=Unit.version + 1, updated_at=clock.now_iso())
                   .where(Unit.id == unit_id, Unit.version == version).execute())
        if not changed:
            raise ConflictError()
        audit.record(audit.UPDATE, "单位", unit_id, f"单位更名 {unit.name} → {name}", {"name": [unit.name, name]})
    return get_unit(unit_id)


def move_unit(unit_id: int, new_parent_id: int | None, version: int) -> UnitInfo:
    _require_edit(unit_id)
    _require_edit(new_parent_id)
    with write_transaction():
        unit = get_unit(unit_id)
        new_parent_path = "/"
        if new_parent_id is not None:
            parent = get_unit(new_parent_id)
            if parent.path.startswith(unit.path):
                raise ValidationError({"parent": "不能把单位移到它自己或它的下级单位之下"})
            new_parent_path = parent.path
        _check_sibling(unit.name, new_parent_id, exclude=unit_id)
        changed = (Unit.update(parent=new_parent_id, version=Unit.version + 1, updated_at=clock.now_iso())
                   .where(Unit.id == unit_id, Unit.version == version).execute())
        if not changed:
            raise ConflictError()
        old_prefix, new_prefix = unit.path, f"{new_parent_path}{unit_id}/"
        for row in Unit.select(Unit.id, Unit.path).where(Unit.path.startswith(old_prefix)):
            Unit.update(path=new_prefix + row.path[len(old_prefix):]).where(Unit.id == row.id).execute()
        audit.record(audit.UPDATE, "单位", unit_id, f"移动单位 {unit.name}",
                     {"parent_id": [unit.parent_id, new_parent_id]})
    access_scope.changed()
    return get_unit(unit_id)


def delete_unit(unit_id: int) -> None:
    _require_edit(unit_id)
    with write_transaction():
        unit = get_unit(unit_id)
        if Unit.select().where(Unit.parent == unit_id).exists():
            raise ValidationError({"": f"“{unit.name}”下还有下级单位，不能删除"})
        count = Cadre.select().where(Cadre.unit == unit_id).count()
        if count:
            raise ValidationError({"": f"“{unit.name}”下还有 {count} 名干部，不能删除"})
        Unit.delete().where(Unit.id == unit_id).execute()
        audit.record(audit.DELETE, "单位", unit_id, f"删除单位 {unit.name}")
    access_scope.changed()


def find_by_name(name: str) -> UnitInfo | None:
    """A unit by its name or its full path name (上级/下级); None when missing or ambiguous."""
    name = "".join((name or "").split())
    if not name:
        return None
    matches = [uid for uid, full in path_names().items() if "".join(full.split()) == name]
    if not matches:
        matches = [u.id for u in Unit.select(Unit.id).where(Unit.name == name)]
    return get_unit(matches[0]) if len(matches) == 1 else None
