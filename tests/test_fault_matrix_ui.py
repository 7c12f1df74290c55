"""The window at start on the faults of issue 17: a full disk, an empty file, a read-only folder."""

from __future__ import annotations

import pytest

from tests.test_fault_matrix import _names, _new_database, fill, read_only


@pytest.fixture
def no_boxes(boxes):
    """(title, text, buttons) of every message box shown."""
    return boxes.shown


class _Asked:
    """The questions (boxes with a choice) shown since it was made: (text, button texts)."""

    def __init__(self, boxes):
        self.boxes, self.start = boxes, len(boxes.shown)

    def _items(self):
        return [(text, buttons) for _title, text, buttons in self.boxes.shown[self.start:] if len(buttons) > 1]

    def __getitem__(self, i):
        return self._items()[i]

    def __len__(self):
        return len(self._items())


def _answer(boxes, text):
    """The next question is answered with the button ``text`` (clicked on the real box)."""
    boxes.answers.append(text)
    return _Asked(boxes)


def test_window_on_a_full_disk_says_so_and_opens_read_only(qtbot, small_disk, no_boxes, boxes):
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from ui.shell import app

    db_path = small_disk / "库.sqlite3"
    _new_database(db_path)
    backups.make("每日自动")
    close_database()
    before = db_path.read_bytes()
    fill(small_disk)
    asked = _answer(boxes, "退出")
    assert app.prepare_database(db_path, background_check=True) is None
    text, buttons = asked[0]
    assert "磁盘空间不足" in text and "没有损坏" in text and buttons == ["以只读方式打开", "退出"]
    _answer(boxes, "以只读方式打开")
    passphrase, lock, readonly = app.prepare_database(db_path, background_check=True)
    assert readonly and lock is None and "磁盘空间不足" in no_boxes[-1][1]
    app.open_main_database(db_path, readonly=True)
    assert len(_names()) == 20
    close_database()
    assert db_path.read_bytes() == before and not list(small_disk.glob("*.damaged-*"))


def test_window_refuses_an_empty_database_file_and_rebuilds_it_from_the_backup(qtbot, db_path, unit, no_boxes,
                                                                               boxes):
    from cadre_desk.profiles import cadres
    from cadre_desk.security import backups
    from cadre_desk.store.db import close_database
    from tests.conftest import make_profile
    from ui.shell import app

    cadres.save_profile(make_profile(unit.id, name="备份里的人"))
    good = backups.make("每日自动")
    close_database()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    db_path.write_bytes(b"")
    asked = _answer(boxes, "退出")
    assert app.prepare_database(db_path, background_check=True) is None
    assert "0 字节" in asked[0][0] and str(good) in asked[0][0] and db_path.stat().st_size == 0
    _answer(boxes, "从备份恢复")
    passphrase, lock, readonly = app.prepare_database(db_path, background_check=True)
    lock.release()
    assert not readonly and [p.stat().st_size for p in db_path.parent.glob("*.damaged-*")] == [0]
    app.open_main_database(db_path)
    assert _names() == ["备份里的人"]
    close_database()


def test_window_opens_a_database_in_a_read_only_folder_read_only(qtbot, tmp_path, no_boxes, boxes):
    from cadre_desk.store.db import close_database
    from ui.shell import app

    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    db_path = folder / "库.sqlite3"
    _new_database(db_path)
    close_database()
    asked = _answer(boxes, "退出")
    with read_only(folder):
        passphrase, lock, readonly = app.prepare_database(db_path, background_check=True)
        assert readonly and lock is None and not asked
        assert "文件夹只读" in no_boxes[-1][1] and "损坏" not in no_boxes[-1][1]
        app.open_main_database(db_path, readonly=True)
        assert len(_names()) == 20
        close_database()


def test_restoring_a_tampered_backup_from_the_menu_asks_first(qtbot, db_path, db, unit, no_boxes, boxes,
                                                             monkeypatch):
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, backups
    from cadre_desk.store.models import Cadre
    from tests.conftest import make_profile
    from tests.test_fault_matrix import rewrite_audit
    from ui.security import security
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    for i in range(5):
        cadres.save_profile(make_profile(unit.id, name=f"甲{i}"))
    backup = backups.make("手动")
    rewrite_audit(backup, 3)
    cadres.save_profile(make_profile(unit.id, name="乙"))
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: str(backup))
    asked = _answer(boxes, "恢复")
    boxes.answers.append("取消")
    security.restore_database(window.context)  # 恢复 → the audit problem → 取消
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=10000)
    window.context.tasks.wait_all()
    assert "重新计算" in asked[1][0] and "仍要用该备份恢复" in asked[1][0]
    assert "乙" in [c.name for c in Cadre.select()]
    boxes.answers.extend(["恢复", "仍然恢复"])
    security.restore_database(window.context)
    qtbot.waitUntil(lambda: any("已从备份恢复" in text for _title, text, _b in no_boxes), timeout=10000)
    assert "乙" not in [c.name for c in Cadre.select()]
    assert "校验未通过" in audit.entries(limit=1)[0].summary


def test_a_damaged_database_with_a_tampered_newest_backup_warns_before_rebuilding(qtbot, db_path, unit, boxes):
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit, backups
    from cadre_desk.store.db import close_database, database
    from cadre_desk.store.opening import open_database
    from tests.conftest import make_profile
    from tests.test_fault_matrix import rewrite_audit
    from tests.test_faults import _corrupt
    from ui.shell import app

    for i in range(40):
        cadres.save_profile(make_profile(unit.id, name=f"干部{i}"))
    good = backups.make("每日自动")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    rewrite_audit(good, 4)
    _corrupt(db_path)
    asked = _answer(boxes, "从备份恢复")
    passphrase, lock, readonly = app.prepare_database(db_path)
    lock.release()
    assert "重新计算" in asked[0][0] and "记入审计日志" in asked[0][0]
    open_database(db_path)
    assert len(_names()) == 40
    last = audit.entries(limit=1)[0]
    assert last.action == audit.RESTORE and "校验未通过" in last.summary
    close_database()
