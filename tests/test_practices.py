"""The seeds' practices (issue 16 items 2–5): 政治体检, 专业干部信息库, 谈心谈话, 关爱, 干部监督 (restricted),
包抓 — every rule of the services, each reminder rule at a fixed clock, the scope (nothing of another unit,
not even a count), the checks, and the demo data."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.care import care_items, care_rules, talks
from cadre_desk.checkups import checkup_rules, checkup_sheets, checkups
from cadre_desk.domain import clock
from cadre_desk.domain.dates import from_date
from cadre_desk.domain.errors import ConflictError, PermissionDenied, ValidationError
from cadre_desk.liaison import liaison
from cadre_desk.postings import frontline_posts, posting_data, postings
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.supervision import supervision
from cadre_desk.talent import pools
from cadre_desk.units import units
from tests.conftest import acting_as, make_profile


def day(offset: int = 0) -> str:
    return from_date(clock.today() + _dt.timedelta(days=offset))


def make_world() -> dict:
    """Two units, two cadres in each; 甲 of unit A on a frontline posting since 100 days."""
    root = units.create_unit("市直机关")
    a = units.create_unit("市财政局", root.id)
    b = units.create_unit("城关镇", root.id, kind="乡镇街道")
    ids = {}
    for name, unit in (("甲", a), ("乙", a), ("丙", b), ("丁", b)):
        ids[name] = cadres.save_profile(make_profile(unit.id, name=name, status="1", specialty="招商引资")).profile.id
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="驻村工作队员", host_type="驻村工作队",
                                                            host_name="柳林乡", capacity=3))
    posting = postings.create_posting(ids["甲"], post.id, "组织选派", day(-100), day(200))
    posting = postings.start_posting(posting.id, posting.version)
    return {"ids": ids, "a": a.id, "b": b.id, "posting": posting.id, "post": post.id}


def reminder_texts(provider) -> list[str]:
    return [r.text for r in provider()]


# ---- 政治体检 ---------------------------------------------------------------------------------------

def _round(world, names=("甲", "乙", "丙"), issued=-20, due=10, quarter=None):
    year, q = checkups.quarter_of(clock.today())
    draft = checkups.RoundDraft(year, quarter or q, "一线干部政治体检提醒单", day(issued), day(due),
                                [world["ids"][n] for n in names], "一线在岗干部")
    return checkups.issue_round(draft)


def test_checklist_is_seeded_and_configurable(world):
    items = checkups.list_items()
    assert len(items) == 9 and items[0].name == "理想信念"
    added = checkups.save_item(checkups.CheckupItemInfo(None, "学习教育", "按要求参加理论学习"))
    assert [i.name for i in checkups.list_items()][-1] == "学习教育"
    checkups.move_item(added.id, -1)
    assert [i.name for i in checkups.list_items()][-2] == "学习教育"
    with pytest.raises(ValidationError) as exc:
        checkups.save_item(checkups.CheckupItemInfo(None, "理想信念"))
    assert "已有对照检查项目" in exc.value.errors["name"]
    with acting_as("经办人"), pytest.raises(PermissionDenied):
        checkups.save_item(checkups.CheckupItemInfo(None, "再加一项"))


def test_issue_record_results_search_and_summary(world):
    ids = world["ids"]
    issued = _round(world)
    assert issued.issued == 3 and not issued.skipped
    round_info = issued.round
    assert round_info.sheet_count == 3 and round_info.missing_count == 3
    assert [n for n, _ in round_info.items][:2] == ["理想信念", "政治纪律和政治规矩"]
    # the same quarter again: 甲 already has his sheet
    again = checkups.issue_round(checkups.RoundDraft(round_info.year, round_info.quarter, "补充", day(-1), day(20),
                                                     [ids["甲"], ids["丁"]]))
    assert again.issued == 1 and again.skipped == ["甲"]
    assert "未重复下发" in again.summary()
    # a checklist change later does not change a sheet already issued
    checkups.save_item(checkups.CheckupItemInfo(None, "新增一项"))
    assert "新增一项" not in [n for n, _ in checkups.get_round(round_info.id).items]

    sheets = {s.cadre_name: s for s in checkup_sheets.missing(round_info.id)}
    assert set(sheets) == {"甲", "乙", "丙"}
    with pytest.raises(ValidationError) as exc:
        checkup_sheets.record_result(sheets["甲"].id, sheets["甲"].version, result=checkups.FIXED, checked_on=day(-30))
    assert set(exc.value.errors) >= {"checked_on", "findings", "rectification"}
    with pytest.raises(ValidationError, match="不能晚于今天"):
        checkup_sheets.record_result(sheets["甲"].id, sheets["甲"].version, result=checkups.CLEAN, checked_on=day(1))
    checkup_sheets.record_result(sheets["甲"].id, sheets["甲"].version, result=checkups.FIXING, checked_on=day(-2),
                                 checker="干部一科", findings="参加组织生活不够经常")
    assert checkup_sheets.record_clean([sheets["乙"].id, sheets["甲"].id], day(-1)) == 1  # 甲 already checked: kept
    found = checkup_sheets.search(checkup_sheets.SheetFilter(round_id=round_info.id))
    assert found.counts == {"整改中": 1, "无问题": 1, "未核查": 1}
    assert found.summary() == "共 3 人：未核查 1 人，无问题 1 人，整改中 1 人"
    assert [s.cadre_name for s in checkup_sheets.search(checkup_sheets.SheetFilter(text="组织生活")).rows] == ["甲"]
    assert [s.cadre_name for s in checkup_sheets.missing(round_info.id)] == ["丙"]
    summary = {s.unit_name: s for s in checkup_sheets.unit_summary(checkup_sheets.SheetFilter(round_id=round_info.id))}
    assert list(summary) == ["市财政局", "城关镇", "合计"]
    assert (summary["市财政局"].issued, summary["市财政局"].checked, summary["市财政局"].fixing) == (2, 2, 1)
    assert (summary["城关镇"].missing, summary["合计"].issued, summary["合计"].rate) == (1, 3, "66.7%")
    with pytest.raises(ValidationError, match="已有核查结果"):
        checkups.delete_round(round_info.id)
    stale = sheets["甲"]
    with pytest.raises(ConflictError):
        checkup_sheets.record_result(stale.id, stale.version, result=checkups.CLEAN, checked_on=day(-1), checker="x")
    assert any(e.entity == checkups.E_SHEET for e in audit.entries(limit=50))


def test_checkups_are_scoped_to_the_operators_units(world):
    _round(world)
    with acting_as("经办人", units=(world["a"],)):
        rounds = checkups.list_rounds()
        assert [(r.sheet_count, r.missing_count) for r in rounds] == [(2, 2)]  # 丙 is not counted
        assert {s.cadre_name for s in checkup_sheets.search().rows} == {"甲", "乙"}
        assert [s.unit_name for s in checkup_sheets.unit_summary()] == ["市财政局", "合计"]
        with pytest.raises(PermissionDenied):
            checkups.delete_round(rounds[0].id)  # it has a cadre of another unit
        with pytest.raises(PermissionDenied):
            _round(world, names=("丁",))
    with acting_as("经办人", units=(world["b"],)):
        printed = checkup_sheets.reminder_sheets(rounds[0].id)
        assert [s.cadre_name for s in printed] == ["丙"] and printed[0].unit_name == "城关镇"


def test_checkup_reminders(world, monkeypatch):
    year, quarter = checkups.quarter_of(clock.today())
    first, _last = checkups.quarter_bounds(year, quarter)
    label = checkups.quarter_label(year, quarter)
    clock.set_now(_dt.datetime.combine(first + _dt.timedelta(days=13), _dt.time(9)))
    assert reminder_texts(checkup_rules.reminders) == []  # the first two weeks: not yet expected
    clock.set_now(_dt.datetime.combine(first + _dt.timedelta(days=14), _dt.time(9)))
    assert reminder_texts(checkup_rules.reminders) == [f"本季度（{label}）尚未下发政治体检提醒单"]
    issued = _round(world, issued=-1, due=5)
    texts = reminder_texts(checkup_rules.reminders)
    assert texts == [f"{label}政治体检提醒单“一线干部政治体检提醒单”将于 {day(5)[:4]}.{day(5)[4:6]}.{day(5)[6:]} 截止核查，"
                     "尚有 3 人未核查对单"]
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=6), _dt.time(9)))
    (overdue,) = checkup_rules.reminders()
    assert "已过核查截止日期" in overdue.text and overdue.level == "warning"
    sheet = checkup_sheets.missing(issued.round.id)[0]
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.FIXING, checked_on=day(0), checker="干部一科",
                                 findings="请销假手续不完整")
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=checkup_rules.FIXING_DAYS), _dt.time(9)))
    fixing = [r for r in checkup_rules.reminders() if r.cadre_id == sheet.cadre_id]
    assert fixing and f"整改中已 {checkup_rules.FIXING_DAYS} 天" in fixing[0].text


# ---- 专业干部信息库 ---------------------------------------------------------------------------------

def test_pools_members_levels_and_scope(world):
    ids = world["ids"]
    names = [p.name for p in pools.list_pools()]
    assert names == ["经济发展", "城乡建设", "乡村振兴", "社会治理", "党建群团"]
    economy, rural = pools.list_pools()[0], pools.list_pools()[2]
    added = pools.add_members(economy.id, [ids["甲"], ids["丙"]], "骨干", "招商经验丰富")
    assert added.added == 2
    again = pools.add_members(economy.id, [ids["甲"], ids["乙"]], "储备")
    assert (again.added, again.skipped) == (1, ["甲"])
    pools.add_members(rural.id, [ids["甲"]], "领军")
    assert [(m.pool_name, m.level) for m in pools.pools_of(ids["甲"])] == [("经济发展", "骨干"), ("乡村振兴", "领军")]
    member = next(m for m in pools.list_members(economy.id) if m.cadre_name == "乙")
    with pytest.raises(ValidationError) as exc:
        pools.update_member(member.id, member.version, level="顶尖", joined_on=day(1))
    assert set(exc.value.errors) == {"level", "joined_on"}
    pools.update_member(member.id, member.version, level="骨干", joined_on=day(-3), note="转为骨干")
    assert [m.cadre_name for m in pools.list_members(economy.id, level="骨干")] == ["甲", "乙", "丙"]
    assert [m.cadre_name for m in pools.list_members(text="招商经验")] == ["甲", "丙"]
    assert pools.list_members(economy.id)[0].specialty == "招商引资"
    with acting_as("经办人", units=(world["a"],)):
        counts = {p.name: p.member_count for p in pools.list_pools()}
        assert counts["经济发展"] == 2  # 丙 of the other unit is not counted
        assert pools.member_cadre_ids(economy.id) == [ids["甲"], ids["乙"]]
        with pytest.raises(PermissionDenied):
            pools.add_members(economy.id, [ids["丁"]])
        with pytest.raises(PermissionDenied):
            pools.save_pool(pools.PoolInfo(None, "数字经济"))
    with pytest.raises(ValidationError, match="还有干部"):
        pools.delete_pool(economy.id)
    assert pools.remove_members([member.id], "调整") == 1
    created = pools.save_pool(pools.PoolInfo(None, "数字 经济", "大数据、数字政府"))
    assert created.name == "数字经济"
    pools.delete_pool(created.id)
    retired = pools.save_pool(pools.PoolInfo(rural.id, rural.name, rural.description, retired=True,
                                             version=rural.version))
    assert retired.retired and rural.name not in [p.name for p in pools.list_pools()]
    with pytest.raises(ValidationError, match="已停用"):
        pools.add_members(rural.id, [ids["乙"]])


# ---- 谈心谈话, 关爱 ---------------------------------------------------------------------------------

def test_talks_rules_and_follow_up(world):
    ids = world["ids"]
    with pytest.raises(ValidationError) as exc:
        talks.save_talk(talks.TalkInfo(None, ids["甲"], day(1), "", "闲聊", ""))
    assert set(exc.value.errors) == {"date", "talker", "occasion", "topics"}
    talk = talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-10), "李建平", "日常谈心", "了解驻村困难",
                                          "协调解决住宿"))
    assert talk.posting_id == world["posting"] and talk.follow_up_state == "待落实" and talk.recorder == "测试员"
    talks.set_follow_up_done(talk.id, talk.version)
    assert talks.list_talks(talks.TalkFilter(cadre_id=ids["甲"]))[0].follow_up_state == "已落实"
    assert talks.last_talk_dates([ids["甲"], ids["乙"]]) == {ids["甲"]: day(-10)}
    other = talks.save_talk(talks.TalkInfo(None, ids["丙"], day(-3), "王海燕", "关爱谈话", "家中老人住院"))
    with acting_as("经办人", units=(world["a"],)):
        assert [t.cadre_name for t in talks.list_talks()] == ["甲"]
        with pytest.raises(PermissionDenied):
            talks.delete_talk(other.id)
    with acting_as("查阅人"), pytest.raises(PermissionDenied):
        talks.save_talk(talks.TalkInfo(None, ids["乙"], day(-1), "李建平", "日常谈心", "谈话"))
    talks.delete_talk(other.id)


def test_a_talk_without_a_posting_stays_without_one_when_corrected(world):
    """Correcting a 谈心谈话 record that had no posting tied it silently to the posting the cadre was on by
    then. It stays unlinked unless the clerk chooses a posting; a new talk still goes with the current one."""
    from cadre_desk.store.care_models import TalkRecord

    ids = world["ids"]
    talk = talks.save_talk(talks.TalkInfo(None, ids["乙"], day(-30), "李建平", "日常谈心", "谈工作"))
    assert talk.posting_id is None
    posting = postings.start_posting(*(lambda p: (p.id, p.version))(
        postings.create_posting(ids["乙"], world["post"], "组织选派", day(-10), day(300))))
    talk = talks.save_talk(talks.TalkInfo(talk.id, ids["乙"], day(-30), "李建平", "日常谈心", "谈工作和家庭",
                                          version=talk.version))
    assert talk.topics == "谈工作和家庭" and talk.posting_id is None
    assert TalkRecord.get_by_id(talk.id).posting_id is None
    talk = talks.save_talk(talks.TalkInfo(talk.id, ids["乙"], day(-30), "李建平", "日常谈心", "谈工作和家庭",
                                          posting_id=posting.id, version=talk.version))  # chosen: linked
    assert talk.posting_id == posting.id
    assert talks.save_talk(talks.TalkInfo(None, ids["乙"], day(-1), "李建平", "日常谈心", "到岗谈话")).posting_id == posting.id
    with pytest.raises(ValidationError, match="不是该干部的"):
        talks.save_talk(talks.TalkInfo(None, ids["丙"], day(-1), "李建平", "日常谈心", "x", posting_id=posting.id))


def test_talk_due_reminder(world):
    ids = world["ids"]
    step = talks.interval_days()
    assert step == 90
    # posted 100 days ago, never talked with: overdue by 10 days
    (due,) = [r for r in care_rules.reminders() if r.category == "谈心谈话"]
    assert due.cadre_id == ids["甲"] and due.level == "warning" and "已逾期 10 天" in due.text and "到岗后未谈话" in due.text
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-80), "李建平", "日常谈心", "谈工作"))
    (soon,) = [r for r in care_rules.reminders() if r.category == "谈心谈话"]
    assert soon.level == "info" and "应于" in soon.text and "上次谈话" in soon.text
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-5), "李建平", "日常谈心", "谈工作", "推荐培训"))
    assert [r for r in care_rules.reminders() if r.category == "谈心谈话"] == []
    talks.set_interval_days(30)
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=care_rules.FOLLOW_UP_DAYS - 5), _dt.time(9)))
    texts = reminder_texts(care_rules.reminders)
    assert any("跟进事项尚未落实：推荐培训" in t for t in texts)
    with pytest.raises(ValidationError):
        talks.set_interval_days(3)


def test_care_items_and_checkup_reminder(world):
    ids = world["ids"]
    with pytest.raises(ValidationError) as exc:
        care_items.save_care(care_items.CareInfo(None, ids["甲"], "旅游", day(-3), day(-5)))
    assert set(exc.value.errors) == {"kind", "end_date"}
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        care_items.save_care(care_items.CareInfo(None, ids["甲"], "休假", day(-3), day(-5)))
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "休假", day(-9), day(-3), "年休假"))
    assert [c.kind for c in care_items.list_care(care_items.CareFilter(cadre_id=ids["甲"]))] == ["休假"]
    # on the posting 100 days: no 体检 reminder yet; after half a year without one: reminded
    assert not [r for r in care_rules.reminders() if r.category == "关爱"]
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=care_rules.POSTED_FOR_DAYS - 100),
                                       _dt.time(9)))
    (remind,) = [r for r in care_rules.reminders() if r.category == "关爱"]
    assert remind.cadre_id == ids["甲"] and "近一年没有体检记录" in remind.text
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "体检", day(-1), "", "年度体检"))
    assert not [r for r in care_rules.reminders() if r.category == "关爱"]


def test_overdue_practice_reminders_count_as_overdue_on_the_home_page(world):
    """A talk, a follow-up, a 函询 and a 整改中 that are late carry the day they were due: the 工作台 (and its
    PDF) counts them 已逾期 and lists them among the most urgent, not under 以后及无期限."""
    from cadre_desk.home import reminders

    ids = world["ids"]
    talks.save_talk(talks.TalkInfo(None, ids["乙"], day(-40), "李建平", "日常谈心", "谈工作", "协调住宿"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "函询", "12380举报", day(-45), "反映其配偶经商"))
    issued = _round(world, names=("丙",), issued=-80, due=-70)
    (sheet,) = checkup_sheets.missing(issued.round.id)
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.FIXING, checked_on=day(-75), checker="干部一科",
                                 findings="请销假手续不完整")
    late = {"谈话": [r for r in care_rules.reminders() if "已逾期 10 天" in r.text],
            "跟进": [r for r in care_rules.reminders() if "跟进事项尚未落实" in r.text],
            "函询": supervision.reminders(),
            "整改": [r for r in checkup_rules.reminders() if "整改中" in r.text]}
    assert all(len(found) == 1 for found in late.values()), late
    assert {what: found[0].due for what, found in late.items()} == {
        "谈话": day(-10), "跟进": day(-10), "函询": day(-15), "整改": day(-15)}
    assert {reminders.urgency(found[0]) for found in late.values()} == {reminders.OVERDUE}
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-80), "李建平", "日常谈心", "谈工作"))
    (soon,) = [r for r in care_rules.reminders() if r.cadre_id == ids["甲"]]  # talked with: due in 10 days
    assert soon.due == day(10) and reminders.urgency(soon) in (reminders.THIS_WEEK, reminders.THIS_MONTH,
                                                                reminders.LATER)


def test_the_checkup_reminder_is_dated_by_the_half_year_on_post_or_the_last_checkup(world):
    """The 体检 reminder (half a year on post, none within a year) carried no day: the 工作台 counted it under
    以后及无期限 however late. It is due half a year after the posting's start, or a year after the last
    体检 when that is later."""
    from cadre_desk.home import reminders

    ids = world["ids"]
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "体检", day(-90), "", "年度体检"))
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=100), _dt.time(9)))
    assert not [r for r in care_rules.reminders() if r.category == "关爱"]  # 体检 190 days ago
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=200), _dt.time(9)))
    (late,) = [r for r in care_rules.reminders() if r.category == "关爱"]  # on post 400 days, 体检 390 days ago
    assert late.due == day(-25) and reminders.urgency(late) == reminders.OVERDUE
    care_items.delete_care(care_items.list_care(care_items.CareFilter(cadre_id=ids["甲"]))[0].id)
    (late,) = [r for r in care_rules.reminders() if r.category == "关爱"]  # never: half a year after the start
    assert late.due == day(-400 + care_rules.POSTED_FOR_DAYS)


def test_a_checkup_before_the_posting_does_not_count_for_it(world):
    """The 一线干部体检 reminder counted a 体检 dated before the posting began: one 10 days before the start
    kept the cadre unreminded for a year and put the due day half a year late. Only a 体检 on or after the
    posting's start counts for it."""
    ids = world["ids"]  # 甲 on post since day(-100)
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "体检", day(-110), "", "入职体检"))
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=100), _dt.time(9)))
    (late,) = [r for r in care_rules.reminders() if r.category == "关爱"]  # on post 200 days, none since the start
    assert late.cadre_id == ids["甲"] and late.due == day(-200 + care_rules.POSTED_FOR_DAYS)
    care_items.save_care(care_items.CareInfo(None, ids["甲"], "体检", day(-150), "", "年度体检"))  # on post: counts
    assert not [r for r in care_rules.reminders() if r.category == "关爱"]
    clock.set_now(_dt.datetime.combine(clock.today() + _dt.timedelta(days=300), _dt.time(9)))
    (late,) = [r for r in care_rules.reminders() if r.category == "关爱"]  # a year after the one on post
    assert late.due == day(-450 + care_rules.CHECKUP_EVERY_DAYS)


