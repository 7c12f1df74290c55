"""Records and appraisal: every computation and rule."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.appraisal.scoring import (
    check_period,
    competition_ranks,
    current_period,
    excellent_quota,
    grade_for,
    quota_message,
    scope_matches,
    weighted_total,
    weights_ok,
)
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.periods import period_label
from tests.conftest import acting_as, make_profile

# ---- pure functions --------------------------------------------------------------------------------

def test_weights_must_sum_to_100():
    assert weights_ok([20, 20, 15, 35, 10])
    assert not weights_ok([20, 20, 15, 35, 9])
    assert weights_ok([33.3, 33.3, 33.4])


def test_weighted_total_formula():
    raters = [(1, 40), (2, 40), (3, 20)]
    dims = [(10, 50), (11, 50)]
    scores = {(1, 10): 90, (1, 11): 80, (2, 10): 70, (2, 11): 70, (3, 10): 100, (3, 11): 100}
    # Σ rater_weight × Σ dim_weight × score / 100²
    expected = (40 * (50 * 90 + 50 * 80) + 40 * (50 * 70 + 50 * 70) + 20 * (50 * 100 + 50 * 100)) / 10000
    assert weighted_total(scores, raters, dims) == round(expected, 2)
    scores.pop((3, 11))
    assert weighted_total(scores, raters, dims) is None


@pytest.mark.parametrize("total, grade", [(100, "优秀"), (90, "优秀"), (89.99, "称职"), (70, "称职"),
                                          (69.99, "基本称职"), (60, "基本称职"), (59.99, "不称职"), (0, "不称职")])
def test_band_edges(total, grade):
    assert grade_for(total) == grade


def test_institution_wording():
    assert [grade_for(t, wording="事业单位") for t in (95, 80, 65, 50)] == ["优秀", "合格", "基本合格", "不合格"]


def test_quota_blocks_eleventh_excellent_in_fifty():
    assert excellent_quota(50, 20) == 10
    assert quota_message(10, 50, 20) is None
    message = quota_message(11, 50, 20)
    assert "最多 10 人" in message and "超出 1 人" in message


def test_ranking_ties_share_a_rank():
    assert competition_ranks([95, 90, 90, 80]) == [1, 2, 2, 4]
    assert competition_ranks([80, None, 95, 95]) == [3, None, 1, 1]


def test_scope_matching():
    kw = dict(cadre_categories="01,03", cadre_unit_path="/1/5/", cadre_line_ids=[2])
    assert scope_matches("", "", "", **kw)
    assert scope_matches("03", "", "", **kw)
    assert not scope_matches("02", "", "", **kw)
    assert scope_matches("", "2", "", **kw)
    assert scope_matches("", "", "1", **kw)
    assert not scope_matches("", "3", "7", **kw)


def test_periods():
    day = _dt.date(2026, 11, 22)
    assert current_period("周小结", day) == "2026-W47"
    assert current_period("月上报", day) == "2026-11"
    assert current_period("季检查", day) == "2026-Q4"
    assert current_period("年考核", day) == "2026"
    assert check_period("月上报", "2026-13")
    assert check_period("季检查", "2026-11")
    assert check_period("周小结", "2026-W05") is None
    assert period_label("2026-Q1") == "2026年第1季度"
    assert period_label("2026-03") == "2026.03"


# ---- services ------------------------------------------------------------------------------------

def _cadres(unit_id, n):
    from cadre_desk.profiles import cadres

    ids = []
    for i in range(n):
        profile = make_profile(unit_id, name=f"干部{i:02d}")
        ids.append(cadres.save_profile(profile).profile.id)
    return ids


def _bulk_cadres(unit_id, n):
    """Fast cadres for the big quota test (no profile validation needed)."""
    from cadre_desk.store.models import Cadre

    return [Cadre.create(name=f"甲{i:02d}", unit=unit_id, status="1").id for i in range(n)]


def _default(name="年度考核"):
    from cadre_desk.appraisal import schemes

    return next(s for s in schemes.list_schemes() if s.name == name)


def _fill(sheet_id, cadre_id, value):
    from cadre_desk.appraisal import appraisals, sheet_scores

    data = appraisals.load_sheet(sheet_id)
    sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(cadre_id, r.id, d.id, value)
                                       for r in data.scheme.raters for d in data.scheme.dimensions])


def test_migration_seeds_catalog_and_schemes(db):
    from cadre_desk.appraisal import records, schemes

    items = records.list_behaviour_items()
    assert sum(i.polarity == "正面" for i in items) == 15
    assert sum(i.polarity == "负面" for i in items) == 15
    assert {"急难险重任务表现突出", "推诿扯皮", "作风漂浮"} <= {i.name for i in items}
    by_name = {s.name: s for s in schemes.list_schemes()}
    annual = by_name["年度考核"]
    assert [d.name for d in annual.dimensions] == ["德", "能", "勤", "绩", "廉"]
    assert sum(d.weight for d in annual.dimensions) == 100
    assert [r.name for r in annual.raters] == ["组织部", "主管部门", "民主测评"]
    assert sum(r.weight for r in annual.raters) == 100
    assert [d.name for d in by_name["一线锻炼期满考核"].dimensions] == ["政治表现", "工作实绩", "作风纪律", "群众评价"]
    assert (annual.excellent_min, annual.competent_min, annual.basic_min, annual.excellent_cap) == (90, 70, 60, 20)


def test_scheme_weights_validated_and_copy(db, unit):
    from cadre_desk.appraisal import schemes

    scheme = _default()
    scheme.dimensions[0].weight = 25
    with pytest.raises(ValidationError) as err:
        schemes.save_scheme(scheme)
    assert "合计应为 100" in err.value.errors["dimensions"]
    copy = schemes.copy_scheme(_default().id)
    assert copy.name == "年度考核（副本）" and not copy.in_use
    copy.dimensions[0].weight = 25
    copy.dimensions[1].weight = 15
    copy.wording = "事业单位"
    saved = schemes.save_scheme(copy)
    assert saved.dimensions[0].weight == 25 and saved.wording == "事业单位"


def test_scheme_in_use_cannot_change_weights(db, unit):
    from cadre_desk.appraisal import appraisals, schemes

    ids = _cadres(unit.id, 1)
    appraisals.create_sheet("测试表", "2025", _default().id, ids)
    scheme = _default()
    assert scheme.in_use
    scheme.dimensions[0].weight, scheme.dimensions[1].weight = 25, 15
    with pytest.raises(ValidationError) as err:
        schemes.save_scheme(scheme)
    assert "复制" in err.value.message()
    scheme = _default()
    scheme.description = "只改说明可以"
    assert schemes.save_scheme(scheme).description == "只改说明可以"
    copy = schemes.copy_scheme(scheme.id)
    copy.dimensions[0].weight, copy.dimensions[1].weight = 25, 15
    assert schemes.save_scheme(copy).dimensions[0].weight == 25


def test_scope_refuses_cadres_outside(db, unit):
    from cadre_desk.appraisal import appraisals, schemes

    ids = _cadres(unit.id, 2)
    scoped = schemes.copy_scheme(_default().id, "选调生考核")
    scoped.scope_categories = ["04"]
    scoped = schemes.save_scheme(scoped)
    with pytest.raises(ValidationError) as err:
        appraisals.create_sheet("选调生", "2025", scoped.id, ids)
    assert "适用范围" in err.value.message()
    assert [s.name for s in schemes.schemes_for_cadre(ids[0])][0] == "年度考核"


def test_scheme_scope_checked_for_many_cadres_at_once(db, unit):
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.profiles import cadres

    ids = _cadres(unit.id, 3)
    profile = cadres.get_profile(ids[1])
    profile.values["categories"] = "04"
    cadres.save_profile(profile)
    scoped = schemes.copy_scheme(_default().id, "选调生考核")
    scoped.scope_categories = ["04"]
    scoped = schemes.save_scheme(scoped)
    wanted = ids + [999999]
    outside = schemes.scheme_outside(scoped, wanted)
    assert outside == [i for i in wanted if not schemes.scheme_applies(scoped, i)] == [ids[0], ids[2], 999999]
    assert schemes.scheme_outside(_default(), ids) == []
    sheet = appraisals.create_sheet("选调生", "2025", scoped.id, [ids[1]])
    with pytest.raises(ValidationError) as err:
        appraisals.add_members(sheet.id, [ids[0]])
    assert "适用范围" in err.value.message()


def test_sheet_scores_totals_and_finalize_flow_into_profile(db, unit):
    from cadre_desk.appraisal import appraisals, grading, sheet_scores
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit

    ids = _cadres(unit.id, 5)
    members = appraisals.group_members("单位", unit.id)
    assert members == ids
    sheet = appraisals.create_sheet("2025年度考核", "2025", _default().id, members, group_kind="单位",
                                    group_ref=unit.id, group_label="市财政局")
    assert sheet.annual
    _fill(sheet.id, ids[0], 95)
    _fill(sheet.id, ids[1], 80)
    with pytest.raises(ValidationError) as err:
        grading.finalize(sheet.id)
    assert "评分不完整" in err.value.message()
    _fill(sheet.id, ids[2], 59.99)
    _fill(sheet.id, ids[3], 60)
    _fill(sheet.id, ids[4], 89.99)
    data = appraisals.load_sheet(sheet.id)
    assert [data.total(m) for m in data.members] == [95, 80, 59.99, 60, 89.99]
    assert [data.grade(m) for m in data.members] == ["优秀", "称职", "不称职", "基本称职", "称职"]
    with pytest.raises(ValidationError):
        sheet_scores.set_scores(sheet.id, [sheet_scores.ScoreChange(ids[0], data.scheme.raters[0].id,
                                                                    data.scheme.dimensions[0].id, 101)])
    grading.finalize(sheet.id)
    profile = cadres.get_profile(ids[0])
    assert [(a.year, a.result, a.source) for a in profile.assessments] == [(2025, "1", "考核鉴定")]
    assert cadres.get_profile(ids[1]).assessments[0].result == "2"  # 称职 → 称职
    assert cadres.get_profile(ids[2]).assessments[0].result == "4"
    results = grading.results_for_cadre(ids[0])
    assert results[0].grade == "优秀" and results[0].total == 95 and results[0].finalized
    assert results[0].dimension_scores["德"] == 95
    assert any("定稿" in e.summary for e in audit.entries())


def test_finalized_sheet_is_read_only(db, unit):
    from cadre_desk.appraisal import appraisals, grading, sheet_scores

    ids = _cadres(unit.id, 1)
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids)
    _fill(sheet.id, ids[0], 80)
    grading.finalize(sheet.id)
    data = appraisals.load_sheet(sheet.id)
    change = sheet_scores.ScoreChange(ids[0], data.scheme.raters[0].id, data.scheme.dimensions[0].id, 70)
    for call in (lambda: sheet_scores.set_scores(sheet.id, [change]),
                 lambda: grading.set_override(sheet.id, ids[0], "优秀", "表现突出，群众公认"),
                 lambda: sheet_scores.set_comment(sheet.id, ids[0], "评语"),
                 lambda: grading.finalize(sheet.id),
                 lambda: appraisals.delete_sheet(sheet.id)):
        with pytest.raises(ValidationError) as err:
            call()
        assert "已定稿" in err.value.message()


def test_override_needs_reason_and_counts_in_quota(db, unit):
    from cadre_desk.appraisal import appraisals, grading

    ids = _cadres(unit.id, 5)
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids)
    with pytest.raises(ValidationError) as err:
        grading.set_override(sheet.id, ids[0], "优秀", "")
    assert "理由" in err.value.message()
    with pytest.raises(ValidationError):
        grading.set_override(sheet.id, ids[0], "合格", "事业单位表述不适用")
    for cadre_id, value in zip(ids, (91, 85, 85, 80, 70), strict=True):
        _fill(sheet.id, cadre_id, value)
    grading.set_override(sheet.id, ids[1], "优秀", "抗洪抢险表现突出，经党组研究")
    problems = grading.check_finalize(sheet.id)  # 5 × 20 % = 1 优秀, two now
    assert problems and "最多 1 人" in problems[0]
    grading.set_override(sheet.id, ids[1], "", "")
    grading.set_override(sheet.id, ids[4], "基本称职", "年内受诫勉谈话一次")
    grading.finalize(sheet.id)
    data = appraisals.load_sheet(sheet.id)
    assert [data.grade(m) for m in data.members] == ["优秀", "称职", "称职", "称职", "基本称职"]


def test_quota_blocks_eleventh_excellent(db, unit):
    from cadre_desk.appraisal import appraisals, grading, sheet_scores

    ids = _bulk_cadres(unit.id, 50)
    sheet = appraisals.create_sheet("五十人", "2025", _default().id, ids)
    data = appraisals.load_sheet(sheet.id)
    changes = []
    for n, cadre_id in enumerate(ids):
        value = 95 if n < 11 else 80
        changes += [sheet_scores.ScoreChange(cadre_id, r.id, d.id, value)
                    for r in data.scheme.raters for d in data.scheme.dimensions]
    sheet_scores.set_scores(sheet.id, changes)
    with pytest.raises(ValidationError) as err:
        grading.finalize(sheet.id)
    assert "优秀比例上限 20%" in err.value.message() and "最多 10 人" in err.value.message()
    grading.set_override(sheet.id, ids[10], "称职", "经集体研究，按比例调整为称职")
    assert grading.finalize(sheet.id).finalized


def test_ranking_ties(db, unit):
    from cadre_desk.appraisal import appraisals, grading

    ids = _cadres(unit.id, 4)
    sheet = appraisals.create_sheet("比选", "2025", _default("一线锻炼期满考核").id, ids)
    assert not sheet.annual
    for cadre_id, value in zip(ids, (88, 89, 88, 75), strict=True):
        _fill(sheet.id, cadre_id, value)
    rows = grading.ranking(sheet.id)
    assert [(r.rank, r.cadre_id, r.total) for r in rows] == [
        (1, ids[1], 89), (2, ids[0], 88), (2, ids[2], 88), (4, ids[3], 75)]
    grading.finalize(sheet.id)
    from cadre_desk.profiles import cadres

    assert cadres.get_profile(ids[0]).assessments == []  # a posting-end sheet is not an annual result
    open_sheet = appraisals.create_sheet("草稿", "2026", _default().id, ids)
    _fill(open_sheet.id, ids[0], 80)
    appraisals.delete_sheet(open_sheet.id)
    assert [s.id for s in appraisals.list_sheets()] == [sheet.id]


def test_records_and_behaviour_entries(db, unit):
    from cadre_desk.appraisal import records
    from cadre_desk.security import audit

    cadre_id = _cadres(unit.id, 1)[0]
    saved = records.save_record(records.RecordInfo(None, cadre_id, "月上报", "2019-11", "完成项目调度"))
    with pytest.raises(ValidationError) as err:
        records.save_record(records.RecordInfo(None, cadre_id, "月上报", "2019-11", "重复"))
    assert "已存在" in err.value.message()
    with pytest.raises(ValidationError):
        records.save_record(records.RecordInfo(None, cadre_id, "季检查", "2019-11", "期间不对"))
    saved.reviewer_comment = "属实"
    saved = records.save_record(saved)
    assert records.list_records(cadre_id)[0].reviewer_comment == "属实"
    items = {i.name: i for i in records.list_behaviour_items()}
    for name in ("急难险重任务表现突出", "主动担当破解难题", "推诿扯皮"):
        records.save_behaviour_entry(records.BehaviourEntryInfo(
            None, cadre_id, "", "", "20191105", "领导批示", "说明", item_id=items[name].id))
    with pytest.raises(ValidationError):
        records.save_behaviour_entry(records.BehaviourEntryInfo(None, cadre_id, "", "", "", "其他", "", item_id=None))
    assert records.behaviour_counts([cadre_id, 999]) == {cadre_id: (2, 1), 999: (0, 0)}
    entries = records.list_behaviour_entries(cadre_id)
    assert {e.polarity for e in entries} == {"正面", "负面"}
    with pytest.raises(ValidationError):
        records.delete_behaviour_item(items["推诿扯皮"].id)
    new = records.save_behaviour_item(records.BehaviourItemInfo(None, "正面", "带头攻坚重点项目"))
    assert new.id in {i.id for i in records.list_behaviour_items()}
    records.delete_behaviour_item(new.id)
    assert any(e.entity == "实绩记录" for e in audit.entries())


def test_reminder_lists_missing_entries(db, unit):
    """Cadres on post (在岗) without this period's entry, read by one query; the reminder is due on the
    period's last day and opens the cadre's file."""
    from cadre_desk.appraisal import records
    from cadre_desk.home import reminders
    from cadre_desk.postings import frontline_posts, posting_data, postings

    ids = _cadres(unit.id, 2)
    line = next(line for line in frontline_posts.list_lines() if line.name == "乡村振兴")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="驻村工作队", capacity=3))
    today = clock.today()
    start, end = (f"{today - _dt.timedelta(days=60):%Y%m%d}", f"{today + _dt.timedelta(days=120):%Y%m%d}")
    for cadre_id in ids:
        posting = postings.create_posting(cadre_id, post.id, "组织选派", start, end)
        postings.start_posting(posting.id, posting.version)
    period = current_period("月上报")
    records.save_record(records.RecordInfo(None, ids[0], "月上报", period, "已报"))
    missing = records.missing_entries("月上报")
    assert [(m.cadre_id, m.where) for m in missing] == [(ids[1], "驻村工作队")]
    assert records.missing_count("月上报") == 1 and records.missing_count("季检查") == 2
    found = [r for r in reminders.collect() if r.category == "实绩档案"]
    assert len(found) == 1 and "干部01" in found[0].text and "月上报未填写" in found[0].text
    month_end = reminders.month_end(today)
    assert found[0].due == f"{month_end:%Y%m%d}" and found[0].opens == ("cadre", ids[1])  # the month's last day


def test_cadre_delete_hooks(db, unit):
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.profiles import cadres

    ids = _cadres(unit.id, 2)
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids[:1])
    _fill(sheet.id, ids[0], 80)
    grading.finalize(sheet.id)
    with pytest.raises(ValidationError):
        cadres.delete_cadre(ids[0])
    appraisals.create_sheet("未定稿", "2026", _default().id, ids[1:])
    cadres.delete_cadre(ids[1])


def test_demo_extension(db):
    from cadre_desk.appraisal import appraisals, records
    from cadre_desk.profiles import demo
    from cadre_desk.security import check

    assert any(e.__name__ == "cadre_desk.appraisal.appraisal_demo.extend" for e in demo.EXTENSIONS)
    demo.generate(120, seed=3)
    sheets = appraisals.list_sheets()
    assert sorted(s.finalized for s in sheets if s.group_kind not in ("一线", "岗位")) == [False, True]
    # 赛马比选: a line over three quarters and a post over two, the past quarters final
    from cadre_desk.appraisal import racing

    assert [(f.kind, f.periods) for f in racing.race_fields()] == [("一线", 3), ("岗位", 2)]
    line = racing.race_fields()[0]
    assert any(e.movement for e in racing.race(line.kind, line.ref).entries)
    assert records.list_behaviour_entries()
    assert check.run_checks() == []
    # the grid shows the mentor's closing rating and the posting 鉴定 from the other capabilities
    from cadre_desk.mentoring import mentoring
    from cadre_desk.postings import postings

    finished = [p for p in postings.list_postings() if p.grade]
    rated = [p for p in mentoring.list_pairs() if p.mentor_rating is not None]
    if finished:
        assert appraisals.posting_appraisals([finished[0].cadre_id])
    if rated:
        assert appraisals.mentor_ratings([rated[0].mentee_id])[rated[0].mentee_id] is not None


def test_sheet_shows_mentor_rating_and_posting_appraisal(db, unit, monkeypatch):
    from cadre_desk.appraisal import appraisals

    ids = _cadres(unit.id, 2)
    monkeypatch.setattr(appraisals, "mentor_ratings", lambda cadre_ids: {ids[0]: 88.0})
    monkeypatch.setattr(appraisals, "posting_appraisals", lambda cadre_ids: {ids[1]: "表现优秀，同意期满"})
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids)
    data = appraisals.load_sheet(sheet.id)
    assert data.members[0].mentor_rating == 88.0 and data.members[1].posting_appraisal == "表现优秀，同意期满"


def test_institution_wording_reaches_profile(db, unit):
    from cadre_desk.appraisal import appraisals, grading, schemes
    from cadre_desk.profiles import cadres

    ids = _cadres(unit.id, 5)
    scheme = schemes.copy_scheme(_default().id, "事业单位年度考核")
    scheme.wording = "事业单位"
    scheme = schemes.save_scheme(scheme)
    sheet = appraisals.create_sheet("事业单位考核", "2024", scheme.id, ids)
    for cadre_id, value in zip(ids, (95, 80, 65, 50, 75), strict=True):
        _fill(sheet.id, cadre_id, value)
    grading.finalize(sheet.id)
    results = [cadres.get_profile(i).assessments[0].result for i in ids]
    assert results == ["1", "5", "6", "7", "5"]  # 优秀 合格 基本合格 不合格 合格


def test_permission_refusal_and_audit(db, unit):
    from cadre_desk.access.roles import ROLE_READER
    from cadre_desk.appraisal import appraisals, grading, schemes
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.security import audit

    ids = _cadres(unit.id, 1)
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids)
    _fill(sheet.id, ids[0], 80)
    entries = [e for e in audit.entries() if e.entity == "考核表"]
    assert any("录入评分" in e.summary for e in entries) and any("新建考核表" in e.summary for e in entries)
    with acting_as(ROLE_READER):  # 查阅人: reads only
        with pytest.raises(PermissionDenied):
            _fill(sheet.id, ids[0], 90)
        with pytest.raises(PermissionDenied):
            grading.finalize(sheet.id)
        scheme = _default()
        with pytest.raises(PermissionDenied):
            schemes.copy_scheme(scheme.id)


def test_frozen_ddl_matches_models(db):
    from cadre_desk.store.appraisal_models import APPRAISAL_MODELS

    for model in APPRAISAL_MODELS:
        table = model._meta.table_name
        columns = {column.name for column in db.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_upgrade_from_version_3(tmp_path):
    """An existing database (foundation and earlier capabilities) gains the v4 tables and seeds."""
    from cadre_desk.store import migrations
    from cadre_desk.store.db import close_database, make_database
    from cadre_desk.store.opening import open_database

    path = tmp_path / "old.sqlite3"
    old = make_database(path)
    old.connect()
    for step in migrations.STEPS:
        if step.VERSION < 4:
            with old.atomic():
                step.upgrade(old)
                old.execute_sql(f"PRAGMA user_version = {step.VERSION}")
    old.close()
    db = open_database(path)
    try:
        assert migrations.current_version(db) >= 4
        assert db.execute_sql("SELECT COUNT(*) FROM behaviour_item").fetchone()[0] == 30
        assert db.execute_sql("SELECT COUNT(*) FROM appraisal_scheme").fetchone()[0] == 2
    finally:
        close_database()


def test_add_and_remove_members(db, unit):
    from cadre_desk.appraisal import appraisals, grading

    ids = _cadres(unit.id, 3)
    sheet = appraisals.create_sheet("表", "2025", _default().id, ids[:1])
    assert appraisals.add_members(sheet.id, ids) == 2
    _fill(sheet.id, ids[2], 80)
    appraisals.remove_member(sheet.id, ids[2], "调出本单位")
    assert [m.cadre_id for m in appraisals.load_sheet(sheet.id).members] == ids[:2]
    _fill(sheet.id, ids[0], 80)
    _fill(sheet.id, ids[1], 80)
    grading.finalize(sheet.id)
    with pytest.raises(ValidationError):
        appraisals.add_members(sheet.id, ids[2:])


def test_record_posting_link_and_entry_date_checked_in_the_service(db, unit):
    """The dialog offers only the cadre's own postings and today at the latest; the service says so too."""
    import datetime as _dt

    from cadre_desk.appraisal import records
    from cadre_desk.postings import frontline_posts, posting_data, postings

    first, second = _cadres(unit.id, 2)
    line = frontline_posts.list_lines()[0]
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="专班", capacity=5))
    theirs = postings.create_posting(second, post.id, "组织选派", "20260101")
    for posting_id, words in ((theirs.id, "不是"), (999999, "不存在")):
        with pytest.raises(ValidationError) as err:
            records.save_record(records.RecordInfo(None, first, "月上报", "2026-11", "内容", posting_id=posting_id))
        assert "posting_id" in err.value.errors and words in err.value.message()
    own = records.save_record(records.RecordInfo(None, second, "月上报", "2026-11", "内容", posting_id=theirs.id))
    assert own.posting_id == theirs.id
    item = records.list_behaviour_items()[0]
    tomorrow = (clock.today() + _dt.timedelta(days=1)).strftime("%Y%m%d")
    with pytest.raises(ValidationError) as err:
        records.save_behaviour_entry(records.BehaviourEntryInfo(None, first, "", "", tomorrow, "其他", "",
                                                                item_id=item.id))
    assert "晚于今天" in err.value.errors["date"]


