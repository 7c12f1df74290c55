"""Schema version 22: 转正时间, the month a 预备党员 became a full member of the 中国共产党.

- ``cadre.party_confirmed``: a 年月 (YYYYMM), empty for most rows until a roster gives it. 入党时间 stays
  the joining date (成为预备党员的时间) as the 任免表 writes it; 党龄 counts from 转正 (党章第七条), which
  rosters copied from a 党员 register carry (「2008年6月入党（2009年6月转正）」, a 转正时间 column) and
  which an import before this version could only say it dropped.

Frozen SQL (the same words on both engines); this text never changes once shipped."""

VERSION = 22
DESCRIPTION = "转正时间"

STATEMENTS = [
    """ALTER TABLE "cadre" ADD COLUMN "party_confirmed" VARCHAR(8) NOT NULL DEFAULT ''""",
]


def upgrade(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
