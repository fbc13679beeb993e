from __future__ import annotations

import subprocess
import sys

MODULES = ("audit_chain", "canonical", "chief_keys", "lockout", "secrets", "trust_root")


def test_security_imports_neither_qt_nor_sqlalchemy() -> None:
    imports = "; ".join(f"import kodaira_desktop.security.{name}" for name in MODULES)
    check = (
        "import sys; bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'sqlalchemy')"
        " or m == 'kodaira_desktop.security.keyring_backends'); print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"{imports}; {check}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    # The test-only keyring backends are not loaded either unless KODAIRA_KEYRING asks.
    assert result.stdout.strip() == "[]"
