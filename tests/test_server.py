"""The shared server database (PostgreSQL): moving a file in, snapshots out and back, several clerks at
once (optimistic locking, change notices, imports beside readers), a newer schema refused.

Everything but the address parsing needs the throwaway server of tools/test.sh (CADRE_DESK_TEST_SERVER);
without one those tests are skipped."""

from __future__ import annotations

import threading
import time

import pytest

from cadre_desk.store.server import ServerLocation
from tests.conftest import make_profile


def test_server_address_parsing():
    location = ServerLocation.parse("postgresql://zuzhibu:secret@192.168.1.20:5433/cadre")
    assert (location.host, location.port, location.dbname, location.user) == ("192.168.1.20", 5433, "cadre",
                                                                                "zuzhibu")
    assert location.password == "secret"
    assert "secret" not in location.url and "secret" not in repr(location) and "secret" not in str(location)
    assert location.url == "postgresql://zuzhibu@192.168.1.20:5433/cadre"
    assert ServerLocation.parse("postgres://u@db.local/cadre").port == 5432
    from cadre_desk.domain.errors import CadreDeskError

    with pytest.raises(CadreDeskError, match="不完整"):
        ServerLocation.parse("postgresql://u@host:5432/")
    with pytest.raises(CadreDeskError, match="端口"):
        ServerLocation.parse("postgresql://u@host:port/cadre")


