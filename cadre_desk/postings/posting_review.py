"""期满鉴定: a posting's end as the practice has it — a 等次, the dated and signed opinions of the 派出单位
(home unit), the 锻炼单位 (host unit) and the 组织部, and the outcome (提拔使用, 晋升职级, 返回原单位, 其他)
with what it led to in the cadre's profile.

How the outcome is linked to the profile: when the clerk asks for it (``write_profile``), the result —
新任职务 and 任职时间 (提拔使用), 职务层次/职级 (提拔使用 or 晋升职级), a 简历 line — is written into the
profile through ``profiles.cadres.save_profile`` (the profile's own checks; its audit row gives the
posting as the reason; the open 简历 line is closed at the new line's start so the 简历 joins up). The
review keeps what was written and when (``result_*``, ``result_recorded_at``): the posting page and the
dossier show the result with "已记入干部档案"; the profile's 一线经历 tab shows the posting's 等次,
outcome and result (``posting_data.outcome_text``).

Rules, whatever the caller: 期满 needs a 等次, an outcome and at least one opinion; an opinion needs its
signer and date (a day, not in the future, not before the posting's start); 其他 needs a 结果说明;
changing what is already recorded (a 等次, an opinion, the outcome, a result) needs a reason, filling
in what was blank does not; a result is written into the profile once. Every change writes one audit
row; every read is limited to the cadres of the operator's units."""

from __future__ import annotations

import dataclasses

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, check_date, format_date, format_moment, format_period, month_index
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.domain.fields import POSTING, POSTING_REVIEW, ResumeItem, display_value
from cadre_desk.postings.posting_data import (
    COMPLETED,
    E_POSTING,
    ON_POST,
    OPINION_SIDES,
    OTHER_OUTCOME,
    OUTCOMES,
    PROFILE_OUTCOMES,
    PROMOTED,
    RANK_RAISED,
    REVIEW_GRADES,
    PostingInfo,
    ReviewInfo,
)
from cadre_desk.postings.postings import get_posting, load_for_change
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting, PostingReview

OPINION_KEYS = tuple(f"{side}_{part}" for side, _who in OPINION_SIDES for part in ("opinion", "signer", "date"))
RESULT_KEYS = ("result_position", "result_rank", "result_date", "result_resume", "result_note")
REVIEW_KEYS = ("grade", *OPINION_KEYS, *RESULT_KEYS)
_CHUNK = 500
_label = POSTING_REVIEW.label_of


# ---- reading -------------------------------------------------------------------------------------

def _info(row: PostingReview | None, posting_id: int) -> ReviewInfo:
    if row is None:
        return ReviewInfo(posting_id=posting_id)
    return ReviewInfo(posting_id=posting_id, version=row.version, result_recorded_at=row.result_recorded_at,
                      **{key: getattr(row, key) for key in REVIEW_KEYS})


def get_review(posting_id: int) -> ReviewInfo:
    """The 期满鉴定 of one posting (an empty one, version 0, when none is recorded)."""
    row = Posting.get_or_none(Posting.id == posting_id)
    if row is None:
        raise NotFoundError("该选派记录不存在或已被删除。")
    unit_id = Cadre.select(Cadre.unit).where(Cadre.id == row.cadre_id).scalar()
    access_scope.current().require(permissions.READ, unit_id=unit_id, cadre_id=row.cadre_id)
    return _info(PostingReview.get_or_none(PostingReview.posting == posting_id), posting_id)


def reviews_for(posting_ids) -> dict[int, ReviewInfo]:
    """posting id → its 期满鉴定, for those of ``posting_ids`` that have one and whose cadre the operator
    may read (a roster or a dossier of many cadres: one query per 500 postings)."""
    current = access_scope.current()
    if current.role_refusal(permissions.READ):
        return {}
    ids = list(dict.fromkeys(posting_ids))
    out: dict[int, ReviewInfo] = {}
    for i in range(0, len(ids), _CHUNK):
        query = (PostingReview.select(PostingReview).join(Posting, on=(PostingReview.posting == Posting.id))
                 .join(Cadre, on=(Posting.cadre == Cadre.id))
                 .where(PostingReview.posting.in_(ids[i:i + _CHUNK])))
        for row in current.restrict(query, unit=Cadre.unit):
            out[row.posting_id] = _info(row, row.posting_id)
    return out


