"""Everything a use-case needs, built once per process from the options and environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from kodaira_desktop.dispatch.clock import Clock, SystemClock, clock_from_env
from kodaira_desktop.paths import AppPaths, resolve_paths
from kodaira_desktop.policy import PostingPolicy, load_policy
from kodaira_desktop.site_config import SiteSettings, resolve_settings

if TYPE_CHECKING:
    from kodaira_desktop.platforms.endpoints import ServiceEndpoints
    from kodaira_desktop.security.secrets import SecretStore
    from kodaira_desktop.store.engine import Database
    from kodaira_desktop.store.repository import Store

#: The keyring entry holding the PostgreSQL password (never a file on disk).
DATABASE_PASSWORD_SECRET = "database-password"


class ServiceError(Exception):
    """A use-case refused or failed; the message is one sentence for the user.

    ``invalid`` marks bad input or a policy refusal (exit code 2 on the command line).
    """

    def __init__(self, message: str, *, invalid: bool = False) -> None:
        super().__init__(message)
        self.invalid = invalid


@dataclass
class AppContext:
    paths: AppPaths
    policy: PostingPolicy
    database_url: str
    login: str
    clock: Clock = field(default_factory=SystemClock)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    #: The local --policy/KODAIRA_POLICY file behind ``policy``: a preview only. Acceptance
    #: and publishing use the signed policy in the database (services.policy_admin).
    policy_file: str | None = None
    #: Where each machine-wide setting came from (None: built directly, e.g. by a test).
    settings: SiteSettings | None = None

    @classmethod
    def create(
        cls,
        *,
        database: str | None = None,
        policy_file: str | None = None,
        login: str,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
    ) -> AppContext:
        env = dict(os.environ if environ is None else environ)
        paths = resolve_paths(env)
        policy = load_policy(policy_file) if policy_file else PostingPolicy.default()
        policy.holiday_cache_dir = paths.cache_dir
        settings = resolve_settings(
            paths.site_config_dir,
            env,
            database_option=database,
            default_database_url=paths.default_database_url,
            user_config_dir=paths.config_dir,
        )
        return cls(
            paths=paths,
            policy=policy,
            database_url=settings.database_url.value,
            login=login,
            clock=clock or clock_from_env(env),
            environ=env,
            policy_file=policy_file or None,
            settings=settings,
        )

    @property
    def is_shared_server(self) -> bool:
        return not self.database_url.startswith("sqlite")

    @cached_property
    def secrets(self) -> SecretStore:
        from kodaira_desktop.security.secrets import SecretStore, backend_from_env

        return SecretStore(backend_from_env(self.environ))

    @cached_property
    def endpoints(self) -> ServiceEndpoints:
        from kodaira_desktop.platforms.endpoints import ServiceEndpoints

        return ServiceEndpoints.from_env(self.environ)

    @cached_property
    def database(self) -> Database:
        """The database, created or upgraded to the current schema (backed up first).

        One query tells whether the schema is current; Alembic is imported only when it is
        behind. A schema newer than this app knows is refused (ServiceError, invalid).
        """
        from kodaira_desktop.store.engine import open_database
        from kodaira_desktop.store.schema_version import (
            SchemaState,
            check_schema,
            newer_schema_message,
        )

        if self.database_url.startswith("sqlite"):
            self.paths.data_dir.mkdir(parents=True, exist_ok=True)
        database = open_database(
            self.database_url,
            password_provider=lambda: self.secrets.get_secret(DATABASE_PASSWORD_SECRET),
        )
        check = check_schema(database)
        if check.state is SchemaState.NEWER:
            database.dispose()
            raise ServiceError(newer_schema_message(check), invalid=True)
        if check.state is SchemaState.BEHIND:
            from kodaira_desktop.store.migrate import upgrade_database

            upgrade_database(database, self.paths.backup_dir)
        return database

    @cached_property
    def store(self) -> Store:
        from kodaira_desktop.store.repository import Store

        return Store(self.database, clock=self.clock.now)

    def close(self) -> None:
        if "database" in self.__dict__:
            self.database.dispose()
