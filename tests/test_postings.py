"""Frontline postings: every rule of the service, matching, reminders, checks, demo data."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.domain import clock, dates
from cadre_desk.domain.errors import ConflictError, ValidationError
from cadre_desk.postings import (
    frontline_posts,
    post_matching,
    posting_data,
    posting_reminders,
    posting_review,
    postings,
)
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from tests.conftest import acting_as, make_profile


def _cadre(unit, name, **values):
    return cadres.save_profile(make_profile(unit.id, name=name, status="1", **values)).profile.id


def _finish(p, end, text="工作扎实", outcome="返回原单位", grade="称职"):
    """期满 with a 等次 and the 组织部's signed opinion."""
    review = posting_data.ReviewInfo(grade=grade, org_opinion=text, org_signer="刘志刚" if text else "",
                                     org_date=clock.today_yyyymmdd() if text else "")
    return posting_review.finish_posting(p.id, p.version, end, review, outcome)


def _line(name="乡村振兴"):
    return next(line for line in frontline_posts.list_lines() if line.name == name)


def _post(capacity=2, line="乡村振兴", **extra):
    data = posting_data.PostInput(line_id=_line(line).id, name=f"{line}测试岗位", host_type="驻村工作队",
                              host_name="柳林乡", capacity=capacity, **extra)
    return frontline_posts.save_post(data)


def test_default_lines_seeded(db):
    lines = {line.name: line for line in frontline_posts.list_lines()}
    assert list(lines) == ["重大项目建设", "招商引资", "乡村振兴", "信访维稳", "社区服务"]
    assert lines["信访维稳"].default_months == 3
    assert lines["乡村振兴"].default_months == 6


def test_planned_end_defaults_from_line(db, unit):
    a = _cadre(unit, "甲")
    post = _post(line="信访维稳")
    p = postings.create_posting(a, post.id, "组织选派", "20190115")
    assert p.state == "拟选派"
    assert p.planned_end == "20190415"
    assert p.line_name == "信访维稳" and p.unit_name == "市财政局"
    assert dates.add_months("20190131", 1) == "20190228"


def test_one_active_posting_per_cadre(db, unit):
    a = _cadre(unit, "甲")
    p1, p2 = _post(), _post(line="招商引资")
    first = postings.create_posting(a, p1.id, "单位推荐", "20190101")
    with pytest.raises(ValidationError, match="只能在一个岗位"):
        postings.create_posting(a, p2.id, "单位推荐", "20190101")
    # after it ends, a new one is fine
    first = postings.start_posting(first.id, first.version)
    _finish(first, "20190701", "表现良好", "返回原单位")
    assert postings.create_posting(a, p2.id, "单位推荐", "20190801").state == "拟选派"
    assert postings.active_posting(a).post_id == p2.id


def test_capacity_never_exceeded(db, unit):
    a, b, c = _cadre(unit, "甲"), _cadre(unit, "乙"), _cadre(unit, "丙")
    post = _post(capacity=2)
    postings.create_posting(a, post.id, "组织选派", "20190101")
    pb = postings.create_posting(b, post.id, "组织选派", "20190101")
    with pytest.raises(ValidationError, match="已满"):
        postings.create_posting(c, post.id, "组织选派", "20190101")
    assert frontline_posts.get_post(post.id).filled == 2
    with pytest.raises(ValidationError, match="容量不能少于"):
        frontline_posts.save_post(posting_data.PostInput(**{**frontline_posts.post_input(frontline_posts.get_post(post.id)).__dict__,
                                                 "capacity": 1}))
    # a recall frees the place
    postings.recall_posting(pb.id, pb.version, "20190110", "工作需要")
    assert postings.create_posting(c, post.id, "组织选派", "20190201").state == "拟选派"


def test_dates_consistent(db, unit):
    a = _cadre(unit, "甲")
    post = _post()
    with pytest.raises(ValidationError) as err:
        postings.create_posting(a, post.id, "组织选派", "20190301", "20190201")
    assert "planned_end" in err.value.errors
    with pytest.raises(ValidationError) as err:
        postings.create_posting(a, post.id, "乱填", "")
    assert {"channel", "start"} <= set(err.value.errors)
    p = postings.create_posting(a, post.id, "组织选派", "20190301")
    p = postings.start_posting(p.id, p.version)
    with pytest.raises(ValidationError) as err:
        _finish(p, "20190201", "好", "提拔使用")
    assert "actual_end" in err.value.errors
    closed = _post(line="社区服务", open_end="20181231")
    with pytest.raises(ValidationError, match="开放结束时间"):
        postings.create_posting(_cadre(unit, "乙"), closed.id, "组织选派", "20190101")
    early = postings.create_posting(_cadre(unit, "丙"), closed.id, "组织选派", "20181101")
    with pytest.raises(ValidationError, match="开放结束时间"):  # editing keeps the same rule
        postings.update_posting(early.id, early.version, start="20190115")
    assert postings.update_posting(early.id, early.version, start="20181201").start == "20181201"


