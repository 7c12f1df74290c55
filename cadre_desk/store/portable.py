"""SQL that runs on both engines: the embedded SQLite file and a PostgreSQL server.

The frozen table definitions of the migrations are written once, in SQLite's words; ``ddl`` says them in
PostgreSQL's (SERIAL keys, BYTEA, DOUBLE PRECISION, unlimited TEXT as SQLite has it). Statements with
``?`` placeholders go through ``sql`` so each engine gets its own parameter style. Everything here is
plain SQL that PostgreSQL-compatible servers (openGauss, KingbaseES in PG mode) also accept; no other
module outside cadre_desk/store/ writes engine-specific SQL."""

from __future__ import annotations

import re

from peewee import PostgresqlDatabase

_SERIAL_KEY = re.compile(r'"id" INTEGER NOT NULL PRIMARY KEY')
_VARCHAR = re.compile(r"\bVARCHAR\(\d+\)")
_BLOB = re.compile(r"\bBLOB\b")
_REAL = re.compile(r"\bREAL\b")


def is_server(db) -> bool:
    """True for a PostgreSQL (server) database, False for the SQLite file."""
    obj = getattr(db, "obj", db)  # the DatabaseProxy or the database itself
    return isinstance(obj, PostgresqlDatabase)


def ddl(db, statement: str) -> str:
    """A frozen CREATE statement (written for SQLite) in the words of ``db``'s engine.

    SQLite's VARCHAR(n) holds any length: the server gets TEXT, so that every file it accepted moves to
    the server unchanged; its REAL is 8 bytes: the server gets DOUBLE PRECISION (its REAL is 4)."""
    if not is_server(db):
        return statement
    statement = _SERIAL_KEY.sub('"id" SERIAL NOT NULL PRIMARY KEY', statement)
    statement = _VARCHAR.sub("TEXT", statement)
    statement = _BLOB.sub("BYTEA", statement)
    return _REAL.sub("DOUBLE PRECISION", statement)


def run_ddl(db, statements) -> None:
    for statement in statements:
        db.execute_sql(ddl(db, statement))


def sql(db, statement: str) -> str:
    """``statement`` with ``?`` placeholders in the parameter style of ``db``'s engine."""
    if not is_server(db):
        return statement
    return statement.replace("%", "%%").replace("?", "%s")


def execute(db, statement: str, params=()):
    return db.execute_sql(sql(db, statement), params)


def insert_returning_id(db, statement: str, params=()) -> int:
    """Run an INSERT of one row and return the new row's id."""
    if not is_server(db):
        return db.execute_sql(statement, params).lastrowid
    return db.execute_sql(sql(db, statement) + ' RETURNING "id"', params).fetchone()[0]


def executemany(db, statement: str, rows) -> None:
    """Many rows through the driver's executemany (10× faster than peewee's insert_many). Inserts that
    name the ids themselves are followed by ``reset_sequences`` on the server. There, a few rows inside
    a write transaction go with its next statement or COMMIT (server_db.ServerDatabase.hold_rows)."""
    rows = rows if isinstance(rows, list) else list(rows)
    if is_server(db) and hasattr(db, "hold_rows") and db.hold_rows(sql(db, statement), rows):
        return
    conn = db.connection()
    if not is_server(db):
        conn.executemany(statement, rows)
        return
    with conn.cursor() as cursor:
        cursor.executemany(sql(db, statement), rows)


def reset_sequences(db, tables) -> None:
    """After rows were written with their own ids: the server's id counters continue after the largest
    (SQLite needs nothing: its next id is always past the largest)."""
    if not is_server(db):
        return
    for table in tables:
        statement = (f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                     f'COALESCE((SELECT MAX("id") FROM "{table}"), 0) + 1, false)')
        if db.in_transaction() and hasattr(db, "hold"):  # sent with the next statement: no round trip of its own
            db.hold(statement, [])
        else:
            db.execute_sql(statement)


def upsert(db, table: str, key_column: str, key, values: dict) -> None:
    """Insert a row or, when its key exists, update it: an UPDATE then, when it touched nothing, an
    INSERT (no ON CONFLICT clause, which not every PostgreSQL-compatible server accepts). Call inside
    a transaction."""
    columns = list(values)
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    cursor = execute(db, f'UPDATE "{table}" SET {sets} WHERE "{key_column}" = ?', [*values.values(), key])
    if cursor.rowcount:
        return
    names = ", ".join(f'"{c}"' for c in [key_column, *columns])
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    execute(db, f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [key, *values.values()])


_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?\s*\(([^)]*)\)', re.IGNORECASE)


class ServerConnection:
    """What bulk writers use of a sqlite3 connection (execute, executemany with ``?``), on the server.
    Rows written with their own ids move the table's id counter past them."""

    def __init__(self, db):
        self.db = db

    def execute(self, statement: str, params=()):
        return execute(self.db, statement, params)

    def executemany(self, statement: str, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        executemany(self.db, statement, rows)
        match = _INSERT.match(statement)
        if match and "id" in [c.strip().strip('"').lower() for c in match.group(2).split(",")]:
            reset_sequences(self.db, [match.group(1)])


def integrity_problems(db) -> tuple[list[str], list[tuple]]:
    """(lines of the engine's own integrity check other than "ok", foreign keys that point nowhere as
    (table, rowid, parent)). A server keeps its pages and foreign keys itself: nothing to look at."""
    if is_server(db):
        return [], []
    lines = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()]
    lines = [] if lines == ["ok"] else lines
    broken = [(table, rowid, parent) for table, rowid, parent, _ in db.execute_sql("PRAGMA foreign_key_check")]
    return lines, broken


def upsert_row(model, key_field, key, values: dict, insert_values: dict | None = None) -> None:
    """The row of ``model`` whose ``key_field`` is ``key`` gets ``values``; when there is none it is
    inserted (with ``insert_values`` too). An UPDATE, then an INSERT when it touched nothing: no
    ON CONFLICT clause, which not every PostgreSQL-compatible server accepts (openGauss). Call inside a
    write transaction (its lock keeps two writers from inserting the same key)."""
    if model.update(values).where(key_field == key).execute():
        return
    model.insert({key_field: key, **values, **(insert_values or {})}).execute()
