"""Units (单位) as a tree: each with a unique 全称 (中共兴平市委办公室), a 简称 (市委办) and a kind
(市直 / 县区 / 乡镇街道 / 企事业). Add, edit, move, delete only when empty.

The 简称 is what the tree and the screens show; the 全称 goes wherever the tree's context is lost:
exports, statistics, import matching, the dossier cover."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.errors import NotFoundError, PermissionDenied, ValidationError
from cadre_desk.domain.fields import UNIT
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre, Unit

KINDS = ("市直", "县区", "乡镇街道", "企事业")
DEFAULT_KIND = "市直"
VERSIONED_BY = ("单位", "单位职数")  # as the audit log names the changes that move a unit's version on
FIELD_LABELS = {spec.key: spec.label for spec in UNIT.fields} | {"parent_id": "上级单位"}


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str  # 简称
    parent_id: int | None
    path: str
    sort_order: int
    version: int
    kind: str = ""
    full_name: str = ""  # 全称

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def short_name(self) -> str:
        return self.name


def _info(row: Unit) -> UnitInfo:
    return UnitInfo(row.id, row.name, row.parent_id, row.path, row.sort_order, row.version, row.kind,
                    row.full_name)


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


def reachable_ids(all_units: list[UnitInfo] | None = None) -> set[int] | None:
    """The units whose cadres the operator sees (their scope) and the units above them; None when the
    operator sees every unit. A choice of unit for a clerk of one county offers no other county."""
    covered = access_scope.current().units
    if covered is None:
        return None
    reachable: set[int] = set()
    for unit in all_units if all_units is not None else list_units():
        if unit.id in covered:
            reachable.update(int(part) for part in unit.path.strip("/").split("/") if part)
    return reachable


def reachable_units(all_units: list[UnitInfo] | None = None) -> list[UnitInfo]:
    """``list_units`` as the operator may see them: their units and the units above them (every unit for
    one of every unit), in tree order. What a clerk is shown of the tree where a unit is chosen or read."""
    listed = list_units() if all_units is None else all_units
    reachable = reachable_ids(listed)
    return listed if reachable is None else [u for u in listed if u.id in reachable]


def scoped_units(all_units: list[UnitInfo] | None = None) -> list[UnitInfo]:
    """``list_units`` the operator's cadres are in: their units and those below them (every unit for one of
    every unit), in tree order — not the units above, which ``reachable_units`` adds. What a clerk may choose
    where the choice picks cadres (a unit above would only pick theirs, under the name of the whole)."""
    listed = list_units() if all_units is None else all_units
    covered = access_scope.current().units
    return listed if covered is None else [u for u in listed if u.id in covered]


def scope_words(all_units: list[UnitInfo] | None = None) -> str:
    """The operator's units in words — their topmost (市财政局、城关镇; 市财政局等 3 个单位 past two) — said beside
    a group chosen by kind (一线在岗干部, 干部类别) that reached only their cadres; "" for one of every unit."""
    covered = access_scope.current().units
    if covered is None:
        return ""
    tops = [u.name for u in scoped_units(all_units) if u.parent_id not in covered]
    return "、".join(tops) if len(tops) <= 2 else f"{tops[0]}等 {len(tops)} 个单位"


def get_unit(unit_id: int) -> UnitInfo:
    row = Unit.get_or_none(Unit.id == unit_id)
    if row is None:
        raise NotFoundError("单位不存在或已被删除。")
    return _info(row)


def full_names() -> dict[int, str]:
    """unit id → its 全称 (unique: exports, statistics, documents)."""
    return dict(Unit.select(Unit.id, Unit.full_name).tuples())


def short_names() -> dict[int, str]:
    """unit id → its 简称 (screens, beside the tree)."""
    return dict(Unit.select(Unit.id, Unit.name).tuples())


def kinds() -> dict[int, str]:
    """unit id → its kind (市直 / 县区 / 乡镇街道 / 企事业)."""
    return dict(Unit.select(Unit.id, Unit.kind).tuples())


def path_names() -> dict[int, str]:
    """unit id → "上级/下级" path of 简称 (what the cadre list's unit filter shows)."""
    units = {u.id: u for u in list_units()}
    out = {}
    for unit in units.values():
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        out[unit.id] = "/".join(units[i].name for i in ids if i in units)
    return out


def subtree_ids(unit_id: int) -> set[int]:
    unit = get_unit(unit_id)
    return {u.id for u in Unit.select(Unit.id).where(Unit.path.startswith(unit.path))}


def _compact(text: str) -> str:
    return "".join((text or "").split()).replace("／", "/")


def name_index() -> dict[str, int | None]:
    """Every way a file may name a unit → its id: the 全称, the "上级/下级" path of 简称, and the
    简称 alone where it is unique (None: a 简称 several units share — the file must say more)."""
    rows = list_units()
    out: dict[str, int | None] = {}
    short: dict[str, list[int]] = {}
    for unit in rows:
        short.setdefault(_compact(unit.name), []).append(unit.id)
    for path_name_uid, path in path_names().items():
        out.setdefault(_compact(path), path_name_uid)
    for name, ids in short.items():
        out.setdefault(name, ids[0] if len(ids) == 1 else None)
    for unit in rows:  # the 全称 wins over any other reading of the same text
        out[_compact(unit.full_name)] = unit.id
    return out


def find_by_name(name: str) -> UnitInfo | None:
    """A unit by its 全称, its path (上级/下级) or its unique 简称; None when missing or ambiguous."""
    key = _compact(name)
    if not key:
        return None
    uid = name_index().get(key)
    return get_unit(uid) if uid is not None else None


def named_unit(text: str, index: dict[str, int | None] | None = None,
               all_units: list[UnitInfo] | None = None) -> int | None:
    """The unit a free text names (a 锻炼岗位's 承接单位 "东城区城关街道"): as ``find_by_name`` reads it, else
    the one unit whose 全称 ends with it (the city's name left out); None when no unit or several do."""
    key = _compact(text)
    if not key:
        return None
    found = (index if index is not None else name_index()).get(key)
    if found is not None:
        return found
    ends = [u.id for u in (all_units if all_units is not None else list_units()) if _compact(u.full_name).endswith(key)]
    return ends[0] if len(ends) == 1 else None


# ---- changes -------------------------------------------------------------------------------------


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


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _check_values(name: str, full_name: str, kind: str) -> dict[str, str]:
    errors = {}
    if not name:
        errors["name"] = f"请填写{FIELD_LABELS['name']}"
    elif len(name) > UNIT.field("name").max_length:
        errors["name"] = f"{FIELD_LABELS['name']}最多 {UNIT.field('name').max_length} 个字"
    if not full_name:
        errors["full_name"] = f"请填写{FIELD_LABELS['full_name']}"
    elif len(full_name) > UNIT.field("full_name").max_length:
        errors["full_name"] = f"{FIELD_LABELS['full_name']}最多 {UNIT.field('full_name').max_length} 个字"
    if kind not in KINDS:
        errors["kind"] = f"{FIELD_LABELS['kind']}应为{'、'.join(KINDS)}之一"
    return errors


def _check_unique(name: str, full_name: str, parent_id: int | None, exclude: int | None = None) -> None:
    errors = {}
    siblings = Unit.select().where(Unit.name == name, Unit.parent == parent_id)
    same_full = Unit.select().where(Unit.full_name == full_name)
    if exclude is not None:
        siblings = siblings.where(Unit.id != exclude)
        same_full = same_full.where(Unit.id != exclude)
    if siblings.exists():
        errors["name"] = f"同一上级下已有{FIELD_LABELS['name']}为“{name}”的单位"
    if same_full.exists():
        errors["full_name"] = f"已有{FIELD_LABELS['full_name']}为“{full_name}”的单位，单位全称不能重复"
    if errors:
        raise ValidationError(errors)


def suggested_full_name(name: str, parent_id: int | None) -> str:
    """A 全称 for a new unit when none is given: its name, or — when another unit already has that
    全称 — prefixed by its parent's 全称 (every county has a 县委办公室)."""
    name = _clean(name)
    if parent_id is None or not Unit.select().where(Unit.full_name == name).exists():
        return name
    return f"{get_unit(parent_id).full_name}{name}"


def create_unit(name: str, parent_id: int | None = None, kind: str = "", full_name: str = "") -> UnitInfo:
    """A new unit under ``parent_id``. Without a 全称 it is suggested (``suggested_full_name``);
    without a kind it takes its parent's (a top unit: 市直)."""
    _require_edit(parent_id)
    name = _clean(name)
    with write_transaction():
        parent = get_unit(parent_id) if parent_id is not None else None
        kind = _clean(kind) or (parent.kind if parent is not None and parent.kind in KINDS else DEFAULT_KIND)
        full_name = _clean(full_name) or (suggested_full_name(name, parent_id) if name else "")
        errors = _check_values(name, full_name, kind)
        if errors:
            raise ValidationError(errors)
        _check_unique(name, full_name, parent_id)
        order = (Unit.select(fn.MAX(Unit.sort_order)).where(Unit.parent == parent_id).scalar() or 0) + 1
        unit = Unit.create(name=name, full_name=full_name, kind=kind, parent=parent_id, path="/", sort_order=order)
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.save()
        audit.record(audit.CREATE, "单位", unit.id, f"新增单位 {full_name}（简称 {name}，{kind}）")
    access_scope.units_changed()  # a new unit under the operator's units is theirs at once
    return _info(unit)


def update_unit(unit_id: int, version: int, *, name: str | None = None, full_name: str | None = None,
                kind: str | None = None) -> UnitInfo:
    """Change a unit's 简称, 全称 and/or kind (what is None stays). A stale ``version`` is a conflict."""
    _require_edit(unit_id)
    with write_transaction():
        unit = get_unit(unit_id)
        new = {"name": unit.name if name is None else _clean(name),
               "full_name": unit.full_name if full_name is None else _clean(full_name),
               "kind": unit.kind if kind is None else _clean(kind)}
        errors = _check_values(new["name"], new["full_name"], new["kind"])
        if errors:
            raise ValidationError(errors)
        _check_unique(new["name"], new["full_name"], unit.parent_id, exclude=unit_id)
        old = {"name": unit.name, "full_name": unit.full_name, "kind": unit.kind}
        changes = {FIELD_LABELS[k]: v for k, v in audit.diff(old, new).items()}
        if not changes:
            return unit
        updated = (Unit.update(**new, version=Unit.version + 1, updated_at=clock.now_iso())
                   .where(Unit.id == unit_id, Unit.version == version).execute())
        if not updated:
            raise conflicts.stale(VERSIONED_BY, unit_id, f"单位“{unit.full_name}”")
        audit.record(audit.UPDATE, "单位", unit_id, f"修改单位 {unit.full_name}", changes)
    return get_unit(unit_id)


def rename_unit(unit_id: int, name: str, version: int) -> UnitInfo:
    """A new 简称 (the 全称 and kind stay)."""
    return update_unit(unit_id, version, name=name)


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
        if Unit.select().where(Unit.name == unit.name, Unit.parent == new_parent_id, Unit.id != unit_id).exists():
            raise ValidationError({"name": f"新的上级下已有{FIELD_LABELS['name']}为“{unit.name}”的单位"})
        changed = (Unit.update(parent=new_parent_id, version=Unit.version + 1, updated_at=clock.now_iso())
                   .where(Unit.id == unit_id, Unit.version == version).execute())
        if not changed:
            raise conflicts.stale(VERSIONED_BY, unit_id, f"单位“{unit.full_name}”")
        old_prefix, new_prefix = unit.path, f"{new_parent_path}{unit_id}/"
        for row in Unit.select(Unit.id, Unit.path).where(Unit.path.startswith(old_prefix)):
            Unit.update(path=new_prefix + row.path[len(old_prefix):]).where(Unit.id == row.id).execute()
        audit.record(audit.UPDATE, "单位", unit_id, f"移动单位 {unit.full_name}",
                     {FIELD_LABELS["parent_id"]: [unit.parent_id, new_parent_id]})
    access_scope.units_changed()
    return get_unit(unit_id)


def delete_unit(unit_id: int) -> None:
    """Only a unit without sub-units and cadres; its 职数 go with it."""
    _require_edit(unit_id)
    with write_transaction():
        unit = get_unit(unit_id)
        if Unit.select().where(Unit.parent == unit_id).exists():
            raise ValidationError({"": f"“{unit.name}”下还有下级单位，不能删除"})
        count = Cadre.select().where(Cadre.unit == unit_id).count()
        if count:
            raise ValidationError({"": f"“{unit.name}”下还有 {count} 名干部，不能删除"})
        Unit.delete().where(Unit.id == unit_id).execute()
        audit.record(audit.DELETE, "单位", unit_id, f"删除单位 {unit.full_name}（简称 {unit.name}，{unit.kind}）")
    access_scope.units_changed()
