"""Revoking a chief's key, and the one rule of who counts as a chief.

A revocation is signed by a chief whose key chains to the pinned root. It names the revoked key
by fingerprint and lists the keys that key had endorsed which stay trusted (``keeps``), so a
revoked chief cannot endorse anyone new, while chiefs they endorsed before keep their standing.
The root key itself may be revoked (the first chief retires): it still anchors the chain, but
only through its ``keeps``, and can no longer sign anything that is accepted.

Pure functions over plain records: no database, no clock.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from kodaira_desktop.security.canonical import canonical_json, iso_utc
from kodaira_desktop.security.chief_keys import (
    ChiefRecord,
    UnlockedKey,
    fingerprint,
    verify_endorsement,
    verify_signature,
)

REVOCATION_PURPOSE = "kodaira-chief-revocation-v1"


@dataclass(frozen=True)
class Revocation:
    login: str
    fingerprint: str
    keeps: tuple[str, ...]
    revoked_by: str
    revoked_at: datetime
    signature: bytes


def revocation_payload(
    login: str, key_fingerprint: str, keeps: Iterable[str], revoked_by: str, revoked_at: datetime
) -> bytes:
    return canonical_json(
        {
            "purpose": REVOCATION_PURPOSE,
            "login": login,
            "fingerprint": key_fingerprint,
            "keeps": sorted(set(keeps)),
            "revoked_by": revoked_by,
            "revoked_at": iso_utc(revoked_at),
        }
    )


def sign_revocation(
    signer: UnlockedKey,
    signer_login: str,
    login: str,
    public_key: bytes,
    keeps: Iterable[str],
    at: datetime,
) -> Revocation:
    kept = tuple(sorted(set(keeps)))
    key_fp = fingerprint(public_key)
    payload = revocation_payload(login, key_fp, kept, signer_login, at)
    return Revocation(login, key_fp, kept, signer_login, at, signer.sign(payload))


def to_plain(revocation: Revocation) -> dict[str, object]:
    """A JSON form (kept on each PC, see ``audit_anchor``)."""
    return {
        "login": revocation.login,
        "fingerprint": revocation.fingerprint,
        "keeps": list(revocation.keeps),
        "revoked_by": revocation.revoked_by,
        "revoked_at": iso_utc(revocation.revoked_at),
        "signature": base64.b64encode(revocation.signature).decode("ascii"),
    }


def from_plain(data: Mapping[str, object]) -> Revocation | None:
    """The revocation in ``data``, or None when it is malformed (it is verified on use)."""
    try:
        keeps = data["keeps"]
        at = datetime.fromisoformat(str(data["revoked_at"]).replace("Z", "+00:00"))
        if not isinstance(keeps, list) or at.tzinfo is None:
            return None
        return Revocation(
            str(data["login"]),
            str(data["fingerprint"]),
            tuple(str(k) for k in keeps),
            str(data["revoked_by"]),
            at,
            base64.b64decode(str(data["signature"]), validate=True),
        )
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class ChiefTrust:
    """Who may act as a chief, from the pinned root, the key records and the revocations."""

    #: login -> key that chains to the root by endorsements, revocations ignored (used to
    #: verify what a chief signed before being revoked, e.g. old approvals in the audit).
    chained: dict[str, bytes]
    #: login -> key of every chief who may act now: chains to the root through keys that were
    #: not revoked (or were kept by the revocation), and is not revoked itself.
    acting: dict[str, bytes]
    #: fingerprint -> the verified revocation of that key.
    revoked: dict[str, Revocation]
    #: login -> why the record does not count (English, for logs and refusals).
    rejected: dict[str, str]


def evaluate(
    root_fingerprint: str | None,
    root_login: str | None,
    records: Sequence[ChiefRecord],
    revocations: Iterable[Revocation],
) -> ChiefTrust:
    if root_fingerprint is None:
        why = "no root of trust is pinned on this PC"
        return ChiefTrust({}, {}, {}, {r.login: why for r in records})
    chained = _chain(root_fingerprint, root_login, records, {})
    revoked: dict[str, Revocation] = {}
    for revocation in revocations:
        signer = chained.get(revocation.revoked_by)
        payload = revocation_payload(
            revocation.login,
            revocation.fingerprint,
            revocation.keeps,
            revocation.revoked_by,
            revocation.revoked_at,
        )
        if signer is not None and verify_signature(signer, payload, revocation.signature):
            revoked.setdefault(revocation.fingerprint, revocation)
    through = _chain(root_fingerprint, root_login, records, revoked)
    acting = {login: key for login, key in through.items() if fingerprint(key) not in revoked}
    rejected: dict[str, str] = {}
    for record in records:
        if acting.get(record.login) == record.public_key:
            continue
        if _fp(record.public_key) in revoked:
            rejected[record.login] = "the key was revoked"
        elif chained.get(record.login) == record.public_key:
            rejected[record.login] = "the key was endorsed by a revoked key after its revocation"
        else:
            rejected[record.login] = "the key does not chain to the pinned root of trust"
    return ChiefTrust(chained, acting, revoked, rejected)


def _chain(
    root_fingerprint: str,
    root_login: str | None,
    records: Sequence[ChiefRecord],
    revoked: Mapping[str, Revocation],
) -> dict[str, bytes]:
    trusted: dict[str, bytes] = {}
    for record in records:
        if _fp(record.public_key) == root_fingerprint and root_login in (None, record.login):
            trusted.setdefault(record.login, record.public_key)
    progress = True
    while progress:
        progress = False
        for record in records:
            if record.login in trusted or not _endorsed(record, trusted, revoked):
                continue
            trusted[record.login] = record.public_key
            progress = True
    return trusted


def _endorsed(
    record: ChiefRecord, trusted: Mapping[str, bytes], revoked: Mapping[str, Revocation]
) -> bool:
    if record.endorser_login is None or record.endorsement is None:
        return False
    endorser_key = trusted.get(record.endorser_login)
    if endorser_key is None or record.endorser_login == record.login:
        return False
    revocation = revoked.get(fingerprint(endorser_key))
    if revocation is not None and _fp(record.public_key) not in revocation.keeps:
        return False
    return verify_endorsement(endorser_key, record.login, record.public_key, record.endorsement)


def _fp(public_key: bytes) -> str | None:
    try:
        return fingerprint(public_key)
    except ValueError:
        return None