def test_finalizing_makes_an_open_copy_of_the_profile_stale(db, unit):
    """A clerk with the profile open cannot save it over the 年度考核结果 a finalized sheet just wrote."""
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres

    ids = _cadres(unit.id, 1)
    open_copy = cadres.get_profile(ids[0])
    sheet = appraisals.create_sheet("2025年度考核", "2025", _default().id, ids)
    _fill(sheet.id, ids[0], 80)  # 称职: one person leaves no room for 优秀
    grading.finalize(sheet.id)
    open_copy.values["phone"] = "13900000000"
    with pytest.raises(ConflictError):
        cadres.save_profile(open_copy)
    assert [a.year for a in cadres.get_profile(ids[0]).assessments] == [2025]


@pytest.mark.parametrize("period,ok", [("2025", True), ("2025-Q4", True), ("2025-11", True), ("2025-13", False),
                                       ("2025abc", False), ("2025-Q5", False), ("1900", False)])
def test_sheet_period_must_be_a_year_quarter_or_month(db, unit, period, ok):
    from cadre_desk.appraisal import appraisals

    ids = _cadres(unit.id, 1)
    if ok:
        assert appraisals.create_sheet("期间", period, _default().id, ids).period == period
    else:
        with pytest.raises(ValidationError) as err:
            appraisals.create_sheet("期间", period, _default().id, ids)
        assert "考核期间" in err.value.message()