def latest_opinions(cadre_ids) -> dict[int, str]:
    """cadre id → the 期满鉴定 of the cadre's latest finished posting that has one, in a line
    ("称职。" then the 组织部意见, else the 锻炼单位's, else the 派出单位's); for the given cadres only,
    those in the operator's units."""
    current = access_scope.current()
    if current.role_refusal(permissions.READ):
        return {}
    ids = list(dict.fromkeys(cadre_ids))
    rows = []
    for i in range(0, len(ids), _CHUNK):
        query = (Posting.select(Posting.cadre, Posting.actual_end, Posting.planned_end, Posting.start, Posting.id,
                                PostingReview.grade, PostingReview.org_opinion, PostingReview.host_opinion,
                                PostingReview.home_opinion)
                 .join(PostingReview, on=(PostingReview.posting == Posting.id))
                 .switch(Posting).join(Cadre, on=(Posting.cadre == Cadre.id))
                 .where(Posting.cadre.in_(ids[i:i + _CHUNK])))
        rows.extend(current.restrict(query, unit=Cadre.unit).tuples())
    rows.sort(key=lambda r: (r[1] or r[2] or r[3] or "", r[3], r[4]))  # the latest wins below
    out: dict[int, str] = {}
    for cadre_id, _end, _planned, _start, _id, grade, *opinions in rows:
        opinion = next((o.strip() for o in opinions if (o or "").strip()), "")
        text = "。".join(x for x in (grade, opinion) if x)
        if text:
            out[cadre_id] = text
    return out


def printable_reviews(posting_ids) -> list[tuple[PostingInfo, ReviewInfo]]:
    """The 期满鉴定 of the 期满 postings among ``posting_ids``, in that order, for the 一线锻炼鉴定表: refused
    (PermissionDenied naming them) unless the operator may print each cadre's record (units, 回避). The
    others (拟选派, 在岗, 提前召回) have no 鉴定 and are left out; none 期满: ValidationError."""
    ids = list(dict.fromkeys(int(i) for i in posting_ids))
    current = access_scope.current()
    current.require(permissions.PRINT)
    ended = [p for p in (get_posting(i) for i in ids) if p.state == COMPLETED]  # READ on each
    if not ended:
        raise ValidationError({"ids": "所选选派记录都未期满：期满鉴定在期满结束时填写，期满后才能打印鉴定表。"})
    current.require_each(permissions.PRINT, [p.cadre_id for p in ended])
    reviews = reviews_for([p.id for p in ended])
    return [(p, reviews.get(p.id) or ReviewInfo(posting_id=p.id)) for p in ended]


# ---- checking ------------------------------------------------------------------------------------

