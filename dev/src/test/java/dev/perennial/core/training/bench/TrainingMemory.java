package dev.perennial.core.training.bench;

import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.core.training.TrainingService;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a training's heap goes (docs/benchmarks.md, "Training memory"). Not a test: run from the
 * test classes against an S3 endpoint in the environment (PERENNIAL_S3_ENDPOINT, _ACCESS_KEY,
 * _SECRET_KEY), in a JVM with the heap under study.
 *
 * <ul>
 *   <li>{@code generate BUCKET DAYS ROWS_PER_DAY}: credit-default data, seed 1, from 2026-01-01.
 *   <li>{@code replicate BUCKET DAYS ROWS_PER_DAY}: one generated day, stored as each of DAYS days
 *       (quick to write; the rows repeat, which changes nothing in how much a read holds).
 *   <li>{@code train BUCKET HOLDOUT_DAYS TREES MAX_ROWS|0 uniform|stratified OUT_DIR}: trains
 *       gradient boosting on it, writes heap histograms (jcmd GC.class_histogram, which collects
 *       first: live objects only) when the read is done and when the first tree is, and prints the
 *       heap pools' peaks.
 * </ul>
 */
public final class TrainingMemory {
  private TrainingMemory() {}

  public static void main(String[] args) throws Exception {
    ObjectStore store =
        ObjectStores.open(
            new S3Settings(
                System.getenv("PERENNIAL_S3_ENDPOINT"),
                System.getenv("PERENNIAL_S3_ACCESS_KEY"),
                System.getenv("PERENNIAL_S3_SECRET_KEY"),
                "us-east-1"),
            false);
    String bucket = args[1];
    if (args[0].equals("generate")) {
      new CreditDefaultGenerator()
          .generate(
              store,
              bucket,
              "credit-default/",
              GeneratorSpec.clean(
                  1,
                  LocalDate.of(2026, 1, 1),
                  Integer.parseInt(args[2]),
                  Integer.parseInt(args[3])));
      return;
    }
    if (args[0].equals("replicate")) {
      CreditDefaultGenerator generator = new CreditDefaultGenerator();
      int days = Integer.parseInt(args[2]);
      GeneratorSpec spec =
          GeneratorSpec.clean(1, LocalDate.of(2026, 1, 1), 1, Integer.parseInt(args[3]));
      Path day = Files.createTempFile("perennial-day-", ".csv.gz");
      generator.writeDay(day, spec.firstDay(), spec);
      store.ensureBucket(bucket);
      store.put(
          bucket,
          "credit-default/_schema.json",
          CreditDefaultGenerator.schema().toJson(),
          "application/json");
      for (int d = 0; d < days; d++) {
        String key = "credit-default/dt=" + spec.firstDay().plusDays(d) + "/part-00000.csv.gz";
        store.putFile(bucket, key, day, "application/gzip");
      }
      Files.delete(day);
      return;
    }
    int holdout = Integer.parseInt(args[2]);
    int trees = Integer.parseInt(args[3]);
    int maxRows = Integer.parseInt(args[4]);
    Path out = Path.of(args[6]);
    Files.createDirectories(out);
    String artifacts = bucket + "-artifacts";
    DatasetSnapshot snapshot =
        new DatasetSnapshots(store, artifacts)
            .snapshot(
                new DatasetSpec(bucket, null, null, null, 3660, null)
                    .withDefaults("credit-default"),
                (d, t) -> {});
    Hyperparameters h = Hyperparameters.defaults().with("trees", trees);
    if (maxRows > 0) {
      h = h.with("maxTrainingRows", maxRows).with("sampling", args[5]);
    }
    long start = System.nanoTime();
    Set<String> taken = new HashSet<>();
    TrainingProgress progress =
        new TrainingProgress() {
          @Override
          public synchronized void update(String stage, double fraction) {
            if (taken.add(stage)) {
              System.out.printf(
                  Locale.ROOT, "%7.1f s  %s%n", (System.nanoTime() - start) / 1e9, stage);
            }
            if (stage.equals("encode") && taken.add("histogram-read")) {
              histogram(out.resolve("histogram-after-read.txt"));
            }
            if (stage.equals("fit") && fraction > 0 && taken.add("histogram-fit")) {
              histogram(out.resolve("histogram-first-tree.txt"));
            }
          }

          @Override
          public boolean cancelled() {
            return false;
          }
        };
    TrainedModel trained =
        new TrainingService(store, artifacts, new SnapshotReader(store))
            .train(new TrainingJob("credit-default", snapshot, holdout, h, "memory"), progress);
    System.out.printf(
        Locale.ROOT,
        "%7.1f s  done: %,d training rows, validation AUC %.4f%n",
        (System.nanoTime() - start) / 1e9,
        trained.trainingRows(),
        trained.validationMetrics().auc());
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
        System.out.printf(
            Locale.ROOT,
            "pool %-20s peak %,6d MB, after last collection %,6d MB%n",
            pool.getName(),
            pool.getPeakUsage().getUsed() >> 20,
            pool.getCollectionUsage() == null ? -1 : pool.getCollectionUsage().getUsed() >> 20);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "heap pools' peaks summed %,d MB of max %,d MB%n",
        peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
  }

  private static void histogram(Path file) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(ProcessHandle.current().pid()),
                  "GC.class_histogram")
              .redirectErrorStream(true)
              .redirectOutput(file.toFile())
              .start();
      p.waitFor();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
