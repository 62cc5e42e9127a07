#!/usr/bin/env bash
# The newcomer's command: installs what is missing, builds, and starts subsidyd on the embedded
# SQLite database (./data/subsidy.db) with the Hubin 2019 ruleset (rules/) and the demo
# catalogue (examples/catalogue.json, logged as catalogue records on the first start).
#
# On the first start it creates a clerk, an institution and an auditor token with subsidy-admin
# and keeps them in ./data/demo-tokens.env (mode 0600; only their hashes are in the database), so
# that every start prints the same tokens. Extra arguments go to subsidyd (see subsidyd --help).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
"$here/tools/build.sh"
cd "$here"
bin=${BUILD_DIR:-$here/build}/tools
database=sqlite://./data/subsidy.db
tokens=data/demo-tokens.env
mkdir -p data

new_token() {  # role, then subsidy-admin's options; prints the bearer token
  "$bin/subsidy-admin" --database "$database" tokens create --role "$@" | awk '$1 == "token" { print $2 }'
}
if [ ! -s "$tokens" ]; then
  (
    umask 077
    {
      echo "CLERK_TOKEN=$(new_token clerk --label demo-clerk)"
      echo "INSTITUTION_TOKEN=$(new_token institution --credit-code 52411202MA44D0004E --label demo-institution)"
      echo "AUDITOR_TOKEN=$(new_token auditor --label demo-auditor)"
    } >"$tokens.new"
    mv "$tokens.new" "$tokens"
  )
fi
echo "Demo tokens (clerk; institution 52411202MA44D0004E; auditor), kept in $tokens:"
sed 's/^/  /' "$tokens"
echo "In another terminal: source $tokens, then try the README's curl calls."
exec "$bin/subsidyd" --database "$database" --catalogue examples/catalogue.json "$@"
