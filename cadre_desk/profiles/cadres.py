"""Cadre profiles: read, create, update (optimistic lock), delete; every change audited."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.domain.fields import (
    FIELDS,
    LIST_FIELDS,
    RECORDS,
    AssessmentItem,
    FamilyItem,
    ResumeItem,
    RewardItem,
    TrainingItem,
    display_value,
    form_party,
)
from cadre_desk.domain.pinyin import initials
from cadre_desk.domain.validation import clean_records, record_warnings, validate_profile_values
from cadre_desk.profiles.profile_hooks import DELETE_HOOKS  # what other capabilities do on a delete
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import RECORD_MODELS, Cadre, CadrePhoto, Unit, id_number_is
from cadre_desk.store.portable import is_server, upsert_row
from cadre_desk.store.statements import Statement, run_together, slot, slots_of

ENTITY = "干部"  # as the audit log names a cadre's profile


@dataclass
class CadreProfile:
    """A whole profile as plain data: registry values plus the sub-records."""

    id: int | None = None
    version: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    resume: list[ResumeItem] = field(default_factory=list)
    family: list[FamilyItem] = field(default_factory=list)
    rewards: list[RewardItem] = field(default_factory=list)
    trainings: list[TrainingItem] = field(default_factory=list)
    assessments: list[AssessmentItem] = field(default_factory=list)
    photo: bytes | None = None

    @property
    def name(self) -> str:
        return self.values.get("name", "")


@dataclass(frozen=True)
class SaveResult:
    profile: CadreProfile
    warnings: dict[str, str]


def new_profile(unit_id: int | None = None) -> CadreProfile:
    values = {spec.key: spec.default for spec in FIELDS}
    values["unit"] = unit_id
    return CadreProfile(values=values)


def _values_of(row: Cadre) -> dict[str, Any]:
    values = {spec.key: getattr(row, spec.key if spec.kind != "unit" else "unit_id") for spec in FIELDS}
    return values


def _value_fields() -> list:
    """The cadre table's field of each registry field, in FIELDS order."""
    return [Cadre._meta.fields[spec.key] for spec in FIELDS]


# A profile's reads: the same statements every time (store.statements), rows converted as peewee would.
_READ_ROW = Statement(lambda: Cadre.select(Cadre.version, *_value_fields()).where(Cadre.id == slot("id")))
_READ_PHOTO = Statement(lambda: CadrePhoto.select(CadrePhoto.data).where(CadrePhoto.cadre == slot("id")))


def _read_records(record) -> Statement:
    model = RECORD_MODELS[record.key]

    def build():
        order = model.seq if "seq" in model._meta.fields else _order_of(model, record)
        return model.select(*(getattr(model, f.key) for f in record.fields)).where(
            model.cadre == slot("id")).order_by(order)

    return Statement(build)


_READ_RECORDS = {record.key: _read_records(record) for record in RECORDS}


def _converted(fields, row) -> list:
    return [None if value is None else field.python_value(value) for field, value in zip(fields, row, strict=True)]


def get_profile(cadre_id: int, *, audit_view: bool = False) -> CadreProfile:
    # The row, its sub-records and the photo: on a server in one round trip (statements.run_together).
    # Rows read before a concurrent save and rows read after it cannot mix unnoticed: every save moves
    # the version on, and a save of this copy matches only the version read here.
    rows = _fetched(run_together(*_profile_reads(cadre_id)))
    profile = _profile_of(cadre_id, rows)
    _remember_read(cadre_id, profile.version, rows)
    if audit_view:
        with write_transaction():
            audit.record(audit.VIEW, ENTITY, cadre_id, f"查看 {profile.name} 的完整档案")
    return profile


def _profile_reads(cadre_id: int) -> list[tuple[Statement, dict]]:
    """The statements that read a profile (and their values), for run_together."""
    return [(_READ_ROW, {"id": cadre_id}), *((_READ_RECORDS[r.key], {"id": cadre_id}) for r in RECORDS),
            (_READ_PHOTO, {"id": cadre_id})]


