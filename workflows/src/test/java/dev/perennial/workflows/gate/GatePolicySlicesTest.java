package dev.perennial.workflows.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate policy's rules over slices as the Web UI's Start Workflow form sends them. */
class GatePolicySlicesTest {

  private static ContinuousTrainingRequest request(String json) {
    var payload =
        io.temporal.api.common.v1.Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))
            .build();
    return DefaultDataConverter.newDefaultInstance()
        .fromPayload(payload, ContinuousTrainingRequest.class, ContinuousTrainingRequest.class);
  }

  @Test
  void sliceRulesReadFromTheRequestWithTheirDefaults() {
    ContinuousTrainingRequest r =
        request(
            """
            {"model": "credit-default",
             "gate": {"minAuc": 0.72,
                      "sliceAuc": [{"feature": "region", "minRows": 200},
                                   {"feature": "age", "edges": [30, 45, 60], "maxLoss": 0.05}],
                      "fairness": [{"feature": "region", "metric": "RECALL"}]}}
            """);
    assertThat(r.problems()).isEmpty();
    GatePolicy gate = r.withDefaults().gate();

    assertThat(gate.minAuc()).isEqualTo(0.72);
    assertThat(gate.sliceAuc())
        .containsExactly(
            new SliceAucPolicy("region", null, 200, 0.03),
            new SliceAucPolicy("age", List.of(30.0, 45.0, 60.0), 100, 0.05));
    assertThat(gate.fairness())
        .containsExactly(new FairnessPolicy("region", null, FairnessMetric.RECALL, 0.10, 2.0, 100));
    assertThat(gate.slicings())
        .containsExactly(Slicing.byValue("region"), Slicing.byBuckets("age", 30, 45, 60));
    assertThat(ValidationGate.of(gate).slicings()).isEqualTo(gate.slicings());
  }

  @Test
  void slicesCrossHistoryIntactEvenASliceOfOneClassWithoutAuc() {
    ModelMetrics oneClass = new ModelMetrics(Double.NaN, 0.2, 1, 0, 0, 0, 40);
    Evaluation e =
        new Evaluation(
            oneClass,
            null,
            null,
            null,
            List.of(
                new SliceResults(
                    Slicing.byBuckets("age", 30),
                    List.of(new SliceMetrics("age", "<30", 40, 0, oneClass, 0, null)))));
    var converter = DefaultDataConverter.newDefaultInstance();
    var payload = converter.toPayload(e).orElseThrow();

    Evaluation back = converter.fromPayload(payload, Evaluation.class, Evaluation.class);

    assertThat(back).isEqualTo(e);
    assertThat(back.slices(Slicing.byBuckets("age", 30)).slices().get(0).candidate().auc()).isNaN();
  }

  @Test
  void aRequestWithoutSliceRulesNeedsNoSlices() {
    GatePolicy gate =
        request("{\"model\": \"m\", \"gate\": {\"minAuc\": 0.7}}").withDefaults().gate();
    assertThat(gate.sliceAuc()).isNull();
    assertThat(gate.fairness()).isNull();
    assertThat(gate.slicings()).isEmpty();
    assertThat(ValidationGate.of(gate).slicings()).isEmpty();
  }

  @Test
  void badSliceRulesAreNamedByTheirPlaceInTheRequest() {
    ContinuousTrainingRequest r =
        request(
            """
            {"model": "m",
             "gate": {"sliceAuc": [{"minRows": 0}, {"feature": "age", "edges": []}],
                      "fairness": [{"feature": "age", "edges": [45, 30], "maxDifference": 2,
                                    "standardErrors": -1}]}}
            """);
    assertThat(r.problems())
        .containsExactly(
            "gate.sliceAuc[0].feature: name the feature to slice by",
            "gate.sliceAuc[0].minRows: must be between 1 and 2147483647 (got 0)",
            "gate.sliceAuc[1].edges: empty; give at least one bucket edge, or leave edges out to"
                + " slice a categorical feature by value",
            "gate.fairness[0].edges: must be strictly increasing (45 then 30)",
            "gate.fairness[0].maxDifference: must be between 0 and 1 (got 2.0)",
            "gate.fairness[0].standardErrors: must be between 0 and 10 (got -1.0)");
  }

  @Test
  void atMostFiveSlicingsPerEvaluation() {
    GatePolicy p = GatePolicy.defaults();
    for (int i = 0; i < 6; i++) {
      p = p.withSliceAuc(new SliceAucPolicy("f" + i, null, null, null));
    }
    assertThat(p.problems("gate"))
        .containsExactly(
            "gate: the rules over slices cut the rows 6 ways; at most 5 (feature, edges) pairs per"
                + " evaluation");
  }

  @Test
  void thePolicysGateRefusesACandidateThatLosesOnASlice() {
    GatePolicy p =
        GatePolicy.defaults().withSliceAuc(new SliceAucPolicy("region", null, 100, 0.03));
    ModelMetrics overall = new ModelMetrics(0.80, 0.40, 0.8, 0.5, 0.5, 0.5, 1000);
    ModelMetrics weak = new ModelMetrics(0.70, 0.50, 0.8, 0.5, 0.5, 0.5, 300);
    ModelMetrics strong = new ModelMetrics(0.78, 0.45, 0.8, 0.5, 0.5, 0.5, 300);
    Evaluation e =
        new Evaluation(
            overall,
            overall,
            null,
            null,
            List.of(
                new SliceResults(
                    Slicing.byValue("region"),
                    List.of(new SliceMetrics("region", "south", 300, 90, weak, 100, strong)))));
    GateDecision d = ValidationGate.of(p).decide(e, 4);
    assertThat(d.passed()).isFalse();
    assertThat(d.reasons())
        .containsExactly(
            "failed auc of slice region=south (300 rows; 1 failing of 1 region slices with >= 100"
                + " rows) >= champion 0.7800 - 0.0300 vs champion v4: candidate has 0.7000");
  }
}
