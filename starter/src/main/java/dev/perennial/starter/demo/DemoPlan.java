package dev.perennial.starter.demo;

import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.LowTraffic;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Rollout;
import dev.perennial.workflows.training.Hyperparameters;
import java.time.LocalDate;
import java.util.List;

/** What the demo asks for: its days of data, its canary and drift policies, its requests. */
final class DemoPlan {
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  static final int TRAFFIC_THREADS = 3;
  static final int TRAFFIC_PER_THREAD = 30;
  static final String BAKE = "10s";
  static final String DRIFT_INTERVAL = "10s";

  /** The first drifted day (0-based after {@link #FIRST_DAY}) and how many arrive. */
  static final int DRIFT_DAY = 12;

  static final int DRIFT_DAYS = 6;

  /** How far features and the default relationship move (0..1, see GeneratorSpec). */
  static final double DRIFT = 0.8;

  /**
   * The demo's canary: short bakes for a demo's traffic (90 requests/s), quality judged on the
   * labels that follow every answer, with the default thresholds. A bake sees only a few hundred
   * labels, so differences must exceed 3 standard errors (not the default 2): v2's online log loss
   * sits near v1's, and the demo should not turn on a few unlucky labels; the swapped-label
   * candidate is still many standard errors out. Latency has 25 ms of slack: on a laptop a GC pause
   * would otherwise decide the p99 of a few hundred requests.
   */
  static final CanaryPolicy CANARY =
      CanaryPolicy.builder()
          .steps(List.of(25, 50, 100))
          .bakeTime(BAKE)
          .minRequests(100)
          .maxErrorRateDelta(0.02)
          .maxP99LatencyRatio(1.5)
          .latencySlackMs(25.0)
          .minLabelledRows(100)
          .requireQuality(true)
          .onLowTraffic(LowTraffic.EXTEND)
          .maxExtensions(3)
          .requireApproval(false)
          .standardErrors(3.0)
          .build();

  /** The under-fitted candidate of step 5: 3 shallow trees. */
  static final Hyperparameters WEAK =
      new Hyperparameters(
          Hyperparameters.GRADIENT_BOOSTING, 3, 2, 4, null, 0.05, null, null, null, null, null);

  private DemoPlan() {}

  /** Days {@code fromDay..toDay} of the model's own data. */
  static DatasetSpec range(int fromDay, int toDay) {
    return range(null, fromDay, toDay);
  }

  /** Days {@code fromDay..toDay} under {@code prefix} of the data bucket. */
  static DatasetSpec range(String prefix, int fromDay, int toDay) {
    return new DatasetSpec(
        null,
        prefix,
        FIRST_DAY.plusDays(fromDay).toString(),
        FIRST_DAY.plusDays(toDay).toString(),
        null,
        null);
  }

  /** A manual run on {@code dataset}, rolled out through the demo's canary. */
  static ContinuousTrainingRequest training(String model, DatasetSpec dataset, Hyperparameters hp) {
    return ContinuousTrainingRequest.builder(model)
        .trigger(Trigger.MANUAL)
        .dataset(dataset)
        .hyperparameters(hp)
        .note("demo")
        .rollout(Rollout.CANARY)
        .canary(CANARY)
        .build();
  }

  /**
   * The monitor of step 9: checks every {@link #DRIFT_INTERVAL} from 300 rows and 100 labels; a
   * breach retrains on the drifted days through the same canary.
   */
  static DriftMonitorRequest monitor(String model) {
    return new DriftMonitorRequest(
        model,
        DriftPolicy.builder()
            .interval(DRIFT_INTERVAL)
            .minRows(300)
            .minLabels(100)
            .cooldown("1h")
            .build(),
        ContinuousTrainingRequest.builder(null)
            .dataset(range(DRIFT_DAY, DRIFT_DAY + DRIFT_DAYS - 1))
            .note("demo: started by the drift monitor")
            .rollout(Rollout.CANARY)
            .canary(CANARY)
            .build(),
        null);
  }
}