def test_everyones_behaviour_entries_are_limited_and_counted_in_the_database(db, unit):
    from cadre_desk.appraisal import records

    ids = _cadres(unit.id, 2)
    items = {i.name: i for i in records.list_behaviour_items()}
    for cadre_id, name, date in ((ids[0], "急难险重任务表现突出", "20191101"), (ids[1], "推诿扯皮", "20191103"),
                                 (ids[1], "主动担当破解难题", "20191102")):
        records.save_behaviour_entry(records.BehaviourEntryInfo(
            None, cadre_id, "", "", date, "领导批示", "说明", item_id=items[name].id))
    newest = records.list_behaviour_entries(limit=2)
    assert [e.date for e in newest] == ["20191103", "20191102"]
    assert len(records.list_behaviour_entries()) == 3
    assert records.behaviour_totals() == (2, 1)
    assert records.behaviour_totals("负面") == (0, 1)


def test_a_sheets_posting_appraisals_read_only_its_members_postings(db, monkeypatch):
    from cadre_desk.appraisal import (
        appraisals,  # noqa: F401 - demo postings
        )
    from cadre_desk.postings import postings
    from cadre_desk.profiles import demo

    demo.generate(150, seed=5)
    from cadre_desk.postings import posting_review

    every = postings.list_postings()
    wanted = sorted({p.cadre_id for p in every})[::2]
    reviews = posting_review.reviews_for([p.id for p in every])
    expected = {}
    for posting in sorted((p for p in every if p.cadre_id in wanted and p.id in reviews),
                          key=lambda p: p.actual_end or p.planned_end or p.start or ""):
        review = reviews[posting.id]
        expected[posting.cadre_id] = f"{review.grade}。{review.org_opinion}"  # the latest wins
    assert expected
    monkeypatch.setattr(postings, "list_postings", lambda **kw: pytest.fail("every posting read"))
    monkeypatch.setattr(posting_review, "_CHUNK", 5)
    assert appraisals.posting_appraisals(wanted) == expected


