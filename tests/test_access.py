"""The one scoped read path (cadre_desk/access): roles, unit scope and 回避 worked out once per
operator; batch checks; every read of cadres limited to the scope; refusals in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import acting_as, make_profile


@pytest.fixture
def org(db):
    """Two unit subtrees: 市财政局 (with 国库科 below) and 市税务局, a few cadres in each."""
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", root.id)
    treasury = units.create_unit("国库科", finance.id)
    tax = units.create_unit("市税务局", root.id)
    people = {}
    for name, unit, birth in (("王财政", finance, "198510"), ("周国库", treasury, "199003"),
                              ("李税务", tax, "198201"), ("赵税务", tax, "197907")):
        people[name] = cadres.save_profile(make_profile(unit.id, name=name, birth=birth)).profile.id
    return {"root": root, "finance": finance, "treasury": treasury, "tax": tax, "people": people}


def test_scope_of_a_clerk_is_their_subtree(org):
    from cadre_desk.access import permissions, scope
    from cadre_desk.access.roles import ROLE_CLERK

    with acting_as(ROLE_CLERK, units=(org["finance"].id,)):
        current = scope.current()
        assert current.units == {org["finance"].id, org["treasury"].id}
        assert current.permits(permissions.EDIT) and not current.permits(permissions.ADMIN)
        people = org["people"]
        assert current.refusal(permissions.READ, cadre_id=people["周国库"]) is None
        assert current.refusal(permissions.READ, cadre_id=people["李税务"]) == "该干部不在您负责的单位范围内。"
        assert current.refusal(permissions.EDIT, unit_id=org["tax"].id) == "该单位不在您负责的单位范围内。"
        assert scope.current() is current  # worked out once


def test_batch_refusals_take_one_query_per_500(org, monkeypatch):
    from cadre_desk.access import permissions, scope
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.domain.errors import PermissionDenied

    people = org["people"]
    with acting_as(ROLE_CLERK, units=(org["finance"].id,)):
        current = scope.current()
        calls = []
        real = scope.units_of
        monkeypatch.setattr(scope, "units_of", lambda ids: calls.append(1) or real(ids))
        refused = current.refusals(permissions.EDIT, list(people.values()) * 300)
        assert set(refused) == {people["李税务"], people["赵税务"]} and len(calls) == 1
        with pytest.raises(PermissionDenied, match="李税务、赵税务：该干部不在您负责的单位范围内"):
            current.require_each(permissions.EDIT, people.values())
        assert current.allowed_ids(permissions.EDIT, people.values()) == [people["王财政"], people["周国库"]]


def test_avoidance_for_many_cadres_in_a_few_queries(org):
    """本人, a relative listed in the operator's family, and one whose family lists the operator."""
    from cadre_desk.access import permissions, scope
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadres import FamilyItem

    people = org["people"]
    me = cadres.get_profile(people["王财政"])
    me.family = [FamilyItem("10", "周国库", "19900315", "01", "国库科")]  # 配偶, matched by 姓名 + 出生年月
    cadres.save_profile(me)
    child = make_profile(org["finance"].id, name="王小财", birth="201001", id_number="")
    child.family = [FamilyItem("51", "王财政", "19851001", "01", "市财政局")]
    child_id = cadres.save_profile(child).profile.id
    with acting_as(ROLE_CLERK, units=(org["finance"].id,), cadre_id=people["王财政"]):
        current = scope.current()
        assert current.avoided == {people["王财政"]: "本人", people["周国库"]: "亲属", child_id: "亲属"}
        assert current.refusal(permissions.PRINT, cadre_id=child_id) == "按回避规定，不能打印亲属的干部档案。"
        assert current.refusal(permissions.READ, cadre_id=child_id) is None  # reading is allowed
        from cadre_desk.access import reads

        assert child_id not in reads.cadre_ids(action=permissions.PRINT)
        assert child_id in reads.cadre_ids(action=permissions.READ)


def test_reads_stay_inside_the_scope(org):
    from cadre_desk.access import permissions, reads
    from cadre_desk.access.roles import ROLE_ADMIN, ROLE_CLERK
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.profiles import cadres

    people = org["people"]
    with acting_as(ROLE_CLERK, units=(org["finance"].id,)):
        assert {b.name for b in reads.find_cadres()} == {"王财政", "周国库"}
        assert reads.find_cadres("税") == []
        assert set(reads.cadre_briefs(people.values())) == {people["王财政"], people["周国库"]}
        assert reads.count_cadres() == 2
        assert [r[1] for r in reads.cadre_rows(["name"])] == ["王财政", "周国库"]
        with pytest.raises(PermissionDenied):
            list(reads.cadre_rows(["name"], [people["李税务"]], action=permissions.EXPORT))
        assert {r[0] for r in cadres.list_rows()} == {people["王财政"], people["周国库"]}
    with acting_as(ROLE_ADMIN):  # 三员分立: lists are empty, exports refused
        assert reads.find_cadres() == [] and cadres.list_rows() == []
        with pytest.raises(PermissionDenied, match="三员分立"):
            reads.cadre_ids(action=permissions.EXPORT)


def test_units_changed_only_inside_the_scope(org):
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.units import units

    with acting_as(ROLE_CLERK, units=(org["finance"].id,)):
        new = units.create_unit("预算科", org["finance"].id)
        from cadre_desk.access import scope

        assert new.id in scope.current().units  # a new unit below theirs is theirs at once
        with pytest.raises(PermissionDenied, match="不在您负责的单位范围内"):
            units.create_unit("征管科", org["tax"].id)
        with pytest.raises(PermissionDenied, match="顶级单位"):
            units.create_unit("新机关")
        with pytest.raises(PermissionDenied):
            units.move_unit(new.id, org["tax"].id, new.version)


def test_not_logged_in_sees_nothing(org):
    from cadre_desk.access import context, permissions, reads, scope

    scope.require_login(True)
    try:
        context.set_operator(context.Operator(username="nobody"))
        assert permissions.check(permissions.READ) == "请先登录。"
        assert reads.find_cadres() == []
    finally:
        scope.require_login(False)


def test_a_saved_profile_updates_avoidance_without_working_the_scope_out_again(org, monkeypatch):
    """The operator's own file and a relative are known at once after a save; only the saved cadre is
    looked at (the scope is not built again)."""
    from cadre_desk.access import permissions, scope
    from cadre_desk.access.roles import ROLE_CLERK
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadres import FamilyItem

    people = org["people"]
    with acting_as(ROLE_CLERK, units=(org["finance"].id,), cadre_id=people["王财政"]):
        assert scope.current().avoided == {people["王财政"]: "本人"}
        builds = []
        real = scope.build
        monkeypatch.setattr(scope, "build", lambda op: (op.cadre_id and builds.append(op)) or real(op))
        child = make_profile(org["treasury"].id, name="王小库", birth="201203")
        child.family = [FamilyItem("51", "王财政", "19851001", "01", "市财政局")]
        from tests.conftest import acting_as as _as  # the data is entered by someone else

        with _as():
            child_id = cadres.save_profile(child).profile.id
        assert scope.current().avoided[child_id] == "亲属" and builds == []
        assert "回避" in permissions.check(permissions.EDIT, cadre_id=child_id)
        with _as():
            cadres.delete_cadre(child_id)
        assert child_id not in scope.current().avoided and builds == []
