"""Schema version 4: performance records, the behaviour catalog, appraisal schemes and sheets.

Frozen DDL and seed rows (in SQLite's words; portable.ddl says them in the server's): later migrations
change them, this text never changes."""

from cadre_desk.domain import clock
from cadre_desk.store.portable import execute, insert_returning_id, run_ddl

VERSION = 4
DESCRIPTION = "实绩档案、正负面清单、考核方案与考核表"

POSITIVE = (
    "急难险重任务表现突出", "主动担当破解难题", "重大项目推进成效明显", "招商引资取得实效",
    "信访矛盾化解有力", "应急处突冲锋在前", "服务群众获得好评", "改革创新形成经验",
    "调查研究建言被采纳", "基层治理成效显著", "作风过硬廉洁自律", "传帮带作用明显",
    "克服困难坚守岗位", "工作经验被推广", "受到上级通报表扬",
)
NEGATIVE = (
    "推诿扯皮", "作风漂浮", "敷衍塞责", "庸懒散拖", "不作为慢作为",
    "弄虚作假", "脱离群众", "违反工作纪律", "擅离岗位", "落实任务打折扣",
    "门难进脸难看事难办", "形式主义搞变通", "遇事不担当", "群众反映强烈", "被督查通报批评",
)

SCHEMES = (
    # name, kind, description, dimensions, raters
    ("年度考核", "年度考核", "德、能、勤、绩、廉五个方面的年度综合考核",
     (("德", 20), ("能", 20), ("勤", 15), ("绩", 35), ("廉", 10)),
     (("组织部", 40), ("主管部门", 40), ("民主测评", 20))),
    ("一线锻炼期满考核", "期满考核", "一线墩苗锻炼期满时的考核鉴定",
     (("政治表现", 25), ("工作实绩", 40), ("作风纪律", 20), ("群众评价", 15)),
     (("组织部", 40), ("主管部门", 40), ("民主测评", 20))),
)


