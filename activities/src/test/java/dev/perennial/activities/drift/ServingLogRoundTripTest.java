package dev.perennial.activities.drift;

import static dev.perennial.activities.drift.DriftAnalyzerTest.MODEL;
import static dev.perennial.dev.testing.LogLines.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.activities.canary.CanaryAnalyzer;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.logs.ServingLogRecord;
import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.canary.AnalysisWindow;
import dev.perennial.workflows.canary.VersionStats;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftWindow;
import dev.perennial.workflows.drift.FeatureDrift;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The serving log end to end: records made as the model server makes them and written with the
 * encoding it writes ({@link ServingLogRecord#toLine()}, one gzip object per segment), read back by
 * canary and drift analysis, which must see the same rows and the same labels.
 */
class ServingLogRoundTripTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
  private static final String FROM = "2026-03-02T10:00:00Z";
  private static final String TO = "2026-03-02T11:00:00Z";
  private static final Instant SERVED = Instant.parse("2026-03-02T10:30:00Z");

  private final ObjectStore store = S3.store();

  @Test
  void canaryAndDriftAnalysisSeeTheRowsAndLabelsTheServerLogged() {
    String bucket = S3.freshBucket();
    ModelRegistry registry = new ModelRegistry(store, bucket, CLOCK, ArtifactCheck.UNCHECKED);
    DriftAnalyzerTest.registerChampion(
        store, bucket, registry, SyntheticTraffic.day(1, 8_000, 0, 0), 0.35);

    // 200 requests of 3 rows, every fourth on the canary (v2), and one failure per version; a
    // label for two rows in three, row 0 labelled without naming its row; some labels corrected.
    SyntheticTraffic traffic = SyntheticTraffic.day(2, 600, 0, 0);
    List<ServingLogRecord> predictions = new ArrayList<>();
    List<ServingLogRecord> feedback = new ArrayList<>();
    Map<String, Double> probability = new LinkedHashMap<>();
    Map<String, Integer> label = new LinkedHashMap<>();
    Map<String, Integer> versionOf = new LinkedHashMap<>();
    for (int i = 0; i < traffic.rows; i++) {
      String requestId = "req-" + i / 3;
      int row = i % 3;
      int version = (i / 3) % 4 == 0 ? 2 : 1;
      double p = 0.05 + 0.9 * ((i * 37) % 100) / 100.0;
      predictions.add(
          new Prediction(
              MODEL, SERVED, requestId, version, row, p, traffic.features(i), 2.5, null));
      String key = requestId + "/" + row;
      probability.put(key, p);
      versionOf.put(key, version);
      if (i % 3 != 2) {
        int truth = traffic.labels[i];
        if (i % 10 == 0) {
          // First the wrong label, then the correction: the later one must win in both.
          feedback.add(new Feedback(MODEL, SERVED.plusSeconds(60), requestId, row, 1 - truth));
        }
        feedback.add(
            new Feedback(MODEL, SERVED.plusSeconds(120), requestId, row == 0 ? null : row, truth));
        label.put(key, truth);
      }
    }
    predictions.add(new Failure(MODEL, SERVED, "failed-1", 1, "IllegalStateException: x", 1.0));
    predictions.add(new Failure(MODEL, SERVED, "failed-2", 2, "IllegalStateException: y", 1.0));
    put(bucket, "predictions", "server-a-1", predictions.subList(0, 300));
    put(bucket, "predictions", "server-b-1", predictions.subList(300, predictions.size()));
    put(bucket, "feedback", "server-a-1", feedback);

    CanaryAnalyzer.Scan scan =
        new CanaryAnalyzer(store, bucket, CLOCK)
            .scan(new AnalysisWindow(MODEL, 1, 2, FROM, TO), n -> {});
    DriftReport drift =
        new DriftAnalyzer(store, bucket, registry, CLOCK)
            .measure(new DriftWindow(MODEL, FROM, TO, null), n -> {});

    assertThat(scan.malformedLines()).isZero();
    assertThat(drift.skippedLines()).isZero();
    VersionStats champion = scan.analysis().champion();
    VersionStats canary = scan.analysis().canary();
    assertThat(champion.rows()).isEqualTo(count(versionOf, 1));
    assertThat(canary.rows()).isEqualTo(count(versionOf, 2));
    assertThat(champion.requests()).isEqualTo(count(versionOf, 1) / 3 + 1);
    assertThat(champion.errors()).isEqualTo(1);
    assertThat(canary.errors()).isEqualTo(1);
    assertThat(champion.p99LatencyMs()).isEqualTo(2.5);
    assertThat(drift.rows()).as("drift counts every served row").isEqualTo(traffic.rows);

    // The labels as logged, joined by hand.
    Quality championQuality = quality(versionOf, probability, label, 1);
    Quality canaryQuality = quality(versionOf, probability, label, 2);
    assertThat(champion.labelled()).isEqualTo(championQuality.labels.length);
    assertThat(canary.labelled()).isEqualTo(canaryQuality.labels.length);
    double expected =
        BinaryMetrics.of(championQuality.labels, championQuality.probabilities).logLoss();
    assertThat(champion.logLoss()).isCloseTo(expected, within(1e-12));
    assertThat(canary.logLoss())
        .isCloseTo(
            BinaryMetrics.of(canaryQuality.labels, canaryQuality.probabilities).logLoss(),
            within(1e-12));
    assertThat(drift.quality().labels()).isEqualTo(champion.labelled());
    assertThat(drift.quality().logLoss()).isEqualTo(champion.logLoss());

    // The features reached drift measurement: each numeric one as often as the rows carried it.
    for (FeatureSpec spec : SyntheticTraffic.FEATURES) {
      if (spec.type() != FeatureType.NUMERIC) {
        continue;
      }
      long carried = 0;
      for (int i = 0; i < traffic.rows; i++) {
        carried += traffic.features(i).containsKey(spec.name()) ? 1 : 0;
      }
      FeatureDrift measured =
          drift.features().stream()
              .filter(f -> f.feature().equals(spec.name()))
              .findFirst()
              .orElseThrow();
      assertThat(measured.count()).as(spec.name()).isEqualTo(carried);
    }
  }

  private record Quality(int[] labels, double[] probabilities) {}

  private static Quality quality(
      Map<String, Integer> versionOf,
      Map<String, Double> probability,
      Map<String, Integer> label,
      int version) {
    List<String> keys = label.keySet().stream().filter(k -> versionOf.get(k) == version).toList();
    int[] labels = new int[keys.size()];
    double[] probabilities = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      labels[i] = label.get(keys.get(i));
      probabilities[i] = probability.get(keys.get(i));
    }
    return new Quality(labels, probabilities);
  }

  private static long count(Map<String, Integer> versionOf, int version) {
    return versionOf.values().stream().filter(v -> v == version).count();
  }

  private void put(String bucket, String kind, String segment, List<ServingLogRecord> records) {
    List<String> lines =
        records.stream().map(r -> new String(r.toLine(), StandardCharsets.UTF_8)).toList();
    store.put(
        bucket,
        kind + "/" + MODEL + "/dt=2026-03-02/" + segment + ".jsonl.gz",
        gzip(lines),
        "application/gzip");
  }
}
