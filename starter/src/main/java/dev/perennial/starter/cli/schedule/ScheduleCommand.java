package dev.perennial.starter.cli.schedule;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code perennial schedule}: weekly (or any cron) retraining as Temporal Schedules, one per model
 * (schedule id {@code continuous-training-<model>}), visible on the UI's Schedules page.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "Manage scheduled retraining (Temporal Schedules), one schedule per model.",
    subcommands = {
      ScheduleCreate.class,
      ScheduleList.class,
      ScheduleDescribe.class,
      SchedulePause.class,
      ScheduleUnpause.class,
      ScheduleTrigger.class,
      ScheduleBackfill.class,
      ScheduleDelete.class
    })
public final class ScheduleCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
