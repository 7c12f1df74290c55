"""An audit row's changes as the auditor reads them — one line a changed field, its Chinese label from the
one field registry (干部's fields, the sub-records, the record types), values as the screens show them
(code names, 1986.05, units by name): 「出生年月："1986.05" → "1986.06"」. The 审计日志 page's detail and
its 导出 workbook's 修改内容 both write them so."""

from __future__ import annotations

import ast
import functools
import json
import re

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.periods import period_label

# 用户 changes written before they kept their values: str() of a tuple or a bool ("(1, 2)", "True")
LEGACY_KEYS = {"roles", "unit_scopes", "active"}


def _legacy(key: str, value):
    if key not in LEGACY_KEYS or not isinstance(value, str):
        return value
    if value in ("True", "False"):
        return value == "True"
    if value.startswith("(") and value.endswith(")"):
        try:
            return list(ast.literal_eval(value))
        except (ValueError, SyntaxError):
            return value
    return value


def changes_text(entity: str, changes: dict, unit_names: dict[int, str] | None = None) -> list[str]:
    """Every changed field of an audit row (its ``changes``), one line each, without indent."""
    return [change_line(entity, key, change, unit_names).strip() for key, change in (changes or {}).items()]


# Change keys the services store in English, as the auditor reads them (cadre fields and sub-records: the
# registry; settings: their own names).
KEY_LABELS = {"display_name": "姓名", "roles": "角色", "unit_scopes": "负责单位", "cadre_id": "本人干部档案编号",
              "id_number": "身份证号", "active": "启用", "name": "名称", "retired": "已停用",
              "default_months": "默认期限（月）", "cadre": "干部", "cadre_ids": "干部", "post": "锻炼岗位",
              "guide_cadre_id": "“一对一”指导人", "mentor_id": "导师", "mentee_id": "帮带对象",
              "posting_ids": "一线锻炼", "sheet_ids": "核查对单", "host_unit_id": "锻炼单位", "home_unit_id": "派出单位",
              "period": "考核期间"}
UNIT_KEYS = {"unit_scopes"}  # change keys that hold unit ids: shown by the units' names


def change_line(entity: str, key: str, change, unit_names: dict[int, str] | None = None) -> str:
    """One changed field: its Chinese label taken from the changed record type's own fields, values as
    the screens show them (code names, 1986.05, units by name — never their ids)."""
    from cadre_desk.domain.fields import display_value

    spec = entity_fields(entity).get(key)
    record = _sub_records().get(key) if entity == "干部" else None
    label = record.label if record is not None else key_label(key, entity)
    if unit_names is None and (key in UNIT_KEYS or (spec is not None and spec.kind == "unit")):
        from cadre_desk.units import units

        unit_names = units.full_names()

    def item_shown(item):
        """A sub-record row (a 家庭成员 …): its fields by their labels, codes by their names."""
        if record is None or not isinstance(item, dict):
            return dates_shown(key, item)
        by_key = {f.key: f for f in record.fields}
        return {(by_key[k].label if k in by_key else key_label(k)):
                (display_value(by_key[k], v) if k in by_key and v not in (None, "") else dates_shown(k, v))
                for k, v in item.items()}

    def shown(value):
        value = _legacy(key, value)
        if isinstance(value, bool) or value is None:
            return {True: "是", False: "否", None: "（空）"}[value]
        if spec is not None and value not in (None, "") and not isinstance(value, (list, dict)):
            value = display_value(spec, value, unit_names)
        elif key in UNIT_KEYS and isinstance(value, list):
            value = [(unit_names or {}).get(v, v) for v in value]
        elif record is not None and isinstance(value, list):
            value = [item_shown(item) for item in value]
        else:
            value = dates_shown(key, value)
        return json.dumps(value, ensure_ascii=False)

    if isinstance(change, list) and len(change) == 2:
        return f"  {label}：{shown(change[0])} → {shown(change[1])}"
    return f"  {label}：{shown(change)}"


