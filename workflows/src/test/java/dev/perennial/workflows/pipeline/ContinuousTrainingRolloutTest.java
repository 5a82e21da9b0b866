package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflowImpl;
import dev.perennial.workflows.canary.RolloutMode;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** What the pipeline does with a gated candidate by rollout: challenger, or a canary child. */
class ContinuousTrainingRolloutTest extends ContinuousTrainingTestSupport {

  @Test
  void aGatedCandidateIsHandedToACanaryRolloutChildThatPromotesIt() throws Exception {
    happyPathUpToEvaluation(0.78, 0.82);
    FakeCanary.outcome = CanaryOutcome.PROMOTED;
    start(training);
    CanaryPolicy policy =
        CanaryPolicy.builder().steps(List.of(50, 100)).bakeTime("1m").minRequests(10).build();

    ContinuousTrainingResult result = stub("ct-canary").run(withRollout(null, policy));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.message()).isEqualTo("v2 is champion after its canary");
    assertThat(result.canary().outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(FakeCanary.seen)
        .isEqualTo(
            new CanaryRolloutRequest(
                Samples.MODEL, 2, policy.withDefaults(), "workflow:ct-canary"));
    assertThat(FakeCanary.workflowId).isEqualTo("canary-rollout-" + Samples.MODEL);
    // The child promoted; the pipeline itself moves no alias.
    verify(registry, never()).setAlias(any());
    assertThat(
            client.newUntypedWorkflowStub("ct-canary").describe().getMemo("canary", String.class))
        .isEqualTo("PROMOTED: fake verdict");
    recordHistoryIfAsked("ct-canary", "continuous-training-canary.json");
  }

  @Test
  void aShadowRolloutHandsTheCandidateToARolloutChildInShadowModeWithShadowDefaults()
      throws Exception {
    happyPathUpToEvaluation(0.78, 0.82);
    FakeCanary.outcome = CanaryOutcome.PROMOTED;
    start(training);

    ContinuousTrainingResult result =
        stub("ct-shadow").run(withRollout(Rollout.SHADOW, CanaryPolicy.builder().build()));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.message()).isEqualTo("v2 is champion after its shadow");
    // The same child workflow (one rollout per model), in shadow mode: one step, every request.
    assertThat(FakeCanary.seen)
        .isEqualTo(
            new CanaryRolloutRequest(
                Samples.MODEL,
                2,
                CanaryPolicy.defaultsFor(RolloutMode.SHADOW),
                "workflow:ct-shadow",
                RolloutMode.SHADOW));
    assertThat(FakeCanary.seen.policy().steps()).containsExactly(100);
    assertThat(FakeCanary.workflowId).isEqualTo("canary-rollout-" + Samples.MODEL);
    verify(registry, never()).setAlias(any());
    recordHistoryIfAsked("ct-shadow", "continuous-training-shadow.json");
  }

  @Test
  void aShadowThatBreachesEndsTheRunRolledBackSayingTheShadowWithdrewIt() {
    happyPathUpToEvaluation(0.78, 0.82);
    FakeCanary.outcome = CanaryOutcome.ROLLED_BACK;
    start(training);

    ContinuousTrainingResult result = stub("ct-shadow-bad").run(withRollout(Rollout.SHADOW, null));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message())
        .isEqualTo("v2 withdrawn by its shadow (fake verdict); v1 stays champion");
  }

  @Test
  void aCanaryThatBreachesEndsTheRunRolledBack() {
    happyPathUpToEvaluation(0.78, 0.82);
    FakeCanary.outcome = CanaryOutcome.ROLLED_BACK;
    start(training);

    ContinuousTrainingResult result =
        stub("ct-canary-bad").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message())
        .isEqualTo("v2 rolled back by its canary (fake verdict); v1 stays champion");
    verify(registry, never()).setAlias(any());
  }

  @Test
  void aCanaryWithoutAVerdictLeavesTheCandidateChallenger() {
    happyPathUpToEvaluation(0.78, 0.82);
    FakeCanary.outcome = CanaryOutcome.INCONCLUSIVE;
    start(training);

    ContinuousTrainingResult result =
        stub("ct-canary-thin").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(result.message())
        .isEqualTo("v2 is challenger: its canary ended INCONCLUSIVE (fake verdict)");
    verify(registry)
        .setAlias(
            new AliasChange(
                Samples.MODEL,
                Aliases.CHALLENGER,
                2,
                "passed the gate; canary INCONCLUSIVE: fake verdict",
                "workflow:ct-canary-thin"));
  }

  @Test
  void abortingThePipelineMidCanaryHandsTrafficBackToTheChampion() {
    happyPathUpToEvaluation(0.78, 0.82);
    CanaryActivities analysis = TestEnvironments.noTraffic();
    start(training, CanaryRolloutWorkflowImpl.class, analysis);

    WorkflowClient.start(stub("ct-abort-canary")::run, ContinuousTrainingRequest.of(Samples.MODEL));
    env.sleep(Duration.ofMinutes(5)); // the canary's first step is baking
    client.newWorkflowStub(ContinuousTrainingWorkflow.class, "ct-abort-canary").abort("wrong data");
    // Wait in real time, with the test clock held, until the child has handed traffic back. Were
    // the clock let run now (getResult does), it could reach the end of the child's bake as the
    // cancellation lands, and the Java test server then refuses the child's timer cancel
    // ("invalid history builder state for action", temporalio/sdk-java#2606): the run hangs. A
    // real server accepts it.
    verify(registry, timeout(10_000)).setTrafficSplit(argThat(t -> t.canaryVersion() == null));
    ContinuousTrainingResult result =
        client.newUntypedWorkflowStub("ct-abort-canary").getResult(ContinuousTrainingResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.message()).startsWith("aborted at CANARY: wrong data");
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(
            new TrafficChange(
                Samples.MODEL, 2, 10, "canary step 1 of 4", "workflow:ct-abort-canary"));
    order.verify(registry).setTrafficSplit(argThat(t -> t.canaryVersion() == null));
    verify(registry, never()).setAlias(any());
    verify(registry, never()).reject(any());
  }

  @Test
  void candidateBetterThanChampionBecomesChallengerWhenAskedTo() {
    happyPathUpToEvaluation(0.78, 0.82);
    start(training);

    ContinuousTrainingResult result = stub("ct-better").run(withRollout(Rollout.CHALLENGER, null));

    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(result.canary()).isNull();
    assertThat(FakeCanary.seen).isNull();
    ArgumentCaptor<AliasChange> alias = ArgumentCaptor.forClass(AliasChange.class);
    verify(registry).setAlias(alias.capture());
    assertThat(alias.getValue().alias()).isEqualTo(Aliases.CHALLENGER);
    assertThat(alias.getValue().version()).isEqualTo(2);
  }
}
