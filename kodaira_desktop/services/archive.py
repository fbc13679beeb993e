"""`db export` / `db import`: a portable archive of a whole database (CONTRACTS §4).

The archive is a ZIP file:
- ``manifest.json``: format, schema revision, source kind, and per table its row count and
  the SHA-256 of its rows file; per media file its SHA-256;
- ``tables/<name>.jsonl``: one JSON object per row (datetimes ISO 8601 UTC, binary base64);
- ``media/<stored name>``: the managed media files the ``media`` rows point to.

It is written to a temporary file and renamed, so a crash never leaves half an archive under
the name given. Import checks every hash first, refuses a database that already holds data,
and loads all rows in one transaction (media files go in by temp file + rename first, and
are removed again if the rows cannot be loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from kodaira_desktop import __version__
from kodaira_desktop.services.context import AppContext, ServiceError

FORMAT = "kodaira-desktop-database-archive"
FORMAT_VERSION = 1
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveSummary:
    tables: dict[str, int]
    media_files: int

    def describe(self) -> str:
        rows = sum(self.tables.values())
        main = ", ".join(
            f"{name} {self.tables.get(name, 0)}"
            for name in ("users", "items", "entries", "audit_log")
        )
        return f"{rows} rows ({main}), {self.media_files} media files"


def export_database(ctx: AppContext, output: Path) -> ArchiveSummary:
    from kodaira_desktop.store.archive import dump_tables
    from kodaira_desktop.store.migrate import current_revision

    output = Path(output)
    if output.exists() and not output.is_file():
        raise ServiceError(f"{output} is not a regular file", invalid=True)
    folder = output.resolve().parent
    if not folder.is_dir():
        raise ServiceError(f"the folder {folder} does not exist", invalid=True)
    db = ctx.database
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_revision": current_revision(db),
        "source": db.backend,
        "created_at": datetime.now(UTC).isoformat(),
        "tables": {},
        "media": {},
    }
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".partial")
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            media_rows: list[dict[str, Any]] = []
            for table, rows in dump_tables(db):
                digest, count = hashlib.sha256(), 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as out:
                    for row in rows:
                        line = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode()
                        digest.update(line)
                        out.write(line)
                        count += 1
                        if table.name == "media":
                            media_rows.append(row)
                manifest["tables"][table.name] = {"rows": count, "sha256": digest.hexdigest()}
            for row in media_rows:
                source = ctx.paths.media_dir / row["stored_name"]
                if not source.is_file():
                    raise ServiceError(
                        f"the media file {row['stored_name']} is missing from "
                        f"{ctx.paths.media_dir}; copy it back before exporting"
                    )
                archive.write(source, f"media/{row['stored_name']}")
                manifest["media"][row["stored_name"]] = _file_sha256(source)
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(temp, "rb") as done:
            os.fsync(done.fileno())
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    tables = {name: info["rows"] for name, info in manifest["tables"].items()}
    return ArchiveSummary(tables, len(manifest["media"]))


def import_database(ctx: AppContext, source: Path) -> ArchiveSummary:
    from kodaira_desktop.store.archive import carried_tables, decode, load_tables, non_empty_tables
    from kodaira_desktop.store.migrate import current_revision

    source = Path(source)
    if not source.is_file():
        raise ServiceError(f"{source} is not a file", invalid=True)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise ServiceError(f"{source} is not a database archive ({error})", invalid=True) from error
    with archive:
        manifest = _manifest(archive, source)
        db = ctx.database
        revision = current_revision(db)
        if manifest.get("schema_revision") != revision:
            raise ServiceError(
                f"the archive is of schema {manifest.get('schema_revision')}, this version "
                f"uses {revision}: export and import with the same version of the app",
                invalid=True,
            )
        if busy := non_empty_tables(db):
            raise ServiceError(
                "the target database is not empty (it has "
                f"{', '.join(busy)}): import only into a new, empty database",
                invalid=True,
            )
        tables = {t.name: t for t in carried_tables()}
        rows: dict[str, list[dict[str, Any]]] = {}
        for name, info in manifest["tables"].items():
            if name not in tables:
                raise ServiceError(f"the archive has a table {name!r} unknown here", invalid=True)
            data = _member(archive, f"tables/{name}.jsonl", source)
            if hashlib.sha256(data).hexdigest() != info.get("sha256"):
                raise ServiceError(f"{source} is damaged: tables/{name} does not match its hash",
                                   invalid=True)  # fmt: skip
            try:
                rows[name] = [decode(tables[name], json.loads(line)) for line in data.splitlines()]
            except (ValueError, TypeError, AttributeError) as error:
                raise ServiceError(f"{source}: table {name}: {error}", invalid=True) from error
        media = _check_media(archive, manifest, rows.get("media", []), source)
        placed = _place_media(ctx, archive, media)
        try:
            counts = load_tables(db, rows)
        except BaseException:
            for path in placed:
                path.unlink(missing_ok=True)
            raise
    return ArchiveSummary(counts, len(media))


def _manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(_member(archive, "manifest.json", source))
    except (ValueError, UnicodeDecodeError) as error:
        raise ServiceError(f"{source}: the manifest is not JSON", invalid=True) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ServiceError(f"{source} is not a Kodaira Desktop database archive", invalid=True)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ServiceError(
            f"{source} is archive format {manifest.get('format_version')}; this version reads "
            f"{FORMAT_VERSION}",
            invalid=True,
        )
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("media"), dict):
        raise ServiceError(f"{source}: the manifest lists no tables", invalid=True)
    return manifest


def _member(archive: zipfile.ZipFile, name: str, source: Path) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise ServiceError(f"{source} is incomplete: {name} is missing", invalid=True) from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ServiceError(f"{source} is damaged ({error})", invalid=True) from error


def _check_media(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    media_rows: list[dict[str, Any]],
    source: Path,
) -> dict[str, str]:
    """stored name -> sha256, each a safe relative path whose content matches its row."""
    expected = {row["stored_name"]: row["sha256"] for row in media_rows}
    if set(expected) != set(manifest["media"]):
        raise ServiceError(f"{source}: the media files do not match the media rows", invalid=True)
    for name, sha in expected.items():
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or not name:
            raise ServiceError(f"{source}: unsafe media file name {name!r}", invalid=True)
        data = _member(archive, f"media/{name}", source)
        if hashlib.sha256(data).hexdigest() != sha or manifest["media"][name] != sha:
            raise ServiceError(f"{source} is damaged: media/{name} does not match its hash",
                               invalid=True)  # fmt: skip
    return expected


def _place_media(ctx: AppContext, archive: zipfile.ZipFile, media: dict[str, str]) -> list[Path]:
    """Copy media into the managed folder (temp + rename); returns the files it created."""
    placed: list[Path] = []
    try:
        for name, sha in media.items():
            target = ctx.paths.media_dir / name
            if target.is_file() and _file_sha256(target) == sha:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as out, archive.open(f"media/{name}") as data:
                while chunk := data.read(_CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
            placed.append(target)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    return placed


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["ArchiveSummary", "export_database", "import_database"]