# On a server: the committed rows of the profiles this program read last (get_profile), by database
# and id: (version, rows). A save of a copy read at that version replaces exactly those rows — its UPDATE
# matches only that version, and every writer of a profile or its sub-records moves the version on
# (imports, 考核表 定稿) — so it need not read them again before it writes: one round trip less.
_AS_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_AS_READ_KEPT = 64


def _remember_read(cadre_id: int, version: int, rows: list) -> None:
    db = database.obj
    # A file reads its rows again at no cost; rows read inside a transaction may yet be rolled back.
    if not is_server(db) or db.in_transaction():
        return
    kept = _AS_READ.setdefault(db, OrderedDict())
    kept[cadre_id] = (version, rows)
    kept.move_to_end(cadre_id)
    while len(kept) > _AS_READ_KEPT:
        kept.popitem(last=False)


def forget_reads() -> None:
    """Read every profile again before its next save: the server's data was replaced by a restore, where
    a version number no longer names the rows this program read at it."""
    _AS_READ.clear()


def _as_read(cadre_id: int | None, version: int) -> CadreProfile | None:
    """The profile as this program read it at ``version`` (None: not remembered)."""
    kept = _AS_READ.get(database.obj) if cadre_id is not None else None
    remembered = kept.get(cadre_id) if kept else None
    if remembered is None or remembered[0] != version:
        return None
    return _profile_of(cadre_id, remembered[1])


def _fetched(cursors: list) -> list[list[tuple]]:
    """Every row the cursors of ``_profile_reads`` read, as the driver's tuples."""
    return [cursor.fetchall() for cursor in cursors]


def _profile_from(cadre_id: int, cursors: list) -> CadreProfile:
    """The profile the cursors of ``_profile_reads`` read (NotFoundError when its row is gone)."""
    return _profile_of(cadre_id, _fetched(cursors))


def _profile_of(cadre_id: int, rows: list) -> CadreProfile:
    """The profile of the rows ``_profile_reads`` read (NotFoundError when its row is gone)."""
    row, *records, photo = rows
    found = row[0] if row else None
    if found is None:
        raise NotFoundError(f"编号为 {cadre_id} 的干部不存在或已被删除。")
    fields = _value_fields()
    values = dict(zip((spec.key for spec in FIELDS), _converted(fields, found[1:]), strict=True))
    permissions.require(permissions.READ, unit_id=values.get("unit"), cadre_id=cadre_id)
    profile = CadreProfile(id=cadre_id, version=found[0], values=values)
    for record, record_rows in zip(RECORDS, records, strict=True):
        model = RECORD_MODELS[record.key]
        columns = [model._meta.fields[f.key] for f in record.fields]
        setattr(profile, record.key, [record.item(*_converted(columns, row)) for row in record_rows])
    profile.photo = bytes(photo[0][0]) if photo else None
    return profile


def _order_of(model, record):
    """The stored order of a record's rows without ``seq``: its ``order`` field (年度考核: newest first)."""
    column = getattr(model, record.order.lstrip("-"))
    return column.desc() if record.order.startswith("-") else column


def validate_subrecords(profile: CadreProfile, errors: dict[str, str]) -> tuple[dict[str, list], dict[str, str]]:
    """Every sub-record's rows checked as the registry describes them: (clean rows per record key,
    warnings per record key); problems go into ``errors``."""
    subrecords: dict[str, list] = {}
    warnings: dict[str, str] = {}
    for record in RECORDS:
        subrecords[record.key], record_warnings = clean_records(record, getattr(profile, record.key), errors)
        if record_warnings:
            warnings[record.key] = "；".join(record_warnings)
    return subrecords, warnings


