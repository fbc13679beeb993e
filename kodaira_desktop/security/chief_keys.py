"""Section chiefs' signing keys, endorsements between chiefs, and the override-approval payload.

Each chief has an Ed25519 key pair. The private key is kept only encrypted under the chief's
password: scrypt (memory-hard) derives a 256-bit key, AES-256-GCM encrypts the raw private key.
Everything needed to decrypt except the password (KDF cost, salt, nonce) travels in
``kdf_params`` and is bound to the ciphertext as associated data, so neither the parameters nor
the public key can be swapped without the decryption failing.

A chief's public key is trusted only through :class:`TrustChain`: it starts at the root
fingerprint pinned outside the database and follows endorsements signed by trusted chiefs.
"""

from __future__ import annotations

import base64
import hashlib
import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kodaira_desktop.security.approval_payload import APPROVAL_PURPOSE, approval_payload
from kodaira_desktop.security.canonical import canonical_json

__all__ = [
    "APPROVAL_PURPOSE",
    "DEFAULT_COST",
    "ENDORSEMENT_PURPOSE",
    "ChiefKeyMaterial",
    "ChiefRecord",
    "KeyMaterialError",
    "ScryptCost",
    "TrustChain",
    "TrustReport",
    "UnlockedKey",
    "WrongPassword",
    "approval_payload",
    "canonical_json",
    "change_password",
    "endorse_chief",
    "endorsement_payload",
    "fingerprint",
    "generate_chief_key",
    "needs_stronger_kdf",
    "short_fingerprint",
    "unlock",
    "verify_endorsement",
    "verify_signature",
]

ENDORSEMENT_PURPOSE = "kodaira-chief-endorsement-v1"
_KEY_WRAP_PURPOSE = "kodaira-chief-key-v1"
_FORMAT = 1
_SALT_BYTES = 16
_NONCE_BYTES = 12
_PUBLIC_KEY_BYTES = 32
_FINGERPRINT_PREFIX = "SHA256:"
_MAX_SCRYPT_MEMORY = 2**30


class WrongPassword(Exception):  # noqa: N818 - the name the callers and the brief use
    """The password does not unlock this key. Deliberately carries no detail."""

    def __init__(self) -> None:
        super().__init__("パスワードが違います。 / Wrong password.")


class KeyMaterialError(ValueError):
    """Stored key material is malformed (not a password problem)."""


@dataclass(frozen=True)
class ScryptCost:
    """scrypt cost parameters. Memory used is about ``128 * n * r * p`` bytes (32 MiB default)."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2**10 or self.n > 2**20 or self.n & (self.n - 1):
            raise KeyMaterialError(f"scrypt n must be a power of two in 2**10..2**20: {self.n}")
        if not 1 <= self.r <= 32 or not 1 <= self.p <= 16:
            raise KeyMaterialError(f"scrypt r/p out of range: r={self.r} p={self.p}")
        # Bounded so that parameters read from a tampered database cannot exhaust memory.
        if 128 * self.n * self.r * self.p > _MAX_SCRYPT_MEMORY:
            raise KeyMaterialError("scrypt parameters need more than 1 GiB of memory")

    def at_least(self, other: ScryptCost) -> bool:
        return self.n >= other.n and self.r >= other.r and self.p >= other.p


DEFAULT_COST = ScryptCost()


@dataclass(frozen=True)
class ChiefKeyMaterial:
    """What is stored for a chief: public key, encrypted private key, and how to decrypt it."""

    public_key: bytes  # raw 32-byte Ed25519 public key
    encrypted_private_key: bytes = field(repr=False)  # AES-GCM ciphertext + 16-byte tag
    kdf_params: dict[str, int | str] = field(repr=False)

    def __repr__(self) -> str:
        return f"ChiefKeyMaterial(fingerprint={fingerprint(self.public_key)!r})"


class UnlockedKey:
    """A chief's private key, usable for signing while this object lives."""

    __slots__ = ("_private", "_public")

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self._public = _raw_public(private_key.public_key())

    @property
    def public_key(self) -> bytes:
        return self._public

    @property
    def fingerprint(self) -> str:
        return fingerprint(self._public)

    def sign(self, payload: bytes) -> bytes:
        return self._private.sign(payload)

    def __repr__(self) -> str:
        return f"UnlockedKey(fingerprint={self.fingerprint!r})"


