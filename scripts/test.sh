#!/usr/bin/env bash
# The test command (`npm test`): lint and type-check, synthesize every stage
# (cdk-nag fails the synth on any unacknowledged finding), validate the
# templates with cfn-lint, then run jest against the local stand-ins.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

step() { printf '\n== %s\n' "$*"; }

step "lint and format check"
npm run --silent lint

step "type-check"
npm run --silent build

step "synthesize every stage offline"
for stage in $(npx tsx scripts/list-stages.ts); do
  start=$(date +%s)
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_PROFILE \
    npx cdk synth -q -c stage="$stage" -o "cdk.out/$stage" >/dev/null
  echo "stage $stage: synthesized in $(( $(date +%s) - start ))s, cdk-nag clean"
done

step "cfn-lint"
bash scripts/standins.sh tools
.venv/bin/cfn-lint cdk.out/*/*.template.json
echo "cfn-lint: no findings"

step "stand-ins"
started_here=false
if ! bash scripts/standins.sh status | grep -q running; then started_here=true; fi
bash scripts/standins.sh start
trap '[ "$started_here" = true ] && bash scripts/standins.sh stop' EXIT
eval "$(bash scripts/standins.sh env)"

step "jest"
mkdir -p .run
status=0
npx jest --ci --json --outputFile=.run/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.run/jest-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
'
exit $status