def validate_profile(profile: CadreProfile, *, read_stored: bool = False, stored: CadreProfile | None = None
                     ) -> tuple[dict[str, Any], dict[str, list], dict[str, str], CadreProfile | None]:
    """All checks without saving: (clean values, clean sub-records, warnings — with what is said of the
    sub-records, validation.record_warnings —, the stored profile when ``read_stored`` or given as
    ``stored``) or ValidationError. The database's checks and the stored
    profile's reads go together: on a server one round trip. With ``stored`` (the profile as read at
    this version) nothing is read of it, and the unit and 身份证号 are looked up only when they differ
    from it (as under the writers' lock: a unit with cadres is not deleted, a number has one holder)."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    try:
        values, warnings = validate_profile_values(profile.values)
    except ValidationError as exc:
        errors.update(exc.errors)
        warnings.update(exc.warnings)
        values = dict(profile.values)
    subrecords, gaps = validate_subrecords(profile, errors)
    warnings.update(gaps)
    for said in record_warnings(subrecords):  # 简历 dated after today, 奖惩情况 over the 任免表's box: as imports say
        warnings[said.field] = "；".join(filter(None, (warnings.get(said.field), said)))
    unit_id, number = values.get("unit"), values.get("id_number")
    old = stored.values if stored is not None else {}
    ask_unit = "unit" not in errors and (stored is None or unit_id != old.get("unit"))
    ask_number = "id_number" not in errors and (stored is None or number != old.get("id_number"))
    asked = _reference_reads(unit_id if ask_unit else None, number if ask_number else None, profile.id)
    reads = _profile_reads(profile.id) if read_stored and stored is None and profile.id is not None else []
    cursors = run_together(*(run for _key, run in asked), *reads)
    errors.update(_reference_found(asked, cursors[:len(asked)]))
    if errors:
        raise ValidationError(errors, warnings)
    if reads:
        try:
            stored = _profile_from(profile.id, cursors[len(asked):])
        except NotFoundError:
            raise ConflictError("该干部已被他人删除，无法保存。", gone=True) from None
    return values, subrecords, warnings, stored


_UNIT = Statement(lambda: Unit.select(Unit.id).where(Unit.id == slot("id")))
_HOLDER = Statement(lambda: Cadre.select(Cadre.name).where(id_number_is(slot("number")),
                                                           Cadre.id != slot("id")).limit(1))


def _reference_reads(unit_id: int | None, number: str | None, cadre_id: int | None) -> list:
    """What to ask the database of a unit and a 身份证号 (None: not asked): [(key, (statement, values))]."""
    asked = []
    if unit_id:
        asked.append(("unit", (_UNIT, {"id": unit_id})))
    if number:
        asked.append(("id_number", (_HOLDER, {"number": number, "id": -1 if cadre_id is None else cadre_id})))
    return asked


def _reference_found(asked: list, cursors: list) -> dict[str, str]:
    """What the database said against them: the unit is gone, another cadre has the number."""
    errors = {}
    for (key, _run), cursor in zip(asked, cursors, strict=True):
        found = cursor.fetchone()
        if key == "unit" and found is None:
            errors["unit"] = "所选单位不存在，请重新选择"
        elif key == "id_number" and found is not None:
            errors["id_number"] = f"身份证号与已有干部“{found[0]}”重复"
    return errors


def _reference_errors(unit_id: int | None, number: str | None, cadre_id: int | None) -> dict[str, str]:
    """The unit and 身份证号 checks asked on their own (together: one round trip on a server)."""
    asked = _reference_reads(unit_id, number, cadre_id)
    return _reference_found(asked, run_together(*(run for _key, run in asked)))


def _check_again(values: dict[str, Any], before: CadreProfile | None, cadre_id: int | None,
                 warnings: dict[str, str]) -> None:
    """Under the writers' lock, what another clerk may have changed since validate_profile looked: a
    身份证号 or a unit new to this profile (two clerks cannot both take one 身份证号)."""
    old = before.values if before is not None else {}
    unit_id, number = values.get("unit"), values.get("id_number")
    errors = _reference_errors(unit_id if unit_id != old.get("unit") else None,
                               number if number != old.get("id_number") else None, cadre_id)
    if errors:
        raise ValidationError(errors, warnings)


def _row_values(values: dict[str, Any]) -> dict[str, Any]:
    row = {}
    for spec in FIELDS:
        value = values.get(spec.key)
        if spec.kind == "unit":
            row["unit"] = value
        else:
            row[spec.key] = "" if value is None else value
    row["name_initials"] = initials(values.get("name", ""))
    return row


def write_subrecords(cadre_id: int, subrecords: dict[str, list], before: CadreProfile | None = None) -> None:
    """Replace the sub-records that changed (all of them for a new profile)."""
    for record in RECORDS:
        if before is not None and getattr(before, record.key) == subrecords[record.key]:
            continue
        model = RECORD_MODELS[record.key]
        if before is not None:
            model.delete().where(model.cadre == cadre_id).execute()
        insert_records(record.key, [(cadre_id, subrecords[record.key])])


def insert_records(key: str, given: list[tuple[int, list]]) -> int:
    """New cadres' records of one kind (nothing to replace), many at a time: (cadre id, its items).
    Through the driver's executemany: peewee's insert_many spent most of an import's write on building
    its SQL text. Returns how many rows went in."""
    from cadre_desk.store.db import raw_connection

    model = RECORD_MODELS[key]
    record = next(r for r in RECORDS if r.key == key)
    fields = [model._meta.fields[f.key] for f in record.fields]
    numbered = "seq" in model._meta.fields
    columns = [model.cadre.column_name, *(["seq"] if numbered else []), *(f.column_name for f in fields)]
    sql = (f'INSERT INTO "{model._meta.table_name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)})')
    read = attrgetter(*(f.name for f in fields)) if len(fields) > 1 else lambda item: (getattr(item, fields[0].name),)
    # a text column's db_value passes a str (or None) as it is: rows of only such values are their values
    plain = all(_passes_text(f) for f in fields)
    rows = []
    for cadre_id, items in given:
        for i, item in enumerate(items):
            values = read(item)
            if not (plain and {*map(type, values)} <= _TEXT_TYPES):
                values = [f.db_value(v) for f, v in zip(fields, values, strict=True)]
            rows.append((cadre_id, i, *values) if numbered else (cadre_id, *values))
    if not rows:
        return 0
    conn = raw_connection()
    for start in range(0, len(rows), 5000):
        conn.executemany(sql, rows[start:start + 5000])
    return len(rows)


_TEXT_TYPES = frozenset((str, type(None)))


def _passes_text(column) -> bool:
    """Whether a column's db_value gives a str or None back as it is (peewee's CharField, TextField)."""
    from peewee import CharField, Field, TextField

    kind = type(column)
    return kind in (CharField, TextField) and kind.db_value is Field.db_value and kind.adapt is CharField.adapt


def _subrecord_snapshot(profile: CadreProfile, records=RECORDS) -> dict[str, Any]:
    """The sub-records as the audit shows them: the record's label → its rows as shown."""
    return {record.label: [[display_value(f, getattr(item, f.key)) for f in record.fields]
                           for item in getattr(profile, record.key)] for record in records}


