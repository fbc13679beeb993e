"""The dispatcher inside the GUI: the engine behind `kodaira-desktop dispatch`, on a thread.

While the window is open a Python thread runs `Dispatcher.run_forever` (on ``ctx.clock``)
until a `threading.Event` is set. The thread never touches widgets: it emits the signals of
a relay object, queued to the GUI thread, where `DispatchWorker` re-emits them.

Set ``dispatch = false`` in the machine-wide config.toml or ``KODAIRA_GUI_DISPATCH=0`` to keep
the GUI from sending (another PC or a service runs ``kodaira-desktop dispatch``; tests and
screenshots).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance, Slot

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher, DispatchReport

log = logging.getLogger(__name__)

#: The environment switch; "0", "false", "no" or "off" turn the GUI's dispatcher off.
ENV_SWITCH = "KODAIRA_GUI_DISPATCH"
#: How long quitting waits for a pass to finish (an upload in flight resumes next time).
STOP_TIMEOUT_S = 10.0
#: After an unexpected error (the database unreachable …) try again this much later.
RESTART_DELAY_S = 30.0


def gui_dispatch_enabled(environ: Mapping[str, str]) -> bool:
    return environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


class _Relay(QObject):
    """Signals emitted on the dispatcher thread; connected queued to the worker."""

    passed = Signal(object)  # DispatchReport
    progress = Signal(int, object, object)  # entry id, done, total (bytes may pass 2**31)
    failed = Signal(str)
    outage = Signal(object)  # str while the database is unreachable, None once it is back


class _ReportingDispatcher(Dispatcher):
    """The engine, telling the relay after every pass."""

    def __init__(self, ctx: AppContext, relay: _Relay) -> None:
        super().__init__(ctx, progress=self._on_progress, on_outage=self._on_outage)
        self._relay = relay

    def run_once(self) -> DispatchReport:
        report = super().run_once()
        _emit(self._relay.passed, report)
        return report

    def _on_progress(self, entry: Entry, done: int, total: int) -> None:
        _emit(self._relay.progress, entry.id, done, total)

    def _on_outage(self, message: str | None) -> None:
        _emit(self._relay.outage, message)


def _emit(signal: SignalInstance, *args: object) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the window is gone: nobody is listening
        log.debug("dropping a dispatcher signal: its receiver is gone")


class DispatchWorker(QObject):
    #: A pass handled (published, failed, held …) at least one entry.
    entriesChanged = Signal(object)  # noqa: N815 — the DispatchReport
    #: Every pass, handled or not (the heartbeat is fresh).
    passFinished = Signal(object)  # noqa: N815 — the DispatchReport
    uploadProgress = Signal(int, object, object)  # noqa: N815 — entry id, done, total
    errorOccurred = Signal(str)  # noqa: N815 — one sentence in Japanese
    #: The database became unreachable (a message) or reachable again (None).
    databaseOutage = Signal(object)  # noqa: N815

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        settings = ctx.settings  # KODAIRA_GUI_DISPATCH, else config.toml's `dispatch`
        self.enabled = (
            settings.dispatch.value if settings is not None else gui_dispatch_enabled(ctx.environ)
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._relay = _Relay(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.passed.connect(self._on_passed, queued)
        self._relay.progress.connect(self.uploadProgress, queued)
        self._relay.failed.connect(self.errorOccurred, queued)
        self._relay.outage.connect(self.databaseOutage, queued)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Start the thread (once); False when switched off or already running."""
        if not self.enabled or self.running:
            return False
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kodaira-dispatch", daemon=True)
        self._thread.start()
        log.info("the GUI's dispatcher started")
        return True

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Ask the thread to stop and wait for it; True when it has ended."""
        self._stop.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the dispatcher did not stop within %.0f s; leaving it", timeout)
            return False
        self._thread = None
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                _ReportingDispatcher(self.ctx, self._relay).run_forever(self._stop)
            except Exception as error:  # the database went away …: say so, try again later
                log.exception("the GUI's dispatcher failed")
                _emit(
                    self._relay.failed,
                    f"送信処理でエラーが発生しました（{error}）。"
                    f"{RESTART_DELAY_S:.0f}秒後に再開します。",
                )
                self._stop.wait(RESTART_DELAY_S)

    @Slot(object)
    def _on_passed(self, report: DispatchReport) -> None:
        self.passFinished.emit(report)
        if report.handled:
            self.entriesChanged.emit(report)
