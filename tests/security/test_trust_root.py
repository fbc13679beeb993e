from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kodaira_desktop.security.chief_keys import ScryptCost, fingerprint, generate_chief_key
from kodaira_desktop.security.trust_root import (
    TrustRoot,
    TrustRootError,
    read_trust_root,
    write_trust_root,
)

WHEN = datetime(2025, 11, 25, 2, 30, tzinfo=UTC)


@pytest.fixture
def root_fp(cheap_cost: ScryptCost) -> str:
    return fingerprint(generate_chief_key("pw", cost=cheap_cost).public_key)


def test_missing_file_means_not_set_up(tmp_path: Path) -> None:
    assert read_trust_root(tmp_path / "trust-root.toml") is None


def test_round_trip(tmp_path: Path, root_fp: str) -> None:
    path = tmp_path / "etc" / "kodaira" / "trust-root.toml"
    written = write_trust_root(path, root_fp, "田中", now=WHEN)
    assert read_trust_root(path) == written == TrustRoot(root_fp, "田中", WHEN)
    assert "田中" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["trust-root.toml"]  # no temp files left


def test_same_root_again_is_fine_but_a_different_one_is_refused(
    tmp_path: Path, root_fp: str, cheap_cost: ScryptCost
) -> None:
    path = tmp_path / "trust-root.toml"
    write_trust_root(path, root_fp, "tanaka", now=WHEN)
    write_trust_root(path, root_fp, "tanaka")
    other_fp = fingerprint(generate_chief_key("pw", cost=cheap_cost).public_key)
    with pytest.raises(TrustRootError, match="already pinned"):
        write_trust_root(path, other_fp, "mallory")
    assert read_trust_root(path) == TrustRoot(root_fp, "tanaka", WHEN)
    write_trust_root(path, other_fp, "sato", replace=True)
    root = read_trust_root(path)
    assert root is not None
    assert (root.fingerprint, root.chief_login) == (other_fp, "sato")


_HEAD = '[trust_root]\nversion = 1\nfingerprint = "SHA256:' + "A" * 43 + '"\n'


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("not = [toml", "Malformed"),
        ("[other]\nx = 1\n", "missing [trust_root]"),
        ('[trust_root]\nversion = 2\nfingerprint = "x"\nchief_login = "a"\n', "version"),
        ('[trust_root]\nversion = 1\nfingerprint = "MD5:abc"\nchief_login = "a"\n', "fingerprint"),
        (_HEAD + 'chief_login = ""\n', "chief_login"),
        (_HEAD + 'chief_login = "a"\nwritten_at = "yesterday"\n', "written_at"),
        ("\x00\x01 binary", "Malformed"),
    ],
)
def test_malformed_file_is_a_clear_error(tmp_path: Path, content: str, detail: str) -> None:
    path = tmp_path / "trust-root.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrustRootError, match="trust-root") as excinfo:
        read_trust_root(path)
    assert detail in str(excinfo.value)
    assert str(path) in str(excinfo.value)


def test_non_utf8_file_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "trust-root.toml"
    path.write_bytes(b"\xff\xfe[trust_root]")
    with pytest.raises(TrustRootError, match="Malformed"):
        read_trust_root(path)


def test_replace_repairs_a_malformed_file(tmp_path: Path, root_fp: str) -> None:
    path = tmp_path / "trust-root.toml"
    path.write_text("garbage = [", encoding="utf-8")
    with pytest.raises(TrustRootError):
        write_trust_root(path, root_fp, "tanaka")
    write_trust_root(path, root_fp, "tanaka", replace=True)
    assert read_trust_root(path) is not None


def test_writing_refuses_bad_input(tmp_path: Path, root_fp: str) -> None:
    with pytest.raises(ValueError, match="fingerprint"):
        write_trust_root(tmp_path / "t.toml", "SHA256:short", "tanaka")
    with pytest.raises(ValueError, match="chief_login"):
        write_trust_root(tmp_path / "t.toml", root_fp, " ")
