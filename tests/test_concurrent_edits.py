"""Two clerks (or administrators) on one shared database edit the same record: the later save of a copy read
before the other's save is refused — a ConflictError that names who saved in between and when, from the
audit log — unless the user, told, chose to overwrite; nothing is replaced without a word."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest

from cadre_desk.domain.text import keep_together
from tests.conftest import TEST_TODAY

TODAY = TEST_TODAY.replace("-", ".")  # as the conflict says the day of the other's change
# who changed it as the conflict says them: name and login kept together (never broken by a wrapping box)
ZHAO, LI = keep_together("赵经办（zhao）"), keep_together("李管理（li）")


@contextlib.contextmanager
def as_user(username: str, display_name: str, *roles: str):
    from cadre_desk.access import context

    before = context.current_operator()
    context.set_operator(context.Operator(username=username, display_name=display_name, roles=frozenset(roles)))
    try:
        yield
    finally:
        context.set_operator(before)


@pytest.fixture
def admins(db):
    """Two administrators' accounts: 张管理 (zhang) and 李管理 (li)."""
    from cadre_desk.access.roles import ROLE_ADMIN
    from cadre_desk.security import accounts

    accounts.create_user(accounts.UserInfo(None, "zhang", "张管理", (ROLE_ADMIN,)), "Passw0rd!2026")
    with as_user("zhang", "张管理", ROLE_ADMIN):
        accounts.create_user(accounts.UserInfo(None, "li", "李管理", (ROLE_ADMIN,)), "Passw0rd!2026")
    return ROLE_ADMIN


@pytest.fixture
def clerks(admins):
    """Two clerks of every unit: 王经办 (wang) and 赵经办 (zhao), made by 张管理."""
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.security import accounts

    with as_user("zhang", "张管理", admins):
        for username, name in (("wang", "王经办"), ("zhao", "赵经办")):
            accounts.create_user(accounts.UserInfo(None, username, name, (ROLE_CLERK,)), "Passw0rd!2026")
    return ROLE_CLERK


# ---- 考核方案 -------------------------------------------------------------------------------------

def test_a_stale_scheme_save_is_refused_and_names_who_and_when(admins):
    from cadre_desk.appraisal import schemes
    from cadre_desk.domain.errors import ConflictError

    scheme = schemes.list_schemes()[0]
    mine = dataclasses.replace(schemes.get_scheme(scheme.id), description="张的说明")  # 张 opens the editor
    with as_user("li", "李管理", admins):
        theirs = dataclasses.replace(schemes.get_scheme(scheme.id), description="李的说明")
        schemes.save_scheme(theirs)  # 李 saves first
    with as_user("zhang", "张管理", admins), pytest.raises(ConflictError) as refused:
        schemes.save_scheme(mine)
    assert refused.value.changed_by == "李管理（li）" and refused.value.changed_at.startswith(TODAY)
    assert LI in str(refused.value) and f"考核方案“{scheme.name}”" in str(refused.value)
    assert schemes.get_scheme(scheme.id).description == "李的说明"  # the other's change stands


def _refused_after_li(admins):
    """张管理's save of a 考核方案 李管理 saved since 张 opened it: the ConflictError."""
    from cadre_desk.appraisal import schemes
    from cadre_desk.domain.errors import ConflictError

    scheme = schemes.list_schemes()[0]
    mine = dataclasses.replace(schemes.get_scheme(scheme.id), description="张的说明")
    with as_user("li", "李管理", admins):
        schemes.save_scheme(dataclasses.replace(schemes.get_scheme(scheme.id), description="李的说明"))
    with as_user("zhang", "张管理", admins), pytest.raises(ConflictError) as refused:
        schemes.save_scheme(mine)
    return refused.value


def test_the_day_and_time_of_the_other_change_stay_together_when_the_box_wraps(admins):
    """The box wraps the sentence where it likes: a no-break space (not a plain one) joins the day and the
    time of the other's change, so the time never goes onto a line of its own."""
    import re

    refused = _refused_after_li(admins)
    day, time = refused.changed_at.split(" ")  # changed_at itself as the audit log gives it
    assert f"已被 {LI} 于 {day}\u00a0{time} 修改并保存。" in str(refused)
    assert re.search(r"\d{4}\.\d{2}\.\d{2}\u00a0\d{2}:\d{2} ", str(refused)) and day == TODAY


