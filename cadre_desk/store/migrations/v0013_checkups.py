"""Schema version 13: 政治体检 — the checklist items (seeded with the usual nine), the quarterly rounds of
提醒单 and each cadre's sheet with its 核查对单 result.

Frozen DDL and seed rows (in SQLite's words; portable.ddl says them in the server's): later migrations
change them, this text never changes."""

from cadre_desk.store.portable import execute, run_ddl

VERSION = 13
DESCRIPTION = "政治体检：对照检查项目、季度提醒单、核查对单结果"

ITEMS = (
    ("理想信念", "对党忠诚，增强“四个意识”、坚定“四个自信”、做到“两个维护”，理想信念坚定"),
    ("政治纪律和政治规矩", "严守政治纪律和政治规矩，不搞团团伙伙、不传播政治谣言"),
    ("贯彻落实决策部署", "不折不扣贯彻落实中央和上级决策部署，不打折扣、不搞变通"),
    ("担当作为", "敢于直面矛盾、攻坚克难，没有推诿扯皮、躲事避责"),
    ("作风建设", "落实中央八项规定及其实施细则精神，反对形式主义、官僚主义"),
    ("廉洁自律", "遵守廉洁纪律，管好亲属和身边工作人员，不利用职务影响谋取私利"),
    ("请示报告", "严格执行请示报告制度，如实报告个人有关事项"),
    ("意识形态和网络言行", "落实意识形态工作责任，网络言行符合党员干部身份"),
    ("组织纪律", "服从组织安排，一线岗位在岗履职，遵守请销假制度"),
)

STATEMENTS = [
    'CREATE TABLE "checkup_item" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(60) NOT NULL, "description" TEXT NOT NULL, "sort_order" INTEGER NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "checkup_item_name" ON "checkup_item" ("name")',
    'CREATE TABLE "checkup_round" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "year" INTEGER NOT NULL, "quarter" INTEGER NOT NULL, "title" VARCHAR(100) NOT NULL, "issued_on" VARCHAR(8) NOT NULL, "due" VARCHAR(8) NOT NULL, "group_note" VARCHAR(200) NOT NULL, "items" TEXT NOT NULL, "issuer" VARCHAR(60) NOT NULL)',
    'CREATE INDEX "checkup_round_year_quarter" ON "checkup_round" ("year", "quarter")',
    'CREATE TABLE "checkup_sheet" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "round_id" INTEGER NOT NULL, "cadre_id" INTEGER NOT NULL, "result" VARCHAR(10) NOT NULL, "checked_on" VARCHAR(8) NOT NULL, "checker" VARCHAR(60) NOT NULL, "findings" TEXT NOT NULL, "rectification" TEXT NOT NULL, FOREIGN KEY ("round_id") REFERENCES "checkup_round" ("id") ON DELETE CASCADE, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "checkup_sheet_round_id" ON "checkup_sheet" ("round_id")',
    'CREATE INDEX "checkup_sheet_cadre_id" ON "checkup_sheet" ("cadre_id")',
    'CREATE INDEX "checkup_sheet_result" ON "checkup_sheet" ("result")',
    'CREATE UNIQUE INDEX "checkup_sheet_round_id_cadre_id" ON "checkup_sheet" ("round_id", "cadre_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
    for order, (name, description) in enumerate(ITEMS):
        execute(db, 'INSERT INTO "checkup_item" ("name", "description", "sort_order", "retired") VALUES (?, ?, ?, ?)',
                (name, description, order, 0))
