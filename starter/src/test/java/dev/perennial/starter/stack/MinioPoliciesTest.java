package dev.perennial.starter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.core.training.TrainingService;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.starter.cli.RealServers;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege policies in {@code infra/minio/} applied to real MinIO users, as
 * docs/operations.md tells an operator to with {@code mc}: the worker's user can snapshot and
 * train, the model server's can read the registry and write its logs, and each is refused what the
 * other or nobody may do.
 */
class MinioPoliciesTest {
  static final String DATA = DatasetSpec.DEFAULT_BUCKET;
  static final String ARTIFACTS = "perennial-artifacts";
  static final String MODEL = "credit-default";
  static final byte[] BYTES = "{}".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static MinioServer minio;
  static Path mc;
  static ObjectStore root;
  static ObjectStore worker;
  static ObjectStore serving;

  @BeforeAll
  static void start() throws Exception {
    RealServers.assumeInstalled();
    mc = RealServers.minioClient();
    minio =
        MinioServer.start(
            MinioServer.findBinary().orElseThrow(),
            dir.resolve("data"),
            freePort(),
            freePort(),
            "policy-root",
            "policy-root-secret");
    root = ObjectStores.open(minio.settings(), false);
    root.ensureBucket(DATA);
    root.ensureBucket(ARTIFACTS);
    root.ensureBucket("elsewhere");
    new CreditDefaultGenerator()
        .generate(
            root,
            DATA,
            MODEL + "/",
            new GeneratorSpec(7, LocalDate.of(2026, 1, 1), 4, 400, null, 0, 0, 0));
    root.put(ARTIFACTS, "models/" + MODEL + "/registry.json", BYTES, "application/json");

    Path policies = Path.of("").toAbsolutePath().getParent().resolve("infra/minio");
    mc(
        "alias",
        "set",
        "perennial",
        minio.settings().endpoint(),
        "policy-root",
        "policy-root-secret");
    worker = user("perennial-worker", policies.resolve("worker-policy.json"));
    serving = user("perennial-serving", policies.resolve("serving-policy.json"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (minio != null) {
      minio.close();
    }
  }

  @Test
  void theWorkersUserSnapshotsAndTrains() {
    DatasetSnapshot snapshot =
        new DatasetSnapshots(worker, ARTIFACTS)
            .snapshot(DatasetSpec.forModel(MODEL), (done, total) -> {});
    TrainedModel trained =
        new TrainingService(worker, ARTIFACTS, new SnapshotReader(worker))
            .train(
                new TrainingJob(
                    MODEL,
                    snapshot,
                    1,
                    Hyperparameters.of(Hyperparameters.LOGISTIC_REGRESSION),
                    "r1"),
                TrainingProgress.NONE);

    assertThat(root.stat(ARTIFACTS, trained.model().key())).isPresent();
    // The registry's conditional writes.
    assertThat(worker.putIfAbsent(ARTIFACTS, "models/" + MODEL + "/v1.json", BYTES, null)).isTrue();
    assertThat(worker.list(ARTIFACTS, "models/" + MODEL + "/")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void theWorkersUserCannotChangeTheDataOrReachOtherBuckets() {
    assertRefused(() -> worker.put(DATA, MODEL + "/dt=2026-02-01/part-00000.csv", BYTES, null));
    assertRefused(() -> worker.read("elsewhere", "anything"));
    assertRefused(() -> worker.list("elsewhere", ""));
    assertRefused(() -> worker.ensureBucket("perennial-new"));
  }

  @Test
  void theModelServersUserReadsTheRegistryAndWritesOnlyItsLogs() {
    serving.ensureBucket(ARTIFACTS);
    assertThat(serving.read(ARTIFACTS, "models/" + MODEL + "/registry.json")).isPresent();
    serving.put(ARTIFACTS, "predictions/" + MODEL + "/dt=2026-01-05/a.jsonl.gz", BYTES, null);
    serving.put(ARTIFACTS, "feedback/" + MODEL + "/dt=2026-01-05/a.jsonl.gz", BYTES, null);

    assertRefused(() -> serving.put(ARTIFACTS, "models/" + MODEL + "/registry.json", BYTES, null));
    assertRefused(() -> serving.put(ARTIFACTS, "runs/" + MODEL + "/r9/model.bin", BYTES, null));
    assertRefused(() -> serving.read(DATA, MODEL + "/_schema.json"));
    assertRefused(() -> serving.list(DATA, MODEL + "/"));
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("AccessDenied");
  }

  /** A MinIO user with the policy in {@code policy} only, as an operator would make it. */
  private static ObjectStore user(String name, Path policy) throws Exception {
    String secret = name + "-secret";
    mc("admin", "policy", "create", "perennial", name, policy.toString());
    mc("admin", "user", "add", "perennial", name, secret);
    mc("admin", "policy", "attach", "perennial", name, "--user", name);
    return ObjectStores.open(
        new S3Settings(minio.settings().endpoint(), name, secret, "us-east-1"), false);
  }

  private static void mc(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(mc.toString(), "--config-dir", dir.resolve("mc").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("mc " + String.join(" ", args) + ": " + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
