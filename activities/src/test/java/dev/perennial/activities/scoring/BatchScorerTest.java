package dev.perennial.activities.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.Json;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.scoring.BatchScorer;
import dev.perennial.core.scoring.ScoringDocuments;
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
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.ChunkResult;
import dev.perennial.workflows.scoring.ScoringChunk;
import dev.perennial.workflows.scoring.ScoringPlan;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchScorerTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  static final String MODEL = "credit-default";
  static final int ROWS_PER_DAY = 1500;
  static final GeneratorSpec DATA =
      GeneratorSpec.clean(11, LocalDate.of(2026, 1, 1), 3, ROWS_PER_DAY);

  private static String trainingData;
  private String data;
  private static String artifacts;
  private static ModelRegistry registry;
  private static DatasetSnapshot snapshot;
  private static ModelVersion v1;
  private static ModelVersion v2;

  /** Puts per key, through the store the scorer writes with. */
  private final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();

  private BatchScorer scorer;

  @BeforeAll
  static void trainTwoVersions() {
    ObjectStore store = S3.store();
    trainingData = S3.freshBucket();
    artifacts = S3.freshBucket();
    new CreditDefaultGenerator().generate(store, trainingData, MODEL, DATA);
    snapshot =
        new DatasetSnapshots(store, artifacts)
            .snapshot(
                new DatasetSpec(trainingData, null, null, null, null, null).withDefaults(MODEL),
                (d, t) -> {});
    registry =
        new ModelRegistry(
            store,
            artifacts,
            Clock.systemUTC(),
            ArtifactCheck.loadable(store, Trainers.onClassPath().codec()));
    TrainingService training = new TrainingService(store, artifacts, new SnapshotReader(store));
    v1 = register(training, Hyperparameters.LOGISTIC_REGRESSION, "run-1");
    v2 = register(training, "DECISION_TREE", "run-2");
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 1, "test", "test"));
  }

  private static ModelVersion register(TrainingService training, String trainer, String run) {
    TrainedModel trained =
        training.train(
            new TrainingJob(MODEL, snapshot, 1, Hyperparameters.of(trainer).withDefaults(), run),
            TrainingProgress.NONE);
    var metrics = trained.validationMetrics();
    return registry.register(
        new RegistrationRequest(
            MODEL,
            run,
            snapshot,
            trained,
            Hyperparameters.of(trainer),
            new Evaluation(metrics, null, null, null),
            new GateDecision(true, List.of("test"), List.of(), null),
            Trigger.MANUAL,
            "wf",
            run,
            null));
  }

  /** The same rows in a bucket of the test's own, so no test finds another's predictions. */
  @BeforeEach
  void scorerOnACountingStore() {
    data = S3.freshBucket();
    new CreditDefaultGenerator().generate(S3.store(), data, MODEL, DATA);
    scorer = new BatchScorer(counting(S3.store()), registry, Trainers.onClassPath().codec());
  }

  private BatchScoringRequest request() {
    return BatchScoringRequest.of(MODEL)
        .withDataset(new DatasetSpec(data, null, "2026-01-01", "2026-01-03", null, null));
  }

  /** The whole scoring as the workflow runs it, one chunk after another. */
  private List<ChunkResult> scoreAll(ScoringPlan plan) {
    List<ChunkResult> results = new ArrayList<>();
    for (int i = 0; i < plan.chunks(); i++) {
      results.add(scorer.scoreChunk(new ScoringChunk(plan.plan(), i), BatchScorer.Progress.NONE));
    }
    return results;
  }

  @Test
  void everyRowIsScoredAsTheModelBundleScoresIt() {
    ScoringPlan plan = scorer.plan(request(), BatchScorer.Progress.NONE);
    assertThat(plan.version()).isEqualTo(1);
    assertThat(plan.modelSha256()).isEqualTo(v1.artifacts().model().sha256());
    assertThat(plan.chunks()).isEqualTo(3);
    assertThat(plan.rows()).isEqualTo(3L * ROWS_PER_DAY);
    assertThat(plan.outputPrefix()).isEqualTo("s3://" + data + "/" + MODEL + "/predictions/v1/");

    List<ChunkResult> chunks = scoreAll(plan);
    assertThat(chunks).noneMatch(ChunkResult::reused);
    assertThat(chunks.get(0).output().key())
        .isEqualTo(MODEL + "/predictions/v1/dt=2026-01-01/part-00000.csv.gz");

    List<String[]> rows = new ArrayList<>();
    for (ChunkResult c : chunks) {
      List<String[]> lines = csv(c.output());
      assertThat(lines.get(0)).containsExactly("row", "probability", "version");
      assertThat(lines).hasSize(ROWS_PER_DAY + 1);
      rows.addAll(lines.subList(1, lines.size()));
    }
    double[] expected = expected(v1);
    assertThat(rows).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Long.parseLong(rows.get(i)[0])).isEqualTo(i % ROWS_PER_DAY);
      assertThat(Double.parseDouble(rows.get(i)[1])).as("row %d", i).isEqualTo(expected[i]);
      assertThat(rows.get(i)[2]).isEqualTo("1");
    }
  }

  @Test
  void theManifestRecordsEveryRowAndItsHashesVerify() throws IOException {
    ScoringPlan plan = scorer.plan(request().withChunkRows(1000), BatchScorer.Progress.NONE);
    assertThat(plan.chunks()).isEqualTo(6); // 1000 + 500 rows per day
    scoreAll(plan);
    ObjectRef ref = scorer.writeManifest(plan);
    assertThat(ref.key()).startsWith(MODEL + "/predictions/v1/manifest-");
    byte[] bytes = S3.store().read(ref.bucket(), ref.key()).orElseThrow().bytes();
    assertThat(Sha256.hex(bytes)).isEqualTo(ref.sha256());
    var manifest = Json.read(bytes, ScoringDocuments.Manifest.class);

    assertThat(manifest.version()).isEqualTo(1);
    assertThat(manifest.bundle().sha256()).isEqualTo(v1.artifacts().model().sha256());
    assertThat(manifest.totalRows()).isEqualTo(3L * ROWS_PER_DAY);
    assertThat(manifest.chunks()).hasSize(6);
    assertThat(manifest.chunks().stream().mapToLong(ScoringDocuments.ManifestChunk::rows).sum())
        .isEqualTo(manifest.totalRows());
    assertThat(manifest.chunks().get(1).output().key())
        .endsWith("dt=2026-01-01/part-00000.rows-1000-1500.csv.gz");
    for (var chunk : manifest.chunks()) {
      byte[] out = S3.store().read(data, chunk.output().key()).orElseThrow().bytes();
      assertThat(Sha256.hex(out)).isEqualTo(chunk.output().sha256());
      assertThat(csv(chunk.output())).hasSize((int) chunk.rows() + 1);
    }
    for (var input : manifest.inputs()) {
      byte[] in = S3.store().read(data, input.key()).orElseThrow().bytes();
      assertThat(Sha256.hex(in)).isEqualTo(input.sha256());
      assertThat(input.rows()).isEqualTo(ROWS_PER_DAY);
    }
    // Chunks of one object, in order, are the rows of a whole-object scoring.
    List<String[]> rows = new ArrayList<>();
    for (var chunk : manifest.chunks()) {
      List<String[]> lines = csv(chunk.output());
      rows.addAll(lines.subList(1, lines.size()));
    }
    double[] expected = expected(v1);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Double.parseDouble(rows.get(i)[1])).isEqualTo(expected[i]);
    }
  }

  @Test
  void aScoringRunAgainAfterACrashScoresOnlyTheChunksNotWritten() {
    ScoringPlan plan = scorer.plan(request(), BatchScorer.Progress.NONE);
    // The worker died after days 1 and 3 were written, before day 2 was.
    scorer.scoreChunk(new ScoringChunk(plan.plan(), 0), BatchScorer.Progress.NONE);
    scorer.scoreChunk(new ScoringChunk(plan.plan(), 2), BatchScorer.Progress.NONE);
    String day1 = MODEL + "/predictions/v1/dt=2026-01-01/part-00000.csv.gz";
    String day2 = MODEL + "/predictions/v1/dt=2026-01-02/part-00000.csv.gz";
    String day3 = MODEL + "/predictions/v1/dt=2026-01-03/part-00000.csv.gz";

    ScoringPlan again = scorer.plan(request(), BatchScorer.Progress.NONE);
    assertThat(again.plan()).isEqualTo(plan.plan());
    List<ChunkResult> chunks = scoreAll(again);

    assertThat(chunks).extracting(ChunkResult::reused).containsExactly(true, false, true);
    assertThat(puts(day1)).isEqualTo(1);
    assertThat(puts(day2)).isEqualTo(1);
    assertThat(puts(day3)).isEqualTo(1);
    assertThat(chunks).extracting(ChunkResult::rows).containsOnly((long) ROWS_PER_DAY);
    assertThat(scorer.writeManifest(again)).isNotNull();
  }

  @Test
  void anOutputChangedAfterItsEntryIsScoredAgain() {
    ScoringPlan plan = scorer.plan(request(), BatchScorer.Progress.NONE);
    scoreAll(plan);
    String day1 = MODEL + "/predictions/v1/dt=2026-01-01/part-00000.csv.gz";
    S3.store().put(data, day1, new byte[] {1, 2, 3}, "application/gzip");

    ChunkResult first =
        scorer.scoreChunk(new ScoringChunk(plan.plan(), 0), BatchScorer.Progress.NONE);
    assertThat(first.reused()).isFalse();
    assertThat(csv(first.output())).hasSize(ROWS_PER_DAY + 1);
  }

  @Test
  void aNamedVersionScoresUnderItsOwnNumber() {
    ScoringPlan plan = scorer.plan(request().withVersion(2), BatchScorer.Progress.NONE);
    List<ChunkResult> chunks = scoreAll(plan);
    assertThat(chunks).noneMatch(ChunkResult::reused);
    assertThat(chunks.get(0).output().key()).contains("/predictions/v2/");
    List<String[]> lines = csv(chunks.get(0).output());
    double[] expected = expected(v2);
    for (int i = 1; i < lines.size(); i++) {
      assertThat(Double.parseDouble(lines.get(i)[1])).isEqualTo(expected[i - 1]);
      assertThat(lines.get(i)[2]).isEqualTo("2");
    }
  }

  @Test
  void unlabelledRowsUnderAPlainPrefixAreScoredWithTheModelsSchemaKeepingTheirId()
      throws IOException {
    // Day 1 again, without its label column, with an id column, under a prefix of its own.
    StringWriter day = new StringWriter();
    new CreditDefaultGenerator().writeDay(day, LocalDate.of(2026, 1, 1), DATA);
    List<String> lines = day.toString().lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    int label = header.indexOf(CreditDefaultGenerator.LABEL);
    StringBuilder unlabelled = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      List<String> cells = new ArrayList<>(List.of(lines.get(i).split(",", -1)));
      cells.remove(label);
      cells.add(0, i == 0 ? "customer_id" : "c-" + i);
      unlabelled.append(String.join(",", cells)).append('\n');
    }
    S3.store()
        .put(
            data,
            "inbox/2026-01-01.csv",
            unlabelled.toString().getBytes(StandardCharsets.UTF_8),
            "text/csv");

    BatchScoringRequest inbox =
        BatchScoringRequest.of(MODEL)
            .withDataset(new DatasetSpec(data, "inbox/", null, null, null, null))
            .withKeepColumns(List.of("customer_id"));
    ScoringPlan plan = scorer.plan(inbox, BatchScorer.Progress.NONE);
    List<ChunkResult> chunks = scoreAll(plan);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).output().key()).isEqualTo("inbox/predictions/v1/2026-01-01.csv.gz");
    List<String[]> out = csv(chunks.get(0).output());
    assertThat(out.get(0)).containsExactly("row", "customer_id", "probability", "version");
    double[] expected = expected(v1);
    assertThat(out).hasSize(ROWS_PER_DAY + 1);
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i)[1]).isEqualTo("c-" + i);
      assertThat(Double.parseDouble(out.get(i)[2])).isEqualTo(expected[i - 1]);
    }
    // Scoring the prefix again does not take its own predictions for input.
    assertThat(scorer.plan(inbox, BatchScorer.Progress.NONE).inputs()).isEqualTo(1);
  }

  @Test
  void refusalsNameWhatIsWrong() {
    S3.store()
        .put(
            data,
            "broken/a.csv",
            "age,income\n41,52000\n".getBytes(StandardCharsets.UTF_8),
            "text/csv");
    BatchScoringRequest broken =
        BatchScoringRequest.of(MODEL)
            .withDataset(new DatasetSpec(data, "broken/", null, null, null, null));
    assertThatThrownBy(() -> scorer.plan(broken, BatchScorer.Progress.NONE))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("s3://" + data + "/broken/a.csv has no column")
        .hasMessageContaining("'utilization'");

    assertThatThrownBy(() -> scorer.plan(request().withVersion(9), BatchScorer.Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no version 9 (registered: v1, v2)");

    BatchScoringRequest noChampion =
        new BatchScoringRequest("churn", null, null, null, null, null, null);
    assertThatThrownBy(() -> scorer.plan(noChampion, BatchScorer.Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model churn has no champion (registered: none)");

    assertThatThrownBy(
            () ->
                scorer.plan(
                    request().withDays("2027-01-01", "2027-01-02"), BatchScorer.Progress.NONE))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("available: 2026-01-01 to 2026-01-03 (3 days)");
  }

  /** What the version's bundle gives the snapshot's rows (days in order, rows in file order). */
  private static double[] expected(ModelVersion version) {
    ObjectStore store = S3.store();
    SnapshotReader reader = new SnapshotReader(store);
    ObjectRef ref = version.artifacts().model();
    ModelBundle bundle = Trainers.onClassPath().codec().deserialize(reader.readVerified(ref), ref);
    FeatureSchema schema = reader.schema(snapshot);
    Table table = reader.read(snapshot, schema, d -> true);
    return bundle.predictProba(table);
  }

  private static List<String[]> csv(ObjectRef output) {
    byte[] bytes = S3.store().read(output.bucket(), output.key()).orElseThrow().bytes();
    try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(l -> l.split(",", -1))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int puts(String key) {
    AtomicInteger n = puts.get(key);
    return n == null ? 0 : n.get();
  }

  /** {@code store}, counting the puts per key. */
  private ObjectStore counting(ObjectStore store) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().startsWith("put")) {
                puts.computeIfAbsent((String) args[1], k -> new AtomicInteger()).incrementAndGet();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
