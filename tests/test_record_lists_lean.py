"""谈心谈话, 关爱事项 and 干部监督 lists read their rows as plain tuples (record_kit.listed): the same records
as from the model objects, for every filter and in a clerk's scope, without a model object a row."""

from __future__ import annotations

import pytest

from cadre_desk.care import care_items, record_kit, talks
from cadre_desk.store.care_models import CareRecord, SupervisionRecord, TalkRecord
from cadre_desk.supervision import supervision
from tests.conftest import acting_as


def _lists(unit_id=None, text="", supervised=True):
    return (talks.list_talks(talks.TalkFilter(unit_id=unit_id, text=text)),
            talks.list_talks(talks.TalkFilter(unit_id=unit_id, pending_only=True)),
            care_items.list_care(care_items.CareFilter(unit_id=unit_id, text=text)),
            supervision.list_records(supervision.SupervisionFilter(unit_id=unit_id, text=text)) if supervised else [])


def _from_objects(monkeypatch, **filters):
    with monkeypatch.context() as m:
        m.setattr(record_kit, "_columns", lambda model, names: None)  # as before: a model object a row
        return _lists(**filters)


@pytest.mark.parametrize("by", ["", "text", "unit"])
def test_the_lists_are_the_same_as_from_model_objects(demo_db, monkeypatch, by):
    first = talks.list_talks()[0]
    filters = {"": {}, "text": {"text": first.cadre_name[-1]}, "unit": {"unit_id": first.unit_id}}[by]
    before = _from_objects(monkeypatch, **filters)
    assert before[0] and (by or all(before[n] for n in (2, 3))), "the demo has talks, cares and supervision records"
    assert _lists(**filters) == before


def test_a_clerks_scope_lists_the_same(demo_db, monkeypatch):
    everyone = talks.list_talks()
    with acting_as("经办人", units=(everyone[0].unit_id,)):
        before = _from_objects(monkeypatch, supervised=False)
        assert before[0] and len(before[0]) < len(everyone)
        assert _lists(supervised=False) == before


def test_no_model_object_is_made_a_row(demo_db, monkeypatch):
    made = []
    for model in (TalkRecord, CareRecord, SupervisionRecord):
        real = model.__init__
        monkeypatch.setattr(model, "__init__", lambda self, *a, _real=real, **k: made.append(self) or _real(self, *a, **k))
    rows = _lists()
    assert sum(map(len, rows)) > 0
    assert made == []
