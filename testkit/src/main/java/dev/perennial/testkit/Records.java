package dev.perennial.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.TrainedModel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * Builders with defaults for the records a pipeline test feeds in or expects, so a test names only
 * the fields it is about:
 *
 * <pre>{@code
 * ModelVersion v3 = Records.modelVersion("credit-default", 3).metrics(0.80, 0.42).build();
 * ModelMetrics weak = Records.metrics(0.65, 0.58);
 * ContinuousTrainingRequest r =
 *     Records.continuousTraining("credit-default").rollout(Rollout.PROMOTE).build();
 * }</pre>
 *
 * <p>Every {@link ObjectRef} made here is well formed: a bucket, a key, and the SHA-256 of the key
 * standing in for the SHA-256 of bytes that do not exist.
 */
public final class Records {
  /** The bucket artifacts, manifests and reports are placed in, as on a real worker. */
  public static final String ARTIFACTS = "perennial-artifacts";

  /** The date the default snapshot ends on: fixed, so dataset versions are the same every run. */
  public static final LocalDate LAST_DAY = LocalDate.of(2026, 1, 31);

  /** Registration time of built versions. */
  public static final String CREATED_AT = "2026-02-01T00:00:00Z";

  private Records() {}

  /** A reference to {@code key} in {@link #ARTIFACTS}. */
  public static ObjectRef ref(String key) {
    return ref(ARTIFACTS, key);
  }

  /** A reference to {@code key} in {@code bucket}, its SHA-256 derived from the location. */
  public static ObjectRef ref(String bucket, String key) {
    return new ObjectRef(bucket, key, sha256(bucket + "/" + key), 1024);
  }

  /**
   * Metrics with {@code auc} and {@code logLoss} as given and the rest at the defaults of {@link
   * #metrics()}: what most gate tests vary.
   */
  public static ModelMetrics metrics(double auc, double logLoss) {
    return metrics().auc(auc).logLoss(logLoss).build();
  }

  /**
   * Metrics of a decent model: AUC 0.85, log loss 0.40, accuracy 0.86, precision 0.60, recall 0.50,
   * F1 from those two, 2,000 rows.
   */
  public static MetricsBuilder metrics() {
    return new MetricsBuilder();
  }

  /**
   * One slice of the held-out rows where the candidate scores AUC {@code candidateAuc} and the
   * champion {@code championAuc}; a quarter of its rows positive, a third predicted positive, the
   * other metrics at the defaults of {@link #metrics()}.
   */
  public static SliceMetrics slice(
      String feature, String value, long rows, double candidateAuc, double championAuc) {
    return new SliceMetrics(
        feature,
        value,
        rows,
        rows / 4,
        metrics().auc(candidateAuc).rows(rows).build(),
        rows / 3,
        metrics().auc(championAuc).rows(rows).build());
  }

  /** A snapshot of 30 daily partitions ending on {@link #LAST_DAY}. */
  public static SnapshotBuilder snapshot() {
    return new SnapshotBuilder();
  }

  /** The artifacts of a training run under {@code runs/test/}, with {@link #metrics()}. */
  public static TrainedModelBuilder trainedModel() {
    return new TrainedModelBuilder("runs/test/");
  }

  /** An evaluation of a {@link #metrics()} candidate without a champion. */
  public static EvaluationBuilder evaluation() {
    return new EvaluationBuilder("runs/test/");
  }

  /**
   * Version {@code version} of {@code model}: approved, with its own artifacts under {@code
   * models/<model>/v<version>/}, trained on {@link #snapshot()}, scoring {@link #metrics()}.
   */
  public static ModelVersionBuilder modelVersion(String model, int version) {
    return new ModelVersionBuilder(model, version);
  }

  /** A {@code ContinuousTraining} request for {@code model}; every field unset means default. */
  public static ContinuousTrainingRequest.Builder continuousTraining(String model) {
    return ContinuousTrainingRequest.builder(model);
  }

  /** A gate decision that passed, against no champion. */
  public static GateDecision gatePassed() {
    return new GateDecision(
        true,
        List.of("passed the absolute thresholds; no champion to compare with"),
        List.of(),
        null);
  }

  /** A gate decision that failed for {@code reasons} (one default reason when none given). */
  public static GateDecision gateRefused(String... reasons) {
    List<String> r = reasons.length == 0 ? List.of("failed auc >= 0.7000") : List.of(reasons);
    return new GateDecision(false, r, List.of(), null);
  }

