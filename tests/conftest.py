"""Fixtures: a fresh database per test, offscreen Qt, a fixed operator."""

from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing the suite runs writes into the developer's own data and settings folders: not a module's
# fixture (made before any test sets its own folders below) nor the programs it starts — they wrote
# audit anchors into the real per-user folder. A folder for the session until each test has its own.
_SESSION_HOME = tempfile.mkdtemp(prefix="cadre_desk_tests_")
atexit.register(shutil.rmtree, _SESSION_HOME, ignore_errors=True)
os.environ["CADRE_DESK_HOME"] = os.path.join(_SESSION_HOME, "home")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SESSION_HOME, "config")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# As the program sets up before its QApplication exists (pytest-qt makes the one of the tests): Qt's file
# dialog writes sizes and dates in Chinese, paints on the GUI thread, PySide's module scan reads files.
from ui.shell.app import before_qt_starts  # noqa: E402

before_qt_starts()


# Tests never read the computer's date: the one clock is set to this day (a run at another date:
# CADRE_DESK_TEST_TODAY=2035-11-30), and child processes start on it too (CADRE_DESK_CLOCK).
TEST_TODAY = os.environ.get("CADRE_DESK_TEST_TODAY", "2026-06-15")


@pytest.fixture(autouse=True)
def _collected_on_the_main_thread():
    """As the program does (ui.widgets.gui_gc): no automatic collection, which could run in a task's
    worker thread and destroy a Qt widget there; what is due is collected here, between tests."""
    import gc

    from ui.widgets.gui_gc import collect_due

    gc.disable()
    yield
    collect_due()


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    from cadre_desk.domain import clock

    monkeypatch.setenv("CADRE_DESK_CLOCK", TEST_TODAY)
    clock.set_now(_dt.datetime.fromisoformat(TEST_TODAY))
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Settings, data and backups of each test go to its own folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CADRE_DESK_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # Qt reads XDG_CONFIG_HOME once, at the first QSettings, and keeps that folder for the process: each
    # test points ui.widgets.window.settings() at its own folder, so it starts with no remembered geometry,
    # picker size, column widths or last folder left by the test before.
    from PySide6.QtCore import QSettings

    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "config"))
    from cadre_desk.access import context
    from cadre_desk.features import register_all

    register_all()  # as the CLI and the window do: every capability's hooks, checks and reminders
    context.set_operator(context.Operator(username="tester", display_name="测试员"))
    # The audit anchors this process wrote, and the rows since the last periodic one, start afresh: counted
    # on from the tests before, a periodic anchor fell inside a test of the anchors as many tests ran before
    # it (two more commands in the version gate's list made the recomputed chain's test fail after the
    # security window's tests).
    from cadre_desk.security import anchors, audit

    monkeypatch.setattr(anchors, "_last", {})
    monkeypatch.setattr(anchors, "_rows_at_last_anchor", audit.rows_written())
    yield
    context.set_operator(None)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.sqlite3"


# A throwaway PostgreSQL server (tools/pgserver.sh): when set, every ``db`` lives there instead of in a
# file (tools/test.sh runs the store and service tests a second time this way).
SERVER_ENV = "CADRE_DESK_TEST_SERVER"
_SERVER_TEMPLATE = "cadre_test_template"
_server_count = 0


def test_server_url() -> str | None:
    return os.environ.get(SERVER_ENV) or None


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def _server_template():
    """A migrated database on the test server that each test's database is copied from (fast)."""
    url = test_server_url()
    if url is None:
        yield None
        return
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from cadre_desk.store.server import ServerLocation

    _admin(url, f'DROP DATABASE IF EXISTS "{_SERVER_TEMPLATE}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{_SERVER_TEMPLATE}"')
    template = ServerLocation.parse(url)
    template = ServerLocation(template.host, template.port, _SERVER_TEMPLATE, template.user)
    open_database(template)
    close_database()
    yield template
    _admin(url, f'DROP DATABASE IF EXISTS "{_SERVER_TEMPLATE}" WITH (FORCE)')


