package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code perennial schedule delete}: the schedule goes; the runs it started go on. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a model's schedule (runs already started go on).")
final class ScheduleDelete extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Override
  public Integer call() {
    return onSchedule(model, "Deleted", schedules -> schedules.delete(model.scheduleId()));
  }
}
