#!/usr/bin/env bash
# The test command (`npm test`): lint and type-check, synthesize every stage
# (cdk-nag fails the synth on any unacknowledged finding), validate the
# templates with cfn-lint, then run jest against the local stand-ins and
# the end-to-end scenario of the main job. Ends with a table of each step's
# wall time (scripts/step-timing.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
source scripts/step-timing.sh

synth_stage() {
  local started
  started=$(date +%s)
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_PROFILE \
    npx cdk synth -q -c stage="$1" -o "cdk.out/$1" >/dev/null
  echo "stage $1: synthesized in $(($(date +%s) - started))s, cdk-nag clean"
}

cfn_lint() {
  bash scripts/standins.sh tools
  .venv/bin/cfn-lint cdk.out/*/*.template.json
  echo "cfn-lint: no findings"
}

moto_started_here=false
trino_started_here=false
s3_batch_started_here=false
cleanup() {
  if [ "$moto_started_here" = true ]; then
    bash scripts/standins.sh stop
  else
    if [ "$trino_started_here" = true ]; then bash scripts/trino.sh stop; fi
    if [ "$s3_batch_started_here" = true ]; then bash scripts/standins.sh stop-s3-batch; fi
  fi
  timing_table
}
trap cleanup EXIT

heading "lint and format check"
step lint npm run --silent lint

heading "type-check"
step type-check npm run --silent build

heading "synthesize every stage offline"
for stage in $(npx tsx scripts/list-stages.ts); do
  step "synth $stage" synth_stage "$stage"
done

heading "cfn-lint"
step cfn-lint cfn_lint

heading "stand-ins (moto, and Trino as the engine behind Athena)"
# Stop afterwards only what this run started; a developer's stand-ins stay up.
status_before=$(bash scripts/standins.sh status)
grep -q 'moto: stopped' <<<"$status_before" && moto_started_here=true
grep -q 'trino: stopped' <<<"$status_before" && trino_started_here=true
grep -q 's3-batch: stopped' <<<"$status_before" && s3_batch_started_here=true
step stand-ins bash scripts/standins.sh start
eval "$(bash scripts/standins.sh env)"

heading "jest"
status=0
step jest npx jest --ci --json --outputFile=.run/jest-results.json "$@" || status=$?

# The main job's scenario doubles as the end-to-end test. It resets moto, so it
# runs after jest, never beside it. Each of its checks counts as one test.
heading "end-to-end scenario (npm start's job, smaller traffic)"
scenario_status=0
step scenario npx tsx local/scenario.ts --assembly cdk.out/dev --stage dev \
  --lines "${LOGVAULT_E2E_LINES:-40000}" --facts .run/scenario-facts.json || scenario_status=$?

node -e '
  const r = require("./.run/jest-results.json");
  let facts = {};
  try { facts = require("./.run/scenario-facts.json"); } catch {}
  const scenarioFailed = Number(process.argv[1]) === 0 ? 0 : 1;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  console.log(`scenario: ${facts.checks ?? 0} passed, ${scenarioFailed} failed`);
  console.log(`tests: ${r.numPassedTests + (facts.checks ?? 0)} passed, ${r.numFailedTests + scenarioFailed} failed`);
' "$scenario_status"
[ "$status" -eq 0 ] && [ "$scenario_status" -eq 0 ]
