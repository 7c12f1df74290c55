"""Schema version 19: the 工作台's reminders choose postings by the day that makes them due, and the open
follow-ups of talks, in indexes.

- ``posting_state_planned_end``: postings of a state by planned end, with their cadre and post. The postings
  on post ending within a month or overdue (3,011 of 10,059 at 100,000 cadres) are a range of it, in the
  order they are listed, not all postings on post read and sorted.
- ``posting_state_actual_end``: the same by actual end: the postings 期满 in the last half year (2,378 of
  13,481) whose 期满鉴定 is checked.
- ``posting_state_post``: postings of a state by post: the posts' occupancy counted in post order.
- ``talk_record_open_follow_up``: talks whose follow-up is not done (a partial index, small: only those),
  by date with what the reminder says, not every talk read.

IF NOT EXISTS: a database taken back to an older version by hand (a test of an earlier step) keeps them.

Frozen DDL (the same words on both engines); this text never changes once shipped."""

from cadre_desk.store.portable import run_ddl

VERSION = 19
DESCRIPTION = "工作提醒的日期索引"

STATEMENTS = [
    """CREATE INDEX IF NOT EXISTS "posting_state_planned_end" ON "posting" """
    """("state", "planned_end", "cadre_id", "post_id")""",
    """CREATE INDEX IF NOT EXISTS "posting_state_actual_end" ON "posting" """
    """("state", "actual_end", "cadre_id", "post_id")""",
    """CREATE INDEX IF NOT EXISTS "posting_state_post" ON "posting" ("state", "post_id")""",
    """CREATE INDEX IF NOT EXISTS "talk_record_open_follow_up" ON "talk_record" """
    """("date", "cadre_id", "follow_up", "follow_up_done") WHERE "follow_up" <> '' AND "follow_up_done" = 0""",
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
