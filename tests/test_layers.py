"""Dependencies point inward: the pure core imports neither Qt, SQL nor HTTP, and nothing
below the front doors imports Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = [
    "kodaira_desktop.policy",
    "kodaira_desktop.domain.states",
    "kodaira_desktop.domain.records",
    "kodaira_desktop.domain.text_rules",
    "kodaira_desktop.domain.media_rules",
    "kodaira_desktop.dispatch.clock",
    "kodaira_desktop.dispatch.retry",
    "kodaira_desktop.dispatch.wakeup",
]
NO_QT = [
    "kodaira_desktop.services.compose",
    "kodaira_desktop.services.dispatcher",
    "kodaira_desktop.services.approvals",
    "kodaira_desktop.store.repository",
    "kodaira_desktop.platforms.registry",
    "kodaira_desktop.commands.runner",
    "kodaira_desktop.services.images",
    "kodaira_desktop.services.media_inspect",
]


def imported_roots(module: str) -> set[str]:
    code = (
        f"import sys, {module}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", PURE)
def test_the_core_is_pure(module: str) -> None:
    assert not imported_roots(module) & {"PySide6", "sqlalchemy", "httpx", "keyring"}


@pytest.mark.parametrize("module", NO_QT)
def test_no_qt_below_the_front_doors(module: str) -> None:
    assert "PySide6" not in imported_roots(module)


def test_images_are_decoded_outside_the_pure_core() -> None:
    """Pillow is a service's tool: the media rules judge plain facts (type, bytes, pixels)."""
    assert "PIL" not in imported_roots("kodaira_desktop.domain.media_rules")
    assert "PIL" in imported_roots("kodaira_desktop.services.images")
