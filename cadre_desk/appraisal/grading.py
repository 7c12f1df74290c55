"""考核鉴定, the grades: 调整等次 (a grade other than the computed one, with its reason), 定稿 (complete
scores, the 优秀 share, then read-only and the 年度考核结果), 赛马式比选 ranking and a cadre's results over
every sheet. The sheets are in cadre_desk.appraisal.appraisals, the arithmetic in
cadre_desk.appraisal.scoring."""

from __future__ import annotations

from dataclasses import dataclass, field

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.appraisal.appraisals import (
    ENTITY,
    MemberRow,
    SheetData,
    SheetInfo,
    describe_sheet,
    members_of,
    read_sheet,
    require_each,
    require_whole,
    sheet_member,
    sheet_row,
    writable_sheet,
)
from cadre_desk.appraisal.schemes import scheme_info
from cadre_desk.appraisal.scoring import competition_ranks, quota_message
from cadre_desk.domain import clock, codes
from cadre_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.appraisal_models import AppraisalScheme, AppraisalSheet, SheetMember
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import AnnualAssessment, Cadre

SOURCE = "考核鉴定"


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    cadre_id: int
    name: str
    unit_name: str
    total: float | None
    grade: str
    positive: int = 0
    negative: int = 0
    dimension_scores: dict[str, float] = field(default_factory=dict)  # 德 → 92.5 (raters weighted)


@dataclass(frozen=True)
class AppraisalResultInfo:
    sheet_id: int
    sheet_title: str
    period: str
    scheme_name: str
    dimension_scores: dict[str, float]
    total: float | None
    grade: str
    comment: str
    finalized: bool


def set_override(sheet_id: int, cadre_id: int, grade: str, reason: str,
                 before: tuple[str, str] | None = None) -> None:
    """调整等次: a grade other than the computed one, with a written reason. '' restores the computed grade.
    ``before``: (grade, reason) as the clerk saw them — when another saved others since, it is refused (a
    ConflictError naming who and when); None: not checked."""
    with write_transaction():
        permissions.require(permissions.EDIT, cadre_id=cadre_id)
        sheet = writable_sheet(sheet_id)
        member = sheet_member(sheet_id, cadre_id)
        scheme = scheme_info(AppraisalScheme.get_by_id(sheet.scheme_id))
        grade = (grade or "").strip()
        reason = (reason or "").strip()
        if grade and grade not in scheme.grades:
            raise ValidationError({"grade": f"等次应为：{'、'.join(scheme.grades)}"})
        if grade and len(reason) < 4:
            raise ValidationError({"reason": "调整等次必须填写书面理由（至少 4 个字）"})
        name = Cadre.get_by_id(cadre_id).name
        if before is not None and tuple(before) != (member.grade_override, member.override_reason):
            raise conflicts.stale(ENTITY, sheet_id, f"考核表“{sheet.title}”中 {name} 的等次调整", f"{name}·等次")
        SheetMember.update(grade_override=grade, override_reason=reason if grade else "").where(
            SheetMember.id == member.id).execute()
        audit.record(audit.UPDATE, ENTITY, sheet_id,
                     f"调整等次：{sheet.title} {name} → {grade or '按分数'}",
                     {f"{name}·等次": [member.grade_override or "按分数", grade or "按分数"]}, reason=reason)


def check_finalize(sheet_id: int) -> list[str]:
    """Why the sheet cannot be finalized yet (empty list when it can)."""
    require_each(permissions.READ, members_of(sheet_id))
    return finalize_problems(read_sheet(sheet_id, extras=False, everyone=True))


def finalize_problems(data: SheetData) -> list[str]:
    """check_finalize on a sheet already loaded (the window has it: no second read)."""
    problems = []
    if data.sheet.finalized:
        return [f"考核表“{data.sheet.title}”已定稿。"]
    if data.sheet.hidden:
        return [f"考核表中有 {data.sheet.hidden} 名干部不在您负责的单位范围内，只能由负责全部成员单位的人员定稿。"]
    missing = [m.name for m in data.members if data.total(m) is None]
    if missing:
        problems.append(f"还有 {len(missing)} 人评分不完整：{'、'.join(missing[:8])}{'等' if len(missing) > 8 else ''}")
    quota = data.quota()
    message = quota_message(quota.excellent, quota.members, quota.cap)
    if message:
        problems.append(message)
    return problems


