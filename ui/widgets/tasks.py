"""One task runner: long work off the GUI thread with a progress dialog and a cancel button.

The work is a plain function ``fn(progress)`` from the core or reports; it never touches widgets.
Results and errors come back to the GUI thread through signals."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from cadre_desk.domain.errors import CadreDeskError, Cancelled, friendly_error
from cadre_desk.domain.progress import SAVING, CancelToken, Progress
from cadre_desk.store.db import close_thread_connection


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], token: CancelToken):
        super().__init__()
        self.fn = fn
        self.token = token
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        progress = Progress(lambda d, t, s: self._emit(self.signals.progress, int(d), int(t), s), self.token)
        try:
            result = self.fn(progress)
        except BaseException as exc:  # noqa: BLE001 - reported to the user on the GUI thread
            self._emit(self.signals.failed, exc, traceback.format_exc())
            return
        finally:
            # Closed here, not when the pool thread's Python state is torn down: sqlcipher3 >= 0.6.3
            # aborts the interpreter when its connection is freed at that moment.
            close_thread_connection()
        self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # the window that asked for it has closed; nobody is waiting for the result


class Task(QObject):
    """A running job. ``done`` carries the result; ``error`` a Chinese message ('' when cancelled)."""

    done = Signal(object)
    error = Signal(str)

    def __init__(self, job: _Job, parent: QObject | None = None):
        super().__init__(parent)
        self.job = job
        self.token = job.token
        self.finished = False
        self.exception: BaseException | None = None  # what the work raised (Cancelled after 取消)

    def cancel(self) -> bool:
        """False when the work is already saving for good (its token sealed): it will finish."""
        return self.token.cancel()


def error_text(exc: BaseException) -> str:
    """A user-readable Chinese message for any exception (disk full found in the chain)."""
    return friendly_error(exc)


def _deliver(callback: Callable[[Any], None], value: Any) -> None:
    # A window closed while its task ran: the callback's widgets are gone, and so is the need.
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise


class _TaskDialog(QProgressDialog):
    """Esc is 取消 (its shortcut while the box is the active window, ``reject()`` while another window is),
    and does nothing once 取消 is disabled: the work saves for good and the box stays, saying so."""

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(title, "取消", 0, 0, parent)  # its own button: a second one would leave two Esc shortcuts
        self.cancel_button = self.findChild(QPushButton)

    def refuse_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        for shortcut in self.findChildren(QShortcut):
            shortcut.setEnabled(False)

    def reject(self) -> None:
        if self.cancel_button.isEnabled():
            self.canceled.emit()


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._running: set[Task] = set()
        self._pending: list[_Job] = []

    def start(self, fn: Callable[[Progress], Any], *, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None, soon: bool = False,
              on_progress: Callable[[int, int, str], None] | None = None) -> Task:
        """Run ``fn(progress)`` in the pool without a dialog. ``soon`` starts it from the event loop
        (after a window being built has been shown: a Python worker competes for the GIL) or at
        wait_all(), whichever comes first. ``on_progress(done, total, text)`` runs on the GUI thread
        (a window showing the progress itself)."""
        from PySide6.QtCore import Qt  # here, not at import: the window's start does without the Qt namespace

        job = _Job(fn, CancelToken())
        task = Task(job, self)
        self._running.add(task)
        if on_progress is not None:
            job.signals.progress.connect(on_progress, Qt.QueuedConnection)

        def finished(result):
            task.finished = True
            self._running.discard(task)
            task.done.emit(result)
            if on_done:
                _deliver(on_done, result)

        def failed(exc, trace):
            task.finished = True
            task.exception = exc
            self._running.discard(task)
            message = "" if isinstance(exc, Cancelled) else error_text(exc)
            if message and not isinstance(exc, CadreDeskError):
                import logging

                logging.getLogger(__name__).error("task failed:\n%s", trace)
            task.error.emit(message)
            if on_error:
                _deliver(on_error, message)

        job.signals.finished.connect(finished, Qt.QueuedConnection)
        job.signals.failed.connect(failed, Qt.QueuedConnection)
        if soon:
            self._pending.append(job)
            QTimer.singleShot(0, self, self._start_pending)
        else:
            self.pool.start(job)
        return task

    def _start_pending(self) -> None:
        pending, self._pending = self._pending, []
        for job in pending:
            self.pool.start(job)

    def run_with_progress(self, parent: QWidget | None, title: str, fn: Callable[[Progress], Any],
                          on_done: Callable[[Any], None] | None = None,
                          on_error: Callable[[str], None] | None = None, modal: bool = False) -> Task:
        """Run ``fn`` with a modeless progress dialog and a 取消 button; errors shown in a message box.
        ``modal``: the dialog shows at once and blocks the windows (work during which nothing may be read)."""
        import shiboken6
        from PySide6.QtCore import Qt

        dialog = _TaskDialog(title, parent)
        dialog.setWindowTitle(title)
        # the window stays usable while the work runs, unless ``modal``
        dialog.setWindowModality(Qt.ApplicationModal if modal else Qt.NonModal)
        dialog.setMinimumDuration(0 if modal else 300)
        dialog.setValue(0)  # starts the wait for that duration: otherwise Qt's own 4 s, for work that tells no totals
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def error(message: str) -> None:
            if shiboken6.isValid(dialog):
                dialog.close()
            if on_error:
                on_error(message)
            elif message:
                from ui.widgets import messages

                messages.error(parent, title, message)

        def done(result) -> None:
            if shiboken6.isValid(dialog):
                dialog.close()
            if on_done:
                on_done(result)

        def saving() -> None:  # the work commits for good: 取消 can no longer stop it, and it says so
            dialog.refuse_cancel()
            dialog.setRange(0, 0)  # how long the commit takes is not known: the bar is busy, not stuck part way
            dialog.setLabelText(SAVING)

        def progress(done_count: int, total: int, text: str) -> None:
            # the dialog goes with its parent (a page or window closed while the work runs): the work's
            # reports still come and find no dialog to show them in
            if task.finished or not shiboken6.isValid(dialog):
                return
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(done_count, total))
            if text:
                dialog.setLabelText(text)
            if task.token.sealed:
                saving()

        # the box hears the work from its first report: connected once the work runs (as it was), a report
        # made before run_with_progress got there was lost — on a loaded machine the worker seals at once
        # and the box went on saying the title, 取消 enabled, through the whole save. (``task`` is bound
        # before any report comes: they are queued to this thread's event loop.)
        task = self.start(fn, on_done=done, on_error=error, on_progress=progress)

        def cancel() -> None:
            if task.cancel() or task.finished or not shiboken6.isValid(dialog):
                return
            # asked in the moment the commit began (before the button was disabled), or by closing the dialog:
            # the dialog, hidden by QProgressDialog's own cancel (or the close, once it is done), comes back
            # and says why the work goes on
            saving()
            dialog.show()
            QTimer.singleShot(0, dialog, lambda: task.finished or dialog.show())

        dialog.canceled.connect(cancel)
        return task

    def running(self) -> int:
        """How many tasks have not finished (started or waiting to start)."""
        return len(self._running)

    def wait_all(self, msecs: int = 30000) -> bool:
        self._start_pending()
        return self.pool.waitForDone(msecs)


class Newest:
    """A widget's reads through the task runner of which only the newest is answered: a read started
    before another (the filters changed meanwhile), or answered after the widget is gone, is dropped.
    ``drop()`` leaves the read under way unanswered (the widget read the same here and now)."""

    def __init__(self, owner: QObject, tasks: TaskRunner) -> None:
        self.owner, self.tasks = owner, tasks
        self.task: Task | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.finished

    def drop(self) -> None:
        self.task = None

    def start(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
              on_error: Callable[[str], None], **options) -> Task:
        """``fn(progress)`` run as TaskRunner.start runs it (``options``: ``soon``…); ``on_done(result)``
        or ``on_error(message)`` only if it is still the newest read and the owner is there."""
        import shiboken6

        def done(result) -> None:
            if task is self.task and shiboken6.isValid(self.owner):
                on_done(result)

        def failed(message: str) -> None:
            if task is self.task and shiboken6.isValid(self.owner):
                on_error(message)

        task = self.task = self.tasks.start(fn, on_done=done, on_error=failed, **options)
        return task
