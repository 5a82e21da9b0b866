package dev.perennial.workflows.watch;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.pipeline.Stage;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The data watch on Temporal's time-skipping test server: days of polling run in moments. The
 * listing is a mock over {@link #days}, which a test adds to as data "lands"; {@code
 * ContinuousTraining} is a fake that records its request and runs until told to finish, so a test
 * decides whether a retraining is still open.
 */
@Timeout(120) // A safety net against a watch that never reacts, not a speed check.
abstract class DataWatchTestSupport {
  static final String MODEL = "credit-default";
  static final String WATCH_ID = DataWatchWorkflow.workflowId(MODEL);
  static final String RETRAINING_ID = ContinuousTrainingWorkflow.workflowId(MODEL);

  TestWorkflowEnvironment env;
  WorkflowClient client;

  /** The partitions under the watched prefix, sorted. */
  final List<String> days = new CopyOnWriteArrayList<>();

  final List<PartitionQuery> queries = new CopyOnWriteArrayList<>();

  /** When set, the listing refuses the prefix as the activity does for an unknown one. */
  volatile boolean unknownPrefix;

  @BeforeEach
  void setUp() {
    FakeTraining.requests.clear();
    env = TestEnvironments.withSearchAttributes();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** Starts the workers with a watch that continues as new after {@code checksPerRun} checks. */
  void start(int checksPerRun) {
    DataWatchActivities data = mock(DataWatchActivities.class, withSettings().withoutAnnotations());
    when(data.listPartitions(any()))
        .thenAnswer(
            call -> {
              PartitionQuery q = call.getArgument(0);
              queries.add(q);
              if (unknownPrefix) {
                throw ApplicationFailure.newNonRetryableFailure(
                    "nothing under s3://" + q.bucket() + "/" + q.prefix(),
                    FailureTypes.INVALID_DATASET);
              }
              return PartitionListing.of(List.copyOf(days), q.after());
            });
    Worker worker = env.newWorker(TaskQueues.PIPELINES);
    worker.registerWorkflowImplementationFactory(
        DataWatchWorkflow.class,
        () -> new DataWatchWorkflowImpl(checksPerRun),
        WorkflowImplementations.OPTIONS);
    worker.registerWorkflowImplementationTypes(WorkflowImplementations.OPTIONS, FakeTraining.class);
    worker.registerActivitiesImplementations(data);
    env.start();
  }

  void start() {
    start(DataWatchWorkflowImpl.CHECKS_PER_RUN);
  }

  /** {@code n} more consecutive days land after the latest one (from 2026-03-01 when none). */
  void land(int n) {
    LocalDate next =
        days.isEmpty()
            ? LocalDate.parse("2026-03-01")
            : LocalDate.parse(days.get(days.size() - 1)).plusDays(1);
    for (int i = 0; i < n; i++) {
      days.add(next.plusDays(i).toString());
    }
  }

  String latestDay() {
    return days.get(days.size() - 1);
  }

  static DataWatchPolicy policy(String poll, Integer minNew, String minInterval) {
    return new DataWatchPolicy(poll, minNew, minInterval);
  }

  DataWatchWorkflow startWatch(DataWatchRequest request) {
    DataWatchWorkflow stub =
        client.newWorkflowStub(
            DataWatchWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WATCH_ID)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    WorkflowClient.start(stub::run, request);
    return watch();
  }

  /** The watch's latest run, whichever that is after continuing as new. */
  DataWatchWorkflow watch() {
    return client.newWorkflowStub(DataWatchWorkflow.class, WATCH_ID);
  }

  DataWatchResult stop(DataWatchWorkflow watch, String reason) throws Exception {
    watch.stop(reason);
    settled(() -> watch.status().phase() == DataWatchPhase.STOPPED);
    return WorkflowStub.fromTyped(watch).getResult(DataWatchResult.class);
  }

  /**
   * Waits in real time, with the test clock held, until the run has reacted to a message (see
   * temporalio/sdk-java#2606 for why the clock must not run meanwhile).
   */
  static void settled(BooleanSupplier reacted) throws Exception {
    Eventually.until("the run's reaction", Duration.ofSeconds(10), reacted);
  }

  WorkflowExecutionStatus retrainingStatus() {
    return client
        .newUntypedWorkflowStub(RETRAINING_ID)
        .describe()
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  String retrainingRun() {
    return RETRAINING_ID
        + "/"
        + client.newUntypedWorkflowStub(RETRAINING_ID).describe().getExecution().getRunId();
  }

  /** Lets the open retraining finish, and waits until it has (the clock held). */
  void finishRetraining() throws Exception {
    client.newWorkflowStub(ContinuousTrainingWorkflow.class, RETRAINING_ID).abort("fake done");
    settled(
        () -> retrainingStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  /** True when {@code later} is {@code d} after {@code earlier}, give or take a workflow task. */
  static boolean apart(String earlier, String later, Duration d) {
    Duration between = Duration.between(Instant.parse(earlier), Instant.parse(later));
    return between.compareTo(d) >= 0 && between.compareTo(d.plusSeconds(1)) < 0;
  }

  void record(String runId, String file) throws Exception {
    Histories.recordIfAsked(client, WATCH_ID, runId, file);
  }

  /**
   * Stands in for the pipeline: records the request it was started with and runs until its {@code
   * abort} signal.
   */
  public static class FakeTraining implements ContinuousTrainingWorkflow {
    static final List<ContinuousTrainingRequest> requests = new CopyOnWriteArrayList<>();

    private String finished;

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      if (!WorkflowUnsafe.isReplaying()) {
        requests.add(request);
      }
      Workflow.await(() -> finished != null);
      return new ContinuousTrainingResult(
          request.model(),
          Outcome.REJECTED,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          finished,
          null,
          null);
    }

    @Override
    public PipelineStatus status() {
      return new PipelineStatus(null, Stage.TRAIN, 0.5, "fake", null, null, null);
    }

    @Override
    public void abort(String reason) {
      finished = reason;
    }
  }
}
