"""Demo data for 专业干部信息库: serving cadres whose specialties fit a pool's field are put in it (some in
two), most as 骨干, the strongest few as 领军, the young ones as 储备.

Rows go in through executemany (fast at 100k cadres); one audit row sums them up."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.domain import clock
from cadre_desk.domain.dates import from_date
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.db import raw_connection

# a pool's name → the specialties (profiles' 专业特长 words) that fit it
FIELDS = {
    "经济发展": ("招商引资", "产业发展", "经济分析", "财务审计", "项目管理"),
    "城乡建设": ("规划建设", "项目管理"),
    "乡村振兴": ("农村工作", "产业发展"),
    "社会治理": ("信访调解", "社区治理", "应急管理", "群众工作", "法律事务"),
    "党建群团": ("党建工作", "文字综合"),
}
NOTES = ("牵头推进过重点项目，熟悉全流程", "在一线岗位表现突出，可承担攻坚任务", "业务扎实，适合跨部门专班",
         "", "", "有基层工作经历，群众基础好", "参加过专题培训，可作为后备力量培养")
MAX_MEMBERS = 3000


def add_demo_members(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    pools = dict(conn.execute("SELECT name, id FROM talent_pool WHERE retired = 0").fetchall())
    today = clock.today()
    rows = conn.execute("SELECT id, birth, specialty FROM cadre WHERE status = '1' AND specialty <> ''").fetchall()
    rng.shuffle(rows)
    stamp = clock.now_iso()
    members = []
    for cadre_id, birth, specialty in rows:
        if len(members) >= MAX_MEMBERS or rng.random() > 0.18:
            continue
        fitting = [name for name, words in FIELDS.items() if name in pools and any(w in specialty for w in words)]
        rng.shuffle(fitting)
        for name in fitting[:rng.choice((1, 1, 1, 2))]:
            age = today.year - int(birth[:4]) if birth else 40
            level = "储备" if age < 32 else rng.choices(("领军", "骨干"), weights=(1, 6))[0]
            joined = today - _dt.timedelta(days=rng.randint(30, 900))
            members.append((1, stamp, stamp, pools[name], cadre_id, level, from_date(joined), rng.choice(NOTES)))
    conn.executemany("INSERT INTO pool_member (version, created_at, updated_at, pool_id, cadre_id, level, joined_on, note)"
                     " VALUES (?,?,?,?,?,?,?,?)", members)
    audit.record(audit.SYSTEM, "专业干部库", None, f"生成演示数据：入库 {len(members)} 人次")
