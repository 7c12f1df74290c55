"""Who is working: the operator every audit row names.

Until someone logs in (a database without accounts, the command line) the operator is ``本机`` —
this PC, on behalf of the department — never the operating system's account: its login name
(root, zhangsan) must not reach an audit row, a document or a workbook."""

from __future__ import annotations

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


LOCAL_USERNAME = "本机"
LOCAL = Operator(username=LOCAL_USERNAME)  # nobody logged in: this PC, for the department


_lock = threading.Lock()
_current: Operator | None = None


def current_operator() -> Operator:
    global _current
    with _lock:
        if _current is None:
            _current = LOCAL
        return _current


def set_operator(operator: Operator | None) -> None:
    global _current
    with _lock:
        _current = operator
