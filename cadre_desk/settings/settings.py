"""Application settings kept in the database (shared by every user of it), as JSON values.

Who we are — the department's 全称, 简称 and the place name — are the settings a user sets (first
start, the 设置 page, ``settings set``); every document and workbook names its issuer from them.
The other keys are the capabilities' own (security.*, backup.*, export presets …)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cadre_desk.access.context import LOCAL_USERNAME, current_operator
from cadre_desk.store.models import Setting

DEFAULTS: dict[str, Any] = {}


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str  # Chinese, as the 设置 page and the command line name it
    example: str
    help: str
    max_length: int = 100
    required: bool = True


DEPARTMENT_FULL = SettingSpec("department.full_name", "组织部全称", "中共兴平市委组织部",
                              "文件、封面、统计表标题和 PDF 作者署名用的全称")
DEPARTMENT_SHORT = SettingSpec("department.short_name", "组织部简称", "市委组织部",
                               "正文和页脚中简短的称呼", max_length=40)
PLACE = SettingSpec("department.place", "地名", "兴平市", "本市（县、区）的名称，用于单位全称等", max_length=40)

# The settings a user sets by name (设置 page, ``settings get|set``), in the order shown.
USER_SETTINGS: tuple[SettingSpec, ...] = (DEPARTMENT_FULL, DEPARTMENT_SHORT, PLACE)

# Every other key a capability keeps here, as the audit log names it (tests/test_audit_words.py checks
# that each key the code writes has its name here).
KEY_LABELS: dict[str, str] = {
    "security.password_min_length": "密码最短长度",
    "security.max_failures": "连续输错几次锁定",
    "security.lock_minutes": "锁定时长（分钟）",
    "security.idle_minutes": "无操作自动锁定（分钟）",
    "security.first_admin_skipped": "首次启动时暂不创建系统管理员",
    "backup.keep_daily": "保留每日备份（份）",
    "backup.keep_weekly": "保留每周备份（份）",
    "backup.keep_monthly": "保留每月备份（份）",
    "mentoring.max_mentees": "每位导师最多带教人数",
    "mentoring.allow_multiple_mentors": "允许一人同时有多位导师",
    "mentoring.idle_days": "多少天无谈话记录时提醒",
    "care.talk_interval_days": "谈心谈话间隔（天）",
    "import.mappings": "导入时记住的列对应关系",
    "export.roster_presets": "导出花名册的常用列方案",
    "records.reminder_kinds": "需要提醒的实绩记录类别",
    "department.full_name": DEPARTMENT_FULL.label,
    "department.short_name": DEPARTMENT_SHORT.label,
    "department.place": PLACE.label,
}


def label(key: str) -> str:
    """A setting's Chinese name (the key itself only for a key no capability declared)."""
    return KEY_LABELS.get(key, key)


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS.get(key, default) if default is None else default
    return json.loads(row.value)


ENTITY = "设置"  # as the audit log names a setting's change


def put(key: str, value: Any, note: str = "") -> None:
    """Set one key; a change is audited (``note`` ends its summary: conflicts.OVERWROTE)."""
    from cadre_desk.security import audit
    from cadre_desk.store.db import write_transaction
    from cadre_desk.store.portable import upsert_row

    with write_transaction():
        old = get(key)
        payload = json.dumps(value, ensure_ascii=False)
        upsert_row(Setting, Setting.key, key, {Setting.value: payload})
        if old != value:
            name = label(key)
            audit.record(audit.UPDATE, ENTITY, None, f"修改设置 {name}{note}", {name: [old, value]})


def check_read(read_and_now: dict[str, tuple[Any, Any]], what: str, overwrite: bool = False) -> str:
    """Settings a dialog showed, against the store (key → (as read, as stored now); call inside the write
    transaction): another having changed one since, the save is refused — a ConflictError naming ``what``
    (导师帮带设置), who and when (the audit row of that key) — unless ``overwrite``, the user told. What the
    audit summaries end with: conflicts.OVERWROTE when they replace another's change, else ''."""
    from cadre_desk.security import conflicts

    changed = [key for key, (read, now) in read_and_now.items() if read != now]
    if changed and not overwrite:
        raise conflicts.stale(ENTITY, None, what, label(changed[0]))
    return conflicts.OVERWROTE if changed else ""


