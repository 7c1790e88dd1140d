#!/usr/bin/env bash
# Set-up command (README "Set-up"): everything the tests and the demo need, on a fresh clone with
# Node 20 or 22 on PATH. Idempotent and quick on a second run: dependency installs are skipped when
# their lockfile (and the Node version) did not change since the last install.
#
#   bash scripts/setup.sh              deps, build, pinned sf CLI, link check
#   bash scripts/setup.sh --no-build   deps and sf CLI only (scripts/test.sh builds in its own stage)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/node22.sh
. scripts/node22.sh
# shellcheck source=scripts/sf-env.sh
. scripts/sf-env.sh
export npm_config_fund=false npm_config_audit=false

step() { printf '\n==> %s\n' "$*"; }
# Stamp = lockfile hash + Node major: a changed lockfile or a different Node re-installs.
stamp_of() { node -e 'const c=require("node:crypto"),f=require("node:fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).digest("hex")+" node"+process.versions.node.split(".")[0]+"\n")' "$1"; }
up_to_date() { [ -f "$2" ] && [ "$(cat "$2")" = "$(stamp_of "$1")" ]; }

step "Node $(node --version), npm $(npm --version)"

deps_stamp=node_modules/.setup-stamp
if up_to_date package-lock.json "$deps_stamp"; then
  step "dependencies: up to date (package-lock.json unchanged)"
else
  step "dependencies: npm ci"
  npm ci --engine-strict --loglevel=error
  stamp_of package-lock.json > "$deps_stamp"
fi

cli_dir=test/e2e/cli
cli_stamp=$cli_dir/node_modules/.setup-stamp
if up_to_date "$cli_dir/package-lock.json" "$cli_stamp" && [ -x "$SF_BIN" ]; then
  step "sf CLI for end-to-end tests: up to date ($cli_dir/package-lock.json unchanged)"
else
  step "sf CLI for end-to-end tests: npm ci --prefix $cli_dir (pinned @salesforce/cli, ~300 MB once)"
  npm ci --prefix "$cli_dir" --loglevel=error
  stamp_of "$cli_dir/package-lock.json" > "$cli_stamp"
fi

[ "$build" = 1 ] || { step "set-up done (build skipped)"; exit 0; }

step "build: tsc + oclif manifest"
npm run --silent build

# Link check in an isolated sf home (tmp/ is gitignored): the pinned sf must list the built plugin.
step "link the plugin into the pinned sf (isolated: tmp/sf-home, tmp/sf-data)"
export HOME="$ROOT/tmp/sf-home" SF_DATA_DIR="$ROOT/tmp/sf-data"
mkdir -p "$HOME" "$SF_DATA_DIR"
"$SF_BIN" plugins link "$ROOT" --no-install >/dev/null 2>&1 || "$SF_BIN" plugins link "$ROOT" --no-install
plugins="$(NO_COLOR=1 "$SF_BIN" plugins 2>&1)"
if ! grep -q "^sf-plugin-integration .*(link)" <<<"$plugins"; then
  echo "setup.sh: the pinned sf does not list the linked plugin:" >&2
  echo "$plugins" >&2
  exit 1
fi
echo "$("$SF_BIN" --version)"
grep "^sf-plugin-integration" <<<"$plugins"

step "set-up done. Next: bash scripts/test.sh (tests) or npm run demo (the plugin against a simulated org)"
