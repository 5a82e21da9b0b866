"""The Python peer of Perennial's drift pass for the peer benchmark (infra/bench/peers.sh).

Usage: peer_drift.py CSV_DIR ROUNDS
Reads reference.csv and window.csv, written by the drift benchmark from the same generated columns
it measures (activities/src/test/.../drift/bench/DriftBenchmark.java), and times Evidently's
data-drift preset over them: one warm-up, then ROUNDS runs, the median in milliseconds.
Perennial's pass starts from the reference profile stored at training time; Evidently's from the
reference rows themselves, which is what its preset takes.
"""

import json
import statistics
import sys
import time

import pandas as pd
from evidently import Dataset, DataDefinition, Report
from evidently.presets import DataDriftPreset



def main():
    directory, rounds = sys.argv[1], int(sys.argv[2])
    reference = pd.read_csv(f"{directory}/reference.csv")
    window = pd.read_csv(f"{directory}/window.csv")
    categorical = [c for c in reference.columns if reference[c].dtype == object]
    numeric = [c for c in reference.columns if c not in categorical]
    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    ref = Dataset.from_pandas(reference, data_definition=definition)
    cur = Dataset.from_pandas(window, data_definition=definition)
    times = []
    drifted = None
    for r in range(rounds + 1):
        t0 = time.perf_counter()
        snapshot = Report([DataDriftPreset()]).run(current_data=cur, reference_data=ref)
        elapsed = (time.perf_counter() - t0) * 1000
        if r > 0:
            times.append(elapsed)
        drifted = snapshot.dict()["metrics"][0]["value"]
    print(json.dumps({"rows": len(window), "reference_rows": len(reference),
                      "numeric": len(numeric), "categorical": len(categorical),
                      "evidently_ms": round(statistics.median(times), 1),
                      "drifted_columns": drifted}))


if __name__ == "__main__":
    main()
