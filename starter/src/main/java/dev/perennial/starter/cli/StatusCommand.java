package dev.perennial.starter.cli;

import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.RunStates;
import dev.perennial.starter.ops.ServingSync;
import dev.perennial.workflows.RequestProblems;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial status}: the latest run of a model, of any pipeline type. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the latest pipeline run of a model, whatever its workflow type (ContinuousTraining or"
          + " a pipeline of one's own): type, state, stage, progress, result.",
      "Found by the PerennialModel search attribute; a server that cannot search (the Java test"
          + " server) is asked for the conventional id <kebab-case type>-<model> instead."
    })
final class StatusCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(
      names = "--workflow-type",
      paramLabel = "TYPE",
      description =
          "Only runs of this type, e.g. ApprovedForest (default: any pipeline; CanaryRollout,"
              + " DriftMonitor and Rollback only when named).")
  String workflowType;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      int code = print(connection.workflowClient(), model, workflowType, out);
      String serving = connection.endpoints().servingManagementAddress();
      if (code == 0 && serving != null) {
        out.println(ServingOutput.line(ServingSync.read(serving, model)));
        out.flush();
      }
      return code;
    } finally {
      connection.close();
    }
  }

  static int print(WorkflowClient client, String model, PrintWriter out) {
    return print(client, model, null, out);
  }

  static int print(WorkflowClient client, String model, String workflowType, PrintWriter out) {
    List<String> problems = new ArrayList<>(new RequestProblems().name("model", model).list());
    problems.addAll(PipelineRuns.typeProblems("--workflow-type", workflowType));
    if (!problems.isEmpty()) {
      out.println("error: " + problems.get(0));
      out.flush();
      return 2;
    }
    Optional<RunStates.RunState> latest = RunStates.latest(client, model, workflowType);
    if (latest.isEmpty()) {
      out.println(noRun(model, workflowType));
      out.flush();
      return Exit.FAILED;
    }
    RunStates.RunState run = latest.get();
    String shortState = run.state().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    out.printf("Run:      %s (%s)%n", run.workflowId(), shortState);
    out.printf("Pipeline: %s%n", run.workflowType());
    if (run.status() != null) {
      out.println(RunOutput.line(run.status()));
    } else {
      out.printf("  (status query unavailable: %s)%n", run.statusProblem());
    }
    if (run.resultProblem() != null) {
      throw run.resultProblem();
    }
    if (run.result() != null) {
      RunOutput.printResult(run.result(), out);
    }
    if (run.failure() != null) {
      Exit.report(run.failure(), out);
    }
    out.flush();
    return 0;
  }

  static String noRun(String model, String workflowType) {
    if (workflowType != null) {
      return String.format(
          "No %s run for %s yet. Start one with: perennial run %s --model %s",
          workflowType, model, workflowType, model);
    }
    return String.format(
        "No run for %s yet. Start one with: perennial train --model %s (or perennial run"
            + " <WorkflowType> --model %s for a pipeline of your own; on a server that cannot"
            + " search runs, name its type with --workflow-type)",
        model, model, model);
  }
}
