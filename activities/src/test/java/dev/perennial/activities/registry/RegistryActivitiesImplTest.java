package dev.perennial.activities.registry;

import static dev.perennial.dev.testing.RegistryRequests.change;
import static dev.perennial.dev.testing.RegistryRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegistryActivitiesImplTest {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private final RegistryActivitiesImpl activities =
      new RegistryActivitiesImpl(
          new ModelRegistry(
              S3.store(), S3.freshBucket(), Clock.systemUTC(), ArtifactCheck.UNCHECKED));

  @Test
  void registersAndMovesAliases() {
    int version = activities.register(request("run-1", true)).version();
    activities.setAlias(change(Aliases.CHAMPION, version, "first"));

    assertThat(activities.findAlias("churn", Aliases.CHAMPION).version()).isEqualTo(version);
    assertThat(activities.findAlias("churn", Aliases.CHALLENGER)).isNull();
  }

  private static final DatasetSnapshot DATA =
      new DatasetSnapshot("d1".repeat(32), null, null, "2026-01-01", "2026-01-14", 14, 14, 1);

  private static RegistrationRequest withKey(RegistrationRequest r, CacheLookup lookup) {
    return new RegistrationRequest(
        r.model(),
        r.idempotencyKey(),
        DATA,
        r.artifacts(),
        r.hyperparameters(),
        r.evaluation(),
        r.gate(),
        r.trigger(),
        r.workflowId(),
        r.runId(),
        r.driftReport(),
        r.search(),
        lookup.key());
  }

  @Test
  void theLookupFindsTheVersionsRegisteredWithTheRunsKeyAndTheManifestKeepsIt() {
    CacheQuery query = new CacheQuery("churn", DATA, 2, Hyperparameters.defaults(), null);
    CacheLookup before = activities.findCached(query);
    assertThat(before.matches()).isEmpty();
    assertThat(before.latest()).isNull();

    activities.register(request("other", true)); // v1: registered without a key
    activities.register(withKey(request("run-1", true), before)); // v2
    CacheLookup other =
        activities.findCached(new CacheQuery("churn", DATA, 3, Hyperparameters.defaults(), null));
    CacheLookup after = activities.findCached(query);

    assertThat(after.key()).isEqualTo(before.key());
    assertThat(after.matches()).containsExactly(2);
    assertThat(after.latest().version()).isEqualTo(2);
    assertThat(after.latest().cacheKey()).isEqualTo(before.key());
    assertThat(other.matches()).isEmpty();
  }

  @Test
  void aLookupForATrainerTheWorkerLacksIsANonRetryableInvalidRequest() {
    CacheQuery query = new CacheQuery("churn", DATA, 2, Hyperparameters.of("acme-none"), null);

    assertThatThrownBy(() -> activities.findCached(query))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("no trainer named 'acme-none'");
            });
  }

  @Test
  void refusalsAreNonRetryableRegistryConflicts() {
    activities.register(request("bad", false));

    assertThatThrownBy(() -> activities.setAlias(change(Aliases.CHAMPION, 1, "x")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.REGISTRY_CONFLICT);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("REJECTED");
            });
  }

  @Test
  void anArtifactThatFailsItsCheckIsANonRetryableIntegrityViolation() {
    RegistryActivitiesImpl checked =
        new RegistryActivitiesImpl(
            new ModelRegistry(
                S3.store(),
                S3.freshBucket(),
                Clock.systemUTC(),
                version -> {
                  throw new IntegrityException("s3://b/model.bin changed after it was recorded");
                }));
    checked.register(request("run-1", true));

    assertThatThrownBy(() -> checked.setAlias(change(Aliases.CHAMPION, 1, "rollback")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.INTEGRITY);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("alias champion cannot point at model churn version 1")
                  .contains("changed after it was recorded");
            });
    assertThat(checked.findAlias("churn", Aliases.CHAMPION)).isNull();
  }

  @Test
  void malformedInputIsANonRetryableInvalidRequest() {
    assertThatThrownBy(() -> activities.findAlias("Not A Name", Aliases.CHAMPION))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("'Not A Name'");
            });
  }

  @Test
  void storeOutagesStayRetryable() {
    RegistryActivitiesImpl broken =
        new RegistryActivitiesImpl(
            new ModelRegistry(
                S3.store(),
                "bucket-that-is-not-there",
                Clock.systemUTC(),
                ArtifactCheck.UNCHECKED));

    assertThatThrownBy(() -> broken.register(request("run-1", true)))
        .isInstanceOf(ObjectStoreException.class);
  }
}
