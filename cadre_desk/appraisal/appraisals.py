"""考核鉴定: sheets for a group and a period — opened, members added and taken off, deleted, and read
for the scoring grid with the 优秀 share. The cells (scores, 评语) are written in
cadre_desk.appraisal.sheet_scores; 调整等次, 定稿 and 赛马式比选 ranking are in cadre_desk.appraisal.grading;
schemes in cadre_desk.appraisal.schemes, the arithmetic in cadre_desk.appraisal.scoring (pure functions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from peewee import fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.appraisal import records
from cadre_desk.appraisal.schemes import SchemeInfo, scheme_info, scheme_outside
from cadre_desk.appraisal.scoring import (
    EXCELLENT,
    excellent_quota,
)
from cadre_desk.domain import clock
from cadre_desk.domain.errors import NotFoundError, PermissionDenied, ValidationError
from cadre_desk.domain.periods import PeriodError, parse_period, period_beside, period_label, period_unit
from cadre_desk.domain.progress import NO_PROGRESS, Progress, in_steps
from cadre_desk.mentoring import mentoring
from cadre_desk.postings import posting_review
from cadre_desk.security import audit, conflicts
from cadre_desk.store.appraisal_models import (
    AppraisalScheme,
    AppraisalSheet,
    Score,
    SheetMember,
)
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.models import Cadre, Unit

GROUP_KINDS = ("单位", "一线", "岗位", "选定")
ENTITY = "考核表"  # as the audit log names a sheet


# ---- plain data ----------------------------------------------------------------------------------


@dataclass
class SheetInfo:
    id: int
    title: str
    period: str
    scheme_name: str
    finalized: bool
    scheme_id: int = 0
    year: int = 0
    group_kind: str = ""
    group_label: str = ""
    annual: bool = False
    members: int = 0
    version: int = 0
    finalized_at: str = ""
    finalized_by: str = ""
    hidden: int = 0  # members of units outside the operator's, neither counted in ``members`` nor shown
    group_ref: int | None = None  # the unit, line or post of a 单位 / 一线 / 岗位 group (赛马比选 runs on it)

    @property
    def whole(self) -> bool:
        """Does the operator see every member (so that the sheet as a whole is theirs to change)?"""
        return self.hidden == 0


@dataclass
class MemberRow:
    """One cadre's row of a sheet, with what the grid shows beside the scores."""

    cadre_id: int
    name: str
    unit_name: str
    position: str
    scores: dict[tuple[int, int], float | None]
    grade_override: str = ""
    override_reason: str = ""
    comment: str = ""
    positive: int = 0
    negative: int = 0
    mentor_rating: float | None = None
    posting_appraisal: str = ""
    final_total: float | None = None
    final_grade: str = ""


@dataclass(frozen=True)
class Quota:
    """The 优秀 share of a sheet: it binds the whole sheet, so members of units outside the operator's are
    counted too (never named)."""

    members: int  # every member of the sheet
    excellent: int  # 优秀 among them, as the grades stand now
    cap: float  # per cent
    others: int = 0  # of ``members``, those outside the operator's units
    others_excellent: int = 0  # of ``excellent``, theirs

    @property
    def limit(self) -> int:
        return excellent_quota(self.members, self.cap)

    @property
    def over(self) -> bool:
        return self.excellent > self.limit


@dataclass
class SheetData:
    sheet: SheetInfo
    scheme: SchemeInfo
    members: list[MemberRow]
    others_excellent: int = 0  # 优秀 among the ``sheet.hidden`` members the operator does not see

    def quota(self) -> Quota:
        """The 优秀 share of the whole sheet, with the shown members' grades as they stand (scores typed
        into the grid count at once) and the others' as loaded."""
        own = sum(1 for m in self.members if self.grade(m) == EXCELLENT)
        return Quota(len(self.members) + self.sheet.hidden, own + self.others_excellent,
                     self.scheme.excellent_cap, self.sheet.hidden, self.others_excellent)

    def total(self, member: MemberRow) -> float | None:
        if self.sheet.finalized and member.final_total is not None:
            return member.final_total
        return self.scheme.total(member.scores)

    def computed_grade(self, member: MemberRow) -> str:
        return self.scheme.grade(self.total(member))

    def grade(self, member: MemberRow) -> str:
        if self.sheet.finalized and member.final_grade:
            return member.final_grade
        return member.grade_override or self.computed_grade(member)


