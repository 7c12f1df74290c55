"""赛马比选 you can see: the ranking of a frontline line or post over its periods — each period's
ranking (an appraisal sheet of that line or post, ``grading.ranking``), grouped by post and then by
period, with each cadre's movement against the previous period (↑2, ↓1, 新).

A line's or post's periods are its appraisal sheets (group 一线 / 岗位, the same ``group_ref``), oldest
first; the latest sheet of a period counts. Ranks are over the whole group, as on the sheet; the rows are
those of the cadres the operator may read. A cadre of a line sheet is grouped under the post they held
on that line in the period (their posting overlapping it; else their latest on the line)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.appraisal import appraisals, grading
from cadre_desk.domain.dates import as_day
from cadre_desk.domain.errors import NotFoundError
from cadre_desk.domain.fields import RANKING
from cadre_desk.domain.periods import period_beside, period_bounds, period_label, period_order

RACE_KINDS = ("一线", "岗位")  # the sheets' group kinds a race is run in
NEW = "新"
RANK = RANKING.label_of("rank")  # 名次
SAME = "—"
CHART_TOP = 20  # the period's chart: its first 20 totals (the tab, the PDF and the workbook)


@dataclass(frozen=True)
class RaceField:
    """A line or a post whose sheets make a race: ``kind`` 一线 / 岗位, ``ref`` the line's or post's id."""

    kind: str
    ref: int
    label: str  # 乡村振兴 / 柳林乡驻村工作队
    periods: int

    @property
    def title(self) -> str:
        return f"{self.label}（{'战线' if self.kind == '一线' else '岗位'}，{self.periods} 期）"


@dataclass(frozen=True)
class RacePeriod:
    period: str  # 2026-Q2
    label: str  # 2026年第2季度
    sheet_id: int
    sheet_title: str
    finalized: bool
    members: int = 0  # how many the period's ranks are over: every member of its sheet, seen or not


@dataclass(frozen=True)
class RaceEntry:
    post_name: str
    period: str
    period_label: str
    rank: int | None  # None: not ranked (scores incomplete)
    movement: str  # ↑2 / ↓1 / — / 新 / "" (the first period: nothing to compare with)
    cadre_id: int
    name: str
    unit_name: str
    total: float | None
    grade: str
    previous_rank: int | None = None


@dataclass(frozen=True)
class Race:
    field: RaceField
    periods: tuple[RacePeriod, ...]  # oldest first
    entries: tuple[RaceEntry, ...]  # by post, then period (oldest first), then rank

    def ranking(self, period: str) -> list[RaceEntry]:
        """One period's rows, by rank (the unranked last)."""
        rows = [e for e in self.entries if e.period == period]
        return sorted(rows, key=lambda e: (e.rank is None, e.rank or 0, e.name))

    @property
    def posts(self) -> list[str]:
        return list(dict.fromkeys(e.post_name for e in self.entries))

    @property
    def by_post(self) -> bool:
        """A line's or post's race (its rows grouped by 锻炼岗位), not one sheet of a unit or a selection."""
        return self.field.kind in RACE_KINDS

    @property
    def group_title(self) -> str:
        """The title of the column the rows are grouped under: 锻炼岗位 for a line's or post's race; for
        one sheet of a unit or a selection (grouped under the sheet's group) 考核对象, as a unit's name
        under 锻炼岗位 would read as a frontline post."""
        return "锻炼岗位" if self.by_post else "考核对象"

    def rank_title(self, period: str | None = None) -> str:
        """The title of the rank's column: 名次; when the operator sees fewer than the whole group (a clerk
        of one unit sees places 3, 4, 5 of a line's cadres), what the places are over — 名次（全部5人）, or
        名次（各期全部人员） when the periods' groups differ — so that 3 of 3 rows is not read as a mistake.
        ``period``: of that period's ranking alone."""
        periods = [p for p in self.periods if period in (None, p.period)]
        shown = Counter(e.period for e in self.entries)
        if all(shown[p.period] >= p.members for p in periods):
            return RANK
        sizes = {p.members for p in periods}
        return f"{RANK}（全部{sizes.pop()}人）" if len(sizes) == 1 else f"{RANK}（各期全部人员）"

    def chart_title(self, period: str, sep: str = " ") -> str:
        """The title of the period's chart of totals (its first CHART_TOP): 乡村振兴 2026年第2季度 排名（5 人）
        or （前 20 名）; a clerk who sees 3 of the line's 5 reads what the table's 名次（全部5人） says —
        排名（全部5人中的 3 人）, not （3 人）, which their places 3, 4, 5 would contradict."""
        ranked = self.ranking(period)
        drawn = min(CHART_TOP, sum(1 for e in ranked if e.total is not None))
        over = self.rank_title(period)[len(RANK):].strip("（）")
        if not drawn:
            shown = "尚无总分"  # every score not yet in: no bars, not 「前 0 名」
        elif over:
            shown = f"{over}中的 {drawn} 人"
        else:
            shown = f"前 {drawn} 名" if len(ranked) > drawn else f"{drawn} 人"
        return f"{self.named_with(period, sep)}{sep}排名（{shown}）"

    def named_with(self, period: str, sep: str = "") -> str:
        """The race's name and ``period`` (乡村振兴 2026年第2季度): the name alone when it already says the
        period — one sheet raced by its title, 2025年度考核, is not 「2025年度考核 2025年度」."""
        return sep.join(t for t in (self.field.label, period_beside(self.field.label, period)) if t)

    @property
    def span(self) -> str:
        """The periods raced, 2026年第1季度—2026年第2季度; of one period its label, "" when the race's name
        already says it."""
        if len(self.periods) > 1:
            return f"{self.periods[0].label}—{self.periods[-1].label}"
        return period_beside(self.field.label, self.periods[0].period) if self.periods else ""


