#!/usr/bin/env bash
# The peer benchmark: Perennial against the Python tools people compare it with, on the same
# partitions of the same S3 bucket, on this machine, printing ratios (docs/benchmarks.md).
#
#   P3  `perennial train --wait` end to end  ÷  a pandas + scikit-learn HistGradientBoosting script
#                                            ÷  a pandas + XGBoost (hist) script
#       (each script's whole run: interpreter, imports, reading S3, fit, scoring the held-out days)
#   P2  the TrainModel activity (from the run's history)  ÷  a bare fit of the same learner on the
#       same rows in memory (worker/src/test/.../bench/FitBenchmark.java, a JVM of its own)
#   P1  the workflow's time  ÷  the sum of its activities' times (from the run's history)
#   D   Perennial's drift pass over a window  ÷  Evidently's data-drift preset over the same rows
#       (both in memory: activities/src/test/.../drift/bench/DriftBenchmark.java writes the rows
#       it measures for infra/bench/peer_drift.py)
#
# It installs the peers into a virtualenv from PyPI (infra/bench/requirements.txt), starts an
# embedded stack (`perennial up`: the Temporal dev server and MinIO when installed) on ports from
# --port-base, generates the data, then alternates the sides in the order P S X, X S P, ... and
# records the load average around each. Options:
#   --days N            training days (default 10); 2 more days are held out for evaluation
#   --rows-per-day N    rows per generated day (default 31250: 250k training days' rows)
#   --rounds N          rounds of the three sides (default 2)
#   --trainer NAME      Perennial's trainer (default: the worker's default, GRADIENT_BOOSTING)
#   --param KEY=VALUE   a trainer option for Perennial and the bare fit (repeatable)
#   --drift-rows N      rows of the drift window and of its reference (default 200000)
#   --port-base N       first of 6 consecutive loopback ports (default 17233)
#   --work DIR          venv, stack data and results (default target/peer-bench)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source .ci/env.sh

days=10 rows=31250 rounds=2 trainer="" port=17233 work="$root/target/peer-bench" drift_rows=200000
params=()
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    --rows-per-day) rows="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --trainer) trainer="$2"; shift 2 ;;
    --param) params+=("$2"); shift 2 ;;
    --drift-rows) drift_rows="$2"; shift 2 ;;
    --port-base) port="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "peers.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
holdout=2
model=bench-credit
mkdir -p "$work"
work="$(cd "$work" && pwd)"
results="$work/results-$(date -u +%Y%m%dT%H%M%SZ).tsv"

# --- the peers, from PyPI ----------------------------------------------------------------------
venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! cmp -s infra/bench/requirements.txt "$venv/.requirements" 2>/dev/null; then
  echo "Installing the Python peers into $venv ..." >&2
  "$venv/bin/pip" install -q -r infra/bench/requirements.txt
  cp infra/bench/requirements.txt "$venv/.requirements"
fi
py="$venv/bin/python"

# --- the stack ---------------------------------------------------------------------------------
export PERENNIAL_DATA_DIR="$work/stack"
rm -rf "$PERENNIAL_DATA_DIR"
./perennial --help >/dev/null  # builds the jar first if the sources changed
./perennial up --temporal-port "$port" --ui-port $((port + 1)) --s3-port $((port + 2)) \
  --s3-console-port $((port + 3)) --worker-port $((port + 4)) --serving-port $((port + 5)) \
  >"$work/up.log" 2>&1 &
up_pid=$!
trap 'kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q '^Ready' "$work/up.log" && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$work/up.log" >&2; exit 1; }
  sleep 1
done
grep -q '^Ready' "$work/up.log" || { echo "the stack did not start: $work/up.log" >&2; exit 1; }
stack_field() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
  "$PERENNIAL_DATA_DIR/stack.json" "$1"; }
s3_endpoint="$(stack_field s3Endpoint)"
export PERENNIAL_S3_ENDPOINT="$s3_endpoint"
export PERENNIAL_S3_ACCESS_KEY="$(stack_field s3AccessKey)"
export PERENNIAL_S3_SECRET_KEY="$(stack_field s3SecretKey)"
temporal_address="$(stack_field temporalTarget)"

./perennial generate --model "$model" --days $((days + holdout)) --rows-per-day "$rows" >/dev/null
echo "Data: $((days + holdout)) days x $rows rows of $model ($days training days)" >&2