  /** What the real gate decides for {@code evaluation} under the default policy. */
  public static GateDecision gateDecision(Evaluation evaluation, Integer championVersion) {
    return ValidationGate.of(GatePolicy.defaults())
        .decide(evaluation.candidate(), evaluation.champion(), championVersion);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Builds {@link ModelMetrics}; see {@link Records#metrics()} for the defaults. */
  public static final class MetricsBuilder {
    private double auc = 0.85;
    private double logLoss = 0.40;
    private double accuracy = 0.86;
    private double precision = 0.60;
    private double recall = 0.50;
    private Double f1;
    private long rows = 2_000;

    private MetricsBuilder() {}

    public MetricsBuilder auc(double v) {
      auc = v;
      return this;
    }

    public MetricsBuilder logLoss(double v) {
      logLoss = v;
      return this;
    }

    public MetricsBuilder accuracy(double v) {
      accuracy = v;
      return this;
    }

    public MetricsBuilder precision(double v) {
      precision = v;
      return this;
    }

    public MetricsBuilder recall(double v) {
      recall = v;
      return this;
    }

    /** F1; by default the harmonic mean of precision and recall. */
    public MetricsBuilder f1(double v) {
      f1 = v;
      return this;
    }

    public MetricsBuilder rows(long v) {
      rows = v;
      return this;
    }

    public ModelMetrics build() {
      double f =
          f1 != null
              ? f1
              : precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      return new ModelMetrics(auc, logLoss, accuracy, precision, recall, f, rows);
    }
  }

  /** Builds {@link DatasetSnapshot}; see {@link Records#snapshot()} for the defaults. */
  public static final class SnapshotBuilder {
    private String bucket = DatasetSpec.DEFAULT_BUCKET;
    private String prefix = "data/";
    private LocalDate lastDay = LAST_DAY;
    private int partitions = DatasetSpec.DEFAULT_LAST_DAYS;
    private String datasetVersion;
    private Long bytes;

    private SnapshotBuilder() {}

    /** Where the data lives; part of the derived dataset version. */
    public SnapshotBuilder at(String bucket, String prefix) {
      this.bucket = bucket;
      this.prefix = prefix;
      return this;
    }

    /** {@code partitions} days ending on the current last day. */
    public SnapshotBuilder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Days {@code first} to {@code last}, inclusive, ISO dates. */
    public SnapshotBuilder days(String first, String last) {
      LocalDate f = LocalDate.parse(first);
      lastDay = LocalDate.parse(last);
      partitions = (int) ChronoUnit.DAYS.between(f, lastDay) + 1;
      return this;
    }

    /** The dataset version; by default the SHA-256 of location and days. */
    public SnapshotBuilder datasetVersion(String v) {
      datasetVersion = v;
      return this;
    }

    public SnapshotBuilder bytes(long v) {
      bytes = v;
      return this;
    }

    public DatasetSnapshot build() {
      String first = lastDay.minusDays(partitions - 1L).toString();
      String last = lastDay.toString();
      String version =
          datasetVersion != null
              ? datasetVersion
              : sha256(bucket + "/" + prefix + " " + first + ".." + last);
      return new DatasetSnapshot(
          version,
          ref(ARTIFACTS, "datasets/" + prefix + version + ".json"),
          ref(bucket, prefix + "_schema.json"),
          first,
          last,
          partitions,
          partitions,
          bytes != null ? bytes : partitions * 1_048_576L);
    }
  }

  /** Builds {@link TrainedModel}; see {@link Records#trainedModel()} for the defaults. */
  public static final class TrainedModelBuilder {
    private String under;
    private ObjectRef model;
    private long rows = 28_000;
    private ModelMetrics metrics = Records.metrics().build();
    private String codeVersion = "testkit";

    private TrainedModelBuilder(String under) {
      this.under = under;
    }

    /** Puts every artifact under {@code prefix} (ending in '/'). */
    public TrainedModelBuilder under(String prefix) {
      under = prefix;
      return this;
    }

    /** The model bundle's reference; by default {@code <prefix>model.bin}. */
    public TrainedModelBuilder model(ObjectRef ref) {
      model = ref;
      return this;
    }

    public TrainedModelBuilder rows(long v) {
      rows = v;
      return this;
    }

    /** Metrics on the validation split of the training rows. */
    public TrainedModelBuilder metrics(ModelMetrics m) {
      metrics = m;
      return this;
    }

    public TrainedModelBuilder codeVersion(String v) {
      codeVersion = v;
      return this;
    }

    public TrainedModel build() {
      return new TrainedModel(
          model != null ? model : ref(under + "model.bin"),
          ref(under + "hyperparameters.properties"),
          ref(under + "feature-schema.json"),
          ref(under + "reference-profile.json"),
          rows,
          metrics,
          codeVersion);
    }
  }

  /** Builds {@link Evaluation}; see {@link Records#evaluation()} for the defaults. */
  public static final class EvaluationBuilder {
    private final String under;
    private ModelMetrics candidate = Records.metrics().build();
    private ModelMetrics champion;

    private EvaluationBuilder(String under) {
      this.under = under;
    }

    public EvaluationBuilder candidate(ModelMetrics m) {
      candidate = m;
      return this;
    }

    public EvaluationBuilder candidate(double auc, double logLoss) {
      return candidate(Records.metrics(auc, logLoss));
    }

    /** The champion's metrics on the same rows; null (the default) without a champion. */
    public EvaluationBuilder champion(ModelMetrics m) {
      champion = m;
      return this;
    }

    public EvaluationBuilder champion(double auc, double logLoss) {
      return champion(Records.metrics(auc, logLoss));
    }

    public Evaluation build() {
      return new Evaluation(
          candidate, champion, ref(under + "evaluation.json"), ref(under + "evaluation.html"));
    }
  }

  /** Builds {@link ModelVersion}; see {@link Records#modelVersion} for the defaults. */
  public static final class ModelVersionBuilder {
    private final String model;
    private final int version;
    private VersionStatus status = VersionStatus.APPROVED;
    private DatasetSnapshot dataset = snapshot().build();
    private TrainedModel artifacts;
    private Hyperparameters hyperparameters = Hyperparameters.defaults();
    private Evaluation evaluation;
    private ModelMetrics metrics = Records.metrics().build();
    private GateDecision gate;
    private Trigger trigger = Trigger.MANUAL;
    private String workflowId = "test";
    private String runId = "test-run";
    private String createdAt = CREATED_AT;
    private Rejection rejection;
    private ObjectRef driftReport;
    private SearchResult search;

    private ModelVersionBuilder(String model, int version) {
      this.model = model;
      this.version = version;
    }

    /**
     * APPROVED (default) or REJECTED; a rejected version gets a refusing gate decision unless one
     * is given.
     */
    public ModelVersionBuilder status(VersionStatus s) {
      status = s;
      return this;
    }

    /** The candidate metrics of its evaluation (and of its training report). */
    public ModelVersionBuilder metrics(ModelMetrics m) {
      metrics = m;
      return this;
    }

    public ModelVersionBuilder metrics(double auc, double logLoss) {
      return metrics(Records.metrics(auc, logLoss));
    }

    /** The whole evaluation; overrides {@link #metrics(ModelMetrics)}. */
    public ModelVersionBuilder evaluation(Evaluation e) {
      evaluation = e;
      return this;
    }

    public ModelVersionBuilder dataset(DatasetSnapshot s) {
      dataset = s;
      return this;
    }

    public ModelVersionBuilder artifacts(TrainedModel t) {
      artifacts = t;
      return this;
    }

    public ModelVersionBuilder hyperparameters(Hyperparameters h) {
      hyperparameters = h;
      return this;
    }

    public ModelVersionBuilder gate(GateDecision d) {
      gate = d;
      return this;
    }

    public ModelVersionBuilder trigger(Trigger t) {
      trigger = t;
      return this;
    }

    public ModelVersionBuilder workflowId(String id) {
      workflowId = id;
      return this;
    }

    public ModelVersionBuilder runId(String id) {
      runId = id;
      return this;
    }

    public ModelVersionBuilder createdAt(String instant) {
      createdAt = instant;
      return this;
    }

    /** Withdrawn after approval for {@code reason} (status REJECTED, gate passed). */
    public ModelVersionBuilder withdrawn(String reason) {
      status = VersionStatus.REJECTED;
      rejection = new Rejection(model, version, reason, "test", createdAt);
      if (gate == null) {
        gate = gatePassed();
      }
      return this;
    }

    public ModelVersionBuilder driftReport(ObjectRef ref) {
      driftReport = ref;
      return this;
    }

    /** The hyperparameter search that picked the version's hyperparameters. */
    public ModelVersionBuilder search(SearchResult result) {
      search = result;
      return this;
    }

    public ModelVersion build() {
      String under = "models/" + model + "/v" + version + "/";
      TrainedModel a =
          artifacts != null ? artifacts : new TrainedModelBuilder(under).metrics(metrics).build();
      Evaluation e =
          evaluation != null ? evaluation : new EvaluationBuilder(under).candidate(metrics).build();
      GateDecision g =
          gate != null ? gate : status == VersionStatus.APPROVED ? gatePassed() : gateRefused();
      return new ModelVersion(
          model,
          version,
          status,
          dataset,
          a,
          hyperparameters,
          e,
          g,
          trigger,
          workflowId,
          runId,
          createdAt,
          rejection,
          driftReport,
          search,
          null);
    }
  }
}
