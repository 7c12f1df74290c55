"""考核方案: dimensions and raters with their weights, grade bands and wording, the 优秀 share, and the
scope (categories, lines, units) that says which cadres a scheme applies to (差异化考核). A scheme a
sheet uses keeps its structure; copy it to change one."""

from __future__ import annotations

from dataclasses import dataclass, field

from cadre_desk.access import permissions
from cadre_desk.appraisal.scoring import (
    GRADES,
    WORDINGS,
    grade_for,
    scope_matches,
    weighted_total,
    weights_ok,
    weights_total,
)
from cadre_desk.domain import clock, codes
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.postings import frontline_posts, postings
from cadre_desk.security import audit, conflicts
from cadre_desk.store.appraisal_models import AppraisalScheme, AppraisalSheet, SchemeDimension, SchemeRater
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre, Unit
from cadre_desk.units import units

SCHEME_KINDS = ("年度考核", "期满考核", "专项考核")
ENTITY = "考核方案"  # as the audit log names a scheme


# ---- plain data ----------------------------------------------------------------------------------


@dataclass
class WeightedItem:
    name: str
    weight: float
    id: int | None = None


@dataclass
class SchemeInfo:
    id: int | None = None
    version: int = 0
    name: str = ""
    kind: str = "年度考核"
    wording: str = "公务员"
    excellent_min: float = 90
    competent_min: float = 70
    basic_min: float = 60
    excellent_cap: float = 20
    dimensions: list[WeightedItem] = field(default_factory=list)
    raters: list[WeightedItem] = field(default_factory=list)
    scope_categories: list[str] = field(default_factory=list)
    scope_lines: list[int] = field(default_factory=list)
    scope_units: list[int] = field(default_factory=list)
    description: str = ""
    retired: bool = False
    in_use: bool = False

    @property
    def grades(self) -> tuple[str, ...]:
        return GRADES.get(self.wording, GRADES["公务员"])

    def grade(self, total: float | None) -> str:
        return grade_for(total, self.excellent_min, self.competent_min, self.basic_min, self.wording)

    def total(self, scores: dict[tuple[int, int], float | None]) -> float | None:
        return weighted_total(scores, [(r.id, r.weight) for r in self.raters],
                              [(d.id, d.weight) for d in self.dimensions])

    def scope_text(self) -> str:
        parts = []
        if self.scope_categories:
            table = codes.table("CATEGORY")
            parts.append("类别：" + "、".join(table.name(c) or c for c in self.scope_categories))
        if self.scope_lines:
            names = {line.id: line.name for line in frontline_posts.list_lines()}
            parts.append("一线：" + "、".join(names.get(i, str(i)) for i in self.scope_lines))
        if self.scope_units:
            # the units the operator may see (theirs and those above) by name, the others counted
            names = dict(Unit.select(Unit.id, Unit.name).where(Unit.id.in_(self.scope_units)).tuples())
            reachable = units.reachable_ids()
            named = [names.get(i, str(i)) for i in self.scope_units if reachable is None or i in reachable]
            others = len(self.scope_units) - len(named)
            parts.append("单位：" + "、".join(named + ([f"其他单位 {others} 个"] if others else [])))
        return "；".join(parts) or "全部干部"


# ---- lines and posts a scope may name -----------------------------------------------------------


def list_lines() -> list[tuple[int, str]]:
    """(id, name) of the lines in use, for a scheme's scope."""
    return [(line.id, line.name) for line in frontline_posts.list_lines(include_retired=False)]


def list_posts() -> list[tuple[int, str]]:
    return [(post.id, f"{post.line_name}·{post.name}") for post in frontline_posts.list_posts()]


def _cadre_line_ids(cadre_id: int) -> set[int]:
    """The lines the cadre has been posted on: a rule's reading, not a display (no scope applies)."""
    return {p.line_id for p in postings.list_postings(cadre_id=cadre_id)}


# ---- schemes -------------------------------------------------------------------------------------


def _ids(text: str) -> list[int]:
    return [int(x) for x in (text or "").split(",") if x.strip().isdigit()]


def scheme_info(row: AppraisalScheme) -> SchemeInfo:
    dims = [WeightedItem(d.name, d.weight, d.id) for d in
            SchemeDimension.select().where(SchemeDimension.scheme == row.id).order_by(SchemeDimension.seq)]
    raters = [WeightedItem(r.name, r.weight, r.id) for r in
              SchemeRater.select().where(SchemeRater.scheme == row.id).order_by(SchemeRater.seq)]
    in_use = AppraisalSheet.select().where(AppraisalSheet.scheme == row.id).exists()
    return SchemeInfo(row.id, row.version, row.name, row.kind, row.wording, row.excellent_min, row.competent_min,
                      row.basic_min, row.excellent_cap, dims, raters,
                      [c for c in row.scope_categories.split(",") if c], _ids(row.scope_lines),
                      _ids(row.scope_units), row.description, row.retired, in_use)