# ---- 干部监督 (restricted) -------------------------------------------------------------------------

def test_supervision_records_are_seen_only_with_the_grant(world):
    ids = world["ids"]
    record = supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "函询", "12380举报", day(-40),
                                                                "反映其配偶经商", handler="陈志强"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["丙"], "提醒", "信访举报", day(-5), "工作方法简单",
                                                        "已提醒谈话"))
    assert supervision.counts(supervision.list_records()) == "共 2 条：提醒 1 人次，函询 1 人次"
    # the audit names the cadre and the kind, never the matter
    row = next(e for e in audit.entries(limit=20) if e.entity == supervision.E_SUPERVISION and e.entity_id == record.id)
    assert "配偶" not in row.summary + str(row.changes) and row.summary == "新增干部监督记录：乙 函询"
    (late,) = supervision.reminders()
    assert late.cadre_id == ids["乙"] and "函询已 40 天" in late.text
    with acting_as("经办人"):
        assert not supervision.visible()
        with pytest.raises(PermissionDenied):
            supervision.list_records()
        with pytest.raises(PermissionDenied):
            supervision.records_for_cadre(ids["乙"])
        assert supervision.reminders() == [] and supervision.checks() == []
    with acting_as("经办人", "干部监督", units=(world["a"],)):
        assert supervision.visible()
        assert [r.cadre_name for r in supervision.list_records()] == ["乙"]
        with pytest.raises(PermissionDenied):
            supervision.save_record(supervision.SupervisionInfo(None, ids["丁"], "提醒", "审计", day(-1), "x"))
    with acting_as("查阅人", "干部监督"):
        assert len(supervision.list_records()) == 2
        with pytest.raises(PermissionDenied):
            supervision.delete_record(record.id)
    with pytest.raises(ValidationError) as exc:
        supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "处分", "网上", day(-1), ""))
    assert set(exc.value.errors) == {"kind", "source", "matter"}


