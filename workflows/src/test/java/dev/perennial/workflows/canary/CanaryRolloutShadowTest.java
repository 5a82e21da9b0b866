package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollout in shadow mode: the champion keeps every answer, the candidate scores the policy's
 * share of the requests beside it, and each step is judged by the canary's checks plus the
 * row-by-row comparison.
 */
class CanaryRolloutShadowTest extends CanaryRolloutTestSupport {

  static CanaryRolloutRequest shadowRequest(CanaryPolicy policy) {
    return new CanaryRolloutRequest(MODEL, 4, policy, null, RolloutMode.SHADOW);
  }

  /** Both versions scored the same 4000 requests; they agree on {@code agreement} of the rows. */
  CanaryAnalysis shadowed(double agreement, long shadowErrors) {
    return new CanaryAnalysis(
        windows.get(windows.size() - 1),
        new VersionStats(3, 4000, 4000, 1, 20.0, 300, 0.40, 0.80, 0.2, 0.01, 0.01),
        new VersionStats(4, 4000, 4000, shadowErrors, 22.0, 300, 0.38, 0.82, 0.2, 0.01, 0.01),
        3,
        new ShadowComparison(
            4000, agreement, Math.sqrt(agreement * (1 - agreement) / 4000), 0.03, 0.012, 300));
  }

  @Test
  void aShadowScoresEveryRequestBesideTheChampionAndIsPromotedWhenItPasses() throws Exception {
    answers = n -> shadowed(0.97, 1);

    CanaryResult result =
        stub().run(shadowRequest(CanaryPolicy.builder().bakeTime("10m").minAgreement(0.9).build()));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.mode()).isEqualTo(RolloutMode.SHADOW);
    assertThat(result.champion()).isEqualTo(4);
    assertThat(result.message()).isEqualTo("v4 is champion (was v3)");
    // One step by default: every request, judged once, on a shadow window.
    assertThat(result.history())
        .extracting(StepReport::step, StepReport::percent, StepReport::verdict)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 100, Verdict.PASS));
    assertThat(windows).hasSize(1);
    assertThat(windows.get(0).shadow()).isTrue();
    assertThat(oneBake(windows.get(0))).isTrue();
    StepReport step = result.history().get(0);
    assertThat(step.shadow().pairedRows()).isEqualTo(4000);
    assertThat(step.findings())
        .anySatisfy(
            f -> assertThat(f).startsWith("agreement: 97.00 % of 4000 rows").endsWith(": ok"))
        .anySatisfy(
            f -> assertThat(f).contains("PSI 0.0120").endsWith("not judged (set maxScorePsi)"))
        .anySatisfy(f -> assertThat(f).startsWith("online AUC: 0.8200 vs 0.8000"));
    String reason = "shadow passed 1 steps against v3";
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(TrafficChange.shadow(MODEL, 4, 100, "shadow step 1 of 1", ACTOR));
    order.verify(registry).setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 4, reason, ACTOR));
    order.verify(registry).setTrafficSplit(TrafficChange.championOnly(MODEL, reason, ACTOR));
    verify(registry, never()).reject(any());
    assertThat(running().status().mode()).isEqualTo(RolloutMode.SHADOW);
    record("canary-rollout-shadow-promoted.json");
  }

  @Test
  void aShadowThatDisagreesWithTheChampionTooOftenIsWithdrawnNamingTheAgreement() throws Exception {
    answers = n -> shadowed(0.70, 1);

    CanaryResult result =
        stub().run(shadowRequest(CanaryPolicy.builder().bakeTime("10m").minAgreement(0.9).build()));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ROLLED_BACK);
    assertThat(result.champion()).isEqualTo(3);
    assertThat(result.message()).isEqualTo("v4 withdrawn by its shadow; v3 stays");
    assertThat(result.reason()).startsWith("step 1 at 100 %: agreement: 70.00 % of 4000 rows");
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(TrafficChange.shadow(MODEL, 4, 100, "shadow step 1 of 1", ACTOR));
    order
        .verify(registry)
        .setTrafficSplit(
            TrafficChange.championOnly(MODEL, "shadow breached: " + result.reason(), ACTOR));
    order
        .verify(registry)
        .reject(new Rejection(MODEL, 4, "shadow breached at " + result.reason(), ACTOR, null));
    verify(registry, never()).setAlias(any());
    record("canary-rollout-shadow-withdrawn.json");
  }

  @Test
  void aShadowThatFailsWhereTheChampionAnswersIsWithdrawnLikeACanary() {
    answers = n -> shadowed(0.99, 400);

    CanaryResult result = stub().run(shadowRequest(CanaryPolicy.builder().bakeTime("10m").build()));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ROLLED_BACK);
    assertThat(result.reason()).startsWith("step 1 at 100 %: error rate: 10.00 % vs ");
  }

  @Test
  void aSampledShadowRisesThroughItsStepsAndAgreementIsReportedWhenNotJudged() {
    answers = n -> shadowed(0.80, 1);

    CanaryResult result =
        stub()
            .run(
                shadowRequest(
                    CanaryPolicy.builder().bakeTime("10m").steps(List.of(20, 100)).build()));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(shares).containsExactly(20, 100, 0);
    verify(registry)
        .setTrafficSplit(TrafficChange.shadow(MODEL, 4, 20, "shadow step 1 of 2", ACTOR));
    assertThat(result.history().get(0).findings())
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("agreement: 80.00 %")
                    .endsWith("not judged (set minAgreement)"));
  }

  @Test
  void aShadowWithTooFewRequestsSaysTheShadowScoredTooFew() {
    answers =
        n ->
            new CanaryAnalysis(
                windows.get(windows.size() - 1),
                new VersionStats(3, 4000, 4000, 1, 20.0, 0, null, null, 0.2, null, null),
                VersionStats.empty(4),
                3,
                ShadowComparison.empty());

    CanaryResult result =
        stub().run(shadowRequest(CanaryPolicy.builder().bakeTime("10m").maxExtensions(1).build()));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.INCONCLUSIVE);
    assertThat(result.history().get(0).findings())
        .contains("traffic: shadow scored 0 of 200 requests needed");
  }
}
