"""A month field (出生年月, 入党时间, 参加工作时间 …) stored with its day — 19860512, filled from the
身份证号 — is shown as the 任免表 and the 干部名册 write it, 1986.05, on every display: the list column,
the roster workbook, the 任免表 and the import's differences. The form edits the stored value and the
list sorts by it."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import make_profile

from cadre_desk.domain.fields import BY_KEY, FIELDS, RECORDS, display_value

# stored with their days, as an ID number or a 任职 decision fills them (入党时间 is saved as its month, 200108;
# an older file's day is shown as a month all the same)
STORED = {"birth": "19860512", "work_start": "20080701", "party": "20010815", "position_date": "20190315",
          "rank_date": "20230115"}
SHOWN = {"birth": "1986.05", "work_start": "2008.07", "party": "2001.08", "position_date": "2019.03",
         "rank_date": "2023.01"}


def _save(unit_id: int, name: str = "李月", **values):
    from cadre_desk.profiles import cadres

    return cadres.save_profile(make_profile(unit_id, name=name, **{**STORED, **values})).profile


@pytest.mark.parametrize("key", list(STORED))
def test_display_value_shows_a_month_fields_month(key):
    spec = BY_KEY[key]
    assert display_value(spec, STORED[key]) == SHOWN[key]
    assert display_value(spec, STORED[key][:6]) == SHOWN[key]
    assert spec.month  # said by the field's description


def test_every_month_field_shows_its_month_and_day_fields_their_day():
    specs = [*FIELDS, *(f for r in RECORDS for f in r.fields)]
    months = [s for s in specs if s.month]
    assert {"birth", "party", "work_start", "position_date", "rank_date"} <= {s.key for s in months}
    for spec in months:
        assert display_value(spec, "19860512") == "1986.05", spec.key
    assert display_value(BY_KEY["party"], "20010815；民建") == "2001.08；民建"
    assert display_value(BY_KEY["fill_date"], "20240520") == "2024.05.20"  # 填表时间 is a day


def test_the_list_column_shows_the_month_and_sorts_by_the_stored_day(db, unit):
    from cadre_desk.profiles.cadre_list import ID, CadreFilter, CadreIndex

    late = _save(unit.id).id
    early = _save(unit.id, name="王早", birth="19860503").id
    month = _save(unit.id, name="赵月", birth="198605").id
    index = CadreIndex.load()
    row = next(r for r in index.filter(CadreFilter()) if r[ID] == late)
    for key, shown in SHOWN.items():
        if BY_KEY[key].listable:
            assert index.display(row, key) == shown, key
            assert index.displayer(key)(row) == shown, key
    ordered = [r[ID] for r in index.sort(index.filter(CadreFilter()), "birth")]
    assert ordered == [month, early, late]  # 198605 < 19860503 < 19860512, though all show 1986.05


def test_the_roster_workbook_writes_the_month(db, unit, tmp_path):
    from reports.excel import excel_roster

    cadre_id = _save(unit.id).id
    out = tmp_path / "roster.xlsx"
    excel_roster.export_roster(out, ["name", *STORED], [cadre_id], reason="测试")
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    header, values = rows[0], rows[1]
    assert dict(zip(header[2:], values[2:], strict=True)) == {BY_KEY[k].label: SHOWN[k] for k in STORED}


def test_the_forms_and_the_portraits_birth_with_age(db, unit):
    from cadre_desk.portrait.portrait import _age_text
    from reports.pdf.dossier_data import birth_with_age, gather

    profile = _save(unit.id)
    data = gather(profile.id)
    assert birth_with_age(profile).startswith("1986.05\n")
    assert data.value("work_start") == "2008.07" and data.value("position_date") == "2019.03"
    assert _age_text("19860512").startswith("1986.05（")


def test_a_roster_giving_the_month_of_a_stored_day_is_no_difference(db, unit, tmp_path):
    """出生年月 1986.05 in a roster for a cadre stored 19860512 (from the 身份证号): nothing to update, and the
    update keeps the day; another month is a difference, shown as months."""
    from cadre_desk.exchange import imports
    from cadre_desk.store.models import Cadre

    cadre_id = _save(unit.id).id
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "出生年月", "参加工作时间", "入党时间", "任现职时间"])
    wb.active.append(["李月", "1986.05", "2008.07", "2001.08", "2019.04"])
    wb.save(tmp_path / "r.xlsx")
    plan = imports.analyze(tmp_path / "r.xlsx", imports.ImportOptions(duplicate_action=imports.UPDATE,
                                                                      default_unit_id=unit.id))
    assert plan.rows[0].duplicate_id == cadre_id
    assert [(d.label, d.old, d.new) for d in plan.rows[0].differences] == [("任现职时间", "2019.03", "2019.04")]
    imports.commit(plan)
    cadre = Cadre.get_by_id(cadre_id)
    assert (cadre.birth, cadre.work_start, cadre.party, cadre.position_date) == (
        "19860512", "20080701", "200108", "201904")  # 入党时间 is kept to the month (clean_party)
