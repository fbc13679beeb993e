"""The store stays Qt-free, and the records it returns stay SQLAlchemy-free."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _modules_after(imports: str) -> set[str]:
    code = f"import sys; {imports}; print('\\n'.join(sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in output.split()}


def test_store_imports_no_qt() -> None:
    loaded = _modules_after(
        "import kodaira_desktop.store.repository, kodaira_desktop.store.migrate"
    )
    assert "sqlalchemy" in loaded
    assert not {"PySide6", "shiboken6"} & loaded


def test_records_import_neither_qt_nor_sqlalchemy() -> None:
    loaded = _modules_after("import kodaira_desktop.domain.records, kodaira_desktop.store")
    assert not {"PySide6", "sqlalchemy", "alembic"} & loaded
