"""The 工作台's figures: five counts and the charts of serving cadres (年龄结构, 学历结构, 性别) and of
cadres on frontline posts (by line, by host), all within the operator's scope.

The same ``overview()`` feeds the screen, the statistics workbook and the one-page PDF, so the three
always say the same numbers. Every figure is counted by the database (grouped queries, the cadres'
from one index): 100,000 cadres in a few tens of milliseconds."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass

from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import age_at, from_date

SERVING = "1"  # STATUS code 在职

AGE_BANDS = ((0, 30, "30岁及以下"), (31, 35, "31—35岁"), (36, 40, "36—40岁"), (41, 45, "41—45岁"),
             (46, 50, "46—50岁"), (51, 55, "51—55岁"), (56, 200, "56岁及以上"))
EDUCATION_GROUPS = ("研究生", "大学本科", "大专", "中专及以下")
NOT_FILLED = "未填写"
HOSTS_SHOWN = 10  # the hosts with most cadres on post; the rest are one bar "其他"
# One palette for every chart: the screen (ui.widgets.charts), the workbook and the PDF.
CHART_COLOURS = ("#2F6FB0", "#E07B39", "#3A9D5D", "#C4453C", "#8A63B8", "#C8A23A", "#4AA6B5", "#7F7F7F",
                 "#D16BA5", "#5B8C2A")

# The counts, in the order the 工作台 shows them: key → (label, what it counts).
COUNTS = {
    "serving": ("在职干部", "人员状态为在职的干部"),
    "on_post": ("一线在岗", "一线锻炼状态为在岗的干部"),
    "mentoring": ("帮带进行中", "状态为进行中的导师帮带结对"),
    "quarter_due": ("本季度待考核", "在岗锻炼干部中本季度季检查尚未填写的人数"),
    "unappraised": ("到期未鉴定", "已过计划结束时间仍为在岗、或已期满尚未填写期满鉴定的一线锻炼"),
}
# The charts: key → (title, the header of its categories, how it is drawn: pie / column / bar).
CHARTS = {
    "age": ("年龄结构", "年龄段", "column"),
    "education": ("学历结构", "学历", "pie"),
    "gender": ("性别", "性别", "pie"),
    "line": ("一线在岗（按战线）", "战线", "column"),
    "host": ("一线在岗（按承接单位）", "承接单位", "bar"),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    hint: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    category: str  # the header of the categories' column (年龄段, 学历 …)
    kind: str  # pie / column / bar (horizontal bars)
    items: tuple[tuple[str, int], ...]  # (category, number of cadres), in the order shown

    @property
    def total(self) -> int:
        return sum(n for _, n in self.items)


@dataclass(frozen=True)
class Overview:
    day: str  # the day it was counted (20260615)
    scope_text: str  # 全部单位 / 市财政局等 2 个单位（含下属单位）
    counts: tuple[Figure, ...]
    charts: tuple[Chart, ...]

    def count(self, key: str) -> int:
        return next(f.value for f in self.counts if f.key == key)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


# ---- the categories ---------------------------------------------------------------------------------


def count_step(top: float, ticks: int = 5) -> int:
    """The step of a count's chart axis up to ``top``: 1, 2, 5, 10, 20, 50 … giving at most ``ticks``
    steps, so that the axis of a few cadres is not marked 0.2, 0.4 … (the PDF's and the workbook's
    charts; the screen's: ui.widgets.charts)."""
    step = 1
    while top / step > ticks:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def age_band(birth: str, today: _dt.date) -> str:
    age = age_at(birth, today) if birth else None
    if age is None:
        return NOT_FILLED
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return NOT_FILLED


def education_group(code: str) -> str:
    """A 学历 code (ZB64) → 研究生 / 大学本科 / 大专 / 中专及以下 (未填写 when empty)."""
    if not code:
        return NOT_FILLED
    code = str(code)
    if code.startswith("1"):
        return "研究生"
    if code.startswith("2"):
        return "大学本科"
    if code in ("3", "31", "32", "34"):
        return "大专"
    return "中专及以下"


def highest_education(ft: str, pt: str) -> str:
    """The higher of the 全日制 and 在职 学历 groups."""
    order = {name: n for n, name in enumerate((*EDUCATION_GROUPS, NOT_FILLED))}
    return min(education_group(ft), education_group(pt), key=lambda g: order[g])


def _ordered(counter: Counter, order: list[str]) -> tuple[tuple[str, int], ...]:
    """The categories of ``order`` that occur (then any other), in that order."""
    rank = {name: n for n, name in enumerate(order)}
    return tuple(sorted(((k, v) for k, v in counter.items() if v), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


# ---- counting --------------------------------------------------------------------------------------


def serving_structure(today: _dt.date | None = None) -> dict[str, tuple[tuple[str, int], ...]]:
    """Serving cadres in scope by age band, 学历 and 性别 (one grouped query): key → items."""
    from cadre_desk.access import reads

    today = today or clock.today()
    genders = codes.table("GB22611")
    age: Counter = Counter()
    education: Counter = Counter()
    gender: Counter = Counter()
    rows = reads.cadre_counts(("birth", "gender", "ft_education", "pt_education"), status=SERVING)
    # thousands of groups, a few hundred birth months and a few dozen 学历 pairs: each worked out once
    bands: dict[str, str] = {}
    groups: dict[tuple[str, str], str] = {}
    for birth, sex, ft, pt, n in rows:
        band = bands.get(birth)
        if band is None:
            band = bands[birth] = age_band(birth, today)
        group = groups.get((ft, pt))
        if group is None:
            group = groups[ft, pt] = highest_education(ft, pt)
        age[band] += n
        education[group] += n
        gender[sex] += n
    named: Counter = Counter()
    for code, n in gender.items():
        named[genders.name(code) or NOT_FILLED] += n
    return {
        "age": _ordered(age, [label for *_r, label in AGE_BANDS] + [NOT_FILLED]),
        "education": _ordered(education, [*EDUCATION_GROUPS, NOT_FILLED]),
        "gender": _ordered(named, [*genders.names(), NOT_FILLED]),
    }


def _frontline() -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """Cadres on post by line (every line in its order) and by host (most first, the rest as 其他)."""
    from cadre_desk.postings.posting_reminders import on_post_counts

    by_line: Counter = Counter()
    by_host: Counter = Counter()
    for row in on_post_counts():
        by_line[row.line_name] += row.count
        if row.count:
            by_host[row.host or NOT_FILLED] += row.count
    lines = tuple(by_line.items())  # in the lines' order, empty lines included
    hosts = sorted(by_host.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(hosts) > HOSTS_SHOWN:
        rest = hosts[HOSTS_SHOWN - 1:]
        hosts = hosts[:HOSTS_SHOWN - 1] + [(f"其他 {len(rest)} 个承接单位", sum(n for _, n in rest))]
    return lines, tuple(hosts)


def scope_text() -> str:
    """Whose cadres the figures count: 全部单位, or the operator's units by name."""
    from cadre_desk.access import scope

    current = scope.current()
    if current.every_unit:
        return "全部单位"
    from cadre_desk.units.units import full_names

    names = full_names()
    shown = [names.get(uid, str(uid)) for uid in current.operator.unit_scopes]
    if not shown:
        return "无"
    head = "、".join(shown[:2])
    return f"{head}{'等 ' + str(len(shown)) + ' 个单位' if len(shown) > 2 else ''}（含下属单位）"


def overview(today: _dt.date | None = None) -> Overview:
    """Every figure of the 工作台, within the operator's scope (PermissionDenied for an operator who may
    not read cadre data)."""
    from cadre_desk.access import permissions, scope
    from cadre_desk.appraisal.records import missing_count
    from cadre_desk.mentoring.mentoring_reminders import active_pair_count
    from cadre_desk.postings.posting_reminders import awaiting_appraisal_count

    scope.current().require(permissions.READ)
    today = today or clock.today()
    structure = serving_structure(today)
    lines, hosts = _frontline()
    values = {
        "serving": sum(n for _, n in structure["gender"]),
        "on_post": sum(n for _, n in lines),
        "mentoring": active_pair_count(),
        "quarter_due": missing_count("季检查", today),
        "unappraised": awaiting_appraisal_count(today),
    }
    counts = tuple(Figure(key, label, values[key], hint) for key, (label, hint) in COUNTS.items())
    items = {**structure, "line": lines, "host": hosts}
    charts = tuple(Chart(key, title, category, kind, items[key]) for key, (title, category, kind) in CHARTS.items())
    return Overview(from_date(today), scope_text(), counts, charts)
