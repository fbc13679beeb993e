"""The one rule of who is a chief, with revocations (pure: no database)."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kodaira_desktop.security.chief_keys import ChiefRecord, UnlockedKey, endorse_chief, fingerprint
from kodaira_desktop.security.revocation import Revocation, evaluate, sign_revocation

AT = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)


def key() -> UnlockedKey:
    return UnlockedKey(Ed25519PrivateKey.generate())


def office() -> tuple[dict[str, UnlockedKey], list[ChiefRecord]]:
    """root endorses vice; vice endorses third."""
    keys = {"root": key(), "vice": key(), "third": key()}
    records = [
        ChiefRecord("root", keys["root"].public_key),
        ChiefRecord(
            "vice",
            keys["vice"].public_key,
            "root",
            endorse_chief(keys["root"], "vice", keys["vice"].public_key),
        ),
        ChiefRecord(
            "third",
            keys["third"].public_key,
            "vice",
            endorse_chief(keys["vice"], "third", keys["third"].public_key),
        ),
    ]
    return keys, records


def test_every_chained_chief_acts_without_revocations() -> None:
    keys, records = office()
    trust = evaluate(keys["root"].fingerprint, "root", records, [])
    assert set(trust.acting) == {"root", "vice", "third"}


def test_no_pinned_root_trusts_nobody() -> None:
    _keys, records = office()
    trust = evaluate(None, None, records, [])
    assert trust.acting == {}
    assert trust.chained == {}


def test_a_self_made_key_does_not_chain() -> None:
    keys, records = office()
    mallory = key()
    forged = ChiefRecord("mallory", mallory.public_key, "mallory", b"x" * 64)
    trust = evaluate(keys["root"].fingerprint, "root", [*records, forged], [])
    assert "mallory" not in trust.acting
    assert "does not chain" in trust.rejected["mallory"]


def test_a_revoked_chief_stops_acting_but_what_they_endorsed_before_stays() -> None:
    keys, records = office()
    revoke = sign_revocation(
        keys["root"], "root", "vice", keys["vice"].public_key, [keys["third"].fingerprint], AT
    )
    trust = evaluate(keys["root"].fingerprint, "root", records, [revoke])
    assert set(trust.acting) == {"root", "third"}
    assert "vice" in trust.chained  # its old signatures stay verifiable
    assert trust.rejected["vice"] == "the key was revoked"


def test_a_revoked_chief_cannot_endorse_anyone_new() -> None:
    keys, records = office()
    revoke = sign_revocation(keys["root"], "root", "vice", keys["vice"].public_key, [], AT)
    newcomer = key()
    late = ChiefRecord(
        "late",
        newcomer.public_key,
        "vice",
        endorse_chief(keys["vice"], "late", newcomer.public_key),
    )
    trust = evaluate(keys["root"].fingerprint, "root", [*records, late], [revoke])
    assert "late" not in trust.acting
    assert "third" not in trust.acting  # not kept by the revocation either
    assert "after its revocation" in trust.rejected["late"]


def test_the_root_chief_may_retire_and_still_anchors_the_kept_chiefs() -> None:
    keys, records = office()
    revoke = sign_revocation(
        keys["vice"], "vice", "root", keys["root"].public_key, [keys["vice"].fingerprint], AT
    )
    trust = evaluate(keys["root"].fingerprint, "root", records, [revoke])
    assert set(trust.acting) == {"vice", "third"}


def test_a_forged_revocation_is_ignored() -> None:
    keys, records = office()
    mallory = key()
    forged = sign_revocation(mallory, "root", "vice", keys["vice"].public_key, [], AT)
    unsigned = Revocation("vice", fingerprint(keys["vice"].public_key), (), "root", AT, b"")
    trust = evaluate(keys["root"].fingerprint, "root", records, [forged, unsigned])
    assert set(trust.acting) == {"root", "vice", "third"}
    assert trust.revoked == {}
