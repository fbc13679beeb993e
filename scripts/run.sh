#!/usr/bin/env bash
# Installs the app into a virtual environment and opens it (SQLite in the user data folder).
# Extra arguments are passed to kodaira-desktop, e.g. `bash scripts/run.sh init --chief yamada`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/kodaira-desktop "$@"
