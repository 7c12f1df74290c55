"""Application settings kept in the database (shared by every user of it), as JSON values."""

from __future__ import annotations

import json
from typing import Any

from cadre_desk.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "department_name": "中共某某市委组织部",
}


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS.get(key, default) if default is None else default
    return json.loads(row.value)


def put(key: str, value: Any) -> None:
    from cadre_desk.security import audit

    old = get(key)
    payload = json.dumps(value, ensure_ascii=False)
    Setting.insert(key=key, value=payload).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: payload}).execute()
    if old != value:
        audit.record(audit.UPDATE, "设置", None, f"修改设置 {key}", {key: [old, value]})
