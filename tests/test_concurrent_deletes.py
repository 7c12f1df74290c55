"""Two clerks (or administrators) on one shared database: a delete of a record another changed after the
deleting one last saw it is refused — a ConflictError naming who changed it and when (the audit log) — and
goes through only when the user, told, chose to delete it anyway (the audit row says the other's change
went with it). The same for the catalogues without a version (对照检查项目, 正负面清单条目): a change or a
delete of an entry as read, another having saved it otherwise since."""

from __future__ import annotations

import dataclasses

import pytest

from tests.test_concurrent_edits import LI, TODAY, ZHAO, admins, as_user, clerks, meeting_log, sheet  # noqa: F401 - the fixtures

DELETED_OVER = "（连同他人在此期间保存的修改一并删除）"


def _cadre(name: str = "王档案") -> int:
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import make_profile

    return cadres.save_profile(make_profile(units.create_unit("市财政局").id, name=name)).profile.id


def _talk():
    from cadre_desk.care import talks
    from tests.test_mentoring import _today

    made = talks.save_talk(talks.TalkInfo(None, _cadre(), _today(3), "李书记", topics="工作安排"))
    return (made, lambda t: talks.save_talk(dataclasses.replace(t, topics="工作安排和家庭困难")),
            talks.delete_talk, lambda t: t.id in {x.id for x in talks.list_talks(talks.TalkFilter(cadre_id=t.cadre_id))},
            talks.E_TALK, "王档案")


def _care():
    from cadre_desk.care import care_items
    from tests.test_mentoring import _today

    made = care_items.save_care(care_items.CareInfo(None, _cadre(), care_items.CARE_KINDS[0], _today(3), "", "看望慰问"))
    return (made, lambda c: care_items.save_care(dataclasses.replace(c, content="看望慰问，送去慰问金")),
            care_items.delete_care,
            lambda c: c.id in {x.id for x in care_items.list_care(care_items.CareFilter(cadre_id=c.cadre_id))},
            care_items.E_CARE, "王档案")


def _supervision():
    from cadre_desk.supervision import supervision
    from tests.test_mentoring import _today

    made = supervision.save_record(supervision.SupervisionInfo(None, _cadre(), "提醒", "信访举报", _today(3), "工作方法简单"))
    return (made, lambda r: supervision.save_record(dataclasses.replace(r, outcome="已当面提醒")),
            supervision.delete_record,
            lambda r: r.id in {x.id for x in supervision.list_records(supervision.SupervisionFilter(cadre_id=r.cadre_id))},
            supervision.E_SUPERVISION, "王档案")


def _performance():
    from cadre_desk.appraisal import records

    made = records.save_record(records.RecordInfo(None, _cadre(), "月上报", "2019-11", "完成项目调度"))
    return (made, lambda r: records.save_record(dataclasses.replace(r, reviewer_comment="属实")), records.delete_record,
            lambda r: r.id in {x.id for x in records.list_records(r.cadre_id)}, "实绩记录", "王档案")


def _behaviour():
    from cadre_desk.appraisal import records
    from tests.test_mentoring import _today

    item = next(i for i in records.list_behaviour_items() if i.polarity == "正面")
    made = records.save_behaviour_entry(records.BehaviourEntryInfo(None, _cadre(), "", "", _today(3), "领导批示", "说明",
                                                                   item_id=item.id))
    return (made, lambda e: records.save_behaviour_entry(dataclasses.replace(e, description="说明，另有表扬信")),
            records.delete_behaviour_entry,
            lambda e: e.id in {x.id for x in records.list_behaviour_entries(e.cadre_id)}, "正负面清单", "王档案 正面清单“")


@pytest.mark.parametrize("make", [_talk, _care, _supervision, _performance, _behaviour],
                         ids=["谈心谈话", "关爱", "干部监督", "实绩记录", "正负面清单"])
