"""The machine-wide configuration (CONTRACTS.md §8): ``config.toml`` in the site config folder.

IT's installers write it (``database_url``, ``dispatch``) beside ``trust-root.toml``. Each
setting is taken from the command-line option, else the environment variable, else
``config.toml``, else the default, and remembers where it came from (`doctor` shows it).

``python -m kodaira_desktop.site_config --database-url URL --trust-root FILE`` is what the
Windows installers run to write the folder; it is not one of the app's commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

CONFIG_NAME = "config.toml"
TRUST_ROOT_NAME = "trust-root.toml"
DATABASE_ENV = "KODAIRA_DATABASE_URL"
#: The GUI's dispatcher switch (also read by ui/dispatch_worker.py).
DISPATCH_ENV = "KODAIRA_GUI_DISPATCH"
_OFF = ("0", "false", "no", "off")
_ON = ("1", "true", "yes", "on")

T = TypeVar("T")


class SiteConfigError(Exception):
    """config.toml is unreadable or holds a wrong value (one sentence for the user)."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    value: T
    #: "command line", "environment KODAIRA_…", "<path to config.toml>" or "default".
    origin: str


@dataclass(frozen=True)
class SiteSettings:
    database_url: Setting[str]
    #: Whether the window runs the dispatcher on this PC.
    dispatch: Setting[bool]


def read_site_config(folder: Path) -> dict[str, object]:
    """The settings in ``folder/config.toml`` ({} when there is no such file)."""
    path = folder / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise SiteConfigError(f"cannot read {path}: {error.strerror}") from error
    import tomllib  # only when there is a file: start-up without one skips the parser

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SiteConfigError(f"{path} is not valid TOML: {error}") from error
    unknown = sorted(set(data) - {"database_url", "dispatch"})
    if unknown:
        raise SiteConfigError(f"{path}: unknown setting {unknown[0]!r}")
    url = data.get("database_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise SiteConfigError(f"{path}: database_url must be a non-empty string")
    if "dispatch" in data and not isinstance(data["dispatch"], bool):
        raise SiteConfigError(f"{path}: dispatch must be true or false")
    return data


def resolve_settings(
    site_config_dir: Path,
    environ: Mapping[str, str],
    *,
    database_option: str | None,
    default_database_url: str,
    user_config_dir: Path | None = None,
) -> SiteSettings:
    """Each setting from the option, else the environment, else config.toml, else default.

    The database URL may also come from this user's ``config.toml`` (``user_config_dir``,
    written by the first-run wizard); it comes after the environment and before the
    machine-wide file, as a user's git config comes before the system's."""
    config = read_site_config(site_config_dir)
    origin = str(site_config_dir / CONFIG_NAME)
    user_url = _user_database_url(user_config_dir)
    if database_option:
        database = Setting(database_option, "command line")
    elif environ.get(DATABASE_ENV):
        database = Setting(environ[DATABASE_ENV], f"environment {DATABASE_ENV}")
    elif user_url is not None and user_config_dir is not None:
        database = Setting(user_url, str(user_config_dir / CONFIG_NAME))
    elif isinstance(config.get("database_url"), str):
        database = Setting(str(config["database_url"]).strip(), origin)
    else:
        database = Setting(default_database_url, "default")
    switch = environ.get(DISPATCH_ENV, "").strip().lower()
    if switch in _OFF + _ON:
        dispatch = Setting(switch in _ON, f"environment {DISPATCH_ENV}")
    elif isinstance(config.get("dispatch"), bool):
        dispatch = Setting(bool(config["dispatch"]), origin)
    else:
        dispatch = Setting(True, "default")
    return SiteSettings(database_url=database, dispatch=dispatch)


def _user_database_url(folder: Path | None) -> str | None:
    if folder is None:
        return None
    url = read_site_config(folder).get("database_url")
    return str(url).strip() if isinstance(url, str) else None


def write_user_database_url(folder: Path, database_url: str | None) -> Path:
    """This user's ``config.toml``: the database URL chosen in the first-run wizard (never a
    password: the URL is refused when it holds one). ``None`` removes the setting. Written
    whole (temp file + rename)."""
    if database_url is not None and _has_password(database_url):
        raise SiteConfigError("the database URL holds a password: it belongs in the keyring")
    folder.mkdir(parents=True, exist_ok=True)
    config = read_site_config(folder)
    config.pop("database_url", None)
    if database_url is not None:
        config["database_url"] = database_url.strip()
    lines = ["# Kodaira Desktop: this user's settings (written by the first-run wizard)"]
    for key, value in config.items():
        text = (
            ("true" if value else "false") if isinstance(value, bool) else _toml_string(str(value))
        )
        lines.append(f"{key} = {text}")
    target = folder / CONFIG_NAME
    partial = target.with_suffix(".toml.part")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return target


def _has_password(url: str) -> bool:
    netloc = url.partition("://")[2].split("/", 1)[0]
    userinfo, at, _host = netloc.rpartition("@")
    return bool(at) and ":" in userinfo and not userinfo.endswith(":")


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in escaped):
        raise SiteConfigError("the value holds a control character")
    return f'"{escaped}"'


def write_site_config(
    folder: Path, *, database_url: str | None = None, trust_root: Path | None = None
) -> None:
    """Set ``database_url`` in config.toml (other settings are kept) and copy the root of trust.

    Used by the installers; each file is written whole or not at all.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if trust_root is not None:
        if not trust_root.is_file():
            raise SiteConfigError(f"{trust_root} is not a file")
        target = folder / TRUST_ROOT_NAME
        partial = target.with_suffix(".toml.part")
        import shutil

        shutil.copyfile(trust_root, partial)  # not copy2: Wine lacks CopyFile2
        os.replace(partial, target)
    if database_url is not None:
        if not database_url.strip():
            raise SiteConfigError("the database URL is empty")
        config = read_site_config(folder)
        config["database_url"] = database_url.strip()
        lines = ["# Kodaira Desktop: machine-wide settings (written by the installer)"]
        for key, value in config.items():
            text = (
                ("true" if value else "false")
                if isinstance(value, bool)
                else _toml_string(str(value))
            )
            lines.append(f"{key} = {text}")
        target = folder / CONFIG_NAME
        partial = target.with_suffix(".toml.part")
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(partial, target)


def main(argv: Sequence[str] | None = None) -> int:
    """The installers' step: write the machine-wide settings given on their command line."""
    import argparse

    from kodaira_desktop.paths import resolve_paths

    parser = argparse.ArgumentParser(prog="python -m kodaira_desktop.site_config")
    parser.add_argument("--database-url", metavar="URL")
    parser.add_argument("--trust-root", metavar="FILE")
    parser.add_argument("--folder", type=Path, help="default: the site config folder")
    args = parser.parse_args(argv)
    folder = args.folder or resolve_paths().site_config_dir
    try:
        write_site_config(
            folder,  # an empty value (the MSI passes every property) means "not given"
            database_url=args.database_url or None,
            trust_root=Path(args.trust_root) if args.trust_root else None,
        )
    except (SiteConfigError, OSError) as error:
        print(f"kodaira-desktop: {error}", file=sys.stderr)
        return 2
    print(f"machine-wide settings written to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
