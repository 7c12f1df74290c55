"""The cadre list in memory: filter and sort 100,000 rows in milliseconds, no database round trip.

The window keeps one CadreIndex, loaded once off the GUI thread, and updates single rows after
each save; its table model only shows what ``filter`` returns."""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import operator
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cadre_desk.domain import clock
from cadre_desk.domain.dates import age_at
from cadre_desk.domain.fields import (
    BY_KEY,
    LIST_FIELDS,
    PARTY_NAME,
    PARTY_NAME_LABEL,
    display_value,
    party_dates,
    party_names,
)

if TYPE_CHECKING:  # the services are imported when rows are loaded: the window shows sooner
    from cadre_desk.units import units

ID, INITIALS = 0, 1
_PLAIN_KINDS = frozenset(("text", "longtext", "id_number", "phone"))  # display_value gives them back as stored
COL = {spec.key: i + 2 for i, spec in enumerate(LIST_FIELDS)}  # list key → tuple position
# Columns shown from another field's value: 年龄 from 出生年月, 党派 from 入党时间 (fields.party_names) as the
# 任免表 writes it (cadres.list_rows: a 民主党派 known by 政治面貌 alone too).
DERIVED = {"age": "birth", PARTY_NAME: "party"}
DERIVED_TITLES = {"age": ("年龄", 50), PARTY_NAME: (PARTY_NAME_LABEL, 70)}  # title, width in pixels
# The roster list's columns, in order, and those it shows at first: the 花名册 workbook's too.
_FIELD_KEYS = [spec.key for spec in LIST_FIELDS]
_AFTER_PARTY = _FIELD_KEYS.index("party") + 1
ROSTER_COLUMNS: tuple[str, ...] = (*_FIELD_KEYS[:3], "age", *_FIELD_KEYS[3:_AFTER_PARTY], PARTY_NAME,
                                   *_FIELD_KEYS[_AFTER_PARTY:])
ROSTER_DEFAULT: tuple[str, ...] = tuple(key for key in ROSTER_COLUMNS if key in DERIVED or BY_KEY[key].list_default)


@dataclass
class CadreFilter:
    text: str = ""  # name, pinyin initials, ID number, unit or position
    unit_id: int | None = None  # with its subtree
    category: str = ""  # CATEGORY code
    rank: str = ""  # RANK code
    age_min: int | None = None
    age_max: int | None = None
    education: str = ""  # ZB64 code or group ("2" = 本科教育 and below it); full-time or in-service
    status: str = ""  # STATUS code
    ids: frozenset[int] | None = None  # restrict to these (a selection)

    def is_empty(self) -> bool:
        return not (self.text or self.unit_id or self.category or self.rank or self.age_min is not None
                    or self.age_max is not None or self.education or self.status or self.ids is not None)


def _search_text(text: str) -> str:
    return "".join((text or "").split()).lower()


def _birth_bounds(age_min: int | None, age_max: int | None, today: _dt.date) -> tuple[str, str]:
    """Birth YYYYMM range (inclusive) for an age range in whole years at ``today``."""
    low, high = "000000", "999999"
    if age_max is not None:
        # older than age_max+1 excluded: born after today's month age_max+1 years ago
        year, month = today.year - age_max - 1, today.month
        month += 1
        if month == 13:
            year, month = year + 1, 1
        low = f"{year:04d}{month:02d}"
    if age_min is not None:
        high = f"{today.year - age_min:04d}{today.month:02d}"
    return low, high


class _Blob:
    """Texts of every row (lower case, rows separated by a newline) searched with str.find."""

    def __init__(self, hays: list[str]):
        blob = "\n".join(hays)
        lowered = blob.lower()
        if len(lowered) != len(blob):  # a character whose lower case is longer: lower row by row
            hays = [h.lower() for h in hays]
            lowered = "\n".join(hays)
        self.text = lowered
        self._has: dict[str, bool] = {}  # character → whether any row has it (learnt on first use)
        # positions as machine integers: an int object per row would cost 28 bytes more each
        self.starts = array("q", itertools.accumulate((len(h) + 1 for h in hays), initial=0))

    def find(self, text: str) -> list[int]:
        """Positions of the rows whose text contains ``text``, ascending."""
        starts, out = self.starts, []
        for char in text:  # a text with a character no row has is not looked for
            has = self._has.get(char)
            if has is None:
                has = self._has[char] = char in self.text
            if not has:
                return out
        find, append = self.text.find, out.append
        hit = find(text)
        while hit != -1:
            p = bisect.bisect_right(starts, hit) - 1
            append(p)
            hit = find(text, starts[p + 1])
        return out


