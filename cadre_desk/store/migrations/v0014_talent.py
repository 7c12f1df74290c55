"""Schema version 14: 专业干部信息库 — talent pools by field (seeded with the five the practice built) and
the cadres in them, each with a level and a note.

Frozen DDL and seed rows (in SQLite's words; portable.ddl says them in the server's): later migrations
change them, this text never changes."""

from cadre_desk.domain import clock
from cadre_desk.store.portable import execute, run_ddl

VERSION = 14
DESCRIPTION = "专业干部信息库：人才库与入库干部"

POOLS = (
    ("经济发展", "招商引资、产业发展、项目建设、财政金融等经济工作方面的专业干部"),
    ("城乡建设", "规划建设、交通水利、生态环保、征地拆迁等方面的专业干部"),
    ("乡村振兴", "农业农村、驻村帮扶、集体经济、农村改革等方面的专业干部"),
    ("社会治理", "信访维稳、应急管理、基层治理、社区网格等方面的专业干部"),
    ("党建群团", "党的建设、组织人事、宣传统战、群团工作等方面的专业干部"),
)

STATEMENTS = [
    'CREATE TABLE "talent_pool" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "name" VARCHAR(40) NOT NULL, "description" VARCHAR(200) NOT NULL, "sort_order" INTEGER NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "talent_pool_name" ON "talent_pool" ("name")',
    'CREATE TABLE "pool_member" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "created_at" VARCHAR(19) NOT NULL, "updated_at" VARCHAR(19) NOT NULL, "pool_id" INTEGER NOT NULL, "cadre_id" INTEGER NOT NULL, "level" VARCHAR(10) NOT NULL, "joined_on" VARCHAR(8) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("pool_id") REFERENCES "talent_pool" ("id") ON DELETE RESTRICT, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "pool_member_pool_id" ON "pool_member" ("pool_id")',
    'CREATE INDEX "pool_member_cadre_id" ON "pool_member" ("cadre_id")',
    'CREATE UNIQUE INDEX "pool_member_pool_id_cadre_id" ON "pool_member" ("pool_id", "cadre_id")',
]


def upgrade(db) -> None:
    run_ddl(db, STATEMENTS)
    stamp = clock.now_iso()
    for order, (name, description) in enumerate(POOLS):
        execute(db, 'INSERT INTO "talent_pool" ("version", "created_at", "updated_at", "name", "description",'
                ' "sort_order", "retired") VALUES (1, ?, ?, ?, ?, ?, 0)', (stamp, stamp, name, description, order))
