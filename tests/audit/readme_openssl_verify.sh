#!/usr/bin/env bash
# The README's "check a head with the stock openssl command line" block, run as written against a
# real subsidyd: a log of ALGORITHMS (sha256+ed25519 or sm3+sm2) with the demo catalogue, whose
# first start signs a head. Passes iff openssl prints "Signature Verified Successfully", and a
# head with one changed member then fails the same commands.
#   readme_openssl_verify.sh SUBSIDYD SUBSIDY_ADMIN SOURCE_DIR ALGORITHMS
set -euo pipefail
subsidyd=$1 admin=$2 root=$3 algorithms=$4
hash_alg=${algorithms%+*} sig_alg=${algorithms#*+}

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The README block between its markers.
block=$(sed -n '/<!-- openssl-verify:begin -->/,/<!-- openssl-verify:end -->/p' "$root/README.md" | sed '/^<!--/d; /^```/d')
[ -n "$block" ] || { echo "FAIL: no openssl-verify block in README.md"; exit 1; }

db="sqlite://$work/subsidy.db"
token=$("$admin" --database "$db" tokens create --role auditor | sed -n 's/^token *//p')
"$subsidyd" --port 0 --database "$db" --rules "$root/rules" --key-file "$work/signing.key" \
  --catalogue "$root/examples/catalogue.json" --openapi-file "$root/schemas/openapi.json" \
  --hash-alg "$hash_alg" --sig-alg "$sig_alg" >"$work/server.out" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^subsidyd: listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out"; echo "FAIL: subsidyd exited"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.out"; echo "FAIL: subsidyd did not listen"; exit 1; }

# The block's common lines, then the verify line of this algorithm (the other one is for the other).
run_block() {
  local dir=$1
  (
    cd "$dir"
    export api="http://127.0.0.1:$port" AUDITOR_TOKEN="$token"
    while IFS= read -r line; do
      case "$line" in
        openssl\ pkeyutl\ -verify*-digest\ sm3*) [ "$sig_alg" = sm2 ] && eval "$line" ;;
        openssl\ pkeyutl\ -verify*) [ "$sig_alg" = ed25519 ] && eval "$line" ;;
        *) eval "$line" ;;
      esac
    done <<<"$block"
  )
}

mkdir "$work/good"
out=$(run_block "$work/good" 2>&1) || true
echo "$out"
grep -q '"sig_alg":"'"$sig_alg"'"' "$work/good/head.json" || { echo "FAIL: the head is not $sig_alg"; exit 1; }
grep -q '"hash_alg":"'"$hash_alg"'"' "$work/good/head.json" || { echo "FAIL: the head is not $hash_alg"; exit 1; }
[ "$(echo "$out" | grep -c '^Signature Verified Successfully$')" = 1 ] || { echo "FAIL: not verified"; exit 1; }

# Tampering with a signed member (seq) must make the same commands fail: serve the changed head
# through a stand-in curl that prints it.
mkdir "$work/bad" "$work/bin"
sed 's/"seq":\([0-9]*\)/"seq":1\1/' "$work/good/head.json" >"$work/bad-head.json"
printf '#!/bin/sh\ncat %s\n' "$work/bad-head.json" >"$work/bin/curl"
chmod +x "$work/bin/curl"
bad=$(PATH="$work/bin:$PATH" run_block "$work/bad" 2>&1) || true
echo "$bad"
if echo "$bad" | grep -q '^Signature Verified Successfully$'; then echo "FAIL: a changed head verified"; exit 1; fi
echo "$bad" | grep -q 'Signature Verification Failure' || { echo "FAIL: no verification failure reported"; exit 1; }
echo "README openssl commands: $algorithms head verified, changed head refused"
