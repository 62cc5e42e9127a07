#!/usr/bin/env bash
# Installs every Debian 12 package that subsidy-engine needs to build, test and run, and brings
# those already installed up to the versions a fresh machine gets today (an older libssl once
# hid an SM2 failure that every new machine saw). Safe to run again. Uses sudo when not run as
# root. Offline (the package index cannot be updated) with everything installed, it warns and
# goes on with what the machine has.
set -euo pipefail

packages=(
  g++ cmake make ninja-build pkg-config
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libsqlite3-dev sqlite3
  libsoci-dev libpq-dev postgresql
  doctest-dev libvalijson-dev libzstd-dev zstd
  curl jq
)
# The OpenAPI check (tools/lint-openapi.sh) runs a validator from npm. A machine that already has
# node (from Debian or NodeSource) keeps it; otherwise Debian's nodejs and npm are installed.
if ! command -v npx >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

if [ ${#missing[@]} -eq 0 ]; then
  if ! $sudo apt-get update -qq >/dev/null 2>&1; then
    echo "setup: all ${#packages[@]} packages installed; the package index cannot be updated (offline?): not upgrading"
    exit 0
  fi
  upgradable=$(apt-get install --dry-run --no-install-recommends "${packages[@]}" 2>/dev/null | grep -c '^Inst ' || true)
  if [ "$upgradable" -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages installed and current"
    exit 0
  fi
  echo "setup: upgrading $upgradable package(s) to today's Debian 12 versions"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
  exit 0
fi

echo "setup: installing ${missing[*]}"
$sudo apt-get update -q
# Every package, not only the missing ones: those already there are brought up to date too.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
