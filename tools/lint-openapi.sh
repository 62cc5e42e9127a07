#!/usr/bin/env bash
# Checks schemas/openapi.json with a real OpenAPI 3.1 validator from npm (Redocly CLI, pinned so
# that CI is reproducible). Fetched by npx on first use into npm's cache; tools/setup.sh installs
# node and npm when they are missing. Exit status non-zero on any error.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec npx --yes @redocly/cli@1.34.5 lint --format=stylish "$here/schemas/openapi.json"
