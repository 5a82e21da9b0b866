package dev.perennial.activities.canary;

import static dev.perennial.dev.testing.LogLines.gzip;
import static dev.perennial.dev.testing.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.canary.AnalysisWindow;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryAnalysis;
import dev.perennial.workflows.canary.ShadowComparison;
import dev.perennial.workflows.canary.VersionStats;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CanaryAnalyzerTest {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final String MODEL = "churn";
  private static final int CHAMPION = 1;
  private static final int CANARY = 2;

  /** "Today" for the analyzer: two days after the windows below, so late labels exist. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-05T12:00:00Z"), ZoneOffset.UTC);

  private final ObjectStore store = S3.store();
  private String bucket;
  private CanaryAnalyzer analyzer;

  @BeforeEach
  void freshBucket() {
    bucket = S3.freshBucket();
    analyzer = new CanaryAnalyzer(store, bucket, CLOCK);
  }

  private static AnalysisWindow window(String from, String to) {
    return new AnalysisWindow(MODEL, CHAMPION, CANARY, from, to);
  }

  @Test
  void countsRequestsRowsErrorsAndNearestRankP99PerVersion() {
    // Champion: 148 answered requests with latencies 1..148 ms and 2 failed ones at 149 and 150,
    // spread over two servers in shuffled order. Nearest rank over all 150 requests: the 149th.
    List<String> champion = new ArrayList<>();
    for (int i = 1; i <= 148; i++) {
      champion.add(prediction("10:10:00", "a-" + i, 0, CHAMPION, 0.25, (double) i));
    }
    champion.add(error("10:20:00", "a-149", CHAMPION, 149.0));
    champion.add(error("10:20:00", "a-150", CHAMPION, 150.0));
    Collections.shuffle(champion, new Random(7));
    put("predictions", "2026-03-02", "server-a-1", champion.subList(0, 75));
    put("predictions", "2026-03-02", "server-b-1", champion.subList(75, 150));
    // Canary: one batch request of 3 rows (latency on every row), one single row, one failure;
    // a third version's traffic in the same object is not ours to count.
    put(
        "predictions",
        "2026-03-02",
        "server-c-1",
        List.of(
            prediction("10:30:00", "b-batch", 0, CANARY, 0.25, 40.0),
            prediction("10:30:00", "b-batch", 1, CANARY, 0.5, 40.0),
            prediction("10:30:00", "b-batch", 2, CANARY, 0.75, 40.0),
            prediction("10:31:00", "b-one", 0, CANARY, 0.5, 10.0),
            error("10:32:00", "b-err", CANARY, 5.0),
            prediction("10:33:00", "x-1", 0, 3, 0.9, 9999.0),
            error("10:33:00", "x-2", 3, 9999.0)));

    List<Long> progress = new CopyOnWriteArrayList<>();
    CanaryAnalyzer.Scan scan =
        analyzer.scan(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"), progress::add);
    CanaryAnalysis analysis = scan.analysis();

    assertThat(analysis.champion())
        .isEqualTo(new VersionStats(CHAMPION, 150, 148, 2, 149.0, 0, null, null, 0.25, null, null));
    assertThat(analysis.champion().errorRate()).isEqualTo(2.0 / 150);
    assertThat(analysis.canary())
        .isEqualTo(new VersionStats(CANARY, 3, 4, 1, 40.0, 0, null, null, 0.5, null, null));
    assertThat(analysis.canary().errorRate()).isEqualTo(1.0 / 3);
    // No feedback objects exist: three prediction objects read, one progress call each.
    assertThat(analysis.objectsRead()).isEqualTo(3);
    assertThat(progress).containsExactly(1L, 2L, 3L);
    assertThat(scan.malformedLines()).isZero();
    assertThat(scan.unreadableObjects()).isZero();
  }

  @Test
  void nearestRankIsOneOfTheValuesWithoutInterpolation() {
    double[] hundred = new double[100];
    Arrays.setAll(hundred, i -> i + 1);
    assertThat(CanaryAnalyzer.nearestRank(hundred, 99)).isEqualTo(99.0);
    assertThat(CanaryAnalyzer.nearestRank(new double[] {7}, 99)).isEqualTo(7.0);
    assertThat(CanaryAnalyzer.nearestRank(new double[] {1, 2}, 99)).isEqualTo(2.0);
    assertThat(CanaryAnalyzer.nearestRank(new double[] {1, 2}, 50)).isEqualTo(1.0);
  }

  @Test
  void requestsFromOlderLogsWithoutLatencyCountButHaveNoP99() {
    put(
        "predictions",
        "2026-03-02",
        "server-a-1",
        List.of(
            prediction("10:10:00", "a-1", 0, CHAMPION, 0.5, null),
            prediction("10:10:00", "b-1", 0, CANARY, 0.5, null),
            prediction("10:11:00", "b-2", 0, CANARY, 0.5, 12.5)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));

    assertThat(analysis.champion().requests()).isEqualTo(1);
    assertThat(analysis.champion().p99LatencyMs()).isNull();
    assertThat(analysis.canary().requests()).isEqualTo(2);
    assertThat(analysis.canary().p99LatencyMs()).isEqualTo(12.5);
  }

  @Test
  void aLineAtFromCountsAndALineAtToDoesNot() {
    put(
        "predictions",
        "2026-03-02",
        "server-a-1",
        List.of(
            predictionAt("2026-03-02T09:59:59.999999999Z", "early", CHAMPION, 10.0),
            predictionAt("2026-03-02T10:00:00Z", "at-from", CHAMPION, 20.0),
            predictionAt("2026-03-02T10:59:59.999999999Z", "just-before-to", CHAMPION, 30.0),
            predictionAt("2026-03-02T11:00:00Z", "at-to", CHAMPION, 40.0),
            predictionAt("2026-03-02T11:00:00Z", "canary-at-to", CANARY, 50.0)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));

    assertThat(analysis.champion().requests()).isEqualTo(2);
    assertThat(analysis.champion().p99LatencyMs()).isEqualTo(30.0);
    assertThat(analysis.canary()).isEqualTo(VersionStats.empty(CANARY));
  }

  @Test
  void aWindowOverMidnightReadsBothDaysAndNoOther() {
    put("predictions", "2026-03-01", "s-1", List.of(predictionAt("2026-03-01T23:45:00Z", "d0", 1)));
    put("predictions", "2026-03-02", "s-1", List.of(predictionAt("2026-03-02T23:45:00Z", "d1", 1)));
    put("predictions", "2026-03-03", "s-1", List.of(predictionAt("2026-03-03T00:15:00Z", "d2", 1)));
    put("predictions", "2026-03-04", "s-1", List.of(predictionAt("2026-03-04T00:15:00Z", "d3", 1)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T23:30:00Z", "2026-03-03T00:30:00Z"));

    assertThat(analysis.champion().requests()).isEqualTo(2);
    assertThat(analysis.objectsRead()).isEqualTo(2);
  }

  @Test
  void aWindowEndingAtMidnightDoesNotReadTheNextDay() {
    put("predictions", "2026-03-02", "s-1", List.of(predictionAt("2026-03-02T23:45:00Z", "d1", 1)));
    // Partitions go by the entry's own time: nothing in the next day can be before midnight.
    put("predictions", "2026-03-03", "s-1", List.of(predictionAt("2026-03-03T00:00:00Z", "d2", 1)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T23:00:00Z", "2026-03-03T00:00:00Z"));

    assertThat(analysis.champion().requests()).isEqualTo(1);
    assertThat(analysis.objectsRead()).isEqualTo(1);
  }

  @Test
  void joinsLateFeedbackKeepsTheLatestLabelAndMatchesBinaryMetrics() {
    put(
        "predictions",
        "2026-03-02",
        "server-a-1",
        List.of(
            prediction("10:00:00", "c-batch", 0, CHAMPION, 0.9, 5.0),
            prediction("10:00:00", "c-batch", 1, CHAMPION, 0.3, 5.0),
            prediction("10:00:00", "c-batch", 2, CHAMPION, 0.6, 5.0),
            prediction("10:01:00", "c-one", 0, CHAMPION, 0.5, 5.0),
            prediction("10:02:00", "c-unlabelled", 0, CHAMPION, 0.7, 5.0),
            prediction("10:03:00", "k-one", 0, CANARY, 0.4, 5.0),
            prediction("10:04:00", "k-two", 0, CANARY, 0.8, 5.0),
            prediction("09:00:00", "c-before-window", 0, CHAMPION, 0.5, 5.0),
            prediction("10:05:00", "x-other-version", 0, 3, 0.5, 5.0)));
    // Same day: a label, and feedback for rows the window did not predict (ignored).
    put(
        "feedback",
        "2026-03-02",
        "server-a-1",
        List.of(
            feedback("2026-03-02T10:30:00Z", "c-batch", 0, 1),
            feedback("2026-03-02T10:30:00Z", "c-before-window", null, 1),
            feedback("2026-03-02T10:30:00Z", "x-other-version", null, 1),
            feedback("2026-03-02T10:30:00Z", "c-one", 5, 1)));
    // A day later, on two servers: the key order (server-a before server-b) is not the time
    // order, and the later label must win whichever object holds it.
    put(
        "feedback",
        "2026-03-03",
        "server-a-1",
        List.of(
            feedback("2026-03-03T09:00:00Z", "c-batch", 1, 1),
            feedback("2026-03-03T09:00:00Z", "c-batch", 2, 0),
            feedback("2026-03-03T09:00:00Z", "c-one", null, 0)));
    put(
        "feedback",
        "2026-03-03",
        "server-b-1",
        List.of(
            feedback("2026-03-03T08:00:00Z", "c-batch", 1, 0),
            feedback("2026-03-03T10:00:00Z", "c-batch", 2, 1)));
    // Two days later, corrected: the duplicate's last label counts.
    put(
        "feedback",
        "2026-03-04",
        "server-a-1",
        List.of(
            feedback("2026-03-04T12:00:00Z", "k-one", 0, 1),
            feedback("2026-03-04T12:00:00Z", "k-two", 0, 1),
            feedback("2026-03-04T13:00:00Z", "k-one", 0, 0)));
    // After "today": the analyzer does not look there.
    put(
        "feedback",
        "2026-03-06",
        "server-a-1",
        List.of(feedback("2026-03-06T12:00:00Z", "c-unlabelled", 0, 1)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));

    // Champion labels by (requestId,row): c-batch/0=1, c-batch/1=1, c-batch/2=1, c-one/0=0.
    // Had the earlier of two labels won, the AUC would be 1.0 (c-batch/1) or 0.5 (c-batch/2).
    int[] championLabels = {1, 1, 1, 0};
    double[] championProbabilities = {0.9, 0.3, 0.6, 0.5};
    VersionStats champion = analysis.champion();
    assertThat(champion.rows()).isEqualTo(5);
    assertThat(champion.labelled()).isEqualTo(4);
    assertThat(champion.auc())
        .isEqualTo(2.0 / 3)
        .isEqualTo(BinaryMetrics.auc(championLabels, championProbabilities));
    assertThat(champion.logLoss())
        .isCloseTo(BinaryMetrics.of(championLabels, championProbabilities).logLoss(), within(1e-12))
        .isCloseTo(
            -(Math.log(0.9) + Math.log(0.3) + Math.log(0.6) + Math.log(0.5)) / 4, within(1e-12));
    assertThat(champion.meanProbability())
        .isCloseTo((0.9 + 0.3 + 0.6 + 0.5 + 0.7) / 5, within(1e-12));
    // Standard errors, for the rollout to tell a real difference from noise.
    double[] losses = {-Math.log(0.9), -Math.log(0.3), -Math.log(0.6), -Math.log(0.5)};
    double mean = java.util.Arrays.stream(losses).average().orElseThrow();
    double variance =
        java.util.Arrays.stream(losses).map(l -> (l - mean) * (l - mean)).sum() / (4 - 1);
    assertThat(champion.logLossStdError()).isCloseTo(Math.sqrt(variance / 4), within(1e-12));
    assertThat(champion.aucStdError())
        .isEqualTo(BinaryMetrics.aucStandardError(2.0 / 3, 3, 1))
        .isPositive();

    // Canary: k-one relabelled 0, k-two 1, so the ranking is right: AUC 1 (with k-one's first
    // label both would be positive, and there would be no AUC).
    int[] canaryLabels = {0, 1};
    double[] canaryProbabilities = {0.4, 0.8};
    VersionStats canary = analysis.canary();
    assertThat(canary.labelled()).isEqualTo(2);
    assertThat(canary.auc()).isEqualTo(1.0);
    assertThat(canary.logLoss())
        .isCloseTo(BinaryMetrics.of(canaryLabels, canaryProbabilities).logLoss(), within(1e-12))
        .isCloseTo(-(Math.log(0.6) + Math.log(0.8)) / 2, within(1e-12));

    // 1 prediction object, then feedback for 2026-03-02..05: 4 objects; 03-06 is not read.
    assertThat(analysis.objectsRead()).isEqualTo(5);
  }

  @Test
  void withOnlyOneClassLabelledThereIsLogLossButNoAuc() {
    put(
        "predictions",
        "2026-03-02",
        "s-1",
        List.of(
            prediction("10:00:00", "c-1", 0, CHAMPION, 0.75, 1.0),
            prediction("10:00:00", "k-1", 0, CANARY, 0.75, 1.0)));
    put("feedback", "2026-03-02", "s-1", List.of(feedback("2026-03-02T10:30:00Z", "c-1", 0, 1)));

    CanaryAnalysis analysis =
        analyzer.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));

    assertThat(analysis.champion().labelled()).isEqualTo(1);
    assertThat(analysis.champion().logLoss()).isCloseTo(-Math.log(0.75), within(1e-12));
    assertThat(analysis.champion().auc()).isNull();
    assertThat(analysis.champion().aucStdError()).isNull();
    assertThat(analysis.champion().logLossStdError()).as("one label has no spread").isNull();
    assertThat(analysis.canary().labelled()).isZero();
    assertThat(analysis.canary().logLoss()).isNull();
  }

  @Test
  void malformedLinesAreSkippedAndCountedNotThrown() {
    put(
        "predictions",
        "2026-03-02",
        "server-a-1",
        List.of(
            prediction("10:00:00", "good-1", 0, CHAMPION, 0.5, 7.0),
            "this is not json",
            "{\"time\": \"2026-03-02T10:00:00Z\", \"requestId\": \"cut-off\", \"vers",
            prediction("10:00:00", "no-probability", 0, CHAMPION, null, 7.0),
            line(
                Map.of(
                    "time", "2026-03-02T10:00:00Z",
                    "requestId", "version-as-text",
                    "row", 0,
                    "version", "1",
                    "probability", 0.5)),
            line(
                Map.of(
                    "time",
                    "yesterday",
                    "requestId",
                    "bad-time",
                    "row",
                    0,
                    "version",
                    1,
                    "probability",
                    0.5)),
            prediction("10:00:00", "probability-above-one", 0, CHAMPION, 1.5, 7.0),
            "[1, 2, 3]",
            "",
            prediction("10:00:00", "good-2", 0, CHAMPION, 0.5, 9.0)));
    put(
        "feedback",
        "2026-03-02",
        "server-a-1",
        List.of(
            "{\"time\": \"2026-03-02T11:00:00Z\", \"requestId\": \"good-1\", \"label\": 2}",
            feedback("2026-03-02T11:00:00Z", "good-2", 0, 1)));

    CanaryAnalyzer.Scan scan =
        analyzer.scan(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"), n -> {});

    assertThat(scan.malformedLines()).isEqualTo(8);
    assertThat(scan.unreadableObjects()).isZero();
    VersionStats champion = scan.analysis().champion();
    assertThat(champion.requests()).isEqualTo(2);
    assertThat(champion.rows()).isEqualTo(2);
    assertThat(champion.p99LatencyMs()).isEqualTo(9.0);
    assertThat(champion.labelled()).isEqualTo(1);
  }

  @Test
  void objectsThatAreNotValidGzipAreSkippedAndCounted() {
    byte[] whole = gzip(List.of(prediction("10:00:00", "in-truncated", 0, CHAMPION, 0.5, 1.0)));
    store.put(bucket, key("predictions", "2026-03-02", "a-truncated"), cut(whole), null);
    store.put(
        bucket,
        key("predictions", "2026-03-02", "b-plain-text"),
        prediction("10:00:00", "in-plain", 0, CHAMPION, 0.5, 1.0).getBytes(StandardCharsets.UTF_8),
        null);
    store.put(bucket, key("predictions", "2026-03-02", "c-empty"), new byte[0], null);
    put(
        "predictions",
        "2026-03-02",
        "d-good",
        List.of(prediction("10:00:00", "ok", 0, 1, 0.5, 1.0)));
    // Not a log segment: not read at all.
    store.put(bucket, "predictions/churn/dt=2026-03-02/README.txt", "hi".getBytes(), null);

    CanaryAnalyzer.Scan scan =
        analyzer.scan(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"), n -> {});

    assertThat(scan.unreadableObjects()).isEqualTo(3);
    assertThat(scan.analysis().objectsRead()).isEqualTo(4);
    assertThat(scan.analysis().champion().requests()).isEqualTo(1);
  }

  @Test
  void aMissingBucketIsTroubleToRetryNotAnEmptyAnalysis() {
    CanaryAnalyzer nowhere = new CanaryAnalyzer(store, "bucket-that-is-not-there", CLOCK);

    assertThatThrownBy(
            () -> nowhere.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z")))
        .isInstanceOf(ObjectStoreException.class);
  }

  @Test
  void badWindowsAreRefusedNamingTheField() {
    assertRefused(
            new AnalysisWindow("Churn!", 1, 2, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"))
        .contains("model:");
    assertRefused(new AnalysisWindow(MODEL, 1, 2, "yesterday", "2026-03-02T11:00:00Z"))
        .contains("from:", "'yesterday'");
    assertRefused(new AnalysisWindow(MODEL, 1, 2, "2026-03-02T10:00:00Z", null))
        .contains("to:", "nothing");
    assertRefused(window("2026-03-02T11:00:00Z", "2026-03-02T11:00:00Z"))
        .contains("to: must be later than from");
    assertRefused(new AnalysisWindow(MODEL, 2, 2, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"))
        .contains("canary: must differ from the champion");
    assertRefused(new AnalysisWindow(MODEL, 0, 2, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"))
        .contains("champion:");
    // Every problem at once, so one failed run tells the whole story.
    assertRefused(new AnalysisWindow("", 3, 3, "now", "later"))
        .contains("model:", "from:", "to:", "canary:");
    assertThatThrownBy(() -> analyzer.analyse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing given");
  }

  private org.assertj.core.api.AbstractStringAssert<?> assertRefused(AnalysisWindow window) {
    try {
      analyzer.analyse(window);
    } catch (IllegalArgumentException e) {
      return assertThat(e.getMessage()).startsWith("Invalid analysis window: ");
    }
    throw new AssertionError("accepted " + window);
  }

  @Test
  void theActivityHeartbeatsPerObjectAndRefusesBadWindowsForGood() {
    put("predictions", "2026-03-02", "s-1", List.of(predictionAt("2026-03-02T10:10:00Z", "a", 1)));
    put("predictions", "2026-03-02", "s-2", List.of(predictionAt("2026-03-02T10:20:00Z", "b", 2)));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(new CanaryActivitiesImpl(analyzer));
      List<Long> heartbeats = new CopyOnWriteArrayList<>();
      env.setActivityHeartbeatListener(Long.class, heartbeats::add);
      CanaryActivities activities =
          env.newActivityStub(
              CanaryActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                  .build());

      AnalysisWindow good = window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z");
      CanaryAnalysis analysis = activities.analyse(good);
      assertThat(analysis).isEqualTo(analyzer.analyse(good));
      assertThat(analysis.champion().requests()).isEqualTo(1);
      assertThat(analysis.canary().requests()).isEqualTo(1);
      // The SDK sends the first heartbeat at once and throttles the rest, so later counts may be
      // merged or dropped when the activity ends first.
      assertThat(heartbeats).isNotEmpty().isSubsetOf(1L, 2L).startsWith(1L);

      AnalysisWindow bad = new AnalysisWindow(MODEL, 1, 1, "2026-03-02T10:00:00Z", "soon");
      assertThatThrownBy(() -> activities.analyse(bad))
          .isInstanceOf(ActivityFailure.class)
          .cause()
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
                assertThat(failure.isNonRetryable()).isTrue();
                assertThat(failure.getOriginalMessage()).contains("to:", "canary:");
              });
    } finally {
      env.close();
    }
  }

  // ---- log objects, written the way the model server writes them ----

  /**
   * A shadow scored three of the champion's four requests and failed the fourth; a canary-style
   * answer of the same version in the logs is not the shadow's. Labels count for both versions,
   * since both scored the same rows, and the rows both scored are compared one by one.
   */
  @Test
  void aShadowIsJudgedOnItsFlaggedLinesAndComparedRowByRowWithTheChampion() {
    Instant at = Instant.parse("2026-03-02T10:10:00Z");
    double[] answered = {0.2, 0.6, 0.7, 0.4};
    double[] shadowed = {0.3, 0.4, 0.9};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < answered.length; i++) {
      lines.add(prediction("10:10:00", "r" + i, 0, CHAMPION, answered[i], 10.0));
    }
    for (int i = 0; i < shadowed.length; i++) {
      lines.add(
          new String(
              new Prediction(MODEL, at, "r" + i, CANARY, 0, shadowed[i], null, 12.0, null, true)
                  .toLine(),
              StandardCharsets.UTF_8));
    }
    lines.add(
        new String(
            new Failure(MODEL, at, "r3", CANARY, "boom", 3.0, true).toLine(),
            StandardCharsets.UTF_8));
    lines.add(prediction("10:20:00", "answered-by-2", 0, CANARY, 0.9, 5.0));
    put("predictions", "2026-03-02", "server-a-1", lines);
    put(
        "feedback",
        "2026-03-03",
        "server-a-1",
        List.of(
            feedback("2026-03-03T09:00:00Z", "r0", null, 0),
            feedback("2026-03-03T09:00:00Z", "r2", 0, 1)));

    CanaryAnalysis shadow =
        analyzer.analyse(
            new AnalysisWindow(
                MODEL, CHAMPION, CANARY, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", true));

    assertThat(shadow.champion().requests()).isEqualTo(4);
    assertThat(shadow.champion().labelled()).isEqualTo(2);
    assertThat(shadow.canary().requests()).isEqualTo(4);
    assertThat(shadow.canary().rows()).isEqualTo(3);
    assertThat(shadow.canary().errors()).isEqualTo(1);
    assertThat(shadow.canary().labelled()).isEqualTo(2);
    assertThat(shadow.canary().p99LatencyMs()).isEqualTo(12.0);
    ShadowComparison c = shadow.shadow();
    assertThat(c.pairedRows()).isEqualTo(3);
    assertThat(c.labelledPairs()).isEqualTo(2);
    assertThat(c.agreement()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(c.agreementStdError()).isCloseTo(Math.sqrt(2.0 / 9 / 3), within(1e-12));
    assertThat(c.meanAbsDifference()).isCloseTo(0.5 / 3, within(1e-12));
    // Six bins each hold a third of one side and nothing of the other.
    double third = 1.0 / 3;
    assertThat(c.scorePsi()).isCloseTo(6 * (third - 1e-4) * Math.log(third / 1e-4), within(1e-9));

    // The same logs read for a canary of version 2: only its answered line is the canary's.
    CanaryAnalysis canary =
        analyzer.analyse(window("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
    assertThat(canary.canary().requests()).isEqualTo(1);
    assertThat(canary.canary().errors()).isZero();
    assertThat(canary.champion().requests()).isEqualTo(4);
    assertThat(canary.shadow()).isNull();
  }

  private void put(String kind, String day, String segment, List<String> lines) {
    store.put(bucket, key(kind, day, segment), gzip(lines), "application/gzip");
  }

  private static String key(String kind, String day, String segment) {
    return kind + "/" + MODEL + "/dt=" + day + "/" + segment + ".jsonl.gz";
  }

  /** The first half of a gzip stream: what an interrupted upload would leave. */
  private static byte[] cut(byte[] gzip) {
    return Arrays.copyOf(gzip, gzip.length / 2);
  }

  /** A prediction line on 2026-03-02 at {@code time}; null probability or latency is left out. */
  private static String prediction(
      String time, String requestId, int row, int version, Double probability, Double latencyMs) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", "2026-03-02T" + time + "Z");
    line.put("model", MODEL);
    line.put("requestId", requestId);
    line.put("row", row);
    line.put("version", version);
    line.put("features", Map.of("tenure", 12.0, "plan", "basic", "nested", Map.of("a", List.of())));
    if (probability != null) {
      line.put("probability", probability);
      line.put("label", probability >= 0.5 ? 1 : 0);
    }
    if (latencyMs != null) {
      line.put("latencyMs", latencyMs);
    }
    return line(line);
  }

  private static String predictionAt(String instant, String requestId, int version) {
    return predictionAt(instant, requestId, version, 1.0);
  }

  private static String predictionAt(
      String instant, String requestId, int version, double latencyMs) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", instant);
    line.put("model", MODEL);
    line.put("requestId", requestId);
    line.put("row", 0);
    line.put("version", version);
    line.put("features", Map.of());
    line.put("probability", 0.5);
    line.put("label", 1);
    line.put("latencyMs", latencyMs);
    return line(line);
  }

  private static String error(String time, String requestId, int version, double latencyMs) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", "2026-03-02T" + time + "Z");
    line.put("model", MODEL);
    line.put("requestId", requestId);
    line.put("version", version);
    line.put("error", "model failed: NaN in feature 'tenure'");
    line.put("latencyMs", latencyMs);
    return line(line);
  }

  private static String feedback(String instant, String requestId, Integer row, int label) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", instant);
    line.put("model", MODEL);
    line.put("requestId", requestId);
    line.put("label", label);
    if (row != null) {
      line.put("row", row);
    }
    return line(line);
  }
}
