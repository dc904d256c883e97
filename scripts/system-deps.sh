#!/usr/bin/env bash
# Install the Debian packages the test suite uses, only those whose programs are missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-microhei)
# Calc: the audit workbook is converted to PDF by the tests, a real check that the file is sound.
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
{ command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || need+=(postgresql)
# Not `grep -q`: under pipefail its early exit fails fc-list with SIGPIPE, and the fonts were
# reinstalled (apt-get update and all) on every run.
fc-list 2>/dev/null | grep -i "noto sans cjk\|noto serif cjk" >/dev/null || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -i "wenquanyi\|wqy" >/dev/null || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    # Not root and no password-less sudo: say what is missing and how to install it, then stop.
    echo "xxgk: the tests need these Debian packages: ${need[*]}" >&2
    echo "xxgk: install them as root, then run make test again:" >&2
    echo "  apt-get install --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
