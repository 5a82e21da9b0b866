package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.pipeline.Stage;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The drift monitor on Temporal's time-skipping test server: hours of hourly checks run in moments.
 * The measurement is mocked; {@code ContinuousTraining} is a fake that records what it was started
 * with and runs until told to finish, so the tests control whether a retraining is still open.
 */
@Timeout(120) // A safety net against a monitor that never reacts, not a speed check.
class DriftMonitorWorkflowTest {
  private static final String MODEL = "credit-default";
  private static final String MONITOR_ID = DriftMonitorWorkflow.workflowId(MODEL);
  private static final String RETRAINING_ID = ContinuousTrainingWorkflow.workflowId(MODEL);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final List<DriftWindow> windows = new CopyOnWriteArrayList<>();

  /** The verdict of the n-th window (0-based); a null verdict makes the measurement fail. */
  private volatile IntFunction<DriftVerdict> verdicts = n -> DriftVerdict.NO_DRIFT;

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

  /** Starts the workers with a monitor that continues as new after {@code checksPerRun} checks. */
  private void start(int checksPerRun) {
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

  private void start() {
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

  private static DriftPolicy policy(String interval, String window, String cooldown, Integer keep) {
    return DriftPolicy.builder()
        .interval(interval)
        .window(window)
        .cooldown(cooldown)
        .keepReports(keep)
        .build();
  }

  private DriftMonitorWorkflow startMonitor(DriftMonitorRequest request) {
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
  private DriftMonitorWorkflow monitor() {
    return client.newWorkflowStub(DriftMonitorWorkflow.class, MONITOR_ID);
  }

  private DriftMonitorResult stop(DriftMonitorWorkflow monitor, String reason) throws Exception {
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
  private static void settled(BooleanSupplier reacted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!reacted.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the run did not react within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private WorkflowExecutionStatus retrainingStatus() {
    return client
        .newUntypedWorkflowStub(RETRAINING_ID)
        .describe()
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  /** Lets the open retraining finish, and waits until it has (the clock held). */
  private void finishRetraining() throws Exception {
    client.newWorkflowStub(ContinuousTrainingWorkflow.class, RETRAINING_ID).abort("fake done");
    settled(
        () -> retrainingStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  /** True when {@code later} is {@code d} after {@code earlier}, give or take a workflow task. */
  private static boolean apart(String earlier, String later, Duration d) {
    Duration between = Duration.between(Instant.parse(earlier), Instant.parse(later));
    return between.compareTo(d) >= 0 && between.compareTo(d.plusSeconds(1)) < 0;
  }

  private static List<String> actions(DriftMonitorState state) {
    return state.recent().stream().map(DriftCheck::action).toList();
  }

  @Test
  void measuresEveryIntervalOverItsWindowAndKeepsTheLatestReports() throws Exception {
    start();
    long started = env.currentTimeMillis();
    DriftMonitorWorkflow monitor =
        startMonitor(new DriftMonitorRequest(MODEL, policy("1h", "2h", null, 3), null, null));
    env.sleep(Duration.ofMinutes(5 * 60 + 30));

    assertThat(windows).hasSize(5);
    assertThat(apart(Instant.ofEpochMilli(started).toString(), windows.get(0).to(), ofHours(1)))
        .as("first window %s", windows.get(0))
        .isTrue();
    for (int i = 0; i < windows.size(); i++) {
      DriftWindow w = windows.get(i);
      assertThat(w.model()).isEqualTo(MODEL);
      // Each window spans the policy's window, two hours, and ends where it was measured.
      assertThat(Duration.between(Instant.parse(w.from()), Instant.parse(w.to())))
          .isEqualTo(ofHours(2));
      assertThat(w.policy()).isEqualTo(policy("1h", "2h", null, 3).withDefaults());
      if (i > 0) {
        assertThat(apart(windows.get(i - 1).to(), w.to(), ofHours(1))).as("window %s", w).isTrue();
      }
    }

    DriftMonitorStatus status = monitor.status();
    assertThat(status.model()).isEqualTo(MODEL);
    assertThat(status.phase()).isEqualTo(DriftPhase.WAITING);
    assertThat(status.policy().interval()).isEqualTo("1h");
    assertThat(apart(windows.get(4).to(), status.nextCheckAt(), ofHours(1))).isTrue();
    assertThat(status.state().checks()).isEqualTo(5);
    assertThat(status.state().retrainings()).isZero();
    // Only the latest three are kept, newest last.
    assertThat(status.state().recent())
        .extracting(DriftCheck::at)
        .containsExactly(windows.get(2).to(), windows.get(3).to(), windows.get(4).to());
    DriftCheck last = status.state().recent().get(2);
    assertThat(last)
        .isEqualTo(
            new DriftCheck(
                windows.get(4).to(),
                3,
                5000,
                DriftVerdict.NO_DRIFT,
                List.of(
                    "0 of 3 features drifted (below 30%), no critical feature drifted; 0 feedback"
                        + " labels, quality needs 200"),
                List.of(),
                0.05,
                "none",
                "s3://perennial-artifacts/drift/credit-default/" + windows.get(4).to() + ".html",
                "s3://perennial-artifacts/drift/credit-default/" + windows.get(4).to() + ".json"));
    assertThat(status.message())
        .isEqualTo(
            "next check at "
                + status.nextCheckAt()
                + "; last check at "
                + last.at()
                + ": NO_DRIFT, none");

    var described = client.newUntypedWorkflowStub(MONITOR_ID).describe();
    assertThat(described.getMemo(DriftMonitorWorkflowImpl.MEMO_REPORT, String.class))
        .isEqualTo(last.report());
    assertThat(described.getMemo(DriftMonitorWorkflowImpl.MEMO_VERDICT, String.class))
        .isEqualTo("NO_DRIFT");
    var attrs = described.getTypedSearchAttributes();
    assertThat(attrs.get(PerennialSearchAttributes.MODEL)).isEqualTo(MODEL);
    assertThat(attrs.get(PerennialSearchAttributes.STAGE)).isEqualTo("DRIFT_MONITORING");
    assertThat(FakeTraining.requests).isEmpty();

    DriftMonitorResult result = stop(monitor, "model retired");

    assertThat(result.model()).isEqualTo(MODEL);
    assertThat(result.reason()).isEqualTo("model retired");
    assertThat(result.state()).isEqualTo(status.state());
    assertThat(monitor.status().message()).isEqualTo("stopped after 5 checks: model retired");
    assertThat(
            client
                .newUntypedWorkflowStub(MONITOR_ID)
                .describe()
                .getTypedSearchAttributes()
                .get(PerennialSearchAttributes.STAGE))
        .isEqualTo("DRIFT_STOPPED");
  }

  @Test
  void aBreachStartsOneRetrainingWithItsReportAndABurstStartsNoOther() throws Exception {
    verdicts = n -> n == 0 ? DriftVerdict.NO_DRIFT : DriftVerdict.DRIFT;
    start();
    // No cooldown: only the open run keeps the burst from starting more.
    var template =
        new ContinuousTrainingRequest(
            null, null, null, null, null, null, 3, null, "weekly data", null, null, null);
    DriftMonitorWorkflow monitor =
        startMonitor(
            new DriftMonitorRequest(MODEL, policy("1h", null, "0s", null), template, null));
    env.sleep(Duration.ofMinutes(6 * 60 + 30)); // one quiet window, then five breaching ones

    assertThat(windows).hasSize(6);
    assertThat(FakeTraining.requests).hasSize(1);
    ContinuousTrainingRequest started = FakeTraining.requests.get(0);
    DriftWindow breach = windows.get(1);
    String why =
        "drift in "
            + breach.from()
            + " to "
            + breach.to()
            + ": 2 of 3 features drifted (67% ≥ 30%)";
    assertThat(started)
        .isEqualTo(
            new ContinuousTrainingRequest(
                MODEL,
                Trigger.DRIFT,
                null,
                null,
                null,
                null,
                3,
                null,
                "weekly data; " + why,
                null,
                null,
                ref("drift/credit-default/" + breach.to() + ".html")));
    assertThat(retrainingStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    DriftMonitorState state = monitor.status().state();
    String runId =
        client.newUntypedWorkflowStub(RETRAINING_ID).describe().getExecution().getRunId();
    assertThat(state.retrainings()).isEqualTo(1);
    assertThat(state.lastRetrainingRun()).isEqualTo(RETRAINING_ID + "/" + runId);
    assertThat(apart(breach.to(), state.lastRetrainingAt(), Duration.ZERO)).isTrue();
    assertThat(actions(state))
        .containsExactly(
            "none",
            "started retraining " + RETRAINING_ID + "/" + runId,
            "retraining already running: " + RETRAINING_ID,
            "retraining already running: " + RETRAINING_ID,
            "retraining already running: " + RETRAINING_ID,
            "retraining already running: " + RETRAINING_ID);
    DriftCheck first = state.recent().get(1);
    assertThat(first.verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(first.drifted()).containsExactly("income", "region");
    assertThat(first.maxPsi()).isEqualTo(0.41);
    assertThat(first.reasons()).containsExactly("2 of 3 features drifted (67% ≥ 30%)");
    assertThat(
            client
                .newUntypedWorkflowStub(MONITOR_ID)
                .describe()
                .getMemo("lastVerdict", String.class))
        .isEqualTo("DRIFT");

    // The retraining finished; the next breach starts another.
    finishRetraining();
    env.sleep(ofHours(1));

    assertThat(windows).hasSize(7);
    assertThat(FakeTraining.requests).hasSize(2);
    assertThat(FakeTraining.requests.get(1).driftReport())
        .isEqualTo(ref("drift/credit-default/" + windows.get(6).to() + ".html"));
    DriftMonitorState after = monitor.status().state();
    assertThat(after.retrainings()).isEqualTo(2);
    String second =
        client.newUntypedWorkflowStub(RETRAINING_ID).describe().getExecution().getRunId();
    assertThat(second).isNotEqualTo(runId);
    assertThat(after.recent().get(after.recent().size() - 1).action())
        .isEqualTo("started retraining " + RETRAINING_ID + "/" + second);
    stop(monitor, null);
  }

  @Test
  void aBreachStartsTheRequestsPipelineTypeUnderItsOwnId() throws Exception {
    verdicts = n -> DriftVerdict.DRIFT;
    start();
    DriftMonitorWorkflow monitor =
        startMonitor(
            new DriftMonitorRequest(MODEL, policy("1h", null, null, null), null, null, "Nightly"));
    env.sleep(Duration.ofMinutes(90));

    String nightlyId = "nightly-" + MODEL;
    assertThat(FakeTraining.requests).hasSize(1);
    assertThat(FakeTraining.requests.get(0).trigger()).isEqualTo(Trigger.DRIFT);
    var nightly = client.newUntypedWorkflowStub(nightlyId).describe();
    assertThat(nightly.getWorkflowType()).isEqualTo("Nightly");
    assertThat(actions(monitor.status().state()))
        .containsExactly(
            "started retraining " + nightlyId + "/" + nightly.getExecution().getRunId());
    // Nothing was started under ContinuousTraining's id.
    assertThatThrownBy(() -> retrainingStatus())
        .isInstanceOf(io.temporal.client.WorkflowNotFoundException.class);
    stop(monitor, null);
  }

  @Test
  void aTypeThatIsNoPipelineIsRefused() {
    assertThat(
            new DriftMonitorRequest(MODEL, null, null, null, DriftMonitorWorkflow.TYPE).problems())
        .containsExactly(
            "workflowType: 'DriftMonitor' is no pipeline; give a pipeline's workflow type, e.g."
                + " ContinuousTraining");
    assertThat(DriftMonitorRequest.of(MODEL).pipelineType()).isEqualTo("ContinuousTraining");
  }

  @Test
  void aRetrainingStartedByAPersonIsNotStartedAgain() throws Exception {
    verdicts = n -> DriftVerdict.DRIFT;
    start();
    WorkflowClient.start(
        client.newWorkflowStub(
                ContinuousTrainingWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(RETRAINING_ID)
                    .setTaskQueue(TaskQueues.PIPELINES)
                    .build())
            ::run,
        ContinuousTrainingRequest.of(MODEL));
    settled(() -> FakeTraining.requests.size() == 1);
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(90));

    DriftMonitorState state = monitor.status().state();
    assertThat(actions(state)).containsExactly("retraining already running: " + RETRAINING_ID);
    assertThat(state.retrainings()).isZero();
    assertThat(state.lastRetrainingAt()).isNull();
    assertThat(FakeTraining.requests).hasSize(1);
    assertThat(FakeTraining.requests.get(0).trigger()).isNull();
    stop(monitor, null);
  }

  @Test
  void withinTheCooldownNoRetrainingStartsAndAfterItOneDoes() throws Exception {
    verdicts = n -> DriftVerdict.DRIFT;
    start();
    DriftMonitorWorkflow monitor =
        startMonitor(new DriftMonitorRequest(MODEL, policy("1h", null, "PT5H30M", 10), null, null));
    env.sleep(Duration.ofMinutes(90));
    // The first retraining ends at once: from here on only the cooldown holds breaches back.
    finishRetraining();
    env.sleep(ofHours(5));

    DriftMonitorState state = monitor.status().state();
    String until = Instant.parse(state.lastRetrainingAt()).plus(Duration.ofMinutes(330)).toString();
    assertThat(actions(state))
        .containsExactly(
            "started retraining " + state.lastRetrainingRun(),
            "cooldown until " + until,
            "cooldown until " + until,
            "cooldown until " + until,
            "cooldown until " + until,
            "cooldown until " + until);
    assertThat(FakeTraining.requests).hasSize(1);

    env.sleep(ofHours(1)); // check 7, 6 h after the start: past the 5h30m cooldown

    DriftMonitorState after = monitor.status().state();
    assertThat(FakeTraining.requests).hasSize(2);
    assertThat(after.retrainings()).isEqualTo(2);
    assertThat(after.recent().get(6).action())
        .isEqualTo("started retraining " + after.lastRetrainingRun());
    assertThat(after.lastRetrainingRun()).isNotEqualTo(state.lastRetrainingRun());
    stop(monitor, null);
  }

  @Test
  void continuingAsNewKeepsChecksReportsRetrainingsAndTheCooldown() throws Exception {
    verdicts = n -> DriftVerdict.DRIFT;
    start(3);
    DriftMonitorWorkflow monitor =
        startMonitor(new DriftMonitorRequest(MODEL, policy("1h", null, null, 4), null, null));
    String firstRun =
        client.newUntypedWorkflowStub(MONITOR_ID).describe().getExecution().getRunId();
    env.sleep(Duration.ofMinutes(7 * 60 + 30)); // checks 1-3, new run, 4-6, new run, 7

    var described = client.newUntypedWorkflowStub(MONITOR_ID).describe();
    assertThat(described.getExecution().getRunId()).isNotEqualTo(firstRun);
    assertThat(described.getFirstRunId()).isEqualTo(firstRun);
    assertThat(windows).hasSize(7);
    DriftMonitorState state = monitor.status().state();
    assertThat(state.checks()).isEqualTo(7);
    assertThat(state.recent())
        .extracting(DriftCheck::at)
        .containsExactly(
            windows.get(3).to(), windows.get(4).to(), windows.get(5).to(), windows.get(6).to());
    // One retraining, in the first run; the default 24 h cooldown held through both hand-overs.
    assertThat(state.retrainings()).isEqualTo(1);
    assertThat(FakeTraining.requests).hasSize(1);
    assertThat(apart(windows.get(0).to(), state.lastRetrainingAt(), Duration.ZERO)).isTrue();
    String until = Instant.parse(state.lastRetrainingAt()).plus(ofHours(24)).toString();
    assertThat(actions(state)).containsOnly("cooldown until " + until);
    // The new run links the latest report again.
    assertThat(described.getMemo(DriftMonitorWorkflowImpl.MEMO_REPORT, String.class))
        .isEqualTo(state.recent().get(3).report());
    assertThat(described.getTypedSearchAttributes().get(PerennialSearchAttributes.MODEL))
        .isEqualTo(MODEL);

    DriftMonitorResult result = stop(monitor, "done");
    assertThat(result.state()).isEqualTo(state);
    recordHistoryIfAsked(MONITOR_ID, firstRun, "drift-monitor-continued.json");
  }

  @Test
  void theNextCheckIsOneIntervalAfterTheLatestWindowNotAfterItsMeasurement() {
    Instant lastEnd = Instant.parse("2026-03-02T10:00:00Z");
    Duration hour = Duration.ofHours(1);
    // The measurement of the 10:00 window took 40 s: the next window still ends at 11:00, so the
    // two windows of an hour each meet without a 40 s gap.
    assertThat(
            DriftMonitorWorkflowImpl.nextCheck(lastEnd.plusSeconds(40), lastEnd.toString(), hour))
        .isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));
    // After an outage past the due time: measure now, once, rather than every missed window.
    assertThat(
            DriftMonitorWorkflowImpl.nextCheck(
                Instant.parse("2026-03-02T13:20:00Z"), lastEnd.toString(), hour))
        .isEqualTo(Instant.parse("2026-03-02T13:20:00Z"));
  }

  @Test
  void aStopBeforeTheFirstCheckEndsTheMonitorAtOnce() throws Exception {
    start();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    settled(() -> monitor.status().nextCheckAt() != null);

    DriftMonitorResult result = stop(monitor, "");

    assertThat(result)
        .isEqualTo(new DriftMonitorResult(MODEL, DriftMonitorState.initial(), "asked for"));
    assertThat(windows).isEmpty();
    assertThat(monitor.status().nextCheckAt()).isNull();
  }

  @Test
  void checkNowMeasuresAtOnceAndTheScheduleFollowsFromThere() throws Exception {
    start();
    long started = env.currentTimeMillis();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(10));

    monitor.checkNow("v4 deployed");
    settled(() -> monitor.status().state().checks() == 1);

    assertThat(windows).hasSize(1);
    Instant asked = Instant.parse(windows.get(0).to());
    assertThat(Duration.between(Instant.ofEpochMilli(started), asked))
        .isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
    assertThat(Duration.between(Instant.parse(windows.get(0).from()), asked)).isEqualTo(ofHours(1));
    DriftMonitorStatus status = monitor.status();
    assertThat(apart(windows.get(0).to(), status.nextCheckAt(), ofHours(1))).isTrue();

    env.sleep(ofHours(1));
    assertThat(windows).hasSize(2);
    assertThat(apart(windows.get(0).to(), windows.get(1).to(), ofHours(1))).isTrue();
    stop(monitor, null);
  }

  @Test
  void aMeasurementThatCannotSucceedIsRecordedAndTheMonitorCarriesOn() throws Exception {
    verdicts = n -> n == 0 ? null : DriftVerdict.NO_DRIFT;
    start();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(150));

    DriftMonitorState state = monitor.status().state();
    assertThat(state.checks()).isEqualTo(2);
    assertThat(state.recent().get(0))
        .isEqualTo(
            new DriftCheck(
                windows.get(0).to(),
                null,
                0,
                null,
                List.of(),
                List.of(),
                null,
                "measurement failed: no reference profile for credit-default v3",
                null,
                null));
    assertThat(state.recent().get(1).verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
    // Once: the failure is not retried, and the next window is measured as usual.
    assertThat(windows).hasSize(2);
    stop(monitor, null);
  }

  @Test
  void refusesAnInvalidRequestNamingEachField() {
    start();
    var retraining =
        new ContinuousTrainingRequest(
            "other-model", null, null, null, null, null, 0, null, null, null, null, null);
    DriftMonitorWorkflow stub =
        client.newWorkflowStub(
            DriftMonitorWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MONITOR_ID)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());

    assertThatThrownBy(
            () ->
                stub.run(
                    new DriftMonitorRequest(
                        MODEL, policy("soon", null, null, 0), retraining, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContainingAll(
            "Invalid DriftMonitor request",
            "policy.interval: 'soon' is not a duration",
            "policy.keepReports: must be between 1 and 200 (got 0)",
            "retraining.model: must be left out or equal to model 'credit-default'",
            "retraining.holdoutDays: must be between 1 and 365")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(FailureTypes.INVALID_REQUEST));
    assertThat(windows).isEmpty();
  }

  @Test
  void aBreachThenStopIsRecordedForTheReplayTest() throws Exception {
    verdicts = n -> DriftVerdict.DRIFT;
    start();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(150)); // a breach that starts retraining, then one in cooldown
    DriftMonitorResult result = stop(monitor, "recorded");

    assertThat(result.state().retrainings()).isEqualTo(1);
    assertThat(actions(result.state()))
        .containsExactly(
            "started retraining " + result.state().lastRetrainingRun(),
            "cooldown until " + Instant.parse(result.state().lastRetrainingAt()).plus(ofHours(24)));
    recordHistoryIfAsked(MONITOR_ID, "drift-monitor-breach-anchored.json");
  }

  private static Duration ofHours(long h) {
    return Duration.ofHours(h);
  }

  private void recordHistoryIfAsked(String workflowId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, null, file);
  }

  private void recordHistoryIfAsked(String workflowId, String runId, String file) throws Exception {
    Histories.recordIfAsked(client, workflowId, runId, file);
  }

  /**
   * Stands in for the pipeline: records the request it was started with and runs until its {@code
   * abort} signal, so a test decides how long a retraining stays open.
   */
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
