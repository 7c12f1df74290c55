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
    OTHER_OUTCOME,
    OUTCOMES,
    PROMOTED,
    PROPOSED,
    RANK_RAISED,
    RECALLED,
    RETURNED,
    REVIEW_GRADES,
)
from cadre_desk.store.db import raw_connection
from cadre_desk.store.models import Cadre, ResumeEntry, Unit
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting, PostingReview

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

# 期满鉴定: opinions by the grade they go with (优秀 / 称职 / 基本称职 and 不称职), for each side.
HOME_OPINIONS = {
    "优秀": ("该同志锻炼期间始终保持与原单位的联系，思想上进、作风过硬，锻炼成效明显，同意鉴定为优秀。",
             "该同志在一线经受了严格锻炼，政治素质和履职能力明显提升，本单位对其锻炼表现满意。"),
    "称职": ("该同志服从组织安排，能够按要求完成锻炼任务，综合素质有所提高，同意锻炼期满鉴定意见。",
             "该同志锻炼期间表现良好，能够正确处理原单位工作与锻炼任务的关系，同意期满返岗。"),
    "基本称职": ("该同志能够完成基本锻炼任务，但主动性不够，与原单位沟通较少，建议继续加强实践锻炼。",),
}
HOST_OPINIONS = {
    "优秀": ("该同志到岗后迅速进入角色，牵头协调重点任务，攻坚克难成效突出，群众和服务对象评价很高。",
             "该同志扎根一线、吃苦耐劳，在急难险重任务中冲在前面，协调推动能力强，锻炼表现优秀。"),
    "称职": ("该同志工作认真负责，能够较好完成承担的各项任务，与同事和群众关系融洽，锻炼表现称职。",
             "该同志能够适应一线工作节奏，按时完成交办任务，基层工作经验有所积累。"),
    "基本称职": ("该同志能够完成交办的一般性任务，但工作主动性和解决复杂问题的能力有待提高。",),
}
ORG_OPINIONS = {
    "优秀": ("经综合考察，该同志锻炼期间政治坚定、实绩突出、群众公认，鉴定为优秀，列为优秀年轻干部重点培养对象。",
             "该同志在一线锻炼中表现突出，能力得到全面提升，鉴定为优秀，建议优先提拔使用。"),
    "称职": ("经综合考察，该同志较好完成了一线锻炼任务，鉴定为称职，期满返回原单位工作。",
             "该同志锻炼期间表现良好，基层经验和协调能力有所提升，鉴定为称职。"),
    "基本称职": ("该同志基本完成锻炼任务，但统筹协调能力仍需提高，鉴定为基本称职，回原单位后继续加强培养。",),
}
GRADE_WEIGHTS = {"优秀": 22, "称职": 70, "基本称职": 6, "不称职": 2}
# outcome by grade: 提拔使用, 晋升职级, 返回原单位, 其他
OUTCOME_WEIGHTS = {"优秀": (55, 25, 18, 2), "称职": (12, 28, 57, 3), "基本称职": (0, 0, 95, 5), "不称职": (0, 0, 90, 10)}
OTHER_NOTES = ("交流到锻炼单位任职", "经研究留任锻炼单位继续工作一年", "转任同级其他岗位")
# the post held before a promotion, by the new post's level (县处级, 乡科级正职, 乡科级副职 …)
EARLIER_POSTS = {"013": ("科长", "办公室主任", "综合科科长"), "0141": ("副科长", "办公室副主任"),
                 "0142": ("一级科员", "四级主任科员", "科员"), "": ("科长", "副科长")}
ORG_SIGNERS = ("刘志刚", "孙红霞")  # 组织部: the 分管副部长 of the years the demo covers
HOME_SIGNERS = ("王建国", "陈立新", "黄志明", "周国平", "吴海燕", "郑文华", "马卫东", "胡晓燕", "郭宏伟", "林建军")
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
        actual, outcome, reason = "", "", ""
        if state == COMPLETED:
            actual = planned
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
            "outcome": outcome, "remarks": "", "version": 1,
            "created_at": stamp, "updated_at": stamp})
        if n % 200 == 0:
            progress.report(n, len(pool), "正在生成一线锻炼演示数据")
    for i in range(0, len(rows), 200):
        Posting.insert_many(rows[i:i + 200]).execute()
    add_demo_reviews(rng, progress)


def _before(day: str, days: int) -> str:
    return _ymd(_dt.date(int(day[:4]), int(day[4:6]), int(day[6:8])) - _dt.timedelta(days=days))


