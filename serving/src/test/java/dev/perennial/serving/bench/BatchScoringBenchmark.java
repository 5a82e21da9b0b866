package dev.perennial.serving.bench;

import ch.qos.logback.classic.Level;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.scoring.BatchScorer;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.training.Trainers;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.serving.ServingFixture;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.ScoringChunk;
import dev.perennial.workflows.scoring.ScoringPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch scoring's rows per second as ratios to two other ways of scoring the same model: the model
 * server's per-request path (one-row {@code predict} requests over HTTP, as {@link
 * PredictBenchmark} sends them) and a plain in-process loop ({@code ModelBundle.predictProba} on
 * one row at a time, the rows already in memory).
 *
 * <p>A benchmark, not a test. Run it with {@code ./mvnw -q -o -pl serving -am -Pbench
 * process-test-classes -Dbench.main=dev.perennial.serving.bench.BatchScoringBenchmark
 * -Dbench.args="ROWS_PER_DAY DAYS THREADS SECONDS"} (docs/benchmarks.md).
 *
 * <p>Batch scoring here is {@link BatchScorer} as the activities run it: plan (hash and count every
 * input object), {@code THREADS} chunks at once (one per daily object: read from the embedded S3,
 * SHA-256 checked, parsed, scored, gzip CSV written with its entry), then the manifest; without
 * Temporal, whose scheduling adds a few milliseconds per chunk. Each batch run scores a fresh copy
 * of the data, so nothing is reused. The HTTP clients are {@code THREADS} threads for {@code
 * SECONDS}. Each way runs twice, in the order batch, HTTP, loop, loop, HTTP, batch, after a warm-up
 * of each.
 */
public final class BatchScoringBenchmark {
  private BatchScoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int rowsPerDay = args.length > 0 ? Integer.parseInt(args[0]) : 25_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    System.out.printf(
        Locale.ROOT,
        "%d days x %d rows; %d chunks / client threads at once; HTTP %d s per phase; %d cores,"
            + " Java %s; load average at start %s%n",
        days,
        rowsPerDay,
        threads,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        loadAverage());

