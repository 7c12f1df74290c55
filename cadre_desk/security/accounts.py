"""Accounts and logins. The roles (三员分立 and least privilege) are in cadre_desk.access.roles; what
an operator may do and see (roles, units, 回避) is worked out by cadre_desk.access.scope.

Passwords are kept only as salted scrypt hashes. A database without users behaves as before accounts
existed (the OS user may do everything); the window asks to create the administrator on first start.
Nobody may edit or print their own profile or a relative's (matched through the family records)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import logging
import os
import secrets
import string
from dataclasses import dataclass

import peewee

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.access.context import Operator, current_operator, set_operator
from cadre_desk.access.roles import (  # noqa: F401
    ADD_ON_ROLES,
    ROLE_ADMIN,
    ROLE_AUDITOR,
    ROLE_CLERK,
    ROLE_READER,
    ROLE_SUPERVISION,
    ROLES,
)
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import CadreDeskError, ValidationError
from cadre_desk.security import audit
from cadre_desk.settings import settings
from cadre_desk.store.db import database, is_readonly, write_transaction
from cadre_desk.store.models import Unit
from cadre_desk.store.security_models import User

log = logging.getLogger(__name__)

settings.DEFAULTS.update({
    "security.password_min_length": 8,
    "security.max_failures": 5,
    "security.lock_minutes": 30,
    "security.idle_minutes": 30,
})

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


class LoginError(CadreDeskError):
    """Wrong name or password, locked or disabled account. The message is for the user."""


# ---- passwords -----------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def password_problem(password: str) -> str | None:
    """A Chinese reason why ``password`` is too weak, or None."""
    minimum = int(settings.get("security.password_min_length") or 8)
    if len(password) < minimum:
        return f"密码至少 {minimum} 位。"
    classes = sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))
    if classes < 3:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
    return None


def one_time_password() -> str:
    """A random password that satisfies the complexity rule (for a first administrator or a reset)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(10))
        candidate = body + secrets.choice("@#%+=") + secrets.choice(string.digits)
        if any(c.islower() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate


# ---- users ----------------------------------------------------------------------------------------


@dataclass
class UserInfo:
    id: int | None
    username: str
    display_name: str = ""
    roles: tuple[str, ...] = ()
    unit_scopes: tuple[int, ...] = ()
    cadre_id: int | None = None
    id_number: str = ""
    active: bool = True
    must_change_password: bool = False
    locked_until: str = ""
    last_login: str = ""
    version: int = 1


def _split_ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in (text or "").split(",") if x.strip())


def _info(row: User) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name,
                    tuple(r for r in row.roles.split(",") if r), _split_ints(row.unit_scopes),
                    row.cadre_id, row.id_number, bool(row.active), bool(row.must_change_password),
                    row.locked_until, row.last_login, row.version)


def has_users() -> bool:
    return User.select().exists()


def list_users() -> list[UserInfo]:
    permissions.require(permissions.ADMIN)
    return [_info(r) for r in User.select().order_by(User.id)]


def get_user(user_id: int) -> UserInfo:
    row = User.get_or_none(User.id == user_id)
    if row is None:
        raise ValidationError("用户不存在。")
    return _info(row)