def test_state_flow_and_recall_needs_reason(db, unit):
    a = _cadre(unit, "甲")
    post = _post()
    p = postings.create_posting(a, post.id, "个人自荐", "20190101")
    with pytest.raises(ValidationError, match="只有“在岗”"):
        _finish(p, "20190601", "好", "提拔使用")
    p = postings.start_posting(p.id, p.version, "20190105")
    assert (p.state, p.start) == ("在岗", "20190105")
    with pytest.raises(ValidationError) as err:
        postings.recall_posting(p.id, p.version, "20190301", "  ")
    assert "recall_reason" in err.value.errors
    p = postings.recall_posting(p.id, p.version, "20190301", "因原单位工作需要")
    assert (p.state, p.actual_end, p.recall_reason) == ("提前召回", "20190301", "因原单位工作需要")
    row = audit.entries(entity="一线选派", entity_id=p.id)[0]
    assert row.reason == "因原单位工作需要" and row.changes["state"] == ["在岗", "提前召回"]


def test_finish_needs_appraisal_and_outcome(db, unit):
    a = _cadre(unit, "甲")
    p = postings.create_posting(a, _post().id, "组织选派", "20190101")
    p = postings.start_posting(p.id, p.version)
    with pytest.raises(ValidationError) as err:
        posting_review.finish_posting(p.id, p.version, "20190701", posting_data.ReviewInfo(), "")
    assert {"grade", "outcome", ""} <= set(err.value.errors)
    p = _finish(p, "20190701", "工作扎实", "提拔使用")
    assert p.state == "期满" and p.outcome == "提拔使用"


def test_finished_posting_read_only_except_correction(db, unit):
    a, guide = _cadre(unit, "甲"), _cadre(unit, "导师")
    p = postings.create_posting(a, _post().id, "组织选派", "20190101")
    p = postings.start_posting(p.id, p.version)
    p = _finish(p, "20190701", "工作扎实", "返回原单位")
    with pytest.raises(ValidationError, match="只读"):
        postings.update_posting(p.id, p.version, daily_manager="李四")
    with pytest.raises(ValidationError, match="原因"):
        postings.correct_posting(p.id, p.version, "", guide_cadre_id=guide)
    with pytest.raises(ValidationError, match="不能修改的项目"):  # the outcome: the 期满鉴定's own form
        postings.correct_posting(p.id, p.version, "改结果", outcome="提拔使用")
    with pytest.raises(ValidationError):
        postings.recall_posting(p.id, p.version, "20190702", "x")
    p2 = postings.correct_posting(p.id, p.version, "录入错误，按部务会决定更正", guide_cadre_id=guide)
    assert p2.guide_name == "导师" and p2.version == p.version + 1
    row = audit.entries(entity="一线选派", entity_id=p.id)[0]
    assert row.reason == "录入错误，按部务会决定更正"
    assert row.changes["guide_cadre"] == [None, guide]
    with pytest.raises(ConflictError):
        postings.correct_posting(p.id, p.version, "再改", remarks="x")


def test_batch_all_or_nothing_and_report(db, unit):
    ids = [_cadre(unit, n) for n in ("甲", "乙", "丙", "丁")]
    other = _post(line="招商引资")
    postings.create_posting(ids[1], other.id, "组织选派", "20190101")  # 乙 is busy
    post = _post(capacity=2)
    result = postings.post_cadres(ids, post.id, "组织选派", "20190201")
    assert result.rolled_back and result.posted == []
    reasons = {f.name: f.reason for f in result.failures}
    assert "只能在一个岗位" in reasons["乙"]
    assert "已满" in reasons["丁"]  # 甲 and 丙 take the two places
    assert frontline_posts.get_post(post.id).filled == 0
    assert "本次未选派任何人" in result.summary()
    # post the valid ones
    result = postings.post_cadres(ids, post.id, "组织选派", "20190201", all_or_nothing=False)
    assert not result.rolled_back and len(result.posted) == 2
    assert frontline_posts.get_post(post.id).filled == 2
    assert {p.cadre_name for p in postings.list_postings(post_id=post.id)} == {"甲", "丙"}
    assert "已选派 2 人" in result.summary()


