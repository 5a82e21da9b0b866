package dev.perennial.worker.bench;

import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.Arrays;
import java.util.Locale;
import smile.math.MathEx;

/**
 * The bare fit of a trainer on the rows a {@code TrainModel} activity fits: the baseline of the
 * peer benchmark's P2 ratio (TrainModel activity ÷ bare fit; {@code infra/bench/peers.sh}). Not a
 * test: run through the worker module's {@code bench-fit} profile, so every trainer the worker has
 * (its class path, plug-ins included) can be measured.
 *
 * <p>It snapshots the dataset as a run does (same data, same version), reads the training days,
 * takes the same seeded validation split, encodes as the trainer asks, and only then starts the
 * clock: each round times {@link Trainer#fit} alone, from the same encoded arrays in memory. S3
 * comes from {@code PERENNIAL_S3_ENDPOINT}, {@code PERENNIAL_S3_ACCESS_KEY}, {@code
 * PERENNIAL_S3_SECRET_KEY}.
 *
 * <p>Arguments: {@code DATA_PREFIX HOLDOUT_DAYS ROUNDS [TRAINER [KEY=VALUE...]]} (the prefix in the
 * {@code perennial-data} bucket, e.g. {@code credit-default/}); prints one line per round and a
 * last line {@code fit_s_median=...}.
 */
public final class FitBenchmark {

  private FitBenchmark() {}

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: DATA_PREFIX HOLDOUT_DAYS ROUNDS [TRAINER [KEY=VALUE...]]");
      System.exit(2);
    }
    String prefix = args[0];
    int holdoutDays = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Hyperparameters h = args.length > 3 ? Hyperparameters.of(args[3]) : Hyperparameters.defaults();
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      h = h.with(kv[0], kv[1]);
    }

    S3Settings s3 =
        new S3Settings(
            env("PERENNIAL_S3_ENDPOINT"),
            env("PERENNIAL_S3_ACCESS_KEY"),
            env("PERENNIAL_S3_SECRET_KEY"),
            "us-east-1");
    ObjectStore store = ObjectStores.open(s3, false);
    DatasetSnapshot snapshot =
        new DatasetSnapshots(store, "perennial-artifacts")
            .snapshot(
                new DatasetSpec(null, prefix, null, null, null, null).withDefaults(prefix),
                (done, total) -> {});
    SnapshotReader reader = new SnapshotReader(store);
    Trainers.Prepared<?> prepared = Trainers.onClassPath().prepare(h);
    Hyperparameters resolved = prepared.hyperparameters();
    TrainingData data = BareFit.data(reader, snapshot, prepared, holdoutDays);
    System.out.printf(
        Locale.ROOT,
        "trainer=%s rows=%d columns=%d rounds=%d%n",
        prepared.trainer().name(),
        data.y().length,
        data.names().length,
        rounds);

    double[] seconds = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      System.gc();
      MathEx.setSeed(resolved.seed());
      long t0 = System.nanoTime();
      fit(prepared, data);
      seconds[r] = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "round=%d fit_s=%.3f%n", r + 1, seconds[r]);
    }
    Arrays.sort(seconds);
    double median =
        rounds % 2 == 1 ? seconds[rounds / 2] : (seconds[rounds / 2 - 1] + seconds[rounds / 2]) / 2;
    System.out.printf(Locale.ROOT, "fit_s_median=%.3f%n", median);
    // Whatever threads a learner left behind, the measurement is over.
    System.exit(0);
  }

  private static <O extends TrainerOptions> void fit(
      Trainers.Prepared<O> prepared, TrainingData data) {
    if (prepared.trainer().fit(data, prepared.options(), TrainingProgress.NONE) == null) {
      throw new IllegalStateException("no model");
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      System.err.println(name + " is not set");
      System.exit(2);
    }
    return v;
  }
}
