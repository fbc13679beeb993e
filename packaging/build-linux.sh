#!/usr/bin/env bash
# Builds the Linux one-folder bundle with PyInstaller (CONTRACTS.md §7):
#   dist/linux/kodaira-desktop/kodaira-desktop   (the same commands as `kodaira-desktop`)
#   dist/kodaira-desktop-<version>-linux-x86_64.tar.gz
# then checks that the bundle's --version and --smoke work from a clean environment.
# --quick: the fastest gzip level (CI). KODAIRA_BUILD_CACHE: where the build venv is kept
# between runs (default ~/.cache/kodaira-build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE="${KODAIRA_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kodaira-build}"
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
BUILD="$ROOT/build/linux"
OUT="$ROOT/dist/linux"
BUNDLE="$OUT/kodaira-desktop"
TARBALL="$ROOT/dist/kodaira-desktop-$VERSION-linux-x86_64.tar.gz"
PYINSTALLER_VERSION="6.22.3"
GZIP_LEVEL=-9
for arg in "$@"; do
  case "$arg" in
    --quick) GZIP_LEVEL=-1 ;;
    *) echo "usage: bash packaging/build-linux.sh [--quick]" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "build-linux: $*" >&2; exit 1; }

step "build venv (PyInstaller $PYINSTALLER_VERSION and the app)"
VENV="$CACHE/venv-linux"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip -q --disable-pip-version-check)
"$VENV/bin/python" -c "import PyInstaller" 2>/dev/null && \
  [ "$("$VENV/bin/python" -c 'import PyInstaller; print(PyInstaller.__version__)')" = "$PYINSTALLER_VERSION" ] \
  || "${PIP[@]}" install "pyinstaller==$PYINSTALLER_VERSION"
"${PIP[@]}" install --force-reinstall --no-deps "$ROOT" && "${PIP[@]}" install "$ROOT"
rm -rf "$ROOT/build/lib" "$ROOT/build/bdist."*

step "PyInstaller one-folder bundle"
rm -rf "$BUILD" "$OUT" && mkdir -p "$BUILD" "$OUT"
(cd packaging/linux && "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "$BUILD" kodaira-desktop.spec)
[ -x "$BUNDLE/kodaira-desktop" ] || fail "no bundle"
# Qt translations the app never loads (it installs qtbase_ja only).
find "$BUNDLE" -path '*/translations/*.qm' ! -name 'qtbase_ja.qm' -delete
ls "$BUNDLE"/_internal/kodaira_desktop/store/migrations/versions/0001_*.py >/dev/null \
  || fail "the Alembic revisions are not shipped as source"
cp resources/icons/kodaira-desktop-256.png "$BUNDLE/kodaira-desktop.png"
sed -e "s|^Exec=.*|Exec=/opt/kodaira-desktop/kodaira-desktop|" -e "/^Icon=/d" \
  packaging/kodaira-desktop.desktop >"$BUNDLE/kodaira-desktop.desktop"
echo "Icon=/opt/kodaira-desktop/kodaira-desktop.png" >>"$BUNDLE/kodaira-desktop.desktop"

step "tarball"
tar -C "$OUT" -cf - kodaira-desktop | gzip "$GZIP_LEVEL" >"$TARBALL"

step "--version and --smoke from a clean environment"
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
clean() { env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }
got=$(clean "$BUNDLE/kodaira-desktop" --version)
[ "$got" = "kodaira-desktop $VERSION" ] || fail "--version said: $got"
clean "$BUNDLE/kodaira-desktop" --smoke || fail "--smoke failed"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "bundle: $(mib "$(du -sb "$BUNDLE" | cut -f1)"); $(basename "$TARBALL"): $(mib "$(stat -c %s "$TARBALL")")"
echo "built in ${SECONDS}s"