# --- key material -------------------------------------------------------------------------


def generate_chief_key(password: str, *, cost: ScryptCost = DEFAULT_COST) -> ChiefKeyMaterial:
    """A new key pair, the private half encrypted under ``password``."""
    return _wrap(Ed25519PrivateKey.generate(), password, cost)


def unlock(material: ChiefKeyMaterial, password: str) -> UnlockedKey:
    """Decrypt the private key; :class:`WrongPassword` when the password does not fit."""
    cost, salt, nonce = _parse_params(material.kdf_params)
    wrapping_key = _derive(password, salt, cost)
    aad = _wrap_aad(material.public_key, material.kdf_params)
    try:
        raw = AESGCM(wrapping_key).decrypt(nonce, material.encrypted_private_key, aad)
    except InvalidTag:
        # A wrong password and tampered material look the same on purpose: no oracle.
        raise WrongPassword() from None
    private = Ed25519PrivateKey.from_private_bytes(raw)
    if _raw_public(private.public_key()) != material.public_key:
        raise KeyMaterialError("private key does not match the stored public key")
    return UnlockedKey(private)


def change_password(
    material: ChiefKeyMaterial,
    old_password: str,
    new_password: str,
    *,
    cost: ScryptCost = DEFAULT_COST,
) -> ChiefKeyMaterial:
    """The same key pair re-encrypted under ``new_password`` (fresh salt and nonce, and the
    given ``cost``, so this is also how stored KDF parameters are raised later)."""
    unlocked = unlock(material, old_password)
    return _wrap(unlocked._private, new_password, cost)


def needs_stronger_kdf(material: ChiefKeyMaterial, cost: ScryptCost = DEFAULT_COST) -> bool:
    """True when the stored parameters are weaker than ``cost`` (re-wrap after next unlock)."""
    stored, _, _ = _parse_params(material.kdf_params)
    return not stored.at_least(cost)


def _wrap(private: Ed25519PrivateKey, password: str, cost: ScryptCost) -> ChiefKeyMaterial:
    if not password:
        raise ValueError("the new password must not be empty")
    salt = os.urandom(_SALT_BYTES)
    nonce = os.urandom(_NONCE_BYTES)
    params: dict[str, int | str] = {
        "format": _FORMAT,
        "kdf": "scrypt",
        "n": cost.n,
        "r": cost.r,
        "p": cost.p,
        "salt": _b64(salt),
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
    }
    public = _raw_public(private.public_key())
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    wrapping_key = _derive(password, salt, cost)
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, raw_private, _wrap_aad(public, params))
    return ChiefKeyMaterial(public, ciphertext, params)


def _derive(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    # NFC so the same password typed through different input methods gives the same bytes.
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(secret)


def _wrap_aad(public_key: bytes, params: Mapping[str, int | str]) -> bytes:
    return canonical_json(
        {"purpose": _KEY_WRAP_PURPOSE, "public_key": _b64(public_key), "kdf_params": dict(params)}
    )


def _parse_params(params: Mapping[str, int | str]) -> tuple[ScryptCost, bytes, bytes]:
    kind = (params.get("format"), params.get("kdf"), params.get("cipher"))
    if kind != (_FORMAT, "scrypt", "aes-256-gcm"):
        raise KeyMaterialError(f"unsupported key format: {kind!r}")
    n, r, p = params.get("n"), params.get("r"), params.get("p")
    if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)):
        raise KeyMaterialError("scrypt parameters must be integers")
    try:
        salt = base64.b64decode(str(params.get("salt", "")), validate=True)
        nonce = base64.b64decode(str(params.get("nonce", "")), validate=True)
    except ValueError:
        raise KeyMaterialError("malformed kdf_params: salt or nonce is not base64") from None
    if len(salt) < _SALT_BYTES or len(nonce) != _NONCE_BYTES:
        raise KeyMaterialError("malformed kdf_params: bad salt or nonce length")
    return ScryptCost(n, r, p), salt, nonce


# --- signatures and fingerprints ----------------------------------------------------------


