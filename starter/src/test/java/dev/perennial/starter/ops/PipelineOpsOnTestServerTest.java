package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.testkit.PerennialTestEnvironment;
import dev.perennial.testkit.Records;
import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.Stage;
import dev.perennial.workflows.rollback.RollbackRequest;
import dev.perennial.workflows.rollback.RollbackResult;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operations on pipeline runs without the command line: start, state, approval, following and
 * rollback, against Temporal's Java test server with {@link ApprovedForest} and mocked activities.
 */
@Timeout(120)
class PipelineOpsOnTestServerTest {
  static final String MODEL = "loan-churn-ops";
  static final String ID = "approved-forest-loan-churn-ops";

  @RegisterExtension
  final PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ApprovedForest.Impl.class);

  WorkflowClient client;

  @BeforeEach
  void up() {
    client = env.client();
    env.registry().seedChampion(MODEL, Records.metrics(0.80, 0.35));
    env.training().candidate(0.82, 0.35);
  }

  private PipelineRuns.StartResult start(String id) {
    return PipelineRuns.start(client, ApprovedForest.TYPE, id, ContinuousTrainingRequest.of(MODEL));
  }

  private void awaitStage(String id, Stage stage) {
    await("stage " + stage)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> RunProgress.status(client.newUntypedWorkflowStub(id)).stage() == stage);
  }

  @Test
  void startStateApproveAndRollBack() {
    PipelineRuns.StartResult started = start(ID);
    String runId = client.newUntypedWorkflowStub(ID).describe().getExecution().getRunId();
    assertThat(started).isEqualTo(new PipelineRuns.Started(ID, runId));
    assertThat(start(ID)).isEqualTo(new PipelineRuns.AlreadyRunning(ID));

    ApprovalRequest alice = new ApprovalRequest("alice", "ROC looks right");
    awaitStage(ID, Stage.AWAITING_APPROVAL);
    RunStates.RunState waiting = RunStates.latest(client, MODEL, ApprovedForest.TYPE).orElseThrow();
    assertThat(waiting.workflowId()).isEqualTo(ID);
    assertThat(waiting.workflowType()).isEqualTo(ApprovedForest.TYPE);
    assertThat(waiting.state())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(waiting.status().stage()).isEqualTo(Stage.AWAITING_APPROVAL);
    assertThat(waiting.result()).isNull();
    // The test server cannot search: without a type, the conventional ContinuousTraining id.
    assertThat(RunStates.latest(client, MODEL, null)).isEmpty();
    assertThat(Approvals.decide(client, Approvable.APPROVE, MODEL, null, alice))
        .isInstanceOf(Approvals.Unsearchable.class);
    assertThat(Approvals.decide(client, Approvable.APPROVE, MODEL, "no-such-run", alice))
        .isEqualTo(new Approvals.NoSuchRun("no-such-run"));

    Approvals.Outcome approved = Approvals.decide(client, Approvable.APPROVE, MODEL, ID, alice);
    assertThat(approved).isInstanceOf(Approvals.Decided.class);
    Approvals.Decided decided = (Approvals.Decided) approved;
    assertThat(decided.workflowId()).isEqualTo(ID);
    assertThat(decided.workflowType()).isEqualTo(ApprovedForest.TYPE);
    assertThat(decided.decision().reason(null)).isEqualTo("approved by alice: ROC looks right");
    client.newUntypedWorkflowStub(ID).getResult(ContinuousTrainingResult.class);

    RunStates.RunState done = RunStates.latest(client, MODEL, ApprovedForest.TYPE).orElseThrow();
    assertThat(done.state()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(done.result().outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(done.failure()).isNull();

    RollbackResult rolledBack =
        Rollbacks.run(client, new RollbackRequest(MODEL, 1, "ROC was wrong after all", "alice"));
    assertThat(rolledBack.previousChampion()).isEqualTo(2);
    assertThat(rolledBack.champion()).isEqualTo(1);
    assertThat(env.registry().aliases(MODEL)).containsEntry("champion", 1);
  }

  @Test
  void followHandsOnEachChangeAndReturnsTheResult() throws Exception {
    String id = "churn-approval-ops";
    assertThat(start(id)).isInstanceOf(PipelineRuns.Started.class);
    List<RunProgress.Progress> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<ContinuousTrainingResult> followed =
        CompletableFuture.supplyAsync(() -> RunProgress.follow(client, id, seen::add));
    awaitStage(id, Stage.AWAITING_APPROVAL);
    await("the follower seeing the wait")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        p ->
                            p instanceof RunProgress.Reported r
                                && r.status().stage() == Stage.AWAITING_APPROVAL));
    assertThat(
            Approvals.decide(
                client,
                Approvable.REJECT,
                MODEL,
                id,
                new ApprovalRequest("bob", "trained on the outage week")))
        .isInstanceOf(Approvals.Decided.class);

    ContinuousTrainingResult result = followed.get(60, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).as("handed on only when it changed").isNotEqualTo(seen.get(i - 1));
    }
  }
}
