"""Units named the ways files name them: by full path (市直机关/市财政局), 全称 (兴平市财政局),
简称 (市财政局), with or without the place (兴平市招商局 ≈ 市招商局), and — for a roster without a
单位 column — inside 现任职务 ("兴平市发展和改革局科员", "马嵬街道办事处副主任").

Deriving a unit from 现任职务: the longest known name at its start (every form above), else the
text up to the last unit suffix before the job title (局, 委, 办, 办事处, 街道, 镇, 乡, 中心, 院,
所, 公司…). A derived name that is no known unit is created (with the import option) under the
parent that units of its kind already share."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# A place at the start of a unit name: 兴平市, 咸阳市, 礼泉县, 秦都区 (two or three characters + level)
_PLACE = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,3}?[省市县区旗])(?=[\u4e00-\u9fff]{2})")
# A province or prefecture before the place of the department's units (陕西省, 咸阳市, 新疆维吾尔自治区)
_UPPER_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|地区|自治州|州|盟)")
# Unit suffixes, longest first; a derived unit ends with one of them
_SUFFIXES = ("委员会", "管委会", "办事处", "办公室", "工作站", "研究院", "研究所", "医院", "学校", "学院", "大学",
             "中学", "小学", "幼儿园", "中心", "公司", "集团", "街道", "社区", "银行", "法院", "检察院", "党校",
             "局", "委", "办", "院", "所", "站", "队", "镇", "乡", "村", "厅", "馆", "社", "会", "处", "部", "厂")
# Where a job title starts inside 现任职务: the unit is what comes before
_TITLE_STARTS = ("党组书记", "党组副书记", "党组成员", "党委书记", "党委副书记", "党委委员", "党工委", "党总支",
                 "党支部", "党委", "党组", "副", "主任", "书记", "局长", "处长", "科长", "股长",
                 "所长", "院长", "站长", "队长", "部长", "厅长", "馆长", "社长", "主席", "委员(?!会)", "科员", "办事员",
                 "干事", "专员", "调研员", "巡视员", "主任科员", "一级", "二级", "三级", "四级", "正科", "副科",
                 "总经理", "经理", "董事长", "董事", "总监", "秘书长", "组织员", "工作人员", "职员", "干部", "镇长",
                 "乡长", "主任医师", "医师", "教师", "校长")
_TITLE = re.compile("|".join(sorted(_TITLE_STARTS, key=len, reverse=True)))
_SUFFIX = re.compile("|".join(re.escape(s) for s in _SUFFIXES))

# Unit kinds (as the units capability names them) told by a name's suffix
TOWNSHIP, CITY, ENTERPRISE = "乡镇街道", "市直", "企事业"
_TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "办事处", "镇", "乡", "社区", "村")
_ENTERPRISE_SUFFIXES = ("公司", "集团", "银行", "医院", "学校", "学院", "大学", "中学", "小学", "幼儿园", "厂")


def squeeze(text: object) -> str:
    """A name as it is compared: no spaces, ／ as /."""
    return "".join(str(text or "").split()).replace("／", "/")


def kind_of_name(name: str) -> str:
    name = squeeze(name).split("/")[-1]
    if name.endswith(_TOWNSHIP_SUFFIXES):
        return TOWNSHIP
    if name.endswith(_ENTERPRISE_SUFFIXES):
        return ENTERPRISE
    return CITY


@dataclass(frozen=True)
class KnownUnit:
    id: int
    name: str  # 全称 (or the only name)
    short_name: str
    path: str  # 上级/下级 names
    parent_id: int | None
    kind: str = ""


@dataclass(frozen=True)
class Derived:
    """A unit read from 现任职务: an existing unit, or a name to create."""

    unit_id: int | None
    name: str  # the existing unit's path, or the name to create


class UnitNames:
    """Every name by which a file may mean a unit → that unit (None where two units share it)."""

    def __init__(self, known: list[KnownUnit], department_place: str = "") -> None:
        self.known = {u.id: u for u in known}
        self.places = self._places(known, department_place)
        exact: dict[str, int | None] = {}
        loose: dict[str, int | None] = {}

        def add(index: dict, key: str, uid: int) -> None:
            if key:
                index[key] = uid if index.get(key, uid) == uid else None

        for unit in known:
            parts = [squeeze(p) for p in unit.path.split("/")]
            for k in range(len(parts)):
                add(exact, "/".join(parts[k:]), unit.id)
                add(exact, "".join(parts[k:]), unit.id)  # 东城区石桥镇: the path as 现任职务 writes it
            add(exact, squeeze(unit.name), unit.id)
            add(exact, squeeze(unit.short_name), unit.id)
            for name in (unit.name, unit.short_name):
                for variant in self.variants(squeeze(name))[1:]:
                    add(loose, variant, unit.id)
        self.exact = exact
        self.loose = {k: v for k, v in loose.items() if k not in exact}
        # position prefixes: every form of every name (a place alone, 兴平市, says nothing of the unit)
        prefixes = {**self.loose, **{k: v for k, v in exact.items() if "/" not in k}}
        self.prefixes = {k: v for k, v in prefixes.items() if k not in self.places and len(k) >= 2}
        self.longest = max((len(k) for k in self.prefixes), default=0)
        parents = {u.parent_id for u in known}
        self.leaves = [u for u in known if u.id not in parents]
        self._derived: dict[str, Derived | None] = {}
        self._found: dict[str, tuple[int | None, str]] = {}

    @staticmethod
    def _places(known: list[KnownUnit], department_place: str) -> set[str]:
        counts: Counter = Counter()
        for unit in known:
            for name in (unit.name, unit.short_name):
                match = _PLACE.match(squeeze(name))
                if match:
                    counts[match.group(1)] += 1
        places = {p for p, n in counts.items() if n >= 2}
        if department_place:
            places.add(department_place)
        return places

    def variants(self, name: str) -> list[str]:
        """name, without 中共, and without its place (keeping 市/县/区: 兴平市招商局 → 市招商局, and
        dropping it: 兴平市马嵬街道办事处 → 马嵬街道办事处)."""
        out = [name]
        bare = name[2:] if name.startswith("中共") and len(name) > 4 else name
        if bare != name:
            out.append(bare)
        # 陕西省兴平市…, 咸阳市兴平市…: the places above the department's own go (its units are named from it)
        upper = _UPPER_PLACE.match(bare)
        while upper and any(bare.startswith(place, upper.end()) for place in self.places):
            bare = bare[upper.end():]
            out.append(bare)
            upper = _UPPER_PLACE.match(bare)
        for place in self.places:
            if bare.startswith(place) and len(bare) > len(place) + 1:
                rest = bare[len(place):]
                out.append(place[-1] + rest)
                out.append(rest)
        return list(dict.fromkeys(out))

    def find(self, text: object) -> tuple[int | None, str]:
        """A unit column's value → (unit id, "") or (None, the problem in Chinese). (A file names the
        same units on many rows: each name is looked up once.)"""
        found = self._found.get(text) if text.__class__ is str else None
        if found is None:
            found = self._find(text)
            if text.__class__ is str and len(self._found) < 100_000:
                self._found[text] = found
        return found

    def _find(self, text: object) -> tuple[int | None, str]:
        key = squeeze(text)
        for candidate in (key, *self.variants(key)[1:]):
            for index in (self.exact, self.loose):
                if candidate in index:
                    uid = index[candidate]
                    if uid is None:
                        return None, f"单位“{text}”有多个同名单位，请写出上级单位（如 市直机关/{text}）"
                    return uid, ""
        return None, f"单位“{text}”在系统中不存在"

    def derive(self, position: object) -> Derived | None:
        """The unit 现任职务 starts with, known or to create; None when nothing can be read. (The
        same 现任职务 recurs on many rows: each is read once.)"""
        text = squeeze(position)
        if not text:
            return None
        known = self._derived.get(text, False)
        if known is not False:
            return known
        found = self._derive(text)
        if len(self._derived) < 100_000:
            self._derived[text] = found
        return found

    def _derive(self, text: str) -> Derived | None:
        best: tuple[int, int] | None = None  # (text left over after the name, unit id)
        for candidate in self.variants(text):
            for size in range(min(len(candidate), self.longest), 1, -1):
                uid = self.prefixes.get(candidate[:size])
                if uid:
                    left = len(candidate) - size
                    if best is None or left < best[0]:
                        best = (left, uid)
                    break
        if best is not None:
            return Derived(best[1], self.known[best[1]].path)
        name = unit_part(text)
        return Derived(None, name) if name else None

    def named_as_siblings(self, name: str) -> str:
        """A unit to create read from 现任职务 (兴平市南市镇) named as the units it will stand beside are:
        without its place where theirs have none (南市镇 beside 马嵬街道办事处, 店张街道办事处), as read where
        theirs have it (兴平市审计局 beside 兴平市财政局)."""
        text = squeeze(name)
        upper = _UPPER_PLACE.match(text)  # 陕西省兴平市…: the places above the department's own go first
        while upper and any(text.startswith(place, upper.end()) for place in self.places):
            text = text[upper.end():]
            upper = _UPPER_PLACE.match(text)
        place = next((p for p in sorted(self.places, key=len, reverse=True)
                      if text.startswith(p) and len(text) > len(p) + 1), None)
        if place is None:
            return name
        bare = text[len(place):]
        parent = self.parent_for(bare)
        siblings = [u for u in self.known.values() if parent is not None and u.parent_id == parent]
        if not siblings:
            return name
        placed = sum(1 for u in siblings if (m := _PLACE.match(squeeze(u.name))) and m.group(1) in self.places)
        return bare if placed * 2 < len(siblings) else text

    def parent_for(self, name: str) -> int | None:
        """Where a new unit called ``name`` goes: the parent most units of its kind share."""
        kind = kind_of_name(name)
        same = Counter(u.parent_id for u in self.leaves
                       if kind_of_name(u.name) == kind and u.parent_id is not None)
        if same:
            return same.most_common(1)[0][0]
        parents = Counter(u.parent_id for u in self.leaves if u.parent_id is not None)
        if parents:
            return parents.most_common(1)[0][0]
        # the one root when it holds units (the county, 市直机关); a root holding none is a unit like the
        # new one (the first imported into an empty database: a 镇 is no 县政府办公室's 上级)
        roots = [u.id for u in self.known.values() if u.parent_id is None]
        return roots[0] if len(roots) == 1 and roots[0] not in {u.id for u in self.leaves} else None


def known_units() -> tuple[list[KnownUnit], dict[int, str]]:
    """Every unit with its 全称, 简称, path and kind (and the paths by id), read once."""
    from cadre_desk.store.models import Unit
    from cadre_desk.units import units

    paths = units.path_names()
    rows = Unit.select(Unit.id, Unit.full_name, Unit.name, Unit.parent, Unit.kind).tuples()
    return [KnownUnit(uid, full or short, short, paths.get(uid, short), parent, kind or "")
            for uid, full, short, parent, kind in rows], paths


def unit_part(position: str) -> str:
    """The unit inside a 现任职务 nobody knows yet: the text up to the last unit suffix before the
    job title begins ("兴平市发展和改革局科员" → "兴平市发展和改革局")."""
    text = squeeze(position).split("、")[0].split("，")[0]
    title = _TITLE.search(text, 2)
    head = text[:title.start()] if title else text
    end = 0
    for match in _SUFFIX.finditer(head):
        end = match.end()
    return head[:end] if end >= 3 else ""
