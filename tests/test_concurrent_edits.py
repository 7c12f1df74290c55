"""Two clerks (or administrators) on one shared database edit the same record: the later save of a copy read
before the other's save is refused — a ConflictError that names who saved in between and when, from the
audit log — unless the user, told, chose to overwrite; nothing is replaced without a word."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest


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
    assert refused.value.changed_by == "李管理（li）" and refused.value.changed_at.startswith("2026.06.15")
    assert "李管理（li）" in str(refused.value) and f"考核方案“{scheme.name}”" in str(refused.value)
    assert schemes.get_scheme(scheme.id).description == "李的说明"  # the other's change stands


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