def test_the_other_clerks_name_and_login_stay_together_when_the_box_wraps(admins):
    """A box broke the line inside 「李管理（li）」 (李管 | 理（li）): the conflict's text is made with the name
    and login kept together — an invisible word joiner after each of their characters — once, where the
    text is made, so every box that shows it keeps them whole; ``changed_by`` stays the plain name."""
    refused = _refused_after_li(admins)
    said = str(refused)
    assert "已被 李\u2060管\u2060理\u2060（\u2060l\u2060i\u2060）\u2060 于 " in said, ascii(said)
    assert refused.changed_by == "李管理（li）"


def test_overwrite_saves_mine_and_the_audit_says_it_replaced_another_change(admins):
    from cadre_desk.appraisal import schemes
    from cadre_desk.security import audit

    scheme = schemes.list_schemes()[0]
    mine = dataclasses.replace(schemes.get_scheme(scheme.id), description="张的说明")
    with as_user("li", "李管理", admins):
        schemes.save_scheme(dataclasses.replace(schemes.get_scheme(scheme.id), description="李的说明"))
    with as_user("zhang", "张管理", admins):
        saved = schemes.save_scheme(mine, overwrite=True)
    assert saved.description == "张的说明" and saved.version == scheme.version + 2
    last = audit.entries(1, entity="考核方案", entity_id=scheme.id)[0]
    assert last.user == "zhang" and "覆盖了他人" in last.summary
    assert last.changes["description"] == ["李的说明", "张的说明"]


def test_who_is_unknown_without_an_audited_change(db):
    from cadre_desk.security import conflicts

    refused = conflicts.stale("考核方案", 999, "考核方案“甲”")
    assert refused.changed_by == "" and str(refused) == "在您开始编辑之后，考核方案“甲”已被他人修改并保存。"


# ---- 干部档案 -------------------------------------------------------------------------------------

def test_a_stale_profile_save_names_who_and_when(clerks):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import make_profile

    with as_user("wang", "王经办", clerks):
        saved = cadres.save_profile(make_profile(units.create_unit("市财政局").id, name="王档案")).profile
        mine = cadres.get_profile(saved.id)
    with as_user("zhao", "赵经办", clerks):
        theirs = cadres.get_profile(saved.id)
        theirs.values["position"] = "科长"
        cadres.save_profile(theirs)
    mine.values["phone"] = "13900000000"
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        cadres.save_profile(mine)
    assert refused.value.changed_by == "赵经办（zhao）" and not refused.value.gone
    assert str(refused.value).startswith(f"在您开始编辑之后，王档案的档案已被 {ZHAO} 于 " + TODAY)


def test_a_profile_draft_remembers_the_version_its_edits_began_from():
    from cadre_desk.profiles.profile_drafts import ProfileDraft

    kept = ProfileDraft({"phone": "1"}, version=4)
    assert ProfileDraft.from_json(kept.to_json()).version == 4
    assert ProfileDraft.from_json('{"values": {"phone": "1"}}').version is None  # kept before it said


# ---- 考核表: scores, 评语, 调整等次 ------------------------------------------------------------------

@pytest.fixture
def sheet(clerks):
    """A sheet of two cadres made by 王经办; (sheet id, the two cadres, the first cell's rater and dimension)."""
    from cadre_desk.appraisal import appraisals, schemes
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units
    from tests.conftest import make_profile

    with as_user("wang", "王经办", clerks):
        unit_id = units.create_unit("市财政局").id
        people = [cadres.save_profile(make_profile(unit_id, name=name)).profile.id for name in ("甲干部", "乙干部")]
        scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
        made = appraisals.create_sheet("2025年度考核", "2025", scheme.id, people)
    return made.id, people, (scheme.raters[0].id, scheme.dimensions[0].id)


