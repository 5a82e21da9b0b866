package dev.perennial.starter.cli;

import dev.perennial.starter.ops.Rollbacks;
import dev.perennial.workflows.rollback.RollbackRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial rollback}: make an earlier approved version champion again. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Make an earlier approved version champion again and end any canary (audited).",
      "Model servers serve it after their next registry refresh (seconds)."
    })
final class RollbackCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--version", required = true, paramLabel = "N", description = "Version to serve.")
  Integer version;

  @Option(names = "--reason", required = true, description = "Why, for the audit log.")
  String reason;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RollbackRequest request =
        new RollbackRequest(model, version, reason, "cli:" + System.getProperty("user.name"));
    Integer refused = Exit.refuse(request.problems(), spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    try {
      RollbackOutput.print(Rollbacks.run(connection.workflowClient(), request), out);
      return 0;
    } finally {
      connection.close();
    }
  }
}
