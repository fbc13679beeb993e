"""A PostgreSQL server for the tests: the one in ``KODAIRA_TEST_POSTGRES_URL``, or a throwaway
cluster started from the local server binaries (as the ``postgres`` user when run as root,
because ``initdb`` refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ENV_URL = "KODAIRA_TEST_POSTGRES_URL"
_SERVICE_USER = "postgres"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    admin_database: str = "postgres"

    def url(self, database: str) -> str:
        return (
            f"postgresql+psycopg://{self.user}:{self.password}@{self.host}:{self.port}/{database}"
        )

    def create_database(self) -> str:
        name = f"test_{secrets.token_hex(6)}"
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=self.admin_database,
            autocommit=True,
        ) as connection:
            connection.execute(statement)


def server_from_url(url: str) -> PostgresServer:
    """An existing server; the URL's database is used only to create and drop test databases."""
    parsed = make_url(url)
    return PostgresServer(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or "",
        admin_database=parsed.database or "postgres",
    )


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's server binaries, if any."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary directory, on a free port of 127.0.0.1."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        """``durable``: commits survive a crash of the server (``synchronous_commit`` on), for
        tests that crash it; otherwise the fastest settings."""
        self._bindir = bindir
        self._root = Path(tempfile.mkdtemp(prefix="kodaira-pg-"))
        self._data = self._root / "data"
        self._as_root = os.geteuid() == 0
        self._options = ""
        self._durable = durable

    def start(self) -> PostgresServer:
        password = secrets.token_urlsafe(16)
        pwfile = self._root / "pwfile"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if self._as_root:
            account = pwd.getpwnam(_SERVICE_USER)
            for path in (self._root, pwfile):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run(
            "initdb",
            "-D", str(self._data),
            "-U", "postgres",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )  # fmt: skip
        port = _free_port()
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {self._root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        if not self._durable:
            options += " -c synchronous_commit=off"
        self._options = options
        self._pg_ctl_start()
        return PostgresServer(host="127.0.0.1", port=port, user="postgres", password=password)

    def _pg_ctl_start(self) -> None:
        log = self._root / "server.log"
        self._run(
            "pg_ctl", "-D", str(self._data), "-l", str(log), "-o", self._options, "-w", "start"
        )  # fmt: skip

    def crash(self) -> None:
        """Stop the server the hard way (``-m immediate``: every connection cut, no shutdown
        checkpoint), as a power cut or a killed service would."""
        self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "-w", "stop")

    def start_again(self) -> None:
        """Start a crashed or stopped server on the same port, with the same data."""
        self._pg_ctl_start()

    def stop(self) -> None:
        try:
            if (self._data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self._data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self._root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command: Sequence[str] = [str(self._bindir / program), *args]
        if self._as_root:
            command = ["runuser", "-u", _SERVICE_USER, "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({completed.returncode}): {completed.stderr or completed.stdout}"
            )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
