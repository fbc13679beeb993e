from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from kodaira_desktop.security.audit_chain import (
    GENESIS_HASH,
    AuditRecord,
    compute_hash,
    next_record,
    redact,
    verify_chain,
)
from kodaira_desktop.security.canonical import canonical_json

START = datetime(2025, 11, 25, 0, 30, tzinfo=UTC)


def _chain(length: int = 5) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    for index in range(length):
        records.append(
            next_record(
                records[-1] if records else None,
                at=START + timedelta(minutes=index),
                actor="tanaka",
                action="queue.add",
                target=f"item:{index + 1}",
                details={"channels": ["x-city"], "n": index},
            )
        )
    return records


def test_intact_chain_verifies() -> None:
    records = _chain()
    assert records[0].seq == 1
    assert records[0].prev_hash == GENESIS_HASH == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    verdict = verify_chain(records)
    assert (verdict.ok, verdict.checked, verdict.first_broken_seq) == (True, 5, None)


def test_empty_chain_is_intact() -> None:
    assert verify_chain([]).ok


def test_altered_details_are_detected() -> None:
    records = _chain()
    records[2] = dataclasses.replace(records[2], details={"channels": ["x-mayor"], "n": 2})
    verdict = verify_chain(records)
    assert (verdict.ok, verdict.checked, verdict.first_broken_seq) == (False, 2, 3)
    assert "Altered" in verdict.message


def test_altered_and_rehashed_row_breaks_the_next_link() -> None:
    records = _chain()
    row = dataclasses.replace(records[2], actor="mallory")
    records[2] = dataclasses.replace(
        row,
        hash=compute_hash(
            row.prev_hash, row.seq, row.at, row.actor, row.action, row.target, row.details
        ),
    )
    verdict = verify_chain(records)
    assert verdict.first_broken_seq == 4
    assert "Broken link" in verdict.message


def test_deleted_middle_row_is_detected() -> None:
    records = _chain()
    del records[2]
    verdict = verify_chain(records)
    assert (verdict.ok, verdict.first_broken_seq) == (False, 3)
    assert "欠落" in verdict.message
    assert "Missing" in verdict.message


def test_deleted_row_with_renumbering_is_detected() -> None:
    records = _chain()
    del records[2]
    records[2:] = [dataclasses.replace(row, seq=row.seq - 1) for row in records[2:]]
    assert verify_chain(records).first_broken_seq == 3


def test_swapped_pair_is_detected() -> None:
    records = _chain()
    records[1], records[2] = records[2], records[1]
    verdict = verify_chain(records)
    assert (verdict.ok, verdict.first_broken_seq) == (False, 2)
    assert "Reordered" in verdict.message


def test_swapped_contents_keeping_seq_is_detected() -> None:
    records = _chain()
    second, third = records[1], records[2]
    records[1] = dataclasses.replace(third, seq=2)
    records[2] = dataclasses.replace(second, seq=3)
    assert verify_chain(records).first_broken_seq == 2


def test_secrets_never_enter_the_log() -> None:
    details = {
        "channel_key": "x-city",
        "password": "hunter2",
        "fields": {"access_token": "tok-123", "API_KEY": "k-456", "page_id": "1234"},
        "headers": ["Authorization: x", "Bearer abc.def"],
        "db_password_hint": "hunter3",
    }
    record = next_record(
        None,
        at=START,
        actor="sato",
        action="credentials.set",
        target="channel:x-city",
        details=details,
    )
    stored = canonical_json(record.details).decode()
    for secret in ("hunter2", "hunter3", "tok-123", "k-456", "abc.def"):
        assert secret not in stored
    assert record.details["channel_key"] == "x-city"
    assert record.details["fields"]["page_id"] == "1234"
    assert record.details["password"] == "***"
    # The hash is the same whatever the secret was, so it cannot leak through the hash either.
    other = redact({**details, "password": "different"})
    assert (
        compute_hash(GENESIS_HASH, 1, START, "sato", "credentials.set", "channel:x-city", other)
        == record.hash
    )


def test_stored_details_survive_a_json_round_trip() -> None:
    first = next_record(
        None, at=START, actor="a", action="b", target="c", details={"when": START, "pair": (1, 2)}
    )
    reloaded = dataclasses.replace(first, details=json.loads(json.dumps(first.details)))
    assert verify_chain([reloaded]).ok


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_record(None, at=datetime(2025, 1, 1), actor="a", action="b", target="c")
