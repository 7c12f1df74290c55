"""Demo data of records and appraisal: 实绩记录, 正负面清单 entries, one finalized annual sheet, one
open posting-end sheet, and quarterly 赛马比选 sheets of a line and of a post (ranks that move from one
quarter to the next, newcomers). Runs after the demo cadres exist (services.demo.EXTENSIONS)."""

from __future__ import annotations

import datetime as _dt
import random

from cadre_desk.appraisal import appraisals, grading, records, sheet_scores
from cadre_desk.appraisal.scoring import EXCELLENT, current_period, excellent_quota
from cadre_desk.domain import clock
from cadre_desk.domain.periods import period_label
from cadre_desk.domain.progress import Progress
from cadre_desk.postings import postings
from cadre_desk.postings.posting_data import COMPLETED
from cadre_desk.store.appraisal_models import AppraisalScheme, BehaviourItem
from cadre_desk.store.db import raw_connection
from cadre_desk.store.models import Cadre, Unit

RECORD_TEXTS = {
    "周小结": ("完成项目现场调度两次，协调解决施工用地问题一项。", "走访企业三家，收集诉求五条并转交相关部门。",
              "参加网格巡查，排查安全隐患两处并督促整改。"),
    "月上报": ("本月牵头推进重点项目建设，完成投资进度目标；组织召开协调会三次，化解群众矛盾两起。",
              "本月对接客商四批次，促成一个项目签约；整理招商线索台账并按周更新。",
              "本月入户走访四十余户，帮助村集体谋划产业项目一个，撰写调研报告一篇。"),
    "季检查": ("本季度各项任务按期完成，工作台账规范，群众满意度较高。", "本季度工作主动性强，个别任务进度偏慢，已督促整改。"),
    "年考核": ("全年完成岗位目标任务，在重大项目攻坚中表现突出。",),
}
COMMENTS = ("情况属实，继续保持。", "工作扎实，注意总结提炼经验。", "进度偏慢，请加强统筹。", "")
DESCRIPTIONS = {
    "正面": ("在防汛抢险中连续值守，组织转移群众，获市领导批示肯定。", "牵头化解一起多年积案，当事人送来锦旗。",
             "主动承接攻坚任务，提前完成项目征迁。"),
    "负面": ("督查发现工作台账与实际不符，被通报批评。", "群众来电反映办事推诿，经核实情况属实。",
             "会议部署任务落实不到位，进度滞后。"),
}


def _serving_ids() -> list[int]:
    return [r.id for r in Cadre.select(Cadre.id).where(Cadre.status == "1").order_by(Cadre.id)]


def extend(rng: random.Random, progress: Progress) -> None:
    ids = _serving_ids()
    if not ids:
        return
    progress.report(0, 3, "正在生成实绩与考核演示数据")
    today = clock.today()
    _records(rng, ids, today)
    _behaviours(rng, ids, today)
    progress.report(1, 3, "正在生成考核表演示数据")
    _sheets(rng, ids, today)
    progress.report(2, 3, "正在生成赛马比选演示数据")
    _races(rng, today)
    progress.report(3, 3, "实绩与考核演示数据已生成")