def test_supervision_records_of_the_operators_relatives_follow_avoidance(world, tmp_path):
    """An operator with the 干部监督 grant saw the 函询 of their own relative (回避 kept them from editing and
    printing the file, not from reading these records): now such records are left out everywhere they show
    — the page and its count, the 画像, the reminders (the 工作台), the export, the checks — and cannot be
    added or changed by that operator."""
    from openpyxl import load_workbook

    from cadre_desk.home import reminders as home_reminders
    from cadre_desk.portrait import portrait
    from cadre_desk.profiles.cadres import FamilyItem
    from cadre_desk.store.care_models import SupervisionRecord
    from reports.excel import practices_workbooks

    ids = world["ids"]
    me = cadres.get_profile(ids["甲"])
    me.family = [FamilyItem("10", "乙", "198510", "01", "市财政局")]  # 乙 is 甲's 配偶 (姓名 + 出生年月)
    cadres.save_profile(me)
    hidden = supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "函询", "12380举报", day(-40),
                                                                "反映其配偶经商"))
    shown = supervision.save_record(supervision.SupervisionInfo(None, ids["丙"], "提醒", "信访举报", day(-50),
                                                               "工作方法简单"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["丙"], "函询", "信访举报", day(-45), "反映违规兼职"))
    SupervisionRecord.update(source="网上").where(SupervisionRecord.id == hidden.id).execute()  # for the checks
    assert any("（乙）" in line for line in supervision.checks())
    with acting_as("经办人", "干部监督", cadre_id=ids["甲"]):
        rows = supervision.list_records()
        assert [r.cadre_name for r in rows] == ["丙", "丙"] and hidden.id not in {r.id for r in rows}
        assert supervision.counts(rows) == "共 2 条：提醒 1 人次，函询 1 人次"
        assert supervision.list_records(supervision.SupervisionFilter(kind="函询", text="经商")) == []
        with pytest.raises(PermissionDenied, match="按回避规定，不能查阅亲属的干部监督记录"):
            supervision.records_for_cadre(ids["乙"])
        assert not supervision.visible(ids["乙"]) and supervision.visible(ids["丙"]) and supervision.visible()
        assert portrait.practice_facts(ids["乙"], include_supervision=True).supervision is None
        assert [r.kind for r in portrait.practice_facts(ids["丙"], include_supervision=True).supervision] == [
            "函询", "提醒"]
        assert [r.cadre_id for r in supervision.reminders()] == [ids["丙"]]
        assert [r.cadre_id for r in home_reminders.collect() if r.category == supervision.CATEGORY] == [ids["丙"]]
        assert supervision.checks() == []
        out = practices_workbooks.export_supervision(tmp_path / "监督.xlsx", reason="核对")
        cells = " ".join(str(c) for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c)
        assert "经商" not in cells and "违规兼职" in cells
        # the refusal says what the operator was doing (it said 「不能查阅或登记」 to a 修改 and a 删除 too)
        for info, doing in ((supervision.SupervisionInfo(None, ids["乙"], "提醒", "审计", day(-1), "x"), "登记"),
                            (supervision.SupervisionInfo(hidden.id, ids["乙"], "函询", "12380举报", day(-40), "改",
                                                         version=0), "修改"),
                            (supervision.SupervisionInfo(hidden.id, ids["丙"], "函询", "12380举报", day(-40), "改",
                                                         version=0), "修改")):
            with pytest.raises(PermissionDenied, match=f"^按回避规定，不能{doing}亲属的干部监督记录。$"):
                supervision.save_record(info)
        with pytest.raises(PermissionDenied, match="^按回避规定，不能删除亲属的干部监督记录。$"):
            supervision.delete_record(hidden.id)
        supervision.save_record(supervision.SupervisionInfo(shown.id, ids["丙"], "提醒", "信访举报", day(-50),
                                                            "工作方法简单", "已提醒谈话", version=shown.version))
    assert supervision.records_for_cadre(ids["乙"])[0].matter == "反映其配偶经商"  # unchanged, seen by others


