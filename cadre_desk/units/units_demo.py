"""Demo units as a 市 has them: 市直 departments, 县区 with their offices and 乡镇街道, 市属企事业单位 —
each with a 全称, a 简称 and a kind — the posts (职务 and 职务层次/职级) a cadre of each can hold, and
核定职数 close to what the generated cadres fill (a few units over-staffed, so the flag shows).

The place name is the configured one (设置 → 地名) or, on a new database, ``DEMO_PLACE``, which is
then set with the department's names."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from cadre_desk.store.models import Setting, Unit, UnitStaffing

DEMO_PLACE = "云江市"
DEMO_DEPARTMENT = ("中共云江市委组织部", "市委组织部")

# full-name pattern ({P}: the place), 简称, head title, deputy title
CITY_DEPTS = (
    ("中共{P}委办公室", "市委办", "主任", "副主任"),
    ("{P}人民政府办公室", "市政府办", "主任", "副主任"),
    ("中共{P}委组织部", "市委组织部", "常务副部长", "副部长"),
    ("中共{P}委宣传部", "市委宣传部", "常务副部长", "副部长"),
    ("中共{P}委政法委员会", "市委政法委", "常务副书记", "副书记"),
    ("{P}发展和改革委员会", "市发改委", "主任", "副主任"),
    ("{P}财政局", "市财政局", "局长", "副局长"),
    ("{P}教育局", "市教育局", "局长", "副局长"),
    ("{P}公安局", "市公安局", "局长", "副局长"),
    ("{P}自然资源和规划局", "市自然资源和规划局", "局长", "副局长"),
    ("{P}住房和城乡建设局", "市住建局", "局长", "副局长"),
    ("{P}交通运输局", "市交通运输局", "局长", "副局长"),
    ("{P}农业农村局", "市农业农村局", "局长", "副局长"),
    ("{P}商务局", "市商务局", "局长", "副局长"),
    ("{P}卫生健康委员会", "市卫健委", "主任", "副主任"),
    ("{P}信访局", "市信访局", "局长", "副局长"),
    ("{P}应急管理局", "市应急局", "局长", "副局长"),
    ("{P}投资促进局", "市投促局", "局长", "副局长"),
    ("{P}市场监督管理局", "市市场监管局", "局长", "副局长"),
    ("{P}生态环境局", "市生态环境局", "局长", "副局长"),
)
SECTIONS = ("办公室", "综合科", "政策法规科", "业务一科", "业务二科")
# 县区: name, whether its full names carry the city's name (a 区 does, a 县 does not), 乡镇街道
COUNTIES = (
    ("东城区", True, ("城关街道", "东湖街道", "青山镇", "石桥镇")),
    ("西城区", True, ("西门街道", "新华街道", "柳湾镇", "长岭镇")),
    ("临江县", False, ("城关镇", "河口镇", "柳林乡", "白沙乡", "高桥镇")),
    ("青川县", False, ("青川镇", "龙潭乡", "双河镇", "黄土乡")),
)
INSTITUTIONS = (
    ("{P}第一人民医院", "市一医院", "院长", "副院长"),
    ("{P}职业技术学院", "市职业技术学院", "院长", "副院长"),
    ("{P}城市建设投资集团有限公司", "市城投集团", "董事长", "副总经理"),
    ("{P}农业科学研究院", "市农科院", "院长", "副院长"),
)

# 职务层次/职级 codes (resources/codes/RANK.csv)
CHU_HEAD, CHU_DEPUTY, KE_HEAD, KE_DEPUTY = "0131", "0132", "0141", "0142"
RANK_TITLES = {"0222": "二级调研员", "0223": "三级调研员", "0224": "四级调研员", "0231": "一级主任科员",
               "0232": "二级主任科员", "0233": "三级主任科员", "0234": "四级主任科员", "0241": "一级科员",
               "0242": "二级科员"}
# 职级 (non-leading) a cadre of each tier may hold, with weights
CITY_GRADES = (("0222", 1), ("0223", 2), ("0224", 3), ("0231", 4), ("0232", 5), ("0233", 5), ("0234", 5),
               ("0241", 6))
COUNTY_GRADES = (("0231", 2), ("0232", 3), ("0233", 5), ("0234", 6), ("0241", 8), ("0242", 2))
# ages (lowest, highest) a cadre at each level plausibly has
RANK_AGES = {CHU_HEAD: (40, 58), CHU_DEPUTY: (35, 57), KE_HEAD: (30, 57), KE_DEPUTY: (27, 56),
             "0222": (50, 59), "0223": (47, 59), "0224": (44, 59), "0231": (38, 59), "0232": (34, 59),
             "0233": (30, 58), "0234": (27, 58), "0241": (23, 45), "0242": (22, 35)}


@dataclass
class DemoUnit:
    id: int
    full_name: str
    name: str
    kind: str
    tier: str  # city / county / town / institution
    posts: list[tuple[str, str]] = field(default_factory=list)  # leading posts still open: (title, rank)
    planned: Counter = field(default_factory=Counter)  # leading posts per rank (their 核定职数)

    @property
    def is_town(self) -> bool:
        return self.tier == "town"


def place_name() -> str:
    """The configured 地名, else the demo's (set now together with the department's names)."""
    import json

    row = Setting.get_or_none(Setting.key == "department.place")
    if row is not None and json.loads(row.value):
        return json.loads(row.value)
    for key, value in (("department.place", DEMO_PLACE), ("department.full_name", DEMO_DEPARTMENT[0]),
                       ("department.short_name", DEMO_DEPARTMENT[1])):
        if Setting.get_or_none(Setting.key == key) is None:  # what the user set stays (no ON CONFLICT: openGauss)
            Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).execute()
    return DEMO_PLACE


def _leading_posts(tier: str, head: str, deputy: str, rng: random.Random) -> list[tuple[str, str]]:
    if tier == "city":
        posts = [(head, CHU_HEAD)] + [(deputy, CHU_DEPUTY)] * rng.randint(2, 4)
        for section in rng.sample(SECTIONS, rng.randint(3, 5)):
            chief, vice = ("主任", "副主任") if section == "办公室" else ("科长", "副科长")
            posts += [(section + chief, KE_HEAD), (section + vice, KE_DEPUTY)]
        return posts
    if tier == "institution":
        return [(head, CHU_HEAD)] + [(deputy, CHU_DEPUTY)] * rng.randint(2, 3) + [
            ("办公室主任", KE_HEAD), ("办公室副主任", KE_DEPUTY)]
    if tier == "county":
        return [(head, KE_HEAD)] + [(deputy, KE_DEPUTY)] * rng.randint(2, 3)
    # 乡镇街道
    if head == "街道":
        return [("党工委书记", KE_HEAD), ("办事处主任", KE_HEAD), ("人大工委主任", KE_HEAD),
                ("党工委副书记", KE_DEPUTY), ("办事处副主任", KE_DEPUTY), ("办事处副主任", KE_DEPUTY),
                ("党工委委员", KE_DEPUTY), ("武装部部长", KE_DEPUTY)]
    chief = "乡长" if head == "乡" else "镇长"
    return [("党委书记", KE_HEAD), (chief, KE_HEAD), ("人大主席", KE_HEAD), ("党委副书记", KE_DEPUTY),
            ("副" + chief, KE_DEPUTY), ("副" + chief, KE_DEPUTY), ("党委委员", KE_DEPUTY),
            ("武装部部长", KE_DEPUTY)]


def make_units(rng: random.Random) -> list[DemoUnit]:
    """Create the unit tree; returns the units that take cadres (grouping units take none)."""
    place = place_name()
    order = [0]
    taking: list[DemoUnit] = []

    def add(full_name: str, name: str, kind: str, parent: tuple[int, str] | None) -> tuple[int, str]:
        order[0] += 1
        parent_id, parent_path = parent if parent else (None, "/")
        unit_id = Unit.insert(name=name, full_name=full_name, kind=kind, parent=parent_id, path="/",
                              sort_order=order[0]).execute()
        path = f"{parent_path}{unit_id}/"
        Unit.update(path=path).where(Unit.id == unit_id).execute()
        return unit_id, path

    def taker(tier: str, full_name: str, name: str, kind: str, parent, head: str, deputy: str) -> None:
        unit_id, _path = add(full_name, name, kind, parent)
        posts = _leading_posts(tier, head, deputy, rng)
        taking.append(DemoUnit(unit_id, full_name, name, kind, tier, posts, Counter(rank for _t, rank in posts)))

    city = add(f"{place}市直机关", "市直机关", "市直", None)
    for pattern, name, head, deputy in CITY_DEPTS:
        taker("city", pattern.format(P=place), name, "市直", city, head, deputy)
    for county, with_city, towns in COUNTIES:
        prefix = f"{place}{county}" if with_city else county
        level = county[-1]  # 区 / 县
        node = add(prefix, county, "县区", None)
        taker("county", f"中共{prefix}委办公室", f"{level}委办", "县区", node, "主任", "副主任")
        taker("county", f"{prefix}人民政府办公室", f"{level}政府办", "县区", node, "主任", "副主任")
        for town in towns:
            ending = "街道" if town.endswith("街道") else town[-1]
            taker("town", f"{prefix}{town}", town, "乡镇街道", node, ending, "")
    group = add(f"{place}市属企事业单位", "市属企事业单位", "企事业", None)
    for pattern, name, head, deputy in INSTITUTIONS:
        taker("institution", pattern.format(P=place), name, "企事业", group, head, deputy)
    return taking


def pick_post(unit: DemoUnit, rng: random.Random) -> tuple[str, str, tuple[int, int]]:
    """A post for one more cadre of ``unit``: (职务 as 现任职务 writes it, RANK code, age range).
    Leading posts are taken while they last (about half of the cadres), the rest hold a 职级."""
    if unit.posts and rng.random() < 0.5:
        title, rank = unit.posts.pop(rng.randrange(len(unit.posts)))
    else:
        grades = CITY_GRADES if unit.tier in ("city", "institution") else COUNTY_GRADES
        rank = rng.choices([g for g, _w in grades], weights=[w for _g, w in grades])[0]
        title = RANK_TITLES[rank]
    return f"{unit.full_name}{title}", rank, RANK_AGES[rank]


def set_staffing(units: list[DemoUnit], rng: random.Random) -> None:
    """核定职数 from the leading posts planned and the 职级 cadres in post (plus a little room);
    two units get one deputy more than approved, so 超职数 shows in the demo."""
    from cadre_desk.store.models import Cadre

    ids = [u.id for u in units]
    filled: dict[int, Counter] = {}
    query = Cadre.select(Cadre.unit, Cadre.rank).where(Cadre.status == "1", Cadre.unit.in_(ids)).tuples()
    for unit_id, rank in query.iterator():
        filled.setdefault(unit_id, Counter())[rank] += 1

    def deputy(unit: DemoUnit) -> str:
        return CHU_DEPUTY if unit.tier in ("city", "institution") else KE_DEPUTY

    # the two units with the most deputies in post get one deputy post fewer than they hold
    crowded = {u.id for u in sorted((u for u in units if filled.get(u.id, Counter())[deputy(u)]),
                                    key=lambda u: -filled[u.id][deputy(u)])[:2]}
    rows = []
    for unit in units:
        approved = Counter(unit.planned)
        for rank, count in filled.get(unit.id, Counter()).items():
            if rank not in unit.planned:
                approved[rank] = count + rng.choice((0, 0, 1, 2))
        if unit.id in crowded:
            approved[deputy(unit)] = filled[unit.id][deputy(unit)] - 1
        rows += [{"unit": unit.id, "rank": rank, "approved": n} for rank, n in approved.items() if n > 0]
    for start in range(0, len(rows), 500):
        UnitStaffing.insert_many(rows[start:start + 500]).execute()