    Path spool = Files.createTempDirectory("perennial-bench-spool-");
    try (EmbeddedS3 s3 = new EmbeddedS3().start();
        ServingFixture server =
            ServingFixture.start(
                s3,
                spool,
                Map.of(
                    "logging.level.root", "warn",
                    "perennial.serving.log-flush-interval", "10s"))) {
      ObjectStore store = s3.store();
      GeneratorSpec data = GeneratorSpec.clean(21, LocalDate.of(2026, 2, 1), days, rowsPerDay);
      BatchScorer scorer =
          new BatchScorer(store, server.registry(), Trainers.onClassPath().codec());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      PredictBenchmark.Endpoint predict =
          new PredictBenchmark.Endpoint(
              "predict",
              URI.create(server.base() + "/v1/models/" + ServingFixture.MODEL + "/predict"));
      predict.check(http);
      List<Map<String, Object>> rows = rows(s3, data);
      ModelBundle bundle = bundle(store, server.v1().model());

      // Warm-up: each way once.
      batch(s3, scorer, pool, threads, GeneratorSpec.clean(22, data.firstDay(), 1, 5000));
      PredictBenchmark.load(http, predict, threads, Duration.ofSeconds(3));
      loop(bundle, rows);

      double b1 = batch(s3, scorer, pool, threads, data);
      double h1 =
          PredictBenchmark.load(http, predict, threads, Duration.ofSeconds(seconds)).throughput();
      double l1 = loop(bundle, rows);
      double l2 = loop(bundle, rows);
      double h2 =
          PredictBenchmark.load(http, predict, threads, Duration.ofSeconds(seconds)).throughput();
      double b2 = batch(s3, scorer, pool, threads, data);
      pool.shutdown();

      System.out.printf(Locale.ROOT, "%-34s %12s %12s%n", "way", "rows/s run 1", "rows/s run 2");
      System.out.printf(
          Locale.ROOT, "%-34s %12.0f %12.0f%n", "batch (BatchScorer, S3 in & out)", b1, b2);
      System.out.printf(
          Locale.ROOT, "%-34s %12.0f %12.0f%n", "model server, one row per request", h1, h2);
      System.out.printf(
          Locale.ROOT, "%-34s %12.0f %12.0f%n", "in-process loop, one row per call", l1, l2);
      System.out.printf(
          Locale.ROOT,
          "batch / model server: %.1f, %.1f; batch / loop: %.2f, %.2f%n",
          b1 / h1,
          b2 / h2,
          b1 / l1,
          b2 / l2);
      System.out.println("load average at end " + loadAverage());
    }
  }

  /**
   * Rows per second of one whole scoring (plan, chunks, manifest) of a fresh copy of {@code data}.
   */
  private static double batch(
      EmbeddedS3 s3, BatchScorer scorer, ExecutorService pool, int parallelism, GeneratorSpec data)
      throws Exception {
    String bucket = s3.freshBucket();
    new CreditDefaultGenerator().generate(s3.store(), bucket, ServingFixture.MODEL, data);
    long start = System.nanoTime();
    ScoringPlan plan =
        scorer.plan(
            BatchScoringRequest.of(ServingFixture.MODEL)
                .withParallelism(parallelism)
                .withDataset(new DatasetSpec(bucket, null, null, null, data.days(), null)),
            BatchScorer.Progress.NONE);
    List<Future<?>> chunks = new ArrayList<>();
    for (int i = 0; i < plan.chunks(); i++) {
      ScoringChunk chunk = new ScoringChunk(plan.plan(), i);
      chunks.add(pool.submit(() -> scorer.scoreChunk(chunk, BatchScorer.Progress.NONE)));
    }
    for (Future<?> f : chunks) {
      f.get();
    }
    scorer.writeManifest(plan);
    return plan.rows() / ((System.nanoTime() - start) / 1e9);
  }

  /** Rows per second of {@code predictProba} called on one row at a time. */
  private static double loop(ModelBundle bundle, List<Map<String, Object>> rows) {
    long start = System.nanoTime();
    double sum = 0;
    for (Map<String, Object> row : rows) {
      sum += bundle.predictProba(row);
    }
    double rate = rows.size() / ((System.nanoTime() - start) / 1e9);
    if (Double.isNaN(sum)) {
      throw new IllegalStateException("a probability was NaN");
    }
    return rate;
  }

  /** The rows of {@code data}, read once into maps as a caller of the loop would hold them. */
  private static List<Map<String, Object>> rows(EmbeddedS3 s3, GeneratorSpec data) {
    String bucket = s3.freshBucket();
    new CreditDefaultGenerator().generate(s3.store(), bucket, ServingFixture.MODEL, data);
    DatasetSnapshot snapshot =
        new DatasetSnapshots(s3.store(), bucket)
            .snapshot(
                new DatasetSpec(bucket, null, null, null, data.days(), null)
                    .withDefaults(ServingFixture.MODEL),
                (d, t) -> {});
    SnapshotReader reader = new SnapshotReader(s3.store());
    FeatureSchema schema = reader.schema(snapshot);
    Table table = reader.read(snapshot, schema, d -> true);
    List<Map<String, Object>> rows = new ArrayList<>(table.rows());
    for (int i = 0; i < table.rows(); i++) {
      Map<String, Object> row = new HashMap<>();
      for (int j = 0; j < schema.features().size(); j++) {
        FeatureSpec f = schema.features().get(j);
        if (f.type() == FeatureType.NUMERIC) {
          double v = table.numeric(j)[i];
          row.put(f.name(), Double.isNaN(v) ? null : v);
        } else {
          row.put(f.name(), table.categorical(j)[i]);
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private static ModelBundle bundle(ObjectStore store, ObjectRef ref) {
    return Trainers.onClassPath()
        .codec()
        .deserialize(new SnapshotReader(store).readVerified(ref), ref);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
