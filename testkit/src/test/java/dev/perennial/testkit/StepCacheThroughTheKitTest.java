package dev.perennial.testkit;

import static dev.perennial.workflows.registry.Aliases.CHAMPION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflowImpl;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.Hyperparameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The step cache through the kit's fakes: the fake registry keys runs as the real one does (without
 * a trainer's resolved options), so a second identical run trains nothing, and new data, a changed
 * option, a new code version or {@code force} each train again.
 */
@Timeout(60) // A safety net against a run that never ends, not a speed check.
class StepCacheThroughTheKitTest {
  static final String MODEL = "credit-default";

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ContinuousTrainingWorkflowImpl.class);

  static ContinuousTrainingResult train(ContinuousTrainingRequest.Builder request) {
    return env.workflow(ContinuousTrainingWorkflow.class)
        .run(request.rollout(dev.perennial.workflows.pipeline.Rollout.PROMOTE).build());
  }

  static ContinuousTrainingRequest.Builder request() {
    return ContinuousTrainingRequest.builder(MODEL).lastDays(14);
  }

  @Test
  void aSecondIdenticalRunTrainsNothingAndNamesTheChampion() {
    ContinuousTrainingResult first = train(request());
    ContinuousTrainingResult second = train(request());

    assertThat(first.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(second.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(second.version()).isEqualTo(1);
    assertThat(second.message()).contains("same data, same parameters and code as v1 (champion)");
    assertThat(second.cacheKey()).isEqualTo(first.cacheKey());
    assertThat(env.training().trainingJobs()).hasSize(1);
    assertThat(env.training().evaluationJobs()).hasSize(1);
    assertThat(env.registry().versions(MODEL)).hasSize(1);
    assertThat(env.registry().versions(MODEL).get(0).cacheKey()).isEqualTo(first.cacheKey());
  }

  @Test
  void newDataAChangedOptionANewCodeVersionAndForceEachTrainAgain() {
    train(request());
    train(request().lastDays(15));
    train(request().hyperparameters(Hyperparameters.defaults().with("trees", 300)));
    env.registry().codeVersion("fake-trainer 2; perennial test");
    train(request());
    train(request().force(true));

    assertThat(env.training().trainingJobs()).hasSize(5);
    var keys = env.registry().versions(MODEL).stream().map(v -> v.cacheKey().key()).toList();
    assertThat(keys).hasSize(5);
    assertThat(keys.subList(0, 4)).doesNotHaveDuplicates();
    assertThat(keys.get(4)).as("the forced run records the key it matched").isEqualTo(keys.get(3));
  }

  @Test
  void aVersionRolledBackFromIsNotPromotedAgain() {
    train(request().lastDays(13)); // v1
    train(request()); // v2 champion
    env.registry().setAlias(new AliasChange(MODEL, CHAMPION, 1, "v2 misbehaves", "alice"));

    ContinuousTrainingResult again = train(request());

    assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(again.version()).isEqualTo(2);
    assertThat(again.message()).contains("not champion", "champion is v1", "roll back to v2");
    ModelVersion champion = env.registry().alias(MODEL, CHAMPION);
    assertThat(champion.version()).isEqualTo(1);
    assertThat(env.training().trainingJobs()).hasSize(2);
  }
}