def test_new_sheet_is_logged_with_its_period_as_written(db, unit):
    """The audit line of a new 考核表 showed the stored period code (2026-Q4), not 2026年第4季度."""
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit

    cadre_id = cadres.save_profile(make_profile(unit.id)).profile.id
    appraisals.create_sheet("赛马", "2026年第4季度", schemes.list_schemes()[0].id, [cadre_id])
    summary = next(e.summary for e in audit.search(text="新建考核表"))
    assert "（2026年第4季度，" in summary and "2026-Q4" not in summary


def test_a_quarter_sheet_does_not_write_the_annual_result(db, unit):
    """A clerk's 2026年第2季度 sheet under the 年度考核 scheme was marked annual (the scheme's kind decided
    alone), and 定稿 wrote the quarter's grade into the cadre's 2026 年度考核结果. Only a year's sheet is
    annual by default, and asking for it on a quarter is refused with the reason."""
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.store.models import AnnualAssessment

    ids = _cadres(unit.id, 1)
    quarter = appraisals.create_sheet("二季度考核", "2026年第2季度", _default().id, ids)
    assert not quarter.annual
    _fill(quarter.id, ids[0], 80)
    grading.finalize(quarter.id)
    assert not AnnualAssessment.select().where(AnnualAssessment.cadre == ids[0]).exists()
    with pytest.raises(ValidationError) as err:
        appraisals.create_sheet("二季度考核", "2026年第2季度", _default().id, ids, annual=True)
    assert err.value.errors["annual"].startswith("2026年第2季度不是年度")
    assert appraisals.create_sheet("年度考核", "2025年度", _default().id, ids).annual


