"""A 包抓 change of more than 200 postings at once: its audit row lists the first 200 (for the reader), and
the refusal of a stale 取消包抓 / 指定包抓人 of a posting past them said 「已被他人修改」 without who and
when. The audit row now has every posting as a subject (audit_subject, indexed): the refusal names who
and when for any of them."""

from __future__ import annotations

import pytest

from tests.test_concurrent_edits import TODAY, ZHAO, admins, as_user, clerks  # noqa: F401 - the fixtures

MANY = 260  # past the 200 an audit row lists


def _postings(count: int) -> list[int]:
    """甲's posting of make_world and ``count`` - 1 more like it, written directly (cheap)."""
    from cadre_desk.store.posting_models import Posting
    from tests.test_practices import make_world

    first = Posting.get_by_id(make_world()["posting"])
    row = {"cadre": first.cadre_id, "post": first.post_id, "channel": first.channel, "start": first.start,
           "planned_end": first.planned_end, "state": first.state}
    Posting.insert_many([row] * (count - 1)).execute()
    return [first.id] + [i for (i,) in Posting.select(Posting.id).where(Posting.id != first.id)
                         .order_by(Posting.id).tuples()]


def test_a_refused_cancel_past_the_200th_posting_names_who_and_when(clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.liaison import liaison

    with as_user("wang", "王经办", clerks):
        ids = _postings(MANY)
        liaison.assign(ids, "李建平", "干部一科")
        read = {row.posting_id: row.version for row in liaison.list_liaisons(state=None)}  # 王's list
    with as_user("zhao", "赵经办", clerks):
        liaison.assign(ids, "王海燕", "干部二科", read=read)  # one change of all 260
    last = ids[-1]
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            liaison.clear([last], read={last: read[last]})
    assert refused.value.changed_by == "赵经办（zhao）" and refused.value.changed_at.startswith(TODAY), str(refused.value)
    assert f"甲的包抓人已被 {ZHAO} 于 " in str(refused.value)


def test_a_refused_assign_past_the_200th_posting_names_who_and_when(clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.liaison import liaison

    with as_user("wang", "王经办", clerks):
        ids = _postings(MANY)
    with as_user("zhao", "赵经办", clerks):
        liaison.assign(ids, "李建平", "干部一科")  # 王's list, read before, had none of them assigned
    last = ids[-1]
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            liaison.assign([last], "王海燕", "干部二科", read={last: 0})
    assert refused.value.changed_by == "赵经办（zhao）" and refused.value.changed_at.startswith(TODAY), str(refused.value)
    # and after 赵 took them all off: the 取消 names him too
    with as_user("zhao", "赵经办", clerks):
        read = {row.posting_id: row.version for row in liaison.list_liaisons(state=None)}
        liaison.clear(ids, read=read)
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            liaison.assign([last], "王海燕", "干部二科", read={last: read[last]})
    assert refused.value.changed_by == "赵经办（zhao）", str(refused.value)


def test_the_audit_rows_before_the_index_get_their_listed_postings(db):
    """Migration 21 gives the 包抓 rows written before it the postings they list as subjects."""
    from cadre_desk.security import audit, conflicts
    from cadre_desk.store import migrations
    from cadre_desk.store.db import database
    from cadre_desk.store.portable import execute

    audit.record(audit.UPDATE, "包抓联系", None, "指定包抓人 李建平（干部一科）：3 名一线干部",
                 {"posting_ids": [None, [7, 8, 9]], "contact_name": [None, "李建平"]})
    audit.record(audit.UPDATE, "包抓联系", None, "指定包抓人", {"contact_name": [None, "李建平"]})  # lists none
    (row_id,) = execute(database.obj, 'SELECT MIN("id") FROM "audit_log" WHERE "entity" = ?', ("包抓联系",)).fetchone()
    db = database.obj
    with db.atomic():
        db.execute_sql('DROP TABLE "audit_subject"')
        db.execute_sql('ALTER TABLE "cadre" DROP COLUMN "party_confirmed"')  # and what schema 22 added
        migrations._set_version(db, 20)
    assert migrations.migrate(db) == [21, 22]
    rows = execute(db, 'SELECT "audit_id", "entity", "entity_id" FROM "audit_subject" ORDER BY "entity_id"')
    assert [tuple(r) for r in rows.fetchall()] == [(row_id, "包抓联系", 7), (row_id, "包抓联系", 8),
                                                   (row_id, "包抓联系", 9)]
    assert conflicts.last_change("包抓联系", None, subjects=[8])[0] != ""
    assert conflicts.last_change("包抓联系", None, subjects=[10]) == ("", "")
