#!/usr/bin/env bash
# `npm run demo`: the plugin working in the real sf with no Salesforce org. Starts the org simulator with the
# demo org, logs the pinned sf in to it (throw-away HOME, so your own sf set-up is untouched), runs the
# plugin's read-only commands against it, then stops the simulator.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Same steps as the set-up (each is skipped when already done).
echo "demo: checking the set-up (installs and build; quick when done)..."
if ! setup_log="$(bash scripts/setup.sh 2>&1)"; then
  printf '%s\n' "$setup_log" | tail -n 30 >&2
  echo "demo: the set-up failed (above); fix it and run npm run demo again" >&2
  exit 1
fi

# shellcheck source=scripts/node22.sh
. scripts/node22.sh
# shellcheck source=scripts/sf-env.sh
. scripts/sf-env.sh

DEMO_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sf-integration-demo.XXXXXX")"
SIM_PID=""
cleanup() {
  [ -z "$SIM_PID" ] || kill "$SIM_PID" 2>/dev/null || true
  [ -z "$SIM_PID" ] || wait "$SIM_PID" 2>/dev/null || true
  rm -rf "$DEMO_DIR"
}
trap cleanup EXIT
# The link made by the set-up lives in tmp/sf-data; sf's config, auth files and logs go to the throw-away HOME.
export HOME="$DEMO_DIR/home" SF_DATA_DIR="$ROOT/tmp/sf-data"
mkdir -p "$HOME"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

say "1. Start the org simulator with the demo org (a loopback server that answers like a Salesforce org)"
node --import tsx test/simulator/cli.ts --fixture demo >"$DEMO_DIR/sim.out" 2>"$DEMO_DIR/sim.err" &
SIM_PID=$!
banner=""
for _ in $(seq 1 300); do # up to 30 s for its one JSON line
  banner="$(head -n 1 "$DEMO_DIR/sim.out")"
  [ -z "$banner" ] || break
  kill -0 "$SIM_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$banner" ] || { echo "demo: the simulator did not start:" >&2; cat "$DEMO_DIR/sim.err" >&2; exit 1; }
url="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).url)' "$banner")"
token="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).accessToken)' "$banner")"
echo "simulated org at $url"

say "2. Log the real sf ($("$SF_BIN" --version | cut -d' ' -f1)) in to it with an access token, alias 'sim'"
echo '$ SF_ACCESS_TOKEN=*** sf org login access-token --instance-url '"$url"' --alias sim --no-prompt'
SF_ACCESS_TOKEN="$token" "$SF_BIN" org login access-token --instance-url "$url" --alias sim --no-prompt 2>/dev/null
unset token

sf() { "$SF_BIN" "$@"; }
say "3. List the org's integration users"
show sf integration user list -o sim

# Commands that other parts of the plugin add; each runs once it exists in this build.
if "$SF_BIN" integration audit --help >/dev/null 2>&1; then
  say "4. Audit them against the rule catalogue (exit code 1 = findings at or above the threshold)"
  show sf integration audit -o sim || echo "(exit code $?: the demo org is built to have findings)"
fi

say "Done. To use the plugin with your own org:"
cat <<TXT
  # log in to a sandbox or production org (or: sf org login jwt ...)
  sf org login web -a my-org
  # add this plugin to your own sf (after bash scripts/setup.sh)
  sf plugins link $ROOT
  # list that org's integration users
  sf integration user list -o my-org
  # audit them (exit code 1 when a finding reaches --severity-threshold)
  sf integration audit -o my-org
TXT
