package dev.perennial.activities.drift;

import static dev.perennial.dev.testing.LogLines.gzip;
import static dev.perennial.dev.testing.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.Json;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.Sha256;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftVerdict;
import dev.perennial.workflows.drift.DriftWindow;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.TrainedModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DriftAnalyzerTest {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  static final String MODEL = "credit-default";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
  private static final String FROM = "2026-03-02T10:00:00Z";
  private static final String TO = "2026-03-02T11:00:00Z";

  /** The champion's evaluation: the log loss its online quality is compared with. */
  private static final double EVALUATED_LOG_LOSS = 0.35;

  private final ObjectStore store = S3.store();
  private String bucket;
  private ModelRegistry registry;
  private DriftAnalyzer analyzer;

  @BeforeEach
  void freshBucket() {
    bucket = S3.freshBucket();
    registry = new ModelRegistry(store, bucket, CLOCK, ArtifactCheck.UNCHECKED);
    analyzer = new DriftAnalyzer(store, bucket, registry, CLOCK);
  }

  /** Registers v1, trained on {@code training}, as champion. */
  private void champion(SyntheticTraffic training) {
    champion(training, EVALUATED_LOG_LOSS);
  }

  /** Registers v1, trained on {@code training} and evaluated at {@code logLoss}, as champion. */
  private void champion(SyntheticTraffic training, double logLoss) {
    registerChampion(store, bucket, registry, training, logLoss);
  }

  /**
   * Registers v1 of {@link #MODEL} in {@code registry}, trained on {@code training} (its reference
   * profile) and evaluated at {@code logLoss}, as champion.
   */
  static void registerChampion(
      ObjectStore store,
      String bucket,
      ModelRegistry registry,
      SyntheticTraffic training,
      double logLoss) {
    byte[] profile = Json.write(training.profile());
    store.put(bucket, "models/v1/reference-profile.json", profile, "application/json");
    ObjectRef ref =
        new ObjectRef(
            bucket, "models/v1/reference-profile.json", Sha256.hex(profile), profile.length);
    ModelMetrics evaluated = new ModelMetrics(0.8, logLoss, 0.85, 0.6, 0.5, 0.55, 2000);
    var v1 =
        registry.register(
            new RegistrationRequest(
                MODEL,
                "key-1",
                null,
                new TrainedModel(null, null, null, ref, training.rows, evaluated, "test"),
                Hyperparameters.defaults(),
                new Evaluation(evaluated, null, null, null),
                new GateDecision(true, List.of("first version"), List.of(), null),
                Trigger.MANUAL,
                "wf",
                "run",
                null));
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, v1.version(), "test", "tester"));
  }

  private static DriftWindow window(DriftPolicy policy) {
    return new DriftWindow(MODEL, FROM, TO, policy == null ? null : policy.withDefaults());
  }

  /**
   * Logs {@code traffic} as v1's predictions at {@code time}, one request per row, each with
   * probability {@code probability}; with {@code labelled}, each row's true label as feedback.
   */
  private void serve(
      SyntheticTraffic traffic, String time, double probability, boolean labelled, String segment) {
    serve(traffic, time, constant(traffic.rows, probability), labelled, segment);
  }

  /** As above, with row {@code i} answered {@code probabilities[i]}. */
  private void serve(
      SyntheticTraffic traffic,
      String time,
      double[] probabilities,
      boolean labelled,
      String segment) {
    List<String> predictions = new ArrayList<>();
    List<String> feedback = new ArrayList<>();
    for (int i = 0; i < traffic.rows; i++) {
      String id = segment + "-" + i;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("time", time);
      line.put("model", MODEL);
      line.put("requestId", id);
      line.put("row", 0);
      line.put("version", 1);
      line.put("features", traffic.features(i));
      line.put("probability", probabilities[i]);
      line.put("label", probabilities[i] >= 0.5 ? 1 : 0);
      line.put("latencyMs", 2.0);
      predictions.add(line(line));
      feedback.add(line(Map.of("time", time, "requestId", id, "label", traffic.labels[i])));
    }
    put("predictions", segment, predictions);
    if (labelled) {
      put("feedback", segment, feedback);
    }
  }

  @Test
  void undriftedTrafficIsNoDriftAndTheReportIsWrittenAsHtmlAndJson() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    serve(SyntheticTraffic.day(2, 1_000, 0, 0), "2026-03-02T10:30:00Z", 0.2, false, "a");

    List<Long> progress = new ArrayList<>();
    DriftReport report = analyzer.measure(window(null), progress::add);

    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
    assertThat(report.champion()).isEqualTo(1);
    assertThat(report.rows()).isEqualTo(1_000);
    assertThat(report.skippedLines()).isZero();
    assertThat(report.features()).hasSize(20).noneMatch(FeatureDrift::drifted);
    assertThat(report.features()).allSatisfy(f -> assertThat(f.psi()).isNotNull().isLessThan(0.1));
    assertThat(progress).containsExactly(1L);
    // Same window, same keys: a retry overwrites.
    assertThat(report.html().key())
        .isEqualTo("drift/credit-default/2026-03-02T11-00-00Z/report.html");
    assertThat(report.json().key())
        .isEqualTo("drift/credit-default/2026-03-02T11-00-00Z/report.json");
    String html = text(report.html());
    assertThat(html).contains("Decision: NO_DRIFT", "utilization", "<svg");
    DriftReport stored = Json.read(bytes(report.json()), DriftReport.class);
    assertThat(stored.decision()).isEqualTo(report.decision());
    assertThat(stored.features()).isEqualTo(report.features());
  }

  @Test
  void covariateDriftBreachesAndNamesTheShiftedFeatures() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    serve(SyntheticTraffic.day(3, 1_500, 1.0, 0), "2026-03-02T10:10:00Z", 0.2, false, "b");

    DriftReport report = analyzer.measure(window(null), n -> {});

    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(report.decision().reasons().getFirst()).contains("features drifted");
    List<String> drifted =
        report.features().stream()
            .filter(FeatureDrift::drifted)
            .map(FeatureDrift::feature)
            .toList();
    assertThat(drifted).contains("utilization", "inquiries_6m", "income", "region");
    // Drifted first in the report.
    assertThat(report.features().subList(0, drifted.size())).allMatch(FeatureDrift::drifted);
    FeatureDrift region =
        report.features().stream().filter(f -> f.feature().equals("region")).findFirst().get();
    assertThat(region.type()).isEqualTo("CATEGORICAL");
    assertThat(region.chiSquarePValue()).isLessThan(1e-6);
    assertThat(region.bins()).contains("north", "south", ReferenceProfile.MISSING);
    assertThat(text(report.html())).contains("Decision: DRIFT");
  }

  @Test
  void onlineQualityBelowTheEvaluationBreachesWithoutAnyFeatureShift() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    // Undrifted inputs, but the answers are confidently wrong for most rows: the labels' default
    // rate is about 0.2 and every answer says 0.9.
    SyntheticTraffic traffic = SyntheticTraffic.day(4, 1_000, 0, 0);
    serve(traffic, "2026-03-02T10:20:00Z", 0.9, true, "c");

    DriftReport report = analyzer.measure(window(null), n -> {});

    assertThat(report.features()).noneMatch(FeatureDrift::drifted);
    assertThat(report.quality().labels()).isEqualTo(1_000);
    double expected = BinaryMetrics.of(traffic.labels, constant(traffic.rows, 0.9)).logLoss();
    assertThat(report.quality().logLoss()).isCloseTo(expected, within(1e-12));
    assertThat(report.quality().championLogLoss()).isEqualTo(EVALUATED_LOG_LOSS);
    assertThat(report.quality().degraded()).isTrue();
    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(report.decision().reasons()).anyMatch(r -> r.startsWith("online quality dropped"));
  }

  @Test
  void conceptDriftIsCaughtByOnlineQualityWhileTheFeaturesStayPut() {
    // A real champion: logistic regression on clean rows, evaluated on clean held-out rows.
    SyntheticTraffic training = SyntheticTraffic.day(1, 8_000, 0, 0);
    ModelBundle model =
        dev.perennial.core.training.Trainers.onClassPath()
            .train(
                training.table(),
                Hyperparameters.of(Hyperparameters.LOGISTIC_REGRESSION),
                TrainingProgress.NONE);
    SyntheticTraffic heldOut = SyntheticTraffic.day(9, 2_000, 0, 0);
    double evaluated =
        BinaryMetrics.of(heldOut.labels, model.predictProba(heldOut.table())).logLoss();
    champion(training, evaluated);

    // Same inputs, changed relationship: full concept drift, no covariate drift.
    SyntheticTraffic drifted = SyntheticTraffic.day(10, 1_500, 0, 1.0);
    serve(drifted, "2026-03-02T10:40:00Z", model.predictProba(drifted.table()), true, "concept");
    DriftReport report = analyzer.measure(window(null), n -> {});

    assertThat(report.features()).noneMatch(FeatureDrift::drifted);
    assertThat(report.quality().degraded()).isTrue();
    assertThat(report.quality().logLoss() - evaluated).isGreaterThan(0.1);
    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.DRIFT);
    assertThat(report.decision().reasons())
        .singleElement()
        .satisfies(r -> assertThat(r).startsWith("online quality dropped"));

    // The same model on undrifted traffic keeps its evaluated quality: no breach.
    bucket = S3.freshBucket();
    registry = new ModelRegistry(store, bucket, CLOCK, ArtifactCheck.UNCHECKED);
    analyzer = new DriftAnalyzer(store, bucket, registry, CLOCK);
    champion(training, evaluated);
    SyntheticTraffic calm = SyntheticTraffic.day(11, 1_500, 0, 0);
    serve(calm, "2026-03-02T10:40:00Z", model.predictProba(calm.table()), true, "calm");
    DriftReport quiet = analyzer.measure(window(null), n -> {});
    assertThat(quiet.quality().degraded()).isFalse();
    assertThat(quiet.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
  }

  @Test
  void qualityJoinsLabelsToABoundedSampleThatDoesNotDependOnReadingOrder() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    SyntheticTraffic traffic = SyntheticTraffic.day(12, 1_000, 0, 0);
    double[] answers = new double[traffic.rows];
    for (int i = 0; i < answers.length; i++) {
      answers[i] = 0.05 + 0.9 * ((i * 37) % 100) / 100.0;
    }
    serve(traffic, "2026-03-02T10:40:00Z", answers, true, "s");
    DriftAnalyzer sampling = new DriftAnalyzer(store, bucket, registry, CLOCK, 100);

    DriftReport first = sampling.measure(window(null), n -> {});

    assertThat(first.rows()).as("features still see every row").isEqualTo(1_000);
    assertThat(first.quality().labels()).isEqualTo(100);
    // The same rows logged in the opposite order, split over two objects: the same sample.
    String other = S3.freshBucket();
    bucket = other;
    registry = new ModelRegistry(store, bucket, CLOCK, ArtifactCheck.UNCHECKED);
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    List<Integer> reversed = new ArrayList<>();
    for (int i = traffic.rows - 1; i >= 0; i--) {
      reversed.add(i);
    }
    serveRows(traffic, answers, reversed.subList(0, 500), "late");
    serveRows(traffic, answers, reversed.subList(500, 1_000), "early");
    DriftReport second =
        new DriftAnalyzer(store, bucket, registry, CLOCK, 100).measure(window(null), n -> {});

    assertThat(second.quality()).isEqualTo(first.quality());
    // And unsampled, all 1,000 labels count.
    assertThat(analyzerFor(bucket).measure(window(null), n -> {}).quality().labels())
        .isEqualTo(1_000);
  }

  private DriftAnalyzer analyzerFor(String bucket) {
    return new DriftAnalyzer(
        store, bucket, new ModelRegistry(store, bucket, CLOCK, ArtifactCheck.UNCHECKED), CLOCK);
  }

  /** Logs rows {@code which} of {@code traffic} (ids "s-<row>") with labels, as one object. */
  private void serveRows(
      SyntheticTraffic traffic, double[] answers, List<Integer> which, String segment) {
    List<String> predictions = new ArrayList<>();
    List<String> feedback = new ArrayList<>();
    for (int i : which) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("time", "2026-03-02T10:40:00Z");
      line.put("requestId", "s-" + i);
      line.put("row", 0);
      line.put("version", 1);
      line.put("features", traffic.features(i));
      line.put("probability", answers[i]);
      predictions.add(line(line));
      feedback.add(
          line(
              Map.of(
                  "time",
                  "2026-03-02T10:40:00Z",
                  "requestId",
                  "s-" + i,
                  "label",
                  traffic.labels[i])));
    }
    put("predictions", segment, predictions);
    put("feedback", segment, feedback);
  }

  @Test
  void onlyTheWindowsServedRowsCountAndBrokenLinesAreSkipped() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    SyntheticTraffic traffic = SyntheticTraffic.day(5, 600, 0, 0);
    serve(traffic, "2026-03-02T10:59:59Z", 0.2, false, "in");
    // Before and at the end of the window (exclusive), a failed request, garbage: none counts.
    serve(SyntheticTraffic.day(6, 300, 1.0, 0), "2026-03-02T09:59:59Z", 0.2, false, "before");
    serve(SyntheticTraffic.day(7, 300, 1.0, 0), TO, 0.2, false, "after");
    put(
        "predictions",
        "junk",
        List.of(
            line(
                Map.of(
                    "time", "2026-03-02T10:30:00Z",
                    "requestId", "e",
                    "version", 1,
                    "error", "boom",
                    "latencyMs", 3.0)),
            "{not json",
            line(Map.of("time", "2026-03-02T10:30:00Z", "requestId", "x", "version", 1))));

    DriftReport report =
        analyzer.measure(
            window(
                new DriftPolicy(
                    null, null, 100, null, null, null, null, null, null, null, null, null, null)),
            n -> {});

    assertThat(report.rows()).isEqualTo(600);
    assertThat(report.skippedLines()).isEqualTo(2);
    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.NO_DRIFT);
  }

  @Test
  void tooFewRowsAndNoChampionAreSaidSo() {
    DriftReport none = analyzer.measure(window(null), n -> {});
    assertThat(none.decision().verdict()).isEqualTo(DriftVerdict.NO_CHAMPION);
    assertThat(none.html()).isNull();
    assertThat(store.list(bucket, "drift/")).isEmpty();

    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    serve(SyntheticTraffic.day(8, 50, 1.0, 0), "2026-03-02T10:30:00Z", 0.2, false, "few");
    DriftReport few = analyzer.measure(window(null), n -> {});
    assertThat(few.decision().verdict()).isEqualTo(DriftVerdict.TOO_FEW_ROWS);
    assertThat(few.decision().reasons()).containsExactly("50 rows served, the policy needs 500");
    assertThat(few.html()).isNotNull();
  }

  @Test
  void anEmptyWindowIsTooFewRowsWithEveryStatisticLeftOut() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    DriftReport report = analyzer.measure(window(null), n -> {});
    assertThat(report.rows()).isZero();
    assertThat(report.decision().verdict()).isEqualTo(DriftVerdict.TOO_FEW_ROWS);
    assertThat(report.features()).allSatisfy(f -> assertThat(f.count()).isZero());
    assertThat(report.features())
        .filteredOn(f -> f.type().equals("NUMERIC"))
        .allSatisfy(f -> assertThat(f.psi()).isNull());
  }

  @Test
  void aMalformedWindowIsRefusedNamingEveryField() {
    assertThatThrownBy(
            () ->
                analyzer.measure(
                    new DriftWindow(
                        "Credit Default",
                        "yesterday",
                        "2026-03-02T11:00:00Z",
                        new DriftPolicy(
                            "forever", null, null, 2.0e3, 2.0, null, null, null, null, null, null,
                            null, null)),
                    n -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model")
        .hasMessageContaining("from: must be an ISO-8601 instant")
        .hasMessageContaining("policy.interval")
        .hasMessageContaining("policy.psi")
        .hasMessageContaining("policy.pValue");
  }

  @Test
  void gaugesFollowTheLatestReport() {
    champion(SyntheticTraffic.day(1, 8_000, 0, 0));
    serve(SyntheticTraffic.day(3, 1_500, 1.0, 0), "2026-03-02T10:10:00Z", 0.2, false, "g");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DriftGauges gauges = new DriftGauges(meters);

    DriftReport report = analyzer.measure(window(null), n -> {});
    gauges.record(report);

    FeatureDrift utilization =
        report.features().stream().filter(f -> f.feature().equals("utilization")).findFirst().get();
    assertThat(
            meters
                .get("perennial.drift.psi")
                .tags("model", MODEL, "feature", "utilization")
                .gauge()
                .value())
        .isEqualTo(utilization.psi());
    assertThat(meters.get("perennial.drift.breach").tags("model", MODEL).gauge().value())
        .isEqualTo(1.0);
    assertThat(meters.get("perennial.drift.features").tags("model", MODEL).gauge().value())
        .isEqualTo(report.decision().driftedFeatures());
    // One gauge per feature and statistic, never per window.
    gauges.record(report);
    assertThat(meters.find("perennial.drift.psi").gauges()).hasSize(20);
  }

  private static double[] constant(int n, double p) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, p);
    return out;
  }

  private byte[] bytes(ObjectRef ref) {
    return store.read(ref.bucket(), ref.key()).orElseThrow().bytes();
  }

  private String text(ObjectRef ref) {
    return new String(bytes(ref), StandardCharsets.UTF_8);
  }

  private void put(String kind, String segment, List<String> lines) {
    store.put(
        bucket,
        kind + "/" + MODEL + "/dt=2026-03-02/" + segment + ".jsonl.gz",
        gzip(lines),
        "application/gzip");
  }
}