def list_schemes(include_retired: bool = False) -> list[SchemeInfo]:
    query = AppraisalScheme.select().order_by(AppraisalScheme.id)
    if not include_retired:
        query = query.where(AppraisalScheme.retired == False)  # noqa: E712 - peewee expression
    return [scheme_info(r) for r in query]


def get_scheme(scheme_id: int) -> SchemeInfo:
    row = AppraisalScheme.get_or_none(AppraisalScheme.id == scheme_id)
    if row is None:
        raise NotFoundError("考核方案不存在或已被删除。")
    return scheme_info(row)


def validate_scheme(info: SchemeInfo) -> dict[str, str]:
    """Every problem of a scheme as {field: 中文消息}; empty when valid."""
    errors: dict[str, str] = {}
    if not (info.name or "").strip():
        errors["name"] = "请填写方案名称"
    elif len(info.name.strip()) > 60:
        errors["name"] = "方案名称最多 60 字"
    if info.kind not in SCHEME_KINDS:
        errors["kind"] = "请选择考核类型"
    if info.wording not in WORDINGS:
        errors["wording"] = "请选择等次表述（公务员或事业单位）"
    for key, items, label in (("dimensions", info.dimensions, "考核维度"), ("raters", info.raters, "评价主体")):
        names = [(i.name or "").strip() for i in items]
        if not items:
            errors[key] = f"请至少设置一个{label}"
        elif any(not n for n in names):
            errors[key] = f"{label}名称不能为空"
        elif len(set(names)) != len(names):
            errors[key] = f"{label}名称重复"
        elif any(i.weight is None or float(i.weight) <= 0 for i in items):
            errors[key] = f"{label}权重应大于 0"
        elif not weights_ok(i.weight for i in items):
            errors[key] = f"{label}权重合计应为 100，当前为 {weights_total(i.weight for i in items):g}"
    if not 0 < info.basic_min <= info.competent_min <= info.excellent_min <= 100:
        errors["bands"] = "等次分数线应满足 0 < 基本称职线 ≤ 称职线 ≤ 优秀线 ≤ 100"
    if not 0 <= info.excellent_cap <= 100:
        errors["excellent_cap"] = "优秀比例应在 0–100% 之间"
    return errors


def _structure(info: SchemeInfo) -> tuple:
    return ([(d.name.strip(), float(d.weight)) for d in info.dimensions],
            [(r.name.strip(), float(r.weight)) for r in info.raters],
            float(info.excellent_min), float(info.competent_min), float(info.basic_min), info.wording)


def save_scheme(info: SchemeInfo, overwrite: bool = False) -> SchemeInfo:
    """Create (id None) or update a scheme. Weights of dimensions and raters must each sum to 100;
    a scheme used by a sheet keeps its weights, bands and wording (copy it to change them).

    An update is of the version ``info`` was read at: when another saved the scheme since, it is refused
    (``ConflictError`` naming who and when) unless ``overwrite`` — the user, told, chose to keep their own
    edits over the other's; the audit row then says so."""
    errors = validate_scheme(info)
    name = (info.name or "").strip()
    with write_transaction():
        permissions.require(permissions.ADMIN)
        clash = AppraisalScheme.select().where(AppraisalScheme.name == name)
        if info.id is not None:
            clash = clash.where(AppraisalScheme.id != info.id)
        if name and clash.exists():
            errors["name"] = f"已有名为“{name}”的考核方案"
        if errors:
            raise ValidationError(errors)
        values = {"name": name, "kind": info.kind, "wording": info.wording,
                  "excellent_min": float(info.excellent_min), "competent_min": float(info.competent_min),
                  "basic_min": float(info.basic_min), "excellent_cap": float(info.excellent_cap),
                  "scope_categories": ",".join(info.scope_categories),
                  "scope_lines": ",".join(str(i) for i in info.scope_lines),
                  "scope_units": ",".join(str(i) for i in info.scope_units),
                  "description": (info.description or "").strip(), "retired": bool(info.retired)}
        stamp = clock.now_iso()
        if info.id is None:
            scheme_id = AppraisalScheme.insert(created_at=stamp, updated_at=stamp, **values).execute()
            _write_items(scheme_id, info)
            audit.record(audit.CREATE, ENTITY, scheme_id, f"新增考核方案“{name}”",
                         {"维度": [None, _items_text(info.dimensions)], "评价主体": [None, _items_text(info.raters)]})
        else:
            before = get_scheme(info.id)
            overwritten = before.version != info.version
            if overwritten and not overwrite:
                raise conflicts.stale(ENTITY, info.id, f"考核方案“{before.name}”")
            structure_changed = _structure(before) != _structure(info)
            if structure_changed and before.in_use:
                raise ValidationError({"dimensions": f"方案“{before.name}”已被考核表使用，不能修改维度、权重、"
                                                     "等次分数线或等次表述；请复制一份新方案后再修改。"})
            changed = (AppraisalScheme.update(version=AppraisalScheme.version + 1, updated_at=stamp, **values)
                       .where(AppraisalScheme.id == info.id, AppraisalScheme.version == before.version).execute())
            if not changed:
                raise conflicts.stale(ENTITY, info.id, f"考核方案“{before.name}”")
            scheme_id = info.id
            if structure_changed:
                _write_items(scheme_id, info, replace=True)
            changes = audit.diff({k: str(getattr(before, k)) for k in values}, {k: str(v) for k, v in values.items()})
            changes.update(audit.diff({"维度": _items_text(before.dimensions), "评价主体": _items_text(before.raters)},
                                      {"维度": _items_text(info.dimensions), "评价主体": _items_text(info.raters)}))
            audit.record(audit.UPDATE, ENTITY, scheme_id, f"修改考核方案“{name}”"
                         + (conflicts.OVERWROTE if overwritten else ""), changes)
        return get_scheme(scheme_id)


