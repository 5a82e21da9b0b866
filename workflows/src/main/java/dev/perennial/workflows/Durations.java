package dev.perennial.workflows;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them in a request: {@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}, or
 * ISO-8601 such as {@code PT15M}. Deterministic: usable from workflow code.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException when it is not one of the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no duration given");
    }
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M");
    }
  }

  /** A short form of {@code d} for messages: 90s, 15m, 2h, 1d 6h. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 0 && !d.isZero()) {
      return d.toMillis() + "ms";
    }
    if (s % 86_400 == 0 && s > 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0 && s > 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
