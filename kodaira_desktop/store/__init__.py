"""Storage of the shared queue: SQLite or PostgreSQL via SQLAlchemy, migrated by Alembic.

Importing this package is cheap; SQLAlchemy loads when a submodule is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kodaira_desktop.store.engine import Database, open_database
    from kodaira_desktop.store.errors import (
        NotEditableError,
        NotFoundError,
        StoreError,
        VersionConflictError,
    )
    from kodaira_desktop.store.migrate import upgrade_database
    from kodaira_desktop.store.repository import Store

__all__ = [
    "Database",
    "NotEditableError",
    "NotFoundError",
    "Store",
    "StoreError",
    "VersionConflictError",
    "open_database",
    "upgrade_database",
]

_HOMES = {
    "Database": "engine",
    "open_database": "engine",
    "upgrade_database": "migrate",
    "Store": "repository",
    "StoreError": "errors",
    "NotFoundError": "errors",
    "NotEditableError": "errors",
    "VersionConflictError": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