@pytest.fixture
def server_location(_server_template):
    """A fresh, migrated, empty database on the test server (skipped without one)."""
    global _server_count
    if _server_template is None:
        pytest.skip(f"没有测试用的 PostgreSQL 服务器（{SERVER_ENV}）")
    from cadre_desk.store.db import close_thread_connection
    from cadre_desk.store.server import ServerLocation

    _server_count += 1
    name = f"cadre_test_{os.getpid()}_{_server_count}"
    url = test_server_url()
    _admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{_SERVER_TEMPLATE}"')
    yield ServerLocation(_server_template.host, _server_template.port, name, _server_template.user)
    close_thread_connection()
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_server_location(_server_template):
    """A new, empty database on the test server (skipped without one)."""
    global _server_count
    if _server_template is None:
        pytest.skip(f"没有测试用的 PostgreSQL 服务器（{SERVER_ENV}）")
    from cadre_desk.store.db import close_thread_connection
    from cadre_desk.store.server import ServerLocation

    _server_count += 1
    name = f"cadre_empty_{os.getpid()}_{_server_count}"
    url = test_server_url()
    _admin(url, f'CREATE DATABASE "{name}"')
    yield ServerLocation(_server_template.host, _server_template.port, name, _server_template.user)
    close_thread_connection()
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself (pragmas, the file's "
                            "backups, read-only files): not run against the test server")


def pytest_collection_modifyitems(config, items):
    if test_server_url() is None:
        return
    skip = pytest.mark.skip(reason="只针对 SQLite 数据库文件")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture
def db_target(db, db_path) -> str:
    """What ``--db`` names for the database of the ``db`` fixture: its file, or its server URL."""
    from cadre_desk.store.server import location_of

    location = location_of(db)
    return str(location) if location is not None else str(db_path)


@pytest.fixture
def db(request, db_path):
    """A fresh, migrated database bound to the proxy: a file, or on the test server when there is one."""
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    if test_server_url() is not None:
        location = request.getfixturevalue("server_location")
        database = open_database(location)
        yield database
        close_database()
        return
    database = open_database(db_path)
    yield database
    close_database()


@pytest.fixture
def unit(db):
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    return units.create_unit("市财政局", root.id)


@pytest.fixture
def demo_db(db):
    """A small demo database (60 cadres)."""
    from cadre_desk.profiles import demo

    demo.generate(60, seed=7)
    return db


def make_profile(unit_id: int, **values):
    from cadre_desk.profiles import cadres

    profile = cadres.new_profile(unit_id)
    profile.values.update({"name": "张三", "gender": "1", "birth": "198510", "ethnicity": "汉族"})
    profile.values.update(values)
    return profile


@contextlib.contextmanager
def acting_as(*roles: str, units: tuple[int, ...] = (), cadre_id: int | None = None, id_number: str = ""):
    """Work as an operator with these roles (经办人, 查阅人 …) and unit scope, then as before."""
    from cadre_desk.access import context

    before = context.current_operator()
    context.set_operator(context.Operator(username="acting", display_name="测试角色", roles=frozenset(roles),
                                          unit_scopes=tuple(units), cadre_id=cadre_id, id_number=id_number))
    try:
        yield
    finally:
        context.set_operator(before)


