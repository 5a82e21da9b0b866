package dev.perennial.starter.cli;

import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.rollback.RollbackRequest;
import dev.perennial.workflows.rollback.RollbackResult;
import dev.perennial.workflows.rollback.RollbackWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
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
    Integer refused = PerennialCommand.refuse(request.problems(), spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    try {
      run(connection.workflowClient(), request, out);
      return 0;
    } finally {
      connection.close();
    }
  }

  /** Runs a rollback to its end and prints what it did. */
  static RollbackResult run(WorkflowClient client, RollbackRequest request, PrintWriter out) {
    RollbackWorkflow rollback =
        client.newWorkflowStub(
            RollbackWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(RollbackWorkflow.workflowId(request.model()))
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .build());
    RollbackResult result = rollback.run(request);
    out.printf("%s: %s%n", result.model(), result.message());
    out.flush();
    return result;
  }
}
