package dev.perennial.workflows.watch;

import dev.perennial.workflows.Instruction;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Retrains a model when new data lands, for as long as it runs: every poll interval it lists the
 * model's {@code dt=YYYY-MM-DD} partitions (names, never data), and once enough partitions dated
 * after the last one it acted on have arrived ({@link DataWatchPolicy}) it starts one retraining
 * (trigger DATA), at most one at a time per model, however it was started. Remembers the last
 * partition acted on across continue-as-new; stops on the {@code stop} signal.
 *
 * <p>The {@code check} update lists at once and names who asked ({@link Instruction}); the {@code
 * check-now} signal does the same for senders that cannot wait for an answer (the UI's signal
 * form).
 */
@WorkflowInterface
public interface DataWatchWorkflow {
  /** Stable workflow type name. */
  String TYPE = "DataWatch";

  /** Update name, for clients. */
  String CHECK = "check";

  /** One watch per model. */
  static String workflowId(String model) {
    return "data-watch-" + model;
  }

  @WorkflowMethod(name = TYPE)
  DataWatchResult run(DataWatchRequest request);

  @QueryMethod(
      name = "status",
      description =
          "Policy, last partition acted on, pending new days, next check, last retraining started")
  DataWatchStatus status();

  @SignalMethod(name = "stop", description = "Stop watching; optional reason as a JSON string")
  void stop(String reason);

  @SignalMethod(
      name = "check-now",
      description = "List the data now instead of at the next poll; optional reason as JSON")
  void checkNow(String reason);

  @UpdateMethod(
      name = CHECK,
      description =
          "List the data now instead of at the next poll: {\"by\":\"alice\",\"reason\":\"...\"}")
  Instruction check(Instruction instruction);

  @UpdateValidatorMethod(updateName = CHECK)
  void validateCheck(Instruction instruction);
}
