package dev.perennial.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search of writing-a-pipeline.md in a user's pipeline, tested with the kit's fakes. */
@Timeout(60)
class SearchingPipelineTest {

  @WorkflowInterface
  public interface SearchedForest extends PerennialPipeline {
    @WorkflowMethod(name = "SearchedForest")
    ContinuousTrainingResult run(ContinuousTrainingRequest request);

    class Impl extends PipelineWorkflow implements SearchedForest {
      static final Hyperparameters FOREST = Hyperparameters.of("RANDOM_FOREST");
      static final HyperparameterSearch SEARCH =
          HyperparameterSearch.random(12)
              .over("trees", ParameterRange.ints(50, 400))
              .over("maxDepth", ParameterRange.ints(3, 8))
              .over("subsample", ParameterRange.choice(0.6, 0.8, 1.0))
              .parallelism(3)
              .seed(7);

      @Override
      public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
        return pipeline.execute(
            request,
            r -> {
              pipeline.evaluate(pipeline.search(pipeline.snapshot(), FOREST, SEARCH));
              if (!pipeline.gate().passed()) {
                return pipeline.rejected();
              }
              return pipeline.challenger(
                  "best of " + pipeline.searchResult().trials().size() + " trials");
            });
      }
    }
  }

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(SearchedForest.Impl.class);

  @Test
  void theDeepestForestWinsAndTheVersionRecordsEveryTrial() {
    env.registry().seedChampion("churn");
    env.training().validation(h -> Records.metrics(0.80 + h.maxDepth() / 100.0, 0.40));

    ContinuousTrainingResult result =
        env.result(env.start(SearchedForest.class, ContinuousTrainingRequest.of("churn")));

    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(env.training().trainingJobs()).hasSize(12);
    ModelVersion v = env.registry().versions("churn").get(1);
    assertThat(v.search().trials()).hasSize(12);
    Trial best = v.search().bestTrial().orElseThrow();
    int deepest =
        v.search().trials().stream()
            .mapToInt(t -> t.hyperparameters().maxDepth())
            .max()
            .orElseThrow();
    assertThat(best.hyperparameters().maxDepth()).isEqualTo(deepest);
    assertThat(v.search().trials().stream().filter(t -> t.hyperparameters().maxDepth() == deepest))
        .first()
        .as("the first of the deepest: a tie goes to the lower number")
        .isEqualTo(best);
    assertThat(v.hyperparameters()).isEqualTo(best.hyperparameters());
    assertThat(v.hyperparameters().algorithm()).isEqualTo("RANDOM_FOREST");
  }
}
