package dev.perennial.activities.drift;

import dev.perennial.core.Json;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.logs.FeatureSink;
import dev.perennial.core.logs.LabelJoin;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.logs.ServingLogRecord.Served;
import dev.perennial.core.logs.ServingLogs;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.report.DriftReportPage;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.drift.DriftDecision;
import dev.perennial.workflows.drift.DriftJudge;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftWindow;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.drift.QualityDrift;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.ModelMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures drift for one window of served traffic: the features the model servers logged ({@code
 * predictions/<model>/dt=...}) against the champion's training reference profile, and the
 * champion's online quality from feedback labels against its evaluation. Judges the figures with
 * {@link DriftJudge} and writes the report, JSON and HTML, under {@code
 * drift/<model>/<window-end>/} in the artifact bucket: the same window always writes the same keys,
 * so a retried measurement overwrites rather than adds.
 *
 * <p>Memory is bounded whatever the window holds: feature statistics go into fixed-size sketches
 * per feature, and online quality joins labels to a sample of at most {@link
 * #DEFAULT_QUALITY_SAMPLE} of the champion's rows: the rows with the smallest hash of their request
 * id and row (a bottom-k sample: uniform, and the same whatever order the logs are read in). Its
 * standard error is that of the sample, so a sampled window is judged no more confidently than it
 * was measured.
 */
public final class DriftAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(DriftAnalyzer.class);

  private final ServingLogs logs;
  private final ObjectStore store;
  private final String bucket;
  private final ModelRegistry registry;
  private final SnapshotReader reader;
  private final Clock clock;
  private final int qualitySample;

  /** Champion rows kept at most for the online-quality join: about 100 bytes each. */
  public static final int DEFAULT_QUALITY_SAMPLE = 200_000;

  /**
   * @param store where the model servers upload their logs and reports are written
   * @param bucket the artifact bucket
   * @param registry where the champion and its reference profile are found
   * @param clock says which day is today: feedback is read up to it, as labels come late
   */
  public DriftAnalyzer(ObjectStore store, String bucket, ModelRegistry registry, Clock clock) {
    this(store, bucket, registry, clock, DEFAULT_QUALITY_SAMPLE);
  }

  /** As above, joining labels to at most {@code qualitySample} champion rows. */
  DriftAnalyzer(
      ObjectStore store, String bucket, ModelRegistry registry, Clock clock, int qualitySample) {
    this.qualitySample = qualitySample;
    this.logs = new ServingLogs(store, bucket);
    this.store = store;
    this.bucket = bucket;
    this.registry = registry;
    this.reader = new SnapshotReader(store);
    this.clock = clock;
  }

  /**
   * Measures, judges and writes the report of {@code window}.
   *
   * @param progress hears the number of log objects read after each one (to heartbeat)
   * @throws IllegalArgumentException when the window is malformed, naming the fields
   */
  public DriftReport measure(DriftWindow window, LongConsumer progress) {
    Window w = validate(window);
    ModelVersion champion = registry.findAlias(w.model, Aliases.CHAMPION);
    if (champion == null) {
      DriftDecision decision =
          DriftJudge.judge(w.policy, null, 0, List.of(), noQuality()).decision();
      return new DriftReport(
          w.model,
          null,
          window.from(),
          window.to(),
          0,
          0,
          List.of(),
          noQuality(),
          decision,
          null,
          null);
    }
    ReferenceProfile reference =
        Json.read(
            reader.readVerified(champion.artifacts().referenceProfile()), ReferenceProfile.class);
    Scan scan = new Scan(w, champion.version(), reference, progress);
    scan.run();

    List<FeatureDrift> measured = scan.features();
    QualityDrift quality = scan.quality(champion.evaluation().candidate());
    DriftJudge.Judgement judged =
        DriftJudge.judge(w.policy, champion.version(), scan.rows, measured, quality);
    long skipped = scan.pass.malformedLines();
    if (skipped > 0 || scan.pass.unreadableObjects() > 0) {
      log.warn(
          "drift of {} {}..{}: skipped {} malformed lines and {} unreadable objects",
          w.model,
          w.from,
          w.to,
          skipped,
          scan.pass.unreadableObjects());
    }
    DriftReport report =
        new DriftReport(
            w.model,
            champion.version(),
            window.from(),
            window.to(),
            scan.rows,
            skipped,
            judged.features(),
            judged.quality(),
            judged.decision(),
            null,
            null);
    return write(report);
  }

  /** Where the reports of the window ending at {@code to} go. */
  static String reportPrefix(String model, Instant to) {
    // Colons are legal in S3 keys but awkward in URLs and on file systems people copy them to.
    return "drift/" + model + "/" + to.toString().replace(':', '-') + "/";
  }

  private DriftReport write(DriftReport report) {
    String prefix = reportPrefix(report.model(), Instant.parse(report.to()));
    ObjectRef json = put(prefix + "report.json", Json.write(report), "application/json");
    byte[] page = DriftReportPage.page(report).toBytes();
    ObjectRef html = put(prefix + "report.html", page, "text/html; charset=utf-8");
    return new DriftReport(
        report.model(),
        report.champion(),
        report.from(),
        report.to(),
        report.rows(),
        report.skippedLines(),
        report.features(),
        report.quality(),
        report.decision(),
        html,
        json);
  }

  private ObjectRef put(String key, byte[] bytes, String contentType) {
    var stored = store.put(bucket, key, bytes, contentType);
    return new ObjectRef(bucket, key, stored.sha256(), stored.size());
  }

  private static QualityDrift noQuality() {
    return new QualityDrift(0, null, null, null, null, null, false, "no feedback labels");
  }

  /** The window, checked and parsed. */
  private record Window(String model, Instant from, Instant to, DriftPolicy policy) {}

  private static Window validate(DriftWindow window) {
    if (window == null) {
      throw new IllegalArgumentException("Invalid drift window: nothing given");
    }
    RequestProblems p = new RequestProblems();
    ServingLogs.Window bounds =
        ServingLogs.Window.check(p, window.model(), window.from(), window.to());
    if (window.policy() != null) {
      p.addAll(window.policy().problems("policy"));
    }
    p.refuseIfAny("drift window");
    DriftPolicy policy =
        window.policy() == null ? DriftPolicy.defaults() : window.policy().withDefaults();
    return new Window(window.model(), bounds.from(), bounds.to(), policy);
  }

  /** One window's pass over the logs. */
  private final class Scan {
    final Window window;
    final int champion;
    final ServingLogs.Pass pass;
    final List<String> names = new ArrayList<>();
    final List<NumericDrift> numeric = new ArrayList<>();
    final List<CategoricalDrift> categorical = new ArrayList<>();
    final int numericCount;
    final FeatureSink line;
    final LabelJoin championRows = LabelJoin.sampled(qualitySample);

    long rows;

    Scan(Window window, int champion, ReferenceProfile reference, LongConsumer progress) {
      this.window = window;
      this.champion = champion;
      this.pass = logs.pass(progress);
      // Numeric features first, then categorical: feature i is numeric(i) or
      // categorical(i - numericCount).
      reference
          .numeric()
          .forEach(
              (name, profile) -> {
                names.add(name);
                try {
                  numeric.add(new NumericDrift(profile));
                } catch (IllegalArgumentException e) {
                  throw new IllegalArgumentException(
                      "feature '" + name + "': " + e.getMessage(), e);
                }
              });
      reference
          .categorical()
          .forEach(
              (name, profile) -> {
                names.add(name);
                categorical.add(new CategoricalDrift(profile, reference.rows()));
              });
      numericCount = numeric.size();
      boolean[] isNumeric = new boolean[names.size()];
      java.util.Arrays.fill(isNumeric, 0, numericCount, true);
      line = new FeatureSink(names, isNumeric);
    }

    void run() {
      pass.readPredictions(window.model, window.from, window.to, line, this::served);
      // Without a champion row in the window no label can join: skip the feedback days.
      if (!championRows.isEmpty()) {
        pass.readFeedback(
            window.model,
            window.from,
            window.to,
            LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC)),
            championRows::label);
      }
    }

    /** A served row of the window: its features count, and the champion's join its labels. */
    private void served(Served served) {
      // A shadow's line repeats a request the champion answered, without its features.
      if (!(served instanceof Prediction prediction) || served.shadow()) {
        return;
      }
      rows++;
      for (int i = 0; i < numericCount; i++) {
        numeric.get(i).accept(line.number(i));
      }
      for (int i = numericCount; i < names.size(); i++) {
        categorical.get(i - numericCount).accept(line.category(i));
      }
      if (prediction.version() == champion) {
        championRows.scored(prediction);
      }
    }

    List<FeatureDrift> features() {
      List<FeatureDrift> out = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        out.add(
            i < numericCount
                ? numericFeature(names.get(i), numeric.get(i).result())
                : categoricalFeature(names.get(i), categorical.get(i - numericCount).result()));
      }
      return out;
    }

    QualityDrift quality(ModelMetrics evaluated) {
      LabelJoin.Joined joined = championRows.joined();
      int n = joined.labels().length;
      Double championLogLoss = evaluated == null ? null : evaluated.logLoss();
      Double championAuc =
          evaluated == null || Double.isNaN(evaluated.auc()) ? null : evaluated.auc();
      if (n == 0) {
        return new QualityDrift(
            0, null, null, null, championLogLoss, championAuc, false, "no feedback labels");
      }
      int[] y = joined.labels();
      double[] p = joined.probabilities();
      ModelMetrics online = BinaryMetrics.of(y, p);
      double se = BinaryMetrics.logLossStandardError(y, p);
      return new QualityDrift(
          n,
          online.logLoss(),
          Double.isNaN(se) ? null : se,
          Double.isNaN(online.auc()) ? null : online.auc(),
          championLogLoss,
          championAuc,
          false,
          "");
    }
  }

  /** A numeric feature's figures, unjudged; statistics that could not be computed are null. */
  static FeatureDrift numericFeature(String name, NumericDrift.Result r) {
    double[] edges = r.binEdges();
    List<String> bins = new ArrayList<>();
    for (int b = 0; b + 1 < edges.length; b++) {
      // The outer bins also take values beyond the training range.
      String lower = b == 0 ? "< " + short4(edges[1]) : "[" + short4(edges[b]);
      String label =
          b == 0
              ? lower
              : b == edges.length - 2
                  ? "≥ " + short4(edges[b])
                  : lower + ", " + short4(edges[b + 1]) + ")";
      bins.add(label);
    }
    return new FeatureDrift(
        name,
        "NUMERIC",
        r.present(),
        orZero(r.missingRate()),
        orZero(r.referenceMissingRate()),
        orNull(r.psi()),
        orNull(r.ksStatistic()),
        orNull(r.ksPValue()),
        null,
        null,
        orNull(r.jensenShannon()),
        orNull(r.wasserstein()),
        orNull(r.wassersteinErrorBound()),
        false,
        false,
        "",
        bins,
        list(r.referenceShares()),
        list(r.currentShares()));
  }

  /** A categorical feature's figures, unjudged; missing and unknown values are categories. */
  static FeatureDrift categoricalFeature(String name, CategoricalDrift.Result r) {
    int missing = r.categories().indexOf(ReferenceProfile.MISSING);
    double referenceMissing = missing < 0 ? 0 : r.referenceShares()[missing];
    double missingRate = orZero(r.missingRate());
    long present = Math.round(r.count() * (1 - missingRate));
    return new FeatureDrift(
        name,
        "CATEGORICAL",
        present,
        missingRate,
        referenceMissing,
        orNull(r.psi()),
        null,
        null,
        orNull(r.chiSquare().statistic()),
        orNull(r.chiSquare().pValue()),
        orNull(r.jensenShannon()),
        null,
        null,
        false,
        false,
        "",
        r.categories(),
        list(r.referenceShares()),
        list(r.currentShares()));
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }

  private static double orZero(double x) {
    return Double.isNaN(x) ? 0 : x;
  }

  private static List<Double> list(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** Four significant digits, no exponent for everyday magnitudes: a bin edge for people. */
  private static String short4(double x) {
    return new java.math.BigDecimal(x)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
