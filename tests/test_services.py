"""Services: profiles (optimistic lock, audit, duplicate ID), units tree, the in-memory cadre list."""

from __future__ import annotations

import datetime as _dt
import json

import pytest
from conftest import make_profile

from cadre_desk.domain.citizen_id import check_char
from cadre_desk.domain.errors import ConflictError, ValidationError
from cadre_desk.domain.text import keep_together
from cadre_desk.profiles import cadres
from cadre_desk.profiles.cadre_list import COL, ID, INITIALS, CadreFilter, CadreIndex
from cadre_desk.security import audit
from cadre_desk.store.models import AuditLog, Cadre
from cadre_desk.units import units


def citizen_id(birth: str, male: bool = True, seq: int = 1, region: str = "110105") -> str:
    """A valid 18-character number for a YYYYMMDD birth date."""
    serial = seq * 10 + (1 if male else 2)
    body = f"{region}{birth}{serial:03d}"
    return body + check_char(body)


def _audit_rows(action: str | None = None) -> list[AuditLog]:
    query = AuditLog.select().order_by(AuditLog.id)
    if action:
        query = query.where(AuditLog.action == action)
    return list(query)


# ---- profiles -----------------------------------------------------------------------------------


def test_create_update_delete_are_audited_with_old_and_new_values(unit):
    profile = make_profile(unit.id, id_number=citizen_id("19851012"), position="市财政局科员")
    saved = cadres.save_profile(profile).profile
    created = _audit_rows(audit.CREATE)[-1]
    assert (created.entity, created.entity_id, created.user) == ("干部", saved.id, "tester")
    changes = json.loads(created.changes)
    assert changes["name"] == [None, "张三"]
    assert changes["position"] == [None, "市财政局科员"]

    saved.values["position"] = "市财政局副科长"
    saved.values["phone"] = "13800000000"
    updated = cadres.save_profile(saved).profile
    assert updated.version == saved.version + 1
    row = _audit_rows(audit.UPDATE)[-1]
    changes = json.loads(row.changes)
    assert changes == {"phone": ["", "13800000000"], "position": ["市财政局科员", "市财政局副科长"]}

    cadres.delete_cadre(updated.id, updated.version)
    row = _audit_rows(audit.DELETE)[-1]
    assert row.entity_id == updated.id and "张三" in row.summary
    assert json.loads(row.changes)["position"] == ["市财政局副科长", None]
    assert Cadre.select().count() == 0
    assert audit.verify_chain() is None


def test_subrecord_changes_are_audited(unit):
    profile = make_profile(unit.id)
    profile.resume = [cadres.ResumeItem("200309", "200707", "武汉大学经济学专业学习"),
                      cadres.ResumeItem("200707", "", "市财政局科员")]
    saved = cadres.save_profile(profile).profile
    assert [r.start for r in saved.resume] == ["200309", "200707"]
    saved.trainings = [cadres.TrainingItem("中青年干部培训班", "市委党校", "20200301", "20200330", 120)]
    cadres.save_profile(saved)
    changes = json.loads(_audit_rows(audit.UPDATE)[-1].changes)
    assert list(changes) == ["培训"]


def test_saved_profile_is_what_get_profile_reads(unit):
    profile = make_profile(unit.id, id_number=citizen_id("19851012"))
    profile.resume = [cadres.ResumeItem("200707", "", "市财政局科员"),
                      cadres.ResumeItem("200309", "200707", "武汉大学经济学专业学习")]
    profile.family = [cadres.FamilyItem("10", "张大山", "195801", "01", "退休")]
    profile.rewards = [cadres.RewardItem("201912", "1", "被评为优秀公务员", "市委")]
    profile.trainings = [cadres.TrainingItem("中青年干部培训班", "市委党校", "20200301", "20200330", 120)]
    profile.assessments = [cadres.AssessmentItem(2021, "2"), cadres.AssessmentItem(2023, "1")]
    profile.photo = b"\xff\xd8jpeg"
    saved = cadres.save_profile(profile).profile
    assert saved == cadres.get_profile(saved.id)
    assert [a.year for a in saved.assessments] == [2023, 2021]
    saved.family[0].work = "已去世"
    saved.photo = None  # None keeps the stored photo
    again = cadres.save_profile(saved).profile
    assert again == cadres.get_profile(saved.id)
    assert again.photo == b"\xff\xd8jpeg" and len(again.resume) == 2 and len(again.trainings) == 1
    assert list(json.loads(_audit_rows(audit.UPDATE)[-1].changes)) == ["家庭成员"]
    again.photo = b""  # empty bytes remove it
    last = cadres.save_profile(again).profile
    assert last == cadres.get_profile(saved.id)
    assert last.photo is None


