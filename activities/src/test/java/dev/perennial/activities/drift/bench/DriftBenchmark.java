package dev.perennial.activities.drift.bench;

import dev.perennial.activities.drift.CategoricalDrift;
import dev.perennial.activities.drift.NumericDrift;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.model.ReferenceProfile;
import dev.perennial.dev.data.CreditDefaultGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Drift throughput over a window of ROWS rows x 20 features (the credit-default schema: 15 numeric,
 * 5 categorical as {@code String} values, as prediction logs carry them), as a ratio to a raw scan
 * of the same columns. Not a test: run through the {@code bench} profile (see docs/benchmarks.md).
 *
 * <p>The raw scan reads every value once, the least any drift computation must do: numeric columns
 * summed (skipping {@code NaN}, counting it), categorical columns counted per category through a
 * {@code HashMap<String, Integer>} dictionary into an {@code int[]}. The drift pass feeds every
 * value to a {@link NumericDrift} or {@link CategoricalDrift} and takes each feature's result. Both
 * run in the same JVM, column by column, warmed up, alternating, median of the rounds.
 *
 * <p>Arguments: {@code ROWS ROUNDS WARMUP [CSV_DIR]} (defaults 1000000 7 3). With {@code CSV_DIR}
 * it first writes the reference and the window there as {@code reference.csv} and {@code
 * window.csv} (a header of feature names, empty cells for missing), so a peer can measure its own
 * drift pass on the same rows ({@code infra/bench/peer_drift.py}).
 */
public final class DriftBenchmark {
  private static final int REFERENCE_ROWS = 200_000;
  private static volatile double sink;

  private DriftBenchmark() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;

    List<FeatureSpec> features = CreditDefaultGenerator.schema().features();
    Columns reference = Columns.generate(features, REFERENCE_ROWS, 1, 0);
    Columns window = Columns.generate(features, rows, 2, 0.3);
    if (args.length > 3) {
      Path dir = Path.of(args[3]);
      reference.writeCsv(features, dir.resolve("reference.csv"));
      window.writeCsv(features, dir.resolve("window.csv"));
    }
    List<ReferenceProfile.NumericProfile> numericProfiles = new ArrayList<>();
    for (double[] c : reference.numeric) {
      numericProfiles.add(ReferenceProfile.numeric(c));
    }
    List<ReferenceProfile.CategoricalProfile> categoricalProfiles = new ArrayList<>();
    for (int j = 0; j < reference.categorical.size(); j++) {
      categoricalProfiles.add(
          ReferenceProfile.categorical(reference.categorical.get(j), window.categories.get(j)));
    }
    System.out.printf(
        Locale.ROOT,
        "drift benchmark: %d rows x %d numeric + %d categorical features, reference %d rows,"
            + " %d rounds after %d warm-up, %s %s, %d cores%n",
        rows,
        window.numeric.size(),
        window.categorical.size(),
        REFERENCE_ROWS,
        rounds,
        warmup,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());

    long[][] raw = new long[2][rounds];
    long[][] drift = new long[2][rounds];
    for (int r = -warmup; r < rounds; r++) {
      // Alternate the order so a slow phase of the machine falls on both.
      boolean rawFirst = (r & 1) == 0;
      long[] a =
          rawFirst ? rawScan(window) : driftScan(window, numericProfiles, categoricalProfiles);
      long[] b =
          rawFirst ? driftScan(window, numericProfiles, categoricalProfiles) : rawScan(window);
      long[] rawTimes = rawFirst ? a : b;
      long[] driftTimes = rawFirst ? b : a;
      if (r >= 0) {
        for (int k = 0; k < 2; k++) {
          raw[k][r] = rawTimes[k];
          drift[k][r] = driftTimes[k];
        }
      }
    }

