package dev.perennial.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.Sha256;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingService;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry with {@link ArtifactCheck#loadable} refuses to let the champion or challenger alias,
 * or canary traffic, name a version that model servers could not load, and leaves everything as it
 * was.
 */
class ArtifactCheckTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  private static final String MODEL = "credit-default";

  private static final Hyperparameters LOGISTIC =
      Hyperparameters.of(Hyperparameters.LOGISTIC_REGRESSION).withDefaults();

  private static String bucket;
  private static TrainedModel trained;

  private ModelRegistry registry;

  @BeforeAll
  static void oneTrainedModel() {
    String data = S3.freshBucket();
    bucket = S3.freshBucket();
    new CreditDefaultGenerator()
        .generate(
            S3.store(), data, MODEL, GeneratorSpec.clean(3, LocalDate.of(2026, 1, 1), 3, 300));
    DatasetSnapshot snapshot =
        new DatasetSnapshots(S3.store(), bucket)
            .snapshot(
                new DatasetSpec(data, null, null, null, null, null).withDefaults(MODEL),
                (d, t) -> {});
    trained =
        new TrainingService(S3.store(), bucket, new SnapshotReader(S3.store()))
            .train(new TrainingJob(MODEL, snapshot, 1, LOGISTIC, "run-1"), TrainingProgress.NONE);
  }

  @BeforeEach
  void registryWithTwoVersions() {
    String registryBucket = S3.freshBucket();
    registry =
        new ModelRegistry(
            S3.store(),
            registryBucket,
            Clock.systemUTC(),
            ArtifactCheck.loadable(S3.store(), Trainers.onClassPath().codec()));
    registry.register(request("run-1", trained));
    registry.setAlias(change(Aliases.CHAMPION, 1));
  }

  @Test
  void aSoundVersionTakesAliasesAndTraffic() {
    registry.register(request("run-2", copy("run-2")));

    assertThat(registry.setTrafficSplit(MODEL, 2, 10, "canary step 1", "rollout")).isTrue();
    assertThat(registry.setAlias(change(Aliases.CHAMPION, 2))).isTrue();
    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHAMPION, 2);
  }

  @Test
  void aTamperedArtifactKeepsTheChampionWhereItWas() {
    TrainedModel v2 = copy("run-2");
    registry.register(request("run-2", v2));
    S3.store()
        .put(
            bucket,
            v2.model().key(),
            "not the model that was recorded".getBytes(StandardCharsets.UTF_8),
            "application/octet-stream");
    int auditBefore = registry.audit(MODEL).size();

    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 2)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("alias champion cannot point at model credit-default version 2")
        .hasMessageContaining(v2.model().uri())
        .hasMessageContaining("SHA-256");
    assertThatThrownBy(() -> registry.setTrafficSplit(MODEL, 2, 10, "canary step 1", "rollout"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("canary traffic cannot go to model credit-default version 2");

    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHAMPION, 1);
    assertThat(registry.trafficSplit(MODEL)).isEqualTo(TrafficSplit.CHAMPION_ONLY);
    assertThat(registry.audit(MODEL)).hasSize(auditBefore);
  }

  @Test
  void aMissingArtifactIsRefusedByName() {
    ObjectRef gone = new ObjectRef(bucket, "runs/credit-default/gone/model.bin", "00", 1);
    registry.register(request("run-2", with(trained, gone)));

    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHALLENGER, 2)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(gone.uri())
        .hasMessageContaining("is gone");
    assertThat(registry.aliases(MODEL)).doesNotContainKey(Aliases.CHALLENGER);
  }

  @Test
  void anArtifactOutsideTheAllowlistIsRefusedThoughItsHashMatches() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new File("/etc/passwd"));
    }
    String key = "runs/credit-default/forged/model.bin";
    S3.store().put(bucket, key, bytes.toByteArray(), "application/octet-stream");
    registry.register(
        request(
            "run-2",
            with(
                trained,
                new ObjectRef(bucket, key, Sha256.hex(bytes.toByteArray()), bytes.size()))));

    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 2)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("refused by the deserialization allowlist")
        .hasMessageContaining("java.io.File");
    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHAMPION, 1);
  }

  @Test
  void aVersionWithNoArtifactsRecordedIsRefused() {
    registry.register(request("run-2", null));

    assertThatThrownBy(() -> registry.setAlias(change(Aliases.CHAMPION, 2)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("no model artifacts recorded");
  }

  /** The trained model's artifacts written again under {@code runId}: a second sound version. */
  private static TrainedModel copy(String runId) {
    ObjectStore store = S3.store();
    ObjectRef model = trained.model();
    String key = model.key().replace("/run-1/", "/" + runId + "/");
    store.put(
        bucket,
        key,
        store.read(bucket, model.key()).orElseThrow().bytes(),
        "application/octet-stream");
    return with(trained, new ObjectRef(bucket, key, model.sha256(), model.size()));
  }

  private static TrainedModel with(TrainedModel t, ObjectRef model) {
    return new TrainedModel(
        model,
        t.hyperparameters(),
        t.featureSchema(),
        t.referenceProfile(),
        t.trainingRows(),
        t.validationMetrics(),
        t.codeVersion());
  }

  private static RegistrationRequest request(String key, TrainedModel artifacts) {
    return new RegistrationRequest(
        MODEL,
        key,
        null,
        artifacts,
        LOGISTIC,
        null,
        new GateDecision(true, List.of("auc improved"), List.of(), null),
        Trigger.MANUAL,
        "wf-" + key,
        "run-of-" + key,
        null);
  }

  private static AliasChange change(String alias, Integer version) {
    return new AliasChange(MODEL, alias, version, "test", "tester");
  }
}