def add_demo_reviews(rng: random.Random, progress: Progress) -> None:
    """期满鉴定 of every 期满 posting: a 等次 and the three signed opinions around the end date, an
    outcome that fits the 等次; a 提拔使用 or 晋升职级 written into the profile as the window writes it
    (新任职务 = the cadre's present post from a month or three after the end, the open 简历 line closed
    there as an earlier post in the same unit)."""
    today = _ymd(clock.today())
    conn = raw_connection()
    postings = list(Posting.select(Posting.id, Posting.cadre, Posting.actual_end, Posting.daily_manager)
                    .where(Posting.state == COMPLETED).order_by(Posting.id).tuples())
    cadre_ids = [p[1] for p in postings]
    profile: dict[int, tuple] = {}
    for i in range(0, len(cadre_ids), 500):
        chunk = cadre_ids[i:i + 500]
        profile.update((row[0], row[1:]) for row in Cadre.select(
            Cadre.id, Cadre.position, Cadre.rank, Unit.full_name).join(Unit, on=(Cadre.unit == Unit.id))
            .where(Cadre.id.in_(chunk)).tuples())
    open_lines: dict[int, tuple[int, int, str]] = {}  # cadre id → (row id, seq, start) of the open 简历 line
    for i in range(0, len(cadre_ids), 500):
        chunk = cadre_ids[i:i + 500]
        for row_id, cadre_id, seq, start in (
                ResumeEntry.select(ResumeEntry.id, ResumeEntry.cadre, ResumeEntry.seq, ResumeEntry.start)
                .where(ResumeEntry.cadre.in_(chunk), ResumeEntry.end == "").tuples()):
            open_lines[cadre_id] = (row_id, seq, start)
    stamp = clock.now_iso()
    reviews, outcomes, positions, ranks, closed, new_lines = [], [], [], [], [], []
    promoted_once: set[int] = set()
    for n, (posting_id, cadre_id, end, manager) in enumerate(postings):
        grade = rng.choices(REVIEW_GRADES, weights=[GRADE_WEIGHTS[g] for g in REVIEW_GRADES])[0]
        pool = grade if grade in HOME_OPINIONS else "基本称职"
        outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS[grade])[0]
        home_date, host_date = _before(end, rng.randint(6, 15)), _before(end, rng.randint(1, 5))
        org_date = min(_before(end, -rng.randint(5, 20)), today)
        review = {"posting": posting_id, "grade": grade,
                  "home_opinion": rng.choice(HOME_OPINIONS[pool]), "home_signer": rng.choice(HOME_SIGNERS),
                  "home_date": home_date, "host_opinion": rng.choice(HOST_OPINIONS[pool]),
                  "host_signer": manager or rng.choice(MANAGERS), "host_date": host_date,
                  "org_opinion": rng.choice(ORG_OPINIONS[pool]), "org_signer": ORG_SIGNERS[int(end[:4]) % 2],
                  "org_date": org_date, "result_position": "", "result_rank": "", "result_date": "",
                  "result_resume": "", "result_note": "", "result_recorded_at": "",
                  "version": 1, "created_at": stamp, "updated_at": stamp}
        if rng.random() < 0.04:  # a few whose host opinion has not come back yet
            review.update(host_opinion="", host_signer="", host_date="")
        position, rank, unit_name = profile.get(cadre_id, ("", "", ""))
        month = add_months(end[:6], rng.randint(1, 3))
        recorded = f"{month[:4]}-{month[4:]}-05T10:00:00" if month < today[:6] else stamp
        if outcome in (PROMOTED, RANK_RAISED) and (month > today[:6] or cadre_id in promoted_once):
            outcome = RETURNED  # the decision would still be pending, or the cadre was promoted once already
        elif outcome in (PROMOTED, RANK_RAISED):  # a leading post is 提拔; a 职级 (主任科员 …) is 晋升职级
            outcome = PROMOTED if rank.startswith("01") else RANK_RAISED
        if outcome == PROMOTED:
            review.update(result_position=position, result_rank=rank, result_date=month, result_resume=position)
            line = open_lines.get(cadre_id)
            if line is not None and line[2] < month:  # the 简历's open line joins the new one
                review["result_recorded_at"] = recorded
                positions.append((month, month, cadre_id))
                earlier = EARLIER_POSTS.get(rank, EARLIER_POSTS.get(rank[:3], EARLIER_POSTS[""]))
                closed.append((month, f"{unit_name}{rng.choice(earlier)}", line[0]))
                new_lines.append((cadre_id, line[1] + 1, month, "", position))
                promoted_once.add(cadre_id)
        elif outcome == RANK_RAISED:
            review.update(result_rank=rank, result_date=month, result_recorded_at=recorded)
            ranks.append((month, cadre_id))
            promoted_once.add(cadre_id)
        elif outcome == OTHER_OUTCOME:
            review["result_note"] = rng.choice(OTHER_NOTES)
        reviews.append(review)
        outcomes.append((outcome, posting_id))
        if n % 500 == 0:
            progress.report(n, len(postings), "正在生成期满鉴定演示数据")
    for i in range(0, len(reviews), 200):
        PostingReview.insert_many(reviews[i:i + 200]).execute()
    conn.executemany('UPDATE "posting" SET "outcome" = ? WHERE "id" = ?', outcomes)
    conn.executemany('UPDATE "cadre" SET "position_date" = ?, "rank_date" = ? WHERE "id" = ?', positions)
    conn.executemany('UPDATE "cadre" SET "rank_date" = ? WHERE "id" = ?', ranks)
    conn.executemany('UPDATE "resume_entry" SET "end" = ?, "text" = ? WHERE "id" = ?', closed)
    conn.executemany('INSERT INTO "resume_entry" ("cadre_id", "seq", "start", "end", "text") VALUES (?, ?, ?, ?, ?)',
                     new_lines)
