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

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
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
        WorkflowImplementations.OPTIONS, RollbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(registry);
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
}