def test_a_record_another_changed_since_it_was_listed_is_not_deleted_without_a_word(make, clerks):  # noqa: F811
    from cadre_desk.access.roles import ROLE_SUPERVISION
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import audit

    with as_user("wang", "王经办", clerks, ROLE_SUPERVISION):
        listed, change, delete, exists, entity, named = make()  # 王's list shows the record
    with as_user("zhao", "赵经办", clerks, ROLE_SUPERVISION):
        change(listed)  # 赵 changes it meanwhile
    with as_user("wang", "王经办", clerks, ROLE_SUPERVISION):
        with pytest.raises(ConflictError) as refused:
            delete(listed.id, listed.version)
        assert refused.value.changed_by == "赵经办（zhao）" and refused.value.changed_at.startswith(TODAY)
        assert str(refused.value).startswith("在您上次看到之后，") and named in str(refused.value)
        assert exists(listed)  # 赵's change stands
        delete(listed.id, listed.version, overwrite=True)  # told, 王 deletes it anyway
        assert not exists(listed)
    last = audit.entries(1, entity=entity, entity_id=listed.id)[0]
    assert last.action == audit.DELETE and last.user == "wang" and last.summary.endswith(DELETED_OVER)


def test_a_record_unchanged_since_it_was_listed_is_deleted_at_once(clerks):  # noqa: F811
    from cadre_desk.care import talks
    from cadre_desk.security import audit

    with as_user("wang", "王经办", clerks):
        listed, *_rest = _talk()
    with as_user("zhao", "赵经办", clerks):
        talks.delete_talk(listed.id, listed.version)
    assert not audit.entries(1, entity=talks.E_TALK, entity_id=listed.id)[0].summary.endswith(DELETED_OVER)


def test_a_meeting_log_another_changed_since_is_not_deleted_without_a_word(meeting_log, clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import meeting_logs

    pair, read = meeting_log
    with as_user("zhao", "赵经办", clerks):
        meeting_logs.update_log(read.id, read.date, read.form, "到项目现场，看了工地", before=read)
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            meeting_logs.delete_log(read.id, read)
        assert refused.value.changed_by == "赵经办（zhao）" and "张建国→赵犇的谈话记录" in str(refused.value)
        assert meeting_logs.logs_for_pair(pair.id)[0].content == "到项目现场，看了工地"
        meeting_logs.delete_log(read.id, read, overwrite=True)
    assert meeting_logs.logs_for_pair(pair.id) == []


# ---- 考核表: 移出人员 ------------------------------------------------------------------------------

def test_a_member_another_scored_since_the_grid_was_loaded_is_not_removed_without_a_word(sheet, clerks):  # noqa: F811
    from cadre_desk.appraisal import appraisals, sheet_scores
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import audit

    sheet_id, (first, second), (rater, dim) = sheet
    with as_user("wang", "王经办", clerks):
        shown = {m.cadre_id: m for m in appraisals.load_sheet(sheet_id).members}  # 王's grid
    with as_user("zhao", "赵经办", clerks):
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 90, None)])
        sheet_scores.set_comment(sheet_id, second, "工作扎实", before="")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            appraisals.remove_member(sheet_id, first, before=shown[first])
        assert refused.value.changed_by == "赵经办（zhao）" and "甲干部 的评分" in str(refused.value)
        with pytest.raises(ConflictError):
            appraisals.remove_member(sheet_id, second, before=shown[second])  # a 评语 too
        assert {m.cadre_id for m in appraisals.load_sheet(sheet_id).members} == {first, second}
        appraisals.remove_member(sheet_id, first, before=shown[first], overwrite=True)
        now = {m.cadre_id: m for m in appraisals.load_sheet(sheet_id).members}
        appraisals.remove_member(sheet_id, second, before=now[second])  # as now shown: at once
    assert appraisals.load_sheet(sheet_id).members == []
    summaries = [e.summary for e in audit.entries(3, entity="考核表", entity_id=sheet_id)]
    assert summaries[0].endswith("移出 乙干部") and summaries[1].endswith("移出 甲干部" + DELETED_OVER)


