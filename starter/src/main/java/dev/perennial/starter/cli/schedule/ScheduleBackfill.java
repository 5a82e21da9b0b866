package dev.perennial.starter.cli.schedule;

import dev.perennial.starter.cli.OptionTypes;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code perennial schedule backfill}: the actions the schedule would have taken back then. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = "Take the actions the schedule would have taken between two times.")
final class ScheduleBackfill extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Option(
      names = "--from",
      required = true,
      converter = OptionTypes.DateOrInstantConverter.class,
      description = "Start: ISO date (UTC midnight) or instant.")
  Instant start;

  @Option(
      names = "--to",
      required = true,
      converter = OptionTypes.DateOrInstantConverter.class,
      description = "End: ISO date (UTC midnight) or instant.")
  Instant end;

  @Option(
      names = "--overlap",
      defaultValue = "allow-all",
      converter = OptionTypes.OverlapConverter.class,
      description = "Overlap policy for the backfilled runs (default: ${DEFAULT-VALUE}).")
  ScheduleOverlapPolicy policy;

  @Override
  public Integer call() {
    if (!end.isAfter(start)) {
      throw new ParameterException(
          spec.commandLine(), "--to (" + end + ") must be after --from (" + start + ")");
    }
    return withSchedules(
        schedules -> {
          schedules.backfill(model.scheduleId(), start, end, policy);
          out().printf("Backfilling %s from %s to %s%n", model.scheduleId(), start, end);
          return 0;
        });
  }
}
