#!/usr/bin/env bash
# Installs every Debian 12 package that subsidy-engine needs to build, test and run.
# Safe to run again: it installs only what is missing. Uses sudo when not run as root.
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

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
