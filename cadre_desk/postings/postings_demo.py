"""Demo data for frontline postings: posts on every line and postings in every state."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.domain import clock
from cadre_desk.domain.dates import add_months
from cadre_desk.domain.progress import Progress
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    CHANNELS,
    COMPLETED,
    ON_POST,
    OUTCOMES,
    PROPOSED,
    RECALLED,
)
from cadre_desk.store.models import Cadre
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting

# line name → [(post name, host type, host name, requirements, duties)]
POSTS = {
    "重大项目建设": [
        ("高铁片区综合开发项目服务专班", "专班", "高铁片区建设指挥部", "项目管理、规划建设",
         "协调征地拆迁、办理项目审批手续、跟踪工程进度"),
        ("市第一人民医院新院区项目专班", "专班", "市卫生健康委员会", "项目管理、财务审计",
         "跟踪项目资金拨付和工程进度，协调参建单位"),
        ("临江港区物流园建设专班", "专班", "市交通运输局", "规划建设、经济分析", "推进港区物流园建设，协调要素保障"),
    ],
    "招商引资": [
        ("长三角招商小分队", "招商小分队", "市投资促进局", "招商引资、经济分析", "驻点长三角开展产业链招商，跟踪在谈项目"),
        ("珠三角招商小分队", "招商小分队", "市投资促进局", "招商引资、产业发展", "驻点珠三角对接企业，洽谈签约项目"),
        ("新能源产业链招商专班", "专班", "市发展和改革委员会", "产业发展、数据分析", "梳理产业链图谱，精准招商"),
    ],
    "乡村振兴": [
        ("柳林乡驻村工作队", "驻村工作队", "临江县柳林乡", "农村工作、党建工作", "驻村开展产业帮扶、基层党建和集体经济发展"),
        ("龙潭乡驻村工作队", "驻村工作队", "青川县龙潭乡", "农村工作、群众工作", "驻村推进人居环境整治和产业振兴"),
        ("白沙乡乡村产业服务队", "驻村工作队", "临江县白沙乡", "产业发展、农村工作", "发展特色种养和农产品电商"),
    ],
    "信访维稳": [
        ("市信访局接访岗", "主管部门", "市信访局", "信访调解、法律事务", "接待来访群众，化解信访积案"),
        ("重点矛盾纠纷化解专班", "专班", "市委政法委", "信访调解、群众工作", "包案化解重点矛盾纠纷"),
    ],
    "社区服务": [
        ("城关街道社区网格", "社区网格", "东城区城关街道", "社区治理、群众工作", "担任网格员，开展走访服务和基层治理"),
        ("新华街道社区网格", "社区网格", "西城区新华街道", "社区治理、应急管理", "参与社区治理、应急处置和民生服务"),
        ("西门街道老旧小区改造工作组", "主管部门", "西城区西门街道", "规划建设、社区治理", "推进老旧小区改造，做好群众工作"),
    ],
}

APPRAISALS = ("政治坚定，能够迅速进入角色，工作扎实肯干，较好完成了各项锻炼任务，群众认可度高。",
              "工作主动，协调能力明显提升，在急难险重任务中经受了锻炼，表现突出。",
              "能够完成岗位任务，基层经验有所积累，但统筹协调能力仍需进一步提高。")
RECALL_REASONS = ("因原单位工作需要提前召回", "因身体原因申请提前结束锻炼", "岗位任务提前完成，经研究提前召回")
DEMO_STATES = (COMPLETED, RECALLED, ON_POST, PROPOSED)
MANAGERS = ("王建华", "李国庆", "陈志强", "刘晓东", "张卫平", "杨明", "赵红梅", "周海涛")


def _ymd(day: _dt.date) -> str:
    return day.strftime("%Y%m%d")


def add_demo_postings(rng: random.Random, progress: Progress) -> None:
    today = clock.today()
    lines = {line.name: line for line in FrontlineLine.select()}
    cadres = list(Cadre.select(Cadre.id, Cadre.categories, Cadre.birth, Cadre.rank).where(Cadre.status == "1")
                  .tuples())
    if not cadres or not lines:
        return
    stamp = clock.now_iso()
    young = [c for c in cadres if c[1]]
    seniors = [c[0] for c in cadres if c[3][:3] in ("013", "014", "022")] or [c[0] for c in cadres]
    rng.shuffle(young)
    # a few hundred for 1000 cadres: about a third of the cadres with a category
    pool = young[: max(4, len(cadres) * 3 // 10)]
    posts: list[tuple[int, int, int]] = []  # (post id, capacity, line months)
    open_start = _ymd(today.replace(day=1) - _dt.timedelta(days=3 * 365))
    for line_name, specs in POSTS.items():
        line = lines.get(line_name)
        if line is None:
            continue
        for name, host_type, host_name, requirements, duties in specs:
            capacity = rng.choice((4, 6, 8, 10, 12)) * max(1, len(cadres) // 600)
            post_id = Post.insert(
                line=line.id, name=name, host_type=host_type, host_name=host_name, duties=duties,
                requirements=requirements, wanted_categories=rng.choice(("01,02,03", "02,03", "03,04", "01,03")),
                capacity=capacity, open_start=open_start, open_end="",
                party_branch=f"{host_name}一线锻炼功能型党支部", party_group=f"{name}临时党小组",
                host_contact=f"{rng.choice(MANAGERS)} 0710-{rng.randint(3000000, 8999999)}",
                created_at=stamp, updated_at=stamp).execute()
            posts.append((post_id, capacity, line.default_months))
    active_on: dict[int, int] = {}
    rows = []
    for n, (cadre_id, _cats, _birth, _rank) in enumerate(pool):
        post_id, capacity, months = rng.choice(posts)
        state = rng.choices(DEMO_STATES, weights=(45, 7, 38, 10))[0]
        if n < len(DEMO_STATES):  # every state shown, whatever the draw
            state = DEMO_STATES[n]
        if state in ACTIVE_STATES and active_on.get(post_id, 0) >= capacity:
            state = COMPLETED
        if state == COMPLETED:
            start = today - _dt.timedelta(days=rng.randint(months * 31 + 20, 3 * 365))
        elif state == RECALLED:
            start = today - _dt.timedelta(days=rng.randint(60, 2 * 365))
        elif state == ON_POST:
            # some ending within 30 days, a few past their planned end
            start = today - _dt.timedelta(days=rng.randint(10, months * 31 + 20))
        else:
            start = today + _dt.timedelta(days=rng.randint(3, 40))
        start_s = _ymd(start)
        planned = add_months(start_s, months)
        actual, appraisal, outcome, reason = "", "", "", ""
        if state == COMPLETED:
            actual = planned
            appraisal = rng.choice(APPRAISALS)
            outcome = rng.choices(OUTCOMES, weights=(20, 25, 50, 5))[0]
        elif state == RECALLED:
            actual = _ymd(start + _dt.timedelta(days=rng.randint(20, 80)))
            reason = rng.choice(RECALL_REASONS)
        if state in ACTIVE_STATES:
            active_on[post_id] = active_on.get(post_id, 0) + 1
        guide = rng.choice(seniors) if rng.random() < 0.6 else None
        if guide == cadre_id:
            guide = None
        rows.append({
            "cadre": cadre_id, "post": post_id, "channel": rng.choices(CHANNELS, weights=(15, 35, 50))[0],
            "start": start_s, "planned_end": planned, "actual_end": actual, "state": state,
            "daily_manager": rng.choice(MANAGERS), "guide_cadre": guide, "recall_reason": reason,
            "appraisal_text": appraisal, "outcome": outcome, "remarks": "", "version": 1,
            "created_at": stamp, "updated_at": stamp})
        if n % 200 == 0:
            progress.report(n, len(pool), "正在生成一线锻炼演示数据")
    for i in range(0, len(rows), 200):
        Posting.insert_many(rows[i:i + 200]).execute()
