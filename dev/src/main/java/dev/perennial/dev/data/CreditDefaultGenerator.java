package dev.perennial.dev.data;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.store.ObjectStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Seeded synthetic data for a binary {@code credit-default} model: 15 numeric and 5 categorical
 * features with realistic ranges, correlations and missing values, and a label drawn from a
 * logistic model of them (with an interaction only trees capture well).
 *
 * <p>Every day depends on (seed, day) alone, so any partition can be regenerated independently.
 * Days are streamed through gzip into a temporary file and uploaded: memory stays flat however many
 * rows a day has.
 */
public final class CreditDefaultGenerator {
  public static final String LABEL = "default";

  static final List<String> EMPLOYMENT =
      List.of("salaried", "self_employed", "contractor", "unemployed", "retired");
  static final List<String> HOME = List.of("rent", "mortgage", "own", "other");
  static final List<String> PURPOSE =
      List.of(
          "debt_consolidation",
          "home_improvement",
          "car",
          "education",
          "medical",
          "business",
          "other");
  static final List<String> REGION = List.of("north", "south", "east", "west", "central");
  static final List<String> EDUCATION =
      List.of("high_school", "bachelor", "master", "doctorate", "other");

  // The label's log-odds are INTERCEPT + SIGNAL * risk: SIGNAL sets how separable the classes are
  // (held-out AUC around 0.8), INTERCEPT the base rate (about 15 % defaults).
  static final double SIGNAL = 2.0;
  static final double INTERCEPT = -2.0;

  private static final double[] EMPLOYMENT_MIX = {0.62, 0.14, 0.10, 0.06, 0.08};
  private static final double[] HOME_MIX = {0.38, 0.40, 0.18, 0.04};
  private static final double[] PURPOSE_MIX = {0.34, 0.14, 0.16, 0.08, 0.07, 0.09, 0.12};
  private static final double[] REGION_MIX = {0.22, 0.20, 0.20, 0.20, 0.18};
  private static final double[] REGION_MIX_DRIFTED = {0.10, 0.50, 0.14, 0.14, 0.12};
  private static final double[] EDUCATION_MIX = {0.36, 0.38, 0.18, 0.03, 0.05};

  /** The feature schema of the generated data. */
  public static FeatureSchema schema() {
    return new FeatureSchema(
        "credit-default",
        LABEL,
        List.of(
            FeatureSpec.numeric("age", 18, 100, 0.0),
            FeatureSpec.numeric("income", 0, 2_000_000, 0.10),
            FeatureSpec.numeric("debt_to_income", 0, 5, null),
            FeatureSpec.numeric("credit_limit", 0, 500_000, null),
            FeatureSpec.numeric("utilization", 0, 2, null),
            FeatureSpec.numeric("open_accounts", 0, 100, null),
            FeatureSpec.numeric("late_payments_12m", 0, 36, null),
            FeatureSpec.numeric("months_employed", 0, 720, 0.15),
            FeatureSpec.numeric("loan_amount", 0, 1_000_000, null),
            FeatureSpec.numeric("loan_term_months", 6, 480, null),
            FeatureSpec.numeric("interest_rate", 0, 60, null),
            FeatureSpec.numeric("savings", 0, 10_000_000, 0.20),
            FeatureSpec.numeric("inquiries_6m", 0, 50, null),
            FeatureSpec.numeric("years_at_address", 0, 80, null),
            FeatureSpec.numeric("credit_history_years", 0, 80, null),
            FeatureSpec.categorical("employment_type", EMPLOYMENT, 0.10),
            FeatureSpec.categorical("home_ownership", HOME, 0.0),
            FeatureSpec.categorical("loan_purpose", PURPOSE, 0.0),
            FeatureSpec.categorical("region", REGION, 0.0),
            FeatureSpec.categorical("education", EDUCATION, 0.05)));
  }