def test_a_sheet_another_scored_since_the_grid_was_loaded_is_not_deleted_without_a_word(sheet, clerks):  # noqa: F811
    from cadre_desk.appraisal import appraisals, grading, sheet_scores
    from cadre_desk.domain.errors import ConflictError

    sheet_id, (first, _second), (rater, dim) = sheet
    with as_user("wang", "王经办", clerks):
        shown = appraisals.load_sheet(sheet_id).members  # 王's grid
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 88, None)])  # his own cell
        shown[0].scores[(rater, dim)] = 88  # as the grid keeps it
        mine = [dataclasses.replace(m, scores=dict(m.scores)) for m in shown]
    with as_user("zhao", "赵经办", clerks):
        grading.set_override(sheet_id, first, "优秀", "抗洪抢险表现突出", before=("", ""))
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            appraisals.delete_sheet(sheet_id, mine)
        assert refused.value.changed_by == "赵经办（zhao）" and "考核表“2025年度考核”" in str(refused.value)
        assert appraisals.load_sheet(sheet_id).members[0].grade_override == "优秀"
        appraisals.delete_sheet(sheet_id, appraisals.load_sheet(sheet_id).members)  # as now shown: at once
    assert sheet_id not in {s.id for s in appraisals.list_sheets()}


# ---- the administrator's catalogues ---------------------------------------------------------------

def test_a_scheme_another_administrator_saved_since_is_not_deleted_without_a_word(admins):  # noqa: F811
    from cadre_desk.appraisal import schemes
    from cadre_desk.domain.errors import ConflictError

    with as_user("zhang", "张管理", admins):
        listed = schemes.copy_scheme(schemes.list_schemes()[0].id, "季度考核")
    with as_user("li", "李管理", admins):
        schemes.save_scheme(dataclasses.replace(schemes.get_scheme(listed.id), description="李的说明"))
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:
            schemes.delete_scheme(listed.id, listed.version)
        assert refused.value.changed_by == "李管理（li）" and "考核方案“季度考核”" in str(refused.value)
        assert schemes.get_scheme(listed.id).description == "李的说明"
        schemes.delete_scheme(listed.id, listed.version, overwrite=True)
    assert "季度考核" not in {s.name for s in schemes.list_schemes()}


def test_a_pool_another_administrator_changed_since_is_not_deleted_without_a_word(admins):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.talent import pools

    with as_user("zhang", "张管理", admins):
        listed = pools.save_pool(pools.PoolInfo(None, "经济管理", "", 0, False))
    with as_user("li", "李管理", admins):
        pools.save_pool(dataclasses.replace(listed, name="经济管理类"))
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:
            pools.delete_pool(listed.id, listed.version)
        assert refused.value.changed_by == "李管理（li）" and "专业干部库“经济管理类”" in str(refused.value)
        pools.delete_pool(listed.id, listed.version, overwrite=True)
    assert listed.id not in {p.id for p in pools.list_pools(include_retired=True)}


def test_a_pool_change_overwrites_another_only_when_told(admins):  # noqa: F811
    from cadre_desk.talent import pools

    with as_user("zhang", "张管理", admins):
        read = pools.save_pool(pools.PoolInfo(None, "经济管理", "", 0, False))
    with as_user("li", "李管理", admins):
        pools.save_pool(dataclasses.replace(read, description="招商引资"))
    with as_user("zhang", "张管理", admins):
        saved = pools.save_pool(dataclasses.replace(read, description="财政金融"), overwrite=True)
    assert saved.description == "财政金融"


def test_a_checklist_item_another_administrator_changed_since_is_not_overwritten_or_deleted(admins):  # noqa: F811
    from cadre_desk.checkups import checkups
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import audit

    with as_user("zhang", "张管理", admins):
        read = checkups.save_item(checkups.CheckupItemInfo(None, "学习教育", "按要求参加理论学习"))  # 张's list
    with as_user("li", "李管理", admins):
        checkups.save_item(dataclasses.replace(read, name="理论学习"), read)  # 李 renames it
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:  # 张's dialog still shows 学习教育
            checkups.save_item(dataclasses.replace(read, description="每月参加一次"), read)
        assert refused.value.changed_by == "李管理（li）" and "对照检查项目“理论学习”" in str(refused.value)
        assert {i.name for i in checkups.list_items()} >= {"理论学习"}
        with pytest.raises(ConflictError):
            checkups.delete_item(read.id, read)
        saved = checkups.save_item(dataclasses.replace(read, description="每月参加一次"), read, overwrite=True)
        assert saved.name == "学习教育" and saved.description == "每月参加一次"
        assert audit.entries(1, entity=checkups.E_ITEM, entity_id=read.id)[0].summary.endswith("（覆盖了他人在此期间保存的修改）")
        checkups.delete_item(read.id, saved)  # as now shown: at once
    assert read.id not in {i.id for i in checkups.list_items(include_retired=True)}