def test_unchanged_save_writes_no_field_changes(unit):
    saved = cadres.save_profile(make_profile(unit.id)).profile
    again = cadres.save_profile(saved).profile
    assert again.version == saved.version + 1
    assert _audit_rows(audit.UPDATE)[-1].changes == ""


def test_stale_copy_is_a_conflict_and_overwrites_nothing(unit):
    saved = cadres.save_profile(make_profile(unit.id, position="科员")).profile
    first = cadres.get_profile(saved.id)
    second = cadres.get_profile(saved.id)
    first.values["position"] = "副科长"
    cadres.save_profile(first)
    audit_count = AuditLog.select().count()
    second.values["position"] = "科长"
    second.values["phone"] = "13900000000"
    with pytest.raises(ConflictError, match=f"已被 {keep_together('tester')} 于 .* 修改并保存"):
        cadres.save_profile(second)
    stored = cadres.get_profile(saved.id)
    assert stored.values["position"] == "副科长"
    assert stored.values["phone"] == ""
    assert stored.version == saved.version + 1
    assert AuditLog.select().count() == audit_count


def test_delete_with_stale_version_is_a_conflict(unit):
    saved = cadres.save_profile(make_profile(unit.id)).profile
    fresh = cadres.get_profile(saved.id)
    fresh.values["phone"] = "13900000000"
    cadres.save_profile(fresh)
    with pytest.raises(ConflictError):
        cadres.delete_cadre(saved.id, saved.version)
    assert Cadre.select().count() == 1


def test_duplicate_citizen_id_refused(unit):
    number = citizen_id("19851012")
    cadres.save_profile(make_profile(unit.id, id_number=number))
    other = make_profile(unit.id, name="李四", id_number=number.lower())
    with pytest.raises(ValidationError) as info:
        cadres.save_profile(other)
    assert "重复" in info.value.errors["id_number"]
    assert "张三" in info.value.errors["id_number"]
    assert Cadre.select().count() == 1


def test_citizen_id_must_agree_with_birth_and_gender(unit):
    with pytest.raises(ValidationError) as info:
        cadres.save_profile(make_profile(unit.id, id_number=citizen_id("19851012", male=False)))
    assert "id_number" in info.value.errors or "gender" in info.value.errors
    assert Cadre.select().count() == 0


def test_invalid_profile_saves_nothing(unit):
    profile = make_profile(unit.id, birth="1985.13", ethnicity="汉")
    with pytest.raises(ValidationError) as info:
        cadres.save_profile(profile)
    assert {"birth", "ethnicity"} <= set(info.value.errors)
    assert "汉族" in info.value.errors["ethnicity"]
    assert profile.values["birth"] == "1985.13"  # what the user typed is kept
    assert Cadre.select().count() == 0
    assert AuditLog.select().count() == 2  # the two units only


# ---- units --------------------------------------------------------------------------------------


