"""干部监督: 提醒 / 函询 / 诫勉 records — the matter, where it came from (巡视巡察, 信访举报, 12380举报 …), the
date, how it was handled and by whom.

Restricted: every function asks for permissions.SUPERVISE (the 干部监督 grant beside 经办人 or
查阅人; everybody on a database without accounts). Without it the records do not exist for the
operator — no list, no count, no reminder, no check line, no line on any document (``visible()`` tells
the window whether to offer anything at all). Reading them follows 回避 too (scope.AVOIDED_READS): the
records of the operator's own file and their relatives' are left out of every read below, and cannot be
added or changed by them. Changing them needs 编辑 too. The audit rows name the
cadre and the kind, never the matter: the auditor reads the audit log without this grant. Nothing prints
them unless the operator asks for them on a 画像 (off by default)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.care import record_kit
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, from_date, to_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import SUPERVISION
from cadre_desk.store.care_models import SUPERVISION_KINDS, SUPERVISION_SOURCES, SupervisionRecord
from cadre_desk.store.db import write_transaction
from cadre_desk.store.models import Cadre

__all__ = ["SUPERVISION_KINDS", "SUPERVISION_SOURCES"]

E_SUPERVISION = "干部监督记录"
CATEGORY = "干部监督"  # the reminders' category: shown on the screen to the grant's holders, printed on no page
INQUIRY_REPLY_DAYS = 30  # a 函询 without its outcome after this long is reminded


def visible(cadre_id: int | None = None) -> bool:
    """May the operator see supervision records at all (the window hides everything otherwise) — with
    ``cadre_id``, those of this cadre (not when 回避 keeps the operator away from them)?"""
    current = access_scope.current()
    if cadre_id is None:
        return current.permits(permissions.SUPERVISE)
    return current.refusal(permissions.SUPERVISE, cadre_id=cadre_id) is None


@dataclass
class SupervisionInfo(record_kit.CadreRecordInfo):
    kind: str
    source: str
    date: str
    matter: str
    outcome: str = ""
    handler: str = ""


@dataclass
class SupervisionFilter:
    cadre_id: int | None = None
    unit_id: int | None = None
    kind: str = ""
    source: str = ""
    year: int | None = None
    text: str = ""


def _query(flt: SupervisionFilter):
    return record_kit.filtered(SupervisionRecord, cadre_id=flt.cadre_id, unit_id=flt.unit_id, year=flt.year,
                               equal={"kind": flt.kind, "source": flt.source}, text=flt.text,
                               text_fields=("matter", "outcome"), action=permissions.SUPERVISE)


def list_records(flt: SupervisionFilter | None = None) -> list[SupervisionInfo]:
    """The records of the operator's cadres, newest first (PermissionDenied without the grant)."""
    flt = flt or SupervisionFilter()
    if flt.cadre_id:
        record_kit.readable_cadre(flt.cadre_id, permissions.SUPERVISE, doing="查阅")
    return record_kit.listed(SupervisionInfo, _query(flt))


def counts(rows: list[SupervisionInfo]) -> str:
    """提醒 3 人次，函询 1 人次 … of a list, for the page's summary."""
    by_kind = {kind: sum(1 for r in rows if r.kind == kind) for kind in SUPERVISION_KINDS}
    parts = [f"{kind} {n} 人次" for kind, n in by_kind.items() if n]
    return f"共 {len(rows)} 条" + (f"：{'，'.join(parts)}" if parts else "")


