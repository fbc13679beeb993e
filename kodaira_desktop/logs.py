"""Logging: a rotating file in the per-user log folder, with secrets kept out of it."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRET = re.compile(
    r"(?i)((?:access_?token|refresh_?token|api_?secret|api_?key|client_?secret|password|"
    r"authorization|oauth_signature|page_access_token|channel_access_token)[\"']?\s*[:=]\s*)"
    r"([\"']?)[^\s\"',&]+"
)


class RedactSecrets(logging.Filter):
    """Masks anything that looks like a credential, in case one slips into a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _SECRET.sub(r"\1\2***", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(log_dir: Path, *, debug: bool = False) -> None:
    root = logging.getLogger()
    if any(getattr(h, "kodaira", False) for h in root.handlers):
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kodaira-desktop.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.kodaira = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry full URLs
