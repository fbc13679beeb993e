from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from kodaira_desktop.security.approval_payload import ApprovedEntry, ApprovedMedia
from kodaira_desktop.security.chief_keys import (
    APPROVAL_PURPOSE,
    DEFAULT_COST,
    ChiefKeyMaterial,
    KeyMaterialError,
    ScryptCost,
    WrongPassword,
    approval_payload,
    change_password,
    fingerprint,
    generate_chief_key,
    needs_stronger_kdf,
    short_fingerprint,
    unlock,
    verify_signature,
)

PASSWORD = "正しい馬バッテリー staple"


@pytest.fixture
def material(cheap_cost: ScryptCost) -> ChiefKeyMaterial:
    return generate_chief_key(PASSWORD, cost=cheap_cost)


def test_sign_and_verify_round_trip(material: ChiefKeyMaterial) -> None:
    key = unlock(material, PASSWORD)
    signature = key.sign(b"payload")
    assert key.public_key == material.public_key
    assert len(material.public_key) == 32
    assert verify_signature(material.public_key, b"payload", signature)


def test_wrong_password_raises_without_detail(material: ChiefKeyMaterial) -> None:
    with pytest.raises(WrongPassword):
        unlock(material, "")
    with pytest.raises(WrongPassword) as excinfo:
        unlock(material, PASSWORD + "x")
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__suppress_context__


def test_tampered_payload_signature_or_key_fails(
    material: ChiefKeyMaterial, cheap_cost: ScryptCost
) -> None:
    signature = unlock(material, PASSWORD).sign(b"payload")
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    other = generate_chief_key("other", cost=cheap_cost).public_key
    assert not verify_signature(material.public_key, b"payloaD", signature)
    assert not verify_signature(material.public_key, b"payload", flipped)
    assert not verify_signature(other, b"payload", signature)
    assert not verify_signature(b"short", b"payload", signature)
    assert not verify_signature(material.public_key, b"payload", b"")


def test_change_password_keeps_key_pair(material: ChiefKeyMaterial, cheap_cost: ScryptCost) -> None:
    changed = change_password(material, PASSWORD, "新しいパスワード", cost=cheap_cost)
    assert changed.public_key == material.public_key
    assert changed.kdf_params["salt"] != material.kdf_params["salt"]
    assert unlock(changed, "新しいパスワード").public_key == material.public_key
    with pytest.raises(WrongPassword):
        unlock(changed, PASSWORD)


def test_change_password_needs_old_password(material: ChiefKeyMaterial) -> None:
    with pytest.raises(WrongPassword):
        change_password(material, "wrong", "new")


def test_kdf_params_are_stored_and_can_be_raised(material: ChiefKeyMaterial) -> None:
    assert ScryptCost(n=2**15, r=8, p=1) == DEFAULT_COST
    params = material.kdf_params
    assert (params["kdf"], params["n"], params["r"], params["p"]) == ("scrypt", 2**10, 8, 1)
    assert params["cipher"] == "aes-256-gcm"
    assert needs_stronger_kdf(material)
    stronger = change_password(material, PASSWORD, PASSWORD, cost=ScryptCost(n=2**11))
    assert not needs_stronger_kdf(stronger, ScryptCost(n=2**11))


def test_swapped_public_key_or_params_do_not_unlock(
    material: ChiefKeyMaterial, cheap_cost: ScryptCost
) -> None:
    other_public = generate_chief_key("x", cost=cheap_cost).public_key
    with pytest.raises(WrongPassword):
        unlock(dataclasses.replace(material, public_key=other_public), PASSWORD)
    raised = {**material.kdf_params, "n": 2**11}
    with pytest.raises(WrongPassword):
        unlock(dataclasses.replace(material, kdf_params=raised), PASSWORD)


@pytest.mark.parametrize(
    "change",
    [
        {"kdf": "pbkdf2"},
        {"n": 2**30},
        {"n": 2**20, "r": 32},  # 4 GiB: refused before any allocation
        {"n": "1024"},
        {"salt": "!!"},
        {"nonce": "AAAA"},
    ],
)
def test_malformed_params_are_not_a_password_error(
    material: ChiefKeyMaterial, change: dict[str, int | str]
) -> None:
    broken = dataclasses.replace(material, kdf_params={**material.kdf_params, **change})
    with pytest.raises(KeyMaterialError):
        unlock(broken, PASSWORD)


def test_password_is_unicode_normalised(cheap_cost: ScryptCost) -> None:
    composed = "ガギグ"
    material = generate_chief_key(composed, cost=cheap_cost)
    unlock(material, unicodedata.normalize("NFD", composed))


