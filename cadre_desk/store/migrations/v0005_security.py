"""Schema version 5: accounts (users, their roles and unit scopes).

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it,
this text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 5
DESCRIPTION = "用户账号与安全"

STATEMENTS = [
    """CREATE TABLE "app_user" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "username" VARCHAR(40) NOT NULL, "display_name" VARCHAR(40) NOT NULL, "password_hash" VARCHAR(200) NOT NULL, "roles" VARCHAR(100) NOT NULL, "unit_scopes" TEXT NOT NULL, "cadre_id" INTEGER, "id_number" VARCHAR(18) NOT NULL, "active" INTEGER NOT NULL, "must_change_password" INTEGER NOT NULL, "failed_count" INTEGER NOT NULL, "locked_until" VARCHAR(19) NOT NULL, "last_login" VARCHAR(19) NOT NULL, "password_changed_at" VARCHAR(19) NOT NULL)""",
    """CREATE UNIQUE INDEX "app_user_username" ON "app_user" ("username")""",
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
