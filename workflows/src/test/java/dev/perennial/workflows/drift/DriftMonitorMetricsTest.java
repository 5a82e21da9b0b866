package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.CapableOf;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.StatsReporter;
import dev.perennial.workflows.RunMetrics;
import dev.perennial.workflows.TestEnvironments;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The monitor counts its checks per verdict in {@value RunMetrics#DRIFT_CHECKS}, once each, and the
 * checks whose measurement failed as {@value RunMetrics#DRIFT_CHECK_FAILED}. (It counts through the
 * workflow's metrics scope, which reports nothing while a history replays.)
 */
class DriftMonitorMetricsTest extends DriftMonitorTestSupport {
  /** Counter totals by name and tags, as the worker's metrics scope reported them. */
  private final Map<String, Long> counters = new ConcurrentHashMap<>();

  private Scope scope;

  @Override
  TestWorkflowEnvironment newEnvironment() {
    scope =
        new RootScopeBuilder()
            .reporter(new Counters())
            .reportEvery(com.uber.m3.util.Duration.ofMillis(10));
    return TestEnvironments.withSearchAttributes(
        TestEnvironmentOptions.newBuilder().setMetricsScope(scope).build());
  }

  @Test
  void countsEachCheckOncePerVerdictAndFailedMeasurements() throws Exception {
    // Window 3's measurement fails; 1 and 4 drift (the first starts a retraining, the second
    // is in its cooldown).
    verdicts =
        n ->
            switch (n) {
              case 1, 4 -> DriftVerdict.DRIFT;
              case 3 -> null;
              default -> DriftVerdict.NO_DRIFT;
            };
    start();
    startMonitor(new DriftMonitorRequest(MODEL, policy("1h", "2h", "1d", 3), null, null));
    env.sleep(Duration.ofMinutes(6 * 60 + 30));
    assertThat(windows).hasSize(6);
    scope.close(); // reports what is left

    assertThat(counters)
        .containsOnlyKeys(
            key(DriftVerdict.NO_DRIFT.name()),
            key(DriftVerdict.DRIFT.name()),
            key(RunMetrics.DRIFT_CHECK_FAILED))
        .containsEntry(key(DriftVerdict.NO_DRIFT.name()), 3L)
        .containsEntry(key(DriftVerdict.DRIFT.name()), 2L)
        .containsEntry(key(RunMetrics.DRIFT_CHECK_FAILED), 1L);
  }

  private static String key(String verdict) {
    return RunMetrics.DRIFT_CHECKS + "{model=" + MODEL + ",verdict=" + verdict + "}";
  }

  /** Sums the drift-check counters the scope reports. */
  private final class Counters implements StatsReporter {
    @Override
    public void reportCounter(String name, Map<String, String> tags, long value) {
      if (name.equals(RunMetrics.DRIFT_CHECKS)) {
        String key = name + "{model=" + tags.get("model") + ",verdict=" + tags.get("verdict") + "}";
        counters.merge(key, value, Long::sum);
      }
    }

    @Override
    public void reportGauge(String name, Map<String, String> tags, double value) {}

    @Override
    public void reportTimer(
        String name, Map<String, String> tags, com.uber.m3.util.Duration interval) {}

    @Override
    public void reportHistogramValueSamples(
        String name,
        Map<String, String> tags,
        Buckets buckets,
        double bucketLowerBound,
        double bucketUpperBound,
        long samples) {}

    @Override
    public void reportHistogramDurationSamples(
        String name,
        Map<String, String> tags,
        Buckets buckets,
        com.uber.m3.util.Duration bucketLowerBound,
        com.uber.m3.util.Duration bucketUpperBound,
        long samples) {}

    @Override
    public Capabilities capabilities() {
      return CapableOf.REPORTING;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
