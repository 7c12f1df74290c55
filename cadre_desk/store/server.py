"""The shared database of a department: PostgreSQL on the office network.

A server database is named by a URL, ``postgresql://user@host:5432/cadre``; the password is never part
of what is stored or shown (it comes from a prompt, the environment or libpq's own password file).
Several clerks' programs work on it at once: writes queue on one lock (the audit chain stays linear),
optimistic locking catches a stale save, and each change is announced (LISTEN/NOTIFY) so the other
programs refresh the rows they list."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from peewee import PostgresqlDatabase

log = logging.getLogger(__name__)

SCHEMES = ("postgresql", "postgres")
DEFAULT_PORT = 5432
CHANNEL = "cadre_desk"  # the LISTEN/NOTIFY channel the triggers of migration 9 announce changes on
CONNECT_TIMEOUT_S = 10
PASSWORD_ENV = "CADRE_DESK_DB_PASSWORD"


def is_server_url(text) -> bool:
    return isinstance(text, str) and text.split("://", 1)[0].lower() in SCHEMES and "://" in text


@dataclass(frozen=True)
class ServerLocation:
    """Where a server database is: host, port, database, user (the password only in memory)."""

    host: str
    port: int = DEFAULT_PORT
    dbname: str = "cadre"
    user: str = ""
    password: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, url: str) -> ServerLocation:
        from cadre_desk.domain.errors import CadreDeskError

        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES:
            raise CadreDeskError(f"不是服务器数据库地址：{url}（应为 postgresql://用户@主机:端口/数据库）")
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise CadreDeskError(f"服务器地址中的端口不正确：{url}") from None
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname:
            raise CadreDeskError(f"服务器数据库地址不完整：{url}（应为 postgresql://用户@主机:端口/数据库）")
        return cls(parts.hostname, port, dbname, unquote(parts.username or ""),
                   unquote(parts.password) if parts.password else None)

    @property
    def url(self) -> str:
        """The URL without the password: safe to show, log and remember."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{user}{host}:{self.port}/{quote(self.dbname, safe='')}"

    @property
    def name(self) -> str:
        """How the window title and messages name it."""
        return f"{self.dbname}@{self.host}:{self.port}"

    @property
    def stem(self) -> str:
        """A file-name-safe name, for the local folder of its snapshots."""
        import re

        return re.sub(r"[^\w\-.]+", "_", f"{self.dbname}-{self.host}-{self.port}")

    def with_password(self, password: str | None) -> ServerLocation:
        return replace(self, password=password)

    def exists(self) -> bool:  # a server database is there once it is reachable; it is never created here
        return True

    def __str__(self) -> str:
        return self.url


def connect_params(location: ServerLocation) -> dict:
    params = {"host": location.host, "port": location.port, "user": location.user or None,
              "connect_timeout": CONNECT_TIMEOUT_S, "application_name": "cadre_desk"}
    if location.password:
        params["password"] = location.password
    return {k: v for k, v in params.items() if v is not None}


def make_server_database(location: ServerLocation) -> PostgresqlDatabase:
    from cadre_desk.store import drivers

    drivers.load_server_driver()  # peewee was imported without psycopg (drivers.defer_server_driver)
    from cadre_desk.store.server_db import ServerDatabase  # here: reading a --db URL does not load peewee

    db = ServerDatabase(location.dbname, prefer_psycopg3=True, **connect_params(location))
    db._cadre_location = location
    return db


def location_of(db) -> ServerLocation | None:
    return getattr(getattr(db, "obj", db), "_cadre_location", None)


def needs_password(exc: BaseException) -> bool:
    """Did the server refuse the connection for want of (the right) password?"""
    text = str(exc).lower()
    return "password" in text and ("no password supplied" in text or "authentication failed" in text)


def connection_error_message(location: ServerLocation, exc: BaseException) -> str:
    text = str(exc)
    lower = text.lower()
    if needs_password(exc):
        return f"连接服务器 {location.name} 失败：用户名或密码不正确（用户 {location.user or '（未填）'}）。"
    if "does not exist" in lower and "database" in lower:
        return f"服务器 {location.host}:{location.port} 上没有数据库“{location.dbname}”。请信息中心先建库（见 docs/DEPLOY.md）。"
    if "pg_hba" in lower or "no pg_hba.conf entry" in lower:
        return f"服务器 {location.name} 拒绝了本机的连接：请信息中心在 pg_hba.conf 中允许本科室网段。"
    if "timeout" in lower or "timed out" in lower:
        return f"连接服务器 {location.host}:{location.port} 超时：请检查网络、服务器是否开机、端口是否正确。"
    if "refused" in lower or "could not connect" in lower or "connection failed" in lower \
            or "name or service not known" in lower or "could not translate host" in lower:
        return f"无法连接服务器 {location.host}:{location.port}：请检查地址、端口和网络，确认数据库服务已启动。"
    return f"连接服务器 {location.name} 失败：{text.strip().splitlines()[0] if text.strip() else type(exc).__name__}"


# ---- the writers' lock -------------------------------------------------------------------------------

def lock_writers(db) -> None:
    """Inside a transaction not begun as a write transaction: wait for the one writers' lock (held
    until commit or rollback; server_db.WRITERS_LOCK says what it is)."""
    from cadre_desk.store.server_db import WRITERS_LOCK

    db.execute_sql(WRITERS_LOCK)


# ---- schema version ----------------------------------------------------------------------------------

VERSION_TABLE = "schema_version"


