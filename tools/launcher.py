"""Entry point of the frozen app (PyInstaller): the same as ``python -m cadre_desk``."""

import multiprocessing
import os
import sys


def _console_streams() -> None:
    """The Windows build is a window app: it has no stdout/stderr, and print, argparse and logging
    would fail on None. Write to the console it was started from (``start /wait cadre_desk.exe
    check`` in cmd), else nowhere."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    stream = None
    if sys.platform == "win32":
        try:
            import ctypes

            if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
                stream = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        except Exception:  # noqa: BLE001 - no console: fall through to devnull
            stream = None
    if stream is None:
        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _console_streams()
    from cadre_desk.__main__ import main

    sys.exit(main())
