"""关爱: what the department does for a cadre's health and family — 体检, 休假, 心理健康培训, 走访慰问 —
each dated (a 休假 or a training with its last day too) with what was done.

Rules: the kind from the list; the date a day, not after today; an end not before the start. A cadre
on a posting for half a year without a 体检 in the last year is reminded (``care_rules``)."""

from __future__ import annotations

from dataclasses import dataclass

from cadre_desk.care import record_kit
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import CARE
from cadre_desk.store.care_models import CARE_KINDS, CareRecord
from cadre_desk.store.db import write_transaction

__all__ = ["CARE_KINDS"]

E_CARE = "关爱事项"


@dataclass
class CareInfo(record_kit.CadreRecordInfo):
    kind: str
    date: str
    end_date: str = ""
    content: str = ""


@dataclass
class CareFilter:
    cadre_id: int | None = None
    unit_id: int | None = None
    kind: str = ""
    year: int | None = None
    text: str = ""


def _query(flt: CareFilter):
    return record_kit.filtered(CareRecord, cadre_id=flt.cadre_id, unit_id=flt.unit_id, year=flt.year,
                               equal={"kind": flt.kind}, text=flt.text, text_fields=("content",))


def list_care(flt: CareFilter | None = None) -> list[CareInfo]:
    """关爱 records of the operator's cadres, newest first."""
    flt = flt or CareFilter()
    if flt.cadre_id:
        record_kit.readable_cadre(flt.cadre_id)
    return record_kit.listed(CareInfo, _query(flt))


def save_care(info: CareInfo, overwrite: bool = False) -> CareInfo:
    """Record (id None) or correct a 关怀 record; a stale copy is refused unless ``overwrite``
    (record_kit.save)."""
    errors: dict[str, str] = {}
    values = {
        "kind": record_kit.choice(CARE, "kind", info.kind, CARE_KINDS, errors),
        "date": record_kit.day(CARE, "date", info.date, errors),
        "end_date": record_kit.day(CARE, "end_date", info.end_date, errors, not_future=False),
        "content": record_kit.text(CARE, "content", info.content, errors),
    }
    if values["date"] and values["end_date"] and values["end_date"] < values["date"]:
        errors["end_date"] = "结束日期不能早于开始日期。"
    with write_transaction():
        cadre = record_kit.editable_cadre(info.cadre_id)
        if errors:
            raise ValidationError(errors)
        record_kit.new_record_owner(values, info, cadre)
        care_id = record_kit.save(CareRecord, info.id, info.version, values, E_CARE,
                                  f"{cadre.name} {format_date(values['date'])} {values['kind']}", overwrite=overwrite)
    return next(c for c in list_care(CareFilter(cadre_id=cadre.id)) if c.id == care_id)


def delete_care(care_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``: the record's as the clerk last saw it (a later change by another refuses the delete unless
    ``overwrite``; None: not checked — record_kit.remove)."""
    record_kit.delete_record(CareRecord, care_id, "关爱记录", E_CARE,
                             lambda row, cadre: f"{cadre.name} {format_date(row.date)} {row.kind}",
                             ("kind", "date", "content"), version=version, overwrite=overwrite)


def last_dates(kind: str, cadre_ids) -> dict[int, str]:
    """cadre id → the date of their last record of ``kind``."""
    from peewee import chunked, fn

    out: dict[int, str] = {}
    for chunk in chunked(list(dict.fromkeys(cadre_ids)), 900):
        query = (CareRecord.select(CareRecord.cadre, fn.MAX(CareRecord.date))
                 .where((CareRecord.kind == kind) & CareRecord.cadre.in_(chunk)).group_by(CareRecord.cadre))
        out.update(query.tuples())
    return out
