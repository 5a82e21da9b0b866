"""Times of one run from its Temporal history, for the peer benchmark (infra/bench/peers.sh).

Usage: history_times.py HISTORY.json TEMPORAL_ADDRESS
HISTORY.json is `temporal workflow show --output json` of the run; child workflows are fetched
through the Temporal CLI beside this repo (infra/local/bin/temporal) and counted with their parent.

Prints one line: TrainModel activity seconds, workflow seconds (started to closed), the sum of all
activities' seconds (each one's last attempt, started to closed, children's included), and the
training rows the TrainModel activity reported.
"""

import base64
import json
import os
import subprocess
import sys
from datetime import datetime

TEMPORAL = os.path.join(os.path.dirname(__file__), "..", "local", "bin", "temporal")


def when(event):
    t = event["eventTime"]
    # RFC 3339 with up to nanoseconds; datetime takes microseconds.
    if "." in t:
        head, frac = t.rstrip("Z").split(".")
        t = f"{head}.{frac[:6].ljust(6, '0')}+00:00"
    else:
        t = t.rstrip("Z") + "+00:00"
    return datetime.fromisoformat(t).timestamp()


def kind(event):
    """The event type as CamelCase, whichever spelling the CLI printed."""
    t = event["eventType"]
    if t.startswith("EVENT_TYPE_"):
        t = "".join(w.capitalize() for w in t[len("EVENT_TYPE_") :].split("_"))
    return t


def attributes(event):
    return next(v for k, v in event.items() if k.endswith("EventAttributes"))


def show(workflow_id, address):
    out = subprocess.run(
        [TEMPORAL, "workflow", "show", "--address", address, "--workflow-id", workflow_id,
         "--output", "json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def times(history, address):
    events = history["events"]
    by_id = {int(e["eventId"]): e for e in events}
    workflow_s = when(events[-1]) - when(events[0])
    activities_s = 0.0
    train_s = 0.0
    rows = 0
    for e in events:
        k = kind(e)
        if k in ("ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskTimedOut",
                 "ActivityTaskCanceled"):
            a = attributes(e)
            started = by_id[int(a["startedEventId"])]
            scheduled = by_id[int(a["scheduledEventId"])]
            name = attributes(scheduled)["activityType"]["name"]
            seconds = when(e) - when(started)
            activities_s += seconds
            if name == "TrainModel" and k == "ActivityTaskCompleted":
                train_s += seconds
                payload = a["result"]["payloads"][0]["data"]
                rows = json.loads(base64.b64decode(payload)).get("trainingRows", 0)
        elif k == "ChildWorkflowExecutionStarted":
            child = attributes(e)["workflowExecution"]["workflowId"]
            _, child_activities, child_train, child_rows = times(show(child, address), address)
            activities_s += child_activities
            train_s += child_train
            rows = rows or child_rows
    return workflow_s, activities_s, train_s, rows


def main():
    history = json.load(open(sys.argv[1]))
    workflow_s, activities_s, train_s, rows = times(history, sys.argv[2])
    print(f"{train_s:.3f} {workflow_s:.3f} {activities_s:.3f} {rows}")


if __name__ == "__main__":
    main()