def test_a_sheet_with_other_units_members_is_refused_by_their_number_not_names(db, unit):
    """定稿 / 删除 of a sheet that also has another unit's cadres was refused naming them (“外单位0、外单位1：
    该干部不在您负责的单位范围内”) — people the clerk may not see."""
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.units import units
    from tests.conftest import acting_as

    other = units.create_unit("市税务局")
    mine = _cadres(unit.id, 1)
    theirs = _cadres(other.id, 2)
    sheet = appraisals.create_sheet("2025年度考核", "2025", _default().id, mine + theirs)
    with acting_as("经办人", units=(unit.id,)):
        for call in (lambda: grading.finalize(sheet.id), lambda: appraisals.delete_sheet(sheet.id)):
            with pytest.raises(PermissionDenied) as err:
                call()
            assert str(err.value) == "考核表中有 2 名干部不在您负责的单位范围内，只能由负责全部成员单位的人员定稿或删除。"


def test_the_quota_of_a_shared_sheet_counts_every_member(db, unit):
    """A clerk's view of a sheet shared with another unit counted only their own members for the 优秀
    share: 2 of 10 at 20 % gave 0 places (and none of the others' 优秀). The share binds the whole sheet:
    all 10 members and all 优秀 count — the others' as numbers only."""
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.units import units

    other = units.create_unit("市税务局")
    mine = _cadres(unit.id, 2)
    theirs = _cadres(other.id, 8)
    sheet = appraisals.create_sheet("2025年度考核", "2025", _default().id, mine + theirs)
    for cadre_id in (mine[0], theirs[0]):
        _fill(sheet.id, cadre_id, 95)
    _fill(sheet.id, theirs[1], 75)
    grading.set_override(sheet.id, theirs[1], "优秀", "专项工作突出")
    whole = appraisals.load_sheet(sheet.id).quota()
    assert (whole.members, whole.excellent, whole.limit, whole.others, whole.over) == (10, 3, 2, 0, True)
    with acting_as("经办人", units=(unit.id,)):
        data = appraisals.load_sheet(sheet.id)
        assert [m.cadre_id for m in data.members] == mine
        quota = data.quota()
        assert (quota.members, quota.excellent, quota.limit, quota.over) == (10, 3, 2, True)
        assert (quota.others, quota.others_excellent) == (8, 2)
        data.members[0].grade_override = "称职"  # a grade changed in the grid counts at once
        assert data.quota().excellent == 2 and not data.quota().over
