"""期满鉴定: 等次, three dated and signed opinions, the outcome written into the profile; every rule of the
service, its audit rows, its scope, the migration of the old single 鉴定 text."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cadre_desk.domain import clock
from cadre_desk.domain.errors import PermissionDenied, ValidationError
from cadre_desk.postings import frontline_posts, posting_data, posting_review, postings
from cadre_desk.postings.posting_data import ReviewInfo
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from tests.conftest import acting_as, make_profile


def _today() -> str:
    return clock.today_yyyymmdd()


def _on_post(unit, name="甲", start="20190105", **values):
    cadre_id = cadres.save_profile(make_profile(unit.id, name=name, status="1", **values)).profile.id
    line = next(line for line in frontline_posts.list_lines() if line.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="长三角招商小分队",
                                                            host_type="招商小分队", host_name="市投资促进局", capacity=3))
    p = postings.create_posting(cadre_id, post.id, "组织选派", start)
    return cadre_id, postings.start_posting(p.id, p.version, start)


def _review(**values) -> ReviewInfo:
    day = _today()
    base = dict(grade="称职",
                home_opinion="服从组织安排，同意期满鉴定意见。", home_signer="王建国", home_date=day,
                host_opinion="工作认真负责，较好完成招商任务。", host_signer="李国庆", host_date=day,
                org_opinion="较好完成了一线锻炼任务，鉴定为称职。", org_signer="刘志刚", org_date=day)
    base.update(values)
    return ReviewInfo(**base)


def test_finish_keeps_grade_and_three_signed_opinions(db, unit):
    _cadre, p = _on_post(unit)
    typed = _review(home_date=f"{_today()[:4]}.{_today()[4:6]}.{_today()[6:]}")  # as a clerk types it
    done = posting_review.finish_posting(p.id, p.version, _today(), typed, "返回原单位")
    assert (done.state, done.outcome, done.grade) == ("期满", "返回原单位", "称职")
    review = posting_review.get_review(p.id)
    assert review.version == 1 and review.home_date == _today()
    assert [(o.who, o.signer) for o in review.opinions()] == [("派出单位", "王建国"), ("锻炼单位", "李国庆"),
                                                              ("组织部", "刘志刚")]
    row = audit.entries(entity="一线选派", entity_id=p.id)[0]
    assert row.summary == "甲 锻炼期满：称职，返回原单位"
    assert row.changes["鉴定等次"] == [None, "称职"] and row.changes["派出单位签署人"] == [None, "王建国"]
    assert row.changes["状态"] == ["在岗", "期满"]
    # the list shows the 等次 beside the outcome
    assert postings.list_postings(cadre_id=done.cadre_id)[0].grade == "称职"


def test_an_opinion_needs_its_signer_and_date(db, unit):
    _cadre, p = _on_post(unit)
    tomorrow = clock.today().toordinal() + 1
    import datetime as dt

    late = dt.date.fromordinal(tomorrow).strftime("%Y%m%d")
    bad = _review(home_signer="", host_opinion="", host_signer="李国庆", host_date="", org_date=late, grade="良好")
    with pytest.raises(ValidationError) as err:
        posting_review.finish_posting(p.id, p.version, _today(), bad, "提拔使用")
    errors = err.value.errors
    assert errors["home_signer"] == "请填写派出单位签署人"
    assert errors["host_opinion"] == "已填写签署人或日期，请填写锻炼单位意见"
    assert errors["host_date"] == "请填写锻炼单位签署日期"
    assert errors["org_date"] == "组织部签署日期不能晚于今天"
    assert errors["grade"].startswith("请选择鉴定等次")
    with pytest.raises(ValidationError) as err:  # a day, not a month; not before the posting
        posting_review.finish_posting(p.id, p.version, _today(), _review(home_date="2019.05", host_date="20181231"),
                                      "返回原单位")
    assert "请写到日" in err.value.errors["home_date"]
    assert err.value.errors["host_date"] == "锻炼单位签署日期不能早于锻炼开始时间 2019.01.05"
    with pytest.raises(ValidationError) as err:
        posting_review.finish_posting(p.id, p.version, _today(), ReviewInfo(grade="优秀"), "其他")
    assert "请至少填写一方鉴定意见" in err.value.errors[""]
    assert "结果说明" in err.value.errors["result_note"]
    assert postings.get_posting(p.id).state == "在岗"  # nothing was kept


def test_later_opinions_need_no_reason_changes_do(db, unit):
    _cadre, p = _on_post(unit)
    p = posting_review.finish_posting(p.id, p.version, _today(),
                                      _review(host_opinion="", host_signer="", host_date=""), "返回原单位")
    # the host's opinion comes back a week later: filled in without a reason
    review = posting_review.get_review(p.id)
    filled = dataclasses.replace(review, host_opinion="能够适应一线节奏，按时完成任务。", host_signer="李国庆",
                                 host_date=_today())
    p = posting_review.save_review(p.id, p.version, filled, "返回原单位")
    assert posting_review.get_review(p.id).host_signer == "李国庆"
    # changing the 等次 or the outcome already recorded needs a reason, which the audit keeps
    changed = dataclasses.replace(posting_review.get_review(p.id), grade="优秀")
    with pytest.raises(ValidationError) as err:
        posting_review.save_review(p.id, p.version, changed, "晋升职级")
    assert err.value.errors["reason"] == "修改已记录的鉴定等次、锻炼结果，须填写更正原因"
    p = posting_review.save_review(p.id, p.version, changed, "晋升职级", reason="部务会复议")
    assert (p.grade, p.outcome) == ("优秀", "晋升职级")
    row = audit.entries(entity="一线选派", entity_id=p.id)[0]
    assert row.reason == "部务会复议"
    assert row.changes == {"鉴定等次": ["称职", "优秀"], "锻炼结果": ["返回原单位", "晋升职级"]}
    with pytest.raises(ValidationError, match="没有修改"):
        posting_review.save_review(p.id, p.version, posting_review.get_review(p.id), "晋升职级")


def test_promotion_written_into_the_profile_both_ways(db, unit):
    from cadre_desk.domain.fields import ResumeItem

    cadre_id, p = _on_post(unit, position="市财政局预算科科长", position_date="201706", rank="0132",
                           rank_date="201706")
    profile = cadres.get_profile(cadre_id)
    profile.resume = [ResumeItem("200907", "201706", "市财政局科员"), ResumeItem("201706", "", "市财政局预算科科长")]
    cadres.save_profile(profile)
    end = "20190705"
    result = _review(result_position="市财政局副局长", result_rank="0122", result_date="2019.08",
                     result_resume="市财政局副局长")
    p = posting_review.finish_posting(p.id, p.version, end, result, "提拔使用", write_profile=True)
    profile = cadres.get_profile(cadre_id)
    values = profile.values
    assert (values["position"], values["position_date"], values["rank"], values["rank_date"]) == (
        "市财政局副局长", "201908", "0122", "201908")
    assert [(r.start, r.end, r.text) for r in profile.resume][-2:] == [
        ("201706", "201908", "市财政局预算科科长"), ("201908", "", "市财政局副局长")]
    # the profile's audit row names the posting; the posting keeps what was written and when
    row = audit.entries(entity="干部", entity_id=cadre_id)[0]
    assert row.reason == "一线锻炼期满提拔使用（招商引资/长三角招商小分队，2019.01.05—2019.07.05）"
    assert row.changes["position"] == ["市财政局预算科科长", "市财政局副局长"]
    review = posting_review.get_review(p.id)
    assert review.recorded and review.result_date == "201908"
    text = posting_data.outcome_text(p.outcome, review)
    assert text.startswith("提拔使用：2019.08 任市财政局副局长（") and "记入干部档案" in text
    # once only
    with pytest.raises(ValidationError) as err:
        posting_review.save_review(p.id, p.version, review, "提拔使用", write_profile=True)
    assert "已于" in err.value.errors["write_profile"]


def test_a_promotion_with_its_resume_line_left_blank_writes_the_new_post_there(db, unit):
    """记入简历 says 「提拔使用不填则同新任职务」: left blank, the 简历 got no line at all. Now the new post is the
    line (and the 期满鉴定 keeps it as written); a 晋升职级 without a line of its own writes none."""
    from cadre_desk.domain.fields import ResumeItem

    cadre_id, p = _on_post(unit, position="市财政局预算科科长", position_date="201706")
    profile = cadres.get_profile(cadre_id)
    profile.resume = [ResumeItem("201706", "", "市财政局预算科科长")]
    cadres.save_profile(profile)
    p = posting_review.finish_posting(p.id, p.version, "20190705", _review(
        result_position="市财政局副局长", result_date="2019.08", result_resume=""), "提拔使用", write_profile=True)
    assert [(r.start, r.end, r.text) for r in cadres.get_profile(cadre_id).resume] == [
        ("201706", "201908", "市财政局预算科科长"), ("201908", "", "市财政局副局长")]
    assert posting_review.get_review(p.id).result_resume == "市财政局副局长"

    other, q = _on_post(unit, name="乙", rank="0234", rank_date="201501")
    before = cadres.get_profile(other).resume
    posting_review.finish_posting(q.id, q.version, "20190705", _review(result_rank="0233", result_date="201909"),
                                  "晋升职级", write_profile=True)
    assert cadres.get_profile(other).resume == before


def test_rank_raised_and_a_result_that_cannot_be_written(db, unit):
    from cadre_desk.domain.fields import ResumeItem

    cadre_id, p = _on_post(unit, position="市财政局科员", rank="0234", rank_date="201501")
    p = posting_review.finish_posting(p.id, p.version, "20190705", _review(), "晋升职级")
    with pytest.raises(ValidationError) as err:  # what writing needs is said at its fields
        posting_review.save_review(p.id, p.version, posting_review.get_review(p.id), "晋升职级", write_profile=True)
    assert set(err.value.errors) == {"result_rank", "result_date"}
    raised = dataclasses.replace(posting_review.get_review(p.id), result_rank="0233", result_date="201909")
    p = posting_review.save_review(p.id, p.version, raised, "晋升职级", write_profile=True)
    values = cadres.get_profile(cadre_id).values
    assert (values["rank"], values["rank_date"], values["position"]) == ("0233", "201909", "市财政局科员")

    other, q = _on_post(unit, name="乙", start="20190110")
    profile = cadres.get_profile(other)
    profile.resume = [ResumeItem("201912", "", "市财政局科员")]  # an open line that starts after the new one
    cadres.save_profile(profile)
    with pytest.raises(ValidationError) as err:
        posting_review.finish_posting(q.id, q.version, "20190705", _review(
            result_position="市财政局副科长", result_date="201908", result_resume="市财政局副科长"), "提拔使用",
            write_profile=True)
    assert "请先在干部档案中整理简历" in err.value.errors["result_resume"]
    assert postings.get_posting(q.id).state == "在岗"  # all or nothing
    assert cadres.get_profile(other).values["position"] != "市财政局副科长"


def test_only_cadres_of_the_operators_units(db, unit):
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.units import units

    cadre_id, p = _on_post(unit)
    p = posting_review.finish_posting(p.id, p.version, _today(), _review(), "返回原单位")
    elsewhere = units.create_unit("市发改委", unit.parent_id, full_name="市发展和改革委员会")
    with acting_as(ROLE_CLERK, units=(elsewhere.id,)):
        with pytest.raises(PermissionDenied):
            posting_review.get_review(p.id)
        assert posting_review.reviews_for([p.id]) == {}
        assert posting_review.latest_opinions([cadre_id]) == {}
        with pytest.raises(PermissionDenied):
            posting_review.save_review(p.id, p.version, _review(grade="优秀"), "返回原单位", reason="x")
    with acting_as(ROLE_CLERK, units=(unit.id,)):
        assert set(posting_review.reviews_for([p.id])) == {p.id}
        assert set(posting_review.latest_opinions([cadre_id])) == {cadre_id}


def test_latest_opinion_for_the_appraisal_sheet(db, unit):
    from cadre_desk.appraisal import appraisals

    cadre_id, p = _on_post(unit)
    posting_review.finish_posting(p.id, p.version, _today(), _review(org_opinion="", org_signer="", org_date=""), "返回原单位")
    assert appraisals.posting_appraisals([cadre_id]) == {cadre_id: "称职。工作认真负责，较好完成招商任务。"}


def test_old_single_appraisal_becomes_the_org_opinion(db_path):
    """A database of schema 6 (one 鉴定 text per posting) keeps the text as the 组织部意见."""
    import sqlite3

    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from tests.conftest import make_profile as profile_of

    open_database(db_path)
    try:
        from cadre_desk.units import units

        root = units.create_unit("市直机关")
        cadre_id = cadres.save_profile(profile_of(root.id, name="老鉴定", status="1")).profile.id
        line = frontline_posts.list_lines()[0]
        post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="岗", capacity=2))
        p = postings.create_posting(cadre_id, post.id, "组织选派", "20180101")
        q = postings.create_posting(cadres.save_profile(profile_of(root.id, name="无鉴定", status="1",
                                                                   id_number="")).profile.id,
                                    post.id, "组织选派", "20180101")
    finally:
        close_database()
    conn = sqlite3.connect(db_path)  # back to schema 6 as it was: the text on the posting, no review table
    conn.execute('ALTER TABLE "posting" ADD COLUMN "appraisal_text" TEXT NOT NULL DEFAULT \'\'')
    conn.execute('UPDATE "posting" SET "state" = \'期满\', "appraisal_text" = \'表现突出，同意期满。\' WHERE "id" = ?',
                 (p.id,))
    conn.execute('DROP TABLE "posting_review"')
    for step in migrations.STEPS:  # and nothing of the migrations after 10 (their frozen statements)
        if step.VERSION > 10:
            text = " ".join(getattr(step, "STATEMENTS", ()))
            for index in re.findall(r'CREATE (?:UNIQUE )?INDEX "(\w+)"', text):
                conn.execute(f'DROP INDEX IF EXISTS "{index}"')
            for table in re.findall(r'CREATE TABLE "(\w+)"', text):
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            for table, column in re.findall(r'ALTER TABLE "(\w+)" ADD COLUMN "(\w+)"', text):
                conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    open_database(db_path)
    try:
        from cadre_desk.store.db import database

        assert migrations.current_version(database) == migrations.LATEST
        review = posting_review.get_review(p.id)
        assert (review.org_opinion, review.org_signer, review.grade) == ("表现突出，同意期满。", "", "")
        assert posting_review.get_review(q.id).version == 0
        columns = [c.name for c in database.get_columns("posting")]
        assert "appraisal_text" not in columns
        # the old opinion stays unsigned while the 等次 and the outcome are filled in (no reason: blanks)
        posting = postings.get_posting(p.id)
        graded = dataclasses.replace(review, grade="称职")
        done = posting_review.save_review(p.id, posting.version, graded, "返回原单位")
        assert (done.grade, done.outcome) == ("称职", "返回原单位")
        assert posting_review.get_review(p.id).org_opinion == "表现突出，同意期满。"
    finally:
        close_database()


# ---- 人岗相适 you can judge ---------------------------------------------------------------------------

def test_candidates_come_with_age_rank_education_experience_and_reasons(db, unit):
    from cadre_desk.domain.dates import age_at
    from cadre_desk.postings import post_matching

    cadres.save_profile(make_profile(
        unit.id, name="对口", status="1", categories="03", birth="199203", gender="2", rank="0142",
        position="市财政局预算科副科长", ft_education="21", ft_degree="4", pt_education="11", pt_degree="3",
        specialty="招商引资、经济分析", weaknesses="基层经验不足"))
    served = cadres.save_profile(make_profile(unit.id, name="去过", status="1", categories="03",
                                              specialty="招商引资")).profile.id
    line = next(x for x in frontline_posts.list_lines() if x.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(
        line_id=line.id, name="长三角招商小分队", host_type="招商小分队", capacity=3, requirements="招商引资、经济分析",
        wanted_categories="03"))
    before = postings.create_posting(served, post.id, "组织选派", "20190105")
    before = postings.start_posting(before.id, before.version, "20190105")
    posting_review.finish_posting(before.id, before.version, "20190705", _review(), "返回原单位")
    found = {c.name: c for c in post_matching.match_candidates(post.id)}
    fit, again = found["对口"], found["去过"]
    assert fit.age == age_at("199203") and fit.gender == "女" and fit.rank_name == "乡科级副职"
    assert fit.education == "大学·学士；在职研究生·硕士" and fit.position == "市财政局预算科副科长"
    assert fit.experience == "无"
    assert fit.reasons == ("专业特长契合岗位要求“招商引资、经济分析”（+60）", "属于优秀年轻干部（+5）")
    assert fit.score == 65
    assert again.experience == "本战线 6 个月（2019.01.05—2019.07.05）"
    assert again.reasons[-1] == ("曾在“招商引资”战线锻炼过，共 6 个月（2019.01.05—2019.07.05），"
                                 "宜让其他干部到此战线（-10）")
    assert all(r.endswith(("）",)) and ("+" in r or "-" in r) for c in found.values() for r in c.reasons)


def test_a_missing_opinion_is_reminded(db, unit):
    from cadre_desk.postings import posting_reminders

    _cadre, p = _on_post(unit, start=clock.today().replace(day=1).strftime("%Y%m%d"))
    posting_review.finish_posting(p.id, p.version, _today(), _review(host_opinion="", host_signer="", host_date=""),
                                  "返回原单位")
    texts = [r.text for r in posting_reminders.reminders()]
    assert "甲（长三角招商小分队）的期满鉴定尚缺锻炼单位意见，请收回后在“期满鉴定…”中补填" in texts
