#!/usr/bin/env bash
# The newcomer's command: installs what is missing, builds, and decides the demo claims against
# the Hubin 2019 ruleset with the demo catalogue, printing each decision with its reasons.
# (Until the HTTP server exists this runs the decision CLI; see README.md.)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
"$here/tools/build.sh"
cd "$here"
exec "${BUILD_DIR:-$here/build}/tools/subsidy-decide" --rules rules --catalogue examples/catalogue.json "${@:-examples/claims.jsonl}"
