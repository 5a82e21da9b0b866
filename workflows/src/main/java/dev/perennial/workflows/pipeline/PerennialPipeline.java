package dev.perennial.workflows.pipeline;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;

/**
 * The small contract every Perennial pipeline's workflow interface extends, so that the command
 * line ({@code perennial run}, {@code status}, {@code approve}), schedules, the drift monitor and
 * the Temporal UI handle it like the built-in {@code ContinuousTraining}:
 *
 * <ul>
 *   <li>the workflow method takes one JSON object with a {@code model} field (a {@link
 *       ContinuousTrainingRequest} is the usual choice) and returns a {@link
 *       ContinuousTrainingResult};
 *   <li>a {@code status} query answering a {@link PipelineStatus};
 *   <li>an {@code abort} signal;
 *   <li>the search attribute {@code PerennialModel} set to the model ({@link PipelineRun} does it).
 * </ul>
 *
 * <p>Extend {@link dev.perennial.workflows.approval.Approvable} too for {@code approve} and {@code
 * reject}. {@link PipelineWorkflow} implements all of it.
 */
public interface PerennialPipeline {
  /** Query name. */
  String STATUS = "status";

  /** Signal name. */
  String ABORT = "abort";

  /**
   * The workflow id the command line and the drift monitor give a model's run of {@code
   * workflowType}: the type in kebab case, then the model ({@code ContinuousTraining} and {@code
   * credit-default} make {@code continuous-training-credit-default}). One id per model and type, so
   * the server refuses a second run of the same pipeline while one is open.
   */
  static String workflowId(String workflowType, String model) {
    return kebabCase(workflowType) + "-" + model;
  }

  /**
   * {@code ContinuousTraining} → {@code continuous-training}, {@code XGBoostNightly} → {@code
   * xg-boost-nightly}.
   */
  static String kebabCase(String workflowType) {
    return workflowType
        .strip()
        .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
        .replaceAll("[^A-Za-z0-9]+", "-")
        .replaceAll("^-+|-+$", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Stage, progress and decision of the run. */
  @QueryMethod(name = STATUS, description = "Stage, progress (0-1) and gate decision of the run")
  PipelineStatus status();

  /** Stops the run: the current step is cancelled and nothing more is registered or promoted. */
  @SignalMethod(name = ABORT, description = "Abort the run; give a reason as a JSON string")
  void abort(String reason);
}
