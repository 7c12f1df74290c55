"""Day one of a new clerk: the files the departments sent, imported as they come — a 任免表 typed
with its names padded to line up, a roster with a title, a two-row header, notes and a 合计 row."""

from __future__ import annotations

from corpus import FAMILY, person, write_lrmx, xingping_units

from cadre_desk.exchange import imports
from cadre_desk.store.models import Cadre, FamilyMember


def test_a_name_padded_in_the_form_is_the_persons_name(db, tmp_path):
    """「陈　刚」 in an .lrmx (the editor's users pad two-character names as rosters do) was stored as
    “陈 刚”: found by nobody searching 陈刚, and the same person imported from a roster became two."""
    xingping_units()
    family = FAMILY.replace("<XingMing>刘芳</XingMing>", "<XingMing>刘\u3000芳</XingMing>")
    source = write_lrmx(tmp_path / "陈刚.lrmx", **person("陈\u3000刚", JiaTingChengYuan=family))
    plan = imports.analyze(source)
    (row,) = plan.rows
    assert row.ok, row.problems
    assert row.name == "陈刚"
    imports.commit(plan)
    cadre = Cadre.get(Cadre.name == "陈刚")
    assert [m.name for m in FamilyMember.select().where(FamilyMember.cadre == cadre.id)] == ["刘芳"]