def test_lines_add_rename_retire_never_delete_used(db, unit):
    line = frontline_posts.add_line("项目攻坚", 4)
    with pytest.raises(ValidationError):
        frontline_posts.add_line("项目攻坚", 4)
    line = frontline_posts.rename_line(line.id, line.version, "重点项目攻坚")
    assert line.name == "重点项目攻坚" and line.default_months == 4
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="攻坚专班", capacity=1))
    with pytest.raises(ValidationError, match="停用"):
        frontline_posts.delete_line(line.id)
    line = frontline_posts.retire_line(line.id, line.version)
    assert line.retired
    with pytest.raises(ValidationError, match="已停用"):
        postings.create_posting(_cadre(unit, "甲"), post.id, "组织选派", "20190101")
    with pytest.raises(ValidationError):
        frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="新岗", capacity=1))
    unused = frontline_posts.add_line("临时战线")
    frontline_posts.delete_line(unused.id)
    assert "临时战线" not in [x.name for x in frontline_posts.list_lines()]
    assert audit.entries(entity="一线战线", action=audit.DELETE)


def test_cadre_delete_refused_with_postings_and_guide_cleared(db, unit):
    a, guide = _cadre(unit, "甲"), _cadre(unit, "导师")
    p = postings.create_posting(a, _post().id, "组织选派", "20190101", guide_cadre_id=guide)
    with pytest.raises(ValidationError, match="选派记录"):
        cadres.delete_cadre(a)
    cadres.delete_cadre(guide)
    assert postings.get_posting(p.id).guide_cadre_id is None


def test_matching_ranks_fitting_cadre_first(db, unit):
    fit = _cadre(unit, "对口", categories="02", specialty="招商引资、经济分析", weaknesses="基层经验不足")
    other = _cadre(unit, "不对口", categories="02", specialty="文字综合", weaknesses="信访工作经验欠缺")
    _cadre(unit, "非类别", categories="", specialty="招商引资")
    busy = _cadre(unit, "在岗者", categories="02", specialty="招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(
        line_id=_line("招商引资").id, name="长三角招商小分队", host_type="招商小分队", capacity=3,
        requirements="招商引资、经济分析", wanted_categories="02,03"))
    postings.create_posting(busy, _post().id, "组织选派", "20190101")
    found = post_matching.match_candidates(post.id)
    names = [c.name for c in found]
    assert names == ["对口", "不对口"]
    assert found[0].score > found[1].score
    assert "招商引资" in found[0].explanation and "契合" in found[0].explanation
    assert "无明显关联" in found[1].explanation
    assert found[0].cadre_id == fit and found[1].cadre_id == other
    village = frontline_posts.save_post(posting_data.PostInput(
        line_id=_line("乡村振兴").id, name="驻村工作队", host_type="驻村工作队", capacity=3,
        requirements="农村工作"))
    best = post_matching.match_candidates(village.id)[0]
    assert best.name == "对口" and "补短板" in best.explanation


def test_reminders_and_checks(db, unit):
    from cadre_desk.home import reminders
    from cadre_desk.security import check

    today = clock.today()
    a, b = _cadre(unit, "甲"), _cadre(unit, "乙")
    post = _post(capacity=3)
    soon = postings.create_posting(a, post.id, "组织选派", (today - _dt.timedelta(days=100)).strftime("%Y%m%d"),
                                   (today + _dt.timedelta(days=10)).strftime("%Y%m%d"))
    postings.start_posting(soon.id, soon.version)
    late = postings.create_posting(b, _post(line="社区服务", capacity=1).id, "组织选派",
                                   (today - _dt.timedelta(days=100)).strftime("%Y%m%d"),
                                   (today - _dt.timedelta(days=5)).strftime("%Y%m%d"))
    postings.start_posting(late.id, late.version)
    texts = [r.text for r in reminders.collect()]
    assert any("甲" in t and "期满" in t for t in texts)
    assert any("乙" in t and "仍为在岗" in t for t in texts)
    assert any("未满员" in t and "1/3" in t for t in texts)
    assert len(postings.list_postings(ending_within_days=30)) == 2
    assert posting_reminders.checks() == []
    from cadre_desk.store.posting_models import Post

    Post.update(capacity=0).where(Post.id == post.id).execute()
    assert any("超过容量" in p for p in check.run_checks())