  /**
   * Writes {@code spec.days()} partitions as {@code <prefix>dt=YYYY-MM-DD/part-00000.csv.gz} and
   * the schema as {@code <prefix>_schema.json}; returns the keys written, schema first.
   */
  public List<String> generate(
      ObjectStore store, String bucket, String prefix, GeneratorSpec spec) {
    String p = prefix.endsWith("/") ? prefix : prefix + "/";
    store.ensureBucket(bucket);
    List<String> keys = new ArrayList<>();
    String schemaKey = p + "_schema.json";
    store.put(bucket, schemaKey, schema().toJson(), "application/json");
    keys.add(schemaKey);
    Path tmp = null;
    try {
      tmp = Files.createTempFile("perennial-day-", ".csv.gz");
      for (int d = 0; d < spec.days(); d++) {
        LocalDate day = spec.firstDay().plusDays(d);
        writeDay(tmp, day, spec);
        String key = p + "dt=" + day + "/part-00000.csv.gz";
        store.putFile(bucket, key, tmp, "application/gzip");
        keys.add(key);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write generated data", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // A leftover temp file is harmless.
        }
      }
    }
    return keys;
  }

  /** Writes one day as gzip CSV to {@code file}; returns the number of rows. */
  public long writeDay(Path file, LocalDate day, GeneratorSpec spec) throws IOException {
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8),
            1 << 16)) {
      return writeDay(out, day, spec);
    }
  }

  /** Writes one day as CSV (header + rows) to {@code out}; returns the number of rows. */
  public long writeDay(Writer out, LocalDate day, GeneratorSpec spec) throws IOException {
    SplittableRandom random =
        new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + day.toEpochDay());
    double cov = spec.drifted(day) ? spec.covariateDrift() : 0;
    double concept = spec.drifted(day) ? spec.conceptDrift() : 0;
    StringBuilder line = new StringBuilder(256);
    line.append("id");
    for (FeatureSpec f : schema().features()) {
      line.append(',').append(f.name());
    }
    line.append(',').append(LABEL).append('\n');
    out.append(line);
    for (int i = 0; i < spec.rowsPerDay(); i++) {
      line.setLength(0);
      row(random, day, i, cov, concept, spec.labelNoise(), line);
      out.append(line);
    }
    return spec.rowsPerDay();
  }

  private static void row(
      SplittableRandom r,
      LocalDate day,
      int index,
      double cov,
      double concept,
      double noise,
      StringBuilder sb) {
    double age = clamp(18 + Math.abs(r.nextGaussian()) * 18 + r.nextDouble() * 12, 18, 95);
    int edu = pick(r, EDUCATION_MIX);
    int emp = age > 66 && r.nextDouble() < 0.7 ? 4 : pick(r, EMPLOYMENT_MIX);
    double eduBoost = new double[] {0, 0.25, 0.45, 0.6, 0.05}[edu];
    double logIncome =
        10.7
            + eduBoost
            + 0.012 * Math.min(age - 18, 30)
            + 0.35 * r.nextGaussian()
            - (emp == 3 ? 1.2 : 0)
            - 0.35 * cov;
    double income = Math.exp(logIncome);
    double creditHistory = clamp((age - 18) * (0.6 + 0.4 * r.nextDouble()), 0, 70);
    double utilization =
        clamp(0.25 + 0.18 * r.nextGaussian() + 0.25 * cov + (emp == 3 ? 0.2 : 0), 0, 1.6);
    double creditLimit = clamp(income * (0.15 + 0.25 * r.nextDouble()), 300, 400_000);
    double lateRate = 0.25 + 1.2 * Math.max(0, utilization - 0.5) + (emp == 3 ? 0.6 : 0);
    int late = poisson(r, lateRate);
    int inquiries = poisson(r, 0.9 + 2.0 * cov + (utilization > 0.8 ? 0.8 : 0));
    int openAccounts = (int) clamp(2 + creditHistory / 4 + r.nextGaussian() * 2.5, 0, 60);
    double loanAmount = clamp(Math.exp(9.3 + 0.5 * r.nextGaussian()) + income * 0.05, 500, 600_000);
    double term = new double[] {12, 24, 36, 48, 60}[r.nextInt(5)];
    double dti =
        clamp(
            (loanAmount / term * 12 + creditLimit * utilization * 0.3) / income
                + 0.05 * r.nextGaussian(),
            0,
            4.5);
    double monthsEmployed = emp == 3 ? 0 : clamp((age - 18) * 12 * r.nextDouble() * 0.6, 0, 600);
    double savings = clamp(Math.exp(8 + 0.9 * r.nextGaussian()) * (income / 50_000), 0, 5_000_000);
    double yearsAtAddress = clamp(Math.abs(r.nextGaussian()) * 6 + (age - 18) * 0.05, 0, 70);
    int home = age < 26 && r.nextDouble() < 0.6 ? 0 : pick(r, HOME_MIX);
    int purpose = pick(r, PURPOSE_MIX);
    int region = pick(r, cov > 0 ? mix(REGION_MIX, REGION_MIX_DRIFTED, cov) : REGION_MIX);

    double rate =
        clamp(
            4
                + 9 * utilization
                + 1.5 * late
                + 2.5 * Math.max(0, dti - 0.4)
                + 1.5 * r.nextGaussian(),
            1.5,
            45);

    // The true risk: a logistic model with an interaction (high utilization AND late payments)
    // that trees find and a linear model cannot.
    double risk =
        1.6 * (utilization - 0.3) * (1 - 0.7 * concept)
            + 0.38 * Math.min(late, 6)
            + 0.9 * (dti - 0.35)
            - 0.55 * (logIncome - 10.9) * (1 - 1.6 * concept)
            - 0.025 * creditHistory
            + 0.16 * inquiries
            + (utilization > 0.7 && late >= 2 ? 1.1 : 0)
            + new double[] {0, 0.3, 0.25, 0.9, 0.1}[emp]
            + new double[] {0.2, 0, -0.15, 0.1}[home]
            + new double[] {0.05, -0.1, 0, 0.1, 0.3, 0.35, 0.05}[purpose]
            + (region == 1 ? 1.2 * concept : 0)
            - 0.12 * Math.log1p(savings / 1000);
    double z = INTERCEPT + SIGNAL * risk;
    int label = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    if (noise > 0 && r.nextDouble() < noise) {
      label = 1 - label;
    }

    sb.append(day).append('-').append(index);
    num(sb, age, 0);
    num(sb, r.nextDouble() < 0.03 ? Double.NaN : income, 0);
    num(sb, dti, 4);
    num(sb, creditLimit, 0);
    num(sb, utilization, 4);
    num(sb, openAccounts, 0);
    num(sb, late, 0);
    num(sb, r.nextDouble() < 0.05 ? Double.NaN : monthsEmployed, 0);
    num(sb, loanAmount, 0);
    num(sb, term, 0);
    num(sb, rate, 2);
    num(sb, r.nextDouble() < 0.08 ? Double.NaN : savings, 0);
    num(sb, inquiries, 0);
    num(sb, yearsAtAddress, 1);
    num(sb, creditHistory, 1);
    cat(sb, r.nextDouble() < 0.02 ? null : EMPLOYMENT.get(emp));
    cat(sb, HOME.get(home));
    cat(sb, PURPOSE.get(purpose));
    cat(sb, REGION.get(region));
    cat(sb, r.nextDouble() < 0.01 ? null : EDUCATION.get(edu));
    sb.append(',').append(label).append('\n');
  }

  /** Appends ",value" with a fixed number of decimals, or "," for NaN (missing). */
  static void num(StringBuilder sb, double v, int decimals) {
    sb.append(',');
    if (Double.isNaN(v)) {
      return;
    }
    if (decimals == 0) {
      sb.append(Math.round(v));
      return;
    }
    long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : decimals == 3 ? 1000 : 10000;
    long scaled = Math.round(Math.abs(v) * scale);
    if (v < 0 && scaled != 0) {
      sb.append('-');
    }
    sb.append(scaled / scale).append('.');
    String frac = Long.toString(scaled % scale);
    for (int i = frac.length(); i < decimals; i++) {
      sb.append('0');
    }
    sb.append(frac);
  }

  private static void cat(StringBuilder sb, String v) {
    sb.append(',');
    if (v != null) {
      sb.append(v);
    }
  }

  private static int pick(SplittableRandom r, double[] mix) {
    double u = r.nextDouble();
    double acc = 0;
    for (int i = 0; i < mix.length; i++) {
      acc += mix[i];
      if (u < acc) {
        return i;
      }
    }
    return mix.length - 1;
  }

  private static double[] mix(double[] a, double[] b, double t) {
    double[] m = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      m[i] = (1 - t) * a[i] + t * b[i];
    }
    return m;
  }

  private static int poisson(SplittableRandom r, double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l && k < 50);
    return k - 1;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
