package dev.perennial.starter.chaos;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.Json;
import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.Sha256;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.starter.chaos.InvariantChecker.Answers;
import dev.perennial.starter.chaos.InvariantChecker.Invariant;
import dev.perennial.starter.chaos.InvariantChecker.Run;
import dev.perennial.starter.chaos.InvariantChecker.Violation;
import dev.perennial.testkit.Records;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each invariant of {@link InvariantChecker} on a registry broken by hand in exactly that way: the
 * checker names that invariant and no other. A sound registry passes, so a checker that names
 * everything would fail here too.
 */
class InvariantCheckerTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final String MODEL = "credit-default";
  private static final String WORKFLOW = "continuous-training-" + MODEL;

  private String bucket;
  private ModelRegistry registry;
  private InvariantChecker checker;
  private final List<Run> runs = new ArrayList<>();

  @BeforeEach
  void soundRegistry() {
    bucket = S3.freshBucket();
    registry = new ModelRegistry(S3.store(), bucket, Clock.systemUTC(), v -> {});
    checker = new InvariantChecker(S3.store(), bucket);
    // Three runs: v1 promoted, v2 canaried and withdrawn, v3 promoted.
    register("run-1");
    register("run-2");
    register("run-3");
    champion(1);
    registry.setTrafficSplit(MODEL, 2, 25, "step 1", "canary-rollout-" + MODEL);
    registry.setTrafficSplit(MODEL, null, 0, "rolled back", "canary-rollout-" + MODEL);
    registry.reject(MODEL, 2, "canary breached", "canary-rollout-" + MODEL);
    champion(3);
    writeLog(
        "predictions",
        "a.jsonl.gz",
        prediction("r1", 1),
        prediction("r2", 1),
        prediction("r3", 3),
        failure("r4", 3));
    writeLog("feedback", "a.jsonl.gz", label("r1"), label("r2"), label("r3"));
  }

  @Test
  void aSoundRegistryBreaksNothing() {
    assertThat(checker.registry(MODEL, runs)).isEmpty();
    assertThat(checker.logs(MODEL, answers())).isEmpty();
    InvariantChecker.assertNone(List.of());
  }

  @Test
  void aMissingVersionNumberIsAGap() {
    // A fourth run whose manifest landed at 5: number 4 was skipped.
    TrainedModel likeThree = registry.version(MODEL, 3).orElseThrow().artifacts();
    ModelVersion five =
        new ModelVersion(
            MODEL,
            5,
            VersionStatus.APPROVED,
            null,
            likeThree,
            null,
            null,
            Records.gatePassed(),
            Trigger.MANUAL,
            WORKFLOW,
            "run-5",
            "2026-02-03T00:00:00Z",
            null,
            null);
    putRaw("models/" + MODEL + "/versions/000005/manifest.json", Json.write(five));
    audit(AuditEntry.Action.REGISTER, 5, "gate passed", "b");
    runs.add(new Run(WORKFLOW, "run-5", 5));

    assertOnly(checker.registry(MODEL, runs), Invariant.CONTIGUOUS_VERSIONS, "[1, 2, 3, 5]");
  }

  @Test
  void aRunThatRegisteredTwiceIsCaught() {
    registry.register(request("run-1", "run-1-again"));

    assertOnly(checker.registry(MODEL, runs), Invariant.ONE_VERSION_PER_RUN, "registered [1, 4]");
  }

  @Test
  void aRunWhoseResultNamesAnotherRunsVersionIsCaught() {
    runs.set(2, new Run(WORKFLOW, "run-3", 2));

    assertOnly(checker.registry(MODEL, runs), Invariant.ONE_VERSION_PER_RUN, "names");
  }

  @Test
  void aTamperedArtifactIsCaught() {
    ObjectRef bundle = registry.version(MODEL, 3).orElseThrow().artifacts().model();
    S3.store()
        .put(bundle.bucket(), bundle.key(), "tampered".getBytes(UTF_8), "application/octet-stream");

    assertOnly(checker.registry(MODEL, runs), Invariant.OBJECTS_PRESENT, "v3 model bundle");
  }

  @Test
  void aMissingReferencedObjectIsCaught() {
    register("run-4", "models/" + MODEL + "/never-written/");
    // v4 names a reference profile that was never written.
    assertOnly(checker.registry(MODEL, runs), Invariant.OBJECTS_PRESENT, "missing");
  }

  @Test
  void anAliasOnAWithdrawnVersionIsCaught() {
    // v3 is withdrawn behind the registry's back (its own reject refuses the champion).
    Rejection why = new Rejection(MODEL, 3, "by hand", "test", "2026-02-02T00:00:00Z");
    putRaw("models/" + MODEL + "/versions/000003/rejection.json", Json.write(why));
    audit(AuditEntry.Action.REJECT, 3, "by hand", "test");

    assertOnly(checker.registry(MODEL, runs), Invariant.ALIASES_ON_APPROVED, "champion names v3");
  }

  @Test
  void aCanaryShareLeftBehindIsCaught() {
    registry.setTrafficSplit(MODEL, 1, 10, "step 1", "canary-rollout-" + MODEL);

    assertOnly(checker.registry(MODEL, runs), Invariant.TRAFFIC_ON_CHAMPION, "10 %");
  }

  @Test
  void aChangeAuditedTwiceIsCaught() {
    AuditEntry first =
        registry.audit(MODEL).stream()
            .filter(e -> e.action() == AuditEntry.Action.SET_ALIAS)
            .findFirst()
            .orElseThrow();
    putRaw(
        "models/" + MODEL + "/audit/20990101T000000.000Z-copy.json",
        Json.write(
            new AuditEntry(
                first.action(),
                first.model(),
                first.alias(),
                first.version(),
                first.previousVersion(),
                first.reason(),
                first.actor(),
                "2099-01-01T00:00:00Z")));

    assertOnly(checker.registry(MODEL, runs), Invariant.AUDIT_WITHOUT_DUPLICATES, "2 entries");
  }

  @Test
  void aPredictionLoggedTwiceOrLostIsCaught() {
    writeLog("predictions", "b.jsonl.gz", prediction("r3", 3));

    List<Violation> found = checker.logs(MODEL, answers());
    assertThat(found).extracting(Violation::invariant).containsOnly(Invariant.LOGS_MATCH_ANSWERS);
    assertThat(found.toString()).contains("{1=2, 3=2}").contains("logged twice: [r3#0]");

    assertOnly(
        checker.logs(MODEL, new Answers(Map.of(1, 2L, 3, 3L), 3)),
        Invariant.LOGS_MATCH_ANSWERS,
        "answered {1=2, 3=3}");
  }

  @Test
  void aLabelLostIsCaught() {
    assertOnly(
        checker.logs(MODEL, new Answers(Map.of(1, 2L, 3, 1L), 4)),
        Invariant.LOGS_MATCH_ANSWERS,
        "feedback rows in S3 3, labels accepted 4");
  }

  @Test
  void assertNoneListsEveryViolation() {
    registry.setTrafficSplit(MODEL, 1, 10, "step 1", "canary-rollout-" + MODEL);
    List<Violation> found = checker.registry(MODEL, List.of());

    assertThatThrownBy(() -> InvariantChecker.assertNone(found))
        .hasMessageContaining("TRAFFIC_ON_CHAMPION")
        .hasMessageContaining("never started");
  }

  // --- a registry by hand ---

  private static Answers answers() {
    return new Answers(Map.of(1, 2L, 3, 1L), 3);
  }

  private void assertOnly(List<Violation> found, Invariant invariant, String detail) {
    assertThat(found).as("%s", found).isNotEmpty();
    assertThat(found).extracting(Violation::invariant).as("%s", found).containsOnly(invariant);
    assertThat(found.toString()).contains(detail);
  }

  private void register(String runId) {
    register(runId, "models/" + MODEL + "/runs/" + runId + "/");
  }

  private void register(String runId, String prefix) {
    ModelVersion v = registry.register(request(runId, runId, prefix));
    runs.add(new Run(WORKFLOW, runId, v.version()));
  }

  private void champion(int version) {
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, version, "promoted", WORKFLOW));
  }

  private RegistrationRequest request(String runId, String key) {
    return request(runId, key, "models/" + MODEL + "/runs/" + key + "/");
  }

  /** A registration whose objects are all written under {@code prefix}, unless it never was. */
  private RegistrationRequest request(String runId, String key, String prefix) {
    boolean write = !prefix.contains("never-written");
    ObjectRef manifest = object(prefix + "dataset.json", "manifest " + key, write);
    ObjectRef schema = object(prefix + "_schema.json", "schema " + key, true);
    DatasetSnapshot dataset =
        new DatasetSnapshot("dv-" + key, manifest, schema, "2026-01-01", "2026-01-05", 5, 5, 100);
    TrainedModel artifacts =
        new TrainedModel(
            object(prefix + "model.bin", "model " + key, true),
            object(prefix + "hyperparameters.properties", "trees=10 " + key, true),
            object(prefix + "feature-schema.json", "features " + key, true),
            object(prefix + "reference-profile.json", "profile " + key, write),
            1000,
            Records.metrics().build(),
            "test");
    Evaluation evaluation =
        new Evaluation(
            Records.metrics().build(),
            null,
            object(prefix + "evaluation.json", "eval " + key, true),
            null);
    return new RegistrationRequest(
        MODEL,
        key,
        dataset,
        artifacts,
        null,
        evaluation,
        Records.gatePassed(),
        Trigger.MANUAL,
        WORKFLOW,
        runId,
        null);
  }

  private ObjectRef object(String key, String content, boolean write) {
    byte[] bytes = content.getBytes(UTF_8);
    if (write) {
      S3.store().put(bucket, key, bytes, "application/octet-stream");
    }
    return new ObjectRef(bucket, key, Sha256.hex(bytes), bytes.length);
  }

  private void putRaw(String key, byte[] bytes) {
    S3.store().put(bucket, key, bytes, "application/json");
  }

  private int audits;

  private void audit(AuditEntry.Action action, int version, String reason, String actor) {
    String time = "2026-02-0%dT00:00:00Z".formatted(4 + audits);
    putRaw(
        "models/"
            + MODEL
            + "/audit/2026020%dT000000.000Z-hand-%d.json".formatted(4 + audits, audits),
        Json.write(new AuditEntry(action, MODEL, null, version, null, reason, actor, time)));
    audits++;
  }

  private static String prediction(String requestId, int version) {
    return "{\"label\":0,\"latencyMs\":1.0,\"model\":\"%s\",\"probability\":0.25,\"requestId\":\"%s\",\"row\":0,\"time\":\"2026-02-01T10:00:00Z\",\"version\":%d}"
        .formatted(MODEL, requestId, version);
  }

  private static String failure(String requestId, int version) {
    return "{\"error\":\"IllegalStateException: x\",\"latencyMs\":1.0,\"model\":\"%s\",\"requestId\":\"%s\",\"time\":\"2026-02-01T10:00:00Z\",\"version\":%d}"
        .formatted(MODEL, requestId, version);
  }

  private static String label(String requestId) {
    return "{\"label\":1,\"model\":\"%s\",\"requestId\":\"%s\",\"row\":0,\"time\":\"2026-02-01T10:00:01Z\"}"
        .formatted(MODEL, requestId);
  }

  private void writeLog(String kind, String name, String... lines) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((String.join("\n", lines) + "\n").getBytes(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    S3.store()
        .put(
            bucket,
            kind + "/" + MODEL + "/dt=2026-02-01/" + name,
            bytes.toByteArray(),
            "application/gzip");
  }
}
