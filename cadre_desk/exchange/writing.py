"""Writing an import: the chosen rows in ONE transaction (all of them or nothing), new units
first, new profiles in batches through the driver, updates with only the fields that changed
(each cadre's audit row lists them), one audit row for the import.

Another import may have written the same people since the file was checked (two clerks, two
windows): inside the write lock every new row is checked again, and the import is refused
naming the person who is already there — never a database error."""

from __future__ import annotations

import dataclasses

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock
from cadre_desk.domain.bulk import no_cycle_collection
from cadre_desk.domain.dates import format_month
from cadre_desk.domain.errors import ConflictError, ValidationError
from cadre_desk.domain.fields import BY_KEY, FAMILY, RECORDS
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange import duplicates
from cadre_desk.exchange.assessment_text import ASSESSMENT_KEPT
from cadre_desk.exchange.plan import (
    ASSESSMENT,
    ASSESSMENT_YEARS,
    FIELD_KEYS,
    INSERT,
    KEEP_BOTH,
    KIND_LABELS,
    LRMX,
    RECORD_COLUMNS,
    ROSTER,
    SKIP,
    TRAINING,
    UPDATE,
    ImportOptions,
    ImportPlan,
    ImportResult,
    ImportRow,
)
from cadre_desk.security import audit

_BATCH = 5000
_CHUNK = 900  # ids per IN (…) query


def commit(plan: ImportPlan, options: ImportOptions | None = None, progress: Progress = NO_PROGRESS, *,
           skip_invalid: bool = True, dry_run: bool = False, backup: bool = True) -> ImportResult:
    """Write the chosen rows (action insert/update/keep both) in one transaction: all or nothing.

    Without ``skip_invalid`` a chosen row with problems refuses the whole import. With ``backup`` the
    database is first backed up (backups.backup_kept_if_written), so a wrong import can be undone by
    restoring it; a caller importing several files in one transaction makes that backup itself."""
    permissions.require(permissions.EDIT)
    if not plan.complete:  # a preview whose rest is still being read and checked
        raise ValidationError({"": "表中还有行没有检查完，请等全部行检查完成后再导入。"})
    chosen = [r for r in plan.rows if r.action != SKIP]
    for row in chosen:
        if row.action in (INSERT, KEEP_BOTH) and row.insert_problems:
            row.problems = [*row.problems, *row.insert_problems]
            row.insert_problems = []
    invalid = [r for r in chosen if r.problems]
    skipped = len(plan.rows) - len(chosen)
    if invalid and not skip_invalid:
        first = invalid[0]
        raise ValidationError({"": f"有 {len(invalid)} 行存在问题，未导入任何数据（第 {first.line} 行："
                                   f"{first.problems[0]}）"})
    rows = [r for r in chosen if not r.problems]
    new_rows = [r for r in rows if r.action in (INSERT, KEEP_BOTH)]
    unchanged = sum(1 for r in rows if r.unchanged(plan.kind))  # 无变化: nothing to write for them
    updates = [r for r in rows if r.action == UPDATE and not r.unchanged(plan.kind)]
    if dry_run:
        return ImportResult(len(new_rows), len(updates), skipped, len(invalid), unchanged=unchanged)
    from cadre_desk.security import backups

    wanted = backup and bool(new_rows or updates)
    if wanted:
        progress.report(0, 0, "正在备份数据库…")
    # hundreds of thousands of rows and records made and written, no cycles among them: the collector's
    # passes over the plan's rows were a fifth of a 100,000-row roster's write. The 导入前备份 is removed
    # again when this import's own transaction writes nothing (取消, refused, failed).
    with no_cycle_collection(), backups.backup_kept_if_written(f"导入{KIND_LABELS[plan.kind]}",
                                                               wanted=wanted) as kept:
        last_id = refuse_people_already_there(new_rows)
        unit_ids = create_units(rows)
        inserted_ids = insert_rows(new_rows, unit_ids, progress, last_id)
        updated_ids = update_rows(plan, updates, unit_ids, progress)
        same = f"无变化 {unchanged} 人，" if unchanged else ""
        summary = (f"导入{KIND_LABELS[plan.kind]}“{plan.file_name}”：新增 {len(inserted_ids)} 人，"
                   f"更新 {len(updated_ids)} 人，{same}跳过 {skipped} 行，有问题未导入 {len(invalid)} 行")
        audit.record(audit.IMPORT, "干部", None, summary,
                     {"文件": [None, plan.file_name], "新增": [None, len(inserted_ids)],
                      "更新": [None, len(updated_ids)]} | ({"无变化": [None, unchanged]} if unchanged else {}),
                     reason=f"从文件导入：{plan.path}")
        if kept.outermost:  # the last moment a 取消 is honoured (all rolled back); after it the commit is not stopped
            progress.seal()
    if inserted_ids or updated_ids:
        access_scope.cadres_changed([*inserted_ids, *updated_ids])  # new names, family records: 回避
    return ImportResult(len(inserted_ids), len(updated_ids), skipped, len(invalid),
                        tuple(inserted_ids) + tuple(updated_ids), kept.path, unchanged)


