#!/usr/bin/env bash
# CI stage after the tests: builds the Windows installers (quick: zlib, signed with a throwaway
# certificate) and the Linux bundle, then smoke-tests what IT would deploy:
#   Windows, under Wine 8 in a fresh prefix whose user is "やまだ":
#     setup.exe /S /DATABASE_URL=… /D=<folder with spaces and Japanese>; config.toml written;
#     kodaira-desktop-cli.exe --version, init, users add, queue add, queue list --json, doctor
#     (the Windows Credential Manager keyring, tzdata's Asia/Tokyo, the setting's origin),
#     kodaira-desktop.exe --smoke; the uninstaller (data and settings kept); then
#     msiexec /i … /qn DATABASE_URL=… TRUSTROOT=<file with spaces> INSTALLDIR=…, the same
#     database still there, the root of trust copied, --smoke, msiexec /x (data kept).
#   Linux: the tarball unpacked into a folder with spaces and Japanese, the same commands
#     from a clean environment.
# Any failing step fails CI. KODAIRA_BUILD_CACHE keeps downloads between runs (~/.cache).
# KODAIRA_INSTALLERS_REUSE=1 tests what dist/ holds without building (when working on the tests).
set -Eeuo pipefail
trap 'echo "test-installers: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
SETUP="$ROOT/dist/KodairaDesktop-$VERSION-setup.exe"
MSI="$ROOT/dist/KodairaDesktop-$VERSION.msi"
TARBALL="$ROOT/dist/kodaira-desktop-$VERSION-linux-x86_64.tar.gz"

declare -a TIMES=()
STAGE_START=$SECONDS
stage() {  # stage NAME: close the previous stage's clock and start one
  TIMES+=("$(printf '%-40s %4ss' "${CURRENT_STAGE:-start}" $((SECONDS - STAGE_START)))")
  [ -z "${CURRENT_STAGE:-}" ] || echo "--- ${TIMES[-1]}"
  CURRENT_STAGE=$1 STAGE_START=$SECONDS
  printf '\n=== %s\n' "$1"
}
fail() { echo "test-installers: FAILED: $*" >&2; exit 1; }
expect() {  # expect TEXT IN: fail unless IN contains TEXT
  grep -qF -- "$1" <<<"$2" || { printf '%s\n' "$2" >&2; fail "expected '$1'"; }
}

stage "system packages"
bash scripts/system-packages.sh --with-installers