class MessageBoxes:
    """Every box of ui.widgets.messages a GUI test opens, answered without a modal loop: the box is
    built as the user would see it and its button is clicked. ``answers`` lists the texts of the
    buttons to click, in order, each for the next box that has it (otherwise the affirmative one —
    确定, 删除, 是). ``shown`` keeps
    (title, text, [button texts]); ``texts()`` the texts alone."""

    def __init__(self):
        self.shown: list[tuple[str, str, list[str]]] = []
        self.icons: list = []  # each box's QMessageBox.Icon
        self.answers: list[str] = []
        self.inputs: list[str | None] = []  # answers to ask_text / ask_item (None = 取消)

    def present(self, box):
        buttons = box.buttons()
        self.shown.append((box.windowTitle(), box.text(), [b.text() for b in buttons]))
        self.icons.append(box.icon())
        # The next answer goes to the first box that offers it (an information box in between is just 确定).
        wanted = self.answers[0] if self.answers else None
        button = next((b for b in buttons if b.text() == wanted), None) if wanted else None
        if button is not None:
            self.answers.pop(0)
        if button is None:
            from PySide6.QtWidgets import QMessageBox

            yes = (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole,
                   QMessageBox.ButtonRole.DestructiveRole)
            button = next((b for b in buttons if box.buttonRole(b) in yes), buttons[0] if buttons else None)
        box.show()
        if button is not None:
            button.click()
        box.close()
        return box.clickedButton()

    def ask(self, dialog) -> bool:
        answer = self.inputs.pop(0) if self.inputs else None
        self.shown.append((dialog.windowTitle(), dialog.labelText(), []))
        self.icons.append(None)
        if answer is None:
            return False
        dialog.setTextValue(answer)
        return True

    def texts(self) -> list[str]:
        return [text for _title, text, _buttons in self.shown]


@pytest.fixture(autouse=True)
def boxes(request, monkeypatch):
    """GUI tests (those using qtbot) never block on a message box: see MessageBoxes."""
    if "qtbot" not in request.fixturenames:
        yield None
        return
    from ui.widgets import messages

    recorder = MessageBoxes()
    monkeypatch.setattr(messages, "present", recorder.present)
    monkeypatch.setattr(messages, "ask", recorder.ask)
    yield recorder