def test_a_cadre_with_supervision_records_is_not_deleted_with_them(world):
    """删除干部 took the cadre's 提醒 / 函询 / 诫勉 records with it (the database cascades) — done by a clerk who
    cannot even see them, nothing said. The file is now kept; the refusal names the records only to those
    with the grant."""
    from cadre_desk.store.care_models import SupervisionRecord

    ids = world["ids"]
    supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "诫勉", "巡视巡察", day(-5), "违规接受宴请"))
    with acting_as("经办人", units=(world["a"],)), pytest.raises(ValidationError) as exc:
        cadres.delete_cadre(ids["乙"])
    assert "诫勉" not in str(exc.value) and "监督" not in str(exc.value) and "须保留" in str(exc.value)
    with pytest.raises(ValidationError, match="1 条提醒函询诫勉记录"):
        cadres.delete_cadre(ids["乙"])
    assert SupervisionRecord.select().where(SupervisionRecord.cadre == ids["乙"]).count() == 1
    cadres.delete_cadre(ids["丁"])  # a cadre without such records goes as before


def test_supervision_grant_goes_beside_a_cadre_role(world):
    from cadre_desk.security import accounts

    accounts.create_first_admin("admin", "Admin#2024x")
    with pytest.raises(ValidationError, match="须与经办人或查阅人角色同时授予"):
        accounts.create_user(accounts.UserInfo(None, "jd", "监督员", ("干部监督",), ()), "Walk#2024x")
    user = accounts.create_user(accounts.UserInfo(None, "jd", "监督员", ("经办人", "干部监督"), ()), "Walk#2024x")
    assert set(user.roles) == {"经办人", "干部监督"}


