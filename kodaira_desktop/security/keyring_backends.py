"""TEST-ONLY keyring backends. Production always uses the OS keyring.

- :class:`MemoryKeyring`: a dict in this process; selected with ``KODAIRA_KEYRING=memory``.
- :class:`FileKeyring`: one plain-text file per entry under a directory, so that a secret
  stored by one process (a CLI subprocess in a test) can be read by another; selected with
  ``KODAIRA_KEYRING=file:/path/to/dir``. It stores secrets UNENCRYPTED: never point it at a
  real secret.

Neither is ever picked by keyring's own auto-detection: their ``priority`` raises, which is
how keyring marks a backend as not viable. This module is imported only when
``KODAIRA_KEYRING`` asks for one of them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

_NOT_VIABLE = "test-only keyring backend; select it with KODAIRA_KEYRING"


class MemoryKeyring(KeyringBackend):
    """Entries kept in a dict for the life of the object (not shared between processes)."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - a class property
        raise RuntimeError(_NOT_VIABLE)

    def __init__(self) -> None:
        # KeyringBackend.__init__ only reads KEYRING_PROPERTY_* variables: nothing to do here.
        self._entries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._entries.pop((service, username), None) is None:
                raise PasswordDeleteError(f"no such entry: {service} / {username}")

    def entry_names(self) -> list[tuple[str, str]]:
        """(service, username) pairs, for tests; never the values."""
        with self._lock:
            return sorted(self._entries)

    def __repr__(self) -> str:
        return f"MemoryKeyring({len(self._entries)} entries)"

    __str__ = __repr__


class FileKeyring(KeyringBackend):
    """Entries as plain files under ``directory`` (created 0700; files 0600). Test-only."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - a class property
        raise RuntimeError(_NOT_VIABLE)

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def _path(self, service: str, username: str) -> Path:
        # Hashing keeps any service/username a safe, fixed-length file name.
        digest = hashlib.sha256(f"{service}\0{username}".encode()).hexdigest()
        return self.directory / f"{digest}.secret"

    def get_password(self, service: str, username: str) -> str | None:
        try:
            return self._path(service, username).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=self.directory, suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(password)
            os.replace(temp_name, self._path(service, username))
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def delete_password(self, service: str, username: str) -> None:
        try:
            self._path(service, username).unlink()
        except FileNotFoundError:
            raise PasswordDeleteError(f"no such entry: {service} / {username}") from None

    def __repr__(self) -> str:
        return f"FileKeyring({str(self.directory)!r}, TEST ONLY)"

    __str__ = __repr__


_shared_memory_keyring: MemoryKeyring | None = None
_shared_lock = threading.Lock()


def shared_memory_keyring() -> MemoryKeyring:
    """The one :class:`MemoryKeyring` behind ``KODAIRA_KEYRING=memory`` in this process, so
    every ``SecretStore()`` in a test sees the same entries. Created on first use."""
    global _shared_memory_keyring
    with _shared_lock:
        if _shared_memory_keyring is None:
            _shared_memory_keyring = MemoryKeyring()
        return _shared_memory_keyring


def reset_shared_memory_keyring() -> None:
    """Forget every entry of the shared memory keyring (call between tests)."""
    global _shared_memory_keyring
    with _shared_lock:
        _shared_memory_keyring = None
