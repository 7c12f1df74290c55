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
from tests import conftest
from tests.conftest import acting_as

EXPECTED = Path(__file__).parent / "data" / "home_reminders_demo.json"
DAY = _dt.datetime(2026, 12, 4, 9, 0)  # the demo data and the reminders' calendar both follow the clock
CADRES, SEED = 1500, 7


@pytest.fixture
def demo_world(db):
    """The demo generator's 1,500 cadres (seed 7) on a fixed day; the counties by name."""
    if conftest.test_server_url() is not None:
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
        assert _collect(roles, units, cadre_id) == want, name  # names read through the scope
        index = _index_of(roles, units, cadre_id)  # as the window's 工作台 asks: names from its roster index
        assert _collect(roles, units, cadre_id, names=index) == want, name
    # the 回避 operator's own file is among the reminders (回避 limits editing and printing, not reading)
    assert any(row[2] == avoided for row in expected["reminders"]["临江县经办人·回避本人"])
    # the clerk sees fewer than everybody, and none of another county's
    assert len(expected["reminders"]["临江县经办人"]) < len(expected["reminders"]["全部单位"])


def test_reminder_texts_take_their_names_from_the_index_of_the_same_operator(demo_world):
    """The roster index the window passes names the cadres (no cadre row read for them); an index loaded
    for another operator is not used, nor one without a cadre (the rest are read)."""
    from cadre_desk.access import reads
    from cadre_desk.profiles.cadre_list import CadreIndex

    plain = reminders.collect()
    ids = {r.cadre_id for r in plain if r.cadre_id is not None}
    index = CadreIndex.load()

    class Renamed:
        loaded_for = index.loaded_for

        def names(self, wanted):
            return {i: f"甲{i}" for i in index.names(wanted) if i % 2}  # odd ids only: the rest are read

        def with_names(self, rows, at):
            return None  # not every name in one step: named_rows asks names()

    renamed = reminders.collect(names=Renamed())
    assert {r.cadre_id for r in renamed if r.cadre_id is not None} == ids
    odd = next(r for r in renamed if r.cadre_id is not None and r.cadre_id % 2 and r.category == "一线锻炼")
    assert odd.text.startswith(f"甲{odd.cadre_id}")
    even = next(r for r in renamed if r.cadre_id is not None and not r.cadre_id % 2 and r.category == "一线锻炼")
    assert not even.text.startswith("甲") and even in plain
    with acting_as(ROLE_CLERK, units=(demo_world["临江县"],)):
        clerk = reminders.collect()
        assert reminders.collect(names=Renamed()) == clerk  # loaded for another operator: not used
        with reads.names_from(index):  # everybody's index, this clerk's names: only those in scope
            names = reads.cadre_names(ids)
        assert names and set(names) < ids and set(names) == reads.visible_ids(ids)
        assert names == {i: index.names([i])[i] for i in names}


def test_urgency_order_is_that_of_the_whole_key_and_stable():
    """by_urgency groups reminders by due day and level before sorting by text: the order is still that
    of (urgency, day, warnings first, category, text), equal ones as they came — a month and its 1st alike."""
    import random

    from cadre_desk.domain.dates import as_day

    clock.set_now(_dt.datetime(2026, 6, 10, 9, 0))
    day, week, month = "20260610", "20260614", "20260630"

    def key(r):
        due = as_day(r.due)
        level = 4 if not due else 0 if due < day else 1 if due <= week else 2 if due <= month else 3
        return level, due or "99999999", r.level != "warning", r.category, r.text

    rng = random.Random(5)
    dues = ["", "202605", "20260501", "20260609", "20260610", "202606", "20260614", "20260615", "20260701"]
    for _ in range(200):
        items = [reminders.Reminder(rng.choice("甲乙丙"), rng.choice(["a", "b", "张三", "李四"]), rng.randint(1, 3),
                                    rng.choice(["info", "warning", "note"]), rng.choice(dues))
                 for _ in range(rng.randint(0, 60))]
        assert [id(r) for r in reminders.by_urgency(items)] == [id(r) for r in sorted(items, key=key)]


def test_an_ended_posting_without_its_review_lacks_every_side(demo_world):
    """期满 lately with no 期满鉴定 at all: 尚缺各方意见 (its opinions read with the postings, in one query)."""
    from cadre_desk.profiles.cadre_list import CadreIndex
    from cadre_desk.store.posting_models import PostingReview

    before = [r for r in reminders.collect() if "期满鉴定尚缺" in r.text]
    assert before and not any("各方" in r.text for r in before)
    posting_id = before[0].record_id
    PostingReview.delete().where(PostingReview.posting == posting_id).execute()
    for names in (None, CadreIndex.load()):
        after = [r for r in reminders.collect(names=names) if "期满鉴定尚缺" in r.text]
        lacking = next(r for r in after if r.record_id == posting_id)
        assert lacking.text.split("的期满鉴定")[1] == "尚缺各方意见，请收回后在“期满鉴定…”中补填"
        assert [r for r in after if r.record_id != posting_id] == [r for r in before if r.record_id != posting_id]
