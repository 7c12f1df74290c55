"""Schema version 18: the 工作台's reminders read the postings of a state and the 体检 dates from indexes.

- ``posting_state_dates``: postings by state, with their cadre, post and dates. The reminders (postings
  due, 期满鉴定 incomplete, 谈心谈话 due, 体检, 实绩 missing, 包抓) and the posts' occupancy choose the
  postings of one state (在岗 10,059 of 28,168 at 100,000 cadres) from this index and read what they
  need from it, not from the table's wide rows (collect(): ~25 % less CPU).
- ``care_record_cadre_kind_date``: a cadre's 关爱 records by kind and date: the 体检 reminder finds each
  posted cadre's last 体检 in the index, without reading the records.

IF NOT EXISTS: a database taken back to an older version by hand (a test of an earlier step) keeps them.

Frozen DDL (the same words on both engines); this text never changes once shipped."""

from cadre_desk.store.portable import run_ddl

VERSION = 18
DESCRIPTION = "工作提醒索引"

STATEMENTS = [
    """CREATE INDEX IF NOT EXISTS "posting_state_dates" ON "posting" """
    """("state", "cadre_id", "post_id", "start", "planned_end", "actual_end")""",
    """CREATE INDEX IF NOT EXISTS "care_record_cadre_kind_date" ON "care_record" ("cadre_id", "kind", "date")""",
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
