"""A second clerk's window in a process of its own, on a server database (tests/test_server_ui.py).

    python tests/server_window_peer.py postgresql://…

Reads commands from stdin, one per line, answers on stdout:
    wait NAME          → "seen NAME <ms>" when NAME shows in its cadre list (or "timeout NAME")
    rename ID NAME     → saves the profile's new name through the services → "saved ID"
    quit
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(url: str) -> int:
    from PySide6.QtCore import QObject, QTimer, Signal

    from cadre_desk.__main__ import register_all
    from cadre_desk.access import context as access
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadre_list import COL
    from cadre_desk.store.opening import open_database
    from cadre_desk.store.server import ServerLocation
    from ui.shell.app import build_main_window, make_app
    from ui.shell.server_link import ChangeBridge

    register_all()
    access.set_operator(access.Operator(username="peer", display_name="另一位经办人"))
    app = make_app()
    location = ServerLocation.parse(url)
    open_database(location)
    window = build_main_window(location)
    window.show()
    bridge = ChangeBridge(window.context, location).start()

    def names() -> set[str]:
        page = window.page("cadres")
        return {row[COL["name"]] for row in page.model.rows} if page is not None else set()

    def say(text: str) -> None:
        print(text, flush=True)

    def wait(name: str, started: float) -> None:
        if name in names():
            say(f"seen {name} {int((time.monotonic() - started) * 1000)}")
        elif time.monotonic() - started > 5:
            say(f"timeout {name}")
        else:
            QTimer.singleShot(20, lambda: wait(name, started))

    def command(line: str) -> None:
        parts = line.split()
        if not parts:
            return
        if parts[0] == "wait":
            wait(parts[1], time.monotonic())
        elif parts[0] == "rename":
            profile = cadres.get_profile(int(parts[1]))
            profile.values["name"] = parts[2]
            cadres.save_profile(profile)
            window.context.notify_cadres_changed([profile.id])
            say(f"saved {parts[1]}")
        elif parts[0] == "quit":
            bridge.stop()
            window.close()
            app.quit()

    class Commands(QObject):
        line = Signal(str)

    commands = Commands()
    commands.line.connect(command)

    def read() -> None:
        for line in sys.stdin:
            commands.line.emit(line.strip())
        commands.line.emit("quit")

    threading.Thread(target=read, daemon=True).start()
    QTimer.singleShot(0, lambda: say("ready"))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
