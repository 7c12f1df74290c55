"""Ordered schema migrations. Each module has VERSION, DESCRIPTION and upgrade(db).

Version numbers are reserved per capability so that parallel work never collides:
1 foundation, 2 postings, 3 mentoring, 4 records & appraisal, 5 accounts & security, 6 units
(全称, kind, 职数), 10 期满鉴定 (posting reviews), 11 home (the 工作台's index), 13 政治体检, 14 专业干部信息库,
15 谈心谈话/关爱/干部监督, 16 包抓, 17 年度考核结果（原文）, 18 工作提醒索引 (the postings by state), 19 工作提醒的日期索引
(postings by planned / actual end, open follow-ups), 20 草稿 (unsaved edits kept when quitting from the idle lock),
21 审计日志按记录索引 (the records an audit row of many at once is about), 22 转正时间.
Add a module to STEPS to add a migration; never edit one that has shipped.

A migration carries its own frozen table definitions (SQL text, never the live models) and runs on both
engines, the SQLite file and a PostgreSQL server: CREATE statements go through ``portable.run_ddl``,
statements with ``?`` placeholders through ``portable.execute`` (see cadre_desk/store/portable.py)."""

from __future__ import annotations

from cadre_desk.domain.errors import SchemaTooNewError
from cadre_desk.store import server
from cadre_desk.store.migrations import (
    v0001_foundation,
    v0002_postings,
    v0003_mentoring,
    v0004_appraisal,
    v0005_security,
    v0006_units,
    v0010_posting_review,
    v0011_home,
    v0013_checkups,
    v0014_talent,
    v0015_care,
    v0016_liaison,
    v0017_assessment_text,
    v0018_reminder_index,
    v0019_reminder_ranges,
    v0020_drafts,
    v0021_audit_subjects,
    v0022_party_confirmed,
)
from cadre_desk.store.portable import is_server

STEPS = [v0001_foundation, v0002_postings, v0003_mentoring, v0004_appraisal, v0005_security, v0006_units,
         v0010_posting_review, v0011_home, v0013_checkups, v0014_talent, v0015_care, v0016_liaison,
         v0017_assessment_text, v0018_reminder_index, v0019_reminder_ranges, v0020_drafts,
         v0021_audit_subjects, v0022_party_confirmed]
STEPS.sort(key=lambda module: module.VERSION)
LATEST = STEPS[-1].VERSION


def current_version(db) -> int:
    if is_server(db):
        return server.schema_version(db)
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _set_version(db, version: int) -> None:
    if is_server(db):
        server.set_schema_version(db, version)
    else:
        db.execute_sql(f"PRAGMA user_version = {int(version)}")


def refuse_if_too_new(version: int) -> None:
    if version > LATEST:
        raise SchemaTooNewError(
            f"该数据库由更新版本的程序创建（结构版本 {version}），本程序只支持到版本 {LATEST}。"
            "请升级程序后再打开，数据未做任何改动。"
        )


def check_version(db) -> int:
    version = current_version(db)
    refuse_if_too_new(version)
    return version


def migrate(db) -> list[int]:
    """Bring the schema up to LATEST, each step in one transaction. Returns the versions applied.
    (Opening a database backs it up first: cadre_desk.store.opening.)"""
    version = check_version(db)
    pending = [step for step in STEPS if step.VERSION > version]
    if not pending:
        return []
    applied = []
    for step in pending:
        with db.atomic():
            if is_server(db):
                # Two programs starting on one server: the second waits here, then finds the step done.
                server.lock_migrations(db)
                if check_version(db) >= step.VERSION:
                    continue
            step.upgrade(db)
            _set_version(db, step.VERSION)
        applied.append(step.VERSION)
    return applied
