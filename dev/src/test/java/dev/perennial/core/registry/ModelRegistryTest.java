package dev.perennial.core.registry;

import static dev.perennial.dev.testing.RegistryRequests.change;
import static dev.perennial.dev.testing.RegistryRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.perennial.core.registry.AuditEntry.Action;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.core.store.WriteGuardedObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.dev.testing.Race;
import dev.perennial.dev.testing.RegistryRequests;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.Hyperparameters;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModelRegistryTest {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final String MODEL = RegistryRequests.MODEL;
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private final TickingClock clock = new TickingClock(START);
  private String bucket;
  private CrashingStore store;
  private ModelRegistry registry;

  @BeforeEach
  void freshRegistry() {
    bucket = S3.freshBucket();
    store = new CrashingStore(S3.store());
    registry = new ModelRegistry(store, bucket, clock, ArtifactCheck.UNCHECKED);
  }

  @Test
  void registersNumberedVersionsWithManifestsAndAuditEntries() {
    ModelVersion first = registry.register(request("run-1", true));
    ModelVersion second = registry.register(request("run-2", false));

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.status()).isEqualTo(VersionStatus.APPROVED);
    assertThat(first.createdAt()).isEqualTo(START.toString());
    assertThat(first.hyperparameters()).isEqualTo(Hyperparameters.defaults());
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.status()).isEqualTo(VersionStatus.REJECTED);
    assertThat(registry.versions(MODEL)).containsExactly(first, second);
    assertThat(registry.version(MODEL, 2)).contains(second);
    assertThat(registry.version(MODEL, 3)).isEmpty();
    assertThat(keys("models/churn/versions/"))
        .containsExactly(
            "models/churn/versions/000001/manifest.json",
            "models/churn/versions/000002/manifest.json");
    assertThat(registry.audit(MODEL))
        .extracting(AuditEntry::action, AuditEntry::version, AuditEntry::actor, AuditEntry::reason)
        .containsExactly(
            tuple(Action.REGISTER, 1, "wf-run-1", "gate passed"),
            tuple(Action.REGISTER, 2, "wf-run-2", "gate failed: auc dropped"));
  }

  @Test
  void modelsAreNumberedIndependently() {
    registry.register(request("a", true));

    ModelVersion other = registry.register(withModel(request("a", true), "fraud"));

    assertThat(other.version()).isEqualTo(1);
    assertThat(registry.versions("fraud")).containsExactly(other);
    assertThat(registry.versions("unknown-model")).isEmpty();
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameVersion() {
    ModelVersion first = registry.register(request("run-1", true));
    clock.advanceMillis(60_000);

    ModelVersion again = registry.register(request("run-1", true));
    ModelVersion other = registry.register(request("run-2", true));

    assertThat(again).isEqualTo(first);
    assertThat(other.version()).isEqualTo(2);
    assertThat(registry.versions(MODEL)).hasSize(2);
    assertThat(registry.audit(MODEL)).hasSize(2);
  }

  @Test
  void aRetryAfterACrashBeforeTheManifestTakesTheNextFreeNumber() {
    store.failBefore(key -> key.endsWith("/manifest.json"));
    assertThatThrownBy(() -> registry.register(request("crashed", true)))
        .isInstanceOf(ObjectStoreException.class);
    // Its claim names version 1, but another pipeline gets there first.
    ModelVersion winner = registry.register(request("other", true));

    ModelVersion retried = registry.register(request("crashed", true));

    assertThat(winner.version()).isEqualTo(1);
    assertThat(retried.version()).isEqualTo(2);
    assertThat(registry.register(request("crashed", true))).isEqualTo(retried);
    assertThat(registry.versions(MODEL)).extracting(ModelVersion::version).containsExactly(1, 2);
  }

  @Test
  void aRetryAfterACrashBeforeTheAuditEntryRecordsItOnce() {
    store.failBefore(key -> key.contains("/audit/"));
    assertThatThrownBy(() -> registry.register(request("run-1", true)))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(registry.audit(MODEL)).isEmpty();
    clock.advanceMillis(5_000);

    ModelVersion retried = registry.register(request("run-1", true));
    registry.register(request("run-1", true));

    assertThat(retried.version()).isEqualTo(1);
    assertThat(registry.versions(MODEL)).containsExactly(retried);
    assertThat(registry.audit(MODEL))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.action()).isEqualTo(Action.REGISTER);
              assertThat(entry.time()).isEqualTo(retried.createdAt());
            });
  }

  @Test
  void aManifestWriteWhoseAnswerGotLostIsFoundByTheRetry() {
    store.failAfter(key -> key.endsWith("/manifest.json"));
    assertThatThrownBy(() -> registry.register(request("run-1", true)))
        .isInstanceOf(ObjectStoreException.class);

    ModelVersion retried = registry.register(request("run-1", true));

    assertThat(retried.version()).isEqualTo(1);
    assertThat(registry.versions(MODEL)).containsExactly(retried);
    assertThat(registry.audit(MODEL)).hasSize(1);
  }

  @Test
  void concurrentRegistrationsGetDistinctGapFreeNumbers() throws Exception {
    int threads = 8;
    int perThread = 4;

    List<List<Integer>> numbers =
        Race.run(
            threads,
            caller ->
                IntStream.range(0, perThread)
                    .mapToObj(
                        i -> registry.register(request("t" + caller + "-" + i, true)).version())
                    .toList());

    List<Integer> all = numbers.stream().flatMap(List::stream).sorted().toList();
    assertThat(all).containsExactlyElementsOf(range(1, threads * perThread));
    assertThat(registry.versions(MODEL))
        .extracting(ModelVersion::version)
        .containsExactlyElementsOf(range(1, threads * perThread));
    assertThat(registry.audit(MODEL)).hasSize(threads * perThread);
  }

  @Test
  void concurrentRetriesOfTheSameRequestsMakeOneVersionPerKey() throws Exception {
    int keys = 12;

    // Every key is registered by three threads at once.
    List<List<ModelVersion>> results =
        Race.run(
            9,
            caller ->
                IntStream.range(0, 4)
                    .mapToObj(
                        i -> registry.register(request("k" + ((caller + 9 * i) % keys), true)))
                    .toList());

    Map<String, Integer> versionByKey = new HashMap<>();
    for (ModelVersion v : results.stream().flatMap(List::stream).toList()) {
      Integer earlier = versionByKey.putIfAbsent(v.workflowId(), v.version());
      assertThat(earlier).as(v.workflowId()).isIn(null, v.version());
    }
    assertThat(versionByKey).hasSize(keys);
    assertThat(versionByKey.values()).doesNotHaveDuplicates();
    assertThat(registry.versions(MODEL))
        .extracting(ModelVersion::version)
        .containsExactlyElementsOf(range(1, keys));
    assertThat(registry.audit(MODEL)).hasSize(keys);
  }

  @Test
  void setsMovesAndClearsAliasesWithAnAuditTrail() {
    registry.register(request("run-1", true));
    registry.register(request("run-2", true));

    assertThat(registry.setAlias(change(Aliases.CHAMPION, 1, "first model"))).isTrue();
    assertThat(registry.setAlias(change(Aliases.CHAMPION, 1, "again"))).isFalse();
    assertThat(registry.setAlias(change(Aliases.CHALLENGER, 2, "passed gate"))).isTrue();
    // The challenger becoming champion stops being challenger, in the same call.
    assertThat(registry.setAlias(change(Aliases.CHAMPION, 2, "canary done"))).isTrue();
    assertThat(registry.setAlias(change(Aliases.CHALLENGER, null, "promoted"))).isFalse();

    assertThat(registry.aliases(MODEL)).isEqualTo(Map.of(Aliases.CHAMPION, 2));
    assertThat(registry.findAlias(MODEL, Aliases.CHAMPION).version()).isEqualTo(2);
    assertThat(registry.findAlias(MODEL, Aliases.CHALLENGER)).isNull();
    assertThat(registry.audit(MODEL).subList(2, 6))
        .extracting(
            AuditEntry::action,
            AuditEntry::alias,
            AuditEntry::version,
            AuditEntry::previousVersion,
            AuditEntry::reason)
        .containsExactly(
            tuple(Action.SET_ALIAS, Aliases.CHAMPION, 1, null, "first model"),
            tuple(Action.SET_ALIAS, Aliases.CHALLENGER, 2, null, "passed gate"),
            tuple(Action.SET_ALIAS, Aliases.CHAMPION, 2, 1, "canary done"),
            tuple(Action.CLEAR_ALIAS, Aliases.CHALLENGER, null, 2, "v2 became champion"));
  }

  @Test
  void aChampionChangeThatCrashedBeforeClearingTheChallengerClearsItOnItsRetry() {
    registry.register(request("run-1", true));
    registry.setAlias(change(Aliases.CHALLENGER, 1, "passed gate"));
    store.failBefore(key -> key.endsWith("aliases.json") && registry.aliases(MODEL).size() == 2);
    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 1, "approved")))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHALLENGER, 1);

    assertThat(registry.setAlias(change(Aliases.CHAMPION, 1, "approved"))).isFalse();

    assertThat(registry.aliases(MODEL)).isEqualTo(Map.of(Aliases.CHAMPION, 1));
    assertThat(registry.audit(MODEL))
        .extracting(AuditEntry::action, AuditEntry::alias, AuditEntry::reason)
        .endsWith(
            tuple(Action.SET_ALIAS, Aliases.CHAMPION, "approved"),
            tuple(Action.CLEAR_ALIAS, Aliases.CHALLENGER, "v1 became champion"));
  }

  @Test
  void refusesUnknownAliasesUnknownVersionsAndRejectedVersions() {
    registry.register(request("good", true));
    registry.register(request("bad", false));

    assertThatThrownBy(() -> registry.setAlias(change("production", 1, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'production'");
    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 7, "x")))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessage("model churn has no version 7");
    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 2, "x")))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessageContainingAll("model churn", "version 2", "REJECTED");
    assertThat(registry.aliases(MODEL)).isEmpty();
    assertThat(registry.audit(MODEL)).extracting(AuditEntry::action).containsOnly(Action.REGISTER);
  }

  @Test
  void aWithdrawnVersionKeepsItsFirstReasonAndTakesNoAliasOrTrafficAgain() {
    registry.register(request("champion", true));
    registry.register(request("canary", true));
    registry.setAlias(change(Aliases.CHAMPION, 1, "first model"));
    registry.setTrafficSplit(MODEL, 2, 10, "canary step 1", "rollout");
    registry.setTrafficSplit(MODEL, null, 0, "canary breached", "rollout");

    assertThat(registry.reject(MODEL, 2, "error rate +5 %", "canary-rollout-churn")).isTrue();
    assertThat(registry.reject(MODEL, 2, "another reason", "someone")).isFalse();

    ModelVersion withdrawn = registry.version(MODEL, 2).orElseThrow();
    assertThat(withdrawn.status()).isEqualTo(VersionStatus.REJECTED);
    assertThat(withdrawn.rejection().reason()).isEqualTo("error rate +5 %");
    assertThat(withdrawn.rejection().actor()).isEqualTo("canary-rollout-churn");
    assertThat(registry.versions(MODEL)).element(1).isEqualTo(withdrawn);
    assertThat(registry.version(MODEL, 1).orElseThrow().rejection()).isNull();
    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 2, "x")))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessageContaining("REJECTED");
    assertThatThrownBy(() -> registry.setTrafficSplit(MODEL, 2, 10, "again", "x"))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessageContaining("REJECTED");
    assertThat(registry.audit(MODEL))
        .filteredOn(e -> e.action() == Action.REJECT)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.version()).isEqualTo(2);
              assertThat(e.reason()).isEqualTo("error rate +5 %");
              assertThat(e.time()).isEqualTo(withdrawn.rejection().time());
            });
  }

  @Test
  void refusesToWithdrawTheChampionAnUnknownVersionOrWithoutAReason() {
    registry.register(request("champion", true));
    registry.register(request("refused", false));
    registry.setAlias(change(Aliases.CHAMPION, 1, "first model"));

    assertThatThrownBy(() -> registry.reject(MODEL, 1, "bad", "x"))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessage(
            "model churn version 1 is the champion: roll back to another version before"
                + " withdrawing it");
    assertThatThrownBy(() -> registry.reject(MODEL, 9, "bad", "x"))
        .isInstanceOf(RegistryConflictException.class)
        .hasMessage("model churn has no version 9");
    assertThatThrownBy(() -> registry.reject(MODEL, 1, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("reason:");
    // A version the gate refused stays as the gate left it.
    assertThat(registry.reject(MODEL, 2, "bad", "x")).isFalse();
    assertThat(registry.version(MODEL, 2).orElseThrow().rejection()).isNull();
    assertThat(registry.audit(MODEL)).extracting(AuditEntry::action).doesNotContain(Action.REJECT);
  }

  @Test
  void aWithdrawalWhoseAuditEntryWasLostIsRecordedByTheRetry() {
    registry.register(request("run-1", true));
    store.failBefore(key -> key.contains("/audit/") && key.endsWith("-reject.json"));
    assertThatThrownBy(() -> registry.reject(MODEL, 1, "breached", "rollout"))
        .isInstanceOf(ObjectStoreException.class);

    assertThat(registry.reject(MODEL, 1, "breached", "rollout")).isFalse();

    assertThat(registry.audit(MODEL))
        .extracting(AuditEntry::action, AuditEntry::reason)
        .containsExactly(tuple(Action.REGISTER, "gate passed"), tuple(Action.REJECT, "breached"));
  }

  @Test
  void anAliasChangeWhoseAuditEntryWasLostIsRecordedByTheRetry() {
    registry.register(request("run-1", true));
    store.failBefore(key -> key.contains("/audit/") && key.endsWith("-alias.json"));
    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 1, "go")))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(registry.audit(MODEL)).hasSize(1);

    assertThat(registry.setAlias(change(Aliases.CHAMPION, 1, "go"))).isFalse();

    assertThat(registry.audit(MODEL))
        .extracting(AuditEntry::action, AuditEntry::reason)
        .containsExactly(tuple(Action.REGISTER, "gate passed"), tuple(Action.SET_ALIAS, "go"));
  }

  @Test
  void concurrentAliasChangesLeaveAConsistentChainOfAuditEntries() throws Exception {
    for (int i = 1; i <= 3; i++) {
      registry.register(request("run-" + i, true));
    }
    Integer[] targets = {1, 2, 3, null};

    List<Long> changed =
        Race.run(
            8,
            caller -> {
              Random random = new Random(caller);
              long effective = 0;
              for (int i = 0; i < 6; i++) {
                String alias = random.nextBoolean() ? Aliases.CHAMPION : Aliases.CHALLENGER;
                Integer target = targets[random.nextInt(targets.length)];
                if (registry.setAlias(change(alias, target, "caller " + caller))) {
                  effective++;
                }
              }
              return effective;
            });

    List<AuditEntry> aliasEntries =
        registry.audit(MODEL).stream().filter(e -> e.action() != Action.REGISTER).toList();
    // One entry per effective call, plus one per challenger cleared because it became champion.
    long automatic =
        aliasEntries.stream().filter(e -> e.reason().matches("v\\d+ became champion")).count();
    assertThat(aliasEntries)
        .hasSize((int) (changed.stream().mapToLong(Long::longValue).sum() + automatic));
    // Replaying the log in order must step from each entry's previous to its version and end
    // where aliases.json is.
    Map<String, Integer> replayed = new HashMap<>();
    for (AuditEntry entry : aliasEntries) {
      assertThat(entry.previousVersion())
          .as(entry.toString())
          .isEqualTo(replayed.get(entry.alias()));
      assertThat(entry.version()).isNotEqualTo(entry.previousVersion());
      if (entry.version() == null) {
        replayed.remove(entry.alias());
      } else {
        replayed.put(entry.alias(), entry.version());
      }
    }
    assertThat(registry.aliases(MODEL)).isEqualTo(replayed);
  }

  @Test
  void refusesMalformedRequests() {
    assertThatThrownBy(() -> registry.register(withModel(request("k", true), "Churn_Model")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model: must be 1-63 lower-case letters")
        .hasMessageContaining("'Churn_Model'");
    assertThatThrownBy(() -> registry.register(request(" ", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idempotencyKey: is required");
    assertThatThrownBy(() -> registry.versions("../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list(bucket, "")).isEmpty();
  }

  private List<String> keys(String prefix) {
    return store.list(bucket, prefix).stream().map(ObjectInfo::key).toList();
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  private static RegistrationRequest withModel(RegistrationRequest r, String model) {
    return new RegistrationRequest(
        model,
        r.idempotencyKey(),
        r.dataset(),
        r.artifacts(),
        r.hyperparameters(),
        r.evaluation(),
        r.gate(),
        r.trigger(),
        r.workflowId(),
        r.runId(),
        r.driftReport());
  }

  /** A clock that moves one millisecond per reading, so every event has its own time. */
  static final class TickingClock extends Clock {
    private final AtomicLong millis;

    TickingClock(Instant start) {
      this.millis = new AtomicLong(start.toEpochMilli());
    }

    void advanceMillis(long amount) {
      millis.addAndGet(amount);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.getAndIncrement());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }

  /**
   * Simulates a worker dying around one write: the first write to a matching key fails before it
   * reaches the store, or after it landed (the answer was lost).
   */
  static final class CrashingStore extends WriteGuardedObjectStore {
    private final AtomicReference<Predicate<String>> before = new AtomicReference<>();
    private final AtomicReference<Predicate<String>> after = new AtomicReference<>();

    CrashingStore(ObjectStore delegate) {
      super(delegate);
    }

    void failBefore(Predicate<String> keys) {
      before.set(keys);
    }

    void failAfter(Predicate<String> keys) {
      after.set(keys);
    }

    @Override
    protected <T> T guard(String bucket, String key, Supplier<T> write) {
      crashIfArmed(before, key);
      T result = write.get();
      crashIfArmed(after, key);
      return result;
    }

    private static void crashIfArmed(AtomicReference<Predicate<String>> trap, String key) {
      Predicate<String> keys = trap.get();
      if (keys != null && keys.test(key) && trap.compareAndSet(keys, null)) {
        throw new ObjectStore.ObjectStoreException("simulated crash at " + key, null);
      }
    }
  }
}
