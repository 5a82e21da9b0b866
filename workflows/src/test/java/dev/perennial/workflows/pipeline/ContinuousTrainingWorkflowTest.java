package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Hyperparameters;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** What a passing or failing gate does to the registry: champion, rejected, linked reports. */
class ContinuousTrainingWorkflowTest extends ContinuousTrainingTestSupport {

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
}