def refuse_people_already_there(rows: list[ImportRow]) -> int:
    """Under the write lock: a new row whose 身份证号 (or name and birth month, unless the clerk
    chose to keep both) is in the database now refuses the import, naming the person. Only the file's
    numbers and names are looked up (their indexes), so the lock is held as briefly with 100,000
    cadres as with 100: every other clerk's save waits for it. The largest cadre id is read with them
    (the new rows are numbered on from it): on a server all in one round trip."""
    from peewee import chunked

    from cadre_desk.store.models import Cadre
    from cadre_desk.store.statements import read_together

    if not rows:
        return 0  # nothing to check, nothing to number
    last = Cadre.select(Cadre.id).order_by(Cadre.id.desc()).limit(1)
    number_at, name_at, birth_at = (FIELD_KEYS.index(k) for k in ("id_number", "name", "birth"))
    numbers: dict[str, ImportRow] = {}
    by_name: dict[tuple[str, str], ImportRow] = {}
    for row in rows:
        packed = row.packed_values()
        if packed[number_at]:
            numbers[packed[number_at]] = row
        elif row.action == INSERT and packed[birth_at]:
            by_name[(packed[name_at], packed[birth_at][:6])] = row
    columns = (Cadre.id, Cadre.name, Cadre.id_number, Cadre.birth)
    # With the unique index's own condition (id_number <> ''), SQLite uses the index; without, it scans.
    by_number = [Cadre.select(*columns).where(Cadre.id_number.in_(chunk), Cadre.id_number != "").order_by(Cadre.id)
                 for chunk in chunked(sorted(numbers), 900)]
    named = [Cadre.select(*columns).where(Cadre.name.in_(chunk)).order_by(Cadre.id)
             for chunk in chunked(sorted({name for name, _month in by_name}), 900)]
    *found, last_row = read_together(*by_number, *named, last)
    for cursor in found[:len(by_number)]:
        for cid, _name, number, _birth in cursor:
            row = numbers[number]
            raise ConflictError(f"第 {row.line} 行 {row.name}（身份证号 {number}）已在系统中（编号 {cid}，"
                                "可能刚由另一处导入或录入）。未导入任何数据；请重新检查文件后再导入。")
    for cursor in found[len(by_number):]:
        for cid, name, _number, birth in cursor:
            row = by_name.get((name, (birth or "")[:6]))
            if row is not None:
                raise ConflictError(f"第 {row.line} 行 {name}（出生年月 {format_month(birth)}）已在系统中"
                                    f"（编号 {cid}，可能刚由另一处导入或录入）。未导入任何数据；请重新检查文件后再导入。")
    last_id = last_row.fetchone()
    return last_id[0] if last_id else 0


def create_units(rows: list[ImportRow]) -> dict[str, int]:
    """The new units the rows go to: a written path (上级/下级) part by part, a bare name under the
    parent that units of its kind share."""
    from cadre_desk.exchange.unit_names import UnitNames, known_units
    from cadre_desk.units import units

    names = list(dict.fromkeys(r.new_unit for r in rows if r.new_unit))
    if not names:
        return {}
    known, paths = known_units()
    index = UnitNames(known)
    by_path = {path: uid for uid, path in paths.items()}
    created: dict[str, int] = {}
    for name in names:
        parts = [p.strip() for p in name.replace("／", "/").split("/") if p.strip()]
        if len(parts) == 1:
            uid, _ = index.find(parts[0])
            created[name] = uid if uid is not None else units.create_unit(parts[0], index.parent_for(parts[0])).id
            continue
        parent_id, path = None, ""
        for part in parts:
            path = f"{path}/{part}" if path else part
            if path in by_path:
                parent_id = by_path[path]
                continue
            parent_id = units.create_unit(part, parent_id).id
            by_path[path] = parent_id
        created[name] = parent_id
    return created


