"""Demo data for 政治体检: a round of 提醒单 each quarter for the last year, issued to the cadres on a
frontline posting and the newly promoted ones; most sheets checked back (a few problems found, some
rectified, some still 整改中), the current quarter's still coming in.

Rows go in through executemany (fast at 100k cadres); one audit row sums them up."""

from __future__ import annotations

import datetime as _dt
import json
import random

from cadre_desk.checkups.checkups import list_items, quarter_bounds, quarter_label, quarter_of
from cadre_desk.domain import clock
from cadre_desk.domain.dates import from_date
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.checkup_models import CLEAN, FIXED, FIXING, UNCHECKED, CheckupRound
from cadre_desk.store.db import raw_connection

FINDINGS = (
    "对“两个维护”的认识停留在表态层面，结合岗位抓落实不够具体",
    "落实中央八项规定精神有所松懈，一次公务接待未严格按标准执行",
    "参加支部组织生活不够经常，两次请假后未及时补学",
    "个人有关事项报告中漏报一处房产变动",
    "在工作群转发未经核实的信息，网络言行不够严谨",
    "一线岗位请销假手续不完整，有一次未按规定报备",
)
RECTIFICATIONS = (
    "已在支部组织生活会上作检视剖析，列出整改清单逐项销号",
    "已补报个人有关事项并作出书面说明",
    "已补学相关内容并提交学习心得，由支部书记谈话提醒",
    "已规范请销假手续，由包抓科室跟踪督促",
)
CHECKERS = ("干部一科", "干部二科", "干部监督科")
MAX_PER_ROUND = 400


def _group(conn, rng: random.Random) -> list[int]:
    """Cadres on a frontline posting, then the newly promoted (新提拔干部), serving."""
    posted = [r[0] for r in conn.execute("SELECT cadre_id FROM posting WHERE state = '在岗'").fetchall()]
    promoted = [r[0] for r in conn.execute(
        "SELECT id FROM cadre WHERE status = '1' AND (categories = '01' OR categories LIKE '01,%')").fetchall()]
    rng.shuffle(promoted)
    return list(dict.fromkeys(posted + promoted))[:MAX_PER_ROUND]


def add_demo_checkups(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    today = clock.today()
    group = _group(conn, rng)
    items = [(i.name, i.description) for i in list_items()]
    if not group or not items:
        return
    year, quarter = quarter_of(today)
    quarters = []
    for _ in range(4):
        quarters.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    stamp = clock.now_iso()
    sheets = []
    rounds = 0
    for year, quarter in reversed(quarters):
        first, _last = quarter_bounds(year, quarter)
        issued = first + _dt.timedelta(days=rng.randint(5, 12))
        if issued > today:
            continue
        due = issued + _dt.timedelta(days=30)
        round_id = CheckupRound.insert(
            year=year, quarter=quarter, title="政治体检提醒单（一线干部及新提拔干部）", issued_on=from_date(issued),
            due=from_date(due), group_note="一线在岗干部、新提拔干部", items=json.dumps(items, ensure_ascii=False),
            issuer="干部监督科", created_at=stamp, updated_at=stamp).execute()
        rounds += 1
        current = (year, quarter) == quarters[0]
        share = (0.8 if due < today else 0.45) if current else 0.97
        for cadre_id in group:
            result, checked_on, checker, findings, rectification = UNCHECKED, "", "", "", ""
            if rng.random() < share:
                day = issued + _dt.timedelta(days=rng.randint(3, 40))
                day = min(day, today)
                result = rng.choices((CLEAN, FIXED, FIXING), weights=(85, 10, 5 if current or
                                                                       (year, quarter) == quarters[1] else 0))[0]
                checked_on, checker = from_date(day), rng.choice(CHECKERS)
                if result != CLEAN:
                    findings = rng.choice(FINDINGS)
                if result == FIXED:
                    rectification = rng.choice(RECTIFICATIONS)
            sheets.append((1, stamp, stamp, round_id, cadre_id, result, checked_on, checker, findings, rectification))
    conn.executemany(
        'INSERT INTO checkup_sheet (version, created_at, updated_at, round_id, cadre_id, result, checked_on, checker,'
        " findings, rectification) VALUES (?,?,?,?,?,?,?,?,?,?)", sheets)
    label = quarter_label(*quarters[-1])
    audit.record(audit.SYSTEM, "政治体检", None, f"生成演示数据：自{label}起提醒单 {rounds} 批，{len(sheets)} 人次")
