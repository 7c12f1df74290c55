"""干部画像: one cadre on one page — basics, postings, mentors, records, grades, strengths and weak points,
pool memberships and the department's daily care (政治体检, 谈心谈话, 关爱, 包抓) — as plain sections of
(label, text) lines that the screen and the PDF show alike.

``practice_facts`` gathers what the practices know of a cadre (the dossier prints it too); ``build``
turns a profile and the capabilities' records into the portrait; ``portrait`` does both for one cadre.
The 提醒 / 函询 / 诫勉 records appear only when asked for (``include_supervision``) by an operator with the
干部监督 grant: off by default everywhere.

Scores serve judgement: the portrait lists facts and their sources; it computes no 积分 and no rank."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from cadre_desk.domain import clock
from cadre_desk.domain.dates import age_at, format_date, format_period
from cadre_desk.domain.fields import BY_KEY, display_value, shown_form_party

EMPTY = "无"
MAX_LINES = 4  # a section's lines on one page; the rest are counted ("另有 2 条")


@dataclass
class PracticeFacts:
    """What the practices know of one cadre (plain data from their services)."""

    pools: list = field(default_factory=list)  # talent.pools.MemberInfo
    checkups: list = field(default_factory=list)  # checkup_sheets.SheetInfo, newest first
    talks: list = field(default_factory=list)  # care.talks.TalkInfo, newest first
    care: list = field(default_factory=list)  # care.care_items.CareInfo, newest first
    liaison: Any = None  # liaison.LiaisonInfo or None
    supervision: list | None = None  # supervision.SupervisionInfo — None: not asked for / not allowed


def practice_facts(cadre_id: int, *, include_supervision: bool = False) -> PracticeFacts:
    from cadre_desk.care import care_items, talks
    from cadre_desk.checkups import checkup_sheets
    from cadre_desk.liaison import liaison
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools

    facts = PracticeFacts(pools=pools.pools_of(cadre_id), checkups=checkup_sheets.sheets_for_cadre(cadre_id),
                          talks=talks.list_talks(talks.TalkFilter(cadre_id=cadre_id)),
                          care=care_items.list_care(care_items.CareFilter(cadre_id=cadre_id)),
                          liaison=liaison.for_cadre(cadre_id))
    if include_supervision and supervision.visible(cadre_id):  # not one's own or a relative's (回避)
        facts.supervision = supervision.records_for_cadre(cadre_id)
    return facts


@dataclass
class PortraitSection:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text); label "" for a plain line

    def add(self, label: str, text: object) -> None:
        self.lines.append((label, str(text or "")))


@dataclass
class Portrait:
    cadre_id: int
    name: str
    subtitle: str  # 单位及职务
    basics: list[tuple[str, str]]
    photo: bytes | None
    sections: list[PortraitSection]
    made_on: str  # the day it was drawn up (stored form)

    def texts(self) -> list[tuple[str, str]]:
        """(where, text) of every string shown: what the PDF's glyph check looks at."""
        out = [(f"{self.name} · 画像", self.subtitle)]
        out += [(f"{self.name} · {label}", value) for label, value in self.basics]
        for section in self.sections:
            out += [(f"{self.name} · {section.title}", f"{label}{text}") for label, text in section.lines]
        return out


def _age_text(birth: str) -> str:
    age = age_at(birth) if birth else None
    shown = display_value(BY_KEY["birth"], birth)  # a month (1986.05), also when the day is stored
    return f"{shown}（{age}岁）" if age is not None else shown


def _value(profile, key: str) -> str:
    return display_value(BY_KEY[key], profile.values.get(key))


def _basics(profile, unit_name: str) -> list[tuple[str, str]]:
    v = profile.values
    education = "　".join(t for t in (_value(profile, "ft_education"), _value(profile, "ft_degree")) if t)
    part_time = "　".join(t for t in (_value(profile, "pt_education"), _value(profile, "pt_degree")) if t)
    return [
        ("性别", _value(profile, "gender")), ("出生年月", _age_text(v.get("birth") or "")),
        ("民族", _value(profile, "ethnicity")), ("籍贯", _value(profile, "native_place")),
        ("入党时间", shown_form_party(v)), ("参加工作时间", _value(profile, "work_start")),
        ("全日制学历学位", education), ("在职学历学位", part_time),
        ("毕业院校系及专业", _value(profile, "ft_school")), ("单位", unit_name),
        ("现任职务", _value(profile, "position")), ("任现职时间", _value(profile, "position_date")),
        ("职务层次/职级", _value(profile, "rank")), ("干部类别", _value(profile, "categories")),
    ]


