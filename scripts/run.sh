#!/usr/bin/env bash
# Installs the app (Qt's system libraries and Japanese fonts with apt-get when missing, then a
# virtual environment) and opens it, with SQLite in the user data folder.
# Extra arguments are passed to kodaira-desktop, e.g. `bash scripts/run.sh init --chief yamada`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/kodaira-desktop "$@"
