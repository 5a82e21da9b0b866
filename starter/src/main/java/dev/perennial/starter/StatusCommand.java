package dev.perennial.starter;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial status}: the latest continuous-training run of a model. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the latest ContinuousTraining run of a model: state, stage, progress, result.")
final class StatusCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      return print(connection.workflowClient(), model, out);
    } finally {
      connection.close();
    }
  }

  static int print(WorkflowClient client, String model, PrintWriter out) {
    List<String> problems = new RequestProblems().name("model", model).list();
    if (!problems.isEmpty()) {
      out.println("error: " + problems.get(0));
      out.flush();
      return 2;
    }
    String id = latestRun(client, model);
    ContinuousTrainingWorkflow typed = client.newWorkflowStub(ContinuousTrainingWorkflow.class, id);
    WorkflowStub untyped = WorkflowStub.fromTyped(typed);
    WorkflowExecutionStatus state;
    try {
      state = untyped.describe().getStatus();
    } catch (WorkflowNotFoundException e) {
      out.printf("No run for %s yet. Start one with: perennial train --model %s%n", model, model);
      out.flush();
      return PerennialCommand.FAILED;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        out.printf("No run for %s yet. Start one with: perennial train --model %s%n", model, model);
        out.flush();
        return PerennialCommand.FAILED;
      }
      throw e;
    }
    String shortState = state.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    out.printf("Run:      %s (%s)%n", id, shortState);
    try {
      out.println(RunProgress.line(typed.status()));
    } catch (RuntimeException e) {
      out.printf("  (status query unavailable: %s)%n", e.getMessage());
    }
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      RunProgress.printResult(untyped.getResult(ContinuousTrainingResult.class), out);
    } else if (state != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        untyped.getResult(ContinuousTrainingResult.class);
      } catch (RuntimeException e) {
        PerennialCommand.report(e, out);
      }
    }
    out.flush();
    return 0;
  }

  /**
   * The workflow id of the model's latest run: asked of the server's visibility store (which knows
   * scheduled runs, whose ids carry their time), else the id the command line uses.
   */
  static String latestRun(WorkflowClient client, String model) {
    try {
      return client
          .listExecutions(
              "WorkflowType='"
                  + ContinuousTrainingWorkflow.TYPE
                  + "' AND "
                  + PerennialSearchAttributes.MODEL.getName()
                  + "='"
                  + model
                  + "'")
          .findFirst()
          .map(run -> run.getExecution().getWorkflowId())
          .orElse(ContinuousTrainingWorkflow.workflowId(model));
    } catch (RuntimeException e) {
      // The Java test server cannot filter by search attributes.
      return ContinuousTrainingWorkflow.workflowId(model);
    }
  }
}
