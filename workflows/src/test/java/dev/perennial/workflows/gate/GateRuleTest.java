package dev.perennial.workflows.gate;

import static dev.perennial.workflows.gate.GateRule.atLeast;
import static dev.perennial.workflows.gate.GateRule.atMost;
import static dev.perennial.workflows.gate.GateRule.beatsChampion;
import static dev.perennial.workflows.gate.GateRule.noWorseThanChampion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.training.ModelMetrics;
import org.junit.jupiter.api.Test;

class GateRuleTest {
  /**
   * The strict gate of the approval example: beat the champion's AUC by 0.005, log loss no worse.
   */
  private static final ValidationGate STRICT =
      ValidationGate.of(
          atLeast("auc", 0.70), beatsChampion("auc", 0.005), noWorseThanChampion("logLoss"));

  private static ModelMetrics m(double auc, double logLoss) {
    return new ModelMetrics(auc, logLoss, 0.8, 0.5, 0.5, 0.5, 1000);
  }

  @Test
  void logLossNoWorseIsOneRuleOnItsOwn() {
    ModelMetrics champion = m(0.80, 0.400);
    assertThat(STRICT.decide(m(0.806, 0.400), champion, 2).passed()).isTrue();

    GateDecision worse = STRICT.decide(m(0.806, 0.401), champion, 2);
    assertThat(worse.passed()).isFalse();
    assertThat(worse.reasons())
        .containsExactly(
            "failed logLoss <= champion 0.4000 + 0.0000 vs champion v2: candidate has 0.4010");
  }

  @Test
  void theMarginOnAucIsAskedOfTheCandidate() {
    GateDecision d = STRICT.decide(m(0.804, 0.30), m(0.80, 0.40), 2);
    assertThat(d.passed()).isFalse();
    assertThat(d.checks().get(1).limit())
        .isEqualTo(0.805, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(d.reasons().get(0))
        .startsWith("failed auc >= champion 0.8000 + 0.0050 vs champion v2");
  }

  @Test
  void rulesRelativeToTheChampionDoNotApplyWithoutOne() {
    GateDecision d = STRICT.decide(m(0.71, 0.9), null, null);
    assertThat(d.passed()).isTrue();
    assertThat(d.checks()).extracting(GateCheck::rule).containsExactly("auc >= 0.7000");
  }

  @Test
  void aGainOnLogLossLowersTheBound() {
    GateDecision d =
        ValidationGate.of(beatsChampion("logLoss", 0.01)).decide(m(0.8, 0.395), m(0.8, 0.40), 1);
    assertThat(d.passed()).isFalse();
    assertThat(d.checks().get(0).rule())
        .isEqualTo("logLoss <= champion 0.4000 - 0.0100 vs champion v1");
  }

  @Test
  void aRuleOfYourOwnIsALambda() {
    ValidationGate gate =
        ValidationGate.of(atMost("logLoss", 0.6))
            .and((c, champion, v) -> GateCheck.of("recall >= 0.6000", c.recall(), 0.6, true));
    GateDecision d = gate.decide(m(0.8, 0.4), null, null);
    assertThat(d.passed()).isFalse();
    assertThat(d.reasons()).containsExactly("failed recall >= 0.6000: candidate has 0.5000");
  }

  @Test
  void unknownMetricsAndNegativeTolerancesAreRefusedWhenTheGateIsBuilt() {
    assertThatThrownBy(() -> atLeast("aucc", 0.7)).hasMessageContaining("unknown metric aucc");
    assertThatThrownBy(() -> noWorseThanChampion("auc", -0.1))
        .hasMessageContaining("use beatsChampion");
    assertThatThrownBy(ValidationGate::of).hasMessageContaining("at least one rule");
  }
}
