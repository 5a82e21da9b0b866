package dev.perennial.workflows.drift;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.ObjectRef;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The drift monitor on Temporal's time-skipping test server: hours of hourly checks run in moments.
 * The measurement is mocked; {@code ContinuousTraining} is a fake that records what it was started
 * with and runs until told to finish, so the tests control whether a retraining is still open.
 */
@Timeout(120) // A safety net against a monitor that never reacts, not a speed check.
abstract class DriftMonitorTestSupport {
  static final String MODEL = "credit-default";
  static final String MONITOR_ID = DriftMonitorWorkflow.workflowId(MODEL);
  static final String RETRAINING_ID = ContinuousTrainingWorkflow.workflowId(MODEL);

  TestWorkflowEnvironment env;
  WorkflowClient client;
  final List<DriftWindow> windows = new CopyOnWriteArrayList<>();

  /** The verdict of the n-th window (0-based); a null verdict makes the measurement fail. */
  volatile IntFunction<DriftVerdict> verdicts = n -> DriftVerdict.NO_DRIFT;

  @BeforeEach
  void setUp() {
    FakeTraining.requests.clear();
    env = newEnvironment();
    client = env.getWorkflowClient();
  }

  /** The environment the tests run in. */
  TestWorkflowEnvironment newEnvironment() {
    return TestEnvironments.withSearchAttributes();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** Starts the workers with a monitor that continues as new after {@code checksPerRun} checks. */
  void start(int checksPerRun) {
    DriftActivities drift = mock(DriftActivities.class, withSettings().withoutAnnotations());
    when(drift.measure(any()))
        .thenAnswer(
            call -> {
              DriftWindow w = call.getArgument(0);
              windows.add(w);
              DriftVerdict v = verdicts.apply(windows.size() - 1);
              if (v == null) {
                throw ApplicationFailure.newNonRetryableFailure(
                    "no reference profile for credit-default v3", FailureTypes.INVALID_REQUEST);
              }
              return report(w, v);
            });
    Worker worker = env.newWorker(TaskQueues.PIPELINES);
    worker.registerWorkflowImplementationFactory(
        DriftMonitorWorkflow.class,
        () -> new DriftMonitorWorkflowImpl(checksPerRun),
        WorkflowImplementations.OPTIONS);
    worker.registerWorkflowImplementationTypes(
        WorkflowImplementations.OPTIONS, FakeTraining.class, FakeNightly.class);
    worker.registerActivitiesImplementations(drift);
    env.start();
  }

  void start() {
    start(DriftMonitorWorkflowImpl.CHECKS_PER_RUN);
  }

  static ObjectRef ref(String key) {
    return new ObjectRef("perennial-artifacts", key, "cd".repeat(32), 2048);
  }

  /**
   * A report as the activity writes it: figures that give {@code verdict}, judged by the window's
   * policy, with both report objects named after the window's end.
   */
  static DriftReport report(DriftWindow w, DriftVerdict verdict) {
    List<FeatureDrift> features =
        verdict == DriftVerdict.DRIFT
            ? List.of(
                DriftJudgeTest.numeric("income", 0.41, 1e-9),
                DriftJudgeTest.numeric("age", 0.05, 0.3),
                DriftJudgeTest.categorical("region", 0.27, 1e-5))
            : List.of(
                DriftJudgeTest.numeric("income", 0.03, 0.4),
                DriftJudgeTest.numeric("age", 0.05, 0.3),
                DriftJudgeTest.categorical("region", 0.01, 0.8));
    long rows = verdict == DriftVerdict.TOO_FEW_ROWS ? 20 : 5000;
    Integer champion = verdict == DriftVerdict.NO_CHAMPION ? null : 3;
    QualityDrift quality = new QualityDrift(0, null, null, null, 0.40, 0.80, false, null);
    DriftJudge.Judgement j = DriftJudge.judge(w.policy(), champion, rows, features, quality);
    String key = "drift/" + w.model() + "/" + w.to();
    return new DriftReport(
        w.model(),
        champion,
        w.from(),
        w.to(),
        rows,
        0,
        j.features(),
        j.quality(),
        j.decision(),
        ref(key + ".html"),
        ref(key + ".json"));
  }

  static DriftPolicy policy(String interval, String window, String cooldown, Integer keep) {
    return DriftPolicy.builder()
        .interval(interval)
        .window(window)
        .cooldown(cooldown)
        .keepReports(keep)
        .build();
  }

  DriftMonitorWorkflow startMonitor(DriftMonitorRequest request) {
    DriftMonitorWorkflow stub =
        client.newWorkflowStub(
            DriftMonitorWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MONITOR_ID)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    WorkflowClient.start(stub::run, request);
    return monitor();
  }

  /** The monitor's latest run, whichever that is after continuing as new. */
  DriftMonitorWorkflow monitor() {
    return client.newWorkflowStub(DriftMonitorWorkflow.class, MONITOR_ID);
  }

  DriftMonitorResult stop(DriftMonitorWorkflow monitor, String reason) throws Exception {
    monitor.stop(reason);
    settled(() -> monitor.status().phase() == DriftPhase.STOPPED);
    return WorkflowStub.fromTyped(monitor).getResult(DriftMonitorResult.class);
  }

  /**
   * Waits in real time, with the test clock held, until the run has reacted to a signal. Were the
   * clock let run at once (getResult and sleep do), it could reach the pending timer's deadline in
   * the same workflow task that cancels it, which the Java test server refuses (see
   * temporalio/sdk-java#2606) and the run hangs.
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

  static List<String> actions(DriftMonitorState state) {
    return state.recent().stream().map(DriftCheck::action).toList();
  }

  static Duration ofHours(long h) {
    return Duration.ofHours(h);
  }

  void recordHistoryIfAsked(String workflowId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, null, file);
  }

  void recordHistoryIfAsked(String workflowId, String runId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, runId, file);
  }

  /** A user's pipeline of another type, behaving as {@link FakeTraining}. */
  @io.temporal.workflow.WorkflowInterface
  public interface Nightly extends dev.perennial.workflows.pipeline.PerennialPipeline {
    @io.temporal.workflow.WorkflowMethod(name = "Nightly")
    ContinuousTrainingResult run(ContinuousTrainingRequest request);
  }

  public static class FakeNightly implements Nightly {
    private final FakeTraining fake = new FakeTraining();

    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return fake.run(request);
    }

    @Override
    public PipelineStatus status() {
      return fake.status();
    }

    @Override
    public void abort(String reason) {
      fake.abort(reason);
    }
  }

  /**
   * Stands in for the pipeline: records the request it was started with and runs until its {@code
   * abort} signal, so a test decides how long a retraining stays open.
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

  /**
   * Records the monitor's latest run as a replay fixture, when asked to (see {@link Histories}).
   */
  void record(String file) throws Exception {
    recordHistoryIfAsked(MONITOR_ID, file);
  }
}
