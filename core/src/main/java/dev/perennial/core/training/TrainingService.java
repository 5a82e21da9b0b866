package dev.perennial.core.training;

import dev.perennial.core.BuildInfo;
import dev.perennial.core.Json;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.RowSample;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.model.SliceScores;
import dev.perennial.core.model.SortedColumns;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.report.EvaluationPageInput;
import dev.perennial.core.report.EvaluationPageInput.ScoredModel;
import dev.perennial.core.report.EvaluationReportPage;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains and evaluates models on snapshots and stores their artifacts under {@code
 * runs/<model>/<runId>/} in the artifact bucket. A retry rewrites the same keys, so both operations
 * are idempotent.
 */
public final class TrainingService {
  /** Points per plotted ROC curve: finer than the eye resolves at report size, small in HTML. */
  static final int ROC_POINTS = 200;

  private final ObjectStore store;
  private final String bucket;
  private final SnapshotReader reader;
  private final Trainers trainers;

  /** With the trainers on the class path ({@link Trainers#onClassPath()}). */
  public TrainingService(ObjectStore store, String artifactBucket, SnapshotReader reader) {
    this(store, artifactBucket, reader, Trainers.onClassPath());
  }

  public TrainingService(
      ObjectStore store, String artifactBucket, SnapshotReader reader, Trainers trainers) {
    this.store = store;
    this.bucket = artifactBucket;
    this.reader = reader;
    this.trainers = trainers;
  }

  /**
   * Trains on the snapshot's days before the held-out window, scores the seeded validation split,
   * and writes model bundle, hyperparameters, feature schema, reference profile and a training
   * report. The properties file holds the hyperparameters and the trainer's resolved options.
   *
   * @throws IllegalArgumentException when the hyperparameters name no trainer this service has
   *     (naming those it has), or options the trainer refuses
   * @throws TrainingTooLargeException when the rows do not fit the heap, naming their size and what
   *     would make them fit
   */
  public TrainedModel train(TrainingJob job, TrainingProgress progress) {
    // Refuse a bad request before reading any data.
    Trainers.Prepared<?> prepared = trainers.prepare(job.hyperparameters());
    DatasetSnapshot snapshot = job.snapshot();
    FeatureSchema schema = reader.schema(snapshot);
    Set<String> trainingDays =
        new HashSet<>(SnapshotReader.splitDays(reader.days(snapshot), job.holdoutDays()).get(0));
    Footprint footprint = new Footprint(progress, schema, trainingDays.size());
    try {
      return train(job, prepared, schema, trainingDays, footprint);
    } catch (OutOfMemoryError e) {
      // Unwinding has made the rows unreachable: there is room to say what did not fit.
      throw new TrainingTooLargeException(footprint.outOfMemory(e));
    }
  }

  private TrainedModel train(
      TrainingJob job,
      Trainers.Prepared<?> prepared,
      FeatureSchema schema,
      Set<String> trainingDays,
      Footprint progress) {
    Hyperparameters h = prepared.hyperparameters();
    DatasetSnapshot snapshot = job.snapshot();
    progress.update("read", 0);
    progress.sample = RowSample.of(h);
    SnapshotReader.Sampled read =
        reader.read(
            snapshot,
            schema,
            trainingDays::contains,
            progress.sample,
            (done, total, rows) -> {
              progress.rowsRead = rows;
              progress.update("read", (double) done / total);
            });
    Table all = read.table();
    progress.rowsRead = all.rows();
    // Both sides of the split stay indices into the rows read: nothing is copied to split them.
    int[][] split = split(all.rows(), h.validationFraction(), h.seed());
    int[] training = split[0];
    // The columns sorted once, on all cores, for the profile's quantiles and the encoder's medians,
    // and let go before the fit.
    progress.update("profile", 0);
    SortedColumns sorted = SortedColumns.of(all, training);
    ReferenceProfile referenceProfile = ReferenceProfile.of(all, training, sorted);
    FeatureEncoder encoder = prepared.encoder(all, training, sorted);
    sorted = null;
    ModelBundle bundle = prepared.fit(all, training, encoder, progress);

    ModelMetrics validation = null;
    if (split[1].length > 0) {
      progress.update("validate", 0);
      validation = BinaryMetrics.of(all.label(split[1]), bundle.predictProba(all, split[1]));
    }
    progress.update("store", 0);
    String dir = "runs/" + job.model() + "/" + job.runId() + "/";
    store.ensureBucket(bucket);
    ObjectRef model =
        put(dir + "model.bin", ModelCodec.serialize(bundle), "application/octet-stream");
    ObjectRef params =
        put(
            dir + "hyperparameters.properties",
            properties(withSample(prepared.properties(), read.summary())),
            "text/plain");
    ObjectRef featureSchema = put(dir + "feature-schema.json", schema.toJson(), "application/json");
    ObjectRef profile =
        put(dir + "reference-profile.json", Json.write(referenceProfile), "application/json");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", job.model());
    report.put("datasetVersion", snapshot.datasetVersion());
    report.put("trainingDays", trainingDays.stream().sorted().toList());
    report.put("trainingRows", training.length);
    report.put("validationRows", split[1].length);
    report.put("hyperparameters", h);
    if (read.summary() != null) {
      report.put("sampling", read.summary());
    }
    report.put("trainerOptions", new java.util.TreeMap<>(prepared.options().toProperties()));
    report.put("validationMetrics", validation);
    report.put("codeVersion", BuildInfo.codeVersion());
    put(dir + "training-report.json", Json.write(report), "application/json");
    return new TrainedModel(
        model,
        params,
        featureSchema,
        profile,
        training.length,
        validation,
        BuildInfo.codeVersion());
  }

