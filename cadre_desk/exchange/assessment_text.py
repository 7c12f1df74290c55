"""年度考核结果 as 任免表 files and rosters write it, both ways:

    "2022年、2023年年度考核均为称职"        → 2022 称职, 2023 称职
    "2021年度优秀，2022年度称职"            → 2021 优秀, 2022 称职
    "2019—2021年度考核均为优秀"             → 2019, 2020, 2021 优秀
    "基本称职(2020)", "称职（2021）、优秀（2022）" → the year in brackets after its result
    "二〇二三年度优秀"                      → 2023 优秀
    "连续三年考核称职"                      → nothing read year by year: kept as written

A result applies to the years named since the previous result. Text that cannot be read year by
year is never a reason to refuse a person: the profile keeps every such text as written (the field
年度考核结果（原文）), and the 任免表 writes it back (``official_text``)."""

from __future__ import annotations

import re

from cadre_desk.domain import codes
from cadre_desk.domain.dates import normalize_digits
from cadre_desk.domain.fields import ASSESSMENTS, AssessmentItem

# the profile's field 年度考核结果（原文）: the text as a file gave it (NianDuKaoHeJieGuo, a roster's column)
ASSESSMENT_KEPT = "assessment_text"
_RANGE_DASHES = "-—–~～－至到"
_PATTERNS: dict[str, re.Pattern] = {}  # built on first use from the code table


def _results() -> str:
    """The names of the results (and their other names) as one alternation, the longest first."""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    names = sorted((*table.names(), *codes.ALIASES.get(table.key, ())), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


def _token_pattern() -> re.Pattern:
    if "token" not in _PATTERNS:
        _PATTERNS["token"] = re.compile(
            rf"(?P<first>(?:19|20)\d{{2}})(?:\s*年度?)?\s*[{_RANGE_DASHES}]+\s*(?P<last>(?:19|20)\d{{2}})"
            rf"|(?P<year>(?:19|20)\d{{2}})|(?P<result>{_results()})")
    return _PATTERNS["token"]


_HAN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_HAN_YEAR = re.compile(r"[一二][〇零○Ｏ一二三四五六七八九]{3}(?=\s*年)")


def _years_first(text: str) -> str:
    """The text with every year in digits before its result: 二〇二三年 as 2023年, 基本称职(2020) and 称职（2021年度）
    as 2020年度基本称职 and 2021年度称职."""
    text = _HAN_YEAR.sub(lambda m: m.group(0).translate(_HAN_DIGITS), text)
    if "after" not in _PATTERNS:
        _PATTERNS["after"] = re.compile(
            rf"(?P<result>{_results()})\s*[（(]\s*(?P<year>(?:19|20)\d{{2}})\s*(?:年度|年)?\s*[）)]")
    return _PATTERNS["after"].sub(lambda m: f"{m.group('year')}年度{m.group('result')}", text)


def read_assessments(text: str, source: str = "导入") -> tuple[list[AssessmentItem], str]:
    """(per-year results read from ``text``, the text kept as written when some of it could not be
    read year by year — "" when all of it was)."""
    text = normalize_digits(str(text or "")).strip()
    if not text or text in ("无", "-", "—", "/"):
        return [], ""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    written, text = text, _years_first(text)
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
        return items, written
    return [AssessmentItem(y, c, "", source) for y, c in sorted(found.items(), reverse=True)], ""


# the words around a result in a year's own cell that say nothing more (2023年度考核为优秀等次)
_FILLER = re.compile(r"年度|年|考核结果|考核等次|考核|等次|结果|评定为|确定为|评为|为|[\s，,、；;：:。．.（）()【】\[\]]")


def read_year_cell(year: int, text: object) -> tuple[str | None, str]:
    """A cell of the column of ``year`` (优秀, 优秀等次, 2023年度优秀, 优秀（嘉奖）): (the result's code — None
    when it gives none, two, or another year's — and the words beside the result not read, "" when none)."""
    table = codes.table(ASSESSMENTS.field("result").code_table)
    text = normalize_digits(str(text)).strip()
    code = table.code(text) or (text if table.has_code(text) else None)
    if code is not None:
        return code, ""
    text = _years_first(text)
    results = set()
    for match in _token_pattern().finditer(text):
        if match.group("result"):
            results.add(table.code(match.group("result")))
        elif match.group("first") or int(match.group("year")) != year:
            return None, text  # a range, or another year, in one year's cell
    if len(results) != 1:
        return None, text
    return results.pop(), _FILLER.sub("", _token_pattern().sub("", text))


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
        said = f"{years[0]}年度" if len(years) == 1 else "、".join(f"{y}年" for y in years) + "年度"
        both = "" if len(years) == 1 else "均"
        if name == "未参加考核":
            parts.append(f"{said}{both}未参加考核")
        elif name == "不定等次":
            parts.append(f"{said}考核{both}不定等次")
        else:
            parts.append(f"{said}考核{both or ''}为{name}")
    return "，".join(parts)


def official_text(kept: str, items: list[AssessmentItem]) -> str:
    """年度考核结果 as the 任免表 (file and form) writes it: the text the file came with (kept as
    written in 年度考核结果（原文）) while the per-year results on record still say what it says and
    add no later year; otherwise the wording of the results (``assessments_text``)."""
    kept = (kept or "").strip()
    generated = assessments_text(items)
    if not kept:
        return generated
    said = {a.year: a.result for a in read_assessments(kept)[0]}
    on_record = {a.year: a.result for a in items if a.year and a.result}
    if any(on_record.get(year) != result for year, result in said.items()):
        return generated  # a result changed since the file came in
    if on_record and max(on_record) > max(said, default=0):
        return generated  # a later year added since
    return kept
