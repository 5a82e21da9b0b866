package dev.perennial.workflows.pipeline;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.beatsChampion;
import static dev.perennial.workflows.gate.GateRule.noWorseThanChampion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipeline of one's own from the building blocks: a random forest behind a strict gate, promoted
 * only when a person approves within two days (the example of "Perennial as a library"). Its
 * approve, reject and abort histories are replayed by {@link ApprovalPipelineReplayTest}.
 */
@Timeout(60)
class ApprovalPipelineTest {

  @WorkflowInterface
  public interface ApprovedForest extends PerennialPipeline, Approvable {
    @WorkflowMethod(name = "ApprovedForest")
    ContinuousTrainingResult run(ContinuousTrainingRequest request);
  }

  public static class ApprovedForestImpl extends PipelineWorkflow implements ApprovedForest {
    static final ValidationGate STRICT =
        ValidationGate.of(
            atLeast("auc", 0.70), beatsChampion("auc", 0.005), noWorseThanChampion("logLoss"));

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(
          request,
          r -> {
            Hyperparameters forest = Hyperparameters.of(Hyperparameters.RANDOM_FOREST);
            pipeline.evaluate(pipeline.train(pipeline.snapshot(), forest));
            if (!pipeline.gate(STRICT).passed()) {
              return pipeline.rejected();
            }
            return pipeline.promoteIfApproved(Duration.ofDays(2));
          });
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final DatasetActivities datasets =
      mock(DatasetActivities.class, withSettings().withoutAnnotations());
  private final TrainingActivities training =
      mock(TrainingActivities.class, withSettings().withoutAnnotations());
  private final RegistryActivities registry =
      mock(RegistryActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes();
    env.newWorker(TaskQueues.PIPELINES)
        .registerWorkflowImplementationTypes(
            WorkflowImplementations.OPTIONS, ApprovedForestImpl.class);
    env.getWorkerFactory()
        .getWorker(TaskQueues.PIPELINES)
        .registerActivitiesImplementations(datasets, registry);
    env.newWorker(TaskQueues.TRAINING).registerActivitiesImplementations(training);
    env.start();
    client = env.getWorkflowClient();
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any())).thenReturn(Samples.passingValidation());
    when(training.train(any())).thenReturn(Samples.trained());
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION))
        .thenReturn(Samples.version(1, 0.80, true));
    when(registry.register(any()))
        .thenAnswer(i -> Samples.registered(i.getArgument(0, RegistrationRequest.class), 2));
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ApprovedForest start(double candidateAuc) {
    when(training.evaluate(any())).thenReturn(Samples.evaluation(candidateAuc, 0.80));
    ApprovedForest run =
        client.newWorkflowStub(
            ApprovedForest.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowId("approved-forest-" + Samples.MODEL)
                .build());
    WorkflowClient.start(run::run, ContinuousTrainingRequest.of(Samples.MODEL));
    return run;
  }

  private static void awaitStage(ApprovedForest run, Stage stage) throws InterruptedException {
    Eventually.until("stage " + stage, Duration.ofSeconds(20), () -> run.status().stage() == stage);
  }

  /** Records the run's history as a replay fixture, when asked to (see {@link Histories}). */
  private void record(String file) throws Exception {
    Histories.recordIfAsked(client, "approved-forest-" + Samples.MODEL, null, file);
  }

  @Test
  void anApprovedCandidateBecomesChampionWithTheApproverInTheAudit() throws Exception {
    ApprovedForest run = start(0.82);
    awaitStage(run, Stage.AWAITING_APPROVAL);
    verify(registry).setAlias(argThat(c -> Aliases.CHALLENGER.equals(c.alias())));

    ApprovalDecision d = run.approve(new ApprovalRequest("alice", "ROC looks right"));
    assertThat(d.approved()).isTrue();
    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.message()).isEqualTo("v2 is champion, approved by alice: ROC looks right");
    verify(registry)
        .setAlias(
            argThat(
                c ->
                    Aliases.CHAMPION.equals(c.alias())
                        && c.version() == 2
                        && "alice".equals(c.actor())
                        && c.reason().equals("approved by alice: ROC looks right")));
    verify(training)
        .train(argThat(j -> j.hyperparameters().algorithm().equals(Hyperparameters.RANDOM_FOREST)));
    record("approved-forest-approved.json");
  }

  @Test
  void withoutAnAnswerInTwoDaysItStaysChallenger() throws Exception {
    ApprovedForest run = start(0.82);
    awaitStage(run, Stage.AWAITING_APPROVAL);
    env.sleep(Duration.ofDays(2).plusMinutes(1));
    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(result.message()).isEqualTo("v2 stays challenger: no approval within PT48H");
    verify(registry, never()).setAlias(argThat(c -> Aliases.CHAMPION.equals(c.alias())));
  }

  @Test
  void aRejectionWithdrawsTheVersionInTheNameOfWhoRefusedIt() throws Exception {
    ApprovedForest run = start(0.82);
    awaitStage(run, Stage.AWAITING_APPROVAL);
    run.reject(new ApprovalRequest("bob", "trained on the outage week"));
    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    verify(registry)
        .reject(
            argThat(
                r ->
                    r.version() == 2
                        && "bob".equals(r.actor())
                        && r.reason().equals("rejected by bob: trained on the outage week")));
    record("approved-forest-rejected.json");
  }

  @Test
  void decisionsThatCannotBeTakenAreRefusedWithTheReason() throws Exception {
    ApprovedForest run = start(0.82);
    awaitStage(run, Stage.AWAITING_APPROVAL);
    assertThatThrownBy(() -> run.approve(new ApprovalRequest(" ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: say who decides");
    run.approve(new ApprovalRequest("alice", null));
    WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class);
  }

  @Test
  void theStrictGateRefusesACandidateThatDoesNotBeatTheChampionByTheMargin() throws Exception {
    ApprovedForest run = start(0.803);
    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.decision().reasons())
        .anyMatch(r -> r.startsWith("failed auc >= champion 0.8000 + 0.0050"));
    verify(registry, never()).setAlias(any());
  }

  @Test
  void anApprovalBeforeTheWaitIsRefused() throws Exception {
    when(datasets.validate(any()))
        .thenAnswer(
            i -> {
              // A deliberate wait, not for a state: a slow validation holds the run before its
              // approval wait, while the test sends an approval too early.
              Thread.sleep(300);
              return Samples.passingValidation();
            });
    ApprovedForest run = start(0.82);
    awaitStage(run, Stage.VALIDATE);
    assertThatThrownBy(() -> run.approve(new ApprovalRequest("alice", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("nothing is waiting for approval (the run is at VALIDATE");
    run.abort("test over");
    assertThat(WorkflowStub.fromTyped(run).getResult(ContinuousTrainingResult.class).outcome())
        .isEqualTo(Outcome.ABORTED);
    record("approved-forest-aborted.json");
  }
}
