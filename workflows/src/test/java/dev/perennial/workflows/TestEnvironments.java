package dev.perennial.workflows;

import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryAnalysis;
import dev.perennial.workflows.canary.VersionStats;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;

/** Time-skipping test environments set up as the worker sets up a real server. */
public final class TestEnvironments {
  private TestEnvironments() {}

  /** A new environment with Perennial's search attributes registered. */
  public static TestWorkflowEnvironment withSearchAttributes() {
    return withSearchAttributes(TestEnvironmentOptions.getDefaultInstance());
  }

  /** As {@link #withSearchAttributes()}, with {@code options} (a metrics scope, say). */
  public static TestWorkflowEnvironment withSearchAttributes(TestEnvironmentOptions options) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options);
    for (var key : PerennialSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return env;
  }

  /**
   * Canary analysis that always finds no traffic: a rollout on it never gets past its first step on
   * its own, for tests that act on a rollout in flight.
   */
  public static CanaryActivities noTraffic() {
    return window ->
        new CanaryAnalysis(
            window, VersionStats.empty(window.champion()), VersionStats.empty(window.canary()), 0);
  }
}
