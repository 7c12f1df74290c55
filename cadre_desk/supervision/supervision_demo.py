"""Demo data for 干部监督: a few 提醒, fewer 函询 and the odd 诫勉, from the usual sources.

Rows go in through executemany; one audit row says how many (not whom)."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.domain import clock
from cadre_desk.domain.dates import from_date
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.db import raw_connection

MATTERS = {
    "提醒": ("反映其在项目推进中工作方法简单，与群众沟通不够耐心", "工作群中发表不当言论，造成不良影响",
             "一线岗位考勤有两次未按规定请假"),
    "函询": ("反映其配偶经商，可能存在利益关联", "反映其在征迁协调中对个别农户补偿标准把握不一"),
    "诫勉": ("落实整改任务不力，巡察反馈问题整改逾期", "违规接受管理服务对象宴请"),
}
OUTCOMES = {
    "提醒": "已由干部监督科进行提醒谈话，本人认识到问题并作出书面说明",
    "函询": "本人已书面说明情况，经核实予以采信，了结澄清",
    "诫勉": "经研究，对其进行诫勉，影响期内不得提拔使用",
}
SOURCES = {"提醒": ("日常监督", "信访举报", "巡视巡察"), "函询": ("信访举报", "12380举报"), "诫勉": ("巡视巡察", "审计")}
HANDLERS = ("陈晖", "郑煦", "干部监督科")


def add_demo_records(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    today = clock.today()
    stamp = clock.now_iso()
    serving = [r[0] for r in conn.execute("SELECT id FROM cadre WHERE status = '1'").fetchall()]
    rows = []
    for cadre_id in rng.sample(serving, min(len(serving) // 60 + 1, 200)):
        kind = rng.choices(("提醒", "函询", "诫勉"), weights=(6, 3, 1))[0]
        day = today - _dt.timedelta(days=rng.randint(5, 700))
        # a recent 函询 may still wait for its outcome
        outcome = "" if kind == "函询" and (today - day).days < 90 and rng.random() < 0.6 else OUTCOMES[kind]
        rows.append((1, stamp, stamp, cadre_id, kind, rng.choice(SOURCES[kind]), from_date(day),
                     rng.choice(MATTERS[kind]), outcome, rng.choice(HANDLERS), "干部监督科"))
    conn.executemany('INSERT INTO supervision_record (version, created_at, updated_at, cadre_id, kind, source, "date",'
                     " matter, outcome, handler, recorder) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    audit.record(audit.SYSTEM, "干部监督记录", None, f"生成演示数据：{len(rows)} 条")
