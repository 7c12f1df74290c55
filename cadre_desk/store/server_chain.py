"""The audit chain's next row made by the server itself, inside the statement that writes it.

A row's hash is SHA-256 over the UTF-8 of the JSON list [previous row's hash, the row's values]
(security.audit.row_hash). The previous hash can be read only under the writers' lock: when the client
computes the hash, a writer holds the lock across two round trips and its own turn on the CPU between
them, while every other writer waits. A server with ``sha256()`` (PostgreSQL 11 and later) computes
it itself: the client sends the JSON of the row's values — what follows the previous hash in that
list, ``rest`` below, made in Python exactly as row_hash makes it — and the server hashes
``'["' || previous hash || '",' || rest``: the bytes the client would hash (a hash is hex, never in
need of JSON escapes), so ``check`` verifies rows of both kinds alike. One statement reads the chain's
end, inserts the row with its hash and moves the recorded head on (security.audit.HEAD_KEY, the same
JSON the client writes), numbered as the client numbers it: one past the larger of the last row and
the recorded head. The row's values travel once, as that JSON: the server stores what it decodes from
the text it hashed, so a profile's UPDATE with ~45 values and its audit row stay within the 50
parameters that psycopg converts once and keeps. A change that must apply for its audit row to be
written (a profile's UPDATE on the version read) goes into the same statement: the row is appended only
when the change touched a row, and the statement returns the new row's id (no row: the change did not
apply, nothing was written). So a save is BEGIN, the lock, this one statement and COMMIT in one round
trip, and the writers' lock is held only while the server runs them.

``probe`` finds out at connect whether the server can: its sha256() must give Python's hash of a
sample row (Chinese text, quotes, backslashes, control and astral characters) and its JSON must give
back the row's values as they were, in a data-modifying WITH. openGauss (PostgreSQL 9.2 at its base)
and a KingbaseES without sha256() keep the client's path (security.audit), which needs neither."""

from __future__ import annotations

import hashlib
import json
import logging

from cadre_desk.store.statements import Composed, param

log = logging.getLogger(__name__)

_ATTRIBUTE = "_chain_on_server"  # on the database object: what probe found
SAMPLE_ROW = ["2026-12-04T20:55:00.123456", "张三", "修改", "干部", 7, '修改干部 "李四"\\\n\t\x01',
              json.dumps({"备注": ["计数 1", None]}, ensure_ascii=False), "∑ 𠀀 \u2028"]
# The hash of a row: over the text the client would hash, from the chain's end and the sent JSON.
_SERVER_HASH = "ENCODE(SHA256(CONVERT_TO('[\"' || {prev} || '\",' || {rest}, 'UTF8')), 'hex')"
_HEAD_JSON = "'{{\"id\": ' || {id} || ', \"hash\": \"' || {hash} || '\"}}'"  # json.dumps({"id": …, "hash": …})
_HEAD_ID = r"""'"id"\s*:\s*(\d{1,18})\D'"""  # the recorded head's id (security.audit.parse_head)
# The sent JSON ("rest" completed to a list) and its values as the columns take them.
_GIVEN = """"given" AS (SELECT "rest", CAST('[' || "rest" AS JSON) AS "row" FROM (SELECT CAST({rest} AS TEXT) AS "rest") AS "sent")"""


def hashes_rows(db) -> bool:
    """Does ``db``'s server compute the audit rows' hashes (``probe`` found it can)?"""
    return bool(getattr(getattr(db, "obj", db), _ATTRIBUTE, False))


