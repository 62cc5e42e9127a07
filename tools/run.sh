#!/usr/bin/env bash
# The newcomer's command: installs what is missing, builds, and starts subsidyd on the embedded
# SQLite database (./data/subsidy.db) with the Hubin 2019 ruleset (rules/), the in-system example
# amendment that switches the registry and class filing checks on from 2020-01-01
# (rules/examples/hubin-2020-in-system.ruleset.json), and the demo catalogue
# (examples/catalogue.json, logged as catalogue records on the first start).
#
# On the first start it creates a clerk, an institution, an auditor and an admin token with
# subsidy-admin and keeps them in ./data/demo-tokens.env (mode 0600; only their hashes are in the
# database), so that every start prints the same tokens. Then, as a bureau would, it imports the
# real-name registry's export (examples/persons.csv, with the admin token) and files the demo's
# class (examples/classes.jsonl, with the institution's token) through a subsidyd of its own on a
# free loopback port, before the server starts for good. Extra arguments go to subsidyd (see
# subsidyd --help).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
"$here/tools/build.sh"
cd "$here"
bin=${BUILD_DIR:-$here/build}/tools
database=sqlite://./data/subsidy.db
tokens=data/demo-tokens.env
loaded=data/demo-loaded
rules=(--rules rules --rules rules/examples/hubin-2020-in-system.ruleset.json)
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
      echo "ADMIN_TOKEN=$(new_token admin --label demo-admin)"
    } >"$tokens.new"
    mv "$tokens.new" "$tokens"
  )
fi
if ! grep -q '^ADMIN_TOKEN=' "$tokens"; then  # a data/ directory from before the admin token
  (umask 077; echo "ADMIN_TOKEN=$(new_token admin --label demo-admin)" >>"$tokens")
fi

# The registry and the class filing, once: both are logged records, and sending them again would
# only be answered with the first answer.
if [ ! -e "$loaded" ]; then
  log=data/demo-load.log
  "$bin/subsidyd" --database "$database" --catalogue examples/catalogue.json "${rules[@]}" --port 0 >"$log" 2>&1 &
  loader=$!
  trap 'kill -TERM "$loader" 2>/dev/null || true' EXIT  # never left running if a step fails
  url=
  for _ in $(seq 1 100); do  # up to 10 s for its "listening on" line
    url=$(sed -n 's/^subsidyd: listening on \(http:[^ ]*\).*/\1/p' "$log")
    if [ -n "$url" ] || ! kill -0 "$loader" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$url" ]; then
    cat "$log" >&2
    echo "run.sh: subsidyd did not start to load the demo registry and classes" >&2
    exit 1
  fi
  # shellcheck disable=SC1090
  source "$tokens"
  echo "Loading the demo's real-name registry and class filing (once):"
  SUBSIDY_TOKEN=$ADMIN_TOKEN "$bin/subsidy-admin" registry import examples/persons.csv --server "$url"
  SUBSIDY_TOKEN=$INSTITUTION_TOKEN "$bin/subsidy-admin" classes file examples/classes.jsonl --server "$url"
  kill -TERM "$loader"
  wait "$loader" || true
  trap - EXIT
  touch "$loaded"
fi
echo "Demo tokens (clerk; institution 52411202MA44D0004E; auditor; admin), kept in $tokens:"
sed 's/^/  /' "$tokens"
echo "In another terminal: source $tokens, then try the README's curl calls."
exec "$bin/subsidyd" --database "$database" --catalogue examples/catalogue.json "${rules[@]}" "$@"
