package dev.perennial.starter.cli.watch;

import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.Watches.AlreadyRunning;
import dev.perennial.starter.ops.Watches.NoData;
import dev.perennial.starter.ops.Watches.NotRunning;
import dev.perennial.starter.ops.Watches.StartResult;
import dev.perennial.starter.ops.Watches.Started;
import dev.perennial.starter.ops.Watches.StillOpen;
import dev.perennial.starter.ops.Watches.StopResult;
import dev.perennial.starter.ops.Watches.Stopped;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.watch.DataWatchPolicy;
import dev.perennial.workflows.watch.DataWatchRequest;
import dev.perennial.workflows.watch.DataWatchState;
import java.io.PrintWriter;

/** How the watch commands print a model's data watch. */
final class WatchOutput {
  private WatchOutput() {}

  /** What {@code start} did: the started watch and where to look next, or why nothing started. */
  static void start(
      StartResult result,
      DataWatchRequest request,
      String uiAddress,
      String namespace,
      PrintWriter out) {
    String model = request.model();
    switch (result) {
      case AlreadyRunning running ->
          out.printf(
              "A data watch for %s is already running (run %s); stop it first with: perennial"
                  + " watch stop --model %s%n",
              model, running.runId(), model);
      case NoData none -> out.println("error: " + none.reason());
      case Started started -> {
        String id = started.workflowId();
        out.printf("Started %s (run %s)%n", id, started.runId());
        out.printf(
            "  watches:      s3://%s/%s: %d partitions, latest %s%n",
            request.bucketOrDefault(),
            request.prefixOrDefault(),
            started.listing().partitions(),
            started.listing().latest() == null ? "none" : started.listing().latest());
        policy(started.policy(), out);
        out.printf(
            "  retrains:     %s (workflow id %s)%n",
            request.pipelineType(), PipelineRuns.workflowId(request.pipelineType(), model));
        if (uiAddress != null) {
          out.printf("  Web UI:       %s/namespaces/%s/workflows/%s%n", uiAddress, namespace, id);
        } else {
          out.printf("  Web UI:       workflow id %s in namespace %s%n", id, namespace);
        }
        out.printf("  state:        perennial watch status --model %s%n", model);
        out.printf("  stop:         perennial watch stop --model %s%n", model);
      }
    }
    out.flush();
  }

  /** What {@code stop} did. */
  static void stop(StopResult result, String model, PrintWriter out) {
    switch (result) {
      case Stopped stopped -> {
        out.printf("Stopped %s: %s%n", stopped.workflowId(), stopped.result().reason());
        state(stopped.result().state(), out);
      }
      case StillOpen open ->
          out.printf(
              "Asked %s to stop, but it has not closed within %ds. It stops when a worker polling"
                  + " task queue %s takes the signal; check with: perennial watch status --model"
                  + " %s%n",
              open.workflowId(), open.waited().toSeconds(), TaskQueues.PIPELINES, model);
      case NotRunning notRunning -> out.println(notRunning(notRunning));
    }
    out.flush();
  }

  static void policy(DataWatchPolicy p, PrintWriter out) {
    out.printf(
        "  policy:       every %s; retrain after %d new %s, at most once per %s%n",
        p.pollInterval(),
        p.minNewPartitions(),
        p.minNewPartitions() == 1 ? "day" : "days",
        p.minInterval());
  }

  /** Last partition acted on, pending days, checks and retrainings. */
  static void state(DataWatchState s, PrintWriter out) {
    if (s == null) {
      return;
    }
    out.printf("  acted on:     %s%n", s.lastActedOn() == null ? "nothing yet" : s.lastActedOn());
    out.printf(
        "  pending:      %d new %s%s%n",
        s.pending(),
        s.pending() == 1 ? "partition" : "partitions",
        s.pendingDays().isEmpty() ? "" : " (" + String.join(", ", s.pendingDays()) + ")");
    out.printf(
        "  checks:       %d%s%n",
        s.checks(),
        s.lastCheckAt() == null ? "" : ", latest at " + s.lastCheckAt() + ": " + s.lastAction());
    if (s.retrainings() == 0) {
      out.println("  retrainings:  none started");
    } else {
      out.printf(
          "  retrainings:  %d started, latest %s at %s%n",
          s.retrainings(), s.lastRetrainingRun(), s.lastRetrainingAt());
    }
  }

  static String noWatch(String model) {
    return String.format(
        "No data watch has run for %s. Start one with: perennial watch start --model %s",
        model, model);
  }

  static String notRunning(NotRunning n) {
    if (n.last() == null) {
      return noWatch(n.model());
    }
    return String.format(
        "No data watch for %s is running (the last one, run %s, is %s). Start one with:"
            + " perennial watch start --model %s",
        n.model(), n.last().runId(), n.last().state(), n.model());
  }
}
