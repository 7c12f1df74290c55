"""The audit chain's rows hashed by the server (store.server_chain): the same hashes as the program's
own (security.audit.row_hash), so ``check`` verifies rows of both kinds in one chain; a server without
sha256() (openGauss) or with a different one is found at connect, and the program hashes there.

Run against the throwaway server of tools/test.sh (CADRE_DESK_TEST_SERVER); without one the server
tests are skipped."""

from __future__ import annotations

import json

import pytest

from tests import conftest
from tests.conftest import make_profile

needs_server = pytest.mark.skipif(conftest.test_server_url() is None, reason="没有测试用的 PostgreSQL 服务器")

# Values whose JSON or UTF-8 is easy to get wrong: quotes, backslashes, line breaks and other control
# characters, characters beyond the Basic Multilingual Plane, a separator JSON escapes in some writers.
AWKWARD = ['他说："好"', "C:\\Users\\x\\备份", "第一行\n第二行\r\n\t缩进", "\x01\x1f控制", "𠀀𠀁 😀", "\u2028\u2029",
           "", "a" * 3000, "ü é 中文 ①"]
SAVED = ['他说："好"', "C:\\Users\\x\\备份", "第一行\n第二行", "𠀀𠀁 😀", "ü é 中文 ①"]  # what a profile's 备注 takes


def _last_rows(n: int) -> list:
    from cadre_desk.security.audit import HASHED_COLUMNS
    from cadre_desk.store.models import AuditLog

    query = AuditLog.select(*(getattr(AuditLog, k) for k in HASHED_COLUMNS)).order_by(AuditLog.id.desc()).limit(n)
    return list(reversed(list(query.tuples())))


def _programs_hash(row) -> str:
    from cadre_desk.security import audit

    _id, prev, _hash, *hashed = row
    return audit.row_hash(prev, dict(zip(audit.HASHED_COLUMNS[3:], hashed, strict=True)))


def test_the_servers_payload_is_the_programs():
    """What the server hashes ('["' || previous hash || '",' || rest) is byte for byte what row_hash hashes."""
    import hashlib

    from cadre_desk.security import audit
    from cadre_desk.store import server_chain

    prev = hashlib.sha256(b"x").hexdigest()
    for text in AWKWARD:
        values = {"at": "2026-06-15T09:00:00.000001", "user": text, "action": "修改", "entity": "干部",
                  "entity_id": None, "summary": text, "changes": json.dumps({"备注": [text, None]}, ensure_ascii=False),
                  "reason": text}
        hashed = [values[k] for k in audit.HASHED_COLUMNS[3:]]
        for before in (prev, ""):
            payload = '["' + before + '",' + server_chain.rest_of(hashed)
            assert hashlib.sha256(payload.encode("utf-8")).hexdigest() == audit.row_hash(before, values)


def test_a_file_database_hashes_in_the_program(db):
    from cadre_desk.store import portable, server_chain

    if portable.is_server(db):
        pytest.skip("SQLite only")
    assert not server_chain.hashes_rows(db)


@needs_server
def test_the_server_hashes_as_the_program_does(db, unit):
    """On PostgreSQL 15 the server computes the rows' hashes (found at connect); each row it wrote,
    with awkward text, has the hash the program computes from the stored row, and the head is the
    program's JSON."""
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, check
    from cadre_desk.store import server_chain

    assert server_chain.hashes_rows(db), "PostgreSQL 15 has sha256(): the server should hash the rows"
    profile = cadres.get_profile(cadres.save_profile(make_profile(unit.id, name="钱七")).profile.id)
    for text in SAVED:
        profile.values["remarks"] = text
        profile = cadres.get_profile(cadres.save_profile(profile).profile.id)
    for n, text in enumerate(AWKWARD):
        audit.record(audit.EXPORT, "干部", None if n % 2 else profile.id, text, {"说明": [None, text]}, reason=text)
    rows = _last_rows(len(SAVED) + len(AWKWARD))
    assert [r[0] for r in rows] == list(range(rows[0][0], rows[0][0] + len(rows)))
    for before, row in zip(rows, rows[1:], strict=False):
        assert row[1] == before[2]
    for row in rows:
        assert row[2] == _programs_hash(row), f"row {row[0]}: the server's hash differs from the program's"
    assert audit._head() == (rows[-1][0], rows[-1][2])
    from cadre_desk.store.models import Setting

    assert Setting.get(Setting.key == audit.HEAD_KEY).value == json.dumps({"id": rows[-1][0], "hash": rows[-1][2]})
    assert audit.verify_chain() is None
    assert check.run_checks() == []


