package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What a breach starts: one retraining of the request's pipeline type with its report, none within
 * the cooldown or while one is open, whoever started it.
 */
class DriftRetrainingTest extends DriftMonitorTestSupport {

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
}
