package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The bare-string signals that running rollouts may still receive (pause, resume, approve,
 * promote-now, abort), and cancellation from outside. They name nobody: the audit records the
 * rollout's own actor.
 */
class CanaryRolloutSignalsTest extends CanaryRolloutTestSupport {

  @Test
  void waitsForApprovalBeforePromoting() throws Exception {
    WorkflowClient.start(stub()::run, request(policy(null, null, true, "1d")));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofHours(1));

    assertThat(running.status().phase()).isEqualTo(CanaryPhase.AWAITING_APPROVAL);
    assertThat(running.status().message())
        .isEqualTo("every step passed; waiting up to 1d for an approve signal");
    verify(registry, never()).setAlias(any());

    running.approve("alice");
    verify(registry, timeout(10_000)).setAlias(any()); // the run reacted: see settled()
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(running.status().approved()).isTrue();
    record("canary-rollout-approve-signal.json");
  }

  @Test
  void pauseHoldsTheStepUntilResumeAndThePausedBakeStartsAfresh() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(15)); // step 1 analysed at 10 min, step 2 baking
    running.pause("holiday freeze");
    settled(() -> running.status().phase() == CanaryPhase.PAUSED);
    env.sleep(Duration.ofHours(6));

    CanaryStatus held = running.status();
    assertThat(held.phase()).isEqualTo(CanaryPhase.PAUSED);
    assertThat(held.paused()).isTrue();
    assertThat(held.step()).isEqualTo(2);
    assertThat(held.canaryPercent()).isEqualTo(25);
    assertThat(held.message()).isEqualTo("paused at 25 %: holiday freeze");
    assertThat(windows).hasSize(1);
    assertThat(shares).containsExactly(10, 25);

    running.resume(null);
    settled(() -> running.status().phase() != CanaryPhase.PAUSED);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    // Step 2's window is a whole bake after the resume, not the paused stretch.
    AnalysisWindow step2 = windows.get(1);
    assertThat(oneBake(step2)).as("window %s", step2).isTrue();
    assertThat(Instant.parse(step2.from()))
        .isAfter(Instant.parse(windows.get(0).to()).plus(Duration.ofHours(6)));
    record("canary-rollout-pause-resume-signals.json");
  }

  @Test
  void promoteNowSkipsTheRemainingSteps() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(12));

    running.promoteNow("urgent fix for a bad feature");
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.reason()).isEqualTo("promoted now: urgent fix for a bad feature");
    assertThat(shares).containsExactly(10, 25, 0);
    verify(registry)
        .setAlias(
            new AliasChange(
                MODEL, Aliases.CHAMPION, 4, "promoted now: urgent fix for a bad feature", ACTOR));
    record("canary-rollout-promote-now-signal.json");
  }

  @Test
  void abortSendsTrafficBackAndKeepsTheVersionApproved() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(25));

    running.abort("wrong version");
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ABORTED);
    assertThat(result.reason()).isEqualTo("aborted: wrong version");
    assertThat(shares).containsExactly(10, 25, 50, 0);
    verify(registry, never()).reject(any());
    verify(registry, never()).setAlias(any());
    assertThat(running.status().outcome()).isEqualTo(CanaryOutcome.ABORTED);
    record("canary-rollout-abort-signal.json");
  }

  @Test
  void cancellingTheRunStillSendsTrafficBack() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    env.sleep(Duration.ofMinutes(15));

    WorkflowStub.fromTyped(running()).cancel();
    settled(this::trafficBack);

    assertThatThrownBy(() -> WorkflowStub.fromTyped(running()).getResult(CanaryResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(shares).containsExactly(10, 25, 0);
  }
}