  /**
   * Scores candidate and champion on the same held-out rows and writes the evaluation report twice
   * in the run's directory: {@code evaluation.json} for programs, {@code evaluation-report.html}
   * for people. With the job's slicings, the same metrics per slice go into both reports and into
   * the result (every slice's counts and metrics; at most {@link
   * dev.perennial.workflows.training.Slicing#MAX_SLICES} per slicing).
   *
   * @throws IllegalArgumentException when a slicing names no feature of the schema, does not fit
   *     its type, or cuts the rows into too many slices
   */
  public Evaluation evaluate(EvaluationJob job, TrainingProgress progress) {
    DatasetSnapshot snapshot = job.snapshot();
    FeatureSchema schema = reader.schema(snapshot);
    // A misnamed slice feature is refused before any model is loaded or row read.
    SliceScores.check(schema, job.slices());
    Set<String> heldOutDays =
        new HashSet<>(SnapshotReader.splitDays(reader.days(snapshot), job.holdoutDays()).get(1));
    ModelBundle candidate = load(job.candidate());
    ModelBundle champion = job.champion() == null ? null : load(job.champion());
    progress.update("read", 0);
    Table rows = reader.read(snapshot, schema, heldOutDays::contains);
    progress.update("score", 0);
    double[] candidateP = candidate.predictProba(rows);
    ModelMetrics candidateMetrics = BinaryMetrics.of(rows.label(), candidateP);
    double[] championP = champion == null ? null : champion.predictProba(rows);
    ModelMetrics championMetrics =
        championP == null ? null : BinaryMetrics.of(rows.label(), championP);
    List<SliceResults> slices =
        job.slices() == null ? null : SliceScores.of(rows, job.slices(), candidateP, championP);

    List<String> days = heldOutDays.stream().sorted().toList();
    ScoredModel scoredCandidate =
        scoredModel("candidate", job.candidate(), candidateMetrics, rows.label(), candidateP);
    ScoredModel scoredChampion =
        champion == null
            ? null
            : scoredModel("champion", job.champion(), championMetrics, rows.label(), championP);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", job.model());
    report.put("datasetVersion", snapshot.datasetVersion());
    report.put("heldOutDays", days);
    report.put("rows", rows.rows());
    report.put("candidate", scored(scoredCandidate, rows.label(), candidateP));
    if (champion != null) {
      report.put("champion", scored(scoredChampion, rows.label(), championP));
    }
    if (slices != null) {
      report.put("slices", slices);
    }
    String dir = "runs/" + job.model() + "/" + job.runId() + "/";
    ObjectRef ref = put(dir + "evaluation.json", Json.write(report), "application/json");
    EvaluationPageInput page =
        new EvaluationPageInput(
            job.model(),
            job.runId(),
            snapshot.datasetVersion(),
            days,
            rows.rows(),
            scoredCandidate,
            scoredChampion,
            slices);
    ObjectRef html =
        put(
            dir + "evaluation-report.html",
            EvaluationReportPage.page(page).toBytes(),
            "text/html; charset=utf-8");
    return new Evaluation(candidateMetrics, championMetrics, ref, html, slices);
  }

  private static ScoredModel scoredModel(
      String name, ObjectRef model, ModelMetrics m, int[] y, double[] p) {
    return new ScoredModel(
        name,
        model.uri(),
        m,
        BinaryMetrics.confusion(y, p),
        BinaryMetrics.rocCurve(y, p, ROC_POINTS));
  }

