"""实绩档案 (周小结 / 月上报 / 季检查 / 年考核) and 正面清单 / 负面清单 with a configurable catalog."""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from typing import NamedTuple

from peewee import fn

from cadre_desk.access import permissions, reads
from cadre_desk.access import scope as access_scope
from cadre_desk.access.reads import CadreBrief
from cadre_desk.appraisal.scoring import PERIOD_OF_KIND, RECORD_KINDS, current_period, parse_record_period
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, from_date, parse_date
from cadre_desk.domain.errors import NotFoundError, ValidationError
from cadre_desk.domain.periods import PeriodError, period_label
from cadre_desk.home import reminders
from cadre_desk.postings import postings
from cadre_desk.postings.posting_data import ON_POST
from cadre_desk.security import audit, conflicts
from cadre_desk.settings.settings import acting_name
from cadre_desk.store.appraisal_models import BehaviourEntry, BehaviourItem, PerformanceRecord
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting

KINDS = RECORD_KINDS
POLARITIES = ("正面", "负面")
SOURCES = ("领导批示", "大会点评", "督查通报", "群众评价", "其他")
E_ITEM = "正负面清单条目"  # as the audit log names a catalog item


@dataclass
class RecordInfo:
    id: int | None
    cadre_id: int
    kind: str
    period: str
    content: str
    reviewer_comment: str = ""
    posting_id: int | None = None
    reviewer: str = ""
    recorder: str = ""
    version: int = 0
    updated_at: str = ""

    @property
    def period_label(self) -> str:
        return period_label(self.period)


@dataclass
class BehaviourEntryInfo:
    id: int | None
    cadre_id: int
    polarity: str
    item: str
    date: str
    source: str
    description: str
    recorder: str = ""
    item_id: int | None = None
    version: int = 0


@dataclass
class BehaviourItemInfo:
    id: int | None
    polarity: str
    name: str
    sort_order: int = 0
    retired: bool = False
    used: int = 0


# ---- the postings a record may be tied to --------------------------------------------------------


def active_postings() -> list:
    """PostingInfo rows in state 在岗 (every unit: groups and reminders count them all)."""
    return postings.list_postings(state=ON_POST)


def postings_for_cadre(cadre_id: int) -> list:
    """The cadre's postings, read with the operator's rights (a record form offers them)."""
    return postings.postings_for_cadre(cadre_id)


def _posting_refusal(posting_id: int, cadre: Cadre) -> str | None:
    """Why a record of ``cadre`` cannot be tied to ``posting_id`` (gone, or another cadre's), or None."""
    try:
        posting = postings.get_posting(posting_id)
    except NotFoundError:
        return "所选的一线锻炼记录不存在或已被撤销"
    if posting.cadre_id != cadre.id:
        return f"所选的一线锻炼记录不是{cadre.name}的"
    return None


# ---- cadres -------------------------------------------------------------------------------------


def _cadre(cadre_id: int) -> Cadre:
    row = Cadre.get_or_none(Cadre.id == cadre_id)
    if row is None:
        raise NotFoundError("该干部不存在或已被删除。")
    return row


def _delete_own(model, row_id: int, gone: str, entity: str, what, version: int | None, overwrite: bool) -> tuple:
    """Delete one row of a cadre's (``gone``: the message when it is not there any more) when the operator
    may edit that cadre; the row, the cadre and the end of the audit summary. ``version``: the row's as the
    clerk last saw it — another's change since refuses the delete (naming ``what(row, cadre)``, who and
    when) unless ``overwrite`` (conflicts.check_delete); None: not checked."""
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFoundError(gone)
    cadre = _cadre(row.cadre_id)
    permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre.id)
    suffix = conflicts.check_delete(version is not None and row.version != version, overwrite, entity, row_id,
                                    what(row, cadre))
    row.delete_instance()
    return row, cadre, suffix


def find_cadres(text: str = "", limit: int = 50, ids: list[int] | None = None) -> list[CadreBrief]:
    """Cadres in the operator's units whose name, pinyin initials or position contain ``text`` (or
    those of ``ids`` the operator may see)."""
    if ids is not None:
        found = reads.cadre_briefs(ids)
        return [found[i] for i in ids if i in found][:limit or None]
    return reads.find_cadres(text, limit)


# ---- 实绩档案 ------------------------------------------------------------------------------------


def _record_info(row: PerformanceRecord) -> RecordInfo:
    return RecordInfo(row.id, row.cadre_id, row.kind, row.period, row.content, row.reviewer_comment,
                      row.posting_id, row.reviewer, row.recorder, row.version, row.updated_at)