def _clean(review: ReviewInfo, posting: Posting, outcome: str, errors: dict[str, str],
           before: dict[str, str] | None = None) -> dict[str, str]:
    """The review's values as stored, every problem at its field. An opinion kept as it was recorded
    without signer and date (an old single 鉴定 migrated into the 组织部意见) need not get them now."""
    values: dict[str, str] = {}
    today = clock.today_yyyymmdd()
    start = as_day(posting.start)
    grade = (review.grade or "").strip()
    if grade not in REVIEW_GRADES:
        errors["grade"] = f"请选择{_label('grade')}：{'、'.join(REVIEW_GRADES)}"
    values["grade"] = grade
    for side, _who in OPINION_SIDES:
        text_key, signer_key, date_key = f"{side}_opinion", f"{side}_signer", f"{side}_date"
        text = (getattr(review, text_key) or "").strip()
        signer = (getattr(review, signer_key) or "").strip()
        day = check_date(getattr(review, date_key), _label(date_key), errors, date_key, precision="day")
        kept_unsigned = (before is not None and text == (before.get(text_key) or "").strip()
                         and not signer and not day and date_key not in errors
                         and not before.get(signer_key) and not before.get(date_key))
        if (text or signer or day or date_key in errors) and not kept_unsigned:
            if not text:
                errors[text_key] = f"已填写签署人或日期，请填写{_label(text_key)}"
            if not signer:
                errors[signer_key] = f"请填写{_label(signer_key)}"
            if not day and date_key not in errors:
                errors[date_key] = f"请填写{_label(date_key)}"
        if len(signer) > 40:
            errors[signer_key] = f"{_label(signer_key)}最多 40 个字"
        if day and day > today:
            errors[date_key] = f"{_label(date_key)}不能晚于今天"
        elif day and day < start:
            errors[date_key] = f"{_label(date_key)}不能早于锻炼开始时间 {format_date(posting.start)}"
        values.update({text_key: text, signer_key: signer, date_key: day})
    if not any(values[f"{side}_opinion"] for side, _who in OPINION_SIDES) and not any(
            f"{side}_opinion" in errors for side, _who in OPINION_SIDES):
        errors[""] = "请至少填写一方鉴定意见（派出单位、锻炼单位或组织部），并写明签署人和日期"
    if outcome not in OUTCOMES:
        errors["outcome"] = f"请选择{POSTING.label_of('outcome')}：{'、'.join(OUTCOMES)}"
    position = (review.result_position or "").strip()
    rank = (review.result_rank or "").strip()
    if rank and codes.table("RANK").name(rank) == rank:
        errors["result_rank"] = f"{_label('result_rank')}不在职务层次/职级代码表中"
    day = check_date(review.result_date, _label("result_date"), errors, "result_date")
    if day and as_day(day)[:len(day)] > today[:len(day)]:
        errors["result_date"] = f"{_label('result_date')}不能晚于今天"
    elif day and as_day(day) < start:
        errors["result_date"] = f"{_label('result_date')}不能早于锻炼开始时间 {format_date(posting.start)}"
    resume = (review.result_resume or "").strip()
    note = (review.result_note or "").strip()
    for key, text, limit in (("result_position", position, 324), ("result_resume", resume, 324),
                             ("result_note", note, 500)):
        if len(text) > limit:
            errors[key] = f"{_label(key)}最多 {limit} 个字"
    if outcome == OTHER_OUTCOME and not note:
        errors["result_note"] = f"锻炼结果为“其他”时，请在{_label('result_note')}中写明"
    values.update(result_position=position, result_rank=rank, result_date=day, result_resume=resume,
                  result_note=note)
    return values


def _check_result(outcome: str, values: dict[str, str], errors: dict[str, str]) -> None:
    """What writing the result into the profile needs; a 提拔使用 without its own 简历 line gets the new post's
    (kept in the 期满鉴定 as written)."""
    if outcome not in PROFILE_OUTCOMES:
        errors["write_profile"] = f"只有“{PROMOTED}”“{RANK_RAISED}”的结果记入干部档案"
        return
    if outcome == PROMOTED and not values["result_position"]:
        errors["result_position"] = f"记入干部档案须填写{_label('result_position')}"
    if outcome == PROMOTED and not values["result_resume"]:
        values["result_resume"] = values["result_position"]  # the 简历 line left blank: the new post, as the box says
    if outcome == RANK_RAISED and not values["result_rank"]:
        errors["result_rank"] = f"记入干部档案须填写{_label('result_rank')}"
    if not values["result_date"] and "result_date" not in errors:
        errors["result_date"] = f"记入干部档案须填写{_label('result_date')}"