def test_cli_names_a_server_it_cannot_reach(capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.store.server import ServerLocation as Location

    assert main(["--db", Location("127.0.0.1", 1, "cadre", "nobody").url, "check"]) == 2
    assert "无法连接服务器 127.0.0.1:1" in capsys.readouterr().err


def _table_counts(db) -> dict[str, int]:
    from cadre_desk.store import transfer

    return {t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in transfer.tables(db)}


def test_migrate_to_copies_every_table_photos_and_the_chain(db_path, empty_server_location, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.profiles import cadres, demo
    from cadre_desk.security import audit, check
    from cadre_desk.store.db import close_database
    from cadre_desk.store.models import CadrePhoto
    from cadre_desk.store.opening import open_database

    source = open_database(db_path)
    demo.generate(40, seed=3)
    profile = cadres.get_profile(1)
    profile.photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20
    cadres.save_profile(profile)
    before = _table_counts(source)
    close_database()

    assert main(["--db", str(db_path), "migrate-to", empty_server_location.url]) == 0
    out = capsys.readouterr().out
    assert "逐行核对一致" in out and "哈希链完整" in out
    server_db = open_database(empty_server_location)
    try:
        assert _table_counts(server_db) == before | {"audit_log": before["audit_log"] + 1}  # + 迁入 entry
        assert CadrePhoto.get(CadrePhoto.cadre == 1).data == profile.photo
        assert audit.verify_chain() is None
        assert check.run_checks() == []
        # the server's ids go on after the copied ones
        saved = cadres.save_profile(make_profile(cadres.get_profile(1).values["unit"], name="新来的",
                                                 id_number=""))
        assert saved.profile.id == 41
    finally:
        close_database()
    # a second migration into the same (no longer empty) database is refused, nothing written
    assert main(["--db", str(db_path), "migrate-to", empty_server_location.url]) == 2
    assert "不是空的" in capsys.readouterr().err


def test_backup_from_the_server_is_a_complete_snapshot_and_restores(demo_db, tmp_path):
    from peewee import SqliteDatabase

    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, backups
    from cadre_desk.store import transfer

    before = _table_counts(demo_db)
    snapshot = backups.backup_to_file(tmp_path / "snap.sqlite3")
    snap = SqliteDatabase(str(snapshot))
    try:
        counts = _table_counts(snap)
        assert {t: n for t, n in counts.items() if t != "audit_log"} == \
               {t: n for t, n in before.items() if t != "audit_log"}
        assert counts["audit_log"] == before["audit_log"]  # the backup's own entry comes after the copy
        assert snap.execute_sql("PRAGMA user_version").fetchone()[0] == \
               __import__("cadre_desk.store.migrations", fromlist=["LATEST"]).LATEST
    finally:
        snap.close()
    # change the server, then restore: the snapshot's content is back, the chain intact
    profile = cadres.get_profile(1)
    old_name = profile.values["name"]
    profile.values["name"] = "改过的名字"
    cadres.save_profile(profile)
    safety = backups.restore_from(snapshot)
    assert safety.exists()
    assert cadres.get_profile(1).values["name"] == old_name
    assert audit.verify_chain() is None
    assert transfer.digest(SqliteDatabase(str(snapshot)), "cadre") == transfer.digest(demo_db, "cadre")


def test_a_newer_schema_on_the_server_is_refused(db, server_location):
    from cadre_desk.__main__ import main
    from cadre_desk.domain.errors import SchemaTooNewError
    from cadre_desk.store import migrations, server
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    with db.atomic():
        server.set_schema_version(db, migrations.LATEST + 1)
    close_database()
    with pytest.raises(SchemaTooNewError):
        open_database(server_location)
    assert main(["--db", server_location.url, "check"]) == 2


def test_optimistic_locking_across_clients(db, unit):
    """Two clerks (two connections) open the same profile; the second save gets the conflict."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres

    cadre_id = cadres.save_profile(make_profile(unit.id, name="王五")).profile.id
    mine = cadres.get_profile(cadre_id)
    assert _another_clerk_saves(cadre_id, "phone", "13800000000") == []
    mine.values["phone"] = "13900000000"
    with pytest.raises(ConflictError):
        cadres.save_profile(mine)
    assert cadres.get_profile(cadre_id).values["phone"] == "13800000000"


def _another_clerk_saves(cadre_id: int, key: str, value) -> list:
    """Another clerk (a thread: its own connection) reads the profile, changes one value and saves it;
    what went wrong."""
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_thread_connection

    errors: list = []

    def other_clerk():
        try:
            theirs = cadres.get_profile(cadre_id)
            theirs.values[key] = value
            cadres.save_profile(theirs)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)
        finally:
            close_thread_connection()

    thread = threading.Thread(target=other_clerk)
    thread.start()
    thread.join()
    return errors


def test_simultaneous_saves_of_one_version_let_exactly_one_through(db, unit):
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_thread_connection

    cadre_id = cadres.save_profile(make_profile(unit.id, name="赵六")).profile.id
    copies = [cadres.get_profile(cadre_id) for _ in range(6)]
    outcomes: list[str] = []
    start = threading.Barrier(len(copies))

    def save(n, profile):
        try:
            profile.values["phone"] = f"1380000000{n}"
            start.wait()
            cadres.save_profile(profile)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            close_thread_connection()

    threads = [threading.Thread(target=save, args=(n, p)) for n, p in enumerate(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert cadres.get_profile(cadre_id).version == copies[0].version + 1


def test_another_clients_change_is_announced_within_two_seconds(db, unit, server_location, tmp_path):
    from cadre_desk.profiles import cadres
    from cadre_desk.profiles.cadre_list import CadreFilter, CadreIndex
    from cadre_desk.security import backups
    from cadre_desk.store.server import ChangeListener
    from cadre_desk.units import units

    cadre_id = cadres.save_profile(make_profile(unit.id, name="钱七")).profile.id
    index = CadreIndex.load()
    heard: list = []
    got = threading.Event()

    def on_change(kind, ids):
        heard.append((kind, ids))
        got.set()

    listener = ChangeListener(server_location, on_change, batch_s=0.2).start()
    try:
        assert listener.ready.wait(5)
        profile = cadres.get_profile(cadre_id)
        profile.values["name"] = "钱七改"
        started = time.monotonic()
        cadres.save_profile(profile)
        assert got.wait(2), "no notice within 2 s"
        assert time.monotonic() - started < 2
        assert ("cadre", [cadre_id]) in heard
        index.refresh_many(heard[-1][1])  # what the window does with it: one row, not a reload
        assert [r[0] for r in index.filter(CadreFilter(text="钱七改"))] == [cadre_id]

        got.clear()
        units.create_unit("新设单位", unit.id)
        assert got.wait(2) and heard[-1] == ("unit", [])

        got.clear()
        backups.restore_from(backups.backup_to_file(tmp_path / "snap.sqlite3"))
        assert got.wait(5) and heard[-1] == ("reload", [])
    finally:
        listener.stop()


def test_an_import_in_progress_does_not_block_readers(db, unit):
    """An import holds one transaction (and the writers' lock); other clerks go on reading and see the
    rows only once it commits."""
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_thread_connection, write_transaction
    from cadre_desk.store.models import Cadre

    cadres.save_profile(make_profile(unit.id, name="原有"))
    inside, release = threading.Event(), threading.Event()

    def importer():
        try:
            with write_transaction():
                cadres.save_profile(make_profile(unit.id, name="导入中"))
                inside.set()
                release.wait(10)
        finally:
            close_thread_connection()

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert inside.wait(10)
        started = time.monotonic()
        names = [c.name for c in Cadre.select(Cadre.name)]
        assert time.monotonic() - started < 1
        assert names == ["原有"]
    finally:
        release.set()
        thread.join()
    assert sorted(c.name for c in Cadre.select(Cadre.name)) == ["原有", "导入中"]


def _tables_written_or_read(sql: str) -> str:
    import re

    verb = sql.split()[0]
    table = re.search(r'(?:UPDATE|INTO|FROM)\s+"(\w+)"', sql).group(1)
    return f"{verb} {table}"


def test_a_save_holds_the_writers_lock_only_for_its_writes(db, unit):
    """The writers queue on one lock (one audit chain): a save reads the profile it replaces, checks the
    values and words its audit row before it begins; under the lock it writes the row on the version it
    read, reads the chain's end and appends to it."""
    import logging

    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import database

    saved = cadres.save_profile(make_profile(unit.id, name="孙八")).profile
    profile = cadres.get_profile(saved.id)
    profile.values["phone"] = "13800000001"
    under_lock: list[str] = []

    class Statements(logging.Handler):
        def emit(self, record):
            if database.obj.in_transaction():
                under_lock.append(_tables_written_or_read(record.msg[0]))

    logger = logging.getLogger("peewee")
    handler, level = Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        cadres.save_profile(profile)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    from cadre_desk.store import server_chain

    if server_chain.hashes_rows(database.obj):  # the server hashes the audit row: one statement for all
        assert under_lock == ["WITH cadre"]
    else:
        assert under_lock == ["UPDATE cadre", "SELECT audit_log",
                              "INSERT audit_log", "UPDATE setting", "INSERT setting"]
    assert cadres.get_profile(saved.id).values["phone"] == "13800000001"


def test_a_change_between_a_saves_reading_and_writing_is_a_conflict(db, unit, monkeypatch):
    """Another clerk saves the profile after this save read it and before it writes: still a conflict,
    and the other clerk's change stays."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres

    saved = cadres.save_profile(make_profile(unit.id, name="周九", position="科员")).profile
    mine = cadres.get_profile(saved.id)
    cadres._AS_READ.clear()  # a copy whose reading the program does not remember: the save reads it again
    read = cadres._profile_from  # what the save read of the stored profile, before its write transaction
    errors: list = []

    def read_then_another_clerk_saves(cadre_id, cursors):
        before = read(cadre_id, cursors)
        monkeypatch.setattr(cadres, "_profile_from", read)
        errors.extend(_another_clerk_saves(cadre_id, "position", "副科长"))
        return before

    monkeypatch.setattr(cadres, "_profile_from", read_then_another_clerk_saves)
    mine.values["phone"] = "13900000002"
    with pytest.raises(ConflictError):
        cadres.save_profile(mine)
    assert errors == []
    stored = cadres.get_profile(saved.id)
    assert stored.values["position"] == "副科长" and stored.values["phone"] != "13900000002"
    assert stored.version == saved.version + 1


def test_two_clerks_cannot_both_give_one_id_number(db, unit):
    """Two clerks give two cadres the same 身份证号 at the same moment: one is saved, the other is told
    the number is taken (checked again under the writers' lock)."""
    from cadre_desk.domain.errors import ValidationError
    from cadre_desk.profiles import cadres
    from cadre_desk.store.db import close_thread_connection
    from tests.test_services import citizen_id

    copies = [cadres.get_profile(cadres.save_profile(make_profile(unit.id, name=name)).profile.id)
              for name in ("吴一", "郑二")]
    number = citizen_id("19800101")
    outcomes: list[str] = []
    start = threading.Barrier(len(copies))

    def save(profile):
        try:
            profile.values.update(id_number=number, birth="198001")
            start.wait()
            cadres.save_profile(profile)
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append("taken" if "id_number" in exc.errors else str(exc.errors))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            close_thread_connection()

    threads = [threading.Thread(target=save, args=(p,)) for p in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "taken"]


def test_nothing_a_write_transaction_runs_escapes_its_rollback(db):
    """On a server the writers' lock and BEGIN go with a write transaction's first statement: whichever
    way that statement is run (peewee, the bulk writers' raw connection, statements run together), it
    is inside the transaction and a failure takes all of it back."""
    from cadre_desk.store.db import raw_connection, write_transaction
    from cadre_desk.store.models import Setting
    from cadre_desk.store.statements import Statement, run_later, run_together, slot

    insert = Statement(lambda: Setting.insert({Setting.key: slot("key"), Setting.value: slot("value")}))
    keys = ["raw", "together", "two", "later", "peewee"]
    for first in ("peewee", "raw", "together", "later"):
        with pytest.raises(ValueError), write_transaction():
            if first == "raw":
                raw_connection().executemany("INSERT INTO setting (key, value) VALUES (?, ?)", [("raw", "1")])
            elif first == "together":
                run_together((insert, {"key": "together", "value": "1"}), (insert, {"key": "two", "value": "2"}))
            elif first == "later":
                run_later((insert, {"key": "later", "value": "1"}))
            Setting.create(key="peewee", value="1")
            raise ValueError
        assert Setting.select().where(Setting.key.in_(keys)).count() == 0
    with write_transaction():  # held back, then read in the same transaction, then committed with it
        run_later((insert, {"key": "later", "value": "1"}))
        assert Setting.get(Setting.key == "later").value == "1"
        run_later((insert, {"key": "two", "value": "2"}))
    assert Setting.select().where(Setting.key.in_(keys)).count() == 2


def test_imports_and_saves_at_once_keep_one_chain_and_one_holder_of_a_number(db, unit, tmp_path):
    """Two clerks import the same people while two others save profiles: one import goes in, the other
    is refused naming who is there (the check under the writers' lock reads only the rows' numbers and
    names), every save is kept, the cadres' ids stay distinct and the audit log stays one chain."""
    import openpyxl

    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.exchange import imports
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit
    from cadre_desk.store.db import close_thread_connection
    from cadre_desk.store.models import Cadre
    from tests.test_services import citizen_id

    kept = [cadres.save_profile(make_profile(unit.id, name=name)).profile.id for name in ("甲一", "乙二")]
    path = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "民族", "单位", "身份证号"])
    for n in range(12):
        wb.active.append([f"新人{n}", "男", "1980.01", "汉族", unit.name, citizen_id("19800101", seq=n + 1)])
    wb.save(path)
    plans = [imports.analyze(path) for _ in range(2)]
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def importer(plan):
        try:
            start.wait()
            outcomes.append(f"imported {imports.commit(plan, skip_invalid=False, backup=False).inserted}")
        except ConflictError as exc:
            outcomes.append("refused" if "已在系统中" in str(exc) else str(exc))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            close_thread_connection()

    def saver(cadre_id):
        try:
            start.wait()
            for n in range(5):
                profile = cadres.get_profile(cadre_id)
                profile.values["phone"] = f"1380000000{n}"
                cadres.save_profile(profile)
            outcomes.append("saved 5")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            close_thread_connection()

    threads = [threading.Thread(target=importer, args=(p,)) for p in plans]
    threads += [threading.Thread(target=saver, args=(i,)) for i in kept]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["imported 12", "refused", "saved 5", "saved 5"], outcomes
    assert Cadre.select().count() == 14
    numbers = [c.id_number for c in Cadre.select(Cadre.id_number).where(Cadre.id_number != "")]
    assert len(numbers) == len(set(numbers)) == 12
    assert [cadres.get_profile(i).version for i in kept] == [6, 6]
    new = cadres.save_profile(make_profile(unit.id, name="丙三")).profile  # the id counter moved past the import
    assert new.id > max(c.id for c in Cadre.select(Cadre.id).where(Cadre.name != "丙三"))
    assert audit.verify_chain() is None


def round_trips(db, run) -> list[str]:
    """What ``run()`` sent to the server from a write transaction's BEGIN to its end, each one round trip:
    "statement" (peewee's, with what the transaction owed), "together" (statements run together, with
    what was owed), "send + …" (what was owed: BEGIN, LOCK, the writes held back; and COMMIT)."""
    from cadre_desk.store import server_db

    trips: list[str] = []
    writing = [False]
    begin, commit, send, execute, pipelined = db.begin, db.commit, db._send, db._execute_cursor, server_db.pipelined

    def begun(*args, **kwargs):
        writing[0] = True
        return begin(*args, **kwargs)

    def ended(*args, **kwargs):
        try:
            return commit(*args, **kwargs)
        finally:
            writing[0] = False

    def sent(begin_sql, held, then=None):
        said = [("LOCK" if sql == server_db.WRITERS_LOCK else sql) for sql in begin_sql]
        trips.append(" + ".join(["send", *said, f"{len(held)} held", *([then] if then else [])]))
        return send(begin_sql, held, then)

    def counted(name, run_it):
        def wrapper(*args, **kwargs):
            if writing[0]:
                trips.append(name)
            return run_it(*args, **kwargs)
        return wrapper

    db.begin, db.commit, db._send = begun, ended, sent
    db._execute_cursor = counted("statement", execute)
    server_db.pipelined = counted("together", pipelined)
    try:
        run()
    finally:
        del db.begin, db.commit, db._send, db._execute_cursor
        server_db.pipelined = pipelined
    return trips


def test_a_small_import_holds_the_writers_lock_for_two_round_trips(db, unit, tmp_path):
    """BEGIN, the lock, the check that the new people are not there yet and the largest id go in one
    round trip; the new rows, the id counter, the audit row and COMMIT in the next."""
    import openpyxl

    from cadre_desk.exchange import imports
    from cadre_desk.profiles import cadres
    from cadre_desk.store import portable
    from cadre_desk.store.models import Cadre

    if not portable.is_server(db):
        pytest.skip("server only")
    cadres.save_profile(make_profile(unit.id, name="甲一"))
    path = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "民族", "单位"])
    for n in range(20):
        wb.active.append([f"新人{n}", "男", "1980.01", "汉族", unit.name])
    wb.save(path)
    plan = imports.analyze(path)
    result = []
    trips = round_trips(db, lambda: result.append(imports.commit(plan, skip_invalid=False, backup=False)))
    assert trips == ["together", "send + 22 held + COMMIT"]  # 20 rows, the id counter, the audit row
    assert result[0].inserted == 20 and Cadre.select().count() == 21
    later = cadres.save_profile(make_profile(unit.id, name="乙二")).profile  # the counter moved past them
    assert later.id == max(result[0].ids) + 1


