package dev.perennial.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.pipeline.PipelineSteps;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pipeline of a user's own, composed from {@link PipelineSteps}, tested as its author would. */
@Timeout(60)
class UserPipelineTest {

  /** Trains weekly on a fixed window; waits a day of review before its canary. */
  @WorkflowInterface
  public interface ReviewedRetraining {
    @WorkflowMethod
    String run(String model);
  }

  public static class ReviewedRetrainingImpl implements ReviewedRetraining {
    private final PipelineSteps steps = new PipelineSteps();

    @Override
    public String run(String model) {
      String runId = Workflow.getInfo().getRunId();
      DatasetSnapshot data = steps.snapshot(DatasetSpec.forModel(model));
      TrainedModel trained = steps.train(model, data, 2, Hyperparameters.defaults(), runId);
      ModelVersion champion = steps.champion(model);
      Evaluation e = steps.evaluate(model, data, 2, trained.model(), champion, runId);
      GateDecision d = steps.gate(GatePolicy.defaults(), e, champion);
      ModelVersion v =
          steps.register(model, data, trained, Hyperparameters.defaults(), e, d, null, null);
      if (!d.passed()) {
        return "refused";
      }
      if (champion == null) {
        steps.setAlias(model, Aliases.CHAMPION, v.version(), "first");
        return "champion";
      }
      Workflow.sleep(Duration.ofDays(1));
      CanaryResult canary = steps.canary(model, v.version(), null);
      return canary.outcome().name();
    }
  }

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ReviewedRetrainingImpl.class);

  @Test
  void canaryWaitsForTheReviewDayThenPromotes() {
    env.registry().seedChampion("churn");

    ReviewedRetraining run = env.start(ReviewedRetraining.class, "churn");
    env.sleep(Duration.ofHours(12));
    assertThat(env.canary().windows()).isEmpty();

    assertThat(env.result(run, String.class)).isEqualTo("PROMOTED");
    assertThat(env.registry().alias("churn", Aliases.CHAMPION).version()).isEqualTo(2);
  }

  @Test
  void championIsScoredAsItWasSeeded() {
    env.registry().seedChampion("churn", Records.metrics(0.90, 0.30));

    assertThat(env.workflow(ReviewedRetraining.class).run("churn")).isEqualTo("refused");
    assertThat(env.training().evaluationJobs().get(0).champion())
        .isEqualTo(env.registry().version("churn", 1).orElseThrow().artifacts().model());
  }
}
