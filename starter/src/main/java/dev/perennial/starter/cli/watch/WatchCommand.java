package dev.perennial.starter.cli.watch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code perennial watch}: a model's DataWatch workflow (workflow id {@code data-watch-<model>}):
 * start it with a policy, look at it, make it list now, stop it.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Retrain when new data lands: one long-running DataWatch workflow per model (workflow id"
          + " data-watch-<model>) lists the model's dt=YYYY-MM-DD partitions every poll interval"
          + " and starts one retraining (trigger DATA) per new batch."
    },
    subcommands = {WatchStart.class, WatchStop.class, WatchStatus.class, WatchCheckNow.class})
public final class WatchCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
