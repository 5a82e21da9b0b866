package dev.perennial.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.Table;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.Sha256;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingCancelledException;
import dev.perennial.core.training.builtin.GradientBoostingTrainer;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.training.Hyperparameters;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The xgboost trainer on generated credit-default data, beside Smile's gradient boosting. */
class XGBoostTrainerTest {
  static final Trainers TRAINERS =
      Trainers.of(
          List.<Trainer<?>>of(new XGBoostTrainer(), new GradientBoostingTrainer()),
          XGBoostTrainerTest.class.getClassLoader());

  static Table train;
  static Table test;

  @BeforeAll
  static void data() {
    train = CreditRows.day(11, LocalDate.of(2026, 2, 1), 8000);
    test = CreditRows.day(11, LocalDate.of(2026, 2, 2), 4000);
  }

  private static ObjectRef refTo(byte[] bytes) {
    return new ObjectRef("b", "runs/m/r/model.bin", Sha256.hex(bytes), bytes.length);
  }

  private static ModelBundle fit(Hyperparameters h) {
    return TRAINERS.train(train, h, TrainingProgress.NONE);
  }

  private static double auc(ModelBundle bundle) {
    return BinaryMetrics.auc(test.label(), bundle.predictProba(test));
  }

  @Test
  void isFoundOnTheClassPathLikeAPlugIn() {
    assertThat(Trainers.onClassPath().names()).contains("xgboost", "GRADIENT_BOOSTING");
  }