def list_records(cadre_id: int, kind: str | None = None) -> list[RecordInfo]:
    row = _cadre(cadre_id)
    permissions.require(permissions.READ, unit_id=row.unit_id, cadre_id=cadre_id)
    query = PerformanceRecord.select().where(PerformanceRecord.cadre == cadre_id)
    if kind:
        query = query.where(PerformanceRecord.kind == kind)
    rows = [_record_info(r) for r in query]
    rows.sort(key=lambda r: (r.period, KINDS.index(r.kind) if r.kind in KINDS else 9), reverse=True)
    return rows


def save_record(info: RecordInfo, overwrite: bool = False) -> RecordInfo:
    """Create (id None) or update one entry. One entry per cadre, kind and period."""
    errors: dict[str, str] = {}
    try:
        period = parse_record_period(info.kind, info.period)  # 2025年11月, 2025.11, 2025年第4季度 …
    except PeriodError as exc:
        period = ""
        errors["kind" if info.kind not in KINDS else "period"] = str(exc)
    content = (info.content or "").strip()
    if not content:
        errors["content"] = "请填写实绩内容"
    elif len(content) > 5000:
        errors["content"] = "实绩内容最多 5000 字"
    with write_transaction():
        cadre = _cadre(info.cadre_id)
        permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre.id)
        if not errors:
            clash = PerformanceRecord.select().where(
                PerformanceRecord.cadre == info.cadre_id, PerformanceRecord.kind == info.kind,
                PerformanceRecord.period == period)
            if info.id is not None:
                clash = clash.where(PerformanceRecord.id != info.id)
            if clash.exists():
                errors["period"] = f"{cadre.name} {period_label(period)}的{info.kind}已存在，请直接修改"
        if info.posting_id:
            message = _posting_refusal(int(info.posting_id), cadre)
            if message:
                errors["posting_id"] = message
        if errors:
            raise ValidationError(errors)
        values = {"kind": info.kind, "period": period, "content": content,
                  "reviewer_comment": (info.reviewer_comment or "").strip(),
                  "reviewer": (info.reviewer or "").strip(), "posting_id": info.posting_id or None}
        label = f"{cadre.name} {period_label(period)}{info.kind}"
        stamp = clock.now_iso()
        if info.id is None:
            record_id = PerformanceRecord.insert(cadre=info.cadre_id, recorder=acting_name(),
                                                 created_at=stamp, updated_at=stamp, **values).execute()
            audit.record(audit.CREATE, "实绩记录", record_id, f"新增实绩记录：{label}")
        else:
            old = PerformanceRecord.get_or_none(PerformanceRecord.id == info.id)
            if old is None:
                raise NotFoundError("该实绩记录已被删除。")
            before = {k: getattr(old, k) for k in values}
            overwritten = old.version != info.version  # another saved it since: only when told to overwrite
            changed = (PerformanceRecord.update(version=PerformanceRecord.version + 1, updated_at=stamp, **values)
                       .where(PerformanceRecord.id == info.id,
                              PerformanceRecord.version == (old.version if overwrite else info.version))
                       .execute())
            if not changed:
                raise conflicts.stale("实绩记录", info.id, f"实绩记录“{label}”")
            record_id = info.id
            audit.record(audit.UPDATE, "实绩记录", record_id,
                         f"修改实绩记录：{label}" + (conflicts.OVERWROTE if overwritten else ""), audit.diff(before, values))
        return _record_info(PerformanceRecord.get_by_id(record_id))


