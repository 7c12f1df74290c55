"""The rules of 导师帮带 an administrator sets: active mentees per mentor, whether a mentee may have
several mentors, and after how many days without a meeting log a pair is reminded."""

from __future__ import annotations

from dataclasses import dataclass

from cadre_desk.access import permissions
from cadre_desk.domain.errors import ValidationError
from cadre_desk.settings import settings
from cadre_desk.store.db import write_transaction

MAX_MENTEES_KEY = "mentoring.max_mentees"
MULTIPLE_MENTORS_KEY = "mentoring.allow_multiple_mentors"
IDLE_DAYS_KEY = "mentoring.idle_days"
DEFAULT_MAX_MENTEES = 3
DEFAULT_IDLE_DAYS = 30


def max_mentees() -> int:
    try:
        return max(1, int(settings.get(MAX_MENTEES_KEY, DEFAULT_MAX_MENTEES)))
    except (TypeError, ValueError):
        return DEFAULT_MAX_MENTEES


def allow_multiple_mentors() -> bool:
    return bool(settings.get(MULTIPLE_MENTORS_KEY, False))


def idle_days() -> int:
    try:
        return max(1, int(settings.get(IDLE_DAYS_KEY, DEFAULT_IDLE_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_DAYS


@dataclass
class MentoringSettings:
    max_mentees: int = DEFAULT_MAX_MENTEES
    allow_multiple_mentors: bool = False
    idle_days: int = DEFAULT_IDLE_DAYS


def get_settings() -> MentoringSettings:
    return MentoringSettings(max_mentees(), allow_multiple_mentors(), idle_days())


def save_settings(values: MentoringSettings, read: MentoringSettings | None = None,
                  overwrite: bool = False) -> MentoringSettings:
    """Change the mentoring rules (ADMIN); each changed key is audited by services.settings. ``read``: the
    rules as the dialog showed them — another administrator having changed one since, refused (naming who
    and when) unless ``overwrite`` (settings.check_read); None: not checked."""
    permissions.require(permissions.ADMIN)
    errors = {}
    if not 1 <= int(values.max_mentees) <= 20:
        errors["max_mentees"] = "每名导师的帮带人数上限应在 1–20 之间。"
    if not 1 <= int(values.idle_days) <= 365:
        errors["idle_days"] = "谈话提醒天数应在 1–365 之间。"
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        note = ""
        if read is not None:
            now = get_settings()
            note = settings.check_read({MAX_MENTEES_KEY: (read.max_mentees, now.max_mentees),
                                        MULTIPLE_MENTORS_KEY: (read.allow_multiple_mentors, now.allow_multiple_mentors),
                                        IDLE_DAYS_KEY: (read.idle_days, now.idle_days)}, "导师帮带设置", overwrite)
        settings.put(MAX_MENTEES_KEY, int(values.max_mentees), note)
        settings.put(MULTIPLE_MENTORS_KEY, bool(values.allow_multiple_mentors), note)
        settings.put(IDLE_DAYS_KEY, int(values.idle_days), note)
    return get_settings()
