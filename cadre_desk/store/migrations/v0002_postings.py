"""Schema version 2: frontline postings (lines, posts, postings) and the default 五个一线.

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it,
this text never changes."""

from cadre_desk.store.portable import execute, run_ddl

VERSION = 2
DESCRIPTION = "一线锻炼：战线、锻炼岗位、选派记录"

STATEMENTS = [
    """CREATE TABLE "frontline_line" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "name" VARCHAR(40) NOT NULL, "default_months" INTEGER NOT NULL, "retired" INTEGER NOT NULL, "sort_order" INTEGER NOT NULL)""",
    """CREATE UNIQUE INDEX "frontline_line_name" ON "frontline_line" ("name")""",
    """CREATE TABLE "post" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "line_id" INTEGER NOT NULL, "name" VARCHAR(100) NOT NULL, "host_type" VARCHAR(20) NOT NULL, "host_name" VARCHAR(100) NOT NULL, "duties" TEXT NOT NULL, "requirements" TEXT NOT NULL, "wanted_categories" VARCHAR(60) NOT NULL, "capacity" INTEGER NOT NULL, "open_start" VARCHAR(8) NOT NULL, "open_end" VARCHAR(8) NOT NULL, "party_branch" VARCHAR(100) NOT NULL, "party_group" VARCHAR(100) NOT NULL, "host_contact" VARCHAR(100) NOT NULL, FOREIGN KEY ("line_id") REFERENCES "frontline_line" ("id") ON DELETE RESTRICT)""",
    """CREATE INDEX "post_line_id" ON "post" ("line_id")""",
    """CREATE TABLE "posting" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "post_id" INTEGER NOT NULL, "channel" VARCHAR(10) NOT NULL, "start" VARCHAR(8) NOT NULL, "planned_end" VARCHAR(8) NOT NULL, "actual_end" VARCHAR(8) NOT NULL, "state" VARCHAR(8) NOT NULL, "daily_manager" VARCHAR(100) NOT NULL, "guide_cadre_id" INTEGER, "recall_reason" TEXT NOT NULL, "appraisal_text" TEXT NOT NULL, "outcome" VARCHAR(10) NOT NULL, "remarks" TEXT NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE RESTRICT, FOREIGN KEY ("post_id") REFERENCES "post" ("id") ON DELETE RESTRICT, FOREIGN KEY ("guide_cadre_id") REFERENCES "cadre" ("id") ON DELETE SET NULL)""",
    """CREATE INDEX "posting_cadre_id" ON "posting" ("cadre_id")""",
    """CREATE INDEX "posting_post_id" ON "posting" ("post_id")""",
    """CREATE INDEX "posting_state" ON "posting" ("state")""",
    """CREATE INDEX "posting_guide_cadre_id" ON "posting" ("guide_cadre_id")""",
]

# name, default months, order
DEFAULT_LINES = (
    ("重大项目建设", 6, 1),
    ("招商引资", 6, 2),
    ("乡村振兴", 6, 3),
    ("信访维稳", 3, 4),
    ("社区服务", 6, 5),
)


def upgrade(db) -> None:
    from cadre_desk.domain import clock

    run_ddl(db, STATEMENTS)
    stamp = clock.now_iso()
    for name, months, order in DEFAULT_LINES:
        execute(
            db, 'INSERT INTO "frontline_line" ("version", "created_at", "updated_at", "name", "default_months", '
            '"retired", "sort_order") VALUES (1, ?, ?, ?, ?, 0, ?)', (stamp, stamp, name, months, order))