def test_a_score_another_saved_since_is_not_written_over(sheet, clerks):
    from cadre_desk.appraisal import appraisals, sheet_scores
    from cadre_desk.domain.errors import ConflictError

    sheet_id, (first, _), (rater, dim) = sheet
    with as_user("zhao", "赵经办", clerks):
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 90, None)])
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:  # 王's grid still showed the cell empty
            sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 85, None)])
        assert refused.value.changed_by == "赵经办（zhao）" and "甲干部" in str(refused.value)
        assert appraisals.load_sheet(sheet_id).members[0].scores[(rater, dim)] == 90
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 85, 90)])  # as now shown
        sheet_scores.set_scores(sheet_id, [sheet_scores.ScoreChange(first, rater, dim, 80)])  # unchecked (imports)
    assert appraisals.load_sheet(sheet_id).members[0].scores[(rater, dim)] == 80


def test_a_comment_another_saved_since_is_not_written_over(sheet, clerks):
    from cadre_desk.appraisal import appraisals, sheet_scores
    from cadre_desk.domain.errors import ConflictError

    sheet_id, (first, _), _cell = sheet
    with as_user("zhao", "赵经办", clerks):
        sheet_scores.set_comment(sheet_id, first, "工作扎实", before="")
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            sheet_scores.set_comment(sheet_id, first, "成绩突出", before="")
        assert refused.value.changed_by == "赵经办（zhao）" and "甲干部·评语" in str(refused.value)
        assert appraisals.load_sheet(sheet_id).members[0].comment == "工作扎实"
        sheet_scores.set_comment(sheet_id, first, "成绩突出", before="工作扎实")
    assert appraisals.load_sheet(sheet_id).members[0].comment == "成绩突出"


def test_an_override_another_saved_since_is_not_written_over(sheet, clerks):
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.domain.errors import ConflictError

    sheet_id, (first, _), _cell = sheet
    with as_user("zhao", "赵经办", clerks):
        grading.set_override(sheet_id, first, "优秀", "抗洪抢险表现突出", before=("", ""))
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        grading.set_override(sheet_id, first, "称职", "按比例调整为称职", before=("", ""))
    assert refused.value.changed_by == "赵经办（zhao）"
    assert appraisals.load_sheet(sheet_id).members[0].grade_override == "优秀"


# ---- 导师帮带: 谈话记录 -------------------------------------------------------------------------------

@pytest.fixture
def meeting_log(clerks, unit):
    """A pair of 市财政局 with one 谈话记录; (the pair, the log as read)."""
    from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes
    from tests.test_mentoring import _draft, _today

    people = [cadres_id(unit.id, name, birth, rank) for name, birth, rank in
              (("张建国", "197003", "0131"), ("赵犇", "199504", "0241"))]
    pair = pair_changes.create_pair(_draft(*people, start=_today(20))).pair
    meeting_logs.add_log(pair.id, _today(5), "现场指导", "到项目现场")
    return mentoring.get_pair(pair.id), meeting_logs.logs_for_pair(pair.id)[0]


def cadres_id(unit_id, name, birth, rank) -> int:
    from cadre_desk.profiles import cadres
    from tests.conftest import make_profile

    return cadres.save_profile(make_profile(unit_id, name=name, birth=birth, rank=rank)).profile.id


def test_a_meeting_log_another_changed_since_is_not_written_over(meeting_log, clerks):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.mentoring import meeting_logs

    pair, read = meeting_log
    with as_user("zhao", "赵经办", clerks):
        meeting_logs.update_log(read.id, read.date, read.form, "到项目现场，看了工地", before=read)
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            meeting_logs.update_log(read.id, read.date, "业务培训", "讲政策", before=read)
        assert refused.value.changed_by == "赵经办（zhao）" and "张建国→赵犇的谈话记录" in str(refused.value)
        assert meeting_logs.logs_for_pair(pair.id)[0].content == "到项目现场，看了工地"
        meeting_logs.update_log(read.id, read.date, "业务培训", "讲政策")  # told, and chose to overwrite
    assert meeting_logs.logs_for_pair(pair.id)[0].content == "讲政策"


# ---- records that had a version already: the refusal now says who and when ----------------------

