package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;

/** {@code perennial schedule list}: the pipeline schedules as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List retraining schedules.")
final class ScheduleList extends ScheduleSubcommand {
  @Override
  public Integer call() {
    return withSchedules(
        schedules -> {
          ScheduleOutput.list(schedules.list(), out());
          return 0;
        });
  }
}
