package dev.perennial.xgboost;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingCancelledException;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * {@code xgboost}: XGBoost's histogram gradient boosting on all cores, one round at a time (so a
 * fit reports progress and stops when cancelled), stopping early when the log-loss on a seeded
 * split of the training rows has not improved for {@code earlyStoppingRounds} rounds. Its defaults
 * are {@code GRADIENT_BOOSTING}'s trees, depth, learning rate and row sampling, and it reads them
 * under the same names, so switching a run between the two keeps its settings.
 */
public final class XGBoostTrainer implements Trainer<XGBoostTrainer.Options> {
  public static final String NAME = "xgboost";

  /**
   * @param trees boosting rounds at most, 1 to 5000 (default 100)
   * @param maxDepth tree depth, 1 to 32 (default 6)
   * @param shrinkage learning rate (XGBoost's {@code eta}), above 0 up to 1 (default 0.1)
   * @param subsample share of rows each tree is grown on, 0.01 to 1 (default 0.7)
   * @param colsampleByTree share of columns each tree may split on, 0.01 to 1 (default 1)
   * @param minChildWeight hessian sum a leaf needs at least, 0 to 1e6 (default 1)
   * @param lambda L2 penalty on leaf weights, 0 to 1e6 (default 1)
   * @param maxBin histogram bins per column, 2 to 65536 (default 256)
   * @param earlyStoppingRounds rounds without improvement after which the fit stops and keeps its
   *     best round, 0 (never: every row trains) to 5000 (default 10)
   * @param earlyStoppingFraction share of the training rows held out for early stopping, 0.01 to
   *     0.5 (default 0.1; unused when {@code earlyStoppingRounds} is 0)
   * @param threads native threads, 0 (default: every core the JVM sees) to 1024
   */
  public record Options(
      int trees,
      int maxDepth,
      double shrinkage,
      double subsample,
      double colsampleByTree,
      double minChildWeight,
      double lambda,
      int maxBin,
      int earlyStoppingRounds,
      double earlyStoppingFraction,
      int threads)
      implements TrainerOptions {
    public Options {
      new RequestProblems()
          .range("trees", trees, 1, 5000)
          .range("maxDepth", maxDepth, 1, 32)
          .range("shrinkage", shrinkage, 1e-6, 1)
          .range("subsample", subsample, 0.01, 1)
          .range("colsampleByTree", colsampleByTree, 0.01, 1)
          .range("minChildWeight", minChildWeight, 0, 1e6)
          .range("lambda", lambda, 0, 1e6)
          .range("maxBin", maxBin, 2, 65536)
          .range("earlyStoppingRounds", earlyStoppingRounds, 0, 5000)
          .range("earlyStoppingFraction", earlyStoppingFraction, 0.01, 0.5)
          .range("threads", threads, 0, 1024)
          .refuseIfAny(NAME + " options");
    }

    /** The native threads a fit uses. */
    int nativeThreads() {
      return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
  }

  private final Supplier<Optional<String>> nativeProblem;

  /** The trainer as {@code META-INF/services} creates it. */
  public XGBoostTrainer() {
    this(NativeXGBoost::problem);
  }

  /** With {@code nativeProblem} saying why the native library cannot load, if it cannot. */
  XGBoostTrainer(Supplier<Optional<String>> nativeProblem) {
    this.nativeProblem = nativeProblem;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException naming each option out of range, or naming this platform when
   *     XGBoost's native library cannot load here
   */
  @Override
  public Options options(TrainerSettings s) {
    Options o =
        new Options(
            s.integer("trees", 100),
            s.integer("maxDepth", 6),
            s.decimal("shrinkage", 0.1),
            s.decimal("subsample", 0.7),
            s.decimal("colsampleByTree", 1.0),
            s.decimal("minChildWeight", 1.0),
            s.decimal("lambda", 1.0),
            s.integer("maxBin", 256),
            s.integer("earlyStoppingRounds", 10),
            s.decimal("earlyStoppingFraction", 0.1),
            s.integer("threads", 0));
    // Refused before any data is read, as a bad request: retrying on this worker cannot help.
    nativeProblem
        .get()
        .ifPresent(
            why -> {
              throw new IllegalArgumentException(NativeXGBoost.unavailable(why));
            });
    return o;
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  /** Only the wrapper: the booster inside it is bytes in XGBoost's format. */
  @Override
  public List<String> modelClasses() {
    return List.of(XGBoostModel.class.getName());
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    nativeProblem
        .get()
        .ifPresent(
            why -> {
              throw new IllegalStateException(NativeXGBoost.unavailable(why));
            });
    Split split = Split.of(data.y().length, o, data.seed());
    int columns = data.names().length;
    DMatrix train = null;
    DMatrix held = null;
    Booster booster = null;
    try {
      train = matrix(data, split.train(), columns);
      held = split.held().length == 0 ? null : matrix(data, split.held(), columns);
      booster = XGBoost.train(train, parameters(o, data.seed()), 0, Map.of(), null, null);
      DMatrix[] watch = held == null ? null : new DMatrix[] {held};
      String[] watchName = {"held"};
      double best = Double.POSITIVE_INFINITY;
      int bestRound = 0;
      int done = 0;
      for (int round = 0; round < o.trees(); round++) {
        if (progress.cancelled()) {
          throw new TrainingCancelledException();
        }
        booster.update(train, round);
        done = round + 1;
        progress.update("fit", (double) done / o.trees());
        if (watch != null) {
          double loss = lastMetric(booster.evalSet(watch, watchName, round));
          if (loss < best) {
            best = loss;
            bestRound = done;
          } else if (done - bestRound >= o.earlyStoppingRounds()) {
            break;
          }
        }
      }
      int keep = watch == null ? done : bestRound;
      return new XGBoostModel(booster.toByteArray(XGBoostModel.FORMAT), keep, columns);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      if (held != null) {
        held.dispose();
      }
      if (train != null) {
        train.dispose();
      }
    }
  }

  private static Map<String, Object> parameters(Options o, long seed) {
    Map<String, Object> p = new HashMap<>();
    p.put("objective", "binary:logistic");
    p.put("eval_metric", "logloss");
    p.put("tree_method", "hist");
    p.put("max_depth", o.maxDepth());
    p.put("eta", o.shrinkage());
    p.put("subsample", o.subsample());
    p.put("colsample_bytree", o.colsampleByTree());
    p.put("min_child_weight", o.minChildWeight());
    p.put("lambda", o.lambda());
    p.put("max_bin", o.maxBin());
    p.put("nthread", o.nativeThreads());
    p.put("seed", seed);
    p.put("verbosity", 0);
    return p;
  }

  /** The rows as XGBoost's dense matrix: one row-major {@code float[]} filled from the columns. */
  private static DMatrix matrix(TrainingData data, int[] rows, int columns) throws XGBoostError {
    float[] x = new float[rows.length * columns];
    double[][] c = new double[columns][];
    for (int j = 0; j < columns; j++) {
      c[j] = data.column(j);
    }
    // Row by row: the matrix is written once, in order (column by column it was written in
    // strides, every cache line of it once per column).
    for (int i = 0, at = 0; i < rows.length; i++) {
      int row = rows[i];
      for (int j = 0; j < columns; j++) {
        x[at++] = (float) c[j][row];
      }
    }
    float[] y = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = data.y()[rows[i]];
    }
    DMatrix m = new DMatrix(x, rows.length, columns, Float.NaN);
    m.setLabel(y);
    return m;
  }

  /** The value of the last metric in an evaluation line such as {@code [3]\theld-logloss:0.41}. */
  static double lastMetric(String line) {
    int colon = line.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalStateException("XGBoost gave no metric: " + line);
    }
    return Double.parseDouble(line.substring(colon + 1).strip());
  }

  /** The rows boosted on and the rows held out to stop early, drawn with the run's seed. */
  record Split(int[] train, int[] held) {
    static Split of(int rows, Options o, long seed) {
      int[] order = new int[rows];
      for (int i = 0; i < rows; i++) {
        order[i] = i;
      }
      if (o.earlyStoppingRounds() == 0) {
        return new Split(order, new int[0]);
      }
      int held = (int) Math.round(rows * o.earlyStoppingFraction());
      if (held < 1 || rows - held < 1) {
        throw new IllegalArgumentException(
            "Invalid "
                + NAME
                + " options: earlyStoppingFraction: "
                + o.earlyStoppingFraction()
                + " of "
                + rows
                + " training rows leaves no rows to "
                + (held < 1 ? "stop early on" : "train on")
                + "; give more rows or set earlyStoppingRounds to 0");
      }
      SplittableRandom random = new SplittableRandom(seed);
      // A partial Fisher-Yates shuffle: the first `held` positions become a uniform sample.
      for (int i = 0; i < held; i++) {
        int j = i + random.nextInt(rows - i);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int[] heldRows = Arrays.copyOf(order, held);
      int[] trainRows = Arrays.copyOfRange(order, held, rows);
      Arrays.sort(heldRows);
      Arrays.sort(trainRows);
      return new Split(trainRows, heldRows);
    }
  }
}