    double rawNumeric = median(raw[0]);
    double rawCategorical = median(raw[1]);
    double driftNumeric = median(drift[0]);
    double driftCategorical = median(drift[1]);
    double values = (double) rows * (window.numeric.size() + window.categorical.size());
    System.out.printf(
        Locale.ROOT, "%-12s %10s %10s %8s%n", "columns", "raw ms", "drift ms", "ratio");
    print("numeric", rawNumeric, driftNumeric);
    print("categorical", rawCategorical, driftCategorical);
    print("all", rawNumeric + rawCategorical, driftNumeric + driftCategorical);
    System.out.printf(
        Locale.ROOT,
        "drift throughput: %.1f M values/s (%.2f M rows/s of 20 features); raw scan %.1f M"
            + " values/s%n",
        values / ((driftNumeric + driftCategorical) / 1e3) / 1e6,
        rows / ((driftNumeric + driftCategorical) / 1e3) / 1e6,
        values / ((rawNumeric + rawCategorical) / 1e3) / 1e6);
    if (sink == 42) {
      System.out.println();
    }
  }

  private static void print(String what, double rawMs, double driftMs) {
    System.out.printf(
        Locale.ROOT, "%-12s %10.1f %10.1f %8.2f%n", what, rawMs, driftMs, driftMs / rawMs);
  }

  /** Milliseconds for the numeric columns and for the categorical columns. */
  private static long[] rawScan(Columns window) {
    long start = System.nanoTime();
    double total = 0;
    for (double[] column : window.numeric) {
      double sum = 0;
      long missing = 0;
      for (double x : column) {
        if (x != x) {
          missing++;
        } else {
          sum += x;
        }
      }
      total += sum + missing;
    }
    long numericDone = System.nanoTime();
    for (int j = 0; j < window.categorical.size(); j++) {
      Map<String, Integer> dictionary = new HashMap<>();
      List<String> names = window.categories.get(j);
      for (int i = 0; i < names.size(); i++) {
        dictionary.put(names.get(i), i);
      }
      int[] counts = new int[names.size() + 2];
      for (String v : window.categorical.get(j)) {
        if (v == null) {
          counts[names.size()]++;
        } else {
          Integer i = dictionary.get(v);
          counts[i == null ? names.size() + 1 : i]++;
        }
      }
      total += counts[0];
    }
    long end = System.nanoTime();
    sink += total;
    return new long[] {(numericDone - start) / 1_000_000, (end - numericDone) / 1_000_000};
  }

  private static long[] driftScan(
      Columns window,
      List<ReferenceProfile.NumericProfile> numericProfiles,
      List<ReferenceProfile.CategoricalProfile> categoricalProfiles) {
    long start = System.nanoTime();
    double total = 0;
    for (int j = 0; j < window.numeric.size(); j++) {
      NumericDrift drift = new NumericDrift(numericProfiles.get(j));
      drift.acceptAll(window.numeric.get(j));
      NumericDrift.Result r = drift.result();
      total += r.ksStatistic() + r.psi() + r.wasserstein() + r.jensenShannon();
    }
    long numericDone = System.nanoTime();
    for (int j = 0; j < window.categorical.size(); j++) {
      CategoricalDrift drift = new CategoricalDrift(categoricalProfiles.get(j), REFERENCE_ROWS);
      drift.acceptAll(window.categorical.get(j));
      CategoricalDrift.Result r = drift.result();
      total += r.chiSquare().statistic() + r.psi() + r.jensenShannon();
    }
    long end = System.nanoTime();
    sink += total;
    return new long[] {(numericDone - start) / 1_000_000, (end - numericDone) / 1_000_000};
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  /**
   * Generated columns shaped like the credit-default features: normal, log-normal, small integers
   * and bounded shares, 2 % missing; categories drawn unevenly from the schema's lists, with a few
   * unseen values. {@code shift} moves every distribution, as a drifted window would.
   */
  private record Columns(
      List<double[]> numeric, List<String[]> categorical, List<List<String>> categories) {
    private static final String[] UNSEEN = {"unseen-0", "unseen-1", "unseen-2"};

    /** The columns as CSV, in the schema's feature order; missing values as empty cells. */
    void writeCsv(List<FeatureSpec> features, Path file) {
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        out.write(String.join(",", features.stream().map(FeatureSpec::name).toList()));
        out.write('\n');
        int rows = numeric.isEmpty() ? categorical.get(0).length : numeric.get(0).length;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < rows; i++) {
          line.setLength(0);
          int n = 0;
          int c = 0;
          for (FeatureSpec f : features) {
            if (n + c > 0) {
              line.append(',');
            }
            if (f.type() == FeatureType.NUMERIC) {
              double v = numeric.get(n++)[i];
              if (v == v) {
                line.append(v);
              }
            } else {
              String v = categorical.get(c++)[i];
              if (v != null) {
                line.append(v);
              }
            }
          }
          out.append(line).append('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Columns generate(List<FeatureSpec> features, int rows, long seed, double shift) {
      SplittableRandom random = new SplittableRandom(seed);
      List<double[]> numeric = new ArrayList<>();
      List<String[]> categorical = new ArrayList<>();
      List<List<String>> categories = new ArrayList<>();
      int shape = 0;
      for (FeatureSpec f : features) {
        if (f.type() == FeatureType.NUMERIC) {
          double[] c = new double[rows];
          int kind = shape++ % 4;
          for (int i = 0; i < rows; i++) {
            double z = random.nextGaussian() + shift;
            c[i] =
                random.nextDouble() < 0.02
                    ? Double.NaN
                    : switch (kind) {
                      case 0 -> 40 + 12 * z;
                      case 1 -> Math.exp(10.5 + 0.8 * z);
                      case 2 -> Math.max(0, Math.round(2 + 1.5 * z));
                      default -> 1 / (1 + Math.exp(-z));
                    };
          }
          numeric.add(c);
        } else {
          List<String> names = f.categories();
          String[] c = new String[rows];
          for (int i = 0; i < rows; i++) {
            double u = random.nextDouble();
            if (u < 0.02) {
              c[i] = null;
            } else if (u < 0.02 + shift * 0.01) {
              c[i] = UNSEEN[i % UNSEEN.length];
            } else {
              // Skewed towards the first categories, more so when shifted.
              double w = Math.pow(random.nextDouble(), 1.5 + shift);
              c[i] = names.get((int) (w * names.size()));
            }
          }
          categorical.add(c);
          categories.add(names);
        }
      }
      return new Columns(numeric, categorical, categories);
    }
  }
}
