package dev.perennial.workflows.drift;

import dev.perennial.workflows.Instruction;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Watches one model's served traffic for drift, for as long as it runs: every interval it measures
 * the latest window against the champion's training reference and keeps the recent reports
 * queryable; on a breach it starts {@code ContinuousTraining} with trigger DRIFT and the report
 * attached, at most one at a time per model. Runs for ever in bounded history by continuing as new;
 * stops on the {@code stop} signal.
 *
 * <p>The {@code check} update measures at once and names who asked ({@link Instruction}); its
 * caller learns whether the monitor took it. The older {@code check-now} signal still works but
 * names nobody.
 */
@WorkflowInterface
public interface DriftMonitorWorkflow {
  /** Stable workflow type name. */
  String TYPE = "DriftMonitor";

  /** Update name, for clients. */
  String CHECK = "check";

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

  @UpdateMethod(
      name = CHECK,
      description =
          "Measure now instead of at the next interval: {\"by\":\"alice\",\"reason\":\"...\"}")
  Instruction check(Instruction instruction);

  @UpdateValidatorMethod(updateName = CHECK)
  void validateCheck(Instruction instruction);
}