def test_units_tree_operations(db):
    city = units.create_unit("市直机关")
    county = units.create_unit("临江县")
    finance = units.create_unit("市财政局", city.id)
    office = units.create_unit("办公室", finance.id)
    assert finance.path == f"/{city.id}/{finance.id}/"
    assert office.path == f"/{city.id}/{finance.id}/{office.id}/"
    assert [u.name for u in units.list_units()] == ["市直机关", "市财政局", "办公室", "临江县"]

    with pytest.raises(ValidationError):
        units.create_unit("市财政局", city.id)  # same name under one parent
    renamed = units.rename_unit(finance.id, "市财政局（国资委）", finance.version)
    assert renamed.name == "市财政局（国资委）"
    with pytest.raises(ConflictError):
        units.rename_unit(finance.id, "别的名字", finance.version)

    with pytest.raises(ValidationError, match="下级"):
        units.move_unit(finance.id, office.id, renamed.version)
    with pytest.raises(ValidationError, match="下级"):
        units.move_unit(finance.id, finance.id, renamed.version)
    moved = units.move_unit(finance.id, county.id, renamed.version)
    assert moved.path == f"/{county.id}/{finance.id}/"
    assert units.get_unit(office.id).path == f"/{county.id}/{finance.id}/{office.id}/"
    assert units.subtree_ids(county.id) == {county.id, finance.id, office.id}
    assert units.path_names()[office.id] == "临江县/市财政局（国资委）/办公室"

    with pytest.raises(ValidationError, match="下级单位"):
        units.delete_unit(finance.id)
    cadres.save_profile(make_profile(office.id))
    with pytest.raises(ValidationError, match="1 名干部"):
        units.delete_unit(office.id)
    units.delete_unit(city.id)
    assert [u.name for u in units.list_units()] == ["临江县", "市财政局（国资委）", "办公室"]

    from cadre_desk.security.check import run_checks

    assert run_checks() == []
    actions = [(r.action, r.entity) for r in _audit_rows() if r.entity == "单位"]
    assert actions.count((audit.CREATE, "单位")) == 4
    assert actions.count((audit.UPDATE, "单位")) == 2
    assert actions.count((audit.DELETE, "单位")) == 1


# ---- the in-memory list -------------------------------------------------------------------------

TODAY = _dt.date(2026, 6, 15)


@pytest.fixture
def people(db):
    """Five cadres in a small tree, with known values for every filter."""
    city = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", city.id)
    office = units.create_unit("办公室", finance.id)
    county = units.create_unit("临江县")
    specs = [
        ("张三", "1", "19851012", finance.id, "科长", "0141", "21", "", "01,03", "1"),
        ("赵犇", "1", "19700305", office.id, "主任", "0131", "11", "", "02", "1"),
        ("李四", "1", "19920601", county.id, "副镇长", "0142", "31", "21", "03", "1"),
        ("王芳", "2", "19600101", county.id, "四级调研员", "0224", "21", "", "", "3"),
        ("张珊", "2", "19990815", city.id, "科员", "0241", "21", "", "03,04", "1"),
    ]
    ids = {}
    for seq, (name, gender, birth, unit_id, position, rank, edu, pt_edu, cats, status) in enumerate(specs):
        profile = make_profile(unit_id, name=name, gender=gender, birth=birth[:6],
                               id_number=citizen_id(birth, gender == "1", seq + 1), position=position,
                               rank=rank, ft_education=edu, pt_education=pt_edu, categories=cats,
                               status=status)
        ids[name] = cadres.save_profile(profile).profile.id
    return {"ids": ids, "city": city, "finance": finance, "office": office, "county": county}


def _names(rows) -> list[str]:
    return sorted(r[COL["name"]] for r in rows)


def test_index_text_search(people):
    index = CadreIndex.load()
    assert len(index) == 5

    def find(text):
        return _names(index.filter(CadreFilter(text=text), TODAY))

    assert find("张") == ["张三", "张珊"]
    assert find("zs") == ["张三", "张珊"]  # pinyin initials
    assert find("ZS") == ["张三", "张珊"]
    assert find("zb") == ["赵犇"]
    assert find("110105197003") == ["赵犇"]  # ID prefix
    # a unit is searched by its path name, so a parent unit finds its subtree too
    assert find("市财政") == ["张三", "赵犇"]
    assert find("办公室") == ["赵犇"]
    assert find("副镇长") == ["李四"]  # position
    assert find("张 三") == ["张三"]  # spaces ignored
    assert find("不存在的人") == []
    assert find("") == _names(index.filter(CadreFilter(), TODAY))


