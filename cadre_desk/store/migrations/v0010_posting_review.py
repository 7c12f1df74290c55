"""Schema version 10: 期满鉴定 as the practice has it.

- ``posting_review``: one row per finished posting — 等次; the opinions of the 派出单位 (home unit), the
  锻炼单位 (host unit) and the 组织部, each with its signer and date; and what the outcome led to in the
  profile (新任职务, 职务层次/职级, 任职时间, the 简历 line written, a note, when it was written).
- A posting's single old 鉴定 text (``posting.appraisal_text``) becomes the 组织部意见 of its review
  (signer and date unknown: left empty, the dossier prints blank lines to sign); the column goes.

Frozen DDL (in SQLite's words; portable.ddl says it in the server's) and plain SQL both engines run;
this text never changes once shipped."""

from __future__ import annotations

from cadre_desk.store.portable import run_ddl

VERSION = 10
DESCRIPTION = "期满鉴定：等次，派出单位、锻炼单位、组织部意见，锻炼结果记入干部档案"

STATEMENTS = [
    """CREATE TABLE "posting_review" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "posting_id" INTEGER NOT NULL, "grade" VARCHAR(8) NOT NULL, "home_opinion" TEXT NOT NULL, "home_signer" VARCHAR(40) NOT NULL, "home_date" VARCHAR(8) NOT NULL, "host_opinion" TEXT NOT NULL, "host_signer" VARCHAR(40) NOT NULL, "host_date" VARCHAR(8) NOT NULL, "org_opinion" TEXT NOT NULL, "org_signer" VARCHAR(40) NOT NULL, "org_date" VARCHAR(8) NOT NULL, "result_position" TEXT NOT NULL, "result_rank" VARCHAR(18) NOT NULL, "result_date" VARCHAR(8) NOT NULL, "result_resume" TEXT NOT NULL, "result_note" TEXT NOT NULL, "result_recorded_at" VARCHAR(19) NOT NULL, FOREIGN KEY ("posting_id") REFERENCES "posting" ("id") ON DELETE CASCADE)""",
    """CREATE UNIQUE INDEX "posting_review_posting_id" ON "posting_review" ("posting_id")""",
]

_EMPTY = ("grade", "home_opinion", "home_signer", "home_date", "host_opinion", "host_signer", "host_date",
          "org_signer", "org_date", "result_position", "result_rank", "result_date", "result_resume",
          "result_note", "result_recorded_at")


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
    columns = ", ".join(f'"{c}"' for c in ("version", "created_at", "updated_at", "posting_id", "org_opinion",
                                            *_EMPTY))
    blanks = ", ".join("''" for _ in _EMPTY)
    # Plain SQL both engines run: every old 鉴定 text becomes the 组织部意见 of its posting's review.
    db.execute_sql(f'INSERT INTO "posting_review" ({columns}) '
                   f'SELECT 1, "updated_at", "updated_at", "id", "appraisal_text", {blanks} '
                   'FROM "posting" WHERE "appraisal_text" <> \'\'')
    db.execute_sql('ALTER TABLE "posting" DROP COLUMN "appraisal_text"')