def _shown(key: str, value: str) -> str:
    return display_value(POSTING_REVIEW.field(key), value)


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list]:
    """The audit's {label: [old, new]} of what changed, values as the screens show them."""
    return {_label(key): [_shown(key, before.get(key, "")) or None, _shown(key, value) or None]
            for key, value in after.items() if (before.get(key) or "") != (value or "")}


# ---- changing ------------------------------------------------------------------------------------

def finish_posting(posting_id: int, version: int, actual_end, review: ReviewInfo, outcome: str, *,
                   write_profile: bool = False) -> PostingInfo:
    """期满结束: 在岗 → 期满, with its 期满鉴定 and outcome (and, when asked, the result written into the
    profile), in one transaction."""
    with write_transaction():
        row = load_for_change(posting_id, version)
        if row.state != ON_POST:
            raise ValidationError(f"只有“{ON_POST}”的记录可以期满结束，当前状态为“{row.state}”")
        errors: dict[str, str] = {}
        end = check_date(actual_end, POSTING.label_of("actual_end"), errors, "actual_end", required=True)
        if end and as_day(end) < as_day(row.start):
            errors["actual_end"] = "实际结束时间不能早于开始时间"
        elif end and end[:len(clock.today_yyyymmdd())] > clock.today_yyyymmdd()[:len(end)]:
            errors["actual_end"] = "实际结束时间不能晚于今天"
        values = _clean(review, row, outcome, errors)
        if write_profile:
            _check_result(outcome, values, errors)
        if errors:
            raise ValidationError(errors)
        stamp = clock.now_iso()
        existing = PostingReview.get_or_none(PostingReview.posting == row.id)  # none while 在岗, as a rule
        before = {key: getattr(existing, key) for key in REVIEW_KEYS} if existing else {}
        review_id = _write_review(row, existing, values, values, stamp)
        _update_posting(row, {"state": COMPLETED, "actual_end": end, "outcome": outcome}, stamp)
        name = Cadre.get_by_id(row.cadre_id).name
        label = POSTING.label_of
        changes = {label("state"): [row.state, COMPLETED], label("actual_end"): [None, format_date(end)],
                   label("outcome"): [None, outcome], **_changes(before, values)}
        audit.record(audit.UPDATE, E_POSTING, row.id, f"{name} 锻炼期满：{values['grade']}，{outcome}", changes)
        if write_profile:
            _write_result(Posting.get_by_id(row.id), outcome, values, review_id, name)
    return get_posting(posting_id)


def save_review(posting_id: int, version: int, review: ReviewInfo, outcome: str, *, reason: str = "",
                write_profile: bool = False) -> PostingInfo:
    """Fill in or correct the 期满鉴定 of a 期满 posting (opinions arriving later, the outcome decided
    later). Changing what is already recorded needs ``reason``; blanks filled in do not."""
    with write_transaction():
        row = load_for_change(posting_id, version)
        if row.state != COMPLETED:
            raise ValidationError(f"只有“{COMPLETED}”的选派记录有期满鉴定，当前状态为“{row.state}”")
        existing = PostingReview.get_or_none(PostingReview.posting == row.id)
        before = {key: getattr(existing, key) for key in REVIEW_KEYS} if existing else dict.fromkeys(REVIEW_KEYS, "")
        errors: dict[str, str] = {}
        values = _clean(review, row, outcome, errors, before)
        if write_profile:
            _check_result(outcome, values, errors)
            if existing is not None and existing.result_recorded_at:
                errors["write_profile"] = (f"锻炼结果已于 {format_moment(existing.result_recorded_at)} 记入干部档案，"
                                           "如需改动请在干部档案中修改")
        if errors:
            raise ValidationError(errors)
        changed = {key: value for key, value in values.items() if (before[key] or "") != value}
        outcome_changed = outcome != row.outcome
        if not changed and not outcome_changed and not write_profile:
            raise ValidationError("没有修改任何内容")
        overwritten = [_label(key) for key in changed if before[key]]
        if outcome_changed and row.outcome:
            overwritten.append(POSTING.label_of("outcome"))
        reason = (reason or "").strip()
        if overwritten and not reason:
            raise ValidationError({"reason": f"修改已记录的{'、'.join(overwritten)}，须填写更正原因"})
        stamp = clock.now_iso()
        review_id = _write_review(row, existing, values, changed, stamp)
        _update_posting(row, {"outcome": outcome} if outcome_changed else {}, stamp)
        name = Cadre.get_by_id(row.cadre_id).name
        changes = _changes(before, changed)
        if outcome_changed:
            changes[POSTING.label_of("outcome")] = [row.outcome or None, outcome]
        if changes:
            audit.record(audit.UPDATE, E_POSTING, row.id, f"{name} 期满鉴定", changes, reason=reason)
        if write_profile:
            _write_result(row, outcome, values, review_id, name)
    return get_posting(posting_id)


