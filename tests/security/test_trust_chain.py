from __future__ import annotations

import pytest

from kodaira_desktop.security.chief_keys import (
    ChiefRecord,
    ScryptCost,
    TrustChain,
    UnlockedKey,
    endorse_chief,
    fingerprint,
    generate_chief_key,
    unlock,
    verify_endorsement,
)


@pytest.fixture
def keys(cheap_cost: ScryptCost) -> dict[str, UnlockedKey]:
    names = ("root", "sato", "suzuki", "mallory", "eve")
    return {name: unlock(generate_chief_key(name, cost=cheap_cost), name) for name in names}


def _record(keys: dict[str, UnlockedKey], login: str, endorser: str) -> ChiefRecord:
    public = keys[login].public_key
    return ChiefRecord(login, public, endorser, endorse_chief(keys[endorser], login, public))


def test_endorsement_round_trip(keys: dict[str, UnlockedKey]) -> None:
    signature = endorse_chief(keys["root"], "sato", keys["sato"].public_key)
    root = keys["root"].public_key
    assert verify_endorsement(root, "sato", keys["sato"].public_key, signature)
    assert not verify_endorsement(root, "suzuki", keys["sato"].public_key, signature)
    assert not verify_endorsement(root, "sato", keys["suzuki"].public_key, signature)
    assert not verify_endorsement(
        keys["eve"].public_key, "sato", keys["sato"].public_key, signature
    )


def test_chain_from_root_is_trusted_in_any_order(keys: dict[str, UnlockedKey]) -> None:
    records = [
        _record(keys, "suzuki", "sato"),  # listed before its endorser on purpose
        _record(keys, "sato", "root"),
        ChiefRecord("root", keys["root"].public_key),
    ]
    chain = TrustChain(fingerprint(keys["root"].public_key), "root")
    report = chain.evaluate(records)
    assert report.trusted == {login: keys[login].public_key for login in ("root", "sato", "suzuki")}
    assert report.rejected == {}


def test_forged_link_is_not_trusted(keys: dict[str, UnlockedKey]) -> None:
    root = ChiefRecord("root", keys["root"].public_key)
    # mallory writes rows straight into the database: her own key, "endorsed" by eve,
    # and eve's key, endorsed by mallory. Neither reaches the root.
    records = [
        root,
        _record(keys, "sato", "root"),
        _record(keys, "mallory", "eve"),
        _record(keys, "eve", "mallory"),
    ]
    # ...and a row that claims the root endorsed her, signed with her own key.
    forged = ChiefRecord(
        "suzuki",
        keys["mallory"].public_key,
        "root",
        endorse_chief(keys["mallory"], "suzuki", keys["mallory"].public_key),
    )
    report = TrustChain(fingerprint(keys["root"].public_key)).evaluate([*records, forged])
    assert set(report.trusted) == {"root", "sato"}
    assert report.rejected["mallory"] == "endorsement chain does not reach the trust root"
    assert report.rejected["suzuki"] == "endorsement signature is invalid"


def test_swapped_key_under_a_valid_endorsement_is_rejected(keys: dict[str, UnlockedKey]) -> None:
    genuine = _record(keys, "sato", "root")
    swapped = genuine._replace(public_key=keys["mallory"].public_key)
    chain = TrustChain(fingerprint(keys["root"].public_key))
    trusted = chain.trusted([ChiefRecord("root", keys["root"].public_key), swapped])
    assert trusted == {"root": keys["root"].public_key}


def test_root_must_match_pinned_fingerprint_and_login(keys: dict[str, UnlockedKey]) -> None:
    root_fp = fingerprint(keys["root"].public_key)
    impostor = ChiefRecord("root", keys["mallory"].public_key)
    assert TrustChain(root_fp).trusted([impostor, _record(keys, "sato", "root")]) == {}
    renamed = ChiefRecord("mallory", keys["root"].public_key)
    assert TrustChain(root_fp, "root").trusted([renamed]) == {}


def test_plain_tuples_are_accepted(keys: dict[str, UnlockedKey]) -> None:
    root = keys["root"].public_key
    records = [("root", root, None, None), tuple(_record(keys, "sato", "root"))]
    assert set(TrustChain(fingerprint(root)).trusted(records)) == {"root", "sato"}  # type: ignore[arg-type]