def save_profile(profile: CadreProfile, reason: str = "") -> SaveResult:
    """Create (id None) or update a profile. Raises ValidationError with every field's message, or
    ConflictError when the stored version moved on since ``profile`` was read. ``reason`` goes into the
    audit row (a change made for another record: "一线锻炼期满提拔使用（…）").

    Everything that only reads — the checks, the stored profile it replaces, what the audit row will
    say — happens before the write transaction: on a shared server the writers queue on one lock, so
    it is held only for the writes (the row on its version, the sub-records that changed, the audit
    row). What was read before stays true under the lock: the UPDATE matches only the version read, and
    every writer of a profile's sub-records moves that version on (imports, 考核表 定稿)."""
    permissions.require(permissions.EDIT, unit_id=profile.values.get("unit"), cadre_id=profile.id)
    values, subrecords, warnings, before = validate_profile(profile, read_stored=True,
                                                            stored=_as_read(profile.id, profile.version))
    row = _row_values(values)
    if before is not None and before.version != profile.version:
        raise conflicts.stale(ENTITY, profile.id, f"{before.values.get('name') or ''}的档案")
    photo_changed = profile.photo is not None and (before is None or profile.photo != before.photo)
    saved = CadreProfile(id=profile.id, version=profile.version + 1 if before else 1,
                         values=_stored_values(row),
                         **{record.key: list(subrecords[record.key]) for record in RECORDS})
    saved.photo = (profile.photo or None) if photo_changed else (before.photo if before is not None else None)
    old_values = before.values if before is not None else {}
    changes = audit.diff(old_values, saved.values)
    if before is None:
        changes.update(audit.diff({}, _subrecord_snapshot(saved)))
    else:  # only the records whose rows changed can differ as shown
        changed = [r for r in RECORDS if getattr(before, r.key) != getattr(saved, r.key)]
        changes.update(audit.diff(_subrecord_snapshot(before, changed), _subrecord_snapshot(saved, changed)))
    if photo_changed:
        changes["照片"] = ["", "已更换" if profile.photo else "已删除"]
    stamp = clock.now_iso()
    written = None
    with write_transaction():
        _check_again(values, before, profile.id, warnings)
        if before is None:
            saved.id = Cadre.insert(**row, version=1, created_at=stamp, updated_at=stamp).execute()
            audit.record(audit.CREATE, ENTITY, saved.id, f"新增干部 {values['name']}", changes, reason=reason)
        else:
            # The row on the version read, and its audit row only if it applied (audit.record_along).
            update = (_UPDATE_ROW, dict(row, updated_at=stamp, _id=profile.id, _version=profile.version))
            written = audit.record_along(update, audit.UPDATE, ENTITY, saved.id, f"修改干部 {values['name']}",
                                         changes, reason=reason)
            more = photo_changed or any(getattr(before, r.key) != subrecords[r.key] for r in RECORDS)
            # Sent with the COMMIT when nothing else is written (on a server: one round trip under the
            # writers' lock); known now otherwise, before the sub-records are written.
            if (more or not written.pending) and not written.rowcount:
                _refuse_stale(profile.id)  # the transaction, audit row included, is rolled back
        write_subrecords(saved.id, subrecords, before)
        if photo_changed:
            if profile.photo:
                upsert_row(CadrePhoto, CadrePhoto.cadre, saved.id, {CadrePhoto.data: profile.photo})
            else:
                CadrePhoto.delete().where(CadrePhoto.cadre == saved.id).execute()
    if written is not None and not written.rowcount:  # the row had moved on: nothing was written
        _refuse_stale(profile.id)
    access_scope.cadres_changed([saved.id])  # a name, 身份证号 or family record may change who must 回避
    return SaveResult(saved, warnings)


