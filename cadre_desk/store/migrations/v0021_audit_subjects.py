"""Schema version 21: ``audit_subject`` — the records an audit row of many at once is about, one row each,
indexed by (entity, entity_id, audit_id). A 指定包抓人 or 取消包抓 of thousands of postings is one audit row
(entity_id none) listing the first 200 postings in its changes: the refusal of a stale 包抓 read up to
that list, and past it said 「已被他人修改」 without who and when. Now the newest change of one posting is
one index seek (security.conflicts.last_change).

The rows already written get their subjects from what they list (their ``changes``, ``posting_ids`` on
either side): the first 200 postings of each, as before; every row written from now on has all of them.

IF NOT EXISTS: a database taken back to an older version by hand (a test of an earlier step) keeps it.
Frozen DDL (in SQLite's words; portable.ddl says it in the server's): this text never changes once shipped."""

import json

from cadre_desk.store.portable import execute, executemany, run_ddl

VERSION = 21
DESCRIPTION = "审计日志的批量修改按记录索引"

STATEMENTS = [
    'CREATE TABLE IF NOT EXISTS "audit_subject" ("id" INTEGER NOT NULL PRIMARY KEY, "audit_id" INTEGER NOT NULL, "entity" VARCHAR(40) NOT NULL, "entity_id" INTEGER NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "audit_subject_entity_entity_id_audit_id" ON "audit_subject" ("entity", "entity_id", "audit_id")',
]
_LISTED = ("包抓联系", "posting_ids")  # the one kind of audit row that listed its records (cadre_desk.liaison)
_CHANGES = ("新增", "修改", "删除", "导入")


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
    entity, field = _LISTED
    if execute(db, 'SELECT 1 FROM "audit_subject" LIMIT 1').fetchone():
        return  # taken back by hand and run again: already filled
    rows = execute(db, 'SELECT "id", "changes" FROM "audit_log" WHERE "entity" = ? AND "entity_id" IS NULL'
                       ' AND "action" IN (?, ?, ?, ?) AND "changes" <> ?', (entity, *_CHANGES, "")).fetchall()
    subjects = []
    for audit_id, changes in rows:
        try:
            sides = json.loads(changes).get(field) or ()
        except (ValueError, AttributeError):
            continue  # not a JSON object: lists nothing
        listed = {i for side in sides if isinstance(side, list) for i in side if isinstance(i, int)}
        subjects += [(audit_id, entity, i) for i in sorted(listed)]
    if subjects:
        executemany(db, 'INSERT INTO "audit_subject" ("audit_id", "entity", "entity_id") VALUES (?, ?, ?)', subjects)
