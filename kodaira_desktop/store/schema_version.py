"""Is the database's schema the one this app knows? One cheap query, no Alembic.

Alembic (and Mako, Pygments with it) costs a few hundred milliseconds to import; start-up only
pays for it when the schema is actually behind. The revisions this app knows are read from the
migration files' headers, so the check follows the chain wherever it is relinked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodaira_desktop.store.engine import Database

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_FIELD = re.compile(r'^(revision|down_revision)\s*(?::[^=]*)?=\s*["\']?([\w-]+|None)["\']?', re.M)


class SchemaState(Enum):
    CURRENT = "current"
    BEHIND = "behind"  # empty, unversioned or older: upgrade (with a backup)
    NEWER = "newer"  # written by a newer app: refuse


@dataclass(frozen=True)
class SchemaCheck:
    state: SchemaState
    found: str | None
    head: str


@cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every revision this app ships, and the head (the one no other revision follows)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        fields = dict(_FIELD.findall(path.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
            if fields.get("down_revision", "None") != "None":
                parents.add(fields["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return frozenset(revisions), heads.pop()


def check_schema(db: Database) -> SchemaCheck:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with db.engine.connect() as connection:
            found = connection.execute(text(VERSION_QUERY)).scalar()
    except DBAPIError:  # no alembic_version table: a new (or unversioned) database
        return classify(None)
    return classify(found)


#: The one cheap query that tells the schema's revision.
VERSION_QUERY = "SELECT version_num FROM alembic_version"


def classify(found: str | None) -> SchemaCheck:
    """Where the revision ``found`` in a database (None: none) stands against this app's."""
    revisions, head = known_revisions()
    if found == head:
        return SchemaCheck(SchemaState.CURRENT, found, head)
    if found is None or found in revisions:
        return SchemaCheck(SchemaState.BEHIND, found, head)
    return SchemaCheck(SchemaState.NEWER, found, head)


def newer_schema_message(check: SchemaCheck) -> str:
    return (
        f"このデータベースは新しい版のアプリで更新されています（スキーマ {check.found}、"
        f"このアプリは {check.head} まで）。アプリを更新してから開いてください。 / "
        "The database was upgraded by a newer version of the app; update this app first."
    )