class _Snapshot:
    """The rows as they were at one moment, laid out for fast search: the names and positions of
    every row in one text (Chinese), initials and ID numbers in another (ASCII: searched only for an
    ASCII query, and twice as fast to scan), unit names once per unit (a unit's rows come from the
    unit column); per-column value → positions lists built on first use."""

    def __init__(self, rows: list[tuple], unit_names: dict[int, str]):
        self.rows = rows
        self._pos: dict[int, int] | None = None
        name, ident, position = COL["name"], COL["id_number"], COL["position"]
        self.wide = _Blob([f"{r[name]}\x00{r[position]}" for r in rows])
        self.narrow = _Blob([f"{r[INITIALS]}\x00{r[ident]}" for r in rows])
        self.unit_names = {unit_id: text.lower() for unit_id, text in unit_names.items()}
        self._by_value: dict[int, dict[object, array]] = {}
        self._flags: dict[tuple, bytes] = {}  # condition → flags (Snapshot.flags), oldest first
        self._places: dict[str, tuple[dict, list[int]]] = {}  # sort column → (its ranks, rank of each row)
        self._orders: dict[tuple[str, bool], array] = {}  # (sort column, descending) → positions in order
        self._picked: dict[tuple[str, bool], tuple[bytes, list]] = {}  # … → (the flags, their rows in order)

    @property
    def pos(self) -> dict[int, int]:
        """cadre id → position (built on first use: only a selection filter needs it)."""
        if self._pos is None:
            self._pos = {row[ID]: p for p, row in enumerate(self.rows)}
        return self._pos

    def find(self, text: str) -> list[int]:
        """Positions of the rows whose name, initials, ID number, unit or position contains ``text``
        (lower case, no whitespace), ascending."""
        found = self.wide.find(text)
        more = []
        if text.isascii():
            more.append(self.narrow.find(text))
        units = [unit_id for unit_id, name in self.unit_names.items() if text in name]
        if units:
            by_unit = self.by_value(COL["unit"])
            more.extend(by_unit.get(unit_id, _NONE) for unit_id in units)
        more = [m for m in more if len(m)]
        if not more:
            return found
        merged = set(found)
        for positions in more:
            merged.update(positions)
        return sorted(merged)

    def by_value(self, col: int) -> dict[object, array]:
        table = self._by_value.get(col)
        if table is None:
            table = {}
            for p, row in enumerate(self.rows):
                value = row[col]
                bucket = table.get(value)
                if bucket is None:
                    table[value] = array("i", (p,))
                else:
                    bucket.append(p)
            self._by_value[col] = table
        return table

    def parts(self, col: int, accept) -> list[array]:
        """The positions of each value of ``col`` that passes ``accept(value)`` (tested once per value)."""
        return [positions for value, positions in self.by_value(col).items() if accept(value)]

    def flags(self, key: tuple, parts: Callable[[], list | bytes]) -> bytes:
        """One byte per row, 1 where the row meets the condition ``key`` whose rows are the positions in
        ``parts()`` (or the flags it makes itself): made once per condition (the status the roster opens
        on, the unit chosen, …) and kept while the user types, so a keystroke combines conditions without
        looking at their rows."""
        flags = self._flags.get(key)
        if flags is None:
            made = parts()
            if isinstance(made, bytes):
                flags = made
            else:
                marks = bytearray(len(self.rows))
                for positions in made:
                    for p in positions:
                        marks[p] = 1
                flags = bytes(marks)
            if len(self._flags) >= _MAX_FLAGS:
                self._flags.pop(next(iter(self._flags)))
            self._flags[key] = flags
        return flags

    def all_of(self, conditions: list[tuple]) -> bytes | None:
        """The flags of the rows that meet every one of ``conditions`` ((key, parts) as ``flags`` takes
        them; None for none): several together are kept as one flag set too, so the same conditions give
        the same flags object again (``ordered`` knows its rows by it)."""
        if len(conditions) < 2:
            return self.flags(*conditions[0]) if conditions else None

        def combined() -> bytes:
            together = -1
            for key, parts in conditions:
                together &= int.from_bytes(self.flags(key, parts), "little")
            return together.to_bytes(len(self.rows), "little")

        return self.flags(("all of",) + tuple(key for key, _parts in conditions), combined)

    def ordered(self, selected: list[int] | bytes | None, key: str, ranks: dict, col: int,
                descending: bool) -> list[tuple]:
        """The rows ``selected`` (positions ascending, one flag byte per row, or None for all) in the
        order of the sort column ``key`` whose values have the places ``ranks``: as CadreIndex.sort
        orders them (stable, so equal values stay in position order), without a dict lookup per row
        each keystroke — a few rows are sorted by each row's place, many are picked from every row in
        that order (made once per column and direction)."""
        rows, count = self.rows, len(self.rows)
        chosen = count if selected is None else selected.count(1) if isinstance(selected, bytes) else len(selected)
        if chosen * 8 < count:
            place = self._place(key, ranks, col)
            positions = itertools.compress(range(count), selected) if isinstance(selected, bytes) else selected
            return list(map(rows.__getitem__, sorted(positions, key=place.__getitem__, reverse=descending)))
        order = self.order(key, ranks, col, descending)
        if selected is None:
            return list(map(rows.__getitem__, order))
        if not isinstance(selected, bytes):
            marks = bytearray(count)
            for p in selected:
                marks[p] = 1
            return [rows[p] for p in order if marks[p]]
        # The same conditions as last time in this order (the search text deleted, back to every cadre
        # at work): their rows again, copied — picking 90,000 rows in a name order touches each row's
        # memory out of order, ~15 ms; a copy of the list kept ~2 ms.
        picked = self._picked.get((key, descending))
        if picked is None or picked[0] is not selected:
            picked = self._picked[(key, descending)] = (selected, [rows[p] for p in order if selected[p]])
        return list(picked[1])

    def _place(self, key: str, ranks: dict, col: int) -> list[int]:
        """Each row's place in the order of ``key`` (made once per column and ranks)."""
        places = self._places.get(key)
        if places is None or places[0] is not ranks:  # the ranks were made again: places anew
            rows = self.rows
            places = self._places[key] = (ranks, list(map(ranks.__getitem__, map(operator.itemgetter(col), rows))))
            self._orders = {k: v for k, v in self._orders.items() if k[0] != key}
            self._picked = {k: v for k, v in self._picked.items() if k[0] != key}
        return places[1]

    def order(self, key: str, ranks: dict, col: int, descending: bool) -> array:
        """Every row's position in the order of ``key`` (made once per column and direction)."""
        place = self._place(key, ranks, col)
        order = self._orders.get((key, descending))
        if order is None:
            order = self._orders[(key, descending)] = array(
                "i", sorted(range(len(self.rows)), key=place.__getitem__, reverse=descending))
        return order


