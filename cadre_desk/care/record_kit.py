"""What the practices' records share (政治体检, 专业干部库, 谈心谈话, 关爱, 干部监督, 包抓): rows that belong to
a cadre, read through the operator's scope, checked against their description in the field registry,
saved with optimistic locking and an audit row in the same transaction.

    errors = {}
    date = record_kit.day(TALK, "date", info.date, errors)           # 谈话日期：… / 请填写谈话日期
    topics = record_kit.text(TALK, "topics", info.topics, errors)    # required / max length from TALK
    cadre = record_kit.editable_cadre(info.cadre_id)                 # NotFound / PermissionDenied
    row_id = record_kit.save(TalkRecord, info.id, info.version, values, "谈心谈话", "张三 2026.05.10")"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass, fields

from peewee import fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.access.reads import CadreBrief
from cadre_desk.domain import clock
from cadre_desk.domain.dates import check_date, format_date
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.domain.fields import RecordSpec
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre, Unit

HIDDEN = "（内容不记入审计日志）"


@dataclass
class CadreRecordInfo:
    """What a record of a cadre (a 谈话, a 关爱 or a 监督 record) carries besides its own fields: its id and
    its cadre, then — by keyword only — who recorded it, its version, and its cadre's name and unit as
    listed. A record adds its own fields after ``cadre_id``."""

    id: int | None
    cadre_id: int
    _: KW_ONLY
    recorder: str = ""
    version: int = 0
    cadre_name: str = ""
    unit_id: int | None = None
    unit_name: str = ""


_LISTED = ("cadre_name", "unit_id", "unit_name")  # from the cadre's brief, not from the row


@dataclass
class CatalogueEntry:
    """One entry of a catalogue the administrator keeps (政治体检's 对照检查项目, the 专业干部库): its name,
    description, place in the order, and whether it is retired."""

    id: int | None
    name: str
    description: str = ""
    sort_order: int = 0
    retired: bool = False

    @property
    def state(self) -> str:
        return "停用" if self.retired else "使用中"


# ---- values, checked by their description ---------------------------------------------------------

def text(record: RecordSpec, key: str, value: object, errors: dict[str, str], *,
         required: bool | None = None) -> str:
    """A text field: trimmed; required and max length as the registry says (or ``required``)."""
    spec = record.field(key)
    out = str(value or "").strip()
    if (spec.required if required is None else required) and not out:
        errors[key] = f"请填写{spec.label}。"
    elif spec.max_length and len(out) > spec.max_length:
        errors[key] = f"{spec.label}不超过 {spec.max_length} 字（现有 {len(out)} 字）。"
    return out


def day(record: RecordSpec, key: str, value: object, errors: dict[str, str], *, required: bool | None = None,
        not_future: bool = True) -> str:
    """A date field to the day (2026.05.10): parsed, required as the registry says, not after today."""
    spec = record.field(key)
    out = check_date(value, spec.label, errors, key, required=spec.required if required is None else required,
                     precision=spec.precision)
    if out and not_future and out > clock.today_yyyymmdd():
        errors[key] = f"{spec.label}不能晚于今天（{format_date(clock.today())}）。"
        return ""
    return out


def choice(record: RecordSpec, key: str, value: object, choices: Sequence[str], errors: dict[str, str]) -> str:
    spec = record.field(key)
    out = str(value or "").strip()
    if out not in choices:
        errors[key] = f"请选择{spec.label}（{'、'.join(choices)}）。"
    return out


# ---- cadres, through the operator's scope ----------------------------------------------------------

def cadre_row(cadre_id: int | None) -> Cadre:
    row = Cadre.get_or_none(Cadre.id == cadre_id) if cadre_id else None
    if row is None:
        raise NotFoundError("该干部不存在或已被删除。")
    return row


def editable_cadre(cadre_id: int | None, *also: str, doing: str = "") -> Cadre:
    """The cadre, when the operator may edit their records (units, 回避) and do ``also`` on them (a 回避
    refusal of those worded by ``doing``: 登记, 修改, 删除)."""
    row = cadre_row(cadre_id)
    for action in also:
        permissions.require(action, unit_id=row.unit_id, cadre_id=row.id, doing=doing)
    permissions.require(permissions.EDIT, unit_id=row.unit_id, cadre_id=row.id)
    return row


def readable_cadre(cadre_id: int, action: str = permissions.READ, doing: str = "") -> Cadre:
    row = cadre_row(cadre_id)
    permissions.require(action, unit_id=row.unit_id, cadre_id=row.id, doing=doing)
    return row


def scoped(query, cadre_field, action: str = permissions.READ):
    """``query`` over rows of cadres limited to the operator's units (and, for the restricted records,
    without those of the cadres the operator avoids: scope.AVOIDED_READS); refused without ``action``."""
    current = access_scope.current()
    current.require(action)
    return current.restrict(query, cadre=cadre_field, action=action)


def in_unit(query, cadre_field, unit_id: int | None):
    """``query`` kept to rows of cadres of that unit and the units below it (a filter of a page)."""
    if not unit_id:
        return query
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        return query
    subtree = Unit.select(Unit.id).where(Unit.path.startswith(unit.path))
    return query.where(cadre_field.in_(Cadre.select(Cadre.id).where(Cadre.unit.in_(subtree))))


def filtered(model, *, cadre_id: int | None = None, unit_id: int | None = None, year: int | None = None,
             equal: dict | None = None, text: str = "", text_fields=(), action: str = permissions.READ):
    """The rows of ``model`` (a cadre's records, with ``cadre`` and ``date``) newest first, limited to the
    operator's units (refused without ``action``), and to a cadre, a unit's subtree, a year, fields equal
    to values (empty values ignored), and ``text`` in ``text_fields`` or the cadre's name."""
    query = model.select().order_by(model.date.desc(), model.id.desc())
    if cadre_id:
        query = query.where(model.cadre == cadre_id)
    query = in_unit(query, model.cadre, unit_id)
    for name, value in (equal or {}).items():
        if value:
            query = query.where(getattr(model, name) == value)
    if year:
        query = query.where(model.date.startswith(str(year)))
    text = (text or "").strip()
    if text:
        condition = model.cadre.in_(named(text))
        for name in text_fields:
            condition |= getattr(model, name).contains(text)
        query = query.where(condition)
    return scoped(query, model.cadre, action)


def named(text: str):
    """The ids of cadres whose name contains ``text`` (a subquery, for a search box)."""
    return Cadre.select(Cadre.id).where(Cadre.name.contains(text))


def with_cadres(rows: Iterable, cadre_of=lambda row: row.cadre_id) -> list[tuple[object, CadreBrief]]:
    """Each row with its cadre's brief (name, unit, position), in order; rows of cadres the operator may
    not see are left out (one query per 900 cadres)."""
    rows = list(rows)
    names = briefs(cadre_of(r) for r in rows)
    return [(r, names[cadre_of(r)]) for r in rows if cadre_of(r) in names]


def listed(info_cls: type[CadreRecordInfo], query) -> list:
    """Each row of ``query`` as an ``info_cls``: the row's own fields by name, its cadre's name and unit from
    the one scoped read path; rows of cadres the operator may not see are left out. The fields are read as
    plain tuples (converted as the model's fields convert them): a model object a row cost ≈ half of
    谈心关爱's 18,000 talks at 100,000 cadres."""
    own = [f.name for f in fields(info_cls) if f.name not in _LISTED]
    columns = _columns(query.model, own)
    if columns is None:  # a field that is not a column (a property): from the model objects
        return [info_cls(**{name: getattr(row, name) for name in own}, cadre_name=brief.name,
                         unit_id=brief.unit_id, unit_name=brief.unit_name) for row, brief in with_cadres(query)]
    at = own.index("cadre_id")
    return [info_cls(**dict(zip(own, row, strict=True)), cadre_name=brief.name, unit_id=brief.unit_id,
                     unit_name=brief.unit_name)
            for row, brief in with_cadres(query.select(*columns).tuples(), lambda row: row[at])]


def _columns(model, names: Sequence[str]) -> list | None:
    """The model's fields named so (a foreign key by its ``…_id`` name too); None when one is not a field."""
    by_name = {}
    for field in model._meta.sorted_fields:
        by_name[field.name] = field
        by_name.setdefault(getattr(field, "object_id_name", field.name), field)
    columns = [by_name.get(name) for name in names]
    return None if any(c is None for c in columns) else columns


def briefs(ids: Iterable[int]) -> dict[int, CadreBrief]:
    """id → name, unit and position of those cadres the operator may see (the one scoped read path)."""
    return reads.cadre_briefs(ids)


# ---- writing ------------------------------------------------------------------------------------

def new_record_owner(values: dict, info: CadreRecordInfo, cadre: Cadre) -> dict:
    """A new record (``info.id`` None) names its cadre and who recorded it (as typed, or the operator)."""
    if info.id is None:
        values.update(cadre=cadre.id, recorder=(info.recorder or "").strip() or acting_name())
    return values


def save(model, row_id: int | None, version: int | None, values: dict, entity: str, label: str, *,
         quiet: bool = False, overwrite: bool = False, stored_label=None) -> int:
    """Insert (``row_id`` None) or update one row with optimistic locking, and write its audit row:
    新增/修改{entity}：{label}. ``quiet``: the audit row names the fields changed, not their content
    (干部监督). ``overwrite``: the row whatever its version — the user, told that another saved it since
    ``version``, chose their own (the audit row says so). ``stored_label(row)``: how a refusal names the
    record as stored (a catalogue entry by its stored name, not the one being typed); default the label.
    Call inside a write transaction."""
    stamp = clock.now_iso()
    if row_id is None:
        new_id = model.insert(created_at=stamp, updated_at=stamp, **values).execute()
        changes = {k: [None, HIDDEN if quiet else v] for k, v in values.items() if v not in ("", None)}
        audit.record(audit.CREATE, entity, new_id, f"新增{entity}：{label}", changes)
        return new_id
    old = model.get_or_none(model.id == row_id)
    if old is None:
        raise NotFoundError(f"该{entity}已被删除。")
    before = {k: old.__data__.get(k) for k in values}  # a foreign key as its id, not its row
    changes = audit.diff(before, values)
    if not changes:
        return row_id
    overwritten = old.version != version
    what = f"{entity}“{(stored_label(old) if stored_label else label).strip('“”')}”"
    if overwritten and not overwrite:
        raise conflicts.stale(entity, row_id, what)
    updated = (model.update(version=model.version + 1, updated_at=stamp, **values)
               .where((model.id == row_id) & (model.version == old.version)).execute())
    if not updated:
        raise conflicts.stale(entity, row_id, what)
    if quiet:
        changes = {k: HIDDEN for k in changes}
    audit.record(audit.UPDATE, entity, row_id, f"修改{entity}：{label}" + (conflicts.OVERWROTE if overwritten else ""), changes)
    return row_id


def remove(model, row_id: int, entity: str, label: str, changes: dict | None = None, *, version: int | None = None,
           overwrite: bool = False) -> None:
    """Delete one row and write its audit row (call inside a write transaction). ``version``: the row's
    as the user last saw it — another having saved it since, the delete is refused (a ConflictError naming
    who and when) unless ``overwrite`` (the user, told, deletes it anyway: the audit row says so); None:
    not checked."""
    row = model.get_or_none(model.id == row_id)
    changed = row is not None and version is not None and row.version != version
    suffix = conflicts.check_delete(changed, overwrite, entity, row_id, f"{entity}“{label.strip('“”')}”")
    model.delete().where(model.id == row_id).execute()
    audit.record(audit.DELETE, entity, row_id, f"删除{entity}：{label}{suffix}", changes)


def delete_record(model, row_id: int, what: str, entity: str, label, changed: Sequence[str], *also: str,
                  version: int | None = None, overwrite: bool = False) -> None:
    """Delete one record of a cadre the operator may edit (and do ``also`` on): its audit row says
    删除{entity}：{label(row, cadre)} with the ``changed`` fields' old values. ``version``, ``overwrite``:
    see remove."""
    with write_transaction():
        row = found(model, row_id, what)
        cadre = editable_cadre(row.cadre_id, *also, doing="删除")
        remove(model, row_id, entity, label(row, cadre), {key: [getattr(row, key), None] for key in changed},
               version=version, overwrite=overwrite)


# ---- catalogues (系统管理): checklist items, pools ---------------------------------------------------

def catalogue(model, include_retired: bool = False):
    """The entries of a catalogue in their order (the retired ones only when asked for)."""
    query = model.select().order_by(model.sort_order, model.id)
    if not include_retired:
        query = query.where(model.retired == False)  # noqa: E712 - peewee expression
    return query


def catalogue_values(model, record: RecordSpec, entry: CatalogueEntry, taken: str, *, joiner: str = " ") -> dict:
    """An entry's values as the administrator may save them (call inside a write transaction): its name
    with white space squeezed to ``joiner``, required and not another entry's (``taken`` says so, with
    {name}); its description; retired or not; a new entry goes last. PermissionDenied without 系统管理;
    ValidationError with every problem at its field."""
    permissions.require(permissions.ADMIN)
    errors: dict[str, str] = {}
    name = joiner.join(text(record, "name", entry.name, errors).split())
    description = text(record, "description", entry.description, errors)
    if name_taken(model, name, entry.id):
        errors["name"] = taken.format(name=name)
    if errors:
        raise ValidationError(errors)
    values = {"name": name, "description": description, "retired": bool(entry.retired)}
    if entry.id is None:
        values["sort_order"] = (model.select(fn.MAX(model.sort_order)).scalar() or 0) + 1
    return values


def catalogue_entry(model, entry_id: int, what: str):
    """An entry the administrator is about to change or delete (PermissionDenied without 系统管理)."""
    permissions.require(permissions.ADMIN)
    return found(model, entry_id, what)


def entry_changed(before: CatalogueEntry | None, row) -> bool:
    """Whether the stored entry of a catalogue without a version (对照检查项目) differs from ``before``, as the
    administrator read it (its name, description, 停用; not its place in the order); None: not checked."""
    return before is not None and (before.name, before.description, bool(before.retired)) != (
        row.name, row.description, bool(row.retired))


def name_taken(model, name: str, row_id: int | None) -> bool:
    """Whether another row of ``model`` (a catalogue: checklist items, pools) already has ``name``."""
    clash = model.select().where(model.name == name)
    if row_id is not None:
        clash = clash.where(model.id != row_id)
    return bool(name) and clash.exists()


def found(model, row_id: int, what: str):
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFoundError(f"该{what}不存在或已被删除。")
    return row
