package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code perennial schedule unpause}: the schedule acts again. */
@Command(
    name = "unpause",
    mixinStandardHelpOptions = true,
    description = "Resume a model's schedule.")
final class ScheduleUnpause extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Override
  public Integer call() {
    return onSchedule(
        model,
        "Unpaused",
        schedules -> schedules.unpause(model.scheduleId(), "resumed from the command line"));
  }
}