def test_demo_has_every_state(db):
    from cadre_desk.profiles import demo  # noqa: F401

    demo.generate(200, seed=3)
    states = {p.state for p in postings.list_postings()}
    assert states == set(posting_data.STATES)
    assert all(post.filled <= post.capacity for post in frontline_posts.list_posts())
    assert {post.line_name for post in frontline_posts.list_posts()} == {line.name for line in frontline_posts.list_lines()}
    assert posting_reminders.checks() == []
    assert any(p.guide_cadre_id for p in postings.list_postings())


def test_cli_lists_postings(db, db_target, unit, capsys):
    from cadre_desk.__main__ import main

    a = _cadre(unit, "甲")
    postings.create_posting(a, _post().id, "组织选派", "20190101")
    assert main(["--db", db_target, "postings", "lines"]) == 0
    assert "信访维稳\t默认 3 个月" in capsys.readouterr().out
    assert main(["--db", db_target, "postings", "--state", "拟选派"]) == 0
    out = capsys.readouterr().out
    assert "甲" in out and "共 1 条" in out


def test_permission_policy_is_applied(db, unit, monkeypatch):
    from cadre_desk.access.roles import ROLE_READER
    from cadre_desk.domain.errors import PermissionDenied

    a = _cadre(unit, "甲")
    post = _post()
    with acting_as(ROLE_READER):  # 查阅人 may not edit
        with pytest.raises(PermissionDenied):
            postings.create_posting(a, post.id, "组织选派", "20190101")
        with pytest.raises(PermissionDenied):
            frontline_posts.add_line("新战线")
    assert postings.postings_for_cadre(a) == []


def _row(id, state="在岗", line_id=1, post_id=1, channel="组织选派", unit_id=1, planned_end="20180630"):
    return posting_data.PostingInfo(
        id=id, version=1, cadre_id=id, cadre_name=f"干部{id}", unit_name="单位", post_id=post_id, post_name="岗位",
        line_id=line_id, line_name="战线", host="", channel=channel, start="20180101", planned_end=planned_end,
        actual_end="", state=state, daily_manager="", guide_cadre_id=None, guide_name="", recall_reason="",
        outcome="", unit_id=unit_id)


def test_filter_postings_in_memory():
    rows = [_row(1), _row(2, state="拟选派", line_id=2, post_id=3, channel="个人自荐", unit_id=2),
            _row(3, state="期满", planned_end="20180301"), _row(4, planned_end="201807"),
            _row(5, planned_end="")]
    f = postings.filter_postings
    assert [r.id for r in f(rows)] == [1, 2, 3, 4, 5]
    assert [r.id for r in f(rows, state="拟选派")] == [2]
    assert [r.id for r in f(rows, line_id=2)] == [2] and [r.id for r in f(rows, post_id=1)] == [1, 3, 4, 5]
    assert [r.id for r in f(rows, channel="个人自荐")] == [2]
    assert [r.id for r in f(rows, unit_ids={1})] == [1, 3, 4, 5] and f(rows, unit_ids=set()) == []
    today = _dt.date(2018, 6, 1)
    # active, with a planned end at most 29/30 days away; YYYYMM counts as its first day; finished never
    assert [r.id for r in f(rows, ending_within_days=29, today=today)] == [1, 2]
    assert [r.id for r in f(rows, ending_within_days=30, today=today)] == [1, 2, 4]
    assert [r.id for r in f(rows, state="在岗", ending_within_days=30, today=today)] == [1, 4]


def test_filter_postings_agrees_with_the_query(db):
    from cadre_desk.profiles import demo  # noqa: F401 - demo extension registered
    from cadre_desk.units import units

    demo.generate(150, seed=5)
    rows = postings.list_postings()
    assert len(rows) > 10
    unit_id = next(r.unit_id for r in rows if r.unit_id)
    parent = units.get_unit(unit_id).parent_id or unit_id
    line_id = rows[0].line_id
    for kwargs in ({"state": "在岗"}, {"line_id": line_id}, {"post_id": rows[0].post_id}, {"channel": "单位推荐"},
                   {"unit_ids": units.subtree_ids(parent)}, {"ending_within_days": 60},
                   {"state": "拟选派", "line_id": line_id, "ending_within_days": 400}):
        assert [r.id for r in postings.filter_postings(rows, **kwargs)] == \
            [r.id for r in postings.list_postings(**kwargs)], kwargs


