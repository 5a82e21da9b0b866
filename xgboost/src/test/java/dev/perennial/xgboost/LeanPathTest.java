package dev.perennial.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.Json;
import dev.perennial.core.data.Table;
import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.training.Hyperparameters;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smile.math.MathEx;

/**
 * The training path without copies (the split as indices, encoding straight into columns, Smile's
 * frame and XGBoost's matrix built from those columns) against the path it replaced (the split
 * copied out with {@link Table#select}, encoded row by row, handed over as rows): the same model,
 * to the last bit of every prediction, for every built-in trainer.
 */
class LeanPathTest {
  static Table all;
  static Table heldOut;
  static int[][] split;
  static Trainers trainers;

  @BeforeAll
  static void rows() {
    all = CreditRows.days(3, LocalDate.of(2026, 1, 1), 3, 1000);
    heldOut = CreditRows.day(3, LocalDate.of(2026, 1, 4), 1500);
    split = TrainingService.split(all.rows(), 0.2, 11);
    List<Trainer<?>> found = new ArrayList<>();
    ServiceLoader.load(Trainer.class).forEach(t -> found.add((Trainer<?>) t));
    trainers = Trainers.of(found, LeanPathTest.class.getClassLoader());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xgboost",
        "GRADIENT_BOOSTING",
        "RANDOM_FOREST",
        "LOGISTIC_REGRESSION",
        "DECISION_TREE",
        "ADABOOST"
      })
  void indicesAndColumnsGiveTheModelTheCopiesGave(String name) {
    Hyperparameters h = Hyperparameters.of(name).with("seed", 11);
    if (!name.equals("LOGISTIC_REGRESSION")) {
      h = h.with("trees", 12);
    }
    Trainers.Prepared<?> prepared = trainers.prepare(h);

    ModelBundle lean = prepared.fit(all, split[0], TrainingProgress.NONE);
    ModelBundle copied = copiedPath(prepared, all.select(split[0]));

    assertThat(lean.encoder().names()).containsExactly(copied.encoder().names());
    double[] p = lean.predictProba(heldOut);
    assertThat(p).containsExactly(copied.predictProba(heldOut));
    // Scoring a subset by index (as the validation rows are) gives the rows' own scores.
    double[] byIndex = lean.predictProba(all, split[1]);
    assertThat(byIndex).containsExactly(lean.predictProba(all.select(split[1])));
    assertThat(p).doesNotContain(Double.NaN);
  }

  /**
   * Against the models the former path trained: {@code lean-path/predictions-before.txt} holds, per
   * trainer, the first 200 held-out probabilities (raw bits in hex) of the bundle that {@code
   * Prepared.fit(all.select(split[0]))} gave before the change, with the trainers' former data
   * handling (Smile's frame from {@code DataFrame.of(rows)}, XGBoost's matrix from the rows; one
   * XGBoost thread, so its sums do not depend on the machine's cores).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "xgboost",
        "GRADIENT_BOOSTING",
        "RANDOM_FOREST",
        "LOGISTIC_REGRESSION",
        "DECISION_TREE",
        "ADABOOST"
      })
  void theModelIsTheOneTheFormerPathTrained(String name) throws java.io.IOException {
    Hyperparameters h = Hyperparameters.of(name).with("seed", 11);
    if (!name.equals("LOGISTIC_REGRESSION")) {
      h = h.with("trees", 12);
    }
    if (name.equals("xgboost")) {
      h = h.with("threads", 1);
    }
    double[] p =
        trainers.prepare(h).fit(all, split[0], TrainingProgress.NONE).predictProba(heldOut);

    double[] before = before(name);
    assertThat(before).hasSize(200);
    assertThat(java.util.Arrays.copyOf(p, 200)).containsExactly(before);
  }

  private static double[] before(String name) throws java.io.IOException {
    try (var in = LeanPathTest.class.getResourceAsStream("/lean-path/predictions-before.txt")) {
      String line =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
              .lines()
              .filter(l -> l.startsWith(name + " "))
              .findFirst()
              .orElseThrow();
      return java.util.Arrays.stream(line.split(" "))
          .skip(1)
          .mapToDouble(hex -> Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16)))
          .toArray();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void columnsAreTheRowsEncodingTransposed(boolean linear) {
    Table training = all.select(split[0]);
    FeatureEncoder byIndex = FeatureEncoder.fit(all, split[0], linear);
    FeatureEncoder copied = FeatureEncoder.fit(training, linear);
    double[][] rows = copied.encode(training);
    double[][] columns = byIndex.encodeColumns(all, split[0]);

    assertThat(columns.length).isEqualTo(copied.names().length);
    for (int k = 0; k < columns.length; k++) {
      for (int i = 0; i < rows.length; i++) {
        assertThat(columns[k][i]).isEqualTo(rows[i][k]);
      }
    }
    assertThat(byIndex.encode(all, split[0])).isDeepEqualTo(rows);
  }

  @org.junit.jupiter.api.Test
  void theReferenceProfileOfIndexedRowsIsThatOfTheirCopy() {
    assertThat(Json.write(ReferenceProfile.of(all, split[0])))
        .isEqualTo(Json.write(ReferenceProfile.of(all.select(split[0]))));
  }

  @org.junit.jupiter.api.Test
  void rowsGivenAsRowsReadAsColumnsAndBack() {
    double[][] x = {{1, 2, 3}, {4, 5, 6}};
    TrainingData data = new TrainingData(x, new int[] {0, 1}, new String[] {"a", "b", "c"}, 1);
    assertThat(data.column(1)).containsExactly(2, 5);
    assertThat(data.x()).isSameAs(x);
    TrainingData byColumn =
        TrainingData.ofColumns(
            new double[][] {{1, 4}, {2, 5}, {3, 6}}, new int[] {0, 1}, data.names(), 1);
    assertThat(byColumn.x()).isDeepEqualTo(x);
    assertThat(byColumn.x()).isSameAs(byColumn.x());
    assertThat(byColumn.rows()).isEqualTo(2);
  }

  /** Fits as training did before: a copy of the training rows, encoded one array per row. */
  private static <O extends TrainerOptions> ModelBundle copiedPath(
      Trainers.Prepared<O> prepared, Table training) {
    FeatureEncoder encoder =
        FeatureEncoder.fit(training, prepared.trainer().encoding() == Encoding.ONE_HOT);
    long seed = prepared.hyperparameters().seed();
    MathEx.setSeed(seed);
    ScoringModel model =
        prepared
            .trainer()
            .fit(
                new TrainingData(encoder.encode(training), training.label(), encoder.names(), seed),
                prepared.options(),
                TrainingProgress.NONE);
    return new ModelBundle(prepared.trainer().name(), encoder, model);
  }
}
