package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.SliceAucPolicy;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The request's rules over slices: asked of the evaluation, applied by the gate. */
class ContinuousTrainingSlicesTest extends ContinuousTrainingTestSupport {
  static final Slicing REGION = Slicing.byValue("region");

  static ContinuousTrainingRequest withSliceRule() {
    return ContinuousTrainingRequest.builder(Samples.MODEL)
        .gate(GatePolicy.defaults().withSliceAuc(new SliceAucPolicy("region", null, 200, 0.03)))
        .build();
  }

  /** Better than the champion overall (0.82 vs 0.80), much worse on region=south. */
  static Evaluation slicedEvaluation() {
    Evaluation overall = Samples.evaluation(0.82, 0.80);
    ModelMetrics south = Samples.metrics(0.70);
    ModelMetrics southChampion = Samples.metrics(0.79);
    ModelMetrics north = Samples.metrics(0.85);
    return new Evaluation(
        overall.candidate(),
        overall.champion(),
        overall.report(),
        null,
        List.of(
            new SliceResults(
                REGION,
                List.of(
                    new SliceMetrics("region", "north", 3000, 600, north, 500, north),
                    new SliceMetrics("region", "south", 1000, 200, south, 150, southChampion)))));
  }

  @Test
  void aCandidateBetterOverallIsRefusedForTheSliceItLosesOn() throws Exception {
    happyPathUpToEvaluation(0.80, 0.82);
    when(training.evaluate(any())).thenReturn(slicedEvaluation());
    start(training);

    ContinuousTrainingResult result = stub("ct-slices").run(withSliceRule());

    ArgumentCaptor<EvaluationJob> job = ArgumentCaptor.forClass(EvaluationJob.class);
    verify(training).evaluate(job.capture());
    assertThat(job.getValue().slices()).containsExactly(REGION);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.decision().reasons())
        .containsExactly(
            "failed auc of slice region=south (1000 rows; 1 failing of 2 region slices with >= 200"
                + " rows) >= champion 0.7900 - 0.0300 vs champion v1: candidate has 0.7000");
    verify(registry, never()).setAlias(any());
    recordHistoryIfAsked("ct-slices", "continuous-training-slice-refused.json");
  }

  @Test
  void aRequestWithoutSliceRulesAsksForNoSlices() {
    happyPathUpToEvaluation(0.80, 0.82);
    start(training);

    stub("ct-no-slices").run(ContinuousTrainingRequest.of(Samples.MODEL));

    ArgumentCaptor<EvaluationJob> job = ArgumentCaptor.forClass(EvaluationJob.class);
    verify(training).evaluate(job.capture());
    assertThat(job.getValue().slices()).isNull();
  }

  @Test
  void aSliceRuleOnAFeatureTheWorkerRefusesEndsTheRunNamingIt() {
    happyPathUpToEvaluation(0.80, 0.82);
    // The worker's answer for an evaluation without the slices the gate needs.
    when(training.evaluate(any())).thenReturn(Samples.evaluation(0.82, 0.80));
    start(training);

    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> stub("ct-missing-slices").run(withSliceRule())))
        .rootCause()
        .hasMessageContaining("the evaluation has no slices of region");
  }
}
