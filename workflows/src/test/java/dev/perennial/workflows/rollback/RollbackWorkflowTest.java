package dev.perennial.workflows.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.CanaryRolloutWorkflowImpl;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RollbackWorkflowTest {
  private TestWorkflowEnvironment env;
  private RegistryActivities registry;

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes();
    registry = mock(RegistryActivities.class, withSettings().withoutAnnotations());
    var worker = env.newWorker(TaskQueues.PIPELINES);
    worker.registerWorkflowImplementationTypes(
        WorkflowImplementations.OPTIONS,
        RollbackWorkflowImpl.class,
        CanaryRolloutWorkflowImpl.class);
    CanaryActivities analysis = TestEnvironments.noTraffic();
    worker.registerActivitiesImplementations(registry, analysis);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RollbackWorkflow stub() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            RollbackWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(RollbackWorkflow.workflowId("credit-default"))
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
  }

  private static ModelVersion champion(int version) {
    return new ModelVersion(
        "credit-default",
        version,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void endsTheCanaryThenMovesTheChampionBothAudited() {
    when(registry.findAlias("credit-default", Aliases.CHAMPION)).thenReturn(champion(3));

    RollbackResult result =
        stub().run(new RollbackRequest("credit-default", 1, "v3 misbehaves", "alice"));

    assertThat(result.previousChampion()).isEqualTo(3);
    assertThat(result.champion()).isEqualTo(1);
    assertThat(result.message()).isEqualTo("v1 is champion again (was v3)");
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(
            TrafficChange.championOnly("credit-default", "rollback to v1: v3 misbehaves", "alice"));
    order
        .verify(registry)
        .setAlias(
            new AliasChange(
                "credit-default", Aliases.CHAMPION, 1, "rollback to v1: v3 misbehaves", "alice"));
  }

  @Test
  void aRunningCanaryRolloutIsAbortedFirstSoItCannotShiftTrafficBack() throws Exception {
    when(registry.findAlias("credit-default", Aliases.CHAMPION)).thenReturn(champion(3));
    CanaryRolloutWorkflow canary =
        env.getWorkflowClient()
            .newWorkflowStub(
                CanaryRolloutWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(CanaryRolloutWorkflow.workflowId("credit-default"))
                    .setTaskQueue(TaskQueues.PIPELINES)
                    .build());
    WorkflowClient.start(canary::run, new CanaryRolloutRequest("credit-default", 4, null, "ci"));
    env.sleep(Duration.ofMinutes(5)); // step 1 is baking

    RollbackResult result =
        stub().run(new RollbackRequest("credit-default", 1, "v4 misbehaves", "alice"));

    assertThat(result.message())
        .isEqualTo("v1 is champion again (was v3); the running canary rollout was aborted");
    // Let the rollout act on the abort before the test clock runs again (see
    // CanaryRolloutTestSupport.settled: the Java test server's timer-cancel race).
    Eventually.until(
        "the rollout's end", Duration.ofSeconds(10), () -> canary.status().outcome() != null);
    CanaryResult rollout = WorkflowStub.fromTyped(canary).getResult(CanaryResult.class);
    assertThat(rollout.outcome()).isEqualTo(CanaryOutcome.ABORTED);
    assertThat(rollout.reason()).isEqualTo("aborted: rollback to v1: v4 misbehaves");
    verify(registry, never()).reject(any());
  }

  @Test
  void aRejectedTargetIsRefusedWithTheRegistrysReason() {
    when(registry.findAlias("credit-default", Aliases.CHAMPION)).thenReturn(champion(3));
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "alias champion cannot point at model credit-default version 2: its status is"
                    + " REJECTED",
                FailureTypes.REGISTRY_CONFLICT))
        .when(registry)
        .setAlias(any());

    assertThatThrownBy(() -> stub().run(new RollbackRequest("credit-default", 2, "try", "bob")))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("its status is REJECTED");
  }

  @Test
  void aRequestWithoutReasonIsRefusedBeforeAnythingChanges() {
    assertThatThrownBy(() -> stub().run(new RollbackRequest("credit-default", 0, " ", null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("version: must be a version number")
        .hasMessageContaining("reason: is required");
    verify(registry, never()).setAlias(any());
    verify(registry, never()).setTrafficSplit(any());
  }

  /** Recorded before the canary stop ({@code rollback-stops-canary}): replays without it. */
  @Test
  void aRollbackFromBeforeTheCanaryStopReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/rollback-before-canary-stop.json", RollbackWorkflowImpl.class);
  }
}
