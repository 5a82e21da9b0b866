package dev.perennial.xgboost.bench;

import dev.perennial.core.data.Table;
import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.core.training.builtin.GradientBoostingTrainer;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.xgboost.CreditRows;
import dev.perennial.xgboost.XGBoostTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import smile.math.MathEx;

/**
 * A bare fit of the xgboost trainer against one of Smile's gradient boosting ({@code
 * GRADIENT_BOOSTING}) on the same encoded rows in memory, each with its defaults (100 trees, depth
 * 6, learning rate 0.1, row subsample 0.7): fit seconds, their ratio, and the AUC of each on two
 * held-out days. Not a test: run through the {@code bench} profile (see docs/benchmarks.md).
 *
 * <p>ROWS training rows over 10 generated days, then 2 held-out days of 25,000 rows. ROUNDS rounds
 * alternate which side fits first (A B, B A, ...); medians. The load average is printed before and
 * after, as other work on the machine moves the figures.
 *
 * <p>Arguments: {@code ROWS ROUNDS [THREADS]} (defaults 250000 2, and xgboost's default of every
 * core).
 */
public final class FitBenchmark {
  private FitBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 250_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String threads = args.length > 2 ? args[2] : null;
    LocalDate first = LocalDate.of(2026, 1, 1);
    Table train = CreditRows.days(42, first, 10, rows / 10);
    Table test = CreditRows.days(42, first.plusDays(10), 2, 25_000);
    FeatureEncoder encoder = FeatureEncoder.fit(train, false);
    TrainingData data = new TrainingData(encoder.encode(train), train.label(), encoder.names(), 42);
    double[][] heldOut = encoder.encode(test);
    Trainers trainers =
        Trainers.of(
            List.<Trainer<?>>of(new XGBoostTrainer(), new GradientBoostingTrainer()),
            FitBenchmark.class.getClassLoader());
    System.out.printf(
        Locale.ROOT,
        "fit benchmark: %d training rows x %d columns, %d held-out rows, %d rounds, %s %s,"
            + " %d cores, load average %s%n",
        train.rows(),
        encoder.names().length,
        test.rows(),
        rounds,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());

    double[] xgboost = new double[rounds];
    double[] smile = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      boolean xgboostFirst = (r & 1) == 0;
      for (int side = 0; side < 2; side++) {
        boolean isXgboost = (side == 0) == xgboostFirst;
        String name = isXgboost ? "xgboost" : "GRADIENT_BOOSTING";
        Hyperparameters h = Hyperparameters.of(name).with("seed", 42);
        if (isXgboost && threads != null) {
          h = h.with("threads", threads);
        }
        double[] result = fit(trainers, h, data, heldOut, test.label());
        (isXgboost ? xgboost : smile)[r] = result[0];
        System.out.printf(
            Locale.ROOT,
            "round %d %-17s fit %7.2f s  AUC %.4f  load %s%n",
            r + 1,
            name,
            result[0],
            result[1],
            loadAverage());
      }
    }
    double x = median(xgboost);
    double s = median(smile);
    System.out.printf(
        Locale.ROOT,
        "median fit: xgboost %.2f s, GRADIENT_BOOSTING %.2f s, GRADIENT_BOOSTING / xgboost %.1f;"
            + " load average %s%n",
        x,
        s,
        s / x,
        loadAverage());
    // Smile's training controller leaves a non-daemon pool thread behind per fit (its own issue).
    System.exit(0);
  }

  /** Fit seconds and held-out AUC of a trainer with the options {@code h} resolves to. */
  private static double[] fit(
      Trainers trainers, Hyperparameters h, TrainingData data, double[][] heldOut, int[] labels) {
    Trainers.Prepared<?> prepared = trainers.prepare(h);
    MathEx.setSeed(42);
    long start = System.nanoTime();
    ScoringModel model = fitWith(prepared, data);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new double[] {seconds, BinaryMetrics.auc(labels, model.probabilities(heldOut))};
  }

  private static <O extends TrainerOptions> ScoringModel fitWith(
      Trainers.Prepared<O> prepared, TrainingData data) {
    return prepared.trainer().fit(data, prepared.options(), TrainingProgress.NONE);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.exists(loadavg)) {
      return "n/a";
    }
    String[] parts = Files.readString(loadavg).strip().split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
