#!/usr/bin/env bash
# The test command (`npm test`): lint and type-check, synthesize every stage
# (cdk-nag fails the synth on any unacknowledged finding), validate the
# templates with cfn-lint, then run jest against the local stand-ins and
# the end-to-end scenario of the main job. Ends with a table of each step's
# wall time (scripts/step-timing.sh).
#
# Independent steps run side by side, so both cores stay busy: lint,
# type-check, the synth of every stage (assemblies and the test-synth cache
# in one process) and the stand-ins' start begin together; jest starts once
# the stand-ins and the synth are done; cfn-lint runs beside the scenario.
# Lint and type-check (about 95 s of CPU) run at the lowest priority, so they
# take only the CPU the others leave: jest's waits, its last files and the
# scenario, which keep a core about half idle. Every step runs to the end and
# the run fails if any failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
source scripts/step-timing.sh

# One process synthesizes every stage into cdk.out/<stage> as `cdk synth`
# does (cdk-nag fails it on any finding) and fills jest's synth cache.
synth_every_stage() {
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_PROFILE \
    npx tsx test/support/synth-every-stage.ts --assemblies cdk.out
}

cfn_lint() {
  bash scripts/standins.sh tools
  .venv/bin/cfn-lint cdk.out/*/*.template.json
  echo "cfn-lint: no findings"
}

# Stop afterwards only what this run started; a developer's stand-ins stay up.
status_before=$(bash scripts/standins.sh status)
moto_started_here=false
trino_started_here=false
s3_batch_started_here=false
tsa_started_here=false
grep -q 'tsa: stopped' <<<"$status_before" && tsa_started_here=true
grep -q 'moto: stopped' <<<"$status_before" && moto_started_here=true
grep -q 'trino: stopped' <<<"$status_before" && trino_started_here=true
grep -q 's3-batch: stopped' <<<"$status_before" && s3_batch_started_here=true
cleanup() {
  wait || true
  if [ "$moto_started_here" = true ]; then
    bash scripts/standins.sh stop
  else
    if [ "$trino_started_here" = true ]; then bash scripts/trino.sh stop; fi
    if [ "$s3_batch_started_here" = true ]; then bash scripts/standins.sh stop-s3-batch; fi
    if [ "$tsa_started_here" = true ]; then bash scripts/tsa.sh stop; fi
  fi
  timing_table
}
trap cleanup EXIT

rm -f .run/jest-results.json .run/scenario-facts.json
failed=()
collect() { step_wait "$1" || failed+=("$1"); }

heading "started side by side: stand-ins, lint, type-check, synth of every stage and the test-synth cache"
step_bg stand-ins bash scripts/standins.sh start
step_bg lint nice -n 19 npm run --silent lint
step_bg type-check nice -n 19 npm run --silent build
step_bg synth synth_every_stage

collect stand-ins
collect synth
if [ ${#failed[@]} -gt 0 ]; then
  echo "not running jest or the scenario: ${failed[*]} failed" >&2
  exit 1
fi
eval "$(bash scripts/standins.sh env)"

# Two workers, one per core: every file that loads a stage onto moto does it
# in an account of its own or under a stage name of its own, so two files never
# share an alias, role or table (test/architecture/standin-isolation.test.ts).
# LOGVAULT_JEST_WORKERS=1 runs one file at a time.
heading "jest (lint and type-check beside it, at the lowest priority)"
jest_status=0
step jest npx jest --ci --maxWorkers="${LOGVAULT_JEST_WORKERS:-2}" \
  --json --outputFile=.run/jest-results.json "$@" || jest_status=$?
[ "$jest_status" -eq 0 ] || failed+=(jest)

# The main job's scenario doubles as the end-to-end test. It resets moto, so it
# runs after jest, never beside it. Each of its checks counts as one test.
# A failed synth stopped the run above, so the assembly both read is there.
scenario_status=0
step_bg cfn-lint cfn_lint
heading "end-to-end scenario (npm start's job, smaller traffic; cfn-lint beside it)"
step scenario npx tsx local/scenario.ts --assembly cdk.out/dev --stage dev \
  --lines "${LOGVAULT_E2E_LINES:-40000}" --facts .run/scenario-facts.json || scenario_status=$?
[ "$scenario_status" -eq 0 ] || failed+=(scenario)
collect cfn-lint
collect lint
collect type-check

heading "summary"
node -e '
  let r = { numPassedTests: 0, numFailedTests: 1 };
  try { r = require("./.run/jest-results.json"); } catch {}
  let facts = {};
  try { facts = require("./.run/scenario-facts.json"); } catch {}
  const scenarioFailed = Number(process.argv[1]) === 0 ? 0 : 1;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  console.log(`scenario: ${facts.checks ?? 0} passed, ${scenarioFailed} failed`);
  console.log(`tests: ${r.numPassedTests + (facts.checks ?? 0)} passed, ${r.numFailedTests + scenarioFailed} failed`);
' "$scenario_status"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed steps: ${failed[*]}" >&2
  exit 1
fi
