"""人岗相适: which cadres fit a frontline post, and why, in words.

Specialty fit counts most, then a weakness the post trains, then the wanted categories; a line the
cadre has already served on counts against. Scores serve judgement: every point has its reason."""

from __future__ import annotations

import re

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.postings.frontline_posts import get_post
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    FINISHED_STATES,
    Candidate,
    PostInfo,
    category_names,
)
from cadre_desk.postings.postings import unit_labels
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import Post, Posting

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


def score_candidate(post: PostInfo, specialty: str, expertise: str, weaknesses: str,
                    categories: str, past_lines: set[int] | None = None) -> tuple[int, list[str]]:
    """A fit score and its reasons in words. Specialty fit counts most, then a trained weakness."""
    reasons: list[str] = []
    score = 0
    own = _terms(specialty) + _terms(expertise)
    own_text = "、".join(own)
    wanted = _terms(post.requirements)
    matched, partial = [], []
    for term in wanted:
        if any(term in o or o in term for o in own):
            matched.append(term)
        elif _bigrams(term) & _bigrams(own_text):
            partial.append(term)
    if matched:
        score += 30 * len(matched)
        reasons.append(f"专业特长契合岗位要求“{'、'.join(matched)}”（+{30 * len(matched)}）")
    if partial:
        score += 10 * len(partial)
        reasons.append(f"专业特长与“{'、'.join(partial)}”相近（+{10 * len(partial)}）")
    if wanted and not matched and not partial:
        reasons.append("专业特长与岗位要求无明显关联")
    post_text = " ".join((post.line_name, post.name, post.host, post.duties, post.requirements))
    trained = []
    for weakness in _terms(weaknesses):
        for key, words in WEAKNESS_TRAINED_BY.items():
            if key in weakness and any(w in post_text for w in words):
                trained.append(weakness)
                break
    if trained:
        score += 25
        reasons.append(f"岗位可补短板“{'、'.join(trained)}”（+25）")
    wanted_cats = [c for c in post.wanted_categories.split(",") if c]
    own_cats = [c for c in (categories or "").split(",") if c]
    hit = [c for c in wanted_cats if c in own_cats]
    if hit:
        score += 5 * len(hit)
        reasons.append(f"属于{category_names(','.join(hit))}（+{5 * len(hit)}）")
    if past_lines and post.line_id in past_lines:
        score -= 10
        reasons.append(f"曾在“{post.line_name}”战线锻炼过（-10）")
    return score, reasons


def match_candidates(post_id: int, limit: int = 50) -> list[Candidate]:
    """Cadres fit for a post, best first: 在职, not on an active posting, in the wanted categories."""
    permissions.require(permissions.READ)
    post = get_post(post_id)
    busy = {r[0] for r in Posting.select(Posting.cadre).where(Posting.state.in_(ACTIVE_STATES)).tuples()}
    past: dict[int, set[int]] = {}
    for cadre_id, line_id in (Posting.select(Posting.cadre, Post.line).join(Post)
                              .where(Posting.state.in_(FINISHED_STATES)).tuples()):
        past.setdefault(cadre_id, set()).add(line_id)
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
    labels = unit_labels()
    for cadre_id, name, unit_id, cats, specialty, expertise, weaknesses in query.tuples().iterator():
        if cadre_id in busy:
            continue
        score, reasons = score_candidate(post, specialty, expertise, weaknesses, cats, past.get(cadre_id))
        shown = specialty or ""
        if expertise and expertise not in shown:
            shown = f"{shown}；熟悉{expertise}" if shown else expertise
        scored.append(Candidate(cadre_id, name, labels.get(unit_id, ""), category_names(cats), shown,
                                weaknesses, score, tuple(reasons)))
    scored.sort(key=lambda c: (-c.score, c.cadre_id))
    return scored[:limit] if limit else scored
