"""人岗相适: which cadres fit a frontline post, and why, in words.

Specialty fit counts most, then a weakness the post trains, then the wanted categories; a line the
cadre has already served on counts against. Scores serve judgement: every point has its reason, and
each candidate comes with what a clerk judges by — age, 职务层次/职级, education, 现任职务 and the
time already served on this line and others."""

from __future__ import annotations

import re

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import codes
from cadre_desk.domain.dates import age_at, as_day, format_period, to_date
from cadre_desk.postings.frontline_posts import get_post
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    FINISHED_STATES,
    Candidate,
    PostInfo,
    category_names,
)
from cadre_desk.postings.postings import unit_labels
from cadre_desk.store.db import database
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting

_SPLIT = re.compile(r"[、，,；;／/\s]+")

# A weakness phrase's key word → words of the posts that train it.
WEAKNESS_TRAINED_BY = {
    "基层": ("乡村振兴", "社区", "驻村", "网格", "基层"),
    "群众工作": ("信访", "社区", "网格", "群众", "驻村"),
    "复杂问题": ("信访", "维稳", "重大项目", "矛盾"),
    "经济": ("招商", "项目", "产业", "经济"),
    "应急": ("信访", "维稳", "应急", "网格"),
    "招商": ("招商",),
    "项目": ("项目",),
    "信访": ("信访",),
}


def _terms(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text or "") if t]


# Two-character words too common to show a real fit on their own.
_GENERIC = {"管理", "工作", "建设", "发展", "服务", "分析", "综合", "事务", "能力", "经验"}


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\w]", "", text or "")
    return {text[i:i + 2] for i in range(len(text) - 1)} - _GENERIC


def _specialty_fit(post: PostInfo, specialty: str, expertise: str) -> tuple[int, list[str]]:
    own = _terms(specialty) + _terms(expertise)
    own_text = "、".join(own)
    wanted = _terms(post.requirements)
    matched, partial = [], []
    for term in wanted:
        if any(term in o or o in term for o in own):
            matched.append(term)
        elif _bigrams(term) & _bigrams(own_text):
            partial.append(term)
    score, reasons = 0, []
    if matched:
        score += 30 * len(matched)
        reasons.append(f"专业特长契合岗位要求“{'、'.join(matched)}”（+{30 * len(matched)}）")
    if partial:
        score += 10 * len(partial)
        reasons.append(f"专业特长与“{'、'.join(partial)}”相近（+{10 * len(partial)}）")
    if wanted and not matched and not partial:
        reasons.append("专业特长与岗位要求无明显关联（+0）")
    return score, reasons


def _weakness_trained(post: PostInfo, weaknesses: str) -> tuple[int, list[str]]:
    post_text = " ".join((post.line_name, post.name, post.host, post.duties, post.requirements))
    trained = []
    for weakness in _terms(weaknesses):
        for key, words in WEAKNESS_TRAINED_BY.items():
            if key in weakness and any(w in post_text for w in words):
                trained.append(weakness)
                break
    if trained:
        return 25, [f"岗位可补短板“{'、'.join(trained)}”（+25）"]
    return 0, []


def _categories_wanted(post: PostInfo, categories: str) -> tuple[int, list[str]]:
    wanted_cats = [c for c in post.wanted_categories.split(",") if c]
    own_cats = [c for c in (categories or "").split(",") if c]
    hit = [c for c in wanted_cats if c in own_cats]
    if hit:
        return 5 * len(hit), [f"属于{category_names(','.join(hit))}（+{5 * len(hit)}）"]
    return 0, []


def score_candidate(post: PostInfo, specialty: str, expertise: str, weaknesses: str,
                    categories: str, past_lines: set[int] | None = None, served_here: str = "",
                    cache: dict | None = None) -> tuple[int, list[str]]:
    """A fit score and its reasons in words, each with its points. Specialty fit counts most, then a
    trained weakness, then the wanted categories; ``served_here`` says the cadre's time on this post's
    line (counted against). ``cache``: one dict for every candidate of the same post (many cadres share
    a specialty, a weakness or categories: each part is worked out once)."""
    cache = {} if cache is None else cache
    score, reasons = 0, []
    for part, fn, args in (("s", _specialty_fit, (specialty, expertise)), ("w", _weakness_trained, (weaknesses,)),
                           ("c", _categories_wanted, (categories,))):
        key = (part, *args)
        found = cache.get(key)
        if found is None:
            found = cache[key] = fn(post, *args)
        score += found[0]
        reasons += found[1]
    if past_lines and post.line_id in past_lines:
        score -= 10
        where = f"，{served_here}" if served_here else ""
        reasons.append(f"曾在“{post.line_name}”战线锻炼过{where}，宜让其他干部到此战线（-10）")
    return score, reasons


def _months(start: str, end: str) -> int:
    """Whole months (at least 1) from ``start`` to ``end`` (YYYYMM[DD])."""
    if not start or not end:
        return 0
    days = (to_date(as_day(end)) - to_date(as_day(start))).days
    return max(1, round(days / 30.44))