# ---- what the other capabilities add to a sheet ---------------------------------------------------


def mentor_ratings(cadre_ids) -> dict[int, float]:
    """The mentor's closing rating of each mentee (latest finished pair), where it exists."""
    wanted = set(cadre_ids)
    out: dict[int, tuple[str, float]] = {}
    for pair in mentoring.list_pairs():
        if pair.mentee_id in wanted and pair.mentor_rating is not None:
            key = pair.actual_end or pair.planned_end or ""
            if pair.mentee_id not in out or key >= out[pair.mentee_id][0]:
                out[pair.mentee_id] = (key, float(pair.mentor_rating))
    return {k: v for k, (_, v) in out.items()}


def posting_appraisals(cadre_ids) -> dict[int, str]:
    """The 期满鉴定 of each cadre's latest posting (等次 and the 组织部's opinion), where one exists."""
    wanted = set(cadre_ids)
    return posting_review.latest_opinions(sorted(wanted)) if wanted else {}


# ---- groups and sheets ---------------------------------------------------------------------------


def group_members(kind: str, ref: int | None = None, ids: list[int] | None = None) -> list[int]:
    """Cadre ids of a group: a unit (with its subtree, serving cadres), a line or post (cadres on an
    active posting there), or an explicit selection. A unit, line or post gives the cadres of the
    operator's units only: a clerk of one county was told 共 121 名干部 for 市直机关 and then refused."""
    return group_count(kind, ref, ids)[0]


def group_count(kind: str, ref: int | None = None, ids: list[int] | None = None) -> tuple[list[int], int]:
    """The group's members the operator may take (as ``group_members``) and how many others the group
    has outside the operator's units — a count only, so that the clerk is told some were left out and
    why, never who."""
    current = access_scope.current()
    if kind == "单位":
        unit = Unit.get_or_none(Unit.id == ref)
        if unit is None:
            raise ValidationError({"group": "请选择单位"})
        query = (Cadre.select(Cadre.id).join(Unit).where(Unit.path.startswith(unit.path), Cadre.status == "1")
                 .order_by(Cadre.unit, Cadre.id))
        # tuples: a top unit holds tens of thousands
        members = [cadre_id for (cadre_id,) in current.restrict(query, unit=Cadre.unit).tuples()]
        return members, (query.count() - len(members) if current.units is not None else 0)
    if kind in ("一线", "岗位"):
        if ref is None:
            raise ValidationError({"group": "请选择一线或岗位"})
        attr = "line_id" if kind == "一线" else "post_id"
        everyone = sorted({p.cadre_id for p in records.active_postings() if getattr(p, attr, None) == ref})
        members = current.allowed_ids(permissions.READ, everyone)
        return members, len(everyone) - len(members)
    if kind == "选定":
        return list(dict.fromkeys(ids or [])), 0
    raise ValidationError({"group": "请选择考核对象范围"})


def _period_year(period: str) -> int | None:
    match = re.match(r"^\s*(\d{4})", period or "")
    return int(match.group(1)) if match else None


def describe_sheet(row: AppraisalSheet, scheme_name: str | None = None, members: int | None = None,
                   hidden: int | None = None) -> SheetInfo:
    if scheme_name is None:
        scheme_name = AppraisalScheme.get_by_id(row.scheme_id).name
    if members is None or hidden is None:
        members, hidden = _member_counts([row.id]).get(row.id, (0, 0))
    return SheetInfo(row.id, row.title, row.period, scheme_name, row.finalized, row.scheme_id, row.year,
                     row.group_kind, row.group_label, row.annual, members, row.version, row.finalized_at,
                     row.finalized_by, hidden, row.group_ref)