def test_an_end_date_after_today_is_refused(db, unit):
    """期满 / 提前召回 record what happened: an actual end in the future is refused, also by correction."""
    tomorrow = (clock.today() + _dt.timedelta(days=1)).strftime("%Y%m%d")
    next_month = (clock.today().replace(day=1) + _dt.timedelta(days=32)).strftime("%Y%m")
    a = _cadre(unit, "甲")
    post = _post()
    p = postings.create_posting(a, post.id, "组织选派", "20190101")
    p = postings.start_posting(p.id, p.version)
    for end in (tomorrow, next_month):
        with pytest.raises(ValidationError) as err:
            _finish(p, end, "工作扎实", "提拔使用")
        assert "晚于今天" in err.value.errors["actual_end"]
        with pytest.raises(ValidationError) as err:
            postings.recall_posting(p.id, p.version, end, "工作需要")
        assert "晚于今天" in err.value.errors["actual_end"]
    this_month = clock.today().strftime("%Y%m")
    p = _finish(p, this_month, "工作扎实", "提拔使用")
    with pytest.raises(ValidationError) as err:
        postings.correct_posting(p.id, p.version, "更正", actual_end=tomorrow)
    assert "晚于今天" in err.value.errors["actual_end"]


def test_arrival_after_today_is_refused(db, unit):
    tomorrow = (clock.today() + _dt.timedelta(days=1)).strftime("%Y%m%d")
    p = postings.create_posting(_cadre(unit, "甲"), _post().id, "组织选派", tomorrow)
    with pytest.raises(ValidationError) as err:
        postings.start_posting(p.id, p.version)  # the planned start, still ahead
    assert "不能晚于今天" in err.value.errors["start"]
    today = clock.today().strftime("%Y%m%d")
    assert postings.start_posting(p.id, p.version, today).state == "在岗"


def test_batch_with_a_missing_guide_is_a_validation_error(db, unit):
    a = _cadre(unit, "甲")
    with pytest.raises(ValidationError) as err:
        postings.post_cadres([a], _post().id, "组织选派", "20190101", guide_cadre_id=999999)
    assert "guide_cadre_id" in err.value.errors


def test_postings_of_given_cadres_read_in_chunks(db, monkeypatch):
    from cadre_desk.profiles import demo  # noqa: F401 - demo extension registered

    demo.generate(150, seed=5)
    rows = postings.list_postings()
    wanted = sorted({r.cadre_id for r in rows})[::2] + [999999]
    monkeypatch.setattr(postings, "_CHUNK", 7)  # several chunks, the order across them kept
    assert [r.id for r in postings.list_postings(cadre_ids=wanted)] == \
        [r.id for r in rows if r.cadre_id in set(wanted)]
    assert [r.id for r in postings.list_postings(cadre_ids=wanted, state="在岗")] == \
        [r.id for r in rows if r.cadre_id in set(wanted) and r.state == "在岗"]
    assert postings.list_postings(cadre_ids=[]) == []


def test_posting_rows_share_their_repeated_strings(db):
    from cadre_desk.profiles import demo  # noqa: F401 - demo extension registered

    demo.generate(150, seed=5)
    rows = postings.list_postings()
    groups: dict[tuple[str, str], list] = {}
    for r in rows:
        groups.setdefault((r.state, r.line_name), []).append(r)
    same = max(groups.values(), key=len)
    assert len(same) > 1
    assert all(r.state is same[0].state and r.line_name is same[0].line_name for r in same)
    assert not hasattr(rows[0], "__dict__")  # slots: the page holds tens of thousands


def test_lines_and_posts_change_only_for_an_operator_of_every_unit(db, unit):
    """战线 and 岗位 are county-wide: a 经办人 of one unit sees them but may not change them; a 经办人 of
    every unit may; with no accounts (the OS user) nothing is refused."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.domain.errors import PermissionDenied

    post = _post()
    line = _line()
    with acting_as(ROLE_CLERK, units=(unit.id,)):
        assert [x.name for x in frontline_posts.list_lines()]  # still sees them
        refused = [
            lambda: frontline_posts.add_line("新战线"),
            lambda: frontline_posts.update_line(line.id, line.version, "改名", 6),
            lambda: frontline_posts.retire_line(line.id, line.version),
            lambda: frontline_posts.delete_line(line.id),
            lambda: frontline_posts.save_post(frontline_posts.post_input(post)),
            lambda: frontline_posts.delete_post(post.id),
        ]
        for call in refused:
            with pytest.raises(PermissionDenied, match="只有管理全部单位的账号可以修改"):
                call()
    assert _line().name == "乡村振兴" and not _line().retired
    with acting_as(ROLE_CLERK):  # every unit
        added = frontline_posts.add_line("县域战线")
        frontline_posts.retire_line(added.id, added.version)
        frontline_posts.save_post(frontline_posts.post_input(post))
    assert frontline_posts.add_line("单用户战线").name == "单用户战线"
