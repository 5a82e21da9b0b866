package dev.perennial.starter.cli.monitor;

import dev.perennial.starter.cli.Caller;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.workflows.Instruction;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code perennial monitor check-now}: makes the model's running monitor measure now. */
@Command(
    name = "check-now",
    mixinStandardHelpOptions = true,
    description = "Make the model's drift monitor measure now instead of at its next interval.")
final class MonitorCheckNow extends MonitorSubcommand {
  @Override
  public Integer call() {
    return withClient(client -> checkNow(client, model, out()));
  }

  /** Asks the running monitor, signed by who runs the command; returns the exit code. */
  static int checkNow(WorkflowClient client, String model, PrintWriter out) {
    Monitors.CheckResult result =
        Monitors.checkNow(
            client, model, new Instruction(Caller.name(), "asked from the command line"));
    switch (result) {
      case Monitors.Asked asked ->
          out.printf(
              "Asked %s to measure now. See the result with: perennial drift --model %s%n",
              asked.workflowId(), model);
      // The monitor's validator refused it (e.g. a check already asked for): say why.
      case Monitors.Refused refused -> out.println("error: " + refused.reason());
      case Monitors.NotRunning notRunning -> out.println(MonitorOutput.notRunning(notRunning));
    }
    out.flush();
    return result instanceof Monitors.Asked ? 0 : Exit.FAILED;
  }
}
