"""Everything a dossier or a 任免审批表 prints about one cadre, gathered in one place.

An empty capability section (no postings, no pairs…) is printed "无"."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from cadre_desk.appraisal import grading, records
from cadre_desk.domain import clock
from cadre_desk.domain.dates import age_at, format_date, format_period
from cadre_desk.domain.fields import BY_KEY, POSTING_REVIEW, RECORDS, RecordSpec, display_value
from cadre_desk.mentoring import meeting_logs, mentoring
from cadre_desk.portrait.portrait import PracticeFacts, practice_facts
from cadre_desk.postings import posting_review, postings
from cadre_desk.profiles import cadres
from cadre_desk.units import units


@dataclass
class DossierData:
    profile: cadres.CadreProfile
    unit_name: str
    postings: list = field(default_factory=list)  # PostingInfo
    reviews: dict[int, Any] = field(default_factory=dict)  # posting id → ReviewInfo (期满鉴定)
    pairs: list = field(default_factory=list)  # PairInfo
    pair_logs: dict[int, list] = field(default_factory=dict)  # pair id → MeetingLogInfo
    records: list = field(default_factory=list)  # RecordInfo
    behaviour: list = field(default_factory=list)  # BehaviourEntryInfo
    appraisals: list = field(default_factory=list)  # AppraisalResultInfo
    practices: PracticeFacts = field(default_factory=PracticeFacts)  # 政治体检, 专业干部库, 谈心关爱, 包抓

    @property
    def id(self) -> int:
        return self.profile.id

    @property
    def name(self) -> str:
        return self.profile.name

    def value(self, key: str) -> str:
        """A profile field as printed (codes as names, dates as 1985.10)."""
        if key == "unit":
            return self.unit_name
        return display_value(BY_KEY[key], self.profile.values.get(key))

    def raw(self, key: str) -> Any:
        return self.profile.values.get(key)

    def period(self) -> str:
        """The time the dossier covers: first posting's start to the last one's end; 「—」 without a posting
        (the appraisal years or this year, printed before, were no 起止时间 of anything)."""
        starts = [p.start for p in self.postings or [] if getattr(p, "start", "")]
        ends = [p.actual_end or p.planned_end for p in self.postings or []
                if getattr(p, "actual_end", "") or getattr(p, "planned_end", "")]
        if starts:
            end = max(ends) if ends else ""
            return format_period(min(starts), end)
        return "—"


def age_basis(profile: cadres.CadreProfile) -> _dt.date | str:
    basis = profile.values.get("age_basis_date") or ""
    return basis if len(str(basis)) >= 6 else clock.today()


def birth_with_age(profile: cadres.CadreProfile) -> str:
    birth = profile.values.get("birth") or ""
    if not birth:
        return ""
    age = age_at(birth, age_basis(profile))
    shown = display_value(BY_KEY["birth"], birth)  # a month (1980.07): the day only counts for the age
    return f"{shown}\n（{age}岁）" if age is not None else shown


def gather(cadre_id: int, unit_names: dict[int, str] | None = None) -> DossierData:
    profile = cadres.get_profile(cadre_id)
    names = unit_names if unit_names is not None else units.full_names()
    unit_id = profile.values.get("unit")
    data = DossierData(profile=profile, unit_name=names.get(unit_id, "") if unit_id else "")
    data.postings = list(postings.postings_for_cadre(cadre_id))
    data.reviews = posting_review.reviews_for([p.id for p in data.postings if p.finished])
    data.pairs = list(mentoring.pairs_for_cadre(cadre_id))
    for pair in data.pairs:
        data.pair_logs[pair.id] = list(meeting_logs.logs_for_pair(pair.id))
    data.records = list(records.list_records(cadre_id))
    data.behaviour = list(records.list_behaviour_entries(cadre_id))
    data.appraisals = list(grading.results_for_cadre(cadre_id))
    data.practices = practice_facts(cadre_id)  # never the 干部监督 records: printed nowhere by default
    return data


def family_age(member: cadres.FamilyItem, basis) -> str:
    """Age of a family member; none for the deceased (工作单位 says 已去世/已故)."""
    work = member.work or ""
    if "去世" in work or "已故" in work or "病故" in work:
        return ""
    age = age_at(member.birth or "", basis)
    return str(age) if age is not None else ""


def record_value(record: RecordSpec, item: Any, key: str) -> str:
    """A sub-record's field as printed (codes as names, dates as 1985.10)."""
    return display_value(record.field(key), getattr(item, key))


def text_fields(data: DossierData) -> list[tuple[str, object]]:
    """Every user string printed, as (where, text): what the glyph check looks at."""
    who = data.name or f"编号{data.id}"
    out: list[tuple[str, object]] = [(f"{who} · 单位", data.unit_name)]
    for spec in BY_KEY.values():
        if spec.kind in ("text", "longtext", "party", "date", "phone", "id_number"):
            out.append((f"{who} · {spec.label}", data.profile.values.get(spec.key)))
    for record in RECORDS:
        for i, item in enumerate(getattr(data.profile, record.key)):
            for spec in record.fields:
                if spec.kind in ("text", "longtext"):
                    out.append((f"{who} · {record.where(i)}{spec.label}", getattr(item, spec.key)))
    for posting in data.postings or []:
        label = f"{who} · 一线经历（{getattr(posting, 'post_name', '')}）"
        for attr in ("post_name", "line_name", "host", "daily_manager", "guide_name", "recall_reason",
                     "outcome"):
            out.append((label, getattr(posting, attr, "")))
        review = data.reviews.get(getattr(posting, "id", None))
        if review is not None:
            for spec in POSTING_REVIEW.fields:
                if spec.kind in ("text", "longtext"):
                    out.append((f"{label}{spec.label}", getattr(review, spec.key)))
    for pair in data.pairs or []:
        label = f"{who} · 导师帮带（{getattr(pair, 'mentor_name', '')}）"
        for attr in ("mentor_name", "focus", "goals", "end_reason", "mentor_comment", "mentee_comment"):
            out.append((label, getattr(pair, attr, "")))
        for log in data.pair_logs.get(pair.id, []):
            out.append((label + "谈话记录", f"{getattr(log, 'content', '')}{getattr(log, 'next_steps', '')}"))
    for record in data.records or []:
        out.append((f"{who} · 实绩档案（{record.kind} {record.period_label}）",
                    f"{record.content}{record.reviewer_comment or ''}"))
    for entry in data.behaviour or []:
        out.append((f"{who} · {entry.polarity}清单", f"{entry.item}{entry.source or ''}"
                    f"{entry.description or ''}{entry.recorder or ''}"))
    for result in data.appraisals or []:
        out.append((f"{who} · 考核（{result.sheet_title}）",
                    f"{result.sheet_title}{result.grade or ''}{result.comment or ''}"
                    + "".join(result.dimension_scores or {})))
    facts = data.practices
    for member in facts.pools:
        out.append((f"{who} · 专业干部库", f"{member.pool_name}{member.note}"))
    for sheet in facts.checkups:
        out.append((f"{who} · 政治体检（{sheet.quarter_label}）", f"{sheet.findings}{sheet.rectification}{sheet.checker}"))
    for talk in facts.talks:
        out.append((f"{who} · 谈心谈话（{format_date(talk.date)}）", f"{talk.talker}{talk.topics}{talk.follow_up}"))
    for care in facts.care:
        out.append((f"{who} · 关爱", care.content))
    if facts.liaison is not None:
        out.append((f"{who} · 包抓人", f"{facts.liaison.contact_name}{facts.liaison.contact_office}"))
    return out
