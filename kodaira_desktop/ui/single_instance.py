"""One window per user: a second start asks the first to come to the front and exits 0.

The first start listens on a local socket (a named pipe on Windows, a socket file in the temp
folder elsewhere) whose name is made from the login and the data folder, so two users of one
PC — and test runs with their own data folders — never meet. A socket file left behind by a
crash answers nobody: the next start finds no listener, removes it and listens itself.

Only the real entry point takes it (``ui/app.py``; not ``--smoke``/``--smoke-paint``, nor tests
that build windows in one process).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 1_000


def server_name(login: str, data_dir: Path) -> str:
    digest = hashlib.sha256(f"{login}\0{data_dir}".encode()).hexdigest()[:16]
    return f"kodaira-desktop-{digest}"


class SingleInstance(QObject):
    """``acquire()`` is True for the first start (it now listens) and False for a later one,
    which has told the first to raise its window."""

    #: A later start asked this one to show its window.
    raiseRequested = Signal()  # noqa: N815 — Qt signal naming

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        if self._tell_the_first():
            log.info("another window is open for this user: asked it to come to the front")
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by a crash (nobody answered above): remove it and listen.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                if self._tell_the_first():  # lost a race with a start at the same moment
                    return False
                log.warning("cannot listen on %s: %s", self.name, server.errorString())
                return True  # carry on as the only window rather than refuse to start
        server.newConnection.connect(self._on_connection)
        self.server = server
        log.info("single instance: listening on %s", self.name)
        return True

    def _tell_the_first(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(RAISE_MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QObject | None = None) -> None:
        socket = socket or self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        data = bytes(socket.readAll().data())
        if RAISE_MESSAGE.strip() in data:
            log.info("single instance: a second start asked to raise the window")
            self.raiseRequested.emit()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
