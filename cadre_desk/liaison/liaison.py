"""包抓 (科室分头包抓): each cadre on a frontline posting has a contact in the organization department who
keeps in touch with him, talks with him and hears how he does.

The contact is a named person of the department — 姓名, 所在科室, 联系电话 — not a cadre record (the
department's staff are rarely in the files of the units they look after). When a user account has the
same display name, the contact is linked to it (``user_id``), so that a clerk can list "我包抓的干部".
A contact belongs to a posting: a new posting gets its own, a finished one keeps its history.

Assigning is done for many postings at once (a 科室 takes a line or a host); every posting is checked
against the operator's units and 回避 like any change of the cadre's records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from peewee import chunked, fn

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.access.context import current_operator
from cadre_desk.care import record_kit
from cadre_desk.care.talks import last_talk_dates
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import LIAISON
from cadre_desk.postings.posting_data import ACTIVE_STATES, ON_POST, PostingInfo
from cadre_desk.postings.postings import count_on_post, visible_on_post, visible_postings
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import database, write_transaction
from cadre_desk.store.liaison_models import Liaison
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import Posting
from cadre_desk.store.security_models import User

E_LIAISON = "包抓联系"
# An audit row of 指定 or 取消 lists the postings (the first _LISTED, for the reader) under _POSTINGS, and has
# every one of them as its subjects (audit.record): a refusal names who last changed one of them, found by
# an index however many postings the change was about.
_POSTINGS, _LISTED = "posting_ids", 200
OFFICES = ("干部一科", "干部二科", "干部三科", "干部监督科", "组织科", "人才科", "办公室")


@dataclass
class LiaisonInfo:
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    post_name: str
    line_name: str
    posting_state: str
    planned_end: str
    id: int | None = None
    version: int = 0
    contact_name: str = ""
    contact_office: str = ""
    contact_phone: str = ""
    user_id: int | None = None
    since: str = ""
    note: str = ""
    last_talk: str = ""
    unit_id: int | None = None

    @property
    def assigned(self) -> bool:
        return self.id is not None


@dataclass(frozen=True)
class Contact:
    name: str
    office: str = ""
    phone: str = ""

    @property
    def label(self) -> str:
        return "　".join(t for t in (self.name, self.office, self.phone) if t)


_CONTACT = (Liaison.id, Liaison.version, Liaison.contact_name, Liaison.contact_office, Liaison.contact_phone,
            Liaison.user_id, Liaison.since, Liaison.note)
_MANY = 900  # ids at most in one IN (…); a longer list reads every contact once and keeps those asked for


def _contacts(posting_ids: list[int]) -> dict[int, tuple]:
    """posting id → (id, version, name, office, phone, user id, since, note) of its contact: plain tuples
    from the driver's cursor (no model instance per row; a list of thousands of postings reads the table in
    one pass instead of building a thousand-parameter IN a dozen times)."""
    query = Liaison.select(Liaison.posting, *_CONTACT)
    if len(posting_ids) <= _MANY:
        rows = database.execute(query.where(Liaison.posting.in_(posting_ids))) if posting_ids else ()
        return {row[0]: row[1:] for row in rows}
    wanted = set(posting_ids)
    return {row[0]: row[1:] for row in database.execute(query) if row[0] in wanted}


def _rows(postings: list[PostingInfo]) -> list[LiaisonInfo]:
    found = _contacts([p.id for p in postings])
    talks = last_talk_dates(p.cadre_id for p in postings)
    out = []
    for p in postings:
        info = LiaisonInfo(p.id, p.cadre_id, p.cadre_name, p.unit_name, p.post_name, p.line_name, p.state,
                           p.planned_end, last_talk=talks.get(p.cadre_id, ""), unit_id=p.unit_id)
        row = found.get(p.id)
        if row is not None:
            (info.id, info.version, info.contact_name, info.contact_office, info.contact_phone, info.user_id,
             info.since, info.note) = row
        out.append(info)
    return out


def list_liaisons(*, state: str | None = ON_POST, line_id: int | None = None, contact: str = "",
                  mine: bool = False, unassigned: bool = False) -> list[LiaisonInfo]:
    """The postings of the operator's cadres (在岗 by default; None: every state) with their contact.
    ``contact``: whose name or 科室 contains it; ``mine``: those the logged-in person looks after."""
    postings = visible_postings(state=state, line_id=line_id) if state else visible_postings(line_id=line_id)
    rows = _rows(postings)
    if unassigned:
        rows = [r for r in rows if not r.assigned]
    contact = (contact or "").strip()
    if contact:
        rows = [r for r in rows if contact in r.contact_name or contact in r.contact_office]
    if mine:
        me = current_operator()
        rows = [r for r in rows if r.assigned and ((me.user_id is not None and r.user_id == me.user_id)
                                                    or r.contact_name == me.label)]
    return rows


def for_cadre(cadre_id: int) -> LiaisonInfo | None:
    """The contact of the cadre's active posting, else of the latest one that had one."""
    from cadre_desk.postings.postings import postings_for_cadre

    rows = _rows(postings_for_cadre(cadre_id))
    active = [r for r in rows if r.posting_state in ACTIVE_STATES and r.assigned]
    if active:
        return active[0]
    return next((r for r in rows if r.assigned), None)


