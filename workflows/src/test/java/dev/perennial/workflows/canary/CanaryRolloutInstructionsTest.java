package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The messages that say who and why: signed pause, resume and abort signals, and the approve and
 * promote-now updates, whose validators refuse what the rollout cannot take. Whoever is named
 * becomes the actor of the registry changes the message causes.
 */
class CanaryRolloutInstructionsTest extends CanaryRolloutTestSupport {

  @Test
  void aSignedPauseShowsWhoPausedAndWhy() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(15)); // step 2 baking
    running.pauseRollout(new Instruction("alice", "holiday freeze"));
    settled(() -> running.status().phase() == CanaryPhase.PAUSED);
    env.sleep(Duration.ofHours(2));

    assertThat(running.status().message()).isEqualTo("paused at 25 %: holiday freeze (by alice)");
    assertThat(windows).hasSize(1);

    running.resumeRollout(new Instruction("alice", "freeze over"));
    settled(() -> running.status().phase() != CanaryPhase.PAUSED);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(oneBake(windows.get(1))).as("window %s", windows.get(1)).isTrue();
    record("canary-rollout-pause-resume.json");
  }

  @Test
  void anApprovalAnswersAndNamesTheApproverInTheAudit() throws Exception {
    WorkflowClient.start(stub()::run, request(policy(null, null, true, "1d")));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofHours(1));
    assertThat(running.status().phase()).isEqualTo(CanaryPhase.AWAITING_APPROVAL);

    ApprovalDecision decision =
        running.approveRollout(new ApprovalRequest("alice", "ROC curves checked"));
    assertThat(decision.approved()).isTrue();
    assertThat(decision.by()).isEqualTo("alice");
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    String reason = "canary passed 4 steps against v3; approved by alice: ROC curves checked";
    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.reason()).isEqualTo(reason);
    verify(registry).setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 4, reason, "alice"));
    verify(registry).setTrafficSplit(TrafficChange.championOnly(MODEL, reason, "alice"));
    record("canary-rollout-approved.json");
  }

  @Test
  void approvalsTheRolloutCannotTakeAreRefusedWithTheReason() throws Exception {
    WorkflowClient.start(stub()::run, request(policy(null, null, true, "1d")));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(5)); // step 1 baking

    assertThatThrownBy(() -> running.approveRollout(new ApprovalRequest(" ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: say who decides");
    // An approval may come early; a second one is refused.
    running.approveRollout(new ApprovalRequest("alice", null));
    assertThatThrownBy(() -> running.approveRollout(new ApprovalRequest("bob", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("already approved by alice");
    assertThat(running.status().approved()).isTrue();

    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);
    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED); // no wait at the end
  }

  @Test
  void anApprovalIsRefusedWhenThePolicyAsksForNone() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(5));

    assertThatThrownBy(() -> running.approveRollout(new ApprovalRequest("alice", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("does not wait for approval");
    assertThat(running.status().approved()).isFalse();
    running.abortRollout(new Instruction("alice", "test over"));
    WorkflowStub.fromTyped(running).getResult(CanaryResult.class);
  }

  @Test
  void promoteNowAnswersAndNamesWhoAskedInTheAudit() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(12));

    assertThatThrownBy(() -> running.promoteRolloutNow(new Instruction(null, "urgent")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: say who asks");
    Instruction taken = running.promoteRolloutNow(new Instruction("carol", "urgent fix"));
    assertThat(taken.by()).isEqualTo("carol");
    assertThatThrownBy(() -> running.promoteRolloutNow(new Instruction("dave", "me too")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("promotion already asked for: urgent fix (by carol)");
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.reason()).isEqualTo("promoted now: urgent fix");
    assertThat(shares).containsExactly(10, 25, 0);
    verify(registry)
        .setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 4, "promoted now: urgent fix", "carol"));
    verify(registry)
        .setTrafficSplit(TrafficChange.championOnly(MODEL, "promoted now: urgent fix", "carol"));
    record("canary-rollout-promote-now.json");
  }

  @Test
  void aSignedAbortSendsTrafficBackInTheNameOfWhoAborted() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(25));

    running.abortRollout(new Instruction("bob", "wrong version"));
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ABORTED);
    assertThat(result.reason()).isEqualTo("aborted: wrong version");
    verify(registry)
        .setTrafficSplit(TrafficChange.championOnly(MODEL, "aborted: wrong version", "bob"));
    verify(registry, never()).reject(any());
    verify(registry, never()).setAlias(any());
    record("canary-rollout-abort.json");
  }
}
