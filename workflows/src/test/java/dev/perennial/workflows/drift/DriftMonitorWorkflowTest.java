package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor's schedule and records: windows, reports, continuing as new, failed measurements. */
class DriftMonitorWorkflowTest extends DriftMonitorTestSupport {

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
}