WORK=$(mktemp -d /tmp/kodaira-installers.XXXXXX)
cleanup() {
  [ -z "${WINEPREFIX:-}" ] || wineserver -k 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The Wine prefix is made while the installers are built.
export WINEPREFIX="$WORK/wine" WINEDEBUG=-all LC_ALL=C.UTF-8 USER=やまだ WINEARCH=win64
# Test prefix only (never shipped): Python's fallback instead of WMI, and Qt offscreen.
export WINEDLLOVERRIDES="mscoree,mshtml=;wbemprox=d" WINEQT_QPA_PLATFORM=offscreen
export KODAIRA_TEST_SCRYPT_N=1024 KODAIRA_FAKE_NOW=2026-11-25T10:00:00+09:00
export KODAIRA_LINE_API_BASE=http://127.0.0.1:9  # no network: refused at once
make_prefix() {
  wineboot -i </dev/null >/dev/null 2>&1
  local system32="$WINEPREFIX/drive_c/windows/system32" stub
  for stub in icuuc bcryptprimitives; do  # Wine 8 lacks these two DLLs (see WINDOWS-BUILD.md)
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$system32/$stub.dll" \
      "scripts/wine-stubs/${stub}_stub.c" -ladvapi32
  done
}
make_prefix >"$WORK/prefix.log" 2>&1 &
PREFIX_PID=$!

if [ "${KODAIRA_INSTALLERS_REUSE:-0}" != 1 ]; then
stage "build: Windows (quick, signed) and Linux"
# The Linux bundle is built alongside (PyInstaller, makensis and wixl each use one core).
bash packaging/build-linux.sh --quick >"$WORK/linux-build.log" 2>&1 &
LINUX_PID=$!
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=Kodaira CI test signing" -addext extendedKeyUsage=codeSigning 2>/dev/null
openssl pkcs12 -export -inkey "$WORK/key.pem" -in "$WORK/cert.pem" -out "$WORK/sign.p12" \
  -passout pass:ci-test-password
KODAIRA_SIGN_PKCS12="$WORK/sign.p12" KODAIRA_SIGN_PASSWORD=ci-test-password \
  bash packaging/build-windows.sh --quick
for signed in "$SETUP" "$MSI" build/windows/app/kodaira-desktop.exe build/windows/app/kodaira-desktop-cli.exe; do
  osslsigncode verify -CAfile "$WORK/cert.pem" -ignore-crl -in "$signed" >/dev/null 2>&1 \
    || fail "$signed is not signed"
done
echo "setup.exe, the MSI and both launchers are signed"
linux_ok=0
wait "$LINUX_PID" || linux_ok=$?
grep -v "^WARNING: Location" "$WORK/linux-build.log"
((linux_ok == 0)) || fail "build-linux.sh failed"
fi


# --- Windows under Wine ------------------------------------------------------------------
stage "Wine prefix"
wait "$PREFIX_PID" || { cat "$WORK/prefix.log"; fail "the Wine prefix could not be made"; }
PROFILE="$WINEPREFIX/drive_c/users/やまだ"
[ -d "$PROFILE" ] || fail "the Wine user is not やまだ"
SITE="$WINEPREFIX/drive_c/ProgramData/KodairaCity/kodaira-desktop"
DB_WIN='C:/Users/Public/小平 共有/kodaira.sqlite3'
DB_UNIX="$WINEPREFIX/drive_c/users/Public/小平 共有/kodaira.sqlite3"
mkdir -p "$(dirname "$DB_UNIX")"
printf 'kacho-password-1\n' >"$PROFILE/chief password.txt"
PASSWORD='C:\users\やまだ\chief password.txt'

win() {  # win EXE ARGS…: run under Wine, print its output, return its exit code
  # Through a pipe: Python under Wine 8 aborts when a standard handle is a regular file.
  local start=$SECONDS code
  wine "$@" </dev/null 2>&1 | tr -d '\r'
  code=${PIPESTATUS[0]}
  echo "  [$(basename "$1") ${2:-} ${3:-}… exit $code, $((SECONDS - start))s]" >&2
  return "$code"
}
windows_commands() {  # windows_commands INSTALL_DIR (Unix path): the CLI and the window
  local app=$1 out
  out=$(win "$app/kodaira-desktop-cli.exe" --version)
  [ "$out" = "kodaira-desktop $VERSION" ] || fail "--version said: $out"
  if [ ! -f "$DB_UNIX" ]; then  # the first install: a new office
    [ -z "$(ls "$SITE"/trust-root.toml 2>/dev/null)" ] || fail "a root of trust before init"
    win "$app/kodaira-desktop-cli.exe" --user kacho --password-file "$PASSWORD" init --chief kacho
    win "$app/kodaira-desktop-cli.exe" --user kacho --password-file "$PASSWORD" \
      users add やまだ --role staff --channels line
    win "$app/kodaira-desktop-cli.exe" --user やまだ queue add --channel line \
      --text "小平市からのお知らせ：図書館は休館します" --at 2026-11-26T11:00:00+09:00
  fi
  out=$(win "$app/kodaira-desktop-cli.exe" --user やまだ queue list --json)
  expect '"text": "小平市からのお知らせ：図書館は休館します"' "$out"
  expect '"scheduled_at": "2026-11-26T11:00:00+09:00"' "$out"
  [ -f "$DB_UNIX" ] || fail "the database is not where config.toml says"
  out=$(win "$app/kodaira-desktop-cli.exe" --user kacho doctor || true)  # NG: no credentials
  expect 'OK  setting database_url: from C:\ProgramData\KodairaCity\kodaira-desktop\config.toml' "$out"
  expect "OK  database: sqlite:///C" "$out"
  expect "OK  keyring: keyring.backends.Windows.WinVaultKeyring" "$out"
  expect "OK  root of trust: pinned: chief kacho" "$out"
  expect "OK  policy: Asia/Tokyo" "$out"  # tzdata: Windows has no IANA database
  win "$app/kodaira-desktop.exe" --smoke || fail "--smoke of the installed window failed"
  ls "$PROFILE/AppData/Local/KodairaCity/kodaira-desktop/logs/"*.log >/dev/null \
    || fail "no log in the user's (Japanese) profile"
}

stage "Windows: setup.exe /S"
EXE_DIR_WIN='C:\Program Files\Kodaira テスト 版'
EXE_DIR="$WINEPREFIX/drive_c/Program Files/Kodaira テスト 版"
# Each word its own argument: Wine then passes the line unquoted, as cmd.exe would
# (NSIS reads /D= to the end of the line, spaces included; it must not be quoted).
# shellcheck disable=SC2086
win "$SETUP" /S /DATABASE_URL=sqlite:///$DB_WIN /D=$EXE_DIR_WIN
[ -f "$EXE_DIR/kodaira-desktop-cli.exe" ] || fail "setup.exe did not install into $EXE_DIR_WIN"
[ -f "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/小平市 SNS投稿予約.lnk" ] \
  || fail "no Start-menu entry"
expect "database_url = \"sqlite:///$DB_WIN\"" "$(cat "$SITE/config.toml")"

stage "Windows: commands (setup.exe install)"
windows_commands "$EXE_DIR"

stage "Windows: uninstall.exe /S"
win "$EXE_DIR/uninstall.exe" /S "_?=$EXE_DIR_WIN"  # _?= : wait, in place
rm -f "$EXE_DIR/uninstall.exe"
[ ! -e "$EXE_DIR" ] || { find "$EXE_DIR" | head; fail "the uninstaller left files"; }
[ -f "$DB_UNIX" ] || fail "the uninstaller removed the database"
[ -f "$SITE/config.toml" ] && [ -f "$SITE/trust-root.toml" ] || fail "the uninstaller removed the settings"
[ -d "$PROFILE/AppData/Local/KodairaCity/kodaira-desktop" ] || fail "the uninstaller removed user data"

stage "Windows: msiexec /i /qn"
mv "$SITE/trust-root.toml" "$PROFILE/trust root.toml"  # the file IT hands out
rm "$SITE/config.toml"
MSI_DIR_WIN='C:\Program Files\Kodaira MSI 版'
MSI_DIR="$WINEPREFIX/drive_c/Program Files/Kodaira MSI 版"
win msiexec /i "$(winepath -w "$MSI")" /qn "DATABASE_URL=sqlite:///$DB_WIN" \
  "TRUSTROOT=C:\\users\\やまだ\\trust root.toml" "INSTALLDIR=$MSI_DIR_WIN\\"
[ -f "$MSI_DIR/kodaira-desktop-cli.exe" ] || fail "the MSI did not install into $MSI_DIR_WIN"
expect "database_url = \"sqlite:///$DB_WIN\"" "$(cat "$SITE/config.toml")"
cmp -s "$PROFILE/trust root.toml" "$SITE/trust-root.toml" || fail "the MSI did not copy TRUSTROOT"
# Wine's msi puts the shortcut of a per-machine MSI in the user's Start menu; Windows in all users'.
find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/Kodaira Desktop.lnk' | grep -q . \
  || fail "the MSI made no Start-menu entry"

stage "Windows: commands (MSI install)"
windows_commands "$MSI_DIR"  # the queue made before is still there

stage "Windows: msiexec /x /qn"
win msiexec /x "$(winepath -w "$MSI")" /qn
[ ! -e "$MSI_DIR/kodaira-desktop-cli.exe" ] || fail "msiexec /x left the program"
[ ! -e "$MSI_DIR" ] || fail "msiexec /x left the install folder"
[ -f "$DB_UNIX" ] && [ -f "$SITE/config.toml" ] || fail "msiexec /x removed data or settings"
wineserver -k 2>/dev/null || true
unset WINEPREFIX

# --- the Linux bundle --------------------------------------------------------------------
stage "Linux bundle: commands"
LINUX_DIR="$WORK/小平 テスト"
mkdir -p "$LINUX_DIR/home"
tar -xzf "$TARBALL" -C "$LINUX_DIR"
linux() {  # a clean environment: no inherited variables, a fresh home, the file keyring
  env -i HOME="$LINUX_DIR/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    KODAIRA_SITE_CONFIG_DIR="$LINUX_DIR/site" KODAIRA_KEYRING="file:$LINUX_DIR/keyring" \
    KODAIRA_TEST_SCRYPT_N=1024 KODAIRA_FAKE_NOW=2026-11-25T10:00:00+09:00 \
    "$LINUX_DIR/kodaira-desktop/kodaira-desktop" "$@"
}
printf 'kacho-password-1\n' >"$LINUX_DIR/chief password.txt"
mkdir -p "$LINUX_DIR/site"
printf 'database_url = "sqlite:///%s/shared db.sqlite3"\n' "$LINUX_DIR" >"$LINUX_DIR/site/config.toml"
out=$(linux --version)
[ "$out" = "kodaira-desktop $VERSION" ] || fail "--version said: $out"
linux --user kacho --password-file "$LINUX_DIR/chief password.txt" init --chief kacho
linux --user kacho --password-file "$LINUX_DIR/chief password.txt" users add yamada --role staff --channels line
linux --user yamada queue add --channel line --text "小平市からのお知らせ" --at 2026-11-26T11:00:00+09:00
out=$(linux --user yamada queue list --json)
expect '"text": "小平市からのお知らせ"' "$out"
out=$(linux --user kacho doctor || true)
expect "OK  setting database_url: from $LINUX_DIR/site/config.toml" "$out"
expect "OK  policy: Asia/Tokyo" "$out"
[ -f "$LINUX_DIR/shared db.sqlite3" ] || fail "config.toml's database was not used"
linux --smoke || fail "--smoke of the Linux bundle failed"

stage "done"
printf '%s\n' "${TIMES[@]:1}"
echo "installers: all checks passed in ${SECONDS}s"
