"""Schema version 15: 谈心谈话 records, 关爱 items (体检, 休假, 心理健康培训 …) and the restricted
提醒 / 函询 / 诫勉 records of 干部监督.

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it, this
text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 15
DESCRIPTION = "谈心谈话、关爱事项、提醒函询诫勉记录"

STATEMENTS = [
    'CREATE TABLE "talk_record" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "date" VARCHAR(8) NOT NULL, "talker" VARCHAR(40) NOT NULL, "occasion" VARCHAR(10) NOT NULL, "topics" TEXT NOT NULL, "follow_up" TEXT NOT NULL, "follow_up_done" INTEGER NOT NULL, "posting_id" INTEGER, "recorder" VARCHAR(60) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "talk_record_cadre_id" ON "talk_record" ("cadre_id")',
    'CREATE INDEX "talk_record_cadre_id_date" ON "talk_record" ("cadre_id", "date")',
    'CREATE TABLE "care_record" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "date" VARCHAR(8) NOT NULL, "end_date" VARCHAR(8) NOT NULL, "content" TEXT NOT NULL, "recorder" VARCHAR(60) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "care_record_cadre_id" ON "care_record" ("cadre_id")',
    'CREATE INDEX "care_record_kind_date" ON "care_record" ("kind", "date")',
    'CREATE TABLE "supervision_record" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "kind" VARCHAR(4) NOT NULL, "source" VARCHAR(20) NOT NULL, "date" VARCHAR(8) NOT NULL, "matter" TEXT NOT NULL, "outcome" TEXT NOT NULL, "handler" VARCHAR(40) NOT NULL, "recorder" VARCHAR(60) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "supervision_record_cadre_id" ON "supervision_record" ("cadre_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
