package dev.perennial.starter.cli.watch;

import dev.perennial.starter.cli.CliConnection;
import dev.perennial.starter.cli.Exit;
import dev.perennial.workflows.RequestProblems;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Every {@code watch} subcommand works on one model's data watch. */
abstract class WatchSubcommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CliConnection connection;

  @Option(names = "--model", required = true, description = "Model name, e.g. credit-default.")
  String model;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Checks the model name, then runs {@code work} with a client and closes the connection. */
  int withClient(ToIntFunction<WorkflowClient> work) {
    Integer refused = Exit.refuse(new RequestProblems().name("model", model).list(), err());
    if (refused != null) {
      return refused;
    }
    try {
      return work.applyAsInt(connection.workflowClient());
    } finally {
      connection.close();
      out().flush();
    }
  }
}
