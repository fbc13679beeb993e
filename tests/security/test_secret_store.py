from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import keyring.backend
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringError, KeyringLocked

from kodaira_desktop.security.keyring_backends import FileKeyring, MemoryKeyring
from kodaira_desktop.security.secrets import (
    PLATFORM_CREDENTIAL_FIELDS,
    SERVICE_NAME,
    BackendStatus,
    KeyringUnavailableError,
    MissingCredentialsError,
    SecretStore,
    backend_from_env,
)

X_FIELDS = {
    "api_key": "ak-SECRET-1",
    "api_secret": "as-SECRET-2",
    "access_token": "at-SECRET-3",
    "access_token_secret": "ats-SECRET-4",
}


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("D-Bus said no")


@pytest.fixture
def memory() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(memory: MemoryKeyring) -> SecretStore:
    return SecretStore(memory)


def test_one_entry_per_field_plus_an_index(store: SecretStore, memory: MemoryKeyring) -> None:
    store.set_channel_credentials("x-city", X_FIELDS)
    assert memory.entry_names() == sorted(
        (SERVICE_NAME, f"channel:x-city:{name}") for name in [*X_FIELDS, "_fields"]
    )
    index = memory.get_password(SERVICE_NAME, "channel:x-city:_fields")
    assert index == "access_token,access_token_secret,api_key,api_secret"
    assert memory.get_password(SERVICE_NAME, "channel:x-city:api_key") == "ak-SECRET-1"


def test_round_trip_and_has(store: SecretStore) -> None:
    assert not store.has_channel_credentials("x-city")
    store.set_channel_credentials("x-city", X_FIELDS)
    assert store.get_channel_credentials("x-city", PLATFORM_CREDENTIAL_FIELDS["x"]) == X_FIELDS
    assert store.has_channel_credentials("x-city", PLATFORM_CREDENTIAL_FIELDS["x"])
    assert not store.has_channel_credentials("x-mayor")


def test_missing_fields_are_named(store: SecretStore) -> None:
    store.set_channel_credentials("youtube", {"client_id": "cid"})
    with pytest.raises(MissingCredentialsError) as excinfo:
        store.get_channel_credentials("youtube", PLATFORM_CREDENTIAL_FIELDS["youtube"])
    assert excinfo.value.missing == ("client_secret", "refresh_token")
    message = str(excinfo.value)
    assert "client_secret, refresh_token" in message
    assert "credentials set youtube" in message
    assert "認証情報" in message
    assert "cid" not in message


def test_set_replaces_and_delete_removes_everything(
    store: SecretStore, memory: MemoryKeyring
) -> None:
    store.set_channel_credentials("facebook", {"page_id": "1", "page_access_token": "t"})
    store.set_channel_credentials("facebook", {"page_access_token": "t2"})
    assert store.get_channel_credentials("facebook") == {"page_access_token": "t2"}
    assert (SERVICE_NAME, "channel:facebook:page_id") not in memory.entry_names()
    store.delete_channel_credentials("facebook")
    assert memory.entry_names() == []
    store.delete_channel_credentials("facebook")  # deleting nothing is fine


def test_secrets_never_in_repr_or_errors(store: SecretStore) -> None:
    store.set_channel_credentials("x-city", X_FIELDS)
    found = store.get_channel_credentials("x-city")
    for text in (repr(found), str(found), f"{found}", repr(store)):
        assert "SECRET" not in text
    assert "'api_key': '***'" in repr(found)
    too_long = "S" * 1281
    with pytest.raises(ValueError, match="api_key") as excinfo:
        store.set_channel_credentials("x-city", {"api_key": too_long})
    assert too_long not in str(excinfo.value)