def _write_review(row: Posting, existing: PostingReview | None, values: dict, changed: dict, stamp: str) -> int:
    """The posting's 期满鉴定 row: made with ``values`` when there is none, else ``changed`` written to it
    (its version moved on); its id."""
    if existing is None:
        return PostingReview.insert(posting=row.id, created_at=stamp, updated_at=stamp, **values).execute()
    PostingReview.update(**changed, version=PostingReview.version + 1, updated_at=stamp).where(
        PostingReview.id == existing.id).execute()
    return existing.id


def _update_posting(row: Posting, values: dict, stamp: str) -> None:
    """The posting's own columns, its version moved on (a review's change is a change of the posting)."""
    changed = (Posting.update(**values, updated_at=stamp, version=Posting.version + 1)
               .where(Posting.id == row.id, Posting.version == row.version).execute())
    if not changed:
        raise ConflictError()


def _write_result(row: Posting, outcome: str, values: dict[str, str], review_id: int, name: str) -> None:
    """The outcome's result into the profile: 现任职务 and 任现职时间 (提拔使用), 职务层次/职级 and 任职级时间,
    and a 简历 line (the open line closed where it starts)."""
    post = Post.get_by_id(row.post_id)
    line = FrontlineLine.get_by_id(post.line_id)
    profile = cadres.get_profile(row.cadre_id)
    day = values["result_date"]
    if outcome == PROMOTED:
        profile.values["position"] = values["result_position"]
        profile.values["position_date"] = day
    if values["result_rank"]:
        profile.values["rank"] = values["result_rank"]
        profile.values["rank_date"] = day
    if values["result_resume"]:
        month = day[:6]
        resume = list(profile.resume)
        open_rows = [i for i, item in enumerate(resume) if not item.end]
        if open_rows:
            last = resume[open_rows[-1]]
            if last.start and month_index(last.start) >= month_index(month):
                raise ValidationError({"result_resume": f"简历中“{last.text}”的起始时间 {format_date(last.start)} 不早于"
                                                        f"{_label('result_date')}，请先在干部档案中整理简历"})
            resume[open_rows[-1]] = dataclasses.replace(last, end=month)
        resume.append(ResumeItem(start=month, end="", text=values["result_resume"]))
        profile.resume = resume
    why = f"一线锻炼期满{outcome}（{line.name}/{post.name}，{format_period(row.start, row.actual_end)}）"
    try:
        cadres.save_profile(profile, reason=why)
    except ValidationError as exc:
        problems = "；".join(exc.errors.values()) or str(exc)
        raise ValidationError({"write_profile": f"干部档案未能更新：{problems}。请先在干部档案中更正，再记入。"}) from None
    stamp = clock.now_iso()
    PostingReview.update(result_recorded_at=stamp).where(PostingReview.id == review_id).execute()
    audit.record(audit.UPDATE, E_POSTING, row.id, f"{name} 锻炼结果记入干部档案",
                 {_label("result_recorded_at"): [None, format_moment(stamp)]}, reason=why)
