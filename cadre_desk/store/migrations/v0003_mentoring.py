"""Schema version 3: mentoring pairs (导师帮带) and their meeting logs.

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it,
this text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 3
DESCRIPTION = "导师帮带：结对、谈话记录、结业互评"

STATEMENTS = [
    """CREATE TABLE "mentor_pair" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "mentor_id" INTEGER NOT NULL, "mentee_id" INTEGER NOT NULL, "posting_id" INTEGER, "focus" VARCHAR(100) NOT NULL, "goals" TEXT NOT NULL, "start" VARCHAR(8) NOT NULL, "planned_end" VARCHAR(8) NOT NULL, "actual_end" VARCHAR(8) NOT NULL, "state" VARCHAR(8) NOT NULL, "end_reason" TEXT NOT NULL, "mentor_rating" REAL, "mentor_comment" TEXT NOT NULL, "mentee_rating" REAL, "mentee_comment" TEXT NOT NULL, FOREIGN KEY ("mentor_id") REFERENCES "cadre" ("id") ON DELETE RESTRICT, FOREIGN KEY ("mentee_id") REFERENCES "cadre" ("id") ON DELETE RESTRICT)""",
    """CREATE INDEX "mentor_pair_mentor_id" ON "mentor_pair" ("mentor_id")""",
    """CREATE INDEX "mentor_pair_mentee_id" ON "mentor_pair" ("mentee_id")""",
    """CREATE INDEX "mentor_pair_posting_id" ON "mentor_pair" ("posting_id")""",
    """CREATE INDEX "mentor_pair_state" ON "mentor_pair" ("state")""",
    """CREATE TABLE "meeting_log" ("id" INTEGER NOT NULL PRIMARY KEY, "pair_id" INTEGER NOT NULL, "date" VARCHAR(8) NOT NULL, "form" VARCHAR(10) NOT NULL, "content" TEXT NOT NULL, "next_steps" TEXT NOT NULL, "recorder" VARCHAR(60) NOT NULL, "created_at" VARCHAR(19) NOT NULL, FOREIGN KEY ("pair_id") REFERENCES "mentor_pair" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "meeting_log_pair_id" ON "meeting_log" ("pair_id")""",
    """CREATE INDEX "meeting_log_pair_id_date" ON "meeting_log" ("pair_id", "date")""",
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