@pytest.mark.parametrize(
    ("channel", "fields"),
    [
        ("x:city", {"api_key": "v"}),
        ("x-city", {"_fields": "v"}),
        ("x-city", {"api_key": ""}),
        ("x-city", {}),
    ],
)
def test_invalid_input_is_refused(store: SecretStore, channel: str, fields: dict[str, str]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - several distinct messages
        store.set_channel_credentials(channel, fields)


def test_other_secrets(store: SecretStore) -> None:
    assert store.get_secret("database_password") is None
    store.set_secret("database_password", "pg-pass")
    assert store.get_secret("database_password") == "pg-pass"
    store.delete_secret("database_password")
    assert store.get_secret("database_password") is None


def test_backend_info_for_memory_backend_says_test_only(store: SecretStore) -> None:
    info = store.backend_info()
    assert (info.ok, info.status) == (True, BackendStatus.TEST_ONLY)
    assert "MemoryKeyring" in info.name
    assert "KODAIRA_KEYRING" in info.message_ja


@pytest.mark.parametrize(
    ("backend", "status", "hint"),
    [
        (
            fail.Keyring(),  # type: ignore[no-untyped-call]
            BackendStatus.NO_BACKEND,
            "gnome-keyring",
        ),
        (
            null.Keyring(),  # type: ignore[no-untyped-call]
            BackendStatus.NO_BACKEND,
            "gnome-keyring",
        ),
        (LockedKeyring(), BackendStatus.LOCKED, "ロック"),
        (BrokenKeyring(), BackendStatus.ERROR, "D-Bus said no"),
    ],
)
def test_backend_info_for_failing_backends(
    backend: keyring.backend.KeyringBackend, status: BackendStatus, hint: str
) -> None:
    info = SecretStore(backend).backend_info()
    assert (info.ok, info.status) == (False, status)
    assert hint in info.message_ja


def test_operations_on_a_locked_keyring_raise_a_clear_error() -> None:
    store = SecretStore(LockedKeyring())
    with pytest.raises(KeyringUnavailableError, match="locked") as excinfo:
        store.get_channel_credentials("line")
    assert excinfo.value.info.status is BackendStatus.LOCKED


def test_env_selects_backends(tmp_path: Path) -> None:
    shared = backend_from_env({"KODAIRA_KEYRING": "memory"})
    assert backend_from_env({"KODAIRA_KEYRING": "memory"}) is shared
    file_backend = backend_from_env({"KODAIRA_KEYRING": f"file:{tmp_path}"})
    assert isinstance(file_backend, FileKeyring)
    assert file_backend.directory == tmp_path
    with pytest.raises(ValueError, match="KODAIRA_KEYRING"):
        backend_from_env({"KODAIRA_KEYRING": "plaintext"})


def test_default_store_uses_env_memory_backend() -> None:
    SecretStore().set_secret("s", "v")
    assert SecretStore().get_secret("s") == "v"  # same shared memory keyring


def test_test_backends_are_never_auto_selected() -> None:
    assert not MemoryKeyring.viable
    assert not FileKeyring.viable
    viable = set(keyring.backend.get_all_keyring())
    assert not any(isinstance(b, MemoryKeyring | FileKeyring) for b in viable)


def test_file_backend_round_trip_and_permissions(tmp_path: Path) -> None:
    directory = tmp_path / "keyring"
    store = SecretStore(FileKeyring(directory))
    store.set_channel_credentials("line", {"channel_access_token": "line-SECRET"})
    assert SecretStore(FileKeyring(directory)).get_channel_credentials("line") == {
        "channel_access_token": "line-SECRET"
    }
    files = sorted(directory.iterdir())
    assert len(files) == 2  # the field and the index
    assert all("line" not in path.name for path in files)
    if os.name == "posix":
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    store.delete_channel_credentials("line")
    assert list(directory.iterdir()) == []


def test_file_backend_is_shared_with_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "KODAIRA_KEYRING": f"file:{tmp_path}"}
    script = (
        "from kodaira_desktop.security.secrets import SecretStore\n"
        "SecretStore().set_channel_credentials('line', {'channel_access_token': 'from-child'})\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=30)
    store = SecretStore(backend_from_env(env))
    assert store.get_channel_credentials("line") == {"channel_access_token": "from-child"}
