package dev.perennial.testkit;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.fairness;
import static dev.perennial.workflows.gate.GateRule.noSliceLosesAuc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.gate.FairnessMetric;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.Slicing;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sliced gate of writing-a-pipeline.md in a user's pipeline, tested with the kit's fakes. */
@Timeout(60)
class SlicedGatePipelineTest {
  static final Slicing REGION = Slicing.byValue("region");
  static final Slicing AGE = Slicing.byBuckets("age", 30, 45, 60);

  @WorkflowInterface
  public interface FairForest extends PerennialPipeline {
    @WorkflowMethod(name = "FairForest")
    ContinuousTrainingResult run(ContinuousTrainingRequest request);

    class Impl extends PipelineWorkflow implements FairForest {
      static final ValidationGate FAIR =
          ValidationGate.of(
              atLeast("auc", 0.70),
              noSliceLosesAuc(REGION, 200, 0.03),
              fairness(AGE, FairnessMetric.POSITIVE_RATE, 0.10));

      @Override
      public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
        return pipeline.execute(
            request,
            r -> {
              pipeline.evaluate(pipeline.train(pipeline.snapshot()), FAIR);
              if (!pipeline.gate(FAIR).passed()) {
                return pipeline.rejected();
              }
              return pipeline.promote("passed the fair gate");
            });
      }
    }
  }

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(FairForest.Impl.class);

  static ContinuousTrainingResult run() {
    return env.result(env.start(FairForest.class, ContinuousTrainingRequest.of("churn")));
  }

  static void evenAges() {
    env.training()
        .slices(
            AGE,
            Records.slice("age", "<30", 900, 0.8, 0.8),
            Records.slice("age", "[30, 45)", 900, 0.8, 0.8));
  }

  @Test
  void aCandidateThatLosesOnOneRegionIsRefusedNamingIt() {
    env.registry().seedChampion("churn");
    env.training()
        .slices(
            REGION,
            Records.slice("region", "north", 1200, 0.86, 0.84),
            Records.slice("region", "south", 400, 0.71, 0.79));
    evenAges();

    ContinuousTrainingResult result = run();

    assertThat(env.training().evaluationJobs().get(0).slices()).containsExactly(REGION, AGE);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.decision().reasons())
        .singleElement()
        .asString()
        .startsWith("failed auc of slice region=south (400 rows; 1 failing of 2")
        .endsWith("candidate has 0.7100");
    assertThat(env.registry().versions("churn").get(1).status()).isEqualTo(VersionStatus.REJECTED);
  }

  @Test
  void theFirstVersionIsJudgedForFairnessOnly() {
    // No champion: the slice AUC rule does not apply, the fairness rule does.
    env.training().slices(REGION, Records.slice("region", "south", 400, 0.60, 0.99));
    evenAges();

    ContinuousTrainingResult result = run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.decision().checks())
        .extracting(c -> c.rule())
        .containsExactly(
            "auc >= 0.7000",
            "positive rate difference between age groups <= 0.1000 + 2 SE (0.0222): age=<30"
                + " 0.3333 (900 rows) vs age=[30, 45) 0.3333 (900 rows)");
  }
}
