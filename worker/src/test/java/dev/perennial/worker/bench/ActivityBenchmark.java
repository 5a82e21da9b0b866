package dev.perennial.worker.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.core.training.TrainingService;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingJob;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import smile.math.MathEx;

/**
 * P2 in one JVM: the {@code TrainModel} activity's work ({@link TrainingService#train}: read the
 * snapshot's training days, split, encode, fit, score the validation rows, store the artifacts)
 * against a bare fit of the same learner on the same rows already encoded in memory ({@link
 * dev.perennial.core.training.Trainer#fit} alone, as {@link FitBenchmark} times it). Not a test:
 * run through the worker module's {@code bench-activity} profile (docs/benchmarks.md).
 *
 * <p>It generates credit-default data (ROWS training rows over 10 days and 2 held-out days, gzip
 * CSV) into the S3 of {@code PERENNIAL_S3_ENDPOINT} / {@code _ACCESS_KEY} / {@code _SECRET_KEY} (an
 * embedded S3 in this JVM when unset: then its work shares this heap and these cores), once per
 * ROWS, and snapshots it. Each cycle runs activity, bare fit, bare fit, activity (A B B A), so
 * drift of the machine's load falls on both sides. For the activity it prints each stage's seconds
 * (timed from the progress the activity reports) and the heap: the most used after a collection and
 * the pools' peak, per million rows read; the bare fit's rows are read and encoded outside its
 * clock and dropped before the next activity runs.
 *
 * <p>Arguments: {@code ROWS CYCLES [TRAINER [KEY=VALUE...]]} (defaults 250000 2 xgboost). With
 * {@code -Dbench.histogram=true} the first activity also prints the top of a heap histogram ({@code
 * jcmd PID GC.class_histogram}: live objects) when its fit starts.
 */
public final class ActivityBenchmark {
  private static final String DATA = "perennial-bench-data";
  private static final String ARTIFACTS = "perennial-bench-artifacts";
  private static final int TRAINING_DAYS = 10;
  private static final int HOLDOUT_DAYS = 2;