def test_a_save_of_a_copy_read_at_its_version_reads_nothing_again(db, unit, monkeypatch):
    """On a server the program remembers the committed rows of the profiles it read: a save of a copy
    read at that version neither reads the stored profile again nor looks up an unchanged unit or
    身份证号 (its UPDATE matches only that version). What is read inside a transaction that is rolled
    back is not remembered; a copy of a version another clerk has moved on from is a conflict."""
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.profiles import cadres
    from cadre_desk.store import portable
    from cadre_desk.store.db import write_transaction

    if not portable.is_server(db):
        pytest.skip("server only: a file reads its rows again at no cost")
    saved = cadres.save_profile(make_profile(unit.id, name="吴十", position="科员")).profile
    mine = cadres.get_profile(saved.id)
    reads: list = []
    run_together = cadres.run_together
    monkeypatch.setattr(cadres, "run_together", lambda *runs: reads.append(len(runs)) or run_together(*runs))
    mine.values["phone"] = "13900000003"
    mine.resume = [cadres.ResumeItem("200807", "", "市财政局科员")]
    cadres.save_profile(mine)
    assert [n for n in reads if n] == []
    stored = cadres.get_profile(saved.id)
    assert stored.values["phone"] == "13900000003" and len(stored.resume) == 1
    with pytest.raises(ValueError), write_transaction():
        cadres.get_profile(saved.id)
        raise ValueError
    assert cadres._AS_READ[db][saved.id][0] == stored.version  # the committed reading, not the rolled back one
    assert _another_clerk_saves(saved.id, "position", "副科长") == []
    stored.values["phone"] = "13900000004"
    with pytest.raises(ConflictError):
        cadres.save_profile(stored)
    assert cadres.get_profile(saved.id).values["position"] == "副科长"
    again = cadres.get_profile(saved.id)
    reads.clear()
    cadres.forget_reads()  # a restore on the server ("reload"): every profile is read again
    again.values["phone"] = "13900000005"
    cadres.save_profile(again)
    assert [n for n in reads if n]
