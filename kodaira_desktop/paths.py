"""Where the app keeps its files: computed once at start-up, never at import time.

platformdirs gives the per-user folders; environment variables override them (tests and
portable installs use this).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "kodaira-desktop"
APP_AUTHOR = "KodairaCity"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    #: The machine-wide config folder (the root of trust is pinned here).
    site_config_dir: Path
    #: Overrides where the root of trust is read and written.
    trust_root_override: Path | None = None

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def cache_dir(self) -> Path:
        """Tables worth keeping between runs (holidays); safe to delete."""
        return self.data_dir / "cache"

    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def default_database_url(self) -> str:
        return f"sqlite:///{(self.data_dir / 'kodaira.sqlite3').as_posix()}"

    @property
    def trust_root_candidates(self) -> tuple[Path, ...]:
        """Where the pinned root of trust is looked for, machine-wide first."""
        if self.trust_root_override is not None:
            return (self.trust_root_override,)
        name = "trust-root.toml"
        return (self.site_config_dir / name, self.config_dir / name)

    def ensure(self) -> None:
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.media_dir):
            folder.mkdir(parents=True, exist_ok=True)


def resolve_paths(environ: Mapping[str, str] | None = None) -> AppPaths:
    env = os.environ if environ is None else environ
    import platformdirs

    def pick(variable: str, default: str) -> Path:
        value = env.get(variable)
        return Path(value) if value else Path(default)

    data_dir = pick("KODAIRA_DATA_DIR", platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    trust = env.get("KODAIRA_TRUST_ROOT_FILE")
    return AppPaths(
        data_dir=data_dir,
        config_dir=pick("KODAIRA_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        log_dir=pick("KODAIRA_LOG_DIR", str(data_dir / "logs")),
        site_config_dir=pick(
            "KODAIRA_SITE_CONFIG_DIR", platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)
        ),
        trust_root_override=Path(trust) if trust else None,
    )
