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
# load that drifts during the run falls on both sides. Prints each side's median wall time and CPU
# time (user + system; on a loaded machine the wall time is mostly waiting for a core), the ratios
# of the medians, and the load average before and after.
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

# "wall cpu" seconds of one run (cpu: user + system time of the process and its children), its
# output discarded. A run that exits above 1 (a usage error, a server not reached) did not do the
# command's work: it is reported, left out, and fails the benchmark.
failures="$(mktemp)"
timing="$(mktemp)"
wall() {
  local rc TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>"$timing"
  rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "error: '$*' exited $rc" >&2
    echo "$*" >>"$failures"
    return
  fi
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$timing"
}
# The median of column $1 of the "wall cpu" lines on stdin.
median() {
  awk -v c="$1" 'NF { print $c }' | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# shellcheck disable=SC2206
read -r -a cli_words <<<"$cli"
commands=("status --model $model" "models --model $model" "drift --model $model")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086
  echo "first run of ${c%% *} (makes its archive when there is none): $(wall "${cli_words[@]}" $c | cut -d' ' -f1) s"
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
java_wall="$(printf '%s' "$java_times" | median 1)"
java_cpu="$(printf '%s' "$java_times" | median 2)"
printf '\n%-14s %5s %9s %7s %8s %7s\n' "command" "runs" "wall s" "÷ java" "cpu s" "÷ java"
printf '%-14s %5s %9.3f %7s %8.3f %7s\n' "java -version" "$(printf '%s' "$java_times" | grep -c .)" \
  "$java_wall" 1 "$java_cpu" 1
for c in "${commands[@]}"; do
  name="${c%% *}"
  w="$(printf '%s' "${times[$name]}" | median 1)"
  u="$(printf '%s' "${times[$name]}" | median 2)"
  printf '%-14s %5s %9.3f %7s %8.3f %7s\n' "$name" "$(printf '%s' "${times[$name]}" | grep -c .)" \
    "$w" "$(ratio "$w" "$java_wall")" "$u" "$(ratio "$u" "$java_cpu")"
done
echo "load after: $load_after ($(nproc) cores, $(java -version 2>&1 | sed -n 2p))"
if [ -s "$failures" ]; then
  echo "$(wc -l <"$failures") runs failed and were left out" >&2
  rm -f "$failures" "$timing"
  exit 1
fi
rm -f "$failures" "$timing"
