#!/usr/bin/env bash
# How long the command line takes to answer, as a ratio to a bare `java -version` on the same
# machine under the same load: `perennial status`, `models` and `drift` against a running stack.
#
#   infra/bench/cli-start.sh [ROUNDS]        (default 5)
#
# Uses the stack of a running `./perennial up` when PERENNIAL_DATA_DIR (default .perennial) has a
# stack.json; otherwise starts one in a temporary directory on the ports PORT_BASE..PORT_BASE+5
# (default 7560), generates a small credit-default dataset, trains it once, starts its drift
# monitor, and stops the stack at the end. CLI is the command measured (default ./perennial);
# CLI="java -jar /elsewhere/perennial.jar" measures another build the same way.
#
# Each command is run once first (the launcher makes its class-data archive then; that run's time
# is printed apart), then in every round in the order java, command, command, java (A B B A), so a
# load that drifts during the run falls on both sides. Prints each side's median wall time, the
# ratios of the medians, and the load average before and after.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../.ci/env.sh
source "$root/.ci/env.sh"
rounds="${1:-5}"
cli="${CLI:-$root/perennial}"
model=credit-default
export PERENNIAL_DATA_DIR="${PERENNIAL_DATA_DIR:-$root/.perennial}"

up_pid=""
stop_stack() {
  if [ -n "$up_pid" ]; then
    kill "$up_pid" 2>/dev/null
    wait "$up_pid" 2>/dev/null
  fi
}
trap stop_stack EXIT

if [ ! -f "$PERENNIAL_DATA_DIR/stack.json" ]; then
  PERENNIAL_DATA_DIR="$(mktemp -d)"
  base="${PORT_BASE:-7560}"
  echo "Starting a stack in $PERENNIAL_DATA_DIR (ports $base-$((base + 5)))..."
  "$root/perennial" up --data-dir "$PERENNIAL_DATA_DIR" --temporal-port "$base" \
    --ui-port $((base + 1)) --s3-port $((base + 2)) --s3-console-port $((base + 3)) \
    --worker-port $((base + 4)) --serving-port $((base + 5)) >"$PERENNIAL_DATA_DIR/up.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 300); do
    [ -f "$PERENNIAL_DATA_DIR/stack.json" ] && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$PERENNIAL_DATA_DIR/up.log"; exit 1; }
    sleep 1
  done
  "$root/perennial" generate --model "$model" --days 5 --rows-per-day 2000 >/dev/null &&
    "$root/perennial" train --model "$model" --wait >/dev/null &&
    "$root/perennial" monitor start --model "$model" --interval 1m >/dev/null ||
    { echo "setting up $model failed"; exit 1; }
fi

# Wall seconds of one run, its output discarded. A run that exits above 1 (a usage error, a server
# not reached) did not do the command's work: it is reported, left out, and fails the benchmark.
failures="$(mktemp)"
wall() {
  local start end rc
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  rc=$?
  end=$(date +%s%N)
  if [ "$rc" -gt 1 ]; then
    echo "error: '$*' exited $rc" >&2
    echo "$*" >>"$failures"
    return
  fi
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# shellcheck disable=SC2206
read -r -a cli_words <<<"$cli"
commands=("status --model $model" "models --model $model" "drift --model $model")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086
  echo "first run of ${c%% *} (makes its archive when there is none): $(wall "${cli_words[@]}" $c) s"
done

declare -A times
java_times=""
for _ in $(seq "$rounds"); do
  for c in "${commands[@]}"; do
    name="${c%% *}"
    java_times+="$(wall java -version)"$'\n'
    # shellcheck disable=SC2086
    times[$name]+="$(wall "${cli_words[@]}" $c)"$'\n'
    # shellcheck disable=SC2086
    times[$name]+="$(wall "${cli_words[@]}" $c)"$'\n'
    java_times+="$(wall java -version)"$'\n'
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

java_median="$(printf '%s' "$java_times" | median)"
printf '\n%-14s %6s %10s %8s\n' "command" "runs" "median s" "÷ java"
printf '%-14s %6s %10.3f %8s\n' "java -version" "$(printf '%s' "$java_times" | grep -c .)" "$java_median" "1"
for c in "${commands[@]}"; do
  name="${c%% *}"
  m="$(printf '%s' "${times[$name]}" | grep . | median)"
  printf '%-14s %6s %10.3f %8.1f\n' "$name" "$(printf '%s' "${times[$name]}" | grep -c .)" "$m" \
    "$(awk -v a="$m" -v b="$java_median" 'BEGIN { print a / b }')"
done
echo "load after: $load_after ($(nproc) cores, $(java -version 2>&1 | sed -n 2p))"
if [ -s "$failures" ]; then
  echo "$(wc -l <"$failures") runs failed and were left out" >&2
  rm -f "$failures"
  exit 1
fi
rm -f "$failures"
