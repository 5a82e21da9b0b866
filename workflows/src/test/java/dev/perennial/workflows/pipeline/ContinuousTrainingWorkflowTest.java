package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.CanaryRolloutWorkflowImpl;
import dev.perennial.workflows.canary.CanaryStatus;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingActivities;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/**
 * The pipeline with mocked activities on Temporal's time-skipping test server, with workers on both
 * task queues as in production.
 */
@Timeout(120) // A safety net against a run that never ends, not a speed check.
class ContinuousTrainingWorkflowTest {
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private DatasetActivities datasets;
  private TrainingActivities training;
  private RegistryActivities registry;

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

  private void start(Object trainingImpl) {
    start(trainingImpl, FakeCanary.class);
  }

  /** With {@code canaryImpl} as the rollout child and {@code more} activities beside the mocks. */
  private void start(Object trainingImpl, Class<?> canaryImpl, Object... more) {
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

  private void happyPathUpToEvaluation(Double championAuc, double candidateAuc) {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any())).thenReturn(Samples.passingValidation());
    when(training.train(any())).thenReturn(Samples.trained());
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION))
        .thenReturn(championAuc == null ? null : Samples.version(1, championAuc, true));
    when(training.evaluate(any())).thenReturn(Samples.evaluation(candidateAuc, championAuc));
    int next = championAuc == null ? 1 : 2;
    when(registry.register(any())).thenAnswer(inv -> Samples.registered(inv.getArgument(0), next));
  }

  private ContinuousTrainingWorkflow stub(String id) {
    return client.newWorkflowStub(
        ContinuousTrainingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.PIPELINES).build());
  }

  @Test
  void firstVersionThatPassesTheGateBecomesChampion() throws Exception {
    happyPathUpToEvaluation(null, 0.80);
    start(training);

    ContinuousTrainingWorkflow wf = stub("ct-first");
    ContinuousTrainingResult result = wf.run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.version()).isEqualTo(1);
    assertThat(result.decision().passed()).isTrue();
    assertThat(result.datasetVersion()).isEqualTo(Samples.snapshot().datasetVersion());
    ArgumentCaptor<AliasChange> alias = ArgumentCaptor.forClass(AliasChange.class);
    verify(registry).setAlias(alias.capture());
    assertThat(alias.getValue().alias()).isEqualTo(Aliases.CHAMPION);
    assertThat(alias.getValue().version()).isEqualTo(1);
    // The request's defaults reached the activities.
    verify(datasets).snapshot(DatasetSpec.forModel(Samples.MODEL));
    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    assertThat(reg.getValue().idempotencyKey()).startsWith("ct-first/");
    assertThat(reg.getValue().hyperparameters()).isEqualTo(Hyperparameters.defaults());

    PipelineStatus status = wf.status();
    assertThat(status.stage()).isEqualTo(Stage.DONE);
    assertThat(status.progress()).isEqualTo(1.0);
    assertThat(status.version()).isEqualTo(1);
    var attrs = client.newUntypedWorkflowStub("ct-first").describe().getTypedSearchAttributes();
    assertThat(attrs.get(PerennialSearchAttributes.MODEL)).isEqualTo(Samples.MODEL);
    assertThat(attrs.get(PerennialSearchAttributes.TRIGGER)).isEqualTo("MANUAL");
    assertThat(attrs.get(PerennialSearchAttributes.STAGE)).isEqualTo("DONE");

    var memo = client.newUntypedWorkflowStub("ct-first").describe();
    assertThat(memo.getMemo("validationReport", String.class))
        .isEqualTo("s3://perennial-artifacts/runs/validation.json");
    assertThat(memo.getMemo("evaluationReport", String.class))
        .isEqualTo("s3://perennial-artifacts/runs/evaluation.json");
    assertThat(memo.getMemo("version", String.class)).isEqualTo("v1 APPROVED");

    recordHistoryIfAsked("ct-first", "continuous-training-promoted-memo.json");
  }

  @Test
  void aDriftStartedRunLinksItsReportAndRecordsItWithTheVersion() throws Exception {
    happyPathUpToEvaluation(null, 0.80);
    start(training);
    ObjectRef drift =
        new ObjectRef(
            "perennial-artifacts",
            "drift/" + Samples.MODEL + "/2026-03-02T11-00-00Z/report.html",
            "ab".repeat(32),
            1234);

    ContinuousTrainingResult result =
        stub("ct-drift")
            .run(
                ContinuousTrainingRequest.of(Samples.MODEL)
                    .forDrift(Samples.MODEL, drift, "drift in window: 7 of 20 features drifted"));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    assertThat(reg.getValue().trigger()).isEqualTo(Trigger.DRIFT);
    assertThat(reg.getValue().driftReport()).isEqualTo(drift);
    var described = client.newUntypedWorkflowStub("ct-drift").describe();
    assertThat(described.getMemo("driftReport", String.class)).isEqualTo(drift.uri());
    assertThat(described.getTypedSearchAttributes().get(PerennialSearchAttributes.TRIGGER))
        .isEqualTo("DRIFT");

    recordHistoryIfAsked("ct-drift", "continuous-training-drift.json");
  }

  @Test
  void candidateWorseThanChampionIsRegisteredAsRejectedAndNothingMoves() {
    happyPathUpToEvaluation(0.80, 0.74);
    start(training);

    ContinuousTrainingResult result =
        stub("ct-reject").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.version()).isEqualTo(2);
    assertThat(result.decision().passed()).isFalse();
    assertThat(result.decision().championVersion()).isEqualTo(1);
    assertThat(result.decision().reasons())
        .anySatisfy(r -> assertThat(r).contains("auc >= champion 0.8000"));
    assertThat(result.champion().auc()).isEqualTo(0.80);
    verify(registry, never()).setAlias(any());
  }

  @Test
  void evaluationMemoLinksThePageForPeopleWhenTheWorkerWroteOne() {
    happyPathUpToEvaluation(null, 0.80);
    when(training.evaluate(any())).thenReturn(Samples.evaluationWithPage(0.80, null));
    start(training);

    ContinuousTrainingResult result =
        stub("ct-page").run(ContinuousTrainingRequest.of(Samples.MODEL));

    var described = client.newUntypedWorkflowStub("ct-page").describe();
    assertThat(described.getMemo("evaluationReport", String.class))
        .isEqualTo("s3://perennial-artifacts/runs/evaluation-report.html");
    assertThat(result.evaluationPage().uri())
        .isEqualTo("s3://perennial-artifacts/runs/evaluation-report.html");
    assertThat(result.evaluationReport().uri())
        .isEqualTo("s3://perennial-artifacts/runs/evaluation.json");
  }

  private static ContinuousTrainingRequest withRollout(Rollout rollout, CanaryPolicy canary) {
    return new ContinuousTrainingRequest(
        Samples.MODEL, null, null, null, null, null, null, null, null, rollout, canary, null);
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
          request.model(), request.version(), outcome, champion, 1, "fake verdict", List.of(), "");
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

  @Test
  void validationFailureEndsTheRunOnceWithEveryViolation() {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any()))
        .thenReturn(
            new ValidationReport(
                false,
                900,
                List.of("rows: 900 rows, fewer than minRows 1000", "income: missing 31% > 20%"),
                List.of(),
                Samples.ref("runs/validation.json")));
    start(training);

    assertThatThrownBy(() -> stub("ct-invalid").run(ContinuousTrainingRequest.of(Samples.MODEL)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.DATA_VALIDATION_FAILED);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("2 violations")
                  .contains("fewer than minRows 1000")
                  .contains("income: missing 31%")
                  .contains("s3://perennial-artifacts/runs/validation.json");
            });
    verify(datasets, times(1)).validate(any());
    verify(training, never()).train(any());
    verify(registry, never()).register(any());
  }

  @Test
  void invalidRequestFailsFastNamingEveryBadField() {
    start(training);
    var bad =
        new ContinuousTrainingRequest(
            "Credit Default!",
            null,
            new DatasetSpec(null, null, "2026-02-30", null, 0, null),
            new Hyperparameters(null, -1, null, null, null, 2.0, null, null, null, null, null),
            null,
            null,
            0,
            true,
            null,
            Rollout.CANARY,
            CanaryPolicy.builder().steps(List.of()).bakeTime("forever").build(),
            null);

    assertThatThrownBy(() -> stub("ct-bad").run(bad))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(f.getOriginalMessage())
                  .contains("model: must be")
                  .contains("holdoutDays: must be between 1 and 365 (got 0)")
                  .contains("dataset.from: must be an ISO date")
                  .contains("dataset.lastDays")
                  .contains("hyperparameters.trees")
                  .contains("hyperparameters.shrinkage")
                  .contains("promoteOnPass: true means rollout PROMOTE, but rollout is CANARY")
                  .contains("canary.bakeTime: 'forever' is not a duration");
            });
    verify(datasets, never()).snapshot(any());
  }

  @Test
  void tooFewPartitionsForTheHoldoutIsAnActionableError() {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    start(training);
    var request =
        new ContinuousTrainingRequest(
            Samples.MODEL, null, null, null, null, null, 14, null, null, null, null, null);

    assertThatThrownBy(() -> stub("ct-holdout").run(request))
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_DATASET);
              assertThat(f.getOriginalMessage()).contains("holdoutDays=14 leaves none to train on");
            });
  }

  @Test
  void transientSnapshotFailuresAreRetriedAndTheRunCompletes() {
    happyPathUpToEvaluation(null, 0.80);
    when(datasets.snapshot(any()))
        .thenThrow(new IllegalStateException("S3 unavailable"))
        .thenThrow(new IllegalStateException("S3 unavailable"))
        .thenReturn(Samples.snapshot());
    start(training);

    ContinuousTrainingResult result =
        stub("ct-flaky").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    verify(datasets, times(3)).snapshot(any());
  }

  @Test
  void abortDuringTrainingCancelsItAndRegistersNothing() throws Exception {
    happyPathUpToEvaluation(null, 0.80);
    AtomicInteger trainingStarted = new AtomicInteger();
    AtomicInteger trainingCancelled = new AtomicInteger();
    TrainingActivities slowTraining =
        new TrainingActivities() {
          @Override
          public dev.perennial.workflows.training.TrainedModel train(
              dev.perennial.workflows.training.TrainingJob job) {
            trainingStarted.incrementAndGet();
            try {
              while (true) {
                Activity.getExecutionContext().heartbeat("fitting");
                Thread.sleep(50);
              }
            } catch (io.temporal.client.ActivityCompletionException e) {
              trainingCancelled.incrementAndGet();
              throw e;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          }

          @Override
          public dev.perennial.workflows.training.Evaluation evaluate(
              dev.perennial.workflows.training.EvaluationJob job) {
            throw new AssertionError("evaluate must not run after abort");
          }
        };
    start(slowTraining);

    ContinuousTrainingWorkflow wf = stub("ct-abort");
    WorkflowClient.start(wf::run, ContinuousTrainingRequest.of(Samples.MODEL));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (wf.status().stage() != Stage.TRAIN || trainingStarted.get() == 0) {
      assertThat(System.nanoTime()).as("training should start").isLessThan(deadline);
      Thread.sleep(20);
    }
    wf.abort("wrong dataset");
    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(wf).getResult(ContinuousTrainingResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.message()).contains("TRAIN").contains("wrong dataset");
    assertThat(result.version()).isNull();
    assertThat(wf.status().stage()).isEqualTo(Stage.ABORTED);
    verify(registry, never()).register(any());
    verify(registry, never()).setAlias(any());
    // Heartbeats are batched (at most every 0.8 x heartbeat timeout), so delivery takes seconds.
    long waitCancel = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (trainingCancelled.get() == 0 && System.nanoTime() < waitCancel) {
      Thread.sleep(20);
    }
    assertThat(trainingCancelled.get()).as("training saw the cancellation").isEqualTo(1);
  }

  @Test
  void inputTheRequestRecordCannotHoldFailsAtOnceNamingTheField() {
    start(training);
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            ContinuousTrainingWorkflow.TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId("ct-form")
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    // As typed into the UI's Start Workflow form: an enum value that does not exist.
    stub.start(java.util.Map.of("model", "credit-default", "trigger", "WEEKLY"));

    assertThatThrownBy(() -> stub.getResult(ContinuousTrainingResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("WEEKLY")
        .hasMessageContaining("[DRIFT, MANUAL, SCHEDULE]")
        .hasMessageContaining("\"trigger\"");
    verify(datasets, never()).snapshot(any());
  }

  private void recordHistoryIfAsked(String workflowId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, null, file);
  }
}