def _iso(moment: _dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _check_user(info: UserInfo, password: str | None) -> None:
    errors: dict[str, str] = {}
    name = (info.username or "").strip()
    if not name:
        errors["username"] = "请填写用户名。"
    elif len(name) > 40:
        errors["username"] = "用户名不超过 40 个字符。"
    unknown = [r for r in info.roles if r not in ROLES]
    if not info.roles:
        errors["roles"] = "请至少选择一个角色。"
    elif unknown:
        errors["roles"] = f"未知角色：{'、'.join(unknown)}"
    elif ROLE_ADMIN in info.roles and len(info.roles) > 1 or ROLE_AUDITOR in info.roles and len(info.roles) > 1:
        errors["roles"] = "三员分立：系统管理员、安全审计员不能兼任其他角色。"
    else:
        for add_on, bases in ADD_ON_ROLES.items():
            if add_on in info.roles and not set(bases) & set(info.roles):
                errors["roles"] = f"“{add_on}”须与{'或'.join(bases)}角色同时授予。"
    if password is not None:
        problem = password_problem(password)
        if problem:
            errors["password"] = problem
    missing = [u for u in info.unit_scopes if not Unit.select().where(Unit.id == u).exists()]
    if missing:
        errors["unit_scopes"] = "所选单位不存在。"
    if errors:
        raise ValidationError(errors)


def create_user(info: UserInfo, password: str, *, must_change: bool = False) -> UserInfo:
    """Create a user. Only the administrator may, except for the very first user (an administrator)."""
    with write_transaction():
        first = not has_users()
        if first:
            if tuple(info.roles) != (ROLE_ADMIN,):
                raise ValidationError({"roles": "第一个用户必须是系统管理员。"})
        else:
            permissions.require(permissions.ADMIN)
        _check_user(info, password)
        if User.select().where(User.username == info.username.strip()).exists():
            raise ValidationError({"username": "该用户名已存在。"})
        stamp = _iso(clock.now())
        user_id = User.insert(
            username=info.username.strip(), display_name=info.display_name.strip(),
            password_hash=hash_password(password), roles=",".join(info.roles),
            unit_scopes=",".join(str(u) for u in info.unit_scopes), cadre_id=info.cadre_id,
            id_number=(info.id_number or "").strip().upper(), active=1,
            must_change_password=1 if must_change else 0, password_changed_at=stamp,
            created_at=stamp, updated_at=stamp,
        ).execute()
        audit.record(audit.CREATE, "用户", user_id,
                     f"新增用户 {info.username}（{'、'.join(info.roles)}）" + ("，首个管理员" if first else ""))
    return get_user(user_id)


def create_first_admin(username: str = "admin", password: str | None = None,
                       display_name: str = "系统管理员") -> tuple[UserInfo, str]:
    """The first administrator. Without ``password`` a one-time password is generated and must be
    changed at the first login. Returns the user and the password."""
    if has_users():
        raise ValidationError("已存在用户，不能再创建首个管理员。")
    generated = password is None
    password = password or one_time_password()
    user = create_user(UserInfo(None, username, display_name, (ROLE_ADMIN,)), password, must_change=generated)
    return user, password


def _audited(value):
    return list(value) if isinstance(value, tuple) else value


def update_user(info: UserInfo) -> UserInfo:
    with write_transaction():
        permissions.require(permissions.ADMIN)
        row = User.get_or_none(User.id == info.id)
        if row is None:
            raise ValidationError("用户不存在。")
        _check_user(info, None)
        before = _info(row)
        demoted = ROLE_ADMIN in before.roles and ROLE_ADMIN not in info.roles
        if row.id == current_operator().user_id and (demoted or not info.active):
            raise ValidationError(SELF_REFUSAL)
        if demoted or not info.active:
            _keep_one_admin(row.id)
        values = dict(display_name=info.display_name.strip(), roles=",".join(info.roles),
                      unit_scopes=",".join(str(u) for u in info.unit_scopes), cadre_id=info.cadre_id,
                      id_number=(info.id_number or "").strip().upper(), active=1 if info.active else 0)
        changed = (User.update(**values, version=User.version + 1, updated_at=_iso(clock.now()))
                   .where(User.id == info.id, User.version == info.version).execute())
        if not changed:
            from cadre_desk.security import conflicts

            raise conflicts.stale("用户", info.id, f"用户“{row.username}”")
        after = get_user(info.id)
        # values as they are (lists, a bool): the 审计日志 names the units and says 是/否 from them
        old = {k: _audited(getattr(before, k)) for k in ("display_name", "roles", "unit_scopes", "cadre_id",
                                                          "id_number", "active")}
        new = {k: _audited(getattr(after, k)) for k in old}
        audit.record(audit.UPDATE, "用户", info.id, f"修改用户 {row.username}", audit.diff(old, new))
    return after


# The administrator at work cannot disable or demote the account in use (the session went on with the
# rights it no longer had); another administrator does it.
SELF_REFUSAL = "不能停用本人的账号，也不能取消本人的系统管理员角色：请由另一名系统管理员操作。"
LAST_ADMIN_REFUSAL = "至少要保留一名启用的系统管理员：请先新增或启用另一名系统管理员，再停用或改变此账号。"


def is_last_admin(user_id: int | None) -> bool:
    """Whether this is the only active 系统管理员 (who can be neither disabled nor demoted)."""
    admins = [r.id for r in User.select().where(User.active == 1) if ROLE_ADMIN in r.roles.split(",")]
    return admins == [user_id]


def _keep_one_admin(user_id: int) -> None:
    others = [r for r in User.select().where(User.id != user_id, User.active == 1)
              if ROLE_ADMIN in r.roles.split(",")]
    if not others:
        raise ValidationError(LAST_ADMIN_REFUSAL)


def reset_password(user_id: int) -> str:
    """The administrator gives a user a one-time password (to be changed at the next login)."""
    with write_transaction():
        permissions.require(permissions.ADMIN)
        row = User.get_or_none(User.id == user_id)
        if row is None:
            raise ValidationError("用户不存在。")
        password = one_time_password()
        User.update(password_hash=hash_password(password), must_change_password=1, failed_count=0,
                    locked_until="", version=User.version + 1).where(User.id == user_id).execute()
        audit.record(audit.UPDATE, "用户", user_id, f"重置用户 {row.username} 的密码")
    return password


def unlock_user(user_id: int) -> None:
    with write_transaction():
        permissions.require(permissions.ADMIN)
        row = User.get_by_id(user_id)
        User.update(failed_count=0, locked_until="").where(User.id == user_id).execute()
        audit.record(audit.UPDATE, "用户", user_id, f"解除用户 {row.username} 的锁定")


# ---- login -----------------------------------------------------------------------------------------


def operator_for(user: UserInfo) -> Operator:
    return Operator(username=user.username, display_name=user.display_name, roles=frozenset(user.roles),
                    unit_scopes=tuple(user.unit_scopes), user_id=user.id, cadre_id=user.cadre_id,
                    id_number=user.id_number)


def _locked_message(until: str) -> str:
    return f"该账号因连续输错密码已被锁定，请于 {format_moment(until)} 后再试，或请系统管理员解锁。"


def failure_message() -> str:
    """What every failed login says, whether the name exists, the password was wrong, the account is
    locked or disabled (without the right password): nothing tells an account apart from a guess."""
    limit = int(settings.get("security.max_failures") or 5)
    minutes = int(settings.get("security.lock_minutes") or 30)
    return f"用户名或密码错误（连续输错 {limit} 次，账号将锁定 {minutes} 分钟）。"


def record_failure(user_id: int | None, username: str, why: str) -> str:
    """Count one failed attempt (a wrong password); lock the account after too many. Returns the
    message for the user. A read-only database cannot count (nor audit) the failure."""
    if _readonly_database():
        return failure_message()
    with write_transaction():
        if user_id is not None:
            row = User.get_by_id(user_id)
            failures = row.failed_count + 1
            limit = int(settings.get("security.max_failures") or 5)
            values = {"failed_count": failures}
            if failures >= limit:
                until = _iso(clock.now() + _dt.timedelta(minutes=int(settings.get("security.lock_minutes") or 30)))
                values = {"failed_count": 0, "locked_until": until}
                why += "，账号已锁定"
            User.update(**values).where(User.id == user_id).execute()
        audit.record(audit.LOGIN_FAILED, "用户", user_id, f"{username} 登录失败：{why}", user=username or "?")
    return failure_message()


# The hash of a random password nobody kept, with the cost of a real one: checking a name that does
# not exist takes as long as checking a wrong password (and can never succeed: there is no row).
_DECOY_HASH = ("scrypt$16384$8$1$21e8f15bd60549f3ef1f1909c495ca5f$"
               "687e4053211dd6c325db8353d868938fb5814e86b4050ab38ea3255a193f81de")


def authenticate(username: str, password: str) -> UserInfo:
    """Check a name and password. Raises LoginError with a Chinese message; audits both outcomes.
    Does not switch the operator (see login). The password is hashed even for an unknown name, and
    only the right password learns that the account is locked or disabled."""
    username = (username or "").strip()
    row = User.get_or_none(User.username == username)
    correct = verify_password(password or "", row.password_hash if row is not None else _DECOY_HASH)
    if row is None:
        raise LoginError(record_failure(None, username, "用户不存在"))
    now = clock.now()
    locked = bool(row.locked_until and row.locked_until > _iso(now))
    if not row.active or locked:
        why = "账号已停用" if not row.active else "账号锁定中"
        if not _readonly_database():
            with write_transaction():
                audit.record(audit.LOGIN_FAILED, "用户", row.id,
                             f"{username} 登录失败：{why}" + ("" if correct else "（密码错误）"), user=username)
        if not correct:
            raise LoginError(failure_message())
        raise LoginError("该账号已停用，请联系系统管理员。" if not row.active else _locked_message(row.locked_until))
    if not correct:
        raise LoginError(record_failure(row.id, username, "密码错误"))
    if not _readonly_database():
        with write_transaction():
            User.update(failed_count=0, locked_until="", last_login=_iso(now)).where(User.id == row.id).execute()
            audit.record(audit.LOGIN, "用户", row.id, f"{username} 登录", user=username)
    return get_user(row.id)


def login(username: str, password: str) -> UserInfo:
    user = authenticate(username, password)
    set_operator(operator_for(user))
    return user


def logout(reason: str = "") -> None:
    operator = current_operator()
    if operator.user_id is not None and not database.obj.is_closed() and not is_readonly():
        try:
            with write_transaction():
                audit.record(audit.LOGOUT, "用户", operator.user_id,
                             f"{operator.username} 退出" + (f"（{reason}）" if reason else ""))
        except (CadreDeskError, peewee.DatabaseError) as exc:
            # The session ends whatever happens (the window is closing): a logout row that cannot be
            # written (a full disk, a damaged file) is logged, and the next start reports the file.
            log.warning("logout of %s not recorded: %s", operator.username, exc)
    set_operator(None)


def session_holds() -> bool:
    """Whether the session may go on after the database's content was replaced (a restore): the
    logged-in account is still there as it logged in — same user, enabled, same roles and units. A
    restore of an older backup or of another database's may have dropped it or made it someone else."""
    operator = current_operator()
    if operator.user_id is None:
        return not has_users()  # nobody logged in: fine while the database still has no accounts
    row = User.get_or_none(User.id == operator.user_id)
    return row is not None and operator_for(_info(row)) == operator and bool(row.active)


def verify_current_password(password: str) -> None:
    """For the idle lock screen: the logged-in user types the password again."""
    operator = current_operator()
    if operator.user_id is None:
        return
    authenticate(operator.username, password)


def change_password(user_id: int, old_password: str, new_password: str) -> None:
    row = User.get_or_none(User.id == user_id)
    if row is None:
        raise ValidationError("用户不存在。")
    if not verify_password(old_password or "", row.password_hash):
        raise ValidationError({"old_password": "原密码不正确。"})
    problem = password_problem(new_password)
    if problem:
        raise ValidationError({"password": problem})
    if verify_password(new_password, row.password_hash):
        raise ValidationError({"password": "新密码不能与原密码相同。"})
    with write_transaction():
        User.update(password_hash=hash_password(new_password), must_change_password=0,
                    password_changed_at=_iso(clock.now()), version=User.version + 1).where(User.id == user_id).execute()
        audit.record(audit.UPDATE, "用户", user_id, f"{row.username} 修改密码", user=row.username)


def idle_minutes() -> int:
    return int(settings.get("security.idle_minutes") or 30)


# ---- the policy: cadre_desk.access.scope works it out --------------------------------------------


def enforce_login(required: bool) -> None:
    """The window (and a command line run as an account) turns this on once accounts exist: from
    then on an operator who has not logged in (after a logout, say) may do nothing."""
    access_scope.require_login(required)


_readonly_database = access_scope.readonly_database


SECURITY_SETTINGS = {
    "security.password_min_length": (settings.label("security.password_min_length"), 8, 64),
    "security.max_failures": (settings.label("security.max_failures"), 3, 20),
    "security.lock_minutes": (settings.label("security.lock_minutes"), 5, 1440),
    "security.idle_minutes": (settings.label("security.idle_minutes"), 1, 240),
    "backup.keep_daily": (settings.label("backup.keep_daily"), 1, 60),
    "backup.keep_weekly": (settings.label("backup.keep_weekly"), 0, 52),
    "backup.keep_monthly": (settings.label("backup.keep_monthly"), 0, 120),
}


def security_settings() -> dict[str, int]:
    return {key: int(settings.get(key) or settings.DEFAULTS.get(key, low))
            for key, (_label, low, _high) in SECURITY_SETTINGS.items()}


def save_security_settings(values: dict[str, int], read: dict[str, int] | None = None, overwrite: bool = False) -> None:
    """The administrator's security and backup numbers (audited by settings.put). ``read``: the numbers as
    the dialog showed them — another administrator having changed one since, refused (naming who and when)
    unless ``overwrite`` (settings.check_read); None: not checked."""
    with write_transaction():
        permissions.require(permissions.ADMIN)
        errors = {}
        for key, value in values.items():
            label, low, high = SECURITY_SETTINGS[key]
            if not low <= int(value) <= high:
                errors[key] = f"{label}应在 {low}–{high} 之间。"
        if errors:
            raise ValidationError(errors)
        now = security_settings()
        note = "" if read is None else settings.check_read({key: (read[key], now[key]) for key in read}, "安全与备份设置",
                                                           overwrite)
        for key, value in values.items():
            settings.put(key, int(value), note)