def schema_version(db) -> int:
    """The server's schema version (a one-row table: PostgreSQL has no PRAGMA user_version)."""
    cursor = db.execute_sql(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = %s", (VERSION_TABLE,))
    if not cursor.fetchone()[0]:
        return 0
    row = db.execute_sql(f'SELECT MAX("version") FROM "{VERSION_TABLE}"').fetchone()
    return int(row[0] or 0)


def set_schema_version(db, version: int) -> None:
    db.execute_sql(f'CREATE TABLE IF NOT EXISTS "{VERSION_TABLE}" ("version" INTEGER NOT NULL)')
    db.execute_sql(f'DELETE FROM "{VERSION_TABLE}"')
    db.execute_sql(f'INSERT INTO "{VERSION_TABLE}" ("version") VALUES (%s)', (int(version),))


def lock_migrations(db) -> None:
    """Two programs starting on a new server at once: the second waits while the first migrates."""
    db.execute_sql(f'CREATE TABLE IF NOT EXISTS "{VERSION_TABLE}" ("version" INTEGER NOT NULL)')
    db.execute_sql(f'LOCK TABLE "{VERSION_TABLE}" IN EXCLUSIVE MODE')


def table_names(db) -> list[str]:
    """The program's tables on the server (not the version table)."""
    cursor = db.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [name for (name,) in cursor.fetchall() if name != VERSION_TABLE]


# ---- announcing changes --------------------------------------------------------------------------------

def announce(db, payload: str) -> None:
    """Tell every listening program (delivered when the transaction commits): "reload" after a restore.
    A server without LISTEN/NOTIFY (openGauss) is told nothing: its clerks refresh by hand."""
    import peewee

    try:
        with db.atomic():  # a savepoint: a refusal must not spoil the transaction around it
            db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
    except peewee.DatabaseError as exc:
        log.warning("cannot announce %r on the server: %s", payload, exc)


NOTICE_FUNCTIONS = {
    "cadre_desk_cadre_changed": """CREATE OR REPLACE FUNCTION cadre_desk_cadre_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('cadre_desk', 'cadre:' || OLD.id);
    ELSE
        PERFORM pg_notify('cadre_desk', 'cadre:' || NEW.id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    "cadre_desk_unit_changed": """CREATE OR REPLACE FUNCTION cadre_desk_unit_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('cadre_desk', 'unit');
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
}
NOTICE_TRIGGERS = {
    "cadre_desk_cadre_changed": 'CREATE TRIGGER cadre_desk_cadre_changed AFTER INSERT OR UPDATE OR DELETE ON "cadre" '
                                "FOR EACH ROW EXECUTE PROCEDURE cadre_desk_cadre_changed()",
    "cadre_desk_unit_changed": 'CREATE TRIGGER cadre_desk_unit_changed AFTER INSERT OR UPDATE OR DELETE ON "unit" '
                               "FOR EACH STATEMENT EXECUTE PROCEDURE cadre_desk_unit_changed()",
}


def install_change_notices(db) -> None:
    """The triggers that announce each change of a cadre or a unit on the channel (once per server; they
    are part of the server's plumbing, not of the schema a SQLite file shares, so no migration makes
    them). Without the right to create them (a clerk's login on a server set up by hand) the lists
    refresh on 刷新 only; the log says so."""
    import peewee

    have = {name for (name,) in db.execute_sql(
        "SELECT tgname FROM pg_trigger WHERE tgname IN (%s, %s)", tuple(NOTICE_TRIGGERS)).fetchall()}
    if have == set(NOTICE_TRIGGERS):
        return
    try:
        with db.atomic():
            for name, statement in NOTICE_TRIGGERS.items():
                if name not in have:
                    db.execute_sql(NOTICE_FUNCTIONS[name])
                    db.execute_sql(statement)
    except peewee.DatabaseError as exc:
        log.warning("cannot install change notices on the server: %s", exc)


# ---- listening for changes --------------------------------------------------------------------------------

class ChangeListener:
    """LISTEN on the change channel in a thread of its own (its own connection): the notifications
    ("cadre:ID", "unit", "reload") reach ``on_change(kind, ids)`` gathered over ``batch_s`` seconds.
    The caller moves them to its own thread (the window: a queued Qt signal)."""

    def __init__(self, location: ServerLocation, on_change, batch_s: float = 0.3):
        self.location = location
        self.on_change = on_change
        self.batch_s = batch_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="change_listener", daemon=True)
        self.error: str | None = None
        self.ready = threading.Event()

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(autocommit=True, dbname=self.location.dbname,
                                     **connect_params(self.location)) as conn:
                    conn.execute(f'LISTEN "{CHANNEL}"')
                    self.ready.set()
                    self._listen(conn)
            except psycopg.Error as exc:  # the server went away: say so once, try again in a while
                if self.error is None:
                    log.warning("change listener: %s", exc)
                self.error = str(exc)
                self._stop.wait(5)

    def _listen(self, conn) -> None:
        import time

        cadres: set[int] = set()
        others: set[str] = set()  # "unit", "reload"
        first = 0.0
        while not self._stop.is_set():
            for note in conn.notifies(timeout=self.batch_s, stop_after=1000):
                kind, _, ident = note.payload.partition(":")
                if kind == "cadre" and ident.isdigit():
                    cadres.add(int(ident))
                elif kind in ("unit", "reload"):
                    others.add(kind)
                else:
                    continue
                first = first or time.monotonic()
            if first and (time.monotonic() - first >= self.batch_s or len(cadres) >= 5000):
                if "reload" in others:
                    self._deliver("reload", [])
                else:
                    if "unit" in others:
                        self._deliver("unit", [])
                    if cadres:
                        self._deliver("cadre", sorted(cadres))
                cadres, others, first = set(), set(), 0.0

    def _deliver(self, kind: str, ids: list[int]) -> None:
        try:
            self.on_change(kind, ids)
        except Exception:  # noqa: BLE001 - a failing receiver must not end the listening
            log.exception("change listener: receiver failed")