def test_empty_password_refused(cheap_cost: ScryptCost) -> None:
    with pytest.raises(ValueError, match="empty"):
        generate_chief_key("", cost=cheap_cost)


def test_reprs_hide_key_material(material: ChiefKeyMaterial) -> None:
    key = unlock(material, PASSWORD)
    for text in (repr(material), repr(key), str(key)):
        assert str(material.kdf_params["salt"]) not in text
        assert fingerprint(material.public_key) in text


def test_fingerprints(material: ChiefKeyMaterial) -> None:
    full = fingerprint(material.public_key)
    assert re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", full)
    assert fingerprint(bytes(material.public_key)) == full
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", short_fingerprint(material.public_key))
    with pytest.raises(ValueError, match="32"):
        fingerprint(b"not a key")


_ENTRIES = {
    "x-city": ApprovedEntry("【緊急】避難所を開設しました"),
    "youtube": ApprovedEntry("避難所を開設しました", "避難所のご案内"),
}
_MEDIA = [
    ApprovedMedia("AB" * 32, "image/png", "https://www.city.kodaira.tokyo.jp/a.png"),
    ApprovedMedia("cd" * 32, "video/mp4"),
]


def _approval(**changes: object) -> bytes:
    start = datetime(2025, 11, 29, 10, 0, tzinfo=UTC)
    fields: dict[str, object] = {
        "item_id": 42,
        "entries": _ENTRIES,
        "media": _MEDIA,
        "window_start": start,
        "window_end": start + timedelta(hours=2),
        "reason": "台風接近のため",
        "approver_login": "tanaka",
        "approved_at": start - timedelta(minutes=5),
    }
    fields.update(changes)
    return approval_payload(**fields)  # type: ignore[arg-type]


def test_approval_payload_is_canonical() -> None:
    payload = _approval()
    text = payload.decode("utf-8")
    assert f'"purpose":"{APPROVAL_PURPOSE}"' in text
    assert APPROVAL_PURPOSE.endswith("-v2")
    assert '"channels":["x-city","youtube"]' in text
    assert '"window_start":"2025-11-29T10:00:00Z"' in text
    assert "避難所" in text  # UTF-8, not \u escapes
    assert '"sha256":"' + "ab" * 32 in text
    assert _approval(entries=dict(reversed(_ENTRIES.items()))) == payload


@pytest.mark.parametrize(
    "change",
    [
        {"entries": {**_ENTRIES, "x-city": ApprovedEntry("別の文")}},
        {"entries": {**_ENTRIES, "x-city": ApprovedEntry(_ENTRIES["x-city"].text, "題名")}},
        {"entries": {**_ENTRIES, "youtube": ApprovedEntry("避難所を開設しました", "別の題名")}},
        {"entries": {"youtube": _ENTRIES["youtube"]}},
        {"media": list(reversed(_MEDIA))},
        {"media": [_MEDIA[0], ApprovedMedia("cd" * 32, "video/quicktime")]},
        {"media": [ApprovedMedia("ab" * 32, "image/png", "https://evil.example/a.png"), _MEDIA[1]]},
        {"media": [ApprovedMedia("ab" * 32, "image/png"), _MEDIA[1]]},
        {"media": [ApprovedMedia("ab" * 32, "image/png", _MEDIA[0].public_url, "代替"), _MEDIA[1]]},
        {"window_end": datetime(2025, 11, 29, 13, 0, tzinfo=UTC)},
        {"reason": "別の理由"},
        {"approver_login": "suzuki"},
        {"item_id": 43},
    ],
)
def test_any_change_voids_the_approval(
    material: ChiefKeyMaterial, change: dict[str, object]
) -> None:
    signature = unlock(material, PASSWORD).sign(_approval())
    assert verify_signature(material.public_key, _approval(), signature)
    assert not verify_signature(material.public_key, _approval(**change), signature)


def test_approval_payload_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        _approval(approved_at=datetime(2025, 11, 29, 10, 0))
    with pytest.raises(ValueError, match="SHA-256"):
        _approval(media=[ApprovedMedia("abc", "image/png")])
    with pytest.raises(ValueError, match="before"):
        _approval(window_end=datetime(2025, 11, 29, 9, 0, tzinfo=UTC))


def test_production_default_cost_works() -> None:
    # One real 2**15 derivation each way (~0.1 s): proves the default is within limits.
    material = generate_chief_key(PASSWORD)
    assert material.kdf_params["n"] == 2**15
    assert unlock(material, PASSWORD).public_key == material.public_key
