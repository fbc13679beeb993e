"""Who is dispatching: this process's identity in heartbeats and claims, and the heartbeat
thread that keeps a live dispatcher from looking dead."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import timedelta

log = logging.getLogger(__name__)

#: How often a running dispatcher writes its heartbeat (on its own thread, also mid-upload).
HEARTBEAT_INTERVAL_S = 5.0
#: A dispatcher whose heartbeat is older than this is dead: its claims are recovered.
HEARTBEAT_STALE = timedelta(seconds=30)
#: Heartbeat rows of dead dispatchers (holding no claim) are deleted after this.
FORGET_DEAD_AFTER = timedelta(hours=1)
#: Names this PC in heartbeats and claims instead of its host name (tests simulating PCs).
HOST_NAME_ENV = "KODAIRA_HOST_NAME"


def host_id(name: str | None = None) -> str:
    """``host:pid:token`` — the heartbeat row's key and every claim's ``claimed_by``; the token
    keeps a restarted process that got the same pid from inheriting a dead one's claims."""
    return f"{name or socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours (EPERM) — or a platform without signal 0
        return True
    return True


class HeartbeatThread:
    """Writes the heartbeat every HEARTBEAT_INTERVAL_S on its own thread, so a long upload or
    a long pass never makes a live dispatcher look dead."""

    def __init__(self, beat: Callable[[], None]) -> None:
        self._beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kodaira-heartbeat", daemon=True)

    def __enter__(self) -> HeartbeatThread:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_INTERVAL_S * 2)

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_INTERVAL_S):
            try:
                self._beat()
            except Exception:  # the database is away: the main loop says so and reconnects
                log.debug("heartbeat not written", exc_info=True)
