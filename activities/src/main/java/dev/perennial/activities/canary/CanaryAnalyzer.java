package dev.perennial.activities.canary;

import dev.perennial.activities.drift.DriftStatistics;
import dev.perennial.core.logs.LabelJoin;
import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.logs.ServingLogRecord.Served;
import dev.perennial.core.logs.ServingLogs;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.canary.AnalysisWindow;
import dev.perennial.workflows.canary.CanaryAnalysis;
import dev.perennial.workflows.canary.ShadowComparison;
import dev.perennial.workflows.canary.VersionStats;
import dev.perennial.workflows.training.ModelMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sums up how champion and canary (or shadow) served during one window, from the logs the model
 * server writes to the artifact bucket ({@code predictions/<model>/dt=YYYY-MM-DD/*.jsonl.gz} and
 * {@code feedback/<model>/dt=...}): requests, rows, server errors, p99 latency, and online quality
 * from the feedback labels that have arrived so far. The canary rollout decides on these figures.
 *
 * <p>For a shadow ({@link AnalysisWindow#shadow()}) the candidate's lines are those the server
 * flagged {@code shadow}; the champion's are its answered ones. Both scored the same requests, so
 * each feedback label counts for both, and the rows both scored are compared one by one ({@link
 * ShadowComparison}): how often they answer alike, how far apart their probabilities are, and the
 * PSI between the two score distributions.
 *
 * <p>Memory is bounded by the window's traffic, not by the days it touches: objects are streamed
 * and gunzipped line by line, lines outside the window or of other versions are dropped at once,
 * and a feedback label is kept only for a row the window predicted.
 *
 * <p>Failure policy: a malformed line, or an object that is not valid gzip, is skipped, counted and
 * logged, because one corrupt line must not hold a rollout hostage (and a retry would read the same
 * bytes). A missing bucket or any S3 failure throws, for Temporal to retry. Bad windows throw
 * {@link IllegalArgumentException} naming the field.
 */
public final class CanaryAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(CanaryAnalyzer.class);

  private final ServingLogs logs;
  private final Clock clock;

  /**
   * @param store where the model servers upload their logs
   * @param bucket the artifact bucket
   * @param clock says which day is today: feedback is read up to it, as labels come days late
   */
  public CanaryAnalyzer(ObjectStore store, String bucket, Clock clock) {
    this.logs = new ServingLogs(store, bucket);
    this.clock = clock;
  }

  /** Champion and canary over {@code window}; see {@link #scan}. */
  public CanaryAnalysis analyse(AnalysisWindow window) {
    return scan(window, objectsRead -> {}).analysis();
  }

  /**
   * Champion and canary over {@code window}, with what had to be skipped.
   *
   * @param progress called after each object read with the number read so far (to heartbeat)
   * @throws IllegalArgumentException when the window is malformed, naming the fields
   * @throws ObjectStoreException when the bucket is missing or S3 fails
   */
  public Scan scan(AnalysisWindow window, LongConsumer progress) {
    Window w = validate(window);
    Run run = new Run(w, progress);
    run.pass.readPredictions(w.model, w.from, w.to, null, run::served);
    // Without a scored row in the window no label can join: skip the feedback days.
    if (!run.champion.rows.isEmpty() || !run.canary.rows.isEmpty()) {
      run.pass.readFeedback(
          w.model, w.from, w.to, LocalDate.now(clock.withZone(ZoneOffset.UTC)), run::feedback);
    }
    ServingLogs.Pass pass = run.pass;
    if (pass.malformedLines() > 0 || pass.unreadableObjects() > 0) {
      log.warn(
          "canary analysis of {} {}..{}: skipped {} malformed lines and {} unreadable objects",
          w.model,
          w.from,
          w.to,
          pass.malformedLines(),
          pass.unreadableObjects());
    }
    CanaryAnalysis analysis =
        new CanaryAnalysis(
            window,
            run.champion.stats(),
            run.canary.stats(),
            pass.objectsRead(),
            w.shadow ? compare(run.champion.rows, run.canary.rows) : null);
    return new Scan(analysis, pass.malformedLines(), pass.unreadableObjects());
  }

  /**
   * The analysis and what was skipped to make it.
   *
   * @param analysis the figures
   * @param malformedLines lines that could not be used (not JSON, a field missing or garbled)
   * @param unreadableObjects log objects that are not valid gzip (or stop short); lines read from
   *     them before the damage count
   */
  public record Scan(CanaryAnalysis analysis, long malformedLines, long unreadableObjects) {}

  /** The window, checked and parsed. */
  private record Window(
      String model, int champion, int canary, Instant from, Instant to, boolean shadow) {}

  private static Window validate(AnalysisWindow window) {
    if (window == null) {
      throw new IllegalArgumentException("Invalid analysis window: nothing given");
    }
    RequestProblems p = new RequestProblems();
    ServingLogs.Window bounds =
        ServingLogs.Window.check(p, window.model(), window.from(), window.to());
    p.require(
            window.champion() >= 1,
            "champion",
            "must be a version number, 1 or more (got " + window.champion() + ")")
        .require(
            window.canary() >= 1,
            "canary",
            "must be a version number, 1 or more (got " + window.canary() + ")")
        .require(
            window.champion() != window.canary(),
            "canary",
            "must differ from the champion (both are " + window.canary() + ")")
        .refuseIfAny("analysis window");
    return new Window(
        window.model(),
        window.champion(),
        window.canary(),
        bounds.from(),
        bounds.to(),
        window.shadow());
  }

  /** The state of one scan: the two tallies and the counters. */
  private final class Run {
    final Tally champion;
    final Tally canary;
    final ServingLogs.Pass pass;
    final boolean shadow;

    Run(Window window, LongConsumer progress) {
      this.pass = logs.pass(progress);
      this.shadow = window.shadow;
      this.champion = new Tally(window.champion);
      this.canary = new Tally(window.canary);
    }

    /** A prediction or failed request of the window: counted when of our versions. */
    void served(Served served) {
      Tally tally = tally(served);
      if (tally != null) {
        tally.add(served);
      }
    }

    /**
     * A feedback label: kept only when it labels a row the window predicted. A shadow scored the
     * champion's requests, so the label counts for both.
     */
    void feedback(Feedback feedback) {
      boolean champions = champion.rows.label(feedback);
      if (shadow || !champions) {
        canary.rows.label(feedback);
      }
    }

    /**
     * The tally a line counts in, null for one this rollout does not compare: the champion's
     * answers, and the candidate's lines of the window's kind (answers for a canary, shadow lines
     * for a shadow).
     */
    private Tally tally(Served served) {
      if (served.version() == champion.version && !served.shadow()) {
        return champion;
      }
      return served.version() == canary.version && served.shadow() == shadow ? canary : null;
    }
  }

  /** One version's requests and rows in the window. */
  private static final class Tally {
    final int version;
    final Map<String, Request> requests = new HashMap<>();
    final LabelJoin rows = LabelJoin.unbounded();

    Tally(int version) {
      this.version = version;
    }

    void add(Served served) {
      Request request = requests.computeIfAbsent(served.requestId(), id -> new Request());
      if (Double.isNaN(request.latencyMs) && served.latencyMs() != null) {
        // The request's latency is on each of its lines: any one will do.
        request.latencyMs = served.latencyMs();
      }
      switch (served) {
        case Failure f -> request.failed = true;
        case Prediction p -> rows.scored(p);
      }
    }

    VersionStats stats() {
      long errors = requests.values().stream().filter(r -> r.failed).count();
      double[] latencies =
          requests.values().stream()
              .mapToDouble(r -> r.latencyMs)
              .filter(l -> !Double.isNaN(l))
              .sorted()
              .toArray();
      LabelJoin.Joined joined = rows.joined();
      int[] labels = joined.labels();
      double[] probabilities = joined.probabilities();
      int labelled = labels.length;
      // One pass for both: AUC sorts the labelled rows, so it is not worth computing twice.
      ModelMetrics quality = labelled == 0 ? null : BinaryMetrics.of(labels, probabilities);
      Double logLoss = quality == null ? null : quality.logLoss();
      Double auc = quality == null || Double.isNaN(quality.auc()) ? null : quality.auc();
      long positives = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
      Double logLossError = orNull(BinaryMetrics.logLossStandardError(labels, probabilities));
      Double aucError =
          auc == null
              ? null
              : orNull(BinaryMetrics.aucStandardError(auc, positives, labelled - positives));
      return new VersionStats(
          version,
          requests.size(),
          joined.rows(),
          errors,
          latencies.length == 0 ? null : nearestRank(latencies, 99),
          labelled,
          logLoss,
          auc,
          orNull(joined.meanProbability()),
          logLossError,
          aucError);
    }

    private static Double orNull(double value) {
      return Double.isNaN(value) ? null : value;
    }
  }

  /** Score bins of the shadow's PSI: ten of equal width on [0, 1]. */
  private static final int SCORE_BINS = 10;

  /** The rows both versions scored, compared one by one, in key order. */
  static ShadowComparison compare(LabelJoin champion, LabelJoin shadow) {
    long[] paired = new long[2]; // rows, labelled
    long[] agreed = new long[1];
    double[] absDifference = new double[1];
    double[] championBins = new double[SCORE_BINS];
    double[] shadowBins = new double[SCORE_BINS];
    shadow.forEach(
        (requestId, row, probability, label) -> {
          double answered = champion.probability(requestId, row);
          if (Double.isNaN(answered)) {
            return;
          }
          paired[0]++;
          if (label >= 0) {
            paired[1]++;
          }
          if (Prediction.labelOf(answered) == Prediction.labelOf(probability)) {
            agreed[0]++;
          }
          absDifference[0] += Math.abs(probability - answered);
          championBins[bin(answered)]++;
          shadowBins[bin(probability)]++;
        });
    long n = paired[0];
    if (n == 0) {
      return ShadowComparison.empty();
    }
    double agreement = (double) agreed[0] / n;
    for (int i = 0; i < SCORE_BINS; i++) {
      championBins[i] /= n;
      shadowBins[i] /= n;
    }
    return new ShadowComparison(
        n,
        agreement,
        Math.sqrt(agreement * (1 - agreement) / n),
        absDifference[0] / n,
        DriftStatistics.psi(championBins, shadowBins),
        paired[1]);
  }

  private static int bin(double probability) {
    return Math.min(SCORE_BINS - 1, (int) (probability * SCORE_BINS));
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code percent}% of the values at
   * or below it. Exact, always one of the values; integer arithmetic avoids 0.99 * n rounding.
   */
  static double nearestRank(double[] sorted, int percent) {
    long rank = ((long) percent * sorted.length + 99) / 100;
    return sorted[(int) Math.max(1, rank) - 1];
  }

  private static final class Request {
    double latencyMs = Double.NaN;
    boolean failed;
  }
}
