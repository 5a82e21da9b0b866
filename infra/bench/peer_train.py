"""The Python peer of `perennial train` for the peer benchmark (infra/bench/peers.sh).

Reads the same daily gzip CSV partitions from the same S3 bucket, keeps the latest
--holdout-days back for evaluation exactly as Perennial does, holds out the same share of the
training rows for validation (seeded), fits a histogram gradient booster with the trees, depth,
learning rate and subsample of Perennial's default GBT, and scores the held-out days.

Prints one JSON line: read/fit/score seconds, rows, held-out AUC. The whole script's time (with
interpreter start and imports) is what the calling script measures around it.
"""

import argparse
import io
import json
import re
import sys
import time

import numpy as np
import pandas as pd
from minio import Minio
from sklearn.metrics import roc_auc_score

DAY = re.compile(r"dt=(\d{4}-\d{2}-\d{2})/[^/]+\.csv(\.gz)?$")


def read_days(client, bucket, prefix):
    """Every partition under prefix as one DataFrame with a `day` column, and the schema."""
    schema = json.loads(client.get_object(bucket, prefix + "_schema.json").read())
    frames = []
    for obj in client.list_objects(bucket, prefix=prefix, recursive=True):
        m = DAY.search(obj.object_name)
        if not m:
            continue
        body = client.get_object(bucket, obj.object_name).read()
        frame = pd.read_csv(
            io.BytesIO(body), compression="gzip" if obj.object_name.endswith(".gz") else None
        )
        frame["day"] = m.group(1)
        frames.append(frame)
    if not frames:
        sys.exit(f"no partitions under s3://{bucket}/{prefix}")
    return pd.concat(frames, ignore_index=True), schema


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True, help="host:port of the S3 server")
    p.add_argument("--access-key", required=True)
    p.add_argument("--secret-key", required=True)
    p.add_argument("--bucket", default="perennial-data")
    p.add_argument("--prefix", required=True)
    p.add_argument("--learner", choices=["sklearn", "xgboost"], required=True)
    p.add_argument("--holdout-days", type=int, default=2)
    p.add_argument("--validation-fraction", type=float, default=0.2)
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--max-depth", type=int, default=6)
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--subsample", type=float, default=0.7)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    t0 = time.perf_counter()
    client = Minio(a.endpoint, access_key=a.access_key, secret_key=a.secret_key, secure=False)
    data, schema = read_days(client, a.bucket, a.prefix)
    label = schema["label"]
    features = [f["name"] for f in schema["features"]]
    categorical = [f["name"] for f in schema["features"] if f["type"] == "CATEGORICAL"]
    for c in categorical:
        data[c] = data[c].astype("category")
    days = sorted(data["day"].unique())
    if len(days) <= a.holdout_days:
        sys.exit(f"{len(days)} days, holdout {a.holdout_days}: nothing to train on")
    held_days = set(days[-a.holdout_days :])
    held = data[data["day"].isin(held_days)]
    train = data[~data["day"].isin(held_days)]
    rng = np.random.default_rng(a.seed)
    keep = rng.random(len(train)) >= a.validation_fraction
    train = train[keep]
    x, y = train[features], train[label].astype(int)
    t1 = time.perf_counter()

    if a.learner == "sklearn":
        from sklearn.ensemble import HistGradientBoostingClassifier

        # Subsampling rows per tree is not offered by scikit-learn's histogram booster.
        model = HistGradientBoostingClassifier(
            max_iter=a.trees,
            max_depth=a.max_depth,
            learning_rate=a.learning_rate,
            categorical_features="from_dtype",
            early_stopping=False,
            random_state=a.seed,
        )
    else:
        from xgboost import XGBClassifier

        model = XGBClassifier(
            n_estimators=a.trees,
            max_depth=a.max_depth,
            learning_rate=a.learning_rate,
            subsample=a.subsample,
            tree_method="hist",
            enable_categorical=True,
            n_jobs=-1,
            random_state=a.seed,
        )
    model.fit(x, y)
    t2 = time.perf_counter()
    p_held = model.predict_proba(held[features])[:, 1]
    auc = roc_auc_score(held[label].astype(int), p_held)
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "learner": a.learner,
                "training_rows": int(len(train)),
                "held_out_rows": int(len(held)),
                "read_s": round(t1 - t0, 3),
                "fit_s": round(t2 - t1, 3),
                "score_s": round(t3 - t2, 3),
                "auc": round(float(auc), 5),
            }
        )
    )


if __name__ == "__main__":
    main()
