package dev.perennial.workflows;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects what is wrong with a request, field by field, so one error names every bad field at once
 * instead of one per attempt. Deterministic: usable from workflow code.
 */
public final class RequestProblems {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final List<String> problems = new ArrayList<>();

  public RequestProblems require(boolean ok, String field, String message) {
    if (!ok) {
      problems.add(field + ": " + message);
    }
    return this;
  }

  public RequestProblems name(String field, String value) {
    return require(
        value != null && NAME.matcher(value).matches(),
        field,
        "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit (got "
            + quote(value)
            + ")");
  }

  public RequestProblems isoDate(String field, String value) {
    if (value == null) {
      return this;
    }
    boolean ok = DATE.matcher(value).matches();
    if (ok) {
      try {
        java.time.LocalDate.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        ok = false;
      }
    }
    return require(ok, field, "must be an ISO date like 2026-01-31 (got " + quote(value) + ")");
  }

  public RequestProblems range(String field, Number value, double min, double max) {
    if (value == null) {
      return this;
    }
    double v = value.doubleValue();
    return require(
        !Double.isNaN(v) && v >= min && v <= max,
        field,
        "must be between " + fmt(min) + " and " + fmt(max) + " (got " + value + ")");
  }

  /**
   * {@code value}, if given, must be a {@link Durations duration} from {@code min} to {@code max}.
   */
  public RequestProblems duration(
      String field, String value, java.time.Duration min, java.time.Duration max) {
    if (value == null) {
      return this;
    }
    try {
      java.time.Duration d = Durations.parse(value);
      return require(
          d.compareTo(min) >= 0 && d.compareTo(max) <= 0,
          field,
          "must be from "
              + Durations.format(min)
              + " to "
              + Durations.format(max)
              + " (got "
              + quote(value)
              + ")");
    } catch (IllegalArgumentException e) {
      return require(false, field, e.getMessage());
    }
  }

  public RequestProblems addAll(List<String> more) {
    problems.addAll(more);
    return this;
  }

  public List<String> list() {
    return List.copyOf(problems);
  }

  /**
   * Throws an {@link IllegalArgumentException} naming every problem, if any: for services outside
   * workflow code, whose activity adapters turn it into {@link FailureTypes#INVALID_REQUEST}.
   */
  public void refuseIfAny(String what) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + what + ": " + String.join("; ", problems));
    }
  }

  /**
   * Throws an {@link IllegalArgumentException} joining {@code problems}, if any: what an update
   * validator refuses a malformed message with, for its caller to read.
   */
  public static void refuse(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Throws a non-retryable {@link FailureTypes#INVALID_REQUEST} naming every problem, if any. */
  public void throwIfAny(String what) {
    if (!problems.isEmpty()) {
      throw Temporal.invalidRequest("Invalid " + what + ": " + String.join("; ", problems));
    }
  }

  /**
   * The one use of a Temporal class, in a class of its own: the JVM loads it only when {@link
   * #throwIfAny} throws, so services use this class on a classpath without the Temporal SDK (the
   * model server's).
   */
  private static final class Temporal {
    static RuntimeException invalidRequest(String message) {
      return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_REQUEST);
    }
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
