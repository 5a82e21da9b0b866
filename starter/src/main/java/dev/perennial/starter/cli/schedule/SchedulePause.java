package dev.perennial.starter.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code perennial schedule pause}: no more actions until unpaused. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a model's schedule.")
final class SchedulePause extends ScheduleSubcommand {
  @Mixin ModelOption model;

  @Option(names = "--note", defaultValue = "paused from the command line", description = "Why.")
  String note;

  @Override
  public Integer call() {
    return onSchedule(model, "Paused", schedules -> schedules.pause(model.scheduleId(), note));
  }
}
