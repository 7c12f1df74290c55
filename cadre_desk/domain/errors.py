"""The error types every service raises. Messages are Chinese and meant for the user."""

from __future__ import annotations


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
    """A stale copy was saved: someone else changed the record since it was read."""

    def __init__(self, message: str = "该记录已被他人修改，请关闭后重新打开再编辑。"):
        super().__init__(message)


class NotFoundError(CadreDeskError):
    def __init__(self, message: str = "记录不存在或已被删除。"):
        super().__init__(message)


class PermissionDenied(CadreDeskError):
    def __init__(self, message: str = "没有执行此操作的权限。"):
        super().__init__(message)


class DatabaseOpenError(CadreDeskError):
    """The database file cannot be opened: not a database, damaged, or a folder we cannot write."""


class SchemaTooNewError(CadreDeskError):
    """The database was written by a newer version of the app."""


class Cancelled(CadreDeskError):
    def __init__(self, message: str = "操作已取消。"):
        super().__init__(message)