def _refuse_stale(cadre_id: int) -> None:
    """ConflictError for a save whose row was not on the version read: deleted, or changed by another."""
    if not Cadre.select().where(Cadre.id == cadre_id).exists():
        raise ConflictError("该干部已被他人删除，无法保存。", gone=True)
    raise conflicts.stale(ENTITY, cadre_id, f"{Cadre.get_by_id(cadre_id).name}的档案")


def _update_row():
    fields = [*_value_fields(), Cadre.name_initials, Cadre.updated_at]
    return (Cadre.update({**slots_of(fields), Cadre.version: Cadre.version + 1})
            .where(Cadre.id == slot("_id"), Cadre.version == slot("_version")))


_UPDATE_ROW = Statement(_update_row)  # a profile's row on the version it was read at (_row_values)


def _stored_values(row: dict[str, Any]) -> dict[str, Any]:
    """The values as reading the row just written gives them back (each column's own conversions),
    without reading it."""
    fields = Cadre._meta.fields
    return {spec.key: fields[spec.key].python_value(fields[spec.key].db_value(row[spec.key])) for spec in FIELDS}


def delete_cadre(cadre_id: int, version: int | None = None, overwrite: bool = False,
                 shown: tuple | None = None) -> None:
    """Delete a cadre as the user last saw it: the profile at ``version`` (a profile window), or the
    roster's row ``shown`` (as list_rows gave it, the version it was read at its last column: a change
    the roster's columns do not show — 简历, 家庭成员, 奖惩, the photo — counts too) — another having
    changed it since, refused naming who and when unless ``overwrite`` (conflicts.check_delete); neither
    given: not checked."""
    with write_transaction():
        row = Cadre.get_or_none(Cadre.id == cadre_id)
        if row is None:
            raise NotFoundError("该干部不存在或已被删除。")
        permissions.require(permissions.EDIT, unit_id=row.unit_id, cadre_id=cadre_id)
        changed = (version is not None and row.version != version) or (
            shown is not None and shown[ROW_VERSION] != row.version)
        suffix = conflicts.check_delete(changed, overwrite, ENTITY, cadre_id, f"{row.name}的档案")
        values = _values_of(row)
        for hook in DELETE_HOOKS:
            hook(cadre_id)
        Cadre.delete().where(Cadre.id == cadre_id).execute()
        audit.record(audit.DELETE, ENTITY, cadre_id, f"删除干部 {row.name}（{row.id_number}）{suffix}",
                     {k: [v, None] for k, v in values.items() if v not in ("", None)})
    access_scope.cadres_changed([cadre_id])