def save_record(info: SupervisionInfo, overwrite: bool = False) -> SupervisionInfo:
    """Record (id None) or correct a 监督 record; a stale copy is refused unless ``overwrite``
    (record_kit.save)."""
    errors: dict[str, str] = {}
    values = {
        "kind": record_kit.choice(SUPERVISION, "kind", info.kind, SUPERVISION_KINDS, errors),
        "source": record_kit.choice(SUPERVISION, "source", info.source, SUPERVISION_SOURCES, errors),
        "date": record_kit.day(SUPERVISION, "date", info.date, errors),
        "matter": record_kit.text(SUPERVISION, "matter", info.matter, errors),
        "outcome": record_kit.text(SUPERVISION, "outcome", info.outcome, errors),
        "handler": record_kit.text(SUPERVISION, "handler", info.handler, errors),
    }
    with write_transaction():
        if info.id is not None:  # the record's own cadre, not only the one named with it (回避, units)
            row = SupervisionRecord.get_or_none(SupervisionRecord.id == info.id)
            if row is not None and row.cadre_id != info.cadre_id:
                record_kit.editable_cadre(row.cadre_id, permissions.SUPERVISE, doing="修改")
                raise ValidationError("监督记录所属干部不能更改。")
        cadre = record_kit.editable_cadre(info.cadre_id, permissions.SUPERVISE,
                                          doing="登记" if info.id is None else "修改")
        if errors:
            raise ValidationError(errors)
        record_kit.new_record_owner(values, info, cadre)
        record_id = record_kit.save(SupervisionRecord, info.id, info.version, values, E_SUPERVISION,
                                    f"{cadre.name} {values['kind']}", quiet=True, overwrite=overwrite)
    return next(r for r in list_records(SupervisionFilter(cadre_id=cadre.id)) if r.id == record_id)


def delete_record(record_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """``version``, ``overwrite``: see care_items.delete_care."""
    permissions.require(permissions.SUPERVISE)  # without the grant the record does not exist, not even as "not found"
    record_kit.delete_record(SupervisionRecord, record_id, "监督记录", E_SUPERVISION,
                             lambda row, cadre: f"{cadre.name} {row.kind}", ("date",), permissions.SUPERVISE,
                             version=version, overwrite=overwrite)


def refuse_cadre_delete(cadre_id: int) -> None:
    """profile_hooks.DELETE_HOOKS: a cadre with 提醒 / 函询 / 诫勉 records is kept — deleting the file took the
    records with it (the database cascades), whoever deleted it, though a clerk without the grant cannot
    see them. Said to such a clerk without naming the records (they do not exist for them)."""
    count = SupervisionRecord.select().where(SupervisionRecord.cadre == cadre_id).count()
    if not count:
        return
    if visible(cadre_id):
        raise ValidationError(f"该干部有 {count} 条提醒函询诫勉记录，不能删除；如已调出，请修改人员状态。")
    raise ValidationError("该干部有须保留的管理记录，不能删除；如已调出，请修改人员状态。")


def records_for_cadre(cadre_id: int) -> list[SupervisionInfo]:
    return list_records(SupervisionFilter(cadre_id=cadre_id))


# ---- reminders and checks: for those who may see the records, and nobody else ----------------------

def reminders(today: _dt.date | None = None):
    """函询 without an outcome a month on (only to operators with the grant)."""
    from cadre_desk.home.reminders import Reminder

    if not visible():
        return []
    today = today or clock.today()
    out = []
    for record in list_records(SupervisionFilter(kind="函询")):
        days = (today - to_date(record.date)).days
        if not record.outcome and days >= INQUIRY_REPLY_DAYS:
            out.append(Reminder(CATEGORY, f"{record.cadre_name} {format_date(record.date)} 的函询已 {days} 天，"
                                "尚未登记处理结果", record.cadre_id, "warning",
                                from_date(to_date(record.date) + _dt.timedelta(days=INQUIRY_REPLY_DAYS))))
    return out


def checks() -> list[str]:
    """Records that break the rules — run only for an operator with the grant (a check run by anyone
    else says nothing about them)."""
    if not visible():
        return []
    problems = []
    today = clock.today_yyyymmdd()
    query = record_kit.scoped(SupervisionRecord.select(SupervisionRecord, Cadre.name).join(Cadre),
                              SupervisionRecord.cadre, permissions.SUPERVISE)
    for row in query.objects().iterator():
        label = f"干部监督记录 {row.id}（{row.name}）"
        if row.kind not in SUPERVISION_KINDS:
            problems.append(f"{label}：处置方式“{row.kind}”无效")
        if row.source not in SUPERVISION_SOURCES:
            problems.append(f"{label}：线索来源“{row.source}”无效")
        if not row.date or row.date > today:
            problems.append(f"{label}：处置日期为空或晚于今天")
    return problems