def answer_dialog(qtbot, act, interact):
    """``act()`` opens a modal dialog (clicks the real button); ``interact(dialog)`` then works in the
    shown dialog (fills fields, clicks 确定) where the user would, inside its ``exec``. A failure inside
    closes the dialog and is raised here. (No nested event loop: one that an earlier test's
    ``QApplication.exit`` ended would return at once.)"""
    from PySide6.QtWidgets import QDialog

    seen: list = []
    problems: list[BaseException] = []
    original = QDialog.exec

    def run(dialog) -> int:
        seen.append(dialog)
        dialog.setModal(True)
        dialog.show()
        try:
            interact(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test after the dialog closed
            problems.append(exc)
        if dialog.isVisible():
            dialog.reject()
        return dialog.result()

    QDialog.exec = run
    try:
        act()
    finally:
        QDialog.exec = original
    if problems:
        raise problems[0]
    assert seen, "no dialog opened"
    return seen[0]


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB tmpfs: a disk that really fills up (test_fault_matrix.fill). Mounting needs root;
    other runs skip."""
    folder = tmp_path / "小磁盘"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("挂载 tmpfs 需要 root 权限")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _days_from_today(days: int) -> str:
    from cadre_desk.domain import clock

    return (clock.today() + _dt.timedelta(days=days)).strftime("%Y%m%d")


def _born_years_ago(age: int) -> str:
    from cadre_desk.domain import clock

    return f"{clock.today().year - age:04d}01"


@pytest.fixture
def world(db):
    """The practices' tests (test_practices, test_practices_ui, test_care_loading, test_group_progress):
    tests.test_practices.make_world — two units, two cadres in each, 甲 on a frontline posting."""
    from tests.test_practices import make_world

    return make_world()


@pytest.fixture
def home_world(db):
    """The 工作台's tests (test_home, test_home_ui): two units with cadres of known age, 学历 and gender;
    postings in every state that matters (ending soon, overdue, ended with its 期满鉴定 incomplete), a post
    not full, an idle mentoring pair."""
    from cadre_desk.mentoring import mentoring, pair_changes
    from cadre_desk.postings import frontline_posts, posting_data, posting_review, postings
    from cadre_desk.postings.posting_data import ReviewInfo
    from cadre_desk.profiles import cadres
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    finance = units.create_unit("市财政局", root.id)
    tax = units.create_unit("市税务局", root.id)

    def add(unit, name, age, gender="1", education="21", **values):
        profile = make_profile(unit.id, name=name, birth=_born_years_ago(age), gender=gender, ft_education=education,
                               **values)
        return cadres.save_profile(profile).profile.id

    people = {
        "钱一": add(finance, "钱一", 28, education="11"),
        "钱二": add(finance, "钱二", 33, gender="2"),
        "钱三": add(finance, "钱三", 52, rank="0131"),
        "孙一": add(tax, "孙一", 29, gender="2", education="31"),
        "孙二": add(tax, "孙二", 41),
        "孙退": add(tax, "孙退", 61, status="3"),  # retired: in no figure
    }
    lines = {line.name: line for line in frontline_posts.list_lines()}
    village = frontline_posts.save_post(posting_data.PostInput(
        line_id=lines["乡村振兴"].id, name="柳林乡驻村工作队", host_type="驻村工作队", host_name="柳林乡", capacity=4))
    team = frontline_posts.save_post(posting_data.PostInput(
        line_id=lines["招商引资"].id, name="长三角招商小分队", host_type="招商小分队", host_name="市投资促进局",
        capacity=2))

    def post(cadre, where, start, end):
        posting = postings.create_posting(people[cadre], where.id, "组织选派", _days_from_today(start), _days_from_today(end))
        return postings.start_posting(posting.id, posting.version)

    soon = post("钱一", village, -100, 10)  # ends in 10 days
    late = post("孙一", village, -200, -5)  # past its planned end, still 在岗
    done = post("孙二", team, -300, -20)
    review = ReviewInfo(grade="称职", org_opinion="较好完成锻炼任务。", org_signer="刘志刚",
                        org_date=_days_from_today(-20))  # the 组织部's opinion only: the others still to come
    done = posting_review.finish_posting(done.id, done.version, _days_from_today(-20), review, "返回原单位")
    pair = pair_changes.create_pair(mentoring.PairDraft(
        mentor_id=people["钱三"], mentee_id=people["钱二"], focus="招商引资", goals="独立牵头一个项目",
        start=_days_from_today(-45), planned_end=_days_from_today(300))).pair
    return {"finance": finance, "tax": tax, "people": people, "village": village, "team": team, "soon": soon,
            "late": late, "done": done, "pair": pair}


@pytest.fixture
def printed_pairs(home_world):
    """The 导师帮带 and 一线锻炼 prints' tests (test_record_prints, test_record_prints_ui): home_world with talks on
    its pair and a finished, evaluated pair in 市税务局 (tests.test_record_prints.add_pairs)."""
    from tests.test_record_prints import add_pairs

    return add_pairs(home_world)


@pytest.fixture
def office_look(qapp):
    """The program's font and style sheet, as ``make_app`` gives them (the size of every row and
    button depends on them); the test application's own afterwards."""
    from cadre_desk.paths import resource
    from ui.shell.app import load_fonts

    font, sheet = qapp.font(), qapp.styleSheet()
    load_fonts(qapp)
    qapp.setStyleSheet(resource("style.qss").read_text(encoding="utf-8"))
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def wider_font(qapp):
    """``wider_font(1.3)``: the application's font that many times larger from then on — a column must
    hold its text in a wider font than the tests' own (the bundled Song face, bold by thickening, is
    wider still); the font as it was afterwards."""
    before = qapp.font()

    def widen(factor: float) -> None:
        wider = qapp.font()
        wider.setPointSizeF(before.pointSizeF() * factor)
        qapp.setFont(wider)

    yield widen
    qapp.setFont(before)