# the record types of the registry an audit entity changes, when its name is not the record's label
ENTITY_RECORDS = {"帮带谈话记录": ("meeting_log",), "一线锻炼": ("posting", "posting_review"),
                  "干部监督记录": ("supervision",), "单位职数": ("staffing",), "专业干部库入库": ("pool_member",),
                  "政治体检项目": ("checkup_item",), "政治体检提醒单": ("checkup_round",),
                  "政治体检核查": ("checkup_sheet",)}

# a key several record types label differently, named plainly when the entity has no record type of its
# own (never another record type's label: 谈话记录's date is no 奖惩时间)
PLAIN_LABELS = {"start": "开始时间", "end": "结束时间", "text": "内容", "date": "日期", "kind": "类别",
                "content": "内容", "issuer": "批准机关（下发人）", "source": "来源", "cadre_name": "姓名",
                "unit_name": "单位", "planned_end": "计划结束时间", "actual_end": "实际结束时间",
                "outcome": "结果", "grade": "等次", "due": "到期日期", "description": "说明"}


@functools.cache
def _records() -> dict[str, object]:
    from cadre_desk.domain import fields

    return {spec.key: spec for spec in vars(fields).values() if isinstance(spec, fields.RecordSpec)}


@functools.cache
def _sub_records() -> dict[str, object]:
    """The profile's sub-records (简历, 家庭成员 …) by their key: a 干部 change of "family" is one."""
    return {key: spec for key, spec in _records().items() if spec.item is not None}


@functools.cache
def entity_fields(entity: str) -> dict:
    """The registry fields of the record type(s) an audit entity is: key → FieldSpec."""
    from cadre_desk.domain.fields import BY_KEY

    if entity == "干部":
        return dict(BY_KEY)
    keys = ENTITY_RECORDS.get(entity) or tuple(k for k, r in _records().items() if r.label == entity)
    return {f.key: f for k in keys for f in _records()[k].fields}


# a change key that holds a date (一线锻炼's start, 谈话记录's date, 核查对单's checked_on …) besides the
# registry's date fields; its stored 20240315 is shown 2024.03.15 as every screen writes it
DATE_KEY = re.compile(r"(?:^|_)(?:date|start|end|on|birth)$")
STORED_DATE = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?")


def dates_shown(key: str, value):
    """A changed value with its stored dates (also those of the items of a sub-record list) and period
    codes (2026-Q2) written as the screens write them."""
    if isinstance(value, list):
        return [dates_shown(key, v) for v in value]
    if isinstance(value, dict):
        return {k: dates_shown(k, v) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    if key == "period":
        return period_label(value)
    if (key in _record_date_keys() or DATE_KEY.search(key)) and STORED_DATE.fullmatch(value):
        return format_date(value)
    return value


@functools.cache
def _record_date_keys() -> frozenset[str]:
    from cadre_desk.domain.fields import FIELDS

    return frozenset(f.key for f in [*FIELDS, *(f for r in _records().values() for f in r.fields)]
                     if f.kind == "date")


def key_label(key: str, entity: str = "") -> str:
    """A change key's Chinese name: the entity's own registry field, our table, a setting's name, a
    profile field, a sub-record field's label when all record types name it alike."""
    from cadre_desk.domain.fields import BY_KEY
    from cadre_desk.settings import settings

    own = entity_fields(entity).get(key) if entity else None
    if own is not None:
        return own.label
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if key in settings.KEY_LABELS:
        return settings.KEY_LABELS[key]
    if key in BY_KEY:
        return BY_KEY[key].label
    if key in _sub_records():
        return _sub_records()[key].label
    labels = _record_labels().get(key, set())
    if len(labels) == 1:
        return next(iter(labels))
    return PLAIN_LABELS.get(key, key)


@functools.cache
def _record_labels() -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for spec in _records().values():
        for field in spec.fields:
            labels.setdefault(field.key, set()).add(field.label)
    return labels
