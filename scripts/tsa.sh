#!/usr/bin/env bash
# The local RFC 3161 time-stamping authority (local/tsa): `openssl ts -reply`
# behind a small HTTP server, the stand-in for the public TSAs that anchor the
# digest chain. Its CA and TSA certificates are made by openssl on first start
# in .run/tsa/ (never committed) and kept across restarts, so earlier tokens
# still verify; .run/tsa/trust/ is its entry in the format of trust/tsa/.
# Idempotent: `start` on a running TSA only reports it.
#   bash scripts/tsa.sh start|stop|status|env
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="$root/.run"
dir="$run/tsa"
port="${LOGVAULT_TSA_PORT:-18083}"
url="http://127.0.0.1:${port}/"
mkdir -p "$run"
# As long as the other stand-ins may take (scripts/standin-common.sh).
start_wait_seconds="${LOGVAULT_STANDIN_START_SECONDS:-300}"

alive() { [ -f "$run/tsa.pid" ] && kill -0 "$(cat "$run/tsa.pid")" 2>/dev/null; }

# An empty query is answered with an RFC 3161 rejection: proof that openssl is wired up.
ready() {
  [ -f "$dir/trust/tsas.json" ] &&
    curl -sf -X POST -H 'Content-Type: application/timestamp-query' --data-binary '' "$url" -o /dev/null
}

start() {
  if alive; then echo "tsa already running at $url" >&2; return; fi
  command -v openssl >/dev/null || { echo "tsa needs openssl on PATH" >&2; exit 1; }
  # tsx by absolute path, as standins.sh starts s3-batch, so this works from any directory.
  nohup node --import "$root/node_modules/tsx/dist/loader.mjs" "$root/local/tsa/main.ts" \
    --dir "$dir" --host 127.0.0.1 --port "$port" >"$run/tsa.log" 2>&1 &
  echo $! >"$run/tsa.pid"
  local deadline=$((SECONDS + start_wait_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ready; then echo "tsa running at $url (trust: $dir/trust)" >&2; return; fi
    alive || break
    sleep 0.2
  done
  echo "tsa did not start; see $run/tsa.log" >&2
  tail -20 "$run/tsa.log" >&2
  exit 1
}

stop() {
  if alive; then
    kill "$(cat "$run/tsa.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do alive || break; sleep 0.1; done
    echo "tsa stopped" >&2
  fi
  rm -f "$run/tsa.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) alive && echo "tsa: running at $url" || echo "tsa: stopped" ;;
  env)
    cat <<ENV
export LOGVAULT_TSA_URL=$url
export LOGVAULT_TSA_TRUST_DIR=$dir/trust
ENV
    ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