# Every test leaves the task runner's pool empty. A GUI test holds a worker with threading.Event (to press
# 取消 at a given moment); one that failed early, or forgot to let go, left its worker running into the next
# test (it once restored a backup over the next test's database), and the next, innocent test failed.
_POOL_GRACE_MS = 5000  # work still finishing on its own when the test ends (a loaded machine: seconds)
_RELEASE_MS = 30000  # a held worker, let go, finishing
_TESTS_DIR = str(Path(__file__).resolve().parent)


class _TracedWork:
    """One ``TaskRunner.start`` of a test: what it runs and whether its worker got to it and is done."""

    def __init__(self, name: str, token):
        self.name, self.token = name, token
        self.job, self.runner = None, None  # the job, and the runner that may hold it back (soon=True)
        self.state = "queued"  # -> running -> done
        self.abandoned = False  # the test ended before a worker took it: it never runs (next test's time)


def _work_name(fn) -> str:
    import functools

    while isinstance(fn, functools.partial):
        fn = fn.func
    name = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    return f"{getattr(fn, '__module__', '') or '?'}.{name}"


@pytest.fixture(autouse=True)
def _task_pool_left_empty(request):
    """At the end of every test the global QThreadPool is empty within a short grace; otherwise the test
    fails naming the work left, which is let go (its 取消 pressed, the test's threading.Events set) and
    waited for, so that it does not run on into the next test. A task queued soon=True and still held back
    by its runner is let go without failing: its work never runs."""
    with task_pool_guard(request.node.nodeid):
        yield


@contextlib.contextmanager
def task_pool_guard(name: str, grace_ms: int = _POOL_GRACE_MS):
    """What ``_task_pool_left_empty`` does around each test (``name``): see there."""
    import threading

    from PySide6.QtCore import QThreadPool

    from cadre_desk.domain.errors import Cancelled
    from ui.widgets.tasks import TaskRunner

    traced: list[_TracedWork] = []
    events: list[threading.Event] = []
    original_start, original_event = TaskRunner.start, threading.Event

    def start(runner, fn, **options):
        work = _TracedWork(_work_name(fn), None)

        def run(progress):
            if work.abandoned:
                raise Cancelled()
            work.state = "running"
            try:
                return fn(progress)
            finally:
                work.state = "done"

        task = original_start(runner, run, **options)
        work.token, work.job, work.runner = task.token, task.job, runner
        traced.append(work)
        return task

    class TestsEvent(original_event):  # an Event made by a test's own code: set when its worker is let go
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if sys._getframe(1).f_code.co_filename.startswith(_TESTS_DIR):
                events.append(self)

    TaskRunner.start, threading.Event = start, TestsEvent
    try:
        yield
    finally:
        TaskRunner.start, threading.Event = original_start, original_event
    pool = QThreadPool.globalInstance()
    # A task queued soon=True and not yet given to a worker (a read begun by the teardown's own last events)
    # is let go: it never runs its work, here or in the next test, so it is no leak and fails nothing.
    for work in traced:
        if work.runner is not None and any(work.job is job for job in work.runner._pending):
            work.abandoned = True
            work.token.cancel()
    if pool.waitForDone(grace_ms):
        return
    running = [w.name for w in traced if w.state == "running"]
    workers = pool.activeThreadCount()
    for work in traced:
        work.abandoned = True
        work.token.cancel()
    for event in events:
        event.set()
    let_go = pool.waitForDone(_RELEASE_MS)
    problems = []
    if workers:
        problems.append(f"{workers} worker(s) of the task pool still running {grace_ms / 1000:g} s after the "
                        f"test: {running or '(not started by TaskRunner.start)'}")
    problems.append("let go (取消, the test's Events set) and finished" if let_go else
                    f"STILL RUNNING {_RELEASE_MS // 1000} s after being let go: it runs on into the next test")
    pytest.fail(f"{name} left work in the task runner — " + "; ".join(problems)
                + ". The test must release and wait for its own workers (tasks.wait_all()).", pytrace=False)
