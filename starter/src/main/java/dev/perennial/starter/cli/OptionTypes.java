package dev.perennial.starter.cli;

import dev.perennial.workflows.Durations;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the option values the command line shares, so a bad value is refused while
 * parsing: exit 2 and picocli's "Invalid value for option '--x'" naming the option.
 */
public final class OptionTypes {
  private OptionTypes() {}

  /** A duration in the one syntax everywhere ({@link Durations}): 90s, 15m, 2h, 7d or PT15M. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = Durations.parse(value);
        if (d.isNegative()) {
          throw new TypeConversionException("'" + value + "' is negative");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A schedule overlap policy: skip, buffer-one, allow-all or cancel-other. */
  public static final class OverlapConverter implements ITypeConverter<ScheduleOverlapPolicy> {
    @Override
    public ScheduleOverlapPolicy convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "skip" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
        case "buffer-one" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE;
        case "allow-all" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
        case "cancel-other" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER;
        default ->
            throw new TypeConversionException(
                "'"
                    + value
                    + "' is not an overlap policy: skip, buffer-one, allow-all or cancel-other");
      };
    }
  }

  /** An IANA time zone such as Europe/Berlin, or UTC. */
  public static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public ZoneId convert(String value) {
      try {
        return ZoneId.of(value);
      } catch (DateTimeException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a time zone: write an IANA name such as Europe/Berlin, or UTC");
      }
    }
  }

  /** An ISO date (UTC midnight) such as 2026-01-31, or an instant such as 2026-01-31T02:00:00Z. */
  public static final class DateOrInstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return value.length() == 10
            ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO date (2026-01-31) or instant (2026-01-31T02:00:00Z)");
      }
    }
  }

  /** An ISO date such as 2026-01-31. */
  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not an ISO date such as 2026-01-31");
      }
    }
  }

  /** A whole number of at least 1. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1) {
        throw new TypeConversionException("must be at least 1, not " + n);
      }
      return n;
    }
  }

  /**
   * A cron expression. The common five-field form (minute hour day-of-month month day-of-week) is
   * checked here, field by field; other forms (@daily, @every 2h, with seconds or years) are left
   * to the Temporal server.
   */
  public static final class CronConverter implements ITypeConverter<String> {
    private static final String[] FIELDS = {
      "minute", "hour", "day of month", "month", "day of week"
    };
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final List<String> MONTHS =
        List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS =
        List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    @Override
    public String convert(String value) {
      String[] fields = value.trim().split("\\s+");
      if (value.isBlank()) {
        throw new TypeConversionException("no cron expression given");
      }
      if (fields.length != 5 || value.contains("@") || value.contains("=")) {
        return value;
      }
      for (int i = 0; i < 5; i++) {
        String problem = fieldProblem(i, fields[i]);
        if (problem != null) {
          throw new TypeConversionException(
              "'"
                  + value
                  + "': the "
                  + FIELDS[i]
                  + " field '"
                  + fields[i]
                  + "' "
                  + problem
                  + " (fields: minute hour day-of-month month day-of-week)");
        }
      }
      return value;
    }

    private static String fieldProblem(int field, String text) {
      for (String part : text.split(",", -1)) {
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
          String step = part.substring(slash + 1);
          if (!step.matches("\\d{1,3}") || Integer.parseInt(step) == 0) {
            return "has step '" + step + "', not a whole number of at least 1";
          }
          range = part.substring(0, slash);
        }
        if (range.equals("*") || (range.equals("?") && (field == 2 || field == 4))) {
          continue;
        }
        String[] ends = range.split("-", -1);
        if (ends.length > 2) {
          return "has '" + part + "', not a value, range a-b or */n";
        }
        for (String end : ends) {
          String problem = valueProblem(field, end);
          if (problem != null) {
            return problem;
          }
        }
      }
      return null;
    }

    private static String valueProblem(int field, String text) {
      List<String> names = field == 3 ? MONTHS : field == 4 ? DAYS : List.of();
      if (names.contains(text.toUpperCase(Locale.ROOT))) {
        return null;
      }
      int[] range = RANGES[field];
      if (!text.matches("\\d{1,4}")) {
        return "has '"
            + text
            + "', not a number "
            + range[0]
            + "-"
            + range[1]
            + (names.isEmpty() ? "" : " or a name " + names.get(0) + "-" + names.getLast());
      }
      int n = Integer.parseInt(text);
      if (n < range[0] || n > range[1]) {
        return "has " + n + ", outside " + range[0] + "-" + range[1];
      }
      return null;
    }
  }
}
