package dev.perennial.starter.cli.watch;

import dev.perennial.starter.cli.Caller;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Watches;
import dev.perennial.workflows.Instruction;
import picocli.CommandLine.Command;

/** {@code perennial watch check-now}: makes the model's running watch list its data now. */
@Command(
    name = "check-now",
    mixinStandardHelpOptions = true,
    description = "Make the model's data watch list its data now instead of at its next poll.")
final class WatchCheckNow extends WatchSubcommand {
  @Override
  public Integer call() {
    return withClient(
        client -> {
          Watches.CheckResult result =
              Watches.checkNow(
                  client, model, new Instruction(Caller.name(), "asked from the command line"));
          switch (result) {
            case Watches.Asked asked ->
                out()
                    .printf(
                        "Asked %s to list its data now. See what it found with: perennial watch"
                            + " status --model %s%n",
                        asked.workflowId(), model);
            case Watches.Refused refused -> out().println("error: " + refused.reason());
            case Watches.NotRunning notRunning -> out().println(WatchOutput.notRunning(notRunning));
          }
          return result instanceof Watches.Asked ? 0 : Exit.FAILED;
        });
  }
}
