package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/**
 * Each converter, alone and on the command line: a bad value is exit 2 naming the option, before
 * any server is asked (none runs here).
 */
class OptionTypesTest {

  private static Run run(String... args) {
    return PerennialCommandTest.run(args);
  }

  /** {@code schedule create} of a valid weekly schedule with one more option. */
  private static Run create(String option, String value) {
    return run("schedule", "create", "--model", "m", "--cron", "0 2 * * MON", option, value);
  }

  private static void assertRefused(Run r, String option, String... says) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '" + option + "'").contains(says);
  }

  @Test
  void durationsHaveOneSyntaxAndIsoToo() {
    var c = new OptionTypes.DurationConverter();
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("6h")).isEqualTo(Duration.ofHours(6));
    assertThat(c.convert("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(c.convert("PT6H")).isEqualTo(Duration.ofHours(6));
    assertThatThrownBy(() -> c.convert("bogus"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'bogus' is not a duration");
    assertThatThrownBy(() -> c.convert("-PT1H")).hasMessageContaining("negative");

    assertRefused(create("--jitter", "soon"), "--jitter", "'soon' is not a duration");
  }

  @Test
  void anIsoCatchupWindowIsAccepted() {
    // Parsing passes; what fails after it is reaching a server, not the value.
    Run r =
        run(
            "schedule",
            "create",
            "--model",
            "m",
            "--cron",
            "0 2 * * MON",
            "--catchup-window",
            "PT6H",
            "--temporal",
            "127.0.0.1:1");
    assertThat(r.err()).doesNotContain("--catchup-window");
    assertThat(r.code()).as(r.err()).isNotEqualTo(2);
  }

  @Test
  void overlapPolicies() {
    var c = new OptionTypes.OverlapConverter();
    assertThat(c.convert("buffer-one"))
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(c.convert("ALLOW-ALL"))
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    assertRefused(
        create("--overlap", "sometimes"),
        "--overlap",
        "'sometimes' is not an overlap policy: skip, buffer-one, allow-all or cancel-other");
    assertRefused(
        run(
            "schedule",
            "backfill",
            "--model",
            "m",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--overlap",
            "never"),
        "--overlap",
        "'never'");
  }

  @Test
  void timeZones() {
    assertThat(new OptionTypes.ZoneConverter().convert("Europe/Berlin"))
        .isEqualTo(ZoneId.of("Europe/Berlin"));
    assertRefused(
        create("--timezone", "Mars/Olympus"), "--timezone", "'Mars/Olympus' is not a time zone");
  }

  @Test
  void datesAndInstants() {
    var c = new OptionTypes.DateOrInstantConverter();
    assertThat(c.convert("2026-01-31")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    assertThat(c.convert("2026-01-31T02:00:00Z")).isEqualTo(Instant.parse("2026-01-31T02:00:00Z"));
    assertThat(new OptionTypes.DateConverter().convert("2026-01-31"))
        .isEqualTo(LocalDate.of(2026, 1, 31));
    assertRefused(
        run("schedule", "backfill", "--model", "m", "--from", "yesterday", "--to", "2026-01-02"),
        "--from",
        "'yesterday' is not an ISO date");
    assertRefused(run("generate", "--first-day", "2026-13-01"), "--first-day", "'2026-13-01'");
  }

  @Test
  void backfillEndingBeforeItStartsIsAUsageError() {
    Run r =
        run("schedule", "backfill", "--model", "m", "--from", "2026-01-02", "--to", "2026-01-01");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--to (2026-01-01T00:00:00Z) must be after --from");
  }

  @Test
  void positiveCounts() {
    assertThat(new OptionTypes.PositiveInt().convert("3")).isEqualTo(3);
    assertRefused(run("generate", "--days", "0"), "--days", "must be at least 1, not 0");
    assertRefused(
        run("generate", "--rows-per-day", "0"), "--rows-per-day", "must be at least 1, not 0");
    assertRefused(run("generate", "--days", "many"), "--days", "'many' is not a whole number");
    Run tooMany = run("generate", "--days", "5000");
    assertThat(tooMany.code()).isEqualTo(2);
    assertThat(tooMany.err()).contains("days must be 1..3660, got 5000");
  }

  @Test
  void cronFieldsAreCheckedBeforeTheServerIsAsked() {
    var c = new OptionTypes.CronConverter();
    for (String ok :
        new String[] {
          "0 2 * * MON",
          "*/15 * * * *",
          "0 9-17 * JAN-MAR mon-fri",
          "0 0 1,15 * ?",
          "@daily",
          "0 0 2 * * * 2026"
        }) {
      assertThat(c.convert(ok)).isEqualTo(ok);
    }
    assertRefused(
        run("schedule", "create", "--model", "m", "--cron", "61 25 * * FOO"),
        "--cron",
        "the minute field '61' has 61, outside 0-59");
    assertThatThrownBy(() -> c.convert("0 25 * * *"))
        .hasMessageContaining("the hour field '25' has 25, outside 0-23");
    assertThatThrownBy(() -> c.convert("0 2 * * FOO"))
        .hasMessageContaining(
            "the day of week field 'FOO' has 'FOO', not a number 0-7 or a name SUN-SAT");
    assertThatThrownBy(() -> c.convert("*/0 * * * *"))
        .hasMessageContaining("the minute field '*/0' has step '0'");
  }
}