# ---- 包抓 ---------------------------------------------------------------------------------------------

def test_liaison_assign_list_and_reminder(world):
    ids = world["ids"]
    (missing,) = liaison.reminders()
    assert missing.cadre_id == ids["甲"] and "尚未指定组织部包抓人" in missing.text
    with pytest.raises(ValidationError) as exc:
        liaison.assign([world["posting"]], "", contact_phone="电话")
    assert set(exc.value.errors) == {"contact_name", "contact_phone"}
    assert liaison.assign([world["posting"]], "李建平", "干部一科", "0719-8201101") == 1
    (row,) = liaison.list_liaisons()
    assert (row.contact_name, row.contact_office, row.since) == ("李建平", "干部一科", day(0))
    assert liaison.reminders() == []
    assert liaison.for_cadre(ids["甲"]).contact_name == "李建平"
    liaison.assign([world["posting"]], "王海燕", "干部二科")
    assert liaison.list_liaisons(contact="干部二科")[0].contact_name == "王海燕"
    assert [c.name for c in liaison.contacts()] == ["王海燕"]
    with acting_as("经办人", units=(world["b"],)):
        assert liaison.list_liaisons() == []
        with pytest.raises(PermissionDenied):
            liaison.assign([world["posting"]], "张三")
    assert liaison.clear([world["posting"]]) == 1 and not liaison.list_liaisons()[0].assigned


