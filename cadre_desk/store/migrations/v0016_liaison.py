"""Schema version 16: 包抓 — the organization department's contact of each posted cadre (科室分头包抓):
a named person of the department (姓名, 科室, 电话), linked to their user account when they have one.

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it, this
text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 16
DESCRIPTION = "包抓：一线干部的组织部包抓联系人"

STATEMENTS = [
    'CREATE TABLE "liaison" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "posting_id" INTEGER NOT NULL, "cadre_id" INTEGER NOT NULL, "contact_name" VARCHAR(20) NOT NULL, "contact_office" VARCHAR(40) NOT NULL, "contact_phone" VARCHAR(20) NOT NULL, "user_id" INTEGER, "since" VARCHAR(8) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("posting_id") REFERENCES "posting" ("id") ON DELETE CASCADE, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "liaison_posting_id" ON "liaison" ("posting_id")',
    'CREATE INDEX "liaison_cadre_id" ON "liaison" ("cadre_id")',
    'CREATE INDEX "liaison_user_id" ON "liaison" ("user_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