def insert_rows(rows: list[ImportRow], unit_ids: dict[str, int], progress: Progress, last_id: int) -> list[int]:
    """The new rows, numbered on from ``last_id`` (the largest cadre id, read under the write lock)."""
    from cadre_desk.domain.pinyin import initials
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import raw_connection
    from cadre_desk.store.models import Cadre, CadrePhoto

    if not rows:
        return []
    conn = raw_connection()
    first_id = last_id + 1
    keys = list(FIELD_KEYS)
    columns = ["id"] + [Cadre._meta.fields[k].column_name for k in keys] + [
        "name_initials", "version", "created_at", "updated_at"]
    sql = (f'INSERT INTO "{Cadre._meta.table_name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)})')
    stamp = clock.now_iso()
    ids: list[int] = []
    batch: list[tuple] = []
    total = len(rows)
    unit_key = "unit"
    unit_at = keys.index(unit_key)
    name_at = keys.index("name")
    for n, row in enumerate(rows):
        values = ["" if v is None else v for v in row.packed_values()]
        values[unit_at] = unit_ids[row.new_unit] if row.new_unit else (values[unit_at] or None)
        cadre_id = first_id + n
        ids.append(cadre_id)
        batch.append((cadre_id, *values, initials(values[name_at]), 1, stamp, stamp))
        if len(batch) >= _BATCH:
            conn.executemany(sql, batch)
            batch = []
            progress.report(n, total, f"正在写入第 {n:,} / {total:,} 人…")
    if batch:
        conn.executemany(sql, batch)
    cadres.insert_records("assessments", [
        (cid, [dataclasses.replace(a, source=a.source or "导入") for a in row.assessments])
        for cid, row in zip(ids, rows, strict=True) if row.profile is None and row.assessments])
    _insert_records([(cid, row.records) for cid, row in zip(ids, rows, strict=True) if row.records])
    # LRMX rows carry whole profiles: their sub-records go in with the profile's own writer
    for cid, row in zip(ids, rows, strict=True):
        if row.profile is not None:
            cadres.write_subrecords(cid, {record.key: getattr(row.profile, record.key) for record in RECORDS})
            if row.profile.photo:
                CadrePhoto.insert(cadre=cid, data=row.profile.photo).execute()
    return ids


def _insert_records(given: list[tuple[int, dict[str, list]]]) -> None:
    """A roster's 简历 / 奖惩情况 (read from its cells) for the cadres they go to."""
    from cadre_desk.profiles import cadres

    for key in RECORD_COLUMNS.values():
        cadres.insert_records(key, [(cid, records[key]) for cid, records in given if records.get(key)])


def update_rows(plan: ImportPlan, rows: list[ImportRow], unit_ids: dict[str, int],
                progress: Progress) -> list[int]:
    ids = []
    for n, row in enumerate(rows):
        cadre_id = row.target_id or row.duplicate_id
        if cadre_id is None:
            continue
        if plan.kind == ROSTER:
            _update_fields(row, cadre_id, unit_ids)
        else:
            if plan.kind == LRMX:  # the file replaces the profile: only the profile it was compared with
                _refuse_if_changed(row, cadre_id)
            _update_profile(plan.kind, row, cadre_id)
        ids.append(cadre_id)
        if n % 200 == 0:
            progress.report(n, len(rows), f"正在更新第 {n:,} / {len(rows):,} 人…")
    return ids


# what a refused import says was written: a front end adds it to a refusal that does not say it already
NOTHING_WRITTEN = "未导入任何数据"
_NOTHING_WRITTEN = f"{NOTHING_WRITTEN}；请重新检查文件后再导入。"


def changed_since_checked(kind: str, row: ImportRow, cadre_id: int) -> ConflictError:
    """The refusal of an update whose profile was saved (or deleted) since the file was checked and
    compared with it (``row.duplicate_version``): who saved it and when, from the audit log, as every
    stale save says it (conflicts.stale), and the row as the preview names it (an .lrmx by its file)."""
    from cadre_desk.profiles.cadres import ENTITY
    from cadre_desk.security import conflicts
    from cadre_desk.store.models import Cadre

    where = f"“{row.source}”中" if kind == LRMX else f"第 {row.line} 行 "
    if not Cadre.select().where(Cadre.id == cadre_id).exists():
        return ConflictError(f"{conflicts.CHECKED}，{where}{row.name}的档案已被他人删除。{_NOTHING_WRITTEN}", gone=True)
    return conflicts.stale(ENTITY, cadre_id, f"{where}{row.name}的档案", since=conflicts.CHECKED, then=_NOTHING_WRITTEN)


def _refuse_if_changed(row: ImportRow, cadre_id: int) -> None:
    """Under the write lock: the profile is still on the version the file was compared at, or the
    import is refused (changed_since_checked) — another's save is never replaced without a word."""
    from cadre_desk.store.models import Cadre

    version = Cadre.select(Cadre.version).where(Cadre.id == cadre_id).scalar()
    if version != row.duplicate_version:
        raise changed_since_checked(LRMX, row, cadre_id)