def test_index_filters(people):
    index = CadreIndex.load()

    def find(**kw):
        return _names(index.filter(CadreFilter(**kw), TODAY))

    assert find(unit_id=people["finance"].id) == ["张三", "赵犇"]  # with its subtree
    assert find(unit_id=people["city"].id) == ["张三", "张珊", "赵犇"]
    assert find(unit_id=people["office"].id) == ["赵犇"]
    assert find(category="03") == ["张三", "张珊", "李四"]
    assert find(category="04") == ["张珊"]
    assert find(rank="0141") == ["张三"]
    assert find(status="3") == ["王芳"]
    assert find(status="1", category="03", unit_id=people["city"].id) == ["张三", "张珊"]
    assert find(education="11") == ["赵犇"]
    assert find(education="2") == ["张三", "张珊", "李四", "王芳"]  # 大学本科 (21) by its group, or in-service
    assert find(education="3") == ["李四"]
    # ages on 2026-06-15: 张三 40, 赵犇 56, 李四 34, 王芳 66, 张珊 26
    assert find(age_min=35) == ["张三", "王芳", "赵犇"]
    assert find(age_max=34) == ["张珊", "李四"]
    assert find(age_min=34, age_max=40) == ["张三", "李四"]
    assert find(ids=frozenset({people["ids"]["李四"], 999})) == ["李四"]


def test_index_sort_and_display(people):
    index = CadreIndex.load()
    rows = index.filter(CadreFilter(), TODAY)
    by_birth = [r[COL["name"]] for r in index.sort(rows, "birth")]
    assert by_birth == ["王芳", "赵犇", "张三", "李四", "张珊"]
    assert [r[COL["name"]] for r in index.sort(rows, "birth", descending=True)] == by_birth[::-1]
    by_rank = [r[COL["name"]] for r in index.sort(rows, "rank")]
    assert by_rank == ["赵犇", "张三", "李四", "王芳", "张珊"]  # official code order
    by_unit = [r[COL["name"]] for r in index.sort(rows, "unit")]
    assert by_unit == ["张珊", "张三", "赵犇", "李四", "王芳"]  # unit tree order, parents first
    by_name = [r[COL["name"]] for r in index.sort(rows, "name")]
    assert by_name == ["李四", "王芳", "赵犇", "张三", "张珊"]  # by pinyin initials
    key = index.sort_key("name")
    assert [r[COL["name"]] for r in sorted(rows, key=key)] == by_name
    row = index.row(people["ids"]["张三"])
    assert index.display(row, "birth") == "1985.10"
    assert index.display(row, "gender") == "男"
    assert index.display(row, "unit") == "市直机关/市财政局"
    assert index.display(row, "categories") == "新提拔干部、优秀年轻干部"


def test_index_names_a_democratic_party_known_by_political_alone(people):
    """党派 of a 民建 member whose 入党时间 is empty (政治面貌 民建, a roster had no 入党时间): 民建, as
    the 任免表 writes it (fields.form_party); 入党时间 stays empty; sorted by 党派 with the members,
    also after a save refreshes the row."""
    from cadre_desk.domain.fields import PARTY_NAME

    ids = people["ids"]
    for name, party, political in (("张三", "", "06"), ("李四", "200108；民进", "07"), ("赵犇", "200108", "01")):
        profile = cadres.get_profile(ids[name])
        profile.values.update(party=party, political=political)
        cadres.save_profile(profile)
    index = CadreIndex.load()

    def shown(name):
        row = index.row(ids[name])
        return index.display(row, "party"), index.display(row, PARTY_NAME), index.displayer(PARTY_NAME)(row)

    assert shown("张三") == ("", "民建", "民建")
    assert shown("李四") == ("2001.08", "民进", "民进") and shown("赵犇") == ("2001.08", "", "")
    by_party = [r[COL["name"]] for r in index.sort(index.filter(CadreFilter(), TODAY), PARTY_NAME)]
    assert by_party[:2] == ["张三", "李四"]
    profile = cadres.get_profile(ids["王芳"])
    profile.values.update(party="", political="10")
    cadres.save_profile(profile)
    index.refresh(ids["王芳"])
    assert shown("王芳") == ("", "九三", "九三")
    assert cadres.get_profile(ids["张三"]).values["party"] == ""  # stored as it was


