"""Alembic environment, run programmatically by ``kodaira_desktop.store.migrate``.

The caller passes an open connection, already inside the transaction (and lock) it wants the
migrations to run in, as ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from kodaira_desktop.store.tables import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through kodaira_desktop.store.migrate.upgrade_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
