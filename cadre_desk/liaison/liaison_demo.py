"""Demo data for 包抓: 科室分头包抓 — each line's postings looked after by the people of one 科室, most
assigned, a few still waiting for their contact."""

from __future__ import annotations

import random

from cadre_desk.domain import clock
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.db import raw_connection

# (科室, its people with their office phones). Their given names are none the cadre demo gives, so a
# contact is never taken for a cadre of another unit.
OFFICES = (
    ("干部一科", (("李钧", "0719-8201101"), ("赵岚", "0719-8201102"))),
    ("干部二科", (("王崧", "0719-8201201"), ("孙炜", "0719-8201202"))),
    ("干部三科", (("刘骁", "0719-8201301"), ("周琛", "0719-8201302"))),
    ("干部监督科", (("陈晖", "0719-8201401"),)),
    ("组织科", (("吴淼", "0719-8201501"), ("郑蓓", "0719-8201502"))),
)


def add_demo_liaisons(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    stamp = clock.now_iso()
    rows = conn.execute("SELECT p.id, p.cadre_id, p.\"start\", post.line_id FROM posting p JOIN post ON p.post_id = post.id"
                        " WHERE p.state IN ('在岗', '期满', '提前召回')").fetchall()
    lines = sorted({r[3] for r in rows})
    office_of = {line: OFFICES[i % len(OFFICES)] for i, line in enumerate(lines)}
    out = []
    for posting_id, cadre_id, start, line_id in rows:
        if rng.random() < 0.08:
            continue  # not assigned yet
        office, people = office_of[line_id]
        name, phone = rng.choice(people)
        out.append((1, stamp, stamp, posting_id, cadre_id, name, office, phone, None, start or "", ""))
    conn.executemany("INSERT INTO liaison (version, created_at, updated_at, posting_id, cadre_id, contact_name,"
                     " contact_office, contact_phone, user_id, since, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)", out)
    audit.record(audit.SYSTEM, "包抓联系", None, f"生成演示数据：{len(out)} 名一线干部指定了包抓人")
