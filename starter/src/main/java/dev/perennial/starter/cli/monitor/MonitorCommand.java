package dev.perennial.starter.cli.monitor;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code perennial monitor}: a model's DriftMonitor workflow (workflow id {@code
 * drift-monitor-<model>}): start it with a policy, look at it, make it measure now, stop it.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Watch a model's served traffic for drift: one long-running DriftMonitor workflow per model"
          + " (workflow id drift-monitor-<model>) measures every interval and starts retraining on"
          + " a breach.",
      "The latest reports: perennial drift --model <model>."
    },
    subcommands = {
      MonitorStart.class,
      MonitorStop.class,
      MonitorStatus.class,
      MonitorCheckNow.class
    })
public final class MonitorCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