def _member_counts(sheet_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """sheet id → (members the operator may see, members of other units), in two grouped queries."""
    query = SheetMember.select(SheetMember.sheet, fn.COUNT(SheetMember.id)).group_by(SheetMember.sheet)
    if sheet_ids is not None:
        query = query.where(SheetMember.sheet.in_(sheet_ids))
    totals = dict(query.tuples())
    seen = dict(access_scope.current().restrict(query, cadre=SheetMember.cadre).tuples())
    return {sheet: (seen.get(sheet, 0), total - seen.get(sheet, 0)) for sheet, total in totals.items()}


def list_sheets() -> list[SheetInfo]:
    """The sheets with at least one member the operator may read (all of them for an operator of every
    unit; none for 系统管理员 and 安全审计员)."""
    if not access_scope.current().permits(permissions.READ):
        return []
    counts = _member_counts()
    query = (AppraisalSheet.select(AppraisalSheet, AppraisalScheme.name.alias("scheme_name")).join(AppraisalScheme)
             .order_by(AppraisalSheet.year.desc(), AppraisalSheet.id.desc()))
    out = []
    for row in query.objects():
        seen, hidden = counts.get(row.id, (0, 0))
        if seen or not hidden:
            out.append(describe_sheet(row, row.scheme_name, seen, hidden))
    return out


def sheet_info(sheet_id: int) -> SheetInfo:
    """One sheet's header (refused to an operator who sees none of its members)."""
    access_scope.current().require(permissions.READ)
    info = describe_sheet(sheet_row(sheet_id))
    if info.hidden and not info.members:
        raise PermissionDenied("该考核表的干部都不在您负责的单位范围内。")
    return info


def sheet_row(sheet_id: int) -> AppraisalSheet:
    row = AppraisalSheet.get_or_none(AppraisalSheet.id == sheet_id)
    if row is None:
        raise NotFoundError("考核表不存在或已被删除。")
    return row


def writable_sheet(sheet_id: int) -> AppraisalSheet:
    row = sheet_row(sheet_id)
    if row.finalized:
        raise ValidationError({"sheet": f"考核表“{row.title}”已定稿，不能再修改。"})
    return row


MEMBERS_PER_STEP = 500  # members written between two reports of progress (and chances to 取消)


def create_sheet(title: str, period: str, scheme_id: int, cadre_ids: list[int], *, group_kind: str = "选定",
                 group_ref: int | None = None, group_label: str = "", annual: bool | None = None,
                 progress: Progress = NO_PROGRESS) -> SheetInfo:
    """Open a sheet for a group and a period. Members outside the scheme's scope are refused.
    ``progress`` is told of each step; a 取消 there leaves no sheet (one transaction)."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写考核表名称"
    try:  # a year, quarter, month or week, as clerks write it: 2025年度, 2025年第4季度, 2025.11 …
        period = parse_period(period)
    except PeriodError as exc:
        errors["period"] = f"考核期间：{exc}"
        period = ""
    else:
        if not period:
            errors["period"] = "请填写考核期间，如 2025年度、2025年第4季度、2025.11"
    year = _period_year(period)
    ids = list(dict.fromkeys(cadre_ids))
    if not ids:
        errors["members"] = "考核对象为空：所选范围内没有干部"
    scheme = AppraisalScheme.get_or_none(AppraisalScheme.id == scheme_id) if scheme_id else None
    if scheme is None:
        errors["scheme"] = "请选择考核方案"
    if annual and period and period_unit(period) != "year":  # a quarter's grade is no 年度考核结果
        errors["annual"] = (f"{period_label(period)}不是年度，其等次不能写入干部档案的年度考核结果；"
                            "只有年度（如 2025年度）的考核表可以写入")
    if errors:
        raise ValidationError(errors)
    info = scheme_info(scheme)
    with write_transaction():
        progress.report(0, len(ids), f"正在检查 {len(ids)} 名干部…")
        permissions.require(permissions.EDIT)
        require_each(permissions.EDIT, ids)
        found = dict(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(ids)).tuples())
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError({"members": f"有 {len(missing)} 名干部不存在或已被删除"})
        outside = [found[i] for i in scheme_outside(info, ids)]
        if outside:
            shown = "、".join(outside[:10]) + ("等" if len(outside) > 10 else "")
            raise ValidationError({"members": f"以下干部不在方案“{info.name}”的适用范围（{info.scope_text()}）："
                                              f"{shown}，请选择适用的方案"})
        if annual is None:
            annual = info.kind == "年度考核" and period_unit(period) == "year"
        stamp = clock.now_iso()
        sheet_id = AppraisalSheet.insert(title=title, period=period, year=year, scheme=scheme_id,
                                         group_kind=group_kind, group_ref=group_ref, group_label=group_label,
                                         annual=bool(annual), created_at=stamp, updated_at=stamp).execute()
        for start, step in in_steps(ids, MEMBERS_PER_STEP, progress, "正在创建考核表"):
            SheetMember.insert_many([{"sheet": sheet_id, "cadre": cadre_id, "seq": n}
                                     for n, cadre_id in enumerate(step, start)]).execute()
        said = "，".join(t for t in (period_beside(title, period), info.name, f"{len(ids)} 人") if t)
        audit.record(audit.CREATE, ENTITY, sheet_id, f"新建考核表“{title}”（{said}）")
        return describe_sheet(sheet_row(sheet_id))


def require_each(action: str, cadre_ids) -> None:
    """The operator's right for every cadre of a sheet: their units, and 回避 for their own and their
    relatives' grades (a sheet is refused whole, so that no grade is computed from a partial group).
    One query per 500 cadres."""
    access_scope.current().require_each(action, cadre_ids)


def members_of(sheet_id: int) -> list[int]:
    return [c for (c,) in SheetMember.select(SheetMember.cadre).where(SheetMember.sheet == sheet_id).tuples()]


def require_whole(sheet_id: int) -> None:
    """The right to the sheet as a whole (定稿, 删除): every member's. Members of units the operator may not
    read are counted, never named (Scope.unreadable)."""
    ids = members_of(sheet_id)
    outside = access_scope.current().unreadable(ids)
    if outside:
        raise PermissionDenied(f"考核表中有 {outside} 名干部不在您负责的单位范围内，只能由负责全部成员单位的人员定稿或删除。")
    require_each(permissions.EDIT, ids)


def add_members(sheet_id: int, cadre_ids: list[int], progress: Progress = NO_PROGRESS) -> int:
    """Add cadres to an open sheet (those already on it are skipped). Returns how many were added.
    ``progress`` is told of each step; a 取消 there adds nobody (one transaction)."""
    with write_transaction():
        progress.report(0, len(cadre_ids), f"正在检查 {len(cadre_ids)} 名干部…")
        permissions.require(permissions.EDIT)
        require_each(permissions.EDIT, cadre_ids)
        sheet = writable_sheet(sheet_id)
        scheme = scheme_info(AppraisalScheme.get_by_id(sheet.scheme_id))
        present = {m.cadre_id for m in SheetMember.select(SheetMember.cadre).where(SheetMember.sheet == sheet_id)}
        wanted = [i for i in dict.fromkeys(cadre_ids) if i not in present]
        names = dict(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(wanted or [0])).tuples())
        if len(names) != len(wanted):
            raise ValidationError({"members": "有干部不存在或已被删除"})
        outside = [names[i] for i in scheme_outside(scheme, wanted)]
        if outside:
            raise ValidationError({"members": f"以下干部不在方案“{scheme.name}”的适用范围：{'、'.join(outside[:10])}"})
        start = (SheetMember.select(fn.MAX(SheetMember.seq)).where(SheetMember.sheet == sheet_id).scalar() or 0) + 1
        if wanted:
            for first, step in in_steps(wanted, MEMBERS_PER_STEP, progress, "正在添加人员"):
                SheetMember.insert_many([{"sheet": sheet_id, "cadre": cadre_id, "seq": start + n}
                                         for n, cadre_id in enumerate(step, first)]).execute()
            audit.record(audit.UPDATE, ENTITY, sheet_id, f"考核表“{sheet.title}”增加 {len(wanted)} 人",
                         {"成员": [None, "、".join(names[i] for i in wanted)]})
        return len(wanted)


def remove_member(sheet_id: int, cadre_id: int, reason: str = "", before: MemberRow | None = None,
                  overwrite: bool = False) -> None:
    """Take a cadre (and their scores) off an open sheet. ``before``: the member's row as the clerk's grid
    showed it — when another saved a score, 评语 or 等次调整 of theirs since, it is refused (naming who and
    when) unless ``overwrite`` (the audit row says so); None: not checked."""
    with write_transaction():
        permissions.require(permissions.EDIT, cadre_id=cadre_id)
        sheet = writable_sheet(sheet_id)
        member = sheet_member(sheet_id, cadre_id)
        name = Cadre.get_by_id(cadre_id).name
        suffix = conflicts.check_delete(before is not None and _member_changed(before, member), overwrite, ENTITY,
                                        sheet_id, f"考核表“{sheet.title}”中 {name} 的评分、评语或等次调整", name)
        SheetMember.delete().where(SheetMember.id == member.id).execute()
        audit.record(audit.UPDATE, ENTITY, sheet_id, f"考核表“{sheet.title}”移出 {name}{suffix}",
                     {"成员": [name, None]}, reason=reason)


def _member_changed(before: MemberRow, member: SheetMember, stored: dict | None = None) -> bool:
    """Whether a member's scores (``stored``: (rater, dimension) → value, read here when None), 评语 or 等次调整
    as stored differ from their row as the grid showed it."""
    shown = {cell: value for cell, value in before.scores.items() if value is not None}
    if stored is None:
        stored = {(s.rater_id, s.dimension_id): s.value for s in Score.select().where(Score.member == member.id)}
    stored = {cell: value for cell, value in stored.items() if value is not None}
    return (shown != stored or (before.comment or "") != (member.comment or "")
            or (before.grade_override or "", before.override_reason or "")
            != (member.grade_override or "", member.override_reason or ""))


def delete_sheet(sheet_id: int, before: list[MemberRow] | None = None, overwrite: bool = False) -> None:
    """Delete an open sheet: only by an operator who may change every member's grades. ``before``: its
    members as the grid showed them — when another added or took off a member, or saved a score, 评语 or
    等次调整, since, refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not
    checked."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        require_whole(sheet_id)
        row = writable_sheet(sheet_id)
        changed = before is not None and _sheet_changed(sheet_id, before)
        suffix = conflicts.check_delete(changed, overwrite, ENTITY, sheet_id, f"考核表“{row.title}”")
        AppraisalSheet.delete().where(AppraisalSheet.id == sheet_id).execute()
        audit.record(audit.DELETE, ENTITY, sheet_id, f"删除未定稿的考核表“{row.title}”{suffix}")


def _sheet_changed(sheet_id: int, before: list[MemberRow]) -> bool:
    """Whether a sheet's members, or any member's scores, 评语 or 等次调整, differ from ``before`` (one read of
    the scores)."""
    members = list(SheetMember.select().where(SheetMember.sheet == sheet_id))
    shown = {m.cadre_id: m for m in before}
    if {m.cadre_id for m in members} != set(shown):
        return True
    stored: dict[int, dict] = {m.id: {} for m in members}
    for member_id, rater_id, dimension_id, value in (Score.select(Score.member, Score.rater, Score.dimension, Score.value)
                                                      .join(SheetMember).where(SheetMember.sheet == sheet_id).tuples()):
        stored[member_id][(rater_id, dimension_id)] = value
    return any(_member_changed(shown[m.cadre_id], m, stored[m.id]) for m in members)


def load_sheet(sheet_id: int, extras: bool = True) -> SheetData:
    """Everything the scoring grid shows, in one read (``extras``: the mentor's rating and the posting
    鉴定 from the other capabilities): the members the operator may read; ``sheet.hidden`` counts the
    others (members of other units), whose rows are neither shown nor changed."""
    return read_sheet(sheet_id, extras, everyone=False)


def read_sheet(sheet_id: int, extras: bool, everyone: bool) -> SheetData:
    """``everyone``: every member, for what the whole group decides (定稿, ranks, a member's own
    result); the caller has checked the operator's right to that."""
    row = sheet_row(sheet_id)
    current = access_scope.current()
    current.require(permissions.READ)
    # The driver's own rows (text, integers, reals and NULL as stored), not model instances: a sheet may
    # hold thousands of members and tens of thousands of cells.
    query = (SheetMember.select(SheetMember.id, SheetMember.cadre, Cadre.name, Unit.name, Cadre.position,
                                SheetMember.grade_override, SheetMember.override_reason, SheetMember.comment,
                                SheetMember.final_total, SheetMember.final_grade)
             .join(Cadre).join(Unit).where(SheetMember.sheet == sheet_id).order_by(SheetMember.seq))
    if not everyone:
        query = current.restrict(query, unit=Cadre.unit)
    members = database.execute(query).fetchall()
    hidden = 0 if everyone else SheetMember.select().where(SheetMember.sheet == sheet_id).count() - len(members)
    if members == [] and hidden:
        raise PermissionDenied("该考核表的干部都不在您负责的单位范围内。")
    scheme = scheme_info(AppraisalScheme.get_by_id(row.scheme_id))
    by_member: dict[int, dict[tuple[int, int], float | None]] = {m[0]: {} for m in members}
    others: dict[int, dict[tuple[int, int], float | None]] = {}  # the hidden members' cells: for the quota
    for member_id, rater_id, dimension_id, value in database.execute(
            Score.select(Score.member, Score.rater, Score.dimension, Score.value).join(SheetMember)
            .where(SheetMember.sheet == sheet_id)).fetchall():
        cells = by_member.get(member_id)
        if cells is None:
            cells = others.setdefault(member_id, {})
        cells[(rater_id, dimension_id)] = value
    ids = [m[1] for m in members]
    counts = records.behaviour_counts(ids)
    ratings = mentor_ratings(ids) if extras else {}
    appraisals = posting_appraisals(ids) if extras else {}
    rows = [MemberRow(cadre_id, name, unit_name, position, by_member[member_id], grade_override, override_reason,
                      comment, *counts.get(cadre_id, (0, 0)), ratings.get(cadre_id), appraisals.get(cadre_id, ""),
                      final_total, final_grade)
            for (member_id, cadre_id, name, unit_name, position, grade_override, override_reason, comment,
                 final_total, final_grade) in members]
    data = SheetData(describe_sheet(row, scheme.name, len(rows), hidden), scheme, rows)
    if hidden:  # the 优秀 share binds the whole sheet: the others' 优秀 are counted (grades only, no names)
        unseen = database.execute(
            SheetMember.select(SheetMember.id, SheetMember.grade_override, SheetMember.final_total,
                               SheetMember.final_grade)
            .where(SheetMember.sheet == sheet_id, SheetMember.id.not_in(list(by_member)))).fetchall()
        data.others_excellent = sum(
            1 for member_id, grade_override, final_total, final_grade in unseen
            if data.grade(MemberRow(0, "", "", "", others.get(member_id, {}), grade_override,
                                    final_total=final_total, final_grade=final_grade)) == EXCELLENT)
    return data


def sheet_member(sheet_id: int, cadre_id: int) -> SheetMember:
    member = SheetMember.get_or_none(SheetMember.sheet == sheet_id, SheetMember.cadre == cadre_id)
    if member is None:
        raise NotFoundError("该干部不在此考核表中。")
    return member


def on_cadre_delete(cadre_id: int) -> None:
    finalized = (SheetMember.select().join(AppraisalSheet)
                 .where(SheetMember.cadre == cadre_id, AppraisalSheet.finalized == True))  # noqa: E712
    if finalized.exists():
        raise ValidationError("该干部已有定稿的考核表，不能删除；如已离任，请将状态改为调出或退休。")
    SheetMember.delete().where(SheetMember.cadre == cadre_id).execute()


def check_sheets() -> list[str]:
    """Consistency: a finalized sheet's members all carry a final grade."""
    problems = []
    query = (SheetMember.select(SheetMember, AppraisalSheet.title.alias("title")).join(AppraisalSheet)
             .where(AppraisalSheet.finalized == True, SheetMember.final_grade == "").objects())  # noqa: E712
    for member in query.limit(20):
        problems.append(f"已定稿的考核表“{member.title}”中有成员缺少最终等次（干部编号 {member.cadre_id}）")
    return problems