# ---- check, demo --------------------------------------------------------------------------------------

def test_check_finds_broken_practice_records(world):
    from cadre_desk.security.check import run_checks
    from cadre_desk.store.care_models import TalkRecord
    from cadre_desk.store.checkup_models import CheckupSheet
    from cadre_desk.store.talent_models import PoolMember

    ids = world["ids"]
    issued = _round(world)
    talk = talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-1), "李建平", "日常谈心", "谈工作"))
    pools.add_members(pools.list_pools()[0].id, [ids["乙"]])
    assert run_checks() == []
    CheckupSheet.update(result="无问题").where(CheckupSheet.round == issued.round.id).execute()
    TalkRecord.update(occasion="闲聊", follow_up_done=1).where(TalkRecord.id == talk.id).execute()
    PoolMember.update(level="顶尖").execute()
    problems = run_checks()
    assert sum("已核查但没有核查日期" in p for p in problems) == 3
    assert any("谈话类型“闲聊”无效" in p for p in problems)
    assert any("没有跟进事项却标为已落实" in p for p in problems)
    assert any("层级“顶尖”无效" in p for p in problems)


def test_demo_fills_every_practice(demo_db):
    from cadre_desk.security.check import run_checks
    from cadre_desk.store.care_models import CareRecord, SupervisionRecord, TalkRecord
    from cadre_desk.store.checkup_models import CheckupSheet
    from cadre_desk.store.liaison_models import Liaison
    from cadre_desk.store.talent_models import PoolMember

    for model in (CheckupSheet, PoolMember, TalkRecord, CareRecord, SupervisionRecord, Liaison):
        assert model.select().count() > 0, model.__name__
    assert CheckupSheet.select().where(CheckupSheet.result == "").count() > 0
    assert run_checks() == []


