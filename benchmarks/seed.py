"""Fills a database with years of history for the start-up and scale benchmarks.

    python benchmarks/seed.py --database sqlite:////tmp/bench.sqlite3 --entries 100000

Creates the schema when the database is empty (as `init` does, without a chief), then adds N
entries spread over five years ending a year from now: every channel, every state, items with
one to five channels, media references, emergency requests, an audit row per item (a valid
hash chain, so `audit verify` passes) and three staff members (tanaka, sato, suzuki). Rows go
in with bulk inserts, one transaction per batch: 100,000 entries take seconds on SQLite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import AuditRecord
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.security.canonical import canonical_json
from kodaira_desktop.services.audit import _hash as audit_hash
from kodaira_desktop.store.engine import open_database
from kodaira_desktop.store.migrate import upgrade_database
from kodaira_desktop.store.tables import (
    AuditHeadRow,
    AuditLogRow,
    EntryRow,
    ItemMediaRow,
    ItemRow,
    MediaRow,
    OverrideRequestRow,
    UserChannelRow,
    UserRow,
)

CHANNELS = ("x-city", "x-mayor", "line", "facebook", "youtube")
STATES = tuple(EntryState)
YEARS = 5
BATCH_ITEMS = 2_000
STAFF = (("tanaka", "田中 花子"), ("sato", "佐藤 一郎"), ("suzuki", "鈴木 次郎"))
MEDIA_FILES = 50
TEXTS = (
    "小平市からのお知らせです。今週末は市民まつりが開催されます。",
    "【防災】本日正午に防災行政無線の試験放送を行います。",
    "図書館の臨時休館日のお知らせ。詳しくは市ホームページをご覧ください。",
    "ごみの収集日が変更になります。地域ごとのカレンダーをご確認ください。",
    "市長室より：新年度の施策についてのメッセージを公開しました。",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, metavar="URL", help="SQLAlchemy URL")
    parser.add_argument("--entries", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=11, help="random seed (repeatable data)")
    return parser.parse_args(argv)


def seed(url: str, entries: int, *, rng_seed: int = 11, now: datetime | None = None) -> int:
    """Add ``entries`` entries to the database at ``url``; return the number of items."""
    rng = random.Random(rng_seed)
    db = open_database(url)
    try:
        upgrade_database(db, None)
        now = now or datetime.now(UTC)
        span_start = now - timedelta(days=365 * (YEARS - 1))
        span = timedelta(days=365 * YEARS).total_seconds()
        with db.write() as session:
            next_item = (session.scalar(select(func.max(ItemRow.id))) or 0) + 1
            next_entry = (session.scalar(select(func.max(EntryRow.id))) or 0) + 1
            head = session.get(AuditHeadRow, 1)
            assert head is not None, "the schema has no audit head"
            audit_seq, audit_prev = head.last_seq, head.last_hash
            media = _media_rows(session, now)
            _staff(session, now)
        made_entries = items = 0
        while made_entries < entries:
            item_rows: list[dict[str, object]] = []
            entry_rows: list[dict[str, object]] = []
            link_rows: list[dict[str, object]] = []
            override_rows: list[dict[str, object]] = []
            audit_rows: list[dict[str, object]] = []
            for _ in range(BATCH_ITEMS):
                if made_entries >= entries:
                    break
                width = min(rng.randint(1, 5), entries - made_entries)
                channels = rng.sample(CHANNELS, width)
                at = span_start + timedelta(seconds=rng.uniform(0, span))
                at = at.replace(second=0, microsecond=0)
                item_id = next_item + items
                item_rows.append(
                    {
                        "id": item_id,
                        "text": f"{rng.choice(TEXTS)} #{item_id}",
                        "category": "お知らせ",
                        "author": rng.choice(STAFF)[0],
                        "created_at": at - timedelta(days=3),
                        "updated_at": at - timedelta(days=3),
                    }
                )
                state = _state_for(rng, at, now)
                for key in channels:
                    entry_rows.append(
                        _entry(next_entry + made_entries, item_id, key, at, state, rng)
                    )
                    made_entries += 1
                if rng.random() < 0.2:
                    link_rows.append(
                        {"item_id": item_id, "sha256": rng.choice(media), "position": 0}
                    )
                if state is EntryState.AWAITING_APPROVAL or rng.random() < 0.01:
                    override_rows.append(_override(item_id, at, state))
                audit_seq += 1
                record = AuditRecord(
                    seq=audit_seq,
                    at=at - timedelta(days=3),
                    actor="tanaka",
                    action="item.create",
                    target=f"item:{item_id}",
                    details=canonical_json({"channels": channels}).decode("utf-8"),
                    prev_hash=audit_prev,
                )
                audit_prev = audit_hash(record)
                audit_rows.append({**vars(record), "hash": audit_prev})
                items += 1
            with db.write() as session:
                session.execute(insert(ItemRow), item_rows)
                session.execute(insert(EntryRow), entry_rows)
                if link_rows:
                    session.execute(insert(ItemMediaRow), link_rows)
                if override_rows:
                    session.execute(insert(OverrideRequestRow), override_rows)
                session.execute(insert(AuditLogRow), audit_rows)
                head = session.get(AuditHeadRow, 1)
                assert head is not None
                head.last_seq, head.last_hash = audit_seq, audit_prev
        return items
    finally:
        db.dispose()


def _state_for(rng: random.Random, at: datetime, now: datetime) -> EntryState:
    """Mostly published in the past and scheduled in the future; every state appears."""
    if rng.random() < 0.1:
        return rng.choice(STATES)
    return EntryState.PUBLISHED if at < now else EntryState.SCHEDULED


def _entry(
    entry_id: int, item_id: int, key: str, at: datetime, state: EntryState, rng: random.Random
) -> dict[str, object]:
    published = state is EntryState.PUBLISHED
    return {
        "id": entry_id,
        "item_id": item_id,
        "channel_key": key,
        "scheduled_at": at,
        "state": state.value,
        "attempts": 1 if published or state is EntryState.FAILED else 0,
        "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "remote_id": str(entry_id) if published else None,
        "remote_url": f"https://example.invalid/{key}/{entry_id}" if published else None,
        "last_error": "送信できませんでした（HTTP 500）" if state is EntryState.FAILED else None,
        "published_at": at if published else None,
        "updated_at": at,
    }


def _override(item_id: int, at: datetime, state: EntryState) -> dict[str, object]:
    pending = state is EntryState.AWAITING_APPROVAL
    return {
        "item_id": item_id,
        "requested_by": "tanaka",
        "reason": "災害情報の緊急周知",
        "window_start": at,
        "window_end": at + timedelta(hours=1),
        "requested_at": at - timedelta(hours=2),
        "status": "pending" if pending else "approved",
        "decided_by": None if pending else "chief",
        "decided_at": None if pending else at - timedelta(hours=1),
    }


def _staff(session: Session, now: datetime) -> None:
    """Three staff members designated for every channel (no keys: staff need none), so the
    window can be opened as one of them (``--user tanaka``)."""
    existing = set(session.scalars(select(UserRow.login)))
    for login, name in STAFF:
        if login in existing:
            continue
        user = UserRow(login=login, display_name=name, role="staff", created_at=now)
        session.add(user)
        session.flush()
        session.execute(
            insert(UserChannelRow), [{"user_id": user.id, "channel_key": k} for k in CHANNELS]
        )


def _media_rows(session: Session, now: datetime) -> list[str]:
    """A few image records the items refer to (the files themselves are not needed)."""
    digests = [hashlib.sha256(f"bench-image-{n}".encode()).hexdigest() for n in range(MEDIA_FILES)]
    existing = set(session.scalars(select(MediaRow.sha256).where(MediaRow.sha256.in_(digests))))
    rows = [
        {
            "sha256": digest,
            "mime": "image/jpeg",
            "size": 120_000,
            "original_name": f"photo-{n}.jpg",
            "stored_name": f"{digest}.jpg",
            "width": 1200,
            "height": 800,
            "created_at": now,
        }
        for n, digest in enumerate(digests)
        if digest not in existing
    ]
    if rows:
        session.execute(insert(MediaRow), rows)
    return digests


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    items = seed(args.database, args.entries, rng_seed=args.seed)
    seconds = time.perf_counter() - started
    print(
        json.dumps({"entries": args.entries, "items": items, "seconds": round(seconds, 1)}),
        file=sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
