"""Schema version 17: 年度考核结果（原文）, the 年度考核 text as a file gave it, gets its own column.

- ``cadre.assessment_text``: NianDuKaoHeJieGuo of an imported 任免表 (or a roster's 年度考核 text
  column) as written. The 任免表 writes it back while the per-year results still say what it says.
- Before this version an imported text that could not be read year by year was kept in 备注 on a
  line of its own starting with "年度考核结果（原文）："; such a line moves to the new column (the
  rest of 备注 stays as it was).

Frozen SQL (the same words on both engines); this text never changes once shipped."""

from cadre_desk.store.portable import execute

VERSION = 17
DESCRIPTION = "年度考核结果原文"

NOTE = "年度考核结果（原文）："
STATEMENTS = [
    """ALTER TABLE "cadre" ADD COLUMN "assessment_text" TEXT NOT NULL DEFAULT ''""",
]


def split_note(remarks: str) -> tuple[str, str]:
    """(备注 without the kept 年度考核 line, the kept text) — the last such line wins."""
    kept, lines = "", []
    for line in remarks.splitlines():
        if line.startswith(NOTE):
            kept = line[len(NOTE):].strip()
        else:
            lines.append(line)
    return "\n".join(lines).strip(), kept


def upgrade(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
    rows = list(execute(db, 'SELECT "id", "remarks" FROM "cadre" WHERE "remarks" LIKE ?', (f"%{NOTE}%",)))
    for cadre_id, remarks in rows:
        rest, kept = split_note(remarks or "")
        execute(db, 'UPDATE "cadre" SET "remarks" = ?, "assessment_text" = ? WHERE "id" = ?', (rest, kept, cadre_id))
