"""The server database's connection as the writers use it (store.server makes it; it is a module of its
own so that naming a server, or starting on a file, does not load peewee).

A writer on a shared server holds the one writers' lock (store.server.WRITERS_LOCK) while it writes;
what costs time under the lock is waiting for the network, so the statements a writer sends there go
together: BEGIN and the lock with the first statements, the last writes with COMMIT."""

from __future__ import annotations

import contextlib
import functools

from peewee import PostgresqlDatabase, __exception_wrapper__

IMMEDIATE = "IMMEDIATE"  # what write_transaction asks of ``atomic``: SQLite's BEGIN IMMEDIATE, the lock here
# A lock on the audit table in SHARE ROW EXCLUSIVE mode conflicts with itself and with inserts into the
# audit log, never with reads: readers go on while writers queue, as SQLite's BEGIN IMMEDIATE does.
# Every write transaction takes it first, so the audit chain's head is read by one writer at a time
# (one linear chain) and two writers never wait on each other's rows in opposite order. So it is held
# from a write transaction's first statement to its COMMIT: a writer does its reading before it begins
# (profiles.cadres.save_profile), and ServerDatabase spares it round trips while it holds the lock.
WRITERS_LOCK = 'LOCK TABLE "audit_log" IN SHARE ROW EXCLUSIVE MODE'
HELD_ROWS = 200  # the most rows of a bulk write held back to go with the next statement (hold_rows)


class ServerDatabase(PostgresqlDatabase):
    """peewee's PostgreSQL database that spares a writer round trips while it holds the writers' lock.

    A write transaction (``atomic("IMMEDIATE")``, as store.db's write_transaction opens them on both
    engines) begins with the writers' lock, sent together with its first statement; writes whose
    results nobody reads (statements.run_later: the audit row and the chain's head) wait for the next
    statement or for COMMIT and go with it. So BEGIN, the lock and the first statements cost one round
    trip, the last writes and COMMIT one more. Every statement reaches the server through peewee's
    ``_execute_cursor`` (owed statements go in its round trip), ``cursor()``, ``connection()`` or
    ``pipelined``, which send what is owed first: none runs before the lock is taken or before the
    writes held back."""

    def begin(self, isolation_level=None):
        if isolation_level != IMMEDIATE:
            return super().begin(isolation_level)
        if self.is_closed():  # connected now: peewee's connect() forgets the transactions begun
            self.connect()
        self._state.begin_writing = True  # per thread, as peewee's connection state
        self._state.held = []
        return None

    def hold(self, sql: str, params: list, later=None) -> None:
        """A write to send before the transaction's next statement or with its COMMIT; its cursor goes
        to ``later.cursor`` (statements.Later) when it is sent."""
        if not hasattr(self._state, "held"):
            self._state.held = []
        self._state.held.append((sql, params, later))

    def hold_rows(self, sql: str, rows: list) -> bool:
        """Inside a write transaction, a small bulk write (``HELD_ROWS`` rows at most: an import of a
        short roster) held back as ``hold`` holds one: sent with the next statement or the COMMIT, not
        in a round trip of its own. False (nothing held) for more rows or outside a transaction."""
        if not self.in_transaction() or len(rows) > HELD_ROWS:
            return False
        if len(getattr(self._state, "held", None) or []) + len(rows) > HELD_ROWS:
            self._send_owed()
        for row in rows:
            self.hold(sql, list(row))
        return True

    def _take_owed(self) -> tuple[list[str], list]:
        """(BEGIN and the lock when still to send, the writes held back), no longer owed."""
        begin = ["BEGIN", WRITERS_LOCK] if getattr(self._state, "begin_writing", False) else []
        held = getattr(self._state, "held", None) or []
        self._state.begin_writing, self._state.held = False, []
        return begin, held

    def _send_owed(self) -> None:
        begin, held = self._take_owed()
        if begin or held:
            self._send(begin, held)

    def send_owed(self) -> None:
        """Send what the transaction owes now (BEGIN and the lock, the writes held back): one round trip."""
        self._send_owed()

    def _send(self, begin: list[str], held: list, then: str | None = None) -> None:
        conn = super().connection()
        with __exception_wrapper__:
            if not held and then is None:
                conn.execute("; ".join(begin))  # no parameters: one simple query
                return
            with _pipeline(conn):
                for statement in begin:
                    conn.execute(statement)
                _execute_held(conn, held)
                if then is not None:
                    conn.execute(then)

    def connection(self):
        self._send_owed()
        return super().connection()

    def cursor(self, named_cursor=None):  # peewee runs every statement on one of these
        self._send_owed()
        return super().cursor(named_cursor)

    def _execute_cursor(self, sql, params, **cursor_options):
        """peewee's every statement: when the transaction owes BEGIN and the lock or writes held back,
        they go in one round trip with it (psycopg's pipeline) instead of one of their own."""
        owed = getattr(self._state, "begin_writing", False) or getattr(self._state, "held", None)
        if not owed or self.query_hooks or cursor_options or not can_pipeline():
            return super()._execute_cursor(sql, params, **cursor_options)
        self._log_query(sql, params)
        begin, held = self._take_owed()
        with __exception_wrapper__:
            conn = super().connection()
            cursor = conn.cursor()
            with conn.pipeline():
                for statement in begin:
                    conn.execute(statement)
                _execute_held(conn, held)
                cursor.execute(sql, params or ())
        return cursor

    def connect(self, reuse_if_open=False):
        self._state.begin_writing, self._state.held = False, []
        return super().connect(reuse_if_open)

    def commit(self):
        begin, held = self._take_owed()
        if not held:
            return None if begin else super().commit()  # nothing ran: there is nothing to commit
        self._send(begin, held, then="COMMIT")
        return None

    def rollback(self):
        begin, _held = self._take_owed()  # the writes held back are dropped with the rest
        return None if begin else super().rollback()


@contextlib.contextmanager
def _pipeline(conn):
    """psycopg's pipeline when this libpq has it (14 or later), else the statements one by one."""
    if can_pipeline():
        with conn.pipeline():
            yield
    else:
        yield


@functools.cache
def can_pipeline() -> bool:
    """psycopg's pipeline needs libpq 14 or later on this side; the server needs nothing new (it reads
    the same messages, only sooner)."""
    import psycopg

    return psycopg.Pipeline.is_supported()


@contextlib.contextmanager
def pipelined(db):
    """psycopg's pipeline on ``db``'s connection (yielded): statements run on it are sent without
    waiting for each other's results, which are all in when it ends; what the transaction owes (BEGIN
    and the lock, writes held back) goes first, in the same round trip. Errors are raised as peewee
    raises them."""
    begin, held = db._take_owed()
    conn = db.connection()
    with __exception_wrapper__, conn.pipeline():
        for statement in begin:
            conn.execute(statement)
        _execute_held(conn, held)
        yield conn


def _execute_held(conn, held: list) -> None:
    for sql, params, later in held:
        cursor = conn.execute(sql, params)
        if later is not None:
            later.cursor = cursor
