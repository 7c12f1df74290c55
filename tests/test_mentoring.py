"""导师帮带 rules: pairs, caps, warnings, states, logs, evaluations, reminders, delete hook."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.domain import clock
from cadre_desk.domain.errors import ConflictError, ValidationError
from cadre_desk.mentoring import (
    meeting_logs,
    mentoring,
    mentoring_reminders,
    mentoring_settings,
    pair_changes,
)
from cadre_desk.mentoring.mentoring import PairDraft
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.settings import settings
from tests.conftest import acting_as, make_profile


def _today(days_ago: int = 0) -> str:
    return (clock.today() - _dt.timedelta(days=days_ago)).strftime("%Y%m%d")


@pytest.fixture
def people(unit):
    """Five cadres: an old senior mentor, two more mentors, two young mentees."""
    def add(name, birth, rank):
        return cadres.save_profile(make_profile(unit.id, name=name, birth=birth, rank=rank)).profile.id

    return {
        "老张": add("张建国", "197003", "0131"),
        "老李": add("李卫东", "197205", "0141"),
        "老王": add("王志刚", "197508", "0231"),
        "小赵": add("赵犇", "199504", "0241"),
        "小钱": add("钱璐", "199702", "0241"),
        "小孙": add("孙晨", "199801", "0242"),
        "小周": add("周颖", "199611", "0242"),
    }


def _draft(mentor, mentee, **kw) -> PairDraft:
    values = dict(mentor_id=mentor, mentee_id=mentee, focus="招商引资", goals="独立牵头一个项目",
                  start=_today(10), planned_end=(clock.today() + _dt.timedelta(days=300)).strftime("%Y%m%d"))
    values.update(kw)
    return PairDraft(**values)


def test_create_pair_and_read_back(people):
    result = pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    pair = result.pair
    assert result.warnings == []
    assert pair.state == "进行中" and pair.mentor_name == "张建国" and pair.mentee_name == "赵犇"
    assert pair.posting_id is None and pair.mentor_rating is None
    assert [p.id for p in mentoring.pairs_for_cadre(people["小赵"])] == [pair.id]
    assert [p.id for p in mentoring.pairs_for_cadre(people["老张"])] == [pair.id]
    assert mentoring.list_pairs(state="进行中", mentor_id=people["老张"])[0].id == pair.id
    rows = audit.entries(entity="导师帮带", entity_id=pair.id)
    assert rows and rows[0].action == audit.CREATE


def test_same_person_refused(people):
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老张"], people["老张"]))
    assert "同一人" in exc.value.message()


def test_duplicate_active_pair_refused(people):
    pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    settings.put(mentoring_settings.MULTIPLE_MENTORS_KEY, True)
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    assert "重复" in exc.value.message()


def test_pair_again_after_completion_allowed(people):
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(100))).pair
    pair_changes.complete_pair(pair.id, pair.version, end_date=_today(), mentor_rating=90)
    again = pair_changes.create_pair(_draft(people["老张"], people["小赵"])).pair
    assert again.state == "进行中"


def test_mentor_cap_default_and_setting(people):
    for mentee in ("小赵", "小钱", "小孙"):
        pair_changes.create_pair(_draft(people["老张"], people[mentee]))
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老张"], people["小周"]))
    assert "上限" in exc.value.errors["mentor_id"]
    settings.put(mentoring_settings.MAX_MENTEES_KEY, 4)
    assert pair_changes.create_pair(_draft(people["老张"], people["小周"])).pair.id
    assert mentoring.mentor_loads()[0].label == "张建国（4/4）"


def test_mentor_cap_setting_lowered(people):
    settings.put(mentoring_settings.MAX_MENTEES_KEY, 1)
    pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    with pytest.raises(ValidationError):
        pair_changes.create_pair(_draft(people["老张"], people["小钱"]))


def test_mentee_single_mentor_unless_setting(people):
    pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老李"], people["小赵"]))
    assert "张建国" in exc.value.errors["mentee_id"]
    settings.put(mentoring_settings.MULTIPLE_MENTORS_KEY, True)
    assert pair_changes.create_pair(_draft(people["老李"], people["小赵"])).pair.mentor_name == "李卫东"


def test_younger_or_lower_rank_mentor_warns_but_creates(people):
    result = pair_changes.create_pair(_draft(people["小赵"], people["老王"]))
    assert result.pair.id
    assert len(result.warnings) == 2
    assert "年轻" in result.warnings[0] and "职级" in result.warnings[1]
    # the warning is kept in the audit row's reason
    assert "年轻" in audit.entries(entity="导师帮带", entity_id=result.pair.id)[0].reason


def test_the_younger_mentor_warning_names_months_of_birth(unit):
    """「（1995.04生）」: a birth stored with its day (from the 身份证号) is named by its month, as 出生年月."""
    def add(name, birth):
        return cadres.save_profile(make_profile(unit.id, name=name, birth=birth)).profile.id

    young, old = add("赵犇", "19950412"), add("张建国", "197003")
    warnings = pair_changes.pair_warnings(young, old)
    assert warnings == ["导师赵犇（1995.04生）比帮带对象张建国（1970.03生）年轻。"]


def test_rank_comparison_across_leadership_and_grade():
    assert pair_changes.ranks_below("0142", "0131")  # 乡科级副职 below 县处级正职
    assert not pair_changes.ranks_below("0131", "0142")
    assert pair_changes.ranks_below("0233", "0141")  # 三级主任科员 (乡科副) below 乡科级正职
    assert not pair_changes.ranks_below("0231", "0141")  # 一级主任科员 = 乡科级正职
    assert not pair_changes.ranks_below("", "0141")


def test_dates_validated(people):
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老张"], people["小赵"], start="20250301", planned_end="20250101"))
    assert "planned_end" in exc.value.errors


def test_terminate_needs_reason(people):
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"])).pair
    with pytest.raises(ValidationError) as exc:
        pair_changes.terminate_pair(pair.id, pair.version, reason="  ")
    assert "原因" in exc.value.message()
    done = pair_changes.terminate_pair(pair.id, pair.version, reason="导师调离")
    assert done.state == "终止" and done.end_reason == "导师调离" and done.actual_end == _today()
    assert audit.entries(entity="导师帮带", entity_id=pair.id)[0].reason == "导师调离"
    with pytest.raises(ValidationError):
        meeting_logs.add_log(pair.id, _today(), "谈心谈话", "谈话")


def test_change_planned_end_audited(people):
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"])).pair
    new_end = (clock.today() + _dt.timedelta(days=500)).strftime("%Y%m%d")
    changed = pair_changes.change_planned_end(pair.id, pair.version, new_end, reason="锻炼期延长")
    assert changed.planned_end == new_end and changed.version == pair.version + 1
    row = audit.entries(entity="导师帮带", entity_id=pair.id)[0]
    assert row.changes == {"planned_end": [pair.planned_end, new_end]} and row.reason == "锻炼期延长"
    with pytest.raises(ConflictError):
        pair_changes.change_planned_end(pair.id, pair.version, new_end)


def test_early_completion_with_evaluation_both_ways(people):
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(60))).pair
    with pytest.raises(ValidationError) as exc:
        pair_changes.complete_pair(pair.id, pair.version, end_date=_today(), mentor_rating=120)
    assert "mentor_rating" in exc.value.errors
    done = pair_changes.complete_pair(pair.id, pair.version, end_date=_today(), mentor_rating=88,
                                      mentor_comment="进步明显", mentee_rating=95, mentee_comment="指导到位")
    assert (done.state, done.mentor_rating, done.mentor_comment, done.mentee_rating, done.mentee_comment) == (
        "已结业", 88.0, "进步明显", 95.0, "指导到位")
    assert "提前结业" in audit.entries(entity="导师帮带", entity_id=pair.id)[0].summary
    fixed = pair_changes.set_evaluation(done.id, done.version, mentor_rating=90, mentor_comment="进步明显",
                                        mentee_rating=95, mentee_comment="指导到位")
    assert fixed.mentor_rating == 90.0


def test_meeting_logs(people):
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(20))).pair
    with pytest.raises(ValidationError) as exc:
        meeting_logs.add_log(pair.id, _today(), "喝茶", "")
    assert {"form", "content"} <= set(exc.value.errors)
    with pytest.raises(ValidationError):
        meeting_logs.add_log(pair.id, _today(30), "谈心谈话", "早于开始")
    log = meeting_logs.add_log(pair.id, _today(5), "现场指导", "到项目现场", "写报告")
    meeting_logs.add_log(pair.id, _today(1), "谈心谈话", "谈思想")
    logs = meeting_logs.logs_for_pair(pair.id)
    assert [x.form for x in logs] == ["现场指导", "谈心谈话"] and logs[0].next_steps == "写报告"
    meeting_logs.update_log(log.id, _today(4), "业务培训", "讲政策")
    meeting_logs.delete_log(logs[1].id)
    assert [(x.date, x.form) for x in meeting_logs.logs_for_pair(pair.id)] == [(_today(4), "业务培训")]
    assert mentoring.get_pair(pair.id).log_count == 1


def test_idle_reminder_after_30_days(people):
    from cadre_desk.home import reminders

    quiet = pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(45))).pair
    busy = pair_changes.create_pair(_draft(people["老李"], people["小钱"], start=_today(45))).pair
    meeting_logs.add_log(busy.id, _today(3), "谈心谈话", "近期谈话")
    young = pair_changes.create_pair(_draft(people["老王"], people["小孙"], start=_today(10))).pair
    idle = {pair.id: days for pair, days in mentoring_reminders.idle_pairs()}
    assert idle == {quiet.id: 45}
    texts = [r.text for r in reminders.collect() if r.category == "导师帮带"]
    assert texts == ["张建国→赵犇 已 45 天没有谈话记录"]
    settings.put(mentoring_settings.IDLE_DAYS_KEY, 7)
    assert {pair.id for pair, _ in mentoring_reminders.idle_pairs()} == {quiet.id, young.id}
    meeting_logs.add_log(quiet.id, _today(40), "谈心谈话", "一次谈话")
    assert "没有新的谈话记录" in [r.text for r in reminders.collect() if r.cadre_id == people["小赵"]][0]


def test_cadre_in_pair_cannot_be_deleted(people):
    pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    with pytest.raises(ValidationError) as exc:
        cadres.delete_cadre(people["老张"])
    assert "导师帮带" in exc.value.message()
    cadres.delete_cadre(people["小周"])  # not in a pair


def test_permission_refused(people):
    from cadre_desk.access.roles import ROLE_READER
    from cadre_desk.domain.errors import PermissionDenied

    with acting_as(ROLE_READER), pytest.raises(PermissionDenied):  # 查阅人 may not edit
        pair_changes.create_pair(_draft(people["老张"], people["小赵"]))


def test_demo_has_every_state(demo_db):
    from cadre_desk.security import check

    pairs = mentoring.list_pairs()
    assert {p.state for p in pairs} == {"进行中", "已结业", "终止"}
    assert all(p.mentor_rating is not None for p in pairs if p.state == "已结业")
    assert all(p.end_reason for p in pairs if p.state == "终止")
    assert any(p.log_count for p in pairs)
    assert all(load.active <= load.cap for load in mentoring.mentor_loads())
    assert not [line for line in check.run_checks() if "帮带" in line]


def _posting_for(cadre_id, guide_id=None, line="乡村振兴"):
    from cadre_desk.postings import frontline_posts, posting_data, postings

    line_info = next(x for x in frontline_posts.list_lines() if x.name == line)
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line_info.id, name=f"{line}测试岗位", host_type="驻村工作队",
                                                 host_name="柳林乡", capacity=3))
    return postings.create_posting(cadre_id, post.id, "组织选派", _today(20), guide_cadre_id=guide_id)


def test_posting_link_and_line_filter(people):
    posting = _posting_for(people["小赵"])
    other = _posting_for(people["小钱"], line="招商引资")
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"], posting_id=posting.id)).pair
    assert pair.posting_id == posting.id
    assert mentoring.posting_labels() == {posting.id: "乡村振兴·乡村振兴测试岗位"}
    with pytest.raises(ValidationError) as exc:
        pair_changes.create_pair(_draft(people["老李"], people["小钱"], posting_id=posting.id))
    assert "不属于" in exc.value.errors["posting_id"]
    pair_changes.create_pair(_draft(people["老李"], people["小钱"], posting_id=other.id))
    from cadre_desk.postings import postings

    line_ids = [p.id for p in postings.list_postings(line_id=posting.line_id)]
    assert [p.mentee_name for p in mentoring.list_pairs(posting_ids=line_ids)] == ["赵犇"]
    assert [p.mentee_name for p in mentoring.list_pairs(line_id=posting.line_id)] == ["赵犇"]
    assert [p.mentee_name for p in mentoring.list_pairs(line_id=other.line_id)] == ["钱璐"]


def test_unit_filter(people, unit):
    from cadre_desk.units import units

    pair_changes.create_pair(_draft(people["老张"], people["小赵"]))
    other = units.create_unit("市商务局", unit.parent_id)
    assert len(mentoring.list_pairs(unit_id=unit.id)) == 1
    assert len(mentoring.list_pairs(unit_id=unit.parent_id)) == 1
    assert mentoring.list_pairs(unit_id=other.id) == []


def test_cli_lists_pairs(people, db_target, capsys):
    from cadre_desk.__main__ import main

    pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(40)))
    assert main(["--db", db_target, "mentoring", "--idle"]) == 0
    lines = capsys.readouterr().out.splitlines()
    pair_id, _rest = lines[1].split("\t", 1)
    assert lines[0].startswith("编号\t导师\t帮带对象") and _rest.startswith("张建国\t赵犇") and lines[1].endswith("40天")
    assert int(pair_id) == mentoring.visible_pairs()[0].id  # what mentoring-pdf --ids takes


def test_withdrawn_posting_unlinked_from_its_pair(people):
    from cadre_desk.postings import posting_hooks, postings

    assert any(h.__name__ == "cadre_desk.mentoring.mentoring.unlink_withdrawn_posting" for h in posting_hooks.WITHDRAW_HOOKS)
    posting = _posting_for(people["小赵"])
    pair = pair_changes.create_pair(_draft(people["老张"], people["小赵"], posting_id=posting.id)).pair
    postings.delete_posting(posting.id, posting.version, reason="录入有误")
    after = mentoring.get_pair(pair.id)
    assert after.posting_id is None and after.version == pair.version + 1
    row = audit.entries(entity="导师帮带", entity_id=pair.id)[0]
    assert row.action == audit.UPDATE and row.changes == {"posting_id": [posting.id, None]}
    assert mentoring.posting_labels() == {}


def test_the_reminders_lean_read_of_pairs_agrees_with_visible_pairs(people, unit):
    """active_pairs (the 工作台's reminders) says of each pair in progress what visible_pairs(state=ACTIVE)
    says: the same pairs, order, shown names and logs — for every unit, a clerk of the unit and one of none."""
    from cadre_desk.access.roles import ROLE_CLERK

    quiet = pair_changes.create_pair(_draft(people["老张"], people["小赵"], start=_today(45))).pair
    busy = pair_changes.create_pair(_draft(people["老李"], people["小钱"], start=_today(20))).pair
    meeting_logs.add_log(busy.id, _today(3), "谈心谈话", "近期谈话")
    meeting_logs.add_log(busy.id, _today(9), "谈心谈话", "上次谈话")
    ended = pair_changes.create_pair(_draft(people["老王"], people["小孙"], start=_today(30))).pair
    pair_changes.terminate_pair(ended.id, ended.version, reason="调离")  # not in progress: in neither list

    def said(pairs):
        return [(p.id, p.mentor_name, p.mentee_id, p.mentee_name, p.start,
                 p.planned_end, p.log_count, p.last_log_date) for p in pairs]

    assert said(mentoring.active_pairs()) == said(mentoring.visible_pairs(state=mentoring.ACTIVE))
    assert {p.id for p in mentoring.active_pairs()} == {quiet.id, busy.id}
    assert [p.log_count for p in mentoring.active_pairs() if p.id == busy.id] == [2]
    with acting_as(ROLE_CLERK, units=(unit.id,)):
        assert said(mentoring.active_pairs()) == said(mentoring.visible_pairs(state=mentoring.ACTIVE))
    with acting_as(ROLE_CLERK, units=(unit.id + 10_000,)):
        assert mentoring.active_pairs() == [] == mentoring.visible_pairs(state=mentoring.ACTIVE)


def test_mentors_of_other_units_are_told_apart_by_their_mentees_not_placed(people, unit):
    """A clerk's mentor filter listed every mentor of another unit as 「（其他单位干部）（1/3）」: five alike
    to choose from. They read by the mentees the clerk may see — never by the mentor's name nor unit
    (walk 34: the unit, 市税务局, was shown beside 「（其他单位干部）」); the pairs carry no unit for them."""
    from cadre_desk.units import units
    from tests.conftest import acting_as

    tax = units.create_unit("市税务局")
    traffic = units.create_unit("市交通局")
    outside = [cadres.save_profile(make_profile(u.id, name=n, birth="197001", rank="0131")).profile.id
               for u, n in ((tax, "税务老刘"), (traffic, "交通老陈"))]
    pair_changes.create_pair(_draft(outside[0], people["小赵"]))
    pair_changes.create_pair(_draft(outside[1], people["小钱"]))
    mentee = pair_changes.create_pair(_draft(people["老张"], outside[1])).pair  # a mentee of another unit
    with acting_as("经办人", units=(unit.id,)):
        loads = mentoring.mentor_loads()
        labels = sorted(load.choice_label for load in loads if load.mentor_id in outside)
        pairs = mentoring.visible_pairs()
        own = next(load for load in loads if load.mentor_id == people["老张"])
    assert labels == ["（其他单位干部·赵犇的导师）（1/3）", "（其他单位干部·钱璐的导师）（1/3）"]
    assert not any("老" in label or "市" in label for label in labels)  # neither 老刘 nor 市税务局
    assert {(p.mentor_unit_id, p.mentor_unit_name) for p in pairs if p.mentor_id in outside} == {(None, "")}
    assert not any("市税务局" in load.unit_name or "市交通局" in load.unit_name for load in loads)
    # 张建国's pair with a mentee of another unit: counted (the cap counts it), not listed, said as such
    assert mentee.id not in {p.id for p in own.pairs} and own.active == 1 and own.others_active == 1
    assert own.label == "张建国（1/3）"


def test_the_pairs_workbook_carries_their_talks_and_only_the_clerks(people, unit, tmp_path):
    """The list shows each pair's 谈话记录 below it; the 导师帮带结对表 said only 谈话次数 — a superior read
    how many talks, never what was said. A second sheet lists them, by pair; a clerk's only of his mentees."""
    import openpyxl

    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.units import units
    from reports.excel import excel_workbooks

    tax = units.create_unit("市税务局")
    outside = cadres.save_profile(make_profile(tax.id, name="税务小刘", birth="199603", rank="0242")).profile.id
    mine = pair_changes.create_pair(_draft(people["老张"], people["小赵"])).pair
    meeting_logs.add_log(mine.id, _today(8), "谈心谈话", "讲解社区治理的基本方法", "下月走访十户居民")
    meeting_logs.add_log(mine.id, _today(2), "现场指导", "陪同走访")
    theirs = pair_changes.create_pair(_draft(people["老李"], outside)).pair
    meeting_logs.add_log(theirs.id, _today(5), "谈心谈话", "别的单位的谈话")

    with acting_as(ROLE_CLERK, units=(unit.id,)):
        book = openpyxl.load_workbook(excel_workbooks.export_mentoring(tmp_path / "m.xlsx"))
    ws = book["谈话记录"]
    assert [c.value for c in ws[2]] == ["序号", "导师", "帮带对象", "谈话日期", "帮带形式", "谈话内容", "下一步安排", "记录人"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [r[:6] for r in rows] == [
        [1, "张建国", "赵犇", f"{_today(8)[:4]}.{_today(8)[4:6]}.{_today(8)[6:]}", "谈心谈话", "讲解社区治理的基本方法"],
        [2, "张建国", "赵犇", f"{_today(2)[:4]}.{_today(2)[4:6]}.{_today(2)[6:]}", "现场指导", "陪同走访"]]
    assert rows[0][6] == "下月走访十户居民"
