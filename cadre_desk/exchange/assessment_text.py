"""年度考核结果 as 任免表 files and rosters write it, both ways:

    "2022年、2023年年度考核均为称职"        → 2022 称职, 2023 称职
    "2021年度优秀，2022年度称职"            → 2021 优秀, 2022 称职
    "2019—2021年度考核均为优秀"             → 2019, 2020, 2021 优秀
    "连续三年考核称职"                      → nothing read year by year: kept as written

A result applies to the years named since the previous result. Text that cannot be read year by
year is never a reason to refuse a person: it is returned as written for the caller to keep."""

from __future__ import annotations

import re

from cadre_desk.domain import codes
from cadre_desk.domain.dates import normalize_digits
from cadre_desk.domain.fields import ASSESSMENTS, AssessmentItem

# Text that could not be read year by year is kept in 备注 on a line of its own, starting with this.
ASSESSMENT_NOTE = "年度考核结果（原文）："
_RANGE_DASHES = "-—–~～－至到"
_TOKEN = None  # built on first use from the code table


def _token_pattern() -> re.Pattern:
    global _TOKEN
    if _TOKEN is None:
        names = sorted(codes.table(ASSESSMENTS.field("result").code_table).names(), key=len, reverse=True)
        results = "|".join(re.escape(n) for n in names)
        _TOKEN = re.compile(
            rf"(?P<first>(?:19|20)\d{{2}})(?:\s*年度?)?\s*[{_RANGE_DASHES}]+\s*(?P<last>(?:19|20)\d{{2}})"
            rf"|(?P<year>(?:19|20)\d{{2}})|(?P<result>{results})")
    return _TOKEN


def read_assessments(text: str, source: str = "导入") -> tuple[list[AssessmentItem], str]:
    """(per-year results read from ``text``, the text kept as written when some of it could not be
    read year by year — "" when all of it was)."""
    text = normalize_digits(str(text or "")).strip()
    if not text or text in ("无", "-", "—", "/"):
        return [], ""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    pending: list[int] = []
    found: dict[int, str] = {}
    conflict = False
    for match in _token_pattern().finditer(text):
        if match.group("first"):
            first, last = int(match.group("first")), int(match.group("last"))
            if first <= last <= first + 10:
                pending.extend(range(first, last + 1))
        elif match.group("year"):
            pending.append(int(match.group("year")))
        else:
            code = table.code(match.group("result"))
            for year in pending:
                if found.get(year, code) != code:
                    conflict = True
                found[year] = code
            pending = []
    if pending or not found or conflict:
        # years without a result, a year given two results, or no year at all: keep the words
        items = [] if conflict else [AssessmentItem(y, c, "", source) for y, c in sorted(found.items(), reverse=True)]
        return items, text
    return [AssessmentItem(y, c, "", source) for y, c in sorted(found.items(), reverse=True)], ""


def assessments_text(items: list[AssessmentItem], last: int = 3) -> str:
    """The official form's wording for the last ``last`` years: consecutive years with the same
    result said once ("2022年、2023年年度考核均为称职"), others one by one ("2021年度考核为优秀")."""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    recent = sorted((a for a in items if a.year and a.result), key=lambda a: a.year)[-last:]
    groups: list[tuple[list[int], str]] = []
    for item in recent:
        name = table.name(item.result)
        if groups and groups[-1][1] == name:
            groups[-1][0].append(item.year)
        else:
            groups.append(([item.year], name))
    parts = []
    for years, name in groups:
        if len(years) == 1:
            parts.append(f"{years[0]}年度考核为{name}")
        else:
            parts.append("、".join(f"{y}年" for y in years) + f"年度考核均为{name}")
    return "，".join(parts)


def with_assessment_note(remarks: str, unread: str) -> str:
    """备注 with the unread 年度考核 text on its own line (replacing an earlier one)."""
    lines = [line for line in remarks.splitlines() if not line.startswith(ASSESSMENT_NOTE)]
    return "\n".join([*lines, ASSESSMENT_NOTE + unread]).strip()


def assessment_note(remarks: str) -> str:
    """The 年度考核 text kept in 备注, or ""."""
    for line in (remarks or "").splitlines():
        if line.startswith(ASSESSMENT_NOTE):
            return line[len(ASSESSMENT_NOTE):]
    return ""
