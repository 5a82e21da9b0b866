package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code perennial schedule trigger}: the schedule's action now. */
@Command(
    name = "trigger",
    mixinStandardHelpOptions = true,
    description = "Run a model's scheduled retraining now.")
final class ScheduleTrigger extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Override
  public Integer call() {
    return onSchedule(model, "Triggered", schedules -> schedules.trigger(model.scheduleId()));
  }
}
