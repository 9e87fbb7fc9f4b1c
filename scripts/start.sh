#!/usr/bin/env bash
# The main job (`npm start`): installs what is missing, starts the stand-ins,
# synthesizes the dev stage, recreates it on the stand-ins from the template and
# runs the end-to-end scenario. The stand-ins stay up afterwards for manual use;
# `npm stop` (or Ctrl-C while it runs) shuts them down.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

[ -x node_modules/.bin/cdk ] || npm ci --no-audit --no-fund
trap 'echo; echo "interrupted: stopping the stand-ins"; bash scripts/standins.sh stop; exit 130' INT TERM
bash scripts/standins.sh start
eval "$(bash scripts/standins.sh env)"

echo "synthesizing stage dev"
npx cdk synth -q -c stage=dev -o cdk.out/dev >/dev/null
npx tsx local/scenario.ts --assembly cdk.out/dev "$@"
trap - INT TERM

cat <<EOF2

The stand-ins are still running, so you can try the CLI by hand:
  eval "\$(bash scripts/standins.sh env)"
  bin/logvault --help
$(bash scripts/standins.sh status | sed 's/^/  /')
Stop them with: npm stop
EOF2