# ---- who we are --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Department:
    full_name: str = ""  # 中共兴平市委组织部
    short_name: str = ""  # 市委组织部
    place: str = ""  # 兴平市

    @property
    def is_set(self) -> bool:
        return bool(self.full_name)

    @property
    def name(self) -> str:
        """The name a document names its issuer by: the 全称 (the 简称 if only that is set)."""
        return self.full_name or self.short_name


def department() -> Department:
    values = dict(Setting.select(Setting.key, Setting.value)
                  .where(Setting.key.in_([spec.key for spec in USER_SETTINGS])).tuples())
    return Department(*(str(json.loads(values[spec.key])) if spec.key in values else ""
                        for spec in (DEPARTMENT_FULL, DEPARTMENT_SHORT, PLACE)))


def spec_for(name: str) -> SettingSpec | None:
    """A user setting by its key or its Chinese label (组织部全称, department.full_name)."""
    name = (name or "").strip()
    return next((spec for spec in USER_SETTINGS if name in (spec.key, spec.label)), None)


def _clean(spec: SettingSpec, value: str) -> str:
    from cadre_desk.domain.errors import ValidationError

    text = " ".join(str(value or "").split())
    if spec.required and not text:
        raise ValidationError({spec.key: f"请填写{spec.label}"})
    if len(text) > spec.max_length:
        raise ValidationError({spec.key: f"{spec.label}最多 {spec.max_length} 个字"})
    return text


def set_user_settings(values: dict[str, str], read: dict[str, str] | None = None, overwrite: bool = False) -> None:
    """Set user settings (key or label → text), checked together; the right to administer the
    system is needed (anyone before accounts exist). Each change is audited. ``read`` (key → text): what
    the dialog showed — another having changed one since, refused unless ``overwrite`` (check_read); None:
    not checked."""
    from cadre_desk.access import permissions
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.store.db import write_transaction

    permissions.require(permissions.ADMIN)
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = spec_for(name)
        if spec is None:
            errors[str(name)] = f"没有名为“{name}”的设置项（可设置：{'、'.join(s.label for s in USER_SETTINGS)}）"
            continue
        try:
            clean[spec.key] = _clean(spec, value)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        note = "" if read is None else check_read(
            {key: (text, str(get(key, "") or "")) for key, text in read.items()}, "本部门的名称", overwrite)
        for key, text in clean.items():
            put(key, text, note)


def set_department(full_name: str, short_name: str, place: str, read: Department | None = None,
                   overwrite: bool = False) -> Department:
    """``read``: the names as the dialog showed them (set_user_settings)."""
    shown = None if read is None else {DEPARTMENT_FULL.key: read.full_name, DEPARTMENT_SHORT.key: read.short_name,
                                       PLACE.key: read.place}
    set_user_settings({DEPARTMENT_FULL.key: full_name, DEPARTMENT_SHORT.key: short_name, PLACE.key: place},
                      shown, overwrite)
    return department()


def _person() -> str:
    """The logged-in person's display name; "" when nobody logs in (this PC, for the department)."""
    operator = current_operator()
    if operator.user_id is not None or operator.username != LOCAL_USERNAME:
        return operator.label
    return ""


def person_name() -> str:
    """What a box asking for a person (谈话人) starts with: the logged-in person's display name; "" when
    nobody logs in (the department is not a person)."""
    return _person()


def acting_name() -> str:
    """Who a record names as having done it (定稿人, 记录人, 谈话人): the logged-in person's display
    name, or the department's name from the settings when nobody logs in."""
    return _person() or department().name or LOCAL_USERNAME


def printed_by() -> str:
    """打印人 on every working document (dossier, 画像, 工作台, 赛马比选, 提醒单): the logged-in person's
    display name; "" when nobody logs in, and the document leaves the 打印人 line out — the department
    is not a person, and the OS user is never named (the PDF's author still names the department)."""
    return _person()
