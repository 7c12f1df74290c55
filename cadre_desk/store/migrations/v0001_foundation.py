"""Schema version 1: the foundation (units, cadre profiles and their sub-records, audit, settings).

Frozen DDL (in SQLite's words; portable.ddl says it in the server's): later migrations change it,
this text never changes."""

from cadre_desk.store.portable import run_ddl

VERSION = 1
DESCRIPTION = "基础结构：单位、干部档案、子记录、审计日志、设置"

STATEMENTS = [
    """CREATE TABLE "setting" ("key" VARCHAR(100) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)""",
    """CREATE TABLE "unit" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "name" VARCHAR(100) NOT NULL, "parent_id" INTEGER, "path" VARCHAR(400) NOT NULL, "sort_order" INTEGER NOT NULL, "short_name" VARCHAR(50) NOT NULL, "kind" VARCHAR(20) NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "unit" ("id") ON DELETE RESTRICT)""",
    """CREATE INDEX "unit_parent_id" ON "unit" ("parent_id")""",
    """CREATE INDEX "unit_path" ON "unit" ("path")""",
    """CREATE TABLE "cadre" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "name_initials" VARCHAR(40) NOT NULL, "name" VARCHAR(18) NOT NULL, "gender" VARCHAR(8) NOT NULL, "birth" VARCHAR(8) NOT NULL, "ethnicity" VARCHAR(18) NOT NULL, "native_place" VARCHAR(18) NOT NULL, "birthplace" VARCHAR(18) NOT NULL, "party" VARCHAR(18) NOT NULL, "political" VARCHAR(18) NOT NULL, "work_start" VARCHAR(8) NOT NULL, "health" VARCHAR(18) NOT NULL, "id_number" VARCHAR(18) NOT NULL, "phone" VARCHAR(20) NOT NULL, "tech_title" VARCHAR(90) NOT NULL, "expertise" VARCHAR(110) NOT NULL, "ft_education" VARCHAR(54) NOT NULL, "ft_degree" VARCHAR(54) NOT NULL, "ft_school" VARCHAR(90) NOT NULL, "ft_degree_school" VARCHAR(90) NOT NULL, "pt_education" VARCHAR(54) NOT NULL, "pt_degree" VARCHAR(54) NOT NULL, "pt_school" VARCHAR(90) NOT NULL, "pt_degree_school" VARCHAR(90) NOT NULL, "unit_id" INTEGER NOT NULL, "position" TEXT NOT NULL, "position_date" VARCHAR(8) NOT NULL, "rank" VARCHAR(18) NOT NULL, "rank_date" VARCHAR(8) NOT NULL, "proposed_position" TEXT NOT NULL, "proposed_removal" TEXT NOT NULL, "appointment_reason" TEXT NOT NULL, "reporting_unit" VARCHAR(252) NOT NULL, "age_basis_date" VARCHAR(8) NOT NULL, "fill_date" VARCHAR(8) NOT NULL, "filler" VARCHAR(18) NOT NULL, "categories" VARCHAR(60) NOT NULL, "status" VARCHAR(8) NOT NULL, "specialty" TEXT NOT NULL, "personality" TEXT NOT NULL, "weaknesses" TEXT NOT NULL, "remarks" TEXT NOT NULL, FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT)""",
    """CREATE INDEX "cadre_name_initials" ON "cadre" ("name_initials")""",
    """CREATE INDEX "cadre_name" ON "cadre" ("name")""",
    """CREATE INDEX "cadre_birth" ON "cadre" ("birth")""",
    """CREATE INDEX "cadre_unit_id" ON "cadre" ("unit_id")""",
    """CREATE INDEX "cadre_status" ON "cadre" ("status")""",
    """CREATE TABLE "cadre_photo" ("cadre_id" INTEGER NOT NULL PRIMARY KEY, "data" BLOB NOT NULL, "mime" VARCHAR(30) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE TABLE "resume_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "start" VARCHAR(8) NOT NULL, "end" VARCHAR(8) NOT NULL, "text" TEXT NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "resume_entry_cadre_id" ON "resume_entry" ("cadre_id")""",
    """CREATE TABLE "family_member" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "relation" VARCHAR(10) NOT NULL, "name" VARCHAR(18) NOT NULL, "birth" VARCHAR(8) NOT NULL, "political" VARCHAR(4) NOT NULL, "work" VARCHAR(124) NOT NULL, "id_number" VARCHAR(18) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "family_member_cadre_id" ON "family_member" ("cadre_id")""",
    """CREATE TABLE "reward_punishment" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "date" VARCHAR(8) NOT NULL, "kind" VARCHAR(2) NOT NULL, "content" TEXT NOT NULL, "issuer" VARCHAR(100) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "reward_punishment_cadre_id" ON "reward_punishment" ("cadre_id")""",
    """CREATE TABLE "training" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "name" VARCHAR(200) NOT NULL, "organizer" VARCHAR(100) NOT NULL, "start" VARCHAR(8) NOT NULL, "end" VARCHAR(8) NOT NULL, "hours" REAL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "training_cadre_id" ON "training" ("cadre_id")""",
    """CREATE TABLE "annual_assessment" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "result" VARCHAR(2) NOT NULL, "remark" VARCHAR(200) NOT NULL, "source" VARCHAR(40) NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "annual_assessment_cadre_id" ON "annual_assessment" ("cadre_id")""",
    """CREATE UNIQUE INDEX "annual_assessment_cadre_id_year" ON "annual_assessment" ("cadre_id", "year")""",
    """CREATE TABLE "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" VARCHAR(26) NOT NULL, "user" VARCHAR(60) NOT NULL, "action" VARCHAR(20) NOT NULL, "entity" VARCHAR(40) NOT NULL, "entity_id" INTEGER, "summary" TEXT NOT NULL, "changes" TEXT NOT NULL, "reason" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL)""",
    """CREATE INDEX "audit_log_at" ON "audit_log" ("at")""",
    """CREATE INDEX "audit_log_user" ON "audit_log" ("user")""",
    """CREATE INDEX "audit_log_action" ON "audit_log" ("action")""",
    """CREATE UNIQUE INDEX "cadre_id_number_unique" ON "cadre" ("id_number") WHERE "id_number" <> ''""",
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
