package dev.perennial.testkit;

import static dev.perennial.workflows.registry.Aliases.CHAMPION;
import static dev.perennial.workflows.registry.VersionStatus.APPROVED;
import static dev.perennial.workflows.registry.VersionStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.testkit.AuditEntry.Action;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflowImpl;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.registry.ModelVersion;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The built-in pipeline run through the kit exactly as a user's pipeline would be. */
@Timeout(60) // A safety net against a run that never ends, not a speed check.
class ContinuousTrainingThroughTheKitTest {
  static final String MODEL = "credit-default";

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ContinuousTrainingWorkflowImpl.class);

  static ContinuousTrainingResult train() {
    return env.workflow(ContinuousTrainingWorkflow.class).run(ContinuousTrainingRequest.of(MODEL));
  }

  @Test
  void firstVersionBecomesChampion() {
    ContinuousTrainingResult result = train();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(env.registry().alias(MODEL, CHAMPION).version()).isEqualTo(1);
    assertThat(result.datasetVersion())
        .isEqualTo(env.datasets().snapshots().get(0).datasetVersion());
  }

  @Test
  void weakCandidateIsRefusedAndTheChampionStays() {
    ModelVersion champion = env.registry().seedChampion(MODEL, Records.metrics(0.82, 0.38));
    env.training().candidate(0.75, 0.50);

    ContinuousTrainingResult result = train();

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.champion().auc()).isEqualTo(0.82);
    assertThat(env.registry().versions(MODEL))
        .extracting(ModelVersion::status)
        .containsExactly(APPROVED, REJECTED);
    assertThat(env.registry().alias(MODEL, CHAMPION)).isEqualTo(champion);
  }

  @Test
  void betterCandidateIsPromotedThroughItsCanary() {
    env.registry().seedChampion(MODEL);

    ContinuousTrainingResult result = train();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.canary().outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(env.canary().windows()).hasSize(4); // one per step of the default policy
    assertThat(env.registry().alias(MODEL, CHAMPION).version()).isEqualTo(2);
    assertThat(env.registry().trafficSplit(MODEL))
        .isEqualTo(FakeRegistry.TrafficSplit.CHAMPION_ONLY);
  }

  @Test
  void breachingCanaryIsRolledBackAndWithdrawn() {
    env.registry().seedChampion(MODEL);
    env.canary().breachingFrom(2);

    ContinuousTrainingResult result = train();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(env.registry().version(MODEL, 2).orElseThrow().rejection()).isNotNull();
    assertThat(env.registry().alias(MODEL, CHAMPION).version()).isEqualTo(1);
    assertThat(env.registry().audit(MODEL))
        .extracting(AuditEntry::action)
        .endsWith(Action.SET_TRAFFIC, Action.REJECT);
  }

  @Test
  void failingValidationEndsTheRunBeforeTraining() {
    env.datasets().failValidation("income: missing 31% > 20%");

    assertThatThrownBy(ContinuousTrainingThroughTheKitTest::train)
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.DATA_VALIDATION_FAILED));
    assertThat(env.training().trainingJobs()).isEmpty();
    assertThat(env.registry().versions(MODEL)).isEmpty();
  }
}
