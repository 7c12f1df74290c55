"""Units with a unique 全称, a 简称 and a kind; 职数 (核定 / 实配 / 空缺); the migration of existing
databases; believable demo units; statistics grouped by the unit itself, adding up to the total."""

from __future__ import annotations

import sqlite3
import types

import openpyxl
import pytest

from cadre_desk.domain.errors import ConflictError, ValidationError
from cadre_desk.store.migrations import v0001_foundation
from cadre_desk.units import staffing, units
from tests.conftest import make_profile


def _unit(db, name, parent=None, kind="", full_name=""):
    return units.create_unit(name, parent.id if parent else None, kind, full_name)


# ---- the migration -----------------------------------------------------------------------------


def _make_v1_with_units(path) -> None:
    """A database as schema 1 left it: two 区委办公室 under two districts, a 镇, a 事业单位."""
    conn = sqlite3.connect(path)
    v0001_foundation.upgrade(types.SimpleNamespace(execute_sql=conn.execute))
    rows = [(1, "东城区", None, "/1/", "党政机关"), (2, "区委办公室", 1, "/1/2/", "党政机关"),
            (3, "西城区", None, "/3/", "党政机关"), (4, "区委办公室", 3, "/3/4/", "党政机关"),
            (5, "青山镇", 1, "/1/5/", "乡镇街道"), (6, "市直机关", None, "/6/", "党政机关"),
            (7, "市财政局", 6, "/6/7/", ""), (8, "市第一人民医院", 6, "/6/8/", "事业单位")]
    for uid, name, parent, path_, kind in rows:
        conn.execute("INSERT INTO unit (id, version, created_at, updated_at, name, parent_id, path, sort_order,"
                     " short_name, kind) VALUES (?, 1, '', '', ?, ?, ?, ?, '', ?)", (uid, name, parent, path_, uid, kind))
    conn.execute("INSERT INTO setting (key, value) VALUES ('department_name', '\"中共临江市委组织部\"')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_migration_gives_existing_units_unique_full_names_and_kinds(db_path):
    from cadre_desk.settings import settings
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    _make_v1_with_units(db_path)
    open_database(db_path)
    try:
        got = {u.id: (u.name, u.full_name, u.kind) for u in units.list_units()}
        assert got[2] == ("区委办公室", "东城区区委办公室", "县区")
        assert got[4] == ("区委办公室", "西城区区委办公室", "县区")
        assert got[1] == ("东城区", "东城区", "县区")
        assert got[5] == ("青山镇", "青山镇", "乡镇街道")
        assert got[7] == ("市财政局", "市财政局", "市直")
        assert got[8][2] == "企事业"
        assert len({full for _n, full, _k in got.values()}) == len(got)
        assert settings.department().full_name == "中共临江市委组织部"
        assert settings.get("department_name") is None
        columns = {r[1] for r in sqlite3.connect(db_path).execute("PRAGMA table_info(unit)")}
        assert "full_name" in columns and "short_name" not in columns
    finally:
        close_database()


def test_unique_full_names_go_up_as_far_as_needed():
    from cadre_desk.store.migrations.v0006_units import unique_full_names

    tree = {1: ("甲县", None), 2: ("城关镇", 1), 3: ("乙县", None), 4: ("城关镇", 3), 5: ("党政办", 2),
            6: ("党政办", 4), 7: ("党政办", None)}
    names = unique_full_names(tree)
    assert names[5] == "甲县城关镇党政办" and names[6] == "乙县城关镇党政办" and names[7] == "党政办"
    assert len(set(names.values())) == len(names)


# ---- the service ------------------------------------------------------------------------------


def test_full_name_unique_short_name_unique_among_siblings(db):
    city = _unit(db, "市直机关", full_name="兴平市市直机关")
    office = _unit(db, "市委办", city, full_name="中共兴平市委办公室")
    assert (office.name, office.full_name, office.kind) == ("市委办", "中共兴平市委办公室", "市直")
    with pytest.raises(ValidationError) as err:
        _unit(db, "市委办公室", city, full_name="中共兴平市委办公室")
    assert "全称" in err.value.errors["full_name"]
    with pytest.raises(ValidationError) as err:
        _unit(db, "市委办", city, full_name="另一个全称")
    assert "简称" in err.value.errors["name"]
    with pytest.raises(ValidationError) as err:
        _unit(db, "某单位", city, kind="党政机关")
    assert "市直" in err.value.errors["kind"]


def test_without_a_full_name_one_is_suggested_from_the_parent(db):
    east = _unit(db, "东城区", kind="县区", full_name="兴平市东城区")
    west = _unit(db, "西城区", kind="县区", full_name="兴平市西城区")
    first = _unit(db, "区委办公室", east)
    second = _unit(db, "区委办公室", west)
    assert first.full_name == "区委办公室" and second.full_name == "兴平市西城区区委办公室"
    assert second.kind == "县区"  # the parent's


def test_update_unit_audits_and_checks_the_version(db):
    from cadre_desk.security import audit

    unit = _unit(db, "市财政局", full_name="兴平市财政局")
    changed = units.update_unit(unit.id, unit.version, full_name="兴平市财政局（国资委）", kind="市直")
    assert changed.full_name == "兴平市财政局（国资委）" and changed.version == unit.version + 1
    row = [e for e in audit.entries() if e.entity == "单位"][0]
    assert row.changes == {"单位全称": ["兴平市财政局", "兴平市财政局（国资委）"]}
    with pytest.raises(ConflictError):
        units.update_unit(unit.id, unit.version, name="财政局")


def test_find_by_full_name_path_or_unique_short_name(db):
    east = _unit(db, "东城区", kind="县区", full_name="兴平市东城区")
    west = _unit(db, "西城区", kind="县区", full_name="兴平市西城区")
    a = _unit(db, "区委办", east, full_name="中共兴平市东城区委办公室")
    _unit(db, "区委办", west, full_name="中共兴平市西城区委办公室")
    town = _unit(db, "青山镇", east, kind="乡镇街道", full_name="兴平市东城区青山镇")
    assert units.find_by_name("中共兴平市东城区委办公室").id == a.id
    assert units.find_by_name("东城区/区委办").id == a.id
    assert units.find_by_name("青山镇").id == town.id
    assert units.find_by_name("区委办") is None  # two share it: the file must say which


# ---- 职数 --------------------------------------------------------------------------------------


def test_staffing_counts_cadres_in_post_and_flags_over_staffing(unit):
    from cadre_desk.home import reminders
    from cadre_desk.profiles import cadres

    for rank, status in (("0131", "1"), ("0132", "1"), ("0132", "1"), ("0132", "3"), ("0231", "1")):
        cadres.save_profile(make_profile(unit.id, rank=rank, status=status))
    version = units.get_unit(unit.id).version
    version = staffing.set_approved(unit.id, {"0131": 1, "0132": 1, "0141": 3}, version)
    summary = staffing.unit_staffing(unit.id)
    lines = {line.rank_name: (line.approved, line.filled, line.vacant, line.over) for line in summary.lines}
    assert lines == {"县处级正职": (1, 1, 0, 0), "县处级副职": (1, 2, 0, 1), "乡科级正职": (3, 0, 3, 0),
                     "一级主任科员": (0, 1, 0, 1)}
    assert [line.rank for line in summary.lines] == ["0131", "0132", "0141", "0231"]  # the code table's order
    texts = [r.text for r in reminders.collect() if r.category == "职数"]
    assert any("市财政局 县处级副职超职数配备：核定 1 名，实配 2 名" in t for t in texts)
    with pytest.raises(ConflictError):
        staffing.set_approved(unit.id, {"0131": 2}, version - 1)
    with pytest.raises(ValidationError):
        staffing.set_approved(unit.id, {"0131": -1}, version)
    with pytest.raises(ValidationError):
        staffing.set_approved(unit.id, {"9999": 1}, version)


def test_deleting_a_unit_takes_its_staffing(db):
    from cadre_desk.store.models import UnitStaffing

    unit = _unit(db, "市财政局")
    staffing.set_approved(unit.id, {"0131": 1}, unit.version)
    units.delete_unit(unit.id)
    assert not UnitStaffing.select().exists()


# ---- demo ---------------------------------------------------------------------------------------


def test_demo_units_are_a_believable_city(demo_db):
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import age_at
    from cadre_desk.settings import settings
    from cadre_desk.store.models import Cadre, UnitStaffing
    from cadre_desk.units.units_demo import RANK_AGES

    tree = units.list_units()
    place = settings.department().place
    assert place and settings.department().full_name.endswith("组织部")
    assert len({u.full_name for u in tree}) == len(tree)
    assert {u.kind for u in tree} == set(units.KINDS)
    assert any(u.full_name == f"中共{place}委办公室" and u.name == "市委办" for u in tree)
    kinds = {u.id: u.kind for u in tree}
    full = {u.id: u.full_name for u in tree}
    assert sum(1 for u in tree if u.kind == "乡镇街道") >= 10
    today = clock.today()
    for cadre in Cadre.select():
        assert cadre.position.startswith(full[cadre.unit_id]), cadre.position  # 职务 names its unit
        if kinds[cadre.unit_id] == "乡镇街道":
            assert cadre.rank not in ("0131", "0132")  # no 县处级 post in a 乡镇
        low, high = RANK_AGES[cadre.rank]
        assert low - 1 <= age_at(cadre.birth, today) <= high + 1, (cadre.rank, cadre.birth)
    assert UnitStaffing.select().count() > 0
    assert staffing.over_staffed()  # the demo shows the flag


# ---- statistics ----------------------------------------------------------------------------------


def test_every_statistics_table_adds_up_to_the_total(demo_db, tmp_path):
    from cadre_desk.store.models import Cadre
    from reports.excel import excel_stats

    out = tmp_path / "stats.xlsx"
    excel_stats.export_stats(out)
    serving = Cadre.select().where(Cadre.status == "1").count()
    wb = openpyxl.load_workbook(out)
    assert wb["总览"]["B2"].value == serving
    checked = 0
    for ws in wb.worksheets:
        if ws.title in ("工作台", "总览", "职数", "职数汇总", "单位类别×职务层次"):  # 工作台: blocks of its own (test_home)
            continue
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        total = rows[-1]
        assert total[0] == "合计"
        assert sum(r[1] for r in rows[:-1]) == total[1] == serving, ws.title
        checked += 1
    assert checked >= 7
    unit_rows = [r[0] for r in wb["单位"].iter_rows(min_row=3, values_only=True)][:-1]
    with_cadres = {c.unit_id for c in Cadre.select(Cadre.unit).where(Cadre.status == "1")}
    tree = units.list_units()
    leaves = {u.id for u in tree} - {u.parent_id for u in tree}
    assert len(unit_rows) == len(with_cadres | leaves) == len(set(unit_rows))  # one row per unit, by 全称
    assert set(unit_rows) <= set(units.full_names().values())
    kinds = [r[0] for r in wb["单位类别"].iter_rows(min_row=3, values_only=True)][:-1]
    assert kinds[:3] == ["市直", "县区", "乡镇街道"]


def test_two_units_of_the_same_short_name_are_two_rows(db, tmp_path):
    from cadre_desk.profiles import cadres
    from reports.excel import excel_stats

    east = _unit(db, "东城区", kind="县区", full_name="兴平市东城区")
    west = _unit(db, "西城区", kind="县区", full_name="兴平市西城区")
    a = _unit(db, "区委办公室", east, full_name="中共兴平市东城区委办公室")
    b = _unit(db, "区委办公室", west, full_name="中共兴平市西城区委办公室")
    for unit_id, count in ((a.id, 2), (b.id, 3)):
        for _ in range(count):
            cadres.save_profile(make_profile(unit_id))
    data = excel_stats.collect()
    assert data["单位"] == [("中共兴平市东城区委办公室", 2), ("中共兴平市西城区委办公室", 3)]
    assert data["单位类别"] == [("县区", 5)]


def test_staffing_sheet_marks_over_staffing_red(unit, tmp_path):
    from cadre_desk.profiles import cadres
    from reports.excel import excel_stats

    for _ in range(2):
        cadres.save_profile(make_profile(unit.id, rank="0132"))
    staffing.set_approved(unit.id, {"0132": 1, "0131": 1}, units.get_unit(unit.id).version)
    out = tmp_path / "s.xlsx"
    excel_stats.export_stats(out)
    ws = openpyxl.load_workbook(out)["职数"]
    header = [c.value for c in ws[2]]
    assert header == list(excel_stats.STAFFING_HEADERS)
    rows = {r[2]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["县处级正职"][3:] == (1, 0, 1, 0)
    assert rows["县处级副职"][3:] == (1, 2, 0, 1)
    over_row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == "县处级副职")
    assert over_row[0].fill.fgColor.rgb.endswith("F8D7DA")
    total = list(ws.iter_rows(min_row=ws.max_row, values_only=True))[0]
    assert total[0] == "合计" and total[3:] == (2, 2, 1, 1)
    assert ws.freeze_panes == "A3"


def test_workbooks_name_units_by_full_name(demo_db, tmp_path):
    from reports.excel import excel_roster, excel_workbooks

    full = set(units.full_names().values())
    books = {"roster": (excel_roster.export_roster(tmp_path / "r.xlsx", ["name", "unit"]) and tmp_path / "r.xlsx", 3),
             "postings": (excel_workbooks.export_postings(tmp_path / "p.xlsx"), 3),
             "appraisal": (excel_workbooks.export_appraisal(tmp_path / "a.xlsx"), 3)}
    for what, (path, column) in books.items():
        names = [row[column - 1] for ws in openpyxl.load_workbook(path).worksheets
                 for row in ws.iter_rows(min_row=3, values_only=True) if row[column - 1]]
        assert names and set(names) <= full, (what, set(names) - full)


def test_staffing_summary_by_unit_adds_up(demo_db, tmp_path):
    from reports.excel import excel_stats

    out = tmp_path / "s.xlsx"
    excel_stats.export_stats(out)
    wb = openpyxl.load_workbook(out)
    summary = list(wb["职数汇总"].iter_rows(min_row=3, values_only=True))
    detail = list(wb["职数"].iter_rows(min_row=3, values_only=True))
    assert summary[-1][0] == detail[-1][0] == "合计"
    assert summary[-1][2:] == detail[-1][3:]  # the same 核定, 实配, 空缺, 超职数 in all
    assert sum(r[2] for r in summary[:-1]) == summary[-1][2]
    assert len({r[0] for r in summary[:-1]}) == len(summary) - 1  # one row per unit


def test_check_reports_a_unit_without_kind(demo_db):
    from cadre_desk.security.check import run_checks
    from cadre_desk.store.models import Unit

    assert run_checks() == []
    Unit.update(kind="党政机关").where(Unit.id == units.list_units()[0].id).execute()
    assert any("单位类别“党政机关”" in p for p in run_checks())


def test_kind_by_level_adds_up_both_ways(demo_db, tmp_path):
    from cadre_desk.store.models import Cadre
    from reports.excel import excel_stats

    out = tmp_path / "stats.xlsx"
    excel_stats.export_stats(out)
    ws = openpyxl.load_workbook(out)["单位类别×职务层次"]
    header = [c.value for c in ws[2]]
    assert header[1:4] == ["市直", "县区", "乡镇街道"] and header[-1] == "合计"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    for row in rows:
        assert sum(row[1:-1]) == row[-1], row
    total = rows[-1]
    assert total[0] == "合计" and total[-1] == Cadre.select().where(Cadre.status == "1").count()
    assert [sum(r[i] for r in rows[:-1]) for i in range(1, len(header))] == list(total[1:])
