#!/usr/bin/env bash
# Local AWS stand-ins: installs (once) and starts/stops moto in server mode on
# loopback, the S3 Batch Operations stand-in (local/s3-batch, which moto lacks)
# and Trino (scripts/trino.sh) as the stand-in for Athena. Idempotent: `start` on a running stand-in only reports it.
#   bash scripts/standins.sh start|stop|status|env|tools
set -euo pipefail
source "$(dirname "$0")/standin-common.sh"
venv="$root/.venv"
moto_version="5.2.1"
cfn_lint_version="1.51.0"
mkdir -p "$run"

ensure_moto() {
  if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null; then
    return
  fi
  echo "installing moto[server]==$moto_version into .venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "moto[server]==$moto_version" >&2
}

ensure_tools() {
  ensure_moto
  if ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$cfn_lint_version"; then
    echo "installing cfn-lint==$cfn_lint_version into .venv" >&2
    "$venv/bin/pip" install --quiet "cfn-lint==$cfn_lint_version" >&2
  fi
}

start_moto() {
  if alive moto; then echo "moto already running at $moto_url" >&2; return; fi
  ensure_moto
  nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$run/moto.log" 2>&1 &
  echo $! >"$run/moto.pid"
  for _ in $(seq 1 100); do
    if curl -sf "$moto_url/moto-api/" >/dev/null 2>&1; then echo "moto running at $moto_url" >&2; return; fi
    sleep 0.2
  done
  echo "moto did not start; see $run/moto.log" >&2
  tail -20 "$run/moto.log" >&2
  exit 1
}

# S3 Control's job API over moto's S3. Jobs live in its memory: a restart forgets them.
start_s3_batch() {
  if alive s3-batch; then echo "s3-batch already running at $s3_batch_url" >&2; return; fi
  # tsx by absolute path, as bin/logvault loads it, so this works from any directory.
  AWS_ENDPOINT_URL="$moto_url" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_REGION=us-east-1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    nohup node --import "$root/node_modules/tsx/dist/loader.mjs" "$root/local/s3-batch/main.ts" \
    --host 127.0.0.1 --port "$s3_batch_port" >"$run/s3-batch.log" 2>&1 &
  echo $! >"$run/s3-batch.pid"
  # Ready once ListJobs answers (an empty list for an account with no jobs).
  for _ in $(seq 1 100); do
    if curl -sf -H 'x-amz-account-id: 000000000000' "$s3_batch_url/v20180820/jobs" >/dev/null 2>&1; then
      echo "s3-batch running at $s3_batch_url" >&2; return
    fi
    alive s3-batch || break
    sleep 0.2
  done
  echo "s3-batch did not start; see $run/s3-batch.log" >&2
  tail -20 "$run/s3-batch.log" >&2
  exit 1
}

case "${1:-}" in
  # Trino (Athena's engine) and s3-batch use moto's S3, so they start after moto and stop first.
  start) start_moto; start_s3_batch; bash "$root/scripts/trino.sh" start ;;
  tools) ensure_tools ;;
  stop) bash "$root/scripts/trino.sh" stop; stop_one s3-batch; stop_one moto ;;
  stop-s3-batch) stop_one s3-batch ;;
  status)
    alive moto && echo "moto: running at $moto_url" || echo "moto: stopped"
    alive s3-batch && echo "s3-batch: running at $s3_batch_url" || echo "s3-batch: stopped"
    bash "$root/scripts/trino.sh" status
    ;;
  env)
    cat <<ENV
export AWS_ENDPOINT_URL=$moto_url
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export TRINO_URL=$trino_url
export LOGVAULT_S3_CONTROL_ENDPOINT=$s3_batch_url
ENV
    ;;
  *) echo "usage: $0 start|stop|stop-s3-batch|status|env|tools" >&2; exit 2 ;;
esac
