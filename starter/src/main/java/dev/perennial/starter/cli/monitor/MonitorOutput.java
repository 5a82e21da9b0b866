package dev.perennial.starter.cli.monitor;

import dev.perennial.starter.ops.Monitors.AlreadyRunning;
import dev.perennial.starter.ops.Monitors.MissingSearchAttribute;
import dev.perennial.starter.ops.Monitors.Monitor;
import dev.perennial.starter.ops.Monitors.NotRunning;
import dev.perennial.starter.ops.Monitors.StartResult;
import dev.perennial.starter.ops.Monitors.Started;
import dev.perennial.starter.ops.Monitors.StillOpen;
import dev.perennial.starter.ops.Monitors.StopResult;
import dev.perennial.starter.ops.Monitors.Stopped;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** How the monitor commands, {@code drift} and the demo print a model's drift monitor. */
public final class MonitorOutput {
  private MonitorOutput() {}

  /**
   * What {@code start} did: the started monitor's policy and where to look next, or why nothing
   * started.
   *
   * @param uiAddress the Temporal Web UI's address, null when unknown
   * @param namespace the Temporal namespace the monitor runs in
   */
  public static void start(
      StartResult result,
      DriftMonitorRequest request,
      String uiAddress,
      String namespace,
      PrintWriter out) {
    String model = request.model();
    switch (result) {
      case AlreadyRunning running ->
          out.printf(
              "A monitor for %s is already running (run %s); stop it first with: perennial"
                  + " monitor stop --model %s%n",
              model, running.runId(), model);
      case MissingSearchAttribute missing ->
          out.printf(
              "This Temporal namespace does not know the search attribute %s. The worker"
                  + " registers it when it starts; or run: temporal operator search-attribute"
                  + " create --name %s --type Keyword%n",
              missing.name(), missing.name());
      case Started started -> started(started, request, uiAddress, namespace, out);
    }
    out.flush();
  }

  private static void started(
      Started started,
      DriftMonitorRequest request,
      String uiAddress,
      String namespace,
      PrintWriter out) {
    String model = request.model();
    String id = started.workflowId();
    out.printf("Started %s (run %s)%n", id, started.runId());
    policy(started.policy(), out);
    if (!ContinuousTrainingWorkflow.TYPE.equals(request.pipelineType())) {
      out.printf(
          "  retrains:     %s (workflow id %s)%n",
          request.pipelineType(), PipelineRuns.workflowId(request.pipelineType(), model));
    }
    if (uiAddress != null) {
      out.printf("  Web UI:       %s/namespaces/%s/workflows/%s%n", uiAddress, namespace, id);
    } else {
      out.printf(
          "  Web UI:       workflow id %s in namespace %s (or filter PerennialModel=\"%s\")%n",
          id, namespace, model);
    }
    out.printf("  reports:      perennial drift --model %s%n", model);
    out.printf("  state:        perennial monitor status --model %s%n", model);
    out.printf("  stop:         perennial monitor stop --model %s%n", model);
  }

  /** What {@code stop} did: the stopped monitor's summary, or why it did not stop. */
  public static void stop(StopResult result, String model, PrintWriter out) {
    switch (result) {
      case Stopped stopped -> {
        out.printf("Stopped %s: %s%n", stopped.workflowId(), stopped.result().reason());
        counts(stopped.result().state(), out);
      }
      case StillOpen open ->
          out.printf(
              "Asked %s to stop, but it has not closed within %ds. It stops when a worker polling"
                  + " task queue %s takes the signal; check with: perennial monitor status --model"
                  + " %s%n",
              open.workflowId(), open.waited().toSeconds(), TaskQueues.PIPELINES, model);
      case NotRunning notRunning -> out.println(notRunning(notRunning));
    }
    out.flush();
  }

  /** The policy's essentials, a few lines under the monitor's name. */
  static void policy(DriftPolicy p, PrintWriter out) {
    out.printf(
        "  measures:     every %s over the last %s of traffic, judged from %d rows%n",
        p.interval(), p.window(), p.minRows());
    out.printf(
        "  a feature:    drifted at PSI >= %s and test p < %s%s%n",
        num(p.psi()),
        num(p.pValue()),
        p.features().isEmpty()
            ? ""
            : " (own thresholds: "
                + String.join(", ", p.features().keySet().stream().sorted().toList())
                + ")");
    List<String> breach = new ArrayList<>();
    breach.add(percent(p.driftedShare()) + " of features drifted");
    if (!p.critical().isEmpty()) {
      breach.add("a critical feature drifted (" + String.join(", ", p.critical()) + ")");
    }
    breach.add(
        "online log loss above the champion's by > "
            + num(p.maxLogLossIncrease())
            + " and > "
            + num(p.standardErrors())
            + " standard errors, from "
            + p.minLabels()
            + " labels");
    out.printf("  breach:       %s%n", String.join("; or ", breach));
    out.printf("  cooldown:     %s between retraining starts%n", p.cooldown());
  }

  /** How many checks the monitor made and retrainings it started, with the latest of each. */
  static void counts(DriftMonitorState s, PrintWriter out) {
    List<DriftCheck> recent = s.recent() == null ? List.of() : s.recent();
    DriftCheck latest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
    out.printf(
        "  checks:       %d%s%n",
        s.checks(), latest == null ? "" : ", latest " + latest.verdict() + " at " + latest.at());
    if (s.retrainings() == 0) {
      out.println("  retrainings:  none started");
    } else {
      out.printf(
          "  retrainings:  %d started, latest %s at %s%n",
          s.retrainings(), s.lastRetrainingRun(), s.lastRetrainingAt());
    }
  }

  /** The line that says a query went unanswered and what usually causes it. */
  public static String unanswered(Monitor m) {
    return String.format(
        "%s (%s) did not answer its status query: %s. Is a worker polling task queue %s?",
        m.workflowId(), m.state(), m.unanswered(), TaskQueues.PIPELINES);
  }

  /** The line that says no monitor of the model ever ran, and how to start one. */
  public static String noMonitor(String model) {
    return String.format(
        "No drift monitor has run for %s. Start one with: perennial monitor start --model %s",
        model, model);
  }

  /** The line that says the model's monitor does not run (or never ran), and how to start one. */
  static String notRunning(NotRunning n) {
    if (n.last() == null) {
      return noMonitor(n.model());
    }
    return String.format(
        "No drift monitor for %s is running (the last one, run %s, is %s). Start one with:"
            + " perennial monitor start --model %s",
        n.model(), n.last().runId(), n.last().state(), n.model());
  }

  /** 0.2 → "0.2", 2.0 → "2": thresholds as people wrote them. */
  private static String num(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** 0.3 → "30%". */
  private static String percent(double share) {
    return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }
}
