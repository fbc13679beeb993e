"""The GUI talks to the use-cases only: no SQL, no HTTP, no store, in any ui module."""

from __future__ import annotations

import ast
from pathlib import Path

import kodaira_desktop.ui

FORBIDDEN = ("sqlalchemy", "httpx", "kodaira_desktop.store", "kodaira_desktop.platforms")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_ui_module_imports_storage_or_http() -> None:
    folder = Path(kodaira_desktop.ui.__file__).parent
    offenders = {
        f"{path.name}: {name}"
        for path in folder.glob("*.py")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert not offenders
