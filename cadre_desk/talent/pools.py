"""专业干部信息库: talent pools by field (经济发展, 城乡建设, 乡村振兴, 社会治理, 党建群团 by default;
configurable by 系统管理), and the cadres in them — a cadre may be in several, each time with a level
(领军 / 骨干 / 储备) and a note. Selecting cadres for a frontline post may start from a pool's roster.

Pools and their counts are read within the operator's units; a pool is retired rather than deleted once
it has members."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from peewee import chunked, fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.care import record_kit
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import POOL_MEMBER, TALENT_POOL
from cadre_desk.domain.text import choice_words
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre
from cadre_desk.store.talent_models import LEVELS, PoolMember, TalentPool

__all__ = ["LEVELS"]

E_POOL, E_MEMBER = "专业干部库", "专业干部库入库"


@dataclass
class PoolInfo(record_kit.CatalogueEntry):
    member_count: int = 0  # of cadres in the operator's units
    version: int = 0


@dataclass
class MemberInfo:
    id: int
    version: int
    pool_id: int
    pool_name: str
    cadre_id: int
    cadre_name: str
    unit_id: int | None
    unit_name: str
    position: str
    level: str
    joined_on: str
    note: str
    specialty: str = ""


@dataclass
class AddResult:
    added: int
    skipped: list[str] = field(default_factory=list)  # already in the pool

    def summary(self, pool_name: str) -> str:
        text = f"已将 {self.added} 名干部纳入“{pool_name}”专业干部库。"
        if self.skipped:
            shown = "、".join(self.skipped[:5]) + (f"等 {len(self.skipped)} 人" if len(self.skipped) > 5 else "")
            text += f"\n{shown}已在库中，未重复纳入。"
        return text


# ---- pools ------------------------------------------------------------------------------------------

def _counts() -> dict[int, int]:
    query = PoolMember.select(PoolMember.pool, fn.COUNT(PoolMember.id)).group_by(PoolMember.pool)
    return dict(access_scope.current().restrict(query, cadre=PoolMember.cadre).tuples())


def list_pools(include_retired: bool = False) -> list[PoolInfo]:
    """The pools in their order, with how many of the operator's cadres are in each."""
    counts = _counts() if access_scope.current().permits(permissions.READ) else {}
    return [_pool(r, counts) for r in record_kit.catalogue(TalentPool, include_retired)]


def _pool(row: TalentPool, counts: dict[int, int]) -> PoolInfo:
    return PoolInfo(row.id, row.name, row.description, row.sort_order, row.retired, counts.get(row.id, 0), row.version)


def get_pool(pool_id: int) -> PoolInfo:
    row = record_kit.found(TalentPool, pool_id, "专业干部库")
    return _pool(row, _counts() if access_scope.current().permits(permissions.READ) else {})


def save_pool(info: PoolInfo, overwrite: bool = False) -> PoolInfo:
    """Add, rename, describe or retire a pool (系统管理); a stale copy is refused, naming the pool as stored,
    unless ``overwrite`` (record_kit.save)."""
    with write_transaction():
        values = record_kit.catalogue_values(TalentPool, TALENT_POOL, info, "已有名为“{name}”的专业干部库。", joiner="")
        pool_id = record_kit.save(TalentPool, info.id, info.version, values, E_POOL, f"“{values['name']}”",
                                  stored_label=lambda row: row.name, overwrite=overwrite)
    return get_pool(pool_id)


