"""Channels every new database starts with (CONTRACTS.md §3)."""

from __future__ import annotations

from typing import Final

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from kodaira_desktop.store.tables import ChannelRow

# key, platform, handle, display name. The two X accounts' @handles are not in the contract;
# staff fill them in once known.
SEED_CHANNELS: Final = (
    ("x-city", "x", None, "小平市公式"),
    ("x-mayor", "x", None, "小平市市長室公式"),
    ("line", "line", "@kodairacity", "小平市"),
    ("facebook", "facebook", "koho.kodairacity", "プチ田舎 東京都小平市"),
    ("youtube", "youtube", "UCp9YZtjCNcGOq3fQlln31Xg", "プチ田舎 東京都小平市"),
)


def seed_channels(connection: Connection) -> int:
    """Insert the seed channels that are missing; never overwrite edits. Returns how many."""
    existing = set(connection.scalars(select(ChannelRow.key)))
    missing = [
        {"key": key, "platform": platform, "handle": handle, "display_name": name}
        for key, platform, handle, name in SEED_CHANNELS
        if key not in existing
    ]
    if missing:
        connection.execute(insert(ChannelRow), missing)
    return len(missing)
