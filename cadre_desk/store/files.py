"""Writing a file so that nobody ever sees half of it: a temporary file beside the target, renamed
over it only when it is complete. Every writer of the program (exports, dossiers, LRMX, problem
reports, backups, a new or re-encrypted database) goes through ``atomic_path``.

The temporary files of a process that was killed (power cut, kill -9, the task manager) are listed in
a small register in the per-user data folder; ``clean_leftovers`` deletes them at the next start.

Permissions, decided once:
- a document (PDF, workbook, LRMX, report) gets what any program's newly saved file gets: 0666 less
  the umask (0644 on a usual desktop), or the permissions of the file it replaces. Windows keeps its
  folder's access rules either way. A fixed 0600 (what tempfile.mkstemp gave PDFs) hid files a clerk
  saved into a shared folder for colleagues, and was nobody's decision;
- a database or a backup of it gets the database file's own permissions (``mode=``): a copy must not
  be readable by more people than the original."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".part"
# SQLite's companions of a database written to a temporary name (a backup's rollback journal).
_COMPANIONS = ("-journal", "-wal", "-shm")
_REGISTER_DIR = "pending-writes"


def temp_name_for(target: Path) -> Path:
    """A hidden, unique name beside ``target``: .名册.xlsx.3fa9c2d1.part"""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def file_mode(path: Path) -> int | None:
    """The permission bits of ``path``, or None when it does not exist."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, *, mode: int | None = None, durable: bool = False) -> Iterator[Path]:
    """Yield the path of a new, empty temporary file beside ``target``; when the block ends without an
    exception it replaces ``target`` (one rename: readers see the old file or the new one, never a
    part). On an exception, or a cancel, the temporary file is deleted and ``target`` is untouched.

    ``mode``: permission bits for the new file (default: those of the file it replaces, else 0666 less
    the umask). ``durable``: flush the file to the disk before the rename (databases and backups)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = file_mode(target)
    tmp, fd = _create(target)
    try:
        try:
            if mode is not None:
                with contextlib.suppress(OSError):  # e.g. a FAT stick: no permission bits to set
                    os.chmod(tmp, mode)
        finally:
            os.close(fd)
        yield tmp
        if durable:
            _flush(tmp)
        os.replace(tmp, target)
        if durable:
            _flush_folder(target.parent)
    finally:
        remove_temp(tmp)
        _unregister(tmp)


def write_atomic(target: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def remove_temp(tmp: Path) -> None:
    """Delete a temporary file and any SQLite companion it grew (x.part-journal)."""
    for path in (tmp, *(tmp.with_name(tmp.name + s) for s in _COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _create(target: Path) -> tuple[Path, int]:
    """A new temporary file, noted in the register before it exists (a kill in between leaves a line
    naming nothing, never a file nobody knows of)."""
    for _attempt in range(20):
        tmp = temp_name_for(target)
        _register(tmp)
        try:
            # 0o666: the kernel applies the umask, as it does to any file a program saves
            return tmp, os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            _unregister(tmp)
        except BaseException:  # any failure, an interrupt too: forget the name, then let it go on
            _unregister(tmp)
            raise
    raise FileExistsError(f"cannot make a temporary file beside {target}")


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_folder(folder: Path) -> None:
    """The rename itself reaches the disk (POSIX; Windows cannot open a folder for fsync)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---- the register of temporary files, for the next start ------------------------------------------

_lock = threading.Lock()
_pending: set[str] = set()


def _register_file() -> Path:
    """One register per process: <computer>_<pid>.txt (a roaming data folder may be seen by others)."""
    from cadre_desk.paths import data_dir

    return data_dir() / _REGISTER_DIR / f"{socket.gethostname()}_{os.getpid()}.txt"


def _register(tmp: Path) -> None:
    """Note ``tmp`` before anything is written to it: if this process dies, the next start finds it."""
    with _lock:
        _pending.add(str(tmp))
        try:
            register = _register_file()
            register.parent.mkdir(parents=True, exist_ok=True)
            with open(register, "a", encoding="utf-8") as fh:
                fh.write(f"{tmp.resolve()}\n")
        except OSError as exc:  # the export itself must not fail for its register
            log.warning("cannot note temporary file %s: %s", tmp, exc)


def _unregister(tmp: Path) -> None:
    with _lock:
        _pending.discard(str(tmp))
        if not _pending:  # nothing of ours is pending: the register has nothing left to say
            with contextlib.suppress(OSError):
                _register_file().unlink()


def clean_leftovers() -> list[Path]:
    """Delete the temporary files of processes that are gone (killed in the middle of an export, a
    dossier, a backup). Returns what was deleted. Only files named like ours (….part) are touched."""
    from cadre_desk.paths import data_dir
    from cadre_desk.store.instance_lock import pid_alive

    folder = data_dir() / _REGISTER_DIR
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for register in folder.glob("*.txt"):
        host, _, pid = register.stem.rpartition("_")
        if host != socket.gethostname() or not pid.isdigit():
            continue  # another computer's process: only it knows whether it still runs
        if int(pid) == os.getpid() or pid_alive(int(pid)):
            continue
        try:
            lines = register.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            log.warning("cannot read %s: %s", register, exc)
            continue
        kept = []
        for line in lines:
            tmp = Path(line.strip())
            if not tmp.name.startswith(".") or not tmp.name.endswith(TEMP_SUFFIX) or not tmp.exists():
                continue
            try:
                remove_temp(tmp)
                removed.append(tmp)
            except OSError as exc:  # on a stick that is not plugged in now, say: try again next time
                log.warning("cannot delete leftover %s: %s", tmp, exc)
                kept.append(line)
        with contextlib.suppress(OSError):
            if kept:
                register.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
            else:
                register.unlink()
    if removed:
        log.info("deleted %d leftover temporary files: %s", len(removed), removed)
    return removed