def test_a_behaviour_item_another_administrator_renamed_since_is_not_undone_or_deleted(admins):  # noqa: F811
    from cadre_desk.appraisal import records
    from cadre_desk.domain.errors import ConflictError

    with as_user("zhang", "张管理", admins):
        read = records.save_behaviour_item(records.BehaviourItemInfo(None, "正面", "带头攻坚"))
    with as_user("li", "李管理", admins):
        records.save_behaviour_item(dataclasses.replace(read, name="带头攻坚重点项目"), read)
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:  # 停用 clicked on the list as read: the rename stays
            records.save_behaviour_item(dataclasses.replace(read, retired=True), read)
        assert refused.value.changed_by == "李管理（li）" and "正面清单条目“带头攻坚重点项目”" in str(refused.value)
        assert any(i.name == "带头攻坚重点项目" and not i.retired for i in records.list_behaviour_items())
        with pytest.raises(ConflictError):
            records.delete_behaviour_item(read.id, read)
        records.delete_behaviour_item(read.id, read, overwrite=True)
    assert read.id not in {i.id for i in records.list_behaviour_items(include_retired=True)}


# ---- settings two administrators may change at once: 本部门的名称, 导师帮带设置 --------------------

def test_department_names_another_changed_since_are_not_reverted_without_a_word(admins):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import audit
    from cadre_desk.settings import settings

    with as_user("zhang", "张管理", admins):
        read = settings.set_department("中共兴平市委组织部", "市委组织部", "兴平市")  # 张's dialog shows these
    with as_user("li", "李管理", admins):
        settings.set_department("中共兴平市委组织部", "兴平市委组织部", "兴平市", read)  # 李 changes the 简称
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:  # 张 corrects the 地名 on what he read
            settings.set_department("中共兴平市委组织部", "市委组织部", "陕西省兴平市", read)
        assert refused.value.changed_by == "李管理（li）" and "本部门的名称" in str(refused.value)
        assert settings.department().short_name == "兴平市委组织部"
        settings.set_department("中共兴平市委组织部", "市委组织部", "陕西省兴平市", read, overwrite=True)
    assert settings.department() == settings.Department("中共兴平市委组织部", "市委组织部", "陕西省兴平市")
    assert audit.entries(1, entity=settings.ENTITY)[0].summary.endswith("（覆盖了他人在此期间保存的修改）")


def test_mentoring_rules_another_changed_since_are_not_reverted_without_a_word(admins):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import mentoring_settings as rules

    with as_user("zhang", "张管理", admins):
        read = rules.get_settings()
    with as_user("li", "李管理", admins):
        rules.save_settings(dataclasses.replace(read, max_mentees=5), read)
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:
            rules.save_settings(dataclasses.replace(read, idle_days=14), read)
        assert refused.value.changed_by == "李管理（li）" and "导师帮带设置" in str(refused.value)
        assert rules.get_settings().max_mentees == 5
        rules.save_settings(dataclasses.replace(rules.get_settings(), idle_days=14), rules.get_settings())
    assert rules.get_settings() == rules.MentoringSettings(5, False, 14)


def test_the_talk_interval_another_changed_since_is_not_reverted_without_a_word(admins):  # noqa: F811
    """谈心谈话提醒设置 was saved over another's change without a word."""
    from cadre_desk.care import talks
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import audit
    from cadre_desk.settings import settings

    with as_user("zhang", "张管理", admins):
        read = talks.interval_days()  # 张's dialog: 90 天
    with as_user("li", "李管理", admins):
        talks.set_interval_days(60, read)
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:
            talks.set_interval_days(30, read)
        assert refused.value.changed_by == "李管理（li）" and refused.value.changed_at.startswith(TODAY)
        assert str(refused.value).startswith(f"在您开始编辑之后，谈心谈话提醒设置已被 {LI} 于 ")
        assert talks.interval_days() == 60
        talks.set_interval_days(30, read, overwrite=True)  # told, 张 saves his anyway
        assert talks.interval_days() == 30
        assert audit.entries(1, entity=settings.ENTITY)[0].summary.endswith("（覆盖了他人在此期间保存的修改）")
        talks.set_interval_days(45, talks.interval_days())  # as now read: at once
    assert talks.interval_days() == 45
    assert not audit.entries(1, entity=settings.ENTITY)[0].summary.endswith("（覆盖了他人在此期间保存的修改）")