def _items_text(items: list[WeightedItem]) -> str:
    return "、".join(f"{i.name}{float(i.weight):g}" for i in items)


def _write_items(scheme_id: int, info: SchemeInfo, replace: bool = False) -> None:
    if replace:
        SchemeDimension.delete().where(SchemeDimension.scheme == scheme_id).execute()
        SchemeRater.delete().where(SchemeRater.scheme == scheme_id).execute()
    SchemeDimension.insert_many([{"scheme": scheme_id, "seq": i, "name": d.name.strip(), "weight": float(d.weight)}
                                 for i, d in enumerate(info.dimensions)]).execute()
    SchemeRater.insert_many([{"scheme": scheme_id, "seq": i, "name": r.name.strip(), "weight": float(r.weight)}
                             for i, r in enumerate(info.raters)]).execute()


def copy_scheme(scheme_id: int, new_name: str | None = None) -> SchemeInfo:
    """A new, unused scheme with the same settings, named “…（副本）” unless a name is given."""
    source = get_scheme(scheme_id)
    name = (new_name or "").strip()
    if not name:
        base = f"{source.name}（副本）"
        name, n = base, 2
        while AppraisalScheme.select().where(AppraisalScheme.name == name).exists():
            name, n = f"{source.name}（副本{n}）", n + 1
    copy = SchemeInfo(None, 0, name, source.kind, source.wording, source.excellent_min, source.competent_min,
                      source.basic_min, source.excellent_cap,
                      [WeightedItem(d.name, d.weight) for d in source.dimensions],
                      [WeightedItem(r.name, r.weight) for r in source.raters],
                      list(source.scope_categories), list(source.scope_lines), list(source.scope_units),
                      source.description)
    return save_scheme(copy)


def delete_scheme(scheme_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``: the scheme's as the administrator last saw it — another having saved it since, the delete
    is refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        permissions.require(permissions.ADMIN)
        scheme = get_scheme(scheme_id)
        if scheme.in_use:
            raise ValidationError(f"方案“{scheme.name}”已被考核表使用，不能删除；可将其停用。")
        suffix = conflicts.check_delete(version is not None and scheme.version != version, overwrite, ENTITY,
                                        scheme_id, f"考核方案“{scheme.name}”")
        AppraisalScheme.delete().where(AppraisalScheme.id == scheme_id).execute()
        audit.record(audit.DELETE, ENTITY, scheme_id, f"删除考核方案“{scheme.name}”{suffix}")


def scheme_applies(scheme: SchemeInfo, cadre_id: int) -> bool:
    return not scheme_outside(scheme, [cadre_id])


def scheme_outside(scheme: SchemeInfo, cadre_ids: list[int]) -> list[int]:
    """The given cadres the scheme does not apply to (``scheme_applies`` for many: one read per 500,
    not one per cadre; missing cadres are outside)."""
    found: dict[int, tuple[str, str]] = {}
    for i in range(0, len(cadre_ids), 500):
        chunk = cadre_ids[i:i + 500]
        found.update((cadre_id, (categories, path)) for cadre_id, categories, path in
                     Cadre.select(Cadre.id, Cadre.categories, Unit.path).join(Unit)
                     .where(Cadre.id.in_(chunk)).tuples())
    cats, lines = ",".join(scheme.scope_categories), ",".join(map(str, scheme.scope_lines))
    units_text = ",".join(map(str, scheme.scope_units))
    return [cadre_id for cadre_id in cadre_ids
            if cadre_id not in found or not scope_matches(
                cats, lines, units_text, cadre_categories=found[cadre_id][0], cadre_unit_path=found[cadre_id][1],
                cadre_line_ids=_cadre_line_ids(cadre_id) if scheme.scope_lines else ())]


def schemes_for_cadre(cadre_id: int) -> list[SchemeInfo]:
    """The active schemes whose scope covers the cadre; scoped ones first (the more specific)."""
    found = [s for s in list_schemes() if scheme_applies(s, cadre_id)]
    found.sort(key=lambda s: not (s.scope_categories or s.scope_lines or s.scope_units))
    return found
