package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout's own paths, untouched by messages: promotion, breach, low traffic, bad requests. */
class CanaryRolloutWorkflowTest extends CanaryRolloutTestSupport {

  @Test
  void passesEveryStepOnDurableTimersThenPromotes() {
    long start = env.currentTimeMillis();

    CanaryResult result = stub().run(request(null));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.champion()).isEqualTo(4);
    assertThat(result.previousChampion()).isEqualTo(3);
    assertThat(result.message()).isEqualTo("v4 is champion (was v3)");
    assertThat(result.history())
        .extracting(StepReport::step, StepReport::percent, StepReport::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 10, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(2, 25, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(3, 50, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(4, 100, Verdict.PASS));
    // Each window is one bake long and starts where its step's traffic shift ended.
    for (AnalysisWindow w : windows) {
      assertThat(oneBake(w)).as("window %s", w).isTrue();
      assertThat(w.champion()).isEqualTo(3);
      assertThat(w.canary()).isEqualTo(4);
    }
    assertThat(env.currentTimeMillis() - start).isGreaterThanOrEqualTo(40 * 60_000L);
    // At 100 % the champion served nothing: the 50 % step's champion figures stood in.
    assertThat(result.history().get(3).champion().requests()).isEqualTo(2000);
    var order = inOrder(registry);
    for (int percent : List.of(10, 25, 50, 100)) {
      order
          .verify(registry)
          .setTrafficSplit(
              new TrafficChange(
                  MODEL,
                  4,
                  percent,
                  "canary step " + (List.of(10, 25, 50, 100).indexOf(percent) + 1) + " of 4",
                  ACTOR));
    }
    String reason = "canary passed 4 steps against v3";
    order.verify(registry).setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 4, reason, ACTOR));
    order.verify(registry).setTrafficSplit(TrafficChange.championOnly(MODEL, reason, ACTOR));
    verify(registry, never()).reject(any());
  }

  @Test
  void aBreachSendsTrafficBackAndWithdrawsTheVersionWithTheReason() {
    answers =
        n ->
            n < 1
                ? healthy()
                : analysis(
                    new VersionStats(3, 3000, 3000, 4, 20.0, 0, null, null, 0.2, null, null),
                    new VersionStats(4, 1000, 1000, 100, 21.0, 0, null, null, 0.2, null, null));

    CanaryResult result = stub().run(request(null));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ROLLED_BACK);
    assertThat(result.champion()).isEqualTo(3);
    String breach =
        "step 2 at 25 %: error rate: 10.00 % vs 0.13 % (+9.87 points, max +1.00, noise ±1.90)";
    assertThat(result.reason()).isEqualTo(breach);
    assertThat(result.history())
        .extracting(StepReport::verdict)
        .containsExactly(Verdict.PASS, Verdict.BREACH);
    assertThat(shares).containsExactly(10, 25, 0);
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(TrafficChange.championOnly(MODEL, "canary breached: " + breach, ACTOR));
    order
        .verify(registry)
        .reject(new Rejection(MODEL, 4, "canary breached at " + breach, ACTOR, null));
    verify(registry, never()).setAlias(any());
  }

  @Test
  void tooLittleTrafficExtendsTheBakeThenEndsInconclusive() {
    answers =
        n ->
            analysis(
                new VersionStats(3, 900, 900, 0, 20.0, 0, null, null, 0.2, null, null),
                new VersionStats(4, 40, 40, 0, 20.0, 0, null, null, 0.2, null, null));

    CanaryResult result = stub().run(request(policy(LowTraffic.EXTEND, 2, null, null)));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.INCONCLUSIVE);
    assertThat(result.history())
        .extracting(StepReport::step, StepReport::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 0),
            org.assertj.core.groups.Tuple.tuple(1, 1),
            org.assertj.core.groups.Tuple.tuple(1, 2));
    assertThat(result.reason())
        .isEqualTo(
            "step 1 saw too little traffic after 2 extensions (traffic: canary served 40 of 200"
                + " requests needed)");
    assertThat(shares).containsExactly(10, 0);
    verify(registry, never()).reject(any());
    verify(registry, never()).setAlias(any());
  }

  @Test
  void holdKeepsBakingUntilTrafficArrivesThenGoesOn() {
    answers =
        n ->
            n < 6
                ? analysis(
                    new VersionStats(3, 900, 900, 0, 20.0, 0, null, null, 0.2, null, null),
                    new VersionStats(4, 5, 5, 0, 20.0, 0, null, null, 0.2, null, null))
                : healthy();

    CanaryResult result = stub().run(request(policy(LowTraffic.HOLD, 0, null, null)));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.history()).hasSize(6 + 4);
    assertThat(result.history().subList(0, 7)).allMatch(r -> r.step() == 1);
  }

  @Test
  void withoutApprovalInTimeTheChampionStays() {
    CanaryResult result = stub().run(request(policy(null, null, true, "2h")));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.APPROVAL_TIMED_OUT);
    assertThat(result.reason()).isEqualTo("no approval within 2h; champion kept");
    assertThat(shares).containsExactly(10, 25, 50, 100, 0);
    verify(registry, never()).setAlias(any());
    verify(registry, never()).reject(any());
  }

  @Test
  void refusesBadRequestsAndModelsWithoutAChampion() {
    CanaryPolicy bad = CanaryPolicy.builder().steps(List.of(0)).build();
    assertThatThrownBy(() -> stub().run(new CanaryRolloutRequest("Bad Name", null, bad, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContainingAll("model: must be", "version: must be", "policy.steps[0]");

    when(registry.findAlias(MODEL, Aliases.CHAMPION)).thenReturn(null);
    assertThatThrownBy(() -> stub().run(request(null)))
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("has no champion to compare a canary with")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(FailureTypes.INVALID_REQUEST));

    when(registry.findAlias(MODEL, Aliases.CHAMPION)).thenReturn(version(4));
    assertThatThrownBy(() -> stub().run(request(null)))
        .rootCause()
        .hasMessageContaining("v4 of credit-default is already champion");
    assertThat(shares).isEmpty();
  }
}