def _capped(section: PortraitSection, lines: list[tuple[str, str]], what: str = "条") -> PortraitSection:
    for label, text in lines[:MAX_LINES]:
        section.add(label, text)
    if len(lines) > MAX_LINES:
        section.add("", f"……另有 {len(lines) - MAX_LINES} {what}")
    if not lines:
        section.add("", EMPTY)
    return section


def _postings(postings: list, reviews: dict) -> PortraitSection:
    lines = []
    for p in postings:
        ended = p.actual_end or ("" if p.state in ("拟选派", "在岗") else p.planned_end)
        review = reviews.get(p.id)
        grade = f"期满鉴定{review.grade}" if review is not None and review.grade else ""
        detail = "，".join(t for t in (p.state, grade, p.outcome) if t)
        lines.append((format_period(p.start, ended), f"{p.line_name}·{p.post_name}（{p.host}）{detail}"))
    return _capped(PortraitSection("一线经历"), lines, "段")


def _mentors(pairs: list, cadre_id: int) -> PortraitSection:
    lines = []
    for pair in pairs:
        if pair.mentee_id == cadre_id:
            rating = f"，导师评分 {pair.mentor_rating:g}" if pair.mentor_rating is not None else ""
            lines.append((format_period(pair.start, pair.actual_end),
                          f"导师{pair.mentor_name}，帮带方向：{pair.focus}，{pair.state}{rating}"))
    mentoring = [p for p in pairs if p.mentor_id == cadre_id]
    if mentoring:
        active = sum(1 for p in mentoring if p.state == "进行中")
        lines.append(("担任导师", f"共帮带 {len(mentoring)} 人，进行中 {active} 人"))
    return _capped(PortraitSection("导师帮带"), lines, "项")


def _grades(profile, appraisals: list) -> PortraitSection:
    from cadre_desk.appraisal.scoring import score_text

    section = PortraitSection("考核情况")
    yearly = sorted(profile.assessments, key=lambda a: a.year or 0, reverse=True)[:5]
    if yearly:
        from cadre_desk.domain.fields import ASSESSMENTS

        result = ASSESSMENTS.field("result")
        section.add("年度考核", "；".join(f"{a.year}年{display_value(result, a.result)}" for a in yearly))
    lines = []
    for r in appraisals:
        total = f"{score_text(r.total)}分" if r.total is not None else ""
        lines.append((r.sheet_title, "，".join(t for t in (r.grade, total, "" if r.finalized else "未定稿") if t)))
    for label, text in lines[:3]:
        section.add(label, text)
    if not section.lines:
        section.add("", EMPTY)
    return section


def _records(records: list, behaviour: list) -> PortraitSection:
    section = PortraitSection("实绩与正负面清单")
    if records:
        kinds: dict[str, int] = {}
        for r in records:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        latest = records[0]
        section.add("实绩档案", "，".join(f"{k} {n} 条" for k, n in kinds.items())
                    + f"；最近：{latest.period_label}{latest.kind}")
    positive = [b for b in behaviour if b.polarity == "正面"]
    negative = [b for b in behaviour if b.polarity == "负面"]
    for label, items in (("正面清单", positive), ("负面清单", negative)):
        if items:
            shown = "；".join(f"{format_date(b.date)} {b.item}（{b.source}）" for b in items[:2])
            section.add(label, f"{len(items)} 项：{shown}" + ("……" if len(items) > 2 else ""))
    if not section.lines:
        section.add("", EMPTY)
    return section


def _strengths(profile) -> PortraitSection:
    section = PortraitSection("专长与短板")
    for key, label in (("specialty", "专业特长"), ("expertise", "熟悉专业有何专长"), ("personality", "个性特点"),
                       ("weaknesses", "短板弱项")):
        section.add(label, _value(profile, key) or EMPTY)
    return section