def test_index_follows_saves_and_deletes(people):
    index = CadreIndex.load()
    cadre_id = people["ids"]["李四"]
    profile = cadres.get_profile(cadre_id)
    profile.values["name"] = "李思远"
    cadres.save_profile(profile)
    assert _names(index.filter(CadreFilter(text="lsy"), TODAY)) == []  # stale until refreshed
    index.refresh(cadre_id)
    assert _names(index.filter(CadreFilter(text="lsy"), TODAY)) == ["李思远"]
    cadres.delete_cadre(cadre_id)
    index.refresh(cadre_id)
    assert index.row(cadre_id) is None
    assert len(index) == 4
    assert all(r[ID] != cadre_id for r in index.filter(CadreFilter(), TODAY))


def test_index_refreshes_many_at_once(people, monkeypatch):
    index = CadreIndex.load()
    first, second = people["ids"]["李四"], people["ids"]["王芳"]
    profile = cadres.get_profile(first)
    profile.values["name"] = "李思远"
    cadres.save_profile(profile)
    cadres.delete_cadre(second)
    reads = []
    real = cadres.list_rows
    monkeypatch.setattr(cadres, "list_rows", lambda ids=None: reads.append(ids) or real(ids))
    index.refresh_many([first, second, first])
    assert reads == [[first, second]]  # one read, not one per cadre
    assert _names(index.filter(CadreFilter(text="lsy"), TODAY)) == ["李思远"]
    assert index.row(second) is None and len(index) == 4


def test_index_changes_and_unit_renames(people):
    index = CadreIndex.load()
    profile = cadres.get_profile(people["ids"]["王芳"])
    profile.values.update(categories="03", status="1")
    cadres.save_profile(profile)
    index.refresh(profile.id)
    assert _names(index.filter(CadreFilter(category="03", status="1"), TODAY)) == ["张三", "张珊", "李四", "王芳"]
    assert _names(index.filter(CadreFilter(text="wf", category="03"), TODAY)) == ["王芳"]
    rows = index.filter(CadreFilter(category="03"), TODAY)
    assert [r[ID] for r in rows] == sorted(r[ID] for r in rows)
    index.sort(index.filter(CadreFilter(), TODAY), "name")  # the name order is known before the insert
    created = cadres.save_profile(make_profile(people["county"].id, name="钱多多", categories="03")).profile
    index.refresh(created.id)
    assert "钱多多" in _names(index.filter(CadreFilter(text="qdd"), TODAY))
    by_name = [r[COL["name"]] for r in index.sort(index.filter(CadreFilter(), TODAY), "name")]
    assert by_name == ["李四", "钱多多", "王芳", "赵犇", "张三", "张珊"]

    units.rename_unit(people["county"].id, "临江新区", people["county"].version)
    index.set_units(units.list_units())
    assert _names(index.filter(CadreFilter(text="临江新区"), TODAY)) == ["李四", "王芳", "钱多多"]
    assert _names(index.filter(CadreFilter(text="临江县"), TODAY)) == []


def test_index_fast_filter_agrees_with_row_predicates(demo_db):
    import random

    index = CadreIndex.load()
    everything = index.filter(CadreFilter(), TODAY)
    rng = random.Random(3)
    # change a few rows so that both the snapshot and the overlay are exercised
    for row in rng.sample(everything, 5):
        profile = cadres.get_profile(row[ID])
        profile.values["categories"] = "02"
        cadres.save_profile(profile)
        index.refresh(row[ID])
    index.remove(everything[0][ID])
    everything = index.filter(CadreFilter(), TODAY)
    unit_ids = list(index.units)
    for _ in range(300):
        sample = rng.choice(everything)
        flt = CadreFilter(
            text=rng.choice(["", "", sample[COL["name"]][:1], sample[INITIALS][:2], sample[COL["id_number"]][:8],
                             "科长", "局"]),
            unit_id=rng.choice([None, None, rng.choice(unit_ids)]),
            category=rng.choice(["", "", "01", "02", "03"]),
            rank=rng.choice(["", "", "", sample[COL["rank"]]]),
            education=rng.choice(["", "", "1", "2", "21"]),
            status=rng.choice(["", "", "1", "3"]),
            age_min=rng.choice([None, None, 30, 40]),
            age_max=rng.choice([None, None, 35, 50]),
        )
        tests = index._row_tests(flt, TODAY)
        expected = [r for r in everything if all(t(r) for t in tests)]
        found = index.filter(flt, TODAY)
        assert found == expected, flt
        key = rng.choice(["name", "birth", "age", "unit", "rank", "ethnicity", "position", "categories"])
        descending = rng.random() < 0.5
        value_key = index._value_key(key)
        col = COL["birth" if key == "age" else key]
        reference = sorted(found, key=lambda r: value_key(r[col]), reverse=descending)
        assert index.sort(found, key, descending) == reference, (key, descending)
        assert index.filter(flt, TODAY, order=(key, descending)) == reference, (flt, key, descending)