def finalize(sheet_id: int, version: int | None = None) -> SheetInfo:
    """定稿: complete scores, 优秀 within the share; then read-only, and for an annual sheet each grade
    goes into the cadre's 年度考核结果 (source 考核鉴定)."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        require_whole(sheet_id)
        sheet = writable_sheet(sheet_id)
        if version is not None and sheet.version != version:
            raise ConflictError()
        data = read_sheet(sheet_id, extras=False, everyone=True)
        problems = finalize_problems(data)
        if problems:
            raise ValidationError({"sheet": "；".join(problems)})
        assessment = codes.table("ASSESSMENT")
        for member in data.members:
            total, grade = data.total(member), data.grade(member)
            SheetMember.update(final_total=total, final_grade=grade).where(
                SheetMember.sheet == sheet_id, SheetMember.cadre == member.cadre_id).execute()
            if sheet.annual:
                code = assessment.code(grade)
                remark = f"{sheet.title}（{total:.2f} 分）"[:200]
                old = AnnualAssessment.get_or_none(AnnualAssessment.cadre == member.cadre_id,
                                                   AnnualAssessment.year == sheet.year)
                if old is None:
                    AnnualAssessment.insert(cadre=member.cadre_id, year=sheet.year, result=code, remark=remark,
                                            source=SOURCE).execute()
                else:
                    AnnualAssessment.update(result=code, remark=remark, source=SOURCE).where(
                        AnnualAssessment.id == old.id).execute()
                    if old.result != code:
                        audit.record(audit.UPDATE, "干部", member.cadre_id,
                                     f"{member.name} {sheet.year} 年度考核结果由考核鉴定更新",
                                     {"年度考核": [assessment.name(old.result), grade]})
                # The profile changed: a copy of it opened before must not be saved over this.
                Cadre.update(version=Cadre.version + 1, updated_at=clock.now_iso()).where(
                    Cadre.id == member.cadre_id).execute()
        stamp = clock.now_iso()
        AppraisalSheet.update(finalized=True, finalized_at=stamp, finalized_by=acting_name(),
                              version=AppraisalSheet.version + 1, updated_at=stamp).where(
            AppraisalSheet.id == sheet_id).execute()
        grades = {}
        for member in data.members:
            grade = data.grade(member)
            grades[grade] = grades.get(grade, 0) + 1
        audit.record(audit.UPDATE, ENTITY, sheet_id, f"定稿考核表“{sheet.title}”",
                     {"等次分布": [None, "、".join(f"{g}{n}人" for g, n in grades.items())]})
        return describe_sheet(sheet_row(sheet_id))


def ranking(sheet_id: int) -> list[RankRow]:
    """赛马式比选: members by total, highest first; equal totals share a rank (1, 2, 2, 4). Ranks are
    over the whole group; the rows are those of the members the operator may read."""
    return group_ranking(sheet_id)[0]


def group_ranking(sheet_id: int) -> tuple[list[RankRow], int]:
    """``ranking`` and how many the ranks are over (every member of the sheet, seen or not)."""
    data = read_sheet(sheet_id, extras=False, everyone=True)
    current = access_scope.current()
    seen = set(current.allowed_ids(permissions.READ, [m.cadre_id for m in data.members]))
    if data.members and not seen:
        raise PermissionDenied("该考核表的干部都不在您负责的单位范围内。")
    totals = [data.total(m) for m in data.members]
    ranks = competition_ranks(totals)
    rows = [RankRow(rank, m.cadre_id, m.name, m.unit_name, total, data.grade(m), m.positive, m.negative,
                    _dimension_scores(data, m))
            for rank, m, total in zip(ranks, data.members, totals, strict=True) if m.cadre_id in seen]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return rows, len(data.members)


def _dimension_scores(data: SheetData, member: MemberRow) -> dict[str, float]:
    """A member's score per dimension, the raters weighted (only dimensions every rater has scored)."""
    out = {}
    for dim in data.scheme.dimensions:
        values = [(r.weight, member.scores.get((r.id, dim.id))) for r in data.scheme.raters]
        if all(v is not None for _, v in values):
            out[dim.name] = round(sum(w * v for w, v in values) / 100, 2)
    return out


def results_for_cadre(cadre_id: int) -> list[AppraisalResultInfo]:
    """A cadre's appraisal results over every sheet, newest first."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise NotFoundError("该干部不存在或已被删除。")
    permissions.require(permissions.READ, unit_id=cadre.unit_id, cadre_id=cadre_id)
    out = []
    query = (SheetMember.select(SheetMember.sheet).join(AppraisalSheet).where(SheetMember.cadre == cadre_id)
             .order_by(AppraisalSheet.year.desc(), AppraisalSheet.id.desc()))
    for membership in query:
        data = read_sheet(membership.sheet_id, extras=False, everyone=True)
        member = next(m for m in data.members if m.cadre_id == cadre_id)
        dimension_scores = _dimension_scores(data, member)
        out.append(AppraisalResultInfo(data.sheet.id, data.sheet.title, data.sheet.period, data.scheme.name,
                                       dimension_scores, data.total(member), data.grade(member), member.comment,
                                       data.sheet.finalized))
    return out
