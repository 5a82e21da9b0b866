package dev.perennial.workflows.canary;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Recorded rollouts must replay against the current workflow code (see the change ids). */
class CanaryRolloutReplayTest {

  /**
   * Recorded before {@code canary-noise-aware}: step 1 passes, step 2 breaches on error rate and
   * the version is withdrawn. Replays judging the measured figures alone, as it ran.
   */
  @Test
  void aBreachFromBeforeTheNoiseGuardReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/canary-rollout-breach-before-noise.json", CanaryRolloutWorkflowImpl.class);
  }
}
