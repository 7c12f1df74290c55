"""Accounts, roles, lockout, the self/relative rule, audit chain: enforced in the services."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.domain import clock
from tests.conftest import make_profile


@pytest.fixture
def accounts(db):
    from cadre_desk.security import accounts

    yield accounts
    accounts.enforce_login(False)


@pytest.fixture
def org(db, accounts):
    """Two units, a cadre in each, the first admin and one user of each other role."""
    from cadre_desk.access import context
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", root.id)
    tax = units.create_unit("市税务局", root.id)
    a = cadres.save_profile(make_profile(finance.id, name="王财政")).profile
    b = cadres.save_profile(make_profile(tax.id, name="李税务")).profile
    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    pw = "Clerk#2024"
    users = {
        "auditor": accounts.create_user(accounts.UserInfo(None, "auditor", "审计员", (accounts.ROLE_AUDITOR,)), pw),
        "clerk": accounts.create_user(accounts.UserInfo(None, "clerk", "经办人", (accounts.ROLE_CLERK,),
                                                        (finance.id,)), pw),
        "reader": accounts.create_user(accounts.UserInfo(None, "reader", "查阅人", (accounts.ROLE_READER,),
                                                         (finance.id,)), pw),
    }
    return {"finance": finance, "tax": tax, "a": a, "b": b, "admin": admin, "users": users, "pw": pw}


def test_password_hash_is_salted_scrypt(accounts):
    one, two = accounts.hash_password("Abc#12345"), accounts.hash_password("Abc#12345")
    assert one != two and one.startswith("scrypt$")
    assert accounts.verify_password("Abc#12345", one)
    assert not accounts.verify_password("Abc#12346", one)


def test_complexity_rule(accounts):
    assert accounts.password_problem("Ab1#") == "密码至少 8 位。"
    assert "三类" in accounts.password_problem("abcdefgh1")
    assert accounts.password_problem("abcdefg1X") is None
    assert accounts.password_problem(accounts.one_time_password()) is None


def test_first_admin_one_time_password_must_change(accounts):
    from cadre_desk.domain.errors import ValidationError

    user, password = accounts.create_first_admin()
    assert user.must_change_password
    logged = accounts.login("admin", password)
    assert logged.must_change_password
    with pytest.raises(ValidationError):
        accounts.change_password(user.id, password, "weak")
    accounts.change_password(user.id, password, "NewPass#2024")
    assert not accounts.get_user(user.id).must_change_password
    with pytest.raises(ValidationError):
        accounts.create_first_admin()


def test_lockout_after_five_failures(org, accounts, monkeypatch):
    for _ in range(5):
        with pytest.raises(accounts.LoginError) as failed:
            accounts.login("clerk", "wrong")
        assert str(failed.value) == "用户名或密码错误（连续输错 5 次，账号将锁定 30 分钟）。"
    with pytest.raises(accounts.LoginError, match="用户名或密码错误"):
        accounts.login("clerk", "wrong")  # a wrong password does not learn of the lock
    with pytest.raises(accounts.LoginError, match="已被锁定"):
        accounts.login("clerk", org["pw"])  # the right password does not help while locked
    from cadre_desk.domain import clock

    clock.set_now(clock.now() + _dt.timedelta(minutes=31))
    assert accounts.login("clerk", org["pw"]).username == "clerk"
    from cadre_desk.security import audit

    actions = [e.action for e in audit.entries(limit=20)]
    assert actions.count(audit.LOGIN_FAILED) == 7 and audit.LOGIN in actions


def test_login_does_not_tell_whether_a_name_exists(org, accounts, monkeypatch):
    """The same message for an unknown name, a wrong password and a disabled account (without its
    password); an unknown name still costs one password hash, as a wrong password does."""
    import hashlib

    hashes = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: hashes.append(1) or real(*a, **k))
    messages = []
    for name in ("nobody", "clerk"):
        hashes.clear()
        with pytest.raises(accounts.LoginError) as failed:
            accounts.login(name, "Wrong#2024")
        messages.append(str(failed.value))
        assert len(hashes) == 1, name
    reader = org["users"]["reader"]
    reader.active = False
    accounts.update_user(reader)
    with pytest.raises(accounts.LoginError) as failed:
        accounts.login("reader", "Wrong#2024")
    messages.append(str(failed.value))
    assert len(set(messages)) == 1
    with pytest.raises(accounts.LoginError, match="已停用"):
        accounts.login("reader", org["pw"])  # only the right password learns the account is disabled


def test_roles_are_enforced_in_services(org, accounts):
    from cadre_desk.access import context, permissions
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit

    a, b = org["a"], org["b"]
    # 系统管理员: no cadre data
    with pytest.raises(PermissionDenied, match="三员分立"):
        cadres.get_profile(a.id)
    assert cadres.list_rows() == []
    # 安全审计员: the audit log only
    context.set_operator(accounts.operator_for(org["users"]["auditor"]))
    with pytest.raises(PermissionDenied):
        cadres.get_profile(a.id)
    assert audit.search(text="王财政")
    # 经办人 of 财政局: edits there, not in 税务局
    context.set_operator(accounts.operator_for(org["users"]["clerk"]))
    with pytest.raises(PermissionDenied):
        audit.search()
    profile = cadres.get_profile(a.id)
    profile.values["position"] = "科员"
    cadres.save_profile(profile)
    with pytest.raises(PermissionDenied, match="范围"):
        cadres.get_profile(b.id)
    assert [row[0] for row in cadres.list_rows()] == [a.id]
    moved = cadres.get_profile(a.id)
    moved.values["unit"] = org["tax"].id
    with pytest.raises(PermissionDenied):
        cadres.save_profile(moved)
    with pytest.raises(PermissionDenied):
        accounts.list_users()
    # 查阅人: reads only
    context.set_operator(accounts.operator_for(org["users"]["reader"]))
    profile = cadres.get_profile(a.id)
    with pytest.raises(PermissionDenied):
        cadres.save_profile(profile)
    assert permissions.check(permissions.PRINT, cadre_id=a.id)
    assert permissions.check(permissions.EXPORT)


def test_reminders_follow_the_roles(org, accounts):
    """The reminders dock names cadres: nothing for 系统管理员 / 安全审计员 (三员分立), and a limited user
    only hears about the cadres of their own units."""
    from cadre_desk.access import context
    from cadre_desk.home import reminders

    a, b = org["a"], org["b"]

    def provider():
        return [reminders.Reminder("测试", "王财政提醒", a.id), reminders.Reminder("测试", "李税务提醒", b.id),
                reminders.Reminder("测试", "岗位未满员")]

    reminders.PROVIDERS.append(provider)
    try:
        def texts():
            return sorted(r.text for r in reminders.collect() if r.category == "测试")

        assert texts() == []  # the first admin
        context.set_operator(accounts.operator_for(org["users"]["auditor"]))
        assert texts() == []
        context.set_operator(accounts.operator_for(org["users"]["clerk"]))
        assert texts() == ["岗位未满员", "王财政提醒"]
        context.set_operator(accounts.operator_for(org["users"]["reader"]))
        assert texts() == ["岗位未满员", "王财政提醒"]
    finally:
        reminders.PROVIDERS.remove(provider)


def test_roster_export_keeps_to_the_units_of_a_limited_user(org, accounts, tmp_path):
    """Enforced in the export itself, not only by the list the window hands it."""
    import openpyxl

    from cadre_desk.access import context
    from cadre_desk.domain.errors import PermissionDenied
    from reports.excel import excel_roster

    context.set_operator(accounts.operator_for(org["users"]["clerk"]))
    out = tmp_path / "roster.xlsx"
    assert excel_roster.export_roster(out, ["name"], reason="测试") == 1
    names = [row[1] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True)]
    assert names == ["王财政"]
    with pytest.raises(PermissionDenied, match="范围"):
        excel_roster.export_roster(tmp_path / "other.xlsx", ["name"], [org["a"].id, org["b"].id], reason="测试")
    assert not (tmp_path / "other.xlsx").exists()


def test_logged_out_operator_may_do_nothing_when_login_enforced(org, accounts):
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.profiles import cadres

    accounts.enforce_login(True)
    accounts.logout()
    with pytest.raises(PermissionDenied, match="请先登录"):
        cadres.get_profile(org["a"].id)
    assert cadres.list_rows() == []


def test_own_and_relative_profiles_refused(org, accounts):
    from cadre_desk.access import context, permissions
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadres import FamilyItem

    a = org["a"]
    # the clerk is linked to cadre a (王财政, 198510)
    clerk = org["users"]["clerk"]
    clerk.cadre_id = a.id
    clerk = accounts.update_user(clerk)
    context.set_operator(None)  # the command-line operator (no accounts enforced) enters the data
    # 王小财 lists 王财政 as father in the family records: a relative of the clerk
    child = make_profile(org["finance"].id, name="王小财", birth="201001")
    child.family = [FamilyItem("51", "王财政", "198510", "01", "市财政局")]
    child = cadres.save_profile(child).profile
    stranger = cadres.save_profile(make_profile(org["finance"].id, name="赵某", birth="199001")).profile
    context.set_operator(accounts.operator_for(clerk))
    for cadre_id, who in ((a.id, "本人"), (child.id, "亲属")):
        profile = cadres.get_profile(cadre_id)  # reading is allowed
        with pytest.raises(PermissionDenied, match=who):
            cadres.save_profile(profile)
        assert who in permissions.check(permissions.PRINT, cadre_id=cadre_id)
    assert permissions.check(permissions.EDIT, cadre_id=stranger.id) is None
    # matched by 身份证号 too
    clerk.cadre_id, clerk.id_number = None, "110101198510010019"
    context.set_operator(None)
    same = make_profile(org["finance"].id, name="钱某", id_number="110101198510010019", birth="19851001")
    same = cadres.save_profile(same).profile
    context.set_operator(accounts.operator_for(clerk))
    assert "本人" in permissions.check(permissions.EDIT, cadre_id=same.id)


def test_no_users_behaves_as_before(db, accounts):
    from cadre_desk.access import permissions
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    unit = units.create_unit("某局")
    cadres.save_profile(make_profile(unit.id))
    assert permissions.check(permissions.ADMIN) is None
    assert len(cadres.list_rows()) == 1


def test_audit_tampering_detected(org, accounts):
    from cadre_desk.access import context
    from cadre_desk.security import anchors, audit
    from cadre_desk.store.db import database
    from cadre_desk.store.portable import sql

    context.set_operator(accounts.operator_for(org["users"]["auditor"]))
    assert anchors.check_integrity().ok
    rows = audit.search()
    victim = rows[len(rows) // 2].id
    database.execute_sql(sql(database.obj, "UPDATE audit_log SET summary = '无事发生' WHERE id = ?"), (victim,))
    assert anchors.check_integrity().broken == victim


def test_audit_rows_cut_from_the_end_are_detected(org, accounts):
    """Deleting the newest rows leaves a shorter chain that is still intact: the recorded head (and
    the numbering that goes on from it) must give the cut away, even after the app wrote again."""
    from cadre_desk.access import context
    from cadre_desk.security import anchors, audit
    from cadre_desk.store.db import database
    from cadre_desk.store.portable import sql

    last = audit.entries(limit=1)[0].id
    database.execute_sql(sql(database.obj, "DELETE FROM audit_log WHERE id >= ?"), (last - 1,))
    assert audit.verify_chain() == last - 1
    context.set_operator(accounts.operator_for(org["users"]["auditor"]))
    audit.record(audit.VIEW, "测试", None, "其后又写一条")
    assert anchors.check_integrity().broken == last - 1


def test_audit_chain_under_concurrent_writers(db_target, db):
    """Two processes append audit rows at once; BEGIN IMMEDIATE (the writers' lock on a server) keeps
    the chain linear."""
    import subprocess
    import sys

    from cadre_desk.security import audit
    from tests.conftest import ROOT

    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from cadre_desk.store.opening import open_database\n"
        "from cadre_desk.security import audit\n"
        f"open_database({db_target!r})\n"
        "for i in range(60): audit.record(audit.SYSTEM, '测试', i, 'p' + sys.argv[1])\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(2)]
    for i in range(60):
        audit.record(audit.SYSTEM, "测试", i, "main")
    assert all(p.wait(60) == 0 for p in procs)
    assert audit.verify_chain() is None
    assert len(audit.entries(limit=1000)) >= 180


def test_idle_lock_and_password_again(org, accounts):
    from cadre_desk.security.idle import IdleTracker

    now = [1000.0]
    tracker = IdleTracker(lambda: 30, clock=lambda: now[0])
    assert not tracker.should_lock()
    now[0] += 29 * 60
    tracker.touch()
    now[0] += 29 * 60
    assert not tracker.should_lock()
    now[0] += 2 * 60
    assert tracker.should_lock()
    accounts.login("clerk", org["pw"])
    with pytest.raises(accounts.LoginError):
        accounts.verify_current_password("wrong")
    accounts.verify_current_password(org["pw"])


def test_security_settings_drive_the_rules(org, accounts):
    from cadre_desk.access import context
    from cadre_desk.domain.errors import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        accounts.save_security_settings({"security.max_failures": 1})
    accounts.save_security_settings({"security.max_failures": 3, "security.password_min_length": 10})
    assert accounts.password_problem("Abc#12345") == "密码至少 10 位。"
    for _ in range(3):
        with pytest.raises(accounts.LoginError, match="连续输错 3 次"):
            accounts.login("reader", "x")
    with pytest.raises(accounts.LoginError, match="已被锁定"):
        accounts.login("reader", org["pw"])
    context.set_operator(accounts.operator_for(org["users"]["clerk"]))
    with pytest.raises(PermissionDenied):
        accounts.save_security_settings({"security.idle_minutes": 5})


def test_heartbeat_refreshes_the_lock(db_path):
    from cadre_desk.store import instance_lock

    lock = instance_lock.InstanceLock(db_path)
    lock.acquire()
    before = instance_lock.read_lock(lock.path)["heartbeat"]
    import time

    time.sleep(0.05)
    lock.heartbeat()
    assert instance_lock.read_lock(lock.path)["heartbeat"] > before
    lock.release()


@pytest.mark.sqlite_only
def test_login_on_a_read_only_database(org, accounts, db_path):
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    close_database()
    open_database(db_path, readonly=True)
    with pytest.raises(accounts.LoginError):
        accounts.login("clerk", "wrong")
    accounts.login("clerk", org["pw"])
    profile = cadres.get_profile(org["a"].id)
    with pytest.raises(PermissionDenied, match="只读"):
        cadres.save_profile(profile)
    accounts.logout()


def test_print_and_export_need_a_reason(db):
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.security import audit

    with pytest.raises(ValidationError, match="导出事由"):
        audit.record_output(audit.EXPORT, "干部", None, "导出花名册 30 人", "  ")
    audit.record_output(audit.EXPORT, "干部", None, "导出花名册 30 人", "上报市委")
    assert audit.entries(limit=1)[0].reason == "上报市委"


def test_appraisal_sheets_keep_to_the_operators_units(org, accounts):
    """A clerk limited to 市财政局 can neither put a 市税务局 cadre on a sheet nor read or score a sheet
    that holds one (made by the admin of another department)."""
    from cadre_desk.access import context
    from cadre_desk.appraisal import appraisals, grading, schemes, sheet_scores
    from cadre_desk.domain.errors import PermissionDenied

    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    context.set_operator(None)  # as the department that made the sheet before accounts existed
    mixed = appraisals.create_sheet("2025年度考核", "2025", scheme.id, [org["a"].id, org["b"].id])
    context.set_operator(accounts.operator_for(org["users"]["clerk"]))
    with pytest.raises(PermissionDenied, match="单位范围"):
        appraisals.create_sheet("跨单位", "2025", scheme.id, [org["a"].id, org["b"].id])
    own = appraisals.create_sheet("财政局", "2025", scheme.id, [org["a"].id])
    with pytest.raises(PermissionDenied, match="单位范围"):
        appraisals.add_members(own.id, [org["b"].id])
    shown = appraisals.load_sheet(mixed.id)  # the clerk's own cadre only; the other is counted, not shown
    assert [m.cadre_id for m in shown.members] == [org["a"].id] and shown.sheet.hidden == 1
    assert not shown.sheet.whole and "不在您负责的单位范围内" in grading.finalize_problems(shown)[0]
    assert [r.cadre_id for r in grading.ranking(mixed.id)] == [org["a"].id]
    with pytest.raises(PermissionDenied, match="单位范围"):
        grading.finalize(mixed.id)  # the sheet as a whole is not theirs
    with pytest.raises(PermissionDenied, match="单位范围"):
        appraisals.delete_sheet(mixed.id)
    data = appraisals.load_sheet(own.id)
    change = sheet_scores.ScoreChange(org["b"].id, data.scheme.raters[0].id, data.scheme.dimensions[0].id, 90)
    with pytest.raises(PermissionDenied, match="单位范围"):
        sheet_scores.set_scores(mixed.id, [change])
    with pytest.raises(PermissionDenied, match="单位范围"):
        sheet_scores.set_comment(mixed.id, org["b"].id, "越权评语")


def test_postings_and_pairs_lists_keep_to_the_operators_units(org, accounts):
    """The 一线锻炼 and 导师帮带 pages and their exports list only cadres of the operator's units, and
    nothing for the 系统管理员 (三员分立)."""
    import datetime as dt

    from cadre_desk.access import context
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.mentoring import mentoring, pair_changes
    from cadre_desk.postings import frontline_posts, posting_data, postings
    from cadre_desk.profiles import cadres

    context.set_operator(None)
    line = next(x for x in frontline_posts.list_lines() if x.name == "乡村振兴")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="驻村岗", host_type="驻村工作队",
                                                 host_name="柳林乡", capacity=5))
    today = clock.today()
    start = today.strftime("%Y%m%d")
    for cadre in (org["a"], org["b"]):
        postings.create_posting(cadre.id, post.id, "组织选派", start)
    tax_mentor = cadres.save_profile(make_profile(org["tax"].id, name="税务导师", birth="197001")).profile
    end = (today + dt.timedelta(days=300)).strftime("%Y%m%d")
    pair_changes.create_pair(mentoring.PairDraft(mentor_id=tax_mentor.id, mentee_id=org["b"].id, focus="税务",
                                                 goals="独立办税", start=start, planned_end=end))
    assert len(postings.visible_postings()) == 2 and len(mentoring.visible_pairs()) == 1

    context.set_operator(accounts.operator_for(org["users"]["reader"]))  # limited to 市财政局
    assert [p.cadre_name for p in postings.visible_postings()] == ["王财政"]
    assert mentoring.visible_pairs() == []
    context.set_operator(accounts.operator_for(org["admin"]))
    with pytest.raises(PermissionDenied):
        postings.visible_postings()
    with pytest.raises(PermissionDenied):
        mentoring.visible_pairs()


def test_chain_check_reports_progress_and_can_be_cancelled(db):
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import Progress
    from cadre_desk.security import audit

    for i in range(3):
        audit.record(audit.SYSTEM, summary=f"第 {i} 条")
    heard = []
    assert audit.verify_chain(Progress(lambda d, t, s: heard.append((d, t)))) is None
    assert heard == [(0, 3)]
    progress = Progress()
    progress.token.cancel()
    with pytest.raises(Cancelled):
        audit.verify_chain(progress)


def test_cadre_finder_keeps_to_the_operators_units(org, accounts):
    from cadre_desk.access import context
    from cadre_desk.appraisal import records

    context.set_operator(accounts.operator_for(org["admin"]))
    assert records.find_cadres() == []  # 三员分立: the administrator sees no cadre
    context.set_operator(None)
    assert {b.name for b in records.find_cadres()} >= {"王财政", "李税务"}
    context.set_operator(accounts.operator_for(org["users"]["reader"]))  # limited to 市财政局
    assert [b.name for b in records.find_cadres()] == ["王财政"]
    assert records.find_cadres("李") == []


def test_behaviour_lists_keep_to_the_operators_units(org, accounts):
    from cadre_desk.access import context
    from cadre_desk.appraisal import records
    from cadre_desk.domain.errors import PermissionDenied

    context.set_operator(None)
    item = next(i for i in records.list_behaviour_items() if i.polarity == "正面")
    for cadre in (org["a"], org["b"]):
        records.save_behaviour_entry(records.BehaviourEntryInfo(None, cadre.id, "正面", item.name, "20180301",
                                                                "领导批示", "表现突出", item_id=item.id))
    assert len(records.list_behaviour_entries()) == 2 and records.behaviour_totals() == (2, 0)
    context.set_operator(accounts.operator_for(org["users"]["reader"]))  # limited to 市财政局
    assert [e.cadre_id for e in records.list_behaviour_entries()] == [org["a"].id]
    assert records.behaviour_totals() == (1, 0)
    context.set_operator(accounts.operator_for(org["admin"]))
    with pytest.raises(PermissionDenied):
        records.list_behaviour_entries()


def test_post_matching_offers_only_cadres_of_the_operators_units(org, accounts):
    from cadre_desk.access import context
    from cadre_desk.postings import frontline_posts, post_matching, posting_data

    context.set_operator(None)
    line = next(x for x in frontline_posts.list_lines() if x.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="招商小分队", host_type="招商小分队",
                                                 host_name="市商务局", capacity=5))
    assert {c.name for c in post_matching.match_candidates(post.id, limit=0)} >= {"王财政", "李税务"}
    context.set_operator(accounts.operator_for(org["users"]["reader"]))  # limited to 市财政局
    assert [c.name for c in post_matching.match_candidates(post.id, limit=0)] == ["王财政"]


def test_the_administrator_at_work_cannot_disable_or_demote_the_own_account(org, accounts):
    """With a second administrator, admin unticked 启用 on the own account (or made it 查阅人): it was
    saved, and the session went on as an administrator of an account that no longer was one."""
    import dataclasses

    from cadre_desk.access import context
    from cadre_desk.domain.errors import ValidationError

    admin = org["admin"]
    second = accounts.create_user(accounts.UserInfo(None, "admin2", "管理员乙", (accounts.ROLE_ADMIN,)), org["pw"])
    for change in ({"active": False}, {"roles": (accounts.ROLE_READER,)}):
        with pytest.raises(ValidationError, match="另一名系统管理员"):
            accounts.update_user(dataclasses.replace(accounts.get_user(admin.id), **change))
        assert accounts.get_user(admin.id).active and accounts.get_user(admin.id).roles == (accounts.ROLE_ADMIN,)
    assert not accounts.is_last_admin(admin.id)
    context.set_operator(accounts.operator_for(second))  # the other administrator may
    accounts.update_user(dataclasses.replace(accounts.get_user(admin.id), active=False))
    assert not accounts.get_user(admin.id).active and accounts.is_last_admin(second.id)
    with pytest.raises(ValidationError, match="请由另一名系统管理员操作"):  # nor the last one the own
        accounts.update_user(dataclasses.replace(accounts.get_user(second.id), roles=(accounts.ROLE_READER,)))


def test_the_session_holds_only_while_its_account_is_there_as_it_logged_in(db):
    from cadre_desk.access import context
    from cadre_desk.security import accounts
    from cadre_desk.store.security_models import User

    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    assert accounts.session_holds()
    User.update(username="someone").where(User.id == admin.id).execute()  # another database's user 1
    assert not accounts.session_holds()
    User.delete().where(User.id == admin.id).execute()
    assert not accounts.session_holds()
    context.set_operator(None)