def rest_of(values: list) -> str:
    """The JSON that follows the previous hash in a row's hashed list (security.audit.row_hash)."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))[1:]


def _decoded(n: int, kind: str) -> str:
    """The ``n``th sent value as a column of ``kind`` (TEXT or INTEGER) takes it."""
    return f'CAST("row"->>{n} AS {kind})'


def probe(db) -> bool:
    """Can ``db``'s server compute the chain's hashes? Asked once at connect (outside a transaction, by
    a writing program) and kept on ``db``: the server must give Python's hash of a sample row and
    decode the row's values from their JSON as they were; a server that cannot (no sha256(), no JSON,
    no data-modifying WITH, no right to write the settings) answers with an error, and the client
    keeps computing the hashes."""
    import peewee

    prev = hashlib.sha256(b"probe").hexdigest()
    rest = rest_of(SAMPLE_ROW)
    expected = [hashlib.sha256(('["' + prev + '",' + rest).encode("utf-8")).hexdigest(),
                *(None if v is None else str(v) for v in SAMPLE_ROW)]
    decoded = ", ".join(_decoded(n, "TEXT") for n in range(len(SAMPLE_ROW)))
    statement = ('WITH "unchanged" AS (UPDATE "setting" SET "value" = "value" WHERE 1 = 0 RETURNING 1), '
                 f'{_GIVEN.format(rest="%s")} '
                 f'SELECT {_SERVER_HASH.format(prev="CAST(%s AS TEXT)", rest=chr(34) + "rest" + chr(34))}, '
                 f'{decoded} FROM "given" WHERE NOT EXISTS (SELECT 1 FROM "unchanged")')
    try:
        with db.atomic():  # a savepoint when inside a transaction: a refusal spoils nothing around it
            found = db.execute_sql(statement, (rest, prev)).fetchone()
    except peewee.DatabaseError as exc:
        log.info("the server does not compute the audit chain's hashes (the program does): %s", exc)
        found = None
    able = found is not None and list(found) == expected
    if found is not None and not able:
        log.warning("the server's sha256() or JSON differ from the program's: the program computes the hashes")
    setattr(db, _ATTRIBUTE, able)
    return able


_STATEMENTS: dict = {}


def _type_of(column: str) -> str:
    """An audit column's type for its value's cast."""
    from cadre_desk.store.models import AuditLog

    return "INTEGER" if AuditLog._meta.fields[column].field_type == "INT" else "TEXT"


def append_statement(columns: tuple[str, ...], head_key: str, along=None) -> Composed:
    """The statement that appends one audit row on a server that hashes (``hashes_rows``), after the
    write ``along`` (a statements.Statement: an UPDATE or DELETE, or None) when it touched a row.

    Its values (``execute``/``run_later``): those of ``along``, and ``_audit_rest``: ``rest_of`` the
    row's values of ``columns`` (the hashed columns, in row_hash's order). It returns the row's id, or
    no row when ``along`` touched none (then nothing is written)."""
    key = (columns, head_key, along)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = Composed(lambda db: _append_sql(db, columns, head_key, along))
    return statement


def _append_sql(db, columns, head_key, along) -> tuple[str, list]:
    assert "'" not in head_key and "\\" not in head_key
    key = f"'{head_key}'"
    parts, params = [], []
    if along is not None:
        along_sql, along_params = along.sql_of(db)
        parts.append(f'"changed" AS ({along_sql} RETURNING 1)')
        params += along_params
    parts.append(_GIVEN.format(rest="%s"))
    params.append(param("_audit_rest"))
    # The chain's last row read once, for its hash and its id (none yet: no row joined).
    parts.append(
        '"chain_end" AS (SELECT COALESCE("last"."hash", \'\') AS "prev", '
        'GREATEST(COALESCE("last"."id", 0), '
        f'COALESCE((SELECT CAST(SUBSTRING("value" || \' \' FROM {_HEAD_ID}) AS BIGINT) FROM "setting" '
        f'WHERE "key" = {key}), 0)) + 1 AS "id" '
        'FROM (SELECT 1) AS "one" LEFT JOIN (SELECT "id", "hash" FROM "audit_log" ORDER BY "id" DESC LIMIT 1) AS "last" '
        'ON TRUE)')
    names = ", ".join(f'"{column}"' for column in columns)
    values = ", ".join(_decoded(n, _type_of(column)) for n, column in enumerate(columns))
    server_hash = _SERVER_HASH.format(prev='"prev"', rest='"rest"')
    only_if_changed = ' WHERE EXISTS (SELECT 1 FROM "changed")' if along is not None else ""
    parts.append(f'"appended" AS (INSERT INTO "audit_log" ("id", {names}, "prev_hash", "hash") '
                 f'SELECT "id", {values}, "prev", {server_hash} FROM "chain_end", "given"{only_if_changed} '
                 'RETURNING "id", "hash")')
    head = _HEAD_JSON.format(id='"appended"."id"', hash='"appended"."hash"')
    parts.append(f'"moved" AS (UPDATE "setting" SET "value" = {head} FROM "appended" WHERE "setting"."key" = {key} '
                 'RETURNING 1)')
    parts.append(f'"first" AS (INSERT INTO "setting" ("key", "value") SELECT {key}, {head} FROM "appended" '
                 f'WHERE NOT EXISTS (SELECT 1 FROM "setting" WHERE "key" = {key}) RETURNING 1)')
    return "WITH " + ", ".join(parts) + ' SELECT "id" FROM "appended"', params
