package dev.perennial.dev.data;

import java.time.LocalDate;

/**
 * What {@link CreditDefaultGenerator} writes.
 *
 * @param seed base seed; each day's rows depend on (seed, day) only
 * @param firstDay first partition date
 * @param days number of daily partitions
 * @param rowsPerDay rows in each partition
 * @param driftFrom first drifted day, or null for none
 * @param covariateDrift 0..1: how far feature distributions shift from {@code driftFrom} on
 * @param conceptDrift 0..1: how far the label's relationship to the features changes from {@code
 *     driftFrom} on
 * @param labelNoise 0..1: share of labels flipped at random (a corrupted label feed)
 */
public record GeneratorSpec(
    long seed,
    LocalDate firstDay,
    int days,
    int rowsPerDay,
    LocalDate driftFrom,
    double covariateDrift,
    double conceptDrift,
    double labelNoise) {

  public GeneratorSpec {
    if (firstDay == null) {
      throw new IllegalArgumentException("firstDay is required");
    }
    if (days < 1 || days > 3660) {
      throw new IllegalArgumentException("days must be 1..3660, got " + days);
    }
    if (rowsPerDay < 1) {
      throw new IllegalArgumentException("rowsPerDay must be at least 1, got " + rowsPerDay);
    }
    check("covariateDrift", covariateDrift);
    check("conceptDrift", conceptDrift);
    check("labelNoise", labelNoise);
    if (driftFrom == null && (covariateDrift > 0 || conceptDrift > 0)) {
      throw new IllegalArgumentException(
          "covariateDrift/conceptDrift need driftFrom (the first drifted day)");
    }
  }

  /** Undrifted data with clean labels. */
  public static GeneratorSpec clean(long seed, LocalDate firstDay, int days, int rowsPerDay) {
    return new GeneratorSpec(seed, firstDay, days, rowsPerDay, null, 0, 0, 0);
  }

  boolean drifted(LocalDate day) {
    return driftFrom != null && !day.isBefore(driftFrom);
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, got " + v);
    }
  }
}
