package com.example.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.testkit.PerennialTestEnvironment;
import dev.perennial.testkit.Records;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChurnRetrainingTest {
  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ChurnRetraining.Impl.class);

  private Outcome run() {
    return env.workflow(ChurnRetraining.class).run(ContinuousTrainingRequest.of("churn")).outcome();
  }

  @Test
  void trainsWithOurTrainerAndPromotesWithinTheTolerance() {
    env.registry().seedChampion("churn", Records.metrics(0.80, 0.45));
    env.training().candidate(0.795, 0.46);
    assertThat(run()).isEqualTo(Outcome.PROMOTED);
    var job = env.training().trainingJobs().get(0);
    assertThat(job.hyperparameters().algorithm()).isEqualTo("example-binned-bayes");
    assertThat(job.hyperparameters().params()).containsEntry("bins", "12");
  }

  @Test
  void refusedWhenItLosesMoreThanTheTolerance() {
    env.registry().seedChampion("churn", Records.metrics(0.80, 0.45));
    env.training().candidate(0.785, 0.46);
    assertThat(run()).isEqualTo(Outcome.REJECTED);
  }
}
