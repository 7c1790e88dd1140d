#!/usr/bin/env bash
# Test command (README "Test"; also `npm test`): every check, in order, failing fast with the stage's name,
# then a timing summary. Runs the set-up's install steps first when they are missing (quick otherwise).
#
#   bash scripts/test.sh                 all stages
#   TEST_STAGES="unit e2e" bash scripts/test.sh   only the named stages (set-up and compile always run)
#   TEST_KEEP_GOING=1 bash scripts/test.sh        run every stage even after a failure (exit 1 if any failed)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=scripts/node22.sh
. scripts/node22.sh
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
  OCLIF_SKIP_NEW_VERSION_CHECK=true FORCE_COLOR="${FORCE_COLOR:-0}"

failed=0
names=()
seconds=()
results=()
summary() {
  printf '\n==> test summary (Node %s)\n' "$(node --version)"
  local i total=0
  for i in "${!names[@]}"; do
    printf '  %-46s %6ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
    total=$((total + seconds[i]))
  done
  printf '  %-46s %6ss\n' "total" "$total"
}
trap summary EXIT

wanted() { [ -z "${TEST_STAGES:-}" ] || [[ " $TEST_STAGES " == *" $1 "* ]]; }

# stage <key> <title> <command...>: runs one stage, records its time, stops the run when it fails.
stage() {
  local key="$1" title="$2"
  shift 2
  if ! wanted "$key"; then return 0; fi
  printf '\n==> [%s] %s\n' "$key" "$title"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  names+=("$key: $title")
  seconds+=($((SECONDS - start)))
  if [ "$rc" -ne 0 ]; then
    results+=("FAILED (exit $rc)")
    printf '\n==> stage "%s" (%s) FAILED with exit code %s\n' "$key" "$title" "$rc" >&2
    failed=1
    # set-up and compile failures make every later stage meaningless
    if [ -z "${TEST_KEEP_GOING:-}" ] || [ "$key" = setup ] || [ "$key" = compile ]; then exit "$rc"; fi
    return 0
  fi
  results+=("ok")
}

TEST_STAGES_ALWAYS="setup compile"
[ -z "${TEST_STAGES:-}" ] || TEST_STAGES="$TEST_STAGES_ALWAYS $TEST_STAGES"

stage setup "install steps of the set-up" bash scripts/setup.sh --no-build
stage compile "build: tsc + oclif manifest" npm run --silent build
stage layers "layers point down, no import cycles (.eslintrc.layers.cjs)" npm run --silent lint:layers
stage clones "no copied block in src/ (jscpd, .jscpd.json)" npm run --silent clones
stage lint "eslint src test" npm run --silent lint
stage typecheck "tsc -p test --noEmit" npm run --silent test:compile
stage unit "unit, simulator, integration tests" npm run --silent test:unit
stage schemas "schemas/ match the result types" npm run --silent schema:compare
stage snapshot "command-snapshot.json matches" npm run --silent snapshot:compare
stage readme "README command reference" npm run --silent readme:check
stage e2e "end-to-end: real sf + simulator" npm run --silent test:e2e
stage nuts "NUTs (real org; skip unless TESTKIT_*)" npm run --silent test:nuts
[ "$failed" = 0 ] || exit 1