def movement(rank: int | None, previous: int | None, *, first: bool, unranked_before: bool = False) -> str:
    """↑2 (two places up), ↓1, — (the same place), 新 (not in the previous period's race), "" (no
    previous period, not ranked now, or in the previous period's race without a rank — its scores not
    complete: nothing to compare with, and 新 would say they were not there)."""
    if first or rank is None or unranked_before:
        return ""
    if previous is None:
        return NEW
    if previous == rank:
        return SAME
    return f"↑{previous - rank}" if previous > rank else f"↓{rank - previous}"


def race_fields() -> list[RaceField]:
    """The lines and posts that have appraisal sheets the operator may see, most periods first."""
    found: dict[tuple[str, int], tuple[str, set[str]]] = {}
    for sheet in appraisals.list_sheets():
        ref = sheet.group_ref if sheet.group_kind in RACE_KINDS else None
        if ref is None:
            continue
        label, periods = found.setdefault((sheet.group_kind, ref), (sheet.group_label, set()))
        periods.add(sheet.period)
    fields = [RaceField(kind, ref, label or f"{kind}{ref}", len(periods))
              for (kind, ref), (label, periods) in found.items()]
    fields.sort(key=lambda f: (RACE_KINDS.index(f.kind), -f.periods, f.label))
    return fields


def _posts_of(line_id: int, cadre_ids: list[int], period: str) -> dict[int, str]:
    """cadre → the post they held on the line in ``period`` (the posting overlapping it, else their
    latest on the line)."""
    from cadre_desk.postings import postings

    start, end = period_bounds(period)
    chosen: dict[int, tuple[bool, str, str]] = {}
    for p in postings.list_postings(line_id=line_id, cadre_ids=cadre_ids):
        until = as_day(p.actual_end or p.planned_end or "99991231")
        overlaps = as_day(p.start) <= end and until >= start
        key = (overlaps, p.start, p.post_name)
        if p.cadre_id not in chosen or key > chosen[p.cadre_id]:
            chosen[p.cadre_id] = key
    return {cadre_id: key[2] for cadre_id, key in chosen.items()}


def sheet_race(sheet_id: int) -> Race:
    """One sheet of any group (a unit's annual sheet, a selection) as a race of one period: its ranking,
    grouped under the sheet's group."""
    sheet = appraisals.sheet_info(sheet_id)
    label = sheet.group_label or sheet.title
    rows, members = grading.group_ranking(sheet_id)
    period = RacePeriod(sheet.period, period_label(sheet.period), sheet.id, sheet.title, sheet.finalized, members)
    entries = tuple(RaceEntry(label, sheet.period, period.label, r.rank, "", r.cadre_id, r.name, r.unit_name, r.total,
                              r.grade) for r in rows)
    return Race(RaceField(sheet.group_kind, sheet.group_ref or 0, label, 1), (period,), entries)


