package dev.perennial.workflows.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.training.ModelMetrics;
import org.junit.jupiter.api.Test;

class ValidationGateTest {
  private static final GatePolicy POLICY = new GatePolicy(0.70, 0.60, 0.01, 0.02);

  private static ModelMetrics m(double auc, double logLoss, double accuracy, double f1) {
    return new ModelMetrics(auc, logLoss, accuracy, 0.5, 0.5, f1, 1000);
  }

  @Test
  void firstModelIsHeldToTheAbsoluteThresholdsOnly() {
    GateDecision pass = ValidationGate.of(POLICY).decide(m(0.71, 0.40, 0.8, 0.4), null, null);
    assertThat(pass.passed()).isTrue();
    assertThat(pass.checks()).hasSize(2);
    assertThat(pass.reasons())
        .containsExactly("passed the absolute thresholds; no champion to compare with");

    GateDecision fail = ValidationGate.of(POLICY).decide(m(0.69, 0.65, 0.8, 0.4), null, null);
    assertThat(fail.passed()).isFalse();
    assertThat(fail.reasons())
        .containsExactly(
            "failed auc >= 0.7000: candidate has 0.6900",
            "failed logLoss <= 0.6000: candidate has 0.6500");
  }

  @Test
  void candidateMustImproveAucByTheMinimum() {
    ModelMetrics champion = m(0.80, 0.40, 0.85, 0.50);
    // 0.805 < 0.80 + 0.01: not enough improvement.
    GateDecision d = ValidationGate.of(POLICY).decide(m(0.805, 0.40, 0.85, 0.50), champion, 3);
    assertThat(d.passed()).isFalse();
    assertThat(d.championVersion()).isEqualTo(3);
    assertThat(d.reasons())
        .containsExactly(
            "failed auc >= champion 0.8000 + 0.0100 vs champion v3: candidate has 0.8050");

    assertThat(ValidationGate.of(POLICY).decide(m(0.811, 0.40, 0.85, 0.50), champion, 3).passed())
        .isTrue();
  }

  @Test
  void otherMetricsMayNotRegressBeyondTheLimit() {
    ModelMetrics champion = m(0.80, 0.40, 0.85, 0.50);
    // Better AUC, but accuracy drops 0.03 (> 0.02) and log loss rises 0.05 (> 0.02).
    GateDecision d = ValidationGate.of(POLICY).decide(m(0.83, 0.45, 0.82, 0.49), champion, 1);
    assertThat(d.passed()).isFalse();
    assertThat(d.reasons()).hasSize(2);
    assertThat(d.reasons().get(0)).startsWith("failed accuracy >= champion 0.8500 - 0.0200");
    assertThat(d.reasons().get(1)).startsWith("failed logLoss <= champion 0.4000 + 0.0200");
  }

  @Test
  void notANumberNeverPasses() {
    GateDecision d = ValidationGate.of(POLICY).decide(m(Double.NaN, 0.4, 0.8, 0.4), null, null);
    assertThat(d.passed()).isFalse();
  }
}
