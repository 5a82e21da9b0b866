package dev.perennial.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.Table;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.builtin.GradientBoostingTrainer;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrainersTest {
  private static final Trainers TRAINERS = Trainers.onClassPath();

  private static final FeatureSchema SCHEMA =
      new FeatureSchema(
          "toy",
          "y",
          List.of(
              FeatureSpec.numeric("x1", -10, 10, null),
              FeatureSpec.numeric("x2", -10, 10, null),
              FeatureSpec.categorical("c", List.of("a", "b", "c"), null)));

  /** Rows and the true P(y = 1) that drew each label. */
  record Toy(Table table, double[] truth) {}

  /** y depends on x1 linearly, on x2 through a step, and on the category. */
  static Toy toy(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    String[] c = new String[n];
    int[] y = new int[n];
    double[] truth = new double[n];
    String[] day = new String[n];
    for (int i = 0; i < n; i++) {
      x1[i] = r.nextDouble() * 4 - 2;
      x2[i] = r.nextDouble() * 4 - 2;
      c[i] = List.of("a", "b", "c").get(r.nextInt(3));
      double z = 1.5 * x1[i] + (x2[i] > 0.5 ? 1.5 : -0.5) + ("b".equals(c[i]) ? 1.0 : -0.3);
      truth[i] = 1 / (1 + Math.exp(-z));
      y[i] = r.nextDouble() < truth[i] ? 1 : 0;
      day[i] = "2026-01-01";
    }
    return new Toy(
        new Table(SCHEMA, new double[][] {x1, x2, null}, new String[][] {null, null, c}, y, day),
        truth);
  }

  @Test
  void theBuiltInsAreFoundOnTheClassPath() {
    assertThat(TRAINERS.names())
        .contains(
            "GRADIENT_BOOSTING",
            "RANDOM_FOREST",
            "LOGISTIC_REGRESSION",
            "ADABOOST",
            "DECISION_TREE");
    assertThat(TRAINERS.modelClasses()).isEmpty();
  }

  /** A single tree scores in steps, so it gets further from the truth than the ensemble. */
  @ParameterizedTest
  @CsvSource({"ADABOOST, 0.03", "DECISION_TREE, 0.06"})
  void theNewSmileLearnersScoreHeldOutRowsNearTheTruth(String trainer, double tolerance) {
    Toy train = toy(3000, 1);
    Toy test = toy(3000, 2);
    ModelBundle model =
        TRAINERS.train(train.table(), Hyperparameters.of(trainer), TrainingProgress.NONE);
    double auc = BinaryMetrics.of(test.table().label(), model.predictProba(test.table())).auc();
    double best = BinaryMetrics.of(test.table().label(), test.truth()).auc();
    System.out.printf("%s AUC %.4f (true probabilities %.4f)%n", trainer, auc, best);
    assertThat(auc).isCloseTo(best, within(tolerance)).isGreaterThan(0.8);
    // The same seed gives the same model.
    ModelBundle again =
        TRAINERS.train(train.table(), Hyperparameters.of(trainer), TrainingProgress.NONE);
    assertThat(again.predictProba(test.table())).containsExactly(model.predictProba(test.table()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GRADIENT_BOOSTING",
        "RANDOM_FOREST",
        "LOGISTIC_REGRESSION",
        "ADABOOST",
        "DECISION_TREE"
      })
  void optionsRoundTripThroughProperties(String name) {
    Trainers.Prepared<?> prepared = TRAINERS.prepare(Hyperparameters.of(name).with("seed", 9));
    Properties stored = prepared.properties();
    assertThat(stored.getProperty("algorithm")).isEqualTo(name);
    assertThat(stored.stringPropertyNames()).anyMatch(k -> k.startsWith("options."));
    Trainers.Prepared<?> again = TRAINERS.prepare(stored);
    assertThat(again.options()).isEqualTo(prepared.options());
    assertThat(again.hyperparameters()).isEqualTo(prepared.hyperparameters());
    assertThat(again.trainer().options(TrainerSettings.of(prepared.options().toProperties())))
        .isEqualTo(prepared.options());
  }

  @Test
  void theStoredOptionsTrainTheSameModelAgain() {
    Toy t = toy(800, 3);
    Trainers.Prepared<?> first =
        TRAINERS.prepare(Hyperparameters.of("RANDOM_FOREST").with("trees", 20).with("mtry", 2));
    ModelBundle a = first.fit(t.table(), TrainingProgress.NONE);
    ModelBundle b = TRAINERS.prepare(first.properties()).fit(t.table(), TrainingProgress.NONE);
    assertThat(b.predictProba(t.table())).containsExactly(a.predictProba(t.table()));
  }

  @Test
  void badOptionsAreRefusedNamingEachKey() {
    Hyperparameters h =
        Hyperparameters.of("RANDOM_FOREST")
            .with("mtry", -1)
            .with("splitRule", "WOBBLY")
            .with("depht", 3);
    assertThatThrownBy(() -> TRAINERS.prepare(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid options for trainer RANDOM_FOREST")
        .hasMessageContaining("hyperparameters.params.splitRule: must be one of GINI")
        .hasMessageContaining("hyperparameters.params.depht: not an option of RANDOM_FOREST")
        .hasMessageContaining("mtry: must be between 0 and 100000 (got -1)");
    // Typed fields a trainer does not use are ignored, as always.
    assertThat(TRAINERS.prepare(Hyperparameters.of("DECISION_TREE").with("lambda", 3)).options())
        .isNotNull();
  }

  @Test
  void anUnknownTrainerIsRefusedNamingTheOnesThereAre() {
    assertThatThrownBy(() -> TRAINERS.prepare(Hyperparameters.of("acme-stumps")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no trainer named 'acme-stumps'")
        .hasMessageContaining("ADABOOST, DECISION_TREE, GRADIENT_BOOSTING");
  }

  @Test
  void aCancelledFitEndsInCancellation() {
    TrainingProgress cancelled =
        new TrainingProgress() {
          @Override
          public void update(String stage, double fraction) {}

          @Override
          public boolean cancelled() {
            return true;
          }
        };
    assertThatThrownBy(
            () -> TRAINERS.train(toy(300, 4).table(), Hyperparameters.defaults(), cancelled))
        .isInstanceOf(TrainingCancelledException.class);
  }

  /**
   * Every Smile learner with a progress controller, ten times in one JVM: no thread is left behind.
   * A thread the trainings started may still be on its way out when fit returns, so each is joined
   * (bounded); one that outlives the join is a leak. The common pool's workers belong to the JVM.
   */
  @ParameterizedTest
  @ValueSource(strings = {"GRADIENT_BOOSTING", "RANDOM_FOREST", "ADABOOST"})
  void tenTrainingsLeaveNoThreadBehind(String trainer) throws InterruptedException {
    Table table = toy(300, 5).table();
    Hyperparameters h = Hyperparameters.of(trainer).with("trees", 5);
    TRAINERS.train(table, h, TrainingProgress.NONE); // class loading, lazy JVM threads
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    for (int i = 0; i < 10; i++) {
      TRAINERS.train(table, h, TrainingProgress.NONE);
    }
    List<Thread> started =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t))
            .filter(
                t ->
                    !(t instanceof ForkJoinWorkerThread w
                        && w.getPool() == ForkJoinPool.commonPool()))
            .toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread t : started) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    assertThat(started.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty();
  }

  /** A trainer that is only a name and what it asks the allowlist for. */
  record Named(String name, List<String> modelClasses) implements Trainer<Named.None> {
    record None() implements TrainerOptions {}

    @Override
    public None options(TrainerSettings settings) {
      return new None();
    }

    @Override
    public Encoding encoding() {
      return Encoding.ORDINAL;
    }

    @Override
    public ScoringModel fit(TrainingData data, None options, TrainingProgress progress) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void twoTrainersWithOneNameAreAnErrorNamingBoth() {
    var loader = getClass().getClassLoader();
    assertThatThrownBy(
            () ->
                Trainers.of(
                    List.of(
                        new GradientBoostingTrainer(), new Named("GRADIENT_BOOSTING", List.of())),
                    loader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two trainers are named GRADIENT_BOOSTING")
        .hasMessageContaining(GradientBoostingTrainer.class.getName())
        .hasMessageContaining(Named.class.getName());
    assertThatThrownBy(() -> Trainers.of(List.of(new Named("has space", List.of())), loader))
        .hasMessageContaining("'has space'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "**",
        "com.*",
        "com.**",
        "java.io.File",
        "java.util.*",
        "javax.**",
        "com.acme.X;java.io.*",
        "!com.acme.X",
        "com.acme/X",
        "maxdepth=1000",
        "com.acme.Stump*",
        " "
      })
  void aTrainerAskingTheAllowlistForTooMuchIsRefused(String pattern) {
    assertThatThrownBy(
            () ->
                Trainers.of(
                    List.of(new Named("acme-greedy", List.of(pattern))),
                    getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainer acme-greedy")
        .hasMessageContaining("refusing the trainer");
  }

  @Test
  void aTrainersOwnClassesWidenTheAllowlist() {
    Trainers t =
        Trainers.of(
            List.of(
                new Named(
                    "acme-stumps",
                    List.of("com.acme.trainers.StumpModel", "com.acme.trainers.*", "com.acme.**"))),
            getClass().getClassLoader());
    assertThat(t.codec().allowlist())
        .endsWith(";com.acme.trainers.StumpModel;com.acme.trainers.*;com.acme.**;!*");
  }
}