def experience_text(line_id: int, served: list[tuple[int, str, str, str]]) -> tuple[str, str]:
    """(一线经历 in a line, the time on ``line_id`` for the score's reason) from the cadre's finished
    postings as (line id, line name, start, end): "本战线 6 个月（2022.03—2022.09）；乡村振兴 12 个月"."""
    if not served:
        return "无", ""
    here = [(start, end) for lid, _name, start, end in served if lid == line_id]
    parts, here_text = [], ""
    if here:
        months = sum(_months(start, end) for start, end in here)
        periods = "、".join(format_period(start, end) for start, end in sorted(here))
        here_text = f"共 {months} 个月（{periods}）"
        parts.append(f"本战线 {months} 个月（{periods}）")
    others: dict[str, int] = {}
    for lid, name, start, end in served:
        if lid != line_id:
            others[name] = others.get(name, 0) + _months(start, end)
    parts += [f"{name} {months} 个月" for name, months in others.items()]
    return "；".join(parts), here_text


def education_text(ft_education: str, ft_degree: str, pt_education: str, pt_degree: str) -> str:
    """全日制 and 在职 education as the matching list shows them: "大学·学士；在职研究生·硕士"."""
    edu, degree = codes.table("ZB64"), codes.table("GB6864")

    def one(level: str, grade: str, prefix: str = "") -> str:
        if not level and not grade:
            return ""
        text = "·".join(x for x in (edu.name(level) if level else "", degree.name(grade) if grade else "") if x)
        return prefix + text

    return "；".join(x for x in (one(ft_education, ft_degree), one(pt_education, pt_degree, "在职")) if x)


_PROFILE_KEYS = ("birth", "gender", "rank", "position", "ft_education", "ft_degree", "pt_education", "pt_degree")


def match_candidates(post_id: int, limit: int = 50) -> list[Candidate]:
    """Cadres fit for a post, best first: 在职, not on an active posting, in the wanted categories; each
    with age, 职务层次/职级, education and frontline experience beside the score and its reasons."""
    permissions.require(permissions.READ)
    post = get_post(post_id)
    # The driver's own rows throughout: peewee's per-value conversion costs more than the queries.
    busy = {r[0] for r in database.execute(Posting.select(Posting.cadre).where(Posting.state.in_(ACTIVE_STATES)))}
    past: dict[int, set[int]] = {}
    served: dict[int, list[tuple[int, str, str, str]]] = {}
    for cadre_id, line_id, line_name, start, end in database.execute(
            Posting.select(Posting.cadre, Post.line, FrontlineLine.name, Posting.start, Posting.actual_end)
            .join(Post).join(FrontlineLine).where(Posting.state.in_(FINISHED_STATES))):
        past.setdefault(cadre_id, set()).add(line_id)
        served.setdefault(cadre_id, []).append((line_id, line_name, start, end))
    wanted_cats = [c for c in post.wanted_categories.split(",") if c]
    query = (Cadre.select(Cadre.id, Cadre.name, Cadre.unit, Cadre.categories, Cadre.specialty, Cadre.expertise,
                          Cadre.weaknesses).where(Cadre.status == "1"))
    if wanted_cats:
        cond = None
        for code in wanted_cats:
            part = (Cadre.categories == code) | Cadre.categories.startswith(code + ",") \
                | Cadre.categories.endswith("," + code) | Cadre.categories.contains("," + code + ",")
            cond = part if cond is None else cond | part
        query = query.where(cond)
    query = access_scope.current().restrict(query, unit=Cadre.unit)  # the operator picks among their cadres
    scored = []
    cache: dict = {}  # many cadres share a specialty, a weakness or categories: each scored once
    for cadre_id, name, unit_id, cats, specialty, expertise, weaknesses in database.execute(query):
        if cadre_id in busy:
            continue
        lines = past.get(cadre_id)
        here = experience_text(post.line_id, served[cadre_id])[1] if lines and post.line_id in lines else ""
        score, reasons = score_candidate(post, specialty, expertise, weaknesses, cats, lines, here, cache)
        scored.append((-score, cadre_id, name, unit_id, cats, specialty, expertise, weaknesses, score, reasons))
    scored.sort(key=lambda c: (c[0], c[1]))
    if limit:
        scored = scored[:limit]
    # What a clerk judges by, for the candidates shown only: read through the scoped read path.
    profile = {row[0]: row[1:] for row in reads.cadre_rows(_PROFILE_KEYS, [c[1] for c in scored])}
    labels = unit_labels()
    rank_names, genders = codes.table("RANK"), codes.table("GB22611")
    out = []
    for _neg, cadre_id, name, unit_id, cats, specialty, expertise, weaknesses, score, reasons in scored:
        birth, gender, rank, position, ft_edu, ft_deg, pt_edu, pt_deg = profile.get(cadre_id, ("",) * 8)
        shown = specialty or ""
        if expertise and expertise not in shown:
            shown = f"{shown}；熟悉{expertise}" if shown else expertise
        out.append(Candidate(
            cadre_id, name, labels.get(unit_id, ""), category_names(cats), shown, weaknesses, score, tuple(reasons),
            age=age_at(birth or ""), gender=genders.name(gender) if gender else "",
            rank_name=rank_names.name(rank) if rank else "", position=position or "",
            education=education_text(ft_edu, ft_deg, pt_edu, pt_deg),
            experience=experience_text(post.line_id, served.get(cadre_id, []))[0]))
    return out
