#!/usr/bin/env bash
# Local AWS stand-ins: installs (once) and starts/stops moto in server mode on
# loopback, the S3 Batch Operations stand-in (local/s3-batch, which moto lacks),
# Trino (scripts/trino.sh) as the stand-in for Athena, and the RFC 3161 TSA
# (scripts/tsa.sh, port LOGVAULT_TSA_PORT, default 18083) that anchors the digest chain. Idempotent: `start` on a running stand-in only reports it.
#   bash scripts/standins.sh start|stop|status|env|tools
set -euo pipefail
source "$(dirname "$0")/standin-common.sh"
venv="$root/.venv"
moto_version="5.2.1"
cfn_lint_version="1.51.0"
mkdir -p "$run"

# moto and cfn-lint live in one venv per version pair, built once per machine
# under ~/.cache/logvault: a clean clone links .venv to it instead of
# reinstalling both on every run.
tools_cache="${LOGVAULT_TOOLS_CACHE:-$HOME/.cache/logvault}"
python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
shared_venv="$tools_cache/venv-py$python_version-moto-$moto_version-cfn-lint-$cfn_lint_version"

venv_has_pinned_tools() {
  [ -x "$1/bin/moto_server" ] &&
    "$1/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null &&
    "$1/bin/cfn-lint" --version 2>/dev/null | grep -q "$cfn_lint_version"
}

# Built in place under a lock (flock), so parallel clones wait for one install
# instead of racing; .complete marks a finished one, an interrupted one is redone.
build_shared_venv() {
  mkdir -p "$tools_cache"
  (
    flock 9
    if [ -f "$shared_venv/.complete" ]; then exit 0; fi
    echo "installing moto[server]==$moto_version and cfn-lint==$cfn_lint_version into $shared_venv (once per machine)" >&2
    rm -rf "$shared_venv"
    python3 -m venv "$shared_venv"
    "$shared_venv/bin/pip" install --quiet "moto[server]==$moto_version" "cfn-lint==$cfn_lint_version" >&2
    touch "$shared_venv/.complete"
  ) 9>"$shared_venv.lock"
}

# A .venv directory of the old layout (installed in the worktree) is completed
# in place rather than replaced: a moto running from it keeps its files.
ensure_tools() {
  if [ -d "$venv" ] && [ ! -L "$venv" ]; then
    venv_has_pinned_tools "$venv" && return
    echo "installing moto[server]==$moto_version and cfn-lint==$cfn_lint_version into .venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "moto[server]==$moto_version" "cfn-lint==$cfn_lint_version" >&2
    return
  fi
  [ -f "$shared_venv/.complete" ] || build_shared_venv
  [ "$(readlink "$venv" 2>/dev/null)" = "$shared_venv" ] || ln -sfn "$shared_venv" "$venv"
}

start_moto() {
  if alive moto; then echo "moto already running at $moto_url" >&2; return; fi
  ensure_tools
  nohup "$venv/bin/python" "$root/local/moto/standin_server.py" -H 127.0.0.1 -p "$moto_port" >"$run/moto.log" 2>&1 &
  echo $! >"$run/moto.pid"
  local deadline=$((SECONDS + start_wait_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
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
  local deadline=$((SECONDS + start_wait_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
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
  start) start_moto; start_s3_batch; bash "$root/scripts/trino.sh" start; bash "$root/scripts/tsa.sh" start ;;
  tools) ensure_tools ;;
  stop) bash "$root/scripts/tsa.sh" stop; bash "$root/scripts/trino.sh" stop; stop_one s3-batch; stop_one moto ;;
  stop-s3-batch) stop_one s3-batch ;;
  status)
    alive moto && echo "moto: running at $moto_url" || echo "moto: stopped"
    alive s3-batch && echo "s3-batch: running at $s3_batch_url" || echo "s3-batch: stopped"
    bash "$root/scripts/trino.sh" status
    bash "$root/scripts/tsa.sh" status
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
    bash "$root/scripts/tsa.sh" env
    ;;
  *) echo "usage: $0 start|stop|stop-s3-batch|status|env|tools" >&2; exit 2 ;;
esac