def delete_pool(pool_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``: the pool's as the administrator last saw it (another's change since refuses the delete
    unless ``overwrite`` — record_kit.remove)."""
    with write_transaction():
        row = record_kit.catalogue_entry(TalentPool, pool_id, "专业干部库")
        if PoolMember.select().where(PoolMember.pool == pool_id).exists():
            raise ValidationError("该专业干部库中还有干部，不能删除；可将其停用。")
        record_kit.remove(TalentPool, pool_id, E_POOL, f"“{row.name}”", version=version, overwrite=overwrite)


# ---- members ---------------------------------------------------------------------------------------

def _member_infos(query) -> list[MemberInfo]:
    rows = record_kit.with_cadres(query.dicts(), lambda r: r["cadre"])
    seen = list(dict.fromkeys(r["cadre"] for r, _b in rows))
    specialties = dict(reads.cadre_rows(("specialty",), seen)) if seen else {}
    return [MemberInfo(r["id"], r["version"], r["pool"], r["pool_name"], r["cadre"], b.name, b.unit_id, b.unit_name,
                       b.position, r["level"], r["joined_on"], r["note"], specialties.get(r["cadre"], "") or "")
            for r, b in rows]


def list_members(pool_id: int | None = None, *, cadre_id: int | None = None, level: str = "",
                 text: str = "") -> list[MemberInfo]:
    """Pool members of the operator's units (of one pool, or one cadre's memberships), by pool order,
    level and name. ``text``: in the name, the position or the note."""
    query = (PoolMember.select(PoolMember, TalentPool.name.alias("pool_name")).join(TalentPool)
             .order_by(TalentPool.sort_order, PoolMember.pool, PoolMember.id))
    if pool_id:
        query = query.where(PoolMember.pool == pool_id)
    if cadre_id:
        record_kit.readable_cadre(cadre_id)
        query = query.where(PoolMember.cadre == cadre_id)
    if level:
        query = query.where(PoolMember.level == level)
    text = (text or "").strip()
    if text:
        matched = Cadre.select(Cadre.id).where(Cadre.name.contains(text) | Cadre.position.contains(text)
                                               | Cadre.specialty.contains(text))
        query = query.where(PoolMember.note.contains(text) | PoolMember.cadre.in_(matched))
    rows = _member_infos(record_kit.scoped(query, PoolMember.cadre))
    rank = {name: i for i, name in enumerate(LEVELS)}
    pools = {p.id: p.sort_order for p in list_pools(include_retired=True)}
    rows.sort(key=lambda m: (pools.get(m.pool_id, 0), m.pool_id, rank.get(m.level, 9), m.cadre_id))
    return rows


def describe_filter(level: str = "", text: str = "") -> str:
    """What the 层级 and 查找 of a pool's list chose, in words (骨干，含“张”) for a workbook's heading and the
    export's file name; "" when nothing is chosen (the whole pool)."""
    return choice_words([level] if level else [], text)


def pools_of(cadre_id: int) -> list[MemberInfo]:
    """A cadre's memberships (the 画像, the profile)."""
    return list_members(cadre_id=cadre_id)


def check_member(level: str, joined_on, note: str, errors: dict[str, str]) -> dict:
    """A membership's level, 入库时间 and 备注 as they may be saved; each problem at its key in ``errors``
    (also what the 名单导入 checks each row by before it says the row can go in)."""
    return {"level": record_kit.choice(POOL_MEMBER, "level", level, LEVELS, errors),
            "joined_on": record_kit.day(POOL_MEMBER, "joined_on", joined_on, errors, required=True),
            "note": record_kit.text(POOL_MEMBER, "note", note, errors)}


def add_members(pool_id: int, cadre_ids: Iterable[int], level: str = "骨干", note: str = "",
                joined_on=None) -> AddResult:
    """Put cadres into a pool at ``level``; those already in it are named and left as they are."""
    ids = list(dict.fromkeys(int(i) for i in cadre_ids))
    errors: dict[str, str] = {}
    values = check_member(level, joined_on or clock.today_yyyymmdd(), note, errors)
    if not ids:
        errors["cadre_ids"] = "请选择要入库的干部。"
    with write_transaction():
        pool = record_kit.found(TalentPool, pool_id, "专业干部库")
        if pool.retired:
            errors["pool_id"] = f"专业干部库“{pool.name}”已停用。"
        if errors:
            raise ValidationError(errors)
        access_scope.current().require_each(permissions.EDIT, ids)
        present: set[int] = set()
        for chunk in chunked(ids, 900):
            present.update(c for (c,) in PoolMember.select(PoolMember.cadre).where(
                (PoolMember.pool == pool_id) & PoolMember.cadre.in_(chunk)).tuples())
        wanted = [i for i in ids if i not in present]
        stamp = clock.now_iso()
        for chunk in chunked(wanted, 200):
            PoolMember.insert_many([{"pool": pool_id, "cadre": c, "created_at": stamp, "updated_at": stamp, **values}
                                    for c in chunk]).execute()
        if wanted:
            audit.record(audit.CREATE, E_MEMBER, pool_id, f"纳入“{pool.name}”专业干部库 {len(wanted)} 人（{values['level']}）",
                         {"cadre_ids": [None, wanted[:200]], "note": [None, values["note"]]})
    names = record_kit.briefs(present)
    return AddResult(len(wanted), sorted(b.name for b in names.values()))


