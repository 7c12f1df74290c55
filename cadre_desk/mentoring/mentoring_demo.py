"""Demo data for 导师帮带: pairs in every state, with meeting logs and closing evaluations.

Rows go in through executemany (fast at 100k cadres); one audit row sums them up."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.domain import clock
from cadre_desk.domain.dates import to_date
from cadre_desk.domain.progress import Progress
from cadre_desk.security import audit
from cadre_desk.store.db import raw_connection
from cadre_desk.store.mentoring_models import ACTIVE, COMPLETED, FORMS, TERMINATED

FOCUSES = ("招商引资", "项目建设", "基层治理", "信访化解", "乡村振兴", "文字综合", "群众工作", "应急处突",
           "产业发展", "党建业务")
GOALS = ("熟悉{f}工作流程，能独立牵头推进一项重点任务", "掌握{f}政策要点，形成一篇有分量的调研报告",
         "提升{f}实战能力，独立处理复杂问题不少于三件", "补齐{f}短板，年度考核争创优秀")
CONTENTS = {
    "谈心谈话": ("围绕近期思想状态和工作困惑开展谈心，帮助其正确看待岗位锻炼中的困难",
                 "交流基层工作体会，指出其在群众工作中表达方式需改进"),
    "现场指导": ("带领其到项目现场协调征迁问题，示范与群众沟通的方法", "现场指导其组织召开协调会，复盘会议议程安排"),
    "业务培训": ("讲解相关政策文件和办事流程，布置学习任务", "结合典型案例讲授工作方法，要求撰写学习心得"),
    "其他": ("共同参加专题调研，指导其梳理问题清单", "审阅其起草的工作方案并提出修改意见"),
}
NEXT_STEPS = ("下月前完成调研报告初稿", "独立牵头处理一件群众诉求并汇报", "整理政策要点形成学习笔记", "跟进项目节点，每周汇报进展")
END_REASONS = ("导师工作调动，无法继续帮带", "帮带对象岗位调整，帮带方向不再适用", "帮带对象提前结束一线锻炼返回原单位")
MENTOR_COMMENTS = ("进步明显，已能独立牵头推进重点工作，达到帮带目标", "工作态度端正，业务能力有提升，综合协调能力仍需加强",
                   "学习主动、作风扎实，基本达到帮带目标")
MENTEE_COMMENTS = ("导师倾囊相授，指导具体及时，收获很大", "导师工作繁忙，面对面指导次数偏少，但每次指导都很有针对性",
                   "导师言传身教，在为人处事和工作方法上给予很多帮助")
RANK_LEVEL_OK = {"0131", "0132", "0141", "0142", "0221", "0222", "0223", "0224", "0231", "0232"}


def _ymd(day: _dt.date) -> str:
    return day.strftime("%Y%m%d")


def _active_postings(conn) -> dict[int, tuple[int, _dt.date, str]]:
    """cadre id → (posting id, start, line name) of the 在岗 postings."""
    rows = conn.execute(
        'SELECT p.cadre_id, p.id, p."start", l.name FROM posting p JOIN post ON p.post_id = post.id'
        " JOIN frontline_line l ON post.line_id = l.id WHERE p.state = '在岗'").fetchall()
    out = {}
    for cadre_id, posting_id, start, line_name in rows:
        if start and len(start) >= 6:
            day = _dt.date(int(start[:4]), int(start[4:6]), int(start[6:8]) if len(start) >= 8 else 1)
            out[cadre_id] = (posting_id, day, line_name)
    return out


def add_demo_pairs(rng: random.Random, progress: Progress) -> None:
    conn = raw_connection()
    today = clock.today()
    rows = conn.execute("SELECT id, birth, rank FROM cadre WHERE status = '1'").fetchall()
    year = today.year
    mentors = [r[0] for r in rows if r[1] and int(r[1][:4]) <= year - 40 and r[2] in RANK_LEVEL_OK]
    mentees = [r[0] for r in rows if r[1] and int(r[1][:4]) >= year - 35]
    rng.shuffle(mentors)
    rng.shuffle(mentees)
    postings = _active_postings(conn)
    mentor_set = set(mentors)
    # cadres on a frontline posting first: that is where a mentor is needed most
    mentees = sorted((m for m in mentees if m not in mentor_set), key=lambda m: m not in postings)
    if not mentors or not mentees:
        return
    # a city runs a few hundred pairs at most, whatever the size of the demo database
    n_pairs = min(len(mentees), max(4, len(rows) // 6), len(mentors) * 3, 600)
    mentors = mentors[: max(2, n_pairs // 2)]  # a smaller pool, so that loads of 2/3 and 3/3 show up
    stamp = clock.now_iso()
    conn_cursor = conn.execute("SELECT COALESCE(MAX(id), 0) FROM mentor_pair")
    pair_id = conn_cursor.fetchone()[0]
    pairs, logs = [], []
    load: dict[int, int] = {}
    states = (ACTIVE, ACTIVE, ACTIVE, COMPLETED, COMPLETED, TERMINATED)
    for i in range(n_pairs):
        mentee = mentees[i]
        mentor = mentors[i % len(mentors)]
        state = states[i % len(states)] if i >= 3 else (ACTIVE, COMPLETED, TERMINATED)[i]
        if state == ACTIVE:
            if load.get(mentor, 0) >= 3:
                state = COMPLETED
            else:
                load[mentor] = load.get(mentor, 0) + 1
        focus = rng.choice(FOCUSES)
        posting_id = None
        if state == ACTIVE:
            start = today - _dt.timedelta(days=rng.randint(40, 300))
            if mentee in postings:
                posting_id, posting_start, focus = postings[mentee]
                start = max(start, min(posting_start, today))
        else:
            start = today - _dt.timedelta(days=rng.randint(420, 900))
        planned_end = start + _dt.timedelta(days=365)
        actual_end, end_reason = "", ""
        ratings = (None, "", None, "")
        if state == COMPLETED:
            end = planned_end - _dt.timedelta(days=rng.choice((0, 0, 0, 45)))
            actual_end = _ymd(end)
            ratings = (float(rng.randint(72, 97)), rng.choice(MENTOR_COMMENTS), float(rng.randint(75, 99)),
                       rng.choice(MENTEE_COMMENTS))
        elif state == TERMINATED:
            end = start + _dt.timedelta(days=rng.randint(90, 300))
            actual_end, end_reason = _ymd(end), rng.choice(END_REASONS)
        pair_id += 1
        pairs.append((pair_id, 1, stamp, stamp, mentor, mentee, posting_id, focus,
                      rng.choice(GOALS).format(f=focus), _ymd(start), _ymd(planned_end), actual_end, state,
                      end_reason, *ratings))
        last = to_date(actual_end) if actual_end else today
        # every third active pair has gone quiet, to show the idle reminder
        if state == ACTIVE and i % 3 == 0:
            last = min(last, today - _dt.timedelta(days=rng.randint(35, 60)))
        day = start + _dt.timedelta(days=rng.randint(3, 10))
        while day <= last:
            form = rng.choices(FORMS, weights=(5, 3, 2, 1))[0]
            logs.append((pair_id, _ymd(day), form, rng.choice(CONTENTS[form]), rng.choice(NEXT_STEPS), "组织部干部科",
                         stamp))
            day += _dt.timedelta(days=rng.randint(14, 28))
    conn.executemany(
        "INSERT INTO mentor_pair (id, version, created_at, updated_at, mentor_id, mentee_id, posting_id, focus, goals,"
        ' "start", planned_end, actual_end, state, end_reason, mentor_rating, mentor_comment, mentee_rating,'
        " mentee_comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", pairs)
    conn.executemany("INSERT INTO meeting_log (pair_id, date, form, content, next_steps, recorder, created_at)"
                     " VALUES (?,?,?,?,?,?,?)", logs)
    audit.record(audit.SYSTEM, "导师帮带", None, f"生成演示数据：帮带结对 {len(pairs)} 对，谈话记录 {len(logs)} 条")