def pools_section(members: list) -> PortraitSection:
    lines = [(m.pool_name, f"{m.level}（{format_date(m.joined_on)}入库）" + (f"，{m.note}" if m.note else ""))
             for m in members]
    return _capped(PortraitSection("专业干部库"), lines, "个库")


def daily_section(facts: PracticeFacts, today: _dt.date | None = None) -> PortraitSection:
    """政治体检, 谈心谈话, 关爱 and 包抓 in a few lines (the 画像 and the dossier)."""
    today = today or clock.today()
    section = PortraitSection("日常管理与关爱")
    if facts.checkups:
        shown = "；".join(f"{s.quarter_label}{s.result_label}" for s in facts.checkups[:4])
        open_issue = next((s for s in facts.checkups if s.result == "整改中"), None)
        section.add("政治体检", shown + (f"；整改中：{open_issue.findings}" if open_issue else ""))
    else:
        section.add("政治体检", EMPTY)
    year_ago = (today - _dt.timedelta(days=365)).strftime("%Y%m%d")
    recent = [t for t in facts.talks if t.date >= year_ago]
    if facts.talks:
        last = facts.talks[0]
        section.add("谈心谈话", f"近一年 {len(recent)} 次；最近 {format_date(last.date)} {last.talker}（{last.occasion}）")
    else:
        section.add("谈心谈话", EMPTY)
    if facts.care:
        kinds: dict[str, str] = {}
        for c in facts.care:
            kinds.setdefault(c.kind, c.date)
        section.add("关爱", "；".join(f"{kind} {format_date(date)}" for kind, date in kinds.items()))
    else:
        section.add("关爱", EMPTY)
    contact = facts.liaison
    section.add("包抓人", "　".join(t for t in (contact.contact_name, contact.contact_office, contact.contact_phone) if t)
                if contact is not None else EMPTY)
    return section


def _supervision(records: list) -> PortraitSection:
    lines = [(format_date(r.date), f"{r.kind}（{r.source}）：{r.matter}" + (f"；{r.outcome}" if r.outcome else ""))
             for r in records]
    return _capped(PortraitSection("提醒函询诫勉（限干部监督权限）"), lines)


def build(profile, unit_name: str, *, postings: list, pairs: list, records: list, behaviour: list,
          appraisals: list, facts: PracticeFacts, reviews: dict | None = None) -> Portrait:
    """The portrait from a profile and the records the capabilities keep of the cadre (``reviews``: posting
    id → its 期满鉴定)."""
    today = clock.today()
    position = _value(profile, "position")
    sections = [_postings(postings, reviews or {}), _mentors(pairs, profile.id), _grades(profile, appraisals),
                _records(records, behaviour), _strengths(profile), pools_section(facts.pools), daily_section(facts, today)]
    if facts.supervision is not None:
        sections.append(_supervision(facts.supervision))
    # 现任职务 usually names the unit already (云江市财政局副局长)
    subtitle = position if position and (not unit_name or unit_name[-4:] in position) else "　".join(
        t for t in (unit_name, position) if t)
    return Portrait(profile.id, profile.name, subtitle, _basics(profile, unit_name),
                    profile.photo, sections, clock.today_yyyymmdd())


def portrait(cadre_id: int, *, include_supervision: bool = False) -> Portrait:
    """One cadre's portrait, read with the operator's rights (READ on the cadre)."""
    from cadre_desk.appraisal import grading, records
    from cadre_desk.mentoring import mentoring
    from cadre_desk.postings import posting_review, postings
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    profile = cadres.get_profile(cadre_id)
    unit_name = units.full_names().get(profile.values.get("unit"), "")
    held = postings.postings_for_cadre(cadre_id)
    return build(profile, unit_name, postings=held, reviews=posting_review.reviews_for([p.id for p in held if p.finished]),
                 pairs=mentoring.pairs_for_cadre(cadre_id), records=records.list_records(cadre_id),
                 behaviour=records.list_behaviour_entries(cadre_id), appraisals=grading.results_for_cadre(cadre_id),
                 facts=practice_facts(cadre_id, include_supervision=include_supervision))
