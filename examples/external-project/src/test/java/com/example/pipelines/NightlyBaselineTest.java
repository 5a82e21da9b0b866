package com.example.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.testkit.PerennialTestEnvironment;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.registry.Aliases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NightlyBaselineTest {
  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(NightlyBaseline.Impl.class);

  private ContinuousTrainingResult run() {
    return env.workflow(NightlyBaseline.class).run(ContinuousTrainingRequest.of("churn"));
  }

  @Test
  void aPassingBaselineIsChallengerAndTheChampionStays() {
    int champion = env.registry().seedChampion("churn").version();
    env.training().candidate(0.83, 0.40);
    ContinuousTrainingResult result = run();
    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(env.registry().alias("churn", Aliases.CHALLENGER).version())
        .isEqualTo(result.version());
    assertThat(env.registry().alias("churn", Aliases.CHAMPION).version()).isEqualTo(champion);
    assertThat(env.training().trainingJobs().get(0).hyperparameters().algorithm())
        .isEqualTo("LOGISTIC_REGRESSION");
  }

  @Test
  void evenTheFirstVersionOfAModelIsOnlyChallenger() {
    assertThat(run().outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(env.registry().alias("churn", Aliases.CHAMPION)).isNull();
  }

  @Test
  void aBaselineBelowTheGateIsRefused() {
    env.training().candidate(0.60, 0.70);
    assertThat(run().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(env.registry().alias("churn", Aliases.CHALLENGER)).isNull();
  }
}
