"""Background work that hands its result back on the GUI thread through signals.

A task runs a plain callable on a thread pool; it never touches widgets. Its result (or a
one-sentence error) travels through a queued signal to the `TaskRunner`, which lives on the
GUI thread and calls the caller's callbacks there.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance, Slot

from kodaira_desktop.services.context import ServiceError
from kodaira_desktop.services.outage import DATABASE_UNREACHABLE, is_database_outage
from kodaira_desktop.ui.wording import for_window

log = logging.getLogger(__name__)

#: Most tasks wait on the database or a service (a live credential check may wait its whole
#: timeout), not on the CPU: Qt's default of one thread per core would let two slow checks on
#: a 2-core office PC hold up every month, page and list the window loads meanwhile.
MIN_POOL_THREADS = 8


def shared_pool() -> QThreadPool:
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_POOL_THREADS:
        pool.setMaxThreadCount(MIN_POOL_THREADS)
    return pool


class _TaskSignals(QObject):
    succeeded = Signal(int, object)
    failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], object], signals: _TaskSignals) -> None:
        super().__init__()
        self.task_id = task_id
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except ServiceError as error:
            self._report(self.signals.failed, str(error))
        except Exception as error:  # a worker reports; it never dies silently
            if is_database_outage(error):
                log.warning("the database is unreachable: %s", error)
                self._report(self.signals.failed, DATABASE_UNREACHABLE)
                return
            log.exception("background task failed")
            self._report(self.signals.failed, f"予期しないエラーが発生しました：{error}")
        else:
            self._report(self.signals.succeeded, result)

    def _report(self, signal: SignalInstance, payload: object) -> None:
        try:
            signal.emit(self.task_id, payload)
        except RuntimeError:  # the window closed while we worked: nobody is listening
            log.debug("dropping the result of task %s: its runner is gone", self.task_id)


@dataclass(frozen=True)
class _Callbacks:
    on_success: Callable[[Any], None]
    on_failure: Callable[[str], None]


class TaskRunner(QObject):
    """Starts background tasks; delivers each result on the thread that owns the runner."""

    #: Emitted when the last running task has delivered its result.
    idle = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or shared_pool()
        self._signals = _TaskSignals(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.succeeded.connect(self._deliver_success, queued)
        self._signals.failed.connect(self._deliver_failure, queued)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def start(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> None:
        task_id = next(self._ids)
        self._pending[task_id] = _Callbacks(on_success, on_failure)
        self._pool.start(_Task(task_id, work, self._signals))

    @Slot(int, object)
    def _deliver_success(self, task_id: int, result: object) -> None:
        callbacks = self._pending.pop(task_id, None)
        if callbacks is not None:
            callbacks.on_success(result)
        self._maybe_idle()

    @Slot(int, str)
    def _deliver_failure(self, task_id: int, message: str) -> None:
        callbacks = self._pending.pop(task_id, None)
        if callbacks is not None:
            callbacks.on_failure(for_window(message))
        self._maybe_idle()

    def _maybe_idle(self) -> None:
        if not self._pending:
            self.idle.emit()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool's tasks have run (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