def delete_record(record_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``, ``overwrite``: see _delete_own."""
    with write_transaction():
        row, cadre, suffix = _delete_own(
            PerformanceRecord, record_id, "该实绩记录已被删除。", "实绩记录",
            lambda row, cadre: f"实绩记录“{cadre.name} {period_label(row.period)}{row.kind}”", version, overwrite)
        audit.record(audit.DELETE, "实绩记录", record_id,
                     f"删除实绩记录：{cadre.name} {period_label(row.period)}{row.kind}{suffix}",
                     {"内容": [row.content, None]})


class MissingEntry(NamedTuple):  # a named tuple: thousands are made at once
    cadre_id: int
    name: str
    where: str  # the post or line of the active posting
    kind: str
    period: str


def _missing_query(kind: str, period: str, *fields):
    """Postings on post (在岗) without a ``kind`` entry for ``period`` (not yet limited to a scope)."""
    done = PerformanceRecord.select(PerformanceRecord.id).where(
        PerformanceRecord.cadre == Posting.cadre, PerformanceRecord.kind == kind, PerformanceRecord.period == period)
    return Posting.select(*fields).where(Posting.state == ON_POST, ~fn.EXISTS(done))


def missing_entries(kind: str = "月上报", on: _dt.date | None = None) -> list[MissingEntry]:
    """Cadres of the operator's units on post (在岗) whose ``kind`` entry for the current period is
    missing, by cadre: one query (the postings and their cadres' entries are not read one by one); the
    names through the scoped read path (the roster index's, in the 工作台's reminders)."""
    period = current_period(kind, on)
    query = _missing_query(kind, period, Posting.cadre, Posting.post).order_by(Posting.cadre, Posting.id)
    where = {post_id: post_name or line_name for post_id, post_name, line_name  # a few dozen posts, read apart
             in Post.select(Post.id, Post.name, FrontlineLine.name).join(FrontlineLine).tuples()}
    return [MissingEntry(cadre_id, name, where[post_id], kind, period)
            for cadre_id, name, post_id in reads.named_rows(query, Posting.cadre)]


def missing_count(kind: str = "月上报", on: _dt.date | None = None) -> int:
    """How many ``missing_entries`` there are (counted by the database)."""
    query = _missing_query(kind, current_period(kind, on), Posting.id)
    return access_scope.current().restrict(query, cadre=Posting.cadre).count()  # a limited user: their cadres


REMINDER_KINDS_SETTING = "records.reminder_kinds"


def reminder_provider() -> list[reminders.Reminder]:
    from cadre_desk.settings import settings

    kinds = settings.get(REMINDER_KINDS_SETTING, ["月上报"]) or []
    out = []
    today = clock.today()
    for kind in kinds:
        if kind not in KINDS:
            continue
        due = from_date(reminders.period_end(PERIOD_OF_KIND[kind], today))  # the current period's last day
        period = functools.cache(period_label)  # one period for all
        out += [reminders.Reminder("实绩档案", f"{name}（{where}）{period(of)}{kind}未填写", cadre_id, "warning", due)
                for cadre_id, name, where, _kind, of in missing_entries(kind, today)]
    return out


# ---- 正负面清单 catalog ---------------------------------------------------------------------------


def list_behaviour_items(include_retired: bool = False) -> list[BehaviourItemInfo]:
    used = dict(BehaviourEntry.select(BehaviourEntry.item, fn.COUNT(BehaviourEntry.id))
                .group_by(BehaviourEntry.item).tuples())
    query = BehaviourItem.select().order_by(BehaviourItem.polarity, BehaviourItem.sort_order, BehaviourItem.id)
    if not include_retired:
        query = query.where(BehaviourItem.retired == False)  # noqa: E712 - peewee expression
    return [BehaviourItemInfo(r.id, r.polarity, r.name, r.sort_order, r.retired, used.get(r.id, 0)) for r in query]


def _item_changed(before: BehaviourItemInfo | None, row: BehaviourItem) -> bool:
    """Whether the stored catalog item differs from ``before``, as the administrator read it (it has no
    version); None: not checked."""
    return before is not None and (before.name, bool(before.retired)) != (row.name, bool(row.retired))


def save_behaviour_item(info: BehaviourItemInfo, before: BehaviourItemInfo | None = None,
                        overwrite: bool = False) -> BehaviourItemInfo:
    """Add or rename/retire a catalog item. A used item can be retired but keeps its name history.
    ``before``: the item as the administrator read it — another having renamed or retired it since, the
    change is refused (naming who and when) unless ``overwrite`` (the audit row says so); None: not checked."""
    name = " ".join((info.name or "").split())
    errors = {}
    if info.polarity not in POLARITIES:
        errors["polarity"] = "请选择正面或负面"
    if not name:
        errors["name"] = "请填写清单条目名称"
    elif len(name) > 60:
        errors["name"] = "清单条目名称最多 60 字"
    with write_transaction():
        permissions.require(permissions.ADMIN)
        if not errors:
            clash = BehaviourItem.select().where(BehaviourItem.name == name, BehaviourItem.polarity == info.polarity)
            if info.id is not None:
                clash = clash.where(BehaviourItem.id != info.id)
            if clash.exists():
                errors["name"] = f"{info.polarity}清单中已有“{name}”"
        if errors:
            raise ValidationError(errors)
        if info.id is None:
            order = (BehaviourItem.select(fn.MAX(BehaviourItem.sort_order))
                     .where(BehaviourItem.polarity == info.polarity).scalar() or 0) + 1
            item_id = BehaviourItem.insert(polarity=info.polarity, name=name, sort_order=order,
                                           retired=bool(info.retired)).execute()
            audit.record(audit.CREATE, E_ITEM, item_id, f"新增{info.polarity}清单条目“{name}”")
        else:
            old = BehaviourItem.get_or_none(BehaviourItem.id == info.id)
            if old is None:
                raise NotFoundError("该清单条目已被删除。")
            overwritten = _item_changed(before, old)
            if overwritten and not overwrite:
                raise conflicts.stale(E_ITEM, info.id, f"{old.polarity}清单条目“{old.name}”")
            BehaviourItem.update(name=name, polarity=info.polarity, retired=bool(info.retired)).where(
                BehaviourItem.id == info.id).execute()
            item_id = info.id
            audit.record(audit.UPDATE, E_ITEM, item_id,
                         f"修改清单条目“{name}”" + (conflicts.OVERWROTE if overwritten else ""),
                         audit.diff({"name": old.name, "retired": str(old.retired)},
                                    {"name": name, "retired": str(bool(info.retired))}))
    row = BehaviourItem.get_by_id(item_id)
    return BehaviourItemInfo(row.id, row.polarity, row.name, row.sort_order, row.retired)


def delete_behaviour_item(item_id: int, before: BehaviourItemInfo | None = None, overwrite: bool = False) -> None:
    """``before``, ``overwrite``: see save_behaviour_item (conflicts.check_delete)."""
    with write_transaction():
        permissions.require(permissions.ADMIN)
        row = BehaviourItem.get_or_none(BehaviourItem.id == item_id)
        if row is None:
            raise NotFoundError("该清单条目已被删除。")
        if BehaviourEntry.select().where(BehaviourEntry.item == item_id).exists():
            raise ValidationError("该条目已有记录引用，不能删除；可将其停用。")
        suffix = conflicts.check_delete(_item_changed(before, row), overwrite, E_ITEM, item_id,
                                        f"{row.polarity}清单条目“{row.name}”")
        row.delete_instance()
        audit.record(audit.DELETE, E_ITEM, item_id, f"删除清单条目“{row.name}”{suffix}")


# ---- 正负面清单 entries ---------------------------------------------------------------------------


def _entry_info(row: BehaviourEntry, item: BehaviourItem) -> BehaviourEntryInfo:
    return BehaviourEntryInfo(row.id, row.cadre_id, item.polarity, item.name, row.date, row.source,
                              row.description, row.recorder, item.id, row.version)


def _in_scope(query, cadre_field):
    """Only rows of cadres in the operator's units (all rows for an unlimited operator)."""
    return access_scope.current().restrict(query, cadre=cadre_field)


def list_behaviour_entries(cadre_id: int | None = None, polarity: str | None = None,
                           limit: int = 0) -> list[BehaviourEntryInfo]:
    """A cadre's entries (or everyone's), newest first; ``limit``: only the newest so many."""
    if cadre_id is not None:
        row = _cadre(cadre_id)
        permissions.require(permissions.READ, unit_id=row.unit_id, cadre_id=cadre_id)
    else:
        permissions.require(permissions.READ)
    query = (BehaviourEntry.select(BehaviourEntry, BehaviourItem).join(BehaviourItem)
             .order_by(BehaviourEntry.date.desc(), BehaviourEntry.id.desc()))
    if cadre_id is not None:
        query = query.where(BehaviourEntry.cadre == cadre_id)
    else:
        query = _in_scope(query, BehaviourEntry.cadre)
    if polarity:
        query = query.where(BehaviourItem.polarity == polarity)
    if limit:
        query = query.limit(limit)
    return [_entry_info(r, r.item) for r in query]


def behaviour_totals(polarity: str | None = None) -> tuple[int, int]:
    """(positive, negative) entry counts over every cadre (one aggregate, no rows loaded)."""
    permissions.require(permissions.READ)
    query = _in_scope(BehaviourEntry.select(BehaviourItem.polarity, fn.COUNT(BehaviourEntry.id))
                      .join(BehaviourItem).group_by(BehaviourItem.polarity).tuples(), BehaviourEntry.cadre)
    if polarity:
        query = query.where(BehaviourItem.polarity == polarity)
    counts = dict(query)
    return counts.get("正面", 0), counts.get("负面", 0)


def save_behaviour_entry(info: BehaviourEntryInfo, overwrite: bool = False) -> BehaviourEntryInfo:
    errors: dict[str, str] = {}
    try:
        date = parse_date(info.date)
        if len(date) != 8:
            errors["date"] = "请填写完整日期（年月日）"
        elif date > clock.today_yyyymmdd():
            errors["date"] = "日期不能晚于今天"
    except ValueError as exc:
        errors["date"] = f"日期：{exc}"
        date = ""
    if not date and "date" not in errors:
        errors["date"] = "请填写日期"
    if info.source not in SOURCES:
        errors["source"] = "请选择来源（领导批示、大会点评、督查通报、群众评价、其他）"
    description = (info.description or "").strip()
    if len(description) > 2000:
        errors["description"] = "情况说明最多 2000 字"
    with write_transaction():
        cadre = _cadre(info.cadre_id)
        permissions.require(permissions.EDIT, unit_id=cadre.unit_id, cadre_id=cadre.id)
        item = BehaviourItem.get_or_none(BehaviourItem.id == info.item_id) if info.item_id else None
        if item is None:
            errors["item"] = "请选择清单条目"
        elif item.retired and info.id is None:
            errors["item"] = f"清单条目“{item.name}”已停用"
        if errors:
            raise ValidationError(errors)
        recorder = (info.recorder or "").strip() or acting_name()
        values = {"item": item.id, "date": date, "source": info.source, "description": description,
                  "recorder": recorder}
        label = f"{cadre.name} {item.polarity}清单“{item.name}”"
        stamp = clock.now_iso()
        if info.id is None:
            entry_id = BehaviourEntry.insert(cadre=cadre.id, created_at=stamp, updated_at=stamp, **values).execute()
            audit.record(audit.CREATE, "正负面清单", entry_id, f"新增{label}")
        else:
            old = BehaviourEntry.get_or_none(BehaviourEntry.id == info.id)
            if old is None:
                raise NotFoundError("该清单记录已被删除。")
            before = {"item": old.item_id, "date": old.date, "source": old.source, "description": old.description,
                      "recorder": old.recorder}
            overwritten = old.version != info.version  # another saved it since: only when told to overwrite
            changed = (BehaviourEntry.update(version=BehaviourEntry.version + 1, updated_at=stamp, **values)
                       .where(BehaviourEntry.id == info.id,
                              BehaviourEntry.version == (old.version if overwrite else info.version)).execute())
            if not changed:
                raise conflicts.stale("正负面清单", info.id, label)
            entry_id = info.id
            audit.record(audit.UPDATE, "正负面清单", entry_id,
                         f"修改{label}" + (conflicts.OVERWROTE if overwritten else ""), audit.diff(before, values))
        row = BehaviourEntry.get_by_id(entry_id)
        return _entry_info(row, item)


def delete_behaviour_entry(entry_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``, ``overwrite``: see _delete_own."""
    with write_transaction():
        row, cadre, suffix = _delete_own(
            BehaviourEntry, entry_id, "该清单记录已被删除。", "正负面清单",
            lambda row, cadre: f"{cadre.name} {row.item.polarity}清单“{row.item.name}”（{format_date(row.date)}）",
            version, overwrite)
        audit.record(audit.DELETE, "正负面清单", entry_id,
                     f"删除 {cadre.name} 的清单记录（{format_date(row.date)}）{suffix}")


def behaviour_counts(cadre_ids) -> dict[int, tuple[int, int]]:
    """cadre id → (positive, negative) entry counts; every asked id is present."""
    ids = list(cadre_ids)
    out = {cadre_id: (0, 0) for cadre_id in ids}
    if not ids:
        return out
    query = (BehaviourEntry.select(BehaviourEntry.cadre, BehaviourItem.polarity, fn.COUNT(BehaviourEntry.id))
             .join(BehaviourItem).where(BehaviourEntry.cadre.in_(ids))
             .group_by(BehaviourEntry.cadre, BehaviourItem.polarity).tuples())
    for cadre_id, polarity, count in query:
        pos, neg = out.get(cadre_id, (0, 0))
        out[cadre_id] = (pos + count, neg) if polarity == "正面" else (pos, neg + count)
    return out


def on_cadre_delete(cadre_id: int) -> None:
    """Records belong to the cadre: they go with the profile (the audit row of the deletion remains)."""
    PerformanceRecord.delete().where(PerformanceRecord.cadre == cadre_id).execute()
    BehaviourEntry.delete().where(BehaviourEntry.cadre == cadre_id).execute()
