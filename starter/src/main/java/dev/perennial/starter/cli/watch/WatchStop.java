package dev.perennial.starter.cli.watch;

import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Watches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code perennial watch stop}: stops the model's data watch and prints what it did. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the model's data watch and print what it did. Retraining runs it started go on.",
      "Exit 1 when no watch for the model is running."
    })
final class WatchStop extends WatchSubcommand {
  @Option(names = "--reason", description = "Why, kept in the watch's result.")
  String reason;

  @Override
  public Integer call() {
    String why =
        reason != null && !reason.isBlank()
            ? reason
            : "stopped from the command line by " + System.getProperty("user.name");
    return withClient(
        client -> {
          Watches.StopResult result = Watches.stop(client, model, why, Watches.STOP_WAIT);
          WatchOutput.stop(result, model, out());
          return result instanceof Watches.Stopped ? 0 : Exit.FAILED;
        });
  }
}
