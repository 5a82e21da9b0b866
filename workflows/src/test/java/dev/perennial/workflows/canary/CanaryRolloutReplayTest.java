package dev.perennial.workflows.canary;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recorded rollouts must replay against the current workflow code (see the change ids). Refresh the
 * message histories with {@code -Dperennial.recordHistories=true} on {@link
 * CanaryRolloutSignalsTest} and {@link CanaryRolloutInstructionsTest}.
 */
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

  /** Shadows: one promoted after its step passed, one withdrawn for disagreeing too often. */
  @ParameterizedTest
  @ValueSource(
      strings = {"canary-rollout-shadow-promoted.json", "canary-rollout-shadow-withdrawn.json"})
  void aShadowReplays(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + history, CanaryRolloutWorkflowImpl.class);
  }

  /**
   * Rollouts steered by each message: the bare-string signals running rollouts may still receive,
   * and the signed signals and updates.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "canary-rollout-pause-resume-signals.json",
        "canary-rollout-approve-signal.json",
        "canary-rollout-promote-now-signal.json",
        "canary-rollout-abort-signal.json",
        "canary-rollout-pause-resume.json",
        "canary-rollout-approved.json",
        "canary-rollout-promote-now.json",
        "canary-rollout-abort.json"
      })
  void aRolloutSteeredByMessagesReplays(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + history, CanaryRolloutWorkflowImpl.class);
  }
}
