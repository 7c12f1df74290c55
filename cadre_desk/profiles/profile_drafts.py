"""A profile's 草稿 (cadre_desk.security.drafts, kind ``profile``): only what the edit window had changed —
the fields typed, the sub-record tables edited whole, the photo — so that restoring it over the profile as
it is now puts back the user's edits and leaves what others saved since in every other field."""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from cadre_desk.access import permissions
from cadre_desk.domain.errors import NotFoundError, PermissionDenied
from cadre_desk.domain.fields import FIELDS, RECORDS
from cadre_desk.profiles import cadres
from cadre_desk.security.drafts import Draft, DraftInput

KIND = "profile"
_FIELD_KEYS = {spec.key for spec in FIELDS}
_RECORDS = {record.key: record for record in RECORDS}


@dataclass
class ProfileDraft:
    """The edits of one profile window: changed field values, changed sub-record tables (all their rows),
    and the photo when it changed (``photo_changed``; ``photo`` None: deleted). ``version``: the profile's
    version the edits began from (None: a new cadre, or a draft kept before drafts said it) — saved after
    another's later change, they are refused until the user chooses (cadres.save_profile)."""

    values: dict[str, Any] = field(default_factory=dict)
    records: dict[str, list] = field(default_factory=dict)
    photo_changed: bool = False
    photo: bytes | None = None
    version: int | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "values": self.values,
            "records": {attr: [dataclasses.asdict(item) for item in items] for attr, items in self.records.items()},
        }
        if self.version is not None:
            data["version"] = self.version
        if self.photo_changed:
            data["photo"] = base64.b64encode(self.photo).decode("ascii") if self.photo else None
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ProfileDraft:
        """The draft as kept; fields and record columns the program no longer has are left out."""
        data = json.loads(text)
        values = {key: value for key, value in data.get("values", {}).items() if key in _FIELD_KEYS}
        records = {}
        for attr, rows in data.get("records", {}).items():
            record = _RECORDS.get(attr)
            if record is None or record.item is None:
                continue
            names = {f.name for f in dataclasses.fields(record.item)}
            records[attr] = [record.item(**{k: v for k, v in row.items() if k in names}) for row in rows]
        photo_changed = "photo" in data
        photo = base64.b64decode(data["photo"]) if photo_changed and data["photo"] else None
        return cls(values, records, photo_changed, photo, data.get("version"))


def draft_input(cadre_id: int | None, label: str, draft: ProfileDraft) -> DraftInput:
    return DraftInput(KIND, cadre_id, label, draft.to_json())


def refusal(draft: Draft) -> str | None:
    """Why this account may not have ``draft`` back (the cadre deleted, or no longer theirs to edit:
    their units or roles changed); None when it may be restored."""
    unit_id = ProfileDraft.from_json(draft.payload).values.get("unit")
    if draft.target_id is None:
        return permissions.check(permissions.EDIT, unit_id=unit_id)
    try:
        current = cadres.get_profile(draft.target_id)
    except NotFoundError:
        return "该干部的档案已删除"
    except PermissionDenied as exc:
        return str(exc)
    return permissions.check(permissions.EDIT, unit_id=current.values.get("unit"), cadre_id=draft.target_id)


__all__ = ["KIND", "ProfileDraft", "draft_input", "refusal"]