def _records(rng: random.Random, ids: list[int], today: _dt.date) -> None:
    stamp = clock.now_iso()
    rows = []
    for cadre_id in rng.sample(ids, min(len(ids), max(5, len(ids) // 6))):
        for back in range(3):
            month = _dt.date(today.year, today.month, 1) - _dt.timedelta(days=28 * back + 1) if back else today
            for kind in ("月上报", "周小结"):
                if kind == "周小结" and back:
                    continue
                period = current_period(kind, month)
                rows.append((cadre_id, kind, period, rng.choice(RECORD_TEXTS[kind]), rng.choice(COMMENTS)))
        rows.append((cadre_id, "季检查", current_period("季检查", today), rng.choice(RECORD_TEXTS["季检查"]),
                     rng.choice(COMMENTS)))
        rows.append((cadre_id, "年考核", str(today.year - 1), RECORD_TEXTS["年考核"][0], "同意。"))
    unique = {(r[0], r[1], r[2]): (*r, None) for r in rows}
    # most cadres on an active posting have reported this month; the rest show up as reminders
    for posting in records.active_postings():
        for back in range(3 if rng.random() < 0.75 else 0):
            day = today - _dt.timedelta(days=30 * back)
            if posting.start and f"{day:%Y%m%d}" < posting.start:
                continue
            period = current_period("月上报", day)
            unique[(posting.cadre_id, "月上报", period)] = (
                posting.cadre_id, "月上报", period, rng.choice(RECORD_TEXTS["月上报"]), rng.choice(COMMENTS), posting.id)
    raw_connection().executemany(
        "INSERT INTO performance_record (version, created_at, updated_at, cadre_id, kind, period, content,"
        " reviewer_comment, reviewer, posting_id, recorder) VALUES (1, ?, ?, ?, ?, ?, ?, ?, '组织部', ?, '演示数据')",
        [(stamp, stamp, *r) for r in unique.values()])


def _behaviours(rng: random.Random, ids: list[int], today: _dt.date) -> None:
    items = {p: [i.id for i in BehaviourItem.select().where(BehaviourItem.polarity == p)] for p in ("正面", "负面")}
    stamp = clock.now_iso()
    rows = []
    for cadre_id in rng.sample(ids, min(len(ids), max(8, len(ids) // 4))):
        for _ in range(rng.choice((1, 1, 2, 3))):
            polarity = "正面" if rng.random() < 0.75 else "负面"
            date = today - _dt.timedelta(days=rng.randint(5, 500))
            rows.append((stamp, stamp, cadre_id, rng.choice(items[polarity]), f"{date:%Y%m%d}",
                         rng.choice(records.SOURCES), rng.choice(DESCRIPTIONS[polarity])))
    raw_connection().executemany(
        "INSERT INTO behaviour_entry (version, created_at, updated_at, cadre_id, item_id, date, source, description,"
        " recorder) VALUES (1, ?, ?, ?, ?, ?, ?, ?, '演示数据')", rows)


def _pick_unit(target: int = 40) -> tuple[int, str] | None:
    units = list(Unit.select(Unit.id, Unit.name, Unit.path))
    unit_of = dict(Cadre.select(Cadre.id, Cadre.unit).where(Cadre.status == "1").tuples())
    paths = {u.id: u.path for u in units}
    counts: dict[int, int] = {}
    for unit_id in unit_of.values():
        for part in paths.get(unit_id, "").strip("/").split("/"):
            if part:
                counts[int(part)] = counts.get(int(part), 0) + 1
    candidates = [u for u in units if counts.get(u.id, 0) >= 5]
    if not candidates:
        return None
    best = min(candidates, key=lambda u: abs(counts[u.id] - target))
    return best.id, best.name


def _score_all(rng: random.Random, sheet_id: int, fraction: float = 1.0) -> None:
    data = appraisals.load_sheet(sheet_id)
    changes = []
    bases = {}
    for member in data.members:
        if rng.random() > fraction:
            continue
        base = rng.uniform(66, 95)
        bases[member.cadre_id] = base
        for rater in data.scheme.raters:
            for dim in data.scheme.dimensions:
                value = round(min(100, max(40, base + rng.uniform(-4, 4))), 1)
                changes.append(sheet_scores.ScoreChange(member.cadre_id, rater.id, dim.id, value))
    sheet_scores.set_scores(sheet_id, changes)
    # keep 优秀 within the share: lower the weakest of the excess excellent ones
    data = appraisals.load_sheet(sheet_id)
    excellent = sorted((m for m in data.members if data.grade(m) == EXCELLENT), key=lambda m: data.total(m) or 0)
    excess = len(excellent) - excellent_quota(len(data.members), data.scheme.excellent_cap)
    fixes = []
    for member in excellent[:max(0, excess)]:
        for (rater_id, dim_id), value in member.scores.items():
            fixes.append(sheet_scores.ScoreChange(member.cadre_id, rater_id, dim_id, round(value - 8, 1)))
    if fixes:
        sheet_scores.set_scores(sheet_id, fixes)


def _sheets(rng: random.Random, ids: list[int], today: _dt.date) -> None:
    annual = AppraisalScheme.get_or_none(AppraisalScheme.name == "年度考核")
    posting_end = AppraisalScheme.get_or_none(AppraisalScheme.name == "一线锻炼期满考核")
    picked = _pick_unit()
    if annual is not None and picked is not None:
        unit_id, unit_name = picked
        members = appraisals.group_members("单位", unit_id)
        year = today.year - 1
        sheet = appraisals.create_sheet(f"{year}年度{unit_name}干部考核", str(year), annual.id, members,
                                        group_kind="单位", group_ref=unit_id, group_label=unit_name)
        _score_all(rng, sheet.id)
        grading.finalize(sheet.id)
    finished = [p for p in postings.list_postings(state=COMPLETED)] or records.active_postings()
    if posting_end is not None and finished:
        by_line: dict[str, list[int]] = {}
        for posting in finished:
            by_line.setdefault(posting.line_name, []).append(posting.cadre_id)
        line_name, members = max(by_line.items(), key=lambda kv: len(kv[1]))
        members = [i for i in dict.fromkeys(members) if i in set(ids)]
        sheet = appraisals.create_sheet(f"{today.year}年{line_name}一线锻炼期满考核", str(today.year), posting_end.id,
                                        members, group_kind="选定", group_label=f"{line_name}一线期满人员")
        _score_all(rng, sheet.id, fraction=0.6)
    elif posting_end is not None:
        young = [r.id for r in Cadre.select(Cadre.id).where(Cadre.status == "1", Cadre.categories.contains("03"))
                 .order_by(Cadre.id).limit(12)]
        if young:
            sheet = appraisals.create_sheet(f"{today.year}年一线锻炼期满考核（第一批）", f"{today.year}-Q{(today.month - 1) // 3 + 1}",
                                            posting_end.id, young, group_kind="选定", group_label="一线锻炼期满人员")
            _score_all(rng, sheet.id, fraction=0.5)


# ---- 赛马比选: quarterly sheets of a line and of a post ----------------------------------------------

RACE_SIZE = 24  # cadres in a demo race: a readable chart


def _quarters(today: _dt.date, count: int) -> list[str]:
    """The last ``count`` quarters, oldest first, ending with the current one."""
    index = today.year * 4 + (today.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def _score_with(rng: random.Random, sheet_id: int, bases: dict[int, float]) -> None:
    data = appraisals.load_sheet(sheet_id, extras=False)
    changes = []
    for member in data.members:
        base = bases.setdefault(member.cadre_id, rng.uniform(68, 89))
        base = bases[member.cadre_id] = min(92.0, max(62.0, base + rng.uniform(-4, 4)))  # a quarter's drift
        for rater in data.scheme.raters:
            for dim in data.scheme.dimensions:
                value = round(min(100, max(40, base + rng.uniform(-3, 3))), 1)
                changes.append(sheet_scores.ScoreChange(member.cadre_id, rater.id, dim.id, value))
    sheet_scores.set_scores(sheet_id, changes)


def _run_race(rng: random.Random, kind: str, ref: int, label: str, pool: list[int], scheme_id: int,
              quarters: list[str]) -> None:
    members = pool[:RACE_SIZE]
    bases: dict[int, float] = {}
    for n, period in enumerate(quarters):
        if n:  # a few leave, a few join: 新 in the next quarter
            leaving = set(rng.sample(members, min(2, len(members) // 6)))
            joining = [c for c in pool if c not in members][:len(leaving)]
            members = [c for c in members if c not in leaving] + joining
        sheet = appraisals.create_sheet(f"{label}{period_label(period)}赛马比选", period, scheme_id, members,
                                        group_kind=kind, group_ref=ref, group_label=label, annual=False)
        _score_with(rng, sheet.id, bases)
        if n < len(quarters) - 1:  # the past quarters are final; the current one is being scored
            data = appraisals.load_sheet(sheet.id, extras=False)
            if not grading.finalize_problems(data):
                grading.finalize(sheet.id)


def _races(rng: random.Random, today: _dt.date) -> None:
    from cadre_desk.appraisal import schemes

    posting_end = AppraisalScheme.get_or_none(AppraisalScheme.name == "一线锻炼期满考核")
    active = records.active_postings()
    if posting_end is None or not active:
        return
    copy = schemes.copy_scheme(posting_end.id, "一线季度赛马比选")
    import dataclasses

    scheme = schemes.save_scheme(dataclasses.replace(
        copy, kind="专项考核", description="五个一线锻炼干部每季度赛马比选：比实绩、比作风、比群众评价"))
    by_line: dict[int, list] = {}
    for posting in active:
        by_line.setdefault(posting.line_id, []).append(posting)
    line_id, on_line = max(by_line.items(), key=lambda kv: len(kv[1]))
    pool = list(dict.fromkeys(p.cadre_id for p in sorted(on_line, key=lambda p: (p.post_id, p.cadre_id))))
    _run_race(rng, "一线", line_id, on_line[0].line_name, pool, scheme.id, _quarters(today, 3))
    by_post: dict[int, list] = {}
    for posting in active:
        if posting.line_id != line_id:
            by_post.setdefault(posting.post_id, []).append(posting)
    if by_post:
        post_id, on_post = max(by_post.items(), key=lambda kv: len(kv[1]))
        pool = list(dict.fromkeys(p.cadre_id for p in on_post))
        _run_race(rng, "岗位", post_id, on_post[0].post_name, pool, scheme.id, _quarters(today, 2))