def test_a_stale_unit_change_names_who_and_when(clerks):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.units import staffing, units

    with as_user("wang", "王经办", clerks):
        unit = units.create_unit("市财政局")
    with as_user("zhao", "赵经办", clerks):
        staffing.set_approved(unit.id, {"0141": 2}, unit.version)  # 核定职数 moves the unit's version on
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        units.update_unit(unit.id, unit.version, full_name="兴平市财政局")
    assert refused.value.changed_by == "赵经办（zhao）" and "单位“市财政局”" in str(refused.value)


def test_a_stale_pool_change_names_who_and_when(admins):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.talent import pools

    with as_user("zhang", "张管理", admins):
        pool = pools.save_pool(pools.PoolInfo(None, "经济管理", "", 0, False))
    with as_user("li", "李管理", admins):
        pools.save_pool(dataclasses.replace(pool, description="招商引资、财政金融"))
    with as_user("zhang", "张管理", admins), pytest.raises(ConflictError) as refused:
        pools.save_pool(dataclasses.replace(pool, name="经济管理类"))
    # the pool as stored, not the name being typed
    assert refused.value.changed_by == "李管理（li）" and "专业干部库“经济管理”" in str(refused.value)
    assert "经济管理类" not in str(refused.value)


# ---- 包抓人 ---------------------------------------------------------------------------------------

def test_a_contact_another_assigned_since_is_not_replaced_without_a_word(db):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.liaison import liaison
    from tests.test_practices import make_world

    posting = make_world()["posting"]
    (shown,) = liaison.list_liaisons()  # the clerk's list: no contact yet
    liaison.assign([posting], "李建平", "干部一科")  # another clerk, meanwhile
    with pytest.raises(ConflictError) as refused:
        liaison.assign([posting], "王海燕", "干部二科", read={posting: shown.version if shown.assigned else 0})
    assert "甲的包抓人" in str(refused.value)
    assert liaison.list_liaisons()[0].contact_name == "李建平"
    (now,) = liaison.list_liaisons()
    liaison.assign([posting], "王海燕", "干部二科", read={posting: now.version})
    assert liaison.list_liaisons()[0].contact_name == "王海燕"


# ---- told, the user overwrites: the records that had a version -----------------------------------

def test_a_care_record_is_overwritten_only_when_told_and_the_audit_says_so(clerks):
    from cadre_desk.care import care_items
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit
    from cadre_desk.units import units
    from tests.conftest import make_profile
    from tests.test_mentoring import _today

    with as_user("wang", "王经办", clerks):
        cadre = cadres.save_profile(make_profile(units.create_unit("市财政局").id, name="王档案")).profile
        mine = care_items.save_care(care_items.CareInfo(None, cadre.id, care_items.CARE_KINDS[0], _today(3), "",
                                                        "看望慰问"))
    with as_user("zhao", "赵经办", clerks):
        care_items.save_care(dataclasses.replace(mine, content="看望慰问，送去慰问金"))
    with as_user("wang", "王经办", clerks):
        with pytest.raises(ConflictError) as refused:
            care_items.save_care(dataclasses.replace(mine, content="上门看望"))
        assert refused.value.changed_by == "赵经办（zhao）"
        saved = care_items.save_care(dataclasses.replace(mine, content="上门看望"), overwrite=True)
    assert saved.content == "上门看望"
    last = audit.entries(1, entity=care_items.E_CARE, entity_id=mine.id)[0]
    assert last.user == "wang" and last.summary.endswith("（覆盖了他人在此期间保存的修改）")


def test_a_checkup_result_is_overwritten_only_when_told(db):
    from cadre_desk.checkups import checkup_sheets, checkups
    from cadre_desk.domain.errors import ConflictError
    from tests.test_practices import _round, day, make_world

    world = make_world()
    round_info = _round(world).round
    sheet = next(s for s in checkup_sheets.missing(round_info.id) if s.cadre_name == "甲")  # two clerks' lists
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.CLEAN, checked_on=day(-2))
    with pytest.raises(ConflictError):
        checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.CLEAN, checked_on=day(-1))
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.CLEAN, checked_on=day(-1), overwrite=True)
    [now] = checkup_sheets.search(checkup_sheets.SheetFilter(round_id=round_info.id, cadre_id=world["ids"]["甲"])).rows
    assert now.checked_on == day(-1)