  /**
   * One model's part of the JSON report: the page's figures, and the ROC at 50 fixed thresholds
   * that the JSON has always carried.
   */
  private static Map<String, Object> scored(ScoredModel scored, int[] y, double[] p) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("model", scored.modelUri());
    s.put("metrics", scored.metrics());
    s.put(
        "confusionMatrix",
        Map.of("rows", "actual 0/1", "columns", "predicted 0/1", "counts", scored.confusion()));
    s.put("roc", BinaryMetrics.roc(y, p, 50));
    return s;
  }

  private ModelBundle load(ObjectRef ref) {
    byte[] bytes =
        store
            .read(ref.bucket(), ref.key())
            .orElseThrow(
                () ->
                    new dev.perennial.core.store.IntegrityException(
                        "model " + ref.uri() + " is gone"))
            .bytes();
    return trainers.codec().deserialize(bytes, ref);
  }

  private ObjectRef put(String key, byte[] bytes, String contentType) {
    var stored = store.put(bucket, key, bytes, contentType);
    return new ObjectRef(bucket, key, stored.sha256(), stored.size());
  }

  private static byte[] properties(java.util.Properties p) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.store(out, "Perennial hyperparameters");
      // Drop the timestamp comment and sort the keys so equal settings give equal bytes.
      String text = out.toString(StandardCharsets.ISO_8859_1);
      String stable =
          "# Perennial hyperparameters\n"
              + text.lines()
                  .filter(l -> !l.startsWith("#"))
                  .sorted()
                  .reduce("", (a, b) -> a + b + "\n");
      return stable.getBytes(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prefix of what a sampled read saw and kept, in a version's stored properties. */
  public static final String SAMPLE_PREFIX = "sample.";

  /** {@code p} with what the sample saw and kept under {@value #SAMPLE_PREFIX}, when it sampled. */
  private static java.util.Properties withSample(
      java.util.Properties p, RowSample.Summary summary) {
    if (summary != null) {
      p.setProperty(SAMPLE_PREFIX + "rowsSeen", Long.toString(summary.rowsSeen()));
      p.setProperty(SAMPLE_PREFIX + "rowsKept", Integer.toString(summary.rowsKept()));
      p.setProperty(SAMPLE_PREFIX + "positivesSeen", Long.toString(summary.positivesSeen()));
      p.setProperty(SAMPLE_PREFIX + "positivesKept", Integer.toString(summary.positivesKept()));
    }
    return p;
  }

  /** How to give a worker more heap, for messages about running out of it. */
  public static final String BIGGER_HEAP =
      "its -Xmx: PERENNIAL_HEAP=8g for ./perennial, JAVA_TOOL_OPTIONS=-Xmx8g for the worker jar";

  /** {@code bytes} in GB or MB, one decimal, for messages. */
  public static String heapSize(long bytes) {
    return bytes >= 1L << 30
        ? String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(java.util.Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
  }

  /**
   * The run's progress, remembering its stage and how many rows were read: what a message about
   * running out of memory names.
   */
  private static final class Footprint implements TrainingProgress {
    private final TrainingProgress progress;
    private final FeatureSchema schema;
    private final int days;
    private volatile String stage = "read";
    volatile long rowsRead;
    volatile RowSample sample;

    Footprint(TrainingProgress progress, FeatureSchema schema, int days) {
      this.progress = progress;
      this.schema = schema;
      this.days = days;
    }

    @Override
    public void update(String stage, double fraction) {
      this.stage = stage;
      progress.update(stage, fraction);
    }

    @Override
    public boolean cancelled() {
      return progress.cancelled();
    }

    String outOfMemory(OutOfMemoryError e) {
      long rows = rowsRead;
      boolean reading = stage.equals("read");
      int columns = schema.features().size() + 1;
      RowSample sampled = sample;
      long suggested =
          Math.max(
              1000, roundDown((sampled == null ? rows : Math.min(rows, sampled.maxRows())) / 2));
      return String.format(
          java.util.Locale.ROOT,
          "TrainModel ran out of memory (%s) %s %,d rows x %d columns (%d features and the"
              + " label, %d training days%s) on a worker whose maximum heap is %s. To fit, train on"
              + " a %ssample: set hyperparameters.maxTrainingRows (perennial train"
              + " --max-training-rows %d [--sampling stratified]), which reads the days without"
              + " holding more than that many rows; or give the worker a bigger heap (%s).",
          e.getMessage() == null ? "OutOfMemoryError" : e.getMessage(),
          reading ? "while reading the training days, past" : "in stage '" + stage + "' of",
          rows,
          columns,
          columns - 1,
          days,
          sampled == null
              ? ""
              : String.format(", a %s sample of %,d", sampled.method(), sampled.maxRows()),
          heapSize(Runtime.getRuntime().maxMemory()),
          sampled == null ? "" : "smaller ",
          suggested,
          BIGGER_HEAP);
    }

    /** {@code n} rounded down to its two leading digits: a suggestion, not a measurement. */
    private static long roundDown(long n) {
      long scale = 1;
      while (n / scale >= 100) {
        scale *= 10;
      }
      return n / scale * scale;
    }
  }

  /**
   * The seeded split of row indices into {training, validation} that {@link #train} makes; public
   * so a benchmark can fit on exactly the rows a run fits on.
   */
  public static int[][] split(int rows, double validationFraction, long seed) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int validation = (int) Math.floor(rows * validationFraction);
    if (rows - validation < 1) {
      validation = rows - 1;
    }
    // Each side in ascending order, as sorting it would give: marked, then collected in one pass.
    boolean[] isHeld = new boolean[rows];
    for (int i = 0; i < validation; i++) {
      isHeld[order[i]] = true;
    }
    int[] train = new int[rows - validation];
    int[] held = new int[validation];
    int t = 0;
    int v = 0;
    for (int i = 0; i < rows; i++) {
      if (isHeld[i]) {
        held[v++] = i;
      } else {
        train[t++] = i;
      }
    }
    return new int[][] {train, held};
  }
}
