package dev.perennial.testkit;

import static dev.perennial.workflows.registry.Aliases.CHALLENGER;
import static dev.perennial.workflows.registry.Aliases.CHAMPION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.perennial.testkit.AuditEntry.Action;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The fake keeps the real registry's rules, called directly. */
class FakeRegistryTest {
  static final String M = "credit-default";
  final FakeRegistry registry = new FakeRegistry(() -> Instant.parse("2026-02-01T00:00:00Z"));

  static RegistrationRequest request(String key, boolean passed) {
    return new RegistrationRequest(
        M,
        key,
        Records.snapshot().build(),
        Records.trainedModel().build(),
        Hyperparameters.defaults(),
        Records.evaluation().build(),
        passed ? Records.gatePassed() : Records.gateRefused("auc too low"),
        Trigger.MANUAL,
        "wf",
        "run",
        null);
  }

  static void refused(ThrowingCallable call, String type) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(type);
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void registersOneVersionPerIdempotencyKeyWithTheGatesStatus() {
    ModelVersion first = registry.register(request("a", true));
    ModelVersion retried = registry.register(request("a", true));
    ModelVersion second = registry.register(request("b", false));

    assertThat(retried).isEqualTo(first);
    assertThat(registry.versions(M))
        .extracting(ModelVersion::version, ModelVersion::status)
        .containsExactly(tuple(1, VersionStatus.APPROVED), tuple(2, VersionStatus.REJECTED));
    assertThat(registry.audit(M))
        .extracting(AuditEntry::action, AuditEntry::reason)
        .containsExactly(
            tuple(Action.REGISTER, "gate passed"),
            tuple(Action.REGISTER, "gate failed: auc too low"));
  }

  @Test
  void refusesAliasesOnUnknownAndRejectedVersions() {
    registry.register(request("a", false));

    refused(
        () -> registry.setAlias(new AliasChange(M, CHAMPION, 1, "r", "t")),
        FailureTypes.REGISTRY_CONFLICT);
    refused(
        () -> registry.setAlias(new AliasChange(M, CHAMPION, 7, "r", "t")),
        FailureTypes.REGISTRY_CONFLICT);
    refused(
        () -> registry.setAlias(new AliasChange(M, "best", 1, "r", "t")),
        FailureTypes.INVALID_REQUEST);
    assertThat(registry.aliases(M)).isEmpty();
  }

  @Test
  void championTakesTheChallengerAliasAlongInTheSameChange() {
    registry.seedChampion(M);
    registry.register(request("a", true));
    registry.setAlias(new AliasChange(M, CHALLENGER, 2, "passed the gate", "wf"));

    registry.setAlias(new AliasChange(M, CHAMPION, 2, "canary passed", "wf"));
    registry.setAlias(new AliasChange(M, CHAMPION, 2, "canary passed", "wf")); // no-op

    assertThat(registry.aliases(M)).containsOnly(Map.entry(CHAMPION, 2));
    assertThat(registry.audit(M))
        .extracting(AuditEntry::action, AuditEntry::alias, AuditEntry::previousVersion)
        .containsExactly(
            tuple(Action.REGISTER, null, null),
            tuple(Action.SET_ALIAS, CHALLENGER, null),
            tuple(Action.SET_ALIAS, CHAMPION, 1),
            tuple(Action.CLEAR_ALIAS, CHALLENGER, 2));
  }

  @Test
  void withdrawsOnceRefusesTheChampionAndKeepsWithdrawnVersionsOffTraffic() {
    registry.seedChampion(M);
    registry.register(request("a", true));

    registry.reject(new Rejection(M, 2, "canary breached", "wf", null));
    registry.reject(new Rejection(M, 2, "again", "wf", null));

    assertThat(registry.version(M, 2).orElseThrow().rejection().reason())
        .isEqualTo("canary breached");
    assertThat(registry.audit(M)).filteredOn(e -> e.action() == Action.REJECT).hasSize(1);
    refused(
        () -> registry.reject(new Rejection(M, 1, "no", "t", null)),
        FailureTypes.REGISTRY_CONFLICT);
    refused(
        () -> registry.setTrafficSplit(new TrafficChange(M, 2, 10, "step 1", "wf")),
        FailureTypes.REGISTRY_CONFLICT);
    refused(
        () -> registry.setTrafficSplit(new TrafficChange(M, null, 10, "?", "wf")),
        FailureTypes.INVALID_REQUEST);
  }

  @Test
  void trafficSplitIsAuditedOnlyWhenItChanges() {
    registry.seedChampion(M);
    registry.register(request("a", true));

    registry.setTrafficSplit(new TrafficChange(M, 2, 10, "step 1", "wf"));
    registry.setTrafficSplit(new TrafficChange(M, 2, 10, "step 1", "wf"));

    assertThat(registry.trafficSplit(M)).isEqualTo(new FakeRegistry.TrafficSplit(2, 10));
    assertThat(registry.audit(M)).filteredOn(e -> e.action() == Action.SET_TRAFFIC).hasSize(1);
    assertThat(registry.trafficChanges()).hasSize(2);
  }
}
