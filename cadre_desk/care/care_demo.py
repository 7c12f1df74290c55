"""Demo data for 谈心谈话 and 关爱: the cadres on a frontline posting talked with since they arrived (a few
overdue, some follow-ups still open), others now and then; 体检 once a year for most posted cadres, a
心理健康 training for a group, 休假 and a Spring Festival visit here and there.

Rows go in through executemany (fast at 100k cadres); one audit row sums them up."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.care.talks import interval_days
from cadre_desk.domain import clock
from cadre_desk.domain.dates import from_date, to_date
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.db import raw_connection

TALKERS = ("李钧（干部一科科长）", "王崧（干部二科副科长）", "陈晖（干部监督科科长）", "张翊（组织部副部长）",
           "刘骁（干部三科科长）")  # the department's people of the 包抓 demo
TOPICS = {
    "到岗谈话": ("讲明一线锻炼的目标任务和纪律要求，了解其思想状态和家庭困难",
                 "介绍岗位职责和双重管理要求，叮嘱尽快熟悉情况、融入团队"),
    "日常谈心": ("交流近期工作进展和思想动态，肯定其在项目协调中的表现，提醒注意工作方法",
                 "了解其在驻村工作中的困难，听取对锻炼安排的意见建议",
                 "围绕群众工作方法谈体会，鼓励其大胆开展工作"),
    "期中谈话": ("对锻炼过半的表现进行反馈，指出统筹协调能力仍需加强，明确后半程目标",),
    "期满谈话": ("总结一线锻炼收获，反馈期满鉴定意见，了解今后工作意向",),
    "关爱谈话": ("了解其家中老人住院情况，协调岗位单位合理安排轮休",
                 "关心其身体状况，叮嘱注意劳逸结合"),
}
FOLLOW_UPS = ("协调主管部门解决办公住宿条件", "推荐参加招商引资专题培训", "请岗位单位明确一名业务骨干具体指导",
              "跟踪了解家属就医情况", "")
CARE_CONTENT = {
    "体检": "参加市直机关干部年度健康体检",
    "休假": "按规定安排带薪年休假",
    "心理健康培训": "参加“一线干部心理调适与压力管理”专题培训",
    "走访慰问": "春节前走访慰问家属，送去慰问信",
}


def _day(day: _dt.date) -> str:
    return from_date(day)


def add_demo_care(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    today = clock.today()
    stamp = clock.now_iso()
    posted = conn.execute(
        "SELECT p.cadre_id, p.id, p.\"start\" FROM posting p WHERE p.state = '在岗' AND p.\"start\" <> ''").fetchall()
    step = interval_days()
    talks, care = [], []
    training_day = today - _dt.timedelta(days=rng.randint(40, 120))
    for n, (cadre_id, posting_id, start) in enumerate(posted):
        begin = to_date(start)
        if begin > today:
            continue
        day = begin + _dt.timedelta(days=rng.randint(2, 6))
        occasion = "到岗谈话"
        overdue = n % 5 == 0  # every fifth has gone too long without a talk
        stop = today - _dt.timedelta(days=step + rng.randint(5, 40)) if overdue else today
        while day <= stop:
            follow = rng.choice(FOLLOW_UPS) if occasion != "到岗谈话" else ""
            done = bool(follow) and (today - day).days > 45 and rng.random() < 0.8
            talks.append((1, stamp, stamp, cadre_id, _day(day), rng.choice(TALKERS), occasion,
                          rng.choice(TOPICS[occasion]), follow, int(done), posting_id, "组织部干部科"))
            day += _dt.timedelta(days=rng.randint(45, step - 5))
            occasion = rng.choices(("日常谈心", "关爱谈话", "期中谈话"), weights=(6, 2, 1))[0]
        if rng.random() < 0.85:
            exam = today - _dt.timedelta(days=rng.randint(20, 330))
            care.append((1, stamp, stamp, cadre_id, "体检", _day(exam), "", CARE_CONTENT["体检"], "组织部干部科"))
        if rng.random() < 0.3:
            care.append((1, stamp, stamp, cadre_id, "心理健康培训", _day(training_day),
                         _day(training_day + _dt.timedelta(days=1)), CARE_CONTENT["心理健康培训"], "组织部干部科"))
        if rng.random() < 0.25:
            leave = today - _dt.timedelta(days=rng.randint(10, 200))
            care.append((1, stamp, stamp, cadre_id, "休假", _day(leave), _day(leave + _dt.timedelta(days=rng.randint(2, 7))),
                         CARE_CONTENT["休假"], "组织部干部科"))
        if rng.random() < 0.2:
            visit = _dt.date(today.year if today.month > 2 else today.year - 1, 1, rng.randint(15, 28))
            care.append((1, stamp, stamp, cadre_id, "走访慰问", _day(visit), "", CARE_CONTENT["走访慰问"], "组织部干部科"))
    others = conn.execute("SELECT id FROM cadre WHERE status = '1'").fetchall()
    for (cadre_id,) in rng.sample(others, min(len(others) // 20, 500)):
        day = today - _dt.timedelta(days=rng.randint(5, 400))
        talks.append((1, stamp, stamp, cadre_id, _day(day), rng.choice(TALKERS), "日常谈心",
                      rng.choice(TOPICS["日常谈心"]), "", 0, None, "组织部干部科"))
    conn.executemany(
        'INSERT INTO talk_record (version, created_at, updated_at, cadre_id, "date", talker, occasion, topics, follow_up,'
        " follow_up_done, posting_id, recorder) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", talks)
    conn.executemany('INSERT INTO care_record (version, created_at, updated_at, cadre_id, kind, "date", end_date, content,'
                     " recorder) VALUES (?,?,?,?,?,?,?,?,?)", care)
    audit.record(audit.SYSTEM, "谈心关爱", None, f"生成演示数据：谈心谈话 {len(talks)} 条，关爱记录 {len(care)} 条")
