package dev.perennial.core.report;

import java.util.Locale;

/**
 * Fixed number formatting for reports. Locale.ROOT so a worker's locale never turns 0.5 into "0,5",
 * and a fixed number of decimals so the same input always gives the same bytes.
 */
final class Decimals {
  /** Shown for a number that is absent (null) or undefined (NaN). */
  static final String NONE = "\u2013";

  private Decimals() {}

  static String fixed(double value, int decimals) {
    if (Double.isNaN(value)) {
      return NONE;
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "\u221e" : "-\u221e";
    }
    return noNegativeZero(String.format(Locale.ROOT, "%." + decimals + "f", value));
  }

  static String fixed(Double value, int decimals) {
    return value == null ? NONE : fixed(value.doubleValue(), decimals);
  }

  /** A difference with its sign always shown, so "+0.012" and "-0.012" line up and read as such. */
  static String signed(double value, int decimals) {
    String s = fixed(value, decimals);
    boolean zero = s.matches("0(\\.0*)?");
    return zero || s.equals(NONE) || s.startsWith("-") || s.startsWith("\u221e") ? s : "+" + s;
  }

  static String percent(double share, int decimals) {
    return Double.isNaN(share) ? NONE : fixed(share * 100, decimals) + "%";
  }

  /**
   * A p-value: small ones in scientific notation, since "0.0000" hides whether it is 1e-5 or 1e-300
   * and both occur with large windows.
   */
  static String pValue(Double p) {
    if (p == null || p.isNaN()) {
      return NONE;
    }
    if (p != 0 && p < 1e-4) {
      return String.format(Locale.ROOT, "%.1e", p);
    }
    return fixed(p.doubleValue(), 4);
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** Coordinates in SVG: one decimal is finer than a pixel and keeps files small. */
  static String coordinate(double value) {
    return fixed(value, 1);
  }

  private static String noNegativeZero(String s) {
    // "-0.000" comes from tiny negative values; it reads as a real sign where there is none.
    return s.matches("-0[.,]?0*") ? s.substring(1) : s;
  }
}