  @Test
  void runsWithoutScalaOnTheClassPath() {
    // The Scala API and compiler are excluded; every test here trains and loads without them.
    assertThatThrownBy(() -> Class.forName("scala.Option"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void scoresAsWellAsSmilesGradientBoostingOnTheSameRows() {
    double xgboost = auc(fit(Hyperparameters.of("xgboost")));
    double smile = auc(fit(Hyperparameters.of("GRADIENT_BOOSTING")));
    System.out.printf("held-out AUC: xgboost %.4f, GRADIENT_BOOSTING %.4f%n", xgboost, smile);
    assertThat(smile).isGreaterThan(0.75);
    assertThat(xgboost).isGreaterThan(smile - 0.01);
  }

  @Test
  void theSameSeedGivesTheSameModel() {
    Hyperparameters h = Hyperparameters.of("xgboost").with("trees", 20).with("seed", 9);
    assertThat(fit(h).predictProba(test)).containsExactly(fit(h).predictProba(test));
  }

  @Test
  void aBundleRoundTripsThroughTheCodecWithOnlyTheWrapperAdmitted() {
    assertThat(TRAINERS.modelClasses()).containsExactly(XGBoostModel.class.getName());
    ModelBundle bundle = fit(Hyperparameters.of("xgboost").with("trees", 30));
    byte[] bytes = ModelCodec.serialize(bundle);
    // The booster travels as XGBoost's own bytes: no class of XGBoost4J is in the stream.
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("ml.dmlc");

    ModelBundle loaded = TRAINERS.codec().deserialize(bytes, refTo(bytes));
    assertThat(loaded.trainer()).isEqualTo("xgboost");
    assertThat(loaded.model()).isInstanceOf(XGBoostModel.class);
    assertThat(loaded.predictProba(test)).containsExactly(bundle.predictProba(test));

    Trainers smileOnly =
        Trainers.of(List.of(new GradientBoostingTrainer()), getClass().getClassLoader());
    assertThatThrownBy(() -> smileOnly.codec().deserialize(bytes, refTo(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("class " + XGBoostModel.class.getName());
  }

  @Test
  void theStoredOptionsTrainTheSameModelAgain() {
    var prepared =
        TRAINERS.prepare(
            Hyperparameters.of("xgboost").with("trees", 15).with("colsampleByTree", 0.8));
    var again = TRAINERS.prepare(prepared.properties());
    assertThat(again.options()).isEqualTo(prepared.options());
    assertThat(prepared.properties())
        .containsEntry("options.trees", "15")
        .containsEntry("options.colsampleByTree", "0.8")
        .containsEntry("options.threads", "0");
    assertThat(again.fit(train, TrainingProgress.NONE).predictProba(test))
        .containsExactly(prepared.fit(train, TrainingProgress.NONE).predictProba(test));
  }

  @Test
  void stopsEarlyWhenTheHeldOutLossStopsImproving() {
    // A learning rate of 1 on deep trees overfits within a few dozen rounds.
    var h =
        Hyperparameters.of("xgboost")
            .with("trees", 2000)
            .with("shrinkage", 1.0)
            .with("maxDepth", 10)
            .with("earlyStoppingRounds", 5);
    AtomicInteger rounds = new AtomicInteger();
    ModelBundle bundle = TRAINERS.train(train, h, progress(rounds, Integer.MAX_VALUE));
    XGBoostModel model = (XGBoostModel) bundle.model();
    assertThat(rounds.get()).isLessThan(200);
    assertThat(model.rounds()).isEqualTo(rounds.get() - 5);

    // Without early stopping every round is boosted and kept.
    var all = Hyperparameters.of("xgboost").with("trees", 25).with("earlyStoppingRounds", 0);
    assertThat(((XGBoostModel) fit(all).model()).rounds()).isEqualTo(25);
  }

  @Test
  void aCancelledFitStopsAtTheNextRound() {
    var h = Hyperparameters.of("xgboost").with("trees", 5000).with("earlyStoppingRounds", 0);
    AtomicInteger rounds = new AtomicInteger();
    assertThatThrownBy(() -> TRAINERS.train(train, h, progress(rounds, 3)))
        .isInstanceOf(TrainingCancelledException.class);
    assertThat(rounds.get()).isEqualTo(3);
  }

  @Test
  void optionsOutOfRangeAreRefusedNamingEach() {
    var h =
        Hyperparameters.of("xgboost")
            .with("maxDepth", 40)
            .with("colsampleByTree", 0)
            .with("maxBin", 1)
            .with("earlyStoppingFraction", 0.9)
            .with("threads", -1);
    assertThatThrownBy(() -> TRAINERS.prepare(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid options for trainer xgboost")
        .hasMessageContaining("maxDepth: must be between 1 and 32 (got 40)")
        .hasMessageContaining("colsampleByTree: must be between 0.01 and 1 (got 0.0)")
        .hasMessageContaining("maxBin: must be between 2 and 65536 (got 1)")
        .hasMessageContaining("earlyStoppingFraction: must be between 0.01 and 0.5 (got 0.9)")
        .hasMessageContaining("threads: must be between 0 and 1024 (got -1)");
    assertThatThrownBy(() -> TRAINERS.prepare(Hyperparameters.of("xgboost").with("eta", 0.3)))
        .hasMessageContaining("hyperparameters.params.eta: not an option of xgboost");
  }

  @Test
  void tooFewRowsToHoldOutAreRefusedSayingWhatToChange() {
    Table three = CreditRows.day(3, LocalDate.of(2026, 2, 3), 3);
    assertThatThrownBy(
            () -> TRAINERS.train(three, Hyperparameters.of("xgboost"), TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("earlyStoppingFraction")
        .hasMessageContaining("set earlyStoppingRounds to 0");
  }

  @Test
  void withoutTheNativeLibraryARunIsRefusedNamingThePlatformAndTheWayOut() {
    XGBoostTrainer stranded =
        new XGBoostTrainer(() -> Optional.of("UnsatisfiedLinkError: no libxgboost4j"));
    // Found and listed as ever: a worker with it still starts.
    Trainers trainers = Trainers.of(List.of(stranded), getClass().getClassLoader());
    assertThat(trainers.names()).containsExactly("xgboost");
    assertThatThrownBy(() -> trainers.prepare(Hyperparameters.of("xgboost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot load on " + System.getProperty("os.name"))
        .hasMessageContaining("UnsatisfiedLinkError: no libxgboost4j")
        .hasMessageContaining("such as GRADIENT_BOOSTING");
  }

  @Test
  void oneLoadedModelScoresTheSameFromManyThreads() throws Exception {
    ModelBundle trained = fit(Hyperparameters.of("xgboost").with("trees", 40));
    double[] expected = trained.predictProba(test);
    byte[] bytes = ModelCodec.serialize(trained);
    ModelBundle loaded = TRAINERS.codec().deserialize(bytes, refTo(bytes));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<double[]>> calls = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        calls.add(() -> loaded.predictProba(test));
      }
      for (Future<double[]> f : pool.invokeAll(calls)) {
        assertThat(f.get()).containsExactly(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Counts boosting rounds (fit updates above 0), cancelling once {@code cancelAfter} are done. */
  private static TrainingProgress progress(AtomicInteger rounds, int cancelAfter) {
    return new TrainingProgress() {
      @Override
      public void update(String stage, double fraction) {
        if (stage.equals("fit") && fraction > 0 && fraction < 1) {
          rounds.incrementAndGet();
        }
      }

      @Override
      public boolean cancelled() {
        return rounds.get() >= cancelAfter;
      }
    };
  }
}
