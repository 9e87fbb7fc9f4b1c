# Sourced by scripts/standins.sh and scripts/trino.sh: where each local
# stand-in listens, and how its pid file is checked and stopped. Every
# worktree picks its own ports through these variables, so parallel
# checkouts never share a moto or a Trino.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="$root/.run"
moto_port="${LOGVAULT_MOTO_PORT:-4566}"
moto_url="http://127.0.0.1:${moto_port}"
s3_batch_port="${LOGVAULT_S3_BATCH_PORT:-18082}"
s3_batch_url="http://127.0.0.1:${s3_batch_port}"
trino_port="${LOGVAULT_TRINO_PORT:-18080}"
trino_url="http://127.0.0.1:${trino_port}"
# Trino reaches Glue through local/trino/glue_statistics_shim.py (moto lacks
# the column-statistics actions Trino calls after every write).
glue_shim_port="${LOGVAULT_GLUE_SHIM_PORT:-18081}"
glue_shim_url="http://127.0.0.1:${glue_shim_port}"

# How long a stand-in may take to answer after its start: node and Python
# start in about a second on an idle machine, but minutes when CI shares the
# cores with synth, lint and other jobs (20 s was once too short for the TSA).
start_wait_seconds="${LOGVAULT_STANDIN_START_SECONDS:-300}"

alive() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

# Waits up to 10 s: Trino takes a few seconds to shut down.
stop_one() {
  if alive "$1"; then
    kill "$(cat "$run/$1.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$1" || break; sleep 0.1; done
    echo "$1 stopped" >&2
  fi
  rm -f "$run/$1.pid"
}
