"""The suite's guard (tests/conftest.py, _task_pool_left_empty): a test that leaves a worker of the task
runner running, or a task queued, fails by name, and what it left is let go before the next test."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import task_pool_guard


def test_a_held_worker_left_at_the_end_fails_the_test_by_name_and_is_let_go(qapp):
    from PySide6.QtCore import QThreadPool

    from ui.widgets.tasks import TaskRunner

    runner, ran = TaskRunner(), []

    def held_forever(progress):
        go.wait()  # no timeout: only the guard lets it go
        ran.append("let go")

    with pytest.raises(pytest.fail.Exception) as failed:
        with task_pool_guard("test_forgetful", grace_ms=200):
            go = threading.Event()  # the test's own: set by the guard
            runner.start(held_forever)
    message = str(failed.value)
    assert "test_forgetful left work in the task runner" in message
    assert "1 worker(s)" in message and "held_forever" in message
    assert "let go" in message and "STILL RUNNING" not in message
    assert QThreadPool.globalInstance().activeThreadCount() == 0 and ran == ["let go"]
    runner.wait_all(5000)


def test_a_task_queued_soon_and_never_given_to_a_worker_is_let_go_and_never_runs(qapp):
    """A read queued by the teardown's own last events (seen under load: the 干部名册's load at a window's
    close, in test_drafts) fails nothing: when its turn comes — in the next test — its work does not run."""
    from ui.widgets.tasks import TaskRunner

    runner, ran = TaskRunner(), []
    with task_pool_guard("test_hasty", grace_ms=200):
        runner.start(lambda progress: ran.append("ran"), soon=True)
    assert runner.wait_all(5000)  # its turn comes (here: the next test's time) and it does nothing
    assert ran == []


def test_a_task_queued_soon_on_a_runner_since_deleted_is_no_leak(qapp):
    """A window closed (its context deleted) before the event loop gave its queued read to a worker."""
    import shiboken6
    from PySide6.QtCore import QObject, QThreadPool

    from ui.widgets.tasks import TaskRunner

    owner, ran = QObject(), []
    runner = TaskRunner(owner)
    with task_pool_guard("test_window_closed", grace_ms=200):
        runner.start(lambda progress: ran.append("ran"), soon=True)
        shiboken6.delete(owner)  # the context, and its runner with it
    qapp.processEvents()
    assert QThreadPool.globalInstance().waitForDone(5000) and ran == []


def test_work_finished_within_the_grace_passes(qapp):
    import time

    from ui.widgets.tasks import TaskRunner

    runner = TaskRunner()
    with task_pool_guard("test_patient", grace_ms=3000):
        runner.start(lambda progress: time.sleep(0.3))