def test_security_numbers_another_changed_since_are_not_reverted_without_a_word(admins):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.security import accounts

    with as_user("zhang", "张管理", admins):
        read = accounts.security_settings()
    with as_user("li", "李管理", admins):
        accounts.save_security_settings({**read, "security.idle_minutes": 5}, read)
    with as_user("zhang", "张管理", admins):
        with pytest.raises(ConflictError) as refused:
            accounts.save_security_settings({**read, "backup.keep_daily": 30}, read)
        assert refused.value.changed_by == "李管理（li）" and "安全与备份设置" in str(refused.value)
        assert accounts.security_settings()["security.idle_minutes"] == 5
        accounts.save_security_settings({**read, "backup.keep_daily": 30}, read, overwrite=True)
    assert accounts.security_settings()["backup.keep_daily"] == 30


# ---- 取消包抓人 -----------------------------------------------------------------------------------

def test_a_contact_another_changed_since_the_list_was_read_is_not_taken_off_without_a_word(db):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.liaison import liaison
    from tests.test_practices import make_world

    posting = make_world()["posting"]
    liaison.assign([posting], "李建平", "干部一科")
    (shown,) = liaison.list_liaisons()  # the clerk's list: 李建平
    liaison.assign([posting], "王海燕", "干部二科", read={posting: shown.version})  # another clerk, meanwhile
    with pytest.raises(ConflictError) as refused:
        liaison.clear([posting], read={posting: shown.version})
    assert "甲的包抓人" in str(refused.value)
    assert liaison.list_liaisons()[0].contact_name == "王海燕"
    (now,) = liaison.list_liaisons()
    assert liaison.clear([posting], read={posting: now.version}) == 1 and not liaison.list_liaisons()[0].assigned


