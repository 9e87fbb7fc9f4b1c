# Sourced by scripts/test.sh: runs each step of `npm test` with its wall time
# recorded in .run/test-timings.tsv, so the run ends with a table of where
# the time went (scripts/test-timings.ts prints it, on failure too).
# A step started with `step_bg` runs beside the others; its output is kept
# in .run/steps/<name>.log and printed whole when `step_wait` collects it,
# so parallel steps never interleave their lines.
timings_file="$root/.run/test-timings.tsv"
steps_dir="$root/.run/steps"
mkdir -p "$steps_dir"
: >"$timings_file"
printf 'run\t%s\n' "$EPOCHREALTIME" >>"$timings_file"
declare -A step_pids=()

heading() { printf '\n== %s\n' "$*"; }

# step NAME COMMAND...: runs COMMAND in the foreground and records its time.
step() {
  local name=$1 started=$EPOCHREALTIME status=0
  shift
  "$@" || status=$?
  printf 'step\t%s\t%s\t%s\t%s\n' "$name" "$started" "$EPOCHREALTIME" "$status" >>"$timings_file"
  return "$status"
}

# step_bg NAME COMMAND...: starts COMMAND beside the other steps.
step_bg() {
  local name=$1
  shift
  step "$name" "$@" >"$steps_dir/$name.log" 2>&1 &
  step_pids[$name]=$!
}

# step_wait NAME: waits for a background step, prints its output, returns its status.
step_wait() {
  local name=$1 status=0
  wait "${step_pids[$name]}" || status=$?
  heading "$name"
  cat "$steps_dir/$name.log"
  return "$status"
}

timing_table() {
  npx tsx "$root/scripts/test-timings.ts" "$timings_file" "$root/.run/jest-results.json" || true
}
