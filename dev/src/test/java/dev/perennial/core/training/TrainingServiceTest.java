package dev.perennial.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.Json;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Training and evaluation end to end on generated data in an embedded S3. */
class TrainingServiceTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final String MODEL = "credit-default";
  static String artifacts;
  static DatasetSnapshot snapshot;
  static TrainingService service;

  @BeforeAll
  static void data() {
    String data = S3.freshBucket();
    artifacts = S3.freshBucket();
    new CreditDefaultGenerator()
        .generate(
            S3.store(), data, MODEL, GeneratorSpec.clean(21, LocalDate.of(2026, 1, 1), 6, 2500));
    snapshot =
        new DatasetSnapshots(S3.store(), artifacts)
            .snapshot(
                new DatasetSpec(data, null, null, null, null, null).withDefaults(MODEL),
                (d, t) -> {});
    service = new TrainingService(S3.store(), artifacts, new SnapshotReader(S3.store()));
  }

  private static Hyperparameters small(String algorithm) {
    return new Hyperparameters(algorithm, 40, null, null, 5, 0.1, null, 0.1, 300, 0.2, 5L)
        .withDefaults();
  }

  private static TrainedModel train(String algorithm, String runId) {
    return service.train(
        new TrainingJob(MODEL, snapshot, 2, small(algorithm), runId), TrainingProgress.NONE);
  }

  private static ModelBundle load(TrainedModel trained) {
    return Trainers.onClassPath()
        .codec()
        .deserialize(
            S3.store().read(trained.model().bucket(), trained.model().key()).orElseThrow().bytes(),
            trained.model());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GRADIENT_BOOSTING", "RANDOM_FOREST", "LOGISTIC_REGRESSION"})
  void everyAlgorithmLearnsTheSignalAndStoresItsArtifacts(String algorithm) throws Exception {
    TrainedModel trained = train(algorithm, "run-" + algorithm);

    // 4 training days x 2500 rows, 20 % held back for validation.
    assertThat(trained.trainingRows()).isEqualTo(8000);
    assertThat(trained.validationMetrics().rows()).isEqualTo(2000);
    System.out.printf("%s validation %s%n", algorithm, trained.validationMetrics());
    assertThat(trained.validationMetrics().auc()).isGreaterThan(0.72);
    assertThat(trained.model().key())
        .isEqualTo("runs/" + MODEL + "/run-" + algorithm + "/model.bin");
    Properties p = new Properties();
    p.load(
        new java.io.ByteArrayInputStream(
            S3.store().read(artifacts, trained.hyperparameters().key()).orElseThrow().bytes()));
    assertThat(Hyperparameters.fromProperties(p)).isEqualTo(small(algorithm));
    ReferenceProfile profile =
        Json.read(
            S3.store().read(artifacts, trained.referenceProfile().key()).orElseThrow().bytes(),
            ReferenceProfile.class);
    assertThat(profile.rows()).isEqualTo(8000);
    assertThat(profile.numeric()).containsKey("income");
    assertThat(profile.numeric().get("income").missingRate()).isBetween(0.01, 0.06);
    assertThat(profile.categorical().get("region").frequencies()).containsKey("south");

    Evaluation evaluation =
        service.evaluate(
            new EvaluationJob(MODEL, snapshot, 2, trained.model(), null, "run-" + algorithm),
            TrainingProgress.NONE);
    assertThat(evaluation.candidate().rows()).isEqualTo(5000);
    assertThat(evaluation.candidate().auc()).isGreaterThan(0.72);
    assertThat(evaluation.champion()).isNull();
  }

  @Test
  void aSampledTrainingRecordsWhatItSawAndKept() throws Exception {
    Hyperparameters h =
        small(Hyperparameters.GRADIENT_BOOSTING)
            .with("maxTrainingRows", 3000)
            .with("sampling", Hyperparameters.STRATIFIED)
            .withDefaults();
    TrainedModel trained =
        service.train(new TrainingJob(MODEL, snapshot, 2, h, "sampled"), TrainingProgress.NONE);

    // 3000 of the 4 x 2500 training-day rows, 20 % of them held back for validation.
    assertThat(trained.trainingRows()).isEqualTo(2400);
    assertThat(trained.validationMetrics().rows()).isEqualTo(600);
    Map<?, ?> report =
        Json.read(
            S3.store()
                .read(artifacts, "runs/" + MODEL + "/sampled/training-report.json")
                .orElseThrow()
                .bytes(),
            Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> sampling = (Map<String, Object>) report.get("sampling");
    assertThat(sampling)
        .containsEntry("method", "stratified")
        .containsEntry("requestedRows", 3000)
        .containsEntry("rowsSeen", 10_000)
        .containsEntry("rowsKept", 3000)
        .containsEntry("seed", 5);
    assertThat(((Map<?, ?>) report.get("hyperparameters")).get("maxTrainingRows")).isEqualTo(3000);
    Properties p = new Properties();
    p.load(
        new java.io.ByteArrayInputStream(
            S3.store().read(artifacts, trained.hyperparameters().key()).orElseThrow().bytes()));
    assertThat(p)
        .containsEntry("maxTrainingRows", "3000")
        .containsEntry("sampling", "stratified")
        .containsEntry("sample.rowsSeen", "10000")
        .containsEntry("sample.rowsKept", "3000");
    assertThat(Hyperparameters.fromProperties(p)).isEqualTo(h);
  }

  @Test
  void sameSeedSameDataSameModel() {
    TrainedModel a = train(Hyperparameters.GRADIENT_BOOSTING, "det-a");
    TrainedModel b = train(Hyperparameters.GRADIENT_BOOSTING, "det-b");
    // The models themselves, not a summary of them: every row of every day scored the same.
    SnapshotReader reader = new SnapshotReader(S3.store());
    Table rows = reader.read(snapshot, reader.schema(snapshot), day -> true);
    double[] byA = load(a).predictProba(rows);
    double[] byB = load(b).predictProba(rows);
    assertThat(byA).hasSize(rows.rows()).containsExactly(byB);
    assertThat(Arrays.stream(byA).distinct().count())
        .as("a model, not a constant")
        .isGreaterThan(100);
  }

  @Test
  void championAndCandidateAreScoredOnTheSameRows() {
    TrainedModel weak =
        service.train(
            new TrainingJob(
                MODEL,
                snapshot,
                2,
                new Hyperparameters(
                    Hyperparameters.GRADIENT_BOOSTING, 2, 2, 2, 5, 0.05, 0.7, null, null, 0.2, 1L),
                "weak"),
            TrainingProgress.NONE);
    TrainedModel strong = train(Hyperparameters.GRADIENT_BOOSTING, "strong");
    Evaluation e =
        service.evaluate(
            new EvaluationJob(MODEL, snapshot, 2, weak.model(), strong.model(), "cmp"),
            TrainingProgress.NONE);
    assertThat(e.candidate().rows()).isEqualTo(e.champion().rows());
    assertThat(e.champion().auc()).isGreaterThan(e.candidate().auc());
    Map<String, Object> report =
        Json.MAPPER.convertValue(
            Json.read(
                S3.store().read(artifacts, e.report().key()).orElseThrow().bytes(), Map.class),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertThat(report.keySet()).contains("candidate", "champion", "heldOutDays");

    // The page for people sits beside the JSON, with both curves and the same confusion counts.
    assertThat(e.html().key()).isEqualTo("runs/" + MODEL + "/cmp/evaluation-report.html");
    String html =
        new String(
            S3.store().read(artifacts, e.html().key()).orElseThrow().bytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("aria-label=\"ROC curves\"");
    assertThat(html.split("<polyline", -1)).hasSize(3);
    for (String model : List.of("candidate", "champion")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> scored = (Map<String, Object>) report.get(model);
      @SuppressWarnings("unchecked")
      List<List<Number>> counts =
          (List<List<Number>>) ((Map<String, Object>) scored.get("confusionMatrix")).get("counts");
      String matrix = html.substring(html.indexOf("<div class=\"name\">" + model + "</div>"));
      String[][] cells = {
        {"true negatives", "false positives"}, {"false negatives", "true positives"}
      };
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) {
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile(">" + cells[r][c] + "</text><text[^>]*>([0-9,]+)<")
                  .matcher(matrix);
          assertThat(m.find()).isTrue();
          assertThat(m.group(1))
              .as(model + " " + cells[r][c])
              .isEqualTo(grouped(counts.get(r).get(c)));
        }
      }
    }
  }

  @Test
  void slicesAreScoredOnTheHeldOutRowsAndAMisnamedFeatureIsRefusedFirst() {
    TrainedModel weak = train(Hyperparameters.LOGISTIC_REGRESSION, "slice-weak");
    TrainedModel strong = train(Hyperparameters.GRADIENT_BOOSTING, "slice-strong");
    List<Slicing> slices = List.of(Slicing.byValue("region"), Slicing.byBuckets("age", 30, 50));
    Evaluation e =
        service.evaluate(
            new EvaluationJob(MODEL, snapshot, 2, weak.model(), strong.model(), "slices", slices),
            TrainingProgress.NONE);

    SliceResults region = e.slices(Slicing.byValue("region"));
    assertThat(region.slices()).extracting(SliceMetrics::value).isSorted().isNotEmpty();
    // The slices partition the held-out rows: their rows and positives add up to the whole.
    for (SliceResults sliced : e.slices()) {
      assertThat(sliced.slices().stream().mapToLong(SliceMetrics::rows).sum())
          .isEqualTo(e.candidate().rows());
      assertThat(sliced.slices()).allSatisfy(s -> assertThat(s.champion()).isNotNull());
    }
    assertThat(e.slices(Slicing.byBuckets("age", 30, 50)).slices())
        .extracting(SliceMetrics::value)
        .containsExactly("<30", "[30, 50)", ">=50");
    String html =
        new String(
            S3.store().read(artifacts, e.html().key()).orElseThrow().bytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(html).contains("Slices by region").contains("Slices by age by [30, 50]");
    assertThat(new String(S3.store().read(artifacts, e.report().key()).orElseThrow().bytes()))
        .contains("\"slices\"");

    assertThatThrownBy(
            () ->
                service.evaluate(
                    new EvaluationJob(
                        MODEL,
                        snapshot,
                        2,
                        weak.model(),
                        null,
                        "slices-bad",
                        List.of(Slicing.byValue("regoin"))),
                    TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'regoin' is not a feature of");
  }

  private static String grouped(Number count) {
    return String.format(java.util.Locale.ROOT, "%,d", count.longValue());
  }

  @Test
  void evaluationPagesAreStoredAsHtml() {
    Map<String, String> contentTypes = new java.util.concurrent.ConcurrentHashMap<>();
    ObjectStore recording =
        (ObjectStore)
            Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(),
                new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("put")) {
                    contentTypes.put((String) args[1], (String) args[3]);
                  }
                  try {
                    return method.invoke(S3.store(), args);
                  } catch (InvocationTargetException ex) {
                    throw ex.getCause();
                  }
                });
    TrainedModel trained = train(Hyperparameters.LOGISTIC_REGRESSION, "html");
    Evaluation e =
        new TrainingService(recording, artifacts, new SnapshotReader(S3.store()))
            .evaluate(
                new EvaluationJob(MODEL, snapshot, 2, trained.model(), null, "html"),
                TrainingProgress.NONE);

    assertThat(contentTypes)
        .containsEntry(e.report().key(), "application/json")
        .containsEntry(e.html().key(), "text/html; charset=utf-8");
    assertThat(e.html().size())
        .isEqualTo(S3.store().read(artifacts, e.html().key()).orElseThrow().bytes().length);
  }

  @Test
  void aModelWhoseBytesChangedIsNotLoaded() {
    TrainedModel trained = train(Hyperparameters.LOGISTIC_REGRESSION, "tamper");
    ObjectRef ref = trained.model();
    byte[] bytes = S3.store().read(artifacts, ref.key()).orElseThrow().bytes();
    bytes[bytes.length - 1] ^= 1;
    S3.store().put(artifacts, ref.key(), bytes, "application/octet-stream");
    assertThatThrownBy(
            () ->
                service.evaluate(
                    new EvaluationJob(MODEL, snapshot, 2, ref, null, "tamper"),
                    TrainingProgress.NONE))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not match its recorded SHA-256");
  }

  @Test
  void invalidHyperparametersNameTheField() {
    var bad =
        new Hyperparameters(
            Hyperparameters.RANDOM_FOREST, 0, null, null, null, null, 1.5, null, null, null, null);
    assertThatThrownBy(
            () ->
                service.train(
                    new TrainingJob(MODEL, snapshot, 2, bad, "bad"), TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hyperparameters.trees")
        .hasMessageContaining("hyperparameters.subsample");
  }
}