def verify_signature(public_key: bytes, payload: bytes, signature: bytes) -> bool:
    """True only for a valid Ed25519 signature; never raises for bad input."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, payload)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def fingerprint(public_key: bytes) -> str:
    """``SHA256:`` + unpadded base64 of the SHA-256 of the raw key (the OpenSSH style)."""
    _check_public_key(public_key)
    digest = hashlib.sha256(public_key).digest()
    return _FINGERPRINT_PREFIX + base64.b64encode(digest).decode("ascii").rstrip("=")


def short_fingerprint(public_key: bytes) -> str:
    """A short form to read aloud or compare by eye, e.g. ``3F2A-91C0-7B1E-44D2``."""
    _check_public_key(public_key)
    hex_digits = hashlib.sha256(public_key).hexdigest()[:16].upper()
    return "-".join(hex_digits[i : i + 4] for i in range(0, 16, 4))


# --- endorsements and the trust chain ------------------------------------------------------


def endorsement_payload(new_login: str, new_public_key: bytes) -> bytes:
    _check_public_key(new_public_key)
    return canonical_json(
        {"purpose": ENDORSEMENT_PURPOSE, "login": new_login, "public_key": _b64(new_public_key)}
    )


def endorse_chief(endorser: UnlockedKey, new_login: str, new_public_key: bytes) -> bytes:
    """An already-trusted chief vouches that ``new_public_key`` belongs to ``new_login``."""
    return endorser.sign(endorsement_payload(new_login, new_public_key))


def verify_endorsement(
    endorser_public_key: bytes, new_login: str, new_public_key: bytes, signature: bytes
) -> bool:
    try:
        payload = endorsement_payload(new_login, new_public_key)
    except ValueError:
        return False
    return verify_signature(endorser_public_key, payload, signature)


class ChiefRecord(NamedTuple):
    """One stored chief key. The root chief's record needs no endorsement."""

    login: str
    public_key: bytes
    endorser_login: str | None = None
    endorsement: bytes | None = None


@dataclass(frozen=True)
class TrustReport:
    trusted: dict[str, bytes]  # login -> raw public key
    rejected: dict[str, str]  # login -> why its record is not trusted (English, for logs)


@dataclass(frozen=True)
class TrustChain:
    """Which chief keys are trusted, starting from the pinned root fingerprint."""

    root_fingerprint: str
    root_login: str | None = None  # when given, the root record must also carry this login

    def trusted(
        self, records: Iterable[ChiefRecord | tuple[str, bytes, str | None, bytes | None]]
    ) -> dict[str, bytes]:
        return self.evaluate(records).trusted

    def evaluate(
        self, records: Iterable[ChiefRecord | tuple[str, bytes, str | None, bytes | None]]
    ) -> TrustReport:
        pending = [ChiefRecord(*record) for record in records]
        trusted: dict[str, bytes] = {}
        for record in pending:
            if self._is_root(record) and record.login not in trusted:
                trusted[record.login] = record.public_key
        # Fixed point: each pass may trust records endorsed by keys trusted in the last pass.
        progress = True
        while progress:
            progress = False
            for record in pending:
                if record.login in trusted or not self._endorsed_by_trusted(record, trusted):
                    continue
                trusted[record.login] = record.public_key
                progress = True
        rejected = {
            record.login: self._why_rejected(record, trusted)
            for record in pending
            if trusted.get(record.login) != record.public_key
        }
        return TrustReport(trusted, rejected)

    def _is_root(self, record: ChiefRecord) -> bool:
        try:
            matches = fingerprint(record.public_key) == self.root_fingerprint
        except ValueError:
            return False
        return matches and self.root_login in (None, record.login)

    @staticmethod
    def _endorsed_by_trusted(record: ChiefRecord, trusted: Mapping[str, bytes]) -> bool:
        if record.endorser_login is None or record.endorsement is None:
            return False
        endorser_key = trusted.get(record.endorser_login)
        if endorser_key is None or record.endorser_login == record.login:
            return False
        return verify_endorsement(endorser_key, record.login, record.public_key, record.endorsement)

    @staticmethod
    def _why_rejected(record: ChiefRecord, trusted: Mapping[str, bytes]) -> str:
        if record.login in trusted:
            return "another key is already trusted for this login"
        if record.endorser_login in trusted:
            return "endorsement signature is invalid"
        return "endorsement chain does not reach the trust root"


# --- helpers -------------------------------------------------------------------------------


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _check_public_key(public_key: bytes) -> None:
    if not isinstance(public_key, bytes) or len(public_key) != _PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 raw bytes")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
