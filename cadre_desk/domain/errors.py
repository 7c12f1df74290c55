"""The error types every service raises. Messages are Chinese and meant for the user."""

from __future__ import annotations

import errno


class CadreDeskError(Exception):
    """Base of all errors a user should see as a message."""


class ValidationError(CadreDeskError):
    """Invalid input. ``errors`` maps a field key to its Chinese message; '' is the whole record."""

    def __init__(self, errors: dict[str, str] | str, warnings: dict[str, str] | None = None):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)
        self.warnings = dict(warnings or {})
        super().__init__(self.message())

    def message(self) -> str:
        return "；".join(msg for msg in self.errors.values())


class ConflictError(CadreDeskError):
    """A stale copy was saved: someone else changed the record since it was read. ``changed_by`` and
    ``changed_at`` name who changed it and when, as the audit log says ('' when it does not); ``gone``: it
    was deleted (nothing to reload or to save over)."""

    def __init__(self, message: str = "该记录已被他人修改，请关闭后重新打开再编辑。", *, changed_by: str = "",
                 changed_at: str = "", gone: bool = False):
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.gone = gone


class NotFoundError(CadreDeskError):
    def __init__(self, message: str = "记录不存在或已被删除。"):
        super().__init__(message)


class PermissionDenied(CadreDeskError):
    def __init__(self, message: str = "没有执行此操作的权限。"):
        super().__init__(message)


class DatabaseOpenError(CadreDeskError):
    """The database file cannot be opened: not a database, damaged, or a folder we cannot write."""


class DiskFullError(CadreDeskError):
    """The disk of the database is full: nothing is damaged, but the database cannot be opened for
    writing. ``readonly_possible`` tells whether it can be opened read-only to look things up."""

    def __init__(self, message: str, readonly_possible: bool = False):
        super().__init__(message)
        self.readonly_possible = readonly_possible


class DatabaseReadOnlyError(CadreDeskError):
    """A write (an import, a restore…) asked of a database that is open read-only."""


class AuditProblemError(CadreDeskError):
    """A backup whose audit log fails its check: restored only when the administrator accepts it."""


class SchemaTooNewError(CadreDeskError):
    """The database was written by a newer version of the app."""


class Cancelled(CadreDeskError):
    def __init__(self, message: str = "操作已取消。"):
        super().__init__(message)


class DatabaseDamagedError(CadreDeskError):
    """quick_check failed or the file is not a database. ``backup`` is the newest good backup, if any."""

    def __init__(self, message: str, backup=None):
        super().__init__(message)
        self.backup = backup


class DatabaseInUseError(CadreDeskError):
    """Another instance of the program holds the database (lock file beside it)."""

    def __init__(self, message: str, lock_path=None, stale: bool = False):
        super().__init__(message)
        self.lock_path = lock_path
        self.stale = stale


class WrongPassphraseError(CadreDeskError):
    def __init__(self, message: str = "数据库口令错误，无法打开加密数据库。"):
        super().__init__(message)


DISK_FULL_MESSAGE = "磁盘空间不足，操作未完成，已有数据未受影响。请清理磁盘后重试。"


def _chain(exc: BaseException):
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_disk_full(exc: BaseException) -> bool:
    for current in _chain(exc):
        text = str(current).lower()
        if "database or disk is full" in text or "no space left" in text \
                or getattr(current, "errno", 0) == 28 or getattr(current, "sqlite_errorcode", 0) == 13:
            return True
    return False


def friendly_error(exc: BaseException) -> str:
    """A Chinese message for any exception. SQLite's own error is searched in the whole chain, since
    peewee may raise a failed ROLLBACK in its place (disk full, read-only, locked)."""
    if is_disk_full(exc):
        return DISK_FULL_MESSAGE
    for current in _chain(exc):
        text = str(current).lower()
        if "readonly database" in text or "read-only" in text and "database" in text:
            return "数据库为只读，不能保存修改。"
        if "database is locked" in text or "database table is locked" in text:
            return "数据库正被其他程序或用户写入，等待超时，请稍后重试。本次修改未保存。"
        if "malformed" in text or "file is not a database" in text:
            return "数据库文件已损坏或口令不正确，请从备份恢复。"
    if isinstance(exc, CadreDeskError):
        return str(exc)
    if isinstance(exc, OSError):
        return os_error_text(exc)
    return f"操作失败：{exc}"


def os_error_text(exc: OSError, path=None) -> str:
    """The one wording of a file error: the reason in Chinese, then the file (``path`` or the one the
    error names). Never the operating system's English ("[Errno 13] Permission denied: …")."""
    if is_disk_full(exc):
        return DISK_FULL_MESSAGE
    where = path if path is not None else exc.filename
    where = f"：{where}" if where else ""
    reason = OS_ERRORS.get(exc.errno or 0)
    if reason is None and isinstance(exc, PermissionError):
        reason = OS_ERRORS[errno.EACCES]
    if reason is None and isinstance(exc, FileNotFoundError):
        reason = OS_ERRORS[errno.ENOENT]
    return f"{reason}{where}" if reason else f"文件操作失败{where}（系统错误 {exc.errno or '?'}）"


# The operating system's own words are English on most office PCs: the usual cases in Chinese.
OS_ERRORS = {
    errno.ENOENT: "找不到文件或文件夹",
    errno.EACCES: "没有权限访问文件",
    errno.EPERM: "没有权限访问文件",
    errno.EROFS: "文件所在的磁盘或文件夹只读",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EBUSY: "文件正被其他程序占用，请先关闭它",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.EINVAL: "文件名或路径无效",
}
