"""What the store raises when a use-case cannot go ahead."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the store's refusals."""


class NotFoundError(StoreError, LookupError):
    """The item, entry, user, channel or request does not exist."""


class NotEditableError(StoreError):
    """An entry has left the states a person may edit (e.g. it is already being sent)."""


class VersionConflictError(StoreError):
    """Someone else changed the record since it was read; reload and try again."""


class AuditChainError(StoreError):
    """The audit chain's tip is missing: the database was not created by the migrations."""
