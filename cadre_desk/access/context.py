"""Who is working: the operator every audit row names. The OS user until someone logs in."""

from __future__ import annotations

import getpass
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Operator:
    username: str
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    unit_scopes: tuple[int, ...] = ()  # unit ids whose subtrees this operator may touch; () = all
    user_id: int | None = None
    cadre_id: int | None = None  # the operator's own cadre record (self/relative rule)
    id_number: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username


def _os_user() -> Operator:
    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service contexts
        name = "unknown"
    return Operator(username=name)


_lock = threading.Lock()
_current: Operator | None = None


def current_operator() -> Operator:
    global _current
    with _lock:
        if _current is None:
            _current = _os_user()
        return _current


def set_operator(operator: Operator | None) -> None:
    global _current
    with _lock:
        _current = operator