def test_pool_list_import_checks_every_row(world, tmp_path):
    import openpyxl

    from cadre_desk.talent import pool_import

    ids = world["ids"]
    cadres.save_profile(make_profile(world["b"], name="乙", status="1"))  # a second 乙, in the other unit
    economy = pools.list_pools()[0]
    joined = clock.today() - _dt.timedelta(days=40)  # any day before the suite's clock
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["专业干部库名单"])
    sheet.append(["序号", "姓 名", "单位", "专业干部库", "层级", "入库时间", "备注"])
    rows = [(1, "甲", "", "经济发展", "领军", f"{joined:%Y.%m.%d}", "招商"), (2, "乙", "", "乡村振兴", "", "", ""),
            (3, "乙", "市财政局", "乡村振兴", "骨干", "", ""), (4, "丙", "", "数字经济", "顶尖", "2024年13月", ""),
            (5, "查无此人", "", "经济发展", "", "", ""), (6, "", "", "", "", "", "")]
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "名单.xlsx"
    book.save(path)
    plan = pool_import.analyze(path)
    assert [r.row for r in plan.rows] == [3, 4, 5, 6, 7]  # the empty line is no row
    assert [r.name for r in plan.good] == ["甲", "乙"] and plan.good[1].pool_name == "乡村振兴"
    problems = {r.row: r.problem for r in plan.refused}
    assert "有 2 名干部叫“乙”" in problems[4]
    assert "数字经济" in problems[6] and "层级应为" in problems[6] and "入库时间" in problems[6]
    assert "找不到“查无此人”" in problems[7]
    assert plan.summary() == "“名单.xlsx”（Sheet）共 5 行：可导入 2 行，有问题 3 行"
    result = pool_import.commit(plan)
    assert result.added == 2
    assert [(m.pool_name, m.level, m.joined_on) for m in pools.pools_of(ids["甲"])] == [("经济发展", "领军", f"{joined:%Y%m%d}")]
    assert pool_import.commit(pool_import.analyze(path)).present == ["甲（经济发展）", "乙（乡村振兴）"]
    with acting_as("经办人", units=(world["b"],)):
        plan = pool_import.analyze(path, economy.id)
        assert [r.name for r in plan.good] == ["乙"]  # the other unit's 乙 is not seen; 甲 neither
        assert "找不到“甲”" in plan.rows[0].problem


