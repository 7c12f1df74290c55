"""Schema version 20: 草稿 — the unsaved edits of an account kept when the program quit from the idle lock
(退出程序, or the system shutting down while locked), offered back once at that account's next login. Never
applied by themselves, never audited as changes: a kind ("profile" …), what they belong to (the cadre, or
none for a new one), the name they were listed under, and the kind's own JSON.

IF NOT EXISTS: a database taken back to an older version by hand (a test of an earlier step) keeps it.
Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it, this
text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 20
DESCRIPTION = "草稿：锁定后退出时未保存的修改"

STATEMENTS = [
    'CREATE TABLE IF NOT EXISTS "unsaved_draft" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "kind" VARCHAR(40) NOT NULL, "target_id" INTEGER, "label" VARCHAR(200) NOT NULL, "payload" TEXT NOT NULL, "created_at" VARCHAR(19) NOT NULL, FOREIGN KEY ("user_id") REFERENCES "app_user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "unsaved_draft_user_id" ON "unsaved_draft" ("user_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