def test_a_refused_contact_change_names_who_changed_it_and_when(clerks):  # noqa: F811
    """取消包抓 and 指定 of a list read before another's change said only 「已被他人指定、修改或取消」: now who
    and when, as every other refusal (the newest 包抓 change that named one of those postings)."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.liaison import liaison
    from tests.test_practices import make_world

    with as_user("wang", "王经办", clerks):
        posting = make_world()["posting"]
        liaison.assign([posting], "李建平", "干部一科")
        (shown,) = liaison.list_liaisons()  # 王's list: 李建平
    with as_user("zhao", "赵经办", clerks):
        liaison.assign([posting], "王海燕", "干部二科", read={posting: shown.version})
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            liaison.clear([posting], read={posting: shown.version})
        assert refused.value.changed_by == "赵经办（zhao）" and refused.value.changed_at.startswith(TODAY)
        assert str(refused.value).startswith(f"在您上次看到之后，甲的包抓人已被 {ZHAO} 于 ")
        (shown,) = liaison.list_liaisons()  # 王's list again: 王海燕
    with as_user("zhao", "赵经办", clerks):
        assert liaison.clear([posting], read={posting: shown.version}) == 1  # 赵 takes her off
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:  # 王 changes her phone on what he read
            liaison.assign([posting], "王海燕", "干部二科", "0910-1234567", read={posting: shown.version})
        assert refused.value.changed_by == "赵经办（zhao）" and f"甲的包抓人已被 {ZHAO} 于 " in str(refused.value)
        assert not liaison.list_liaisons()[0].assigned


# ---- 帮带结对, 干部档案: deletes that checked the version already — now as every other says it ----------

def test_a_pair_another_changed_since_is_deleted_only_when_told(meeting_log, clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import mentoring, pair_changes
    from cadre_desk.security import audit

    pair, _log = meeting_log
    with as_user("zhao", "赵经办", clerks):
        pair_changes.update_pair(pair.id, pair.version, focus=pair.focus, goals="独立牵头两个项目")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            pair_changes.delete_pair(pair.id, pair.version)
        assert refused.value.changed_by == "赵经办（zhao）" and str(refused.value).startswith("在您上次看到之后，帮带结对")
        pair_changes.delete_pair(pair.id, pair.version, overwrite=True)
    assert mentoring.list_pairs() == []
    assert audit.entries(1, entity=mentoring.ENTITY, entity_id=pair.id)[0].summary.endswith(DELETED_OVER)


def test_a_pair_another_added_a_meeting_log_to_since_is_deleted_only_when_told(meeting_log, clerks):  # noqa: F811
    """Adding a 谈话记录 does not move the pair's version: the pair's delete compares its logs as shown."""
    from cadre_desk.access.roles import ROLE_ADMIN
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes
    from cadre_desk.security import accounts, audit
    from tests.test_mentoring import _today

    pair, log = meeting_log
    shown = meeting_logs.logs_for_pair(pair.id)  # 王's page: 1 条
    assert shown == [log]
    with as_user("zhao", "赵经办", clerks):
        meeting_logs.add_log(pair.id, _today(2), "谈心谈话", "谈项目进展")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            pair_changes.delete_pair(pair.id, pair.version, logs=shown)
        assert refused.value.changed_by == "赵经办（zhao）"
        assert str(refused.value).startswith(f"在您上次看到之后，帮带结对“张建国→赵犇”的谈话记录已被 {ZHAO} 于 ")
        assert len(meeting_logs.logs_for_pair(pair.id)) == 2
        now = meeting_logs.logs_for_pair(pair.id)
        assert mentoring.get_pair(pair.id).version == pair.version  # an open 修改 of the pair is not made stale
        with as_user("zhang", "张管理", ROLE_ADMIN):
            accounts.create_user(accounts.UserInfo(None, "qian", "钱经办", (clerks,)), "Passw0rd!2026")
        with as_user("qian", "钱经办", clerks):
            meeting_logs.delete_log(log.id, log)
        with pytest.raises(ConflictError) as refused:  # a log taken off since: asked about too, naming who
            pair_changes.delete_pair(pair.id, pair.version, logs=now)
        assert refused.value.changed_by == "钱经办（qian）"
        pair_changes.delete_pair(pair.id, pair.version, logs=shown, overwrite=True)
    assert mentoring.list_pairs() == []
    assert audit.entries(1, entity=mentoring.ENTITY, entity_id=pair.id)[0].summary.endswith(DELETED_OVER)


def test_a_pair_one_of_whose_meeting_logs_another_reworded_since_is_deleted_only_when_told(meeting_log, clerks):  # noqa: F811
    """A 谈话记录's text alone changed (the pair's log count and last date as listed): the pair's delete
    compares each log as shown."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes
    from cadre_desk.security import audit

    pair, log = meeting_log
    shown = meeting_logs.logs_for_pair(pair.id)  # 王's page
    with as_user("zhao", "赵经办", clerks):
        meeting_logs.update_log(log.id, log.date, log.form, log.content, "下月再到现场", before=log)
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            pair_changes.delete_pair(pair.id, pair.version, logs=shown)
        assert str(refused.value).startswith(f"在您上次看到之后，帮带结对“张建国→赵犇”的谈话记录已被 {ZHAO} 于 ")
        assert meeting_logs.logs_for_pair(pair.id)[0].next_steps == "下月再到现场"
        pair_changes.delete_pair(pair.id, pair.version, logs=meeting_logs.logs_for_pair(pair.id))  # as now shown: at once
    assert mentoring.list_pairs() == []
    assert not audit.entries(1, entity=mentoring.ENTITY, entity_id=pair.id)[0].summary.endswith(DELETED_OVER)


