"""The configured country's holiday table for one year, built once and kept.

Building it means importing the `holidays` package, which loads every country's module (about
0.3–0.4 s cold; importing `holidays.countries.japan` alone costs the same, as the `countries`
package imports them all). So tables are kept in memory per process and, when a folder is
given, on disk as small JSON files keyed by the package's version: start-up then reads a few
hundred bytes and never imports `holidays`.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

_MEMORY: dict[tuple[str, int], dict[date, str]] = {}


def holidays_for(country: str, year: int, folder: Path | None = None) -> dict[date, str]:
    """Holiday names by date for ``country`` (a `holidays` code) in ``year``."""
    key = (country, year)
    table = _MEMORY.get(key)
    if table is not None:
        return table
    path = _cache_file(folder, country, year)
    table = _read(path) if path is not None else None
    if table is None:
        table = _build(country, year)
        if path is not None:
            _write(path, table)
    _MEMORY[key] = table
    return table


@cache
def package_version() -> str:
    """The installed `holidays` version, from its distribution folder's name (nothing
    imported, no metadata scan)."""
    spec = find_spec("holidays")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return "unknown"
    site = Path(next(iter(locations))).parent
    for info in sorted(site.glob("holidays-*.dist-info")):
        return info.name.removeprefix("holidays-").removesuffix(".dist-info")
    return "unknown"


def _cache_file(folder: Path | None, country: str, year: int) -> Path | None:
    if folder is None:
        return None
    return folder / f"holidays-{country}-{year}-{package_version()}.json"


def _read(path: Path) -> dict[date, str] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {date.fromisoformat(day): str(name) for day, name in raw.items()}
    except (OSError, ValueError, AttributeError):
        return None  # missing or damaged: rebuilt


def _write(path: Path, table: dict[date, str]) -> None:
    """Temp file + rename, so a crash never leaves half a table; failures are harmless."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({day.isoformat(): name for day, name in sorted(table.items())})
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temp, path)
    except OSError:
        pass


def _build(country: str, year: int) -> dict[date, str]:
    import holidays

    language = "ja" if country == "JP" else None
    table: Any = holidays.country_holidays(country, years=year, language=language)
    return {day: str(name) for day, name in table.items()}
