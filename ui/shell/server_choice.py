"""Which database this user chose last time: a server (remembered per operating-system user in
QSettings; never the password) or this PC's file. Without widgets: a start reads it before anything of
the 连接服务器 dialog (ui.shell.server_link) is loaded."""

from __future__ import annotations

from cadre_desk.store.server import DEFAULT_PORT, ServerLocation

MODE_KEY, SERVER, LOCAL = "database/mode", "server", "local"
FIELD_KEYS = ("database/host", "database/port", "database/dbname", "database/user")


def _settings():
    from ui.widgets.window import settings

    return settings()


def remembered_server() -> ServerLocation | None:
    """The server this user chose last time, when the choice is the server (no password: never kept)."""
    store = _settings()
    if store.value(MODE_KEY) != SERVER:
        return None
    host, port, dbname, user = (store.value(key) for key in FIELD_KEYS)
    if not host or not dbname:
        return None
    try:
        port = int(port or DEFAULT_PORT)
    except (TypeError, ValueError):
        port = DEFAULT_PORT
    return ServerLocation(str(host), port, str(dbname), str(user or ""))


def remember_server(location: ServerLocation) -> None:
    store = _settings()
    store.setValue(MODE_KEY, SERVER)
    for key, value in zip(FIELD_KEYS, (location.host, location.port, location.dbname, location.user), strict=True):
        store.setValue(key, value)
    store.sync()


def remember_local() -> None:
    store = _settings()
    store.setValue(MODE_KEY, LOCAL)
    store.sync()