def update_member(member_id: int, version: int, *, level: str, joined_on, note: str = "",
                  overwrite: bool = False) -> MemberInfo:
    """Change an 入库 record read at ``version``; a stale one is refused unless ``overwrite`` (record_kit.save)."""
    with write_transaction():
        row = record_kit.found(PoolMember, member_id, "入库记录")
        cadre = record_kit.editable_cadre(row.cadre_id)
        errors: dict[str, str] = {}
        values = check_member(level, joined_on, note, errors)
        if errors:
            raise ValidationError(errors)
        pool = TalentPool.get_by_id(row.pool_id)
        record_kit.save(PoolMember, member_id, version, values, E_MEMBER, f"{cadre.name}（{pool.name}）",
                        overwrite=overwrite)
    return next(m for m in list_members(row.pool_id, cadre_id=row.cadre_id))


REASON_REQUIRED = "请填写移出原因"


def removal_reason(text: str) -> str:
    """The reason of a 移出, trimmed; a blank one refused (ValidationError at ``reason``): the audit row is
    all that is left of a cadre's place in a pool."""
    reason = (text or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def remove_members(member_ids: Sequence[int], reason: str, read: Mapping[int, int] | None = None,
                   overwrite: bool = False) -> int:
    """Take cadres out of their pool (移出) for ``reason`` (required); returns how many. ``read``: member id →
    the version of its 入库信息 as the clerk saw it — another having changed one since, nobody is taken out
    (a ConflictError naming whose, who and when) unless ``overwrite`` (the audit row says so); None: not
    checked."""
    reason = removal_reason(reason)
    ids = list(dict.fromkeys(member_ids))
    with write_transaction():
        rows = [r for chunk in chunked(ids, 900)
                for r in PoolMember.select(PoolMember, TalentPool.name).join(TalentPool)
                .where(PoolMember.id.in_(chunk)).objects()]
        access_scope.current().require_each(permissions.EDIT, [r.cadre_id for r in rows])
        suffix = ""
        if read is not None:
            stale = [r for r in rows if r.id in read and r.version != read[r.id]]
            what = ""
            if stale:
                more = f"等 {len(stale)} 人" if len(stale) > 1 else ""
                what = f"{Cadre.get_by_id(stale[0].cadre_id).name}（{stale[0].name}）{more}的入库信息"
            suffix = conflicts.check_delete(bool(stale), overwrite, E_MEMBER, stale[0].id if stale else 0, what)
        for chunk in chunked([r.id for r in rows], 900):
            PoolMember.delete().where(PoolMember.id.in_(chunk)).execute()
        for pool_name in sorted({r.name for r in rows}):
            gone = [r.cadre_id for r in rows if r.name == pool_name]
            audit.record(audit.DELETE, E_MEMBER, None, f"移出“{pool_name}”专业干部库 {len(gone)} 人{suffix}",
                         {"cadre_ids": [gone[:200], None]}, reason=reason)
    return len(rows)


def member_cadre_ids(pool_id: int, level: str = "") -> list[int]:
    """The cadres of a pool the operator may see (to start a selection from)."""
    return [m.cadre_id for m in list_members(pool_id, level=level)]


def checks() -> list[str]:
    problems = []
    for row in PoolMember.select(PoolMember, Cadre.name).join(Cadre).objects().iterator():
        if row.level not in LEVELS:
            problems.append(f"专业干部库入库记录 {row.id}（{row.name}）：层级“{row.level}”无效")
        if row.joined_on and row.joined_on > clock.today_yyyymmdd():
            problems.append(f"专业干部库入库记录 {row.id}（{row.name}）：入库时间晚于今天")
    return problems