def count() -> int:
    return Cadre.select().count()


# ---- the list ----------------------------------------------------------------------------------

LIST_KEYS: tuple[str, ...] = tuple(spec.key for spec in LIST_FIELDS)
# A list row's last column: the profile's version when the row was read (what delete_cadre compares).
ROW_VERSION = 2 + len(LIST_KEYS)


def _list_columns():
    cols = [Cadre.id, Cadre.name_initials]
    for spec in LIST_FIELDS:
        cols.append(Cadre.unit if spec.kind == "unit" else getattr(Cadre, spec.key))
    return [*cols, Cadre.version]


# List columns with few distinct values (codes, dates): their strings are shared between rows, which
# takes ~40 % off the memory of a 100,000-row list.
_SHARED_KINDS = ("code", "codes", "date", "party", "unit")
# 入党时间 in the list is the 任免表's (fields.form_party): a 民主党派 member known by 政治面貌 alone shows
# the party under 党派 (its dates, none, under 入党时间); only a row of a 民主党派 can differ from stored.
_PARTY_AT, _POLITICAL_AT = LIST_KEYS.index("party") + 2, LIST_KEYS.index("political") + 2
_DEMOCRATIC = frozenset(codes.DEMOCRATIC_PARTIES)


def _form_parties(parties: tuple, politicals: tuple) -> tuple | list:
    """The 入党时间 column of a batch of rows as fields.form_party writes each."""
    if _DEMOCRATIC.isdisjoint(politicals):
        return parties
    return [form_party({"party": party, "political": political}) if political in _DEMOCRATIC else party
            for party, political in zip(parties, politicals, strict=True)]


def list_rows(ids: list[int] | None = None) -> list[tuple]:
    """Rows for the cadre list as plain tuples: (id, initials, *LIST_KEYS values, version); 入党时间 as
    the 任免表 writes it (fields.form_party), so the list's 党派 names a 民主党派 known by 政治面貌 alone."""
    query = Cadre.select(*_list_columns()).order_by(Cadre.id)
    if ids is not None:
        query = query.where(Cadre.id.in_(ids))
    query = access_scope.current().restrict(query, unit=Cadre.unit)
    # The driver's own tuples: peewee's row conversion triples the time of a 100,000-row load.
    cursor = database.execute(query)
    shared = [i + 2 for i, spec in enumerate(LIST_FIELDS) if spec.kind in _SHARED_KINDS]
    pools: list[dict] = [{} for _ in shared]
    out: list[tuple] = []
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            return out
        columns = list(zip(*batch, strict=True))
        columns[_PARTY_AT] = _form_parties(columns[_PARTY_AT], columns[_POLITICAL_AT])
        for pool, col in zip(pools, shared, strict=True):
            columns[col] = map(pool.setdefault, columns[col], columns[col])
        out.extend(zip(*columns, strict=True))


def display_profile_value(key: str, profile: CadreProfile, unit_names: dict[int, str] | None = None) -> str:
    from cadre_desk.domain.fields import BY_KEY

    return display_value(BY_KEY[key], profile.values.get(key), unit_names)
