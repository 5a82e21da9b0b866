package dev.perennial.starter.cli.monitor;

import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Monitors;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code perennial monitor stop}: stops the model's drift monitor and prints what it did. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the model's drift monitor and print what it did. Retraining runs it started go on.",
      "Exit 1 when no monitor for the model is running."
    })
final class MonitorStop extends MonitorSubcommand {
  @Option(names = "--reason", description = "Why, kept in the monitor's result.")
  String reason;

  @Override
  public Integer call() {
    String why =
        reason != null && !reason.isBlank()
            ? reason
            : "stopped from the command line by " + System.getProperty("user.name");
    return withClient(client -> stop(client, model, why, Monitors.STOP_WAIT, out()));
  }

  /** Stops the monitor, waiting up to {@code wait} for it to close; returns the exit code. */
  static int stop(
      WorkflowClient client, String model, String reason, Duration wait, PrintWriter out) {
    Monitors.StopResult result = Monitors.stop(client, model, reason, wait);
    MonitorOutput.stop(result, model, out);
    return result instanceof Monitors.Stopped ? 0 : Exit.FAILED;
  }
}
