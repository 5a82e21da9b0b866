"""The ratios of a peer-benchmark run (infra/bench/peers.sh) from its rows.

Usage: summarise.py RESULTS.tsv BARE_FIT_SECONDS [DRIFT_MS EVIDENTLY_JSON DRIFT_LOAD]
Medians over the rounds of each side; the load average is the range seen around the sides.
"""

import csv
import json
import statistics
import sys


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    bare_fit = float(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
    side = lambda name: [r for r in rows if r["side"] == name]
    med = lambda rs, key: statistics.median(float(r[key]) for r in rs)
    p, s, x = side("perennial"), side("sklearn"), side("xgboost")
    loads = [float(r[k]) for r in rows for k in ("load_before", "load_after")]
    print(f"rounds: {len(p)}; training rows: {p[0]['training_rows']} (Perennial), "
          f"{s[0]['training_rows']} (Python); load average {min(loads):.2f}-{max(loads):.2f}")
    print(f"{'side':<12}{'whole s':>10}{'fit s':>10}{'AUC':>9}")
    for name, rs in (("perennial", p), ("sklearn", s), ("xgboost", x)):
        fit = f"{med(rs, 'fit_s'):.2f}" if rs[0]["fit_s"] else "-"
        print(f"{name:<12}{med(rs, 'whole_s'):>10.2f}{fit:>10}{med(rs, 'auc'):>9.4f}")
    e2e = med(p, "whole_s")
    print(f"P3  perennial train ÷ XGBoost script:      {e2e / med(x, 'whole_s'):.2f}  (goal ≤ 1.5)")
    print(f"P3  perennial train ÷ scikit-learn script: {e2e / med(s, 'whole_s'):.2f}  (goal ≤ 1.0)")
    print(f"    AUC perennial - XGBoost: {med(p, 'auc') - med(x, 'auc'):+.4f}, "
          f"- scikit-learn: {med(p, 'auc') - med(s, 'auc'):+.4f}  (goal within 0.005)")
    train = med(p, "train_activity_s")
    if bare_fit:
        print(f"P2  TrainModel {train:.2f} s ÷ bare fit {bare_fit:.2f} s: {train / bare_fit:.2f}  "
              "(goal ≤ 1.2)")
    else:
        print("P2  no bare-fit figure (the bench-fit run failed)")
    print(f"P1  workflow {med(p, 'workflow_s'):.2f} s ÷ activities {med(p, 'activities_s'):.2f} s: "
          f"{med(p, 'workflow_s') / med(p, 'activities_s'):.3f}")
    if len(sys.argv) > 5:
        drift_ms, e = float(sys.argv[3]), json.loads(sys.argv[4])
        print(f"D   drift pass {drift_ms:.0f} ms ÷ Evidently data-drift preset "
              f"{e['evidently_ms']:.0f} ms on {e['rows']} rows x "
              f"{e['numeric'] + e['categorical']} features: {drift_ms / e['evidently_ms']:.4f}"
              f"  (load {sys.argv[5]})")


if __name__ == "__main__":
    main()
