"""Running the real command line in a subprocess, as IT staff and scripts do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CHIEF = "kacho"
CHIEF_PASSWORD = "kacho-password-1"
STAFF = "tanaka"
#: A Wednesday morning in Tokyo, and the same evening (after hours).
MORNING = "2026-11-25T10:00:00+09:00"
EVENING = "2026-11-25T18:00:00+09:00"
#: How long after `now` a harness dispatcher runs (see Cli.run).
DISPATCH_LAG = timedelta(minutes=1)


@dataclass
class Cli:
    home: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    now: str = MORNING

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KODAIRA_")}
        env.update(
            KODAIRA_DATA_DIR=str(self.home / "data"),
            KODAIRA_CONFIG_DIR=str(self.home / "config"),
            KODAIRA_SITE_CONFIG_DIR=str(self.home / "site"),
            KODAIRA_KEYRING=f"file:{self.home / 'keyring'}",
            KODAIRA_TEST_SCRYPT_N="1024",
            KODAIRA_DATABASE_URL=self.database_url,
            KODAIRA_FAKE_NOW=self.now,
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def run(
        self,
        *args: str,
        user: str = STAFF,
        stdin: str | None = None,
        password: str | None = None,
        expect: int | None = 0,
        timeout: float = 120,
        **env: str,
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kodaira_desktop", "--user", user]
        if password is not None:
            secret = self.home / f"password-{user}.txt"
            secret.write_text(password + "\n", encoding="utf-8")
            command += ["--password-file", str(secret)]
        if args and args[0] == "dispatch" and "KODAIRA_FAKE_NOW" not in env:
            # Each process's fake clock starts at `now` and runs on from its own start, so a
            # post queued by a slow process can read a second or two later than a dispatcher
            # that starts quickly. The dispatcher runs a minute later, as it would in an office.
            env["KODAIRA_FAKE_NOW"] = (datetime.fromisoformat(self.now) + DISPATCH_LAG).isoformat()
        result = subprocess.run(
            [*command, *args],
            input=stdin or "",
            capture_output=True,
            text=True,
            env=self.env(**env),
            timeout=timeout,
        )
        if expect is not None:
            output = f"stdout: {result.stdout}\nstderr: {result.stderr}"
            assert result.returncode == expect, f"{args} exited {result.returncode}\n{output}"
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def entries(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = json.loads(self.run("queue", "list", "--json").stdout)
        return rows

    def setup_office(self, channels: str = "x-city,x-mayor,line,facebook,youtube") -> None:
        """init with a chief, and a staff member designated for ``channels``."""
        self.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD)
        self.run(
            "users",
            "add",
            STAFF,
            "--role",
            "staff",
            "--channels",
            channels,
            user=CHIEF,
            password=CHIEF_PASSWORD,
        )

    def set_credentials(self, channel: str, fields: dict[str, str]) -> None:
        self.run(
            "credentials",
            "set",
            channel,
            user=CHIEF,
            password=CHIEF_PASSWORD,
            stdin=json.dumps(fields),
        )

    def request_emergency(self, channel: str = "line") -> int:
        """Staff ask to post this evening, outside the window; returns the item id."""
        added = self.run(
            "queue",
            "add",
            "--channel",
            channel,
            "--text",
            "避難所を開設しました。",
            "--at",
            EVENING,
            "--emergency",
            "台風による避難情報",
        )
        return int(added.stdout.strip())