def contacts() -> list[Contact]:
    """The contacts used so far, most used first (what the assign dialog offers)."""
    counts: dict[Contact, int] = {}
    for name, office, phone in Liaison.select(Liaison.contact_name, Liaison.contact_office,
                                              Liaison.contact_phone).tuples():
        key = Contact(name, office, phone)
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c.name))


def _user_named(name: str) -> int | None:
    """The active account whose display name is ``name`` (one only), or None."""
    ids = [i for (i,) in User.select(User.id).where((User.display_name == name) & (User.active == 1)).tuples()]
    return ids[0] if len(ids) == 1 else None


def assign(posting_ids: Sequence[int], contact_name: str, contact_office: str = "", contact_phone: str = "",
           since=None, note: str = "", read: Mapping[int, int] | None = None) -> int:
    """Make one person the contact of these postings (replacing another contact). Returns how many.
    ``read``: posting id → the version of its contact as the clerk saw it (0: none) — when another assigned,
    changed or took off a contact since, nothing is written (a ConflictError naming whose, who changed it
    and when); None: not checked."""
    ids = list(dict.fromkeys(int(i) for i in posting_ids))
    errors: dict[str, str] = {}
    values = {
        "contact_name": record_kit.text(LIAISON, "contact_name", contact_name, errors),
        "contact_office": record_kit.text(LIAISON, "contact_office", contact_office, errors),
        "contact_phone": record_kit.text(LIAISON, "contact_phone", contact_phone, errors),
        "since": record_kit.day(LIAISON, "since", since or clock.today_yyyymmdd(), errors, required=True),
        "note": record_kit.text(LIAISON, "note", note, errors),
    }
    if values["contact_phone"] and not all(ch.isdigit() or ch in "-—－ ()（）" for ch in values["contact_phone"]):
        errors["contact_phone"] = "联系电话只能包含数字和“-”。"
    if not ids:
        errors["posting_ids"] = "请选择要指定包抓人的一线干部。"
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        postings: dict[int, int] = {}  # posting id → cadre id
        for chunk in chunked(ids, 900):
            postings.update(Posting.select(Posting.id, Posting.cadre).where(Posting.id.in_(chunk)).tuples())
        missing = [i for i in ids if i not in postings]
        if missing:
            raise ValidationError("所选的一线锻炼记录不存在或已被撤销，请刷新后重试。")
        access_scope.current().require_each(permissions.EDIT, list(postings.values()))
        values["user_id"] = _user_named(values["contact_name"])
        existing = {}
        for chunk in chunked(ids, 900):
            existing.update((r.posting_id, r) for r in Liaison.select().where(Liaison.posting.in_(chunk)))
        if read is not None:
            _refuse_stale(ids, existing, postings, read)
        stamp = clock.now_iso()
        new = [{"posting": pid, "cadre": postings[pid], "created_at": stamp, "updated_at": stamp, **values}
               for pid in ids if pid not in existing]
        for chunk in chunked(new, 200):
            Liaison.insert_many(chunk).execute()
        changed = [r.id for r in existing.values()]
        for chunk in chunked(changed, 900):
            Liaison.update(version=Liaison.version + 1, updated_at=stamp, **values).where(Liaison.id.in_(chunk)).execute()
        before = sorted({r.contact_name for r in existing.values()} - {values["contact_name"]})
        audit.record(audit.UPDATE if existing else audit.CREATE, E_LIAISON, None,
                     f"指定包抓人 {values['contact_name']}（{values['contact_office'] or '未填科室'}）：{len(ids)} 名一线干部",
                     {_POSTINGS: [None, ids[:_LISTED]], "contact_name": [before or None, values["contact_name"]]},
                     subjects=ids)
    return len(ids)


