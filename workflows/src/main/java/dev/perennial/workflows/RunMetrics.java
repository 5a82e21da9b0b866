package dev.perennial.workflows;

import com.uber.m3.tally.Scope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * What Perennial's workflows report as metrics, through the workflow's metrics scope: it reports
 * nothing while a workflow replays, so a run or a canary step counts once however often its history
 * is replayed. A worker exports them with Temporal's own tags ({@code namespace}, {@code
 * task_queue}, {@code workflow_type}) beside the ones named here; {@code model} is a model's name,
 * a bounded set.
 */
public final class RunMetrics {
  /** Counter per {@code model} and {@code outcome}: how pipeline runs ended. */
  public static final String RUNS = "perennial_runs";

  /** Timer per {@code model} and {@code stage}: how long each stage of a pipeline run took. */
  public static final String STAGE = "perennial_run_stage";

  /** Counter per {@code model} and {@code verdict}: canary steps analysed. */
  public static final String CANARY_STEPS = "perennial_canary_steps";

  /** Counter per {@code model} and {@code outcome}: how canary rollouts ended. */
  public static final String CANARY_ROLLOUTS = "perennial_canary_rollouts";

  /** Gauge per {@code model}: the share of traffic (0-100) a running canary was last given. */
  public static final String CANARY_PERCENT = "perennial_canary_percent";

  /**
   * Counter per {@code model} and {@code verdict}: drift checks by a monitor, by their verdict
   * (NO_DRIFT, DRIFT, TOO_FEW_ROWS, NO_CHAMPION) or FAILED when the window could not be measured.
   */
  public static final String DRIFT_CHECKS = "perennial_drift_checks";

  /** The {@code verdict} tag of a drift check whose measurement failed. */
  public static final String DRIFT_CHECK_FAILED = "FAILED";

  private RunMetrics() {}

  /** A pipeline run of {@code model} ended with {@code outcome}. */
  public static void runEnded(String model, String outcome) {
    scope(Map.of("model", model, "outcome", outcome)).counter(RUNS).inc(1);
  }

  /** A stage of a run of {@code model} took {@code took}. */
  public static void stage(String model, String stage, Duration took) {
    scope(Map.of("model", model, "stage", stage))
        .timer(STAGE)
        .record(com.uber.m3.util.Duration.ofMillis(took.toMillis()));
  }

  /** A canary step of {@code model} was analysed with {@code verdict}. */
  public static void canaryStep(String model, String verdict) {
    scope(Map.of("model", model, "verdict", verdict)).counter(CANARY_STEPS).inc(1);
  }

  /** {@code model}'s canary now takes {@code percent} % of the traffic. */
  public static void canaryShare(String model, int percent) {
    scope(Map.of("model", model)).gauge(CANARY_PERCENT).update(percent);
  }

  /** A canary rollout of {@code model} ended with {@code outcome}. */
  public static void rolloutEnded(String model, String outcome) {
    scope(Map.of("model", model, "outcome", outcome)).counter(CANARY_ROLLOUTS).inc(1);
  }

  /** A drift monitor of {@code model} checked a window with {@code verdict}. */
  public static void driftCheck(String model, String verdict) {
    scope(Map.of("model", model, "verdict", verdict)).counter(DRIFT_CHECKS).inc(1);
  }

  private static Scope scope(Map<String, String> tags) {
    return Workflow.getMetricsScope().tagged(tags);
  }
}
