#!/usr/bin/env bash
# Trino, the engine behind Athena engine v3, as a local stand-in for Athena.
# Installs release 476 (the last one on Maven Central) once into a cache
# outside the work tree, and runs a single coordinator on loopback whose
# catalog `awsdatacatalog` reads moto's Glue and S3, so tables and views
# loaded from the synthesized templates resolve exactly as in Athena.
# Idempotent: `start` on a running Trino only reports it.
#   bash scripts/trino.sh install|start|stop|status
set -euo pipefail
source "$(dirname "$0")/standin-common.sh"
version="476"
cache="${LOGVAULT_TRINO_CACHE:-$HOME/.cache/logvault/trino}"
server="$cache/trino-server-$version"
# Trino 476 needs Java 24+; the machine's default Java stays untouched.
java_home="${LOGVAULT_TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
etc="$run/trino/etc"
data="$run/trino/data"

# Fetches through Maven so the machine's repository and mirror settings apply.
fetch() {
  mvn -q -B dependency:copy -Dartifact="$1" -DoutputDirectory="$cache/dl" >&2
}

install() {
  if [ -f "$server/.complete" ]; then return; fi
  echo "installing Trino $version into $cache (first run only)" >&2
  local started
  started=$(date +%s)
  mkdir -p "$cache/dl"
  fetch "io.trino:trino-server-core:$version:tar.gz"
  fetch "io.trino:trino-hive:$version:zip"
  rm -rf "$server" "$cache/unpack"
  mkdir -p "$cache/unpack"
  tar -xzf "$cache/dl/trino-server-core-$version.tar.gz" -C "$cache/unpack"
  unzip -q "$cache/dl/trino-hive-$version.zip" -d "$cache/unpack"
  mv "$cache/unpack/trino-hive-$version" "$cache/unpack/trino-server-core-$version/plugin/hive"
  mv "$cache/unpack/trino-server-core-$version" "$server"
  # Maven's local repository keeps the archives; the copies are not needed again.
  rm -rf "$cache/unpack" "$cache/dl"
  touch "$server/.complete"
  echo "Trino $version installed in $(($(date +%s) - started))s" >&2
}

write_config() {
  mkdir -p "$etc/catalog" "$data"
  cat >"$etc/node.properties" <<EOF
node.environment=logvault
node.id=logvault-local
node.data-dir=$data
node.bind-ip=127.0.0.1
node.internal-address=127.0.0.1
EOF
  # Small heap: the stand-in shares a 2-core machine with moto and jest.
  cat >"$etc/jvm.config" <<EOF
-server
-Xmx1G
-XX:+UseSerialGC
-XX:TieredStopAtLevel=1
-XX:+ExitOnOutOfMemoryError
-Djdk.attach.allowAttachSelf=true
EOF
  cat >"$etc/config.properties" <<EOF
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$trino_port
discovery.uri=$trino_url
query.max-memory=512MB
query.max-memory-per-node=512MB
# Finished tasks are kept 15 min by default, and the task manager's periodic
# sweep copies the full info (stats digests included) of every task it
# keeps; over a test run's hundreds of queries that cost grows with each one.
# The coordinator has read a task's final info long before a minute passes.
# Measured on the four Trino suites: 205 -> 173 s of Trino CPU.
task.info.max-age=1m
# A stand-in's queries read kilobytes to megabytes: one driver per task, no
# extra exchange to spread writers, and no access log of the coordinator's
# HTTP calls to itself (about 30 per query, 20 MB per test run).
# Measured on the two largest Trino suites: 6-12 % less Trino CPU.
task.concurrency=1
redistribute-writes=false
scale-writers=false
http-server.log.enabled=false
EOF
  cat >"$etc/log.properties" <<EOF
io.trino=WARN
EOF
  # Named as in Athena, so view definitions encoded for Athena resolve unchanged.
  cat >"$etc/catalog/awsdatacatalog.properties" <<EOF
connector.name=hive
hive.metastore=glue
hive.metastore.glue.region=us-east-1
hive.metastore.glue.endpoint-url=$glue_shim_url
hive.metastore.glue.aws-access-key=testing
hive.metastore.glue.aws-secret-key=testing
# moto ignores Segment; several segments would return every partition several times.
hive.metastore.glue.partitions-segments=1
hive.partition-projection-enabled=true
# A projected partition with no objects reads as empty, as in Athena (its
# partition-projection page: such a partition returns no rows). Without this,
# Trino first asks whether each partition's prefix exists, one LIST per
# projected hour (145 for the raw OCSP table), then LISTs it again for its files.
hive.ignore-absent-partitions=true
# Statistics only steer plans; the shim below answers every statistics read
# with none, yet Trino still asks Glue for up to 100 partitions' statistics per
# table per query while planning. Measured on views-jobs-trino: planning
# 16.8 -> 3.7 s, the file 46-50 -> 33-36 s.
hive.table-statistics-enabled=false
# Hold extracts and daily aggregates are CTAS/INSERT into external locations.
hive.non-managed-table-writes-enabled=true
# moto's Glue has no column-statistics API; Athena does not need them either.
hive.collect-column-statistics-on-write=false
# Presto views (how Athena stores views) need no flag; this adds Hive views, which Athena v3 also reads.
hive.hive-views.enabled=true
fs.native-s3.enabled=true
s3.endpoint=$moto_url
s3.region=us-east-1
s3.path-style-access=true
s3.aws-access-key=testing
s3.aws-secret-key=testing
EOF
}

start_shim() {
  if alive glue-shim; then return; fi
  nohup python3 "$root/local/trino/glue_statistics_shim.py" "$glue_shim_port" "$moto_url" \
    >"$run/glue-shim.log" 2>&1 &
  echo $! >"$run/glue-shim.pid"
}

# Ready once the coordinator lists itself as an active node: /v1/info reports
# started, and constant queries run, seconds before table scans can be scheduled.
ready() {
  local response next seen=false
  response=$(curl -sf -X POST -H 'X-Trino-User: logvault' \
    --data "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'" \
    "$trino_url/v1/statement" 2>/dev/null) || return 1
  for _ in $(seq 1 100); do
    if grep -q '"error"' <<<"$response"; then return 1; fi
    if grep -q '"data":\[\[1\]\]' <<<"$response"; then seen=true; fi
    next=$(grep -o '"nextUri":"[^"]*"' <<<"$response" | cut -d'"' -f4) || true
    if [ -z "$next" ]; then [ "$seen" = true ]; return; fi
    response=$(curl -sf -H 'X-Trino-User: logvault' "$next") || return 1
  done
  return 1
}

start() {
  start_shim
  if alive trino; then echo "trino already running at $trino_url" >&2; return; fi
  install
  write_config
  local started
  started=$(date +%s)
  JAVA_HOME="$java_home" PATH="$java_home/bin:$PATH" nohup "$server/bin/launcher" run \
    --etc-dir "$etc" --data-dir "$data" >"$run/trino.log" 2>&1 &
  echo $! >"$run/trino.pid"
  for _ in $(seq 1 300); do
    if ready; then
      echo "trino running at $trino_url (started in $(($(date +%s) - started))s)" >&2
      return
    fi
    if ! alive trino; then break; fi
    sleep 0.5
  done
  echo "trino did not start; see $run/trino.log" >&2
  tail -30 "$run/trino.log" >&2
  exit 1
}

mkdir -p "$run"
case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_one trino; stop_one glue-shim ;;
  status) alive trino && ready && echo "trino: running at $trino_url" || echo "trino: stopped" ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
