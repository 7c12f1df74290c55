"""考核鉴定, the cells of an open sheet: the scores per rater per dimension and each member's 评语, as the
scoring grid saves them. The sheets themselves are in cadre_desk.appraisal.appraisals, 调整等次 and 定稿 in
cadre_desk.appraisal.grading."""

from __future__ import annotations

from dataclasses import dataclass

from cadre_desk.access import permissions
from cadre_desk.appraisal.appraisals import ENTITY, require_each, sheet_member, writable_sheet
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.security import audit, conflicts
from cadre_desk.store.appraisal_models import SchemeDimension, SchemeRater, Score, SheetMember
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre

UNREAD = "unread"  # a cell written without saying what it held (a demo, an import): not checked


@dataclass
class ScoreChange:
    """One score cell to write. ``before``: the value the clerk saw in it (None: empty) — when another
    saved a different one since, the write is refused (a ConflictError) and nothing of the batch is
    written; UNREAD: not checked."""

    cadre_id: int
    rater_id: int
    dimension_id: int
    value: float | None  # None clears the cell
    before: float | None | str = UNREAD


def _check_score(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"score": f"分数“{value}”不是数字"}) from None
    if not 0 <= number <= 100:
        raise ValidationError({"score": f"分数应在 0–100 之间（输入了 {number:g}）"})
    return round(number, 2)


def set_scores(sheet_id: int, changes: list[ScoreChange]) -> None:
    """Write score cells (None clears one). The whole batch is one transaction and one audit row."""
    with write_transaction():
        permissions.require(permissions.EDIT)
        require_each(permissions.EDIT, (change.cadre_id for change in changes))
        sheet = writable_sheet(sheet_id)
        raters = {r.id: r.name for r in SchemeRater.select().where(SchemeRater.scheme == sheet.scheme_id)}
        dims = {d.id: d.name for d in SchemeDimension.select().where(SchemeDimension.scheme == sheet.scheme_id)}
        audit_changes: dict[str, list] = {}
        members = {m.cadre_id: (m.id, m.name) for m in SheetMember.select(SheetMember.id, SheetMember.cadre,
                                                                            Cadre.name)
                   .join(Cadre).where(SheetMember.sheet == sheet_id).objects()}
        existing = {(s.member_id, s.rater_id, s.dimension_id): (s.id, s.value)
                    for s in Score.select().join(SheetMember).where(SheetMember.sheet == sheet_id)}
        inserts = []
        for change in changes:
            value = _check_score(change.value)
            if change.rater_id not in raters or change.dimension_id not in dims:
                raise ValidationError({"score": "评价主体或维度不属于本考核表的方案"})
            if change.cadre_id not in members:
                raise NotFoundError("该干部不在此考核表中。")
            member_id, name = members[change.cadre_id]
            key = (member_id, change.rater_id, change.dimension_id)
            score_id, old_value = existing.get(key, (None, None))
            cell = f"{name}·{raters[change.rater_id]}·{dims[change.dimension_id]}"
            if change.before != UNREAD and change.before != old_value:
                raise conflicts.stale(ENTITY, sheet_id, f"考核表“{sheet.title}”中 {cell} 的评分", cell)
            if old_value == value:
                continue
            if value is None:
                Score.delete().where(Score.id == score_id).execute()
                existing.pop(key, None)
            elif score_id is None:
                inserts.append({"member": member_id, "rater": change.rater_id, "dimension": change.dimension_id,
                                "value": value})
                existing[key] = (-1, value)
            else:
                Score.update(value=value).where(Score.id == score_id).execute()
                existing[key] = (score_id, value)
            audit_changes[cell] = [old_value, value]
        for start in range(0, len(inserts), 200):
            Score.insert_many(inserts[start:start + 200]).execute()
        if audit_changes:
            audit.record(audit.UPDATE, ENTITY, sheet_id, f"录入评分：{sheet.title}（{len(audit_changes)} 项）",
                         audit_changes)


def set_comment(sheet_id: int, cadre_id: int, comment: str, before: str | None = None) -> None:
    """A member's 评语. ``before``: the 评语 the clerk saw — when another saved a different one since, it
    is refused (a ConflictError naming who and when); None: not checked."""
    with write_transaction():
        permissions.require(permissions.EDIT, cadre_id=cadre_id)
        sheet = writable_sheet(sheet_id)
        member = sheet_member(sheet_id, cadre_id)
        comment = (comment or "").strip()
        key = f"{Cadre.get_by_id(cadre_id).name}·评语"
        if before is not None and before != member.comment:
            raise conflicts.stale(ENTITY, sheet_id, f"考核表“{sheet.title}”中 {key}", key)
        if comment != member.comment:
            SheetMember.update(comment=comment).where(SheetMember.id == member.id).execute()
            audit.record(audit.UPDATE, ENTITY, sheet_id, f"修改评语：{sheet.title}", {key: [member.comment, comment]})
