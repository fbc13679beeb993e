#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the app needs (Qt's libraries, Japanese fonts), and
# PostgreSQL too with --with-postgres (the tests start a throwaway server from it), and with
# --with-installers what building and testing the installers needs (NSIS, wixl, osslsigncode,
# Wine, MinGW for Wine's test stubs, binutils for PyInstaller).
# Does nothing for packages already installed, or where apt-get is not available.
set -euo pipefail

PACKAGES=(
  fonts-noto-cjk
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0
)
for option in "$@"; do
  case "$option" in
    --with-postgres) PACKAGES+=(postgresql) ;;
    --with-installers)
      PACKAGES+=(curl openssl binutils osslsigncode nsis wixl msitools wine wine64
        gcc-mingw-w64-x86-64-posix) ;;
    *) echo "usage: system-packages.sh [--with-postgres] [--with-installers]" >&2; exit 2 ;;
  esac
done

command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || exit 0
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
((${#missing[@]})) || exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
