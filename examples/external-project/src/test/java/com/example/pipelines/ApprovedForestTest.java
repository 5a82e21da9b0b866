package com.example.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.testkit.PerennialTestEnvironment;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApprovedForestTest {
  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ApprovedForest.Impl.class);

  /** Against a champion with AUC 0.80 and log loss 0.45 (the kit's default). */
  private ApprovedForest start(double auc, double logLoss) {
    env.registry().seedChampion("loan-churn");
    env.training().candidate(auc, logLoss);
    return env.start(ApprovedForest.class, ContinuousTrainingRequest.of("loan-churn"));
  }

  @Test
  void approvedByAliceItBecomesChampionInHerName() {
    ApprovedForest run = start(0.82, 0.44);
    env.approve(run, "alice", "ROC curves checked");
    assertThat(env.result(run).outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(env.registry().audit("loan-churn")).anyMatch(e -> "alice".equals(e.actor()));
  }

  @Test
  void withNoAnswerInTwoDaysItStaysChallenger() {
    assertThat(env.result(start(0.82, 0.44)).outcome()).isEqualTo(Outcome.CHALLENGER);
  }

  @Test
  void aWorseLogLossIsRefusedByTheGate() {
    assertThat(env.result(start(0.82, 0.46)).outcome()).isEqualTo(Outcome.REJECTED);
  }
}