def test_pool_list_import_refuses_at_reading_what_the_import_would_refuse(world, tmp_path):
    """A 入库时间 after today or a 备注 over 300 characters passed the reading ("可导入") and was refused only at
    导入 — which undid the whole file, the good rows too. Such rows are now refused when read, with the reason,
    and the rest go in."""
    import openpyxl

    from cadre_desk.talent import pool_import

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "专业干部库", "层级", "入库时间", "备注"])
    later = clock.today() + _dt.timedelta(days=30)
    for row in (("甲", "经济发展", "骨干", "", "招商"), ("乙", "经济发展", "骨干", f"{later:%Y.%m.%d}", ""),
                ("丙", "经济发展", "储备", "", "备" * 301)):
        sheet.append(list(row))
    path = tmp_path / "名单.xlsx"
    book.save(path)
    plan = pool_import.analyze(path)
    assert [r.name for r in plan.good] == ["甲"]
    problems = {r.name: r.problem for r in plan.refused}
    assert "不能晚于今天" in problems["乙"] and "不超过 300 字" in problems["丙"]
    assert pool_import.commit(plan).added == 1
    assert [m.cadre_name for m in pools.list_members(pools.list_pools()[0].id)] == ["甲"]


def test_a_round_shared_with_other_units_is_refused_by_number_not_by_name(world):
    """修改提醒单 / 删除提醒单 on a round that also went to another unit's cadres was refused with their names
    (“丙：该干部不在您负责的单位范围内”) — people the clerk may not see. Now the number, and the round says
    how many are outside (the page turns those two actions off with the same words)."""
    issued = _round(world, names=("甲", "乙", "丙"))
    with acting_as("经办人", units=(world["a"],)):
        (mine,) = checkups.list_rounds()
        assert (mine.sheet_count, mine.hidden) == (2, 1) and checkups.get_round(mine.id).hidden == 1
        expected = checkups.round_refusal(mine)
        assert expected.startswith("该批提醒单还下发给了 1 名其他单位的干部")
        for call in (lambda: checkups.update_round(mine.id, mine.version, title="改", issued_on=mine.issued_on,
                                                   due=mine.due, group_note=""),
                     lambda: checkups.delete_round(mine.id)):
            with pytest.raises(PermissionDenied) as err:
                call()
            assert str(err.value) == expected and "丙" not in str(err.value)
    with acting_as("经办人", units=(world["a"], world["b"])):
        whole = checkups.get_round(issued.round.id)
        assert whole.hidden == 0 and checkups.round_refusal(whole) == ""
        checkups.delete_round(whole.id)