  private ActivityBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 250_000;
    int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Hyperparameters h = Hyperparameters.of(args.length > 2 ? args[2] : "xgboost");
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      h = h.with(kv[0], kv[1]);
    }
    EmbeddedS3 embedded = null;
    ObjectStore store;
    String where;
    String endpoint = System.getenv("PERENNIAL_S3_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      embedded = new EmbeddedS3().start();
      store = embedded.store();
      where = "embedded S3 in this JVM";
    } else {
      store =
          ObjectStores.open(
              new S3Settings(
                  endpoint,
                  System.getenv("PERENNIAL_S3_ACCESS_KEY"),
                  System.getenv("PERENNIAL_S3_SECRET_KEY"),
                  "us-east-1"),
              false);
      where = endpoint;
    }
    try {
      run(store, where, rows, cycles, h);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
    // Whatever threads a learner left behind, the measurement is over.
    System.exit(0);
  }

  private static void run(ObjectStore store, String where, int rows, int cycles, Hyperparameters h)
      throws IOException {
    String prefix = "credit-default-" + rows + "/";
    store.ensureBucket(DATA);
    if (store.read(DATA, prefix + "_schema.json").isEmpty()) {
      long t0 = System.nanoTime();
      new CreditDefaultGenerator()
          .generate(
              store,
              DATA,
              prefix,
              GeneratorSpec.clean(
                  7, LocalDate.of(2026, 1, 1), TRAINING_DAYS + HOLDOUT_DAYS, rows / TRAINING_DAYS));
      System.out.printf(
          Locale.ROOT, "generated %s in %.1f s%n", prefix, (System.nanoTime() - t0) / 1e9);
    }
    store.ensureBucket(ARTIFACTS);
    DatasetSnapshot snapshot =
        new DatasetSnapshots(store, ARTIFACTS)
            .snapshot(
                new DatasetSpec(DATA, prefix, null, null, null, null).withDefaults(prefix),
                (done, total) -> {});
    SnapshotReader reader = new SnapshotReader(store);
    TrainingService service = new TrainingService(store, ARTIFACTS, reader);
    Trainers.Prepared<?> prepared = Trainers.onClassPath().prepare(h);
    Hyperparameters resolved = prepared.hyperparameters();
    System.out.printf(
        Locale.ROOT,
        "activity benchmark: trainer=%s rows=%d (training days) cycles=%d (A B B A) S3=%s"
            + " %s %s cores=%d max heap=%s load=%s%n",
        prepared.trainer().name(),
        rows,
        cycles,
        where,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        TrainingService.heapSize(Runtime.getRuntime().maxMemory()),
        loadAverage());

    HeapWatch heap = new HeapWatch();
    List<Double> activity = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    boolean histogram = Boolean.getBoolean("bench.histogram");
    int run = 0;
    for (int c = 0; c < cycles; c++) {
      for (char side : new char[] {'A', 'B', 'B', 'A'}) {
        run++;
        if (side == 'A') {
          Stages stages = new Stages(histogram);
          histogram = false;
          System.gc();
          heap.reset();
          long t0 = System.nanoTime();
          var trained =
              service.train(
                  new TrainingJob("credit-default", snapshot, HOLDOUT_DAYS, h, "bench-" + run),
                  stages);
          double s = (System.nanoTime() - t0) / 1e9;
          stages.end();
          activity.add(s);
          long read = (long) (rows / TRAINING_DAYS) * TRAINING_DAYS;
          double millions = read / 1e6;
          System.out.printf(
              Locale.ROOT,
              "run=%d A activity_s=%.2f (÷ its own fit stage %.2f) rows_read=%d trained=%d"
                  + " auc=%.4f stages[%s]"
                  + " heap_after_gc_max=%s (%s per M rows) heap_pools_peak=%s (%s per M rows)"
                  + " load=%s%n",
              run,
              s,
              s / stages.seconds("fit"),
              read,
              trained.trainingRows(),
              trained.validationMetrics().auc(),
              stages,
              mb(heap.afterGcMax()),
              mb(heap.afterGcMax() / millions),
              mb(heap.poolsPeak()),
              mb(heap.poolsPeak() / millions),
              loadAverage());
        } else {
          TrainingData data = BareFit.data(reader, snapshot, prepared, HOLDOUT_DAYS);
          System.gc();
          MathEx.setSeed(resolved.seed());
          long t0 = System.nanoTime();
          fit(prepared, data);
          double s = (System.nanoTime() - t0) / 1e9;
          bare.add(s);
          System.out.printf(
              Locale.ROOT,
              "run=%d B bare_fit_s=%.2f rows=%d columns=%d load=%s%n",
              run,
              s,
              data.y().length,
              data.names().length,
              loadAverage());
        }
      }
    }
    double a = median(activity);
    double b = median(bare);
    System.out.printf(
        Locale.ROOT,
        "P2 trainer=%s rows=%d activity_s_median=%.2f bare_fit_s_median=%.2f"
            + " P2=%.2f load=%s%n",
        prepared.trainer().name(),
        rows,
        a,
        b,
        a / b,
        loadAverage());
  }

  private static <O extends TrainerOptions> void fit(
      Trainers.Prepared<O> prepared, TrainingData data) {
    if (prepared.trainer().fit(data, prepared.options(), TrainingProgress.NONE) == null) {
      throw new IllegalStateException("no model");
    }
  }

  /** Seconds per stage of one activity, from the progress it reports. */
  private static final class Stages implements TrainingProgress {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private boolean histogram;
    private String stage;
    private long since = System.nanoTime();

    Stages(boolean histogram) {
      this.histogram = histogram;
    }

    @Override
    public synchronized void update(String next, double fraction) {
      // The read's last report is its end; what follows until the next stage is the split.
      String name = next.equals("read") && fraction >= 1 ? "split" : next;
      if (!name.equals(stage)) {
        long now = System.nanoTime();
        if (stage != null) {
          seconds.merge(stage, (now - since) / 1e9, Double::sum);
        }
        stage = name;
        since = now;
        if (name.equals("fit") && histogram) {
          histogram = false;
          printHistogram();
          since = System.nanoTime();
        }
      }
    }

    @Override
    public boolean cancelled() {
      return false;
    }

    synchronized double seconds(String name) {
      return seconds.getOrDefault(name, Double.NaN);
    }

    synchronized void end() {
      update("end", 0);
    }

    @Override
    public synchronized String toString() {
      StringBuilder s = new StringBuilder();
      seconds.forEach(
          (k, v) ->
              s.append(s.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%s=%.2f", k, v)));
      return s.toString();
    }
  }

  /** The heap's largest size after a collection, and its pools' peak, since {@link #reset}. */
  private static final class HeapWatch {
    private final AtomicLong afterGc = new AtomicLong();

    HeapWatch() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc)
            .addNotificationListener(
                (n, handback) -> {
                  if (n.getType()
                      .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info =
                        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                      used += u.getUsed();
                    }
                    afterGc.accumulateAndGet(used, Math::max);
                  }
                },
                null,
                null);
      }
    }

    void reset() {
      afterGc.set(0);
      heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    long afterGcMax() {
      return afterGc.get();
    }

    long poolsPeak() {
      return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
      return ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .toList();
    }
  }

  /** The top of a histogram of live objects, through the JVM's own diagnostic command. */
  private static void printHistogram() {
    try {
      String out =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {new String[0]},
                      new String[] {String[].class.getName()});
      List<String> lines = out.lines().toList();
      System.out.println("heap histogram at the fit's start (live objects):");
      lines.stream().limit(14).forEach(l -> System.out.println("  " + l));
      lines.stream().filter(l -> l.startsWith("Total")).forEach(l -> System.out.println("  " + l));
    } catch (JMException e) {
      System.out.println("no heap histogram: " + e);
    }
  }

  private static String mb(double bytes) {
    return String.format(Locale.ROOT, "%.0fMB", bytes / (1 << 20));
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.exists(loadavg)) {
      return "n/a";
    }
    String[] parts = Files.readString(loadavg).strip().split(" ");
    return parts[0] + "/" + parts[1] + "/" + parts[2];
  }
}
