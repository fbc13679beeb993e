#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine and runs them all:
# system libraries for Qt, Japanese fonts and PostgreSQL (with apt-get, when run as root or
# with sudo), a virtual environment with the project and its test extra, then
# ruff, ruff format --check, mypy, pytest and the benchmark in its quick mode. Fails when any
# of them fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh --with-postgres

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest "$@"
# The performance table, small sizes, once: proves the benchmark runs (it never asserts a time).
.venv/bin/python benchmarks/run.py --quick
