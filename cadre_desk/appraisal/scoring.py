"""Pure appraisal arithmetic: weighted totals, grade bands, the 优秀 quota, competition ranking,
and record periods. No database here, so every rule is tested directly."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence

from cadre_desk.domain import periods
from cadre_desk.domain.periods import Unit

EXCELLENT = "优秀"
GRADES = {
    "公务员": ("优秀", "称职", "基本称职", "不称职"),
    "事业单位": ("优秀", "合格", "基本合格", "不合格"),
}
WORDINGS = tuple(GRADES)


def score_text(value: float | None) -> str:
    """A score as every document prints it: two decimals (81.20 beside 81.63, never 81.2 or 72.5 for the
    ranking's 72.54); "" when there is none."""
    return "" if value is None else f"{float(value):.2f}"


def weights_total(weights: Iterable[float]) -> float:
    return round(sum(float(w) for w in weights), 6)


def weights_ok(weights: Iterable[float]) -> bool:
    return abs(weights_total(weights) - 100) < 1e-6


def weighted_total(scores: Mapping[tuple[int, int], float | None], raters: Sequence[tuple[int, float]],
                   dimensions: Sequence[tuple[int, float]]) -> float | None:
    """Σ rater_weight × Σ dim_weight × score / 100², rounded to 2 decimals; None when a score is missing.

    ``scores`` maps (rater_id, dimension_id) to a 0–100 score; raters and dimensions are (id, weight)."""
    total = 0.0
    for rater_id, rater_weight in raters:
        inner = 0.0
        for dim_id, dim_weight in dimensions:
            value = scores.get((rater_id, dim_id))
            if value is None:
                return None
            inner += dim_weight * value
        total += rater_weight * inner
    return round(total / 10000 + 1e-9, 2)


def grade_for(total: float | None, excellent_min: float = 90, competent_min: float = 70, basic_min: float = 60,
              wording: str = "公务员") -> str:
    """The band a total falls in: ≥ excellent_min 优秀, ≥ competent_min 称职, ≥ basic_min 基本称职, else 不称职."""
    if total is None:
        return ""
    names = GRADES.get(wording, GRADES["公务员"])
    if total >= excellent_min:
        return names[0]
    if total >= competent_min:
        return names[1]
    if total >= basic_min:
        return names[2]
    return names[3]


def excellent_quota(members: int, cap_percent: float) -> int:
    """How many 优秀 a group of ``members`` may have at ``cap_percent`` (rounded down)."""
    return math.floor(members * cap_percent / 100 + 1e-9)


def quota_message(excellent: int, members: int, cap_percent: float) -> str | None:
    """The Chinese refusal when the 优秀 share is exceeded, else None."""
    quota = excellent_quota(members, cap_percent)
    if excellent <= quota:
        return None
    return (f"优秀等次超过比例：本考核表共 {members} 人，优秀比例上限 {cap_percent:g}%，最多 {quota} 人，"
            f"当前评为优秀 {excellent} 人，超出 {excellent - quota} 人。请调整评分或等次后再定稿。")


def competition_ranks(totals: Sequence[float | None]) -> list[int | None]:
    """Ranks for totals, highest first; equal totals share a rank and the next rank skips (1, 2, 2, 4).
    A missing total has no rank."""
    order = sorted((t for t in totals if t is not None), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(order, start=1):
        first.setdefault(round(value, 2), position)
    return [None if t is None else first[round(t, 2)] for t in totals]


def scope_matches(categories: str, lines: str, units: str, *, cadre_categories: str, cadre_unit_path: str,
                  cadre_line_ids: Iterable[int]) -> bool:
    """差异化考核: an empty scope applies to everyone; otherwise any listed category, line or unit matches."""
    cats = {c for c in categories.split(",") if c}
    line_ids = {int(x) for x in lines.split(",") if x.strip().isdigit()}
    unit_ids = {x for x in units.split(",") if x.strip()}
    if not (cats or line_ids or unit_ids):
        return True
    if cats & {c for c in (cadre_categories or "").split(",") if c}:
        return True
    if line_ids & set(cadre_line_ids):
        return True
    path_ids = {p for p in (cadre_unit_path or "").strip("/").split("/") if p}
    return bool(unit_ids & path_ids)


# ---- record periods (parsed and shown by cadre_desk.domain.periods) ----------------------------------

RECORD_KINDS = ("周小结", "月上报", "季检查", "年考核")
PERIOD_OF_KIND: dict[str, Unit] = {"周小结": "week", "月上报": "month", "季检查": "quarter", "年考核": "year"}


def current_period(kind: str, on: _dt.date | None = None) -> str:
    return periods.current_period(PERIOD_OF_KIND[kind], on)


def parse_record_period(kind: str, value: object) -> str:
    """What a clerk typed as the period of a ``kind`` record → its stored code; PeriodError (Chinese)
    when unreadable or of another length ("月上报请写到月，如 2025.11 或 2025年11月")."""
    unit = PERIOD_OF_KIND.get(kind)
    if unit is None:
        raise periods.PeriodError("请选择记录类型（周小结、月上报、季检查、年考核）")
    try:
        code = periods.parse_period(value, unit)
    except periods.PeriodError as exc:
        message = str(exc)
        raise periods.PeriodError(f"{kind}{message}" if message.startswith("请写") else message) from None
    if not code:
        raise periods.PeriodError(f"请填写期间，如 {periods.EXAMPLES[unit]}")
    return code


def check_period(kind: str, period: str) -> str | None:
    """A Chinese message when ``period`` is not a valid period for ``kind``, else None."""
    try:
        parse_record_period(kind, period)
    except periods.PeriodError as exc:
        return str(exc)
    return None


