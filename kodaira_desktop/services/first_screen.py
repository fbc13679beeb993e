"""What the window's first screen shows — the acting user and a month of the calendar — read
without SQLAlchemy where the database allows it.

A SQLite file whose schema is current is read through the standard `sqlite3` module
(`store.first_screen`, read-only); anything else (PostgreSQL, a new or older schema, a file that
cannot be read that way) goes through the Store, which opens the database and upgrades it.
Both give the same records (tests compare them on the same database).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kodaira_desktop.domain.records import Entry, User
from kodaira_desktop.services.context import AppContext, ServiceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirstScreenView:
    #: The acting user; None when not registered (or no longer active).
    user: User | None
    entries: list[Entry]
    #: The Store was opened (SQLAlchemy imported) to read this.
    through_store: bool


def read(ctx: AppContext, year: int, month: int) -> FirstScreenView:
    """The acting user and the month's entries (in the policy's zone)."""
    from kodaira_desktop.store.first_screen import FirstScreenUnavailableError, read_first_screen

    if "database" not in ctx.__dict__:  # not opened yet: try the light way first
        try:
            found = read_first_screen(ctx.database_url, ctx.login, year, month, ctx.policy.zone)
        except FirstScreenUnavailableError as why:
            log.debug("first screen through the store: %s", why)
        else:
            user = found.user if found.user is not None and found.user.active else None
            if user is None:
                log.warning("%s is not a registered user", ctx.login)
            return FirstScreenView(user, found.entries, through_store=False)
    from kodaira_desktop.services.accounts import acting_user

    entries = ctx.store.entries_for_month(year, month, ctx.policy.zone)
    try:
        return FirstScreenView(acting_user(ctx), entries, through_store=True)
    except ServiceError as error:  # not registered: the window says so and who to ask
        log.warning("%s", error)
        return FirstScreenView(None, entries, through_store=True)


def month_entries(ctx: AppContext, year: int, month: int) -> list[Entry]:
    """A month's entries: through `sqlite3` when the database allows it (lighter rows, no
    ORM: the worker holds the interpreter lock for less time), else the Store."""
    from kodaira_desktop.store.first_screen import FirstScreenUnavailableError, read_month

    try:
        return read_month(ctx.database_url, year, month, ctx.policy.zone)
    except FirstScreenUnavailableError:
        return ctx.store.entries_for_month(year, month, ctx.policy.zone)
