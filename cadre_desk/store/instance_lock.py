"""One program instance per database: a lock file beside it with host, PID, user and a heartbeat.

A lock is stale when its process is gone (same host: broken without asking) or its heartbeat is older
than STALE_MINUTES (another host, or a frozen machine: the user may break it)."""

from __future__ import annotations

import contextlib
import datetime as _dt
import getpass
import json
import os
import socket
import threading
from pathlib import Path

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import DatabaseInUseError

HEARTBEAT_SECONDS = 30
STALE_MINUTES = 5


def lock_path_for(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        try:
            import ctypes

            handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
            if not handle:
                return False
            code = ctypes.c_ulong()
            ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            ctypes.windll.kernel32.CloseHandle(handle)
            return code.value == 259  # STILL_ACTIVE
        except (AttributeError, OSError):  # the process cannot be asked about: taken as alive (never break a live lock)
            return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_lock(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_stale(info: dict | None, now: float | None = None) -> bool:
    if not info:
        return True
    now = clock.timestamp() if now is None else now
    if now - float(info.get("heartbeat", 0)) > STALE_MINUTES * 60:
        return True
    return info.get("host") == socket.gethostname() and not pid_alive(int(info.get("pid", 0)))


def _left_by_dead_process_here(info: dict) -> bool:
    """A lock of this computer whose process is gone (a crash, a power cut): nobody holds it, so it is
    broken without asking. A lock of another computer is only stale by its heartbeat: the user decides."""
    return info.get("host") == socket.gethostname() and not pid_alive(int(info.get("pid", 0)))


def describe(info: dict) -> str:
    beat = format_moment(_dt.datetime.fromtimestamp(float(info.get("heartbeat", 0))), seconds=True)
    return (f"该数据库正在被使用：计算机 {info.get('host', '?')}，用户 {info.get('user', '?')}，"
            f"进程号 {info.get('pid', '?')}，最近活动 {beat}。")


class InstanceLock:
    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.path = lock_path_for(self.db_path)
        self.held = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _payload(self) -> str:
        try:
            user = getpass.getuser()
        except (ImportError, KeyError, OSError):  # no login name: the lock names the computer and process
            user = "?"
        return json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "user": user,
                           "started": clock.timestamp(), "heartbeat": clock.timestamp(),
                           "database": str(self.db_path)}, ensure_ascii=False)

    def acquire(self, break_stale: bool = False) -> None:
        """Take the lock, or raise DatabaseInUseError (``stale`` tells whether it may be broken)."""
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                info = read_lock(self.path)
                if info and info.get("host") == socket.gethostname() and int(info.get("pid", 0)) == os.getpid():
                    self.held = True  # our own lock (the window reopened the database)
                    return
                stale = is_stale(info)
                if stale and break_stale or info and _left_by_dead_process_here(info):
                    self.path.unlink(missing_ok=True)
                    continue
                if stale:
                    raise DatabaseInUseError(
                        (describe(info) if info else "发现残留的数据库锁文件。")
                        + "\n该进程似乎已经退出（可能是上次异常关闭）。如确认没有其他人在使用，可以解除锁定后继续。",
                        self.path, stale=True) from None
                raise DatabaseInUseError(describe(info) + "\n同一数据库同时只能由一个程序打开，请先关闭另一处的程序。",
                                         self.path, stale=False) from None
            except OSError:
                return  # a read-only folder: nobody else can write either
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self._payload())
            self.held = True
            return
        raise DatabaseInUseError("无法取得数据库锁，请稍后重试。", self.path)

    def heartbeat(self) -> None:
        if not self.held:
            return
        info = read_lock(self.path) or {}
        if info and info.get("pid") != os.getpid():
            return  # someone broke our lock; do not overwrite theirs
        info.update(json.loads(self._payload()) if not info else {"heartbeat": clock.timestamp()})
        tmp = self.path.with_name(self.path.name + ".tmp")
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)

    def start_heartbeat(self, seconds: float = HEARTBEAT_SECONDS) -> None:
        def loop():
            while not self._stop.wait(seconds):
                self.heartbeat()

        self._thread = threading.Thread(target=loop, name="db-lock-heartbeat", daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._stop.set()
        if self.held:
            info = read_lock(self.path)
            if info is None or info.get("pid") == os.getpid():
                self.path.unlink(missing_ok=True)
            self.held = False
