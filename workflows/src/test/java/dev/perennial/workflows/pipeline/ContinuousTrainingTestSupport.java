package dev.perennial.workflows.pipeline;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Histories;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.CanaryStatus;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.training.TrainingActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline with mocked activities on Temporal's time-skipping test server, with workers on both
 * task queues as in production; the rollout child is a stand-in whose outcome a test sets.
 */
@Timeout(120) // A safety net against a run that never ends, not a speed check.
abstract class ContinuousTrainingTestSupport {
  TestWorkflowEnvironment env;
  WorkflowClient client;
  DatasetActivities datasets;
  TrainingActivities training;
  RegistryActivities registry;

  @BeforeEach
  void setUp() {
    FakeCanary.seen = null;
    FakeCanary.workflowId = null;
    env = TestEnvironments.withSearchAttributes();
    datasets = mock(DatasetActivities.class, withSettings().withoutAnnotations());
    training = mock(TrainingActivities.class, withSettings().withoutAnnotations());
    registry = mock(RegistryActivities.class, withSettings().withoutAnnotations());
    client = env.getWorkflowClient();
  }

  void start(Object trainingImpl) {
    start(trainingImpl, FakeCanary.class);
  }

  /** With {@code canaryImpl} as the rollout child and {@code more} activities beside the mocks. */
  void start(Object trainingImpl, Class<?> canaryImpl, Object... more) {
    Worker pipelines = env.newWorker(TaskQueues.PIPELINES);
    pipelines.registerWorkflowImplementationTypes(
        WorkflowImplementations.OPTIONS, ContinuousTrainingWorkflowImpl.class, canaryImpl);
    pipelines.registerActivitiesImplementations(datasets, registry);
    pipelines.registerActivitiesImplementations(more);
    env.newWorker(TaskQueues.TRAINING).registerActivitiesImplementations(trainingImpl);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  void happyPathUpToEvaluation(Double championAuc, double candidateAuc) {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any())).thenReturn(Samples.passingValidation());
    when(training.train(any())).thenReturn(Samples.trained());
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION))
        .thenReturn(championAuc == null ? null : Samples.version(1, championAuc, true));
    when(training.evaluate(any())).thenReturn(Samples.evaluation(candidateAuc, championAuc));
    int next = championAuc == null ? 1 : 2;
    when(registry.register(any())).thenAnswer(inv -> Samples.registered(inv.getArgument(0), next));
  }

  ContinuousTrainingWorkflow stub(String id) {
    return client.newWorkflowStub(
        ContinuousTrainingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.PIPELINES).build());
  }

  static ContinuousTrainingRequest withRollout(Rollout rollout, CanaryPolicy canary) {
    return new ContinuousTrainingRequest(
        Samples.MODEL, null, null, null, null, null, null, null, null, rollout, canary, null);
  }

  /** Stands in for the rollout child: answers with {@link #outcome} at once. */
  public static class FakeCanary implements CanaryRolloutWorkflow {
    static volatile CanaryOutcome outcome = CanaryOutcome.PROMOTED;
    static volatile CanaryRolloutRequest seen;
    static volatile String workflowId;

    @Override
    public CanaryResult run(CanaryRolloutRequest request) {
      seen = request;
      workflowId = Workflow.getInfo().getWorkflowId();
      int champion = outcome == CanaryOutcome.PROMOTED ? request.version() : 1;
      return new CanaryResult(
          request.model(),
          request.version(),
          outcome,
          champion,
          1,
          "fake verdict",
          List.of(),
          "",
          request.mode());
    }

    @Override
    public CanaryStatus status() {
      return null;
    }

    @Override
    public void pause(String reason) {}

    @Override
    public void resume(String note) {}

    @Override
    public void approve(String who) {}

    @Override
    public void promoteNow(String reason) {}

    @Override
    public void abort(String reason) {}

    @Override
    public void pauseRollout(Instruction instruction) {}

    @Override
    public void resumeRollout(Instruction instruction) {}

    @Override
    public void abortRollout(Instruction instruction) {}

    @Override
    public ApprovalDecision approveRollout(ApprovalRequest request) {
      return null;
    }

    @Override
    public void validateApproveRollout(ApprovalRequest request) {}

    @Override
    public Instruction promoteRolloutNow(Instruction instruction) {
      return instruction;
    }

    @Override
    public void validatePromoteRolloutNow(Instruction instruction) {}
  }

  void recordHistoryIfAsked(String workflowId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, null, file);
  }
}
