package dev.perennial.workflows.drift;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Watches one model's served traffic for drift, for as long as it runs: every interval it measures
 * the latest window against the champion's training reference and keeps the recent reports
 * queryable; on a breach it starts {@code ContinuousTraining} with trigger DRIFT and the report
 * attached, at most one at a time per model. Runs for ever in bounded history by continuing as new;
 * stops on the {@code stop} signal.
 */
@WorkflowInterface
public interface DriftMonitorWorkflow {
  /** Stable workflow type name. */
  String TYPE = "DriftMonitor";

  /** One monitor per model. */
  static String workflowId(String model) {
    return "drift-monitor-" + model;
  }

  @WorkflowMethod(name = TYPE)
  DriftMonitorResult run(DriftMonitorRequest request);

  @QueryMethod(
      name = "status",
      description = "Policy, next check, retrainings started and the recent drift reports")
  DriftMonitorStatus status();

  @SignalMethod(name = "stop", description = "Stop monitoring; optional reason as a JSON string")
  void stop(String reason);

  @SignalMethod(
      name = "check-now",
      description = "Measure now instead of at the next interval; optional reason as JSON")
  void checkNow(String reason);
}