def load(key: tuple) -> Race:
    """("race", kind, ref) → ``race``; ("sheet", id) → ``sheet_race`` (what the 赛马比选 tab, its
    export and its print are asked for)."""
    if key[0] == "sheet":
        return sheet_race(key[1])
    return race(key[1], key[2])


def with_full_unit_names(race: Race) -> Race:
    """The race with each cadre's (current) unit by its 全称, for a document: on paper, with no tree beside
    it, 县政府办 is of which county?"""
    from cadre_desk.access import reads
    from cadre_desk.units import units

    full = units.full_names()
    unit_of = dict(reads.cadre_rows(("unit",), list(dict.fromkeys(e.cadre_id for e in race.entries))))
    entries = tuple(dataclasses.replace(e, unit_name=full.get(unit_of.get(e.cadre_id), e.unit_name))
                    for e in race.entries)
    return dataclasses.replace(race, entries=entries)


def sheet_ranking(sheet_id: int, unit_names: dict[int, str] | None = None) -> list[grading.RankRow]:
    """One sheet's ranking for a document (the workbook, the PDF): as the tab lists it, each cadre's
    (current) unit by its 全称 (``unit_names``: units.full_names(), read once for many sheets), the totals
    to 0.01."""
    from cadre_desk.access import reads
    from cadre_desk.units import units

    full = units.full_names() if unit_names is None else unit_names
    ranking = grading.ranking(sheet_id)
    unit_of = dict(reads.cadre_rows(("unit",), [r.cadre_id for r in ranking]))
    return [dataclasses.replace(row, unit_name=full.get(unit_of.get(row.cadre_id), row.unit_name),
                                total=round(row.total, 2) if row.total is not None else None)
            for row in ranking]


def race(kind: str, ref: int) -> Race:
    """The race of a line (``kind`` 一线) or a post (岗位): every period, grouped by post then period."""
    access_scope.current().require(permissions.READ)
    sheets = [s for s in appraisals.list_sheets()
              if s.group_kind == kind and s.group_ref == ref]
    if not sheets:
        raise NotFoundError("这条战线或这个岗位还没有考核表，无法比选。")
    latest: dict[str, appraisals.SheetInfo] = {}
    for sheet in sorted(sheets, key=lambda s: s.id):
        latest[sheet.period] = sheet  # the latest sheet of a period counts
    ordered = sorted(latest.values(), key=lambda s: period_order(s.period))
    periods = tuple(RacePeriod(s.period, period_label(s.period), s.id, s.title, s.finalized) for s in ordered)
    field = RaceField(kind, ref, ordered[-1].group_label or f"{kind}{ref}", len(periods))
    entries: list[RaceEntry] = []
    previous: dict[int, int | None] = {}
    counted = []
    for n, period in enumerate(periods):
        rows, members = grading.group_ranking(period.sheet_id)
        counted.append(dataclasses.replace(period, members=members))
        posts = (_posts_of(ref, [r.cadre_id for r in rows], period.period) if kind == "一线"
                 else dict.fromkeys((r.cadre_id for r in rows), field.label))
        for row in rows:
            before = previous.get(row.cadre_id)
            unranked = row.cadre_id in previous and before is None
            entries.append(RaceEntry(posts.get(row.cadre_id, "（未在该战线锻炼）"), period.period, period.label,
                                     row.rank, movement(row.rank, before, first=n == 0, unranked_before=unranked),
                                     row.cadre_id, row.name, row.unit_name, row.total, row.grade, before))
        previous = {r.cadre_id: r.rank for r in rows}
    post_order = {name: n for n, name in enumerate(sorted({e.post_name for e in entries}))}
    position = {p.period: n for n, p in enumerate(periods)}
    entries.sort(key=lambda e: (post_order[e.post_name], position[e.period], e.rank is None, e.rank or 0,
                                e.name))
    return Race(field, tuple(counted), tuple(entries))