def test_index_loaded_for_a_sort_has_its_order_ready(demo_db):
    plain = CadreIndex.load()
    assert plain._snapshot()._orders == {}
    index = CadreIndex.load(("age", True))
    assert list(index._snapshot()._orders) == [("age", True)]
    flt = CadreFilter(status="1")
    assert index.filter(flt, TODAY, order=("age", True)) == plain.sort(plain.filter(flt, TODAY), "age", True)
    assert CadreIndex.load(("no such column", False))._snapshot()._orders == {}  # a stale setting: ignored


def test_index_filter_in_a_sort_order_agrees_with_sort(demo_db):
    """filter(order=…) picks the rows in order from the snapshot (few rows sorted by their place, many
    picked from every row in order): the same rows in the same order as sort(filter()), before and
    after rows change (the overlay) and after the order of a column changes (a new name)."""
    import random

    index = CadreIndex.load()
    rng = random.Random(11)
    flts = [CadreFilter(status="1"), CadreFilter(text="局"), CadreFilter(text="z"), CadreFilter(category="03"),
            CadreFilter(text="不存在的人"), CadreFilter(text=" "), CadreFilter()]
    for row in rng.sample(index.filter(CadreFilter(), TODAY), 8):
        flts += [CadreFilter(text=row[COL["name"]][:1]), CadreFilter(unit_id=row[COL["unit"]], status="1")]
    sizes = {len(index.filter(flt, TODAY)) for flt in flts}
    assert any(1 < size and size * 8 < len(index) for size in sizes)  # a few rows: sorted by place
    assert any(size * 8 >= len(index) for size in sizes)  # many: picked from every row in order
    keys = ["name", "birth", "unit", "rank", "categories", "age"]

    def agree() -> None:
        for flt in flts:
            for key in keys:
                for descending in (False, True):
                    expected = index.sort(index.filter(flt, TODAY), key, descending)
                    assert index.filter(flt, TODAY, order=(key, descending)) == expected, (flt, key, descending)

    agree()
    at_work = CadreFilter(status="1", category="03")  # two conditions, kept together: many rows
    expected = index.sort(index.filter(at_work, TODAY), "name", True)
    given = index.filter(at_work, TODAY, order=("name", True))
    assert given == expected and len(given) * 8 >= len(index)
    given.clear()  # what a caller does with its list is not what the next caller gets
    assert index.filter(at_work, TODAY, order=("name", True)) == expected
    everything = index.filter(CadreFilter(), TODAY)
    for row in rng.sample(everything, 3):
        profile = cadres.get_profile(row[ID])
        profile.values["name"] = "阿" + profile.values["name"]  # a name the order has not seen
        cadres.save_profile(profile)
        index.refresh(row[ID])
    agree()  # rows changed since the snapshot: the overlay
    index.prepare()
    agree()  # a new snapshot over the changed rows and the changed order


def test_demo_database_is_consistent(demo_db):
    from cadre_desk.security.check import run_checks

    assert cadres.count() == 60
    assert run_checks() == []
    index = CadreIndex.load()
    assert len(index) == 60
    some = next(iter(index.filter(CadreFilter(), TODAY)))
    profile = cadres.get_profile(some[ID])
    assert profile.resume and profile.family
    cadres.save_profile(profile)  # a demo profile passes validation as it is
