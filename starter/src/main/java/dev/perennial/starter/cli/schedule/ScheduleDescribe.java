package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code perennial schedule describe}: a model's schedule as the server has it. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = "Show a model's schedule.")
final class ScheduleDescribe extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Override
  public Integer call() {
    return withSchedules(
        schedules -> {
          ScheduleOutput.details(schedules.describe(model.scheduleId()), out());
          return 0;
        });
  }
}