@needs_server
def test_an_append_reads_the_chains_last_row_once(db, unit):
    """The server's plan of an append looks up the chain's last row once (its hash and its id), not
    once for each: a save's statement runs while every other writer waits."""
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit
    from cadre_desk.store import server_chain

    cadres.save_profile(make_profile(unit.id, name="周九"))  # a chain with rows: the lookup is planned
    columns = audit.HASHED_COLUMNS[3:]
    sql, params = server_chain.append_statement(columns, audit.HEAD_KEY).sql_of(db)
    rest = server_chain.rest_of(["2026-06-15T09:00:00.000001", "tester", "导出", "干部", None, "", "", "报送"])
    values = [rest if getattr(p, "name", None) == "_audit_rest" else p for p in params]
    (plan,) = db.execute_sql("EXPLAIN (FORMAT JSON) " + sql, values).fetchone()  # planned, not run

    def reads(node) -> int:
        here = node.get("Relation Name") == "audit_log" and node.get("Node Type") != "ModifyTable"
        return here + sum(reads(child) for child in node.get("Plans", []))

    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert reads(plan[0]["Plan"]) == 1


@needs_server
def test_a_save_is_one_round_trip_under_the_writers_lock(db, unit):
    """BEGIN, the lock, the row on its version with its audit row, and COMMIT go to the server at once."""
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import database

    profile = cadres.get_profile(cadres.save_profile(make_profile(unit.id, name="孙八")).profile.id)
    profile.values["phone"] = "13800000001"
    from tests.test_server import round_trips

    assert round_trips(database.obj, lambda: cadres.save_profile(profile)) == ["send + BEGIN + LOCK + 1 held + COMMIT"]
    assert cadres.get_profile(profile.id).values["phone"] == "13800000001"


@needs_server
def test_a_stale_save_with_new_sub_records_writes_nothing(db, unit):
    """A save that also rewrites sub-records learns that its row moved on before it writes them: a
    conflict, the other clerk's version kept, no audit row."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.store.models import AuditLog

    saved = cadres.save_profile(make_profile(unit.id, name="李四")).profile
    mine, theirs = cadres.get_profile(saved.id), cadres.get_profile(saved.id)
    theirs.values["phone"] = "13800000009"
    cadres.save_profile(theirs)
    mine.resume = [cadres.ResumeItem("200807", "", "市财政局科员")]
    rows = AuditLog.select().count()
    with pytest.raises(ConflictError):
        cadres.save_profile(mine)
    stored = cadres.get_profile(saved.id)
    assert stored.resume == [] and stored.values["phone"] == "13800000009"
    assert AuditLog.select().count() == rows


@needs_server
@pytest.mark.parametrize("server_says", ["no sha256", "another sha256"])
def test_without_the_servers_sha256_the_program_hashes_and_the_chain_is_one(db, unit, monkeypatch, server_says):
    """A server without sha256() (openGauss), or whose answer differs from the program's, is found by
    the probe at connect: the program computes the hashes there, saves and conflicts work as before, and
    rows hashed by the server and by the program make one chain that ``check`` verifies."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, check
    from cadre_desk.store import server_chain

    profile = cadres.get_profile(cadres.save_profile(make_profile(unit.id, name="周九")).profile.id)
    profile.values["phone"] = "13800000001"
    profile = cadres.get_profile(cadres.save_profile(profile).profile.id)  # hashed by the server
    function = "SHA256_MISSING" if server_says == "no sha256" else "SHA224"
    monkeypatch.setattr(server_chain, "_SERVER_HASH", server_chain._SERVER_HASH.replace("SHA256", function))
    assert server_chain.probe(db) is False and not server_chain.hashes_rows(db)
    stale = cadres.get_profile(profile.id)
    for text in SAVED[:3]:
        profile.values["remarks"] = text
        profile = cadres.get_profile(cadres.save_profile(profile).profile.id)  # hashed by the program
    stale.values["phone"] = "13900000000"
    with pytest.raises(ConflictError):
        cadres.save_profile(stale)
    audit.record(audit.EXPORT, "干部", profile.id, "导出", reason="核对")
    monkeypatch.undo()
    assert server_chain.probe(db) is True
    profile.values["remarks"] = "又由服务器计算"
    cadres.save_profile(profile)
    rows = _last_rows(8)
    assert all(row[2] == _programs_hash(row) for row in rows)
    assert audit.verify_chain() is None
    assert check.run_checks() == []
    assert cadres.get_profile(profile.id).values["phone"] == "13800000001"


@needs_server
def test_a_read_only_program_does_not_probe(server_location):
    from cadre_desk.store import server_chain
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    db = open_database(server_location, readonly=True)
    try:
        assert not server_chain.hashes_rows(db)
    finally:
        close_database()
