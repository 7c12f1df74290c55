"""Statements made once and run again with new values.

Reading and saving a profile runs the same dozen statements every time, only with other values. peewee
builds a statement anew on every call, and over the cadre table's columns that took most of the CPU a
save costs (about 0.5 ms a statement, ten times what the driver needs to send it). A ``Statement`` is
built the first time it runs on an engine; afterwards only its values change. The same text every
time also lets psycopg prepare it on a server (after five runs), so the server plans it once.

    BY_ID = Statement(lambda: Cadre.select(Cadre.name).where(Cadre.id == slot("id")))
    BY_ID.execute(id=5).fetchone()

A slot takes its value as it is, or through ``convert`` (a field's ``db_value``), as peewee would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peewee import Value, logger

from cadre_desk.store.db import database


class _Slot:
    __slots__ = ("name", "convert")

    def __init__(self, name: str, convert: Callable[[Any], Any] | None):
        self.name = name
        self.convert = convert


def slot(name: str, convert: Callable[[Any], Any] | None = None) -> Value:
    """A value given when the statement runs (``execute(name=…)``)."""
    return Value(_Slot(name, convert), converter=False)


def param(name: str) -> _Slot:
    """In the parameters of a ``Composed`` statement: the value given by that name when it runs."""
    return _Slot(name, None)


def slots_of(fields) -> dict:
    """{field: slot(its name, its db_value)} for an INSERT or UPDATE of these fields."""
    return {field: slot(field.name, field.db_value) for field in fields}


class Statement:
    """A peewee query (made by ``build``) whose SQL is made once per engine."""

    def __init__(self, build: Callable[[], Any]):
        self._build = build
        self._made: dict[type, tuple[str, list]] = {}

    def _sql(self, db) -> tuple[str, list]:
        made = self._made.get(type(db))
        if made is None:
            made = self._made[type(db)] = self._make(db)
        return made

    def _make(self, db) -> tuple[str, list]:
        return db.get_sql_context().sql(self._build()).query()

    def sql_of(self, db) -> tuple[str, list]:
        """(its SQL in ``db``'s words, its parameters: values, and slots filled when it runs)."""
        return self._sql(db)

    def execute(self, **values):
        """Run it with these values for its slots; the driver's cursor (rows as plain tuples)."""
        db = database.obj
        sql, params = self._sql(db)
        return db.execute_sql(sql, [_value(p, values) for p in params])

    def rowcount(self, **values) -> int:
        """Run an UPDATE or DELETE: the rows it touched."""
        return self.execute(**values).rowcount


class Composed(Statement):
    """A statement whose text the store writes itself (engine-specific SQL, maybe around another
    statement's: ``sql_of``): ``compose(db)`` gives (the SQL, its parameters, ``param`` for a slot)."""

    def __init__(self, compose: Callable[[Any], tuple[str, list]]):
        super().__init__(lambda: None)
        self._compose = compose

    def _make(self, db) -> tuple[str, list]:
        return self._compose(db)


def _value(param, values: dict):
    if not isinstance(param, _Slot):
        return param
    value = values[param.name]
    return param.convert(value) if param.convert is not None and value is not None else value


def run_together(*runs: tuple[Statement, dict]) -> list:
    """Run these statements (each with its values) one after another and give back their cursors (the
    rows they read, the rows they touched). On a server they go in one round trip: psycopg's pipeline
    sends each without waiting for the one before, so a writer under the writers' lock waits for the
    network once, not once a statement. An error of any of them is raised as peewee raises it."""
    from cadre_desk.store.portable import is_server

    db = database.obj
    if not is_server(db) or not runs:
        return [statement.execute(**values) for statement, values in runs]
    from cadre_desk.store.server_db import can_pipeline, pipelined

    if not can_pipeline():  # a libpq older than 14 (psycopg without its binary wheel)
        return [statement.execute(**values) for statement, values in runs]

    bound = []
    for statement, values in runs:
        sql, params = statement._sql(db)
        bound.append((sql, [_value(p, values) for p in params]))
        logger.debug(bound[-1])  # as peewee logs each statement it runs
    with pipelined(db) as conn:
        return [conn.execute(sql, params) for sql, params in bound]


def read_together(*queries) -> list:
    """peewee queries made for this one use (an IN list of the rows at hand), run as ``run_together``
    runs statements: on a server in one round trip. Their cursors (the driver's rows, as tuples)."""
    from cadre_desk.store.portable import is_server

    db = database.obj
    if not is_server(db) or not queries:
        return [database.execute(query) for query in queries]
    from cadre_desk.store.server_db import can_pipeline, pipelined

    if not can_pipeline():
        return [database.execute(query) for query in queries]
    bound = [db.get_sql_context().sql(query).query() for query in queries]
    for sql_params in bound:
        logger.debug(sql_params)
    with pipelined(db) as conn:
        return [conn.execute(sql, params) for sql, params in bound]


class Later:
    """A write run_later sent (or will send): its cursor once sent, for what it touched or returned."""

    __slots__ = ("cursor", "_db")

    def __init__(self, cursor=None, db=None):
        self.cursor = cursor
        self._db = db

    @property
    def pending(self) -> bool:
        """Not sent yet: it goes with the transaction's next statement or its COMMIT."""
        return self.cursor is None

    @property
    def rowcount(self) -> int:
        """The rows it touched (or returned); asked before it was sent, it is sent now (a round trip,
        with whatever else the transaction owes)."""
        if self.cursor is None and self._db is not None:
            self._db.send_owed()
        if self.cursor is None:
            raise RuntimeError("the statement was not sent: its transaction was rolled back")
        return self.cursor.rowcount


def run_later(*runs: tuple[Statement, dict]) -> list[Later]:
    """Writes whose results are not needed at once, inside a write transaction: on a server they are
    sent with the transaction's next statement or with its COMMIT (one round trip for both,
    store.server_db); on SQLite, or without the pipeline, they run now. A failure of one of them fails
    that statement or the commit, and the transaction is rolled back. Their results (``Later``): read
    after the commit, or earlier at the price of a round trip."""
    from cadre_desk.store.portable import is_server

    db = database.obj
    if not is_server(db) or not db.in_transaction():
        return [Later(statement.execute(**values)) for statement, values in runs]
    later = []
    for statement, values in runs:
        sql, params = statement._sql(db)
        bound = (sql, [_value(p, values) for p in params])
        logger.debug(bound)  # as peewee logs each statement it runs
        later.append(Later(db=db))
        db.hold(*bound, later[-1])
    return later
