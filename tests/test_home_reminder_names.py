"""The 工作台's reminders on a demo database stay what they were when the providers still read each cadre's
name by a join (main b9e87ce): the same reminders, texts and order, for every unit, for a 经办人 of one
county, for one who must stay away from their own file (回避), and for a 查阅人 of another county — with
the names read through the scoped API, and with them taken from the roster index the window holds.

The expected reminders are tests/data/home_reminders_demo.json, written by the join-reading code at
b9e87ce: ``CADRE_DESK_WRITE_REMINDERS=1 pytest tests/test_home_reminder_names.py`` writes it again (only
when the demo generator or a reminder rule changed on purpose)."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import pytest

from cadre_desk.access.roles import ROLE_CLERK, ROLE_READER, ROLE_SUPERVISION
from cadre_desk.domain import clock
from cadre_desk.home import reminders
from tests.conftest import acting_as, test_server_url

EXPECTED = Path(__file__).parent / "data" / "home_reminders_demo.json"
DAY = _dt.datetime(2026, 12, 4, 9, 0)  # the demo data and the reminders' calendar both follow the clock
CADRES, SEED = 1500, 7


@pytest.fixture
def demo_world(db):
    """The demo generator's 1,500 cadres (seed 7) on a fixed day; the counties by name."""
    if test_server_url() is not None:
        pytest.skip("演示数据生成器只写 SQLite 文件")
    from cadre_desk.profiles import demo
    from cadre_desk.store.models import Unit

    clock.set_now(DAY)
    demo.generate(CADRES, seed=SEED)
    return {name: unit_id for unit_id, name in Unit.select(Unit.id, Unit.name)
            .where(Unit.name.in_(("临江县", "东城区"))).tuples()}


def _rows(items: list[reminders.Reminder]) -> list[list]:
    return [list(r) for r in items]


def _operators(world: dict, avoided_cadre: int | None):
    """(name, roles, unit scope, own cadre id) of each operator the reminders are compared for."""
    return [("全部单位", (), (), None),
            ("临江县经办人", (ROLE_CLERK,), (world["临江县"],), None),
            ("临江县经办人·回避本人", (ROLE_CLERK, ROLE_SUPERVISION), (world["临江县"],), avoided_cadre),
            ("东城区查阅人", (ROLE_READER,), (world["东城区"],), None)]


def _collect(roles, units, cadre_id, names=None) -> list[list]:
    if not roles:
        return _rows(reminders.collect(names=names) if names is not None else reminders.collect())
    with acting_as(*roles, units=units, cadre_id=cadre_id):
        return _rows(reminders.collect(names=names) if names is not None else reminders.collect())


def _index_of(roles, units, cadre_id):
    """The roster index the window loads for this operator (through the scoped read path)."""
    from cadre_desk.profiles.cadre_list import CadreIndex

    if not roles:
        return CadreIndex.load()
    with acting_as(*roles, units=units, cadre_id=cadre_id):
        return CadreIndex.load()


def _write_expected(world: dict) -> None:
    clerk = _collect((ROLE_CLERK,), (world["临江县"],), None)
    avoided = next(r[2] for r in clerk if r[0] == "一线锻炼" and r[2] is not None)  # a cadre of a posting
    data = {"day": DAY.isoformat(), "cadres": CADRES, "seed": SEED, "avoided_cadre": avoided, "reminders": {}}
    for name, roles, units, cadre_id in _operators(world, avoided):
        data["reminders"][name] = _collect(roles, units, cadre_id)
    EXPECTED.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")


def test_reminders_of_a_demo_database_are_those_of_the_join_reading_code(demo_world):
    if os.environ.get("CADRE_DESK_WRITE_REMINDERS") == "1":
        _write_expected(demo_world)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert (expected["cadres"], expected["seed"], expected["day"]) == (CADRES, SEED, DAY.isoformat())
    avoided = expected["avoided_cadre"]
    operators = _operators(demo_world, avoided)
    assert [name for name, *_ in operators] == list(expected["reminders"])
    for name, roles, units, cadre_id in operators:
        want = expected["reminders"][name]
        assert want, name  # every operator has reminders to compare
        assert _collect(roles, units, cadre_id) == want, name
    # the 回避 operator's own file is among the reminders (回避 limits editing and printing, not reading)
    assert any(row[2] == avoided for row in expected["reminders"]["临江县经办人·回避本人"])
    # the clerk sees fewer than everybody, and none of another county's
    assert len(expected["reminders"]["临江县经办人"]) < len(expected["reminders"]["全部单位"])
