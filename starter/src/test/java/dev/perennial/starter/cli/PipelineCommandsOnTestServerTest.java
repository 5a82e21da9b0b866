package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perennial.starter.ops.ApprovedForest;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.RunProgress;
import dev.perennial.testkit.FakeDatasets;
import dev.perennial.testkit.PerennialTestEnvironment;
import dev.perennial.testkit.Records;
import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Stage;
import dev.perennial.workflows.registry.Aliases;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run}, {@code status}, {@code approve} and {@code reject} against Temporal's Java test
 * server in-process, with a pipeline of one's own as a user writes it ({@link ApprovedForest}) and
 * its activities mocked.
 */
@Timeout(120)
class PipelineCommandsOnTestServerTest {
  static final String MODEL = "loan-churn-ext";
  static final String TYPE = ApprovedForest.TYPE;
  static final String ID = "approved-forest-loan-churn-ext";

  /** Holds validation until released, so a test can act while the run is not waiting yet. */
  final CountDownLatch validated = new CountDownLatch(1);

  /** The kit's datasets, with validation held at the latch. */
  final FakeDatasets datasets =
      new FakeDatasets() {
        @Override
        public ValidationReport validate(ValidationJob job) {
          try {
            validated.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return super.validate(job);
        }
      };

  @RegisterExtension
  final PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ApprovedForest.Impl.class).withActivities(datasets);

  WorkflowClient client;

  @BeforeEach
  void up() {
    client = env.client();
    env.registry().seedChampion(MODEL, Records.metrics(0.80, 0.35));
    env.training().candidate(0.82, 0.35);
  }

  @AfterEach
  void release() {
    validated.countDown();
  }

  static Printed printed(java.util.function.ToIntFunction<PrintWriter> command) {
    return Printed.printed(command);
  }

  private ObjectNode input(String json) {
    return new PipelineInput.Converter().convert(json);
  }

  private int start(String id, boolean wait, PrintWriter out) {
    List<String> problems = new java.util.ArrayList<>();
    ObjectNode in = PipelineInput.withModel(input("{\"holdoutDays\":3}"), MODEL, problems);
    assertThat(problems).isEmpty();
    return RunOutput.start(client, TYPE, id, MODEL, in, wait, out);
  }

  private void awaitStage(String id, Stage stage) throws InterruptedException {
    await("stage " + stage)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> RunProgress.status(client.newUntypedWorkflowStub(id)).stage() == stage);
  }

  @Test
  void runStatusAndApproveAUsersPipeline() throws Exception {
    Printed started = printed(out -> start(ID, false, out));
    String runId = client.newUntypedWorkflowStub(ID).describe().getExecution().getRunId();
    assertThat(started.code()).isZero();
    assertThat(started.out())
        .isEqualTo(
            "Started approved-forest-loan-churn-ext (run "
                + runId
                + ")\nFollow it with: perennial status --model loan-churn-ext --workflow-type"
                + " ApprovedForest\n");

    Printed again = printed(out -> start(ID, false, out));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out())
        .isEqualTo(
            "A run for loan-churn-ext is already in progress (approved-forest-loan-churn-ext)."
                + " Follow it with: perennial status --model loan-churn-ext --workflow-type"
                + " ApprovedForest\n");

    awaitStage(ID, Stage.VALIDATE);
    Printed status = printed(out -> StatusCommand.print(client, MODEL, TYPE, out));
    assertThat(status.code()).isZero();
    assertThat(status.out())
        .startsWith(
            "Run:      approved-forest-loan-churn-ext (RUNNING)\nPipeline: ApprovedForest\n")
        .contains("VALIDATE");
    // The test server cannot search: without a type, status looks at the conventional id of
    // ContinuousTraining, where nothing ran.
    Printed untyped = printed(out -> StatusCommand.print(client, MODEL, out));
    assertThat(untyped.code()).isEqualTo(1);
    assertThat(untyped.out()).startsWith("No run for loan-churn-ext yet.");

    ApprovalRequest alice = new ApprovalRequest("alice", "ROC looks right");
    Printed early =
        printed(out -> ApproveCommand.decide(client, Approvable.APPROVE, MODEL, ID, alice, out));
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.out())
        .startsWith(
            "approved-forest-loan-churn-ext refused the approve: nothing is waiting for approval"
                + " (the run is at VALIDATE: ");

    validated.countDown();
    awaitStage(ID, Stage.AWAITING_APPROVAL);
    Printed unsearchable =
        printed(out -> ApproveCommand.decide(client, Approvable.APPROVE, MODEL, null, alice, out));
    assertThat(unsearchable.code()).isEqualTo(1);
    assertThat(unsearchable.out())
        .startsWith("This Temporal server cannot search runs by PerennialStage.")
        .contains("--workflow-id <id>");

    Printed approved =
        printed(out -> ApproveCommand.decide(client, Approvable.APPROVE, MODEL, ID, alice, out));
    assertThat(approved.code()).as(approved.out()).isZero();
    assertThat(approved.out())
        .isEqualTo(
            "approved-forest-loan-churn-ext: approved by alice: ROC looks right\n"
                + "Follow it with: perennial status --model loan-churn-ext --workflow-type"
                + " ApprovedForest\n");
    client.newUntypedWorkflowStub(ID).getResult(ContinuousTrainingResult.class);

    Printed done = printed(out -> StatusCommand.print(client, MODEL, TYPE, out));
    assertThat(done.code()).isZero();
    assertThat(done.out())
        .startsWith(
            "Run:      approved-forest-loan-churn-ext (COMPLETED)\nPipeline: ApprovedForest\n")
        .contains("Result:   PROMOTED — v2 is champion, approved by alice: ROC looks right\n");
    assertThat(env.registry().audit(MODEL))
        .anyMatch(e -> Aliases.CHAMPION.equals(e.alias()) && "alice".equals(e.actor()));
    assertThat(datasets.specs()).extracting(s -> s.prefix()).containsExactly(MODEL + "/");

    Printed twice =
        printed(
            out ->
                ApproveCommand.decide(
                    client, Approvable.APPROVE, MODEL, "no-such-run", alice, out));
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.out()).startsWith("No run with workflow id no-such-run.");
  }

  @Test
  void runWaitFollowsTheProgressAndPrintsTheRejection() throws Exception {
    String id = "churn-approval-run";
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> start(id, true, out));
    validated.countDown();
    await("the run started")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> PipelineRuns.describe(client, id).isPresent());
    awaitStage(id, Stage.AWAITING_APPROVAL);
    // The follower polls twice a second: let it show the wait before it ends.
    await("the follower printing the wait")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> text.toString().contains("AWAITING_APPROVAL"));
    Printed rejected =
        printed(
            o ->
                ApproveCommand.decide(
                    client,
                    Approvable.REJECT,
                    MODEL,
                    id,
                    new ApprovalRequest("bob", "trained on the outage week"),
                    o));
    assertThat(rejected.code()).isZero();
    assertThat(rejected.out())
        .startsWith("churn-approval-run: rejected by bob: trained on the outage week\n");

    assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(text.toString())
        .startsWith("Started churn-approval-run (run ")
        .contains("AWAITING_APPROVAL v2 waits up to PT48H for approve or reject\n")
        .contains("Result:   REJECTED — v2 rejected by bob: trained on the outage week\n");
    assertThat(env.registry().version(MODEL, 2).orElseThrow().rejection().actor()).isEqualTo("bob");
    assertThat(env.training().evaluationJobs()).extracting(j -> j.holdoutDays()).containsExactly(3);
  }
}
