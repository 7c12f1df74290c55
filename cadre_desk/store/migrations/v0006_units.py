"""Schema version 6: units get a unique 全称 and a kind from the agreed list; 职数 per unit and level.

- ``unit.full_name`` (全称, unique). An existing unit gets its name made unique by its parents'
  names ("东城区" + "区委办公室"); its ``name`` stays and is now its 简称.
- ``unit.kind`` is one of 市直 / 县区 / 乡镇街道 / 企事业 (the old free text is mapped).
- ``unit.short_name`` (never used: ``name`` is the 简称) is dropped.
- ``unit_staffing``: 核定职数 per unit and 职务层次/职级 code (实配 is counted from the cadres).
- ``cadre_status_unit_rank``: 实配 (cadres in post per unit and level) read from an index, not the
  table (100,000 cadres: 0.6 s → 0.02 s).
- The setting ``department_name`` becomes ``department.full_name``.

Frozen: the models below are this migration's own copies, never the live ones; this text never
changes once shipped."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField

VERSION = 6
DESCRIPTION = "单位全称、简称、类别；单位职数"

KINDS = ("市直", "县区", "乡镇街道", "企事业")
TOWN_ENDINGS = ("镇", "乡", "街道", "街道办事处", "镇人民政府", "乡人民政府")
COUNTY_ENDINGS = ("县", "区", "旗")


class _Unit(Model):
    name = CharField(max_length=100)
    parent = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    path = CharField(max_length=400)
    full_name = CharField(max_length=200, default="")
    kind = CharField(max_length=20, default="")

    class Meta:
        table_name = "unit"


class _UnitStaffing(Model):
    unit = ForeignKeyField(_Unit, on_delete="CASCADE", index=True)
    rank = CharField(max_length=18)  # RANK code (职务层次/职级)
    approved = IntegerField(default=0)  # 核定职数

    class Meta:
        table_name = "unit_staffing"
        indexes = ((("unit", "rank"), True),)


class _Setting(Model):
    key = CharField(primary_key=True, max_length=100)
    value = TextField()

    class Meta:
        table_name = "setting"


def unique_full_names(units: dict[int, tuple[str, int | None]]) -> dict[int, str]:
    """{id: (name, parent id)} → {id: 全称}: the name itself where no other unit has it, else
    prefixed by as many ancestors' names as it takes ("临江县" + "城关镇"); the id as a last resort."""

    def chain(uid: int) -> list[str]:
        names, seen = [], set()
        while uid in units and uid not in seen:
            seen.add(uid)
            name, parent = units[uid]
            names.append(name.strip())
            uid = parent
        return names  # own name first

    chains = {uid: chain(uid) for uid in units}
    out: dict[int, str] = {}
    depth = {uid: 1 for uid in units}
    while True:
        candidate = {uid: "".join(reversed(chains[uid][:depth[uid]])) for uid in units}
        counts: dict[str, int] = {}
        for text in candidate.values():
            counts[text] = counts.get(text, 0) + 1
        clashes = [uid for uid, text in candidate.items() if counts[text] > 1]
        grown = False
        for uid in clashes:
            if depth[uid] < len(chains[uid]):
                depth[uid] += 1
                grown = True
        if not grown:
            break
    taken: set[str] = set()
    for uid in sorted(units):
        text = candidate[uid]
        if text in taken:
            text = f"{text}（{uid}）"
        taken.add(text)
        out[uid] = text
    return out


def kind_for(uid: int, units: dict[int, tuple[str, int | None]], old_kind: str) -> str:
    """The agreed kind of an existing unit from its old free-text kind and its place in the tree."""
    name = units[uid][0].strip()
    if old_kind in KINDS:
        return old_kind
    if old_kind == "乡镇街道" or name.endswith(TOWN_ENDINGS):
        return "乡镇街道"
    if old_kind in ("事业单位", "企业", "国有企业", "企事业单位") or name.endswith(("公司", "集团", "医院", "学校", "学院")):
        return "企事业"
    seen = set()
    while uid in units and uid not in seen:
        seen.add(uid)
        name, parent = units[uid]
        if name.strip().endswith(COUNTY_ENDINGS):
            return "县区"
        uid = parent
    return "市直"


def upgrade(db) -> None:
    import json

    models = [_Unit, _UnitStaffing, _Setting]
    with db.bind_ctx(models):
        db.execute_sql("""ALTER TABLE "unit" ADD COLUMN "full_name" VARCHAR(200) NOT NULL DEFAULT ''""")
        rows = list(db.execute_sql('SELECT "id", "name", "parent_id", "kind" FROM "unit"'))
        units = {uid: (name or "", parent) for uid, name, parent, _kind in rows}
        full = unique_full_names(units)
        for uid, _name, _parent, old_kind in rows:
            _Unit.update(full_name=full[uid], kind=kind_for(uid, units, (old_kind or "").strip())).where(
                _Unit.id == uid).execute()
        db.execute_sql('CREATE UNIQUE INDEX "unit_full_name" ON "unit" ("full_name")')
        db.execute_sql('ALTER TABLE "unit" DROP COLUMN "short_name"')
        db.create_tables([_UnitStaffing])
        db.execute_sql('CREATE INDEX "cadre_status_unit_rank" ON "cadre" ("status", "unit_id", "rank")')
        old = _Setting.get_or_none(_Setting.key == "department_name")
        if old is not None:
            if json.loads(old.value) not in ("", None, "中共某某市委组织部"):
                if _Setting.get_or_none(_Setting.key == "department.full_name") is None:  # no ON CONFLICT: openGauss
                    _Setting.insert(key="department.full_name", value=old.value).execute()
            _Setting.delete().where(_Setting.key == "department_name").execute()