_NONE = array("i")
_MAX_FLAGS = 32  # conditions kept (100 kB each at 100,000 rows)


# Changed rows wait in a small overlay; past this many the snapshot is rebuilt.
_MAX_DIRTY = 2000


class _AllRows(list):
    """Every row of an index at one generation (what filter() returns with no condition): sort()
    recognises it and answers from its cache without looking at each row."""

    __slots__ = ("source",)


class CadreIndex:
    def __init__(self, rows: list[tuple], unit_rows: list[units.UnitInfo]):
        self._rows: dict[int, tuple] = {row[ID]: row for row in rows}
        self._generation = 0  # grows with every change of rows or units
        self._snap: _Snapshot | None = None
        self._dirty: set[int] = set()  # ids changed or removed since the snapshot
        self._ranks: dict[str, dict] = {}  # sort column → value → place
        self._orders: dict[str, tuple[list, list]] = {}  # sort column → (sort keys, values) in order
        self._sorted: dict[tuple[str, bool], list[tuple]] = {}  # whole index sorted by a column
        self.loaded_for = None  # the operator whose scope ``load`` read the rows for
        self.set_units(unit_rows)

    @classmethod
    def load(cls, order: tuple[str, bool] | None = None) -> CadreIndex:
        """Every cadre the operator may read, ready to filter; ``order`` (a list column, descending): the
        sort the roster shows, made ready here too (off the GUI thread; ~40 ms at 100,000 cadres)."""
        from cadre_desk.access import scope as access_scope
        from cadre_desk.access.context import current_operator
        from cadre_desk.profiles import cadres
        from cadre_desk.units import units

        loaded_for = current_operator()
        index = cls(cadres.list_rows(), units.list_units())
        index.loaded_for = loaded_for
        index.prepare()
        index.warm_up(order=order)
        access_scope.warm()  # the operator's 回避, read here off the GUI thread, not at the first click
        return index

    def prepare(self) -> None:
        """Build the search snapshot now (load() does it off the GUI thread)."""
        self._snap = _Snapshot(list(self._rows.values()), self.unit_names)
        self._dirty = set()

    def warm_up(self, sort_keys: tuple[str, ...] = ("name",), order: tuple[str, bool] | None = None) -> None:
        """Work the first filter and sort would do, done ahead (off the GUI thread); with ``order`` the
        rows' order of that sort too."""
        snap = self._snapshot()
        for key in ("unit", "status", "rank", "categories", "ft_education", "pt_education", "birth"):
            snap.by_value(COL[key])
        today = clock.today()
        for status in list(snap.by_value(COL["status"]))[:_MAX_FLAGS // 2]:  # the roster opens on 在职
            for key, parts in self._conditions(snap, CadreFilter(status=status), today):
                snap.flags(key, parts)
        for key in sort_keys:
            self._ranks_for(key)
        if order is not None and DERIVED.get(order[0], order[0]) in COL:
            key, descending = order
            snap.order(key, self._ranks_for(key), self._column(key), descending)

    def _snapshot(self) -> _Snapshot:
        if self._snap is None or len(self._dirty) > _MAX_DIRTY:
            self.prepare()
        return self._snap

    def set_units(self, unit_rows: list[units.UnitInfo]) -> None:
        self.units = {u.id: u for u in unit_rows}
        # "临江县/城关镇": the path tells apart units of the same name in different places
        self.unit_names = {}
        for unit in unit_rows:
            parent = self.unit_names.get(unit.parent_id)
            self.unit_names[unit.id] = f"{parent}/{unit.name}" if parent else unit.name
        self._unit_order = {u.id: i for i, u in enumerate(unit_rows)}  # tree order: parents first
        self._snap = None  # unit names are part of the search text
        self._ranks.clear()
        self._orders.clear()
        self._sorted.clear()
        self._generation += 1

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, cadre_id: int) -> tuple | None:
        return self._rows.get(cadre_id)

    def names(self, ids) -> dict[int, str]:
        """id → name of those ``ids`` the index has (access.reads.cadre_names: the reminders' names)."""
        rows, col = self._rows, COL["name"]
        return {i: row[col] for i in ids if (row := rows.get(i)) is not None}

    def with_names(self, rows, at: int) -> list[tuple] | None:
        """``rows`` each with its cadre's name inserted at ``at`` (their cadre's id in the column before), or
        None when the index lacks one of those cadres (access.reads.named_rows: the reminders' rows)."""
        get, col, key = self._rows.get, COL["name"], at - 1
        out = [row[:at] + (cadre[col],) + row[at:] for row in rows if (cadre := get(row[key])) is not None]
        return out if len(out) == len(rows) else None

    def upsert(self, row: tuple) -> None:
        self._rows[row[ID]] = row
        self._dirty.add(row[ID])
        self._sorted.clear()
        self._generation += 1
        for key, ranks in list(self._ranks.items()):
            if row[self._column(key)] not in ranks:
                self._add_rank(key, row[self._column(key)])

    def refresh(self, cadre_id: int) -> None:
        self.refresh_many([cadre_id])

    def refresh_many(self, cadre_ids) -> None:
        """``refresh`` for many cadres at once (a finalized sheet of thousands): one read per 500 ids."""
        self.apply_rows(cadre_ids, read_rows(cadre_ids))

    def apply_rows(self, cadre_ids, rows: list[tuple]) -> None:
        """``refresh_many`` with the rows already read (``read_rows``, off the GUI thread): the cadres
        among ``cadre_ids`` without a row are gone."""
        found = set()
        for row in rows:
            found.add(row[ID])
            self.upsert(row)
        for cadre_id in dict.fromkeys(cadre_ids):
            if cadre_id not in found:
                self.remove(cadre_id)

    def remove(self, cadre_id: int) -> None:
        self._rows.pop(cadre_id, None)
        self._dirty.add(cadre_id)
        self._sorted.clear()
        self._generation += 1

    # ---- filtering ------------------------------------------------------------------------------

    def _row_tests(self, flt: CadreFilter, today: _dt.date) -> list:
        """The filter as per-row predicates, for the few rows changed since the snapshot."""
        tests = []  # default arguments bind each test's own column (a closure would see the last one)
        if flt.ids is not None:
            tests.append(lambda r, ids=flt.ids: r[ID] in ids)
        if flt.unit_id is not None and flt.unit_id in self.units:
            subtree = self._subtree(flt.unit_id)
            tests.append(lambda r, col=COL["unit"], subtree=subtree: r[col] in subtree)
        if flt.status:
            tests.append(lambda r, col=COL["status"], want=flt.status: r[col] == want)
        if flt.rank:
            tests.append(lambda r, col=COL["rank"], want=flt.rank: r[col] == want)
        if flt.category:
            tests.append(lambda r, col=COL["categories"], want=flt.category: want in r[col].split(","))
        if flt.education:
            ft, pt, want = COL["ft_education"], COL["pt_education"], flt.education
            tests.append(lambda r, ft=ft, pt=pt, want=want: r[ft].startswith(want) or r[pt].startswith(want))
        if flt.age_min is not None or flt.age_max is not None:
            low, high = _birth_bounds(flt.age_min, flt.age_max, today)
            tests.append(lambda r, col=COL["birth"], low=low, high=high: low <= r[col][:6] <= high)
        text = _search_text(flt.text)
        if text:
            names = self.unit_names
            tests.append(lambda r, text=text: text in "\x00".join((
                r[COL["name"]], r[INITIALS], r[COL["id_number"]], names.get(r[COL["unit"]], ""),
                r[COL["position"]])).lower())
        return tests

    def _subtree(self, unit_id: int) -> set[int]:
        prefix = self.units[unit_id].path
        return {uid for uid, u in self.units.items() if u.path.startswith(prefix)}

    def _conditions(self, snap: _Snapshot, flt: CadreFilter, today: _dt.date) -> list[tuple]:
        """Each active condition of ``flt`` but the text: (its key, its rows as positions in parts)."""
        out: list[tuple] = []
        if flt.ids is not None:
            out.append((("ids", frozenset(flt.ids)), lambda ids=flt.ids: [[snap.pos[i] for i in ids if i in snap.pos]]))
        if flt.unit_id is not None and flt.unit_id in self.units:
            out.append((("unit", flt.unit_id), lambda subtree=self._subtree(flt.unit_id): snap.parts(
                COL["unit"], subtree.__contains__)))
        for key, want in (("status", flt.status), ("rank", flt.rank)):
            if want:
                out.append(((key, want), lambda col=COL[key], want=want: [snap.by_value(col).get(want, _NONE)]))
        if flt.category:  # default arguments: each lambda keeps its own value (parts are made later)
            out.append((("category", flt.category), lambda want=flt.category: snap.parts(
                COL["categories"], lambda v: want in v.split(","))))
        if flt.education:
            out.append((("education", flt.education), lambda want=flt.education: snap.parts(
                COL["ft_education"], lambda v: v.startswith(want)) + snap.parts(
                COL["pt_education"], lambda v: v.startswith(want))))
        if flt.age_min is not None or flt.age_max is not None:
            low, high = _birth_bounds(flt.age_min, flt.age_max, today)
            out.append((("birth", low, high), lambda low=low, high=high: snap.parts(
                COL["birth"], lambda v: low <= v[:6] <= high)))
        return out

    def _select(self, snap: _Snapshot, flt: CadreFilter, today: _dt.date) -> list[int] | bytes:
        """The snapshot rows that meet ``flt``: their positions (ascending) or one flag byte per row."""
        flags = snap.all_of(self._conditions(snap, flt, today))
        text = _search_text(flt.text)
        if not text:
            return flags
        hits = snap.find(text)
        return hits if flags is None else [p for p in hits if flags[p]]

    def filter(self, flt: CadreFilter, today: _dt.date | None = None,
               order: tuple[str, bool] | None = None) -> list[tuple]:
        """The rows that meet every condition of ``flt``, in id order, or with ``order`` (a list
        column, descending) as ``sort`` would order them."""
        if flt.is_empty():
            everything = self._all(self._rows.values())
            return everything if order is None else self.sort(everything, *order)
        today = today or clock.today()
        snap = self._snapshot()
        selected = self._select(snap, flt, today)
        if order is not None and not self._dirty:
            key, descending = order
            return snap.ordered(selected, key, self._ranks_for(key), self._column(key), descending)
        rows = snap.rows
        out = list(rows if selected is None else itertools.compress(rows, selected) if isinstance(selected, bytes)
                   else map(rows.__getitem__, selected))
        out = self._filter_changed(out, flt, today)
        return out if order is None else self.sort(out, *order)

    def _filter_changed(self, out: list[tuple], flt: CadreFilter, today: _dt.date) -> list[tuple]:
        """``out`` from the snapshot brought up to date with the rows changed since it was made."""
        dirty = self._dirty
        if not dirty:
            return out
        out = [r for r in out if r[ID] not in dirty]
        tests = self._row_tests(flt, today)
        extra = [r for i in dirty if (r := self._rows.get(i)) is not None and all(t(r) for t in tests)]
        if extra:
            out.extend(extra)
            out.sort(key=operator.itemgetter(ID))
        return out

    # ---- sorting --------------------------------------------------------------------------------

    def _all(self, rows) -> _AllRows:
        out = _AllRows(rows)
        out.source = (id(self), self._generation)
        return out

    @staticmethod
    def _column(key: str) -> int:
        return COL[DERIVED.get(key, key)]

    def _value_key(self, key: str):
        """Sort key of one stored value of column ``key``, as the user expects the order."""
        if key == "name":
            # by pinyin initials, then the characters: 张三 and 张珊 sit together, as a clerk expects
            from cadre_desk.domain.pinyin import initials

            return lambda name: initials(name) + "\x00" + name
        if key == "age":
            return lambda v: v or ""
        if key == PARTY_NAME:
            return lambda v: (not party_names(v), party_names(v))  # members of a 民主党派 first
        spec = BY_KEY[key]
        if spec.kind in ("code", "codes"):
            # code order is the official order (民族, 学历, 职级): sort by code, empty last
            return lambda v: (v == "", v)
        if spec.kind == "unit":
            order = self._unit_order
            return lambda v: order.get(v, len(order))
        return lambda v: v or ""

    def _ranks_for(self, key: str) -> dict:
        """value → its place in the sort order of ``key``, over every distinct value in the index."""
        ranks = self._ranks.get(key)
        if ranks is not None:
            return ranks
        col = self._column(key)
        if key == "name":  # the initials are in the row already: no pinyin lookups
            firsts: dict = {}
            for row in self._rows.values():
                firsts.setdefault(row[col], row[INITIALS])
            pairs = sorted((ini + "\x00" + name, name) for name, ini in firsts.items())
        else:
            value_key = self._value_key(key)
            pairs = sorted(((value_key(v), v) for v in {row[col] for row in self._rows.values()}),
                           key=operator.itemgetter(0))
        self._orders[key] = ([p[0] for p in pairs], [p[1] for p in pairs])
        ranks = {value: i for i, (_k, value) in enumerate(pairs)}
        self._ranks[key] = ranks
        return ranks

    def _add_rank(self, key: str, value) -> None:
        """Place a value the index has not seen (a new name) into the order of ``key``."""
        sort_keys, values = self._orders[key]
        sort_key = self._value_key(key)(value)
        at = bisect.bisect_right(sort_keys, sort_key)
        sort_keys.insert(at, sort_key)
        values.insert(at, value)
        self._ranks[key] = {v: i for i, v in enumerate(values)}

    def sort_key(self, key: str):
        """A key function for sorting rows by a list column as the user sees it."""
        ranks, col = self._ranks_for(key), self._column(key)
        return lambda r: ranks[r[col]]

    def _sort_direct(self, rows: list[tuple], key: str, descending: bool) -> list[tuple]:
        ranks = self._ranks_for(key)
        column = operator.itemgetter(self._column(key))
        try:
            keys = list(map(ranks.__getitem__, map(column, rows)))
        except KeyError:  # a row from outside the index: recompute the ranks over what we know
            self._ranks.pop(key, None)
            ranks = self._ranks_for(key)
            keys = [ranks.get(value, -1) for value in map(column, rows)]
        order = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)
        return list(map(rows.__getitem__, order))

    def sort(self, rows: list[tuple], key: str, descending: bool = False) -> list[tuple]:
        """``rows`` sorted by a list column (stable: equal values keep their order)."""
        if len(rows) * 8 < len(self._rows):
            return self._sort_direct(rows, key, descending)
        # a large share of the index: pick from the whole index sorted once (cached until a change)
        full = self._sorted.get((key, descending))
        if full is None:
            full = self._sort_direct(list(self._rows.values()), key, descending)
            self._sorted[(key, descending)] = full
        if getattr(rows, "source", None) == (id(self), self._generation):
            return self._all(full)  # the whole index, as filter() or sort() returned it
        wanted = set(map(operator.itemgetter(ID), rows))
        out = [r for r in full if r[ID] in wanted]
        if len(out) != len(wanted):  # rows the index no longer has: sort what was given
            return self._sort_direct(rows, key, descending)
        return out

    def displayer(self, key: str) -> Callable[[tuple], str]:
        """``display(row, key)`` as a function of the row, for painting many cells at once: values
        that repeat (codes, dates, units, ages) are turned into text once per function. Make a new
        one after the units or the day change."""
        if key == "age":
            col = COL["birth"]

            def text(raw) -> str:
                age = age_at(raw)
                return "" if age is None else str(age)
        elif key in (PARTY_NAME, "party"):  # apart: the dates under 入党时间, a 民主党派 under 党派
            col, text = COL["party"], party_names if key == PARTY_NAME else party_dates
        else:
            spec, col, names = BY_KEY[key], COL[key], self.unit_names
            if spec.kind in _PLAIN_KINDS:  # shown as stored
                return lambda row: row[col] or ""

            def text(raw) -> str:
                return display_value(spec, raw, names)
        cache: dict = {}

        def show(row: tuple) -> str:
            raw = row[col]
            shown = cache.get(raw)
            if shown is None:
                shown = cache[raw] = text(raw)
            return shown

        return show

    def display(self, row: tuple, key: str) -> str:
        if key == "age":
            age = age_at(row[COL["birth"]])
            return "" if age is None else str(age)
        if key in (PARTY_NAME, "party"):
            return (party_names if key == PARTY_NAME else party_dates)(row[COL["party"]])
        return display_value(BY_KEY[key], row[COL[key]], self.unit_names)


def read_rows(cadre_ids) -> list[tuple]:
    """The index rows of these cadres as stored now, one read per 500 ids (for ``CadreIndex.apply_rows``;
    touches no index, so a background job may read them)."""
    from cadre_desk.profiles import cadres

    ids = list(dict.fromkeys(cadre_ids))
    rows: list[tuple] = []
    for i in range(0, len(ids), 500):
        rows.extend(cadres.list_rows(ids[i:i + 500]))
    return rows