def _update_fields(row: ImportRow, cadre_id: int, unit_ids: dict[str, int]) -> None:
    """Only the fields that differ, on the version they were compared at, and the years of
    年度考核 the file gives; one audit row lists them."""
    from cadre_desk.domain.pinyin import initials
    from cadre_desk.store.models import AnnualAssessment, Cadre

    fields_differing = [d for d in row.differences if d.key != ASSESSMENT_YEARS and d.key not in RECORD_COLUMNS]
    records = [d for d in row.differences if d.key in RECORD_COLUMNS]
    changes = {d.key: row.values[d.key] for d in fields_differing}
    if row.new_unit and "unit" in changes:
        changes["unit"] = unit_ids[row.new_unit]
    permissions.require(permissions.EDIT, unit_id=changes.get("unit"), cadre_id=cadre_id)
    audited = {BY_KEY[d.key].label: [d.old, d.new] for d in fields_differing}
    fields = {getattr(Cadre, k): v for k, v in changes.items()}
    if "name" in changes:
        fields[Cadre.name_initials] = initials(changes["name"])
    fields[Cadre.version] = Cadre.version + 1
    fields[Cadre.updated_at] = clock.now_iso()
    if not changes and not row.assessments and not records:
        return
    done = Cadre.update(fields).where(Cadre.id == cadre_id, Cadre.version == row.duplicate_version).execute()
    if not done:
        raise changed_since_checked(ROSTER, row, cadre_id)
    if records:  # the file's 简历 / 奖惩情况 replace the stored ones
        from cadre_desk.store.models import RECORD_MODELS

        for difference in records:
            model = RECORD_MODELS[RECORD_COLUMNS[difference.key]]
            model.delete().where(model.cadre == cadre_id).execute()
            audited[difference.label] = [difference.old, difference.new]
        _insert_records([(cadre_id, {RECORD_COLUMNS[d.key]: row.records[RECORD_COLUMNS[d.key]] for d in records})])
    if row.assessments:
        table = {a.year: a for a in row.assessments}
        before = {y: r for y, r in AnnualAssessment.select(AnnualAssessment.year, AnnualAssessment.result)
                  .where(AnnualAssessment.cadre == cadre_id, AnnualAssessment.year.in_(list(table))).tuples()}
        AnnualAssessment.delete().where(AnnualAssessment.cadre == cadre_id,
                                        AnnualAssessment.year.in_(list(table))).execute()
        AnnualAssessment.insert_many([dict(cadre=cadre_id, year=a.year, result=a.result, remark=a.remark,
                                           source=a.source or "导入") for a in row.assessments]).execute()
        changed_years = [y for y in sorted(table) if before.get(y) != table[y].result]
        if changed_years:
            audited["年度考核"] = [[f"{y}:{before.get(y, '')}" for y in changed_years],
                               [f"{y}:{table[y].result}" for y in changed_years]]
    audit.record(audit.UPDATE, "干部", cadre_id, f"导入更新干部 {row.name}", audited)


def _update_profile(kind: str, row: ImportRow, cadre_id: int) -> None:
    """Appraisal and training rows add to the profile; an LRMX file replaces it (its unit kept)."""
    from cadre_desk.profiles import cadres

    profile = cadres.get_profile(cadre_id)
    if kind == ASSESSMENT and row.assessments:
        by_year = {a.year: a for a in profile.assessments}
        for item in row.assessments:
            by_year[item.year] = item
        profile.assessments = sorted(by_year.values(), key=lambda a: -a.year)
    if kind == ASSESSMENT and row.values.get(ASSESSMENT_KEPT):  # the sheet's text, as written
        profile.values[ASSESSMENT_KEPT] = row.values[ASSESSMENT_KEPT]
    if kind == TRAINING:
        existing = {(t.name, t.start) for t in profile.trainings}
        profile.trainings += [t for t in row.trainings if (t.name, t.start) not in existing]
    if kind == LRMX and row.profile is not None:
        new = row.profile
        unit = profile.values.get("unit")
        # an .lrmx has no 政治面貌: the one read from its 入党时间 fills an empty one, never replaces one
        kept = ("unit", "political") if profile.values.get("political") else ("unit",)
        # only the fields that differ: a stored day of a month the file gives (19860512 for 198605) and a
        # 年度考核结果（原文） the program's own 任免表 wrote stay as they are
        differing = {d.key for d in row.differences}
        profile.values.update({k: v for k, v in row.values.items() if k not in kept and k in differing})
        profile.values["unit"] = unit
        profile.resume, profile.rewards = new.resume, new.rewards
        if not (profile.family and duplicates.left_out(row, FAMILY.key)):  # read in part: the stored ones stay
            profile.family = new.family
        if new.assessments:  # the years the file gives (a 任免表 says the last three): the others stay
            by_year = {a.year: a for a in profile.assessments}
            for item in new.assessments:
                if by_year.get(item.year) is None or by_year[item.year].result != item.result:
                    by_year[item.year] = item
            profile.assessments = sorted(by_year.values(), key=lambda a: -a.year)
        if new.photo:
            profile.photo = new.photo
    try:
        cadres.save_profile(profile)
    except ValidationError as exc:
        raise ValidationError({"": f"第 {row.line} 行（{row.name}）更新失败：{exc}"}) from None
