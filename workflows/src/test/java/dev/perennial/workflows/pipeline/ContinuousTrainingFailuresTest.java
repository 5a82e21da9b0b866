package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingActivities;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bad input, bad data, transient faults and aborts: each ends the run once, saying why. */
class ContinuousTrainingFailuresTest extends ContinuousTrainingTestSupport {

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
                // A deliberate wait, not for a state: a training that never ends, heartbeating
                // until the run cancels it.
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
    Eventually.until(
        "the training's start",
        Duration.ofSeconds(20),
        () -> wf.status().stage() == Stage.TRAIN && trainingStarted.get() > 0);
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
    Eventually.until(
        "the training's cancellation", Duration.ofSeconds(20), () -> trainingCancelled.get() > 0);
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
        .hasMessageContaining("[DRIFT, DATA, MANUAL, SCHEDULE]")
        .hasMessageContaining("\"trigger\"");
    verify(datasets, never()).snapshot(any());
  }
}