# --- the sides ---------------------------------------------------------------------------------
load() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
secs() { "$py" -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")' "$1" "$2"; }
printf 'round\tside\twhole_s\tfit_s\tauc\ttraining_rows\ttrain_activity_s\tworkflow_s\tactivities_s\tload_before\tload_after\n' >"$results"

perennial_side() {
  local r="$1" out wid t0 t1 l0 history auc
  local args=(train --model "$model-r$r" --prefix "$model/" --holdout-days "$holdout"
    --rollout CHALLENGER --wait)
  [ -n "$trainer" ] && args+=(--trainer "$trainer")
  for p in "${params[@]}"; do args+=(--param "$p"); done
  l0="$(load)"; t0="$(now)"
  out="$(./perennial "${args[@]}" 2>&1)" || { echo "$out" >&2; exit 1; }
  t1="$(now)"
  wid="$(sed -n 's/^Started \([^ ]*\) (run .*/\1/p' <<<"$out" | head -1)"
  auc="$(sed -n 's/^ *candidate  AUC \([0-9.]*\).*/\1/p' <<<"$out" | head -1)"
  history="$work/history-r$r.json"
  "$root/infra/local/bin/temporal" workflow show --address "$temporal_address" \
    --workflow-id "$wid" --output json >"$history"
  "$py" infra/bench/history_times.py "$history" "$temporal_address" | {
    read -r train_s workflow_s activities_s rows_trained
    printf '%s\tperennial\t%s\t\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$(secs "$t0" "$t1")" \
      "$auc" "$rows_trained" "$train_s" "$workflow_s" "$activities_s" "$l0" "$(load)" >>"$results"
  }
}

python_side() {
  local r="$1" learner="$2" out t0 t1 l0
  l0="$(load)"; t0="$(now)"
  out="$("$py" infra/bench/peer_train.py --endpoint "${s3_endpoint#http://}" \
    --access-key "$PERENNIAL_S3_ACCESS_KEY" --secret-key "$PERENNIAL_S3_SECRET_KEY" \
    --prefix "$model/" --holdout-days "$holdout" --learner "$learner")"
  t1="$(now)"
  "$py" -c '
import json, sys
d = json.loads(sys.argv[1])
print("\t".join(str(v) for v in (sys.argv[2], sys.argv[3], sys.argv[4], d["fit_s"], d["auc"],
      d["training_rows"], "", "", "", sys.argv[5], sys.argv[6])))' \
    "$out" "$r" "$learner" "$(secs "$t0" "$t1")" "$l0" "$(load)" >>"$results"
}

for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order=(perennial sklearn xgboost); else order=(xgboost sklearn perennial); fi
  for side in "${order[@]}"; do
    echo "round $r: $side" >&2
    case "$side" in
      perennial) perennial_side "$r" ;;
      *) python_side "$r" "$side" ;;
    esac
  done
done

echo "round: bare fit" >&2
fit_args=("$model/" "$holdout" 3)
[ -n "$trainer" ] && fit_args+=("$trainer")
[ -z "$trainer" ] && [ ${#params[@]} -gt 0 ] && fit_args+=(GRADIENT_BOOSTING)
fit_args+=("${params[@]}")
./mvnw -q -o -B -pl worker -am -Pbench-fit process-test-classes -Dspotless.check.skip=true \
  -Dbench.args="${fit_args[*]}" >"$work/bare-fit.log" 2>&1 ||
  { tail -30 "$work/bare-fit.log" >&2; exit 1; }
bare_fit="$(sed -n 's/^fit_s_median=//p' "$work/bare-fit.log")"

kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true

echo "drift: Perennial, then Evidently, on $drift_rows rows" >&2
mkdir -p "$work/drift"
l0="$(load)"
./mvnw -q -o -B -pl activities -am -Pbench process-test-classes -Dspotless.check.skip=true \
  -Dbench.args="$drift_rows 7 3 $work/drift" >"$work/drift.log" 2>&1 ||
  { tail -30 "$work/drift.log" >&2; exit 1; }
perennial_drift_ms="$(awk '$1 == "all" {print $3}' "$work/drift.log")"
evidently="$("$py" infra/bench/peer_drift.py "$work/drift" 2)"
drift_load="$l0-$(load)"

"$py" infra/bench/summarise.py "$results" "$bare_fit" "$perennial_drift_ms" "$evidently" "$drift_load"
echo "Rows: $results" >&2