def _refuse_stale(ids: list[int], existing: dict[int, Liaison], postings: dict[int, int],
                  read: Mapping[int, int]) -> None:
    stale = [pid for pid in ids if (existing[pid].version if pid in existing else 0) != read.get(pid, 0)]
    if not stale:
        return
    names = dict(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_([postings[p] for p in stale[:3]])).tuples())
    whose = "、".join(names.get(postings[p], "") for p in stale[:3]) + (f" 等 {len(stale)} 人" if len(stale) > 3 else "")
    # who and when: the newest 指定 or 取消 about one of them (the subjects of its audit row)
    raise conflicts.stale(E_LIAISON, None, f"{whose}的包抓人", since=conflicts.SEEN, subjects=stale)


def clear(posting_ids: Iterable[int], read: Mapping[int, int] | None = None) -> int:
    """Take the contact off these postings. ``read``: posting id → the version of its contact as the clerk
    saw it — when another assigned, changed or took off a contact since, nothing is taken off (a
    ConflictError naming whose, as assign says it); None: not checked."""
    ids = list(dict.fromkeys(int(i) for i in posting_ids))
    with write_transaction():
        rows = [r for chunk in chunked(ids, 900) for r in Liaison.select().where(Liaison.posting.in_(chunk))]
        access_scope.current().require_each(permissions.EDIT, [r.cadre_id for r in rows])
        if read is not None:
            postings = {r.posting_id: r.cadre_id for r in rows}
            for chunk in chunked([i for i in ids if i not in postings], 900):
                postings.update(Posting.select(Posting.id, Posting.cadre).where(Posting.id.in_(chunk)).tuples())
            _refuse_stale([i for i in ids if i in postings], {r.posting_id: r for r in rows}, postings, read)
        for chunk in chunked([r.id for r in rows], 900):
            Liaison.delete().where(Liaison.id.in_(chunk)).execute()
        if rows:
            audit.record(audit.DELETE, E_LIAISON, None, f"取消包抓人：{len(rows)} 名一线干部",
                         {_POSTINGS: [[r.posting_id for r in rows][:_LISTED], None],
                          "contact_name": [sorted({r.contact_name for r in rows}), None]},
                         subjects=[r.posting_id for r in rows])
    return len(rows)


def reminders():
    """在岗 cadres without a contact: each by name when a few, else one line with the count."""
    from cadre_desk.home.reminders import Reminder

    # what list_liaisons(unassigned=True) lists: counted first, named only when a few
    unassigned = ~fn.EXISTS(Liaison.select(Liaison.id).where(Liaison.posting == Posting.id))
    count = count_on_post(where=unassigned)
    if count > 20:
        return [Reminder("包抓联系", f"{count} 名一线在岗干部尚未指定组织部包抓人", level="warning")]
    rows = visible_on_post(where=unassigned)
    return [Reminder("包抓联系", f"{cadre_name}（{post_name}）尚未指定组织部包抓人", cadre_id)
            for _posting_id, cadre_id, cadre_name, post_name, _start in rows]


def checks() -> list[str]:
    problems = []
    query = (Liaison.select(Liaison.id, Liaison.cadre, Liaison.contact_name, Posting.cadre.alias("posted"))
             .join(Posting, on=(Liaison.posting == Posting.id)).tuples())
    for liaison_id, cadre_id, name, posted in query:
        if cadre_id != posted:
            problems.append(f"包抓联系 {liaison_id}：所记干部与一线锻炼记录的干部不一致")
        if not (name or "").strip():
            problems.append(f"包抓联系 {liaison_id}：没有包抓人姓名")
    return problems
