"""A 考核方案's 草稿 (cadre_desk.security.drafts, kind ``scheme``): the scheme as its editor's fields said it
when the program quit from the idle lock — only an administrator edits schemes, and only one may have it
back."""

from __future__ import annotations

import dataclasses
import json

from cadre_desk.access import permissions
from cadre_desk.appraisal import schemes
from cadre_desk.domain.errors import NotFoundError
from cadre_desk.security.drafts import Draft, DraftInput

KIND = "scheme"
_NAMES = {f.name for f in dataclasses.fields(schemes.SchemeInfo)}


def draft_input(label: str, typed: schemes.SchemeInfo) -> DraftInput:
    return DraftInput(KIND, typed.id, label, json.dumps(dataclasses.asdict(typed), ensure_ascii=False))


def typed_scheme(draft: Draft) -> schemes.SchemeInfo:
    """The scheme as typed; fields the program no longer has are left out."""
    data = {key: value for key, value in json.loads(draft.payload).items() if key in _NAMES}
    for key in ("dimensions", "raters"):
        data[key] = [schemes.WeightedItem(**item) for item in data.get(key, [])]
    return schemes.SchemeInfo(**data)


def refusal(draft: Draft) -> str | None:
    """Why this account may not have ``draft`` back (no longer an administrator, the scheme deleted)."""
    refused = permissions.check(permissions.ADMIN)
    if refused or draft.target_id is None:
        return refused
    try:
        schemes.get_scheme(draft.target_id)
    except NotFoundError as exc:
        return str(exc)
    return None


__all__ = ["KIND", "draft_input", "refusal", "typed_scheme"]