def test_a_profile_deleted_after_another_saved_it_names_who_and_when(clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres

    with as_user("wang", "王经办", clerks):
        read = cadres.get_profile(_cadre())
    with as_user("zhao", "赵经办", clerks):
        theirs = cadres.get_profile(read.id)
        theirs.values["position"] = "科长"
        cadres.save_profile(theirs)
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        cadres.delete_cadre(read.id, read.version)
    assert refused.value.changed_by == "赵经办（zhao）" and "王档案的档案" in str(refused.value)
    assert cadres.get_profile(read.id).values["position"] == "科长"
    with as_user("wang", "王经办", clerks):
        cadres.delete_cadre(read.id, read.version, overwrite=True)  # told, 王 deletes it anyway
    assert cadres.count() == 0


def test_a_cadre_deleted_from_the_roster_after_another_changed_the_row_names_who_and_when(clerks):  # noqa: F811
    """干部名册's delete compares the version its row was read at (the row's last column) with the stored
    one."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit
    from tests.conftest import make_profile

    with as_user("wang", "王经办", clerks):
        first = _cadre()
        second = cadres.save_profile(make_profile(cadres.get_profile(first).values["unit"], name="李档案")).profile.id
        shown = {row[0]: row for row in cadres.list_rows()}  # 王's roster
    with as_user("zhao", "赵经办", clerks):
        theirs = cadres.get_profile(first)
        theirs.values["position"] = "科长"
        cadres.save_profile(theirs)
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            cadres.delete_cadre(first, shown=shown[first])
        assert refused.value.changed_by == "赵经办（zhao）" and str(refused.value).startswith("在您上次看到之后，王档案的档案")
        assert cadres.get_profile(first).values["position"] == "科长"
        cadres.delete_cadre(second, shown=shown[second])  # as shown: at once
        cadres.delete_cadre(first, shown=shown[first], overwrite=True)
    assert cadres.count() == 0
    assert audit.entries(1, entity=cadres.ENTITY, entity_id=first)[0].summary.endswith(DELETED_OVER)
    assert not audit.entries(1, entity=cadres.ENTITY, entity_id=second)[0].summary.endswith(DELETED_OVER)


def _resume(profile) -> None:
    from cadre_desk.domain.fields import ResumeItem

    profile.resume = [ResumeItem("200807", "", "兴平市财政局科员")]


def _family(profile) -> None:
    from cadre_desk.domain import codes
    from cadre_desk.domain.fields import FamilyItem

    profile.family = [FamilyItem(codes.table("GB4761").code("妻子"), "李秀兰", "198603", "", "兴平市第一中学教师")]


def _rewards(profile) -> None:
    from cadre_desk.domain import codes
    from cadre_desk.domain.fields import RewardItem

    profile.rewards = [RewardItem("201912", codes.table("REWARD_KIND").code("奖励"), "被评为优秀公务员", "")]


def _photo(profile) -> None:
    import base64

    from cadre_desk.profiles.photos import normalize_photo
    from tests.corpus import photo_png

    profile.photo = normalize_photo(base64.b64decode(photo_png(300, 375)))


@pytest.mark.parametrize("change", [_resume, _family, _rewards, _photo], ids=["简历", "家庭成员", "奖惩", "照片"])
def test_a_cadre_whose_records_another_changed_since_the_roster_showed_it_is_not_deleted_without_a_word(change, clerks):  # noqa: F811
    """What the roster's columns do not show changed too (简历, 家庭成员, 奖惩, the photo): the list's delete
    asks as the profile window's does."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit

    with as_user("wang", "王经办", clerks):
        cadre_id = _cadre()
        (shown,) = cadres.list_rows([cadre_id])  # 王's roster
    with as_user("zhao", "赵经办", clerks):
        theirs = cadres.get_profile(cadre_id)
        change(theirs)
        cadres.save_profile(theirs)
        columns = slice(0, 2 + len(cadres.LIST_KEYS))  # id, initials and the roster's columns
        assert cadres.list_rows([cadre_id])[0][columns] == shown[columns]  # none of them changed
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            cadres.delete_cadre(cadre_id, shown=shown)
        assert refused.value.changed_by == "赵经办（zhao）" and str(refused.value).startswith("在您上次看到之后，王档案的档案")
        assert cadres.count() == 1
        cadres.delete_cadre(cadre_id, shown=shown, overwrite=True)
    assert cadres.count() == 0
    assert audit.entries(1, entity=cadres.ENTITY, entity_id=cadre_id)[0].summary.endswith(DELETED_OVER)


# ---- 移出专业干部库 -------------------------------------------------------------------------------

def test_members_whose_entry_another_changed_since_are_not_taken_out_without_a_word(clerks):  # noqa: F811
    from cadre_desk.access.roles import ROLE_ADMIN
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.talent import pools

    with as_user("zhang", "张管理", ROLE_ADMIN):
        pool = pools.save_pool(pools.PoolInfo(None, "经济管理", "", 0, False))
    with as_user("wang", "王经办", clerks):
        pools.add_members(pool.id, [_cadre()], "骨干")
        listed = {m.id: m.version for m in pools.list_members(pool.id)}  # 王's list
    with as_user("zhao", "赵经办", clerks):
        (member,) = pools.list_members(pool.id)
        pools.update_member(member.id, member.version, level="领军", joined_on=member.joined_on, note="招商经验丰富")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            pools.remove_members(list(listed), "调出", listed)
        assert refused.value.changed_by == "赵经办（zhao）" and "王档案（经济管理）的入库信息" in str(refused.value)
        assert [m.level for m in pools.list_members(pool.id)] == ["领军"]
        assert pools.remove_members(list(listed), "调出", listed, overwrite=True) == 1
    assert pools.list_members(pool.id) == []


# ---- 一线锻炼: 战线, 岗位 and 撤销拟选派 ---------------------------------------------------------------

def test_a_line_or_post_another_clerk_changed_since_is_not_deleted_without_a_word(clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.postings import frontline_posts, posting_data
    from cadre_desk.security import audit

    with as_user("wang", "王经办", clerks):
        line = frontline_posts.add_line("城市更新", 6)  # 王's list (the department's clerks keep the lines)
        other = frontline_posts.add_line("园区建设", 6)
        post = frontline_posts.save_post(posting_data.PostInput(line_id=other.id, name="园区服务专员",
                                                                host_type="驻村工作队", host_name="柳林乡", capacity=3))
    with as_user("zhao", "赵经办", clerks):
        frontline_posts.update_line(line.id, line.version, "城市更新行动", 12)
        frontline_posts.save_post(dataclasses.replace(frontline_posts.post_input(post), capacity=5))
    with as_user("wang", "王经办", clerks):
        for delete, item, named in ((frontline_posts.delete_line, line, "战线“城市更新行动”"),
                                    (frontline_posts.delete_post, post, "锻炼岗位“园区建设/园区服务专员”")):
            with pytest.raises(ConflictError) as refused:
                delete(item.id, item.version)
            assert refused.value.changed_by == "赵经办（zhao）" and str(refused.value).startswith(f"在您上次看到之后，{named}")
            delete(item.id, item.version, overwrite=True)
        frontline_posts.delete_line(other.id, other.version)  # as listed: at once
    assert {x.id for x in frontline_posts.list_lines()}.isdisjoint({line.id, other.id})
    assert audit.entries(1, entity=posting_data.E_LINE, entity_id=line.id)[0].summary.endswith(DELETED_OVER)
    assert audit.entries(1, entity=posting_data.E_POST, entity_id=post.id)[0].summary.endswith(DELETED_OVER)


def test_a_proposed_posting_another_changed_since_is_not_withdrawn_without_a_word(clerks):  # noqa: F811
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.postings import posting_data, postings
    from cadre_desk.security import audit
    from tests.test_mentoring import _posting_for

    with as_user("wang", "王经办", clerks):
        listed = _posting_for(_cadre())  # 王's list: 拟选派
        assert listed.state == posting_data.PROPOSED
    with as_user("zhao", "赵经办", clerks):
        postings.update_posting(listed.id, listed.version, remarks="赵补充的说明")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            postings.delete_posting(listed.id, listed.version)
        assert refused.value.changed_by == "赵经办（zhao）"
        assert str(refused.value).startswith("在您上次看到之后，王档案到“") and "的拟选派已被" in str(refused.value)
        assert postings.get_posting(listed.id).remarks == "赵补充的说明"
        postings.delete_posting(listed.id, listed.version, overwrite=True)
    assert audit.entries(1, entity=posting_data.E_POSTING, entity_id=listed.id)[0].summary.endswith(DELETED_OVER)