STATEMENTS = [
    'CREATE TABLE "performance_record" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "period" VARCHAR(10) NOT NULL, "content" TEXT NOT NULL, "reviewer_comment" TEXT NOT NULL, "reviewer" VARCHAR(40) NOT NULL, "posting_id" INTEGER, "recorder" VARCHAR(60) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "performance_record_cadre_id" ON "performance_record" ("cadre_id")',
    'CREATE UNIQUE INDEX "performance_record_cadre_id_kind_period" ON "performance_record" ("cadre_id", "kind", "period")',
    'CREATE INDEX "performance_record_period" ON "performance_record" ("period")',
    'CREATE TABLE "behaviour_item" ("id" INTEGER NOT NULL PRIMARY KEY, "polarity" VARCHAR(2) NOT NULL, "name" VARCHAR(60) NOT NULL, "sort_order" INTEGER NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE TABLE "behaviour_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "cadre_id" INTEGER NOT NULL, "item_id" INTEGER NOT NULL, "date" VARCHAR(8) NOT NULL, "source" VARCHAR(10) NOT NULL, "description" TEXT NOT NULL, "recorder" VARCHAR(60) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE, FOREIGN KEY ("item_id") REFERENCES "behaviour_item" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "behaviour_entry_cadre_id" ON "behaviour_entry" ("cadre_id")',
    'CREATE INDEX "behaviour_entry_item_id" ON "behaviour_entry" ("item_id")',
    'CREATE TABLE "appraisal_scheme" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "name" VARCHAR(60) NOT NULL, "kind" VARCHAR(20) NOT NULL, "wording" VARCHAR(10) NOT NULL, "excellent_min" REAL NOT NULL, "competent_min" REAL NOT NULL, "basic_min" REAL NOT NULL, "excellent_cap" REAL NOT NULL, "scope_categories" VARCHAR(100) NOT NULL, "scope_lines" VARCHAR(200) NOT NULL, "scope_units" VARCHAR(400) NOT NULL, "description" TEXT NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "appraisal_scheme_name" ON "appraisal_scheme" ("name")',
    'CREATE TABLE "scheme_dimension" ("id" INTEGER NOT NULL PRIMARY KEY, "scheme_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "name" VARCHAR(30) NOT NULL, "weight" REAL NOT NULL, FOREIGN KEY ("scheme_id") REFERENCES "appraisal_scheme" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "scheme_dimension_scheme_id" ON "scheme_dimension" ("scheme_id")',
    'CREATE TABLE "scheme_rater" ("id" INTEGER NOT NULL PRIMARY KEY, "scheme_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "name" VARCHAR(30) NOT NULL, "weight" REAL NOT NULL, FOREIGN KEY ("scheme_id") REFERENCES "appraisal_scheme" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "scheme_rater_scheme_id" ON "scheme_rater" ("scheme_id")',
    'CREATE TABLE "appraisal_sheet" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "title" VARCHAR(100) NOT NULL, "period" VARCHAR(20) NOT NULL, "year" INTEGER NOT NULL, "scheme_id" INTEGER NOT NULL, "group_kind" VARCHAR(10) NOT NULL, "group_ref" INTEGER, "group_label" VARCHAR(100) NOT NULL, "annual" INTEGER NOT NULL, "finalized" INTEGER NOT NULL, "finalized_at" VARCHAR(19) NOT NULL, "finalized_by" VARCHAR(60) NOT NULL, FOREIGN KEY ("scheme_id") REFERENCES "appraisal_scheme" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "appraisal_sheet_scheme_id" ON "appraisal_sheet" ("scheme_id")',
    'CREATE TABLE "sheet_member" ("id" INTEGER NOT NULL PRIMARY KEY, "sheet_id" INTEGER NOT NULL, "cadre_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "grade_override" VARCHAR(10) NOT NULL, "override_reason" TEXT NOT NULL, "comment" TEXT NOT NULL, "final_total" REAL, "final_grade" VARCHAR(10) NOT NULL, FOREIGN KEY ("sheet_id") REFERENCES "appraisal_sheet" ("id") ON DELETE CASCADE, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "sheet_member_cadre_id" ON "sheet_member" ("cadre_id")',
    'CREATE INDEX "sheet_member_sheet_id" ON "sheet_member" ("sheet_id")',
    'CREATE UNIQUE INDEX "sheet_member_sheet_id_cadre_id" ON "sheet_member" ("sheet_id", "cadre_id")',
    'CREATE TABLE "score" ("id" INTEGER NOT NULL PRIMARY KEY, "member_id" INTEGER NOT NULL, "rater_id" INTEGER NOT NULL, "dimension_id" INTEGER NOT NULL, "value" REAL NOT NULL, FOREIGN KEY ("member_id") REFERENCES "sheet_member" ("id") ON DELETE CASCADE, FOREIGN KEY ("rater_id") REFERENCES "scheme_rater" ("id") ON DELETE RESTRICT, FOREIGN KEY ("dimension_id") REFERENCES "scheme_dimension" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "score_dimension_id" ON "score" ("dimension_id")',
    'CREATE INDEX "score_member_id" ON "score" ("member_id")',
    'CREATE UNIQUE INDEX "score_member_id_rater_id_dimension_id" ON "score" ("member_id", "rater_id", "dimension_id")',
    'CREATE INDEX "score_rater_id" ON "score" ("rater_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
    for polarity, names in (("正面", POSITIVE), ("负面", NEGATIVE)):
        for order, name in enumerate(names):
            execute(db, 'INSERT INTO "behaviour_item" ("polarity", "name", "sort_order", "retired") '
                    'VALUES (?, ?, ?, ?)', (polarity, name, order, 0))
    stamp = clock.now_iso()
    for name, kind, description, dimensions, raters in SCHEMES:
        scheme_id = insert_returning_id(
            db, 'INSERT INTO "appraisal_scheme" ("version", "created_at", "updated_at", "name", "kind", "wording",'
            ' "excellent_min", "competent_min", "basic_min", "excellent_cap", "scope_categories", "scope_lines",'
            ' "scope_units", "description", "retired") VALUES (1, ?, ?, ?, ?, ?, 90, 70, 60, 20, ?, ?, ?, ?, ?)',
            (stamp, stamp, name, kind, "公务员", "", "", "", description, 0))
        for table, items in (("scheme_dimension", dimensions), ("scheme_rater", raters)):
            for seq, (item, weight) in enumerate(items):
                execute(db, f'INSERT INTO "{table}" ("scheme_id", "seq", "name", "weight") VALUES (?, ?, ?, ?)',
                        (scheme_id, seq, item, weight))
