package dev.perennial.core.dataset;

import java.util.concurrent.ConcurrentMap;

/**
 * Reads cells where the CSV reader left them, a range of a {@code char[]}, without making a {@code
 * String} of each: trimmed as {@link String#trim()} trims, numbers parsed to the double {@link
 * Double#parseDouble} gives, categories looked up among the values already seen.
 */
final class Cells {
  private Cells() {}

  /** Exact powers of ten as doubles: 10^k for k ≤ 22 is exactly representable. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int k = 0; k < POWERS_OF_TEN.length; k++) {
      POWERS_OF_TEN[k] = p;
      p *= 10;
    }
  }

  /** The first index of {@code [from, to)} past leading characters {@code <= ' '}. */
  static int trimStart(char[] c, int from, int to) {
    while (from < to && c[from] <= ' ') {
      from++;
    }
    return from;
  }

  /** The end of {@code [from, to)} before trailing characters {@code <= ' '}. */
  static int trimEnd(char[] c, int from, int to) {
    while (to > from && c[to - 1] <= ' ') {
      to--;
    }
    return to;
  }

  /** Whether {@code c[from, to)} is {@code s}. */
  static boolean is(char[] c, int from, int to, String s) {
    if (to - from != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (c[from + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code Double.parseDouble} of {@code c[from, to)} (a trimmed, non-empty cell), the same double
   * for every input. Plain decimals ({@code -12.345}) of up to 15 significant digits and 22
   * fractional digits are computed here: the digits as an exact integer divided by an exact power
   * of ten, one correctly rounded division, which is the correctly rounded value parseDouble gives.
   * Everything else (exponents, more digits, "NaN", hexadecimal) goes to parseDouble.
   *
   * @throws NumberFormatException as parseDouble does
   */
  static double parseDouble(char[] c, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (c[i] == '-' || c[i] == '+')) {
      negative = c[i] == '-';
      i++;
    }
    long digits = 0;
    int count = 0;
    int fraction = -1;
    boolean any = false;
    for (; i < to; i++) {
      char ch = c[i];
      if (ch >= '0' && ch <= '9') {
        any = true;
        if (digits != 0 || ch != '0') {
          if (++count > 15) {
            return slow(c, from, to);
          }
        }
        digits = digits * 10 + (ch - '0');
        if (fraction >= 0) {
          fraction++;
        }
      } else if (ch == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return slow(c, from, to);
      }
    }
    if (!any || fraction >= POWERS_OF_TEN.length) {
      return slow(c, from, to);
    }
    double v = fraction > 0 ? digits / POWERS_OF_TEN[fraction] : digits;
    return negative ? -v : v;
  }

  private static double slow(char[] c, int from, int to) {
    return Double.parseDouble(new String(c, from, to - from));
  }

  /**
   * One {@code String} per distinct value: {@link #of} returns the instance made the first time
   * that value was seen, making none when it was seen before.
   */
  static final class Interned {
    private final ConcurrentMap<String, String> shared;
    private String[] table = new String[64];
    private int[] hashes = new int[64];
    private int size;

    /** Instances of its own. */
    Interned() {
      this(null);
    }

    /**
     * Taking a value seen for the first time from {@code shared} when another reader put it there
     * (one instance per value across readers on other threads), else putting it there.
     */
    Interned(ConcurrentMap<String, String> shared) {
      this.shared = shared;
    }

    /** The value {@code c[from, to)} as the one instance kept for it. */
    String of(char[] c, int from, int to) {
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + c[i];
      }
      int mask = table.length - 1;
      int slot = mix(h) & mask;
      while (true) {
        String s = table[slot];
        if (s == null) {
          break;
        }
        if (hashes[slot] == h && is(c, from, to, s)) {
          return s;
        }
        slot = (slot + 1) & mask;
      }
      String s = new String(c, from, to - from);
      if (shared != null) {
        String first = shared.putIfAbsent(s, s);
        if (first != null) {
          s = first;
        }
      }
      table[slot] = s;
      hashes[slot] = h;
      if (++size * 2 > table.length) {
        grow();
      }
      return s;
    }

    /** The value {@code s} as the one instance kept for it. */
    String of(String s) {
      return of(s.toCharArray(), 0, s.length());
    }

    private static int mix(int h) {
      return h ^ (h >>> 16);
    }

    private void grow() {
      String[] oldTable = table;
      int[] oldHashes = hashes;
      table = new String[oldTable.length * 2];
      hashes = new int[oldTable.length * 2];
      int mask = table.length - 1;
      for (int k = 0; k < oldTable.length; k++) {
        if (oldTable[k] != null) {
          int slot = mix(oldHashes[k]) & mask;
          while (table[slot] != null) {
            slot = (slot + 1) & mask;
          }
          table[slot] = oldTable[k];
          hashes[slot] = oldHashes[k];
        }
      }
    }
  }
}
